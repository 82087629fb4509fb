"""Enum columns (revision 0006_enums): a database with data upgrades and reads its values
back as enum members, the columns stay VARCHAR of the same length without a CHECK; a
database holding a value the program does not know is refused by name and left as it was.
The models refuse an unknown value on write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.exc import StatementError

from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.store.database import sqlite_engine
from lakarrond.store.errors import StoreError
from lakarrond.store.migrate import current_revision, head_revision, upgrade
from solver.problem import PatientStatus, RhythmKind, RoundForm, UnitType, VisitStatus, WeekParity

ROWS = [
    "INSERT INTO health_centre (id, name) VALUES (1, 'VC Ett')",
    "INSERT INTO doctor (id, name, health_centre_id, review_weekdays, reviews_per_day) "
    "VALUES (1, 'Anna Berg', 1, '3', 2)",
    "INSERT INTO unit (id, name, type, doctor_id, nurse, rhythm_kind, parity, weekdays, "
    "start_time, length_min, form, reviews_in_round, reviews_per_round, review_minutes, "
    "version) VALUES (1, 'Bäckliden', 'SÄBO', 1, '', 'Varannan vecka', 'udda', '1', "
    "'09:00:00', 120, 'Telefon', NULL, 2, 30, 1)",
    "INSERT INTO unit (id, name, type, doctor_id, nurse, rhythm_kind, parity, weekdays, "
    "start_time, length_min, form, reviews_in_round, reviews_per_round, review_minutes, "
    "version) VALUES (2, 'Hemtjänst Norr', 'Ordinärt boende', 1, '', 'Varje vecka', NULL, "
    "'2', '09:00:00', 120, 'Fysisk', NULL, 1, 30, 1)",
    "INSERT INTO patient (id, name, personnummer, unit_id, room, admitted, last_review, "
    "status, end_date, excluded, birth_date, version) VALUES (1, 'Karl Nilsson', "
    "'19380412-1238', 1, 'Rum 1', '2020-01-01', '2026-02-02', 'Avliden', '2026-10-01', '', "
    "NULL, 1)",
    "INSERT INTO plan (id, year, version, created_at, created_by, settings, solver_status, "
    "objective, bound, wall_s, measures, violations, unplaced) VALUES (1, 2027, 1, "
    "'2026-11-01 10:00:00', 'u', '{}', 'OPTIMAL', 1, 1, 0.5, '{}', '[]', '[]')",
    "INSERT INTO visit (id, plan_id, patient_id, date, preparation, status, unit, doctor, "
    "version) VALUES (1, 1, 1, '2027-02-02', '2027-01-19', 'Låst', 'Bäckliden', "
    "'Anna Berg', 1)",
    "INSERT INTO round_change (id, unit_id, date, kind, note) VALUES "
    "(1, 1, '2027-03-03', 'extra', '')",
]
ENUM_COLUMNS = {"unit": {"type": 40, "rhythm_kind": 40, "parity": 10, "form": 20},
                "patient": {"status": 20}, "visit": {"status": 20},
                "round_change": {"kind": 20}}


def _engine(db_target: str) -> Engine:
    if "://" in db_target:
        return create_engine(db_target)
    Path(db_target).parent.mkdir(parents=True, exist_ok=True)
    return sqlite_engine(Path(db_target))


def _at_0005_b(db_target: str, *extra: str) -> None:
    engine = _engine(db_target)
    upgrade(engine, "0005_b")
    with engine.begin() as con:
        for sql in (*ROWS, *extra):
            con.execute(text(sql))
    engine.dispose()


def test_a_0005_b_database_upgrades_and_reads_enum_members(db_target: str) -> None:
    _at_0005_b(db_target)
    db = open_database(db_target)
    try:
        assert head_revision() == current_revision(db.engine)
        with db.begin() as s:
            unit = s.get(m.Unit, 1)
            assert unit is not None
            assert (unit.type, unit.rhythm_kind, unit.parity, unit.form) == (
                UnitType.NURSING_HOME, RhythmKind.FORTNIGHTLY, WeekParity.ODD, RoundForm.PHONE)
            assert type(unit.type) is UnitType and type(unit.form) is RoundForm
            other = s.get(m.Unit, 2)
            assert other is not None and other.parity is None
            visit = s.scalars(select(m.Visit)).one()
            assert type(visit.status) is VisitStatus and visit.status is VisitStatus.LOCKED
            assert visit.patient.status is PatientStatus.DECEASED
            change = s.scalars(select(m.RoundChange)).one()
            assert change.kind is m.RoundChangeKind.EXTRA
            # a query by enum member finds the stored Swedish word
            assert s.scalars(select(m.Unit.name).where(
                m.Unit.type == UnitType.HOME_CARE)).all() == ["Hemtjänst Norr"]
        with db.engine.connect() as con:  # the stored text is the Swedish value, as before
            assert con.execute(text("SELECT status FROM visit")).scalar() == "Låst"
        columns = inspect(db.engine)
        for table, lengths in ENUM_COLUMNS.items():
            found = {c["name"]: c["type"] for c in columns.get_columns(table)}
            for name, length in lengths.items():
                assert getattr(found[name], "length", None) == length, (table, name)
            assert columns.get_check_constraints(table) == [], table
    finally:
        db.dispose()


def test_a_database_with_an_unknown_value_is_refused_and_left_as_it_was(
        db_target: str) -> None:
    _at_0005_b(db_target, "UPDATE unit SET type = 'Sabo' WHERE id = 2",
               "UPDATE visit SET status = 'Klar'")
    with pytest.raises(StoreError) as refused:
        open_database(db_target)
    message = str(refused.value)
    assert "unit.type: 'Sabo'" in message and "visit.status: 'Klar'" in message
    assert "patient.status" not in message  # the known values are not named
    engine = _engine(db_target)
    try:
        assert current_revision(engine) == "0005_b"
        with engine.connect() as con:
            assert con.execute(text("SELECT type FROM unit WHERE id = 2")).scalar() == "Sabo"
    finally:
        engine.dispose()


def test_the_models_store_a_known_value_and_refuse_an_unknown_one(db_target: str) -> None:
    _at_0005_b(db_target)
    db = open_database(db_target)
    try:
        with db.begin() as s:  # a plain string of a known value is stored as the member
            patient = s.get(m.Patient, 1)
            assert patient is not None
            patient.status = "Aktiv"  # type: ignore[assignment]  # what an old caller passes
        with db.begin() as s:
            assert s.scalars(select(m.Patient.status)).one() is PatientStatus.ACTIVE
        with pytest.raises(StatementError, match="Utflyttad"), db.begin() as s:
            patient = s.get(m.Patient, 1)
            assert patient is not None
            patient.status = "Utflyttad"  # type: ignore[assignment]  # refused on flush
        with db.begin() as s:
            assert s.scalars(select(m.Patient.end_date)).one() == date(2026, 10, 1)
            assert s.scalars(select(m.Patient.status)).one() is PatientStatus.ACTIVE
    finally:
        db.dispose()
