"""Faults and hostile input at the store: odd paths, private files, a newer schema, a full
disk, a locked database, a read-only folder — always a Swedish message, never library text."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from lakarrond.store import StoreError, list_backups, make_backup, open_database
from lakarrond.store import database as database_module
from lakarrond.store import models as m
from lakarrond.store.database import is_url
from lakarrond.store.errors import WAITING, NewerDatabase, store_error_from

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
ENGLISH = ("sqlite", "SQLAlchemy", "alembic", "Can't", "locked", "Traceback", "Errno")


def _add_doctor(target: str | Path, name: str = "Anna Berg") -> None:
    db = open_database(target)
    try:
        with db.begin() as s:
            s.add(m.Doctor(name=name))
    finally:
        db.dispose()


def _doctors(target: str | Path) -> list[str]:
    db = open_database(target)
    try:
        with db.begin() as s:
            return list(s.scalars(select(m.Doctor.name).order_by(m.Doctor.name)))
    finally:
        db.dispose()


@pytest.mark.parametrize("name", ["q/a?b.sqlite", "x#y%20z.sqlite", "100%.sqlite",
                                  "med mellanslag/Läkarrond åäö.sqlite", "a?mode=ro.sqlite"])
def test_a_db_path_is_a_path_never_a_url(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _add_doctor(str(path))
    assert path.is_file()
    assert sorted(p.name for p in path.parent.iterdir() if p.is_file()) == [path.name]
    assert _doctors(str(path)) == ["Anna Berg"]
    open_database(str(path)).dispose()  # the integrity check and backup of an existing file
    assert len(list_backups(path)) == 1


def test_only_known_schemes_make_a_url() -> None:
    assert is_url("postgresql+psycopg://u@h/db") and is_url("postgresql://u@h/db")
    assert is_url("sqlite:///x.sqlite") and is_url("SQLITE:///x.sqlite")
    for path in ("q/a?b.sqlite", "C:\\Users\\a\\x.sqlite", "\\\\server\\share\\x.sqlite",
                 "//server/share/x.sqlite", "foo://bar", "a:b", "/tmp/x#y.sqlite"):
        assert not is_url(path), path


def test_a_sqlite_url_is_that_file_with_backups(tmp_path: Path) -> None:
    path = tmp_path / "via url.sqlite"
    _add_doctor(f"sqlite:///{path}")
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    assert db.path == path and len(list_backups(path)) == 1


@POSIX_ONLY
def test_database_journals_backups_and_data_folder_are_private(tmp_path: Path,
                                                               monkeypatch) -> None:
    old = os.umask(0o022)
    try:
        data = tmp_path / "data" / "Lakarrond"
        monkeypatch.setattr(database_module, "default_path",
                            lambda: data / database_module.DEFAULT_FILE)
        monkeypatch.delenv(database_module.ENV_VAR, raising=False)
        db = open_database(None)
        with db.begin() as s:
            s.add(m.Doctor(name="Anna Berg"))
        path = db.path
        modes = {p.name: p.stat().st_mode & 0o777 for p in data.iterdir()}
        backup = make_backup(path)
        db.dispose()
    finally:
        os.umask(old)
    assert modes == {"lakarrond.sqlite": 0o600, "lakarrond.sqlite-wal": 0o600,
                     "lakarrond.sqlite-shm": 0o600}
    assert data.stat().st_mode & 0o777 == 0o700
    assert backup.stat().st_mode & 0o777 == 0o600
    assert backup.parent.stat().st_mode & 0o777 == 0o700


@POSIX_ONLY
def test_an_old_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "gammal.sqlite"
    _add_doctor(path)
    for file in (path, Path(f"{path}-wal")):
        if file.exists():
            file.chmod(0o644)
    open_database(path).dispose()
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_database_from_a_newer_program_is_refused_in_swedish(tmp_path: Path) -> None:
    path = tmp_path / "ny.sqlite"
    _add_doctor(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_framtiden'")
    con.commit()
    con.close()
    with pytest.raises(NewerDatabase, match="nyare version av Läkarrond") as caught:
        open_database(path)
    assert not any(word in caught.value.message for word in ("Can't", "alembic", "locate"))
    con = sqlite3.connect(path)  # untouched
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (
        "9999_framtiden",)
    con.close()


def test_a_full_disk_while_saving_is_a_swedish_error(tmp_path: Path) -> None:
    db = open_database(tmp_path / "full.sqlite")
    db.engine.dispose()  # new connections get the limit below

    @event.listens_for(db.engine, "connect")
    def tiny(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # SQLite's own "database or disk is full" (SQLITE_FULL), provoked for real
        dbapi_connection.execute("PRAGMA max_page_count=40")

    try:
        with pytest.raises(StoreError, match="Disken är full") as caught, db.begin() as s:
            s.add_all(m.Doctor(name=f"Läkare {i:05d} " + "x" * 150) for i in range(2000))
        assert "disk is full" not in caught.value.message
    finally:
        db.dispose()


def test_a_second_writer_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "delad.sqlite"
    _add_doctor(path)
    db = open_database(path)
    heard = threading.Event()
    db.on_wait[:] = [lambda message: heard.set() if message == WAITING else None]
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is saving
    other.execute("INSERT INTO doctor (name, review_weekdays, reviews_per_day) "
                  "VALUES ('Olle Ek', '', 2)")
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with db.begin() as s:
                s.add(m.Doctor(name="Per Holm"))
        except BaseException as exc:  # reported below
            failures.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert heard.wait(timeout=50), "the waiting writer said nothing"
    finally:
        other.execute("COMMIT")
        other.close()
        writer.join(timeout=60)
    db.dispose()
    assert failures == []
    assert _doctors(path) == ["Anna Berg", "Olle Ek", "Per Holm"]


def test_a_writer_that_waits_too_long_gets_a_swedish_message(tmp_path: Path,
                                                             monkeypatch) -> None:
    path = tmp_path / "upptagen.sqlite"
    _add_doctor(path)
    db = open_database(path)
    db.on_wait[:] = []
    monkeypatch.setattr(database_module, "QUICK_WAIT_MS", 50)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="upptagen") as caught, db.begin() as s:
            s.add(m.Doctor(name="Per Holm"))
        assert "locked" not in caught.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
        db.dispose()


def test_a_reader_does_not_wait_for_a_writer(tmp_path: Path, monkeypatch) -> None:
    """The window's lists read with ``db.read()``: while another program holds the write
    lock (an import), they read the last committed data at once instead of waiting."""
    path = tmp_path / "läses.sqlite"
    _add_doctor(path)
    db = open_database(path)
    heard: list[str] = []
    db.on_wait[:] = [heard.append]
    monkeypatch.setattr(database_module, "QUICK_WAIT_MS", 50)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO doctor (name, review_weekdays, reviews_per_day) "
                  "VALUES ('Olle Ek', '', 2)")
    try:
        with db.read() as s:  # would raise "upptagen" after 200 ms with db.begin()
            names = list(s.scalars(select(m.Doctor.name).order_by(m.Doctor.name)))
        assert names == ["Anna Berg"] and heard == []  # the committed state, no waiting
        with pytest.raises(StoreError, match="upptagen"), db.begin() as s:
            s.scalars(select(m.Doctor)).all()
    finally:
        other.execute("COMMIT")
        other.close()
    with pytest.raises(RuntimeError, match=r"db\.begin"), db.read() as s:
        s.add(m.Doctor(name="Per Holm"))
    db.dispose()
    assert _doctors(path) == ["Anna Berg", "Olle Ek"]  # the write in read() was not kept


def test_a_folder_or_a_file_in_the_way_is_a_swedish_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="är en mapp"):
        open_database(tmp_path)
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="inte en mapp") as caught:
        open_database(blocker / "lakarrond.sqlite")
    assert "Errno" not in caught.value.message


def test_read_only_folder_is_opened_read_only(tmp_path: Path, monkeypatch) -> None:
    # As root chmod cannot make a folder unwritable, so the check itself is replaced here;
    # tests/cli/test_robust_cli.py runs the real thing as the user "nobody".
    path = tmp_path / "skyddad.sqlite"
    _add_doctor(path)
    monkeypatch.setattr(database_module, "_writable", lambda path: False)
    db = open_database(path)
    try:
        assert db.read_only and "skrivskyddad" in db.warnings[0]
        assert list_backups(path) == []  # no backup attempted
        with db.begin() as s:
            assert s.scalars(select(m.Doctor.name)).all() == ["Anna Berg"]
        with pytest.raises(StoreError, match="skrivskyddad") as caught, db.begin() as s:
            s.add(m.Doctor(name="Olle Ek"))
        assert "readonly" not in caught.value.message
    finally:
        db.dispose()


@pytest.mark.parametrize(("detail", "swedish"), [
    ("UNIQUE constraint failed: health_centre.name", "Det finns redan en vårdcentral"),
    ("database is locked", "upptagen"),
    ("attempt to write a readonly database", "skrivskyddad"),
    ("database or disk is full", "Disken är full"),
    ("unable to open database file", "kunde inte öppnas"),
    ("disk I/O error", "Läs- eller skrivfel"),
    ("no such table: doctor", "inte en Läkarrond-databas"),
    ("something else entirely", "Ett fel uppstod i databasen"),
])
def test_driver_errors_become_swedish(detail: str, swedish: str) -> None:
    message = store_error_from(sqlite3.OperationalError(detail), "x.sqlite").message
    assert swedish in message
    assert detail not in message


def test_raw_sql_still_works_in_a_transaction(tmp_path: Path) -> None:
    db = open_database(tmp_path / "x.sqlite")
    try:
        with db.engine.begin() as con:
            con.execute(text("INSERT INTO health_centre (name) VALUES ('VC')"))
            con.execute(text("SAVEPOINT s1"))
            con.execute(text("ROLLBACK TO s1"))
        with db.begin() as s:
            assert s.scalars(select(m.HealthCentre.name)).all() == ["VC"]
    finally:
        db.dispose()
