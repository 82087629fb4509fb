"""Walk issue 18's features in the real window, as a new user with the user guide in hand.

    Xvfb :97 -screen 0 1600x1000x24 &
    DISPLAY=:97 QT_QPA_PLATFORM=xcb python scripts/walk_issue18.py [--out /tmp/walk18]
        [--docs docs/screenshots]

A temporary HOME and database, ``LAKARROND_TODAY=2027-03-29``, the demo loaded and planned.
Everything after that goes through the window with clicks and keys (QTest); a modal dialog
is answered from a QTimer (``Answers``), a file dialog by typing the file name. Screen
grabs go to ``--out`` (look at them), the guide's pictures to ``--docs`` when given. The
clicks and keys each routine takes are counted and printed at the end, with what was read
back from the files (PDF text with pypdf, the workbooks with openpyxl, LibreOffice's PDF).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

TODAY = "2027-03-29"
YEAR = 2027
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOME = tempfile.mkdtemp(prefix="walk18-home-")
os.environ["HOME"] = HOME
os.environ["XDG_CONFIG_HOME"] = os.path.join(HOME, ".config")
os.environ["XDG_DATA_HOME"] = os.path.join(HOME, ".local", "share")
os.environ["LAKARROND_TODAY"] = TODAY
os.environ["LOGNAME"] = "sara.lind"
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QPoint, QSettings, Qt, QThreadPool, QTimer  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

APP = QApplication.instance() or QApplication(sys.argv[:1])
from lakarrond.qt_translations import install_swedish_translations  # noqa: E402

install_swedish_translations(APP)  # as the program does (ui/app.py): "2,5", Qt's Swedish


class Counter:
    """Clicks and keys per routine."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}
        self.routine = ""

    def start(self, name: str) -> None:
        self.routine = name
        self.counts.setdefault(name, [0, 0])

    def click(self, n: int = 1) -> None:
        self.counts[self.routine][0] += n

    def key(self, n: int = 1) -> None:
        self.counts[self.routine][1] += n


COUNT = Counter()
FINDINGS: list[str] = []


def note(text: str) -> None:
    FINDINGS.append(text)
    print("FINDING:", text, flush=True)


def pump(ms: int = 50) -> None:
    QTest.qWait(ms)


def wait(done: Callable[[], bool], limit_s: float = 180) -> None:
    import time
    end = time.monotonic() + limit_s
    while not done():
        APP.processEvents()
        QThreadPool.globalInstance().waitForDone(20)
        if time.monotonic() > end:
            raise TimeoutError("waited too long")
    pump(100)


def click(widget: QWidget, pos: QPoint | None = None, double: bool = False) -> None:
    assert widget.isVisible() and widget.isEnabled(), f"not clickable: {widget!r}"
    COUNT.click(2 if double else 1)
    if double:
        QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())
    pump()


def click_cell(view: QAbstractItemView, row: int, column: int = 0,
               double: bool = False) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    pump()
    click(view.viewport(), view.visualRect(index).center(), double=double)


def key(widget: QWidget, k: Any, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        ) -> None:
    COUNT.key()
    QTest.keyClick(widget, k, mod)
    pump()


def type_text(widget: QWidget, text: str, replace: bool = True) -> None:
    """Typing counts as one key per field (the text itself is the user's, not a step)."""
    widget.setFocus()
    if replace:
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget, text)
    COUNT.key()
    pump()


def activate(window: QWidget) -> None:
    """No window manager on Xvfb: give the main window the focus back after a dialog."""
    window = window.window()
    for _ in range(20):
        if APP.activeWindow() is window:
            return
        window.raise_()
        window.activateWindow()
        pump(50)
    print("note: the window did not become active:", APP.activeWindow(), flush=True)


def shortcut(window: QWidget, sequence: str) -> None:
    """A menu shortcut as the user presses it."""
    activate(window)
    seq = QKeySequence(sequence)
    combo = seq[0]
    COUNT.key()
    QTest.keyClick(APP.focusWidget() or window, combo.key(), combo.keyboardModifiers())
    pump()


def choose(combo: QComboBox, text: str) -> None:
    """Open the combo with a click and pick the item with a click (two clicks)."""
    index = combo.findText(text)
    if index < 0:
        index = combo.findText(text, Qt.MatchFlag.MatchContains)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    click(combo)
    view = combo.view()
    wait(lambda: view.isVisible(), 5)
    rect = view.visualRect(view.model().index(index, 0))
    click(view.viewport(), rect.center())
    if combo.currentIndex() != index:  # the popup may not take the click on Xvfb
        combo.setCurrentIndex(index)
    if view.isVisible():
        combo.hidePopup()
        pump()


def button(dialog: QWidget, text: str) -> QAbstractButton:
    for b in dialog.findChildren(QAbstractButton):
        if b.text().replace("&", "") == text and b.isVisible():
            return b
    names = [b.text() for b in dialog.findChildren(QAbstractButton) if b.isVisible()]
    raise LookupError(f"no button {text!r} in {names}")


def menu_action(window: Any, menu: str, text: str) -> None:
    """Open a menu with Alt+letter and choose the entry by clicking it."""
    bar = window.menuBar()
    for action in bar.actions():
        if action.text().replace("&", "") == menu:
            activate(window)
            focus = APP.focusWidget()
            key(window, Qt.Key(ord(menu[0].upper())), Qt.KeyboardModifier.AltModifier)
            m = action.menu()
            try:
                wait(lambda m=m: m.isVisible(), 1)
            except TimeoutError:
                print(f"note: Alt+{menu[0]} did not open {menu} (focus in "
                      f"{type(focus).__name__}); clicked the menu bar", flush=True)
                click(bar, bar.actionGeometry(action).center())
                wait(lambda m=m: m.isVisible(), 5)
            for a in m.actions():
                if a.text() == text:
                    rect = m.actionGeometry(a)
                    COUNT.click()
                    QTest.mouseClick(m, Qt.MouseButton.LeftButton, pos=rect.center())
                    return
            raise LookupError(f"{text!r} not in {menu}: {[a.text() for a in m.actions()]}")
    raise LookupError(menu)


class Answers:
    """Answer modal dialogs from a timer: each handler takes the next NEW modal widget."""

    def __init__(self) -> None:
        self.handlers: list[tuple[str, Callable[[QWidget], None]]] = []
        self.seen: set[int] = set()
        self.timer = QTimer()
        self.timer.setInterval(80)
        self.timer.timeout.connect(self._poll)
        self.timer.start()
        self.log: list[str] = []

    def then(self, name: str, handler: Callable[[QWidget], None]) -> None:
        self.handlers.append((name, handler))

    def _poll(self) -> None:
        w = APP.activeModalWidget()
        if w is None or id(w) in self.seen or not self.handlers:
            return
        self.seen.add(id(w))
        name, handler = self.handlers.pop(0)
        self.log.append(f"{name}: {w.windowTitle()}")
        # run the handler from its own single shot: Qt does not fire this timer again
        # while its slot runs, and a handler may open a modal dialog that needs answering
        QTimer.singleShot(0, lambda: self._run(name, handler, w))

    def _run(self, name: str, handler: Callable[[QWidget], None], w: QWidget) -> None:
        try:
            handler(w)
        except Exception as exc:
            note(f"dialog {name!r} ({w.windowTitle()}): {type(exc).__name__}: {exc}")
            if isinstance(w, QDialog):
                w.reject()

    def idle(self) -> bool:
        return not self.handlers


ANSWERS: Answers | None = None


def save_file(path: Path) -> Callable[[QWidget], None]:
    """A Qt file dialog: type the name and press Enter."""

    def handler(w: QWidget) -> None:
        assert isinstance(w, QFileDialog), f"not a file dialog: {w!r}"
        pump(200)
        edit = w.findChild(QLineEdit, "fileNameEdit") or w.findChild(QLineEdit)
        assert edit is not None
        type_text(edit, str(path))
        key(edit, Qt.Key.Key_Return)

    return handler


def press(text: str, before: Callable[[QWidget], None] | None = None,
          shot: str | None = None) -> Callable[[QWidget], None]:
    def handler(w: QWidget) -> None:
        pump(200)
        if before is not None:
            before(w)
            pump(100)
        if shot:
            grab(shot, w)
        click(button(w, text))
        pump(200)
        if w.isVisible() and isinstance(w, QDialog) and APP.activeModalWidget() is w:
            texts = [lab.text() for lab in w.findChildren(QLabel) if lab.isVisible()]
            note(f"{w.windowTitle()!r} stayed open after {text!r}: {texts[-3:]}")
            w.reject()

    return handler


OUT = Path("/tmp/walk18")
DOCS: Path | None = None


def grab(name: str, widget: QWidget | None = None) -> Path:
    """The whole screen (what the user sees) and, for a widget, the widget itself."""
    pump(150)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    APP.primaryScreen().grabWindow(0).save(str(path))
    if widget is not None:
        widget.grab().save(str(OUT / f"{name}-widget.png"))
    return path


def docs_shot(name: str, widget: QWidget) -> None:
    if DOCS is None:
        return
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshots import save_png  # the same PNG rules as the other pictures
    pump(150)
    save_png(widget.grab().toImage(), DOCS / f"{name}.png")


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def render_pdf(path: Path, png: Path, page: int = 0) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument
    doc = QPdfDocument()
    doc.load(str(path))
    size = doc.pagePointSize(page).toSize() * 1.5
    doc.render(page, QSize(size.width(), size.height())).save(str(png))


def libreoffice_pdf(xlsx: Path) -> Path:
    out = xlsx.parent / "lo"
    out.mkdir(exist_ok=True)
    subprocess.run(["soffice", "-env:UserInstallation=file:///tmp/Y-lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    return out / (xlsx.stem + ".pdf")


# --- the walk -----------------------------------------------------------------------------
NEW_PATIENT = "Greta Nordin"
NEW_PNR = "19400315-4566"  # fiction, with a valid check digit
KEPT_DOCTOR = "Lars Bergqvist"  # Vårdcentralen Stenporten, ÅMV on Wednesdays
NURSE = "Lena Frisk"


def setup(tmp: Path) -> Any:
    from lakarrond.services.demo import load_demo
    from lakarrond.store import open_database
    from lakarrond.ui.main_window import MainWindow

    db = open_database(str(tmp / "walk.sqlite"))
    load_demo(db, YEAR)
    settings = QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("plan/time_limit_s", 8)
    window = MainWindow(db, year=YEAR, settings=settings)
    window.resize(1560, 960)
    window.move(0, 0)
    window.show()
    window.activateWindow()
    wait(lambda: window.ctx.document is not None or not window.plan.running, 60)
    return window


def plan_f5(window: Any, answers: Answers, preview: bool = True) -> None:
    """F5 as the guide says; a re-plan is shown before it is saved ("Spara planen")."""
    done: list[object] = []
    window.plan.plan_finished.connect(done.append)
    window.plan.plan_failed.connect(done.append)
    if preview:
        answers.then("förhandsvisning", press("Spara planen", shot=f"{COUNT.routine}-preview"))
    shortcut(window, "F5")
    wait(lambda: bool(done) and not window.plan.running, 300)
    window.plan.plan_finished.disconnect(done.append)
    window.plan.plan_failed.disconnect(done.append)
    pump(300)


def first_plan(window: Any) -> None:
    done: list[object] = []
    window.plan.plan_finished.connect(done.append)
    window.plan.start(time_limit=8)
    wait(lambda: bool(done) and not window.plan.running, 300)
    pump(300)


def table_rows(view: QAbstractItemView) -> list[list[str]]:
    model = view.model()
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def headers(view: QAbstractItemView) -> list[str]:
    model = view.model()
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


def search(panel: Any, text: str) -> None:
    """Ctrl+F in the tab, type, Enter (TablePanel)."""
    shortcut(panel.window(), "Ctrl+F")
    type_text(panel.search, text)
    key(panel.search, Qt.Key.Key_Return)
    pump(300)


def walk_new_patient(window: Any, answers: Answers) -> dict[str, Any]:
    """§5.1: a new patient who keeps another doctor and has a named nurse; F5; the ÅMV."""
    COUNT.start("5.1 ny patient med egen läkare och sjuksköterska")
    found: dict[str, Any] = {}
    shortcut(window, "Ctrl+3")  # Visa → Patienter
    view = window.patients_view

    def fill(dialog: QWidget) -> None:
        d: Any = dialog
        type_text(d.name, NEW_PATIENT)
        key(d.name, Qt.Key.Key_Tab)
        type_text(d.personnummer, NEW_PNR)
        choose(d.unit, "Bäckliden")
        type_text(d.room, "Rum 12")
        found["unit_doctor_item"] = d.doctor.itemText(0)
        found["doctor_items"] = [d.doctor.itemText(i) for i in range(d.doctor.count())]
        choose(d.doctor, KEPT_DOCTOR)
        found["nurse_placeholder"] = d.nurse.placeholderText()
        type_text(d.nurse, NURSE)
        docs_shot("patient-formular-lakare", dialog)

    answers.then("Ny patient", press("Spara", before=fill, shot="51-patient-form"))
    answers.then("Föreslå datum", press("Boka", before=lambda w: found.update(
        suggestions=table_rows(w.view)[:3]), shot="51-suggest"))  # type: ignore[attr-defined]
    click(view.add_button)
    wait(answers.idle, 60)
    pump(500)
    search(view.panel, NEW_PATIENT)
    found["patients_headers"] = headers(view.panel.view)
    found["patients_rows"] = table_rows(view.panel.view)
    grab("51-patienter")
    plan_f5(window, answers)
    # the ÅMV in Årsplan
    shortcut(window, "Ctrl+5")
    pv = window.plan_view
    pv.tabs.setCurrentWidget(pv.visits)
    search(pv.visits, NEW_PATIENT)
    found["arsplan_headers"] = headers(pv.visits.view)
    found["arsplan_rows"] = table_rows(pv.visits.view)
    grab("51-arsplan")
    return found



def tree_lines(view: QAbstractItemView) -> list[str]:
    """Every row of a tree model, children indented, cells joined with " | "."""
    model = view.model()
    lines: list[str] = []

    def walk(parent: Any, depth: int) -> None:
        for r in range(model.rowCount(parent)):
            cells = [str(model.index(r, c, parent).data() or "")
                     for c in range(model.columnCount(parent))]
            lines.append("  " * depth + " | ".join(cells))
            walk(model.index(r, 0, parent), depth + 1)

    from PySide6.QtCore import QModelIndex
    walk(QModelIndex(), 0)
    return lines


def go_to_week(window: Any, day: str) -> None:
    """Veckan's date field: type the date and press Enter (the guide's words)."""
    shortcut(window, "Ctrl+1")
    edit = window.week_view.date_edit
    click(edit)
    edit.lineEdit().selectAll()
    QTest.keyClicks(edit, day)
    COUNT.key()
    key(edit, Qt.Key.Key_Return)
    pump(400)


def save_pdf(window: Any, answers: Answers, path: Path, rounds: bool, name: str,
             whole_year: bool = False) -> None:
    """Arkiv → Spara utskrift som PDF …: rondschema (a doctor) or förberedelselista (a unit),
    from today to the year's end, then the file name."""
    def fill(d: Any) -> None:
        if not rounds:
            click(d.prep)
            choose(d.unit, name)
        else:
            choose(d.doctor, name)
        if d.whole_year.isChecked() != whole_year:
            click(d.whole_year)

    answers.then("Spara utskrift som PDF", press("Spara som PDF …", before=fill,
                                                  shot=f"pdf-{path.stem}"))
    answers.then("filnamn", save_file(path))
    menu_action(window, "Arkiv", "Spara utskrift som PDF …")
    wait(answers.idle, 60)
    wait(lambda: path.exists(), 30)


def walk_new_patient_week(window: Any, answers: Answers) -> dict[str, Any]:
    """§5.1 continued: the ÅMV in Veckan, and the round schedule printout for the doctor."""
    COUNT.start("5.1 veckan och rondschemat för läkaren")
    found: dict[str, Any] = {}
    go_to_week(window, "2027-03-31")
    lines = tree_lines(window.week_view.tree)
    found["week_lines_with_patient"] = [ln for ln in lines if NEW_PATIENT in ln]
    found["week_doctor_rows"] = [ln for ln in lines if not ln.startswith(" ")][:14]
    grab("51-veckan")
    pdf = OUT / "rondschema-lars.pdf"
    save_pdf(window, answers, pdf, rounds=True, name=KEPT_DOCTOR)
    text = pdf_text(pdf)
    found["pdf_lines_with_patient"] = [ln for ln in text.splitlines() if "Nordin" in ln]
    found["pdf_has_nurse"] = NURSE in " ".join(text.split())
    render_pdf(pdf, OUT / "51-rondschema-page1.png")
    return found


def todo_rows(window: Any) -> list[list[str]]:
    return table_rows(window.week_view.todo.view)


def walk_my_steps(window: Any, answers: Answers) -> dict[str, Any]:
    """§3.2/3.3: Mina steg set to a role; tick a step; the preparation list; and a patient
    with "Bjud inte in närstående"."""
    COUNT.start("3.2 Mina steg och bocka av ett steg")
    found: dict[str, Any] = {}
    wv = window.week_view
    shortcut(window, "Ctrl+1")
    click(wv.today_button)
    found["roles"] = [wv.role_combo.itemText(i) for i in range(wv.role_combo.count())]
    found["todo_all"] = len(todo_rows(window))
    choose(wv.role_combo, "Arbetsterapeut")
    pump(300)
    rows = todo_rows(window)
    found["todo_headers"] = headers(wv.todo.view)
    found["todo_at"] = rows[:4]
    found["todo_at_count"] = len(rows)
    found["step_combo"] = [wv.step_combo.itemText(i) for i in range(wv.step_combo.count())]
    grab("32-mina-steg")
    docs_shot("att-gora-mina-steg", wv)
    if rows:
        click_cell(wv.todo.view, 0, 0)
        pump(300)
        found["checklist_title"] = wv.checklist_title.full_text()
        found["checklist_headers"] = headers(wv.checklist)
        before = table_rows(wv.checklist)
        found["checklist_before"] = before
        at_row = next((i for i, r in enumerate(before) if "arbetsterapeut" in r[0].lower()), 0)
        click_cell(wv.checklist, at_row, 0)
        key(wv.checklist, Qt.Key.Key_Space)
        pump(300)
        found["checklist_after"] = table_rows(wv.checklist)[at_row]
        found["todo_at_count_after"] = len(todo_rows(window))
        grab("33-bockat")
    COUNT.start("3.3 förberedelselistan som PDF")
    pdf = OUT / "forberedelse-backliden.pdf"
    save_pdf(window, answers, pdf, rounds=False, name="Bäckliden")
    text = pdf_text(pdf)
    found["prep_pdf_head"] = text.splitlines()[:12]
    found["prep_pdf_nordin"] = [ln for ln in text.splitlines() if "Nordin" in ln]
    render_pdf(pdf, OUT / "33-forberedelse-page1.png")

    COUNT.start("3.3 Bjud inte in närstående")
    shortcut(window, "Ctrl+3")
    pvw = window.patients_view
    search(pvw.panel, NEW_PATIENT)
    click_cell(pvw.panel.view, 0, 0)

    def tick(d: Any) -> None:
        click(d.no_relatives)

    answers.then("Redigera patient", press("Spara", before=tick, shot="33-bjud-inte-in"))
    click(pvw.edit_button)
    wait(answers.idle, 60)
    pump(300)
    go_to_week(window, "2027-03-31")
    lines = tree_lines(wv.tree)
    found["week_nordin"] = [ln for ln in lines if NEW_PATIENT in ln]
    # choose her ÅMV in the week: find it with Ctrl+F as the guide says
    shortcut(window, "Ctrl+F")
    type_text(wv.find_bar.edit, "Nordin")
    pump(400)
    found["find_result"] = wv.find_bar.result.text()
    found["checklist_nordin"] = [r[0] for r in table_rows(wv.checklist)]
    found["checklist_title_nordin"] = wv.checklist_title.full_text()
    grab("33-nordin-checklista")
    pdf2 = OUT / "forberedelse-backliden-2.pdf"
    save_pdf(window, answers, pdf2, rounds=False, name="Bäckliden")
    found["prep_pdf2_nordin"] = [ln for ln in pdf_text(pdf2).splitlines() if "Nordin" in ln]
    return found


def walk_absence(window: Any, answers: Answers) -> dict[str, Any]:
    """§9.2: an absence with a substitute and a phone; on the round schedule and in Veckan."""
    COUNT.start("9.2 frånvaro med vikarie och telefon")
    found: dict[str, Any] = {}
    shortcut(window, "Ctrl+4")
    dv = window.doctors_view

    def fill(d: Any) -> None:
        choose(d.doctor, "Karin Holmström")
        for edit, text in ((d.start, "2027-04-05"), (d.end, "2027-04-09")):
            edit.setFocus()
            edit.lineEdit().selectAll()
            QTest.keyClicks(edit, text)
            COUNT.key()
        type_text(d.reason, "Kurs")
        type_text(d.substitute, "Per Holm")
        type_text(d.phone, "070-123 45 67")

    answers.then("Ny frånvaro", press("Spara", before=fill, shot="92-franvaro"))
    click(dv.add_absence_button)
    wait(answers.idle, 60)
    pump(300)
    found["absence_headers"] = headers(dv.absences.view)
    found["absence_rows"] = [r for r in table_rows(dv.absences.view)
                             if "Per Holm" in " ".join(r)]
    grab("92-lakare")
    go_to_week(window, "2027-04-05")
    lines = tree_lines(window.week_view.tree)
    found["week_substitute"] = [ln for ln in lines if "Per Holm" in ln or "vikarie" in ln.lower()]
    grab("92-veckan")
    pdf = OUT / "rondschema-karin.pdf"
    save_pdf(window, answers, pdf, rounds=True, name="Karin Holmström")
    found["pdf_substitute"] = [ln for ln in pdf_text(pdf).splitlines() if "Holm " in ln
                               or "Per Holm" in ln or "070-123" in ln]
    return found


def walk_doctor_time(window: Any, answers: Answers) -> dict[str, Any]:
    """§9.3/9.4: the doctor-time columns in Enheter and Läkare; the floor in Inställningar."""
    COUNT.start("9.3 läkartid i Enheter och Läkare")
    found: dict[str, Any] = {}
    shortcut(window, "Ctrl+2")
    uv = window.units_view
    panel = uv.panel
    found["units_headers"] = headers(panel.view)
    found["units_rows"] = table_rows(panel.view)
    grab("93-enheter")
    shortcut(window, "Ctrl+4")
    dv = window.doctors_view
    dpanel = dv.doctors
    found["doctors_headers"] = headers(dpanel.view)
    found["doctors_rows"] = table_rows(dpanel.view)
    COUNT.start("9.4 ändra golvet i Inställningar")

    def floor(d: Any) -> None:
        found["floor_before"] = d.doctor_hours.value()
        d.doctor_hours.setFocus()
        d.doctor_hours.lineEdit().selectAll()
        QTest.keyClicks(d.doctor_hours, "2,5")
        COUNT.key()
        found["floor_typed"] = d.doctor_hours.value()

    answers.then("Inställningar", press("Spara", before=floor, shot="94-installningar"))
    shortcut(window, "Ctrl+,")
    wait(answers.idle, 60)
    pump(500)
    shortcut(window, "Ctrl+2")
    found["units_rows_after"] = table_rows(panel.view)
    grab("94-enheter-efter")
    return found


def walk_census(window: Any, answers: Answers) -> dict[str, Any]:
    """§11.1: Arkiv → Ändringar sedan …: save Excel and PDF."""
    COUNT.start("11.1 Ändringar sedan – Excel och PDF")
    found: dict[str, Any] = {}
    xlsx, pdf = OUT / "andringar.xlsx", OUT / "andringar.pdf"

    def use(d: Any) -> None:
        pump(800)
        found["summary"] = d.summary.text()
        found["table"] = [table_rows(v) for v in d.findChildren(QAbstractItemView)][:1]
        grab("111-andringar", d)
        answers.then("Excel-fil", save_file(xlsx))
        click(d.excel_button)
        wait(lambda: xlsx.exists(), 30)
        answers.then("PDF-fil", save_file(pdf))
        click(d.pdf_button)
        wait(lambda: pdf.exists(), 30)
        click(button(d, "Stäng"))

    answers.then("Ändringar sedan", use)
    menu_action(window, "Arkiv", "Ändringar sedan …")
    wait(answers.idle, 60)
    found.update(read_outputs(xlsx, pdf, "111"))
    return found


def walk_follow_up(window: Any, answers: Answers) -> dict[str, Any]:
    """§11.2: Arkiv → Årsuppföljning …: save Excel and PDF."""
    COUNT.start("11.2 Årsuppföljning – Excel och PDF")
    found: dict[str, Any] = {}
    xlsx, pdf = OUT / "arsuppfoljning.xlsx", OUT / "arsuppfoljning.pdf"

    def use(d: Any) -> None:
        pump(1500)
        found["year"] = d.year.value()
        found["state"] = d.state.text()
        found["tabs"] = [d.tabs.tabText(i) for i in range(d.tabs.count())]
        first = d.tabs.widget(0)
        found["headers"] = headers(first)
        found["rows"] = table_rows(first)
        grab("112-arsuppfoljning", d)
        docs_shot("arsuppfoljning", d)
        answers.then("Excel-fil", save_file(xlsx))
        click(d.excel_button)
        wait(lambda: xlsx.exists(), 30)
        answers.then("PDF-fil", save_file(pdf))
        click(d.pdf_button)
        wait(lambda: pdf.exists(), 30)
        click(button(d, "Stäng"))

    menu_action(window, "Arkiv", "Årsuppföljning …")  # not modal: the window stays usable
    wait(lambda: window.follow_up.dialog is not None and window.follow_up.dialog.isVisible(),
         10)
    dialog = window.follow_up.dialog
    wait(lambda: dialog.excel_button.isEnabled(), 120)
    use(dialog)
    found.update(read_outputs(xlsx, pdf, "112"))
    return found


def read_outputs(xlsx: Path, pdf: Path, tag: str) -> dict[str, Any]:
    """The workbook with openpyxl and LibreOffice, the PDF with pypdf; pages as PNG."""
    from openpyxl import load_workbook
    found: dict[str, Any] = {}
    wb = load_workbook(xlsx)
    found["sheets"] = {ws.title: [[c for c in row] for row in ws.iter_rows(
        min_row=1, max_row=min(ws.max_row, 4), values_only=True)] for ws in wb.worksheets}
    found["charts"] = {ws.title: len(ws._charts) for ws in wb.worksheets}
    found["print"] = {ws.title: (ws.page_setup.orientation, ws.page_setup.fitToWidth,
                                 ws.print_title_rows) for ws in wb.worksheets}
    lo = libreoffice_pdf(xlsx)
    from pypdf import PdfReader
    found["lo_pages"] = len(PdfReader(str(lo)).pages)
    for page in range(min(found["lo_pages"], 3)):
        render_pdf(lo, OUT / f"{tag}-excel-lo-p{page + 1}.png", page)
    found["pdf_pages"] = len(PdfReader(str(pdf)).pages)
    found["pdf_head"] = pdf_text(pdf).splitlines()[:10]
    render_pdf(pdf, OUT / f"{tag}-pdf-p1.png")
    return found


def main(argv: list[str] | None = None) -> int:
    global OUT, DOCS, ANSWERS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--docs", type=Path, default=None)
    parser.add_argument("--only", default="", help="comma-separated walks (default: all)")
    args = parser.parse_args(argv)
    OUT, DOCS = args.out, args.docs
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    tmp = Path(tempfile.mkdtemp(prefix="walk18-"))
    answers = ANSWERS = Answers()
    window = setup(tmp)
    first_plan(window)
    grab("00-start")
    results: dict[str, Any] = {}
    walks: list[tuple[str, Callable[[Any, Answers], Any]]] = [
        ("new_patient", walk_new_patient),
        ("new_patient_week", walk_new_patient_week),
        ("my_steps", walk_my_steps),
        ("absence", walk_absence),
        ("doctor_time", walk_doctor_time),
        ("census", walk_census),
        ("follow_up", walk_follow_up),
    ]
    only = {w for w in args.only.split(",") if w}
    for name, walk in walks:
        if only and name not in only:
            continue
        try:
            results[name] = walk(window, answers)
        except Exception as exc:
            import traceback
            traceback.print_exc()
            note(f"walk {name} stopped: {type(exc).__name__}: {exc}")
            answers.handlers.clear()
            for w in APP.topLevelWidgets():
                if isinstance(w, QDialog) and w.isVisible():
                    w.reject()
    import pprint
    for name, found in results.items():
        print(f"== {name}")
        pprint.pprint(found, width=110)
    print("== dialogs answered")
    print("\n".join(answers.log))
    print("== clicks and keys")
    for routine, (clicks, keys) in COUNT.counts.items():
        print(f"{routine}: {clicks} clicks, {keys} keys")
    print("== findings")
    print("\n".join(FINDINGS) or "none")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
