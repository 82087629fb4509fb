"""The import and today (issue 22): a death dated after today is refused, naming the cell; a
last ÅMV after today is taken with a warning naming the row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from io_fixtures import filled_workbook

from lakarrond.io.excel_import import read_workbook
from lakarrond.io.import_data import ImportFailed
from lakarrond.services.importer import import_workbook

TODAY = date(2027, 3, 1)


def _patients(status: str, end: str, last: str = "2026-05-04") -> list[dict]:
    return [{"Namn": "Karl Nilsson", "Enhet": "Bäckliden", "Inskriven": "2024-03-01",
             "Senaste ÅMV": "2026-02-10"},
            {"Namn": "Sven Ås", "Enhet": "Bäckliden", "Inskriven": "2020-01-01",
             "Senaste ÅMV": last, "Status": status, "Slutdatum": end}]


def test_a_death_after_today_is_refused_naming_the_cell(tmp_path: Path) -> None:
    path = filled_workbook(tmp_path / "a.xlsx", patients=_patients("Avliden", "2027-03-02"))
    with pytest.raises(ImportFailed) as failed:
        read_workbook(path, today=TODAY)
    (issue,) = failed.value.issues
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "Patienter", 4, "Slutdatum", "2027-03-02")
    assert str(issue) == ("Blad 'Patienter', rad 4, kolumn 'Slutdatum': dödsdatumet ligger "
                          "efter dagens datum (2027-03-01) – status Avliden anges först när "
                          'det har hänt i "2027-03-02"')


def test_a_death_today_and_a_planned_discharge_are_taken(tmp_path: Path) -> None:
    dead = read_workbook(filled_workbook(tmp_path / "b.xlsx",
                                         patients=_patients("Avliden", "2027-03-01")),
                         today=TODAY)
    assert dead.patients[1].end_date == TODAY
    leaving = read_workbook(filled_workbook(tmp_path / "c.xlsx",
                                            patients=_patients("Utskriven", "2027-11-16")),
                            today=TODAY)
    assert leaving.patients[1].end_date == date(2027, 11, 16) and not leaving.warnings


def test_a_last_review_after_today_is_taken_with_a_warning(tmp_path: Path, db,
                                                            monkeypatch) -> None:
    path = filled_workbook(tmp_path / "d.xlsx",
                           patients=_patients("Aktiv", "", last="2027-03-02"))
    data = read_workbook(path, today=TODAY)
    assert data.patients[1].last_review == date(2027, 3, 2)
    (warning,) = data.warnings
    assert (warning.sheet, warning.row, warning.column) == ("Patienter", 4, "Senaste ÅMV")
    monkeypatch.setenv("LAKARROND_TODAY", TODAY.isoformat())
    report = import_workbook(db, path)
    assert report.warnings == [
        "Blad 'Patienter', rad 4, kolumn 'Senaste ÅMV': Senaste ÅMV ligger efter dagens datum "
        "(2027-03-01) – inläst som det står, kontrollera datumet i \"2027-03-02\""]
    assert "Att kontrollera:" in report.summary() and "rad 4" in report.summary()
    fine = read_workbook(filled_workbook(tmp_path / "e.xlsx",
                                         patients=_patients("Aktiv", "", last="2027-03-01")),
                         today=TODAY)
    assert not fine.warnings
