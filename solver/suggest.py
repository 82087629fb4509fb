"""``suggest``: the best dates for one patient's ÅMV against the saved plan, moving no one.

Every suggested date is on or after the planning date, keeps the hard rules (a working day,
not blocked, the doctor present, a round date of the unit or an ÅMV day of the doctor, the
patient's own bounds) and has a free place once the saved plan's ÅMV have taken theirs (so no
frozen ÅMV is displaced; a free place inside the freeze period is fine). The dates are ranked
by the planner's order: inside the window first (for an overdue patient: within the 28 days),
fewest days late, then the doctor's load in that week (the weekly peak) and on that day,
the unit's load in that month (the spread), closeness to the ideal date, and the date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from solver.calendar import iso_week
from solver.check import PlanContext
from solver.problem import Problem
from solver.result import Appointment
from solver.rounds import PoolKey, pool_of


class NoDateLeft(ValueError):
    """The patient has no possible date left in the plan year (message in Swedish)."""


@dataclass(frozen=True)
class Suggestion:
    date: date
    week: int
    in_window: bool
    reason: str


@dataclass(frozen=True)
class SuggestResult:
    patient_id: str
    unit: str
    window: tuple[date, date]
    suggestions: tuple[Suggestion, ...]


def _count(n: int) -> str:
    return f"{n} ÅMV"


def suggest(problem: Problem, saved: Sequence[Appointment], patient_id: str,
            limit: int = 5, ctx: PlanContext | None = None) -> SuggestResult:
    """The ``limit`` best dates for ``patient_id``, best first (see the module docstring).
    ``ctx`` may be passed to reuse a computed context of the same problem."""
    ctx = ctx or PlanContext.of(problem)
    req = ctx.requirement(patient_id)
    patient = next((p for p in problem.patients if p.id == patient_id), None)
    label = patient.label if patient else patient_id
    if req is None:
        reason = next((why for p, why in ctx.demand.not_required if p.id == patient_id),
                      "okänd patient")
        raise NoDateLeft(f"{label} ska inte ha någon ÅMV i planen: {reason}")
    key = pool_of(req.unit)
    pool = ctx.pools.get(key)
    load: Counter[tuple[PoolKey, date]] = Counter()
    week_load: Counter[tuple[int, int]] = Counter()
    day_load: Counter[date] = Counter()
    month_load: Counter[int] = Counter()
    for appt in saved:
        if appt.patient_id == patient_id or not problem.has_unit(appt.unit):
            continue
        unit = problem.unit(appt.unit)
        load[pool_of(unit), appt.date] += 1
        if appt.doctor == req.doctor:
            week_load[iso_week(appt.date)] += 1
            day_load[appt.date] += 1
        if appt.unit == req.unit.name:
            month_load[appt.date.month] += 1
    options = []
    for day, cap in sorted((pool.capacity if pool else {}).items()):
        if not req.allows(day) or load[key, day] >= cap:
            continue
        late = req.days_late(day)
        rank = (not req.in_window(day), late, week_load[iso_week(day)],
                day_load[day], month_load[day.month], abs((day - req.target).days), day)
        options.append(rank)
    if not options:
        raise NoDateLeft(
            f"{label} har inget möjligt datum kvar under {problem.year}: alla platser på "
            f"{req.unit.name} från {req.earliest.isoformat()} till {req.latest.isoformat()} "
            "är upptagna eller stängda")
    options.sort()
    out = []
    for outside, late, week_n, _, _, _, day in options[:max(0, limit)]:
        week = iso_week(day)[1]
        if not outside:
            where = "inom fönstret"
        else:
            where = f"utanför fönstret ({late} {'dag' if late == 1 else 'dagar'} " + (
                "sent)" if day > req.window_end else "för tidigt)")
        out.append(Suggestion(day, week, not outside,
                              f"{where}; vecka {week} har {_count(week_n)} hos {req.doctor}"))
    return SuggestResult(patient_id, req.unit.name, (req.window_start, req.window_end),
                         tuple(out))
