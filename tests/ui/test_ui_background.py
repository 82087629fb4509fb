"""The window first, the plan behind it (issue 17): with ``background`` (the program's start,
"Läs in igen") the plan is read on the job runner – the window is there at once, saying
"Läser in …", and the views follow when the plan arrives; a read overtaken by a change is
read again rather than shown."""

from __future__ import annotations

from lakarrond.ui.main_window import MainWindow

TIMEOUT_MS = 60_000


def _planned(qtbot, window):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    return window.ctx.document


def test_the_window_comes_first_and_the_plan_behind_it(qtbot, window, ui_db, settings):
    planned = _planned(qtbot, window)
    later = MainWindow(ui_db, year=2027, settings=settings, background=True)
    qtbot.addWidget(later)
    assert later.ctx.document is None  # not read on the GUI thread
    assert "Läser in planen" in later.plan_label.text()
    assert later.patients_view.model.rowCount() == 0  # the patients come behind it too
    qtbot.waitUntil(lambda: later.ctx.document is not None, timeout=TIMEOUT_MS)
    assert later.ctx.document.version == planned.version
    assert "version 1" in later.plan_label.text()
    qtbot.waitUntil(lambda: not later.ctx.jobs.busy(), timeout=TIMEOUT_MS)
    assert later.patients_view.model.rowCount() == window.patients_view.model.rowCount() > 0
    assert later.week_view.start_hint.isHidden()  # not an empty database
    later.week.go(planned.reviews[0].date)  # Veckan reads the plan that arrived
    assert later.week_view.tree_model.find_visit(planned.reviews[0].visit_id).isValid()
    later.wait_for_workers()


def test_without_background_the_plan_is_there_at_once(qtbot, window, ui_db, settings):
    _planned(qtbot, window)
    now = MainWindow(ui_db, year=2027, settings=settings)
    qtbot.addWidget(now)
    assert now.ctx.document is not None and "Läser in" not in now.plan_label.text()


def test_a_read_overtaken_by_a_change_is_read_again(qtbot, window):
    planned = _planned(qtbot, window)
    first = planned.reviews[0]
    sets: list[object] = []
    window.ctx.plan_changed.connect(lambda change: sets.append(change))
    window.reload(background=True)  # Ctrl+R
    window.plan.set_status(first.visit_id, "Låst")  # meanwhile: one ÅMV changed, in place
    assert window.ctx.document.review_of(first.patient_id).status == "Låst"
    qtbot.waitUntil(lambda: not window.plan.loading, timeout=TIMEOUT_MS)
    assert window.ctx.document.review_of(first.patient_id).status == "Låst"
    assert sets[0].visits == frozenset({first.visit_id}) and sets[-1].everything
