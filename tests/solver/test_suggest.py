"""suggest: the best dates for one patient against the saved plan, moving no one."""

from __future__ import annotations

from datetime import date

import pytest
from tiny import patient, problem, weekly_unit

from solver.problem import PreviousVisit, Settings
from solver.result import Appointment
from solver.solve import solve
from solver.suggest import NoDateLeft, suggest


def test_dates_in_the_window_first_free_places_only_and_a_reason():
    p = problem([weekly_unit()], [patient("a", last=date(2026, 6, 10)),
                                  patient("b", last=date(2026, 6, 10))])
    saved = solve(p).appointments
    taken = {x.date for x in saved if x.patient_id == "b"}
    result = suggest(p, saved, "a", limit=3)
    assert result.window == (date(2027, 1, 1), date(2027, 6, 10))
    assert len(result.suggestions) == 3
    assert all(s.in_window and s.date not in taken for s in result.suggestions)
    assert all(s.date.weekday() == 3 for s in result.suggestions)
    assert result.suggestions[0].reason.startswith("inom fönstret; vecka ")
    assert "ÅMV hos Anna Berg" in result.suggestions[0].reason


def test_after_the_planning_date_and_a_free_place_in_the_freeze_is_allowed():
    settings = Settings(2027, plan_from=date(2027, 3, 1))
    p = problem([weekly_unit()], [patient("a", last=date(2026, 3, 20)),
                                  patient("f", last=date(2026, 9, 1))], settings=settings,
                previous=(PreviousVisit("f", date(2027, 3, 4)),))
    saved = solve(p).appointments
    result = suggest(p, saved, "a")
    assert all(s.date >= date(2027, 3, 1) for s in result.suggestions)
    assert date(2027, 3, 4) not in {s.date for s in result.suggestions}  # frozen, taken
    assert date(2027, 3, 11) in {s.date for s in result.suggestions}  # free, in the freeze
    assert result.suggestions[0].date == date(2027, 3, 18)  # closest to the ideal 20 March


def test_no_date_left_raises_in_swedish():
    settings = Settings(2027, blocked_periods=((date(2027, 1, 1), date(2027, 12, 24)),))
    p = problem([weekly_unit()], [patient("a", last=date(2026, 6, 10)),
                                  patient("b", last=date(2026, 6, 10))], settings=settings)
    saved = [Appointment("b", "Bäckliden", "Anna Berg", date(2027, 12, 30),
                         date(2027, 12, 16))]
    with pytest.raises(NoDateLeft, match="inget möjligt datum"):
        suggest(p, saved, "a")
