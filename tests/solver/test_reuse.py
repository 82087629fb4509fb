"""Incremental re-plan: fingerprints, reuse of unchanged doctors, equal to a full solve."""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import cache

from benchmarks.family import random_municipality
from solver.check import PlanContext
from solver.exact import exact_tiers
from solver.problem import Absence, PreviousVisit, Problem, VisitStatus
from solver.result import PlanResult
from solver.scenarios import health_centre, municipality
from solver.solve import solve
from solver.stages import solve_doctor
from solver.subproblem import split_by_doctor


def key(result: PlanResult) -> list[tuple[str, date, str]]:
    return [(a.patient_id, a.date, a.status.value) for a in result.appointments]


@cache
def _saved() -> tuple[Problem, PlanResult]:
    p = municipality()
    return p, solve(p)


def with_previous(p: Problem, result: PlanResult) -> Problem:
    previous = tuple(PreviousVisit(a.patient_id, a.date, a.unit) for a in result.appointments
                     if a.status is VisitStatus.PLANNED)
    return dataclasses.replace(p, previous=previous)


def test_fingerprints_are_stable_and_ignore_the_previous_plan():
    p, first = _saved()
    again = solve(with_previous(p, first))
    assert [s.fingerprint for s in first.solves] == [s.fingerprint for s in again.solves]
    assert all(len(s.fingerprint) == 64 for s in first.solves)


def test_unchanged_doctors_are_reused_and_the_plan_is_the_same():
    p, first = _saved()
    prints = {s.doctor: s.fingerprint for s in first.solves}
    again = solve(with_previous(p, first), reuse=prints)
    assert all(s.reused for s in again.solves if s.status != "EMPTY")
    assert key(again) == key(first) and again.status == "OPTIMAL"


def test_a_change_at_one_doctor_solves_only_that_doctor_and_equals_a_full_solve():
    p, first = _saved()
    prints = {s.doctor: s.fingerprint for s in first.solves}
    doctor = p.doctors[0].name
    changed = with_previous(p, first)
    changed = dataclasses.replace(changed, absences=(
        *changed.absences, Absence(doctor, date(2027, 9, 1), date(2027, 9, 10), "kurs")))
    partial = solve(changed, reuse=prints)
    solved = {s.doctor for s in partial.solves if not s.reused and s.status != "EMPTY"}
    assert solved == {doctor}
    assert key(partial) == key(solve(changed))


def test_a_feasible_plan_is_never_reused():
    p = health_centre()
    first = solve(p)
    prints = {s.doctor: s.fingerprint + "~feasible" for s in first.solves}
    again = solve(with_previous(p, first), reuse=prints)
    assert not any(s.reused for s in again.solves)


def test_replan_moves_the_fewest_equal_to_the_exact_model():
    p = random_municipality(3, size=0.08)
    first = solve(p)
    # the previous plan shifted by a week for every other patient: tier 9 must undo the
    # shifts it can without losing anything earlier in the order
    previous = []
    for i, a in enumerate(a for a in first.appointments if a.status is VisitStatus.PLANNED):
        day = a.date if i % 2 else a.date.replace(day=min(a.date.day + 7, 28))
        previous.append(PreviousVisit(a.patient_id, day, a.unit))
    p2 = dataclasses.replace(p, previous=tuple(previous))
    for sub in split_by_doctor(PlanContext.of(p2)):
        if sub.requirements:
            _, solved = solve_doctor(sub, 10.0)
            assert solved.tiers == exact_tiers(sub, 30.0).tiers


@cache
def _saved_with_unplaced() -> tuple[Problem, PlanResult]:
    p = random_municipality(15)  # more patients than places: some stay unplaced
    return p, solve(p)


def test_a_saved_plan_with_unplaced_patients_is_reused():
    p, first = _saved_with_unplaced()
    assert first.unplaced and first.status == "OPTIMAL"
    prints = {s.doctor: s.fingerprint for s in first.solves}
    again = solve(with_previous(p, first), reuse=prints)
    assert all(s.reused for s in again.solves if s.status != "EMPTY")
    assert key(again) == key(first)
    assert [u.patient_id for u in again.unplaced] == [u.patient_id for u in first.unplaced]


def test_a_placed_patient_without_its_previous_date_is_solved_again():
    """An ÅMV removed from the saved plan (unbooked) is not taken for "unplaced": the doctor
    is solved again and the plan equals a full solve."""
    p, first = _saved_with_unplaced()
    prints = {s.doctor: s.fingerprint for s in first.solves}
    previous = with_previous(p, first).previous
    dropped = previous[0]
    changed = dataclasses.replace(p, previous=previous[1:])
    again = solve(changed, reuse=prints)
    doctor = p.unit(dropped.unit).doctor
    assert {s.doctor for s in again.solves if not s.reused and s.status != "EMPTY"} == {doctor}
    assert key(again) == key(solve(changed))
