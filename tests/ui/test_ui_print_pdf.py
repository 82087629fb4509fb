"""Arkiv → Spara utskrift som PDF (issue 22, defects 11): the dialog's button says what it
does (save, not "Förhandsgranska"), the suggested file name carries the chosen period, and
Skriv ut's "Förhandsgranska" still leads to a print preview."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from lakarrond.ui.controllers import printing as printing_controller
from lakarrond.ui.dialogs.printing import PrintDialog, PrintSpec

TIMEOUT_MS = 120_000


def _ok_text(dialog: PrintDialog) -> str:
    (box,) = dialog.findChildren(QDialogButtonBox)
    return box.button(QDialogButtonBox.StandardButton.Ok).text()


def test_save_as_pdf_saves_under_a_name_with_the_period(qtbot, window, tmp_path: Path,
                                                        monkeypatch) -> None:
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    shown: list[object] = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        shown.append(dialog)
        if isinstance(dialog, PrintDialog):
            assert dialog.windowTitle() == "Spara utskrift som PDF"
            dialog.whole_year.setChecked(False)
            dialog.date_from.setDate(QDate(2027, 3, 1))
            dialog.date_to.setDate(QDate(2027, 3, 31))
        return True

    asked: list[str] = []
    out = tmp_path / "vald.pdf"

    def save_name(parent, caption, name, filters):  # type: ignore[no-untyped-def]
        asked.append(name)
        return str(out), filters

    monkeypatch.setattr(printing_controller.QFileDialog, "getSaveFileName", save_name)
    window.ctx.exec_dialog = fill
    window.print_pdf_action.trigger()
    (dialog,) = shown  # the choice only: no print preview on the way to the file
    assert _ok_text(dialog) == "Spara som PDF …"
    assert asked == ["rondschema-anna-berg-2027-03-01--2027-03-31.pdf"]
    assert out.read_bytes().startswith(b"%PDF")


def test_print_previews_and_the_whole_year_names_the_year(qtbot, window, monkeypatch) -> None:
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    shown: list[object] = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        shown.append(dialog)
        return True

    window.ctx.exec_dialog = fill
    window.printing.print_dialog()
    assert isinstance(shown[0], PrintDialog) and _ok_text(shown[0]) == "Förhandsgranska"
    assert shown[1].windowTitle() == "Förhandsgranska rondschema"  # the preview
    spec = PrintSpec("förberedelselista", "Bäckliden", None, None)
    assert spec.pdf_name(2027) == "förberedelselista-bäckliden-2027.pdf"
