"""A planned small store for the matter (ärende) and planning-basis tests: the small store
with Bäckliden's rounds cut to 60 minutes (2 ÅMV of 30 fit), planned once per test module
and copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from lakarrond.services.plan import plan_year
from lakarrond.store import Database, open_database
from lakarrond.store import models as m
from tests.stores import fill_small_store

YEAR = 2027
TODAY = "2027-01-10"
HOME = "Bäckliden"


def make_planned(folder: Path) -> Path:
    """The planned store's file in ``folder`` (call with LAKARROND_TODAY = TODAY)."""
    path = folder / "planned.sqlite"
    db = open_database(str(path))
    try:
        fill_small_store(db, YEAR, time_limit=5)
        with db.begin() as s:
            unit = s.scalars(select(m.Unit).where(m.Unit.name == HOME)).one()
            unit.length_min = 60
        plan_year(db, YEAR, time_limit=5)
    finally:
        db.dispose()
    return path


def copy_of(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "lakarrond.sqlite"
    shutil.copyfile(template, target)
    return target


def review_dates(db, unit: str = HOME) -> dict[date, list[str]]:  # type: ignore[no-untyped-def]
    """Round date → the patients with an ÅMV of the latest plan on it."""
    out: dict[date, list[str]] = {}
    with db.read() as s:
        plan = s.scalars(select(m.Plan).order_by(m.Plan.version.desc())).first()
        for v in plan.visits:
            if v.unit == unit:
                out.setdefault(v.date, []).append(v.patient.name)
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The planned store, made once per test module (a module imports it with ``db``)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAKARROND_TODAY", TODAY)
        return make_planned(tmp_path_factory.mktemp("planned"))


@pytest.fixture
def db(template, tmp_path, monkeypatch) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A copy of the planned store for one test, living on TODAY."""
    monkeypatch.setenv("LAKARROND_TODAY", TODAY)
    database = open_database(str(copy_of(template, tmp_path / "db")))
    yield database
    database.dispose()
