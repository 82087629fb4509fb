"""Constraint-verifier pairs for every rule R1–R11: a tiny hand-made plan that keeps the rule
passes ``check_plan`` with no break of it; one that breaks it is caught with that rule id.
R9 (evenness) is an objective, so its verifier is the measured weekly peak against its
bound."""

from __future__ import annotations

from datetime import date

import pytest
from tiny import DOCTOR, patient, phone_unit, problem, weekly_unit

from solver.calendar import preparation_date
from solver.check import PlanContext, check_plan
from solver.measures import finish_plan
from solver.problem import Absence, Doctor, PinnedVisit, Settings, VisitStatus
from solver.result import Appointment, Unplaced

THU = date(2027, 3, 11)  # a Thursday: the weekly unit's round day


def appt(ctx: PlanContext, pid: str, day: date, unit: str = "Bäckliden",
         status: VisitStatus = VisitStatus.PLANNED) -> Appointment:
    prep = preparation_date(day, ctx.cal, ctx.problem.settings.preparation_days)
    return Appointment(pid, unit, DOCTOR, day, prep, status)


def rules_broken(ctx: PlanContext, plan: list[Appointment],
                 unplaced: list[Unplaced] | None = None) -> set[str]:
    return {b.rule for b in check_plan(ctx, plan, unplaced or [])}


def ctx_of(units=None, patients=None, **kw) -> PlanContext:
    units = units or [weekly_unit(weekday=3, per_round=1)]
    patients = patients or [patient("a", last=date(2026, 6, 10))]
    return PlanContext.of(problem(units, patients, **kw))


# R1 ------------------------------------------------------------------------------------------
def test_r1_kept_every_patient_once():
    ctx = ctx_of()
    assert "R1" not in rules_broken(ctx, [appt(ctx, "a", THU)])


@pytest.mark.parametrize("case", ["missing", "twice"])
def test_r1_broken_missing_or_twice(case):
    ctx = ctx_of()
    plan = [] if case == "missing" else [appt(ctx, "a", THU), appt(ctx, "a", date(2027, 3, 18))]
    assert "R1" in rules_broken(ctx, plan)


# R2 ------------------------------------------------------------------------------------------
def test_r2_kept_on_a_working_day():
    ctx = ctx_of()
    assert "R2" not in rules_broken(ctx, [appt(ctx, "a", THU)])


def test_r2_broken_on_a_holiday():
    ctx = ctx_of()  # 2027-05-06 is Kristi himmelsfärdsdag, a Thursday
    assert "R2" in rules_broken(ctx, [appt(ctx, "a", date(2027, 5, 6))])


# R3 ------------------------------------------------------------------------------------------
def test_r3_kept_outside_the_summer_weeks():
    ctx = ctx_of()
    assert "R3" not in rules_broken(ctx, [appt(ctx, "a", date(2027, 6, 24))])


def test_r3_broken_in_a_summer_week():
    ctx = ctx_of()
    assert "R3" in rules_broken(ctx, [appt(ctx, "a", date(2027, 7, 15))])


# R4 ------------------------------------------------------------------------------------------
AWAY = (Absence(DOCTOR, date(2027, 3, 8), date(2027, 3, 12), "kurs"),)


def test_r4_kept_when_the_doctor_is_there():
    ctx = ctx_of(absences=AWAY)
    assert "R4" not in rules_broken(ctx, [appt(ctx, "a", date(2027, 3, 18))])


def test_r4_broken_on_the_doctors_absence():
    ctx = ctx_of(absences=AWAY)
    assert "R4" in rules_broken(ctx, [appt(ctx, "a", THU)])


def test_r4_kept_when_the_substitute_holds_the_reviews():
    away = (Absence(DOCTOR, date(2027, 3, 8), date(2027, 3, 12), "kurs", "Per Ek", True),)
    ctx = ctx_of(absences=away)
    assert not rules_broken(ctx, [appt(ctx, "a", THU)]) & {"R4", "R5"}


# R5 ------------------------------------------------------------------------------------------
TWO = [patient("a", last=date(2026, 6, 10)), patient("b", last=date(2026, 6, 10))]


def test_r5_kept_on_round_dates_within_capacity():
    ctx = ctx_of(patients=TWO)
    assert "R5" not in rules_broken(ctx, [appt(ctx, "a", THU), appt(ctx, "b", date(2027, 3, 18))])


@pytest.mark.parametrize("case", ["not_a_round", "over_capacity"])
def test_r5_broken_off_the_rounds_or_over_capacity(case):
    ctx = ctx_of(patients=TWO)
    other = date(2027, 3, 10) if case == "not_a_round" else THU
    assert "R5" in rules_broken(ctx, [appt(ctx, "a", THU), appt(ctx, "b", other)])


# R6 ------------------------------------------------------------------------------------------
def _r6_ctx() -> PlanContext:
    return ctx_of(units=[phone_unit(weekday=0)],
                  patients=[patient(p, unit="Lugnet", last=date(2026, 6, 10)) for p in "abc"],
                  doctor=Doctor(DOCTOR, "VC", (2,), 2))


def test_r6_kept_on_the_doctors_review_days():
    ctx = _r6_ctx()
    wed = date(2027, 3, 10)
    plan = [appt(ctx, "a", wed, "Lugnet"), appt(ctx, "b", wed, "Lugnet"),
            appt(ctx, "c", date(2027, 3, 17), "Lugnet")]
    assert "R6" not in rules_broken(ctx, plan)


@pytest.mark.parametrize("case", ["round_day", "over_capacity"])
def test_r6_broken_on_the_phone_round_or_over_the_day(case):
    ctx = _r6_ctx()
    wed = date(2027, 3, 10)
    third = date(2027, 3, 8) if case == "round_day" else wed
    plan = [appt(ctx, "a", wed, "Lugnet"), appt(ctx, "b", wed, "Lugnet"),
            appt(ctx, "c", third, "Lugnet")]
    assert "R6" in rules_broken(ctx, plan)


# R7 ------------------------------------------------------------------------------------------
NEW = [patient("n", admitted=date(2027, 3, 1))]


def test_r7_kept_within_28_days_of_admission():
    ctx = ctx_of(patients=NEW)
    assert "R7" not in rules_broken(ctx, [appt(ctx, "n", date(2027, 3, 25))])


@pytest.mark.parametrize("day", [date(2027, 4, 8), date(2027, 2, 25)])
def test_r7_broken_late_or_before_admission(day):
    ctx = ctx_of(patients=NEW)
    assert "R7" in rules_broken(ctx, [appt(ctx, "n", day)])


# R8 ------------------------------------------------------------------------------------------
def test_r8_kept_between_6_and_12_months():
    ctx = ctx_of()  # last ÅMV 2026-06-10: window 2026-12-10 … 2027-06-10
    assert "R8" not in rules_broken(ctx, [appt(ctx, "a", date(2027, 6, 10))])


def test_r8_broken_after_12_months():
    ctx = ctx_of()
    assert "R8" in rules_broken(ctx, [appt(ctx, "a", date(2027, 6, 17))])


# R9 (objective: measured) --------------------------------------------------------------------
def _r9_peak(days: list[date]) -> tuple[int, int]:
    p = problem([weekly_unit(weekday=3, per_round=2)],
                [patient(f"p{i}", last=date(2026, 6, 10)) for i in range(len(days))])
    ctx = PlanContext.of(p)
    plan = [appt(ctx, f"p{i}", d) for i, d in enumerate(days)]
    m = finish_plan(p, "test", plan, [], ctx=ctx).measures
    return m.peak_week[DOCTOR], m.peak_week_bound[DOCTOR]


def test_r9_kept_one_a_week_is_the_bound():
    peak, bound = _r9_peak([date(2027, 3, 11), date(2027, 3, 18)])
    assert peak == bound == 1


def test_r9_broken_two_in_a_week_when_one_would_do():
    peak, bound = _r9_peak([date(2027, 3, 11), date(2027, 3, 11)])
    assert peak > bound


# R10 -----------------------------------------------------------------------------------------
LOCK = (PinnedVisit("a", THU, VisitStatus.LOCKED),)


def test_r10_kept_the_locked_visit_stays():
    ctx = ctx_of(pinned=LOCK)
    assert "R10" not in rules_broken(ctx, [appt(ctx, "a", THU, status=VisitStatus.LOCKED)])


def test_r10_broken_the_locked_visit_moved():
    ctx = ctx_of(pinned=LOCK)
    assert "R10" in rules_broken(ctx, [appt(ctx, "a", date(2027, 3, 18))])


# R11 -----------------------------------------------------------------------------------------
def test_r11_kept_preparation_fourteen_days_before():
    ctx = ctx_of()
    assert "R11" not in rules_broken(ctx, [appt(ctx, "a", THU)])


def test_r11_broken_preparation_on_the_wrong_day():
    ctx = ctx_of()
    wrong = Appointment("a", "Bäckliden", DOCTOR, THU, THU, VisitStatus.PLANNED)
    assert "R11" in rules_broken(ctx, [wrong])


def test_history_before_the_planning_date_is_not_judged():
    settings = Settings(2027, plan_from=date(2027, 4, 1))
    pinned = (PinnedVisit("a", date(2027, 3, 10), VisitStatus.DECLINED),)  # a Wednesday
    ctx = ctx_of(settings=settings, pinned=pinned)
    assert not rules_broken(ctx, [appt(ctx, "a", date(2027, 3, 10), status=VisitStatus.DECLINED)])
