"""Opening the database: SQLite file or server URL, pragmas, safety checks, migrations.

``open_database(None)`` uses env ``LAKARROND_DB`` or a SQLite file in the user's data folder.
A SQLite file is checked (``PRAGMA integrity_check``) and backed up once a day before the
migrations run; a damaged file raises :class:`DatabaseDamaged` and is left as it is.

A ``--db`` value is a path unless it starts with a known URL scheme (``sqlite://``,
``postgresql+psycopg://`` …): a path is never parsed as a URL, so ``?``, ``#``, ``%``,
spaces, non-ASCII letters and UNC paths are simply part of the file name.

SQLite runs with WAL journalling, foreign keys on, and every write transaction as
``BEGIN IMMEDIATE``: a second writer waits for the first (up to 60 s, saying so after a
second) instead of failing with "database is locked"; a read-only transaction
(:meth:`Database.read`) begins ``DEFERRED`` and never waits. The file, its ``-wal``/``-shm``
journals and the backups are private (0600, folders 0700). A database in a folder the
user cannot write to is opened read-only (exports work, nothing is saved or backed up).
"""

from __future__ import annotations

import ctypes
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any  # Any: DB-API edge: the driver's connection objects are untyped

import platformdirs
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from lakarrond.errors import UserError, write_error
from lakarrond.io.files import (
    create_private_file,
    make_private,
    private_folder,
    remove_stale_temp_files,
)
from lakarrond.store.backup import check_integrity, daily_backup, readonly_uri
from lakarrond.store.errors import (
    BUSY,
    WAITING,
    StoreError,
    conflict_from_stale,
    store_error_from,
)
from lakarrond.store.migrate import HEAD, check_known_revision, upgrade_to_head

ENV_VAR = "LAKARROND_DB"
DEFAULT_FILE = "lakarrond.sqlite"
NETWORK_WARNING = (
    "Varning: databasfilen {path} ligger på en nätverksenhet. SQLite passar inte för "
    "delad användning över nätverket – flera samtidiga användare kan skada filen. "
    "Använd en PostgreSQL-server (--db postgresql+psycopg://…) för delad användning."
)
READ_ONLY_WARNING = (
    "Varning: databasen {path} ligger i en mapp du inte kan skriva i. Den är öppnad "
    "skrivskyddad: du kan läsa och exportera, men inget sparas, ingen säkerhetskopia görs "
    "och exporter loggas inte."
)
URL_SCHEMES = ("sqlite", "postgresql", "postgres", "mysql", "mariadb", "oracle", "mssql")
_URL_START = re.compile(r"^([A-Za-z][A-Za-z0-9]*)(\+[A-Za-z0-9_]+)?://")
JOURNALS = ("-wal", "-shm", "-journal")
BUSY_TIMEOUT_MS = 60_000  # longer than the longest import (10,000 patients: ~7 s)
QUICK_WAIT_MS = 1_000  # after this long a waiting writer says so


def default_path() -> Path:
    """The SQLite file in the user's data folder."""
    return Path(platformdirs.user_data_dir("Lakarrond", appauthor=False)) / DEFAULT_FILE


def is_url(text: str) -> bool:
    """True for a SQLAlchemy URL with a known scheme (``postgresql+psycopg://…``,
    ``sqlite:///…``); anything else, ``C:\\…`` or ``q/a?b.sqlite`` included, is a path."""
    match = _URL_START.match(text)
    return match is not None and match[1].lower() in URL_SCHEMES


def is_network_path(path: Path | str) -> bool:
    """True for a UNC path (``\\\\server\\share``, ``//server/share``) or, on Windows, a
    mapped network drive."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive:
            drive_remote = 4
            return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote
    return False


READ_ONLY_OPTION = "lakarrond_read_only"  # execution option of :meth:`Database.read`


def print_waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Database:
    """An open database: the engine and the session factory. One Session per user action:
    ``with db.begin() as session: …`` commits at the end, rolls back on error."""

    engine: Engine
    sessionmaker: sessionmaker[Session]
    url: str
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    read_only: bool = False
    # called with WAITING when a write has to wait for another writer (default: stderr)
    on_wait: list[Callable[[str], None]] = field(default_factory=lambda: [print_waiting])

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A Session in a transaction; a concurrent edit becomes a :class:`ConflictError`,
        a locked, read-only or full database a Swedish :class:`StoreError`."""
        try:
            with self.sessionmaker.begin() as session:
                yield session
        except StaleDataError as exc:
            raise conflict_from_stale(str(exc)) from exc
        except OperationalError as exc:  # locked, unreachable, read-only, disk full
            raise store_error_from(exc, str(self.path or self.url)) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A Session for reading only (the window's lists, the week, the plan document). On
        SQLite it begins ``DEFERRED``, not ``IMMEDIATE``: in WAL mode a reader never waits
        for a writer (an import or a plan being saved in another process) and sees the last
        committed state. Writing in it is a bug: the changes are rolled back."""
        with self.begin() as session:
            session.connection(execution_options={READ_ONLY_OPTION: True})
            yield session
            if session.new or session.dirty or session.deleted:
                session.rollback()
                raise RuntimeError("db.read() används för en ändring – använd db.begin().")

    def session(self) -> Session:
        """A plain Session (caller commits); prefer :meth:`begin`."""
        return self.sessionmaker()

    def dispose(self) -> None:
        self.engine.dispose()


def _connect_pragmas(read_only: bool) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event starts them
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            if not read_only:
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    return on_connect


def _is_busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc).lower() or "busy" in str(exc).lower()


def _begin_immediate(listeners: list[Callable[[str], None]]) -> Callable[[Any], None]:
    """``BEGIN IMMEDIATE``: take the write lock at the start, so a transaction never reads
    old data and then fails to write ("database is locked"); wait for another writer, and
    say so after :data:`QUICK_WAIT_MS`."""

    def begin(conn: Any) -> None:
        raw = conn.connection.dbapi_connection
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            raw.execute("BEGIN")  # a reader: no write lock, never waits in WAL mode
            return
        raw.execute(f"PRAGMA busy_timeout={QUICK_WAIT_MS}")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise store_error_from(exc) from exc
            for listener in listeners:
                listener(WAITING)
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as again:
                raise StoreError(BUSY.format(seconds=BUSY_TIMEOUT_MS // 1000)) from again
        finally:
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    return begin


def _begin_deferred(conn: Any) -> None:
    conn.connection.dbapi_connection.execute("BEGIN")


def sqlite_engine(path: Path, *, read_only: bool = False, immutable: bool = False,
                  on_wait: list[Callable[[str], None]] | None = None) -> Engine:
    """An engine on the SQLite file ``path``. The path goes to ``sqlite3.connect`` as it is
    (never through a URL string); ``read_only`` opens it with ``mode=ro`` (``immutable``
    also without journal files, for a read-only folder)."""
    if read_only:
        uri = readonly_uri(path, immutable=immutable)

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
    else:
        def connect() -> sqlite3.Connection:
            return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)

    engine = create_engine(URL.create("sqlite+pysqlite", database=str(path)), creator=connect)
    event.listen(engine, "connect", _connect_pragmas(read_only))
    event.listen(engine, "begin", _begin_deferred if read_only else _begin_immediate(
        on_wait if on_wait is not None else [print_waiting]))
    return engine


def open_database(
    url_or_path: str | os.PathLike[str] | None = None, *, migrate: bool = True
) -> Database:
    """Open (and create or upgrade) the database.

    ``url_or_path``: a URL with a known scheme means that server (``sqlite:///FILE`` that
    file), anything else is a SQLite file path; ``None`` means env ``LAKARROND_DB``, else
    :func:`default_path`. Raises :class:`DatabaseDamaged` for a damaged SQLite file,
    :class:`StoreError` when the database cannot be opened."""
    target = url_or_path if url_or_path is not None else os.environ.get(ENV_VAR) or None
    remove_stale_temp_files(default_path().parent)  # a killed export's leftovers, at start
    if target is not None and not isinstance(target, Path) and is_url(str(target)):
        url = make_url(str(target))
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return _open_sqlite(Path(url.database), migrate=migrate)
        return _open_server(str(target), migrate=migrate)
    path = Path(target) if target is not None else default_path()
    return _open_sqlite(path, migrate=migrate, own_folder=target is None)


def _open_server(url: str, *, migrate: bool) -> Database:
    safe = _safe_url(url)
    try:
        engine = create_engine(url, pool_pre_ping=True)
        if migrate:
            upgrade_to_head(engine, safe)
    except StoreError:
        raise
    except ArgumentError as exc:
        raise StoreError(f"Databasadressen {safe} är ogiltig.") from exc
    except ImportError as exc:
        raise StoreError(f"Databasdrivrutinen för {safe} saknas i den här "
                         "installationen.") from exc
    except Exception as exc:  # driver errors vary by backend; report them in Swedish
        raise StoreError(f"Kunde inte öppna databasen {safe}: "
                         f"{store_error_from(exc, safe).message}") from exc
    return Database(
        engine=engine,
        sessionmaker=sessionmaker(engine, expire_on_commit=False),
        url=safe,
    )


def _writable(path: Path) -> bool:
    """Can this user write the file and its folder (for -wal/-shm)? As root this is always
    true, except on a read-only mount."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def _open_sqlite(path: Path, *, migrate: bool, own_folder: bool = False) -> Database:
    warnings = []
    if is_network_path(path):
        warnings.append(NETWORK_WARNING.format(path=path))
    path = path.expanduser()
    if path.is_dir():
        raise StoreError(f"{path} är en mapp – ange en databasfil, t.ex. "
                         f"{path / DEFAULT_FILE}.")
    try:
        private_folder(path.parent, tighten=own_folder)
    except OSError as exc:
        raise StoreError(f"Mappen för databasen kunde inte skapas: "
                         f"{write_error(exc, path.parent, 'mappen').message}") from exc
    check_integrity(path)
    if not _writable(path):
        if not path.exists():
            raise StoreError(f"Databasen {path} kan inte skapas: du saknar skrivbehörighet "
                             "till mappen. Välj en annan mapp.")
        return _open_read_only(path, warnings)
    remove_stale_temp_files(path.parent)
    try:
        create_private_file(path)
    except OSError as exc:
        raise write_error(exc, path, "databasen") from exc
    _make_private_files(path)
    try:
        daily_backup(path)
    except (OSError, sqlite3.Error, UserError):
        warnings.append(f"Varning: ingen säkerhetskopia av {path} kunde göras i "
                        f"{path.parent / 'backups'} – kontrollera utrymme och behörighet.")
    listeners: list[Callable[[str], None]] = [print_waiting]
    engine = sqlite_engine(path, on_wait=listeners)
    if migrate:
        try:
            upgrade_to_head(engine, str(path))
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:  # sqlite3/Alembic errors; never their text for the user
            engine.dispose()
            raise StoreError(f"Kunde inte öppna databasen {path}: "
                             f"{store_error_from(exc, str(path)).message}") from exc
    _make_private_files(path)
    return Database(
        engine=engine,
        sessionmaker=sessionmaker(engine, expire_on_commit=False),
        url=f"sqlite:///{path}",
        path=path,
        warnings=warnings,
        on_wait=listeners,
    )


def _make_private_files(path: Path) -> None:
    """The database and its journals readable by the owner only (SQLite gives new journal
    files the database file's mode; older files are tightened here)."""
    make_private(path)
    for suffix in JOURNALS:
        make_private(f"{path}{suffix}")


def _open_read_only(path: Path, warnings: list[str]) -> Database:
    """A database in a folder (or a file) the user cannot write: read it, never write."""
    last: Exception | None = None
    for immutable in (False, True):  # without -shm in a read-only folder: immutable
        engine = sqlite_engine(path, read_only=True, immutable=immutable)
        try:
            with engine.connect() as connection:
                current = check_known_revision(connection, str(path))
            break
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:  # sqlite3 errors: try immutable, then give up in Swedish
            engine.dispose()
            last = exc
    else:
        raise StoreError(f"Kunde inte öppna databasen {path}: "
                         f"{store_error_from(last or Exception(), str(path)).message}")
    if current != HEAD:
        engine.dispose()
        raise StoreError(f"Databasen {path} behöver uppgraderas till den här versionen av "
                         "Läkarrond men ligger i en mapp du inte kan skriva i. Flytta den "
                         "eller be IT om skrivbehörighet.")
    warnings.append(READ_ONLY_WARNING.format(path=path))
    return Database(
        engine=engine,
        sessionmaker=sessionmaker(engine, expire_on_commit=False, info={"read_only": True}),
        url=f"sqlite:///{path}",
        path=path,
        warnings=warnings,
        read_only=True,
    )


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
