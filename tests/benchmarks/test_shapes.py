"""The shaped family (issue 22, point 12): the shapes are there, and the planner is equal
tier by tier to the independent exact model on small members of it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from benchmarks.shapes import shaped_municipality
from solver.check import PlanContext
from solver.exact import exact_tiers
from solver.rounds import pool_of
from solver.stages import solve_doctor
from solver.subproblem import split_by_doctor


@pytest.mark.parametrize("seed", [1, 7])
def test_equal_to_the_exact_model_tier_by_tier_on_the_new_shapes(seed):
    p = shaped_municipality(seed, size=0.1)
    checked = 0
    for sub in split_by_doctor(PlanContext.of(p)):
        if not sub.requirements:
            continue
        _, solved = solve_doctor(sub, 10.0)
        exact = exact_tiers(sub, 30.0)
        assert exact.proven
        assert solved.status == "OPTIMAL" and solved.tiers == exact.tiers, sub.doctor
        checked += 1
    assert checked >= 3


def test_the_shapes_are_there():
    members = [shaped_municipality(seed, size=0.1) for seed in (1, 2, 3, 5, 6, 7)]
    over_full = planned_ends = first_day_absences = just_after = 0
    for p in members:
        ctx = PlanContext.of(p)
        first = p.settings.first_day
        today = p.settings.plan_from or date(p.year - 1, 12, 4)
        wanted: dict[object, int] = {}
        for req in ctx.demand.required:
            wanted[pool_of(req.unit)] = wanted.get(pool_of(req.unit), 0) + 1
        over_full += sum(n > sum(ctx.pools[k].capacity.values())
                         for k, n in wanted.items() if k in ctx.pools)
        planned_ends += sum(pt.end_date is not None and pt.end_date > first
                            for pt in p.patients)
        first_day_absences += sum(a.start == first and not a.substitute for a in p.absences)
        just_after += sum(pt.last_review is not None
                          and today < pt.last_review <= today + timedelta(days=25)
                          for pt in p.patients)
    assert over_full >= 2 and planned_ends >= 10 and first_day_absences >= 2
    assert just_after >= 2
    assert {p.settings.plan_from is None for p in members} == {True, False}
