"""The municipality scenario solved end to end, with the measures checked."""

import pytest

from solver.demand import build_demand
from solver.scenarios import municipality
from solver.solve import solve


@pytest.mark.slow
def test_municipality_plan_is_complete_feasible_and_even():
    problem = municipality()
    result = solve(problem)
    m = result.measures
    assert m.coverage == 1.0 and not result.unplaced
    assert m.hard_break_count == 0
    # the only window breaks are the R8 deadlines that ran out before the plan year, each
    # reported and planned as early as possible
    overdue = {r.patient.id for r in build_demand(problem).required
               if r.overdue and r.rule == "R8"}
    assert overdue
    broken = [v for v in result.violations if v.rule in ("R7", "R8")]
    assert {v.patient_id for v in broken} == overdue and m.window_breaks == len(overdue)
    assert result.status == "OPTIMAL"
    assert all(s.status in ("OPTIMAL", "EMPTY") for s in result.solves)
    assert m.peak_ratio_max <= 1.5
    for doctor, peak in m.peak_week.items():
        assert peak >= m.peak_week_bound[doctor]
    # every required patient once; preparation 14 days or more before
    assert len({a.patient_id for a in result.appointments}) == len(result.appointments)
    assert all((a.date - a.preparation).days >= 14 for a in result.appointments)
    # same input → same plan
    again = solve(problem)
    assert [(a.patient_id, a.date) for a in again.appointments] == [
        (a.patient_id, a.date) for a in result.appointments
    ]
