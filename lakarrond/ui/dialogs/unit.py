"""The unit form with the rhythm editor, a live preview of the next round dates (cancelled
ones marked), the doctor-time warning (services.doctor_time: below the agreement's floor
of hours per week per 10 patients, the plan year's rounds and separate ÅMV), minutes per ÅMV
(the clock times), "Övrig tid", the round-time warnings (R5b: the ÅMV and Övrig tid do not
fit in the round, the doctor's rounds overlap; saving is still allowed) and, for a saved
unit, its one-off round dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any  # Any: Qt-role edge: extra_data() returns a different type per role

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from lakarrond.services.doctor_time import unit_form_warning
from lakarrond.services.doctors import DoctorRow
from lakarrond.services.units import (
    REVIEW_MINUTES_RANGE,
    UnitData,
    unit_preview,
    unit_time_warnings,
    validate,
)
from lakarrond.store import Database
from lakarrond.today import today as todays_date
from lakarrond.ui.dialogs.common import Dialog, date_edit, error_label, from_qdate, ok_cancel
from lakarrond.ui.dialogs.round_changes import RoundChangesPanel
from lakarrond.ui.models.table import Column, RowTableModel
from solver.problem import WEEKDAY_NAMES_SV, RhythmKind, RoundForm, UnitType, WeekParity
from solver.rounds import RoundDate


def _status(rd: RoundDate) -> str:
    if rd.cancelled:
        return f"Inställd: {rd.cancel_reason}"
    if rd.substitute or rd.absence_reason:
        return f"Läkaren borta ({rd.absence_reason}); vikarie {rd.substitute or 'saknas'}"
    status = "ÅMV möjlig" if rd.reviews_possible else "Rond"
    return f"Extra rond – {status.lower()}" if rd.extra else status


class PreviewModel(RowTableModel[RoundDate]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column("Datum", lambda r: r.date),
                Column("Dag", lambda r: WEEKDAY_NAMES_SV[r.date.weekday()]),
                Column("Vecka", lambda r: r.week),
                Column("Tid", lambda r: r.start_time.strftime("%H:%M")),
                Column("Status", _status),
            ],
            parent,
        )

    def extra_data(self, row: RoundDate, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.cancelled:
            return QBrush(QColor("#f3e0e0"))
        return None


class UnitDialog(Dialog):
    def __init__(self, db: Database, doctors: Sequence[DoctorRow], data: UnitData | None = None,
                 patients: int = 0, preview_from: date | None = None,
                 parent: QWidget | None = None, round_changes: RoundChangesPanel | None = None,
                 unit_id: int | None = None, year: int | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit_id = unit_id
        self.year = year if year is not None else (preview_from or todays_date()).year
        self.patients = patients
        self.setWindowTitle("Redigera enhet" if data else "Ny enhet")
        self.name = QLineEdit()
        self.type = QComboBox()
        self.type.addItems([t.value for t in UnitType])
        self.doctor = QComboBox()
        for d in doctors:
            self.doctor.addItem(d.name, d.id)
        self.nurse = QLineEdit()
        self.rhythm = QComboBox()
        self.rhythm.addItems([k.value for k in RhythmKind])
        self.parity = QComboBox()
        self.parity.addItems([p.value for p in WeekParity])
        self.days = [QCheckBox(WEEKDAY_NAMES_SV[i]) for i in range(5)]
        days_row = QHBoxLayout()
        for box in self.days:
            days_row.addWidget(box)
        self.start = QTimeEdit()
        self.start.setDisplayFormat("HH:mm")
        self.length = QSpinBox()
        self.length.setRange(1, 600)
        self.length.setSuffix(" min")
        self.form = QComboBox()
        self.form.addItems([f.value for f in RoundForm])
        self.in_round = QCheckBox("ÅMV hålls i ronden")
        self.per_round = QSpinBox()
        self.per_round.setRange(0, 20)
        self.review_minutes = QSpinBox()
        self.review_minutes.setRange(*REVIEW_MINUTES_RANGE)
        self.review_minutes.setSuffix(" min")
        self.review_minutes.setToolTip("Ger klockslagen på rondschemat och i kalenderfilen: "
                                       "rondens start + antal ÅMV före × minuter per ÅMV.")
        self.other_minutes = QSpinBox()
        self.other_minutes.setRange(0, 600)
        self.other_minutes.setSuffix(" min")
        self.other_minutes.setToolTip("Tid i varje rond som hålls fri för annat än ÅMV "
                                      "(hembesök, avstämning med sjuksköterskan).")
        self.preview_from = date_edit(preview_from or todays_date())
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #9a5b00; font-weight: bold;")
        self.warning.setWordWrap(True)
        self.errors = error_label()
        self.preview = PreviewModel(self)
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview)
        self.preview_view.verticalHeader().hide()
        self.preview_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.preview_view.horizontalHeader().setStretchLastSection(True)

        form = QFormLayout()
        form.addRow("Enhet", self.name)
        form.addRow("Typ", self.type)
        form.addRow("Läkare", self.doctor)
        form.addRow("Sjuksköterska", self.nurse)
        form.addRow("Rytm", self.rhythm)
        form.addRow("Veckor", self.parity)
        form.addRow("Veckodagar", days_row)
        form.addRow("Starttid", self.start)
        form.addRow("Längd", self.length)
        form.addRow("Rondform", self.form)
        form.addRow("", self.in_round)
        form.addRow("ÅMV per rond", self.per_round)
        form.addRow("Minuter per ÅMV", self.review_minutes)
        form.addRow("Övrig tid (min)", self.other_minutes)
        right = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Kommande rondtillfällen</b> från"))
        head.addWidget(self.preview_from)
        head.addStretch()
        right.addLayout(head)
        right.addWidget(self.preview_view)
        if round_changes is not None:
            right.addWidget(round_changes)
            round_changes.rows_changed.connect(self.refresh)
        body = QHBoxLayout()
        body.addLayout(form)
        body.addLayout(right, 1)
        buttons = ok_cancel(self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.warning)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.resize(900, 640 if round_changes is not None else 480)

        self.set_data(data or UnitData(
            name="", type=UnitType.NURSING_HOME.value, doctor_id=int(self.doctor.itemData(0) or 0),
            rhythm_kind=RhythmKind.WEEKLY.value, weekdays=(0,),
        ))
        for signal in (self.rhythm.currentTextChanged, self.parity.currentTextChanged,
                       self.form.currentTextChanged, self.doctor.currentIndexChanged,
                       self.type.currentTextChanged, self.start.timeChanged,
                       self.length.valueChanged, self.per_round.valueChanged,
                       self.review_minutes.valueChanged, self.other_minutes.valueChanged,
                       self.in_round.toggled, self.preview_from.dateChanged):
            signal.connect(self.refresh)
        for box in self.days:
            box.toggled.connect(self.refresh)
        self.refresh()

    def set_data(self, data: UnitData) -> None:
        self.name.setText(data.name)
        self.type.setCurrentText(data.type)
        self.doctor.setCurrentIndex(max(0, self.doctor.findData(data.doctor_id)))
        self.nurse.setText(data.nurse)
        self.rhythm.setCurrentText(data.rhythm_kind)
        self.parity.setCurrentText(data.parity or WeekParity.ODD.value)
        for i, box in enumerate(self.days):
            box.setChecked(i in data.weekdays)
        self.start.setTime(QTime(data.start_time.hour, data.start_time.minute))
        self.length.setValue(data.length_min)
        self.form.setCurrentText(data.form)
        self.in_round.setChecked(data.reviews_in_round is not False)
        self.per_round.setValue(data.reviews_per_round)
        self.review_minutes.setValue(data.review_minutes)
        self.other_minutes.setValue(data.other_minutes)

    def data(self) -> UnitData:
        kind = self.rhythm.currentText()
        form = self.form.currentText()
        return UnitData(
            name=self.name.text().strip(),
            type=self.type.currentText(),
            doctor_id=int(self.doctor.currentData() or 0),
            rhythm_kind=kind,
            weekdays=tuple(i for i, box in enumerate(self.days) if box.isChecked()),
            parity=self.parity.currentText() if kind == RhythmKind.FORTNIGHTLY else None,
            nurse=self.nurse.text().strip(),
            start_time=time(self.start.time().hour(), self.start.time().minute()),
            length_min=self.length.value(),
            form=form,
            reviews_in_round=None if self.in_round.isChecked() else False,
            reviews_per_round=self.per_round.value(),
            review_minutes=self.review_minutes.value(),
            other_minutes=self.other_minutes.value(),
        )

    def refresh(self) -> None:
        """Update the preview, the enabled fields and the doctor-time and round-time
        warnings."""
        data = self.data()
        fortnightly = data.rhythm_kind == RhythmKind.FORTNIGHTLY
        self.parity.setEnabled(fortnightly)
        phone = data.form == RoundForm.PHONE
        self.in_round.setEnabled(not phone)
        self.per_round.setEnabled(not phone and self.in_round.isChecked())
        warnings = [unit_form_warning(self.db, self.year, data, self.patients, self.unit_id),
                    *unit_time_warnings(self.db, data, self.unit_id)]
        self.warning.setText("\n".join(w for w in warnings if w))
        self.warning.setVisible(bool(self.warning.text()))
        errors = [e for e in validate(data) if "namn" not in e]
        if errors:
            self.preview.set_rows([])
            self.errors.setText("\n".join(errors))
            self.errors.show()
            return
        self.errors.hide()
        try:
            rows = unit_preview(self.db, data, from_qdate(self.preview_from.date()), 12,
                                self.unit_id)
        except ValueError as exc:
            self.preview.set_rows([])
            self.errors.setText(str(exc))
            self.errors.show()
            return
        self.preview.set_rows(rows)

    def accept(self) -> None:
        errors = validate(self.data())
        if self.doctor.currentData() is None:
            errors.insert(0, "Välj en läkare (lägg först in läkare, t.ex. genom import).")
        if errors:
            self.errors.setText("\n".join(errors))
            self.errors.show()
            return
        super().accept()
