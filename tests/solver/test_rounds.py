from datetime import date, time

from tiny import DOCTOR, phone_unit, problem, weekly_unit

from solver.calendar import WorkCalendar
from solver.problem import (
    Absence,
    Doctor,
    Rhythm,
    RhythmKind,
    Settings,
    Unit,
    UnitType,
    WeekParity,
)
from solver.rounds import build_pools, round_dates, unit_round_dates

CAL = WorkCalendar(Settings(2027), [Absence(DOCTOR, date(2027, 3, 1), date(2027, 3, 12),
                                            "kurs", "Per Ek")])


def test_weekly_rounds_every_thursday():
    rounds = unit_round_dates(weekly_unit(weekday=3), CAL)
    assert len(rounds) == 52
    assert all(r.date.weekday() == 3 for r in rounds)
    assert rounds[0].start_time == time(9, 0)


def test_fortnightly_odd_and_even_iso_weeks():
    odd = Unit("Udda", UnitType.NURSING_HOME, DOCTOR,
               Rhythm(RhythmKind.FORTNIGHTLY, (1,), WeekParity.ODD))
    even = Unit("Jämna", UnitType.NURSING_HOME, DOCTOR,
                Rhythm(RhythmKind.FORTNIGHTLY, (1,), WeekParity.EVEN))
    assert all(r.week % 2 == 1 for r in unit_round_dates(odd, CAL))
    assert all(r.week % 2 == 0 for r in unit_round_dates(even, CAL))
    assert len(unit_round_dates(odd, CAL)) + len(unit_round_dates(even, CAL)) == 52


def test_twice_a_week():
    unit = Unit("Korttiden", UnitType.SHORT_TERM, DOCTOR, Rhythm(RhythmKind.TWICE_WEEKLY, (0, 3)))
    assert len(unit_round_dates(unit, CAL)) == 104


def test_round_on_a_holiday_is_cancelled():
    rounds = {r.date: r for r in unit_round_dates(weekly_unit(weekday=3), CAL)}
    ascension = rounds[date(2027, 5, 6)]
    assert ascension.cancelled and "Kristi himmelsfärdsdag" in ascension.cancel_reason
    assert not ascension.reviews_possible
    assert rounds[date(2027, 7, 15)].cancelled  # summer week 28
    assert not rounds[date(2027, 5, 13)].cancelled


def test_absence_records_the_substitute_and_keeps_the_round():
    rounds = {r.date: r for r in unit_round_dates(weekly_unit(weekday=3), CAL)}
    absent = rounds[date(2027, 3, 4)]
    assert not absent.cancelled
    assert absent.substitute == "Per Ek"
    assert not absent.reviews_possible


def test_pools_unit_rounds_and_doctor_review_days():
    p = problem([weekly_unit(per_round=2), phone_unit()], [],
                doctor=Doctor(DOCTOR, "VC", (2,), 3), absences=())
    pools = build_pools(p, WorkCalendar(p.settings))
    unit_pool = pools["unit", "Bäckliden"]
    doctor_pool = pools["doctor", DOCTOR]
    assert set(unit_pool.capacity.values()) == {2}
    assert all(d.weekday() == 3 for d in unit_pool.capacity)
    assert all(d.weekday() == 2 for d in doctor_pool.capacity)
    assert set(doctor_pool.capacity.values()) == {3}
    assert date(2027, 1, 6) not in doctor_pool.capacity  # trettondedag jul, a Wednesday


def test_round_dates_sorted_over_units():
    p = problem([weekly_unit("A", weekday=0), weekly_unit("B", weekday=0)], [])
    rows = round_dates(p)
    assert [r.unit for r in rows[:2]] == ["A", "B"]
    assert rows == sorted(rows, key=lambda r: (r.date, r.start_time, r.unit))
