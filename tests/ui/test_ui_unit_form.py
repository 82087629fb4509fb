"""The unit form (issue 14.6): minutes per ÅMV kept and edited, only active doctors to
choose from, and the unit's one-off round dates (an extra round, a cancelled round) added and
removed from the form, each audited and undoable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from lakarrond.services import doctors as doctor_service
from lakarrond.services import round_changes as round_change_service
from lakarrond.services import units as unit_service
from lakarrond.store import models as m
from lakarrond.ui.dialogs.common import to_qdate
from lakarrond.ui.dialogs.round_changes import RoundChangesPanel, RoundDateDialog
from lakarrond.ui.dialogs.unit import UnitDialog


def _unit(db, name):  # type: ignore[no-untyped-def]
    return next(u for u in unit_service.list_units(db) if u.name == name)


def _changes(db):  # type: ignore[no-untyped-def]
    return [(c.data.date, c.data.kind, c.data.note)
            for c in round_change_service.list_round_changes(db)]


def _cell(dialog, row):  # type: ignore[no-untyped-def]
    return dialog.preview.index(row, dialog.preview.columnCount() - 1).data()


def test_the_unit_form_keeps_and_edits_minutes_per_review(window, ui_db):
    row = _unit(ui_db, "Bäckliden")
    unit_service.update_unit(ui_db, row.id, replace(row.data, review_minutes=20))

    def nurse_only(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, UnitDialog) and dialog.review_minutes.value() == 20
        dialog.nurse.setText("Maja Syster")
        return True

    window.ctx.exec_dialog = nurse_only
    assert window.units.edit(row.id)
    saved = _unit(ui_db, "Bäckliden")
    assert saved.data.nurse == "Maja Syster" and saved.data.review_minutes == 20

    def minutes(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.review_minutes.setValue(25)
        return True

    window.ctx.exec_dialog = minutes
    assert window.units.edit(row.id)
    assert _unit(ui_db, "Bäckliden").data.review_minutes == 25
    with ui_db.begin() as s:
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "unit")
                          .order_by(m.AuditLog.id.desc())).first()
    assert (audit.before, audit.after) == ({"review_minutes": 20}, {"review_minutes": 25})
    model = window.units_view.model
    assert model.index(0, model.columnCount() - 1).data() == "25"
    window.undo_stack.undo()
    assert _unit(ui_db, "Bäckliden").data.review_minutes == 20


def test_only_active_doctors_in_the_unit_form(window, ui_db):
    olle = window.doctors.add(doctor_service.DoctorData("Olle Ek", "VC Norr"))
    bo = window.doctors.add(doctor_service.DoctorData("Bo Berg", "VC Norr"))
    assert window.doctors.retire(olle, date(2027, 2, 1))
    offered: list[list[str]] = []

    def look(dialog) -> bool:  # type: ignore[no-untyped-def]
        offered.append([dialog.doctor.itemText(i) for i in range(dialog.doctor.count())])
        return False

    window.ctx.exec_dialog = look
    window.units.add()
    window.units.edit(_unit(ui_db, "Tallen").id)
    assert offered == [["Anna Berg", "Bo Berg"], ["Anna Berg", "Bo Berg"]]
    assert bo is not None


def test_one_off_round_dates_from_the_unit_form(window, ui_db):
    unit = _unit(ui_db, "Bäckliden")  # weekly on Tuesdays
    steps: list[str] = []

    def form(dialog) -> bool:  # type: ignore[no-untyped-def]
        if isinstance(dialog, RoundDateDialog):
            return date_form(dialog)
        assert isinstance(dialog, UnitDialog)
        panel = dialog.findChild(RoundChangesPanel)
        assert panel is not None and panel.model.rowCount() == 0
        panel.extra_button.click()
        panel.cancel_button.click()
        panel.extra_button.click()  # refused first, then a Friday
        assert [panel.model.row_at(r).label for r in range(panel.model.rowCount())] == [
            "Inställd rond", "Extra rond", "Extra rond"]  # by date
        panel.view.selectRow(1)  # 13 May
        panel.remove_button.click()
        assert panel.model.rowCount() == 2
        # the form's preview of round dates follows the one-off dates at once
        dialog.preview_from.setDate(to_qdate(date(2027, 5, 3)))
        shown = {dialog.preview.row_at(r).date: _cell(dialog, r)
                 for r in range(dialog.preview.rowCount())}
        assert shown[date(2027, 5, 11)].startswith("Inställd")
        assert shown[date(2027, 5, 21)].startswith("Extra rond")
        assert date(2027, 5, 13) not in shown
        return False  # the form's Avbryt: the round dates are saved already

    def date_form(dialog) -> bool:  # type: ignore[no-untyped-def]
        title = dialog.windowTitle()
        steps.append(f"{title}|{dialog.errors.text()}")
        assert len(steps) <= 4, steps
        if title.startswith("Ställ in"):
            assert dialog.value()[0].weekday() == 1  # the next round date of the rhythm
            dialog.day.setDate(to_qdate(date(2027, 5, 11)))
            dialog.note.setText("läkaren på utbildning")
        elif len(steps) == 1:
            dialog.day.setDate(to_qdate(date(2027, 5, 13)))  # a Thursday
            dialog.note.setText("före semestern")
        elif len(steps) == 3:
            dialog.day.setDate(to_qdate(date(2027, 5, 18)))  # a Tuesday: already a round
        else:
            dialog.day.setDate(to_qdate(date(2027, 5, 21)))
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = form
    assert not window.units.edit(unit.id)
    assert "redan ronddag för Bäckliden" in steps[3]  # the refused one, shown in the form
    assert steps[3].startswith("Extra rond – Bäckliden|")
    assert _changes(ui_db) == [(date(2027, 5, 11), "cancelled", "läkaren på utbildning"),
                               (date(2027, 5, 21), "extra", "")]
    with ui_db.begin() as s:
        audits = [(a.action, (a.after or a.before)["date"]) for a in s.scalars(
            select(m.AuditLog).where(m.AuditLog.entity == "round_change"))]
    assert audits == [("create", "2027-05-13"), ("create", "2027-05-11"),
                      ("create", "2027-05-21"), ("delete", "2027-05-13")]
    assert window.undo_stack.undoText() == "Ta bort extra rond Bäckliden 2027-05-13"
    removed = [c for c in round_change_service.list_round_changes(ui_db)]
    window.undo_stack.undo()  # the extra round of 13 May is back, under its id
    assert (date(2027, 5, 13), "extra", "före semestern") in _changes(ui_db)
    window.undo_stack.undo()  # 21 May goes
    window.undo_stack.undo()  # 11 May goes
    assert _changes(ui_db) == [(date(2027, 5, 13), "extra", "före semestern")]
    window.undo_stack.redo()
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert [c.id for c in round_change_service.list_round_changes(ui_db)] == [
        c.id for c in removed]
