"""Causes, not lines: every break has a stable cause, plain Swedish, and a fix action the
program can carry out where one helps."""

from __future__ import annotations

import re
from datetime import date

from tiny import DOCTOR, patient, problem, weekly_unit

from benchmarks.family import random_municipality
from solver.problem import PinnedVisit, Settings, VisitStatus
from solver.result import FIX_KINDS
from solver.solve import solve

SOLVER_WORDS = re.compile(r"\bR(1[01]|[1-9])\b|OPTIMAL|FEASIBLE|objective|\bCV\b", re.I)


def test_texts_have_no_rule_ids_or_solver_words_and_actions_are_known_kinds():
    for seed in (1, 4, 10):
        result = solve(random_municipality(seed, size=0.3))
        for v in result.violations:
            assert not SOLVER_WORDS.search(v.message), v.message
            assert not SOLVER_WORDS.search(v.fix), v.fix
            assert v.cause
            assert v.action is None or v.action.kind in FIX_KINDS


def test_singular_and_plural():
    settings_patients = [patient(f"p{i}", admitted=date(2027, 1, 4)) for i in range(2)]
    s = Settings(2027, blocked_periods=((date(2027, 1, 8), date(2027, 12, 31)),))
    two = solve(problem([weekly_unit()], settings_patients, settings=s))
    [v] = [v for v in two.violations if v.rule == "R1"]
    assert "2 patienter men 1 rondtillfälle × 1 ÅMV per rond" in v.message
    assert v.cause == "capacity:unit:Bäckliden"
    assert v.action is not None and v.action.kind == "raise_reviews_per_round"
    assert v.action.unit == "Bäckliden" and v.action.value == 2


def test_a_break_caused_by_the_users_own_lock_says_so_and_offers_unlock():
    # two new patients, one place per Thursday; the four Thursdays of the window are taken by
    # locked ÅMV of other patients, so the new one misses its 28 days because of the locks
    thursdays = [date(2027, 3, 4), date(2027, 3, 11), date(2027, 3, 18), date(2027, 3, 25)]
    locked = [patient(f"l{i}", last=date(2026, 9, 1)) for i in range(4)]
    pinned = tuple(PinnedVisit(f"l{i}", d, VisitStatus.LOCKED) for i, d in enumerate(thursdays))
    result = solve(problem([weekly_unit()], [*locked, patient("n", admitted=date(2027, 3, 1))],
                           pinned=pinned))
    [v] = [v for v in result.violations if v.patient_id == "n"]
    assert "orsakas av låsta ÅMV" in v.message and "lås upp" in v.fix
    assert v.cause == "lock:unit:Bäckliden"
    assert v.action is not None and v.action.kind == "unlock"
    assert v.action.patient_id.startswith("l") and v.action.day in thursdays


def test_a_window_with_full_places_offers_more_per_round_or_an_extra_round():
    patients = [patient(f"n{i}", admitted=date(2027, 3, 10)) for i in range(5)]
    result = solve(problem([weekly_unit(weekday=3)], patients))
    [v] = [v for v in result.violations if v.rule == "R7"]
    assert v.action is not None and v.action.kind == "raise_reviews_per_round"
    assert v.action.value == 2 and "extra rond" in v.fix
    assert v.doctor == DOCTOR
