"""The window's heap frozen after each full read (issue 17, helper L): full collections skip
it; what the previous full read froze is collected at the next one; an in-place change does
not freeze."""

from __future__ import annotations

import gc
import weakref

from lakarrond.ui import heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_frozen_garbage_waits_for_the_next_full_read():
    node = Node()
    gone = weakref.ref(node)
    heap.settle()
    try:
        assert heap.frozen() > 0
        del node
        gc.collect()
        assert gone() is not None  # frozen: the collector skips it
        heap.settle()  # the next full read unfreezes, collects and freezes again
        assert gone() is None
    finally:
        gc.unfreeze()


def test_only_a_full_read_settles_the_heap(window, monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(heap, "settle", lambda: calls.append(1))
    doc = window.ctx.document
    window.ctx.set_document(doc, [])  # an in-place change: nothing frozen
    assert calls == []
    window.ctx.set_document(doc)  # everything: frozen again
    assert calls == [1]


def test_the_collector_is_paused_while_a_job_builds_and_back_after():
    was = gc.isenabled()  # off once a window's job runner exists (ui.collector)
    gc.enable()
    with heap.collector_paused():
        assert not gc.isenabled()
        with heap.collector_paused():  # two jobs at once: back only after both
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # whoever turned it off keeps it off
    try:
        with heap.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_planning_runs_with_the_collector_paused(qtbot, window, monkeypatch):
    from lakarrond.ui.controllers import plan as plan_controller

    seen: list[bool] = []
    real = plan_controller.make_plan

    def spied(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_controller, "make_plan", spied)
    with qtbot.waitSignal(window.plan.plan_finished, timeout=60_000):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    assert seen == [False]
    assert not heap.paused()  # the pause ended with the job


def test_paused_says_while_a_job_holds_the_pause():
    assert not heap.paused()
    with heap.collector_paused():
        assert heap.paused()
    assert not heap.paused()
