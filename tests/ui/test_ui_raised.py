"""The patient form and the matters the program raises (issue 21.3): "Palliativ från" in the
form, the Brytpunktsamtal and the move-in assessment told after the save (never silent),
and undo/redo raise nothing again."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lakarrond.services import patients as patient_service
from lakarrond.services.matters import list_matters
from lakarrond.store import models as m
from lakarrond.ui.dialogs.common import to_qdate
from lakarrond.ui.dialogs.patient import PatientDialog


def _id(db, model, name):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalars(select(model.id).where(model.name == name)).one()


def test_palliative_from_in_the_form_books_the_talk_and_says_so(window, ui_db):
    window.ctx.fixed_today = date(2027, 5, 3)  # a Monday; Bäckliden's rounds are Tuesdays
    karl = _id(ui_db, m.Patient, "Karl Nilsson")

    def fill(dialog: PatientDialog) -> bool:
        assert not dialog.palliative_from.isEnabled()
        dialog.has_palliative.setChecked(True)
        dialog.palliative_from.setDate(to_qdate(date(2027, 5, 3)))
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = fill
    assert window.patients.edit(karl)
    assert patient_service.get_patient(ui_db, karl).data.palliative_from == date(2027, 5, 3)
    [talk] = list_matters(ui_db)
    assert (talk.kind, talk.patient, talk.date) == ("Brytpunktsamtal", "Karl Nilsson",
                                                    date(2027, 5, 4))
    box = window.ctx.last_message
    assert box is not None and "Brytpunktsamtal för Karl Nilsson bokat tisdag 2027-05-04" \
        in box.text()
    box.close()
    window.undo_stack.undo()  # the date goes; the talk stays, nothing new is raised
    window.undo_stack.redo()
    assert len(list_matters(ui_db)) == 1


def test_a_form_edit_without_a_move_or_a_date_tells_nothing(window, ui_db):
    window.ctx.fixed_today = date(2027, 5, 3)
    karl = _id(ui_db, m.Patient, "Karl Nilsson")

    def fill(dialog: PatientDialog) -> bool:
        dialog.room.setText("Rum 4")
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = fill
    assert window.patients.edit(karl)
    assert window.ctx.last_message is None
    assert list_matters(ui_db) == []


def test_a_move_in_the_window_raises_the_move_in_assessment(window, ui_db):
    window.ctx.fixed_today = date(2027, 5, 3)
    vera = _id(ui_db, m.Patient, "Vera Dal")
    assert window.patients.move(vera, _id(ui_db, m.Unit, "Bäckliden"))
    [matter] = list_matters(ui_db)
    assert (matter.kind, matter.unit, matter.date) == (
        "Inflyttningsbedömning", "Bäckliden", date(2027, 5, 4))
    assert "Inflyttningsbedömning för Vera Dal" in window.ctx.last_message.text()
