"""A database made with revision 0001, with data in it, upgrades to head and keeps it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, inspect, select, text

from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.store.database import sqlite_engine
from lakarrond.store.migrate import current_revision, head_revision, upgrade

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
        assert current_revision(db.engine) == head_revision()
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


ABSENCE_0002 = (
    "INSERT INTO absence (doctor_id, start, \"end\", reason, substitute) VALUES "
    "(1, '2027-03-01', '2027-03-12', 'Semester', 'Per Vikarie')"
)
SETTING_0002 = "INSERT INTO setting (year, key, value) VALUES (2027, 'summer_weeks', '28,29')"


def _engine(db_target: str):  # type: ignore[no-untyped-def]
    if "://" in db_target:
        return create_engine(db_target)
    from pathlib import Path

    Path(db_target).parent.mkdir(parents=True, exist_ok=True)
    return sqlite_engine(Path(db_target))


def filled_at(db_target: str, revision: str, *extra: str) -> set[str]:
    """A database at ``revision`` holding a plan of 2027 (INSERTS, then ``extra``); the
    columns of its patient, visit and absence tables as they were (to show what a later
    revision adds)."""
    engine = _engine(db_target)
    try:
        upgrade(engine, revision)
        columns = {f"{table}.{c['name']}" for table in ("patient", "visit", "absence")
                   for c in inspect(engine).get_columns(table)}
        with engine.begin() as con:
            for sql in [*INSERTS, *extra]:
                con.execute(text(sql))
        return columns
    finally:
        engine.dispose()


def _downgrade(engine, revision: str) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from lakarrond.store.migrate import alembic_config

    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_0003_and_0004_upgrade_a_0002_database_with_data_and_downgrade(db_target):
    engine = _engine(db_target)
    upgrade(engine, "0002")
    with engine.begin() as con:
        for sql in [*INSERTS, ABSENCE_0002, SETTING_0002]:
            con.execute(text(sql))
    engine.dispose()

    db = open_database(db_target)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.begin() as s:
            doctor = s.scalars(select(m.Doctor)).one()
            assert (doctor.retired_on, doctor.version) == (None, 1)
            absence = doctor.absences[0]
            assert (absence.substitute, absence.reviews_by_substitute, absence.version) == (
                "Per Vikarie", False, 1)
            unit = s.scalars(select(m.Unit)).one()
            assert (unit.review_minutes, unit.version) == (30, 1)
            assert s.scalars(select(m.Setting.value).where(
                m.Setting.key == "summer_weeks")).one() == "28,29"
            visit = s.scalars(select(m.Visit)).one()
            assert (visit.date, visit.status) == (date(2027, 2, 2), "Låst")
            assert (visit.reason, visit.cancelled_on) == ("", None)  # 0004
            plan = s.scalars(select(m.Plan)).one()
            assert (plan.plan_from, plan.fingerprints, plan.forced_moves) == (None, {}, [])
            assert plan.not_required == []  # 0005_a
            plan.plan_from = date(2027, 3, 1)
            plan.fingerprints = {"Anna Berg": "abc"}
            visit.reason = "patienten avböjde"
            # the new tables and columns work
            s.add(m.PreparationTick(patient_id=1, review_date=date(2027, 2, 2),
                                    step="Prover tagna", done_on=date(2027, 1, 20),
                                    done_by="u"))
            s.add(m.RoundChange(unit_id=1, date=date(2027, 2, 3), kind="extra", note="x"))
            s.add(m.Setting(year=2027, key="long", value="x" * 1000))
            doctor.retired_on = date(2027, 6, 1)
            absence.reviews_by_substitute = True
            unit.review_minutes = 45
        with db.begin() as s:
            assert s.scalars(select(m.Doctor.version)).one() == 2
            assert len(s.scalars(select(m.Setting.value).where(m.Setting.key == "long"))
                       .one()) == 1000
    finally:
        db.dispose()

    engine = _engine(db_target)
    try:
        _downgrade(engine, "0002")
        assert current_revision(engine) == "0002"
        tables = set(inspect(engine).get_table_names())
        assert {"preparation_tick", "round_change"}.isdisjoint(tables)
        assert "review_minutes" not in {c["name"] for c in inspect(engine).get_columns("unit")}
        assert {"reason", "cancelled_on"}.isdisjoint(
            c["name"] for c in inspect(engine).get_columns("visit"))
        assert {"plan_from", "fingerprints", "forced_moves", "not_required"}.isdisjoint(
            c["name"] for c in inspect(engine).get_columns("plan"))
        assert {"retired_on", "version"}.isdisjoint(
            c["name"] for c in inspect(engine).get_columns("doctor"))
        with engine.connect() as con:
            # nothing cascaded away: the rows of every older table are all there
            for table in ("doctor", "absence", "unit", "patient", "plan", "visit"):
                assert con.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
            assert con.execute(text(
                "SELECT length(value) FROM setting WHERE key = 'long'")).scalar() == 400
        upgrade(engine, "head")  # and up again
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_0005_c_adds_booked_to_a_0004_database_with_data_and_downgrades(db_target):
    assert "visit.booked" not in filled_at(db_target, "0004")

    db = open_database(db_target)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.begin() as s:
            visit = s.scalars(select(m.Visit)).one()
            assert (visit.date, visit.status, visit.booked) == (date(2027, 2, 2), "Låst", False)
            visit.booked = True
        with db.begin() as s:
            assert s.scalars(select(m.Visit.booked)).one() is True
    finally:
        db.dispose()

    engine = _engine(db_target)
    try:
        _downgrade(engine, "0004")
        assert "booked" not in {c["name"] for c in inspect(engine).get_columns("visit")}
        with engine.connect() as con:
            assert con.execute(text("SELECT count(*) FROM visit")).scalar() == 1
        upgrade(engine, "head")
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
