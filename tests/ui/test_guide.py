"""The user guide as a test (issue 22, point 11): the real program (``lakarrond.ui.app.main``)
on a generated municipality, driven only through its widgets – clicks, keys, menus found by
their visible text, the modal dialogs filled in as a user would – through the guide's main
path: first start (Nej to the example municipality), import, Planera år, Veckan (Genomförd
and Ctrl+Z), a new patient with Föreslå datum and Boka, an absence, the stale banner, the
re-plan preview, the moved list saved as PDF, Spara planen, a fix with Prova and Använd, the
Excel export and a printout saved as PDF; and what the screen and the files say.

Under Xvfb (when installed) the walk runs in a child pytest on the xcb platform, as on a
desktop; otherwise here, offscreen. The window lives on :data:`TODAY` through its
``fixed_today`` hook (the only thing set from outside the widgets, besides the dates typed
into date fields with ``setDate``).

Steps that fail on today's code (the issue's defects 2, 3 and 8) are written as the guide
says in separate small tests marked ``xfail(strict=True)``, named after the step, so that
they can be unmarked once the fixes are merged."""

from __future__ import annotations

import faulthandler
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from lakarrond.io.template import write_template

INNER = "LAKARROND_GUIDE_TEST_INNER"  # set in the child run under Xvfb
XVFB = shutil.which("Xvfb")
TODAY = date(2027, 3, 1)  # a Monday in March, as in the guide's pictures
YEAR = 2027
WAIT_MS = 60_000
HANG_S = int(os.environ.get("LAKARROND_GUIDE_HANG_S", "240"))
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag")
DOCTORS = (("Anna Berg", "Vårdcentralen Norr", "onsdag", 2),
           ("Johan Ek", "Vårdcentralen Norr", "torsdag", 2))
# (unit, type, doctor, rhythm, weeks, weekday, in round, per round, patients)
UNITS = (
    ("Björkhagen", "SÄBO", "Anna Berg", "Varje vecka", "", "måndag", "Ja", 2, 12),
    ("Ekbacken", "SÄBO", "Anna Berg", "Varje vecka", "", "tisdag", "Ja", 2, 10),
    ("Granåsen", "SÄBO", "Johan Ek", "Varje vecka", "", "måndag", "Ja", 2, 12),
    ("Lindgården", "SÄBO", "Johan Ek", "Varje vecka", "", "tisdag", "Ja", 2, 10),
    ("Solrosen", "LSS", "Johan Ek", "Varje vecka", "", "fredag", "Nej", 1, 4),
    # over-full: one ÅMV every other week for patients who all fall due in the spring
    ("Smalgården", "SÄBO", "Anna Berg", "Varannan vecka", "udda", "fredag", "Ja", 1, 9),
)


# --- the municipality -------------------------------------------------------------------


def _luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 - index % 2)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def personnummer(birth: date, serial: int) -> str:
    short = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{_luhn(short)}"


def municipality(path: Path, seed: int = 22) -> int:
    """A filled import template (two doctors, six units, one of them over-full); returns
    the number of patients. Everyone's last ÅMV is in 2026, so all fall due in 2027; a few
    in each Monday unit fall due on the first days of March."""
    rng = random.Random(seed)
    write_template(path)
    book = openpyxl.load_workbook(path)
    for doctor in DOCTORS:
        book["Läkare"].append(list(doctor))
    patients = book["Patienter"]
    serial = 0
    for unit, kind, doctor, rhythm, weeks, weekday, in_round, per_round, count in UNITS:
        book["Enheter"].append([unit, kind, doctor, "", rhythm, weeks, weekday, "09:00", 120,
                                "Fysisk", in_round, per_round])
        for n in range(count):
            serial += 1
            if unit == "Smalgården":  # all due within a few weeks of each other
                last = date(2026, 4, 1) + timedelta(days=3 * n)
            elif n < 2:  # due at the start of March
                last = date(2026, 3, 1) + timedelta(days=n)
            else:
                last = date(2026, 3, 10) + timedelta(days=rng.randrange(270))
            birth = date(1928, 1, 1) + timedelta(days=serial * 211)
            patients.append([f"Patient {serial} {unit}", personnummer(birth, serial), unit,
                             str(n + 1), last - timedelta(days=400), last, "Aktiv", None, ""])
    book["Inställningar"]["B3"] = YEAR
    book.save(path)
    return serial


NEW_PATIENT = ("Greta Nyström", personnummer(date(1935, 4, 12), 123))


# --- driving the window -------------------------------------------------------------------


class Driver:
    """Answers the modal dialogs the walk expects (a handler per dialog, in order) and
    records – then closes – every message box nobody expected, so a wrong turn fails with
    the program's own words instead of hanging."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.handlers: list[tuple[Callable[[QWidget], bool], Callable[[QWidget], None]]] = []
        self.messages: list[str] = []
        self.errors: list[BaseException] = []
        self._busy: set[int] = set()
        self.timer = QTimer()
        self.timer.setInterval(40)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def expect(self, matches: Callable[[QWidget], bool],
               handle: Callable[[QWidget], None]) -> None:
        self.handlers.append((matches, handle))

    def _tick(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or id(widget) in self._busy or not widget.isVisible():
            return
        for n, (matches, handle) in enumerate(self.handlers):
            if matches(widget):
                del self.handlers[n]
                self._busy.add(id(widget))
                nested = QTimer()  # a timer never fires again inside its own slot: a
                nested.setInterval(40)  # dialog opened by this handler needs another one
                nested.timeout.connect(self._tick)
                nested.start()
                try:
                    handle(widget)
                    assert not widget.isVisible(), (
                        f"{widget.windowTitle()} stayed open: "
                        + " | ".join(label.text() for label in widget.findChildren(QLabel)
                                     if label.isVisible()))
                except BaseException as exc:  # reported by the walk
                    self.errors.append(exc)
                    if isinstance(widget, QDialog):
                        widget.reject()
                finally:
                    nested.stop()
                    self._busy.discard(id(widget))
                return
        if isinstance(widget, QMessageBox):  # an error or a question nobody expected
            self.messages.append(f"{widget.windowTitle()}: {widget.text()}")
            widget.reject()
            widget.close()

    def done(self) -> None:
        self.timer.stop()
        if self.errors:
            raise self.errors[0]
        assert not self.handlers, "dialogs that never opened"


def key(qtbot: Any, window: QWidget, k: Qt.Key,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed in the main window (its shortcuts see it; the window is active again
    once a dialog has closed, as the window manager would make it)."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    qtbot.keyClick(QApplication.focusWidget() or window, k, modifier)


def click(qtbot: Any, widget: QWidget) -> None:
    assert widget.isEnabled() and widget.isVisible(), widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def menu_action(window: QMainWindow, menu: str, text: str) -> QAction:
    """An action found by its visible text in a menu of the menu bar."""
    (bar_menu,) = [a.menu() for a in window.menuBar().actions()
                   if a.text().replace("&", "") == menu]
    (action,) = [a for a in bar_menu.actions() if a.text() == text]
    assert action.isEnabled(), text
    return action


def button(parent: QWidget, text: str) -> QAbstractButton:
    (found,) = [b for b in parent.findChildren(QAbstractButton)
                if b.text() == text and b.isVisible()]
    return found


def ok_button(dialog: QWidget) -> QAbstractButton:
    (box,) = dialog.findChildren(QDialogButtonBox)
    return box.button(QDialogButtonBox.StandardButton.Ok)


def type_into(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:  # QTest types ASCII only; "å", "ä", "ö" come as from an input method
        edit.insert(text)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)


def save_file_as(qtbot: Any, path: Path,
                 seen: list[str] | None = None) -> Callable[[QWidget], None]:
    """A handler for a file dialog: what it proposed goes to ``seen``, ``path`` is chosen."""

    def handle(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        if seen is not None:
            seen.extend(dialog.selectedFiles())
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog, not a native one
        name.setText(str(path))  # the path as typed (no completer popup in the way)
        (box,) = dialog.findChildren(QDialogButtonBox)
        accept = (box.button(QDialogButtonBox.StandardButton.Open)
                  or box.button(QDialogButtonBox.StandardButton.Save))
        click(qtbot, accept)

    return handle


def is_file_dialog(dialog: QWidget) -> bool:
    return isinstance(dialog, QFileDialog)


def of_type(kind: type) -> Callable[[QWidget], bool]:
    return lambda widget: type(widget).__name__ == kind.__name__ or isinstance(widget, kind)


def click_row(qtbot: Any, view: QAbstractItemView, index: QModelIndex) -> None:
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def rows_of(view: QAbstractItemView) -> list[list[str]]:
    model = view.model()
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def wait_saved_or_refused(qtbot: Any, window: Any, driver: Driver, version: int,
                          messages: int) -> None:
    """After the preview's Spara planen: wait until the window says the plan is saved as
    ``version``, or a message box (beyond the first ``messages``) says why not."""
    qtbot.waitUntil(lambda: not driver.handlers and not window.plan.running and (
        f"version {version} sparad" in window.statusBar().currentMessage()
        or len(driver.messages) > messages), timeout=WAIT_MS)


def all_indexes(model: Any, parent: QModelIndex | None = None) -> list[QModelIndex]:
    """Every first-column index of a tree model, depth first (the order shown)."""
    parent = parent or QModelIndex()
    found: list[QModelIndex] = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found.append(index)
        found.extend(all_indexes(model, index))
    return found


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


# --- the walk -------------------------------------------------------------------------------


def walk_the_guide(qtbot: Any, folder: Path) -> dict[str, Any]:
    """Start the program on an empty database and follow the guide; returns what was seen."""
    from lakarrond.ui import app as lakarrond_app
    from lakarrond.ui.main_window import MainWindow

    workbook = folder / "kommun.xlsx"
    patients = municipality(workbook)
    database = folder / "data" / "lakarrond.sqlite"
    database.parent.mkdir()
    driver = Driver(qtbot)
    seen: dict[str, Any] = {"patients": patients}
    print(f"GUIDE_PLATFORM={QGuiApplication.platformName()}")  # read by the parent run

    # first start: the empty database asks about the example municipality – Nej
    def no_demo(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["welcome"] = box.text()
        click(qtbot, box.button(QMessageBox.StandardButton.No))

    driver.expect(lambda w: isinstance(w, QMessageBox) and "exempelkommun" in w.text(),
                  no_demo)
    failure: list[BaseException] = []

    def follow() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or QApplication.activeModalWidget() is not None:
            QTimer.singleShot(50, follow)
            return
        window = windows[0]
        try:
            window.ctx.fixed_today = TODAY
            _walk(qtbot, window, driver, folder, workbook, seen)
        except BaseException as exc:  # raised again after the event loop
            failure.append(exc)
        finally:
            window.wait_for_workers()
            window.close()
            QApplication.instance().exit(0)

    QTimer.singleShot(0, follow)
    # a wrong turn that leaves a dialog waiting must not hang the test run
    faulthandler.dump_traceback_later(HANG_S, exit=True)
    try:
        code = lakarrond_app.main(["--db", str(database)])
    finally:
        faulthandler.cancel_dump_traceback_later()
        driver.timer.stop()
    if failure:
        raise AssertionError(f"dialogs: {driver.errors!r}; messages: {driver.messages!r}"
                             ) from failure[0]
    driver.done()
    assert code == 0
    seen["messages"] = driver.messages
    return seen


def _walk(qtbot: Any, window: Any, driver: Driver, folder: Path, workbook: Path,
          seen: dict[str, Any]) -> None:
    from lakarrond.ui.dialogs.doctor import AbsenceDialog
    from lakarrond.ui.dialogs.export import ExportDialog
    from lakarrond.ui.dialogs.patient import PatientDialog
    from lakarrond.ui.dialogs.printing import PrintDialog
    from lakarrond.ui.dialogs.replan import ReplanDialog
    from lakarrond.ui.dialogs.suggest import SuggestDialog
    from lakarrond.ui.dialogs.whatif import WhatIfDialog

    window.resize(1400, 900)
    window.activateWindow()  # keys reach the shortcuts of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    plan_view, week_view = window.plan_view, window.week_view
    assert window.plan.running is False
    seen["empty"] = window.plan_label.text()

    # import (Arkiv → Importera Excel …)
    driver.expect(is_file_dialog, save_file_as(qtbot, workbook))

    def import_done(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["imported"] = box.text()
        click(qtbot, box.button(QMessageBox.StandardButton.Ok))

    driver.expect(lambda w: isinstance(w, QMessageBox) and "Importen är klar" in w.text(),
                  import_done)
    menu_action(window, "Arkiv", "Importera Excel …").trigger()
    patients_panel = window.patients_view.panel
    qtbot.waitUntil(lambda: patients_panel.model.rowCount() == seen["patients"],
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=WAIT_MS)
    # the year of the workbook
    plan_view.year_spin.setValue(YEAR)

    # Planera år (Planera → Planera år): the first plan is saved directly. "Planera från"
    # should say today; it says 1 January (the computer's date, not the window's day:
    # test_guide_step_planera_fran_is_today), so it is set as the guide's 7.3 step 2 says
    key(qtbot, window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is plan_view
    plan_view.from_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    menu_action(window, "Planera", "Planera år").trigger()
    qtbot.waitUntil(lambda: "version 1" in window.plan_label.text(), timeout=WAIT_MS)
    seen["plan_1"] = window.plan_label.text()
    seen["visits_1"] = plan_view.visits.model.rowCount()

    # Veckan: this week; Genomförd on the first ÅMV, then Ctrl+Z
    key(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is week_view
    click(qtbot, week_view.today_button)
    tree, model = week_view.tree, week_view.tree_model
    reviews = [i for i in all_indexes(model) if model.review_at(i) is not None]
    assert reviews, "no ÅMV in this week"
    first = reviews[0]
    status = first.siblingAtColumn(model.STATUS_COLUMN)
    seen["week_title"] = week_view.title.text()
    seen["week_status_before"] = status.data()
    click_row(qtbot, tree, first)
    click(qtbot, week_view.done_button)
    qtbot.waitUntil(lambda: _status_of(model, seen) == "Genomförd", timeout=WAIT_MS)
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _status_of(model, seen) == seen["week_status_before"],
                    timeout=WAIT_MS)
    seen["week_status_after_undo"] = _status_of(model, seen)

    # Patienter → Ny patient … → Spara → Föreslå datum → Boka
    key(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)

    def new_patient(dialog: QWidget) -> None:
        assert isinstance(dialog, PatientDialog)
        type_into(qtbot, dialog.name, NEW_PATIENT[0])
        type_into(qtbot, dialog.personnummer, NEW_PATIENT[1])
        choose(dialog.unit, "Björkhagen")
        type_into(qtbot, dialog.room, "14")
        dialog.admitted.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
        click(qtbot, ok_button(dialog))

    def book_first(dialog: QWidget) -> None:
        assert isinstance(dialog, SuggestDialog)
        seen["suggest_text"] = " ".join(
            label.text() for label in dialog.findChildren(type(window.plan_label)))
        seen["suggestions"] = rows_of(dialog.view)
        click_row(qtbot, dialog.view, dialog.view.model().index(0, 0))
        click(qtbot, dialog.book_button)

    driver.expect(of_type(PatientDialog), new_patient)
    driver.expect(of_type(SuggestDialog), book_first)
    click(qtbot, window.patients_view.add_button)
    qtbot.waitUntil(lambda: not driver.handlers, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(NEW_PATIENT[0] in " ".join(r)
                                for r in rows_of(patients_panel.view)), timeout=WAIT_MS)
    seen["new_patient_row"] = next(r for r in rows_of(patients_panel.view)
                                   if NEW_PATIENT[0] in " ".join(r))

    # Läkare → Ny frånvaro … (Anna Berg away two weeks in April, no substitute)
    key(qtbot, window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    doctors = window.doctors_view

    def absence(dialog: QWidget) -> None:
        assert isinstance(dialog, AbsenceDialog)
        choose(dialog.doctor, "Anna Berg")
        dialog.start.setDate(QDate(2027, 4, 5))
        dialog.end.setDate(QDate(2027, 4, 16))
        type_into(qtbot, dialog.reason, "Semester")
        click(qtbot, ok_button(dialog))

    driver.expect(of_type(AbsenceDialog), absence)
    click(qtbot, doctors.add_absence_button)
    qtbot.waitUntil(lambda: not driver.handlers, timeout=WAIT_MS)

    # Årsplan: the stale banner
    key(qtbot, window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: plan_view.banner.isVisible(), timeout=WAIT_MS)
    seen["banner"] = plan_view.banner.text()

    # Planera (F5) … → the preview → Spara listan (PDF) → Spara planen
    plan_view.from_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    moved_pdf = folder / "flyttade.pdf"

    def preview(dialog: QWidget) -> None:
        assert isinstance(dialog, ReplanDialog)
        seen["preview_summary"] = dialog.summary.text()
        seen["preview_moves"] = rows_of(dialog.findChildren(QAbstractItemView)[-1])
        seen["preview_moved_count"] = dialog.model.rowCount()
        driver.expect(is_file_dialog, save_file_as(qtbot, moved_pdf))
        click(qtbot, dialog.export_button)
        qtbot.waitUntil(moved_pdf.exists, timeout=WAIT_MS)
        click(qtbot, dialog.save_button)

    driver.expect(of_type(ReplanDialog), preview)
    click(qtbot, plan_view.plan_button)
    wait_saved_or_refused(qtbot, window, driver, 2, len(driver.messages))
    seen["moved_pdf"] = pdf_text(moved_pdf)
    seen["after_replan"] = window.plan_label.text()

    # Avvikelser: the over-full unit's fix, Prova åtgärden … → Använd
    causes = plan_view.violations
    plan_view.tabs.setCurrentWidget(causes)
    cause_rows = rows_of(causes.tree)
    seen["causes"] = cause_rows
    (row,) = [n for n, r in enumerate(cause_rows)
              if "Smalgården" in " ".join(r) and "För få platser" in " ".join(r)]
    click_row(qtbot, causes.tree, causes.tree.model().index(row, 0))
    version_before = window.ctx.document.version

    def use_fix(dialog: QWidget) -> None:
        assert isinstance(dialog, WhatIfDialog)
        seen["whatif"] = " ".join(
            label.text() for label in dialog.findChildren(type(window.plan_label)))
        seen["whatif_compare"] = rows_of(dialog.findChildren(QAbstractItemView)[0])
        click(qtbot, dialog.use_button)

    driver.expect(of_type(WhatIfDialog), use_fix)
    click(qtbot, causes.try_button)
    qtbot.waitUntil(lambda: window.ctx.document is not None
                    and window.ctx.document.version > version_before, timeout=WAIT_MS)
    seen["after_fix"] = window.plan_label.text()
    seen["visits_after_fix"] = len(window.ctx.document.reviews)
    seen["unplaced_after_fix"] = len(window.ctx.document.unplaced)

    # Arkiv → Exportera … (Ctrl+S): Excel
    excel = folder / "export" / "plan.xlsx"
    excel.parent.mkdir()

    def export(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        type_into(qtbot, dialog.path, str(excel))
        click(qtbot, ok_button(dialog))

    driver.expect(of_type(ExportDialog), export)
    key(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(excel.exists, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=WAIT_MS)
    seen["excel"] = excel

    # Arkiv → Spara utskrift som PDF …: Anna Berg's round schedule for March
    printed = folder / "rondschema.pdf"
    proposed: list[str] = []

    def print_choice(dialog: QWidget) -> None:
        assert isinstance(dialog, PrintDialog)
        click(qtbot, dialog.rounds)
        choose(dialog.doctor, "Anna Berg")
        dialog.whole_year.setFocus()
        qtbot.keyClick(dialog.whole_year, Qt.Key.Key_Space)  # off: a period
        assert not dialog.whole_year.isChecked()
        dialog.date_from.setDate(QDate(2027, 3, 1))
        dialog.date_to.setDate(QDate(2027, 3, 31))
        seen["print_button"] = ok_button(dialog).text()
        click(qtbot, ok_button(dialog))

    driver.expect(of_type(PrintDialog), print_choice)
    driver.expect(is_file_dialog, save_file_as(qtbot, printed, proposed))
    menu_action(window, "Arkiv", "Spara utskrift som PDF …").trigger()
    qtbot.waitUntil(printed.exists, timeout=WAIT_MS)
    seen["print_proposed"] = [Path(p).name for p in proposed]
    seen["printed"] = pdf_text(printed)
    seen["printed_mode"] = printed.stat().st_mode & 0o777


def _status_of(model: Any, seen: dict[str, Any]) -> str:
    """The status shown for the first ÅMV of the week (found again after each reload)."""
    for index in all_indexes(model):
        if model.review_at(index) is not None:
            return str(index.siblingAtColumn(model.STATUS_COLUMN).data())
    return ""


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture
def child_display() -> Iterator[dict[str, str]]:
    """Where the child run shows the window: a private Xvfb server with the xcb platform
    when Xvfb is installed, else offscreen ({} in the child itself)."""
    if os.environ.get(INNER):
        yield {}
        return
    if XVFB is None or not sys.platform.startswith("linux"):
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    read, write = os.pipe()
    server = subprocess.Popen([XVFB, "-displayfd", str(write), "-screen", "0", "1600x1000x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{number}"}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")
def test_the_user_guide_in_the_real_window(qtbot, tmp_path: Path,
                                           child_display: dict[str, str]) -> None:
    if child_display:  # the program gets a process of its own: this test again, as a child
        env = {k: v for k, v in os.environ.items()
               if k not in ("WAYLAND_DISPLAY", "DISPLAY", "XDG_CURRENT_DESKTOP",
                            "DESKTOP_SESSION")}
        env.update({INNER: "1", "HOME": str(tmp_path), "QT_QPA_PLATFORMTHEME": "",
                    "XDG_CONFIG_HOME": str(tmp_path / "config"), **child_display})
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-s", "-p", "no:cacheprovider",
             f"{__file__}::test_the_user_guide_in_the_real_window",
             "--basetemp", str(tmp_path / "child")],
            env=env, capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[2])
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
        assert "1 passed" in run.stdout
        assert f"GUIDE_PLATFORM={child_display['QT_QPA_PLATFORM']}" in run.stdout
        return
    seen = walk_the_guide(qtbot, tmp_path)
    if os.environ.get("GUIDE_DEBUG"):
        import pprint
        pprint.pprint(seen, stream=sys.stderr, width=150)
    assert "Patienter: 57 nya" in seen["imported"]
    patients = seen["patients"]

    # first start: the question, then an empty window
    assert "exempelkommun" in seen["welcome"]
    assert seen["empty"] == f"Ingen plan för {YEAR}"
    # the plan: every imported patient has an ÅMV or is listed as unplaced
    assert f"Plan {YEAR} version 1" in seen["plan_1"]
    assert seen["visits_1"] >= patients - 9  # at most the over-full unit short
    # Veckan: Genomförd, and Ctrl+Z takes it back
    assert "Vecka 9" in seen["week_title"] or "vecka 9" in seen["week_title"]
    assert seen["week_status_before"] == "Planerad"
    assert seen["week_status_after_undo"] == "Planerad"
    # the new patient: dates within 28 days of today, one booked
    assert seen["suggestions"], seen["suggest_text"]
    first_date = date.fromisoformat(seen["suggestions"][0][0])
    assert TODAY <= first_date <= TODAY + timedelta(days=28)
    assert first_date.isoformat() in " ".join(seen["new_patient_row"])
    # the absence makes the plan stale; the preview lists who moves and why
    assert seen["banner"].startswith("Planen är inaktuell")
    assert seen["preview_moved_count"] >= 1
    assert f"Antal: {seen['preview_moved_count']}" in seen["moved_pdf"]
    assert "Flyttade ÅMV – meddela" in seen["moved_pdf"]
    assert "Anna Berg" in seen["moved_pdf"]
    # the fix was tried and used: a new version with fewer patients left without a date
    assert "För få platser" in " ".join(" ".join(r) for r in seen["causes"])
    assert "Smalgården" in seen["whatif"]
    assert f"Plan {YEAR} version" in seen["after_fix"]
    # the Excel export: one row per ÅMV of the plan on screen
    book = openpyxl.load_workbook(seen["excel"])
    assert book.sheetnames[:2] == ["Årsplan", "Per månad"]
    rows = [r for r in book["Årsplan"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(rows) == seen["visits_after_fix"]
    assert f"{seen['visits_after_fix']} ÅMV" in seen["after_fix"]
    # the printout: Anna Berg's March, under a name with the period, private
    assert seen["print_button"] == "Spara som PDF …"
    assert seen["print_proposed"] == ["rondschema-anna-berg-2027-03-01--2027-03-31.pdf"]
    assert "Rondschema" in seen["printed"] and "Anna Berg" in seen["printed"]
    assert "2027-03-01 – 2027-03-31" in seen["printed"]
    assert "Björkhagen" in seen["printed"]
    assert seen["printed_mode"] == 0o600
    # nothing else went wrong on the way (every message box nobody asked for is listed);
    # today "Spara planen" after saving the list fails (the defect 2, asserted in
    # test_guide_step_spara_planen_after_saving_the_list): the plan stays at version 1 and
    # the fix below is tried on it
    assert [m for m in seen["messages"] if "Någon annan har ändrat planen" not in m] == []


# --- the steps that fail on today's code (the defects), one small test each ---------


def _plan_in(qtbot: Any, window: Any) -> None:
    """The first plan: Planera (F5) … in Årsplan (saved directly, no preview)."""
    window.tabs.setCurrentWidget(window.plan_view)
    click(qtbot, window.plan_view.plan_button)
    qtbot.waitUntil(lambda: "version 1" in window.plan_label.text(), timeout=WAIT_MS)


@pytest.fixture
def real_window(qtbot, window):  # type: ignore[no-untyped-def]
    """The window of the small store with its own dialogs run for real (the ``window``
    fixture answers them without showing them)."""
    del window.ctx.exec_dialog  # back to AppContext.exec_dialog: dialog.exec()
    window.activateWindow()
    return window


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")
@pytest.mark.xfail(strict=True, reason="issue 22 defect 2: a printout's audit entry makes "
                   "save_draft refuse the re-plan ('Någon annan har ändrat planen')")
def test_guide_step_spara_planen_after_saving_the_list(qtbot, real_window,
                                                       tmp_path: Path) -> None:
    """Guide 7.3 steps 5–6: Spara listan … as PDF, then Spara planen saves the plan."""
    window = real_window
    driver = Driver(qtbot)
    try:
        _plan_in(qtbot, window)  # the first plan is saved directly
        moved = tmp_path / "flyttade.pdf"

        def preview(dialog: QWidget) -> None:
            driver.expect(is_file_dialog, save_file_as(qtbot, moved))
            click(qtbot, button(dialog, "Spara listan (Excel/PDF) …"))
            qtbot.waitUntil(moved.exists, timeout=WAIT_MS)
            click(qtbot, button(dialog, "Spara planen"))

        driver.expect(lambda w: type(w).__name__ == "ReplanDialog", preview)
        click(qtbot, window.plan_view.plan_button)
        wait_saved_or_refused(qtbot, window, driver, 2, 0)
    finally:
        driver.timer.stop()
    assert driver.errors == []
    assert "version 2" in window.plan_label.text(), driver.messages
    assert driver.messages == []


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard",
                           "Ambiguous shortcut overload")  # the defect itself: fail on F5
@pytest.mark.xfail(strict=True, reason="issue 22 defect 8: F5 is bound to both Planera år and "
                   "Läs in igen (Qt: 'Ambiguous shortcut overload: F5')")
def test_guide_step_f5_plans_the_year(qtbot, real_window) -> None:
    """Guide 7.1: Planera → Planera år (F5)."""
    window = real_window
    key(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "version 1" in window.plan_label.text(), timeout=5000)


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")
@pytest.mark.xfail(strict=True, reason="issue 22 defect 3: for a patient admitted today, before "
                   "the plan year, Föreslå datum says 'ÅMV bör hållas 2027-01-01 – 2027-01-01' "
                   "and proposes only dates 39+ days late")
def test_guide_step_foreslå_datum_for_a_patient_admitted_before_the_year(
        qtbot, real_window) -> None:
    """Guide 5.1: Ny patient … → Spara → Föreslå datum: dates within 28 days of admission."""
    window = real_window
    admitted = date(YEAR - 1, 12, 4)
    window.ctx.fixed_today = admitted
    driver = Driver(qtbot)
    seen: dict[str, Any] = {}
    try:
        _plan_in(qtbot, window)
        from lakarrond.ui.dialogs.patient import PatientDialog
        from lakarrond.ui.dialogs.suggest import SuggestDialog

        def new_patient(dialog: QWidget) -> None:
            assert isinstance(dialog, PatientDialog)
            type_into(qtbot, dialog.name, "Ny Patient")
            type_into(qtbot, dialog.personnummer, NEW_PATIENT[1])
            choose(dialog.unit, "Bäckliden")
            dialog.admitted.setDate(QDate(admitted.year, admitted.month, admitted.day))
            click(qtbot, ok_button(dialog))

        def read(dialog: QWidget) -> None:
            assert isinstance(dialog, SuggestDialog)
            seen["text"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
            seen["rows"] = rows_of(dialog.view)
            click(qtbot, button(dialog, "Stäng"))

        driver.expect(of_type(PatientDialog), new_patient)
        driver.expect(of_type(SuggestDialog), read)
        window.tabs.setCurrentWidget(window.patients_view)
        click(qtbot, window.patients_view.add_button)
        qtbot.waitUntil(lambda: not driver.handlers, timeout=WAIT_MS)
    finally:
        driver.timer.stop()
    assert driver.errors == []
    assert f"{YEAR}-01-01 – {YEAR}-01-01" not in seen["text"]
    assert seen["rows"] and date.fromisoformat(seen["rows"][0][0]) <= admitted + timedelta(28)
