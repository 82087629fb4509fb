"""Which audit rows were written through this engine (this process's open database).

Several windows may work on one database (two coordinators on PostgreSQL, or two windows on
one SQLite file). A window polls the audit log for the changes of the others
(:mod:`lakarrond.services.changes`) and leaves out its own: the ids of the audit rows it
committed itself are remembered here, per engine, after their transaction commits (a rolled
back row is never remembered, so an id SQLite gives out again is not mistaken for ours).

The audit row records only the operating-system user, and the same user may have two
windows open on one file; the engine (one per opened database, one per window) tells them
apart without a column.
"""

from __future__ import annotations

from typing import Any  # Any: SQLAlchemy's untyped flush-context event argument
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from lakarrond.store.models import AuditLog

_PENDING = "audit_ids_written"  # session.info key: audit ids flushed, not yet committed
_WRITTEN: WeakKeyDictionary[Engine, set[int]] = WeakKeyDictionary()


def written_here(engine: Engine) -> frozenset[int]:
    """The ids of the audit rows committed through ``engine`` since it was opened."""
    return frozenset(_WRITTEN.get(engine, ()))


def _engine_of(session: Session) -> Engine | None:
    bind = session.bind
    if isinstance(bind, Engine):
        return bind
    return bind.engine if bind is not None else None


@event.listens_for(Session, "after_flush")
def _remember_flushed(session: Session, _context: Any) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, AuditLog)]
    if ids:
        session.info.setdefault(_PENDING, []).extend(ids)


@event.listens_for(Session, "after_commit")
def _remember_committed(session: Session) -> None:
    ids = session.info.pop(_PENDING, None)
    engine = _engine_of(session)
    if ids and engine is not None:
        _WRITTEN.setdefault(engine, set()).update(ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


__all__ = ["written_here"]
