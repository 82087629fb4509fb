"""0010_contacts: a 0009 database with patients upgrades with every patient keeping the unit's
doctor and nurse (doctor_id NULL, nurse ""), and downgrades without losing a row."""

from __future__ import annotations

from sqlalchemy import inspect, select, text

from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.store.migrate import current_revision, head_revision, upgrade
from tests.store.test_migrations import _downgrade, _engine, filled_at


def test_0010_adds_empty_contacts_to_a_0009_database_and_downgrades(db_target):
    assert "patient.doctor_id" not in filled_at(db_target, "0009_palliative")

    db = open_database(db_target)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.begin() as s:
            karl = s.scalars(select(m.Patient)).one()
            assert (karl.doctor_id, karl.nurse, karl.named_doctor) == (None, "", None)
            karl.doctor_id, karl.nurse = 1, "Lisa Lind"
        with db.begin() as s:
            karl = s.scalars(select(m.Patient)).one()
            assert (karl.named_doctor.name, karl.nurse) == ("Anna Berg", "Lisa Lind")
    finally:
        db.dispose()

    engine = _engine(db_target)
    try:
        _downgrade(engine, "0009_palliative")
        columns = {c["name"] for c in inspect(engine).get_columns("patient")}
        assert not columns & {"doctor_id", "nurse"}
        with engine.connect() as con:
            assert con.execute(text("SELECT count(*) FROM patient")).scalar() == 1
        upgrade(engine, "head")
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
