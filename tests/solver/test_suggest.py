"""suggest: the best dates for one patient against the saved plan: free dates in the window,
then dates in the window that move one other ÅMV inside its own window, then late free dates."""

from __future__ import annotations

from datetime import date

import pytest
from tiny import patient, problem, weekly_unit

from solver.check import PlanContext, check_plan, new_hard_breaks
from solver.problem import PreviousVisit, Settings, VisitStatus
from solver.result import Appointment
from solver.solve import solve
from solver.suggest import NoDateLeft, applied, suggest


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


# --- a full month: dates inside the window that move one other ÅMV -------------------------

MARCH = (date(2027, 3, 4), date(2027, 3, 11), date(2027, 3, 18), date(2027, 3, 25))


def _full_march(status: VisitStatus = VisitStatus.PLANNED, booked: bool = False):  # type: ignore[no-untyped-def]
    """One ÅMV per weekly round (Thursdays), every March round taken; a patient admitted on
    3 March (window 3–31 March), planned from 3 March (freeze to 16 March). The ÅMV of 18
    March cannot move (its window ends 20 March); the one of 25 March can (window to June)."""
    lasts = {"p04": date(2026, 6, 1), "p11": date(2026, 6, 1), "p18": date(2026, 3, 20),
             "p25": date(2026, 6, 1)}
    settings = Settings(2027, plan_from=date(2027, 3, 3))
    patients = [patient(pid, last=last) for pid, last in lasts.items()]
    patients.append(patient("n", admitted=date(2027, 3, 3), name="Nina Ny"))
    previous = tuple(PreviousVisit(pid, day, booked=booked and pid == "p25")
                     for pid, day in zip(lasts, MARCH, strict=True))
    p = problem([weekly_unit()], patients, settings=settings, previous=previous)
    saved = [Appointment(pid, "Bäckliden", "Anna Berg", day, day,
                         status if pid == "p25" else VisitStatus.PLANNED)
             for pid, day in zip(lasts, MARCH, strict=True)]
    return p, saved


def test_a_full_window_offers_a_date_that_moves_one_other_inside_its_window():
    p, saved = _full_march()
    result = suggest(p, saved, "n", limit=5)
    first = result.suggestions[0]
    assert (first.date, first.in_window) == (date(2027, 3, 25), True)
    assert first.move is not None
    assert (first.move.patient, first.move.old, first.move.new) == (
        "Patient p25", date(2027, 3, 25), date(2027, 4, 1))
    assert "flyttar Patient p25 från 2027-03-25 till 2027-04-01" in first.reason
    # the frozen rounds and the ÅMV whose window ends on 20 March are not moved
    assert [s.date for s in result.suggestions if s.move] == [date(2027, 3, 25)]
    # then the free dates after the window, fewest days late first
    assert [s.date for s in result.suggestions[1:3]] == [date(2027, 4, 1), date(2027, 4, 8)]
    assert not any(s.in_window for s in result.suggestions[1:])


@pytest.mark.parametrize("status", [VisitStatus.LOCKED, VisitStatus.DONE])
def test_a_locked_or_done_review_is_not_moved(status):
    p, saved = _full_march(status)
    result = suggest(p, saved, "n")
    assert all(s.move is None and not s.in_window for s in result.suggestions)
    assert result.suggestions[0].date == date(2027, 4, 1)


def test_a_booked_review_is_not_moved():
    p, saved = _full_march(booked=True)
    result = suggest(p, saved, "n")
    assert all(s.move is None for s in result.suggestions)
    assert result.suggestions[0].date == date(2027, 4, 1)


def test_every_suggestion_adds_no_hard_rule_break():
    p, saved = _full_march()
    ctx = PlanContext.of(p)
    result = suggest(p, saved, "n", limit=20, ctx=ctx)
    before = check_plan(ctx, saved, [])
    assert len(result.suggestions) == 20
    assert any(s.move is not None for s in result.suggestions)  # the move rule is tried
    for s in result.suggestions:
        after = check_plan(ctx, applied(ctx, saved, "n", s), [])
        assert not new_hard_breaks(before, after), s
        if s.move is not None:  # the moved ÅMV stays inside its own window
            assert not [b for b in after if b.patient_id == s.move.patient_id]
