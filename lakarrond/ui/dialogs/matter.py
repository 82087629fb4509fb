"""The matter (ärende) dialogs of Veckan (issue 21.2, 21.4): book a matter in a unit's round
(kind, patient, minutes, who raises it, note) and record one after the round (Flyttad till
nästa rond with a date, Struken with a reason, a held Vårdplanering vid försämring "Räknas
som ÅMV")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from lakarrond.matter import MAX_MINUTES, WITHOUT_PATIENT, MatterKind, MatterStatus, Role
from lakarrond.today import today as todays_date
from lakarrond.ui.dialogs.common import FormDialog, date_edit, error_label, from_qdate

NO_PATIENT = "(ingen patient)"


@dataclass(frozen=True)
class Booking:
    """A matter to book, as :func:`lakarrond.services.matters.book` takes it."""

    unit: str
    day: date
    kind: str
    patient: int | None = None
    minutes: int | None = None
    by_role: str = ""
    by_name: str = ""
    note: str = ""


class BookMatterDialog(FormDialog):
    """Book a matter: unit and date prefilled from the round chosen in Veckan;
    ``patients``: per unit the (patient id, "Namn (ÅÅMMDD-****)") to choose among;
    ``minutes``: the default minutes per kind."""

    def __init__(self, units: Sequence[str], unit: str, day: date,
                 patients: Mapping[str, Sequence[tuple[int, str]]],
                 minutes: Mapping[MatterKind, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Boka ärende")
        self.patients, self.minutes_of = patients, minutes
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in MatterKind])
        self.unit = QComboBox()
        self.unit.addItems(list(units))
        self.unit.setCurrentText(unit)
        self.day = date_edit(day)
        self.patient = QComboBox()
        self.patient.setEditable(True)  # type to search the unit's patients
        self.patient.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, MAX_MINUTES)
        self.minutes.setSuffix(" min")
        self.role = QComboBox()
        self.role.addItems([""] + [r.value for r in Role])
        self.role.setCurrentText(Role.NURSE.value)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Vem tar upp ärendet")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Förändring i hälsotillståndet, vad läkaren behöver veta "
                                     "(skrivs bara ut på planeringsunderlaget)")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(80)
        self.errors = error_label(self)
        form = QFormLayout()
        form.addRow("Typ:", self.kind)
        form.addRow("Enhet:", self.unit)
        form.addRow("Datum:", self.day)
        form.addRow("Patient:", self.patient)
        form.addRow("Minuter:", self.minutes)
        form.addRow("Tas upp av:", self.role)
        form.addRow("Namn:", self.name)
        form.addRow("Anteckning:", self.note)
        self._finish(form, "Boka")
        self.kind.currentTextChanged.connect(lambda _t: self._kind_chosen())
        self.unit.currentTextChanged.connect(lambda _t: self._fill_patients())
        self._fill_patients()
        self._kind_chosen()

    def _fill_patients(self) -> None:
        self.patient.clear()
        self.patient.addItem(NO_PATIENT, None)
        for pid, label in self.patients.get(self.unit.currentText(), ()):
            self.patient.addItem(label, pid)
        completer = QCompleter([self.patient.itemText(i) for i in range(self.patient.count())],
                               self.patient)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.patient.setCompleter(completer)

    def _kind_chosen(self) -> None:
        kind = MatterKind(self.kind.currentText())
        self.minutes.setValue(self.minutes_of.get(kind, 15))

    def patient_id(self) -> int | None:
        found = self.patient.findText(self.patient.currentText())
        return self.patient.itemData(found) if found > 0 else None

    def check(self) -> list[str]:
        kind = MatterKind(self.kind.currentText())
        text = self.patient.currentText().strip()
        if text and text != NO_PATIENT and self.patient_id() is None:
            return [f"Patienten \"{text}\" finns inte på {self.unit.currentText()}."]
        if kind not in WITHOUT_PATIENT and self.patient_id() is None:
            return [f"Ett ärende av typen {kind} gäller en patient – välj patienten."]
        return []

    def values(self) -> Booking:
        return Booking(self.unit.currentText(), from_qdate(self.day.date()),
                       self.kind.currentText(), self.patient_id(), self.minutes.value(),
                       self.role.currentText(), self.name.text().strip(),
                       self.note.toPlainText().strip())


class RecordMatterDialog(FormDialog):
    """Record a matter Flyttad (a date: the unit's next round with time prefilled) or
    Struken (a reason, required) – or Genomförd with "Räknas som ÅMV" when it may count."""

    def __init__(self, status: MatterStatus, what: str, next_date: date | None = None,
                 may_count: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        titles = {MatterStatus.MOVED: "Flytta ärendet till nästa rond",
                  MatterStatus.STRUCK: "Stryk ärendet", MatterStatus.DONE: "Ärendet genomfört"}
        self.setWindowTitle(titles.get(status, status.value))
        self.day = date_edit(next_date or todays_date())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Varför ärendet stryks")
        self.counts = QCheckBox("Räknas som ÅMV")
        self.counts.setToolTip("Vårdplaneringen vid försämring är patientens medicinska "
                               "vårdplanering: nästa ÅMV räknas från den")
        self.errors = error_label(self)
        form = QFormLayout()
        form.addRow(QLabel(what))
        if status is MatterStatus.MOVED:
            form.addRow("Ny rond:", self.day)
            if next_date is None:
                form.addRow(QLabel("Ingen senare rond med tid hittades – välj ett datum."))
        if status is MatterStatus.STRUCK:
            form.addRow("Orsak:", self.reason)
        if status is MatterStatus.DONE and may_count:
            form.addRow(self.counts)
        self._finish(form, "Registrera")

    def check(self) -> list[str]:
        if self.status is MatterStatus.STRUCK and not self.reason.text().strip():
            return ["Ange varför ärendet stryks."]
        return []

    def new_date(self) -> date | None:
        return from_qdate(self.day.date()) if self.status is MatterStatus.MOVED else None
