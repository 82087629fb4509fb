"""The audit log: who changed, exported or printed what, and which patient it concerned."""

from __future__ import annotations

import getpass
from typing import Any  # Any: JSON edge: audit values; SQLAlchemy event arguments

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from lakarrond import pnr
from lakarrond.store.errors import StoreError
from lakarrond.store.models import AuditLog, InputVersion, utcnow

# audit entities of the planning input (what services.problem.build_problem reads): a change
# of one of them bumps the input version. An import's own row ("workbook") does not: every
# row it adds or changes has its own audit row, so importing the same workbook again leaves
# the plan current. A matter (ärende) takes round time the planner gives no ÅMV (R5b).
INPUT_ENTITIES = ("patient", "unit", "doctor", "absence", "setting", "round_change",
                  "workbook", "database", "health_centre", "matter")
BUMPING_ENTITIES = tuple(e for e in INPUT_ENTITIES if e != "workbook")


def current_user() -> str:
    """The operating-system user running the program."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "okänd"


PRIVATE_KEYS = ("personnummer",)


def _private(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Before/after values as stored in the log: personnummer always masked."""
    if values is None:
        return None
    return {k: pnr.mask(v) if k in PRIVATE_KEYS and isinstance(v, str) and v else v
            for k, v in values.items()}


def audit(
    session: Session,
    action: str,
    entity: str,
    entity_id: object = None,
    patient_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit row in the caller's transaction (so it commits or rolls back with
    the change it records). ``action`` is e.g. "create", "update", "delete", "plan",
    "export", "print". Personnummer in ``before``/``after`` are masked. On a database
    opened read-only (in a folder the user cannot write) nothing can be recorded: the row
    is made but not added (the user was warned when the database was opened)."""
    row = AuditLog(
        at=utcnow(),
        user=current_user(),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        patient_id=patient_id,
        before=_private(before),
        after=_private(after),
    )
    if not session.info.get("read_only"):
        session.add(row)
        if entity in BUMPING_ENTITIES:
            bump_input_version(session)
    return row


def input_version(session: Session) -> int:
    """The version the planning input is at (0 before any change)."""
    return int(session.scalar(select(InputVersion.current).where(InputVersion.id == 1)) or 0)


def bump_input_version(session: Session) -> int:
    """A new input version, in the caller's transaction (so it commits or rolls back with
    the change); returns it. Called by :func:`audit` for every change of planning input."""
    done = session.execute(update(InputVersion).where(InputVersion.id == 1).values(
        seq=InputVersion.seq + 1, current=InputVersion.seq + 1))
    if not getattr(done, "rowcount", 0):
        session.execute(insert(InputVersion).values(id=1, seq=1, current=1))
    return input_version(session)


def restore_input_version(session: Session, expected: int, value: int) -> bool:
    """Set the input version back to ``value`` when it is ``expected`` (an undone change
    whose own bump was the last one: the input is as it was at ``value``). True when set."""
    done = session.execute(update(InputVersion).where(
        InputVersion.id == 1, InputVersion.current == expected).values(current=value))
    return bool(getattr(done, "rowcount", 0))


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, _context: Any, _instances: Any) -> None:
    """Audit rows may be added, never changed or removed through the ORM."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditLog) and (obj in session.deleted or session.is_modified(obj)):
            raise StoreError("Loggen kan inte ändras eller tas bort.")
