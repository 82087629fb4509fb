"""The app's use cases (services/patients.py, units.py, doctors.py) without widgets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lakarrond import pnr
from lakarrond.errors import BadInput
from lakarrond.services import doctors as doctor_service
from lakarrond.services import patients as patient_service
from lakarrond.services import units as unit_service
from lakarrond.store import ConflictError


def test_mask_personnummer():
    assert pnr.mask("19380412-1238") == "19380412-****"
    assert pnr.mask(None) == ""


def test_stale_patient_edit_is_a_conflict(ui_db):
    row = patient_service.list_patients(ui_db)[0]
    patient_service.update_patient(ui_db, row.id, replace(row.data, room="A"), row.version)
    with pytest.raises(ConflictError, match="Någon annan har ändrat patienten"):
        patient_service.update_patient(ui_db, row.id, replace(row.data, room="B"), row.version)


def test_patient_validation(ui_db):
    unit = unit_service.list_units(ui_db)[0]
    data = patient_service.PatientData(name="", unit_id=unit.id, admitted=date(2026, 1, 1),
                                       personnummer="19400101-1235", status="Utskriven")
    errors = patient_service.validate(data)
    assert "Namn måste anges." in errors
    assert any("ogiltigt" in e for e in errors)
    assert "Status Utskriven kräver ett slutdatum." in errors
    with pytest.raises(BadInput):
        patient_service.create_patient(ui_db, data)
    taken = patient_service.PatientData(name="Dubblett", unit_id=unit.id,
                                        admitted=date(2026, 1, 1),
                                        personnummer="193804121238")
    with pytest.raises(BadInput, match="finns redan"):
        patient_service.create_patient(ui_db, taken)


def test_unit_validation():
    data = unit_service.UnitData(name="X", type="SÄBO", doctor_id=1,
                                 rhythm_kind="Varannan vecka", weekdays=(1,))
    assert "Varannan vecka kräver udda eller jämna veckor." in unit_service.validate(data)
    ok = replace(data, parity="udda", length_min=120)
    assert unit_service.validate(ok) == []


def test_preview_marks_holidays_and_summer():
    data = unit_service.UnitData(name="X", type="SÄBO", doctor_id=1,
                                 rhythm_kind="Varje vecka", weekdays=(4,))
    rows = unit_service.preview_rounds(data, date(2027, 6, 14), 8)
    midsummer = next(r for r in rows if r.date == date(2027, 6, 25))
    assert midsummer.cancelled and "Midsommarafton" in midsummer.cancel_reason
    summer = next(r for r in rows if r.date == date(2027, 7, 9))
    assert summer.cancelled and "semestervecka" in summer.cancel_reason
    # it runs on into the next year
    assert len(unit_service.preview_rounds(data, date(2027, 12, 20), 5)) == 5


def test_absence_validation(ui_db):
    doctor = doctor_service.list_doctors(ui_db)[0]
    with pytest.raises(BadInput, match="före"):
        doctor_service.add_absence(ui_db, doctor_service.AbsenceData(
            doctor.id, date(2027, 5, 2), date(2027, 5, 1)))
    absence_id = doctor_service.add_absence(ui_db, doctor_service.AbsenceData(
        doctor.id, date(2027, 5, 1), date(2027, 5, 2), "Kurs"))
    assert doctor_service.delete_absence(ui_db, absence_id).reason == "Kurs"
