"""A database made with revision 0001, with data in it, upgrades to head and keeps it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, inspect, select, text

from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.store.database import sqlite_engine
from lakarrond.store.migrate import current_revision, upgrade

INSERTS = [
    "INSERT INTO health_centre (id, name) VALUES (1, 'VC Ett')",
    "INSERT INTO doctor (id, name, health_centre_id, review_weekdays, reviews_per_day) "
    "VALUES (1, 'Anna Berg', 1, '3', 2)",
    "INSERT INTO unit (id, name, type, doctor_id, nurse, rhythm_kind, parity, weekdays, "
    "start_time, length_min, form, reviews_in_round, reviews_per_round, version) VALUES "
    "(1, 'Bäckliden', 'SÄBO', 1, '', 'Varje vecka', NULL, '1', '09:00:00', 120, 'Fysisk', "
    "NULL, 2, 1)",
    "INSERT INTO patient (id, name, personnummer, unit_id, room, admitted, last_review, "
    "status, end_date, excluded, birth_date, version) VALUES (1, 'Karl Nilsson', "
    "'19380412-1238', 1, 'Rum 1', '2020-01-01', '2026-02-02', 'Aktiv', NULL, '', NULL, 1)",
    "INSERT INTO plan (id, year, version, created_at, created_by, settings, solver_status, "
    "objective, bound, wall_s, measures, violations, unplaced) VALUES (1, 2027, 1, "
    "'2026-11-01 10:00:00', 'u', '{}', 'OPTIMAL', 1, 1, 0.5, '{}', '[]', '[]')",
    "INSERT INTO visit (id, plan_id, patient_id, date, preparation, status, unit, doctor, "
    "version) VALUES (1, 1, 1, '2027-02-02', '2027-01-19', 'Låst', 'Bäckliden', "
    "'Anna Berg', 1)",
]


def test_upgrade_from_0001_keeps_the_data(db_target):
    is_sqlite = "://" not in db_target
    if is_sqlite:
        from pathlib import Path

        Path(db_target).parent.mkdir(parents=True, exist_ok=True)
        engine = sqlite_engine(Path(db_target))
    else:
        engine = create_engine(db_target)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "note" not in {c["name"] for c in inspect(engine).get_columns("plan")}
    with engine.begin() as con:
        for sql in INSERTS:
            con.execute(text(sql))
    engine.dispose()

    db = open_database(db_target)
    try:
        assert current_revision(db.engine) == "0002"
        with db.begin() as s:
            plan = s.scalars(select(m.Plan)).one()
            assert plan.note is None
            visit = plan.visits[0]
            assert (visit.date, visit.status, visit.patient.name) == (
                date(2027, 2, 2), "Låst", "Karl Nilsson")
            assert visit.patient.unit.doctor.health_centre.name == "VC Ett"
            plan.note = "efter uppgradering"
        with db.begin() as s:
            assert s.scalars(select(m.Plan.note)).one() == "efter uppgradering"
    finally:
        db.dispose()
