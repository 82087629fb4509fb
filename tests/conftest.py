"""Shared fixtures: ``db_target`` / ``db`` run a test on SQLite and on PostgreSQL.

The whole test session (and every subprocess a test starts) runs with its own HOME,
XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME in a temporary folder, set here before
anything imports Qt or asks platformdirs: QSettings, the default database, the bug reports
and caches of a test never land in the user's own settings or data folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

REAL_HOME_ENV = "LAKARROND_TEST_REAL_HOME"
SANDBOX_ENV = "LAKARROND_TEST_SANDBOX"


def _sandbox_the_session() -> str:
    """Point HOME and the XDG folders at a fresh temporary folder; return that folder."""
    sandbox = tempfile.mkdtemp(prefix="lakarrond-test-home-")
    os.environ.setdefault(REAL_HOME_ENV, os.path.expanduser("~"))
    os.environ[SANDBOX_ENV] = sandbox
    for name, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                      ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")):
        os.environ[name] = os.path.join(sandbox, sub)
        os.makedirs(os.environ[name], exist_ok=True)
    os.environ.pop("LAKARROND_DB", None)  # the user's own database is never a test's default
    return sandbox


SANDBOX = _sandbox_the_session()

import pytest  # noqa: E402


def pytest_unconfigure(config):  # type: ignore[no-untyped-def]
    shutil.rmtree(SANDBOX, ignore_errors=True)


from tests.pg import PostgresCluster, find_bindir  # noqa: E402 - after the sandbox
from tests.stores import fill_small_store  # noqa: E402


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
