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
    with ui_db.begin() as s:  # a round of Bäckliden with ÅMV after the freeze is cancelled
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        day = min(v.date for v in s.scalars(select(m.Visit)).all()
                  if v.unit == "Bäckliden" and v.date > date(YEAR, 4, 15))
        s.add(m.RoundChange(unit_id=unit.id, date=day, kind="cancelled"))
    draft = make_plan(ui_db, YEAR, plan_from=date(YEAR, 3, 15), time_limit=10)
    dialog = ReplanDialog(draft)
    qtbot.addWidget(dialog)
    model = dialog.model
    heads = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    assert heads == ["Patient", "Enhet", "Läkare", "Tidigare", "Nytt", "Orsak"]
    shown = [tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
             for r in range(model.rowCount())]
    printed = moved_printout(draft).content.rows  # type: ignore[union-attr]
    assert len(shown) == len(printed) == len(draft.moves) > 0
    for row in shown:
        assert row[5]  # a reason on every row
    assert {(row[0], row[3], row[4], row[5]) for row in shown} == {
        (r.patient, f"{r.old} {r.old_time}".strip(),
         f"{r.new} {r.new_time}".strip() if r.new else "inget datum", r.reason)
        for r in printed}
    assert any(row[3].endswith(r.old_time) and r.old_time for row in shown for r in printed)
    assert "Astrid Holm" in {row[0] for row in shown}  # cancelled, placed again


def test_saving_the_plan_after_saving_the_moved_list_as_pdf(qtbot, window, ui_db, tmp_path):
    """Absence → Planera → "Spara listan …" as PDF → "Spara planen": the plan is saved."""
    with qtbot.waitSignal(window.plan.plan_finished, timeout=60_000):
        window.plan.start(time_limit=5.0, show_dialog=False)
    with ui_db.begin() as s:  # a round of Bäckliden with ÅMV after the freeze is cancelled
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        day = min(v.date for v in s.scalars(select(m.Visit)).all()
                  if v.unit == "Bäckliden" and v.date > date(YEAR, 4, 15))
        s.add(m.RoundChange(unit_id=unit.id, date=day, kind="cancelled"))
    saved_lists = []

    def save_list_then_plan(dialog) -> bool:  # type: ignore[no-untyped-def]
        if not isinstance(dialog, ReplanDialog):
            return False
        saved_lists.append(window.plan.save_moves(dialog.draft, tmp_path / "flyttade.pdf"))
        return True  # Spara planen

    window.ctx.exec_dialog = save_list_then_plan
    shown: list[str] = []
    window.ctx.show_error = lambda message, *args: shown.append(message)  # type: ignore[method-assign]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=60_000) as blocker:
        window.plan.start(time_limit=5.0, show_dialog=False)
    assert saved_lists and saved_lists[0] is not None and not shown
    assert blocker.args[0].version == 2
    assert window.plan_view.banner.isHidden()  # the new plan is current


def _horizontal():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
