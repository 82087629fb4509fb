"""The template's new columns of issue 18 (points 2 and 3), checked on import like the
others: ``Frånvaro``/``Telefon`` (the substitute's phone: digits, spaces, + and -) and
``Patienter``/``Bjud inte in närstående`` (``Ja`` or empty); a bad cell is a Swedish error
naming sheet, row, column and value; good values are stored."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from io_fixtures import ABSENCES, PATIENTS, filled_workbook
from sqlalchemy import select

from lakarrond.io.excel_import import ImportFailed, read_workbook
from lakarrond.services.importer import import_workbook
from lakarrond.store import models as m


def _absence(phone: object) -> list[dict]:  # type: ignore[type-arg]
    rows = copy.deepcopy(ABSENCES)
    rows[0]["Telefon"] = phone
    return rows


def _patients(greta: object) -> list[dict]:  # type: ignore[type-arg]
    rows = copy.deepcopy(PATIENTS)
    next(r for r in rows if r["Namn"] == "Greta Ek")["Bjud inte in närstående"] = greta
    return rows


@pytest.mark.parametrize("phone", ["070-123 45 67", "+46 70 123 45 67", "0501-123456"])
def test_a_phone_is_imported_and_stored(tmp_path: Path, db, phone: str) -> None:  # type: ignore[no-untyped-def]
    path = filled_workbook(tmp_path / "a.xlsx", absences=_absence(phone))
    assert [a.phone for a in read_workbook(path).absences] == [phone]
    import_workbook(db, path)
    with db.read() as s:
        assert s.scalars(select(m.Absence.phone)).one() == phone


@pytest.mark.parametrize(("phone", "reason"), [
    ("070-ring växeln", "får bara innehålla siffror, mellanslag, + och -"),
    ("(070) 123", "får bara innehålla siffror"),
    (701234567, "skriv det som text"),  # a number cell: Excel has dropped the 0
])
def test_a_bad_phone_names_sheet_row_column_and_value(tmp_path: Path, phone: object,
                                                      reason: str) -> None:
    path = filled_workbook(tmp_path / "b.xlsx", absences=_absence(phone))
    with pytest.raises(ImportFailed) as failed:
        read_workbook(path)
    (issue,) = failed.value.issues
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "Frånvaro", 3, "Telefon", str(phone))
    assert str(issue).startswith("Blad 'Frånvaro', rad 3, kolumn 'Telefon': ")
    assert reason in str(issue)


@pytest.mark.parametrize("value", ["Ja", "ja", " JA "])
def test_do_not_invite_relatives_reads_ja_and_empty(tmp_path: Path, db, value: str) -> None:  # type: ignore[no-untyped-def]
    path = filled_workbook(tmp_path / "a.xlsx", patients=_patients(value))
    by_name = {p.name: p.no_relatives for p in read_workbook(path).patients}
    assert by_name["Greta Ek"] is True
    assert not any(v for name, v in by_name.items() if name != "Greta Ek")  # empty: invite
    import_workbook(db, path)
    with db.read() as s:
        stored = {name: no for name, no in s.execute(
            select(m.Patient.name, m.Patient.no_relatives))}
    assert stored["Greta Ek"] is True and stored["Karl Nilsson"] is False


@pytest.mark.parametrize("value", ["Nej", "x", 1])
def test_do_not_invite_relatives_refuses_anything_else(tmp_path: Path, value: object) -> None:
    path = filled_workbook(tmp_path / "b.xlsx", patients=_patients(value))
    with pytest.raises(ImportFailed) as failed:
        read_workbook(path)
    (issue,) = failed.value.issues
    assert (issue.sheet, issue.column, issue.value) == (
        "Patienter", "Bjud inte in närstående", str(value))
    assert "tillåtet: Ja, eller tomt för nej" in str(issue)
