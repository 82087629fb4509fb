"""The year as it happens in the window: the planning date, outcomes for several ÅMV at once
with undo, the re-plan preview (saved only on confirm), the stale banner, what needs
following up, and date suggestions after adding a patient ("Boka")."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from sqlalchemy import func, select

from lakarrond.services import visits as visit_service
from lakarrond.services.document import load_document
from lakarrond.services.units import list_units
from lakarrond.store import models as m
from lakarrond.ui.dialogs.outcome import DayDoneDialog, OutcomeDialog
from lakarrond.ui.dialogs.replan import ReplanDialog
from lakarrond.ui.dialogs.suggest import SuggestDialog
from lakarrond.ui.models.follow_up import NEW_DATE, UNRECORDED, follow_ups
from solver.problem import VisitStatus

TIMEOUT_MS = 60_000


def _plan(qtbot, window, **kwargs):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS) as blocker:
        assert window.plan.start(time_limit=5.0, show_dialog=False, **kwargs)
    return blocker.args[0]


def _versions(db) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return int(s.scalar(select(func.count()).select_from(m.Plan)))


def test_the_planning_date_defaults_to_the_first_of_january_for_a_year_ahead(window):
    assert window.plan_view.planning_date() == date(2027, 1, 1)  # "today" is before 2027
    assert window.plan_view.freeze_spin.value() == 14


def test_outcomes_for_several_reviews_at_once_with_undo(qtbot, window, ui_db):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    _plan(qtbot, window)
    window.ctx.fixed_today = date(2027, 12, 31)  # the year is lived: its ÅMV can be recorded
    reviews = list(window.ctx.document.reviews[:3])
    view = window.plan_view
    view.clear_cell_filter()
    for review in reviews:  # select three rows (Ctrl-click)
        view.visits.select_where(lambda r, v=review.visit_id: r.visit_id == v)
    view.visits.view.clearSelection()
    model = view.visits.view.selectionModel()
    for review in reviews:
        row = view.visit_model.find_patient(review.patient_id)
        index = view.visits.proxy.mapFromSource(view.visit_model.index(row, 0))
        model.select(index, model.SelectionFlag.Select | model.SelectionFlag.Rows)
    assert len(view.selected_visits()) == 3 and view.done_button.isEnabled()
    assert not view.move_button.isEnabled()  # moving is for one ÅMV

    asked = []

    def reason(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, OutcomeDialog)
        asked.append(dialog.windowTitle())
        dialog.reason.setCurrentText("patienten tackade nej")
        return True

    window.ctx.exec_dialog = reason
    view.declined_button.click()
    assert asked == ["Avböjd ÅMV"]
    for review in reviews:
        visit = visit_service.get_visit(ui_db, review.visit_id)
        assert (visit.status, visit.date) == ("Avböjd", review.date)
    with ui_db.begin() as s:
        reasons = {v.reason for v in s.scalars(select(m.Visit))} - {""}
    assert reasons == {"patienten tackade nej"}
    assert window.undo_stack.undoText() == "Avböjd: 3 ÅMV"
    window.undo_stack.undo()  # one step undoes all three
    assert {visit_service.get_visit(ui_db, r.visit_id).status for r in reviews} == {"Planerad"}
    window.undo_stack.redo()
    assert {visit_service.get_visit(ui_db, r.visit_id).status for r in reviews} == {"Avböjd"}
    # Genomförd needs no reason; a cancelled one lands in "Att följa upp"
    assert window.plan.record([window.ctx.document.reviews[-1]], VisitStatus.CANCELLED,
                              reason="sjuk")
    todo = window.plan_view.follow_up_model
    kinds = [todo.row_at(r).kind for r in range(todo.rowCount())]
    assert NEW_DATE in kinds


def test_a_replan_is_shown_first_and_saved_only_on_confirm(qtbot, window, ui_db):
    _plan(qtbot, window)
    with ui_db.begin() as s:  # the round moves from Tuesday to Thursday: ÅMV must move
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        unit.weekdays = "3"
    seen: list[ReplanDialog] = []

    def discard(dialog) -> bool:  # type: ignore[no-untyped-def]
        seen.append(dialog)
        return False  # Släng

    window.ctx.exec_dialog = discard
    with qtbot.waitSignal(window.plan.document_changed, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    qtbot.waitUntil(lambda: not window.plan.running and bool(seen), timeout=TIMEOUT_MS)
    assert _versions(ui_db) == 1
    dialog = seen[0]
    assert dialog.model.rowCount() > 0
    assert "Bäckliden" in dialog.summary.text() and "flyttas" in dialog.summary.text()
    units = [dialog.model.row_at(r).unit for r in range(dialog.model.rowCount())]
    # Bäckliden's ÅMV move off Tuesday (another unit's may follow for evenness)
    assert units.count("Bäckliden") > len(units) / 2
    compared = [dialog.compare_model.row_at(r).what for r in range(dialog.compare_model.rowCount())]
    assert "ÅMV utanför tidsgränsen" in compared  # the saved plan and the new one side by side
    window.ctx.exec_dialog = lambda d: isinstance(d, ReplanDialog)  # Spara planen
    saved = _plan(qtbot, window)
    assert saved.version == 2 and _versions(ui_db) == 2


def test_the_moved_list_can_be_saved(qtbot, window, ui_db, tmp_path):
    _plan(qtbot, window)
    with ui_db.begin() as s:
        s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one().weekdays = "3"
    window.ctx.exec_dialog = lambda d: False
    window.plan.start(time_limit=5.0, show_dialog=False)
    qtbot.waitUntil(lambda: window.plan.last_draft is not None and not window.plan.running,
                    timeout=TIMEOUT_MS)
    draft = window.plan.last_draft
    xlsx = window.plan.save_moves(draft, tmp_path / "flyttade.xlsx")
    pdf = window.plan.save_moves(draft, tmp_path / "flyttade.pdf")
    import openpyxl

    rows = list(openpyxl.load_workbook(xlsx)["Flyttade"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Enhet", "Patient", "Läkare", "Tidigare datum", "Nytt datum")
    assert len(rows) == len(draft.moves) + 1
    assert pdf.read_bytes().startswith(b"%PDF")
    with ui_db.begin() as s:
        actions = s.scalars(select(m.AuditLog.action).where(
            m.AuditLog.action.in_(("export", "print")))).all()
    assert sorted(actions) == ["export", "print"]


def test_the_stale_banner_says_what_changed(qtbot, window, ui_db):
    _plan(qtbot, window)
    assert window.plan_view.banner.isHidden()
    karl = next(r for r in window.ctx.document.reviews if r.patient == "Karl Nilsson")
    assert window.patients.discharge(karl.patient_id, date(2027, 1, 20))
    assert not window.plan_view.banner.isHidden()
    assert "1 patient ändrade" in window.plan_view.banner.text()
    # the discharged patient is out of the plan's lists at once
    assert all(r.patient != "Karl Nilsson" or r.date < date(2027, 1, 20)
               for r in window.ctx.document.reviews)


def test_past_reviews_not_recorded_are_listed(qtbot, window, ui_db):
    _plan(qtbot, window)
    first = window.ctx.document.reviews[0]
    with ui_db.begin() as s:  # at the year's end the first ÅMV should have been recorded
        doc = load_document(s, 2027, today=date(2027, 12, 30))
    assert first.visit_id in {a.visit_id for a in doc.unrecorded}
    assert UNRECORDED in {f.kind for f in follow_ups(doc)}


def test_adding_a_patient_offers_dates_and_books_one(qtbot, window, ui_db):
    _plan(qtbot, window)
    unit = next(u for u in list_units(ui_db) if u.name == "Bäckliden")
    offered: list[SuggestDialog] = []

    def book_first(dialog) -> bool:  # type: ignore[no-untyped-def]
        if isinstance(dialog, SuggestDialog):
            offered.append(dialog)
            return True
        dialog.name.setText("Nina Ny")
        dialog.unit.setCurrentText("Bäckliden")
        dialog.admitted.setDate(dialog.admitted.date().fromString("2027-03-01", "yyyy-MM-dd"))
        return True

    window.ctx.exec_dialog = book_first
    new_id = window.patients.add()
    assert new_id is not None and offered
    chosen = offered[0].chosen()
    assert chosen is not None and date(2027, 3, 1) <= chosen <= date(2027, 3, 29)
    nina = next(r for r in window.ctx.document.reviews if r.patient == "Nina Ny")
    assert (nina.date, nina.status, nina.unit) == (chosen, "Planerad", unit.name)
    window.undo_stack.undo()  # the booking
    assert all(r.patient != "Nina Ny" for r in window.ctx.document.reviews)


def test_a_review_held_on_another_day_from_the_list_and_the_week(qtbot, window, ui_db):
    _plan(qtbot, window)
    first, second = window.ctx.document.reviews[:2]
    window.ctx.fixed_today = date(2027, 12, 1)
    held = date(2027, 1, 20) if first.date != date(2027, 1, 20) else date(2027, 1, 21)
    seen: list[str] = []

    def answer(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, DayDoneDialog)
        seen.append(dialog.windowTitle())
        assert dialog.value() == first.date  # starts on the planned day
        dialog.day.setDate(QDate(held.year, held.month, held.day))
        return True

    window.ctx.exec_dialog = answer
    assert window.plan.record_held([first])
    visit = visit_service.get_visit(ui_db, first.visit_id)
    assert (visit.status, visit.date) == ("Genomförd", held)
    assert seen == ["Genomförd annat datum"]
    assert window.undo_stack.undoText() == f"Genomförd: ÅMV för {first.patient}"
    window.undo_stack.undo()
    visit = visit_service.get_visit(ui_db, first.visit_id)
    assert (visit.status, visit.date) == ("Planerad", first.date)
    # the week's menu offers the same for the chosen ÅMV
    week = window.week
    week.go(second.date)
    assert week.view.select_visit(second.visit_id)
    window.ctx.exec_dialog = lambda d: isinstance(d, DayDoneDialog)  # keeps the planned day
    assert week.record_held_fn(week.targets())
    visit = visit_service.get_visit(ui_db, second.visit_id)
    assert (visit.status, visit.date) == ("Genomförd", second.date)
