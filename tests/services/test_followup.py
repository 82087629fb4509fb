"""The yearly follow-up (issue 18.6) on a scripted year: the figures equal a hand count, an ÅMV
counts as held only when recorded Genomförd, the JSON has exactly the contract's keys, the
files are written and audited."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lakarrond.errors import BadInput
from lakarrond.followup import COUNT_KEYS
from lakarrond.services.doctor_time import doctor_time
from lakarrond.services.followup import (
    default_follow_up_year,
    load_follow_up,
    write_follow_up,
)
from lakarrond.services.visits import record_visit
from lakarrond.store import models as m
from tests.followup_year import HAND_COUNT, TODAY, TOTAL, YEAR, script_the_year

ROW_KEYS = ["health_centre", "doctor", "unit", "patients", "held", "held_within_12_months",
            "declined", "cancelled_not_held", "overdue_at_year_end",
            "new_seen_within_28_days", "rounds_held", "rounds_cancelled", "extra_rounds",
            "per_10"]


@pytest.fixture
def year_db(sqlite_db):  # type: ignore[no-untyped-def]
    script_the_year(sqlite_db)
    return sqlite_db


def test_the_scripted_year_equals_the_hand_count(year_db):
    result = load_follow_up(year_db, YEAR, today=TODAY)
    got = {(r.health_centre, r.doctor, r.unit): r.counts.to_json() for r in result.units}
    assert got == HAND_COUNT
    assert result.total.counts.to_json() == TOTAL
    assert [(r.doctor, r.counts.patients) for r in result.doctors] == [
        ("Anna Berg", 9), ("Bo Lind", 1)]
    assert [(r.health_centre, r.counts.held) for r in result.centres] == [
        ("Vårdcentralen Norr", 5), ("Vårdcentralen Söder", 0)]


def test_per_10_is_the_doctor_time_of_the_unit_and_the_centre(year_db):
    result = load_follow_up(year_db, YEAR, today=TODAY)
    time = doctor_time(year_db, YEAR)
    assert {r.unit: r.per_10 for r in result.units} == {
        name: t.per_10 for name, t in time.units.items()}
    anna = time.doctors["Anna Berg"]
    assert result.centres[0].per_10 == pytest.approx(anna.hours_per_week / anna.patients * 10)
    hours = sum(t.hours_per_week for t in time.doctors.values())
    patients = sum(t.patients for t in time.doctors.values())
    assert result.total.per_10 == pytest.approx(hours / patients * 10)


def _gustav_visit(db):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return next(v.id for v in s.query(m.Visit).all() if v.patient.name == "Gustav Ek")


def test_a_planned_review_is_not_held(year_db):
    result = load_follow_up(year_db, YEAR, today=TODAY)
    home = next(r for r in result.units if r.unit == "Bäckliden")
    assert home.counts.held == 4  # Gustav's locked date is not counted
    assert home.counts.overdue_at_year_end == 2


def test_the_same_review_recorded_genomford_is_held(year_db):
    record_visit(year_db, "Gustav Ek", date(YEAR, 11, 4), "Genomförd", today=TODAY)
    result = load_follow_up(year_db, YEAR, today=TODAY)
    home = next(r for r in result.units if r.unit == "Bäckliden")
    assert home.counts.held == 5
    assert home.counts.overdue_at_year_end == 1  # Gustav is no longer overdue
    assert home.counts.new_seen_within_28_days == 1  # held 34 days after admission


def test_the_json_has_exactly_the_contracts_keys(year_db):
    data = load_follow_up(year_db, YEAR, today=TODAY).to_json()
    assert list(data) == ["year", "rows", "total"]
    assert data["year"] == YEAR
    assert all(list(row) == ROW_KEYS for row in data["rows"])
    assert list(data["total"]) == [*COUNT_KEYS, "per_10"]
    json.dumps(data)  # plain JSON


def test_the_json_file_is_written_private_and_audited(year_db, tmp_path):
    result = load_follow_up(year_db, YEAR, today=TODAY)
    out = write_follow_up(year_db, result, tmp_path / "uppfoljning.json")
    assert json.loads(out.read_text(encoding="utf-8")) == result.to_json()
    assert out.stat().st_mode & 0o777 == 0o600
    with year_db.read() as s:
        row = s.query(m.AuditLog).filter_by(entity="followup").one()
    assert (row.action, row.after["year"], row.after["format"]) == ("export", YEAR, "json")


def test_an_unknown_format_is_refused(year_db, tmp_path):
    result = load_follow_up(year_db, YEAR, today=TODAY)
    with pytest.raises(BadInput, match=r"\.xlsx, \.pdf eller \.json"):
        write_follow_up(year_db, result, tmp_path / "uppfoljning.csv")


def test_rounds_are_counted_up_to_today_while_the_year_runs(year_db):
    result = load_follow_up(year_db, YEAR, today=date(YEAR, 1, 31))
    home = next(r for r in result.units if r.unit == "Bäckliden")
    assert home.counts.rounds_held == 4  # the Tuesdays 7, 14, 21 and 28 January


@pytest.mark.parametrize(("today", "year"), [(date(2026, 2, 28), 2025),
                                             (date(2026, 3, 1), 2026)])
def test_the_default_year_is_last_year_until_february_ends(today, year):
    assert default_follow_up_year(today) == year
