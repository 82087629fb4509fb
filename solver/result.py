"""The planner's output: a complete plan that explains itself (frozen dataclasses)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from datetime import date
from typing import Any  # Any: JSON edge: extra figures a stage reports

from solver.problem import VisitStatus


@dataclass(frozen=True)
class Appointment:
    """One planned ÅMV. ``preparation`` is the R11 date."""

    patient_id: str
    unit: str
    doctor: str
    date: _dt.date
    preparation: _dt.date
    status: VisitStatus = VisitStatus.PLANNED

    @property
    def week(self) -> int:
        return self.date.isocalendar().week


@dataclass(frozen=True)
class Unplaced:
    patient_id: str
    unit: str
    reason: str


@dataclass(frozen=True)
class NotRequired:
    """A patient who needs no ÅMV in this plan (R1), with the Swedish reason: placed +
    unplaced + not required is every patient."""

    patient_id: str
    unit: str
    reason: str


FIX_KINDS = ("raise_reviews_per_round", "raise_reviews_per_day", "extra_round", "review_day",
             "substitute_reviews", "unlock")


@dataclass(frozen=True)
class FixAction:
    """A fix the application can carry out with one click. ``kind`` is one of ``FIX_KINDS``:

    - ``raise_reviews_per_round``: ``unit``, ``value`` = the new ÅMV per rond;
    - ``raise_reviews_per_day``: ``doctor``, ``value`` = the new ÅMV per dag;
    - ``extra_round``: ``unit``, ``day`` = a working date with the doctor present in the
      period that needs it;
    - ``review_day``: ``doctor``, ``value`` = weekday 0–4 to add as ÅMV day;
    - ``substitute_reviews``: ``doctor``, ``day`` = the absence's first day (the substitute
      holds the ÅMV);
    - ``unlock``: ``patient_id``, ``day`` = the locked date."""

    kind: str
    unit: str = ""
    doctor: str = ""
    patient_id: str = ""
    day: date | None = None
    value: int = 0


@dataclass(frozen=True)
class Violation:
    """A broken rule: ``rule`` is the id (R1…R11), ``message`` the Swedish reason and ``fix``
    a concrete Swedish remedy (no rule ids, no solver words). ``patient_id`` is empty for
    unit- or doctor-level breaks. ``cause`` groups the breaks of one cause (a stable key such
    as ``"capacity:unit:Bäckliden"``, ``"absence:Anna Berg:2027-03-01"``,
    ``"lock:unit:Bäckliden"``, ``"overdue_before_year"``); ``action`` is the fix the program
    can carry out, or None when a person must act."""

    rule: str
    message: str
    fix: str
    unit: str = ""
    patient_id: str = ""
    doctor: str = ""
    cause: str = ""
    action: FixAction | None = None


@dataclass(frozen=True)
class ForcedMove:
    """A frozen ÅMV that could not be held: moved to ``new_date`` (None: no date left)."""

    patient_id: str
    old_date: date
    new_date: date | None
    reason: str


@dataclass(frozen=True)
class DoctorSolve:
    """Solver figures for one doctor's sub-problem."""

    doctor: str
    status: str  # OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN | EMPTY | STOPPED
    objective: float
    bound: float
    wall_s: float
    stages: tuple[tuple[str, str, float, float], ...] = ()  # (stage, status, objective, bound)
    fingerprint: str = ""  # hash of everything that decides the doctor's plan but `previous`
    reused: bool = False  # the saved plan was kept (fingerprint unchanged)
    stage_times: tuple[tuple[str, float], ...] = ()  # (stage, seconds)
    tiers: tuple[int, ...] = ()  # the tier vector (solver.subproblem.TIER_NAMES)

    @property
    def gap(self) -> float:
        if self.objective == 0:
            return 0.0
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))


@dataclass(frozen=True)
class DoctorTime:
    """Doctor time of a unit or a doctor: hours per week, active patients, hours per week
    per 10 patients (None without patients) and whether that is below the floor."""

    hours_per_week: float
    patients: int
    per_10: float | None  # None when patients == 0
    below_floor: bool


@dataclass(frozen=True)
class DoctorTimeTable:
    """The floor in force and the doctor time by unit name and by doctor name."""

    floor: float
    units: dict[str, DoctorTime]
    doctors: dict[str, DoctorTime]


@dataclass(frozen=True)
class Measures:
    required: int
    planned: int
    coverage: float
    unplaced: int
    hard_breaks: dict[str, int]  # rule id -> count, R2..R6 (hard rules)
    window_breaks: int  # R7 + R8
    breaks_by_rule: dict[str, int]
    max_interval_months: float
    over_max_interval: int
    peak_week: dict[str, int]
    peak_week_bound: dict[str, int]
    peak_day: dict[str, int]
    monthly_cv: dict[str, float]
    moved: int
    moved_in_freeze: int = 0
    late_overdue: int = 0  # overdue patients seen later than the 28 days (or not at all)
    days_late: int = 0  # total days outside the windows
    # unit -> doctor time against the agreement (solver.doctor_time), and doctor -> it
    doctor_time: dict[str, DoctorTime] = field(default_factory=dict)
    doctor_time_doctors: dict[str, DoctorTime] = field(default_factory=dict)

    @property
    def peak_ratio_max(self) -> float:
        ratios = [
            self.peak_week[d] / self.peak_week_bound[d]
            for d in self.peak_week
            if self.peak_week_bound.get(d)
        ]
        return max(ratios, default=0.0)

    @property
    def cv_mean(self) -> float:
        values = list(self.monthly_cv.values())
        return sum(values) / len(values) if values else 0.0

    @property
    def hard_break_count(self) -> int:
        return sum(self.hard_breaks.values())


@dataclass(frozen=True)
class PlanResult:
    year: int
    method: str  # "cpsat" | "anniversary" | "birth_month"
    appointments: tuple[Appointment, ...]
    unplaced: tuple[Unplaced, ...]
    violations: tuple[Violation, ...]
    measures: Measures
    solves: tuple[DoctorSolve, ...] = ()
    wall_s: float = 0.0
    stopped: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    forced_moves: tuple[ForcedMove, ...] = ()
    not_required: tuple[NotRequired, ...] = ()

    @property
    def status(self) -> str:
        """OPTIMAL when every doctor's sub-problem was proven optimal, else FEASIBLE (or the
        method name for baselines)."""
        if self.method != "cpsat":
            return "HEURISTIC"
        statuses = {s.status for s in self.solves if s.status != "EMPTY"}
        if not statuses:
            return "OPTIMAL"
        if statuses == {"OPTIMAL"}:
            return "OPTIMAL"
        return "FEASIBLE"

    @property
    def objective(self) -> float:
        return sum(s.objective for s in self.solves)

    @property
    def bound(self) -> float:
        return sum(s.bound for s in self.solves)

    def by_patient(self) -> dict[str, Appointment]:
        return {a.patient_id: a for a in self.appointments}
