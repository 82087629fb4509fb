"""A move needs a reason: with a previous plan, a saved ÅMV moves only for a patient tier
(unplaced, a broken window, an overdue patient seen late, days late) or because its date is
no longer allowed; evenness alone moves nothing unless the coordinator rebalances."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from tiny import patient, problem, weekly_unit

from benchmarks.family import random_municipality
from solver.check import PlanContext
from solver.exact import exact_tiers
from solver.problem import (
    Absence,
    Patient,
    PinnedVisit,
    PreviousVisit,
    Problem,
    Settings,
    VisitStatus,
)
from solver.result import PlanResult
from solver.solve import solve
from solver.stages import solve_doctor
from solver.subproblem import KEEP_ORDER, TIER_NAMES, split_by_doctor, tier_order


def from_date(p: Problem, result: PlanResult, day: date, **settings: object) -> Problem:
    """``p`` planned again from ``day`` against ``result``, as the application passes it: the
    ÅMV before ``day`` are history, the rest is the previous plan."""
    planned = [a for a in result.appointments if a.status is VisitStatus.PLANNED]
    history = tuple(PinnedVisit(a.patient_id, a.date, VisitStatus.DONE)
                    for a in planned if a.date < day)
    previous = tuple(PreviousVisit(a.patient_id, a.date, a.unit) for a in planned
                     if a.date >= day)
    return dataclasses.replace(
        p, settings=dataclasses.replace(p.settings, plan_from=day, **settings),
        pinned=(*p.pinned, *history), previous=previous)


def moved(p: Problem, result: PlanResult) -> list[str]:
    new = {a.patient_id: a.date for a in result.appointments}
    return sorted(v.patient_id for v in p.previous if new.get(v.patient_id) != v.date)


def planned_from_march(seed: int) -> tuple[Problem, PlanResult]:
    p = random_municipality(seed, size=0.15)
    p = dataclasses.replace(p, settings=dataclasses.replace(p.settings,
                                                            plan_from=date(p.year, 3, 1)))
    return p, solve(p)


@pytest.mark.parametrize("seed", [2, 5])
def test_the_same_data_planned_again_a_week_later_moves_nothing(seed):
    p, first = planned_from_march(seed)
    again = from_date(p, first, date(p.year, 3, 8))
    result = solve(again)
    assert result.status == "OPTIMAL"
    assert moved(again, result) == []


@pytest.mark.parametrize("seed", [2, 5])
def test_rebalance_moves_saved_visits_for_evenness(seed):
    p, first = planned_from_march(seed)
    again = from_date(p, first, date(p.year, 3, 8), rebalance=True)
    result = solve(again)
    assert result.status == "OPTIMAL"
    assert len(moved(again, result)) >= 4


@pytest.mark.parametrize("seed", [2, 7])
def test_an_absence_moves_exactly_the_visits_on_the_absent_days(seed):
    p, first = planned_from_march(seed)
    doctor = sorted({a.doctor for a in first.appointments})[0]
    away = Absence(doctor, date(p.year, 9, 6), date(p.year, 9, 17), "Kurs")
    on_absent_days = sorted(a.patient_id for a in first.appointments
                            if a.doctor == doctor and away.start <= a.date <= away.end)
    assert len(on_absent_days) == 1
    again = from_date(p, first, date(p.year, 3, 8))
    again = dataclasses.replace(again, absences=(*again.absences, away))
    assert moved(again, solve(again)) == on_absent_days
    # the same absence with the coordinator's rebalance: evenness moves others too
    rebalanced = from_date(p, first, date(p.year, 3, 8), rebalance=True)
    rebalanced = dataclasses.replace(rebalanced, absences=(*rebalanced.absences, away))
    assert len(moved(rebalanced, solve(rebalanced))) > len(on_absent_days)


def _four_due_by_april(newcomer: date | None = None, **settings: object) -> Problem:
    """One ÅMV per Thursday round; four patients due by 8 April 2027; maybe a newcomer
    admitted on ``newcomer`` (28 days to be seen). No freeze, so every date may move."""
    patients = [patient(f"p{i}", last=date(2026, 4, 8)) for i in range(4)]
    if newcomer is not None:
        patients.append(patient("new", admitted=newcomer))
    return problem([weekly_unit(weekday=3)], patients,
                   settings=Settings(2027, plan_from=date(2027, 3, 1), freeze_days=0,
                                     **settings))


def _with_newcomer(admitted: date, **settings: object) -> tuple[Problem, PlanResult, dict]:
    first = solve(_four_due_by_april())
    saved = {a.patient_id: a.date for a in first.appointments}
    again = from_date(_four_due_by_april(admitted, **settings), first, date(2027, 3, 8))
    result = solve(again)
    assert result.status == "OPTIMAL"
    assert result.measures.window_breaks == 0
    return again, result, saved


def _newcomer_on_20_march(**settings: object) -> tuple[Problem, PlanResult]:
    """Seed 2 planned from 1 March, then again from 8 March with a patient admitted 20 March
    to a unit with free places in the 28 days."""
    p, first = planned_from_march(2)
    again = from_date(p, first, date(p.year, 3, 8), **settings)
    newcomer = Patient("new", "Hemvårdsområde Vallbacken", date(p.year, 3, 20), None,
                       name="Ny patient")
    again = dataclasses.replace(again, patients=(*again.patients, newcomer))
    result = solve(again)
    new = {a.patient_id: a.date for a in result.appointments}["new"]
    assert date(p.year, 3, 20) <= new <= date(p.year, 4, 17)
    return again, result


def test_a_newcomer_with_room_in_the_window_moves_nobody():
    again, result = _newcomer_on_20_march()
    assert moved(again, result) == []


def test_a_newcomer_with_a_rebalance_reshuffles_the_others_for_evenness():
    again, result = _newcomer_on_20_march(rebalance=True)
    assert len(moved(again, result)) >= 3


def test_a_newcomer_moves_one_saved_visit_when_the_window_is_full():
    # admitted 17 March: the Thursdays of the 28 days are taken, the free 11 March is
    # before the admission; one saved ÅMV moves inside its own window (a broken window
    # avoided: tier 2), no more
    again, result, saved = _with_newcomer(date(2027, 3, 17))
    window = [date(2027, 3, 18), date(2027, 3, 25), date(2027, 4, 1), date(2027, 4, 8)]
    assert sorted(d for p, d in saved.items() if d >= date(2027, 3, 8)) == window
    assert len(moved(again, result)) == 1


def test_first_plan_and_rebalance_keep_the_old_order_else_moves_come_fifth():
    p, first = planned_from_march(2)
    [sub, *_] = [s for s in split_by_doctor(PlanContext.of(p)) if s.requirements]
    assert tier_order(sub) == TIER_NAMES
    again = from_date(p, first, date(p.year, 3, 8))
    [sub, *_] = [s for s in split_by_doctor(PlanContext.of(again)) if s.previous]
    assert tier_order(sub) == KEEP_ORDER
    rebalanced = from_date(p, first, date(p.year, 3, 8), rebalance=True)
    [sub, *_] = [s for s in split_by_doctor(PlanContext.of(rebalanced)) if s.previous]
    assert tier_order(sub) == TIER_NAMES


@pytest.mark.parametrize("seed", [1, 2])
def test_equal_to_the_exact_model_in_the_order_that_keeps_the_previous_plan(seed):
    # a previous plan a week off everywhere: keeping it is worth something only in this order
    p = random_municipality(seed, size=0.08)
    p = dataclasses.replace(p, settings=dataclasses.replace(p.settings,
                                                            plan_from=date(p.year, 3, 1)))
    first = solve(p)
    shifted = tuple(PreviousVisit(a.patient_id, date.fromordinal(a.date.toordinal() + 7),
                                  a.unit) for a in first.appointments
                    if a.status is VisitStatus.PLANNED and a.date.month < 12)
    again = dataclasses.replace(p, previous=shifted,
                                settings=dataclasses.replace(p.settings, freeze_days=0))
    checked = 0
    for sub in split_by_doctor(PlanContext.of(again)):
        if not sub.previous:
            continue
        _, solved = solve_doctor(sub, 10.0)
        exact = exact_tiers(sub, 30.0)
        assert exact.proven
        assert solved.status == "OPTIMAL" and solved.tiers == exact.tiers, sub.doctor
        checked += 1
    assert checked >= 2


def test_a_doctor_too_large_for_the_move_tier_is_still_planned(monkeypatch):
    """With moves in the flow, the weights grow as n⁴; a doctor whose costs do not fit in 64
    bits (about 2,000 patients) is planned with moves last instead of failing (the planner
    never crashes). Pair: the same doctor, fitting, keeps the move tier."""
    import solver.stages as stages
    from solver.flow import CostRangeError

    p, first = planned_from_march(2)
    again = from_date(p, first, date(p.year, 3, 8))
    sub = next(s for s in split_by_doctor(PlanContext.of(again)) if s.previous)
    real = stages.flow_tiers
    orders: list[tuple[str, ...]] = []

    def too_large(s, classes):  # type: ignore[no-untyped-def]
        orders.append(tier_order(s))
        if s.keeps_previous:
            raise CostRangeError("too large")
        return real(s, classes)

    plan, figures = solve_doctor(sub, 10.0)  # fits: the move tier is in the flow
    assert tier_order(sub) == KEEP_ORDER and len(plan) == len(sub.requirements)
    monkeypatch.setattr(stages, "flow_tiers", too_large)
    plan, figures = solve_doctor(sub, 10.0)
    assert orders == [KEEP_ORDER, TIER_NAMES]
    assert len(plan) == len(sub.requirements) and figures.status in ("OPTIMAL", "FEASIBLE")
