"""Shared fixtures: ``db_target`` / ``db`` run a test on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

try:
    from tests.pg import PostgresCluster, find_bindir
    from tests.stores import fill_small_store
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from pg import PostgresCluster, find_bindir  # type: ignore[no-redef]
    from stores import fill_small_store  # type: ignore[no-redef]


@pytest.fixture(autouse=True)
def _crash_logs_in_tmp(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Bug reports written during a test go to tmp_path, never the user's data folder."""
    monkeypatch.setenv("LAKARROND_LOG_DIR", str(tmp_path / "loggar"))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL cluster for the whole session, or a skip when PostgreSQL is absent."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL saknas (ingen initdb/pg_ctl hittades)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg saknas")
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def db_target(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A fresh, empty database on each backend: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "db" / "lakarrond.sqlite")
    cluster = request.getfixturevalue("postgres_cluster")
    return cluster.new_database()


@pytest.fixture
def db(db_target: str):  # type: ignore[no-untyped-def]
    """An open, migrated database on each backend."""
    from lakarrond.store import open_database

    database = open_database(db_target)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path):  # type: ignore[no-untyped-def]
    """An open, migrated SQLite database only."""
    from lakarrond.store import open_database

    database = open_database(str(tmp_path / "db" / "lakarrond.sqlite"))
    yield database
    database.dispose()


@pytest.fixture
def small_db(db):  # type: ignore[no-untyped-def]
    """``db`` (both backends) with :func:`fill_small_store` in it."""
    fill_small_store(db)
    return db
