"""Every suggestion over a seeded random family of municipalities, planned from 1 March
against the plan made from 1 January (a freeze, history, full rounds): carried out on the
saved plan it adds no break of a hard rule, and a move keeps the other ÅMV inside its own
window, outside the freeze and off every pinned ÅMV."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from benchmarks.family import random_municipality
from solver.check import PlanContext, check_plan, new_hard_breaks
from solver.problem import PinnedVisit, PreviousVisit, VisitStatus
from solver.result import Appointment
from solver.solve import solve
from solver.suggest import NoDateLeft, applied, suggest


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_suggestion_of_a_random_municipality_keeps_the_hard_rules(seed):
    first = random_municipality(seed, size=0.5)
    full = solve(first)
    march = date(first.year, 3, 1)
    history = tuple(PinnedVisit(a.patient_id, a.date, VisitStatus.DONE)
                    for a in full.appointments if a.date < march)
    problem = dataclasses.replace(
        first, settings=dataclasses.replace(first.settings, plan_from=march),
        pinned=(*first.pinned, *history),
        previous=tuple(PreviousVisit(a.patient_id, a.date, a.unit)
                       for a in full.appointments if a.date >= march))
    saved = [a if a.date >= march else Appointment(a.patient_id, a.unit, a.doctor, a.date,
                                                   a.preparation, VisitStatus.DONE)
             for a in full.appointments]
    ctx = PlanContext.of(problem)
    moves = tried = 0
    for req in ctx.demand.required[::3]:
        pid = req.patient.id
        try:
            result = suggest(problem, saved, pid, limit=8, ctx=ctx)
        except NoDateLeft:
            continue
        others = [a for a in saved if a.patient_id != pid]
        before = check_plan(ctx, others, [])
        kinds = [0 if s.in_window and s.move is None else 1 if s.in_window else 2
                 for s in result.suggestions]
        assert kinds == sorted(kinds)  # free in the window, with a move, late
        for s in result.suggestions:
            tried += 1
            assert s.date >= march and req.allows(s.date)
            assert not new_hard_breaks(before, check_plan(ctx, applied(ctx, others, pid, s), []))
            if s.move is not None:
                moves += 1
                other = ctx.requirement(s.move.patient_id)
                assert other is not None and other.in_window(s.move.new)
                assert not ctx.freeze.in_freeze(s.move.old)
                assert not ctx.freeze.in_freeze(s.move.new)
                assert s.move.patient_id not in ctx.demand.pinned
    assert tried > 0
