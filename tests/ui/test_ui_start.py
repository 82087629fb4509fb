"""After "Nej" to the example municipality the empty window says what to do first, and
every part of it speaks of the same plan year."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import QThreadPool

from lakarrond.store import open_database
from lakarrond.ui.main_window import MainWindow

YEAR = 2027


@pytest.fixture
def empty_window(qtbot, tmp_path, settings):  # type: ignore[no-untyped-def]
    db = open_database(str(tmp_path / "tom.sqlite"))
    win = MainWindow(db, year=YEAR, settings=settings)
    win.ctx.fixed_today = date(2026, 12, 4)  # a first start in December: this week is 2026
    win.week.this_week()
    win.reload()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.wait_for_workers()
    QThreadPool.globalInstance().waitForDone()
    win.close()
    win.db.dispose()


def _years_said(window) -> set[str]:  # type: ignore[no-untyped-def]
    texts = (window.plan_label.text(), window.week_view.note.text(),
             window.plan_view.title.text(), window.rounds_view.title.text())
    return {y for t in texts for y in re.findall(r"\b20\d\d\b", t)}


def test_an_empty_database_shows_what_to_do_first(empty_window):
    hint = empty_window.week_view.start_hint
    assert hint.isVisible()
    assert "Importera Excel" in hint.text.text() and "exempelkommunen" in hint.text.text()
    assert [b.text() for b in (hint.import_button, hint.template_button, hint.demo_button)] \
        == ["Importera Excel …", "Spara importmall …", "Läs in exempelkommunen"]


def test_the_empty_window_speaks_of_one_plan_year(empty_window):
    assert _years_said(empty_window) == {str(YEAR)}
    assert empty_window.week_view.note.text() == f"Ingen plan för {YEAR} ännu."
    assert empty_window.plan_label.text() == f"Ingen plan för {YEAR} ännu"


def test_the_example_button_fills_the_database_and_the_hint_goes(empty_window):
    empty_window.week_view.start_hint.demo_button.click()
    assert empty_window.patients_view.model.rowCount() > 100
    assert not empty_window.week_view.start_hint.isVisible()


def test_a_database_with_data_shows_no_start_hint(window):
    assert not window.week_view.start_hint.isVisible()
