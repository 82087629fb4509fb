"""Small helpers the use-case modules share: a Session from a Database or a Session, audit
values as JSON, and the Swedish date text of messages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, time
from typing import Any  # Any: JSON edge: jsonable() takes and gives any JSON-able value

from sqlalchemy.orm import Session

from lakarrond.store import Database
from solver.problem import WEEKDAY_NAMES_SV


@contextmanager
def read_scope(source: Database | Session) -> Iterator[Session]:
    """The caller's Session as it is, or a read-only transaction of the Database
    (:meth:`~lakarrond.store.Database.read`: never waits for a writer)."""
    if isinstance(source, Session):
        yield source
    else:
        with source.read() as session:
            yield session


def jsonable(value: Any) -> Any:
    """Dates and times as ISO text, tuples as lists, recursively (for the audit log)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def day_text(day: date) -> str:
    """``tisdag 2027-03-02``: how messages name a date."""
    return f"{WEEKDAY_NAMES_SV[day.weekday()]} {day.isoformat()}"
