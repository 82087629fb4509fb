"""Checks any plan against the rules R1–R8, whoever made it (CP-SAT or a baseline).

Returns raw breaks; ``explain.py`` turns them into Swedish reasons and fixes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from solver.calendar import WorkCalendar, preparation_date
from solver.demand import Demand, Requirement, build_demand
from solver.freeze import Freeze, build_freeze
from solver.problem import Problem, VisitStatus
from solver.result import Appointment, Unplaced
from solver.rounds import Pool, PoolKey, build_pools, pool_of, slot_capacity

HARD_RULES = ("R2", "R3", "R4", "R5", "R6")
WINDOW_RULES = ("R7", "R8")


@dataclass(frozen=True)
class Break:
    """One broken rule. ``count`` > 1 for a capacity break (how many ÅMV too many)."""

    rule: str
    kind: str  # e.g. "unplaced", "not_working_day", "blocked", "absent", "no_round",
    # "over_capacity", "no_review_day", "late", "early", "overdue", "duplicate"
    patient_id: str = ""
    unit: str = ""
    doctor: str = ""
    day: date | None = None
    count: int = 1
    detail: str = ""


@dataclass
class PlanContext:
    """What every check, measure and explanation needs, computed once."""

    problem: Problem
    cal: WorkCalendar
    demand: Demand
    pools: dict[PoolKey, Pool]
    freeze: Freeze = field(default_factory=Freeze)
    requirements: dict[str, Requirement] = field(init=False, repr=False)
    pool_demand: Counter[PoolKey] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.requirements = self.demand.by_patient()
        # patients to place per pool (explanations of unplaced patients ask it per patient)
        self.pool_demand = Counter(pool_of(r.unit) for r in self.demand.required)

    @classmethod
    def of(cls, problem: Problem) -> PlanContext:
        cal = WorkCalendar(problem.settings, problem.absences)
        demand = build_demand(problem)
        return cls(problem, cal, demand, build_pools(problem, cal),
                   build_freeze(problem, cal, demand))

    def judged(self, appt: Appointment) -> bool:
        """Whether the rules judge this ÅMV: not a done one, and not history (an ÅMV dated
        before the planning date, e.g. a declined or unregistered one)."""
        if appt.status is VisitStatus.DONE:
            return False
        return appt.date >= self.problem.settings.first_day

    def held_frozen(self, appt: Appointment) -> bool:
        return self.freeze.held.get(appt.patient_id) == appt.date

    def requirement(self, patient_id: str) -> Requirement | None:
        return self.requirements.get(patient_id)


def _check_day(ctx: PlanContext, appt: Appointment) -> list[Break]:
    """R2–R6 for one appointment (a done ÅMV, or one before the planning date, is history
    and is not judged)."""
    if not ctx.judged(appt):
        return []
    cal, day = ctx.cal, appt.date

    # the unit as the patient's ÅMV is held: a named doctor's patient in that doctor's time
    unit = ctx.problem.patient_unit(appt.patient_id, appt.unit)
    doctor = unit.doctor if unit.doctor != ctx.problem.unit(appt.unit).doctor else appt.doctor

    def brk(rule: str, kind: str, detail: str = "") -> list[Break]:
        return [Break(rule, kind, appt.patient_id, appt.unit, doctor, day, 1, detail)]

    if not cal.is_working_day(day):
        return brk("R2", "not_working_day", cal.holiday_name(day) or "helg")
    blocked = cal.blocked_reason(day)
    if blocked:
        return brk("R3", "blocked", blocked)
    absence = cal.blocking_absence(doctor, day)
    frozen = ctx.held_frozen(appt) and slot_capacity(ctx.problem, unit, cal, day)[0] > 0
    if absence is not None and not (frozen and absence.substitute):
        return brk("R4", "absent")
    pool = ctx.pools.get(pool_of(unit))
    if (pool is None or day not in pool.capacity) and not frozen:
        rule, kind = ("R5", "no_round") if unit.reviews_at_rounds else ("R6", "no_review_day")
        return brk(rule, kind)
    return []


def _check_capacity(ctx: PlanContext, appointments: Iterable[Appointment]) -> list[Break]:
    """R5/R6 capacity: at most the pool's capacity on each date (a done ÅMV still counts)."""
    load: Counter[tuple[PoolKey, date]] = Counter()
    judged: dict[tuple[PoolKey, date], list[Appointment]] = defaultdict(list)
    for appt in appointments:
        key = pool_of(ctx.problem.patient_unit(appt.patient_id, appt.unit))
        load[key, appt.date] += 1
        judged[key, appt.date].append(appt)
    breaks = []
    for (key, day), n in sorted(load.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        pool = ctx.pools.get(key)
        cap = pool.capacity.get(day) if pool else None
        if pool is None or cap is None or n <= cap:
            continue  # no slot at all is reported per appointment by _check_day
        if not any(ctx.judged(a) for a in judged[key, day]):
            continue
        unit = judged[key, day][0].unit if key[0] == "unit" else ""
        rule = "R5" if key[0] == "unit" else "R6"
        breaks.append(
            Break(rule, "over_capacity", unit=unit, doctor=pool.doctor, day=day, count=n - cap,
                  detail=f"{n} ÅMV men plats för {cap}")
        )
    return breaks


def _check_window(req: Requirement, appt: Appointment) -> Break | None:
    """R7/R8: the ÅMV inside the patient's due window. An R8 deadline that passed before the
    plan year began is broken whatever the plan does: it is reported as "overdue" when the
    ÅMV is planned as early as possible (inside the effective window)."""
    if not req.in_window(appt.date):
        kind = "early" if appt.date < req.window_start else "late"
        return Break(req.rule, kind, req.patient.id, req.unit.name, req.doctor, appt.date)
    if req.overdue and req.rule == "R8" and req.cancelled is None:
        return Break("R8", "overdue", req.patient.id, req.unit.name, req.doctor, appt.date)
    return None


def _check_pinned(ctx: PlanContext, appointments: list[Appointment]) -> list[Break]:
    """R10: every pinned ÅMV stays in the plan on its date."""
    dates: dict[str, set[date]] = defaultdict(set)
    for appt in appointments:
        dates[appt.patient_id].add(appt.date)
    breaks = []
    for pid, visit in sorted(ctx.demand.pinned.items()):
        req = ctx.requirement(pid)
        if req is not None and visit.date not in dates.get(pid, set()):
            breaks.append(Break("R10", "pinned_moved", patient_id=pid, unit=req.unit.name,
                                doctor=req.doctor, day=visit.date))
    return breaks


def _check_preparation(ctx: PlanContext, appointments: list[Appointment]) -> list[Break]:
    """R11: the preparation date is the ÅMV date − preparation days, moved back to the
    previous working day."""
    days = ctx.problem.settings.preparation_days
    breaks = []
    for appt in appointments:
        if ctx.judged(appt) and appt.preparation != preparation_date(appt.date, ctx.cal, days):
            breaks.append(Break("R11", "preparation", patient_id=appt.patient_id,
                                unit=appt.unit, doctor=appt.doctor, day=appt.date,
                                detail=appt.preparation.isoformat()))
    return breaks


def check_plan(
    ctx: PlanContext, appointments: Iterable[Appointment], unplaced: Iterable[Unplaced]
) -> list[Break]:
    """Every broken rule of the plan: R1 (unplaced or twice planned) through R8, a pinned
    ÅMV moved (R10) and a wrong preparation date (R11). Evenness (R9) is an objective: it is
    measured (``measures``), not a break."""
    appointments = list(appointments)
    breaks: list[Break] = []
    seen: Counter[str] = Counter(a.patient_id for a in appointments)
    for u in unplaced:
        req = ctx.requirement(u.patient_id)
        breaks.append(Break("R1", "unplaced", patient_id=u.patient_id, unit=u.unit,
                            doctor=req.doctor if req else "", detail=u.reason))
    for pid, n in seen.items():
        if n > 1:
            breaks.append(Break("R1", "duplicate", patient_id=pid, count=n - 1))
    for appt in appointments:
        breaks.extend(_check_day(ctx, appt))
        req = ctx.requirement(appt.patient_id)
        if req is not None and ctx.judged(appt):
            window = _check_window(req, appt)
            if window:
                breaks.append(window)
    breaks.extend(_check_capacity(ctx, appointments))
    breaks.extend(_check_pinned(ctx, appointments))
    breaks.extend(_check_preparation(ctx, appointments))
    placed = set(seen)
    unplaced_ids = {b.patient_id for b in breaks if b.kind == "unplaced"}
    for req in ctx.demand.required:
        if req.patient.id not in placed and req.patient.id not in unplaced_ids:
            breaks.append(Break("R1", "unplaced", patient_id=req.patient.id,
                                unit=req.unit.name, doctor=req.doctor, detail="saknas i planen"))
    return breaks


def is_hard(b: Break) -> bool:
    """A break no plan may add: R2–R6, an ÅMV twice (R1) or a pinned ÅMV moved (R10)."""
    return b.rule in HARD_RULES or b.kind in ("duplicate", "pinned_moved")


def new_hard_breaks(before: Iterable[Break], after: Iterable[Break]) -> list[Break]:
    """The hard breaks of ``after`` that ``before`` (the plan it starts from) has not: the
    same rule, kind, patient, unit, doctor and date, a capacity break only by what it
    exceeds more."""
    def key(b: Break) -> tuple[str, str, str, str, str, date | None]:
        return b.rule, b.kind, b.patient_id, b.unit, b.doctor, b.day

    had: Counter[tuple[str, str, str, str, str, date | None]] = Counter()
    for b in before:
        if is_hard(b):
            had[key(b)] += b.count
    added = []
    for b in after:
        if is_hard(b) and b.count > had[key(b)]:
            added.append(b if not had[key(b)] else
                         Break(b.rule, b.kind, b.patient_id, b.unit, b.doctor, b.day,
                               b.count - had[key(b)], b.detail))
        had[key(b)] -= min(had[key(b)], b.count)
    return added


def check_output(problem: Problem, appointments: Iterable[Appointment],
                 unplaced: Iterable[Unplaced] = ()) -> list[Break]:
    """Every broken rule of a plan (or any output: a what-if, a suggestion booked, a fix
    carried out) against ``problem``, the data it is meant for."""
    return check_plan(PlanContext.of(problem), appointments, unplaced)
