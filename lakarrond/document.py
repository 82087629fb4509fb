"""The saved plan as one typed, frozen document: :class:`PlanDocument`.

Built in one place from the store (:mod:`lakarrond.services.document`); every reader takes
it: the JSON of contracts §3 (:meth:`PlanDocument.to_json`), the Excel and calendar writers,
the printouts, the window's models and the command line. Nothing here touches the store or
Qt; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from functools import cached_property
from typing import Any  # Any: JSON edge: to_json() of the contract

from lakarrond import pnr
from lakarrond.today import today as todays_date
from solver.problem import WEEKDAY_NAMES_SV, Settings, VisitStatus
from solver.result import FixAction

DEFAULT_REVIEW_MINUTES = 30  # minutes per ÅMV when a unit does not say
DEFAULT_REVIEW_DAY_START = time(13, 0)  # the first ÅMV time on separate ÅMV days


def week_ranges(weeks: Iterable[int]) -> str:
    """(27, 28, 29, 30, 31) → "27-31"; (10, 27, 28) → "10, 27-28"."""
    parts: list[str] = []
    ordered = sorted(set(weeks))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ", ".join(parts)


def json_number(value: float) -> float | int:
    """A float that is a whole number is written as an integer (``1234.0`` → ``1234``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class AnnualReview:
    """One ÅMV of the plan (an appointment in contracts §3)."""

    date: dt.date
    doctor: str
    unit: str
    patient: str
    personnummer: str | None
    preparation: dt.date
    status: str  # a VisitStatus value
    room: str = ""
    patient_id: int = 0
    unit_type: str = ""
    visit_id: int = 0
    visit_version: int = 0
    moved_from: dt.date | None = None  # the date in the previous plan version, when it differs
    reason: str = ""  # the recorded reason of an outcome (Avböjd, Inställd)
    needs_new_date: str = ""  # why the date cannot be held any more (rhythm, absence …)
    start: str | None = None  # "HH:MM", the clock time (lakarrond.timetable); None: none

    @property
    def week(self) -> int:
        return self.date.isocalendar().week

    @property
    def weekday(self) -> str:
        return WEEKDAY_NAMES_SV[self.date.weekday()]

    @property
    def masked(self) -> str:
        """The personnummer as views show it (``19380412-****``)."""
        return pnr.mask(self.personnummer)

    @property
    def pinned(self) -> bool:
        return self.status in (VisitStatus.LOCKED, VisitStatus.DONE,
                               VisitStatus.DECLINED)

    @property
    def recorded(self) -> bool:
        """Held or declined: the outcome is recorded."""
        return self.status in (VisitStatus.DONE, VisitStatus.DECLINED)

    def unrecorded_on(self, today: dt.date) -> bool:
        """Past and still Planerad on ``today``: "ej registrerad"."""
        return self.status == VisitStatus.PLANNED and self.date < today

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "week": self.week,
            "doctor": self.doctor,
            "unit": self.unit,
            "patient": self.patient,
            "personnummer": self.personnummer,
            "preparation": self.preparation.isoformat(),
            "status": self.status,
            "start": self.start,
        }


@dataclass(frozen=True)
class PlanWarning:
    """R5b: round settings that do not fit, or rounds of one doctor that overlap; the
    message names every unit concerned (``units``), ``unit`` is the first."""

    units: tuple[str, ...]
    doctor: str
    message: str
    kind: str = ""  # "not_fit" or "overlap" (solver.round_time)
    fix: str = ""  # what to do, in Swedish

    @property
    def unit(self) -> str:
        return self.units[0] if self.units else ""

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "doctor": self.doctor, "message": self.message}


@dataclass(frozen=True)
class RoundEntry:
    """One date of a unit's round rhythm, as the round schedule shows it."""

    date: dt.date
    unit: str
    doctor: str
    start: str  # "HH:MM"
    length_min: int
    form: str  # a RoundForm value
    cancelled: bool = False
    cancel_reason: str = ""
    substitute: str = ""
    reviews: int = 0  # ÅMV of the plan held in this round (lakarrond.timetable.held_round)

    @property
    def week(self) -> int:
        return self.date.isocalendar().week


@dataclass(frozen=True)
class UnplacedEntry:
    patient: str
    unit: str
    reason: str
    patient_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"patient": self.patient, "unit": self.unit, "reason": self.reason}


@dataclass(frozen=True)
class NotRequiredEntry:
    """A patient who needs no ÅMV in this plan, with the Swedish reason (R1)."""

    patient: str
    unit: str
    reason: str
    personnummer: str | None = None
    patient_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"patient": self.patient, "personnummer": self.personnummer,
                "unit": self.unit, "reason": self.reason}


@dataclass(frozen=True)
class ViolationEntry:
    """A broken rule with its Swedish reason and fix."""

    rule: str
    patient: str
    unit: str
    message: str
    fix: str
    patient_id: int | None = None
    doctor: str = ""
    cause: str = ""
    action: FixAction | None = None  # the fix the program can carry out

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "patient": self.patient, "unit": self.unit,
                "message": self.message, "fix": self.fix}


@dataclass(frozen=True)
class SolverFigures:
    status: str
    objective: float
    bound: float
    wall_s: float

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "objective": json_number(self.objective),
                "bound": json_number(self.bound), "wall_s": round(self.wall_s, 3)}


@dataclass(frozen=True)
class PlanMeasures:
    """The measures of a plan (domain.md); the first five are the contract's."""

    coverage: float = 0.0
    max_interval_months: float = 0.0
    peak_week: Mapping[str, int] = field(default_factory=dict)
    peak_week_bound: Mapping[str, int] = field(default_factory=dict)
    moved: int = 0
    moved_in_freeze: int = 0
    required: int = 0
    planned: int = 0
    over_max_interval: int = 0
    breaks_by_rule: Mapping[str, int] = field(default_factory=dict)
    monthly_cv: Mapping[str, float] = field(default_factory=dict)
    peak_day: Mapping[str, int] = field(default_factory=dict)
    window_breaks: int = 0
    late_overdue: int = 0
    days_late: int = 0
    unplaced: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"coverage": self.coverage, "max_interval_months": self.max_interval_months,
                "peak_week": dict(self.peak_week), "peak_week_bound": dict(self.peak_week_bound),
                "moved": self.moved, "moved_in_freeze": self.moved_in_freeze}


@dataclass(frozen=True)
class UnitInfo:
    """What the printouts and the window need of a unit."""

    name: str
    type: str
    doctor: str
    nurse: str = ""
    health_centre: str = ""
    reviews_in_round: bool = True
    annual: bool = True  # has annual planning (not a short-term unit)
    review_minutes: int = DEFAULT_REVIEW_MINUTES  # minutes per ÅMV (the clock times)


@dataclass(frozen=True)
class AbsenceEntry:
    doctor: str
    start: date
    end: date
    reason: str = ""
    substitute: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class ForcedMoveEntry:
    """A frozen ÅMV (next 14 days) that had to move at the re-plan, and why."""

    patient: str
    old: date
    new: date | None
    reason: str
    patient_id: int | None = None


@dataclass(frozen=True)
class DueAgain:
    """A patient whose ÅMV needs a new date now: cancelled (Inställd), or moved to another
    unit since the plan was made."""

    patient: str
    unit: str
    doctor: str
    date: date
    reason: str
    patient_id: int = 0
    visit_id: int = 0
    cancelled: str | None = None  # Inställd: the recorded reason ("" none); None: moved


@dataclass(frozen=True)
class PlanFilter:
    """How a document was limited (shown on printouts and exports)."""

    doctor: str | None = None
    unit: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    prep: bool = False  # the period applies to the preparation dates
    health_centre: str | None = None


@dataclass(frozen=True)
class PlanDocument:
    """One saved plan version with everything its readers need."""

    year: int
    version: int
    settings: Settings
    solver: SolverFigures
    reviews: tuple[AnnualReview, ...]
    unplaced: tuple[UnplacedEntry, ...] = ()
    violations: tuple[ViolationEntry, ...] = ()
    measures: PlanMeasures = field(default_factory=PlanMeasures)
    rounds: tuple[RoundEntry, ...] = ()
    units: tuple[UnitInfo, ...] = ()
    absences: tuple[AbsenceEntry, ...] = ()
    created_at: str = ""
    created_by: str = ""
    note: str = ""
    previous_version: int | None = None
    filter: PlanFilter = field(default_factory=PlanFilter)
    plan_from: date | None = None  # the planning date (None: 1 January)
    forced_moves: tuple[ForcedMoveEntry, ...] = ()
    due_again: tuple[DueAgain, ...] = ()
    today: date | None = None  # the day the document was read for (what is past)
    review_day_start: time = DEFAULT_REVIEW_DAY_START  # first ÅMV time on separate ÅMV days
    not_required: tuple[NotRequiredEntry, ...] = ()  # placed + unplaced + these = everyone
    # a filtered copy: the whole plan's ÅMV and rounds, so that each ÅMV keeps the clock
    # time it has in the whole plan (lakarrond.timetable); () when not filtered
    whole_reviews: tuple[AnnualReview, ...] = ()
    whole_rounds: tuple[RoundEntry, ...] = ()
    moved_count: int | None = None  # the saved list "Flyttade – meddela" (None: not stored)
    warnings: tuple[PlanWarning, ...] = ()  # R5b: settings that do not fit, overlaps
    deaths: tuple[DueAgain, ...] = ()  # recent deaths (date: the death): Efterlevandesamtal

    # --- the contract ----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Exactly the JSON of contracts §3, keys in their order."""
        return {
            "year": self.year,
            "from": self.first_day.isoformat(),
            "solver": self.solver.to_json(),
            "appointments": [r.to_json() for r in self.reviews],
            "unplaced": [u.to_json() for u in self.unplaced],
            "not_required": [n.to_json() for n in self.not_required],
            "violations": [v.to_json() for v in self.violations],
            "measures": self.measures.to_json(),
            "warnings": [w.to_json() for w in self.warnings],
        }

    def settings_labels(self) -> dict[str, Any]:
        """The settings the plan was made with, under their Swedish names."""
        s = self.settings
        return {
            "Planår": s.year,
            "Semesterveckor": week_ranges(s.summer_weeks),
            "Nya patienter inom (dagar)": s.new_patient_days,
            "Max intervall (månader)": s.max_interval_months,
            "Min intervall (månader)": s.min_interval_months,
            "Förberedelse (dagar)": s.preparation_days,
            "Tidsgräns (s)": json_number(float(s.time_limit_s)),
        }

    # --- questions -------------------------------------------------------------------------
    @property
    def first_day(self) -> date:
        """The planning date ("from"): before it is history."""
        return self.plan_from or date(self.year, 1, 1)

    @property
    def unrecorded(self) -> tuple[AnnualReview, ...]:
        """Past ÅMV still Planerad: to follow up ("ej registrerad")."""
        today = self.today or todays_date()
        return tuple(a for a in self.reviews if a.unrecorded_on(today))

    @property
    def needing_new_date(self) -> tuple[AnnualReview, ...]:
        return tuple(a for a in self.reviews if a.needs_new_date)

    @property
    def doctors(self) -> list[str]:
        """Every doctor with a round or an ÅMV in the plan, sorted."""
        return sorted({r.doctor for r in self.rounds} | {a.doctor for a in self.reviews})

    @property
    def unit_names(self) -> list[str]:
        """Every unit with a round or an ÅMV in the plan, sorted."""
        return sorted({r.unit for r in self.rounds} | {a.unit for a in self.reviews})

    @property
    def organisation(self) -> str:
        """The health centres of the units in the plan (for page headers), or ""."""
        names = set(self.unit_names)
        return ", ".join(sorted({u.health_centre for u in self.units
                                 if u.name in names and u.health_centre}))

    @property
    def health_centres(self) -> list[str]:
        """The health centres of the plan's units, sorted."""
        return sorted({u.health_centre for u in self.units if u.health_centre})

    def unit(self, name: str) -> UnitInfo | None:
        return self._units_by_name.get(name)

    @cached_property
    def _units_by_name(self) -> dict[str, UnitInfo]:
        """The units by name, found once per document (the timetable asks per ÅMV)."""
        found: dict[str, UnitInfo] = {}
        for u in self.units:
            found.setdefault(u.name, u)
        return found

    def absence(self, doctor: str, day: date) -> AbsenceEntry | None:
        return next((a for a in self.absences if a.doctor == doctor and a.covers(day)), None)

    def review_of(self, patient_id: int) -> AnnualReview | None:
        return next((a for a in self.reviews if a.patient_id == patient_id), None)

    @property
    def moved_since_previous(self) -> int:
        """The ÅMV on the plan's list "Flyttade – meddela" (the figure the preview gave)."""
        if self.moved_count is not None:
            return self.moved_count
        return sum(1 for a in self.reviews if a.moved_from is not None)

    # --- derived documents -----------------------------------------------------------------
    def filtered(
        self,
        doctor: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        unit: str | None = None,
        prep: bool = False,
        health_centre: str | None = None,
    ) -> PlanDocument:
        """A copy limited to one doctor, one unit, one health centre's units and a period
        (inclusive). With ``prep`` the period applies to the preparation dates and the ÅMV
        are ordered by them."""
        lo = date_from or date.min
        hi = date_to or date.max
        centre_units = ({u.name for u in self.units if u.health_centre == health_centre}
                        if health_centre is not None else None)

        def keep_place(row_unit: str) -> bool:
            return ((unit is None or row_unit == unit)
                    and (centre_units is None or row_unit in centre_units))

        def keep_review(a: AnnualReview) -> bool:
            day = a.preparation if prep else a.date
            return ((doctor is None or a.doctor == doctor) and keep_place(a.unit)
                    and lo <= day <= hi)

        def keep_round(r: RoundEntry) -> bool:
            return ((doctor is None or r.doctor == doctor) and keep_place(r.unit)
                    and lo <= r.date <= hi)

        doctor_units = {r.unit for r in self.rounds if r.doctor == doctor}
        doctor_units |= {a.unit for a in self.reviews if a.doctor == doctor}

        def keep_unit_row(row_unit: str) -> bool:
            return keep_place(row_unit) and (doctor is None or row_unit in doctor_units)

        reviews = [a for a in self.reviews if keep_review(a)]
        if prep:
            reviews.sort(key=lambda a: (a.preparation, a.unit, a.patient))
        return replace(
            self,
            reviews=tuple(reviews),
            rounds=tuple(r for r in self.rounds if keep_round(r)),
            unplaced=tuple(u for u in self.unplaced if keep_unit_row(u.unit)),
            not_required=tuple(n for n in self.not_required if keep_unit_row(n.unit)),
            violations=tuple(v for v in self.violations if keep_unit_row(v.unit)),
            warnings=tuple(w for w in self.warnings if (doctor is None or w.doctor == doctor)
                           and any(keep_place(name) for name in w.units)),
            filter=PlanFilter(doctor, unit, date_from, date_to, prep, health_centre),
            whole_reviews=self.whole_reviews or self.reviews,
            whole_rounds=self.whole_rounds or self.rounds,
        )

    def without_personnummer(self) -> PlanDocument:
        return replace(self, reviews=tuple(replace(a, personnummer=None) for a in self.reviews),
                       not_required=tuple(replace(n, personnummer=None)
                                          for n in self.not_required),
                       whole_reviews=tuple(replace(a, personnummer=None)
                                           for a in self.whole_reviews))
