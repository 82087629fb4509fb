"""Starting the app (also through the CLI), the first-start demo offer, remembered window
state, and import/export in workers with errors in a dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QUndoCommand
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from lakarrond.services.demo import is_empty
from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.ui import app as ui_app
from lakarrond.ui.main_window import MainWindow

TIMEOUT_MS = 60_000


def _close_windows_soon() -> None:
    def close() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                w.close()

    QTimer.singleShot(300, close)


def test_cli_without_command_opens_the_window_and_offers_the_demo(qtbot, tmp_path,
                                                                  monkeypatch):
    from lakarrond import cli

    asked = []
    monkeypatch.setattr(ui_app.QMessageBox, "question",
                        lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.Yes)
    target = tmp_path / "first.sqlite"
    _close_windows_soon()
    assert cli.main(["--db", str(target)]) == 0
    assert asked == ["Välkommen till Läkarrond"]
    db = open_database(str(target))
    try:
        with db.begin() as s:
            assert s.scalar(select(func.count()).select_from(m.Patient)) > 100
    finally:
        db.dispose()
    # the second start does not ask again and remembers the database
    asked.clear()
    _close_windows_soon()
    assert ui_app.main([]) == 0
    assert asked == []


def test_start_empty_when_the_demo_is_declined(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(ui_app.QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    db = open_database(str(tmp_path / "empty.sqlite"))
    try:
        assert not ui_app.offer_demo(db)
        assert is_empty(db)
    finally:
        db.dispose()


def test_window_state_is_remembered(qtbot, ui_db, settings):
    win = MainWindow(ui_db, year=2027, settings=settings)
    qtbot.addWidget(win)
    win.tabs.setCurrentIndex(3)
    win.resize(640, 480)
    win.plan_view.splitter.setSizes([100, 500])
    win.close()
    again = MainWindow(ui_db, year=2027, settings=settings)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 3
    assert settings.value("db/last") == str(ui_db.path)
    assert (again.size().width(), again.size().height()) == (640, 480)
    again.close()


def test_menus_and_shortcuts(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[:2] == ["&Arkiv", "&Redigera"] and "&Hjälp" in titles
    assert window.plan_action.shortcut().toString() == "F5"
    assert window.print_action.shortcut().matches(QKeySequence(QKeySequence.StandardKey.Print))
    assert window.undo_action.text() == "Ångra"
    window.tabs.setCurrentWidget(window.patients_view)
    window.find_action.trigger()
    assert "lakarrond.sqlite" in window.data_location_text()


def test_export_and_import_run_in_workers(qtbot, window, ui_db, tmp_path):
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    out = tmp_path / "plan.xlsx"
    with qtbot.waitSignal(window.ctx.jobs.finished, timeout=TIMEOUT_MS) as blocker:
        window.files.export_file(out)
    assert blocker.args[0] == "export" and Path(blocker.args[1]).is_file()
    with ui_db.begin() as s:
        assert s.scalars(select(m.AuditLog).where(m.AuditLog.action == "export")).first()
    bad = tmp_path / "trasig.xlsx"
    bad.write_text("inte en arbetsbok")
    with qtbot.waitSignal(window.ctx.jobs.failed, timeout=TIMEOUT_MS) as failed:
        window.files.import_file(bad)
    assert failed.args[0] == "import"
    box = window.ctx.last_message
    assert box is not None and box.windowTitle() == "Importen misslyckades"
    assert "Traceback" not in box.text()
    box.close()


def test_save_the_import_template_from_the_window(qtbot, window, tmp_path):
    out = tmp_path / "mall.xlsx"
    with qtbot.waitSignal(window.ctx.jobs.finished, timeout=TIMEOUT_MS) as blocker:
        window.files.save_template(out)
    assert blocker.args[0] == "template"
    import openpyxl

    sheets = openpyxl.load_workbook(out).sheetnames
    assert {"Läkare", "Enheter", "Patienter", "Instruktioner"} <= set(sheets)
    assert window.template_action in window.menuBar().actions()[0].menu().actions()


def test_switch_database(window, tmp_path, settings):
    other = tmp_path / "annan.sqlite"
    window.undo_stack.push(QUndoCommand("x"))
    assert window.files.switch_database(str(other))
    assert window.patients_view.model.rowCount() == 0
    assert window.undo_stack.count() == 0
    assert settings.value("db/last") == str(other)
    assert "annan.sqlite" in window.db_label.text()
    assert "Ingen plan" in window.plan_label.text()
    # a damaged file is refused with a Swedish message; the open database stays
    broken = tmp_path / "trasig.sqlite"
    broken.write_bytes(b"inte en databas" * 200)
    assert not window.files.switch_database(str(broken))
    assert "skadad" in window.ctx.last_message.text()
    window.ctx.last_message.close()
    assert window.db.path == other


def test_print_round_schedule_and_preparation_list(qtbot, window, ui_db, tmp_path):
    from lakarrond.ui.dialogs.printing import PrintDialog, PrintSpec

    window.printing.print_dialog()  # no plan yet: a message instead
    assert "ingen plan" in window.ctx.last_message.text()
    window.ctx.last_message.close()
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    # the dialog: a doctor's round schedule for a period
    seen = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        if isinstance(dialog, PrintDialog):
            dialog.whole_year.setChecked(False)
            seen.append(dialog.spec())
            return True
        seen.append(dialog.windowTitle())  # the print preview
        return True

    window.ctx.exec_dialog = fill
    window.printing.print_dialog()
    assert seen[0].kind == "rondschema" and seen[0].name == "Anna Berg"
    assert seen[1] == "Förhandsgranska rondschema"
    # saved as PDF instead of printed
    out = tmp_path / "forberedelse.pdf"
    spec = PrintSpec("förberedelselista", "Bäckliden", None, None, numbers="none")
    assert window.printing.print_job(spec, out)
    assert out.read_bytes().startswith(b"%PDF")
    with ui_db.begin() as s:
        rows = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "print")).all()
        assert [r.after["what"] for r in rows] == ["rondschema", "förberedelselista"]
    # a bad name is a Swedish message, not a traceback
    assert not window.printing.print_job(PrintSpec("rondschema", "Okänd Doktor", None, None))
    assert "Okänd Doktor" in window.ctx.last_message.text()
    window.ctx.last_message.close()
