"""The round dates of a stored unit and the time of each (issue 21.2, R5b), read from the
store for :mod:`lakarrond.services.matters` (booking, the refusal's next round with time)
and :mod:`lakarrond.services.basis` (the planning basis). The arithmetic itself is
:func:`lakarrond.matter.round_time`, the one place."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lakarrond.matter import TAKING_TIME, RoundTime, round_time
from lakarrond.services.problem import latest_plan, round_changes_by_unit, to_solver_unit
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from solver.calendar import WorkCalendar
from solver.problem import Unit, VisitStatus
from solver.rounds import RoundDate, unit_round_dates

# ÅMV of the saved plan that take their round's time
HELD_STATUSES = (VisitStatus.PLANNED.value, VisitStatus.LOCKED.value, VisitStatus.DONE.value)
LOOK_AHEAD_YEARS = 2  # the next round with time is looked for this year and next


def solver_unit(session: Session, unit: m.Unit) -> Unit:
    """The stored unit as the solver sees it, with its one-off round changes."""
    extra, off = round_changes_by_unit(session).get(unit.name, ((), ()))
    return replace(to_solver_unit(unit), extra_dates=extra, cancelled_dates=off)


def held_rounds(session: Session, unit: m.Unit, first: date, last: date) -> list[RoundDate]:
    """The unit's held (not cancelled) round dates from ``first`` to ``last``."""
    solver = solver_unit(session, unit)
    out: list[RoundDate] = []
    for year in range(first.year, last.year + 1):
        cal = WorkCalendar(read_settings(session, year))
        out += [rd for rd in unit_round_dates(solver, cal, max(first, date(year, 1, 1)),
                                              min(last, date(year, 12, 31)))
                if not rd.cancelled]
    return out


def held_round_on(session: Session, unit: m.Unit, day: date) -> RoundDate | None:
    rows = held_rounds(session, unit, day, day)
    return rows[0] if rows else None


def reviews_in_round(session: Session, unit: m.Unit, day: date) -> int:
    """The ÅMV of the saved plan held in ``unit``'s round on ``day`` (0 when the unit holds
    its ÅMV on separate times, R6)."""
    if not to_solver_unit(unit).reviews_at_rounds:
        return 0
    plan = latest_plan(session, day.year)
    if plan is None:
        return 0
    return int(session.scalar(select(func.count(m.Visit.id)).where(
        m.Visit.plan_id == plan.id, m.Visit.unit == unit.name, m.Visit.date == day,
        m.Visit.status.in_(HELD_STATUSES))) or 0)


def matter_minutes_on(session: Session, unit_id: int, day: date,
                      without: int | None = None) -> int:
    """Minutes of the matters (Planerad, Genomförd) booked on the unit's round ``day``;
    ``without`` leaves one matter out."""
    query = select(func.coalesce(func.sum(m.Matter.minutes), 0)).where(
        m.Matter.unit_id == unit_id, m.Matter.date == day,
        m.Matter.status.in_([s.value for s in TAKING_TIME]))
    if without is not None:
        query = query.where(m.Matter.id != without)
    return int(session.scalar(query) or 0)


def time_of(session: Session, unit: m.Unit, day: date, length_min: int | None = None,
            without: int | None = None) -> RoundTime:
    """The time of ``unit``'s round on ``day`` (:func:`lakarrond.matter.round_time`)."""
    return round_time(
        length_min=unit.length_min if length_min is None else length_min,
        other_min=unit.other_minutes or 0,
        reviews=reviews_in_round(session, unit, day),
        review_min=unit.review_minutes or 30,
        matters_min=matter_minutes_on(session, unit.id, day, without))


def next_with_time(session: Session, unit: m.Unit, after: date, minutes: int) -> date | None:
    """The first held round of ``unit`` after ``after`` with ``minutes`` left, or None."""
    if minutes > unit.length_min - (unit.other_minutes or 0):
        return None  # no round of the unit is that long
    last = date(after.year + LOOK_AHEAD_YEARS - 1, 12, 31)
    for rd in held_rounds(session, unit, after, last):
        if rd.date > after and time_of(session, unit, rd.date, rd.length_min).fits(minutes):
            return rd.date
    return None
