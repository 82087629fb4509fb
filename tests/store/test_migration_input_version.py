"""Migration 0005_b carries staleness over from the audit log: a plan that was stale before
the upgrade stays stale, a current one stays current; downgrade removes what it added."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text

from lakarrond.services.staleness import staleness
from lakarrond.store import input_version, open_database
from lakarrond.store import models as m
from lakarrond.store.database import sqlite_engine
from lakarrond.store.migrate import upgrade

BASE = [
    "INSERT INTO health_centre (id, name) VALUES (1, 'VC Ett')",
    "INSERT INTO doctor (id, name, health_centre_id, review_weekdays, reviews_per_day) "
    "VALUES (1, 'Anna Berg', 1, '3', 2)",
]


def _plan(plan_id: int, year: int, version: int) -> str:
    return ("INSERT INTO plan (id, year, version, created_at, created_by, settings, "
            "solver_status, objective, bound, wall_s, measures, violations, unplaced) VALUES "
            f"({plan_id}, {year}, {version}, '2026-11-01 10:00:00', 'u', '{{}}', 'OPTIMAL', 1, "
            "1, 0.5, '{}', '[]', '[]')")


def _log(row_id: int, action: str, entity: str, entity_id: str) -> str:
    return ("INSERT INTO audit_log (id, at, \"user\", action, entity, entity_id) VALUES "
            f"({row_id}, '2026-11-01 10:00:00', 'u', '{action}', '{entity}', '{entity_id}')")


LOG = [
    _log(1, "update", "doctor", "1"),  # input
    _log(2, "plan", "plan", "1"),  # 2027 version 1 saved
    _log(3, "print", "plan", "1"),  # a printout: not input
    _log(4, "plan", "plan", "2"),  # 2028 version 1 saved
    _log(5, "update", "doctor", "1"),  # input: 2027 and 2028 stale
    _log(6, "plan", "plan", "3"),  # 2028 version 2 saved: current
    _log(7, "export", "moved_list", ""),  # an export: not input
    _log(8, "import", "workbook", "x.xlsx"),  # an import's own row: not input
]


def test_the_upgrade_keeps_stale_plans_stale_and_current_ones_current(db_target):
    if "://" in db_target:
        engine = create_engine(db_target)
    else:
        Path(db_target).parent.mkdir(parents=True, exist_ok=True)
        engine = sqlite_engine(Path(db_target))
    upgrade(engine, "0004")
    with engine.begin() as con:
        for sql in [*BASE, _plan(1, 2027, 1), _plan(2, 2028, 1), _plan(3, 2028, 2), *LOG]:
            con.execute(text(sql))
    engine.dispose()
    db = open_database(db_target)
    try:
        with db.begin() as s:
            assert input_version(s) == 2
            assert dict(s.execute(select(m.Plan.id, m.Plan.input_version)).all()) == {
                1: 1, 2: 1, 3: 2}
        stale_2027, current_2028 = staleness(db, 2027), staleness(db, 2028)
        assert stale_2027 is not None and stale_2027.stale
        assert stale_2027.changes == {"doctor": 1, "workbook": 1}
        assert current_2028 is not None and not current_2028.stale
    finally:
        db.dispose()


def test_the_downgrade_removes_the_input_version(db_target):
    if "://" in db_target:
        engine = create_engine(db_target)
    else:
        Path(db_target).parent.mkdir(parents=True, exist_ok=True)
        engine = sqlite_engine(Path(db_target))
    try:
        upgrade(engine, "0005_b")
        from alembic import command

        from lakarrond.store.migrate import alembic_config

        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        assert "input_version" not in set(inspect(engine).get_table_names())
        assert {"input_version", "moves"}.isdisjoint(
            c["name"] for c in inspect(engine).get_columns("plan"))
    finally:
        engine.dispose()
