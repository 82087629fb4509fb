"""`lakarrond visit --status Avböjd|Inställd` needs `--reason` (issue 20, point 2): without
one it exits 2 with a Swedish message and records nothing; with one it is recorded."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.cli import main
from lakarrond.store import models as m
from lakarrond.store import open_database
from tests.stores import fill_small_store

YEAR = "2027"


@pytest.fixture
def planned_path(tmp_path, capsys):  # type: ignore[no-untyped-def]
    path = str(tmp_path / "cli.sqlite")
    db = open_database(path)
    fill_small_store(db, int(YEAR))
    db.dispose()
    assert main(["--db", path, "plan", "--year", YEAR, "--time-limit", "10"]) == 0
    capsys.readouterr()
    return path


def _karl(path: str) -> tuple[date, str]:
    """Karl Nilsson's ÅMV in the saved plan: its date and status."""
    db = open_database(path)
    try:
        with db.begin() as s:
            visit = s.scalars(select(m.Visit).join(m.Patient)
                              .where(m.Patient.name == "Karl Nilsson")).one()
            return visit.date, visit.status
    finally:
        db.dispose()


@pytest.mark.parametrize("status", ["Avböjd", "Inställd"])
@pytest.mark.parametrize("reason", [[], ["--reason", "  "]])
def test_without_a_reason_exit_2(planned_path, capsys, monkeypatch, status, reason):
    monkeypatch.setenv("LAKARROND_TODAY", "2027-12-31")
    code = main(["--db", planned_path, "visit", "--patient", "Karl Nilsson",
                 "--date", _karl(planned_path)[0].isoformat(), "--status", status,
                 *reason])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--status {status} kräver --reason" in err and "inget registrerades" in err
    assert _karl(planned_path)[1] == "Planerad"


def test_with_a_reason_it_is_recorded(planned_path, capsys, monkeypatch):
    monkeypatch.setenv("LAKARROND_TODAY", "2027-12-31")
    day = _karl(planned_path)[0]
    code = main(["--db", planned_path, "visit", "--patient", "Karl Nilsson",
                 "--date", day.isoformat(), "--status", "Avböjd", "--reason", "vill vänta"])
    assert code == 0, capsys.readouterr().err
    assert _karl(planned_path)[1] == "Avböjd"
