"""GUI test fixtures: offscreen Qt, a fresh SQLite store per test, window settings in
tmp_path, and a check that no thread-pool work or top-level window is left behind."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, time

import pytest

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


def fill_store(database, year: int = YEAR) -> None:  # type: ignore[no-untyped-def]
    """One doctor, a nursing home with weekly rounds (2 ÅMV per round), an LSS home with
    separate ÅMV times, a short-term unit, eight patients."""
    from lakarrond.store import models as m
    from lakarrond.store.settings import write_settings

    with database.begin() as s:
        centre = m.HealthCentre(name="Vårdcentralen Test")
        doctor = m.Doctor(name="Anna Berg", health_centre=centre, review_weekdays="3",
                          reviews_per_day=2)
        home = m.Unit(name="Bäckliden", type="SÄBO", doctor=doctor, nurse="Eva Syster",
                      rhythm_kind="Varje vecka", weekdays="1", start_time=time(9, 0),
                      length_min=120, form="Fysisk", reviews_per_round=2)
        lss = m.Unit(name="Tallen", type="LSS", doctor=doctor, rhythm_kind="Varannan vecka",
                     parity="udda", weekdays="2", start_time=time(14, 0), length_min=60,
                     form="Fysisk", reviews_in_round=False, reviews_per_round=0)
        short = m.Unit(name="Ekbacken", type="Korttidsboende", doctor=doctor,
                       rhythm_kind="Två gånger i veckan", weekdays="0,3",
                       start_time=time(8, 30), length_min=60, form="Fysisk")
        s.add_all([centre, doctor, home, lss, short])
        s.add(m.Absence(doctor=doctor, start=date(year, 3, 1), end=date(year, 3, 12),
                        reason="Semester", substitute="Per Vikarie"))
        patients = [
            ("Karl Nilsson", "19380412-1238", home, date(year - 5, 1, 10), date(year - 1, 2, 2)),
            ("Greta Ek", "19300101-0002", home, date(year - 3, 5, 1), date(year - 1, 4, 6)),
            ("Olof Lund", None, home, date(year - 2, 6, 1), date(year - 1, 6, 8)),
            ("Signe Berg", None, home, date(year - 1, 9, 1), date(year - 1, 9, 28)),
            ("Bo Ström", None, home, date(year - 4, 1, 1), date(year - 1, 11, 2)),
            ("Astrid Holm", None, home, date(year, 4, 1), None),
            ("Leif Sand", None, lss, date(year - 6, 1, 1), date(year - 1, 5, 5)),
            ("Vera Dal", None, lss, date(year - 6, 1, 1), date(year - 1, 10, 6)),
        ]
        for name, pnr, unit, admitted, last in patients:
            s.add(m.Patient(name=name, personnummer=pnr, unit=unit, room="Rum 1",
                            admitted=admitted, last_review=last))
        write_settings(s, year, {"time_limit_s": 5.0, "summer_weeks": (27, 28, 29, 30, 31)})


@pytest.fixture(autouse=True)
def _qt_settings(tmp_path, qapp):  # type: ignore[no-untyped-def]
    """QSettings go to tmp_path (never the user's real settings)."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    yield


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
    fill_store(database)
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, ui_db, settings):  # type: ignore[no-untyped-def]
    """The main window on the small store (plan year 2027), closed and its workers waited
    for at the end."""
    from PySide6.QtCore import QThreadPool

    from lakarrond.ui.main_window import MainWindow

    win = MainWindow(ui_db, year=YEAR, settings=settings)
    win.confirm = lambda *a, **k: True  # type: ignore[method-assign]
    qtbot.addWidget(win)
    win.show()
    yield win
    win.wait_for_workers()
    QThreadPool.globalInstance().waitForDone()
    if win.last_message is not None:
        win.last_message.close()
    win.close()
    if win.db is not ui_db:  # the test switched databases
        win.db.dispose()
