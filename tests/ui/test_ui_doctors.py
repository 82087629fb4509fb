"""Läkare in the window (issue 14.6): add, edit, retire (refused while units have the
doctor) and reactivate doctors; edit and delete absences with the substitute holding the
ÅMV; every change audited and undoable, a refused form opened again with what was typed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from lakarrond.services import doctors as doctor_service
from lakarrond.store import models as m
from lakarrond.ui.dialogs.common import to_qdate
from lakarrond.ui.dialogs.doctor import AbsenceDialog, DoctorDialog, RetireDialog
from lakarrond.ui.models.store_models import MUTED


def _doctor(db, name):  # type: ignore[no-untyped-def]
    return next((d for d in doctor_service.list_doctors(db) if d.name == name), None)


def _audits(db, entity):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return [(a.action, a.before, a.after) for a in s.scalars(
            select(m.AuditLog).where(m.AuditLog.entity == entity).order_by(m.AuditLog.id))]


def _shown(window) -> list[list[str]]:  # type: ignore[no-untyped-def]
    model = window.doctors_view.doctor_model
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_add_a_doctor_through_the_form_refused_then_saved_and_undone(window, ui_db):
    seen: list[tuple[str, str]] = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, DoctorDialog)
        seen.append((dialog.name.text(), dialog.errors.text()))
        if len(seen) == 1:
            assert dialog.windowTitle() == "Ny läkare"
            assert dialog.per_day.value() == 2  # the year's default ÅMV per dag
            dialog.name.setText("anna berg")  # taken (names are unique, any case)
            dialog.health_centre.setCurrentText("VC Norr")
            dialog.days[1].setChecked(True)
            dialog.per_day.setValue(3)
            return True
        assert dialog.health_centre.currentText() == "VC Norr"  # what was typed is kept
        assert dialog.days[1].isChecked() and dialog.per_day.value() == 3
        dialog.name.setText("Olle Ek")
        return True

    window.ctx.exec_dialog = fill
    new_id = window.doctors.add()
    assert [s[0] for s in seen] == ["", "anna berg"]
    assert "Det finns redan en läkare som heter Anna Berg" in seen[1][1]
    olle = _doctor(ui_db, "Olle Ek")
    assert olle is not None and olle.id == new_id
    assert (olle.health_centre, olle.review_weekdays, olle.reviews_per_day) == (
        "VC Norr", (1,), 3)
    assert _audits(ui_db, "doctor") == [("create", None, {
        "name": "Olle Ek", "health_centre": "VC Norr", "review_weekdays": "1",
        "reviews_per_day": 3})]
    assert window.doctors_view.current_doctor().id == new_id
    assert window.undo_stack.undoText() == "Lägg till läkaren Olle Ek"
    window.undo_stack.undo()
    assert _doctor(ui_db, "Olle Ek") is None
    window.undo_stack.redo()
    assert _doctor(ui_db, "Olle Ek").id == new_id  # back under the same id


def test_a_dialog_check_keeps_the_doctor_form_open(qtbot):
    dialog = DoctorDialog(doctor_service.DoctorData(name=""), ["VC Test"])
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() == 0 and "måste ha ett namn" in dialog.errors.text()
    assert dialog.health_centre.count() == 1


def test_edit_a_doctor_and_undo(window, ui_db):
    anna = _doctor(ui_db, "Anna Berg")

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, DoctorDialog) and dialog.name.text() == "Anna Berg"
        assert dialog.health_centre.currentText() == "Vårdcentralen Test"
        dialog.name.setText("Anna Berg-Lund")
        dialog.health_centre.setCurrentText("VC Söder")
        dialog.days[3].setChecked(False)
        dialog.days[0].setChecked(True)
        return True

    window.ctx.exec_dialog = fill
    assert window.doctors.edit(anna.id)
    after = _doctor(ui_db, "Anna Berg-Lund")
    assert (after.id, after.health_centre, after.review_weekdays) == (anna.id, "VC Söder", (0,))
    assert window.undo_stack.undoText() == "Ändra läkaren Anna Berg-Lund"
    window.undo_stack.undo()
    assert _doctor(ui_db, "Anna Berg").data == anna.data
    window.undo_stack.redo()
    assert _doctor(ui_db, "Anna Berg-Lund").health_centre == "VC Söder"


def test_retire_refused_while_units_have_the_doctor_allowed_without(window, ui_db):
    anna = _doctor(ui_db, "Anna Berg")
    assert not window.doctors.retire(anna.id, date(2027, 6, 1))
    box = window.ctx.last_message
    assert box is not None and box.windowTitle() == "Läkaren kan inte avslutas"
    assert "Anna Berg är läkare för 3 enheter (Bäckliden, Ekbacken, Tallen)" in box.text()
    box.close()
    assert _doctor(ui_db, "Anna Berg").retired_on is None

    olle_id = window.doctors.add(doctor_service.DoctorData("Olle Ek", "VC Norr"))

    def retire(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, RetireDialog) and "Olle Ek" in dialog.windowTitle()
        dialog.day.setDate(to_qdate(date(2027, 6, 1)))
        return True

    window.ctx.exec_dialog = retire
    window.doctors.select(olle_id)
    assert window.doctors_view.retire_button.isEnabled()
    window.doctors_view.retire_button.click()
    assert _doctor(ui_db, "Olle Ek").retired_on == date(2027, 6, 1)
    assert all(row[0] != "Olle Ek" for row in _shown(window))  # hidden by default
    window.doctors_view.show_retired.setChecked(True)
    row = next(r for r in _shown(window) if r[0] == "Olle Ek")
    assert row[-1] == "avslutad 2027-06-01"
    model = window.doctors_view.doctor_model
    index = model.index([r[0] for r in _shown(window)].index("Olle Ek"), 0)
    assert model.data(index, Qt.ItemDataRole.ForegroundRole).color() == MUTED
    # undo, redo, then reactivate (itself undoable)
    window.undo_stack.undo()
    assert _doctor(ui_db, "Olle Ek").retired_on is None
    window.undo_stack.redo()
    assert _doctor(ui_db, "Olle Ek").retired_on == date(2027, 6, 1)
    window.doctors.select(olle_id)
    assert window.doctors_view.reactivate_button.isEnabled()
    assert window.doctors.reactivate()
    assert _doctor(ui_db, "Olle Ek").retired_on is None
    assert window.undo_stack.undoText() == "Återaktivera läkaren Olle Ek"
    window.undo_stack.undo()
    assert _doctor(ui_db, "Olle Ek").retired_on == date(2027, 6, 1)
    audits = [(b, a) for action, b, a in _audits(ui_db, "doctor") if action == "update"]
    assert audits[0] == ({"retired_on": None}, {"retired_on": "2027-06-01"})


def test_edit_an_absence_with_the_substitute_holding_the_reviews(window, ui_db):
    (absence,) = doctor_service.list_absences(ui_db)
    assert not absence.data.reviews_by_substitute
    checks: list[str] = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, AbsenceDialog) and dialog.windowTitle() == "Redigera frånvaro"
        assert dialog.substitute.text() == "Per Vikarie" and dialog.reason.text() == "Semester"
        dialog.substitute.setText("")
        dialog.by_substitute.setChecked(True)
        dialog.accept()  # the substitute holds the ÅMV: who?
        checks.append(dialog.errors.text())
        assert dialog.result() == 0
        dialog.substitute.setText("Per Vikarie")
        dialog.end.setDate(to_qdate(date(2027, 3, 19)))
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = fill
    window.doctors_view.absences.select_where(lambda r: r.id == absence.id)
    window.doctors_view.edit_absence_button.click()
    assert "ange vikarien" in checks[0]
    (after,) = doctor_service.list_absences(ui_db)
    assert after.data.reviews_by_substitute and after.data.end == date(2027, 3, 19)
    model = window.doctors_view.absence_model
    assert model.index(0, model.columnCount() - 1).data() == "Ja"
    action, _before, changed = _audits(ui_db, "absence")[-1]
    assert action == "update" and changed == {"end": "2027-03-19", "reviews_by_substitute": True}
    window.undo_stack.undo()
    assert doctor_service.list_absences(ui_db)[0].data == absence.data
    window.undo_stack.redo()
    assert doctor_service.list_absences(ui_db)[0].data.reviews_by_substitute


def test_delete_an_absence_asks_first_and_undo_puts_it_back(window, ui_db):
    (absence,) = doctor_service.list_absences(ui_db)
    asked: list[str] = []
    window.ctx.confirm = lambda question, *a: asked.append(question) or False
    assert not window.doctors.delete_absence(absence.id)
    assert "Ta bort frånvaron för Anna Berg 2027-03-01–2027-03-12?" in asked
    window.ctx.confirm = lambda *a, **k: True
    assert window.doctors.delete_absence(absence.id)
    assert doctor_service.list_absences(ui_db) == []
    window.undo_stack.undo()
    (back,) = doctor_service.list_absences(ui_db)
    assert (back.id, back.data) == (absence.id, absence.data)
