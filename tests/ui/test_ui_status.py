"""The status bar never keeps a message that no longer holds: "Importerar …" ends with the
import, "Klart: …" is replaced when the tick is undone."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "io"))
from io_fixtures import filled_workbook

TIMEOUT_MS = 60_000
TODAY = date(2027, 3, 22)


def _status(window) -> str:  # type: ignore[no-untyped-def]
    return window.statusBar().currentMessage()


def test_the_import_message_ends_with_the_import(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.ctx.jobs.finished, timeout=TIMEOUT_MS):
        window.files.import_file(filled_workbook(tmp_path / "kommun.xlsx"))
        assert _status(window) == "Importerar …"  # while it runs
    assert "Importerar" not in _status(window)
    assert _status(window) == "Importen är klar: kommun.xlsx"
    window.ctx.last_message.close()


def test_a_failed_import_does_not_keep_saying_it_imports(qtbot, window, tmp_path):
    bad = tmp_path / "trasig.xlsx"
    bad.write_text("inte en arbetsbok")
    with qtbot.waitSignal(window.ctx.jobs.failed, timeout=TIMEOUT_MS):
        window.files.import_file(bad)
    assert _status(window) == "Importen misslyckades."
    window.ctx.last_message.close()


def test_undo_replaces_the_edits_own_message(qtbot, window):
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    window.ctx.fixed_today = TODAY
    window.reload()
    window.week.this_week()
    greta = next(a for a in window.ctx.document.reviews if a.patient == "Greta Ek")
    window.week.select(greta)
    assert window.week.set_step("Informera patienten", True)
    assert _status(window).startswith("Klart: Informera patienten (Greta Ek)")  # the edit
    window.undo_action.trigger()
    assert _status(window) == "Ångrat: Klart: Informera patienten (Greta Ek)"
    window.redo_action.trigger()
    assert _status(window) == "Gjort om: Klart: Informera patienten (Greta Ek)"
