"""Årsplan: planning in a worker (progress, cancel, responsiveness), the grid, chart and
measures, moving/locking an ÅMV and re-planning around it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from sqlalchemy import select

from lakarrond.services import visits as visit_service
from lakarrond.store import models as m
from solver.problem import VisitStatus

TIMEOUT_MS = 60_000


def _plan(qtbot, window, time_limit=5.0):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS) as blocker:
        assert window.plan.start(time_limit=time_limit)
    return blocker.args[0]


def test_plan_updates_grid_chart_and_measures(qtbot, window, ui_db):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    assert window.ctx.document is None
    assert window.plan_view.grid_model.total() == 0
    saved = _plan(qtbot, window)
    assert saved.version == 1
    doc = window.ctx.document
    assert doc is not None and len(doc.reviews) == 8
    grid = window.plan_view.grid_model
    assert grid.total() == len(doc.reviews)
    labels = [grid.grid_row(r).label.strip() for r in range(grid.rowCount())]
    assert labels[0] == "Anna Berg" and "Bäckliden" in labels and "Tallen" in labels
    assert window.plan_view.chart_series_names() == ["Anna Berg"]
    assert window.plan_view.chart_series_colours() == ["#0072b2"]  # the palette's first
    assert "Täckning" in window.plan_view.measures.toPlainText()
    assert window.plan_view.visit_model.rowCount() == len(doc.reviews)
    assert "version 1" in window.plan_label.text()
    assert window.rounds_view.model.rowCount() == 0  # Rondschema not shown: filled when shown
    window.tabs.setCurrentWidget(window.rounds_view)
    assert window.rounds_view.model.rowCount() > 50
    # no ÅMV in the summer weeks
    for week in range(27, 32):
        assert grid.count("Anna Berg", None, week) == 0


def test_move_lock_and_replan_keeps_it(qtbot, window, ui_db):
    _plan(qtbot, window)
    row = window.ctx.document.reviews[0]
    visit_id = row.visit_id
    dates = visit_service.allowed_dates(ui_db, visit_id)
    assert dates, "there are allowed dates"
    target = next(d.date for d in dates if d.date != row.date)
    assert window.plan.move_visit(visit_id, target, lock=True)
    visit = visit_service.get_visit(ui_db, visit_id)
    assert (visit.date, visit.status) == (target, VisitStatus.LOCKED.value)
    # another one marked done
    other = window.ctx.document.reviews[-1]
    window.ctx.fixed_today = other.date - timedelta(days=1)
    assert not window.plan.set_status(other.visit_id, VisitStatus.DONE)  # not held yet
    window.ctx.fixed_today = other.date
    assert window.plan.set_status(other.visit_id, VisitStatus.DONE)
    window.ctx.fixed_today = None
    done_date = other.date
    saved = _plan(qtbot, window)
    assert saved.version == 2
    by_patient = {a.patient_id: a for a in window.ctx.document.reviews}
    assert by_patient[row.patient_id].date == target
    assert by_patient[row.patient_id].status == "Låst"
    assert by_patient[other.patient_id].date == done_date
    assert by_patient[other.patient_id].status == "Genomförd"
    # the move and the status change were audited
    with ui_db.begin() as s:
        actions = s.scalars(select(m.AuditLog.action).where(m.AuditLog.entity == "visit")).all()
    assert len(actions) == 2


def test_move_visit_undo_redo(qtbot, window, ui_db):
    _plan(qtbot, window)
    row = window.ctx.document.reviews[0]
    assert window.plan.set_status(row.visit_id, VisitStatus.LOCKED)
    assert visit_service.get_visit(ui_db, row.visit_id).status == "Låst"
    window.undo_stack.undo()
    assert visit_service.get_visit(ui_db, row.visit_id).status == "Planerad"
    window.undo_stack.redo()
    assert visit_service.get_visit(ui_db, row.visit_id).status == "Låst"


@pytest.fixture
def demo_window(qtbot, tmp_path, settings):  # type: ignore[no-untyped-def]
    """The window on the example municipality (big enough for a solve that takes a while)."""
    from lakarrond.services.demo import load_demo
    from lakarrond.store import open_database
    from lakarrond.ui.main_window import MainWindow

    db = open_database(str(tmp_path / "demo.sqlite"))
    load_demo(db, 2027)
    win = MainWindow(db, year=2027, settings=settings)
    win.ctx.confirm = lambda *a, **k: True  # type: ignore[method-assign]
    qtbot.addWidget(win)
    win.show()
    yield win
    win.wait_for_workers()
    QThreadPool.globalInstance().waitForDone()
    win.close()
    db.dispose()


def test_event_loop_ticks_while_a_plan_runs(qtbot, demo_window):
    window = demo_window
    ticks: list[bool] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(window.plan.job is not None))
    timer.start()
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS) as blocker:
        assert window.plan.start(time_limit=120.0)
        # start returned at once: the solve runs in the thread pool
        assert window.plan.job is not None
        assert QThreadPool.globalInstance().activeThreadCount() == 1
        assert window.plan.progress_dialog is not None and window.plan.progress_dialog.isVisible()
        assert not window.plan.start()  # one plan at a time
    timer.stop()
    assert sum(ticks) >= 3  # the GUI thread kept ticking while the worker solved
    assert blocker.args[0].version == 1
    assert window.plan.progress_dialog is None


def test_cancel_keeps_a_complete_plan(qtbot, demo_window):
    window = demo_window
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS) as blocker:
        assert window.plan.start(time_limit=120.0)
        assert window.plan.progress_dialog is not None
        window.plan.progress_dialog.cancel_button.click()  # at once: before any doctor is done
    saved = blocker.args[0]
    assert saved.result.stopped
    assert saved.version == 1
    with window.db.begin() as s:
        plan = s.scalars(select(m.Plan)).one()
        assert len(plan.visits) == len(saved.result.appointments) > 400
    assert window.plan.progress_dialog is None
    assert window.ctx.document is not None and window.ctx.document.version == 1
    assert "avbruten" in window.statusBar().currentMessage()


def test_plan_error_is_shown_in_a_dialog(qtbot, window, ui_db):
    with ui_db.begin() as s:
        for p in s.scalars(select(m.Patient)):
            s.delete(p)
    window.reload()
    with qtbot.waitSignal(window.plan.plan_failed, timeout=TIMEOUT_MS) as blocker:
        window.plan.start(time_limit=5.0, show_dialog=False)
    assert "inga patienter" in blocker.args[0]
    assert window.ctx.last_message is not None
    assert "Traceback" not in window.ctx.last_message.text()
    window.ctx.last_message.close()


def test_grid_cell_lists_its_visits_and_the_move_dialog(qtbot, window, ui_db):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    from lakarrond.ui.dialogs.plan import MoveVisitDialog

    _plan(qtbot, window)
    view = window.plan_view
    first = window.ctx.document.reviews[0]
    week = first.date.isocalendar().week
    grid = view.grid_model
    row = next(r for r in range(grid.rowCount()) if grid.grid_row(r).unit == first.unit)
    column = next(c for c in range(grid.columnCount() - 1) if grid.week_key(c) == (2027, week))
    view.show_cell(grid.index(row, column))
    shown = [view.visits.proxy.index(r, 5).data() for r in range(view.visits.proxy.rowCount())]
    assert first.patient in shown and len(shown) == grid.count("Anna Berg", first.unit, week)
    view.clear_cell_filter()
    assert view.visits.proxy.rowCount() == len(window.ctx.document.reviews)

    seen = {}

    def choose(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, MoveVisitDialog)
        seen["first"] = dialog.chosen()
        seen["rows"] = dialog.model.rowCount()
        return True

    window.ctx.exec_dialog = choose
    assert window.plan.move_visit(first.visit_id)
    best = visit_service.allowed_dates(ui_db, first.visit_id)
    assert seen["rows"] > 0
    visit = visit_service.get_visit(ui_db, first.visit_id)
    assert visit.date == seen["first"] and visit.status == "Låst"
    assert best[0].in_window or not any(d.in_window for d in best)
    # from Patienter: Visa ÅMV opens the plan on the patient's row
    window.tabs.setCurrentWidget(window.patients_view)
    assert window.show_patient_visit(first.patient_id)
    assert window.tabs.currentWidget() is window.plan_view
    assert window.plan_view.current_visit().patient_id == first.patient_id
    # the visit row shows as locked in the list
    index = window.plan_view.visit_model.find_patient(first.patient_id)
    assert window.plan_view.visit_model.index(index, 8).data() == "Låst"


def test_replan_shows_what_moved(qtbot, window, ui_db):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    _plan(qtbot, window)
    # a new patient moves others around in a re-plan; the list marks moved rows
    from lakarrond.services.patients import PatientData, create_patient
    from lakarrond.services.units import list_units

    unit = next(u for u in list_units(ui_db) if u.name == "Bäckliden")
    for i in range(6):
        create_patient(ui_db, PatientData(name=f"Ny {i}", unit_id=unit.id,
                                          admitted=date(2026, 1, 1)))
    _plan(qtbot, window)
    doc = window.ctx.document
    assert doc.previous_version == 1
    moved = [a for a in doc.reviews if a.moved_from is not None]
    assert doc.moved_since_previous == len(moved)
    assert f"{len(moved)} ÅMV flyttade mot version 1" in window.plan_view.title.text()
    model = window.plan_view.visit_model
    from PySide6.QtCore import Qt

    for a in moved:
        font = model.index(model.find_patient(a.patient_id), 0).data(
            Qt.ItemDataRole.FontRole)
        assert font is not None and font.bold()
