"""Every date field takes a whole typed date (Ctrl+A, then "2027-03-08")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit

from lakarrond.ui.dates import DateEdit
from lakarrond.ui.dialogs.common import date_edit, from_qdate

UI_SOURCE = Path(__file__).resolve().parents[2] / "lakarrond" / "ui"


def _type_over_all(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, text)


def test_a_whole_typed_date_is_taken(qtbot):
    edit = date_edit(date(2026, 3, 2))
    qtbot.addWidget(edit)
    edit.show()
    _type_over_all(qtbot, edit, "2027-03-08")
    assert from_qdate(edit.date()) == date(2027, 3, 8)
    _type_over_all(qtbot, edit, "2026-11-5")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert from_qdate(edit.date()) == date(2026, 11, 5)


def test_typing_in_one_section_still_changes_only_that_section(qtbot):
    edit = date_edit(date(2026, 3, 2))
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    edit.setSelectedSection(QDateEdit.Section.DaySection)
    qtbot.keyClicks(edit, "15")
    assert from_qdate(edit.date()) == date(2026, 3, 15)
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # Ctrl+A is a key
    assert edit.lineEdit().selectedText() == "2026-03-15"


def test_the_week_goes_to_a_typed_date(window, qtbot):
    window.tabs.setCurrentWidget(window.week_view)
    _type_over_all(qtbot, window.week_view.date_edit, "2027-03-10")
    qtbot.keyClick(window.week_view.date_edit, Qt.Key.Key_Return)
    assert window.week.monday == date(2027, 3, 8)
    assert window.week_view.date_edit.date() == QDate(2027, 3, 8)


def test_plan_from_takes_a_typed_date(window, qtbot):
    window.tabs.setCurrentWidget(window.plan_view)
    window.plan_view.from_edit.setDate(QDate(2026, 1, 5))
    _type_over_all(qtbot, window.plan_view.from_edit, "2027-04-12")
    assert from_qdate(window.plan_view.from_edit.date()) == date(2027, 4, 12)


def test_every_date_field_of_the_window_is_the_one_that_takes_typing(window):
    fields = window.findChildren(QDateEdit)
    assert len(fields) >= 2 and all(isinstance(f, DateEdit) for f in fields)
    made_elsewhere = [p.name for p in UI_SOURCE.rglob("*.py")
                      if p.name != "dates.py" and "QDateEdit(" in p.read_text(encoding="utf-8")]
    assert made_elsewhere == []
