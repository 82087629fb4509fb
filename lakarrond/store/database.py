"""Opening the database: SQLite file or server URL, pragmas, safety checks, migrations.

``open_database(None)`` uses env ``LAKARROND_DB`` or a SQLite file in the user's data folder.
A SQLite file is checked (``PRAGMA integrity_check``) and backed up once a day before the
migrations run; a damaged file raises :class:`DatabaseDamaged` and is left as it is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from lakarrond.store.backup import check_integrity, daily_backup
from lakarrond.store.errors import StoreError, conflict_from_stale
from lakarrond.store.migrate import upgrade_to_head

ENV_VAR = "LAKARROND_DB"
DEFAULT_FILE = "lakarrond.sqlite"
NETWORK_WARNING = (
    "Varning: databasfilen {path} ligger på en nätverksenhet. SQLite passar inte för "
    "delad användning över nätverket – flera samtidiga användare kan skada filen. "
    "Använd en PostgreSQL-server (--db postgresql+psycopg://…) för delad användning."
)


def default_path() -> Path:
    """The SQLite file in the user's data folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir("Lakarrond", appauthor=False)) / DEFAULT_FILE


def is_url(text: str) -> bool:
    """True for a SQLAlchemy URL such as ``postgresql+psycopg://…`` (not a Windows path)."""
    if "://" not in text:
        return False
    try:
        make_url(text)
    except ArgumentError:
        return False
    return True


def is_network_path(path: Path | str) -> bool:
    """True for a UNC path (``\\\\server\\share``, ``//server/share``) or, on Windows, a
    mapped network drive."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive:
            drive_remote = 4
            return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote
    return False


@dataclass
class Database:
    """An open database: the engine and the session factory. One Session per user action:
    ``with db.begin() as session: …`` commits at the end, rolls back on error."""

    engine: Engine
    sessionmaker: sessionmaker[Session]
    url: str
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A Session in a transaction; a concurrent edit becomes a :class:`ConflictError`."""
        try:
            with self.sessionmaker.begin() as session:
                yield session
        except StaleDataError as exc:
            raise conflict_from_stale(str(exc)) from exc
        except OperationalError as exc:  # locked, unreachable, read-only, disk full
            raise StoreError(database_problem(exc)) from exc

    def session(self) -> Session:
        """A plain Session (caller commits); prefer :meth:`begin`."""
        return self.sessionmaker()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}", connect_args={"timeout": 5})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_database(
    url_or_path: str | os.PathLike[str] | None = None, *, migrate: bool = True
) -> Database:
    """Open (and create or upgrade) the database.

    ``url_or_path``: a SQLAlchemy URL means that server, anything else is a SQLite file path;
    ``None`` means env ``LAKARROND_DB``, else :func:`default_path`. Raises
    :class:`DatabaseDamaged` for a damaged SQLite file, :class:`StoreError` when the database
    cannot be opened."""
    target = url_or_path if url_or_path is not None else os.environ.get(ENV_VAR) or None
    if target is not None and is_url(str(target)):
        return _open_server(str(target), migrate=migrate)
    path = Path(target) if target is not None else default_path()
    return _open_sqlite(path, migrate=migrate)


def _open_server(url: str, *, migrate: bool) -> Database:
    try:
        engine = create_engine(url, pool_pre_ping=True)
        if migrate:
            upgrade_to_head(engine)
    except StoreError:
        raise
    except Exception as exc:  # driver errors vary by backend; report them in Swedish
        raise StoreError(f"Kunde inte öppna databasen {_safe_url(url)}: {exc}") from exc
    return Database(
        engine=engine,
        sessionmaker=sessionmaker(engine, expire_on_commit=False),
        url=_safe_url(url),
    )


def _open_sqlite(path: Path, *, migrate: bool) -> Database:
    warnings = []
    if is_network_path(path):
        warnings.append(NETWORK_WARNING.format(path=path))
    path = path.expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Kunde inte skapa mappen {path.parent}: {exc}") from exc
    check_integrity(path)
    try:
        daily_backup(path)
    except OSError as exc:
        warnings.append(f"Varning: ingen säkerhetskopia kunde göras: {exc}")
    engine = sqlite_engine(path)
    if migrate:
        try:
            upgrade_to_head(engine)
        except Exception as exc:  # sqlite3 errors; never a traceback for the user
            engine.dispose()
            raise StoreError(f"Kunde inte öppna databasen {path}: {exc}") from exc
    return Database(
        engine=engine,
        sessionmaker=sessionmaker(engine, expire_on_commit=False),
        url=f"sqlite:///{path}",
        path=path,
        warnings=warnings,
    )


def database_problem(exc: OperationalError) -> str:
    """A Swedish message for a database error the user can do something about."""
    detail = str(exc.orig or exc).splitlines()[0] if exc.orig is not None else str(exc)
    low = detail.lower()
    if "locked" in low or "busy" in low:
        return "Databasen är upptagen av någon annan just nu – försök igen om en stund."
    if "readonly" in low or "read-only" in low:
        return "Databasen går bara att läsa (skrivskyddad fil eller mapp) – inget sparades."
    if "disk" in low and "full" in low:
        return "Disken är full – inget sparades. Frigör utrymme och försök igen."
    return f"Fel i databasen (upptagen eller inte nåbar?): {detail}"


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
