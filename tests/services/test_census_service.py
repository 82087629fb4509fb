"""Ändringar sedan read from the store (issue 18 point 5): admissions, discharges and deaths
from the patients, moves from the audit log (the form's save, an undo, an import), and the
list exported as Excel, PDF and JSON, audited as an export."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from lakarrond.census import CensusKind
from lakarrond.errors import BadInput
from lakarrond.services import census as census_service
from lakarrond.services.patients import PatientData, create_patient, list_patients, update_patient
from lakarrond.store import models as m
from lakarrond.today import today as todays_date
from tests.stores import fill_small_store

TODAY = todays_date()  # the audit log dates a move by the real clock
SINCE = TODAY - timedelta(days=7)
YEAR = TODAY.year - 1  # every patient of the small store was admitted long before SINCE


@pytest.fixture
def store(sqlite_db):  # type: ignore[no-untyped-def]
    fill_small_store(sqlite_db, YEAR)
    return sqlite_db


def _row(db, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in list_patients(db) if r.name == name)


def _units(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return {u.name: u.id for u in s.scalars(select(m.Unit))}


def _script(db) -> None:  # type: ignore[no-untyped-def]
    """An admission, a move, a move undone, a death, a discharge, and a move audited
    before the date."""
    units = _units(db)
    create_patient(db, PatientData(name="Nina Ny", unit_id=units["Bäckliden"],
                                   admitted=SINCE + timedelta(days=1)))
    greta = _row(db, "Greta Ek")
    update_patient(db, greta.id, replace(greta.data, unit_id=units["Tallen"]))
    olof = _row(db, "Olof Lund")
    moved = update_patient(db, olof.id, replace(olof.data, unit_id=units["Tallen"]))
    update_patient(db, olof.id, olof.data, moved.version, undo=True)
    leif = _row(db, "Leif Sand")
    update_patient(db, leif.id, replace(leif.data, status="Avliden", end_date=TODAY),
                   today=TODAY)
    bo = _row(db, "Bo Ström")
    update_patient(db, bo.id, replace(bo.data, status="Utskriven",
                                      end_date=SINCE + timedelta(days=2)))
    vera = _row(db, "Vera Dal")
    with db.begin() as s:  # a move recorded before the date
        s.add(m.AuditLog(at=datetime.combine(SINCE - timedelta(days=3), datetime.min.time(),
                                             tzinfo=UTC) + timedelta(hours=12),
                         user="test", action="update", entity="patient",
                         entity_id=str(vera.id), patient_id=vera.id,
                         before={"unit_id": units["Bäckliden"]},
                         after={"unit_id": units["Tallen"]}))


def test_the_scripted_changes_give_exactly_the_expected_rows(store) -> None:  # type: ignore[no-untyped-def]
    _script(store)
    found = census_service.load_census(store, SINCE)
    assert [(r.kind, r.date, r.patient, r.unit, r.from_unit, r.doctor, r.health_centre)
            for r in found.rows] == sorted([
        (CensusKind.ADMITTED, SINCE + timedelta(days=1), "Nina Ny", "Bäckliden", "",
         "Anna Berg", "Vårdcentralen Test"),
        (CensusKind.MOVED, TODAY, "Greta Ek", "Tallen", "Bäckliden", "Anna Berg",
         "Vårdcentralen Test"),
        (CensusKind.DECEASED, TODAY, "Leif Sand", "Tallen", "", "Anna Berg",
         "Vårdcentralen Test"),
        (CensusKind.DISCHARGED, SINCE + timedelta(days=2), "Bo Ström", "Bäckliden", "",
         "Anna Berg", "Vårdcentralen Test"),
    ], key=lambda t: (t[1], list(CensusKind).index(t[0])))


def test_without_the_undo_the_move_is_in_the_list(store) -> None:  # type: ignore[no-untyped-def]
    units = _units(store)
    olof = _row(store, "Olof Lund")
    moved = update_patient(store, olof.id, replace(olof.data, unit_id=units["Tallen"]))
    kept = census_service.load_census(store, SINCE)
    update_patient(store, olof.id, olof.data, moved.version)  # moved back by hand: no undo
    back = census_service.load_census(store, SINCE)
    assert [(r.kind, r.patient) for r in kept.rows] == [(CensusKind.MOVED, "Olof Lund")]
    assert [(r.unit, r.from_unit) for r in back.rows] == [
        ("Tallen", "Bäckliden"), ("Bäckliden", "Tallen")]


def test_an_undo_is_audited_as_one_and_an_edit_as_an_update(store) -> None:  # type: ignore[no-untyped-def]
    olof = _row(store, "Olof Lund")
    saved = update_patient(store, olof.id, replace(olof.data, room="Rum 9"))
    update_patient(store, olof.id, olof.data, saved.version, undo=True)
    with store.read() as s:
        actions = list(s.scalars(select(m.AuditLog.action).where(
            m.AuditLog.entity == "patient").order_by(m.AuditLog.id)))
    assert actions[-2:] == ["update", "undo"]


@pytest.mark.parametrize("numbers", [True, False])
def test_the_excel_file_opens_and_has_the_rows(store, tmp_path: Path, numbers: bool) -> None:  # type: ignore[no-untyped-def]
    _script(store)
    out = census_service.export_census(store, SINCE, tmp_path / "andringar.xlsx", numbers)
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Ändringar" and len(rows) == 1 + 4
    assert ("Personnummer" in rows[0]) is numbers
    assert {r[3] for r in rows[1:]} == {"Inskriven", "Flyttad", "Avliden", "Utskriven"}
    assert "Tallen (från Bäckliden)" in {r[-1] for r in rows[1:]}
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"


def test_the_personnummer_is_in_the_files_only_when_asked_for(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    karl = _row(store, "Karl Nilsson")
    update_patient(store, karl.id, replace(karl.data, status="Utskriven", end_date=TODAY))
    census_service.export_census(store, SINCE, tmp_path / "med.json", True)
    census_service.export_census(store, SINCE, tmp_path / "utan.json", False)
    with_numbers = json.loads((tmp_path / "med.json").read_text(encoding="utf-8"))
    without = json.loads((tmp_path / "utan.json").read_text(encoding="utf-8"))
    assert with_numbers[0]["personnummer"] == "19380412-1238"
    assert without[0]["personnummer"] is None
    assert set(without[0]) == {"kind", "date", "patient", "personnummer", "unit", "doctor",
                               "health_centre"}


def test_the_pdf_is_written_with_the_rows(qapp, store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _script(store)
    out = census_service.export_census(store, SINCE, tmp_path / "andringar.pdf", False)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert f"Ändringar sedan {SINCE.isoformat()}" in text
    for name in ("Nina Ny", "Greta Ek", "Leif Sand", "Bo Ström"):
        assert name in text
    assert "Olof Lund" not in text and "Personnummer" not in text


def test_an_export_is_audited_and_remembered_as_the_next_date(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _script(store)
    assert census_service.last_export(store) is None
    assert census_service.default_since(store, TODAY) == TODAY - timedelta(days=14)
    census_service.export_census(store, SINCE, tmp_path / "a.xlsx", True)
    with store.read() as s:
        row = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "census")).one()
    assert row.action == "export"
    assert row.after == {"format": "xlsx", "path": str((tmp_path / "a.xlsx").resolve()),
                         "since": SINCE.isoformat(), "count": 4, "personnummer": True}
    assert census_service.last_export(store) == census_service.local_day(row.at)
    assert census_service.default_since(store, TODAY) == census_service.local_day(row.at)


def test_an_unknown_format_is_refused_and_not_audited(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadInput, match="Okänt filformat"):
        census_service.export_census(store, SINCE, tmp_path / "a.csv")
    assert census_service.last_export(store) is None


def test_a_patient_who_keeps_a_doctor_is_listed_under_that_doctor(store) -> None:  # type: ignore[no-untyped-def]
    _script(store)
    with store.begin() as s:
        centre = m.HealthCentre(name="VC Söder")
        kept = m.Doctor(name="Bo Läkare", health_centre=centre)
        s.add(kept)
        s.flush()
        kept_id = kept.id
    rows = {r.patient: r for r in census_service.load_census(store, SINCE).rows}
    assert rows["Greta Ek"].doctor == "Anna Berg"  # the unit's doctor
    greta = _row(store, "Greta Ek")
    update_patient(store, greta.id, replace(greta.data, doctor_id=kept_id), greta.version)
    rows = {r.patient: r for r in census_service.load_census(store, SINCE).rows}
    assert (rows["Greta Ek"].doctor, rows["Greta Ek"].health_centre) == ("Bo Läkare",
                                                                         "VC Söder")
    assert rows["Nina Ny"].doctor == "Anna Berg"  # the others keep the unit's


def test_a_date_after_every_change_gives_an_empty_list(store) -> None:  # type: ignore[no-untyped-def]
    _script(store)
    assert census_service.load_census(store, TODAY + timedelta(days=1)).rows == ()
    assert len(census_service.load_census(store, TODAY).rows) == 2  # the move, the death
