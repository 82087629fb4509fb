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
    "matter": "ärendet",
}


def conflict_from_stale(message: str) -> ConflictError:
    """Turn SQLAlchemy's StaleDataError text into a ConflictError naming what changed."""
    match = re.search(r"on table '([^']+)'", message)
    table = match.group(1) if match else ""
    return ConflictError(_TABLE_NOUNS.get(table, "uppgiften"))


class NewerDatabase(StoreError):
    """The database was made by a newer version of the program (unknown schema revision)."""

    def __init__(self, where: str, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"Databasen {where} är skapad av en nyare version av Läkarrond (schema "
            f"{revision}). Uppdatera programmet till den senaste versionen; databasen har "
            "inte ändrats."
        )


BUSY = ("Databasen är upptagen – någon annan sparar just nu och blev inte klar inom "
        "{seconds} sekunder. Försök igen om en stund.")
WAITING = "Väntar på databasen – någon annan sparar …"

_NOUNS = {
    "health_centre": "en vårdcentral",
    "doctor": "en läkare",
    "unit": "en enhet",
    "patient": "en patient",
    "absence": "en frånvaro",
    "plan": "en plan",
    "visit": "ett besök",
    "setting": "en inställning",
}
_COLUMNS = {"name": "samma namn", "personnummer": "samma personnummer"}


def _detail(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc)


def store_error_from(exc: BaseException, where: str = "") -> StoreError:
    """A database driver's error (sqlite3, psycopg, via SQLAlchemy) as a Swedish
    :class:`StoreError`, without the library's English text. ``where`` names the
    database (a path, or a URL without password)."""
    detail = _detail(exc)
    text = detail.lower()
    name = f" {where}" if where else ""
    if "locked" in text or "busy" in text:
        return StoreError(BUSY.format(seconds=60))
    if "readonly" in text or "read-only" in text:
        return StoreError(f"Databasen{name} är skrivskyddad: ändringar kan inte sparas. "
                          "Be IT om skrivbehörighet till mappen, eller öppna en kopia.")
    if "disk is full" in text or "no space" in text:
        return StoreError(f"Disken är full: databasen{name} kan inte spara. Frigör utrymme "
                          "och försök igen.")
    if "unable to open" in text or "cantopen" in text:
        return StoreError(f"Databasfilen{name} kunde inte öppnas: kontrollera att sökvägen är "
                          "en fil (inte en mapp), att mappen finns och att du har behörighet.")
    if "disk i/o" in text:
        return StoreError(f"Läs- eller skrivfel i databasfilen{name} (disk eller nätverk). "
                          "Kontrollera disken och försök igen.")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"Databasfilen{name} är skadad eller inte en Läkarrond-databas.")
    if "no such table" in text or "no such column" in text:
        return StoreError(f"Databasen{name} är inte en Läkarrond-databas, eller så är den "
                          "ofullständig.")
    match = re.search(r"unique constraint failed: (\w+)\.(\w+)", text) or re.search(
        r"duplicate key value violates unique constraint \"(?:uq_)?(\w+?)_(\w+)\"", text)
    if match:
        noun = _NOUNS.get(match[1], "en uppgift")
        same = _COLUMNS.get(match[2], "samma värde")
        return StoreError(f"Det finns redan {noun} med {same} – läs in igen och försök på nytt.")
    if "value too long" in text or "too long" in text:
        return StoreError("En text är för lång för databasen (högst 200 tecken för namn).")
    if "foreign key" in text:
        return StoreError("Uppgiften hänvisar till något som inte finns (längre) – läs in igen.")
    if "connection" in text or "could not connect" in text or "server" in text:
        return StoreError(f"Databasservern{name} svarar inte. Kontrollera nätverket och "
                          "försök igen.")
    kind = type(getattr(exc, "orig", None) or exc).__name__
    return StoreError(f"Ett fel uppstod i databasen{name} ({kind}). Försök igen; kvarstår "
                      "felet, kontakta IT-support.")
