"""Enheter: the rhythm editor's live preview and doctor-time warning, editing a unit
through the window (audited, undoable), Läkare/Frånvaro."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from lakarrond.services import doctors as doctor_service
from lakarrond.services import units as unit_service
from lakarrond.store import models as m
from lakarrond.ui.dialogs.unit import UnitDialog


def _unit(db, name):  # type: ignore[no-untyped-def]
    return next(u for u in unit_service.list_units(db) if u.name == name)


def _dialog(qtbot, db, name):  # type: ignore[no-untyped-def]
    row = _unit(db, name)
    dialog = UnitDialog(db, doctor_service.list_doctors(db), row.data, row.patients,
                        preview_from=date(2027, 12, 1))
    qtbot.addWidget(dialog)
    return dialog


def _preview(dialog):  # type: ignore[no-untyped-def]
    return [(r.date, r.cancelled, r.cancel_reason) for r in dialog.preview.rows()]


def test_rhythm_edit_changes_the_preview(qtbot, ui_db):
    dialog = _dialog(qtbot, ui_db, "Bäckliden")  # weekly on Tuesday
    before = _preview(dialog)
    assert len(before) == 12
    assert all(day.weekday() == 1 for day, _, _ in before)
    # 2027-12-28 is an ordinary Tuesday; 2027-12-24 (Friday) is julafton
    dialog.days[1].setChecked(False)
    dialog.days[4].setChecked(True)  # Friday
    after = _preview(dialog)
    assert all(day.weekday() == 4 for day, _, _ in after)
    christmas = next(r for r in after if r[0] == date(2027, 12, 24))
    assert christmas[1] and "julafton" in christmas[2].lower()
    row = dialog.preview.index([r[0] for r in after].index(date(2027, 12, 24)), 4).data()
    assert row.startswith("Inställd")
    # fortnightly on odd weeks halves the dates
    dialog.rhythm.setCurrentText("Varannan vecka")
    assert dialog.parity.isEnabled()
    dialog.parity.setCurrentText("udda")
    weeks = {day.isocalendar().week % 2 for day, _, _ in _preview(dialog)}
    assert weeks == {1}
    # an impossible rhythm shows the message and an empty preview
    dialog.rhythm.setCurrentText("Två gånger i veckan")
    assert dialog.preview.rowCount() == 0
    assert "två veckodagar" in dialog.errors.text()


def test_doctor_time_warning(qtbot, ui_db):
    dialog = _dialog(qtbot, ui_db, "Bäckliden")  # 6 patients, 2 h weekly: fine
    assert dialog.warning.isHidden()
    dialog.patients = 40  # 47 rounds of 60 min in 52 weeks for 40 patients: 0,2 per 10
    dialog.length.setValue(60)
    assert not dialog.warning.isHidden()
    assert ("Läkartid under avtalet: Bäckliden 0,2 h/vecka per 10 patienter (minst 1,0)"
            in dialog.warning.text())
    dialog.patients = 4  # the same rounds for 4 patients: 2,3 per 10, over the floor
    dialog.length.setValue(61)
    assert "Läkartid under avtalet" not in dialog.warning.text()


def test_edit_unit_rhythm_through_the_window(window, ui_db):
    row = _unit(ui_db, "Bäckliden")
    new = replace(row.data, rhythm_kind="Varannan vecka", parity="jämna", weekdays=(3,),
                  reviews_per_round=3)
    assert window.units.edit(row.id, new)
    saved = _unit(ui_db, "Bäckliden")
    assert saved.data.rhythm_kind == "Varannan vecka" and saved.data.weekdays == (3,)
    with ui_db.begin() as s:
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "unit")).one()
        assert audit.after["rhythm_kind"] == "Varannan vecka"
    model = window.units_view.model
    shown = [model.index(r, 4).data() for r in range(model.rowCount())]
    assert "Varannan vecka (jämna)" in shown
    window.undo_stack.undo()
    assert _unit(ui_db, "Bäckliden").data == row.data
    window.undo_stack.redo()
    assert _unit(ui_db, "Bäckliden").data.weekdays == (3,)


def test_add_unit_and_absence(window, ui_db):
    doctor = doctor_service.list_doctors(ui_db)[0]
    data = unit_service.UnitData(name="Lugnet", type="SÄBO", doctor_id=doctor.id,
                                 rhythm_kind="Varje vecka", weekdays=(2,))
    unit_id = window.units.add(data)
    assert unit_id is not None and _unit(ui_db, "Lugnet").data.weekdays == (2,)
    # a duplicate name is refused with a Swedish message in a dialog
    assert window.units.add(data) is None
    assert "finns redan" in window.ctx.last_message.text()
    window.ctx.last_message.close()
    absence = doctor_service.AbsenceData(doctor.id, date(2027, 8, 2), date(2027, 8, 6),
                                         "Kurs", "Per Vikarie")
    assert window.doctors.add_absence(absence)
    assert window.doctors_view.absence_model.rowCount() == 2
    window.undo_stack.undo()
    assert window.doctors_view.absence_model.rowCount() == 1
    window.undo_stack.undo()  # the unit
    assert all(u.name != "Lugnet" for u in unit_service.list_units(ui_db))
