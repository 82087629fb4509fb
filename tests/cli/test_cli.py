"""The command line: exit codes 0/2/1 and Swedish messages, via ``lakarrond.cli.main``."""

from __future__ import annotations

import json
import sys

import pytest

from lakarrond.cli import main
from lakarrond.store import open_database
from tests.stores import fill_small_store

YEAR = "2027"


@pytest.fixture
def small_path(tmp_path):
    path = tmp_path / "db" / "lakarrond.sqlite"
    db = open_database(str(path))
    fill_small_store(db)
    db.dispose()
    return str(path)


@pytest.fixture
def planned_path(small_path, capsys):
    assert main(["--db", small_path, "plan", "--year", YEAR, "--time-limit", "10"]) == 0
    capsys.readouterr()
    return small_path


def test_plan_prints_the_measures_in_swedish(small_path, capsys):
    assert main(["--db", small_path, "plan", "--year", YEAR, "--time-limit", "10"]) == 0
    out = capsys.readouterr().out
    assert "Årsplan 2027, version 1 sparad." in out
    assert "Täckning: 100,0 %" in out
    assert "Anna Berg" in out


def test_plan_json_is_the_contract_on_stdout(small_path, capsys):
    assert main(["plan", "--year", YEAR, "--json", "--db", small_path]) == 0  # --db after
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["year", "from", "solver", "appointments", "unplaced", "not_required",
                     "violations", "measures", "warnings"]
    assert doc["year"] == 2027 and len(doc["appointments"]) == 8
    assert doc["warnings"] == []  # issue 21: the small store's rounds fit
    # issue 21: every appointment has its clock time, "HH:MM" (null only without one)
    assert all(len(a["start"]) == 5 and a["start"][2] == ":" for a in doc["appointments"])
    assert list(doc["appointments"][0])[-1] == "start"


def test_env_var_picks_the_database(planned_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAKARROND_DB", planned_path)
    out = tmp_path / "plan.json"
    assert main(["export", "--year", YEAR, "--out", str(out)]) == 0
    assert "exporterad" in capsys.readouterr().out
    assert len(json.loads(out.read_text(encoding="utf-8"))["appointments"]) == 8


def test_export_filters_and_audit(planned_path, tmp_path, capsys):
    out = tmp_path / "anna.json"
    code = main(["--db", planned_path, "export", "--year", YEAR, "--out", str(out),
                 "--doctor", "Anna Berg", "--from", "2027-01-01", "--to", "2027-06-30",
                 "--utan-personnummer", "--unit", "Bäckliden"])
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert all(a["personnummer"] is None and a["unit"] == "Bäckliden"
               for a in doc["appointments"])


def test_visit_then_replan_keeps_it(planned_path, capsys, monkeypatch):
    monkeypatch.setenv("LAKARROND_TODAY", "2027-02-02")
    code = main(["--db", planned_path, "visit", "--patient", "Karl Nilsson",
                 "--date", "2027-02-02", "--status", "Genomförd"])
    assert code == 0
    monkeypatch.delenv("LAKARROND_TODAY")
    assert "registrerad som genomförd" in capsys.readouterr().out
    assert main(["--db", planned_path, "plan", "--year", YEAR, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    karl = next(a for a in doc["appointments"] if a["patient"] == "Karl Nilsson")
    assert (karl["date"], karl["status"]) == ("2027-02-02", "Genomförd")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan"], "följande argument krävs: --year"),
        (["plan", "--year", "tjugo"], "inget årtal"),
        (["plan", "--year", "2027", "--time-limit", "-1"], "större än 0"),
        (["export", "--year", "2027"], "följande argument krävs: --out"),
        (["visit", "--patient", "X", "--date", "2027-13-01", "--status", "Låst"],
         "inget datum"),
        (["visit", "--patient", "X", "--date", "2027-01-01", "--status", "Klar"],
         "ogiltigt val"),
        (["flyga"], "ogiltigt val"),
        (["plan", "--year", "2027", "--okänd"], "okända argument"),
    ],
)
def test_bad_arguments_exit_2_in_swedish(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "användning:" in err and "Traceback" not in err


def test_bad_input_exits_2(planned_path, tmp_path, capsys):
    assert main(["--db", planned_path, "visit", "--patient", "Ingen Alls",
                 "--date", "2027-02-02", "--status", "Låst"]) == 2
    assert 'Ingen patient heter "Ingen Alls"' in capsys.readouterr().err
    assert main(["--db", planned_path, "export", "--year", YEAR, "--out",
                 str(tmp_path / "x.json"), "--doctor", "Ingen"]) == 2
    assert "Läkaren" in capsys.readouterr().err
    assert main(["--db", planned_path, "export", "--year", "2030", "--out",
                 str(tmp_path / "x.json")]) == 2
    assert "ingen sparad plan" in capsys.readouterr().err
    assert main(["--db", planned_path, "demo", "--year", YEAR]) == 2
    assert "redan enheter" in capsys.readouterr().err
    # a PDF needs a doctor (round schedule) or a unit with --prep (preparation list)
    assert main(["--db", planned_path, "export", "--year", YEAR, "--out",
                 str(tmp_path / "x.pdf")]) == 2
    assert "PDF" in capsys.readouterr().err


def test_other_failures_exit_1(planned_path, tmp_path, capsys):
    broken = tmp_path / "trasig.sqlite"
    broken.write_bytes(b"inte en databas" * 200)
    assert main(["--db", str(broken), "plan", "--year", YEAR]) == 1
    err = capsys.readouterr().err
    assert "är skadad" in err and "Traceback" not in err


def test_help_is_swedish(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "användning: lakarrond" in out and "kommandon" in out and "flaggor" in out
    assert main(["export", "--help"]) == 0
    assert "--utan-personnummer" in capsys.readouterr().out


def test_no_command_opens_the_app(monkeypatch):
    import types

    calls = []
    fake = types.ModuleType("lakarrond.ui.app")
    fake.main = lambda argv: calls.append("app") or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lakarrond.ui.app", fake)
    assert main([]) == 0 and calls == ["app"]


def test_template_then_import_round_trip(tmp_path, capsys):
    mall = tmp_path / "mall.xlsx"
    assert main(["template", str(mall)]) == 0
    assert mall.is_file()
    assert main(["--db", str(tmp_path / "d.sqlite"), "import", str(tmp_path / "saknas.xlsx")]) == 2
    assert "finns inte" in capsys.readouterr().err
    import openpyxl

    wb = openpyxl.load_workbook(mall)
    wb["Patienter"].append(["Karl Nilsson", "19121212-1213", "Okänd enhet", "", "2024-13-01"])
    wb.save(mall)
    assert main(["--db", str(tmp_path / "d.sqlite"), "import", str(mall)]) == 2
    err = capsys.readouterr().err
    assert "Importen misslyckades, inget sparades" in err
    assert "Blad 'Patienter'" in err and "Traceback" not in err


@pytest.mark.slow
def test_demo_plan_export_end_to_end(tmp_path, capsys):
    db = str(tmp_path / "demo.sqlite")
    assert main(["--db", db, "demo", "--year", YEAR]) == 0
    assert "Exempelkommunen för 2027 är inläst" in capsys.readouterr().out
    assert main(["--db", db, "plan", "--year", YEAR, "--time-limit", "1"]) == 0
    assert "Täckning" in capsys.readouterr().out
    out = tmp_path / "plan.json"
    assert main(["--db", db, "export", "--year", YEAR, "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["appointments"]) > 300


def test_plan_json_has_the_doctor_time_of_every_unit(small_path, capsys):
    assert main(["--db", small_path, "plan", "--year", YEAR, "--json"]) == 0
    doctor_time = json.loads(capsys.readouterr().out)["measures"]["doctor_time"]
    assert sorted(doctor_time) == ["Bäckliden", "Tallen"]
    for figures in doctor_time.values():
        assert list(figures) == ["hours_per_week", "patients", "per_10", "below_floor"]
    assert doctor_time["Tallen"]["patients"] == 2
    assert doctor_time["Tallen"]["below_floor"] is False


def test_plan_prints_a_line_per_unit_below_the_floor(small_path, capsys):
    from dataclasses import replace

    from lakarrond.services.settings import get_settings, save_settings

    db = open_database(small_path)
    save_settings(db, int(YEAR), replace(get_settings(db, int(YEAR)), doctor_hours_per_10=2.5))
    db.dispose()
    assert main(["--db", small_path, "plan", "--year", YEAR]) == 0
    out = capsys.readouterr().out
    # Tallen: 22 rounds of 60 min and 2 ÅMV of 30 min in 52 weeks for 2 patients
    assert "Läkartid under avtalet: Tallen 2,2 h/vecka per 10 patienter (minst 2,5)" in out
    assert "Läkartid under avtalet: Bäckliden" not in out  # 3,0: over the floor


def test_plan_prints_no_doctor_time_line_over_the_floor(small_path, capsys):
    assert main(["--db", small_path, "plan", "--year", YEAR]) == 0
    assert "Läkartid under avtalet" not in capsys.readouterr().out
