"""SQLite safety: integrity check on open, a daily online backup, restore."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from lakarrond.io.files import (
    create_private_file,
    make_private,
    private_folder,
    replace_private,
)
from lakarrond.store.errors import DatabaseDamaged, StoreError, store_error_from

KEEP_BACKUPS = 14
BACKUP_PREFIX = "lakarrond-"


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Path]:
    """Backups of ``db_path``, oldest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{BACKUP_PREFIX}*.sqlite"))


def newest_backup(db_path: Path) -> Path | None:
    backups = list_backups(db_path)
    return backups[-1] if backups else None


def readonly_uri(db_path: Path, *, immutable: bool = False) -> str:
    """A read-only SQLite URI that also works for UNC paths (``file:////server/share``) and
    for ``?``, ``#``, ``%`` or non-ASCII letters in the path (all percent-encoded).
    ``immutable`` also promises SQLite that nobody writes the file (no -shm needed)."""
    posix = db_path.resolve().as_posix()
    query = "?mode=ro&immutable=1" if immutable else "?mode=ro"
    if posix.startswith("/"):
        return f"file://{quote(posix)}{query}"
    return f"file:///{quote(posix, safe='/:')}{query}"  # Windows drive: C:/…


DAMAGE_SIGNS = ("not a database", "malformed", "corrupt", "encrypted")


def _is_damage(exc: sqlite3.Error) -> bool:
    return any(sign in str(exc).lower() for sign in DAMAGE_SIGNS)


def _integrity_rows(db_path: Path) -> list[tuple[object, ...]]:
    """``PRAGMA integrity_check`` read-only; in a folder where SQLite cannot make its
    ``-shm`` file (read-only folder) it is retried with ``immutable=1``."""
    try:
        return _integrity_check(db_path, immutable=False)
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc) or os.access(db_path.parent, os.W_OK):
            raise
    return _integrity_check(db_path, immutable=True)


def _integrity_check(db_path: Path, *, immutable: bool) -> list[tuple[object, ...]]:
    con = sqlite3.connect(readonly_uri(db_path, immutable=immutable), uri=True, timeout=5)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


def check_integrity(db_path: Path) -> None:
    """Raise DatabaseDamaged when ``db_path`` exists and fails ``PRAGMA integrity_check``.
    The file is opened read-only, so a damaged file is never changed. A file that merely
    cannot be opened now (locked, no access) raises StoreError instead."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    detail = ""
    try:
        rows = _integrity_rows(db_path)
        if [r[0] for r in rows] != ["ok"]:
            detail = "; ".join(str(r[0]) for r in rows[:3])
    except sqlite3.DatabaseError as exc:
        if not _is_damage(exc):
            reason = store_error_from(exc, str(db_path)).message
            raise StoreError(f"Kunde inte läsa databasfilen {db_path}. {reason}") from exc
        detail = str(exc)
    if detail:
        newest = newest_backup(db_path)
        raise DatabaseDamaged(str(db_path), detail, str(newest) if newest else None)


def make_backup(db_path: Path, now: datetime | None = None) -> Path:
    """An online copy of ``db_path`` with ``sqlite3.Connection.backup``, readable by the
    owner only (folder 0700, file 0600)."""
    now = now or datetime.now()
    folder = private_folder(backup_dir(db_path), tighten=True)
    target = folder / f"{BACKUP_PREFIX}{now:%Y%m%d-%H%M%S}.sqlite"
    create_private_file(target)
    source = sqlite3.connect(str(db_path))
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    make_private(target)
    return target


def prune_backups(db_path: Path, keep: int = KEEP_BACKUPS) -> None:
    backups = list_backups(db_path)
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)


def daily_backup(db_path: Path, now: datetime | None = None) -> Path | None:
    """Make today's backup unless one exists; keep the newest ``KEEP_BACKUPS``."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    now = now or datetime.now()
    today = f"{BACKUP_PREFIX}{now:%Y%m%d}-"
    if any(p.name.startswith(today) for p in list_backups(db_path)):
        return None
    made = make_backup(db_path, now)
    prune_backups(db_path)
    return made


def restore_backup(backup: Path | str, target: Path | str) -> Path:
    """Put ``backup`` in place of ``target``. A damaged target is kept beside it as
    ``<name>.skadad-YYYYMMDD-HHMMSS`` rather than deleted. Close every connection first."""
    backup, target = Path(backup), Path(target)
    if not backup.is_file():
        raise StoreError(f"Säkerhetskopian {backup} finns inte.")
    check_integrity(backup)
    if target.exists():
        kept = target.with_name(f"{target.name}.skadad-{datetime.now():%Y%m%d-%H%M%S}")
        os.replace(target, kept)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    replace_private(backup, target)
    return target
