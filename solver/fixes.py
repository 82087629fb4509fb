"""A fix the planner proposes (``FixAction``), on the planner's input: :func:`adjust` gives the
problem with the fix carried out (a what-if, the store untouched), :func:`can_carry_out` says
whether the fix can be carried out and changes something. A fix is offered only when
:func:`can_carry_out` holds (``explain``); the store carries out the same change
(``lakarrond.services.fixes.apply_fix``).

Preconditions, per kind:

- ``raise_reviews_per_round``: the unit holds ÅMV in its rounds, the value is higher than
  today's and the unit has round dates left where ÅMV can be held with it;
- ``raise_reviews_per_day``: the doctor has ÅMV days left and the value is higher;
- ``extra_round``: the unit holds ÅMV in its rounds (at least one per round), the date is
  in the plan year from the planning date on, a working day with the doctor present, not
  already a round date with places;
- ``review_day``: a weekday (Monday–Friday) the doctor has not yet, with a date left in
  the year where the doctor can hold ÅMV;
- ``substitute_reviews``: an absence of the doctor starting that day that keeps ÅMV off its
  days and NAMES a substitute (nobody to hold the ÅMV otherwise);
- ``unlock``: the patient's ÅMV on that date is locked (Låst), not done or declined.

Every capacity fix must also add places (the pool has more places with the fix).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from solver.calendar import WorkCalendar
from solver.check import PlanContext
from solver.problem import Absence, PreviousVisit, Problem, Unit, VisitStatus
from solver.result import FixAction
from solver.rounds import build_pools, pool_of


class CannotCarryOut(ValueError):
    """The fix cannot be carried out on this data (a Swedish message)."""


def _absence(problem: Problem, doctor: str, start: object) -> Absence | None:
    return next((a for a in problem.absences if a.doctor == doctor and a.start == start), None)


def no_substitute(doctor: str, start: date) -> str:
    """Why "låt vikarien hålla ÅMV" cannot be carried out for an absence without one."""
    return (f"{doctor}s frånvaro från {start.isoformat()} har ingen vikarie – ingen kan hålla "
            "ÅMV. Ange en vikarie under Läkare först.")


def adjust(problem: Problem, fix: FixAction) -> Problem:
    """The planner's input with the fix carried out; :class:`CannotCarryOut` when the data
    does not allow it (e.g. an absence without a substitute)."""
    if fix.kind in ("raise_reviews_per_round", "extra_round"):
        units = []
        for unit in problem.units:
            if unit.name == fix.unit:
                if fix.kind == "raise_reviews_per_round":
                    unit = replace(unit, reviews_per_round=fix.value)
                elif fix.day is not None:
                    unit = replace(unit, extra_dates=tuple(sorted({*unit.extra_dates, fix.day})))
            units.append(unit)
        return replace(problem, units=tuple(units))
    if fix.kind in ("raise_reviews_per_day", "review_day"):
        doctors = []
        for doctor in problem.doctors:
            if doctor.name == fix.doctor:
                if fix.kind == "raise_reviews_per_day":
                    doctor = replace(doctor, reviews_per_day=fix.value)
                else:
                    days = tuple(sorted({*doctor.review_weekdays, fix.value}))
                    doctor = replace(doctor, review_weekdays=days)
            doctors.append(doctor)
        return replace(problem, doctors=tuple(doctors))
    if fix.kind == "substitute_reviews":
        absence = _absence(problem, fix.doctor, fix.day)
        if absence is None:
            raise CannotCarryOut(f"{fix.doctor} har ingen frånvaro som börjar "
                                 f"{fix.day.isoformat() if fix.day else '?'}.")
        if not absence.substitute.strip():
            raise CannotCarryOut(no_substitute(fix.doctor, absence.start))
        absences = tuple(replace(a, reviews_by_substitute=True) if a == absence else a
                         for a in problem.absences)
        return replace(problem, absences=absences)
    if fix.kind == "unlock":
        pinned = tuple(p for p in problem.pinned
                       if not (p.patient_id == fix.patient_id and p.date == fix.day))
        freed = [p for p in problem.pinned if p not in pinned]
        previous = problem.previous + tuple(PreviousVisit(p.patient_id, p.date) for p in freed)
        return replace(problem, pinned=pinned, previous=previous)
    raise CannotCarryOut(f"Okänd åtgärd \"{fix.kind}\".")


def _places(problem: Problem, unit: Unit) -> int:
    cal = WorkCalendar(problem.settings, problem.absences)
    pool = build_pools(problem, cal, [unit]).get(pool_of(unit))
    return pool.slots if pool else 0


def _adds_places(ctx: PlanContext, fix: FixAction, units: list[Unit]) -> bool:
    """Whether the fix gives the pool of ``units[0]`` more places."""
    if not units:
        return False
    try:
        after = adjust(ctx.problem, fix)
    except CannotCarryOut:
        return False
    unit = units[0]
    pool = ctx.pools.get(pool_of(unit))
    # a unit's pool follows the changed unit; a doctor's pool reads the changed doctor
    target = after.unit(unit.name) if pool_of(unit)[0] == "unit" else unit
    return _places(after, target) > (pool.slots if pool else 0)


def can_carry_out(ctx: PlanContext, fix: FixAction) -> bool:
    """Whether the fix can be carried out on the plan's data and changes something (the
    preconditions in the module docstring)."""
    problem, first = ctx.problem, ctx.problem.settings.first_day
    if fix.kind in ("raise_reviews_per_round", "extra_round"):
        if not problem.has_unit(fix.unit):
            return False
        unit = problem.unit(fix.unit)
        if not (unit.reviews_at_rounds and unit.has_annual_reviews):
            return False
        if fix.kind == "raise_reviews_per_round" and fix.value <= unit.reviews_per_round:
            return False
        if fix.kind == "extra_round" and (
                fix.day is None or unit.reviews_per_round < 1 or fix.day < first
                or fix.day.year != problem.year
                or not ctx.cal.can_hold_review(fix.day, unit.doctor)):
            return False
        return _adds_places(ctx, fix, [unit])
    if fix.kind in ("raise_reviews_per_day", "review_day"):
        if not problem.has_doctor(fix.doctor):
            return False
        doctor = problem.doctor(fix.doctor)
        if fix.kind == "raise_reviews_per_day" and fix.value <= doctor.reviews_per_day:
            return False
        if fix.kind == "review_day" and not (0 <= fix.value <= 4
                                             and fix.value not in doctor.review_weekdays):
            return False
        separate = [u for u in (*problem.units, *problem.named_units())
                    if u.doctor == fix.doctor and u.has_annual_reviews
                    and not u.reviews_at_rounds]
        return _adds_places(ctx, fix, separate)
    if fix.kind == "substitute_reviews":
        absence = _absence(problem, fix.doctor, fix.day)
        if absence is None or not absence.blocks_reviews or not absence.substitute.strip():
            return False
        after = adjust(problem, fix)
        units = [u for u in (*problem.units, *problem.named_units())
                 if u.doctor == fix.doctor and u.has_annual_reviews]
        return any(_places(after, u) > (ctx.pools[pool_of(u)].slots
                                        if pool_of(u) in ctx.pools else 0) for u in units)
    if fix.kind == "unlock":
        visit = ctx.demand.pinned.get(fix.patient_id)
        return (visit is not None and visit.status is VisitStatus.LOCKED
                and visit.date == fix.day
                and any(p.patient_id == fix.patient_id and p.date == fix.day
                        for p in problem.pinned))
    return False
