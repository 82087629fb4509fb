"""Issue 20.1, preparation for the selection: one tick (checklist, context menu, a key,
"Att göra nu") prepares every selected ÅMV, one Ctrl+Z undoes the batch; the checklist of
several ÅMV shows each step once with how many are done; its layout does not move."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from lakarrond.services import preparation
from lakarrond.services import visits as visit_service
from lakarrond.store import models as m
from lakarrond.ui.views.week import ALL_STEPS

TIMEOUT_MS = 60_000
TODAY = date(2027, 3, 22)
WEEK = date(2027, 3, 29)  # Greta Ek's ÅMV (30 March); two more are moved into it
FIRST = "Planeringsunderlag till läkaren"
KLART = 3  # the checklist's columns: Steg, Vem, Senast, Klart, Av


def _planned(qtbot, window):  # type: ignore[no-untyped-def]
    window.ctx.fixed_today = TODAY
    window.week.this_week()
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    return window.week


def _three_in_one_week(qtbot, window, ui_db):  # type: ignore[no-untyped-def]
    """Greta Ek's week with two more ÅMV moved into it; returns the three."""
    week = _planned(qtbot, window)
    doc = window.ctx.document
    later = sorted((a for a in doc.reviews if a.date > WEEK + timedelta(days=6)
                    and a.status == "Planerad"), key=lambda a: a.date)[:2]
    for review, day in zip(later, (date(2027, 3, 31), date(2027, 4, 1)), strict=True):
        row = visit_service.get_visit(ui_db, review.visit_id)
        visit_service.set_visit(ui_db, review.visit_id, day, "Planerad", row.version)
    window.plan.reload()
    week.go(WEEK)
    reviews = [w.review for w in week.week.reviews]
    assert len(reviews) == 3
    return week, reviews


def _select_all(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


def _done(ui_db, reviews, step: str = FIRST) -> list[date | None]:  # type: ignore[no-untyped-def]
    keys = [(a.patient_id, a.date) for a in reviews]
    lists = preparation.checklist(ui_db, 2027, keys, TODAY)
    return [next(s.done_on for s in lists[k] if s.step == step) for k in keys]


def _audit(ui_db) -> list[str]:  # type: ignore[no-untyped-def]
    with ui_db.begin() as s:
        return list(s.scalars(select(m.AuditLog.action).where(
            m.AuditLog.entity == "preparation").order_by(m.AuditLog.id)))


def test_one_tick_prepares_every_selected_review_and_one_undo_reverts_all(
        qtbot, window, ui_db):
    _week, reviews = _three_in_one_week(qtbot, window, ui_db)
    view = window.week_view
    _select_all(qtbot, view)
    assert len(view.selected_reviews()) == 3
    model = view.checklist_model
    assert model.rowCount() == len(preparation.DEFAULT_STEPS)  # each step once
    assert model.index(0, KLART).data() == "0 av 3 klara"
    assert model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    undo_count = window.undo_stack.count()
    assert model.setData(model.index(0, 0), Qt.CheckState.Checked.value,
                         Qt.ItemDataRole.CheckStateRole)
    assert _done(ui_db, reviews) == [TODAY] * 3
    assert _audit(ui_db) == ["create"] * 3  # audited per ÅMV
    assert window.undo_stack.count() == undo_count + 1  # one undo step for the batch
    assert window.undo_stack.undoText() == f"Klart: {FIRST} (3 ÅMV)"
    assert len(view.selected_reviews()) == 3  # the selection survives the tick
    assert model.index(0, KLART).data() == "3 av 3 klara"
    assert model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    window.undo_stack.undo()
    assert _done(ui_db, reviews) == [None] * 3
    assert model.index(0, KLART).data() == "0 av 3 klara"
    window.undo_stack.redo()
    assert _done(ui_db, reviews) == [TODAY] * 3


def test_a_step_done_already_keeps_its_date_and_the_undo_leaves_it(qtbot, window, ui_db):
    week, reviews = _three_in_one_week(qtbot, window, ui_db)
    view, model = window.week_view, window.week_view.checklist_model
    week.select(reviews[0])
    earlier = TODAY - timedelta(days=2)
    assert week.set_step(FIRST, True, earlier)  # one of them done two days ago
    _select_all(qtbot, view)
    assert model.index(0, KLART).data() == "1 av 3 klara"
    assert model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.PartiallyChecked
    view.checklist.setFocus()
    view.checklist.setCurrentIndex(model.index(0, KLART))  # a click on the row's "Klart"
    assert view.checklist.currentIndex().column() == 0
    qtbot.keyClick(view.checklist, Qt.Key.Key_Space)  # Space on the row ticks it for all
    assert _done(ui_db, reviews) == [earlier, TODAY, TODAY]
    window.undo_stack.undo()
    assert _done(ui_db, reviews) == [earlier, None, None]


def test_the_context_menu_and_a_key_tick_a_step_for_the_selection(qtbot, window, ui_db):
    week, reviews = _three_in_one_week(qtbot, window, ui_db)
    view = window.week_view
    _select_all(qtbot, view)
    index = view.tree_model.find_visit(reviews[1].visit_id)
    menu = week.tree_menu(view.tree.visualRect(index).center())
    sub = next(a.menu() for a in menu.actions() if a.text() == "Bocka av steg")
    texts = [a.text() for a in sub.actions()]
    assert texts[0] == f"{FIRST} (0 av 3 klara)" and len(texts) == len(preparation.DEFAULT_STEPS)
    sub.actions()[4].trigger()
    assert _done(ui_db, reviews, "Provtagning") == [TODAY] * 3
    assert len(view.selected_reviews()) == 3  # right-clicking a selected ÅMV keeps them all
    # Alt+2: the second step for every selected ÅMV
    action = view.step_actions[1]
    assert action.shortcut().toString() == "Alt+2"
    assert action.text() == "Bocka av Informera patienten"
    window.activateWindow()
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _done(ui_db, reviews, "Informera patienten") == [TODAY] * 3)
    window.undo_stack.undo()
    assert _done(ui_db, reviews, "Informera patienten") == [None] * 3
    assert _done(ui_db, reviews, "Provtagning") == [TODAY] * 3


def test_att_gora_nu_selects_every_review_of_a_step_and_ticks_them(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    view = window.week_view
    due = [t.review for t in week.week.todo if t.review is not None
           and FIRST in t.detail]
    assert len(due) >= 2  # Greta Ek (late) and Astrid Holm (due now)
    view.step_combo.setCurrentText(FIRST)  # only the ÅMV where the step is to be done
    shown = view.todo.proxy_rows()
    assert shown and all(FIRST in r.detail for r in shown)
    view.todo.view.setFocus()
    qtbot.keyClick(view.todo.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_todo()) == len(shown)
    assert view.tick_button.isEnabled()
    view.tick_button.click()
    assert _done(ui_db, due) == [TODAY] * len(due)
    assert window.undo_stack.undoText() == f"Klart: {FIRST} ({len(due)} ÅMV)"
    assert all(FIRST not in r.detail for r in view.todo.proxy_rows())
    window.undo_stack.undo()
    assert _done(ui_db, due) == [None] * len(due)
    view.step_combo.setCurrentText(ALL_STEPS)
    assert not view.tick_button.isEnabled()  # which step? none chosen


def test_the_checklist_does_not_move_between_a_short_and_a_long_title(qtbot, window):
    week = _planned(qtbot, window)
    view = window.week_view
    window.resize(1024, 700)
    greta = next(a for a in window.ctx.document.reviews if a.patient == "Greta Ek")
    long_one = replace(greta, patient="Anna-Karin Margareta Johansson Lindqvist " * 4,
                       unit="Korttidsboendet Solbacken avdelning 3 norra flygeln")

    def place() -> tuple[int, int, int]:
        QApplication.processEvents()
        top = view.checklist.mapTo(view, view.checklist.rect().topLeft()).y()
        return top, view.checklist.height(), view.checklist_title.height()

    week.show_checklist(greta)
    short = place()
    week.show_checklist(long_one)
    assert place() == short
    assert "Anna-Karin" in view.checklist_title.toolTip()  # the whole title on hover
    week.show_checklist(None)
    assert place() == short
