"""Several coordinators live (issue 19 point 6): a window sees what another window or
coordinator saved within a few seconds – the lists read again quietly, a banner naming who
changed what when her open plan or form is affected – and never bannerises its own change.
On one SQLite file (two windows) and on a real PostgreSQL server (two sessions)."""

from __future__ import annotations

import functools
import gc
import threading
import weakref
from dataclasses import replace
from importlib import import_module

import pytest
from sqlalchemy import event

from lakarrond.services import patients as patient_service
from lakarrond.services.changes import read_changes
from lakarrond.services.plan import plan_year
from lakarrond.store import open_database
from lakarrond.ui import live
from lakarrond.ui.dialogs.patient import PatientDialog
from tests.stores import fill_small_store
from tests.ui.conftest import YEAR, default_dialogs

audit_module = import_module("lakarrond.store.audit")
ANNA = "anna.andersson"


def _as_anna(monkeypatch: pytest.MonkeyPatch) -> None:
    """What is audited from now on is by another user (the other coordinator)."""
    monkeypatch.setattr(audit_module, "current_user", lambda: ANNA)


def _karl(db):  # type: ignore[no-untyped-def]
    return next(r for r in patient_service.list_patients(db) if r.data.name == "Karl Nilsson")


def _room_shown(window, name: str) -> str:  # type: ignore[no-untyped-def]
    return next(r.data.room for r in window.patients_view.model.rows() if r.data.name == name)


def _open_form_on_karl(window, qtbot):  # type: ignore[no-untyped-def]
    """Patienter with Karl chosen and his form open (shown, not run modally)."""
    window.tabs.setCurrentWidget(window.patients_view)
    karl = _karl(window.db)
    assert window.patients_view.panel.select_where(lambda r: r.id == karl.id)
    dialog = PatientDialog([], karl.data, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _change_room(db, room: str) -> None:  # type: ignore[no-untyped-def]
    karl = _karl(db)
    patient_service.update_patient(db, karl.id, replace(karl.data, room=room), karl.version)


def _poll_until_followed(window, qtbot) -> tuple:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.live.arrived, timeout=10_000) as arrived:
        window.live.poll()
    return arrived.args[0]


@pytest.fixture
def other_window(qtbot, ui_db, tmp_path):  # type: ignore[no-untyped-def]
    """A second window on the same SQLite file (its own Database, like another process)."""
    from PySide6.QtCore import QSettings

    from lakarrond.ui.main_window import MainWindow

    db = open_database(str(ui_db.path))
    win = MainWindow(db, year=YEAR,
                     settings=QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    win.ctx.confirm = lambda *a, **k: True  # type: ignore[method-assign]
    win.ctx.exec_dialog = default_dialogs  # type: ignore[method-assign]
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    db.dispose()


def test_the_other_windows_change_arrives_by_itself_with_a_banner(
        window, other_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The poll timer alone brings it: the list shows the new room, and the open form's
    banner names the other user."""
    dialog = _open_form_on_karl(window, qtbot)
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    _as_anna(monkeypatch)
    karl = _karl(other_window.db)
    assert other_window.patients.edit(karl.id, replace(karl.data, room="Rum 9"))

    qtbot.waitUntil(lambda: _room_shown(window, "Karl Nilsson") == "Rum 9", timeout=15_000)
    banner = window.live.banner
    assert banner.isVisible()
    assert banner.label.text().startswith(f"{ANNA} ändrade patienten Karl Nilsson kl. ")
    assert "patienten du har öppen" in banner.label.text()
    assert not banner.show_button.isVisible()  # nothing to show in Årsplan
    assert window.patients_view.panel.current().id == karl.id  # still chosen
    dialog.close()
    banner.close_button.click()
    assert not banner.isVisible()


def test_my_own_change_shows_no_banner(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_form_on_karl(window, qtbot)
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    karl = _karl(window.db)
    assert window.patients.edit(karl.id, replace(karl.data, room="Rum 9"))
    start = window.live.last_id
    followed: list[object] = []
    window.live.arrived.connect(followed.append)
    polls = window.live.polls
    assert window.live.poll()
    qtbot.waitUntil(lambda: window.live.last_id != start, timeout=10_000)
    assert window.live.polls == polls + 1
    assert followed == [] and not window.live.banner.isVisible()
    dialog.close()


def test_a_change_elsewhere_refreshes_quietly(window, other_window, qtbot,
                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No form open on the changed patient: the list follows, no banner."""
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    _as_anna(monkeypatch)
    _change_room(other_window.db, "Rum 7")
    changes = _poll_until_followed(window, qtbot)
    assert [c.user for c in changes] == [ANNA]
    assert _room_shown(window, "Karl Nilsson") == "Rum 7"
    assert not window.live.banner.isVisible()


def test_a_new_plan_by_the_other_coordinator_gets_a_banner_with_visa(
        window, other_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    window.tabs.setCurrentWidget(window.week_view)
    _as_anna(monkeypatch)
    plan_year(other_window.db, YEAR, time_limit=5)
    _poll_until_followed(window, qtbot)
    banner = window.live.banner
    assert banner.label.text().startswith(f"{ANNA} sparade en ny plan för {YEAR} kl. ")
    assert window.ctx.document is not None  # the plan was read again
    assert banner.show_button.isVisible()
    banner.show_button.click()
    assert window.tabs.currentWidget() is window.plan_view and not banner.isVisible()


def test_a_plan_of_another_year_is_not_the_open_plan(window, other_window, qtbot,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    _as_anna(monkeypatch)
    plan_year(other_window.db, YEAR + 1, time_limit=5)
    _poll_until_followed(window, qtbot)
    assert not window.live.banner.isVisible()


def test_the_poll_runs_off_the_gui_thread_with_one_query(window, qtbot,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    threads: list[threading.Thread] = []

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return read_changes(*args, **kwargs)

    monkeypatch.setattr(live, "read_changes", recording)
    start = window.live.last_id
    assert window.live.poll()
    qtbot.waitUntil(lambda: window.live._running is None, timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()

    statements: list[str] = []
    event.listen(window.db.engine, "before_cursor_execute",
                 lambda *a: statements.append(a[2]))
    assert read_changes(window.db, start).changes == ()
    assert len(statements) == 1 and "audit_log" in statements[0]


def test_a_closed_window_does_not_poll(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    assert window.live.timer.isActive()
    window.hide()
    assert not window.live.timer.isActive() and not window.live.poll()
    window.show()
    assert window.live.timer.isActive() and window.live.poll()
    qtbot.waitUntil(lambda: window.live._running is None, timeout=10_000)


@pytest.mark.postgres
def test_two_coordinators_on_postgresql(qtbot, postgres_cluster, settings,
                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two sessions on a real server: Anna saves a patient change in hers; the window of
    the other coordinator follows it and names her; its own change gets no banner."""
    from lakarrond.ui.main_window import MainWindow

    url = postgres_cluster.new_database()
    mine = open_database(url)
    fill_small_store(mine, YEAR, short_term=True, time_limit=5.0)
    anna = open_database(url)
    win = MainWindow(mine, year=YEAR, settings=settings)
    win.ctx.confirm = lambda *a, **k: True  # type: ignore[method-assign]
    win.ctx.exec_dialog = default_dialogs  # type: ignore[method-assign]
    qtbot.addWidget(win)
    win.show()
    try:
        dialog = _open_form_on_karl(win, qtbot)
        qtbot.waitUntil(lambda: win.live.last_id is not None, timeout=10_000)
        karl = _karl(mine)
        assert win.patients.edit(karl.id, replace(karl.data, room="Rum 8"))  # my own
        with monkeypatch.context() as m:
            m.setattr(audit_module, "current_user", lambda: ANNA)
            _change_room(anna, "Rum 9")  # hers, on her own connection
        changes = _poll_until_followed(win, qtbot)
        assert [(c.user, c.subject_id) for c in changes] == [(ANNA, karl.id)]
        assert _room_shown(win, "Karl Nilsson") == "Rum 9"
        text = win.live.banner.label.text()
        assert win.live.banner.isVisible() and text.count("\n") == 0
        assert text.startswith(f"{ANNA} ändrade patienten Karl Nilsson kl. ")
        dialog.close()
    finally:
        win.wait_for_workers()
        win.close()
        anna.dispose()
        mine.dispose()


def test_the_lists_keep_their_scroll_position(window, other_window, qtbot,
                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.patients_view)
    table = window.patients_view.panel.view
    table.setFixedHeight(90)  # a few rows shown: the list scrolls
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 0, timeout=5_000)
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum())
    where = bar.value()
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    _as_anna(monkeypatch)
    _change_room(other_window.db, "Rum 5")
    _poll_until_followed(window, qtbot)
    assert _room_shown(window, "Karl Nilsson") == "Rum 5"
    assert bar.value() == where > 0


def _unit_form_while_anna_changes(window, other_window, qtbot, monkeypatch,
                                  open_form) -> str:  # type: ignore[no-untyped-def]
    """Open a unit form (``open_form``) in the window; while it is open Anna changes
    Bäckliden in the other window's database; what the banner then says ("" when hidden)."""
    from lakarrond.services.units import list_units, update_unit

    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    window.tabs.setCurrentWidget(window.units_view)
    unit = next(u for u in list_units(window.db) if u.name == "Bäckliden")
    assert window.units_view.panel.select_where(lambda r: r.id == unit.id)
    told: list[str] = []

    def form(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.show()
        with monkeypatch.context() as m:
            m.setattr(audit_module, "current_user", lambda: ANNA)
            update_unit(other_window.db, unit.id, replace(unit.data, nurse="Ny Syster"),
                        unit.version)
        _poll_until_followed(window, qtbot)
        banner = window.live.banner
        told.append(banner.label.text() if banner.isVisible() else "")
        dialog.close()
        return False  # cancelled

    window.ctx.exec_dialog = form  # type: ignore[method-assign]
    open_form(unit.id)
    assert len(told) == 1
    return told[0]


def test_the_unit_whose_form_is_open_is_named(window, other_window, qtbot,
                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    told = _unit_form_while_anna_changes(window, other_window, qtbot, monkeypatch,
                                         lambda unit_id: window.units.edit(unit_id))
    assert told.startswith(f"{ANNA} ändrade enheten Bäckliden kl. ")
    assert "det är enheten du har öppen" in told


def test_a_new_unit_form_is_not_the_changed_unit(window, other_window, qtbot,
                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    told = _unit_form_while_anna_changes(window, other_window, qtbot, monkeypatch,
                                         lambda _unit_id: window.units.add())
    assert told == ""


def test_the_chosen_unit_stays_chosen(window, other_window, qtbot,
                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lakarrond.services.units import list_units, update_unit

    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    window.tabs.setCurrentWidget(window.units_view)
    tallen = next(u for u in list_units(window.db) if u.name == "Tallen")
    assert window.units_view.panel.select_where(lambda r: r.id == tallen.id)
    _as_anna(monkeypatch)
    update_unit(other_window.db, tallen.id, replace(tallen.data, nurse="Ny Syster"),
                tallen.version)
    _poll_until_followed(window, qtbot)
    chosen = window.units_view.panel.current()
    assert chosen is not None and (chosen.id, chosen.data.nurse) == (tallen.id, "Ny Syster")


def test_the_chosen_amv_in_arsplan_stays_chosen(window, other_window, qtbot,
                                                monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plan_year(window.db, YEAR, time_limit=5)
    window.reload()
    window.tabs.setCurrentWidget(window.plan_view)
    karl = _karl(window.db)
    visits = window.plan_view.visits
    assert visits.select_where(lambda r: r.patient_id == karl.id)
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    _as_anna(monkeypatch)
    greta = next(r for r in patient_service.list_patients(other_window.db)
                 if r.data.name == "Greta Ek")
    patient_service.update_patient(other_window.db, greta.id,
                                   replace(greta.data, room="Rum 3"), greta.version)
    _poll_until_followed(window, qtbot)
    assert visits.current() is not None and visits.current().patient_id == karl.id


def _failing_poll(window, qtbot, monkeypatch, error: Exception) -> list:  # type: ignore[no-untyped-def]
    """One poll whose read raises ``error``; what was reported as a bug."""
    from lakarrond.ui import crash

    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    reported: list[BaseException] = []
    monkeypatch.setattr(crash, "report_later", reported.append)

    def failing(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(live, "read_changes", failing)
    assert window.live.poll()
    qtbot.waitUntil(lambda: window.live._running is None, timeout=10_000)
    return reported


def test_a_database_out_of_reach_is_tried_again_quietly(window, qtbot,
                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lakarrond.store import StoreError

    assert _failing_poll(window, qtbot, monkeypatch, StoreError("upptagen")) == []
    assert not window.live.stopped and window.live.timer.isActive()


def test_a_bug_in_the_poll_is_reported_once_and_polling_stops(window, qtbot,
                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bug = RuntimeError("fel")
    assert _failing_poll(window, qtbot, monkeypatch, bug) == [bug]
    assert window.live.stopped and not window.live.timer.isActive()
    assert not window.live.poll()


def test_a_banner_open_at_closing_is_not_back_at_the_next_start(qtbot, ui_db,
                                                                settings) -> None:  # type: ignore[no-untyped-def]
    from lakarrond.ui.main_window import MainWindow

    first = MainWindow(ui_db, year=YEAR, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.live.banner.say(["anna.andersson sparade en ny plan för 2027 kl. 10:42."], True)
    assert first.live.banner.isVisible()
    first.close()  # saves the window state
    second = MainWindow(ui_db, year=YEAR, settings=settings)
    qtbot.addWidget(second)
    second.show()
    assert not second.live.banner.isVisible()
    second.close()


def _planned_with_spies(window, monkeypatch):  # type: ignore[no-untyped-def]
    """A saved plan shown in the window; what the window is told from now on: the kinds
    reloaded (``ctx.notify``) and the ÅMV patched (``plan_changed``'s visits)."""
    plan_year(window.db, YEAR, time_limit=5)
    window.reload()
    assert window.ctx.document is not None
    kinds: list[str] = []
    patched: list[frozenset[int] | None] = []
    notify = window.ctx.notify
    monkeypatch.setattr(window.ctx, "notify", lambda kind: (kinds.append(kind), notify(kind)))
    window.ctx.plan_changed.connect(lambda change: patched.append(change.visits))
    return kinds, patched


def test_an_outcome_by_another_window_updates_the_plan_in_place(
        window, other_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The audit row names the ÅMV: the document is patched for it alone (no full reload),
    as for the window's own outcomes."""
    from lakarrond.services import visits as visit_service
    from solver.problem import VisitStatus

    kinds, patched = _planned_with_spies(window, monkeypatch)
    review = next(r for r in window.ctx.document.reviews
                  if r.status == VisitStatus.PLANNED.value)
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    _as_anna(monkeypatch)
    visit = visit_service.get_visit(other_window.db, review.visit_id)
    visit_service.set_visit(other_window.db, visit.id, visit.date, VisitStatus.LOCKED.value,
                            visit.version)
    changes = _poll_until_followed(window, qtbot)
    assert [(c.visit_id, c.in_place) for c in changes] == [(visit.id, True)]
    assert kinds == []  # no reload of the plan (nor of anything else)
    assert patched == [frozenset({visit.id})]
    shown = next(r for r in window.ctx.document.reviews if r.visit_id == visit.id)
    assert shown.status == VisitStatus.LOCKED.value


def test_a_plan_saved_by_another_window_still_reloads_the_plan(
        window, other_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kinds, patched = _planned_with_spies(window, monkeypatch)
    qtbot.waitUntil(lambda: window.live.last_id is not None, timeout=10_000)
    _as_anna(monkeypatch)
    plan_year(other_window.db, YEAR, time_limit=5)
    changes = _poll_until_followed(window, qtbot)
    assert not any(c.in_place for c in changes)
    assert "plan" in kinds or "all" in kinds  # the whole plan read again
    assert None in patched  # every row of the plan replaced, not a patch


def _live_polls() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, live._Poll))


def test_answered_polls_are_freed(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A poll's job is dropped once answered: its slots are the LiveUpdates' own methods
    (the job goes with the signal), so nothing keeps it, nor through it the window."""
    qtbot.waitUntil(lambda: window.live._running is None, timeout=10_000)
    window.live.timer.stop()
    window.live.pool.waitForDone()
    polls = []  # this window's own polls (a global count also saw other tests' windows')
    for _ in range(5):
        assert window.live.poll()
        polls.append(weakref.ref(window.live._running))
        qtbot.waitUntil(lambda: window.live._running is None, timeout=10_000)
    window.live.pool.waitForDone()
    gc.collect()
    alive = [ref for ref in polls if ref() is not None]
    assert len(alive) <= 1  # the last one: its thread may still be letting go
    assert all(ref is polls[-1] for ref in alive)


def test_a_slot_keeping_its_job_in_a_closure_is_never_freed(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Why: the old way (a lambda holding the job, connected to the job's own signals) is
    a cycle through Qt that Python's gc cannot see; every poll stayed alive, and with it
    the LiveUpdates and the closed window."""
    def the_old_way() -> None:
        job = live._Poll(None, None)  # type: ignore[arg-type]
        job.signals.done.connect(lambda _job, _seen: job)

    before = _live_polls()
    the_old_way()
    assert _live_polls() == before + 1


def _polled(window) -> bool:  # type: ignore[no-untyped-def]
    return window.live.last_id is not None and window.live._running is None


def test_a_closed_window_is_freed(qtbot, ui_db, settings) -> None:  # type: ignore[no-untyped-def]
    """Closed and deleted, the window and its plan document are garbage (the benchmark
    starts the window several times in one process; the program opens one per process)."""
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    from lakarrond.ui.main_window import MainWindow

    win = MainWindow(ui_db, year=YEAR, settings=settings)
    win.show()
    qtbot.waitUntil(functools.partial(_polled, win), timeout=10_000)
    gone = weakref.ref(win.live)
    win.wait_for_workers()
    win.close()
    win.deleteLater()
    del win
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert gone() is None
