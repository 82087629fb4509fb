"""The import and the matters the program raises (issue 21.3): a patient whose Enhet changes
on a re-import has moved today (the move-in assessment at the new unit's first round with
time); the column "Palliativ från" is read, checked like every other cell, stored, and a
date set books a Brytpunktsamtal."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
from io_fixtures import PATIENTS, filled_workbook
from sqlalchemy import select

from lakarrond.io.excel_import import ImportFailed, read_workbook
from lakarrond.services.importer import import_workbook
from lakarrond.services.matters import list_matters
from lakarrond.store import models as m

TODAY = "2027-01-10"  # a Sunday; Lugnet's rounds are on Thursdays


def _patients(**changes: dict) -> list[dict]:  # type: ignore[type-arg]
    rows = copy.deepcopy(PATIENTS)
    for row in rows:
        row.update(changes.get(row["Namn"], {}))
    return rows


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAKARROND_TODAY", TODAY)


def test_a_changed_unit_on_re_import_raises_the_move_in_assessment(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    first = import_workbook(db, filled_workbook(tmp_path / "a.xlsx"))
    assert first.raised == [] and list_matters(db) == []
    moved = filled_workbook(tmp_path / "b.xlsx",
                            patients=_patients(**{"Karl Nilsson": {"Enhet": "Lugnet"}}))
    report = import_workbook(db, moved)
    [matter] = list_matters(db)
    assert (matter.kind, matter.patient, matter.unit, matter.date) == (
        "Inflyttningsbedömning", "Karl Nilsson", "Lugnet", date(2027, 1, 14))
    assert report.raised == ["Inflyttningsbedömning för Karl Nilsson bokat torsdag "
                             "2027-01-14 på Lugnet."]
    assert "Ärenden från programmet" in report.summary()


def test_a_re_import_with_the_same_unit_raises_nothing(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    import_workbook(db, filled_workbook(tmp_path / "a.xlsx"))
    report = import_workbook(db, filled_workbook(tmp_path / "b.xlsx"))
    assert report.raised == [] and list_matters(db) == []


def test_palliative_from_is_stored_and_books_the_breakpoint_talk(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    path = filled_workbook(tmp_path / "a.xlsx", patients=_patients(
        **{"Greta Ek": {"Palliativ från": "2027-01-12"}}))
    assert [p.palliative_from for p in read_workbook(path).patients] == [
        None, date(2027, 1, 12), None, None]
    report = import_workbook(db, path)
    with db.read() as s:
        greta = s.scalars(select(m.Patient).where(m.Patient.name == "Greta Ek")).one()
        assert greta.palliative_from == date(2027, 1, 12)
    [talk] = list_matters(db)
    assert (talk.kind, talk.patient, talk.unit, talk.date) == (
        "Brytpunktsamtal", "Greta Ek", "Lugnet", date(2027, 1, 14))
    assert report.raised[0].startswith("Brytpunktsamtal för Greta Ek bokat")
    again = import_workbook(db, path)  # the same date again: nothing new
    assert again.raised == [] and len(list_matters(db)) == 1


@pytest.mark.parametrize("value", ["snart", "2027-13-01"])
def test_a_bad_palliative_date_names_sheet_row_and_column(tmp_path: Path, value: str) -> None:
    path = filled_workbook(tmp_path / "b.xlsx", patients=_patients(
        **{"Greta Ek": {"Palliativ från": value}}))
    with pytest.raises(ImportFailed) as failed:
        read_workbook(path)
    (issue,) = failed.value.issues
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "Patienter", 4, "Palliativ från", value)
    assert str(issue).startswith("Blad 'Patienter', rad 4, kolumn 'Palliativ från': ")
