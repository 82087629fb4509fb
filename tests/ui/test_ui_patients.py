"""Patienter through the main window: add, edit, discharge, move, exclude, validation,
undo/redo, audit rows and conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from lakarrond.services import patients as patient_service
from lakarrond.store import models as m
from lakarrond.ui.dialogs.patient import PatientDialog
from lakarrond.ui.models.store_models import PatientModel


def _patient(db, name):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        p = s.scalars(select(m.Patient).where(m.Patient.name == name)).one()
        s.expunge(p)
        return p


def _audit(db, entity="patient"):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return [(a.action, a.entity_id, a.before, a.after) for a in
                s.scalars(select(m.AuditLog).where(m.AuditLog.entity == entity)
                          .order_by(m.AuditLog.id))]


def _unit_id(db, name):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return s.scalars(select(m.Unit.id).where(m.Unit.name == name)).one()


def test_add_patient_through_the_form(window, ui_db):
    def fill(dialog: PatientDialog) -> bool:
        dialog.name.setText("Nils Nyman")
        dialog.personnummer.setText("19400101-1235")  # wrong check digit
        dialog.unit.setCurrentText("Tallen")
        dialog.accept()
        assert dialog.isVisible() is False and dialog.result() == 0
        assert "ogiltigt" in dialog.errors.text()
        dialog.personnummer.setText("194001011230")
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = fill
    new_id = window.patients.add()
    assert new_id is not None
    p = _patient(ui_db, "Nils Nyman")
    assert p.personnummer == "19400101-1230"
    assert p.unit_id == _unit_id(ui_db, "Tallen")
    assert ("create", str(p.id)) in [(a, e) for a, e, _, _ in _audit(ui_db)]
    audit_after = next(after for a, e, _, after in _audit(ui_db) if e == str(p.id))
    assert audit_after["personnummer"] == "19400101-****"
    model = window.patients_view.model
    row = model.find(p.id)
    assert model.index(row, 1).data() == "19400101-****"
    # the form shows the full number when editing
    dialog = PatientDialog([], patient_service.get_patient(ui_db, p.id).data)
    assert dialog.personnummer.text() == "19400101-1230"
    dialog.deleteLater()


def test_a_refused_form_opens_again_with_what_was_typed(window, ui_db):
    """A duplicate personnummer is only found when saving: the form comes back with the
    typed values and the reason, so nothing the user typed is lost."""
    seen: list[tuple[str, str, str]] = []

    def fill(dialog: PatientDialog) -> bool:
        seen.append((dialog.name.text(), dialog.room.text(), dialog.errors.text()))
        if len(seen) == 1:
            dialog.name.setText("Karl Dubblett")
            dialog.personnummer.setText("19380412-1238")  # Karl Nilsson's number
            dialog.room.setText("Rum 99")
            dialog.unit.setCurrentText("Bäckliden")
            return True
        return False  # the user reads the reason and cancels

    window.ctx.exec_dialog = fill
    assert window.patients.add() is None
    assert seen[1][:2] == ("Karl Dubblett", "Rum 99")
    assert "personnumret 19380412-1238 finns redan" in seen[1][2].lower()
    assert window.undo_stack.count() == 0


def test_a_bug_while_saving_keeps_the_typed_form(window, ui_db, monkeypatch, tmp_path):
    """An unexpected error (a bug) while saving: logged, and the form opens again with what
    the user typed – nothing is lost."""
    from lakarrond.services import patients as service

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyError("bugg")

    monkeypatch.setattr(service, "create_patient", broken)
    seen: list[tuple[str, str]] = []

    def fill(dialog: PatientDialog) -> bool:
        seen.append((dialog.name.text(), dialog.errors.text()))
        if len(seen) == 1:
            dialog.name.setText("Olle Oförlorad")
            dialog.unit.setCurrentText("Bäckliden")
            return True
        return False

    window.ctx.exec_dialog = fill
    assert window.patients.add() is None
    assert seen[1][0] == "Olle Oförlorad" and "oväntat fel" in seen[1][1]
    assert list((tmp_path / "loggar").glob("fel-*.log"))


def test_form_validation_messages_in_swedish(qtbot, ui_db):
    from lakarrond.services.units import list_units

    dialog = PatientDialog(list_units(ui_db))
    qtbot.addWidget(dialog)
    dialog.accept()
    assert "Namn måste anges." in dialog.errors.text()
    dialog.name.setText("X")
    dialog.status.setCurrentText("Utskriven")
    dialog.admitted.setDate(dialog.end_date.date().addDays(1))
    dialog.accept()
    assert "Slutdatum ligger före inskrivningsdatum." in dialog.errors.text()


def test_edit_discharge_and_undo_redo(window, ui_db):
    karl = _patient(ui_db, "Karl Nilsson")
    data = patient_service.get_patient(ui_db, karl.id).data
    assert window.patients.edit(karl.id, replace(data, room="Rum 7"))
    assert _patient(ui_db, "Karl Nilsson").room == "Rum 7"
    assert window.patients.discharge(karl.id, date(2027, 2, 1))
    after = _patient(ui_db, "Karl Nilsson")
    assert (after.status, after.end_date) == ("Utskriven", date(2027, 2, 1))
    updates = [(b, a) for act, e, b, a in _audit(ui_db) if act == "update" and e == str(karl.id)]
    assert updates[-1] == ({"status": "Aktiv", "end_date": None},
                           {"status": "Utskriven", "end_date": "2027-02-01"})
    stack = window.undo_stack
    assert stack.count() == 2
    stack.undo()
    assert _patient(ui_db, "Karl Nilsson").status == "Aktiv"
    stack.undo()
    assert _patient(ui_db, "Karl Nilsson").room == "Rum 1"
    stack.redo()
    assert _patient(ui_db, "Karl Nilsson").room == "Rum 7"
    # each undo/redo is audited, an undo as one (services.census: a move undone is none)
    assert [act for act, e, _, _ in _audit(ui_db) if act in ("update", "undo")
            and e == str(karl.id)] == ["update", "update", "undo", "undo", "update"]
    # the table follows
    model = window.patients_view.model
    assert model.index(model.find(karl.id), 5).data() == "Rum 7"  # after Sjuksköterska
    # undo via the Redigera menu action
    window.undo_action.trigger()
    assert _patient(ui_db, "Karl Nilsson").room == "Rum 1"


def test_deceased_move_exclude_and_delete(window, ui_db):
    window.ctx.fixed_today = date(2027, 5, 5)
    greta = _patient(ui_db, "Greta Ek")
    assert window.patients.move(greta.id, _unit_id(ui_db, "Tallen"))
    assert _patient(ui_db, "Greta Ek").unit_id == _unit_id(ui_db, "Tallen")
    assert window.patients.exclude(greta.id, "växelvård")
    assert _patient(ui_db, "Greta Ek").excluded == "växelvård"
    assert window.patients.discharge(greta.id, date(2027, 5, 5), deceased=True)
    assert _patient(ui_db, "Greta Ek").status == "Avliden"
    asked = []
    window.ctx.confirm = lambda text, *a: asked.append(text) or False
    assert not window.patients.delete(greta.id)
    assert asked and "Ta bort Greta Ek" in asked[0]
    window.ctx.confirm = lambda *a: True
    assert window.patients.delete(greta.id)
    with ui_db.begin() as s:
        assert s.get(m.Patient, greta.id) is None


def test_search_and_filters(window):
    panel = window.patients_view.panel
    panel.search.setText("berg")
    assert panel.proxy.rowCount() == 8  # every row: the doctor is Anna Berg
    panel.search.setText("SIGNE")
    assert panel.proxy.rowCount() == 1
    panel.search.setText("")
    panel.filters[2].setCurrentText("Tallen")
    assert panel.proxy.rowCount() == 2
    panel.filters[2].setCurrentText("Alla")
    panel.filters[PatientModel.STATUS_COLUMN].setCurrentText("Aktiv")
    assert panel.proxy.rowCount() == 8


def test_conflict_with_another_edit_is_shown(window, ui_db):
    karl = _patient(ui_db, "Karl Nilsson")
    data = patient_service.get_patient(ui_db, karl.id).data
    assert window.patients.edit(karl.id, replace(data, room="Rum 2"))
    # someone else edits the same patient
    with ui_db.begin() as s:
        s.get(m.Patient, karl.id).room = "Rum 99"
    window.undo_stack.undo()
    box = window.ctx.last_message
    assert box is not None and "Någon annan har ändrat patienten" in box.text()
    assert _patient(ui_db, "Karl Nilsson").room == "Rum 99"
    box.close()


def test_edit_conflict_while_the_form_is_open(window, ui_db):
    karl = _patient(ui_db, "Karl Nilsson")

    def someone_else_saves_meanwhile(dialog) -> bool:  # type: ignore[no-untyped-def]
        with ui_db.begin() as s:
            s.get(m.Patient, karl.id).room = "Rum 42"
        dialog.room.setText("Rum 5")
        return True

    window.ctx.exec_dialog = someone_else_saves_meanwhile
    assert not window.patients.edit(karl.id)
    assert "Någon annan har ändrat patienten – läs in igen." in window.ctx.last_message.text()
    window.ctx.last_message.close()
    assert _patient(ui_db, "Karl Nilsson").room == "Rum 42"  # the other edit is kept
    assert window.undo_stack.count() == 0
    model = window.patients_view.model
    assert model.index(model.find(karl.id), 5).data() == "Rum 42"  # reloaded
