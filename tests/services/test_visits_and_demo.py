"""Recording an ÅMV as done or locked; the demo municipality."""

from __future__ import annotations

from datetime import date

import pytest
from personnummer import personnummer as pnr
from sqlalchemy import func, select

from lakarrond.errors import BadInput
from lakarrond.pnr import make as make_personnummer
from lakarrond.pnr import normalise as normalise_personnummer
from lakarrond.services.demo import load_demo
from lakarrond.services.plan import plan_year
from lakarrond.services.visits import find_patient, record_visit
from lakarrond.store import models as m

YEAR = 2027


def test_recording_a_visit_without_a_plan_makes_one_and_is_audited(small_db):
    rec = record_visit(small_db, "Karl Nilsson", date(YEAR, 2, 2), "Genomförd",
                       today=date(YEAR, 2, 2))
    assert rec.created and rec.plan_version == 1
    with small_db.begin() as s:
        visit = s.get(m.Visit, rec.visit_id)
        assert (visit.status, visit.unit, visit.doctor) == ("Genomförd", "Bäckliden", "Anna Berg")
        assert visit.preparation < visit.date
        log = s.scalars(
            select(m.AuditLog).where(m.AuditLog.entity == "visit")
        ).one()
        assert log.action == "create" and log.patient_id == visit.patient_id
        assert log.after["status"] == "Genomförd"


def test_recording_updates_the_planned_visit(small_db):
    plan_year(small_db, YEAR, time_limit=10)
    rec = record_visit(small_db, "19380412-1238", date(YEAR, 4, 6), "Låst")
    assert not rec.created and rec.patient == "Karl Nilsson"
    with small_db.begin() as s:
        visit = s.get(m.Visit, rec.visit_id)
        assert (visit.date, visit.status, visit.version) == (date(YEAR, 4, 6), "Låst", 2)
        log = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "visit")).one()
        assert log.action == "update" and log.before["status"] == "Planerad"
        assert s.scalar(select(func.count()).select_from(m.Plan)) == 1


def test_patients_are_found_by_name_or_personnummer(small_db):
    with small_db.begin() as s:
        assert find_patient(s, "193804121238").name == "Karl Nilsson"
        assert find_patient(s, "380412-1238").name == "Karl Nilsson"
        assert find_patient(s, " Greta Ek ").name == "Greta Ek"
        with pytest.raises(BadInput, match="Ingen patient heter"):
            find_patient(s, "Okänd Person")
        with pytest.raises(BadInput, match="personnummer 19121212-1212"):
            find_patient(s, "19121212-1212")
        s.add(m.Patient(name="Greta Ek", unit_id=s.scalars(select(m.Unit.id)).first(),
                        admitted=date(2020, 1, 1)))
        s.flush()
        with pytest.raises(BadInput, match="Flera patienter"):
            find_patient(s, "Greta Ek")


def test_bad_status_is_bad_input(small_db):
    with pytest.raises(BadInput, match="Okänd status"):
        record_visit(small_db, "Karl Nilsson", date(YEAR, 2, 2), "Klar")
    with pytest.raises(BadInput, match="Låst, Avböjd eller Inställd"):
        record_visit(small_db, "Karl Nilsson", date(YEAR, 2, 2), "Planerad")


def test_normalise_personnummer():
    assert normalise_personnummer("380412-1238") == "19380412-1238"
    assert normalise_personnummer("Karl") is None
    assert normalise_personnummer("19380412-1239") is None


def test_generated_personnummer_are_valid():
    number = make_personnummer(date(1938, 4, 12), 122)
    assert number == "19380412-1238"
    assert pnr.valid(number)
    # every serial gives a valid number (000 is not a valid serial)
    assert all(pnr.valid(make_personnummer(date(1940, 1, 1), s)) for s in range(0, 2000, 7))
    assert make_personnummer(date(1940, 1, 1), 998)[9:12] == "999"
    assert make_personnummer(date(1940, 1, 1), 999)[9:12] == "001"


def test_demo_fills_an_empty_database_the_same_every_time(tmp_path):
    from lakarrond.store import open_database

    rows = []
    for name in ("a", "b"):
        db = open_database(str(tmp_path / name / "x.sqlite"))
        report = load_demo(db, YEAR)
        assert report.doctors >= 5 and report.units >= 14 and report.patients >= 400
        with db.begin() as s:
            patients = s.scalars(select(m.Patient).order_by(m.Patient.id)).all()
            rows.append([(p.name, p.personnummer, p.room, p.unit.name) for p in patients])
            numbers = [p.personnummer for p in patients if p.personnummer]
            assert len(numbers) == len(set(numbers)) == len(patients)
            assert all(pnr.valid(n) for n in numbers)
            assert s.scalar(select(func.count()).select_from(m.Absence)) == report.absences
            assert s.scalar(select(func.count()).select_from(m.Setting)) > 0
        with pytest.raises(BadInput, match="redan enheter"):
            load_demo(db, YEAR)
        db.dispose()
    assert rows[0] == rows[1]


def test_an_empty_database_is_empty_until_a_doctor_is_added(tmp_path):
    """The window's start asks the service (not the store) whether to offer the demo."""
    from lakarrond.services.demo import is_empty
    from lakarrond.store import open_database

    db = open_database(str(tmp_path / "tom.sqlite"))
    try:
        assert is_empty(db)
        with db.begin() as s:
            s.add(m.Doctor(name="Dr Ek"))
        assert not is_empty(db)
    finally:
        db.dispose()
