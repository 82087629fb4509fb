"""R5b through the services (issue 21.1): the planner's capacity comes from the stored unit's
round length, "Minuter per ÅMV" and "Övrig tid"; the printed clock time of every ÅMV held in
a round lies inside that round (a seeded random family); the plan lists the round-time
warnings (JSON "warnings", the plan text) and the appointments' "start"."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from benchmarks.family import timed_municipality
from lakarrond.cli.report import format_measures
from lakarrond.services.demo import load_problem
from lakarrond.services.document import load_document
from lakarrond.services.plan import plan_year
from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.timetable import parse_clock, timetable

YEAR = 2027


def _end(start: time, minutes: int) -> datetime:
    return datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)


@pytest.mark.parametrize("seed", range(1, 7))
def test_no_reviews_printed_time_is_outside_its_round(tmp_path, seed):
    db = open_database(str(tmp_path / "db" / "lakarrond.sqlite"))
    try:
        load_problem(db, timed_municipality(seed, YEAR, size=0.2))
        plan_year(db, YEAR, time_limit=5)
        with db.read() as s:
            doc = load_document(s, YEAR, today=date(YEAR - 1, 12, 1))
    finally:
        db.dispose()
    tt = timetable(doc)
    in_rounds = [s for s in tt.sittings if s.round is not None]
    assert in_rounds and doc.reviews
    for sitting in in_rounds:
        rnd = sitting.round
        assert rnd is not None
        start = parse_clock(rnd.start)
        for t in sitting.reviews:
            assert t.start is not None and t.end is not None, (rnd, t.why)  # none left out
            assert start <= t.start  # from the round's start …
            unit = doc.unit(rnd.unit)
            assert unit is not None  # … to its end (start + length)
            assert _end(t.start, unit.review_minutes) <= _end(start, rnd.length_min), (
                rnd.unit, rnd.date, t.text)
    timed = {id(t.review) for s in tt.sittings for t in s.reviews}
    assert all(a.start is not None for a in doc.reviews if id(a) in timed)


def _small_plan(db, **unit_fields):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        home = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        for key, value in unit_fields.items():
            setattr(home, key, value)
    plan_year(db, YEAR, time_limit=5)
    with db.read() as s:
        return load_document(s, YEAR, today=date(YEAR - 1, 12, 1))


def test_a_60_minute_round_plans_two_and_the_plan_warns(small_db):
    doc = _small_plan(small_db, length_min=60, reviews_per_round=5, review_minutes=30)
    per_round = Counter((a.unit, a.date) for a in doc.reviews if a.unit == "Bäckliden")
    assert per_round and max(per_round.values()) <= 2
    [warning] = doc.to_json()["warnings"]
    assert warning["unit"] == "Bäckliden" and warning["doctor"] == "Anna Berg"
    assert "Sänk ÅMV per rond till 2 eller förläng ronden till 150 min" in warning["message"]
    assert "Bäckliden" in format_measures(doc) and "Varningar om rondtid: 1" in \
        format_measures(doc)


def test_a_unit_that_fits_gives_the_plan_no_warning(small_db):
    doc = _small_plan(small_db, length_min=150, reviews_per_round=5, review_minutes=30)
    assert doc.to_json()["warnings"] == [] and "Varningar om rondtid: 0" in format_measures(doc)


def test_overlapping_rounds_are_listed_naming_both_units(small_db):
    with small_db.begin() as s:  # Tallen's rounds move onto Bäckliden's Tuesday morning
        lss = s.scalars(select(m.Unit).where(m.Unit.name == "Tallen")).one()
        lss.rhythm_kind, lss.parity, lss.weekdays, lss.start_time = \
            "Varje vecka", None, "1", time(10, 0)
    doc = _small_plan(small_db)
    [warning] = doc.warnings
    assert warning.units == ("Bäckliden", "Tallen") and warning.kind == "overlap"
    assert "Bäckliden 09:00–11:00" in warning.message and "Tallen 10:00–11:00" in warning.message
    assert doc.filtered(unit="Tallen").warnings == doc.warnings  # either unit finds it


def test_appointments_carry_their_clock_time(small_db):
    doc = _small_plan(small_db, review_minutes=20)
    data = doc.to_json()["appointments"]
    in_round = [a for a in data if a["unit"] == "Bäckliden"]
    assert in_round and {a["start"] for a in in_round} <= {"09:00", "09:20"}
    assert all(a["start"] is not None for a in data)


def test_the_unit_form_refuses_a_round_past_midnight():
    from lakarrond.services.units import UnitData, validate

    data = UnitData(name="Bäckliden", type="SÄBO", doctor_id=1, rhythm_kind="Varje vecka",
                    weekdays=(1,), start_time=time(23, 0), length_min=60)
    assert validate(data) == []  # ends at 24:00: kept
    assert validate(replace(data, length_min=61)) == [
        "Ronden måste sluta senast 24:00 (börjar 23:00, 61 min)."]
