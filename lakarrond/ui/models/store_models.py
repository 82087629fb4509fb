"""The app's table models: patients, units, doctors, absences, ÅMV, broken rules, rounds."""

from __future__ import annotations

from typing import Any  # Any: Qt-role edge: extra_data() returns a different type per role

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from lakarrond.document import AnnualReview, RoundEntry
from lakarrond.phone import substitute_text
from lakarrond.services.doctors import AbsenceRow, DoctorRow
from lakarrond.services.patients import PatientRow
from lakarrond.services.units import UnitRow
from lakarrond.ui.models.cancelled import WITHDRAWN
from lakarrond.ui.models.table import Column, RowTableModel
from lakarrond.wording import DOCTOR_HOURS, DOCTOR_TIME_PER_10
from solver.problem import WEEKDAY_NAMES_SV, PatientStatus, VisitStatus
from solver.result import DoctorTime

MUTED = QColor("#7a7a7a")
LOCKED_BG = QColor("#fff4cc")
DONE_BG = QColor("#dff0d8")
WARN_BG = QColor("#fde2e1")
LATE_BG = QColor("#f6c6c2")  # late preparation (as in Veckan)


def _next_tip(row: PatientRow) -> str:
    if row.prep_late:
        return "Förberedelsen är sen: " + ", ".join(row.late_steps)
    return "" if row.next_review is None else "Nästa ÅMV i årets plan"


def weekday_names(days: tuple[int, ...]) -> str:
    return ", ".join(WEEKDAY_NAMES_SV[d] for d in days)


class PatientModel(RowTableModel[PatientRow]):
    UNIT_COLUMN = 2
    NEXT_COLUMN = 8
    STATUS_COLUMN = 9

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Namn", lambda r: r.data.name),
                Column("Personnummer", lambda r: r.masked),
                Column("Enhet", lambda r: r.unit),
                Column("Läkare", lambda r: r.doctor),  # the named one, else the unit's
                Column("Sjuksköterska", lambda r: r.nurse),
                Column("Rum", lambda r: r.data.room),
                Column("Inskriven", lambda r: r.data.admitted),
                Column("Senaste ÅMV", lambda r: r.data.last_review),
                Column("Nästa ÅMV", lambda r: r.next_review, _next_tip),
                Column("Status", lambda r: r.data.status),
                Column("Slutdatum", lambda r: r.data.end_date),
                Column("Undantag", lambda r: r.data.excluded),
            ],
            parent,
        )

    def extra_data(self, row: PatientRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and (
            row.data.status != PatientStatus.ACTIVE or row.data.excluded
        ):
            return QBrush(MUTED)
        if row.prep_late and column in (0, self.NEXT_COLUMN):
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(LATE_BG)
            if role == Qt.ItemDataRole.ToolTipRole:
                return _next_tip(row)
        return None

    def find(self, patient_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == patient_id), -1)


def _hours(t: DoctorTime | None) -> float | None:
    return None if t is None else t.hours_per_week


def _per_10(t: DoctorTime | None) -> float | None:
    return None if t is None else t.per_10


def _time_tip(row: UnitRow | DoctorRow) -> str:
    """The doctor-time cells' tooltip: the below-floor line, or how the figure is made."""
    return row.doctor_time_note or (
        "Läkartid per vecka: rondernas och de separata ÅMV-tidernas minuter under året / 52 "
        "veckor (restid räknas inte)" if row.doctor_time is not None else "")


def _below_floor_brush(t: DoctorTime | None, column: int, role: int, per_10: int) -> Any:
    """Below the floor: the doctor-time cells pink (the whole row's per-10 figure)."""
    if (role == Qt.ItemDataRole.BackgroundRole and t is not None and t.below_floor
            and column in (per_10 - 1, per_10)):
        return QBrush(WARN_BG)
    return None


class UnitModel(RowTableModel[UnitRow]):
    DOCTOR_COLUMN = 2
    PER_10_COLUMN = 12

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Enhet", lambda r: r.data.name),
                Column("Typ", lambda r: r.data.type),
                Column("Läkare", lambda r: r.doctor),
                Column("Sjuksköterska", lambda r: r.data.nurse),
                Column("Rytm", lambda r: r.data.rhythm_kind
                       + (f" ({r.data.parity})" if r.data.parity else "")),
                Column("Veckodagar", lambda r: weekday_names(r.data.weekdays)),
                Column("Start", lambda r: r.data.start_time.strftime("%H:%M")),
                Column("Längd (min)", lambda r: r.data.length_min),
                Column("Rondform", lambda r: r.data.form),
                Column("ÅMV per rond", lambda r: r.data.reviews_per_round),
                Column("Patienter", lambda r: r.patients),
                Column(DOCTOR_HOURS, lambda r: _hours(r.doctor_time), _time_tip),
                Column(DOCTOR_TIME_PER_10, lambda r: _per_10(r.doctor_time), _time_tip),
                Column("Minuter per ÅMV", lambda r: r.data.review_minutes),
            ],
            parent,
        )

    def extra_data(self, row: UnitRow, column: int, role: int) -> Any:
        return _below_floor_brush(row.doctor_time, column, role, self.PER_10_COLUMN)


def doctor_status(row: DoctorRow) -> str:
    return f"avslutad {row.retired_on.isoformat()}" if row.retired_on else "aktiv"


class DoctorModel(RowTableModel[DoctorRow]):
    """The doctors; a retired one is grey and says "avslutad <date>"; the doctor time
    against the agreement, pink below the floor."""

    PER_10_COLUMN = 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Läkare", lambda r: r.name),
                Column("Vårdcentral", lambda r: r.health_centre),
                Column("ÅMV-dagar", lambda r: weekday_names(r.review_weekdays)),
                Column("ÅMV per dag", lambda r: r.reviews_per_day),
                Column("Enheter", lambda r: ", ".join(r.units)),
                Column(DOCTOR_HOURS, lambda r: _hours(r.doctor_time), _time_tip),
                Column(DOCTOR_TIME_PER_10, lambda r: _per_10(r.doctor_time), _time_tip),
                Column("Status", doctor_status),
            ],
            parent,
        )

    def extra_data(self, row: DoctorRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.retired:
            return QBrush(MUTED)
        return _below_floor_brush(row.doctor_time, column, role, self.PER_10_COLUMN)


class AbsenceModel(RowTableModel[AbsenceRow]):
    DOCTOR_COLUMN = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Läkare", lambda r: r.doctor),
                Column("Från", lambda r: r.data.start),
                Column("Till", lambda r: r.data.end),
                Column("Orsak", lambda r: r.data.reason),
                Column("Vikarie", lambda r: r.data.substitute),
                Column("Telefon", lambda r: r.data.phone),
                Column("Vikarien håller ÅMV", lambda r: r.data.reviews_by_substitute),
            ],
            parent,
        )


class VisitModel(RowTableModel[AnnualReview]):
    """The plan's ÅMV."""

    DOCTOR_COLUMN = 3
    UNIT_COLUMN = 4
    STATUS_COLUMN = 8  # the model's own test checks each constant names its column

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Datum", lambda r: r.date),
                Column("Vecka", lambda r: r.week),
                Column("Veckodag", lambda r: r.weekday),
                Column("Läkare", lambda r: r.doctor),
                Column("Enhet", lambda r: r.unit),
                Column("Patient", lambda r: r.patient),
                Column("Personnummer", lambda r: r.masked),
                Column("Förberedelse",
                       lambda r: "" if r.status == VisitStatus.CANCELLED
                       else r.preparation),
                Column("Status", lambda r: r.status),
                Column("Orsak", lambda r: r.reason if r.status in WITHDRAWN else ""),
            ],
            parent,
        )

    def extra_data(self, row: AnnualReview, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.status in WITHDRAWN:
            return QBrush(MUTED)  # not held: greyed, with its reason
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.status == VisitStatus.LOCKED:
                return QBrush(LOCKED_BG)
            if row.status == VisitStatus.DONE:
                return QBrush(DONE_BG)
        if role == Qt.ItemDataRole.FontRole and row.moved_from is not None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and row.moved_from is not None:
            return f"Flyttad från {row.moved_from.isoformat()} vid senaste planeringen"
        return None

    def find_patient(self, patient_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.patient_id == patient_id), -1)


class RoundModel(RowTableModel[RoundEntry]):
    """The round schedule with the number of ÅMV in each round."""

    UNIT_COLUMN = 3
    DOCTOR_COLUMN = 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Datum", lambda r: r.date),
                Column("Vecka", lambda r: r.week),
                Column("Tid", lambda r: r.start),
                Column("Enhet", lambda r: r.unit),
                Column("Läkare", lambda r: r.doctor),
                Column("Rondform", lambda r: r.form),
                Column("ÅMV", lambda r: r.reviews),
                Column("Inställd", lambda r: r.cancel_reason),
                Column("Vikarie", lambda r: substitute_text(r.substitute, r.substitute_phone)),
            ],
            parent,
        )

    def extra_data(self, row: RoundEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.cancelled:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.FontRole and row.cancelled:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None
