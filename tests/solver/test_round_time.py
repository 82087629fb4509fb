"""R5b, time is a rule (issue 21.1): a round date holds the smaller of "ÅMV per rond" and
what its length leaves after "Övrig tid" and the minutes of matters booked that date, in
whole ÅMV of "Minuter per ÅMV"; the planner and the verifier both keep it. And the warnings
(never silent): settings that do not fit, two rounds of one doctor at the same time."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, time

import pytest
from tiny import DOCTOR, patient, problem, weekly_unit

from solver.calendar import WorkCalendar, preparation_date
from solver.check import PlanContext, check_plan
from solver.problem import Rhythm, RhythmKind, Unit, UnitType, VisitStatus, WeekParity
from solver.result import Appointment
from solver.round_time import NOT_FIT, OVERLAP, fit_warning, time_warnings
from solver.rounds import build_pools, pool_of, round_capacity, slot_capacity
from solver.solve import solve

THU = date(2027, 3, 11)  # a Thursday: the weekly unit's round day


def _short(length: int = 60, **kw) -> Unit:  # type: ignore[no-untyped-def]
    return weekly_unit(per_round=5, length_min=length, review_minutes=30, **kw)


# the rule pair -------------------------------------------------------------------------------
def test_a_60_minute_round_of_30_minute_reviews_holds_two_of_five():
    assert round_capacity(_short(60)) == 2


def test_a_150_minute_round_keeps_its_five():
    assert round_capacity(_short(150)) == 5


def _many(n: int) -> list:  # type: ignore[type-arg]
    return [patient(f"p{i:03d}", last=date(2026, 3, 1 + i % 28)) for i in range(n)]


def test_the_plan_of_a_60_minute_round_has_at_most_two_on_each_date():
    result = solve(problem([_short(60)], _many(100), time_limit=10))
    per_day = Counter(a.date for a in result.appointments)
    assert per_day and max(per_day.values()) <= 2
    assert result.unplaced  # ~45 rounds × 2 places cannot hold 100: said, never squeezed in
    assert not [v for v in result.violations if v.rule == "R5"]


def test_the_plan_of_a_150_minute_round_uses_more_than_two():
    result = solve(problem([_short(150)], _many(100), time_limit=10))
    per_day = Counter(a.date for a in result.appointments)
    assert max(per_day.values()) > 2 and max(per_day.values()) <= 5
    assert not result.unplaced


def _appt(ctx: PlanContext, pid: str, day: date) -> Appointment:
    prep = preparation_date(day, ctx.cal, ctx.problem.settings.preparation_days)
    return Appointment(pid, "Bäckliden", DOCTOR, day, prep, VisitStatus.PLANNED)


@pytest.mark.parametrize(("reviews", "broken"), [(2, False), (3, True)])
def test_the_verifier_counts_the_time_of_the_round(reviews, broken):
    people = [patient(p, last=date(2026, 6, 10)) for p in "abc"]
    ctx = PlanContext.of(problem([_short(60)], people))
    plan = [_appt(ctx, p, THU) for p in "abc"[:reviews]]
    assert ("R5" in {b.rule for b in check_plan(ctx, plan, [])}) is broken


# Övrig tid and the matters' reserved minutes ---------------------------------------------------
def test_other_time_lowers_every_rounds_capacity():
    assert round_capacity(_short(150, other_minutes=0)) == 5
    assert round_capacity(_short(150, other_minutes=45)) == 3  # 105 min left: 3 × 30
    assert round_capacity(_short(150, other_minutes=200)) == 0  # never negative


def _pool(p) -> dict[date, int]:  # type: ignore[no-untyped-def]
    cal = WorkCalendar(p.settings, p.absences)
    unit = p.units[0]
    return build_pools(p, cal)[pool_of(unit)].capacity


def test_reserved_minutes_lower_only_that_date():
    base = problem([_short(150)], [patient("a")])
    booked = replace(base, reserved_minutes={("Bäckliden", THU): 60})
    before, after = _pool(base), _pool(booked)
    assert before[THU] == 5 and after[THU] == 3
    others = [d for d in before if d != THU]
    assert others and all(after[d] == before[d] for d in others)


def test_reserved_minutes_of_another_unit_or_date_change_nothing():
    base = problem([_short(150)], [patient("a")])
    elsewhere = replace(base, reserved_minutes={("Solgården", THU): 150,
                                                ("Bäckliden", date(2027, 3, 10)): 150})
    assert _pool(elsewhere) == _pool(base)


def test_a_round_date_with_no_time_left_has_no_place_and_says_why():
    p = replace(problem([_short(60)], [patient("a")]),
                reserved_minutes={("Bäckliden", THU): 60})
    assert THU not in _pool(p)
    cal = WorkCalendar(p.settings, p.absences)
    places, why = slot_capacity(p, p.units[0], cal, THU)
    assert places == 0 and "ingen tid kvar" in why


# warnings ------------------------------------------------------------------------------------
def test_a_unit_that_fits_gives_no_warning():
    assert fit_warning(_short(150)) is None
    assert time_warnings([_short(150)]) == []


def test_a_unit_that_does_not_fit_gives_one_naming_it_and_what_to_do():
    warning = fit_warning(_short(60, other_minutes=15))
    assert warning is not None and warning.kind == NOT_FIT and warning.units == ("Bäckliden",)
    assert "Bäckliden" in warning.message and "165 min" in warning.message
    assert "Sänk ÅMV per rond till 1 eller förläng ronden till 165 min" in warning.message


def _unit(name: str, weekday: int, start: time, length: int = 120,
          parity: WeekParity | None = None) -> Unit:
    rhythm = (Rhythm(RhythmKind.FORTNIGHTLY, (weekday,), parity) if parity
              else Rhythm(RhythmKind.WEEKLY, (weekday,)))
    return Unit(name, UnitType.NURSING_HOME, DOCTOR, rhythm, start, length)


def test_overlapping_rounds_of_one_doctor_give_one_warning_naming_both():
    found = time_warnings([_unit("Solgården", 1, time(9, 0)),
                           _unit("Bäckliden", 1, time(10, 0))])
    assert [w.kind for w in found] == [OVERLAP]
    message = found[0].message
    assert found[0].units == ("Bäckliden", "Solgården") and found[0].doctor == DOCTOR
    assert "Bäckliden 10:00–12:00" in message and "Solgården 09:00–11:00" in message
    assert "tisdagar" in message


@pytest.mark.parametrize("other", [
    _unit("Solgården", 1, time(11, 0)),  # right after: 09:00–11:00, then 11:00
    _unit("Solgården", 2, time(9, 0)),  # another weekday
    _unit("Solgården", 1, time(9, 0), parity=WeekParity.EVEN),  # the other weeks
    replace(_unit("Solgården", 1, time(9, 0)), doctor="Per Holm"),  # another doctor
])
def test_rounds_that_do_not_meet_give_no_warning(other):
    mine = _unit("Bäckliden", 1, time(9, 0), parity=WeekParity.ODD)
    assert time_warnings([mine, other]) == []


def test_an_extra_round_date_on_another_rounds_day_is_an_overlap():
    tuesday = date(2027, 3, 9)
    extra = replace(_unit("Bäckliden", 2, time(9, 0)), extra_dates=(tuesday,))
    other = _unit("Solgården", 1, time(10, 0))
    assert time_warnings([extra, other]) == []  # without the period: the rhythm only
    found = time_warnings([extra, other], date(2027, 1, 1), date(2027, 12, 31))
    assert len(found) == 1 and "2027-03-09" in found[0].message
    cancelled = replace(other, cancelled_dates=(tuesday,))
    assert time_warnings([extra, cancelled], date(2027, 1, 1), date(2027, 12, 31)) == []
    both = replace(extra, extra_dates=(tuesday, date(2027, 3, 16)))
    [one] = time_warnings([both, other], date(2027, 1, 1), date(2027, 12, 31))
    assert "den 2027-03-09, 2027-03-16" in one.message  # one warning for the pair


def test_a_date_taken_by_matters_gets_no_review_in_the_plan():
    base = problem([_short(60)], _many(100), time_limit=10)
    free = Counter(a.date for a in solve(base).appointments)
    assert free[THU] == 2  # a full plan uses every place of that date …
    booked = solve(replace(base, reserved_minutes={("Bäckliden", THU): 60}))
    assert THU not in {a.date for a in booked.appointments}  # … unless matters take the time
    assert not [v for v in booked.violations if v.rule == "R5"]


def test_unplaced_in_a_short_round_are_told_to_lengthen_it():
    """The cause names what the round's time holds and says to lengthen the round (not to
    raise "ÅMV per rond", which the time would not hold)."""
    result = solve(problem([_short(60)], _many(100), time_limit=10))
    text = " ".join(v.fix for v in result.violations)
    assert result.unplaced and "förläng ronden på Bäckliden" in text
    assert "höj ÅMV per rond till" not in text


def test_unplaced_in_a_long_enough_round_are_told_to_raise_the_count():
    result = solve(problem([weekly_unit(per_round=1, length_min=150)], _many(60),
                           time_limit=10))
    text = " ".join(v.fix for v in result.violations)
    assert result.unplaced and "höj ÅMV per rond till" in text and "förläng" not in text
