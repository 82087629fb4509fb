"""The doctor form (name, health centre, ÅMV days, ÅMV per day), retiring a doctor, and
absence (frånvaro) with its substitute."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from lakarrond.services.doctors import (
    MAX_REVIEWS_PER_DAY,
    AbsenceData,
    DoctorData,
    DoctorRow,
    validate_absence,
    validate_doctor,
)
from lakarrond.today import today as todays_date
from lakarrond.ui.dialogs.common import (
    FormDialog,
    date_edit,
    error_label,
    from_qdate,
    to_qdate,
)
from solver.problem import WEEKDAY_NAMES_SV


class AbsenceDialog(FormDialog):
    """A new absence or one to change: the doctor, the days, the reason, the substitute and
    whether the substitute holds the ÅMV those days (then they need not move)."""

    def __init__(self, doctors: Sequence[DoctorRow], doctor_id: int | None = None,
                 parent: QWidget | None = None, data: AbsenceData | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Redigera frånvaro" if data is not None else "Ny frånvaro")
        self.doctor = QComboBox()
        for d in doctors:
            self.doctor.addItem(d.name, d.id)
        chosen = data.doctor_id if data is not None else doctor_id
        if chosen is not None:
            self.doctor.setCurrentIndex(max(0, self.doctor.findData(chosen)))
        start = data.start if data is not None else todays_date()
        self.start = date_edit(start)
        self.end = date_edit(data.end if data is not None else start + timedelta(days=7))
        self.reason = QLineEdit(data.reason if data is not None else "")
        self.reason.setPlaceholderText("semester, kurs, …")
        self.substitute = QLineEdit(data.substitute if data is not None else "")
        self.substitute.setPlaceholderText("namn på vikarien")
        self.phone = QLineEdit(data.phone if data is not None else "")
        self.phone.setPlaceholderText("t.ex. 070-123 45 67")
        self.by_substitute = QCheckBox("Vikarien håller ÅMV de dagarna")
        self.by_substitute.setToolTip("Då ligger ÅMV kvar under frånvaron; annars planeras de "
                                      "på andra dagar.")
        self.by_substitute.setChecked(data is not None and data.reviews_by_substitute)
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("Läkare", self.doctor)
        form.addRow("Från", self.start)
        form.addRow("Till", self.end)
        form.addRow("Orsak", self.reason)
        form.addRow("Vikarie", self.substitute)
        form.addRow("Telefon", self.phone)
        form.addRow("", self.by_substitute)
        self._finish(form)

    def data(self) -> AbsenceData:
        return AbsenceData(
            doctor_id=int(self.doctor.currentData() or 0),
            start=from_qdate(self.start.date()),
            end=from_qdate(self.end.date()),
            reason=self.reason.text().strip(),
            substitute=self.substitute.text().strip(),
            reviews_by_substitute=self.by_substitute.isChecked(),
            phone=self.phone.text().strip(),
        )

    def check(self) -> list[str]:
        errors = validate_absence(self.data())
        if self.doctor.currentData() is None:
            errors.insert(0, "Välj en läkare.")
        return errors


class DoctorDialog(FormDialog):
    """A new doctor or one to change: name, health centre (an existing one or a new name),
    the separate ÅMV days (rule R6) and ÅMV per day."""

    def __init__(self, data: DoctorData, centres: Sequence[str] = (), title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or (f"Redigera {data.name}" if data.name else "Ny läkare"))
        self.name = QLineEdit(data.name)
        self.health_centre = QComboBox()
        self.health_centre.setEditable(True)
        self.health_centre.addItems(sorted({c for c in centres if c}))
        self.health_centre.setCurrentText(data.health_centre)
        line = self.health_centre.lineEdit()
        assert line is not None  # an editable combo box has its line edit
        line.setPlaceholderText("vårdcentral (välj eller skriv)")
        self.days = [QCheckBox(WEEKDAY_NAMES_SV[i]) for i in range(5)]
        row = QHBoxLayout()
        for i, box in enumerate(self.days):
            box.setChecked(i in data.review_weekdays)
            row.addWidget(box)
        self.per_day = QSpinBox()
        self.per_day.setRange(0, MAX_REVIEWS_PER_DAY)
        self.per_day.setValue(data.reviews_per_day)
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("Namn", self.name)
        form.addRow("Vårdcentral", self.health_centre)
        form.addRow("ÅMV-dagar", row)
        form.addRow("ÅMV per dag", self.per_day)
        note = QLabel("ÅMV-dagar gäller enheter med telefonrond eller ÅMV på separata tider "
                      "(t.ex. LSS).")
        note.setWordWrap(True)
        form.addRow(note)
        self._finish(form)

    def data(self) -> DoctorData:
        return DoctorData(
            name=self.name.text().strip(),
            health_centre=self.health_centre.currentText().strip(),
            review_weekdays=tuple(i for i, b in enumerate(self.days) if b.isChecked()),
            reviews_per_day=self.per_day.value(),
        )

    def value(self) -> tuple[tuple[int, ...], int]:
        """The ÅMV days and ÅMV per day."""
        data = self.data()
        return data.review_weekdays, data.reviews_per_day

    def check(self) -> list[str]:
        return validate_doctor(self.data())


class RetireDialog(FormDialog):
    """The day a doctor stops (the doctor stays in the history)."""

    def __init__(self, name: str, day: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Avsluta {name}")
        self.day = date_edit(day or todays_date())
        self.errors = error_label()
        text = QLabel(f"{name} avslutas som läkare från och med datumet. Planer, frånvaro och "
                      "loggen behåller namnet; läkaren kan inte få nya enheter. Det går att "
                      "återaktivera senare.")
        text.setWordWrap(True)
        form = QFormLayout()
        form.addRow(text)
        form.addRow("Avslutas från", self.day)
        self._finish(form, "Avsluta läkaren")

    def value(self) -> date:
        return from_qdate(self.day.date())

    def set_value(self, day: date) -> None:
        self.day.setDate(to_qdate(day))
