"""Läkare with their Frånvaro (absences)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lakarrond.ui.models.store_models import AbsenceModel, DoctorModel
from lakarrond.ui.views.common import TablePanel


class DoctorsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doctor_model = DoctorModel(self)
        self.absence_model = AbsenceModel(self)
        self.doctors = TablePanel(self.doctor_model)
        self.absences = TablePanel(self.absence_model, {AbsenceModel.DOCTOR_COLUMN: "Läkare"})
        self.edit_button = QPushButton("ÅMV-tider …")
        self.add_absence_button = QPushButton("Ny frånvaro …")
        self.delete_absence_button = QPushButton("Ta bort frånvaro …")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>Läkare</b>"))
        row.addStretch()
        row.addWidget(self.edit_button)
        top_layout.addLayout(row)
        top_layout.addWidget(self.doctors)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>Frånvaro</b> (semester, kurs …; ingen ÅMV de dagarna)"))
        row.addStretch()
        row.addWidget(self.add_absence_button)
        row.addWidget(self.delete_absence_button)
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
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.doctors.current() is not None)
        self.delete_absence_button.setEnabled(self.absences.current() is not None)
