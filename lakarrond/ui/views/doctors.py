"""Läkare with their Frånvaro (absences)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lakarrond.services.doctors import DoctorRow
from lakarrond.ui.models.store_models import AbsenceModel, DoctorModel
from lakarrond.ui.views.common import TablePanel


class DoctorsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doctor_model = DoctorModel(self)
        self.absence_model = AbsenceModel(self)
        self.doctors = TablePanel(self.doctor_model)
        self.absences = TablePanel(self.absence_model, {AbsenceModel.DOCTOR_COLUMN: "Läkare"})
        self.add_button = QPushButton("Ny läkare …")
        self.add_button.setToolTip("Lägg till en läkare")
        self.edit_button = QPushButton("Redigera …")
        self.edit_button.setToolTip("Namn, vårdcentral, ÅMV-dagar och ÅMV per dag")
        self.retire_button = QPushButton("Avsluta läkare …")
        self.retire_button.setToolTip("Läkaren slutar: finns kvar i historiken men får inga "
                                      "nya enheter")
        self.reactivate_button = QPushButton("Återaktivera")
        self.show_retired = QCheckBox("Visa avslutade")
        self.add_absence_button = QPushButton("Ny frånvaro …")
        self.edit_absence_button = QPushButton("Redigera frånvaro …")
        self.delete_absence_button = QPushButton("Ta bort frånvaro …")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>Läkare</b>"))
        row.addStretch()
        row.addWidget(self.show_retired)
        for button in (self.add_button, self.edit_button, self.retire_button,
                       self.reactivate_button):
            row.addWidget(button)
        top_layout.addLayout(row)
        top_layout.addWidget(self.doctors)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>Frånvaro</b> (semester, kurs …; ingen ÅMV de dagarna om "
                             "inte vikarien håller dem)"))
        row.addStretch()
        for button in (self.add_absence_button, self.edit_absence_button,
                       self.delete_absence_button):
            row.addWidget(button)
        bottom_layout.addLayout(row)
        bottom_layout.addWidget(self.absences)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("doctorsSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.doctors.selection_changed.connect(self._update_buttons)
        self.absences.selection_changed.connect(self._update_buttons)
        self.doctors.proxy.modelReset.connect(self._update_buttons)
        self.absences.proxy.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def current_doctor(self) -> DoctorRow | None:
        row = self.doctors.current()
        return row if isinstance(row, DoctorRow) else None

    def _update_buttons(self) -> None:
        doctor = self.current_doctor()
        self.edit_button.setEnabled(doctor is not None)
        self.retire_button.setEnabled(doctor is not None and not doctor.retired)
        self.reactivate_button.setEnabled(doctor is not None and doctor.retired)
        has_absence = self.absences.current() is not None
        self.edit_absence_button.setEnabled(has_absence)
        self.delete_absence_button.setEnabled(has_absence)
