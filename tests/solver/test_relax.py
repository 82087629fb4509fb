"""The LP proofs of tiers 7–9 (``solver.relax``): the bound holds for any multipliers, a plan
that meets it is optimal, and the planner's tiers equal those of CP-SAT alone."""

from __future__ import annotations

import dataclasses
import itertools
import random

import numpy as np
import pytest
from ortools.sat.python import cp_model

import solver.model
import solver.stages
from benchmarks.family import random_municipality
from solver.check import PlanContext
from solver.problem import PreviousVisit, VisitStatus
from solver.relax import Rows, dual_bound, meets, objective_of, solve_lp
from solver.solve import solve
from solver.stages import solve_doctor
from solver.subproblem import split_by_doctor


def _small(seed: int) -> tuple[cp_model.CpModel, list[cp_model.IntVar], cp_model.LinearExprT]:
    rng = random.Random(seed)
    m = cp_model.CpModel()
    xs = [m.new_int_var(0, rng.randint(1, 3), f"x{i}") for i in range(4)]
    for _ in range(3):
        coefs = [rng.randint(-3, 3) for _ in xs]
        expr = sum(c * x for c, x in zip(coefs, xs, strict=True))
        if rng.random() < 0.3:
            m.add(expr == rng.randint(0, 4))
        elif rng.random() < 0.5:
            m.add(expr >= rng.randint(-3, 3))
        else:
            m.add(expr <= rng.randint(0, 6))
    return m, xs, sum(rng.randint(-4, 4) * x for x in xs) + rng.randint(0, 5)


def _brute(rows: Rows, obj) -> int | None:
    best = None
    for point in itertools.product(*(range(lo, hi + 1) for lo, hi in
                                     zip(rows.lo.tolist(), rows.hi.tolist(), strict=True))):
        x = np.array(point, dtype=np.int64)
        if rows.feasible(x):
            best = obj.value(x) if best is None else min(best, obj.value(x))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_bound_holds_for_any_multipliers_and_a_plan_at_it_is_optimal(seed):
    m, _, expr = _small(seed)
    rows = Rows.of(m)
    obj = objective_of(m, expr)
    assert rows is not None and obj is not None
    best = _brute(rows, obj)
    costs = np.zeros(len(rows.lo), dtype=np.int64)
    np.add.at(costs, obj.vars, obj.coefs)
    rng = np.random.default_rng(seed)
    for _ in range(20):  # weak duality: any multipliers give a bound below every plan
        bound = dual_bound(rows, costs, obj.offset, rows.rows,
                           rng.normal(0, 3, len(rows.rows)))
        assert bound is None or best is None or bound <= best
    lp = solve_lp(rows, obj)
    if best is None:
        return
    assert lp is not None and lp.bound <= best
    x = np.rint(lp.x).astype(np.int64)
    if meets(rows, obj, lp.bound, x):
        assert obj.value(x) == best


def test_the_lp_bound_of_an_assignment_is_its_optimum():
    m = cp_model.CpModel()
    cost = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
    x = [[m.new_int_var(0, 1, f"x{i}{j}") for j in range(3)] for i in range(3)]
    for i in range(3):
        m.add(sum(x[i]) == 1)
        m.add(sum(x[j][i] for j in range(3)) == 1)
    rows = Rows.of(m)
    obj = objective_of(m, sum(cost[i][j] * x[i][j] for i in range(3) for j in range(3)))
    assert rows is not None and obj is not None
    lp = solve_lp(rows, obj)
    assert lp is not None and lp.bound == 5
    assert meets(rows, obj, 5, np.rint(lp.x).astype(np.int64))
    # a row that is not linear (or a domain with holes) turns the LP off: nothing claimed
    m.add_max_equality(x[0][0], [x[1][1], x[2][2]])
    assert Rows.of(m) is None


def _cp_sat_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The planner as before the LP proofs: CP-SAT for every stage, month bands of a unit
    whose count may vary with floor and ceil variables."""
    monkeypatch.setattr(solver.stages.Rows, "of", staticmethod(lambda model: None))
    monkeypatch.setattr(solver.model, "CHOICE_LIMIT", -1)


@pytest.mark.parametrize(("seed", "size"), [(3, 0.3), (4, 0.3), (7, 0.6), (15, 0.5)])
def test_the_lp_proofs_give_the_tiers_of_cp_sat_alone(seed, size, monkeypatch):
    # seeds with unplaced patients (4, 15) and units whose count may vary (7, 15); the
    # second problem has a previous plan with every other ÅMV a week off (tier 9)
    p = random_municipality(seed, size=size)
    first = solve(p)
    previous = [PreviousVisit(a.patient_id, a.date.replace(day=min(a.date.day + 7, 28))
                              if i % 2 else a.date, a.unit)
                for i, a in enumerate(a for a in first.appointments
                                      if a.status is VisitStatus.PLANNED)]
    subs = [s for q in (p, dataclasses.replace(p, previous=tuple(previous)))
            for s in split_by_doctor(PlanContext.of(q)) if s.requirements]
    proven = [solve_doctor(sub, 10.0)[1] for sub in subs]
    _cp_sat_alone(monkeypatch)
    searched = [solve_doctor(sub, 10.0)[1] for sub in subs]
    for a, b in zip(proven, searched, strict=True):
        assert a.status == b.status == "OPTIMAL"
        assert a.tiers == b.tiers, a.doctor
        assert all(value == bound for _, _, value, bound in a.stages)
