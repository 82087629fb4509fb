"""``suggest``: the best dates for one patient's ÅMV against the saved plan.

Every suggested date is on or after the planning date, keeps the hard rules (a working day,
not blocked, the doctor present, a round date of the unit or an ÅMV day of the doctor, the
patient's own bounds) and has a place once the saved plan's ÅMV have taken theirs (so no
frozen ÅMV is displaced; a free place inside the freeze period is fine). Three kinds, in this
order:

1. a free place inside the patient's window (for an overdue patient: within the 28 days);
2. a full date inside the window made free by moving ONE other ÅMV to another date inside
   that ÅMV's own window (:class:`Move`): only a Planerad ÅMV of the saved plan, not pinned
   (Låst, Genomförd, Avböjd), not booked, not in the freeze and not moved into it;
3. a free place outside the window (fewest days late first).

Inside each kind the planner's order ranks: fewest days late, then the doctor's load in that
week (the weekly peak) and on that day, the unit's load in that month (the spread), closeness
to the ideal date, and the date. Every suggestion, applied to the saved plan, adds no break
of a hard rule (``check.check_plan``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from solver.calendar import iso_week, preparation_date
from solver.check import PlanContext, check_plan, new_hard_breaks
from solver.demand import Requirement
from solver.problem import Problem, VisitStatus
from solver.result import Appointment
from solver.rounds import PoolKey, pool_of

FREE, MOVE, LATE = 0, 1, 2  # the kinds of suggestion, in the order offered


class NoDateLeft(ValueError):
    """The patient has no possible date left in the plan year (message in Swedish)."""


@dataclass(frozen=True)
class Move:
    """The other ÅMV a suggestion moves: ``patient`` (name) from ``old`` to ``new``, both
    inside that ÅMV's own window."""

    patient_id: str
    patient: str
    unit: str
    doctor: str
    old: date
    new: date


@dataclass(frozen=True)
class Suggestion:
    date: date
    week: int
    in_window: bool
    reason: str
    move: Move | None = None


@dataclass(frozen=True)
class SuggestResult:
    patient_id: str
    unit: str
    window: tuple[date, date]
    suggestions: tuple[Suggestion, ...]


def _count(n: int) -> str:
    return f"{n} ÅMV"


def applied(ctx: PlanContext, saved: Sequence[Appointment], patient_id: str,
            suggestion: Suggestion) -> list[Appointment]:
    """The saved plan (without the patient's own ÅMV) with the suggestion carried out."""
    days = ctx.problem.settings.preparation_days
    req = ctx.requirement(patient_id)
    assert req is not None
    out = []
    for appt in saved:
        if appt.patient_id == patient_id:
            continue
        mv = suggestion.move
        if mv is not None and appt.patient_id == mv.patient_id:
            appt = Appointment(appt.patient_id, appt.unit, appt.doctor, mv.new,
                               preparation_date(mv.new, ctx.cal, days), appt.status)
        out.append(appt)
    out.append(Appointment(patient_id, req.unit.name, req.doctor, suggestion.date,
                           preparation_date(suggestion.date, ctx.cal, days)))
    return out


class _Finder:
    """The saved plan's load, and the one move that frees a full date."""

    def __init__(self, ctx: PlanContext, saved: Sequence[Appointment], req: Requirement):
        self.ctx, self.req = ctx, req
        problem = ctx.problem
        self.load: Counter[tuple[PoolKey, date]] = Counter()
        self.week_load: Counter[tuple[int, int]] = Counter()
        self.day_load: Counter[date] = Counter()
        self.month_load: Counter[int] = Counter()
        self.on_day: dict[tuple[PoolKey, date], list[Appointment]] = {}
        self.others = [a for a in saved
                       if a.patient_id != req.patient.id and problem.has_unit(a.unit)]
        for appt in self.others:
            key = pool_of(problem.patient_unit(appt.patient_id, appt.unit))
            self.load[key, appt.date] += 1
            self.on_day.setdefault((key, appt.date), []).append(appt)
            if appt.doctor == req.doctor:
                self.week_load[iso_week(appt.date)] += 1
                self.day_load[appt.date] += 1
            if appt.unit == req.unit.name:
                self.month_load[appt.date.month] += 1
        self.booked = {v.patient_id for v in problem.previous if v.booked}
        self.labels = {p.id: p.label for p in problem.patients}

    def movable(self, appt: Appointment) -> Requirement | None:
        """The other ÅMV's requirement when it may be moved (see the module docstring)."""
        ctx = self.ctx
        if (appt.status is not VisitStatus.PLANNED or appt.patient_id in ctx.demand.pinned
                or appt.patient_id in self.booked or ctx.freeze.in_freeze(appt.date)
                or ctx.held_frozen(appt) or appt.date < ctx.problem.settings.first_day):
            return None
        return ctx.requirement(appt.patient_id)

    def move_for(self, key: PoolKey, day: date) -> Move | None:
        """The move that frees ``day`` (the nearest new date; then the patient id)."""
        best: tuple[int, date, str, Move] | None = None
        first = self.ctx.problem.settings.first_day
        for appt in sorted(self.on_day.get((key, day), []), key=lambda a: a.patient_id):
            other = self.movable(appt)
            if other is None:
                continue
            other_key = pool_of(other.unit)
            pool = self.ctx.pools.get(other_key)
            for new, cap in (pool.capacity if pool else {}).items():
                if (new == day or new < first or not other.allows(new)
                        or not other.in_window(new) or self.ctx.freeze.in_freeze(new)
                        or self.load[other_key, new] >= cap):
                    continue
                rank = (abs((new - day).days), new, appt.patient_id)
                if best is None or rank < best[:3]:
                    best = (*rank, Move(appt.patient_id,
                                        self.labels.get(appt.patient_id, appt.patient_id),
                                        appt.unit, appt.doctor, appt.date, new))
        return best[3] if best else None


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
    find = _Finder(ctx, saved, req)
    options = []
    for day, cap in sorted((pool.capacity if pool else {}).items()):
        if not req.allows(day) or cap <= 0:
            continue
        inside = req.in_window(day)
        move = None
        if find.load[key, day] >= cap:
            if not inside or find.load[key, day] > cap:
                continue
            move = find.move_for(key, day)
            if move is None:
                continue
        kind = FREE if inside and move is None else MOVE if inside else LATE
        options.append(((kind, req.days_late(day), find.week_load[iso_week(day)],
                         find.day_load[day], find.month_load[day.month],
                         abs((day - req.target).days), day), move))
    if not options:
        raise NoDateLeft(
            f"{label} har inget möjligt datum kvar under {problem.year}: alla platser på "
            f"{req.unit.name} från {req.earliest.isoformat()} till {req.latest.isoformat()} "
            "är upptagna eller stängda")
    options.sort(key=lambda o: o[0])
    base = check_plan(ctx, find.others, [])
    out: list[Suggestion] = []
    for (kind, late, week_n, _, _, _, day), move in options:
        if len(out) >= max(0, limit):
            break
        week = iso_week(day)[1]
        if kind == LATE:
            where = f"utanför fönstret ({late} {'dag' if late == 1 else 'dagar'} " + (
                "sent)" if day > req.window_end else "för tidigt)")
        else:
            where = "inom fönstret"
        if move is not None:
            where += (f"; flyttar {move.patient} från {move.old.isoformat()} till "
                      f"{move.new.isoformat()}")
        found = Suggestion(day, week, kind != LATE,
                           f"{where}; vecka {week} har {_count(week_n)} hos {req.doctor}", move)
        if new_hard_breaks(base, check_plan(ctx, applied(ctx, find.others, patient_id, found),
                                            [])):
            continue  # never offer a date that breaks a hard rule
        out.append(found)
    if not out:
        raise NoDateLeft(f"{label} har inget datum under {problem.year} som håller reglerna")
    return SuggestResult(patient_id, req.unit.name, (req.window_start, req.window_end),
                         tuple(out))
