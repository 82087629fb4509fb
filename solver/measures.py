"""The measures of a plan (domain.md) and ``finish_plan``, which every method ends with."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from dateutil.relativedelta import relativedelta

from solver.calendar import iso_week
from solver.check import HARD_RULES, WINDOW_RULES, Break, PlanContext, check_plan
from solver.doctor_time import doctor_time
from solver.explain import explain
from solver.problem import Problem, VisitStatus
from solver.result import (
    Appointment,
    DoctorSolve,
    Measures,
    NotRequired,
    PlanResult,
    Unplaced,
)

DAYS_PER_MONTH = 365.25 / 12


def doctor_weeks(ctx: PlanContext, doctor: str) -> set[tuple[int, int]]:
    """ISO weeks in which at least one of the doctor's pools can hold an ÅMV."""
    return {
        iso_week(day)
        for pool in ctx.pools.values()
        if pool.doctor == doctor
        for day, cap in pool.capacity.items()
        if cap > 0
    }


def peak_bound(ctx: PlanContext, doctor: str, patients: int) -> int:
    """Lower bound of the weekly peak: ceil(patients / weeks that can hold an ÅMV)."""
    weeks = len(doctor_weeks(ctx, doctor))
    if patients == 0:
        return 0
    return math.ceil(patients / weeks) if weeks else patients


def _cv(values: Sequence[int]) -> float:
    if not values:
        return 0.0
    mean = statistics.fmean(values)
    return statistics.pstdev(values) / mean if mean else 0.0


def compute_measures(
    ctx: PlanContext, appointments: Sequence[Appointment], breaks: Iterable[Break]
) -> Measures:
    breaks = list(breaks)
    year = ctx.problem.year
    required = {r.patient.id: r for r in ctx.demand.required}
    by_patient = {a.patient_id: a for a in appointments}
    planned = sum(1 for pid in required if pid in by_patient)
    by_rule: Counter[str] = Counter()
    for b in breaks:
        by_rule[b.rule] += b.count

    max_interval, over = 0.0, 0
    limit = ctx.problem.settings.max_interval_months
    for pid, req in required.items():
        appt, last = by_patient.get(pid), req.patient.last_review
        if appt is None or last is None:
            continue
        max_interval = max(max_interval, (appt.date - last).days / DAYS_PER_MONTH)
        if appt.date > last + relativedelta(months=limit):
            over += 1

    per_doctor_required: Counter[str] = Counter(r.doctor for r in required.values())
    weeks: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
    days: dict[str, Counter[date]] = defaultdict(Counter)
    months: dict[str, Counter[int]] = defaultdict(Counter)
    for a in appointments:
        if a.date.year != year:
            continue
        weeks[a.doctor][iso_week(a.date)] += 1
        days[a.doctor][a.date] += 1
        months[a.doctor][a.date.month] += 1
    doctors = sorted(set(per_doctor_required) | set(weeks))
    peak_week = {d: max(weeks[d].values(), default=0) for d in doctors}
    bound = {d: peak_bound(ctx, d, per_doctor_required[d]) for d in doctors}
    peak_day = {d: max(days[d].values(), default=0) for d in doctors}
    monthly_cv = {}
    for d in doctors:
        open_months = sorted({m for (_, m) in _open_months(ctx, d)})
        monthly_cv[d] = round(_cv([months[d][m] for m in open_months]), 4)

    previous = ctx.freeze.previous  # released frozen ÅMV are not moves
    moved = sum(
        1 for a in appointments
        if a.status is VisitStatus.PLANNED and a.patient_id in previous
        and previous[a.patient_id] != a.date
    )
    late_overdue = days_late = 0
    for pid, req in required.items():
        appt = by_patient.get(pid)
        if appt is None or not ctx.judged(appt):
            late_overdue += appt is None and req.overdue
            continue
        late_overdue += req.overdue and appt.date > req.window_end
        days_late += req.days_late(appt.date)
    n_required = len(required)
    time_table = doctor_time(ctx.problem, appointments, cal=ctx.cal)
    return Measures(
        required=n_required,
        planned=planned,
        coverage=round(planned / n_required, 4) if n_required else 1.0,
        unplaced=n_required - planned,
        hard_breaks={r: by_rule[r] for r in HARD_RULES},
        window_breaks=sum(by_rule[r] for r in WINDOW_RULES),
        breaks_by_rule=dict(sorted(by_rule.items())),
        max_interval_months=round(max_interval, 1),
        over_max_interval=over,
        peak_week=peak_week,
        peak_week_bound=bound,
        peak_day=peak_day,
        monthly_cv=monthly_cv,
        moved=moved,
        late_overdue=late_overdue,
        days_late=days_late,
        doctor_time=time_table.units,
        doctor_time_doctors=time_table.doctors,
    )


def _open_months(ctx: PlanContext, doctor: str) -> set[tuple[int, int]]:
    return {
        (day.year, day.month)
        for pool in ctx.pools.values()
        if pool.doctor == doctor
        for day in pool.capacity
    }


def finish_plan(
    problem: Problem,
    method: str,
    appointments: Sequence[Appointment],
    unplaced: Sequence[Unplaced],
    solves: Sequence[DoctorSolve] = (),
    wall_s: float = 0.0,
    stopped: bool = False,
    ctx: PlanContext | None = None,
) -> PlanResult:
    """Check the plan against every rule, explain the breaks and compute the measures."""
    ctx = ctx or PlanContext.of(problem)
    appointments = tuple(sorted(appointments, key=lambda a: (a.date, a.unit, a.patient_id)))
    breaks = check_plan(ctx, appointments, unplaced)
    return PlanResult(
        year=problem.year,
        method=method,
        appointments=appointments,
        unplaced=tuple(unplaced),
        violations=tuple(explain(ctx, breaks)),
        measures=compute_measures(ctx, appointments, breaks),
        solves=tuple(solves),
        wall_s=round(wall_s, 3),
        stopped=stopped,
        not_required=tuple(NotRequired(p.id, p.unit, reason)
                           for p, reason in ctx.demand.not_required),
    )
