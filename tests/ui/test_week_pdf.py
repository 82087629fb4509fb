"""Veckan's "Spara veckan som PDF": one click saves the shown week's round list, named by
week and doctor, into the folder used last time (asked once), audited, readable by the
owner only."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lakarrond.services.printing import week_pdf_name
from lakarrond.store import models as m
from lakarrond.ui.controllers import printing as printing_controller
from lakarrond.ui.controllers.printing import WEEK_FOLDER_KEY

TIMEOUT_MS = 60_000
TODAY = date(2027, 3, 15)  # Monday of week 11


def test_the_file_is_named_by_week_and_doctor() -> None:
    assert week_pdf_name(date(2027, 3, 15)) == "veckolista-v11-2027.pdf"
    assert week_pdf_name(date(2027, 3, 15), "Anna Berg") == "veckolista-v11-2027-anna-berg.pdf"
    assert week_pdf_name(date(2027, 3, 15), "Åsa Öberg-Lind") == (
        "veckolista-v11-2027-asa-oberg-lind.pdf")
    # the ISO week's year: 1 January 2027 is in week 53 of 2026
    assert week_pdf_name(date(2026, 12, 28)) == "veckolista-v53-2026.pdf"
    assert week_pdf_name(date(2027, 3, 22)) != week_pdf_name(date(2027, 3, 15))


def _ready(qtbot, window):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    window.ctx.fixed_today = TODAY
    window.reload()
    window.week.this_week()
    # a week with ÅMV in it
    for _ in range(8):
        if _patients(window):
            return
        window.week.next_week()
    pytest.fail("no week with ÅMV in the plan")


def _patients(window) -> set[str]:  # type: ignore[no-untyped-def]
    week = window.week.week
    return {w.review.patient for d in week.doctors for day in d.days for r in day.rounds
            for w in r.reviews}


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def _dialog(monkeypatch, answer: Path | None) -> list[str]:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def save_name(parent, caption, name, filters):  # type: ignore[no-untyped-def]
        asked.append(name)
        return (str(answer) if answer else "", "")
    monkeypatch.setattr(printing_controller.QFileDialog, "getSaveFileName", save_name)
    return asked


def test_one_click_saves_the_week_and_the_next_save_goes_to_the_same_folder(
        qtbot, window, tmp_path, monkeypatch, settings):
    _ready(qtbot, window)
    monday = window.week.monday
    name = week_pdf_name(monday)
    folder = tmp_path / "utskrifter"
    folder.mkdir()
    asked = _dialog(monkeypatch, folder / name)
    window.week_view.pdf_button.click()  # the first time: asked once, with the week's name
    assert len(asked) == 1 and Path(asked[0]).name == name
    saved = folder / name
    text = _text(saved)
    for patient in _patients(window):
        assert patient in text
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    assert settings.value(WEEK_FOLDER_KEY) == str(folder)
    assert str(saved) in window.statusBar().currentMessage()
    # the next week, one click: no dialog, into the same folder, the first file untouched
    before = saved.read_bytes()
    window.week.next_week()
    window.week_view.pdf_button.click()
    assert len(asked) == 1
    second = folder / week_pdf_name(window.week.monday)
    assert second.exists() and second != saved
    assert saved.read_bytes() == before
    with window.db.begin() as s:
        paths = [a.after.get("path") for a in s.scalars(
            select(m.AuditLog).where(m.AuditLog.action == "print"))]
    assert paths == [str(saved.resolve()), str(second.resolve())]


def test_one_doctor_chosen_saves_that_doctors_page_under_their_name(
        qtbot, window, tmp_path, monkeypatch, settings):
    _ready(qtbot, window)
    settings.setValue(WEEK_FOLDER_KEY, str(tmp_path))
    asked = _dialog(monkeypatch, None)
    window.week_view.doctor_combo.setCurrentText("Anna Berg")
    window.week_view.pdf_button.click()
    assert asked == []  # the remembered folder: no dialog
    saved = tmp_path / week_pdf_name(window.week.monday, "Anna Berg")
    assert saved.name.endswith("-anna-berg.pdf")
    assert "Anna Berg" in _text(saved)


def test_a_folder_that_is_gone_or_a_cancelled_dialog_saves_nothing(
        qtbot, window, tmp_path, monkeypatch, settings):
    _ready(qtbot, window)
    settings.setValue(WEEK_FOLDER_KEY, str(tmp_path / "borta"))
    asked = _dialog(monkeypatch, None)
    window.week_view.pdf_button.click()
    assert len(asked) == 1  # asked again, cancelled
    assert list(tmp_path.glob("*.pdf")) == []
    # "Spara i en annan mapp" asks even with a remembered folder
    settings.setValue(WEEK_FOLDER_KEY, str(tmp_path))
    window.week_view.pdf_folder_action.trigger()
    assert len(asked) == 2


def test_open_the_folder_opens_the_remembered_folder(qtbot, window, tmp_path, monkeypatch,
                                                     settings):
    opened: list[str] = []
    monkeypatch.setattr(printing_controller.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    window.week_view.pdf_open_action.trigger()  # nothing saved yet: said, nothing opened
    assert opened == []
    assert "inte sparats som PDF" in window.statusBar().currentMessage()
    settings.setValue(WEEK_FOLDER_KEY, str(tmp_path))
    window.week_view.pdf_open_action.trigger()
    assert opened == [str(tmp_path)]
