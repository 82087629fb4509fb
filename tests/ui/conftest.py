"""GUI test fixtures: offscreen Qt, a fresh SQLite store per test, window settings in
tmp_path, and a check that no thread-pool work or top-level window is left behind."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.stores import fill_small_store

YEAR = 2027
UI_DIR = os.path.dirname(__file__)


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """The offscreen platform plugin warns "This plugin does not support
    propagateSizeHints()" whenever a QMainWindow or dialog with a layout is shown; that is a
    limitation of the test platform, not of our code, so only that one message is ignored
    (every other Qt warning still fails the test)."""
    for item in items:
        if str(item.fspath).startswith(UI_DIR):
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture(autouse=True)
def _qt_settings(tmp_path, qapp):  # type: ignore[no-untyped-def]
    """QSettings go to tmp_path (never the user's real settings)."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    yield


@pytest.fixture(autouse=True)
def _no_crash_reporter_between_tests(monkeypatch):  # type: ignore[no-untyped-def]
    """A test that starts the app (which installs the crash reporter and its excepthook)
    leaves neither behind for the next test."""
    import sys

    from lakarrond.ui import crash

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(crash, "_reporter", None)


@pytest.fixture(autouse=True)
def _no_leftovers(qapp):  # type: ignore[no-untyped-def]
    """Fail a test that leaves thread-pool work running or top-level windows open."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    yield
    pool = QThreadPool.globalInstance()
    busy = pool.activeThreadCount()
    pool.waitForDone()
    QApplication.processEvents()
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in visible:
        w.close()
    assert busy == 0, "thread-pool work was left running"
    assert not visible, f"top-level windows left open: {visible}"


@pytest.fixture
def ui_db(tmp_path):  # type: ignore[no-untyped-def]
    from lakarrond.store import open_database

    database = open_database(str(tmp_path / "db" / "lakarrond.sqlite"))
    fill_small_store(database, YEAR, short_term=True, time_limit=5.0)
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def default_dialogs(dialog) -> bool:  # type: ignore[no-untyped-def]
    """What a test that does not fill dialogs itself gets: a re-plan preview is saved, the
    date suggestions after adding a patient are closed, any other dialog is cancelled (a real
    modal dialog would block the offscreen test)."""
    from lakarrond.ui.dialogs.replan import ReplanDialog

    return isinstance(dialog, ReplanDialog)


@pytest.fixture
def window(qtbot, ui_db, settings):  # type: ignore[no-untyped-def]
    """The main window on the small store (plan year 2027), closed and its workers waited
    for at the end."""
    from PySide6.QtCore import QThreadPool

    from lakarrond.ui.main_window import MainWindow

    win = MainWindow(ui_db, year=YEAR, settings=settings)
    win.ctx.confirm = lambda *a, **k: True  # type: ignore[method-assign]
    win.ctx.exec_dialog = default_dialogs  # type: ignore[method-assign]
    qtbot.addWidget(win)
    win.show()
    yield win
    win.wait_for_workers()
    QThreadPool.globalInstance().waitForDone()
    if win.ctx.last_message is not None:
        win.ctx.last_message.close()
    win.close()
    if win.db is not ui_db:  # the test switched databases
        win.db.dispose()
