"""Template columns `Läkare` and `Sjuksköterska` on `Patienter` (issue 18 point 1): the
patient's named doctor and nurse, empty = the unit's; a doctor not on the sheet `Läkare` is
an error naming sheet, row, column and value, and nothing is written."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from io_fixtures import PATIENTS, filled_workbook
from sqlalchemy import func, select

from lakarrond.io.excel_import import ImportFailed, read_workbook
from lakarrond.io.schema import PATIENTS as SHEET
from lakarrond.services.importer import import_workbook
from lakarrond.services.patients import list_patients
from lakarrond.store import models as m


def _patients(**karl: str) -> list[dict]:
    rows = copy.deepcopy(PATIENTS)
    rows[0].update(karl)  # Karl Nilsson in Bäckliden (Anna Berg's unit)
    return rows


def test_the_template_has_the_columns() -> None:
    headers = [c.header for c in SHEET.columns]
    assert headers[-3:-1] == ["Läkare", "Sjuksköterska"]
    assert not any(c.required for c in SHEET.columns if c.header in headers[-3:-1])


def test_a_known_doctor_and_a_nurse_are_read_and_stored(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = filled_workbook(tmp_path / "a.xlsx",
                           patients=_patients(**{"Läkare": "olle ek", "Sjuksköterska": "Lisa"}))
    karl, greta, *_ = read_workbook(path).patients
    assert (karl.doctor, karl.nurse) == ("Olle Ek", "Lisa")  # the sheet's spelling
    assert (greta.doctor, greta.nurse) == ("", "")
    import_workbook(db, path)
    rows = {r.name: r for r in list_patients(db)}
    assert (rows["Karl Nilsson"].doctor, rows["Karl Nilsson"].nurse) == ("Olle Ek", "Lisa")
    assert (rows["Greta Ek"].doctor, rows["Greta Ek"].nurse) == ("Anna Berg", "")


def test_the_units_own_doctor_is_stored_as_the_units(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_workbook(db, filled_workbook(tmp_path / "a.xlsx",
                                        patients=_patients(**{"Läkare": "Anna Berg"})))
    with db.read() as s:
        karl = s.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
        assert karl.doctor_id is None


def test_an_unknown_doctor_is_refused_and_nothing_is_written(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = filled_workbook(tmp_path / "b.xlsx", patients=_patients(**{"Läkare": "Per Okänd"}))
    with pytest.raises(ImportFailed) as failed:
        import_workbook(db, path)
    (issue,) = failed.value.issues
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "Patienter", 3, "Läkare", "Per Okänd")
    assert "okänd läkare" in str(issue)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Patient)) == 0
