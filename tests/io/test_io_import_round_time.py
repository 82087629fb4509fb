"""The template's round time (issue 21.1): "Minuter per ÅMV" and "Övrig tid (min)" on
Enheter, read, checked like every other cell and stored; units whose rounds do not hold
their ÅMV, and rounds of one doctor that overlap, are reported as warnings naming the units,
the weekday and the times, and the import still goes through."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from io_fixtures import UNITS, filled_workbook
from sqlalchemy import select

from lakarrond.io.excel_import import ImportFailed, read_workbook
from lakarrond.services.importer import import_workbook
from lakarrond.store import models as m


def _units(**changes: dict) -> list[dict]:  # type: ignore[type-arg]
    units = copy.deepcopy(UNITS)
    for row in units:
        row.update(changes.get(row["Enhet"], {}))
    return units


def test_minutes_default_to_30_and_other_time_to_0(filled: Path) -> None:
    data = read_workbook(filled)
    assert {(u.review_minutes, u.other_minutes) for u in data.units} == {(30, 0)}
    assert data.warnings == ()  # the filled template's rounds fit and do not overlap


def test_minutes_and_other_time_are_read_and_stored(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    path = filled_workbook(tmp_path / "a.xlsx", units=_units(
        Bäckliden={"Minuter per ÅMV": 20, "Övrig tid (min)": 45}))
    backliden = read_workbook(path).units[0]
    assert (backliden.review_minutes, backliden.other_minutes) == (20, 45)
    import_workbook(db, path)
    with db.read() as s:
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        assert (unit.review_minutes, unit.other_minutes) == (20, 45)


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("Minuter per ÅMV", "trettio", "inte ett heltal"),
    ("Minuter per ÅMV", 300, "måste vara högst 240"),
    ("Minuter per ÅMV", 0, "måste vara minst 5"),
    ("Övrig tid (min)", -5, "måste vara minst 0"),
])
def test_a_bad_value_names_sheet_row_column_and_value(tmp_path: Path, column: str,
                                                      value: object, reason: str) -> None:
    path = filled_workbook(tmp_path / "b.xlsx", units=_units(Bäckliden={column: value}))
    with pytest.raises(ImportFailed) as failed:
        read_workbook(path)
    assert [str(i) for i in failed.value.issues] == [
        f"Blad 'Enheter', rad 3, kolumn '{column}': {reason} i \"{value}\""]


def test_a_round_that_does_not_hold_its_reviews_is_a_warning(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    path = filled_workbook(tmp_path / "c.xlsx", units=_units(
        Bäckliden={"Längd (min)": 60, "ÅMV per rond": 5}))
    [warning] = read_workbook(path).warnings
    assert (warning.sheet, warning.row) == ("Enheter", 3)
    assert "Bäckliden: 5 ÅMV × 30 min + övrig tid 0 min = 150 min ryms inte i ronden på " \
        "60 min (09:00–10:00)" in warning.reason
    report = import_workbook(db, path)  # the import still goes through
    assert report.counts["Enheter"].added == 4
    assert any("Bäckliden" in w and "150 min" in w for w in report.warnings)


def test_overlapping_rounds_of_one_doctor_are_a_warning_naming_both(tmp_path: Path) -> None:
    # Lugnet (Anna Berg's phone round) moves to Tuesday 10:00, onto Bäckliden's 09:00–11:00
    path = filled_workbook(tmp_path / "d.xlsx", units=_units(
        Lugnet={"Veckodagar": "tisdag", "Starttid": "10:00", "Längd (min)": 60}))
    [warning] = read_workbook(path).warnings
    assert "Anna Berg har två ronder samtidigt på tisdagar udda veckor" in warning.reason
    assert "Bäckliden 09:00–11:00" in warning.reason and "Lugnet 10:00–11:00" in warning.reason


def test_rounds_of_one_doctor_one_after_the_other_give_no_warning(tmp_path: Path) -> None:
    path = filled_workbook(tmp_path / "e.xlsx", units=_units(
        Lugnet={"Veckodagar": "tisdag", "Starttid": "11:00", "Längd (min)": 60}))
    assert read_workbook(path).warnings == ()


def test_a_round_that_would_pass_midnight_is_an_error(tmp_path: Path) -> None:
    """A round ends by 24:00, so the ÅMV in it never pass midnight (R5b)."""
    path = filled_workbook(tmp_path / "f.xlsx", units=_units(
        Bäckliden={"Starttid": "23:00", "Längd (min)": 90}))
    with pytest.raises(ImportFailed) as failed:
        read_workbook(path)
    assert [str(i) for i in failed.value.issues] == [
        "Blad 'Enheter', rad 3, kolumn 'Längd (min)': ronden måste sluta senast 24:00 "
        "(börjar 23:00) i \"90\""]
    ends_at_midnight = filled_workbook(tmp_path / "g.xlsx", units=_units(
        Bäckliden={"Starttid": "23:00", "Längd (min)": 60, "ÅMV per rond": 2}))
    assert read_workbook(ends_at_midnight).units[0].length_min == 60
