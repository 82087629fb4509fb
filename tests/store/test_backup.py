"""SQLite safety: daily backup, pruning, restore, and a damaged file left untouched."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lakarrond.store import DatabaseDamaged, StoreError, list_backups, open_database
from lakarrond.store import models as m
from lakarrond.store.backup import daily_backup, make_backup, restore_backup


def _db_with_a_doctor(path: Path, name: str = "Anna Berg") -> None:
    db = open_database(str(path))
    with db.begin() as s:
        s.add(m.Doctor(name=name))
    db.dispose()


def _doctors(path: Path) -> list[str]:
    db = open_database(str(path))
    try:
        with db.begin() as s:
            return list(s.scalars(select(m.Doctor.name).order_by(m.Doctor.name)))
    finally:
        db.dispose()


def test_open_makes_one_backup_a_day(tmp_path):
    path = tmp_path / "lakarrond.sqlite"
    _db_with_a_doctor(path)  # a new file: nothing to back up yet
    assert list_backups(path) == []
    open_database(str(path)).dispose()
    backups = list_backups(path)
    assert len(backups) == 1
    assert backups[0].parent == tmp_path / "backups"
    assert backups[0].name.startswith(f"lakarrond-{datetime.now():%Y%m%d}-")
    open_database(str(path)).dispose()
    assert len(list_backups(path)) == 1  # once a day
    assert _doctors(backups[0]) == ["Anna Berg"]


def test_only_the_newest_fourteen_backups_are_kept(tmp_path):
    path = tmp_path / "lakarrond.sqlite"
    _db_with_a_doctor(path)
    start = datetime(2027, 1, 1, 8, 0, 0)
    for day in range(20):
        daily_backup(path, now=start + timedelta(days=day))
    backups = list_backups(path)
    assert len(backups) == 14
    assert backups[0].name == "lakarrond-20270107-080000.sqlite"
    assert backups[-1].name == "lakarrond-20270120-080000.sqlite"


def test_restore_backup_brings_back_the_old_data(tmp_path):
    path = tmp_path / "lakarrond.sqlite"
    _db_with_a_doctor(path, "Anna Berg")
    backup = make_backup(path)
    db = open_database(str(path))
    with db.begin() as s:
        s.add(m.Doctor(name="Erik Ny"))
    db.dispose()
    assert _doctors(path) == ["Anna Berg", "Erik Ny"]
    restore_backup(backup, path)
    assert _doctors(path) == ["Anna Berg"]
    assert list(tmp_path.glob("lakarrond.sqlite.skadad-*"))  # the replaced file is kept


def test_restore_of_a_missing_backup_fails_in_swedish(tmp_path):
    with pytest.raises(StoreError, match="finns inte"):
        restore_backup(tmp_path / "nej.sqlite", tmp_path / "lakarrond.sqlite")


def test_a_damaged_file_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "lakarrond.sqlite"
    db = open_database(str(path))
    with db.begin() as s:
        for i in range(300):
            s.add(m.Doctor(name=f"Läkare {i:03d} " + "x" * 150))
    db.dispose()
    backup = make_backup(path, now=datetime(2027, 1, 1, 12, 0, 0))
    damaged = tmp_path / "damaged" / "lakarrond.sqlite"
    damaged.parent.mkdir()
    (damaged.parent / "backups").mkdir()
    Path(damaged.parent / "backups" / backup.name).write_bytes(backup.read_bytes())
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(data), 6 * page)):
        data[offset] = 0xA5
    damaged.write_bytes(bytes(data))
    before = damaged.read_bytes()

    with pytest.raises(DatabaseDamaged) as info:
        open_database(str(damaged))
    assert "lakarrond-20270101-120000.sqlite" in str(info.value)
    assert "skadad" in str(info.value)
    assert damaged.read_bytes() == before
    assert [p.name for p in list_backups(damaged)] == [backup.name]  # no backup of it


def test_not_a_database_at_all_is_damaged(tmp_path):
    path = tmp_path / "lakarrond.sqlite"
    path.write_bytes(b"detta ar ingen databas" * 100)
    with pytest.raises(DatabaseDamaged, match="ingen säkerhetskopia"):
        open_database(str(path))
    assert path.read_bytes() == b"detta ar ingen databas" * 100


def test_restore_then_open_works(tmp_path):
    path = tmp_path / "lakarrond.sqlite"
    _db_with_a_doctor(path)
    backup = make_backup(path)
    path.write_bytes(b"trasig" * 1000)
    with pytest.raises(DatabaseDamaged):
        open_database(str(path))
    restore_backup(backup, path)
    db = open_database(str(path))
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(m.Doctor)) == 1
    db.dispose()


def test_a_file_that_cannot_be_read_now_is_not_called_damaged(tmp_path, monkeypatch):
    import sqlite3

    from lakarrond.store import backup as backup_module

    path = tmp_path / "lakarrond.sqlite"
    _db_with_a_doctor(path)

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(backup_module.sqlite3, "connect", refuse)
    with pytest.raises(StoreError, match="Kunde inte läsa") as info:
        backup_module.check_integrity(path)
    assert not isinstance(info.value, DatabaseDamaged)


def test_swedish_letters_and_spaces_in_the_path(tmp_path):
    path = tmp_path / "Hälsa och vård" / "läkarrond 2027.sqlite"
    _db_with_a_doctor(path)
    open_database(str(path)).dispose()  # integrity check + backup of an existing file
    assert _doctors(path) == ["Anna Berg"] and len(list_backups(path)) == 1
