"""Nobody silently missing (issue 22 point 1): a planned discharge is planned until the day
before it; a patient leaving before the next ÅMV falls due is listed as not required with the
reason; placed + unplaced + not required is every patient (plan JSON, window's document);
a death after today is refused by the patient service."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from benchmarks.family import random_municipality
from lakarrond.cli import main
from lakarrond.errors import BadInput
from lakarrond.services import demo
from lakarrond.services.document import load_document
from lakarrond.services.patients import PatientData, create_patient, update_patient
from lakarrond.services.plan import plan_year
from lakarrond.store import models as m
from lakarrond.store import open_database
from tests.stores import fill_small_store

YEAR = 2027


def _add(db, name: str, status: str, end: date | None,  # type: ignore[no-untyped-def]
         last: date = date(2026, 10, 6)) -> None:
    with db.begin() as s:
        home = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        s.add(m.Patient(name=name, unit=home, room="Rum 9", admitted=date(2020, 1, 1),
                        last_review=last, status=status, end_date=end))


@pytest.fixture
def store(sqlite_db):  # type: ignore[no-untyped-def]
    fill_small_store(sqlite_db)
    return sqlite_db


def test_a_planned_discharge_is_planned_before_the_deadline(store):
    _add(store, "Ebba Lund", "Utskriven", date(YEAR, 11, 16))  # due by 2027-10-06
    plan_year(store, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    with store.read() as s:
        doc = load_document(s, YEAR, today=date(YEAR - 1, 12, 1))
    ebba = next(a for a in doc.reviews if a.patient == "Ebba Lund")
    assert date(YEAR, 4, 6) <= ebba.date <= date(YEAR, 10, 6)
    assert "Ebba Lund" not in {n.patient for n in doc.not_required}


def test_leaving_before_the_deadline_is_listed_as_not_required(store):
    _add(store, "Ebba Lund", "Utskriven", date(YEAR, 9, 1))
    plan_year(store, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    with store.read() as s:
        doc = load_document(s, YEAR, today=date(YEAR - 1, 12, 1))
    assert "Ebba Lund" not in {a.patient for a in doc.reviews}
    data = doc.to_json()
    assert {"patient": "Ebba Lund", "personnummer": None, "unit": "Bäckliden",
            "reason": "skrivs ut 2027-09-01, innan nästa ÅMV ska hållas (senast 2027-10-06)"
            } in data["not_required"]


def test_a_death_after_today_in_the_store_counts_as_ended_at_the_planning_date(store):
    _add(store, "Ebba Lund", "Avliden", date(YEAR, 11, 16))  # imported before it was refused
    plan_year(store, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    with store.read() as s:
        doc = load_document(s, YEAR, today=date(YEAR - 1, 12, 1))
    assert "Ebba Lund" not in {a.patient for a in doc.reviews}
    assert "Ebba Lund" in {n.patient for n in doc.not_required}


def _patient_data(store, status: str, end: date | None) -> PatientData:  # type: ignore[no-untyped-def]
    with store.read() as s:
        unit_id = s.scalars(select(m.Unit.id).where(m.Unit.name == "Bäckliden")).one()
    return PatientData(name="Ebba Lund", unit_id=unit_id, admitted=date(2020, 1, 1),
                       status=status, end_date=end)


def test_a_death_after_today_is_refused_by_the_patient_service(store):
    data = _patient_data(store, "Avliden", date(YEAR, 3, 2))
    with pytest.raises(BadInput, match=r"Slutdatum 2027-03-02 ligger efter dagens datum "
                                       r"\(2027-03-01\)"):
        create_patient(store, data, today=date(YEAR, 3, 1))
    row = create_patient(store, _patient_data(store, "Aktiv", None), today=date(YEAR, 3, 1))
    with pytest.raises(BadInput, match="status Avliden anges först när det har hänt"):
        update_patient(store, row.id, data, row.version, today=date(YEAR, 3, 1))
    # a planned discharge after today is fine
    update_patient(store, row.id, _patient_data(store, "Utskriven", date(YEAR, 9, 1)),
                   row.version, today=date(YEAR, 3, 1))


def test_a_death_today_is_taken(store):
    row = create_patient(store, _patient_data(store, "Avliden", date(YEAR, 3, 1)),
                         today=date(YEAR, 3, 1))
    assert (row.data.status, row.data.end_date) == ("Avliden", date(YEAR, 3, 1))


SEED = 5  # 4 discharges and 3 deaths dated in the plan year


def test_every_patient_of_a_generated_municipality_is_accounted_for(tmp_path, monkeypatch,
                                                                    capsys):
    problem = random_municipality(SEED, YEAR, size=0.2)
    monkeypatch.setattr(demo, "demo_problem", lambda year: problem)
    path = str(tmp_path / "db" / "kommun.sqlite")
    db = open_database(path)
    demo.load_demo(db, YEAR)
    with db.read() as s:
        everyone = Counter(s.scalars(select(m.Patient.name)))
    db.dispose()
    monkeypatch.setenv("LAKARROND_TODAY", f"{YEAR}-06-30")
    assert main(["--db", path, "plan", "--year", str(YEAR), "--from", f"{YEAR}-01-01",
                 "--time-limit", "20", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    listed = Counter(row["patient"] for key in ("appointments", "unplaced", "not_required")
                     for row in plan[key])
    assert listed == everyone  # each patient exactly once
    ending = {p.name for p in problem.patients if p.end_date and p.end_date.year == YEAR}
    placed = {a["patient"] for a in plan["appointments"]}
    reasons = {n["patient"]: n["reason"] for n in plan["not_required"]}
    assert ending & placed, "some who leave are planned before they leave"
    assert any("innan nästa ÅMV ska hållas" in reasons.get(n, "") for n in ending)
    assert all(row["personnummer"] is None or len(row["personnummer"]) == 13
               for row in plan["not_required"])
