"""Doctors and absences: create, edit, retire, delete; absences added, edited, deleted;
every change audited and returning what undo needs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.services import doctors as ds
from lakarrond.services import units as us
from lakarrond.services.doctors import AbsenceData, DoctorData
from lakarrond.services.settings import SettingsData, save_settings
from lakarrond.store import ConflictError
from lakarrond.store import models as m

YEAR = 2027


def _log(db, entity: str) -> list[m.AuditLog]:
    with db.begin() as s:
        return list(s.scalars(select(m.AuditLog).where(m.AuditLog.entity == entity)
                              .order_by(m.AuditLog.id)))


def _anna(db) -> ds.DoctorRow:
    return next(d for d in ds.list_doctors(db) if d.name == "Anna Berg")


def test_create_doctor_with_a_new_health_centre(small_db):
    db = small_db
    row = ds.create_doctor(db, DoctorData(" Bo Ek ", "VC Norr", (0, 2, 2), 3))
    assert (row.name, row.health_centre, row.review_weekdays, row.reviews_per_day) == (
        "Bo Ek", "VC Norr", (0, 2), 3)
    assert (row.units, row.retired_on, row.retired, row.version) == ((), None, False, 1)
    again = ds.create_doctor(db, DoctorData("Cilla Ås", "VC Norr"))
    assert again.health_centre == "VC Norr"
    with db.begin() as s:
        assert s.scalars(select(m.HealthCentre.name).order_by(m.HealthCentre.name)).all() == [
            "VC Norr", "Vårdcentralen Test"]
    assert [r.action for r in _log(db, "health_centre")] == ["create"]
    log = _log(db, "doctor")
    assert log[0].after == {"name": "Bo Ek", "health_centre": "VC Norr",
                            "review_weekdays": "0,2", "reviews_per_day": 3}
    assert [d.name for d in ds.list_doctors(db)] == ["Anna Berg", "Bo Ek", "Cilla Ås"]


def test_create_doctor_validates(small_db):
    with pytest.raises(BadInput) as info:
        ds.create_doctor(small_db, DoctorData(" ", review_weekdays=(5,), reviews_per_day=-1))
    assert info.value.lines == ["Namn: läkaren måste ha ett namn.",
                                "ÅMV-dagar: välj bland måndag–fredag.",
                                "ÅMV per dag måste vara 0–20 (nu -1)."]
    with pytest.raises(BadInput, match="Det finns redan en läkare som heter Anna Berg") as info:
        ds.create_doctor(small_db, DoctorData("anna berg"))
    assert info.value.where is not None and info.value.where.field == "Namn"


def test_new_doctor_gets_the_years_default_reviews_per_day(small_db):
    assert ds.new_doctor_data(small_db, YEAR).reviews_per_day == 2
    save_settings(small_db, YEAR, SettingsData(default_reviews_per_day=5))
    assert ds.new_doctor_data(small_db, YEAR) == DoctorData(name="", reviews_per_day=5)


def test_edit_doctor_returns_the_data_before_and_checks_the_version(small_db):
    db = small_db
    anna = _anna(db)
    old = ds.edit_doctor(db, anna.id, DoctorData("Anna Berg-Lind", "VC Syd", (1,), 4),
                         expected_version=anna.version)
    assert old == anna.data == DoctorData("Anna Berg", "Vårdcentralen Test", (3,), 2)
    with pytest.raises(ConflictError, match="läkaren"):
        ds.edit_doctor(db, anna.id, old, expected_version=anna.version)
    now = ds.list_doctors(db)[0]
    assert (now.name, now.health_centre, now.version) == ("Anna Berg-Lind", "VC Syd", 2)
    ds.edit_doctor(db, anna.id, old)  # undo
    assert ds.list_doctors(db)[0].data == anna.data
    log = _log(db, "doctor")
    assert log[0].before == {"name": "Anna Berg", "health_centre": "Vårdcentralen Test",
                             "review_weekdays": "3", "reviews_per_day": 2}
    assert log[0].after["health_centre"] == "VC Syd"


def test_retire_is_refused_while_units_have_the_doctor(small_db):
    db = small_db
    anna = _anna(db)
    with pytest.raises(BadInput) as info:
        ds.retire_doctor(db, anna.id, date(2027, 6, 30))
    assert info.value.message == ("Anna Berg är läkare för 2 enheter (Bäckliden, Tallen). "
                                  "Byt läkare för dem först.")
    with pytest.raises(BadInput, match="läkare för 2 enheter"):
        ds.delete_doctor(db, anna.id)


def test_retired_doctor_keeps_history_and_gets_no_new_units(small_db):
    db = small_db
    anna = _anna(db)
    bo = ds.create_doctor(db, DoctorData("Bo Ek"))
    for unit in us.list_units(db):  # Anna's units go to Bo
        us.update_unit(db, unit.id, replace(unit.data, doctor_id=bo.id), unit.version)
    assert ds.retire_doctor(db, anna.id, date(2027, 6, 30)) is None
    assert ds.retire_doctor(db, anna.id, date(2027, 7, 31)) == date(2027, 6, 30)
    row = _anna(db)
    assert (row.retired, row.retired_on, row.units) == (True, date(2027, 7, 31), ())
    assert [d.name for d in ds.list_doctors(db, include_retired=False)] == ["Bo Ek"]
    assert len(ds.list_absences(db)) == 1  # the history stays
    unit = us.list_units(db)[0]
    with pytest.raises(BadInput, match="Anna Berg har slutat \\(2027-07-31\\)"):
        us.update_unit(db, unit.id, replace(unit.data, doctor_id=anna.id), unit.version)
    new = us.UnitData(name="Lugnet", type="SÄBO", doctor_id=anna.id,
                      rhythm_kind="Varje vecka", weekdays=(2,))
    with pytest.raises(BadInput, match="kan inte få nya enheter"):
        us.create_unit(db, new)
    assert ds.reactivate_doctor(db, anna.id) == date(2027, 7, 31)
    assert us.create_unit(db, new).doctor == "Anna Berg"
    log = _log(db, "doctor")
    assert [(r.before, r.after) for r in log if r.after and "retired_on" in r.after] == [
        ({"retired_on": None}, {"retired_on": "2027-06-30"}),
        ({"retired_on": "2027-06-30"}, {"retired_on": "2027-07-31"}),
        ({"retired_on": "2027-07-31"}, {"retired_on": None}),
    ]


def test_delete_doctor_undoes_create(small_db):
    row = ds.create_doctor(small_db, DoctorData("Bo Ek", "VC Norr", (1,), 2))
    ds.add_absence(small_db, AbsenceData(row.id, date(2027, 5, 1), date(2027, 5, 2)))
    assert ds.delete_doctor(small_db, row.id) == row.data
    assert ds.delete_doctor(small_db, row.id) is None
    assert [d.name for d in ds.list_doctors(small_db)] == ["Anna Berg"]
    assert len(ds.list_absences(small_db)) == 1


def test_absence_with_substitute_holding_the_reviews(small_db):
    db = small_db
    anna = _anna(db)
    with pytest.raises(BadInput, match="Vikarie: ange vikarien"):
        ds.add_absence(db, AbsenceData(anna.id, date(2027, 5, 3), date(2027, 5, 7),
                                       reviews_by_substitute=True))
    data = AbsenceData(anna.id, date(2027, 5, 3), date(2027, 5, 7), " Kurs ", " Per Vik ",
                       reviews_by_substitute=True)
    absence_id = ds.add_absence(db, data)
    row = next(r for r in ds.list_absences(db) if r.id == absence_id)
    assert row.data == AbsenceData(anna.id, date(2027, 5, 3), date(2027, 5, 7), "Kurs",
                                   "Per Vik", True)
    assert row.version == 1
    assert _log(db, "absence")[0].after["reviews_by_substitute"] is True


def test_update_absence_returns_the_data_before_and_checks_the_version(small_db):
    db = small_db
    row = ds.list_absences(db)[0]
    changed = replace(row.data, end=date(2027, 3, 19), reviews_by_substitute=True)
    assert ds.update_absence(db, row.id, changed, expected_version=row.version) == row.data
    with pytest.raises(ConflictError, match="frånvaron"):
        ds.update_absence(db, row.id, row.data, expected_version=row.version)
    now = ds.list_absences(db)[0]
    assert (now.data, now.version) == (changed, 2)
    log = _log(db, "absence")[-1]
    assert (log.action, log.before, log.after) == (
        "update", {"end": "2027-03-12", "reviews_by_substitute": False},
        {"end": "2027-03-19", "reviews_by_substitute": True})
    with pytest.raises(BadInput, match="före"):
        ds.update_absence(db, row.id, replace(changed, end=date(2027, 2, 1)))
    ds.update_absence(db, row.id, row.data)  # undo
    assert ds.list_absences(db)[0].data == row.data
    assert ds.delete_absence(db, row.id) == row.data
    with pytest.raises(ConflictError, match="frånvaron"):
        ds.update_absence(db, row.id, row.data)


def test_unit_review_minutes(small_db):
    unit = next(u for u in us.list_units(small_db) if u.name == "Bäckliden")
    assert unit.data.review_minutes == 30
    assert "Minuter per ÅMV måste vara 5–240 (nu 4)." in us.validate(
        replace(unit.data, review_minutes=4))
    row = us.update_unit(small_db, unit.id, replace(unit.data, review_minutes=45,
                                                    start_time=time(8, 0)), unit.version)
    assert row.data.review_minutes == 45
    log = _log(small_db, "unit")[-1]
    assert log.after == {"start_time": "08:00:00", "review_minutes": 45}
