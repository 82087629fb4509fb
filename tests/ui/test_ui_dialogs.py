"""The window's actions through their dialogs (filled in by the test instead of a user)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lakarrond.services import doctors as doctor_service
from lakarrond.services import units as unit_service
from lakarrond.store import models as m
from lakarrond.ui.dialogs.common import to_qdate
from lakarrond.ui.dialogs.doctor import AbsenceDialog, DoctorDialog
from lakarrond.ui.dialogs.patient import ChoiceDialog, DischargeDialog
from lakarrond.ui.dialogs.unit import UnitDialog


def _patient(db, name):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        p = s.scalars(select(m.Patient).where(m.Patient.name == name)).one()
        s.expunge(p)
        return p


def test_discharge_dialog_checks_the_date(window, ui_db):
    olof = _patient(ui_db, "Olof Lund")
    window.ctx.fixed_today = date(2027, 3, 3)

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, DischargeDialog)
        dialog.day.setDate(to_qdate(date(2020, 1, 1)))  # before admission
        dialog.accept()
        assert dialog.result() == 0 and "före inskrivningsdatum" in dialog.errors.text()
        dialog.day.setDate(to_qdate(date(2027, 3, 4)))  # a death after today (issue 22)
        dialog.accept()
        assert dialog.result() == 0 and "efter dagens datum" in dialog.errors.text()
        dialog.day.setDate(to_qdate(date(2027, 3, 3)))
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = fill
    assert window.patients.discharge(olof.id, deceased=True)
    after = _patient(ui_db, "Olof Lund")
    assert (after.status, after.end_date) == ("Avliden", date(2027, 3, 3))


def test_move_and_exclude_through_choice_dialogs(window, ui_db):
    bo = _patient(ui_db, "Bo Ström")

    def pick_unit(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, ChoiceDialog)
        dialog.combo.setCurrentText("Tallen")
        return True

    window.ctx.exec_dialog = pick_unit
    assert window.patients.move(bo.id)
    with ui_db.begin() as s:
        assert s.get(m.Patient, bo.id).unit.name == "Tallen"

    def reason(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.combo.setEditText("växelvård")
        return True

    window.ctx.exec_dialog = reason
    assert window.patients.exclude(bo.id)
    assert _patient(ui_db, "Bo Ström").excluded == "växelvård"


def test_unit_absence_and_doctor_dialogs(window, ui_db):
    def new_unit(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, UnitDialog)
        dialog.accept()
        assert "namn" in dialog.errors.text()
        dialog.name.setText("Solbacken")
        dialog.rhythm.setCurrentText("Två gånger i veckan")
        dialog.days[0].setChecked(True)
        dialog.days[3].setChecked(True)
        assert dialog.preview.rowCount() == 12
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = new_unit
    assert window.units.add() is not None
    unit = next(u for u in unit_service.list_units(ui_db) if u.name == "Solbacken")
    assert unit.data.weekdays == (0, 3)

    def absence(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, AbsenceDialog)
        dialog.start.setDate(to_qdate(date(2027, 9, 6)))
        dialog.end.setDate(to_qdate(date(2027, 9, 1)))
        dialog.accept()
        assert "före" in dialog.errors.text()
        dialog.end.setDate(to_qdate(date(2027, 9, 10)))
        dialog.reason.setText("Kurs")
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = absence
    assert window.doctors.add_absence() is not None
    assert any(a.data.reason == "Kurs" for a in doctor_service.list_absences(ui_db))
    # delete it again (asks first)
    window.doctors_view.absences.select_where(lambda r: r.data.reason == "Kurs")
    window.doctors.delete_absence()
    assert not any(a.data.reason == "Kurs" for a in doctor_service.list_absences(ui_db))

    def days(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, DoctorDialog)
        dialog.days[1].setChecked(True)
        dialog.per_day.setValue(4)
        return True

    window.ctx.exec_dialog = days
    window.doctors_view.doctors.select_where(lambda r: True)
    window.doctors.edit()
    doctor = doctor_service.list_doctors(ui_db)[0]
    assert doctor.review_weekdays == (1, 3) and doctor.reviews_per_day == 4
