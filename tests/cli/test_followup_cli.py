"""``lakarrond uppfoljning --year Y [--out FILE] [--json]`` (contracts §2, issue 18.6): a text
table by default, the contract's JSON with --json and in a .json file, Excel and PDF files,
a Swedish refusal with exit 2 for another format."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from lakarrond.cli import main
from lakarrond.store import open_database
from tests.followup_year import HAND_COUNT, TODAY, TOTAL, YEAR, script_the_year


@pytest.fixture
def path(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LAKARROND_TODAY", TODAY.isoformat())
    target = str(tmp_path / "db" / "kommun.sqlite")
    db = open_database(target)
    try:
        script_the_year(db)
    finally:
        db.dispose()
    return target


def test_without_out_a_text_table_is_printed(path, capsys):
    assert main(["--db", path, "uppfoljning", "--year", str(YEAR)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Årsuppföljning {YEAR}")
    for table in ("Per vårdcentral", "Per läkare", "Per enhet", "Totalt"):
        assert table in out
    assert "Bäckliden (Anna Berg, Vårdcentralen Norr)" in out


def test_json_on_stdout_is_the_contract(path, capsys):
    assert main(["--db", path, "uppfoljning", "--year", str(YEAR), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == YEAR
    got = {(r["health_centre"], r["doctor"], r["unit"]):
           {k: v for k, v in r.items() if k in TOTAL} for r in data["rows"]}
    assert got == HAND_COUNT
    assert {k: v for k, v in data["total"].items() if k != "per_10"} == TOTAL


def test_out_json_equals_stdout_json(path, tmp_path, capsys):
    out = tmp_path / "f.json"
    assert main(["--db", path, "uppfoljning", "--year", str(YEAR), "--out", str(out),
                 "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(captured.out)
    assert "skriven till" in captured.err


def test_out_xlsx_writes_the_workbook(path, tmp_path, capsys):
    out = tmp_path / "f.xlsx"
    assert main(["--db", path, "uppfoljning", "--year", str(YEAR), "--out", str(out)]) == 0
    assert "skriven till" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["Per vårdcentral", "Per läkare", "Per enhet",
                                             "Totalt", "Diagram"]


def test_another_format_is_refused(path, tmp_path, capsys):
    out = tmp_path / "f.csv"
    assert main(["--db", path, "uppfoljning", "--year", str(YEAR), "--out", str(out)]) == 2
    assert "skrivs som .xlsx, .pdf eller .json" in capsys.readouterr().err
    assert not out.exists()


def test_the_year_is_required(path, capsys):
    assert main(["--db", path, "uppfoljning"]) == 2
    assert "--year" in capsys.readouterr().err
