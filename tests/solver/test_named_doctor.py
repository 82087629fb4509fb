"""A patient who keeps another doctor (fast läkarkontakt) than the unit's is planned in
that doctor's separate ÅMV time (R6): its ÅMV days, "ÅMV per dag" shared with the doctor's
other R6 ÅMV, its absences (issue 18 point 1)."""

from __future__ import annotations

from datetime import date

from tiny import DOCTOR, patient, weekly_unit

from solver.check import PlanContext, check_plan
from solver.problem import Absence, Doctor, Problem, Settings
from solver.result import Appointment
from solver.solve import solve
from solver.suggest import suggest

OTHER = "Karin Ek"


def _problem(patients, other: Doctor | None = None, absences=()) -> Problem:
    doctors = (Doctor(DOCTOR, "VC Norr", (2,), 2),
               other or Doctor(OTHER, "VC Syd", (1,), 1))  # Karin: Tuesdays, 1 a day
    return Problem(Settings(2027, time_limit_s=20.0), doctors, (weekly_unit(),),  # Thursdays
                   tuple(patients), tuple(absences))


def _kept(pid: str = "k", **kw) -> object:
    return patient(pid, last=date(2026, 6, 10), doctor=OTHER, **kw)


def test_a_named_doctors_patient_is_planned_on_that_doctors_review_days():
    result = solve(_problem([_kept(), patient("u", last=date(2026, 6, 10))]))
    by_id = {a.patient_id: a for a in result.appointments}
    assert by_id["k"].date.weekday() == 1  # Karin Ek's ÅMV day, not the unit's Thursday
    assert by_id["k"].doctor == OTHER and by_id["k"].unit == "Bäckliden"
    assert by_id["u"].date.weekday() == 3 and by_id["u"].doctor == DOCTOR
    assert not [v for v in result.violations if v.rule in ("R5", "R6")]


def test_without_a_named_doctor_the_patient_is_in_the_units_round():
    result = solve(_problem([patient("k", last=date(2026, 6, 10))]))
    assert result.appointments[0].date.weekday() == 3
    assert result.appointments[0].doctor == DOCTOR


def test_the_checker_flags_a_named_doctors_patient_in_the_units_round():
    p = _problem([_kept()])
    ctx = PlanContext.of(p)
    round_day = date(2027, 3, 4)  # a Thursday: the unit's round
    in_round = Appointment("k", "Bäckliden", DOCTOR, round_day, date(2027, 2, 18))
    breaks = [b for b in check_plan(ctx, [in_round], []) if b.rule in ("R5", "R6")]
    assert [(b.rule, b.kind, b.doctor) for b in breaks] == [("R6", "no_review_day", OTHER)]
    on_tuesday = Appointment("k", "Bäckliden", OTHER, date(2027, 3, 2), date(2027, 2, 16))
    assert not [b for b in check_plan(ctx, [on_tuesday], []) if b.rule in ("R5", "R6")]


def test_the_named_doctors_capacity_is_shared_with_its_other_patients():
    p = _problem([_kept("k1"), _kept("k2")])
    ctx = PlanContext.of(p)
    day = date(2027, 3, 2)  # Karin Ek: 1 ÅMV per day
    two = [Appointment(pid, "Bäckliden", OTHER, day, date(2027, 2, 16)) for pid in ("k1", "k2")]
    over = [b for b in check_plan(ctx, two, []) if b.kind == "over_capacity"]
    assert [(b.rule, b.doctor, b.count) for b in over] == [("R6", OTHER, 1)]
    result = solve(p)
    assert len({a.date for a in result.appointments}) == 2


def test_the_named_doctors_absence_is_respected():
    away = Absence(OTHER, date(2027, 5, 1), date(2027, 6, 30), "semester")
    result = solve(_problem([_kept()], absences=(away,)))
    (appt,) = result.appointments
    assert appt.date < date(2027, 5, 1) and appt.date.weekday() == 1
    present = solve(_problem([_kept()]))  # the ideal date is the window's end, 10 June
    assert present.appointments[0].date >= date(2027, 5, 1)
    unit_doctor_away = Absence(DOCTOR, date(2027, 5, 1), date(2027, 6, 30), "semester")
    kept = solve(_problem([_kept()], absences=(unit_doctor_away,)))
    assert kept.appointments[0].date >= date(2027, 5, 1)  # the unit's doctor does not matter


def test_suggest_gives_the_named_doctors_days():
    p = _problem([_kept(), patient("u", last=date(2026, 6, 10))])
    saved = solve(p).appointments
    kept = suggest(p, saved, "k", limit=3).suggestions
    assert kept and all(s.date.weekday() == 1 for s in kept)
    unit = suggest(p, saved, "u", limit=3).suggestions
    assert unit and all(s.date.weekday() == 3 for s in unit)


def test_a_named_doctor_without_review_days_gets_a_clear_reason_and_fix():
    result = solve(_problem([_kept()], other=Doctor(OTHER, "VC Syd", (), 1)))
    (unplaced,) = result.unplaced
    assert f"{OTHER} är namngiven läkare" in unplaced.reason
    fixes = [v.fix for v in result.violations if v.patient_id == "k"]
    assert any(f"ge läkaren {OTHER} ÅMV-dagar" in f and "ta bort den namngivna läkaren" in f
               for f in fixes)
    actions = [v.action for v in result.violations if v.action is not None]
    assert any(a.kind == "review_day" and a.doctor == OTHER for a in actions)
