"""The audit log: who changed, exported or printed what, and which patient it concerned."""

from __future__ import annotations

import getpass
from typing import Any

from sqlalchemy.orm import Session

from lakarrond.store.models import AuditLog, utcnow


def current_user() -> str:
    """The operating-system user running the program."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "okänd"


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
    "export", "print"."""
    row = AuditLog(
        at=utcnow(),
        user=current_user(),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        patient_id=patient_id,
        before=before,
        after=after,
    )
    session.add(row)
    return row
