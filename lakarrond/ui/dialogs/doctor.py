"""Absence (frånvaro) and the doctor's ÅMV days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lakarrond.services.doctors import AbsenceData, DoctorRow, validate_absence
from lakarrond.ui.dialogs.common import date_edit, error_label, from_qdate, ok_cancel
from solver.problem import WEEKDAY_NAMES_SV


class AbsenceDialog(QDialog):
    def __init__(self, doctors: Sequence[DoctorRow], doctor_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ny frånvaro")
        self.doctor = QComboBox()
        for d in doctors:
            self.doctor.addItem(d.name, d.id)
        if doctor_id is not None:
            self.doctor.setCurrentIndex(max(0, self.doctor.findData(doctor_id)))
        self.start = date_edit(date.today())
        self.end = date_edit(date.today() + timedelta(days=7))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("semester, kurs, …")
        self.substitute = QLineEdit()
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("Läkare", self.doctor)
        form.addRow("Från", self.start)
        form.addRow("Till", self.end)
        form.addRow("Orsak", self.reason)
        form.addRow("Vikarie", self.substitute)
        buttons = ok_cancel(self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

    def data(self) -> AbsenceData:
        return AbsenceData(
            doctor_id=int(self.doctor.currentData() or 0),
            start=from_qdate(self.start.date()),
            end=from_qdate(self.end.date()),
            reason=self.reason.text().strip(),
            substitute=self.substitute.text().strip(),
        )

    def accept(self) -> None:
        errors = validate_absence(self.data())
        if self.doctor.currentData() is None:
            errors.insert(0, "Välj en läkare.")
        if errors:
            self.errors.setText("\n".join(errors))
            self.errors.show()
            return
        super().accept()


class DoctorDialog(QDialog):
    """The doctor's separate ÅMV days (rule R6) and ÅMV per day."""

    def __init__(self, doctor: DoctorRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"ÅMV-tider för {doctor.name}")
        self.days = [QCheckBox(WEEKDAY_NAMES_SV[i]) for i in range(5)]
        row = QHBoxLayout()
        for i, box in enumerate(self.days):
            box.setChecked(i in doctor.review_weekdays)
            row.addWidget(box)
        self.per_day = QSpinBox()
        self.per_day.setRange(0, 20)
        self.per_day.setValue(doctor.reviews_per_day)
        form = QFormLayout()
        form.addRow("ÅMV-dagar", row)
        form.addRow("ÅMV per dag", self.per_day)
        buttons = ok_cancel(self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> tuple[tuple[int, ...], int]:
        return tuple(i for i, b in enumerate(self.days) if b.isChecked()), self.per_day.value()
