""""Spara planen" without blocking the window and without keeping the old plan (issue 17,
helper X): what the views show is prepared on the save job; Rondschema follows an outcome in
place; a tab not shown catches up when shown; nothing holds the previous document or the
re-plan's preview after the save."""

from __future__ import annotations

import gc
import threading
import weakref
from dataclasses import replace
from datetime import date

from lakarrond.document import AnnualReview, PlanDocument, RoundEntry, SolverFigures
from lakarrond.ui.dialogs.replan import ReplanDialog
from lakarrond.ui.views.rounds import RoundsView
from solver.problem import Settings

TIMEOUT_MS = 60_000
YEAR = 2027
DAY = date(YEAR, 2, 2)


def _doc(version: int = 1, held: int = 1) -> PlanDocument:
    review = AnnualReview(date=DAY, doctor="Anna Berg", unit="Bäckliden", patient="Bo Ek",
                          personnummer=None, preparation=DAY, status="Planerad",
                          patient_id=1, visit_id=1)
    rounds = (RoundEntry(date=DAY, unit="Bäckliden", doctor="Anna Berg", start="09:00",
                         length_min=60, form="Rond", reviews=held),
              RoundEntry(date=date(YEAR, 2, 9), unit="Bäckliden", doctor="Anna Berg",
                         start="09:00", length_min=60, form="Rond"))
    return PlanDocument(year=YEAR, version=version, settings=Settings(year=YEAR),
                        solver=SolverFigures("OPTIMAL", 0, 0, 0.1), reviews=(review,),
                        rounds=rounds, today=date(YEAR, 3, 1))


def _rounds_view(qtbot):  # type: ignore[no-untyped-def]
    view = RoundsView()
    qtbot.addWidget(view)
    doc = _doc()
    view.load(YEAR, doc)
    resets: list[int] = []
    changed: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    view.model.dataChanged.connect(lambda a, _b, *_: changed.append(a.row()))
    return view, doc, resets, changed


def _patched(doc: PlanDocument, held: int) -> PlanDocument:
    """What ``patch_document`` makes of an outcome: the day's rounds are new objects."""
    return replace(doc, rounds=(replace(doc.rounds[0], reviews=held), doc.rounds[1]))


def _held(view: RoundsView) -> list[int]:
    return [r.reviews for r in view.model.rows()]


def test_rondschema_follows_an_outcome_in_place(qtbot):
    view, doc, resets, changed = _rounds_view(qtbot)
    view.load(YEAR, _patched(doc, 0), frozenset({1}))  # Genomförd elsewhere: 0 held
    assert resets == []  # no reload of the table
    assert len(changed) == 1
    assert _held(view) == [0, 0]


def test_rondschema_is_filled_anew_for_a_new_plan(qtbot):
    view, doc, resets, _ = _rounds_view(qtbot)
    view.load(YEAR, replace(_patched(doc, 0), version=2), frozenset({1}))  # another version
    assert resets == [1]
    view.load(YEAR, _patched(doc, 1))  # everything changed (visits None)
    assert resets == [1, 1]
    assert _held(view) == [1, 0]


def test_rondschema_rows_offered_for_another_document_are_not_used(qtbot):
    from lakarrond.ui.prepared import PlanContent

    view, _, _, _ = _rounds_view(qtbot)
    other, new = _doc(version=2), _doc(version=3, held=0)
    empty = view.model.prepare([])
    view.offer(PlanContent(other, empty, empty, view.model.prepare(other.rounds),  # type: ignore[arg-type]
                           None, None))
    view.load(YEAR, new)
    assert _held(view) == [0, 0]  # read from ``new``, not the rows offered for ``other``
    view.offer(PlanContent(new, empty, empty, view.model.prepare(new.rounds[:1]),  # type: ignore[arg-type]
                           None, None))
    view.load(YEAR, new)
    assert view.model.rowCount() == 1  # the rows offered for ``new`` are used as they are


def _plan(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    qtbot.waitUntil(lambda: not window.ctx.settle_timer.isActive())


def test_a_hidden_rondschema_waits_and_is_filled_when_shown(qtbot, window):
    window.show()
    window.tabs.setCurrentWidget(window.plan_view)
    _plan(qtbot, window)
    window.tabs.setCurrentWidget(window.rounds_view)
    shown = window.rounds_view.model.rowCount()
    window.tabs.setCurrentWidget(window.plan_view)
    window.ctx.exec_dialog = lambda dialog: True  # "Spara planen"
    _plan(qtbot, window)  # a second version while Rondschema is not shown
    assert window.rounds_view.doc is not window.ctx.document  # not filled: not shown
    window.tabs.setCurrentWidget(window.rounds_view)
    assert window.rounds_view.doc is window.ctx.document  # caught up when shown
    assert window.rounds_view.model.rowCount() == shown


def test_a_saved_plan_s_views_are_prepared_on_the_job(qtbot, window, monkeypatch):
    from lakarrond.ui import prepared

    threads: list[bool] = []
    real = prepared.Preparer.__call__

    def spied(self, doc):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real(self, doc)

    monkeypatch.setattr(prepared.Preparer, "__call__", spied)
    window.show()
    _plan(qtbot, window)
    assert threads == [False]  # on the job's thread
    week = window.week.week
    assert week is not None and window.week_view.todo_model.rowCount() == len(week.todo)


def test_nothing_holds_the_previous_plan_after_a_re_plan(qtbot, window):
    window.show()
    window.tabs.setCurrentWidget(window.plan_view)
    _plan(qtbot, window)
    first = weakref.ref(window.ctx.document)
    window.ctx.exec_dialog = lambda dialog: True  # the preview answered "Spara planen"
    _plan(qtbot, window)
    assert window.ctx.document is not None and window.ctx.document is not first()
    gc.collect()  # the frozen heap is not walked: a cycle would keep it
    assert first() is None
    assert window.findChildren(ReplanDialog) == []  # the preview with its draft is gone


def test_a_kept_document_is_seen_by_the_check(qtbot, window):
    """The pair of the test above: a document still referred to stays."""
    window.show()
    _plan(qtbot, window)
    kept = window.ctx.document
    first = weakref.ref(kept)
    window.ctx.exec_dialog = lambda dialog: True
    _plan(qtbot, window)
    gc.collect()
    assert first() is kept


def test_the_week_tree_shown_before_is_not_a_cycle(qtbot, window):
    """A week's tree (a parent and its children point at each other) is unlinked when the
    next week replaces it: the frozen heap is not walked again, so a cycle would stay."""
    window.show()
    _plan(qtbot, window)
    window.week.go(window.ctx.document.reviews[0].date)  # a week with ÅMV
    old = window.week_view.tree_model.nodes()
    assert old and all(n.parent is not None for n in old)  # the tree shown: linked
    window.week.next_week()
    assert all(n.parent is None and not n.children for n in old)
