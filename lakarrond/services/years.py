"""Which plan years the database knows, and the year the window opens on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, union

from lakarrond.store import Database
from lakarrond.store import models as m
from lakarrond.today import today as todays_date


def plan_years(db: Database) -> list[int]:
    """Years that have a plan or settings, oldest first."""
    with db.read() as s:
        years = s.scalars(union(select(m.Plan.year), select(m.Setting.year))).all()
    return sorted(set(years))


def default_year(db: Database, today: date | None = None) -> int:
    """The newest year with a plan or settings, else next year."""
    years = plan_years(db)
    return years[-1] if years else (today or todays_date()).year + 1
