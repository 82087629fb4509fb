"""Outcomes keep their place in Veckan (issue 20, point 4): the ÅMV chosen stay selected after
Genomförd, Avböjd or Inställd and after undo; an Avböjd or Inställd stays in the week with its
status and reason, greyed; after a click on a button the keys work in the week's rows at once
(arrows, Ctrl+A)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lakarrond.services import visits as visit_service
from lakarrond.services.week_data import monday_of
from lakarrond.ui.context import PLAN
from lakarrond.ui.dialogs.outcome import OutcomeDialog
from lakarrond.ui.models.store_models import MUTED
from lakarrond.ui.models.week import WeekTreeModel

TIMEOUT_MS = 60_000


def _two_in_a_week(qtbot, window):  # type: ignore[no-untyped-def]
    """Plan, then live on the Sunday of a week with ÅMV of two patients or more, shown in
    Veckan with two of them selected and the keyboard in the week's rows."""
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    reviews = sorted(window.ctx.document.reviews, key=lambda r: r.date)
    for moved in reviews[1:3]:  # three ÅMV in the first one's week (one ÅMV a week here)
        visit_service.set_visit(window.ctx.db, moved.visit_id,
                                monday_of(reviews[0].date) + timedelta(days=2), "Planerad")
    window.reload(PLAN)
    weeks = defaultdict(list)
    for review in sorted(window.ctx.document.reviews, key=lambda r: r.date):
        weeks[monday_of(review.date)].append(review)
    monday, reviews = next((m, rs) for m, rs in sorted(weeks.items())
                           if len({r.patient for r in rs}) >= 2)
    first = reviews[0]
    other = next(r for r in reviews if r.patient != first.patient)
    window.ctx.fixed_today = monday + timedelta(days=6)  # both held by now
    window.week.go(monday)
    view = window.week_view
    assert view.select_visit(first.visit_id)
    view.tree.selectionModel().select(
        view.tree_model.find_visit(other.visit_id),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.tree.setFocus()
    assert _chosen(window) == {first.visit_id, other.visit_id}
    return first, other


def _chosen(window) -> set[int]:  # type: ignore[no-untyped-def]
    return {w.visit_id for w in window.week_view.selected_reviews()}


def _cells(window, visit_id: int):  # type: ignore[no-untyped-def]
    tree = window.week_view.tree_model
    index = tree.find_visit(visit_id)
    return [tree.index(index.row(), c, index.parent()) for c in range(len(tree.HEADERS))]


def _reason(text: str):  # type: ignore[no-untyped-def]
    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, OutcomeDialog)
        dialog.reason.setCurrentText(text)
        return True
    return fill


def test_genomford_keeps_the_selection_and_the_keys_in_the_rows(qtbot, window, ui_db):
    first, other = _two_in_a_week(qtbot, window)
    view = window.week_view
    QTest.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    assert {visit_service.get_visit(ui_db, r.visit_id).status
            for r in (first, other)} == {"Genomförd"}
    assert _chosen(window) == {first.visit_id, other.visit_id}  # both still chosen
    assert QApplication.focusWidget() is view.tree  # the keys are in the week's rows
    window.undo_stack.undo()
    assert {visit_service.get_visit(ui_db, r.visit_id).status
            for r in (first, other)} == {"Planerad"}
    assert _chosen(window) == {first.visit_id, other.visit_id}  # and after undo


def test_ctrl_a_works_at_once_after_genomford(qtbot, window, ui_db):
    first, other = _two_in_a_week(qtbot, window)
    view = window.week_view
    QTest.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    assert _chosen(window) == {first.visit_id, other.visit_id}
    assert QApplication.focusWidget() is view.tree
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier)  # at once, without another click
    every = {w.visit_id for d in window.week.week.doctors for w in d.reviews}
    assert len(every) > 2 and _chosen(window) == every


def test_the_keys_stay_in_the_rows_after_the_week_buttons(qtbot, window):
    _two_in_a_week(qtbot, window)
    view = window.week_view
    for button in (view.next_button, view.prev_button, view.open_button):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        window.tabs.setCurrentIndex(0)  # Öppna patienten went to Patienter
        assert QApplication.focusWidget() is not button


def test_avbojd_and_installd_keep_their_place_and_the_selection(qtbot, window, ui_db):
    first, other = _two_in_a_week(qtbot, window)
    view = window.week_view
    window.ctx.exec_dialog = _reason("vill vänta till nästa år")
    QTest.mouseClick(view.declined_button, Qt.MouseButton.LeftButton)
    assert _chosen(window) == {first.visit_id, other.visit_id}
    assert QApplication.focusWidget() is view.tree
    window.undo_stack.undo()
    assert _chosen(window) == {first.visit_id, other.visit_id}
    window.ctx.exec_dialog = _reason("läkaren förhindrad")
    QTest.mouseClick(view.cancelled_button, Qt.MouseButton.LeftButton)
    assert visit_service.get_visit(ui_db, first.visit_id).status == "Inställd"
    assert _chosen(window) == {first.visit_id, other.visit_id}  # still in the week, chosen
    cells = _cells(window, first.visit_id)
    assert cells[WeekTreeModel.STATUS_COLUMN].data() == "Inställd"
    assert cells[WeekTreeModel.REMARK_COLUMN].data() == "Inställd: läkaren förhindrad"
    assert cells[0].data(Qt.ItemDataRole.ForegroundRole).color() == MUTED
    assert QApplication.focusWidget() is view.tree
    window.undo_stack.undo()
    assert _chosen(window) == {first.visit_id, other.visit_id}
