"""The municipality scenario solved end to end, with the measures checked."""

import pytest

from solver.scenarios import municipality
from solver.solve import solve


@pytest.mark.slow
def test_municipality_plan_is_complete_feasible_and_even():
    problem = municipality()
    result = solve(problem)
    m = result.measures
    assert m.coverage == 1.0 and not result.unplaced
    assert m.hard_break_count == 0
    assert m.window_breaks == 0
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
