"""Import into the store: counts, idempotence, all or nothing, matching, audit."""

from __future__ import annotations

import copy
import threading
from datetime import date, time
from pathlib import Path

import pytest
from io_fixtures import PATIENTS, UNITS, filled_workbook
from sqlalchemy import func, select

from lakarrond.io.excel_import import ImportFailed
from lakarrond.services.importer import import_workbook
from lakarrond.store import models as m


def _counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (m.HealthCentre, m.Doctor, m.Absence, m.Unit, m.Patient, m.Setting,
                          m.AuditLog)
        }


def test_import_counts_and_values(db, filled: Path) -> None:  # type: ignore[no-untyped-def]
    report = import_workbook(db, filled)
    c = report.counts
    assert (c["Vårdcentraler"].added, c["Läkare"].added, c["Frånvaro"].added) == (2, 2, 1)
    assert (c["Enheter"].added, c["Patienter"].added, c["Inställningar"].added) == (4, 4, 6)
    assert report.changed == 0
    assert "Patienter: 4 nya, 0 ändrade, 0 oförändrade" in report.summary()
    with db.begin() as session:
        unit = session.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        assert (unit.type, unit.rhythm_kind, unit.parity, unit.weekdays) == (
            "SÄBO", "Varannan vecka", "udda", "1")
        assert (unit.start_time, unit.reviews_in_round, unit.reviews_per_round) == (
            time(9, 0), True, 2)
        assert unit.doctor.name == "Anna Berg"
        assert unit.doctor.health_centre.name == "VC Centrum"
        assert unit.doctor.review_weekdays == "2"
        karl = session.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
        assert (karl.personnummer, karl.birth_date, karl.last_review) == (
            "19121212-1212", date(1912, 12, 12), date(2026, 2, 10))
        settings = {s.key: s.value for s in session.scalars(select(m.Setting))}
        assert settings["summer_weeks"] == "28,29,30,31,32"
        assert settings["preparation_days"] == "10"
        assert settings["doctor_hours_per_10"] == "1.0"  # the template's default (issue 18)
        assert {s.year for s in session.scalars(select(m.Setting))} == {2027}
        created = session.scalars(select(m.AuditLog).where(m.AuditLog.entity == "patient")).all()
        assert len(created) == 4 and all(a.action == "create" for a in created)
        assert all(a.patient_id for a in created)
        assert "19121212-1212" not in str([a.after for a in created])  # masked in the log


def test_second_import_changes_nothing(db, filled: Path) -> None:  # type: ignore[no-untyped-def]
    import_workbook(db, filled)
    before = _counts(db)
    report = import_workbook(db, filled)
    assert report.added == report.changed == 0
    assert report.counts["Patienter"].unchanged == 4
    assert "Inget ändrades" in report.summary()
    assert _counts(db) == before


def test_changes_update_in_place(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_workbook(db, filled_workbook(tmp_path / "a.xlsx"))
    patients = copy.deepcopy(PATIENTS)
    patients[0]["Enhet"] = "Lugnet"            # moved, matched by personnummer
    patients[0]["Namn"] = "Karl Nilsson-Berg"
    patients[2]["Rum"] = "5"                   # no personnummer: matched by name and unit
    patients.append({"Namn": "Ny Person", "Enhet": "Lugnet", "Inskriven": "2027-01-10"})
    units = copy.deepcopy(UNITS)
    units[0]["ÅMV per rond"] = 3
    units[1]["Enhet"] = "LUGNET"               # same unit, other case
    patients[1]["Enhet"] = "LUGNET"
    patients[0]["Enhet"] = "LUGNET"
    patients[-1]["Enhet"] = "LUGNET"
    report = import_workbook(db, filled_workbook(tmp_path / "b.xlsx", patients=patients,
                                                        units=units))
    c = report.counts
    assert (c["Patienter"].added, c["Patienter"].changed, c["Patienter"].unchanged) == (1, 2, 2)
    assert (c["Enheter"].added, c["Enheter"].changed, c["Enheter"].unchanged) == (0, 2, 2)
    with db.begin() as session:
        assert session.scalar(select(func.count()).select_from(m.Patient)) == 5
        karl = session.scalars(
            select(m.Patient).where(m.Patient.personnummer == "19121212-1212")).one()
        assert (karl.name, karl.unit.name) == ("Karl Nilsson-Berg", "LUGNET")
        sven = session.scalars(select(m.Patient).where(m.Patient.name == "Sven Ås")).one()
        assert sven.room == "5"
        update = session.scalars(select(m.AuditLog).where(
            m.AuditLog.action == "update", m.AuditLog.patient_id == sven.id)).one()
        assert update.before == {"room": ""} and update.after == {"room": "5"}


def test_bad_workbook_leaves_database_unchanged(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_workbook(db, filled_workbook(tmp_path / "a.xlsx"))
    before = _counts(db)
    patients = copy.deepcopy(PATIENTS)
    patients[0]["Rum"] = "99"
    patients.append({"Namn": "Fel", "Enhet": "Finns inte", "Inskriven": "2027-01-01"})
    with pytest.raises(ImportFailed) as failed:
        import_workbook(db, filled_workbook(tmp_path / "b.xlsx", patients=patients))
    assert len(failed.value.issues) == 1
    assert _counts(db) == before
    with db.begin() as session:
        karl = session.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
        assert karl.room == "12"


def test_database_error_rolls_back_everything(db, filled: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lakarrond.services import importer

    def broken(self, given):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer._Import, "settings", broken)
    before = _counts(db)
    with pytest.raises(RuntimeError):
        import_workbook(db, filled)
    assert _counts(db) == before


def test_concurrent_imports_both_succeed_and_add_once(db_target: str, filled: Path) -> None:
    # two users import the same workbook at once (threads, own connections): the second
    # waits for the first (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock)
    from lakarrond.store import open_database

    databases = [open_database(db_target) for _ in range(2)]
    failures: list[BaseException] = []

    def run(database) -> None:  # type: ignore[no-untyped-def]
        try:
            import_workbook(database, filled)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(d,)) for d in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    try:
        assert failures == []
        assert _counts(databases[0])["Patient"] == len(PATIENTS)
        assert _counts(databases[0])["HealthCentre"] == 2
    finally:
        for database in databases:
            database.dispose()


def test_too_long_text_is_located_and_nothing_is_written(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    long_name = "x" * 32767
    path = filled_workbook(tmp_path / "lång.xlsx", patients=[
        {**PATIENTS[0], "Namn": long_name}, {**PATIENTS[1], "Rum": "r" * 201}])
    with pytest.raises(ImportFailed) as caught:
        import_workbook(db, path)
    assert caught.value.errors == [
        "Blad 'Patienter', rad 3, kolumn 'Namn': för lång text (32767 tecken, högst 200)",
        "Blad 'Patienter', rad 4, kolumn 'Rum': för lång text (201 tecken, högst 200)",
    ]
    assert sum(_counts(db).values()) == 0
