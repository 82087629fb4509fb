"""A change updates what changed (issue 17): Genomförd, its undo and a ticked preparation step
update the ÅMV's row of Veckan and the counts in place – ``dataChanged``, no model reset, no
reload of the window and no document built again; another week is shown anew."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from lakarrond.services import document as document_service
from lakarrond.services.week_data import UNRECORDED, monday_of
from lakarrond.ui.context import PLAN
from lakarrond.ui.controllers import plan as plan_controller
from lakarrond.ui.models.week import WeekTreeModel
from solver.problem import VisitStatus

TIMEOUT_MS = 60_000


class Spy:
    """Counts what the window does while an action runs."""

    def __init__(self, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.resets = 0
        self.changed_rows = 0
        self.kinds: list[str] = []
        self.builds = 0
        model = window.week_view.tree_model
        model.modelReset.connect(lambda: self._count("resets"))
        model.dataChanged.connect(lambda *_: self._count("changed_rows"))
        window.ctx.changed.connect(self.kinds.append)  # ctx.changed → MainWindow.reload
        real = document_service.build_document

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.builds += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(document_service, "build_document", counted)
        read = plan_controller.current_document

        def read_counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.builds += 1
            return read(*args, **kwargs)

        monkeypatch.setattr(plan_controller, "current_document", read_counted)

    def _count(self, name: str) -> None:
        setattr(self, name, getattr(self, name) + 1)

    def reset(self) -> None:
        self.resets = self.changed_rows = self.builds = 0
        self.kinds.clear()


def _past_review_shown(qtbot, window):  # type: ignore[no-untyped-def]
    """Plan; live on the Sunday of the first ÅMV's week (it is past, not recorded) and show
    that week with the ÅMV chosen."""
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    first = min(window.ctx.document.reviews, key=lambda r: r.date)
    window.ctx.fixed_today = monday_of(first.date) + timedelta(days=6)
    window.reload(PLAN)  # the plan read on the new today (what is past changed)
    window.week.go(first.date)
    assert window.week_view.select_visit(first.visit_id)
    return first


def _status(window, visit_id: int) -> str:  # type: ignore[no-untyped-def]
    model = window.week_view.tree_model
    index = model.find_visit(visit_id)
    return str(model.index(index.row(), WeekTreeModel.STATUS_COLUMN, index.parent()).data())


def _unrecorded(window) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for t in window.week_view.todo.model.rows() if t.kind == UNRECORDED)


def test_genomford_and_its_undo_change_the_row_in_place(qtbot, window, monkeypatch):
    first = _past_review_shown(qtbot, window)
    assert _status(window, first.visit_id) == "Ej registrerad"
    waiting = _unrecorded(window)
    assert waiting >= 1
    spy = Spy(window, monkeypatch)

    assert window.week.record_selected(VisitStatus.DONE)
    assert _status(window, first.visit_id) == "Genomförd"
    assert _unrecorded(window) == waiting - 1  # the count of what needs doing follows
    assert (spy.resets, spy.kinds, spy.builds) == (0, [], 0)  # no reset, no reload, no build
    assert spy.changed_rows >= 1
    assert [w.visit_id for w in window.week_view.selected_reviews()] == [first.visit_id]
    assert window.ctx.document.review_of(first.patient_id).status == "Genomförd"

    spy.reset()
    window.undo_stack.undo()  # Ctrl+Z
    assert _status(window, first.visit_id) == "Ej registrerad"
    assert _unrecorded(window) == waiting
    assert (spy.resets, spy.kinds, spy.builds) == (0, [], 0)
    assert spy.changed_rows >= 1

    spy.reset()
    window.undo_stack.redo()
    assert _status(window, first.visit_id) == "Genomförd"
    assert (spy.resets, spy.builds) == (0, 0) and spy.changed_rows >= 1


def test_another_week_or_a_reload_is_shown_anew(qtbot, window, monkeypatch):
    first = _past_review_shown(qtbot, window)
    spy = Spy(window, monkeypatch)
    window.week.next_week()
    assert spy.resets == 1  # rows of another week: the model is set anew
    spy.reset()
    window.week.go(first.date)
    window.reload()  # Ctrl+R "Läs in igen": everything read again
    assert spy.builds >= 1 and spy.resets >= 1


def test_a_ticked_step_changes_the_row_in_place(qtbot, window, monkeypatch):
    first = _past_review_shown(qtbot, window)
    window.ctx.fixed_today = first.date - timedelta(days=1)  # still to be held
    window.reload(PLAN)
    assert window.week_view.select_visit(first.visit_id)
    model = window.week_view.tree_model
    index = model.find_visit(first.visit_id)
    prep = model.index(index.row(), WeekTreeModel.PREP_COLUMN, index.parent())
    before = prep.data()
    step = window.week.step_names[0]
    spy = Spy(window, monkeypatch)

    assert window.week.set_step(step, True)
    index = model.find_visit(first.visit_id)
    prep = model.index(index.row(), WeekTreeModel.PREP_COLUMN, index.parent())
    assert prep.data() != before
    assert spy.resets == 0 and spy.changed_rows >= 1 and spy.builds == 0
    assert window.week.view.checklist_model.rows()[0].done

    spy.reset()
    window.undo_stack.undo()
    index = model.find_visit(first.visit_id)
    prep = model.index(index.row(), WeekTreeModel.PREP_COLUMN, index.parent())
    assert prep.data() == before
    assert spy.resets == 0 and spy.changed_rows >= 1 and spy.builds == 0
    assert Qt.CheckState(window.week.view.checklist_model.index(0, 0).data(
        Qt.ItemDataRole.CheckStateRole)) == Qt.CheckState.Unchecked
