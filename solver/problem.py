"""The planner's input: frozen dataclasses, no behaviour beyond small derived properties.

Names follow the glossary in ``docs/domain.md``. Weekdays are integers 0 = Monday … 4 = Friday
(``datetime.date.weekday()``). Swedish display values of the enums are their ``value``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from enum import StrEnum
from typing import Any  # Any: a memo of lookups of several types


class UnitType(StrEnum):
    NURSING_HOME = "SÄBO"
    SHORT_TERM = "Korttidsboende"
    HOME_CARE = "Ordinärt boende"
    LSS = "LSS"


class RhythmKind(StrEnum):
    WEEKLY = "Varje vecka"
    FORTNIGHTLY = "Varannan vecka"
    TWICE_WEEKLY = "Två gånger i veckan"


class WeekParity(StrEnum):
    ODD = "udda"
    EVEN = "jämna"


class RoundForm(StrEnum):
    PHYSICAL = "Fysisk"
    PHONE = "Telefon"


class PatientStatus(StrEnum):
    ACTIVE = "Aktiv"
    DISCHARGED = "Utskriven"
    DECEASED = "Avliden"


class VisitStatus(StrEnum):
    PLANNED = "Planerad"
    LOCKED = "Låst"
    DONE = "Genomförd"
    DECLINED = "Avböjd"
    CANCELLED = "Inställd"


WEEKDAY_NAMES_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


@dataclass(frozen=True)
class Rhythm:
    """When a unit's rounds take place: kind, weekdays (0 = Monday) and, for fortnightly
    rounds, the ISO week parity."""

    kind: RhythmKind
    weekdays: tuple[int, ...]
    parity: WeekParity | None = None

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise ValueError("Rytmen måste ha minst en veckodag")
        if any(d < 0 or d > 6 for d in self.weekdays):
            raise ValueError(f"Ogiltig veckodag i {self.weekdays}")
        if self.kind is RhythmKind.FORTNIGHTLY and self.parity is None:
            raise ValueError("Varannan vecka kräver udda eller jämna veckor")


@dataclass(frozen=True)
class Doctor:
    """A doctor (fast läkarkontakt). ``review_weekdays`` are the weekdays with separate ÅMV
    times (rule R6), ``reviews_per_day`` their capacity over all such units of the doctor."""

    name: str
    health_centre: str = ""
    review_weekdays: tuple[int, ...] = ()
    reviews_per_day: int = 2


@dataclass(frozen=True)
class Absence:
    """Planned absence of a doctor, both ends inclusive, with an optional substitute."""

    doctor: str
    start: date
    end: date
    reason: str = ""
    substitute: str = ""
    reviews_by_substitute: bool = False  # the substitute holds the ÅMV: the days keep capacity

    @property
    def blocks_reviews(self) -> bool:
        """True when no ÅMV can be held on the absence's days (R4)."""
        return not self.reviews_by_substitute

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Unit:
    """A unit (enhet/boende) with its fixed round rhythm."""

    name: str
    type: UnitType
    doctor: str
    rhythm: Rhythm
    start_time: time = time(9, 0)
    length_min: int = 120
    form: RoundForm = RoundForm.PHYSICAL
    reviews_in_round: bool | None = None  # None = default: yes for physical rounds
    reviews_per_round: int = 1
    nurse: str = ""
    review_minutes: int = 30  # "Minuter per ÅMV": each ÅMV's share of the round (R5b)
    other_minutes: int = 0  # "Övrig tid (min)": kept free in every round for other matters
    extra_dates: tuple[date, ...] = ()  # one-off extra round dates
    cancelled_dates: tuple[date, ...] = ()  # one-off cancelled round dates ("inställd rond")

    @property
    def has_annual_reviews(self) -> bool:
        """Short-term units have no annual planning (R1)."""
        return self.type is not UnitType.SHORT_TERM

    @property
    def reviews_at_rounds(self) -> bool:
        """True when ÅMV are held in the unit's physical rounds (R5), False for R6 units."""
        if self.form is RoundForm.PHONE:
            return False
        return True if self.reviews_in_round is None else self.reviews_in_round


@dataclass(frozen=True)
class Patient:
    """What the plan needs of a patient. ``id`` is stable (the store's key as text)."""

    id: str
    unit: str
    admitted: date
    last_review: date | None = None
    status: PatientStatus = PatientStatus.ACTIVE
    end_date: date | None = None
    excluded: str = ""  # exclusion reason, e.g. "växelvård"; empty = planned
    birth_date: date | None = None
    name: str = ""
    # "Palliativ vård i livets slutskede" from this date: no routine ÅMV from it
    palliative_from: date | None = None
    # the named doctor (fast läkarkontakt) when another than the unit's; "" = the unit's
    doctor: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


def care_unit(unit: Unit, patient: Patient | None) -> Unit:
    """The unit as ``patient``'s ÅMV is held. For a patient whose named doctor (fast
    läkarkontakt) is another than the unit's, the ÅMV is held in that doctor's separate ÅMV
    time (R6): the unit with that doctor and no ÅMV in the round. Otherwise ``unit``."""
    if patient is None or not patient.doctor or patient.doctor == unit.doctor:
        return unit
    return replace(unit, doctor=patient.doctor, reviews_in_round=False)


@dataclass(frozen=True)
class PinnedVisit:
    """An ÅMV that must stay where it is (R10): locked (Låst), done (Genomförd), declined
    (Avböjd) or any ÅMV dated before the planning date (history). Every pinned ÅMV is the
    patient's ÅMV of the year: the patient is not planned again."""

    patient_id: str
    date: date
    status: VisitStatus = VisitStatus.LOCKED


@dataclass(frozen=True)
class PreviousVisit:
    """An ÅMV of the previous plan version, for stability (R10). ``unit`` is the unit the
    ÅMV was planned for (empty = unknown, taken as the patient's unit). ``booked``: the date
    was given out ("Boka", ``suggest --apply``): kept like a frozen one (solver.freeze)."""

    patient_id: str
    date: date
    unit: str = ""
    booked: bool = False


@dataclass(frozen=True)
class CancelledVisit:
    """A cancelled (Inställd) ÅMV: the patient is due again as early as possible, not on
    ``date``."""

    patient_id: str
    date: date


@dataclass(frozen=True)
class Settings:
    year: int
    summer_weeks: tuple[int, ...] = tuple(range(27, 32))
    blocked_periods: tuple[tuple[date, date], ...] = ()
    avoid_bridge_days: bool = False
    new_patient_days: int = 28
    min_interval_months: int = 6
    max_interval_months: int = 12
    preparation_days: int = 14
    time_limit_s: float = 60.0  # converted to CP-SAT deterministic time: never the clock
    seed: int = 0
    workers: int = 0  # processes for independent doctors; 0 = automatic
    plan_from: date | None = None  # the planning date; None = 1 January of the year
    freeze_days: int = 14  # ÅMV in [plan_from, plan_from + freeze_days) keep their date
    # evenness may move saved ÅMV ("Jämna ut hela året"): the order without KEEP_ORDER
    rebalance: bool = False
    # the agreement's floor of doctor time, hours per week per 10 patients (a measure,
    # solver.doctor_time; no planning rule)
    doctor_hours_per_10: float = 1.0

    @property
    def first_day(self) -> date:
        """The first date that can get a new ÅMV: ``plan_from`` or 1 January."""
        first = date(self.year, 1, 1)
        if self.plan_from is None:
            return first
        return min(max(self.plan_from, first), date(self.year + 1, 1, 1))


@dataclass(frozen=True)
class Problem:
    settings: Settings
    doctors: tuple[Doctor, ...]
    units: tuple[Unit, ...]
    patients: tuple[Patient, ...]
    absences: tuple[Absence, ...] = ()
    pinned: tuple[PinnedVisit, ...] = ()
    previous: tuple[PreviousVisit, ...] = ()
    cancelled: tuple[CancelledVisit, ...] = ()
    # minutes booked by matters (ärenden) on a unit's round date: (unit, date) -> minutes (R5b)
    reserved_minutes: Mapping[tuple[str, date], int] = field(
        default_factory=dict, hash=False
    )
    _index: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def year(self) -> int:
        return self.settings.year

    def unit(self, name: str) -> Unit:
        if "units" not in self._index:
            self._index["units"] = {u.name: u for u in self.units}
        unit: Unit = self._index["units"][name]
        return unit

    def has_unit(self, name: str) -> bool:
        if "units" not in self._index:
            self._index["units"] = {u.name: u for u in self.units}
        return name in self._index["units"]

    def patient(self, patient_id: str) -> Patient | None:
        if "patients" not in self._index:
            self._index["patients"] = {p.id: p for p in self.patients}
        found: Patient | None = self._index["patients"].get(patient_id)
        return found

    def patient_unit(self, patient_id: str, unit_name: str) -> Unit:
        """The unit ``unit_name`` as the patient's ÅMV is held there (:func:`care_unit`):
        in the named doctor's ÅMV time for a patient with another doctor than the unit's."""
        unit = self.unit(unit_name)
        patient = self.patient(patient_id)
        if patient is None or patient.unit != unit_name or not self.has_doctor(patient.doctor):
            return unit
        return care_unit(unit, patient)

    def named_units(self) -> tuple[Unit, ...]:
        """The units as held in a named doctor's time, one per such doctor (their pools)."""
        if "named_units" in self._index:
            found: tuple[Unit, ...] = self._index["named_units"]
            return found
        seen: dict[str, Unit] = {}
        for p in self.patients:
            if p.doctor and p.doctor not in seen and self.has_unit(p.unit) \
                    and self.has_doctor(p.doctor):
                unit = self.unit(p.unit)
                if unit.doctor != p.doctor and unit.has_annual_reviews:
                    seen[p.doctor] = care_unit(unit, p)
        self._index["named_units"] = tuple(seen[d] for d in sorted(seen))
        return self.named_units()

    def doctor(self, name: str) -> Doctor:
        if "doctors" not in self._index:
            self._index["doctors"] = {d.name: d for d in self.doctors}
        doctor: Doctor = self._index["doctors"][name]
        return doctor

    def has_doctor(self, name: str) -> bool:
        if "doctors" not in self._index:
            self._index["doctors"] = {d.name: d for d in self.doctors}
        return name in self._index["doctors"]
