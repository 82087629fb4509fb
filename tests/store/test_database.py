"""Choosing and opening the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from lakarrond.store import StoreError, open_database
from lakarrond.store import database as database_module
from lakarrond.store.database import is_network_path, is_url


def test_a_path_means_sqlite_with_wal_and_foreign_keys(tmp_path):
    db = open_database(str(tmp_path / "a" / "x.sqlite"))
    try:
        assert db.is_sqlite and db.path == tmp_path / "a" / "x.sqlite"
        with db.engine.connect() as con:
            assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert con.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60_000
    finally:
        db.dispose()


def test_env_var_then_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKARROND_DB", str(tmp_path / "env.sqlite"))
    db = open_database(None)
    assert db.path == tmp_path / "env.sqlite"
    db.dispose()
    monkeypatch.delenv("LAKARROND_DB")
    monkeypatch.setattr(database_module, "default_path", lambda: tmp_path / "data" / "d.sqlite")
    db = open_database(None)
    assert db.path == tmp_path / "data" / "d.sqlite"
    db.dispose()


def test_default_path_is_in_the_user_data_folder():
    path = database_module.default_path()
    assert path.name == "lakarrond.sqlite"
    assert "Lakarrond" in str(path)


def test_urls_and_paths_are_told_apart():
    assert is_url("postgresql+psycopg://u@h:5432/db")
    assert is_url("sqlite:///x.sqlite")
    assert not is_url("C:\\Users\\a\\lakarrond.sqlite")
    assert not is_url("/tmp/lakarrond.sqlite")


def test_network_paths_are_recognised():
    assert is_network_path("\\\\server\\share\\lakarrond.sqlite")
    assert is_network_path("//server/share/lakarrond.sqlite")
    assert not is_network_path("/home/a/lakarrond.sqlite")


def test_sqlite_on_a_network_share_gives_a_swedish_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(database_module, "is_network_path", lambda path: True)
    db = open_database(str(tmp_path / "x.sqlite"))
    db.dispose()
    assert len(db.warnings) == 1
    assert "nätverksenhet" in db.warnings[0] and "PostgreSQL" in db.warnings[0]


def test_an_unreachable_server_is_a_swedish_error():
    with pytest.raises(StoreError, match="Kunde inte öppna databasen") as info:
        open_database("postgresql+psycopg://nobody:hemligt@127.0.0.1:1/none?connect_timeout=2")
    assert "hemligt" not in str(info.value)


def test_one_session_per_action_rolls_back_on_error(db):
    from sqlalchemy import func, select

    from lakarrond.store import models as m

    with pytest.raises(RuntimeError), db.begin() as s:
        s.add(m.HealthCentre(name="VC"))
        s.flush()
        raise RuntimeError("avbrott")
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(m.HealthCentre)) == 0


def test_migrations_folder_is_inside_the_package():
    from lakarrond.store.migrate import MIGRATIONS

    assert (MIGRATIONS / "env.py").is_file()
    assert Path(MIGRATIONS).parent.name == "store"
