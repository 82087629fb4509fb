"""A patient whose Enhet changes on a re-import has moved: the move is in "Ändringar sedan"
(issue 18 point 5), dated the day of the import; a re-import of the same file moves no one."""

from __future__ import annotations

import copy
from pathlib import Path

from io_fixtures import PATIENTS, filled_workbook

from lakarrond.census import CensusKind
from lakarrond.services.census import load_census
from lakarrond.services.importer import import_workbook
from lakarrond.today import today as todays_date


def test_a_unit_changed_by_the_import_is_a_move_in_the_list(tmp_path: Path, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    import_workbook(sqlite_db, filled_workbook(tmp_path / "a.xlsx"))
    rows = copy.deepcopy(PATIENTS)
    rows[0]["Enhet"] = "Lugnet"  # Karl Nilsson moves from Bäckliden
    import_workbook(sqlite_db, filled_workbook(tmp_path / "b.xlsx", patients=rows))
    moves = [r for r in load_census(sqlite_db, todays_date()).rows
             if r.kind == CensusKind.MOVED]
    assert [(r.patient, r.unit, r.from_unit, r.date) for r in moves] == [
        ("Karl Nilsson", "Lugnet", "Bäckliden", todays_date())]


def test_the_same_file_again_moves_no_one(tmp_path: Path, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    import_workbook(sqlite_db, filled_workbook(tmp_path / "a.xlsx"))
    import_workbook(sqlite_db, filled_workbook(tmp_path / "b.xlsx"))
    assert [r for r in load_census(sqlite_db, todays_date()).rows
            if r.kind == CensusKind.MOVED] == []
