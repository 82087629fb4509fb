"""Today (issue 22 point 8): one source, ``LAKARROND_TODAY`` for the command line and the
services; an ÅMV held or declined after today is refused."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from lakarrond.cli import main
from lakarrond.errors import BadInput
from lakarrond.services.plan import plan_year
from lakarrond.services.visits import record_outcomes, record_visit, set_visit
from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.today import today
from tests.stores import fill_small_store

YEAR = 2027


def test_today_reads_the_environment(monkeypatch):
    monkeypatch.setenv("LAKARROND_TODAY", "2027-03-08")
    assert today() == date(2027, 3, 8)
    monkeypatch.delenv("LAKARROND_TODAY")
    assert today() == date.today()


def test_a_malformed_today_is_a_swedish_error(monkeypatch):
    monkeypatch.setenv("LAKARROND_TODAY", "8 mars")
    with pytest.raises(BadInput, match=r"LAKARROND_TODAY.*ÅÅÅÅ-MM-DD"):
        today()


@pytest.fixture
def planned(sqlite_db):  # type: ignore[no-untyped-def]
    fill_small_store(sqlite_db)
    plan_year(sqlite_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    return sqlite_db


def _visit(db, name):  # type: ignore[no-untyped-def]
    with db.read() as s:
        visit = next(v for v in s.query(m.Visit).all() if v.patient.name == name)
        return visit.id, visit.date


@pytest.mark.parametrize("status", ["Genomförd", "Avböjd"])
def test_held_or_declined_after_today_is_refused(planned, status):
    visit_id, day = _visit(planned, "Karl Nilsson")
    with pytest.raises(BadInput, match="efter dagens datum"):
        record_visit(planned, "Karl Nilsson", day, status, "nej", today=day.replace(day=1)
                     if day.day > 1 else date(YEAR, 1, 1))
    with pytest.raises(BadInput, match="efter dagens datum"):
        record_outcomes(planned, [visit_id], status, "nej", today=date(YEAR, 1, 1)
                        if day > date(YEAR, 1, 1) else date(YEAR - 1, 12, 31))


@pytest.mark.parametrize("status", ["Genomförd", "Avböjd"])
def test_held_or_declined_today_is_taken(planned, status):
    visit_id, day = _visit(planned, "Karl Nilsson")
    (change,) = record_outcomes(planned, [visit_id], status, "nej", today=day)
    assert change.after.status == status


def test_a_lock_after_today_is_taken(planned):
    _, day = _visit(planned, "Karl Nilsson")
    rec = record_visit(planned, "Karl Nilsson", day, "Låst", today=date(YEAR - 1, 12, 1))
    assert rec.status.value == "Låst"


@pytest.fixture
def small_path(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "db" / "lakarrond.sqlite"
    db = open_database(str(path))
    fill_small_store(db)
    db.dispose()
    return str(path)


def test_the_command_line_takes_today_from_the_environment(small_path, capsys, monkeypatch):
    monkeypatch.setenv("LAKARROND_TODAY", "2027-03-01")
    assert main(["--db", small_path, "plan", "--year", "2027", "--time-limit", "10",
                 "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["from"] == "2027-03-01"  # the default planning date is today
    later = next(a for a in plan["appointments"] if a["date"] > "2027-03-01")
    args = ["--db", small_path, "visit", "--patient", later["patient"], "--date",
            later["date"], "--status", "Genomförd"]
    assert main(args) == 2
    assert "efter dagens datum (2027-03-01)" in capsys.readouterr().err
    monkeypatch.setenv("LAKARROND_TODAY", later["date"])
    assert main(args) == 0
    monkeypatch.setenv("LAKARROND_TODAY", "2027-3-1x")
    assert main(["--db", small_path, "plan", "--year", "2027", "--json"]) == 2
    assert "LAKARROND_TODAY" in capsys.readouterr().err


def test_setting_done_through_a_move_is_refused_after_today(planned):
    visit_id, day = _visit(planned, "Karl Nilsson")
    with pytest.raises(BadInput, match="efter dagens datum"):
        set_visit(planned, visit_id, day, "Genomförd", today=day - timedelta(days=1))
    assert set_visit(planned, visit_id, day, "Låst", today=day - timedelta(days=1)).status \
        == "Låst"
    assert set_visit(planned, visit_id, day, "Genomförd", today=day).status == "Genomförd"
