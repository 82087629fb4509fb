"""The order of a plan's qualities: each tier before the next, never traded."""

from __future__ import annotations

from datetime import date

import pytest
from tiny import patient, problem, weekly_unit

from benchmarks.family import random_municipality
from solver.check import PlanContext
from solver.demand import build_demand
from solver.exact import exact_tiers
from solver.problem import Settings
from solver.solve import solve
from solver.stages import solve_doctor
from solver.subproblem import split_by_doctor


def dates(result) -> dict[str, date]:
    return {a.patient_id: a.date for a in result.appointments}


def test_a_real_deadline_is_kept_before_an_overdue_patient():
    # four deadlines on 28 January take the four Thursdays of January; the overdue patient
    # (12 months ran out in 2026) would like January too, but must wait: tier 2 before 3
    deadlines = [patient(f"d{i}", last=date(2026, 1, 28)) for i in range(4)]
    overdue = patient("o", last=date(2025, 6, 2))
    result = solve(problem([weekly_unit(weekday=3)], [*deadlines, overdue]))
    plan = dates(result)
    assert all(plan[f"d{i}"] <= date(2027, 1, 28) for i in range(4))
    assert plan["o"] == date(2027, 2, 4)  # the first round after its 28 days
    late = [v for v in result.violations if v.patient_id == "o" and v.rule == "R8"]
    assert any("mer än 28 dagar" in v.message for v in late)
    assert result.measures.late_overdue == 1 and result.measures.days_late == 6
    assert result.status == "OPTIMAL"


def test_admitted_less_than_28_days_before_the_year_is_not_overdue():
    p = problem([weekly_unit()], [patient("n", admitted=date(2026, 12, 20))])
    [req] = build_demand(p).required
    assert not req.overdue and req.window_end == date(2027, 1, 17)


def test_overdue_is_judged_from_the_planning_date():
    settings = Settings(2027, plan_from=date(2027, 3, 1))
    p = problem([weekly_unit()], [patient("a", last=date(2026, 2, 15)),
                                  patient("b", last=date(2026, 4, 15))], settings=settings)
    reqs = {r.patient.id: r for r in build_demand(p).required}
    assert reqs["a"].overdue and reqs["a"].window_start == date(2027, 3, 1)
    assert reqs["a"].window_end == date(2027, 3, 29)
    assert not reqs["b"].overdue


def test_the_weekly_peak_comes_before_closeness():
    # twelve patients all due the same day: closeness would pile them up, the peak spreads
    patients = [patient(f"p{i:02}", last=date(2026, 6, 3)) for i in range(12)]
    result = solve(problem([weekly_unit(weekday=3, per_round=4)], patients))
    assert result.measures.peak_week["Anna Berg"] == 1


@pytest.mark.parametrize("seed", [1, 2])
def test_equal_to_the_exact_model_tier_by_tier(seed):
    p = random_municipality(seed, size=0.08)
    for sub in split_by_doctor(PlanContext.of(p)):
        if not sub.requirements:
            continue
        _, solved = solve_doctor(sub, 10.0)
        exact = exact_tiers(sub, 30.0)
        assert exact.proven
        assert solved.status == "OPTIMAL" and solved.tiers == exact.tiers, sub.doctor
