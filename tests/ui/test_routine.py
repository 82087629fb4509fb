"""The Monday routine counted (issue 20, point 7): a coordinator's week start played through
the window's widgets only – mouse clicks and keys, the modal dialogs answered by the guide's
:class:`~guide_driver.Driver` – on the example municipality (generated: 6 doctors, 19 units,
459 patients), with every click and key counted:

A. last week's outcomes: 9 Genomförd, 1 Avböjd, 1 Inställd (each with a reason);
B. two preparation steps ticked for every ÅMV two and three weeks ahead;
C. a new patient, Föreslå datum, Boka;
D. the week list of every doctor saved as PDF.

The count is written in docs/anvandarguide.md ("Veckorutinen"). Each step is a function of
its own so a cheaper path (bulk preparation, dialogs that take typing) replaces one step
without touching the others."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from guide_driver import (  # tests/ is not a package: pytest puts tests/ui on sys.path
    NEW_PATIENT,
    WAIT_MS,
    Driver,
    all_indexes,
    of_type,
    ok_button,
    pdf_text,
)
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QStyle,
    QWidget,
)

TODAY = date(2027, 3, 29)  # Monday of week 13: last week (12) has 11 ÅMV
YEAR = 2027
NO = Qt.KeyboardModifier.NoModifier
# The routine's count today (clicks + keys); each step's share is checked too.
EXPECTED = {"A": {"clicks": 14, "keys": 0}, "B": {"clicks": 8, "keys": 2},
            "C": {"clicks": 6, "keys": 26}, "D": {"clicks": 2, "keys": 2}}
TOTAL = 60  # issue 20 asks for at most 60 (124 before bulk preparation and typing dialogs)


class Hands:
    """The user's hands: every click and key goes through here and is counted per step."""

    def __init__(self, qtbot: Any, window: Any) -> None:
        self.qtbot, self.window = qtbot, window
        self.step = ""
        self.count: dict[str, Counter[str]] = {}

    def _add(self, kind: str, n: int = 1) -> None:
        self.count.setdefault(self.step, Counter())[kind] += n

    def click(self, widget: QWidget, pos: QPoint | None = None,
              modifier: Qt.KeyboardModifier = NO) -> None:
        assert widget.isEnabled() and widget.isVisible(), widget
        self._add("clicks")
        if pos is None:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, modifier)
        else:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, modifier, pos)

    def click_row(self, view: QAbstractItemView, index: Any,
                  modifier: Qt.KeyboardModifier = NO) -> None:
        view.scrollTo(index)
        self.click(view.viewport(), view.visualRect(index).center(), modifier)

    def tick(self, view: QAbstractItemView, index: Any) -> None:
        """A click on the check box of a checkable cell."""
        view.scrollTo(index)
        rect = view.visualRect(index)
        style = view.style()
        width = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        self.click(view.viewport(), QPoint(rect.left() + margin + width // 2,
                                           rect.center().y()))

    def pick(self, combo: QComboBox, text: str) -> None:
        """Open a drop-down list and click an entry: two clicks."""
        index = combo.findText(text)
        assert index >= 0, text
        self._add("clicks", 2)
        combo.setCurrentIndex(index)

    def key(self, k: Qt.Key, modifier: Qt.KeyboardModifier = NO,
            widget: QWidget | None = None) -> None:
        self._add("keys")
        if widget is None and QApplication.activeWindow() is not self.window:
            self.window.activateWindow()  # as the window manager does when a dialog closes
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window,
                                 timeout=WAIT_MS)
        target = widget or QApplication.focusWidget() or self.window
        self.qtbot.keyClick(target, k, modifier)

    def type(self, edit: QLineEdit, text: str) -> None:
        """Typed into the focused field: one key per character."""
        assert text.isascii()
        self._add("keys", len(text))
        self.qtbot.keyClicks(edit, text)

    def totals(self) -> dict[str, dict[str, int]]:
        return {step: {"clicks": c["clicks"], "keys": c["keys"]}
                for step, c in self.count.items()}


@pytest.fixture
def demo(qtbot, tmp_path, settings):  # type: ignore[no-untyped-def]
    """The window on the example municipality with a saved plan, living on TODAY."""
    from PySide6.QtCore import QThreadPool

    from lakarrond.services.demo import load_demo
    from lakarrond.services.plan import plan_year
    from lakarrond.store import open_database
    from lakarrond.ui.main_window import MainWindow

    db = open_database(str(tmp_path / "demo.sqlite"))
    load_demo(db, YEAR)
    plan_year(db, YEAR, time_limit=10.0)
    win = MainWindow(db, year=YEAR, settings=settings)
    win.ctx.fixed_today = TODAY
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    win.reload()
    win.week.this_week()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=WAIT_MS)
    yield win
    win.wait_for_workers()
    QThreadPool.globalInstance().waitForDone()
    win.close()
    db.dispose()


def _reviews(view: Any) -> list[Any]:
    model = view.tree_model
    return [i for i in all_indexes(model) if model.review_at(i) is not None]


def _visit_ids(view: Any) -> list[int]:
    return [view.tree_model.review_at(i).visit_id for i in _reviews(view)]


def _row(view: Any, visit_id: int) -> Any:
    index = view.tree_model.find_visit(visit_id)
    assert index.isValid(), visit_id
    return index


def _outcome(window: Any, visit_id: int) -> tuple[str, str]:
    from lakarrond.store import models as m

    with window.db.read() as session:
        visit = session.get(m.Visit, visit_id)
        return visit.status, visit.reason


def outcomes_of_last_week(hands: Hands, window: Any, driver: Driver) -> dict[str, int]:
    """A: ◀ to last week; 9 Genomförd (a click and a shift-click, Genomförd), 1 Avböjd and
    1 Inställd (row, button, a reason from the list, Registrera)."""
    from lakarrond.ui.dialogs.outcome import OutcomeDialog

    view = window.week_view
    hands.click(view.prev_button)
    ids = _visit_ids(view)
    assert len(ids) == 11, ids
    done, declined, cancelled = ids[:9], ids[9], ids[10]
    hands.click_row(view.tree, _row(view, done[0]))
    hands.click_row(view.tree, _row(view, done[-1]), Qt.KeyboardModifier.ShiftModifier)
    assert sorted(w.visit_id for w in view.selected_reviews()) == sorted(done)
    hands.click(view.done_button)

    def reason(text: str) -> Any:
        def handle(dialog: QWidget) -> None:
            assert isinstance(dialog, OutcomeDialog)
            hands.pick(dialog.reason, text)
            hands.click(ok_button(dialog))
        return handle

    for visit_id, button, text in ((declined, view.declined_button, "patienten tackade nej"),
                                   (cancelled, view.cancelled_button, "patienten sjuk")):
        driver.expect(of_type(OutcomeDialog), reason(text))
        hands.click_row(view.tree, _row(view, visit_id))
        hands.click(button)
        hands.qtbot.waitUntil(lambda: not driver.handlers, timeout=WAIT_MS)
    assert [_outcome(window, v)[0] for v in done] == ["Genomförd"] * 9
    assert _outcome(window, declined) == ("Avböjd", "patienten tackade nej")
    assert _outcome(window, cancelled) == ("Inställd", "patienten sjuk")
    return {"done": len(done)}


def prepare_ahead(hands: Hands, window: Any, steps: int = 2) -> int:
    """B: the weeks two and three ahead (▶); in each, Ctrl+A selects every ÅMV of the week
    and one click on a step of the checklist ticks it for all of them ("N av N klara").
    Returns how many ÅMV were prepared."""
    view = window.week_view
    model = view.checklist_model
    hands.click(view.next_button)  # back to this week
    prepared = 0
    for week in range(2):
        hands.click(view.next_button)
        if week == 0:
            hands.click(view.next_button)
        ids = _visit_ids(view)
        assert window.focusWidget() is view.tree  # the keyboard is in the week after any button
        hands.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        assert sorted(w.visit_id for w in view.selected_reviews()) == sorted(ids)
        all_done = f"{len(ids)} av {len(ids)} klara"
        for step in range(steps):
            hands.tick(view.checklist, model.index(step, 0))
            hands.qtbot.waitUntil(lambda s=step, t=all_done: model.index(s, 3).data() == t,
                                  timeout=WAIT_MS)
        prepared += len(ids)
    return prepared


def new_patient(hands: Hands, window: Any, driver: Driver) -> None:
    """C: Ctrl+3, Ny patient …, name, personnummer, unit, Spara; Föreslå datum opens by
    itself: the first date, Boka."""
    from lakarrond.ui.dialogs.patient import PatientDialog
    from lakarrond.ui.dialogs.suggest import SuggestDialog

    unit = window.ctx.document.reviews[0].unit

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, PatientDialog)
        assert dialog.focusWidget() is dialog.name  # the dialog takes typing at once
        hands.type(dialog.name, "Test Nyberg")
        hands.key(Qt.Key.Key_Tab, widget=dialog.name)
        assert dialog.focusWidget() is dialog.personnummer
        hands.type(dialog.personnummer, NEW_PATIENT[1])
        hands.pick(dialog.unit, unit)
        hands.click(ok_button(dialog))

    def book(dialog: QWidget) -> None:
        assert isinstance(dialog, SuggestDialog)
        hands.click_row(dialog.view, dialog.view.model().index(0, 0))
        hands.click(dialog.book_button)

    driver.expect(of_type(PatientDialog), fill)
    driver.expect(of_type(SuggestDialog), book)
    hands.key(Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    hands.click(window.patients_view.add_button)
    hands.qtbot.waitUntil(lambda: not driver.handlers, timeout=WAIT_MS)


def week_to_pdf(hands: Hands, window: Any, driver: Driver, folder: Path) -> Path:
    """D: Ctrl+1 to Veckan, Denna vecka (Alla läkare), Spara veckan som PDF; the first time
    the save dialog comes filled in with the week's name: Enter."""
    view = window.week_view
    hands.key(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    hands.click(view.today_button)
    assert view.chosen_doctor() is None
    saved: list[Path] = []

    def enter(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.setDirectory(str(folder))  # where this user keeps the week lists
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        saved.append(folder / name.text())
        hands.key(Qt.Key.Key_Return, widget=name)

    driver.expect(lambda w: isinstance(w, QFileDialog), enter)
    hands.click(view.pdf_button)
    hands.qtbot.waitUntil(lambda: not driver.handlers, timeout=WAIT_MS)
    assert saved and saved[0].exists()
    return saved[0]


def test_the_monday_routine_is_counted(qtbot, demo, tmp_path) -> None:
    window = demo
    driver = Driver(qtbot)
    hands = Hands(qtbot, window)
    try:
        hands.step = "A"
        outcomes_of_last_week(hands, window, driver)
        hands.step = "B"
        prepared = prepare_ahead(hands, window)
        hands.step = "C"
        new_patient(hands, window, driver)
        hands.step = "D"
        pdf = week_to_pdf(hands, window, driver, tmp_path)
    except BaseException as exc:
        raise AssertionError(f"step {hands.step}: messages {driver.messages!r}, dialogs "
                             f"{driver.errors!r}") from exc
    finally:
        driver.timer.stop()
    driver.done()
    assert driver.messages == []
    assert prepared == 23
    assert pdf.name == "veckolista-v13-2027.pdf"
    text = pdf_text(pdf)
    assert all(d in text for d in window.ctx.document.doctors)  # every doctor's page
    totals = hands.totals()
    print("ROUTINE", totals, sum(c["clicks"] + c["keys"] for c in totals.values()))
    assert totals == EXPECTED
    assert sum(c["clicks"] + c["keys"] for c in totals.values()) == TOTAL
    guide = (Path(__file__).parents[2] / "docs" / "anvandarguide.md").read_text("utf-8")
    assert f"Alltså {TOTAL} handgrepp i dag" in guide  # the count the guide gives
