"""The window benchmark's stores: a generated municipality or region written with
``load_demo`` and planned once from 1 January, cached by scale, seed and size."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

YEAR = 2027
TODAY = date(2027, 3, 29)  # a Monday; the plan runs from 1 January, so past weeks are open


def store_path(cache: Path, scale: str, seed: int, size: float) -> Path:
    return cache / f"{scale}-seed{seed}-size{size:g}-{YEAR}" / "store.sqlite"


def build_store(cache: Path, scale: str, seed: int, size: float = 1.0,
                plan_limit: float = 120.0) -> Path:
    """The generated store, planned and saved once; built only when not in ``cache``."""
    target = store_path(cache, scale, seed, size)
    if target.exists():
        return target
    from benchmarks.family import random_municipality, random_region
    from lakarrond.services import demo
    from lakarrond.services.plan import plan_year
    from lakarrond.store import open_database

    problem = (random_region(seed, year=YEAR) if scale == "region"
               else random_municipality(seed, YEAR, size))
    building = Path(tempfile.mkdtemp(prefix=target.parent.name + ".", dir=_made(cache)))
    original = demo.demo_problem
    demo.demo_problem = lambda year: problem
    try:
        db = open_database(str(building / "store.sqlite"))
        demo.load_demo(db, YEAR)
        plan_year(db, YEAR, time_limit=plan_limit, plan_from=date(YEAR, 1, 1))
        db.dispose()
    finally:
        demo.demo_problem = original
    building.rename(target.parent)
    return target


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
