"""Arkiv → Årsuppföljning … (issue 18.6): the dialog opens on last year in January, computes
the follow-up in the background and shows its rows in tabs; Excel and PDF are saved and
audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from lakarrond.services.visits import record_visit
from lakarrond.store import models as m

TIMEOUT_MS = 60_000
YEAR = 2027


def _open(qtbot, window):  # type: ignore[no-untyped-def]
    window.ctx.fixed_today = date(YEAR + 1, 1, 15)  # January: last year is followed up
    with qtbot.waitSignal(window.ctx.jobs.finished, timeout=TIMEOUT_MS):
        window.follow_up_action.trigger()
    dialog = window.follow_up.dialog
    qtbot.addWidget(dialog)
    return dialog


def test_the_dialog_shows_the_years_rows(qtbot, window):
    record_visit(window.db, "Karl Nilsson", date(YEAR, 2, 2), "Genomförd",
                 today=date(YEAR + 1, 1, 15))
    dialog = _open(qtbot, window)
    assert dialog.year.value() == YEAR
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Per vårdcentral", "Per läkare", "Per enhet", "Totalt"]
    units = {row[2]: row for row in dialog.rows("Per enhet")}
    assert set(units) == {"Bäckliden", "Ekbacken", "Tallen"}
    assert units["Bäckliden"][:5] == ["Vårdcentralen Test", "Anna Berg", "Bäckliden", "6", "1"]
    assert dialog.rows("Totalt")[0][:2] == ["8", "1"]  # 8 patients, 1 held
    dialog.close()


def test_a_planned_review_is_not_shown_as_held(qtbot, window):
    record_visit(window.db, "Karl Nilsson", date(YEAR, 2, 2), "Låst")
    dialog = _open(qtbot, window)
    assert dialog.rows("Totalt")[0][:2] == ["8", "0"]
    dialog.close()


def test_excel_and_pdf_are_saved_and_audited(qtbot, window, tmp_path):
    dialog = _open(qtbot, window)
    controller = window.follow_up
    xlsx = tmp_path / "uppfoljning.xlsx"
    with qtbot.waitSignal(window.ctx.jobs.finished, timeout=TIMEOUT_MS):
        controller.save(dialog.follow_up, xlsx)
    assert "Per enhet" in load_workbook(xlsx).sheetnames
    pdf = tmp_path / "uppfoljning.pdf"
    controller.save(dialog.follow_up, pdf)
    assert Path(pdf).read_bytes().startswith(b"%PDF")
    with window.db.read() as s:
        actions = s.scalars(select(m.AuditLog.action)
                            .where(m.AuditLog.entity == "followup")).all()
    assert sorted(actions) == ["export", "print"]
    dialog.close()


def test_the_figures_are_right_aligned_and_the_names_not(qtbot):
    """Found walking the window: the figures stood left-aligned (unlike the PDF)."""
    from PySide6.QtCore import Qt

    from lakarrond.followup import Counts, Row
    from lakarrond.ui.models.year_follow_up import FollowUpTableModel

    model = FollowUpTableModel("Per läkare")
    model.set_rows([Row("VC Norr", "Anna Berg", "", Counts(patients=12), 0.8)])
    align = Qt.ItemDataRole.TextAlignmentRole
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert [model.index(0, c).data(align) for c in (0, 1)] == [None, None]  # the names
    assert model.index(0, 2).data(align) == right  # Patienter under året
    assert model.index(0, model.columnCount() - 1).data(align) == right  # läkartid


def test_the_tables_headers_are_short_and_say_it_all_as_their_tooltip(qapp):
    """Found walking the window: under the whole headers the doctor time was off the
    right edge of the dialog."""
    from PySide6.QtCore import Qt

    from lakarrond.followup import HEADERS, SHORT_HEADERS
    from lakarrond.ui.models.year_follow_up import FollowUpTableModel

    model = FollowUpTableModel("Per vårdcentral")

    def header(column: int, role: Qt.ItemDataRole) -> object:
        return model.headerData(column, Qt.Orientation.Horizontal, role)

    last = model.columnCount() - 1
    assert header(last, Qt.ItemDataRole.DisplayRole) == SHORT_HEADERS["per_10"]
    assert header(last, Qt.ItemDataRole.ToolTipRole) == HEADERS["per_10"]
    assert header(0, Qt.ItemDataRole.DisplayRole) == "Vårdcentral"
