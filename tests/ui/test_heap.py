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


class Leaf:
    """No cycle: reference counting alone frees it."""


def test_a_settle_collects_the_cycles_made_since_the_last_one():
    node = Node()
    gone = weakref.ref(node)
    del node  # young cyclic garbage: collected before the heap is frozen
    heap.settle()
    try:
        assert gone() is None
        assert heap.frozen() > 0
    finally:
        gc.unfreeze()


def test_frozen_cyclic_garbage_waits_for_a_deep_settle():
    node = Node()
    gone = weakref.ref(node)
    heap.settle()
    try:
        del node
        gc.collect()
        assert gone() is not None  # frozen: the collector skips it
        heap.settle()  # a settle walks only what is new (issue 17: the save's block)
        assert gone() is not None
        heap.settle(deep=True)  # another database, the window closed: the whole heap
        assert gone() is None
    finally:
        gc.unfreeze()


def test_a_frozen_object_without_a_cycle_dies_with_its_last_reference():
    leaf = Leaf()
    gone = weakref.ref(leaf)
    heap.settle()
    try:
        del leaf  # no collection: reference counting frees a frozen object too
        assert gone() is None
    finally:
        gc.unfreeze()


def _doc():  # type: ignore[no-untyped-def]
    from datetime import date

    from lakarrond.document import AnnualReview, PlanDocument, RoundEntry, SolverFigures
    from solver.problem import Settings

    day = date(2027, 2, 2)
    review = AnnualReview(date=day, doctor="Anna Berg", unit="Bäckliden", patient="Bo Ek",
                          personnummer=None, preparation=day, status="Planerad",
                          patient_id=1, visit_id=1)
    rounds = (RoundEntry(date=day, unit="Bäckliden", doctor="Anna Berg", start="09:00",
                         length_min=60, form="Rond"),)
    return PlanDocument(year=2027, version=1, settings=Settings(year=2027),
                        solver=SolverFigures("OPTIMAL", 0, 0, 0.1), reviews=(review,),
                        rounds=rounds, today=date(2027, 3, 1))


def test_a_document_and_its_week_index_are_not_a_cycle():
    """The replaced plan document dies by reference counting (the frozen heap is not
    walked again): its week index, kept in the document, does not point back."""
    from lakarrond.services.week import week_index

    copy = _doc()
    week_index(copy).timetable(copy, copy.reviews[0].date)
    gone = weakref.ref(copy)
    was = gc.isenabled()
    gc.disable()
    try:
        del copy
        assert gone() is None
    finally:
        if was:
            gc.enable()


def test_a_cycle_through_a_document_needs_the_collector():
    """The pair of the test above: a document something points back to from inside is
    kept by the cycle until a collection (what the week index did before)."""
    copy = _doc()
    copy.__dict__["_back"] = [copy]
    gone = weakref.ref(copy)
    was = gc.isenabled()
    gc.disable()
    try:
        del copy
        assert gone() is not None
        gc.collect()
        assert gone() is None
    finally:
        if was:
            gc.enable()


def test_only_a_full_read_settles_the_heap_after_the_views(qtbot, window, monkeypatch):
    qtbot.waitUntil(lambda: not window.ctx.settle_timer.isActive())  # the start-up's read
    calls: list[bool] = []
    monkeypatch.setattr(heap, "settle", lambda deep=False: calls.append(deep))
    doc = window.ctx.document
    window.ctx.set_document(doc, [])  # an in-place change: nothing frozen
    assert not window.ctx.settle_timer.isActive()
    window.ctx.set_document(doc)  # everything: frozen again, in a turn of its own
    assert calls == []  # not inside the change: the views are shown first
    qtbot.waitUntil(lambda: calls == [False])


def test_another_database_settles_the_whole_heap(qtbot, window, monkeypatch, tmp_path):
    from lakarrond.store import open_database

    calls: list[bool] = []
    monkeypatch.setattr(heap, "settle", lambda deep=False: calls.append(deep))
    window.ctx.switch_database(open_database(str(tmp_path / "other.sqlite")), 2027)
    qtbot.waitUntil(lambda: bool(calls))
    assert calls[-1] is True


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
    qtbot.waitUntil(lambda: not heap.paused())  # the pause ended with the job's settle


def test_paused_says_while_a_job_holds_the_pause():
    assert not heap.paused()
    with heap.collector_paused():
        assert heap.paused()
    assert not heap.paused()


def test_the_collector_waits_for_a_settle_on_its_way():
    """A job's full read is on its way: the GUI thread's settle will collect what it made,
    the collector does not walk it first (issue 17: "Spara planen")."""
    heap.settle_expected(seconds=5.0)
    try:
        assert heap.paused()
    finally:
        heap.settle()
        gc.unfreeze()
    assert not heap.paused()  # the settle came: collections as usual


def test_a_settle_that_never_comes_does_not_stop_the_collector():
    heap.settle_expected(seconds=0.0)  # the job failed: no settle follows
    assert not heap.paused()
