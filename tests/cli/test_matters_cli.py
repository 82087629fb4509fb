"""The command line of issue 21 (contracts §2, §3): ``arende add|list|set`` and
``underlag``, their JSON shapes exactly, Swedish refusals with exit 2."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lakarrond.cli import main
from lakarrond.store import open_database
from tests.matter_store import HOME, TODAY, copy_of, make_planned, review_dates

MATTER_KEYS = ["id", "kind", "unit", "date", "patient", "personnummer", "minutes", "by",
               "note", "status"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAKARROND_TODAY", TODAY)
        return make_planned(tmp_path_factory.mktemp("planned"))


@pytest.fixture
def path(template, tmp_path, monkeypatch):
    monkeypatch.setenv("LAKARROND_TODAY", TODAY)
    return str(copy_of(template, tmp_path / "db"))


@pytest.fixture
def day(path) -> date:
    db = open_database(path)
    try:
        return min(d for d, names in review_dates(db).items() if len(names) == 1
                   and d.month >= 4)
    finally:
        db.dispose()


def run(path: str, *args: str) -> int:
    return main(["--db", path, *args])


def test_arende_add_json_prints_the_matter(path, day, capsys):
    assert run(path, "arende", "add", "--unit", HOME, "--date", day.isoformat(), "--kind",
               "Hembesök", "--patient", "Karl Nilsson", "--minutes", "30", "--by",
               "Sjuksköterska Eva Syster", "--note", "ont i höften", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == MATTER_KEYS
    assert {k: v for k, v in data.items() if k != "id"} == {
        "kind": "Hembesök", "unit": HOME, "date": day.isoformat(), "patient": "Karl Nilsson",
        "personnummer": None, "minutes": 30, "by": "Sjuksköterska Eva Syster",
        "note": "ont i höften", "status": "Planerad"}


def test_arende_add_that_does_not_fit_exits_2_naming_the_next_round(path, day, capsys):
    assert run(path, "arende", "add", "--unit", HOME, "--date", day.isoformat(), "--kind",
               "Avstämning", "--minutes", "45") == 2
    err = capsys.readouterr().err
    nxt = date.fromordinal(day.toordinal() + 7)
    assert f"Nästa rond med tid: tisdag {nxt.isoformat()}" in err
    assert "--force" in err
    assert run(path, "arende", "add", "--unit", HOME, "--date", day.isoformat(), "--kind",
               "Avstämning", "--minutes", "45", "--force") == 0
    assert "nya datum vid nästa plan" in capsys.readouterr().out


def test_arende_list_json_and_set(path, day, capsys):
    assert run(path, "arende", "add", "--unit", HOME, "--date", day.isoformat(), "--kind",
               "Avstämning", "--json") == 0
    matter_id = json.loads(capsys.readouterr().out)["id"]
    assert run(path, "arende", "set", str(matter_id), "--status", "Struken") == 2
    assert "orsak" in capsys.readouterr().err
    later = date.fromordinal(day.toordinal() + 7).isoformat()
    assert run(path, "arende", "set", str(matter_id), "--status", "Flyttad", "--date",
               later) == 0
    assert "Flyttad".lower() in capsys.readouterr().out
    assert run(path, "arende", "list", "--doctor", "Anna Berg", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(list(r) == MATTER_KEYS for r in rows)
    assert [(r["date"], r["status"]) for r in rows] == [
        (day.isoformat(), "Flyttad"), (later, "Planerad")]
    assert run(path, "arende", "list", "--unit", HOME, "--from", later) == 0
    assert capsys.readouterr().out.count("Avstämning") == 1


def test_arende_unknown_kind_and_missing_subcommand_exit_2(path, day, capsys):
    assert run(path, "arende", "add", "--unit", HOME, "--date", day.isoformat(), "--kind",
               "Fika") == 2
    assert "Okänd typ av ärende" in capsys.readouterr().err
    assert run(path, "arende") == 2
    assert "krävs" in capsys.readouterr().err


def test_underlag_json_and_pdf(qapp, path, day, tmp_path, capsys):
    out = tmp_path / "u.json"
    assert run(path, "underlag", "--unit", HOME, "--date", day.isoformat(), "--out",
               str(out)) == 0
    [rnd] = json.loads(out.read_text(encoding="utf-8"))
    assert rnd["items"][0]["kind"] == "ÅMV"
    assert rnd["items"][0]["personnummer"] is None
    pdf = tmp_path / "u.pdf"
    assert run(path, "underlag", "--doctor", "Anna Berg", "--from", day.isoformat(), "--to",
               day.isoformat(), "--out", str(pdf), "--med-personnummer") == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "1 rond" in capsys.readouterr().out


def test_underlag_refuses_a_half_choice_and_another_format(path, tmp_path, capsys):
    assert run(path, "underlag", "--unit", HOME, "--out", str(tmp_path / "u.json")) == 2
    assert "Ange en rond" in capsys.readouterr().err
    assert run(path, "underlag", "--unit", HOME, "--date", "2027-04-06", "--out",
               str(tmp_path / "u.xlsx")) == 2
    assert ".pdf eller .json" in capsys.readouterr().err


def _last_review(path: str, name: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from lakarrond.store import models as m

    db = open_database(path)
    try:
        with db.read() as s:
            return s.scalars(select(m.Patient.last_review).where(m.Patient.name == name)).one()
    finally:
        db.dispose()


def _deterioration(path: str, day: date, capsys) -> int:  # type: ignore[no-untyped-def]
    assert run(path, "arende", "add", "--unit", HOME, "--date", day.isoformat(), "--kind",
               "Vårdplanering vid försämring", "--patient", "Greta Ek", "--minutes", "30",
               "--json") == 0
    return int(json.loads(capsys.readouterr().out)["id"])


def test_arende_set_som_amv_makes_it_the_last_review(path, day, capsys):
    matter_id = _deterioration(path, day, capsys)
    assert run(path, "arende", "set", str(matter_id), "--status", "Genomförd",
               "--som-amv") == 0
    assert "räknas som ÅMV" in capsys.readouterr().out
    assert _last_review(path, "Greta Ek") == day


def test_arende_set_without_som_amv_keeps_the_last_review(path, day, capsys):
    before = _last_review(path, "Greta Ek")
    matter_id = _deterioration(path, day, capsys)
    assert run(path, "arende", "set", str(matter_id), "--status", "Genomförd") == 0
    assert _last_review(path, "Greta Ek") == before != day


def test_arende_set_som_amv_on_a_struck_matter_exits_2(path, day, capsys):
    matter_id = _deterioration(path, day, capsys)
    assert run(path, "arende", "set", str(matter_id), "--status", "Struken", "--reason",
               "inte aktuellt", "--som-amv") == 2
    assert "räknas som ÅMV" in capsys.readouterr().err
