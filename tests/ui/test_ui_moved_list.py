"""The re-plan preview shows the same list "Flyttade – meddela" as the printout and the Excel
file: every row with its old and new clock time and a reason (issue 22.7)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lakarrond.services.exporter import moved_printout
from lakarrond.services.plan import make_plan, plan_year
from lakarrond.services.visits import record_visit
from lakarrond.store import models as m
from lakarrond.ui.dialogs.replan import ReplanDialog

YEAR = 2027


def test_the_preview_lists_every_row_with_times_and_reasons(qtbot, ui_db):
    plan_year(ui_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    record_visit(ui_db, "Astrid Holm", date(YEAR, 4, 6), "Inställd", "sjuk")
    with ui_db.begin() as s:  # Bäckliden's rounds move from Tuesday to Thursday
        s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one().weekdays = "3"
    draft = make_plan(ui_db, YEAR, plan_from=date(YEAR, 3, 15), time_limit=10)
    dialog = ReplanDialog(draft)
    qtbot.addWidget(dialog)
    model = dialog.model
    heads = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    assert heads == ["Patient", "Enhet", "Läkare", "Tidigare", "Tid", "Nytt datum", "Ny tid",
                     "Orsak"]
    shown = [tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
             for r in range(model.rowCount())]
    printed = moved_printout(draft).content.rows  # type: ignore[union-attr]
    assert len(shown) == len(printed) == len(draft.moves) > 0
    for row in shown:
        assert row[7]  # a reason on every row
    assert {(row[0], row[4], row[6], row[7]) for row in shown} == {
        (r.patient, r.old_time, r.new_time, r.reason) for r in printed}
    assert "Astrid Holm" in {row[0] for row in shown}  # cancelled, placed again


def _horizontal():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
