"""``lakarrond andringar --since DATUM`` (issue 18 point 5): text, JSON (the contract's keys),
files, with or without personnummer like ``export``; audited; a bad date refused in
Swedish with exit code 2."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lakarrond.cli import main
from lakarrond.services.patients import list_patients, update_patient
from lakarrond.store import models as m
from lakarrond.store import open_database
from lakarrond.today import today as todays_date
from tests.stores import fill_small_store

TODAY = todays_date()
SINCE = (TODAY - timedelta(days=7)).isoformat()
KEYS = {"kind", "date", "patient", "personnummer", "unit", "doctor", "health_centre"}


@pytest.fixture
def path(tmp_path):  # type: ignore[no-untyped-def]
    where = tmp_path / "db" / "lakarrond.sqlite"
    db = open_database(str(where))
    fill_small_store(db, TODAY.year - 1)
    karl = next(r for r in list_patients(db) if r.name == "Karl Nilsson")
    update_patient(db, karl.id, replace(karl.data, status="Avliden", end_date=TODAY),
                   today=TODAY)
    db.dispose()
    return str(where)


def _exports(path: str) -> list[dict]:  # type: ignore[type-arg]
    db = open_database(path)
    try:
        with db.read() as s:
            return [r.after for r in s.scalars(select(m.AuditLog).where(
                m.AuditLog.entity == "census", m.AuditLog.action == "export"))]
    finally:
        db.dispose()


def test_the_text_names_the_health_centre_doctor_and_patient(path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", path, "andringar", "--since", SINCE]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == [
        f"Ändringar sedan {SINCE}: 1", "Vårdcentralen Test – Anna Berg",
        f"  {TODAY.isoformat()}  Avliden    Karl Nilsson  19380412-1238  Bäckliden"]
    assert _exports(path)[0]["format"] == "text"


def test_the_json_has_exactly_the_contracts_keys(path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", path, "andringar", "--since", SINCE, "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert set(row) == KEYS
    assert row == {"kind": "Avliden", "date": TODAY.isoformat(), "patient": "Karl Nilsson",
                   "personnummer": "19380412-1238", "unit": "Bäckliden",
                   "doctor": "Anna Berg", "health_centre": "Vårdcentralen Test"}


def test_utan_personnummer_leaves_the_number_out(path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", path, "andringar", "--since", SINCE, "--json",
                 "--utan-personnummer"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["personnummer"] is None
    assert main(["--db", path, "andringar", "--since", SINCE, "--utan-personnummer"]) == 0
    assert "19380412" not in capsys.readouterr().out
    assert [e["personnummer"] for e in _exports(path)] == [False, False]


def test_out_writes_the_excel_file_and_audits_it(path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "andringar.xlsx"
    assert main(["--db", path, "andringar", "--since", SINCE, "--out", str(out)]) == 0
    assert f"är sparade i {out}" in capsys.readouterr().out
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][3:6] == ("Avliden", "Karl Nilsson", "19380412-1238")
    assert _exports(path)[0]["format"] == "xlsx"


def test_out_json_writes_the_same_list(path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "andringar.json"
    assert main(["--db", path, "andringar", "--since", SINCE, "--out", str(out)]) == 0
    assert [set(r) for r in json.loads(out.read_text(encoding="utf-8"))] == [KEYS]


@pytest.mark.parametrize("bad", ["2027-13-01", "igår"])
def test_a_bad_date_is_refused_in_swedish(path, capsys, bad: str) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", path, "andringar", "--since", bad]) == 2
    assert f"\"{bad}\" är inget datum (ÅÅÅÅ-MM-DD)" in capsys.readouterr().err
    assert _exports(path) == []


def test_an_unknown_file_format_exits_2(path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", path, "andringar", "--since", SINCE, "--out",
                 str(tmp_path / "a.csv")]) == 2
    assert "Okänt filformat" in capsys.readouterr().err
