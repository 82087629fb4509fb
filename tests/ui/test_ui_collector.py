"""Cycles are collected on the GUI thread only: a job's worker thread that allocates never
runs Python's collector (a collection there destroys Qt objects from the wrong thread – seen
as a segmentation fault "Garbage-collecting" in save_draft on the job runner)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from lakarrond.ui import heap
from lakarrond.ui.collector import INTERVAL_MS, collect_on_gui_thread
from lakarrond.ui.jobs import JobRunner

TIMEOUT_MS = 30_000


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _allocate_cycles() -> int:
    for _ in range(20_000):
        _Cycle()
    return 1


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The thread id of every collection that starts while the test runs."""
    seen: list[int] = []

    def record(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(threading.get_ident())

    gc.callbacks.append(record)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)


def test_a_job_that_allocates_runs_no_collection_in_its_thread(qtbot, qapp, collections):
    runner = JobRunner(qapp)
    assert not gc.isenabled()
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT_MS):
        runner.start("cycles", _allocate_cycles)
    main = threading.get_ident()
    assert all(ident == main for ident in collections)
    cycle = _Cycle()
    gone = weakref.ref(cycle)
    del cycle
    for _ in range(1000):  # enough allocations for the next collection to be due
        _Cycle()
    qtbot.waitUntil(lambda: gone() is None, timeout=20 * INTERVAL_MS)
    assert collections and all(ident == main for ident in collections)


def test_with_the_automatic_collector_a_worker_thread_collects(collections):
    """The hazard itself: Python collects in whichever thread allocates."""
    was = gc.isenabled()
    gc.enable()
    try:
        worker = threading.Thread(target=_allocate_cycles)
        worker.start()
        worker.join()
        assert any(ident != threading.get_ident() for ident in collections)
    finally:
        if not was:
            gc.disable()


def test_the_collector_collects_what_python_would(qapp):
    collector = collect_on_gui_thread()
    assert collector is not None
    gc.collect()
    assert collector.collect() == -1  # nothing allocated since: nothing due
    for _ in range(collector.thresholds[0] + 100):
        _Cycle()
    assert collector.collect() >= 0


def test_the_collector_waits_while_a_job_pauses_collection(qapp):
    collector = collect_on_gui_thread()
    assert collector is not None
    for _ in range(collector.thresholds[0] + 100):
        _Cycle()
    with heap.collector_paused():  # planning: no full pass may stall the window
        assert collector.collect() == -1
    assert collector.collect() >= 0
