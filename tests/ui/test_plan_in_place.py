"""Årsplan follows an outcome in place (issue 17, helper L): the ÅMV table replaces only the
changed rows (no model reset); a new plan, a full change or a row set that differs resets it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lakarrond.document import AnnualReview, PlanDocument, SolverFigures
from lakarrond.ui.context import PlanChange
from lakarrond.ui.controllers.plan import _merged
from lakarrond.ui.models.table import PreparedRows
from lakarrond.ui.views.plan import PlanView
from solver.problem import Settings

YEAR = 2027


def _review(patient: str, day: date, vid: int, status: str = "Planerad") -> AnnualReview:
    return AnnualReview(date=day, doctor="Anna Berg", unit="Bäckliden", patient=patient,
                        personnummer=None, preparation=day, status=status, patient_id=vid,
                        visit_id=vid)


def _doc(version: int = 2, bo: str = "Planerad") -> PlanDocument:
    reviews = (_review("Astrid Lind", date(YEAR, 2, 2), 1),
               _review("Bo Ek", date(YEAR, 2, 9), 2, bo),
               _review("Olle Nord", date(YEAR, 5, 4), 3))
    return PlanDocument(year=YEAR, version=version, settings=Settings(year=YEAR),
                        solver=SolverFigures("OPTIMAL", 0, 0, 0.1), reviews=reviews,
                        today=date(YEAR, 3, 22))


def _view(qtbot):  # type: ignore[no-untyped-def]
    view = PlanView()
    qtbot.addWidget(view)
    view.load(YEAR, _doc())
    resets: list[int] = []
    changed: list[tuple[int, int]] = []
    model = view.visit_model
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    return view, resets, changed


def _status_of(view: PlanView, patient: str) -> str:
    model = view.visit_model
    [row] = [r for r in model.rows() if r.patient == patient]
    return row.status


def test_an_outcome_updates_one_row_in_place(qtbot):
    view, resets, changed = _view(qtbot)
    view.load(YEAR, _doc(bo="Genomförd"), frozenset({2}))
    assert resets == []
    assert len(changed) == 1
    assert _status_of(view, "Bo Ek") == "Genomförd"
    assert _status_of(view, "Astrid Lind") == "Planerad"


def test_a_new_plan_or_a_full_change_resets_the_table(qtbot):
    view, resets, _ = _view(qtbot)
    view.load(YEAR, _doc(bo="Genomförd"))  # everything changed
    assert resets == [1]
    view.load(YEAR, _doc(version=3), frozenset({2}))  # another version: not in place
    assert resets == [1, 1]
    assert _status_of(view, "Bo Ek") == "Planerad"


def test_a_row_set_that_differs_is_filled_anew(qtbot):
    view, resets, _ = _view(qtbot)
    doc = _doc()
    fewer = replace(doc, reviews=doc.reviews[:2])  # Olle's ÅMV left the table
    view.load(YEAR, fewer, frozenset({3}))
    assert resets == [1]
    assert view.visit_model.rowCount() == 2


def test_a_hidden_tab_gathers_the_changes_it_waits_for():
    doc = _doc()
    one = PlanChange(YEAR, doc, doc, frozenset({1}))
    two = PlanChange(YEAR, doc, doc, frozenset({2}))
    assert _merged(None, one) == one
    assert _merged(one, two).visits == frozenset({1, 2})
    assert _merged(one, PlanChange(YEAR, doc, doc, None)).visits is None
    assert _merged(PlanChange(YEAR, doc, doc, None), two).visits is None


def _count_cache(view, monkeypatch):  # type: ignore[no-untyped-def]
    import threading

    calls: list[bool] = []
    model = view.visit_model
    real = model._cache

    def counted(row, *more):  # type: ignore[no-untyped-def]
        calls.append(threading.current_thread() is threading.main_thread())
        return real(row, *more)

    monkeypatch.setattr(model, "_cache", counted)
    return calls


def _content(view, doc):  # type: ignore[no-untyped-def]
    """What the save job prepares for Årsplan (ui.prepared), made here."""
    from lakarrond.ui.prepared import PlanContent

    return PlanContent(doc, view.prepare_visits(doc), view.follow_up_model.prepare([]),
                       PreparedRows([], [], []), None, None)


def test_rows_prepared_for_the_document_are_set_without_computing(qtbot, monkeypatch):
    view, resets, _ = _view(qtbot)
    doc = _doc(version=3)
    view.offer(_content(view, doc))
    calls = _count_cache(view, monkeypatch)
    view.load(YEAR, doc)
    assert calls == []
    assert resets == [1]
    assert view.visit_model.rowCount() == 3


def test_rows_prepared_for_another_document_are_not_used(qtbot, monkeypatch):
    view, _, _ = _view(qtbot)
    other = _doc(version=3)
    view.offer(_content(view, other))
    calls = _count_cache(view, monkeypatch)
    view.load(YEAR, _doc(version=4))
    assert len(calls) == 3


def test_a_saved_plan_is_shown_with_rows_prepared_on_the_job(qtbot, window, monkeypatch):
    window.tabs.setCurrentWidget(window.plan_view)
    calls = _count_cache(window.plan_view, monkeypatch)
    with qtbot.waitSignal(window.plan.plan_finished, timeout=60_000):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    assert window.plan_view.visit_model.rowCount() > 0
    assert calls and not any(calls)  # every row computed, none on the GUI thread
