"""Föreslå datum and Boka in the window (issue 22): the window asks the same service as
``lakarrond suggest`` (a patient admitted in December gets December dates, whatever year the
window shows); a date that moves one other ÅMV says so, and Boka moves both (undoable)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from lakarrond.services.problem import latest_plan
from lakarrond.services.suggest import suggest_dates
from lakarrond.store import models as m
from lakarrond.ui.dialogs.suggest import SuggestDialog
from solver.suggest import Suggestion

TIMEOUT_MS = 60_000
YEAR = 2027
SEPTEMBER = (date(YEAR, 9, 7), date(YEAR, 9, 14), date(YEAR, 9, 21), date(YEAR, 9, 28))


def _plan(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)


def _visits(db, year: int) -> dict[str, tuple[date, str, bool]]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        plan = latest_plan(s, year)
        if plan is None:
            return {}
        return {v.patient.name: (v.date, v.status, v.booked) for v in plan.visits}


def _add_patient(db, name: str, admitted: date, last: date | None = None) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        pat = m.Patient(name=name, unit=unit, room="Rum 2", admitted=admitted,
                        last_review=last)
        s.add(pat)
        s.flush()
        return pat.id


def test_a_patient_admitted_in_december_gets_the_same_december_dates_as_the_command_line(
        qtbot, window, ui_db):
    """The window shows 2027 (its plan); today is 4 December 2026. The new patient is due by
    1 January: the dialog offers the December rounds, as ``lakarrond suggest`` does."""
    _plan(qtbot, window)
    today = date(2026, 12, 4)
    window.ctx.fixed_today = today
    offered: list[SuggestDialog] = []
    cli: list[Suggestion] = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        if isinstance(dialog, SuggestDialog):
            offered.append(dialog)
            # what the command line asks, at the same moment
            cli.extend(suggest_dates(ui_db, "Dora December", today=today).result.suggestions)
            return True  # Boka the first
        dialog.name.setText("Dora December")
        dialog.unit.setCurrentText("Bäckliden")
        dialog.admitted.setDate(dialog.admitted.date().fromString("2026-12-04", "yyyy-MM-dd"))
        return True

    window.ctx.exec_dialog = fill
    new_id = window.patients.add()
    assert new_id is not None and offered
    dialog = offered[0]
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert any("ÅMV bör hållas 2026-12-04 – 2026-12-31" in t for t in texts), texts
    shown = [dialog.model.row_at(i).date for i in range(dialog.model.rowCount())]
    assert shown[:4] == [date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22),
                         date(2026, 12, 29)]
    assert [s.date for s in cli] == shown
    assert dialog.chosen() == date(2026, 12, 8)
    assert _visits(ui_db, 2026)["Dora December"] == (date(2026, 12, 8), "Planerad", True)
    window.undo_stack.undo()
    assert "Dora December" not in _visits(ui_db, 2026)


def test_boka_a_date_that_moves_another_moves_both_and_undo_takes_both_back(
        qtbot, window, ui_db):
    _plan(qtbot, window)
    taken = [day for day, _s, _b in _visits(ui_db, YEAR).values()]
    n = 0
    for day in SEPTEMBER:  # every September round full (two ÅMV each), movable to December
        for _ in range(2 - taken.count(day)):
            n += 1
            pid = _add_patient(ui_db, f"Fyll {n}", date(2020, 1, 1), date(YEAR - 1, 12, 1))
            with ui_db.begin() as s:
                plan = latest_plan(s, YEAR)
                assert plan is not None
                s.add(m.Visit(plan=plan, patient_id=pid, date=day, preparation=day,
                              status="Planerad", unit="Bäckliden", doctor="Anna Berg"))
    nina = _add_patient(ui_db, "Nina Ny", date(YEAR, 9, 1))
    window.ctx.fixed_today = date(YEAR, 8, 2)
    offered: list[SuggestDialog] = []

    def book_first(dialog) -> bool:  # type: ignore[no-untyped-def]
        offered.append(dialog)
        return True

    window.ctx.exec_dialog = book_first
    before = _visits(ui_db, YEAR)
    assert window.plan.suggest(nina)
    chosen = offered[0].chosen_suggestion()
    assert chosen is not None and chosen.in_window and chosen.move is not None
    mv = chosen.move
    text = offered[0].model.data(offered[0].model.index(0, 4))
    assert text == f"flyttar {mv.patient} från {mv.old.isoformat()} till {mv.new.isoformat()}"
    after = _visits(ui_db, YEAR)
    assert after["Nina Ny"] == (chosen.date, "Planerad", True)
    assert after[mv.patient][0] == mv.new
    assert f"{mv.patient} flyttad från {mv.old.isoformat()}" in \
        window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert _visits(ui_db, YEAR) == before
    window.undo_stack.redo()
    assert _visits(ui_db, YEAR) == after
