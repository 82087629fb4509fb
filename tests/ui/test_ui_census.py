"""Arkiv → Ändringar sedan … (issue 18 point 5): the dialog shows the one list (read off the
GUI thread) with masked personnummer, saves it as Excel and PDF with or without personnummer
(audited as an export), prints it, remembers the last export as the next date, and a move
undone in the window is not in it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtPrintSupport import QPrintPreviewDialog
from sqlalchemy import select

from lakarrond.services.patients import list_patients
from lakarrond.services.units import list_units
from lakarrond.store import models as m
from lakarrond.ui.dialogs.census import CensusDialog


def _open(window, qtbot, act):  # type: ignore[no-untyped-def]
    """Open the dialog from the menu action; ``act(dialog)`` runs once the list is read."""
    seen: list[CensusDialog] = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        if isinstance(dialog, QPrintPreviewDialog):
            return True  # "printed"
        if not isinstance(dialog, CensusDialog):
            return False
        seen.append(dialog)
        qtbot.waitUntil(lambda: dialog.census is not None, timeout=10_000)
        act(dialog)
        return False

    window.ctx.exec_dialog = fill
    window.census_action.trigger()
    return seen[0]


def _rows(dialog: CensusDialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def _move_karl(window) -> None:  # type: ignore[no-untyped-def]
    karl = next(p for p in list_patients(window.db) if p.name == "Karl Nilsson")
    tallen = next(u for u in list_units(window.db) if u.name == "Tallen")
    assert window.patients.move(karl.id, tallen.id)


def test_the_dialog_shows_the_list_with_masked_personnummer(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    _move_karl(window)
    dialog = _open(window, qtbot, lambda d: None)
    assert dialog.since() == window.ctx.today() - timedelta(days=14)
    rows = _rows(dialog)
    karl = next(r for r in rows if r[4] == "Karl Nilsson")
    assert karl[3] == "Flyttad" and karl[6] == "Tallen (från Bäckliden)"
    assert karl[5] == "19380412-****"
    assert dialog.summary.text().endswith(f"sedan {dialog.since().isoformat()}.")


def test_an_undone_move_is_not_in_the_list(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    _move_karl(window)
    window.undo_stack.undo()
    dialog = _open(window, qtbot, lambda d: None)
    assert "Karl Nilsson" not in {r[4] for r in _rows(dialog)}


def test_saving_as_excel_and_pdf_with_and_without_numbers(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _move_karl(window)
    paths = iter([tmp_path / "utan.xlsx", tmp_path / "med.xlsx", tmp_path / "lista.pdf"])
    window.census.ask_path = lambda _name, _suffix: next(paths)

    def act(dialog: CensusDialog) -> None:
        with qtbot.waitSignal(window.ctx.jobs.finished, timeout=20_000):
            dialog.excel_button.click()
        dialog.with_numbers.setChecked(True)
        assert dialog.warning.isVisibleTo(dialog)
        with qtbot.waitSignal(window.ctx.jobs.finished, timeout=20_000):
            dialog.excel_button.click()
        with qtbot.waitSignal(window.ctx.jobs.finished, timeout=20_000):
            dialog.pdf_button.click()
        dialog.print_button.click()

    _open(window, qtbot, act)
    without = list(load_workbook(tmp_path / "utan.xlsx").active.iter_rows(values_only=True))
    with_numbers = list(load_workbook(tmp_path / "med.xlsx").active.iter_rows(values_only=True))
    assert "Personnummer" not in without[0] and "Personnummer" in with_numbers[0]
    karl = next(r for r in with_numbers if r[4] == "Karl Nilsson")
    assert karl[5] == "19380412-1238"
    assert (tmp_path / "lista.pdf").read_bytes().startswith(b"%PDF")
    with window.db.read() as s:
        exports = [r.after for r in s.scalars(select(m.AuditLog).where(
            m.AuditLog.entity == "census").order_by(m.AuditLog.id))]
        printed = [r.after for r in s.scalars(select(m.AuditLog).where(
            m.AuditLog.action == "print"))]
    assert [(e["format"], e["personnummer"]) for e in exports] == [
        ("xlsx", False), ("xlsx", True), ("pdf", True)]
    assert [(p["what"], p["numbers"]) for p in printed] == [("ändringar", "full")]
    again = _open(window, qtbot, lambda d: None)
    assert again.since() == window.ctx.today()  # the day of the last export
