"""The patient form (the only place the full personnummer is shown), discharge and the
small choice dialogs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from lakarrond.services.doctors import DoctorRow
from lakarrond.services.patients import PatientData, validate
from lakarrond.services.units import UnitRow
from lakarrond.ui.dialogs.common import (
    Dialog,
    date_edit,
    error_label,
    from_qdate,
    ok_cancel,
    to_qdate,
)
from solver.problem import PatientStatus


class PatientDialog(Dialog):
    """Add or edit a patient; validation messages in Swedish under the form."""

    def __init__(self, units: Sequence[UnitRow], data: PatientData | None = None,
                 parent: QWidget | None = None, doctors: Sequence[DoctorRow] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Redigera patient" if data else "Ny patient")
        self.units = {u.id: u for u in units}
        self.doctors = list(doctors)
        self.name = QLineEdit()
        self.personnummer = QLineEdit()
        self.personnummer.setPlaceholderText("ÅÅÅÅMMDD-NNNN (valfritt)")
        self.unit = QComboBox()
        for u in units:
            self.unit.addItem(u.data.name, u.id)
        self.room = QLineEdit()
        # the named contacts (fast läkarkontakt, fast vårdkontakt): empty = the unit's
        self.doctor = QComboBox()
        self.doctor.setToolTip("Patientens namngivna läkare, t.ex. när patienten behåller sin "
                               "tidigare läkare. ÅMV planeras då på den läkarens ÅMV-dagar.")
        self.nurse = QLineEdit()
        self.nurse.setToolTip("Patientens namngivna sjuksköterska. Tomt = enhetens.")
        self.admitted = date_edit()
        self.has_last = QCheckBox("Har en registrerad ÅMV")
        self.last_review = date_edit()
        self.status = QComboBox()
        self.status.addItems([s.value for s in PatientStatus])
        self.end_date = date_edit()
        self.excluded = QLineEdit()
        self.excluded.setPlaceholderText("tomt = planeras; annars orsak, t.ex. växelvård")
        self.has_palliative = QCheckBox("Palliativ vård i livets slutskede")
        self.has_palliative.setToolTip("Ett brytpunktsamtal bokas vid nästa rond med tid, och "
                                       "ingen rutinmässig ÅMV planeras från datumet.")
        self.palliative_from = date_edit()
        self.no_relatives = QCheckBox("Bjud inte in närstående")
        self.no_relatives.setToolTip("Enligt överenskommelse med patienten: steget som bjuder "
                                     "in närstående tas bort ur patientens förberedelse.")
        self.errors = error_label()

        form = QFormLayout()
        form.addRow("Namn", self.name)
        form.addRow("Personnummer", self.personnummer)
        form.addRow("Enhet", self.unit)
        form.addRow("Rum/adress", self.room)
        form.addRow("Läkare", self.doctor)
        form.addRow("Sjuksköterska", self.nurse)
        form.addRow("Inskriven", self.admitted)
        form.addRow("", self.has_last)
        form.addRow("Senaste ÅMV", self.last_review)
        form.addRow("Status", self.status)
        form.addRow("Slutdatum", self.end_date)
        form.addRow("Undantag", self.excluded)
        form.addRow("", self.has_palliative)
        form.addRow("Palliativ från", self.palliative_from)
        form.addRow("Närstående", self.no_relatives)
        buttons = ok_cancel(self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

        self.has_last.toggled.connect(self.last_review.setEnabled)
        self.has_palliative.toggled.connect(self.palliative_from.setEnabled)
        self.status.currentTextChanged.connect(self._status_changed)
        self._fill_doctors(None)
        self.unit.currentIndexChanged.connect(lambda _i: self._fill_doctors(self._doctor_id()))
        if data is not None:
            self.set_data(data)
        else:
            self.has_last.setChecked(False)
            self.last_review.setEnabled(False)
            self.palliative_from.setEnabled(False)
            self._status_changed(self.status.currentText())

    def _doctor_id(self) -> int | None:
        value = self.doctor.currentData()
        return int(value) if value is not None else None

    def _fill_doctors(self, chosen: int | None) -> None:
        """"Enhetens läkare (NN)" first, then the other doctors (a retired one, or the
        unit's own, only when it is the patient's); the nurse's placeholder is the unit's."""
        unit = self.units.get(int(self.unit.currentData() or 0))
        self.doctor.blockSignals(True)
        self.doctor.clear()
        self.doctor.addItem(f"Enhetens läkare ({unit.doctor})" if unit else "Enhetens läkare",
                            None)
        for d in self.doctors:
            if (not d.retired and (unit is None or d.name != unit.doctor)) or d.id == chosen:
                self.doctor.addItem(d.name, d.id)
        self.doctor.setCurrentIndex(max(0, self.doctor.findData(chosen))
                                    if chosen is not None else 0)
        self.doctor.blockSignals(False)
        nurse = unit.data.nurse if unit else ""
        self.nurse.setPlaceholderText(f"Enhetens sjuksköterska ({nurse})" if nurse
                                      else "tomt = enhetens sjuksköterska")

    def _status_changed(self, text: str) -> None:
        self.end_date.setEnabled(text != PatientStatus.ACTIVE)

    def set_data(self, data: PatientData) -> None:
        self.name.setText(data.name)
        self.personnummer.setText(data.personnummer or "")
        self.unit.setCurrentIndex(max(0, self.unit.findData(data.unit_id)))
        self.room.setText(data.room)
        self._fill_doctors(data.doctor_id)
        self.nurse.setText(data.nurse)
        self.admitted.setDate(to_qdate(data.admitted))
        self.has_last.setChecked(data.last_review is not None)
        self.last_review.setEnabled(data.last_review is not None)
        if data.last_review:
            self.last_review.setDate(to_qdate(data.last_review))
        self.status.setCurrentText(data.status)
        if data.end_date:
            self.end_date.setDate(to_qdate(data.end_date))
        self._status_changed(data.status)
        self.excluded.setText(data.excluded)
        self.has_palliative.setChecked(data.palliative_from is not None)
        self.palliative_from.setEnabled(data.palliative_from is not None)
        if data.palliative_from:
            self.palliative_from.setDate(to_qdate(data.palliative_from))
        self.no_relatives.setChecked(data.no_relatives)

    def data(self) -> PatientData:
        status = self.status.currentText()
        return PatientData(
            name=self.name.text().strip(),
            unit_id=int(self.unit.currentData() or 0),
            admitted=from_qdate(self.admitted.date()),
            personnummer=self.personnummer.text().strip() or None,
            room=self.room.text().strip(),
            last_review=from_qdate(self.last_review.date()) if self.has_last.isChecked()
            else None,
            status=status,
            end_date=None if status == PatientStatus.ACTIVE
            else from_qdate(self.end_date.date()),
            excluded=self.excluded.text().strip(),
            palliative_from=from_qdate(self.palliative_from.date())
            if self.has_palliative.isChecked() else None,
            doctor_id=self._doctor_id(),
            nurse=self.nurse.text().strip(),
            no_relatives=self.no_relatives.isChecked(),
        )

    def accept(self) -> None:
        errors = validate(self.data())
        if self.unit.currentData() is None:
            errors.insert(0, "Välj en enhet (lägg först in en enhet under Enheter).")
        if errors:
            self.errors.setText("\n".join(errors))
            self.errors.show()
            return
        self.errors.hide()
        super().accept()


class DischargeDialog(Dialog):
    """Utskrivning or death with a date."""

    def __init__(self, name: str, deceased: bool = False, admitted: date | None = None,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Avliden" if deceased else "Skriv ut patient")
        self.day = date_edit(today)
        self.admitted = admitted
        self.deceased = deceased
        self.today = today
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("Patient", QLineEdit(name, readOnly=True))
        form.addRow("Avliden den" if deceased else "Utskriven den", self.day)
        buttons = ok_cancel(self, "Avliden" if deceased else "Skriv ut")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

    def value(self) -> date:
        return from_qdate(self.day.date())

    def accept(self) -> None:
        if self.admitted is not None and self.value() < self.admitted:
            self.errors.setText("Datumet ligger före inskrivningsdatum.")
            self.errors.show()
            return
        if self.deceased and self.today is not None and self.value() > self.today:
            self.errors.setText(f"Datumet ligger efter dagens datum ({self.today.isoformat()}): "
                                "ange dödsdatumet när det har hänt.")
            self.errors.show()
            return
        super().accept()


class ChoiceDialog(Dialog):
    """Pick one of several values (or type a text when ``editable``)."""

    def __init__(self, title: str, label: str, choices: Sequence[tuple[str, object]],
                 editable: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.combo = QComboBox()
        self.combo.setEditable(editable)
        for text, value in choices:
            self.combo.addItem(text, value)
        form = QFormLayout()
        form.addRow(label, self.combo)
        buttons = ok_cancel(self, "OK")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> object:
        if self.combo.isEditable():
            return self.combo.currentText().strip()
        return self.combo.currentData()
