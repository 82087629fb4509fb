"""The text of the "Om Läkarrond" dialog: version, data folder, database, last backup."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

import lakarrond
from lakarrond.store.backup import newest_backup
from lakarrond.store.database import default_path

BACKUP_TIME_FORMAT = "lakarrond-%Y%m%d-%H%M%S"


def backup_time(backup: Path) -> datetime | None:
    """When a backup file ``lakarrond-YYYYMMDD-HHMMSS.sqlite`` was made (from its name)."""
    try:
        return datetime.strptime(backup.stem, BACKUP_TIME_FORMAT)
    except ValueError:
        return None


def _db_description(db: object) -> tuple[str, Path | None]:
    """(what to show for the database, its SQLite file or None for a server)."""
    if db is None:
        path = default_path()
        return str(path), path
    found = getattr(db, "path", None)
    if found is not None:
        return str(found), Path(found)
    return str(getattr(db, "url", db)), None


def about_text(db: object = None) -> str:
    """HTML for the about dialog. ``db`` is the open :class:`lakarrond.store.Database`
    (``None``: the default database file). A server URL is shown without its password."""
    shown, path = _db_description(db)
    data_folder = default_path().parent
    if path is None:
        backup_line = "Säkerhetskopior görs av databasserverns administratör."
        kind = "PostgreSQL-server (delad)"
    else:
        kind = "SQLite-fil (på den här datorn)"
        newest = newest_backup(path)
        if newest is None:
            backup_line = "Ingen säkerhetskopia ännu (den görs automatiskt en gång om dagen)."
        else:
            when = backup_time(newest)
            stamp = when.strftime("%Y-%m-%d %H:%M") if when else "okänd tid"
            backup_line = f"{escape(stamp)}: {escape(str(newest))}"
    rows = [
        ("Version", escape(lakarrond.__version__)),
        ("Datamapp", escape(str(data_folder))),
        ("Databas", f"{escape(shown)}<br><small>{kind}</small>"),
        ("Senaste säkerhetskopia", backup_line),
    ]
    table = "".join(
        f"<tr><td style='padding-right:12px'><b>{label}</b></td><td>{value}</td></tr>"
        for label, value in rows
    )
    return (
        "<h3>Läkarrond</h3>"
        "<p>Årsplan för årlig medicinsk vårdplanering (ÅMV) i kommunal hälso- och "
        "sjukvård.</p>"
        f"<table>{table}</table>"
        "<p><small>Planeringen görs med Google OR-Tools (CP-SAT). Svenska helgdagar "
        "enligt paketet holidays.</small></p>"
    )
