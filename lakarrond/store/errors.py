"""Errors of the store, with Swedish messages meant for the user."""

from __future__ import annotations

import re

from lakarrond.errors import UserError


class StoreError(UserError):
    """A store failure with a Swedish message for the user."""


class ConflictError(StoreError):
    """Someone else changed the same row since it was read (optimistic locking)."""

    def __init__(self, what: str = "uppgiften") -> None:
        self.what = what
        super().__init__(f"Någon annan har ändrat {what} – läs in igen.")


class DatabaseDamaged(StoreError):
    """The SQLite file fails its integrity check; it is left untouched."""

    def __init__(self, path: str, detail: str, newest_backup: str | None) -> None:
        self.path = path
        self.detail = detail
        self.newest_backup = newest_backup
        if newest_backup:
            hint = f"Den senaste säkerhetskopian är {newest_backup}; återställ den."
        else:
            hint = "Det finns ingen säkerhetskopia att återställa."
        super().__init__(
            f"Databasfilen {path} är skadad ({detail}). Filen har inte ändrats. {hint}"
        )


_TABLE_NOUNS = {
    "patient": "patienten",
    "unit": "enheten",
    "visit": "besöket",
    "doctor": "läkaren",
    "plan": "planen",
    "absence": "frånvaron",
    "preparation_tick": "förberedelsen",
    "round_change": "rondändringen",
}


def conflict_from_stale(message: str) -> ConflictError:
    """Turn SQLAlchemy's StaleDataError text into a ConflictError naming what changed."""
    match = re.search(r"on table '([^']+)'", message)
    table = match.group(1) if match else ""
    return ConflictError(_TABLE_NOUNS.get(table, "uppgiften"))
