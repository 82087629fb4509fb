"""Tests never touch the user's own settings or data folder, and a last database that is
gone is said, not silently replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from lakarrond.crashlog import log_dir
from lakarrond.store.database import default_path
from lakarrond.ui import app as ui_app
from lakarrond.ui.context import AppContext
from lakarrond.ui.main_window import MainWindow


def _real_home() -> Path:
    """The user's own home (the conftest keeps it; without it, HOME is the real one)."""
    return Path(os.environ.get("LAKARROND_TEST_REAL_HOME") or Path.home()).resolve()


def _outside_real_home(path: str | Path) -> bool:
    resolved = Path(path).resolve()
    return not resolved.is_relative_to(_real_home())


def _close_windows_soon() -> None:
    def close() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                w.close()

    QTimer.singleShot(300, close)


def _start_declining_the_demo(monkeypatch) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Start the app as `lakarrond` without --db does, answer Nej to the demo, close the
    window; returns the messages the window showed (text, title)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.delenv("LAKARROND_LOG_DIR", raising=False)
    monkeypatch.setattr(ui_app.QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(AppContext, "show_error",
                        lambda self, message, title="": shown.append((message, title)))
    _close_windows_soon()
    assert ui_app.main([]) == 0
    return shown


def test_a_started_window_writes_its_settings_and_database_outside_the_real_home(
        qtbot, monkeypatch):
    QSettings(ui_app.ORG, ui_app.APP).remove("db/last")  # an earlier test's database
    _start_declining_the_demo(monkeypatch)
    written = QSettings(ui_app.ORG, ui_app.APP)
    assert written.value("db/last") == str(default_path())  # the window saved its state …
    assert Path(written.fileName()).is_file()
    for where in (written.fileName(), default_path(), log_dir(),  # … but not in the real home
                  platformdirs.user_config_dir("Lakarrond"),
                  platformdirs.user_cache_dir("Lakarrond"),
                  QStandardPaths.writableLocation(
                      QStandardPaths.StandardLocation.AppDataLocation)):
        assert _outside_real_home(where), where


def test_a_subprocess_of_a_test_inherits_the_private_home():
    code = "import os, platformdirs; print(os.path.expanduser('~')); " \
           "print(platformdirs.user_data_dir('Lakarrond'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert _outside_real_home(out[0]) and _outside_real_home(out[1])


def test_a_last_database_that_is_gone_is_said_and_the_default_one_opened(
        qtbot, monkeypatch, tmp_path):
    gone = tmp_path / "flyttad" / "gammal.sqlite"
    QSettings(ui_app.ORG, ui_app.APP).setValue("db/last", str(gone))
    shown = _start_declining_the_demo(monkeypatch)
    assert not gone.exists() and not gone.parent.exists()  # not created again
    assert [title for _text, title in shown] == ["Databasen finns inte"]
    assert str(gone) in shown[0][0] and "Standarddatabasen öppnas" in shown[0][0]
    assert QSettings(ui_app.ORG, ui_app.APP).value("db/last") == str(default_path())


def test_a_last_database_that_exists_is_opened_without_a_word(qtbot, monkeypatch, tmp_path):
    from lakarrond.store import open_database

    there = tmp_path / "finns.sqlite"
    open_database(str(there)).dispose()
    QSettings(ui_app.ORG, ui_app.APP).setValue("db/last", str(there))
    assert _start_declining_the_demo(monkeypatch) == []
    assert QSettings(ui_app.ORG, ui_app.APP).value("db/last") == str(there)
