"""The validated content of an import workbook, and the errors found in a bad one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from lakarrond.errors import BadInput, Where
from solver.problem import PatientStatus, RhythmKind, RoundForm, UnitType, WeekParity


@dataclass(frozen=True)
class ImportIssue:
    """One bad cell (or a missing sheet/column). ``row`` is the Excel row number."""

    sheet: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        if not self.sheet:
            return self.reason
        where = f"Blad '{self.sheet}'"
        if self.row is not None:
            where += f", rad {self.row}"
        if self.column is not None:
            where += f", kolumn '{self.column}'"
        text = f"{where}: {self.reason}"
        if self.value not in (None, ""):
            text += f' i "{self.value}"'
        return text


class ImportFailed(BadInput):
    """The workbook has errors; nothing may be written. ``issues`` lists all of them;
    ``str()`` gives one line per issue; ``where`` names the first bad cell."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        self.issues = list(issues)
        first = self.issues[0] if self.issues else None
        where = None
        if first is not None and first.sheet:
            where = Where(sheet=first.sheet, row=first.row, column=first.column or "",
                          value=first.value or "")
        super().__init__("\n".join(str(issue) for issue in self.issues), where=where)

    @property
    def errors(self) -> list[str]:
        return [str(issue) for issue in self.issues]


@dataclass(frozen=True)
class DoctorRow:
    row: int
    name: str
    health_centre: str
    review_weekdays: tuple[int, ...] = ()
    reviews_per_day: int = 2


@dataclass(frozen=True)
class AbsenceRow:
    row: int
    doctor: str
    start: date
    end: date
    reason: str = ""
    substitute: str = ""
    phone: str = ""  # "Telefon": the substitute's phone


@dataclass(frozen=True)
class UnitRow:
    row: int
    name: str
    type: UnitType
    doctor: str
    rhythm: RhythmKind
    weekdays: tuple[int, ...]
    parity: WeekParity | None = None
    nurse: str = ""
    start_time: time = time(9, 0)
    length_min: int = 120
    form: RoundForm = RoundForm.PHYSICAL
    reviews_in_round: bool | None = None  # None = default (yes for physical rounds)
    reviews_per_round: int = 1
    review_minutes: int = 30  # "Minuter per ÅMV"
    other_minutes: int = 0  # "Övrig tid (min)"


@dataclass(frozen=True)
class PatientRow:
    row: int
    name: str
    unit: str
    admitted: date
    personnummer: str | None = None  # normalised ÅÅÅÅMMDD-NNNN
    birth_date: date | None = None
    room: str = ""
    last_review: date | None = None
    status: PatientStatus = PatientStatus.ACTIVE
    end_date: date | None = None
    excluded: str = ""
    palliative_from: date | None = None  # "Palliativ från"
    doctor: str = ""  # "Läkare": the named doctor (fast läkarkontakt), "" = the unit's
    nurse: str = ""  # "Sjuksköterska": the named nurse (fast vårdkontakt), "" = the unit's
    no_relatives: bool = False  # "Bjud inte in närstående"


@dataclass(frozen=True)
class ImportSettings:
    """Settings given in the workbook; ``None`` = not given (keep the current value)."""

    year: int | None = None
    summer_weeks: tuple[int, ...] | None = None
    new_patient_days: int | None = None
    max_interval_months: int | None = None
    min_interval_months: int | None = None
    preparation_days: int | None = None
    doctor_hours_per_10: float | None = None  # the floor of doctor time (issue 18)


@dataclass(frozen=True)
class ImportData:
    doctors: tuple[DoctorRow, ...]
    absences: tuple[AbsenceRow, ...]
    units: tuple[UnitRow, ...]
    patients: tuple[PatientRow, ...]
    settings: ImportSettings
    warnings: tuple[ImportIssue, ...] = ()  # cells taken as written but worth a look
