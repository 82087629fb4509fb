"""The time limit holds for the whole planning (issue 17, helper L): on the clock, through
services, at every doctor's stages in threads and in worker processes; a plan within the
limit is untouched."""

from __future__ import annotations

from datetime import date

import pytest

from benchmarks.family import random_region
from lakarrond.services import deadline, demo
from lakarrond.services.plan import plan_year

YEAR = 2027


@pytest.fixture
def region(sqlite_db, monkeypatch):  # type: ignore[no-untyped-def]
    """A generated region of reduced size (2 of its 22 parts: 958 patients, 16 doctors)."""
    problem = random_region(1, parts=2, year=YEAR)
    monkeypatch.setattr(demo, "demo_problem", lambda year: problem)
    demo.load_demo(sqlite_db, YEAR)
    return sqlite_db, len(problem.patients)


class JumpingClock:
    """0 when the planning begins, then far past any limit."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        return 0.0 if self.calls == 1 else 1e9


def _solved(saved):  # type: ignore[no-untyped-def]
    return [s for s in saved.result.solves if s.status != "EMPTY" and not s.reused]


@pytest.mark.parametrize("workers", [0, 2], ids=["threads", "processes"])
def test_past_the_limit_every_doctor_stops_after_the_flows(region, monkeypatch, workers):
    db, _ = region
    clock = JumpingClock()
    monkeypatch.setattr(deadline, "clock", clock)
    saved = plan_year(db, YEAR, time_limit=5, plan_from=date(YEAR, 1, 1),
                      settings_overrides={"workers": workers})
    solved = _solved(saved)
    assert len(solved) >= 10
    assert saved.result.stopped
    assert {s.status for s in solved} == {"STOPPED"}
    assert all(s.stages == (("tiers_1_6", "OPTIMAL", 0.0, 0.0),) for s in solved)
    assert clock.calls >= 2
    # the best plan so far still accounts for every patient the plan must hold
    assert saved.result.appointments


def test_within_the_limit_the_plan_is_untouched(region):
    db, _ = region
    saved = plan_year(db, YEAR, time_limit=5, plan_from=date(YEAR, 1, 1))
    solved = _solved(saved)
    assert len(solved) >= 10
    assert not saved.result.stopped
    assert "STOPPED" not in {s.status for s in solved}
    assert any(len(s.stages) > 1 for s in solved)


def test_the_clock_counts_from_the_start_and_adds_the_grace(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(deadline, "clock", lambda: now[0])
    stop = deadline.wall_stop(5.0, None, began=90.0)
    now[0] = 90.0 + 5.0 + deadline.GRACE_S - 0.01
    assert not stop()
    now[0] = 90.0 + 5.0 + deadline.GRACE_S
    assert stop()
    cancelled = deadline.wall_stop(5.0, lambda: True)
    now[0] = 0.0
    assert cancelled()
