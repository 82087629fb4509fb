"""Round rhythms → round dates, and the slots (date × capacity pool) where an ÅMV can go.

A *pool* is what shares capacity (R5/R6):
- ``("unit", name)`` — a unit with physical rounds and ÅMV in the round: its round dates,
  each with :func:`round_capacity` places (R5b: "ÅMV per rond", or fewer when the round's
  time does not hold them);
- ``("doctor", name)`` — the doctor's separate ÅMV days, ``reviews_per_day`` each, shared by
  all of the doctor's phone-round units and units without ÅMV in the round (e.g. LSS), and
  by the patients who keep the doctor as named doctor (fast läkarkontakt) in another doctor's
  unit: a patient's pool is ``pool_of`` its requirement's unit,
  :func:`solver.problem.care_unit`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.rrule import WEEKLY, rrule, weekday

from solver.calendar import WorkCalendar, iso_week
from solver.problem import Doctor, Problem, RhythmKind, RoundForm, Unit, WeekParity

PoolKey = tuple[str, str]


@dataclass(frozen=True)
class RoundDate:
    """One date of a unit's round rhythm, as the printed schedule shows it."""

    unit: str
    doctor: str
    date: date
    start_time: time
    length_min: int
    form: RoundForm
    cancelled: bool = False
    cancel_reason: str = ""
    substitute: str = ""  # set when the doctor is absent that day
    absence_reason: str = ""
    reviews_possible: bool = False  # an ÅMV may be held in this round (R5)
    extra: bool = False  # a one-off extra round date (Unit.extra_dates)

    @property
    def week(self) -> int:
        return iso_week(self.date)[1]


def round_capacity(unit: Unit, reserved: int = 0) -> int:
    """R5b, time is a rule: the ÅMV a round date of ``unit`` holds. The smaller of "ÅMV per
    rond" and what the round's length leaves after "Övrig tid" and the ``reserved`` minutes
    of matters booked on that date, in whole ÅMV of "Minuter per ÅMV"; never negative."""
    free = unit.length_min - unit.other_minutes - reserved
    by_time = free // unit.review_minutes if unit.review_minutes > 0 else unit.reviews_per_round
    return max(0, min(unit.reviews_per_round, by_time))


def reserved_on(problem: Problem, unit: str, day: date) -> int:
    """Minutes booked by matters on ``unit``'s round date ``day`` (0 when none)."""
    return problem.reserved_minutes.get((unit, day), 0)


def rhythm_dates(unit: Unit, first: date, last: date) -> list[date]:
    """All dates of the unit's rhythm between ``first`` and ``last`` inclusive."""
    rule = rrule(
        WEEKLY,
        dtstart=datetime.combine(first, time()),
        until=datetime.combine(last, time()),
        byweekday=[weekday(d) for d in sorted(set(unit.rhythm.weekdays))],
    )
    days = [dt.date() for dt in rule]
    if unit.rhythm.kind is RhythmKind.FORTNIGHTLY:
        want_odd = unit.rhythm.parity is WeekParity.ODD
        days = [d for d in days if (iso_week(d)[1] % 2 == 1) == want_odd]
    return days


CANCELLED_ROUND = "inställd rond"


def round_cancel_reason(unit: Unit, cal: WorkCalendar, day: date) -> str:
    """Why the round of ``unit`` on ``day`` is cancelled, or "" (weekend, holiday, summer or
    blocked period, a one-off cancellation)."""
    if day in unit.cancelled_dates:
        return CANCELLED_ROUND
    if day.weekday() >= 5:
        return "helg"
    holiday = cal.holiday_name(day)
    if holiday:
        return f"helgdag: {holiday}"
    return cal.blocked_reason(day) or ""


def unit_round_dates(
    unit: Unit, cal: WorkCalendar, first: date | None = None, last: date | None = None
) -> list[RoundDate]:
    """Round dates of ``unit`` in the plan year (or a period), with the one-off extra dates,
    cancellations and substitutes marked. A round on a non-working day, in the summer weeks
    or on one of the unit's cancelled dates is cancelled."""
    first, last = first or cal.first, last or cal.last
    ordinary = rhythm_dates(unit, first, last)
    extra = sorted({d for d in unit.extra_dates if first <= d <= last} - set(ordinary))
    result = []
    for day in sorted([*ordinary, *extra]):
        cancel = round_cancel_reason(unit, cal, day)
        absence = cal.absence(unit.doctor, day)
        blocking = cal.blocking_absence(unit.doctor, day)
        result.append(
            RoundDate(
                unit=unit.name,
                doctor=unit.doctor,
                date=day,
                start_time=unit.start_time,
                length_min=unit.length_min,
                form=unit.form,
                cancelled=bool(cancel),
                cancel_reason=cancel,
                substitute=absence.substitute if absence else "",
                absence_reason=absence.reason if absence else "",
                reviews_possible=(
                    not cancel and blocking is None and unit.reviews_at_rounds
                    and unit.reviews_per_round > 0 and unit.has_annual_reviews
                ),
                extra=day in extra,
            )
        )
    return result


def round_dates(problem: Problem, cal: WorkCalendar | None = None) -> list[RoundDate]:
    """Every round date of every unit in the plan year, sorted by date and unit."""
    cal = cal or WorkCalendar(problem.settings, problem.absences)
    rows = [rd for unit in problem.units for rd in unit_round_dates(unit, cal)]
    return sorted(rows, key=lambda r: (r.date, r.start_time, r.unit))


def doctor_review_days(doctor: Doctor, cal: WorkCalendar) -> list[date]:
    """The doctor's separate ÅMV days (R6) that can hold an ÅMV."""
    days = set(doctor.review_weekdays)
    return [d for d in cal.review_days(doctor.name) if d.weekday() in days]


def pool_of(unit: Unit) -> PoolKey:
    return ("unit", unit.name) if unit.reviews_at_rounds else ("doctor", unit.doctor)


def pool_label(pool: PoolKey) -> str:
    kind, name = pool
    return name if kind == "unit" else f"{name}s ÅMV-tider"


@dataclass(frozen=True)
class Pool:
    key: PoolKey
    doctor: str
    capacity: dict[date, int]  # date -> ÅMV that fit that day (from the planning date on)

    @property
    def slots(self) -> int:
        return sum(self.capacity.values())


def build_pools(
    problem: Problem, cal: WorkCalendar, units: Iterable[Unit] | None = None
) -> dict[PoolKey, Pool]:
    """Capacity pools of the given units (default all units with annual planning, and the
    ÅMV time of every named doctor of a patient, :meth:`Problem.named_units`): only dates
    from the planning date (``Settings.first_day``) on."""
    first = problem.settings.first_day
    pools: dict[PoolKey, Pool] = {}
    every = units if units is not None else (*problem.units, *problem.named_units())
    for unit in every:
        if not unit.has_annual_reviews:
            continue
        key = pool_of(unit)
        if key in pools:
            continue
        if unit.reviews_at_rounds:
            places = {
                rd.date: round_capacity(unit, reserved_on(problem, unit.name, rd.date))
                for rd in unit_round_dates(unit, cal)
                if rd.reviews_possible and rd.date >= first
            }
            capacity = {day: n for day, n in places.items() if n > 0}
        else:
            capacity = doctor_capacity(problem, cal, unit.doctor)
        pools[key] = Pool(key=key, doctor=unit.doctor, capacity=capacity)
    return pools


def doctor_capacity(problem: Problem, cal: WorkCalendar, name: str) -> dict[date, int]:
    """The doctor's separate ÅMV time (R6) from the planning date on: date -> ÅMV per dag."""
    doctor = problem.doctor(name)
    first = problem.settings.first_day
    return {d: doctor.reviews_per_day for d in doctor_review_days(doctor, cal)
            if doctor.reviews_per_day > 0 and d >= first}


def slot_capacity(problem: Problem, unit: Unit, cal: WorkCalendar, day: date) -> tuple[int, str]:
    """The places of ``unit``'s pool on ``day`` whoever holds the ÅMV (an absent doctor's
    substitute too), and why there are none: (capacity, Swedish reason or "")."""
    if not unit.has_annual_reviews:
        return 0, f"{unit.name} är ett korttidsboende"
    if unit.reviews_at_rounds:
        if day not in rhythm_dates(unit, day, day) and day not in unit.extra_dates:
            return 0, f"{day.isoformat()} är inte ett rondtillfälle på {unit.name} längre"
        reason = round_cancel_reason(unit, cal, day)
        if reason:
            return 0, f"ronden är inställd ({reason})"
        places = round_capacity(unit, reserved_on(problem, unit.name, day))
        if places == 0 and unit.reviews_per_round > 0:
            return 0, f"ronden på {unit.name} har ingen tid kvar för ÅMV"
        return places, ""
    if not problem.has_doctor(unit.doctor):
        return 0, f"okänd läkare {unit.doctor}"
    doctor = problem.doctor(unit.doctor)
    if day.weekday() not in doctor.review_weekdays:
        return 0, f"{day.isoformat()} är inte en ÅMV-dag för {doctor.name} längre"
    reason = (
        "helg" if day.weekday() >= 5
        else f"helgdag: {cal.holiday_name(day)}" if cal.holiday_name(day)
        else cal.blocked_reason(day) or ""
    )
    if reason:
        return 0, f"ÅMV-tiden är inställd ({reason})"
    return doctor.reviews_per_day, ""
