"""The two baselines (anniversary copy, birth month) on tiny hand-made problems, judged by
the same checker as CP-SAT (``finish_plan``)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from benchmarks.baselines import anniversary, birth_month
from solver.calendar import WorkCalendar, preparation_date
from solver.problem import (
    Absence,
    Doctor,
    Patient,
    PinnedVisit,
    Problem,
    Rhythm,
    RhythmKind,
    RoundForm,
    Settings,
    Unit,
    UnitType,
    VisitStatus,
    WeekParity,
)
from solver.scenarios import health_centre, municipality

DOCTOR = "Anna Berg"
MON, THU = 0, 3


def unit(name: str = "Bäckliden", weekday: int = THU, per_round: int = 1,
         parity: WeekParity | None = None, **kw) -> Unit:
    kind = RhythmKind.FORTNIGHTLY if parity else RhythmKind.WEEKLY
    return Unit(name, UnitType.NURSING_HOME, DOCTOR, Rhythm(kind, (weekday,), parity),
                reviews_per_round=per_round, **kw)


def patient(pid: str, unit_name: str = "Bäckliden", last: date | None = None,
            admitted: date = date(2020, 1, 1), born: date | None = date(1940, 6, 15),
            **kw) -> Patient:
    return Patient(pid, unit_name, admitted, last, birth_date=born, name=f"Patient {pid}",
                   **kw)


def problem(units, patients, doctor: Doctor | None = None, **kw) -> Problem:
    return Problem(Settings(2027), (doctor or Doctor(DOCTOR, "VC Norr", (2,), 2),),
                   tuple(units), tuple(patients), **kw)


def dates(result) -> dict[str, date]:
    return {a.patient_id: a.date for a in result.appointments}


# --- anniversary copy ------------------------------------------------------------------------


def test_anniversary_keeps_last_years_date() -> None:
    result = anniversary(problem([unit()], [patient("p1", last=date(2026, 3, 11))]))
    assert result.method == "anniversary"
    assert dates(result) == {"p1": date(2027, 3, 11)}  # a Thursday round
    assert result.measures.hard_break_count == 0
    assert result.measures.window_breaks == 0
    assert result.status == "HEURISTIC"


def test_anniversary_moves_off_a_holiday_to_the_nearest_round() -> None:
    # 2027-05-06 is Kristi himmelsfärdsdag: the rounds a week before and after are equally
    # near, the earlier one wins the tie
    result = anniversary(problem([unit()], [patient("p1", last=date(2026, 5, 6))]))
    assert dates(result) == {"p1": date(2027, 4, 29)}
    assert result.measures.hard_break_count == 0


def test_anniversary_moves_to_the_nearest_free_date_when_the_round_is_full() -> None:
    p = problem([unit()], [patient("p1", last=date(2026, 3, 11)),
                           patient("p2", last=date(2026, 3, 11)),
                           patient("p3", last=date(2026, 3, 11))])
    result = anniversary(p)
    assert dates(result) == {
        "p1": date(2027, 3, 11), "p2": date(2027, 3, 4), "p3": date(2027, 3, 18),
    }
    assert result.measures.hard_break_count == 0
    assert result.measures.window_breaks == 1  # p3 a week after its 12 months (R8)


def test_anniversary_nearest_date_can_lie_after_when_closer() -> None:
    # 2027-03-15 is a Monday: Thursday 03-18 (3 days) is nearer than Thursday 03-11 (4 days)
    result = anniversary(problem([unit()], [patient("p1", last=date(2026, 3, 15))]))
    assert dates(result) == {"p1": date(2027, 3, 18)}
    assert result.measures.window_breaks == 1


def test_anniversary_pinned_visit_stays_and_uses_capacity() -> None:
    p = problem(
        [unit()],
        [patient("p1", last=date(2026, 3, 11)), patient("p2", last=date(2026, 9, 1))],
        pinned=(PinnedVisit("p2", date(2027, 3, 11), VisitStatus.LOCKED),),
    )
    result = anniversary(p)
    assert dates(result) == {"p1": date(2027, 3, 4), "p2": date(2027, 3, 11)}
    by_patient = result.by_patient()
    assert by_patient["p2"].status is VisitStatus.LOCKED
    assert by_patient["p1"].status is VisitStatus.PLANNED


def test_anniversary_new_patient_on_admission_and_overdue_at_year_start() -> None:
    p = problem([unit()], [
        patient("new", admitted=date(2027, 4, 13)),  # a Tuesday
        patient("old", admitted=date(2026, 10, 1)),  # never reviewed: overdue
        patient("late", last=date(2025, 11, 20), admitted=date(2024, 5, 1)),
    ])
    got = dates(anniversary(p))
    assert got["new"] == date(2027, 4, 15)  # the round nearest the admission, not before it
    # both want the year's first day; "late" comes first in the fixed order (by id)
    assert got["late"] == date(2027, 1, 7)  # first round of the year (01-01 is a holiday)
    assert got["old"] == date(2027, 1, 14)  # the next free one, the round is full


def test_anniversary_unplaced_when_no_free_date() -> None:
    p = problem([unit(per_round=0)], [patient("p1", last=date(2026, 3, 11))])
    result = anniversary(p)
    assert result.appointments == ()
    assert [u.patient_id for u in result.unplaced] == ["p1"]
    assert "Bäckliden" in result.unplaced[0].reason
    assert result.measures.unplaced == 1
    assert any(v.rule == "R1" for v in result.violations)


def test_anniversary_respects_absence_and_summer() -> None:
    absence = Absence(DOCTOR, date(2027, 3, 1), date(2027, 3, 31), "Semester", "Per Åkesson")
    p = problem([unit()], [patient("p1", last=date(2026, 3, 11)),
                           patient("p2", last=date(2026, 7, 16))], absences=(absence,))
    got = dates(anniversary(p))
    assert got["p1"] == date(2027, 2, 25)  # last Thursday before the absence
    assert got["p2"] == date(2027, 7, 1)  # week 26, the summer weeks 27–31 are closed


def test_anniversary_phone_unit_uses_the_doctors_review_days() -> None:
    phone = Unit("Lugnet", UnitType.NURSING_HOME, DOCTOR, Rhythm(RhythmKind.WEEKLY, (MON,)),
                 form=RoundForm.PHONE)
    p = problem([phone], [patient("p1", "Lugnet", last=date(2026, 3, 11))])
    result = anniversary(p)
    assert dates(result) == {"p1": date(2027, 3, 10)}  # the doctor's Wednesday
    assert result.measures.hard_break_count == 0


def test_anniversary_preparation_date() -> None:
    p = problem([unit()], [patient("p1", last=date(2026, 4, 8))])
    result = anniversary(p)
    appt = result.appointments[0]
    assert appt.date == date(2027, 4, 8)
    cal = WorkCalendar(p.settings)
    assert appt.preparation == preparation_date(appt.date, cal, 14) == date(2027, 3, 25)


# --- birth month -----------------------------------------------------------------------------


def test_birth_month_first_free_date_of_the_month() -> None:
    p = problem([unit()], [patient("p1", last=date(2026, 9, 1), born=date(1938, 3, 20)),
                           patient("p2", last=date(2026, 9, 1), born=date(1941, 3, 2))])
    result = birth_month(p)
    assert result.method == "birth_month"
    assert dates(result) == {"p1": date(2027, 3, 4), "p2": date(2027, 3, 11)}
    assert result.measures.hard_break_count == 0


def test_birth_month_without_birth_date_uses_admission_month() -> None:
    p = problem([unit()], [patient("p1", last=date(2026, 9, 1), admitted=date(2019, 10, 3),
                                   born=None)])
    assert dates(birth_month(p)) == {"p1": date(2027, 10, 7)}


def test_birth_month_overfills_a_full_month_and_the_checker_counts_it() -> None:
    fortnightly = unit(parity=WeekParity.ODD)  # odd Thursdays in March 2027: 03-04, 03-18
    born = date(1935, 3, 9)
    p = problem([fortnightly], [patient(f"p{i}", last=date(2026, 9, 1), born=born)
                                for i in range(1, 4)])
    result = birth_month(p)
    assert sorted(dates(result).values()) == [
        date(2027, 3, 4), date(2027, 3, 4), date(2027, 3, 18),
    ]
    assert result.measures.hard_breaks["R5"] == 1
    assert result.measures.hard_break_count == 1
    assert any(v.rule == "R5" for v in result.violations)


def test_birth_month_july_goes_to_the_first_date_after_the_summer() -> None:
    monday = unit(weekday=MON)  # every Monday of July 2027 lies in weeks 27–31
    p = problem([monday], [patient("p1", last=date(2026, 9, 1), born=date(1940, 7, 4))])
    result = birth_month(p)
    assert dates(result) == {"p1": date(2027, 8, 9)}
    assert result.measures.hard_break_count == 0


def test_birth_month_not_before_admission() -> None:
    p = problem([unit()], [patient("p1", admitted=date(2027, 9, 6), born=date(1940, 2, 1))])
    assert dates(birth_month(p)) == {"p1": date(2027, 9, 9)}


def test_birth_month_ignores_deadlines() -> None:
    p = problem([unit()], [patient("p1", last=date(2026, 2, 4), born=date(1940, 11, 1))])
    result = birth_month(p)
    assert dates(result) == {"p1": date(2027, 11, 4)}
    assert result.measures.window_breaks == 1


def test_birth_month_pinned_visit_stays() -> None:
    p = problem([unit()], [patient("p1", last=date(2026, 9, 1), born=date(1940, 3, 1)),
                           patient("p2", last=date(2026, 9, 1), born=date(1940, 5, 1))],
                pinned=(PinnedVisit("p2", date(2027, 3, 4), VisitStatus.DONE),))
    result = birth_month(p)
    assert dates(result) == {"p1": date(2027, 3, 11), "p2": date(2027, 3, 4)}


# --- both, on realistic input ----------------------------------------------------------------


@pytest.mark.parametrize("method", [anniversary, birth_month])
def test_baselines_never_place_on_closed_days(method) -> None:
    p = health_centre()
    result = method(p)
    cal = WorkCalendar(p.settings, p.absences)
    assert result.appointments
    for appt in result.appointments:
        assert cal.is_working_day(appt.date), appt
        assert not cal.is_summer(appt.date), appt
        assert cal.absence(appt.doctor, appt.date) is None, appt
    hard = result.measures.hard_breaks
    assert hard["R2"] == hard["R3"] == hard["R4"] == 0


@pytest.mark.parametrize("method", [anniversary, birth_month])
def test_baselines_cover_everyone_and_are_deterministic(method) -> None:
    p = municipality()
    first, second = method(p), method(p)
    assert first.appointments == second.appointments
    assert first.measures.planned == first.measures.required
    assert len({a.patient_id for a in first.appointments}) == len(first.appointments)


def test_anniversary_keeps_round_capacity_birth_month_does_not() -> None:
    p = municipality()
    assert anniversary(p).measures.hard_break_count == 0
    assert birth_month(p).measures.hard_break_count > 0


def test_anniversary_piles_up_in_the_six_week_home() -> None:
    p = municipality()
    result = anniversary(p)
    home = "Ängsgården"  # every patient reviewed within six weeks last year
    days = sorted(a.date for a in result.appointments if a.unit == home)
    assert len(days) == sum(1 for pt in p.patients if pt.unit == home)
    assert days[-1] - days[0] <= timedelta(weeks=10)
    late = [v for v in result.violations if v.rule == "R8" and v.unit == home]
    assert late  # the pile does not fit before the twelve months are up


# --- the bench table (baselines only: CP-SAT is the lead's) ----------------------------------


def test_bench_rows_and_json(monkeypatch, capsys) -> None:
    from benchmarks import planner as bench

    monkeypatch.setattr(bench, "METHODS", {"anniversary": anniversary,
                                           "birth_month": birth_month})
    assert bench.main(["--scenario", "health_centre", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["method"] for r in rows] == ["anniversary", "birth_month"]
    for r in rows:
        assert set(r) == set(bench.COLUMNS)
        assert r["scenario"] == "health_centre"
        assert r["patients"] == health_centre_required()
        assert r["status"] == "HEURISTIC"
        assert r["hard_breaks"] == 0
        assert r["peak_mem_mb"] > 0
    assert bench.main(["--scenario", "health_centre"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == list(bench.COLUMNS)
    assert len(table) == 4


def health_centre_required() -> int:
    from solver.demand import build_demand

    return len(build_demand(health_centre()).required)
