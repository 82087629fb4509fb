"""Revision 0011_phone_steps: the substitute's phone and "Bjud inte in närstående" are added
empty; a year that used the old default steps (a plan or ticks, nothing stored) keeps them,
a stored list is kept as it was, a year with nothing gets the new defaults; downgrade
writes the lists back in the old form."""

from __future__ import annotations

import json

from sqlalchemy import select, text

from lakarrond.services import preparation as prep
from lakarrond.steps import DEFAULT_STEPS
from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.store.migrate import current_revision, head_revision
from tests.store.test_migrations import _downgrade, _engine, filled_at

OWN = [["Kallad", 10], ["Blodprov", 5]]


def _at_0009(db_target: str) -> None:
    filled_at(  # a plan of 2027, an absence with a substitute, ticks and a year's own list
        db_target, "0009_palliative",
        "INSERT INTO absence (doctor_id, start, \"end\", reason, substitute, "
        "reviews_by_substitute, version) VALUES (1, '2027-07-05', '2027-07-09', '', "
        "'Per Holm', false, 1)",
        "INSERT INTO preparation_tick (patient_id, review_date, step, done_on, done_by, "
        "version) VALUES (1, '2028-01-20', 'Prover tagna', '2028-01-10', 'u', 1)",  # 2028
        f"INSERT INTO setting (year, key, value) VALUES (2029, 'preparation_steps', "
        f"'{json.dumps(OWN)}')")


def test_0011_keeps_the_steps_each_year_used_and_adds_empty_columns(db_target):
    _at_0009(db_target)
    db = open_database(db_target)
    try:
        assert current_revision(db.engine) == head_revision()
        old = ["Kallad/informerad", "Närstående inbjudna", "Prover tagna",
               "PHASE-20 / skattning", "Läkemedelsgenomgång förberedd"]
        for year in (2027, 2028):  # a plan / ticks and nothing stored: the old defaults
            steps = prep.steps(db, year)
            assert [s.name for s in steps] == old
            assert [s.name for s in steps if s.relatives] == ["Närstående inbjudna"]
            assert {s.role for s in steps} == {None}
        assert [(s.name, s.days_before, s.role) for s in prep.steps(db, 2029)] == [
            ("Kallad", 10, None), ("Blodprov", 5, None)]  # stored: kept as it was
        assert prep.steps(db, 2030) == list(DEFAULT_STEPS)  # nothing: the new defaults
        with db.read() as s:
            assert s.scalars(select(m.Absence.phone)).one() == ""
            assert s.scalars(select(m.Patient.no_relatives)).one() is False
    finally:
        db.dispose()


def test_0011_downgrade_writes_the_old_form(db_target):
    _at_0009(db_target)
    db = open_database(db_target)
    prep.set_steps(db, 2031, list(DEFAULT_STEPS[:2]))
    db.dispose()
    engine = _engine(db_target)
    try:
        _downgrade(engine, "0009_palliative")
        with engine.connect() as con:
            stored = {y: json.loads(v) for y, v in con.execute(text(
                "SELECT year, value FROM setting WHERE key = 'preparation_steps'"))}
        assert stored[2029] == OWN
        assert stored[2031] == [["Planeringsunderlag till läkaren", 14],
                                ["Informera patienten", 14]]
        assert all(len(entry) == 2 for steps in stored.values() for entry in steps)
    finally:
        engine.dispose()
