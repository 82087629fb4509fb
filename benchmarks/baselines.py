"""The two plans users make today, for comparison with CP-SAT (``docs/domain.md``).

- **Anniversary copy** (Excel): each patient on the same date as last year's ÅMV (a new
  patient: the admission date; overdue or never reviewed: the year's first day), moved to the
  nearest allowed date with free capacity in the patient's pool (±1, ±2, … days, earlier
  first on a tie); unplaced when the plan year has no free date left.
- **Birth-month recall**: each patient in the birth month (without a birth date: the
  admission month) on the first allowed date of that month with free capacity; when all of
  the month's allowed dates are full it is put on the first of them anyway (round capacity
  ignored, an R5/R6 break); a month without any allowed date (July) moves to the nearest
  allowed date after it.

Both respect R2–R4 through the pools (which hold only working, unblocked days without the
doctor's absence) and the patient's own dates (admission, end date). Pinned ÅMV stay where
they are and use capacity. Patients are processed in a fixed order, so the result is
deterministic. Deadlines (R7/R8) and evenness (R9) are ignored, as the users' methods do.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from datetime import date, timedelta

from solver.calendar import preparation_date
from solver.check import PlanContext
from solver.demand import Requirement
from solver.measures import finish_plan
from solver.problem import Problem, VisitStatus
from solver.result import Appointment, PlanResult, Unplaced
from solver.rounds import PoolKey, pool_label, pool_of

__all__ = ["anniversary", "anniversary_date", "birth_month", "birth_month_of"]


class _Book:
    """Free capacity per pool and date, with the pinned ÅMV already booked."""

    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        self.used: Counter[tuple[PoolKey, date]] = Counter()
        self.dates: dict[PoolKey, list[date]] = {
            key: sorted(d for d, cap in pool.capacity.items() if cap > 0)
            for key, pool in ctx.pools.items()
        }
        self.appointments: list[Appointment] = []

    def free(self, key: PoolKey, day: date) -> bool:
        return self.used[key, day] < self.ctx.pools[key].capacity.get(day, 0)

    def allowed(self, req: Requirement) -> list[date]:
        """The pool's dates within the patient's bounds (admission … end date, plan year)."""
        days = self.dates.get(pool_of(req.unit), [])
        lo = bisect.bisect_left(days, req.earliest)
        hi = bisect.bisect_right(days, req.latest)
        return days[lo:hi]

    def book(self, req: Requirement, day: date, status: VisitStatus = VisitStatus.PLANNED) -> None:
        self.used[pool_of(req.unit), day] += 1
        cal, settings = self.ctx.cal, self.ctx.problem.settings
        self.appointments.append(
            Appointment(
                patient_id=req.patient.id,
                unit=req.unit.name,
                doctor=req.doctor,
                date=day,
                preparation=preparation_date(day, cal, settings.preparation_days),
                status=status,
            )
        )


def _start(problem: Problem) -> tuple[PlanContext, _Book, list[Requirement]]:
    """Context, a booking with the pinned ÅMV in place, and the patients still to place."""
    ctx = PlanContext.of(problem)
    book = _Book(ctx)
    todo = []
    for req in ctx.demand.required:
        pinned = ctx.demand.pinned.get(req.patient.id)
        if pinned is not None:
            book.book(req, pinned.date, pinned.status)
        else:
            todo.append(req)
    return ctx, book, todo


def _no_room(req: Requirement) -> Unplaced:
    label = pool_label(pool_of(req.unit))
    return Unplaced(
        req.patient.id, req.unit.name, f"Ingen ledig ÅMV-tid i {label} under planåret"
    )


def anniversary_date(req: Requirement, year: int) -> date:
    """Where the anniversary copy wants the patient: last year's date in the plan year
    (29 February → 28 February), the admission date of a new patient, the year's first day
    when the patient is overdue or was admitted before the year and never reviewed."""
    patient = req.patient
    first = date(year, 1, 1)
    if req.overdue:
        wanted = first
    elif patient.last_review is None:
        wanted = max(patient.admitted, first)
    else:
        last = patient.last_review
        day = min(last.day, 28) if (last.month, last.day) == (2, 29) else last.day
        wanted = date(year, last.month, day)
    return min(max(wanted, req.earliest), req.latest)


def anniversary(problem: Problem) -> PlanResult:
    """Anniversary copy: last year's date, moved to the nearest free allowed date."""
    started = time.perf_counter()
    ctx, book, todo = _start(problem)
    year = problem.year
    wanted = {req.patient.id: anniversary_date(req, year) for req in todo}
    todo.sort(key=lambda r: (wanted[r.patient.id], r.unit.name, r.patient.id))
    unplaced: list[Unplaced] = []
    for req in todo:
        key = pool_of(req.unit)
        days = book.allowed(req)
        target = wanted[req.patient.id]
        # nearest free date: walk outwards from the target, the earlier one first on a tie
        right = bisect.bisect_left(days, target)
        left = right - 1
        chosen = None
        while left >= 0 or right < len(days):
            before = days[left] if left >= 0 else None
            after = days[right] if right < len(days) else None
            if after is not None and (before is None or (after - target) < (target - before)):
                if book.free(key, after):
                    chosen = after
                    break
                right += 1
            else:
                assert before is not None
                if book.free(key, before):
                    chosen = before
                    break
                left -= 1
        if chosen is None:
            unplaced.append(_no_room(req))
        else:
            book.book(req, chosen)
    return finish_plan(
        problem, "anniversary", book.appointments, unplaced,
        wall_s=time.perf_counter() - started, ctx=ctx,
    )


def birth_month_of(req: Requirement) -> int:
    """The patient's birth month (from the personnummer), else the admission month."""
    born = req.patient.birth_date
    return born.month if born is not None else req.patient.admitted.month


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def birth_month(problem: Problem) -> PlanResult:
    """Birth-month recall: the first free allowed date in the birth month, else its first
    allowed date anyway (over capacity); a month without allowed dates: the next free one."""
    started = time.perf_counter()
    ctx, book, todo = _start(problem)
    year = problem.year
    month = {req.patient.id: birth_month_of(req) for req in todo}
    todo.sort(key=lambda r: (month[r.patient.id], r.unit.name, r.patient.id))
    unplaced: list[Unplaced] = []
    for req in todo:
        key = pool_of(req.unit)
        days = book.allowed(req)
        if not days:
            unplaced.append(_no_room(req))
            continue
        m = month[req.patient.id]
        first, last = date(year, m, 1), _month_end(year, m)
        in_month = [d for d in days if first <= d <= last]
        if in_month:
            chosen = next((d for d in in_month if book.free(key, d)), in_month[0])
        else:
            after = [d for d in days if d > last]
            if after:
                chosen = next((d for d in after if book.free(key, d)), after[0])
            else:  # the patient leaves (or the year ends) before the month: nearest before
                before = [d for d in days if d < first]
                chosen = next((d for d in reversed(before) if book.free(key, d)), before[-1])
        book.book(req, chosen)
    return finish_plan(
        problem, "birth_month", book.appointments, unplaced,
        wall_s=time.perf_counter() - started, ctx=ctx,
    )
