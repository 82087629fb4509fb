"""Helpers of the user-guide test (``test_guide.py``): a generated municipality as a filled
import template, and a driver that answers the program's modal dialogs the way a user
would (one handler per expected dialog) and records every message box nobody expected."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction
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
