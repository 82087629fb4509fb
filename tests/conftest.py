"""Shared fixtures: ``db_target`` / ``db`` run a test on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

try:
    from tests.pg import PostgresCluster, find_bindir
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from pg import PostgresCluster, find_bindir  # type: ignore[no-redef]


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


def fill_small_store(database, year: int = 2027) -> None:  # type: ignore[no-untyped-def]
    """A tiny municipality: one doctor, a nursing home with weekly rounds (2 ÅMV per round)
    and an LSS home with separate ÅMV times, eight patients."""
    from datetime import date, time

    from lakarrond.store import models as m
    from lakarrond.store.settings import write_settings

    with database.begin() as s:
        centre = m.HealthCentre(name="Vårdcentralen Test")
        doctor = m.Doctor(
            name="Anna Berg", health_centre=centre, review_weekdays="3", reviews_per_day=2
        )
        home = m.Unit(
            name="Bäckliden", type="SÄBO", doctor=doctor, nurse="Eva Syster",
            rhythm_kind="Varje vecka", weekdays="1", start_time=time(9, 0),
            length_min=120, form="Fysisk", reviews_per_round=2,
        )
        lss = m.Unit(
            name="Tallen", type="LSS", doctor=doctor, rhythm_kind="Varannan vecka",
            parity="udda", weekdays="2", start_time=time(14, 0), length_min=60,
            form="Fysisk", reviews_in_round=False, reviews_per_round=0,
        )
        s.add_all([centre, doctor, home, lss])
        s.add(m.Absence(doctor=doctor, start=date(year, 3, 1), end=date(year, 3, 12),
                        reason="Semester", substitute="Per Vikarie"))
        patients = [
            ("Karl Nilsson", "19380412-1238", home, date(year - 5, 1, 10), date(year - 1, 2, 2)),
            ("Greta Ek", "19300101-0002", home, date(year - 3, 5, 1), date(year - 1, 4, 6)),
            ("Olof Lund", None, home, date(year - 2, 6, 1), date(year - 1, 6, 8)),
            ("Signe Berg", None, home, date(year - 1, 9, 1), date(year - 1, 9, 28)),
            ("Bo Ström", None, home, date(year - 4, 1, 1), date(year - 1, 11, 2)),
            ("Astrid Holm", None, home, date(year, 4, 1), None),
            ("Leif Sand", None, lss, date(year - 6, 1, 1), date(year - 1, 5, 5)),
            ("Vera Dal", None, lss, date(year - 6, 1, 1), date(year - 1, 10, 6)),
        ]
        for name, pnr, unit, admitted, last in patients:
            s.add(m.Patient(name=name, personnummer=pnr, unit=unit, room="Rum 1",
                            admitted=admitted, last_review=last))
        write_settings(s, year, {"time_limit_s": 10.0, "summer_weeks": (27, 28, 29, 30, 31)})


@pytest.fixture
def small_db(db):  # type: ignore[no-untyped-def]
    """``db`` (both backends) with :func:`fill_small_store` in it."""
    fill_small_store(db)
    return db
