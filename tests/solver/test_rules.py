"""One pair of tests per planning rule R1–R11 on tiny hand-made problems: one where the rule
holds, one where the model refuses or the plan reports the break."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from tiny import DOCTOR, patient, phone_unit, problem, weekly_unit

from solver.calendar import WorkCalendar, iso_week, swedish_holidays
from solver.problem import (
    Absence,
    Doctor,
    PatientStatus,
    PinnedVisit,
    PreviousVisit,
    Rhythm,
    RhythmKind,
    Settings,
    Unit,
    UnitType,
    VisitStatus,
)
from solver.solve import solve


def dates(result) -> dict[str, date]:
    return {a.patient_id: a.date for a in result.appointments}


def rules(result) -> Counter:
    return Counter(v.rule for v in result.violations)


# --- R1: each active patient exactly one ÅMV; excluded ones none ------------------------------
def test_r1_every_required_patient_once_and_the_excluded_none():
    units = [weekly_unit(per_round=2),
             Unit("Korttiden", UnitType.SHORT_TERM, DOCTOR,
                  Rhythm(RhythmKind.TWICE_WEEKLY, (0, 3)))]
    patients = [
        patient("a", last=date(2026, 4, 1)),
        patient("b", last=date(2026, 9, 1)),
        patient("new", admitted=date(2027, 2, 1)),
        patient("vv", last=date(2026, 4, 1), excluded="växelvård"),
        patient("kt", unit="Korttiden", last=date(2026, 4, 1)),
        patient("gone", last=date(2026, 4, 1), status=PatientStatus.DECEASED,
                end_date=date(2026, 12, 1)),
    ]
    result = solve(problem(units, patients))
    assert sorted(dates(result)) == ["a", "b", "new"]
    assert result.measures.coverage == 1.0
    assert not result.unplaced and not result.violations


def test_r1_too_few_rounds_lists_every_unplaced_patient_with_a_fix():
    # fortnightly-like shortage: 3 rounds in the year (blocked periods) for 5 patients
    settings = Settings(2027, time_limit_s=20,
                        blocked_periods=((date(2027, 1, 22), date(2027, 12, 31)),))
    patients = [patient(f"p{i}", admitted=date(2027, 1, 4)) for i in range(5)]
    result = solve(problem([weekly_unit(per_round=1)], patients, settings=settings))
    placed = set(dates(result))
    unplaced = {u.patient_id for u in result.unplaced}
    assert placed | unplaced == {f"p{i}" for i in range(5)} and not placed & unplaced
    assert len(unplaced) == 2  # round dates 7, 14, 21 January hold three
    r1 = [v for v in result.violations if v.rule == "R1"]
    assert len(r1) == 2
    assert "5 patienter men 3 rondtillfällen × 1 ÅMV per rond" in r1[0].message
    assert r1[0].fix == "höj ÅMV per rond till 2 för Bäckliden"


# --- R2: working days only --------------------------------------------------------------------
def test_r2_ideal_date_on_a_holiday_is_not_used():
    # last ÅMV 2026-05-06: ideal date 2027-05-06 is Kristi himmelsfärd, a Thursday round
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 5, 6))]))
    day = dates(result)["a"]
    assert day not in swedish_holidays(2027) and day.weekday() < 5
    assert day == date(2027, 4, 29)  # the closest round before it


def test_r2_locked_visit_on_midsommarafton_is_reported():
    pinned = (PinnedVisit("a", date(2027, 6, 25), VisitStatus.LOCKED),)
    result = solve(problem([weekly_unit(weekday=4)], [patient("a", last=date(2026, 6, 20))],
                           pinned=pinned))
    assert dates(result)["a"] == date(2027, 6, 25)  # pinned stays (R10) …
    r2 = [v for v in result.violations if v.rule == "R2"]
    assert len(r2) == 1 and "Midsommarafton" in r2[0].message  # … but the break is reported


# --- R3: no ÅMV in the summer weeks -----------------------------------------------------------
def test_r3_ideal_date_in_summer_moves_out_of_weeks_27_to_31():
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 7, 15))]))
    day = dates(result)["a"]
    assert iso_week(day)[1] not in range(27, 32)
    assert day == date(2027, 7, 1)  # last round before week 27, inside the 12 months


def test_r3_window_inside_summer_is_reported_with_the_reason():
    # admitted Monday of week 27: every round in the 28-day window lies in weeks 27–31
    result = solve(problem([weekly_unit(weekday=3)], [patient("n", admitted=date(2027, 7, 5))]))
    day = dates(result)["n"]
    assert iso_week(day)[1] == 32
    r7 = [v for v in result.violations if v.rule == "R7"]
    assert len(r7) == 1 and "semesterveckor" in r7[0].message
    # no working day in the window can hold an ÅMV: no program action helps, a person must
    assert "semesterveckorna" in r7[0].fix and r7[0].action is None


# --- R4: not on the doctor's absence -----------------------------------------------------------
def test_r4_no_review_while_the_doctor_is_away():
    away = (Absence(DOCTOR, date(2027, 4, 19), date(2027, 5, 14), "semester", "Per Ek"),)
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 5, 6))],
                           absences=away))
    day = dates(result)["a"]
    assert not away[0].covers(day)
    assert day == date(2027, 4, 15)


def test_r4_absence_over_the_whole_window_is_reported():
    away = (Absence(DOCTOR, date(2027, 1, 1), date(2027, 3, 31), "föräldraledig", "Per Ek"),)
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 2, 15))],
                           absences=away))
    assert dates(result)["a"] == date(2027, 4, 1)
    r8 = [v for v in result.violations if v.rule == "R8"]
    assert len(r8) == 1 and "frånvarande" in r8[0].message


# --- R5: on the unit's rounds, at most ÅMV per rond -------------------------------------------
@pytest.mark.parametrize("per_round", [1, 2])
def test_r5_round_dates_and_capacity(per_round):
    patients = [patient(f"p{i}", last=date(2026, 3, 11)) for i in range(4)]
    result = solve(problem([weekly_unit(weekday=3, per_round=per_round)], patients))
    load = Counter(dates(result).values())
    assert all(d.weekday() == 3 for d in load)
    assert max(load.values()) <= per_round
    assert not result.violations


def test_r5_locked_visits_over_capacity_are_reported():
    pinned = tuple(PinnedVisit(p, date(2027, 3, 11)) for p in ("a", "b"))
    patients = [patient("a", last=date(2026, 3, 11)), patient("b", last=date(2026, 3, 11))]
    result = solve(problem([weekly_unit(weekday=3, per_round=1)], patients, pinned=pinned))
    r5 = [v for v in result.violations if v.rule == "R5"]
    assert len(r5) == 1 and "2 ÅMV men plats för 1" in r5[0].message
    assert result.measures.hard_breaks["R5"] == 1


# --- R6: phone rounds and "ÅMV i rond = nej" on the doctor's ÅMV days -------------------------
def test_r6_separate_times_on_the_doctors_days_shared_between_units():
    lss = Unit("Gruppbostaden", UnitType.LSS, DOCTOR, Rhythm(RhythmKind.WEEKLY, (1,)),
               reviews_in_round=False)
    patients = [patient(f"t{i}", unit="Lugnet", last=date(2026, 3, 10)) for i in range(3)]
    patients += [patient(f"l{i}", unit="Gruppbostaden", last=date(2026, 3, 10)) for i in range(3)]
    result = solve(problem([phone_unit(weekday=0), lss], patients,
                           doctor=Doctor(DOCTOR, "VC", (2,), 2)))
    load = Counter(dates(result).values())
    assert all(d.weekday() == 2 for d in load)  # the doctor's Wednesdays, not the round days
    assert max(load.values()) <= 2
    assert len(dates(result)) == 6 and not result.violations


def test_r6_doctor_without_review_days_is_reported():
    result = solve(problem([phone_unit()], [patient("t", unit="Lugnet", last=date(2026, 3, 10))],
                           doctor=Doctor(DOCTOR, "VC", (), 2)))
    assert not result.appointments
    [v] = [v for v in result.violations if v.rule == "R1"]
    assert "inga ÅMV-dagar" in v.message and v.fix.startswith(f"ange ÅMV-dagar för {DOCTOR}")


# --- R7: new patient within 28 days after admission ------------------------------------------
def test_r7_new_patient_within_28_days_not_before_admission():
    result = solve(problem([weekly_unit(weekday=3)], [patient("n", admitted=date(2027, 3, 10))]))
    day = dates(result)["n"]
    assert date(2027, 3, 10) <= day <= date(2027, 4, 7)


def test_r7_window_comes_before_evenness():
    # spreading eight new patients over eight weeks would be more even, but R7 keeps them
    # inside their 28 days (two per round)
    patients = [patient(f"n{i}", admitted=date(2027, 3, 10)) for i in range(8)]
    result = solve(problem([weekly_unit(weekday=3, per_round=2)], patients))
    assert all(date(2027, 3, 10) <= d <= date(2027, 4, 7) for d in dates(result).values())
    assert not result.violations


def test_r7_full_window_is_reported_with_a_capacity_fix():
    patients = [patient(f"n{i}", admitted=date(2027, 3, 10)) for i in range(5)]
    result = solve(problem([weekly_unit(weekday=3)], patients))
    assert len(dates(result)) == 5
    r7 = [v for v in result.violations if v.rule == "R7"]
    assert len(r7) == 1  # four Thursdays in the window hold four
    assert "upptagna" in r7[0].message and "höj ÅMV per rond till 2" in r7[0].fix


# --- R8: 6–12 months after the last ÅMV -------------------------------------------------------
def test_r8_between_6_and_12_months_after_the_last_review():
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 9, 15))]))
    day = dates(result)["a"]
    assert date(2027, 3, 15) <= day <= date(2027, 9, 15)


def test_r8_locked_visit_too_early_is_reported():
    pinned = (PinnedVisit("a", date(2027, 1, 14)),)
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 10, 1))],
                           pinned=pinned))
    [v] = [v for v in result.violations if v.rule == "R8"]
    assert "före fönstret" in v.message and "2027-04-01" in v.fix


# --- R9: even spread --------------------------------------------------------------------------
def test_r9_same_anniversary_is_spread_to_the_lower_bound():
    # 12 patients all reviewed the same day; capacity would allow piling them up
    patients = [patient(f"p{i:02}", last=date(2026, 6, 3)) for i in range(12)]
    result = solve(problem([weekly_unit(weekday=3, per_round=4)], patients))
    m = result.measures
    assert m.peak_week[DOCTOR] == m.peak_week_bound[DOCTOR] == 1
    assert max(Counter(dates(result).values()).values()) == 1


def test_r9_forced_pile_up_is_reported_against_its_bound():
    patients = [patient(f"n{i}", admitted=date(2027, 3, 10)) for i in range(8)]
    result = solve(problem([weekly_unit(weekday=3, per_round=2)], patients))
    m = result.measures
    assert m.peak_week[DOCTOR] == 2 > m.peak_week_bound[DOCTOR] == 1
    assert m.peak_ratio_max == 2.0
    assert not result.violations


# --- R10: pinned stay, a re-plan moves as few as it can ---------------------------------------
def test_r10_replan_with_the_same_data_moves_nothing():
    patients = [patient(f"p{i}", last=date(2026, 3 + i, 10)) for i in range(6)]
    first = solve(problem([weekly_unit(weekday=3)], patients))
    previous = tuple(PreviousVisit(a.patient_id, a.date) for a in first.appointments)
    again = solve(problem([weekly_unit(weekday=3)], patients, previous=previous))
    assert dates(again) == dates(first)
    assert again.measures.moved == 0


def test_r10_locking_one_visit_moves_only_what_must_move():
    patients = [patient(f"p{i}", last=date(2026, 3, 10)) for i in range(6)]
    first = solve(problem([weekly_unit(weekday=3)], patients))
    plan = dates(first)
    previous = tuple(PreviousVisit(p, d) for p, d in plan.items())
    # lock p0 onto p1's date: p1 must move, nobody else needs to
    pinned = (PinnedVisit("p0", plan["p1"], VisitStatus.LOCKED),)
    again = solve(problem([weekly_unit(weekday=3)], patients, previous=previous, pinned=pinned))
    new = dates(again)
    assert new["p0"] == plan["p1"]
    changed = {p for p in plan if p != "p0" and new[p] != plan[p]}
    assert changed == {"p1"}
    assert again.measures.moved == 1


def test_r10_done_visit_is_never_moved_even_on_a_bad_date():
    pinned = (PinnedVisit("a", date(2027, 2, 2), VisitStatus.DONE),)  # a Tuesday, no round
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 3, 1))],
                           pinned=pinned))
    [a] = result.appointments
    assert a.date == date(2027, 2, 2) and a.status is VisitStatus.DONE
    assert not result.violations  # a done visit is history, not a plan to judge


# --- R11: preparation date ----------------------------------------------------------------------
def test_r11_preparation_fourteen_days_before():
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 3, 18))]))
    [a] = result.appointments
    assert a.preparation == a.date - timedelta(days=14)


def test_r11_preparation_on_a_holiday_moves_back_to_a_working_day():
    # ÅMV Thursday 2027-05-20 → 2027-05-06 is Kristi himmelsfärd → Wednesday 2027-05-05
    pinned = (PinnedVisit("a", date(2027, 5, 20)),)
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2026, 5, 20))],
                           pinned=pinned))
    [a] = result.appointments
    assert a.preparation == date(2027, 5, 5)
    assert WorkCalendar(Settings(2027)).is_working_day(a.preparation)


def test_r8_deadline_passed_before_the_year_is_reported_and_planned_first():
    # last ÅMV 2025-10-01: 12 months ran out 2026-10-01, before the plan year
    result = solve(problem([weekly_unit(weekday=3)], [patient("a", last=date(2025, 10, 1)),
                                                     patient("b", last=date(2026, 6, 3))]))
    assert dates(result)["a"] == date(2027, 1, 7)  # the first round of the year
    [v] = [v for v in result.violations if v.rule == "R8"]
    assert v.patient_id == "a" and "gick ut före planåret" in v.message
    assert "registrerad" in v.fix
    assert result.measures.window_breaks == 1 and result.measures.over_max_interval == 1
