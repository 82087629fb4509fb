"""The audit log: who changed, exported or printed what, and which patient it concerned."""

from __future__ import annotations

import getpass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from lakarrond import pnr
from lakarrond.store.errors import StoreError
from lakarrond.store.models import AuditLog, utcnow


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
    return row


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, _context: Any, _instances: Any) -> None:
    """Audit rows may be added, never changed or removed through the ORM."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditLog) and (obj in session.deleted or session.is_modified(obj)):
            raise StoreError("Loggen kan inte ändras eller tas bort.")
