"""The one way the program writes a file, and keeps it private.

:func:`atomic_write` is the single atomic writer every output uses (Excel, calendar, JSON,
PDF, the import template): the content goes to a temporary file in the target folder
(mode 0600, named ``.lakarrond-tmp-HOST-PID-…`` so it is recognisable), is flushed to disk
(fsync) and renamed over the target with ``os.replace``; a crash, a kill or a full disk
never leaves a half-written file. Temporary files left behind by a killed program are
removed the next time a file is written to that folder (:func:`remove_stale_temp_files`).

Patient data is readable by the owner only: files 0600, folders 0700 (POSIX; on Windows
the per-user folders already keep other users out).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lakarrond.errors import BadInput, write_error

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
TEMP_PREFIX = ".lakarrond-tmp-"
STALE_AFTER_S = 24 * 3600  # a temp file of another machine (network share) counts as stale then
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"([A-Za-z0-9]*)-(\d+)-")
POSIX = os.name == "posix"


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:16]


def make_private(path: Path | str, mode: int = PRIVATE_FILE) -> None:
    """Restrict ``path`` to its owner (POSIX). A file someone else owns is left as it is."""
    if POSIX:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(path, mode)


def private_folder(folder: Path, *, tighten: bool = False) -> Path:
    """Create ``folder`` (and its parents) with mode 0700; ``tighten`` also restricts an
    existing one (for the program's own folders: data folder, backups)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if tighten:
        make_private(folder, PRIVATE_DIR)
    return folder


def create_private_file(path: Path) -> bool:
    """Create an empty file with mode 0600 unless it exists; True when it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    os.close(fd)
    make_private(path)  # the umask may have taken bits off, never added any; be explicit
    return True


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFO
        if not handle:
            return ctypes.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True


def is_stale_temp_file(path: Path, now: float | None = None) -> bool:
    """A temp file of ours whose writer is gone: its process (on this machine) has ended,
    or it is older than a day (written from another machine on a shared folder)."""
    match = _TEMP_NAME.match(path.name)
    if not match:
        return False
    try:
        age = (now or time.time()) - path.stat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER_S:
        return True
    return match[1] == _host() and not _pid_alive(int(match[2]))


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete the temp files a killed export left in ``folder`` (they may hold personnummer);
    returns what was removed. Never fails: it is housekeeping."""
    removed = []
    with contextlib.suppress(OSError):
        for path in Path(folder).glob(f"{TEMP_PREFIX}*"):
            if is_stale_temp_file(path):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def temp_file_beside(path: Path) -> Path:
    """A new empty temp file (mode 0600) in ``path``'s folder, recognisably ours."""
    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{_host()}-{os.getpid()}-",
                                suffix=path.suffix, dir=path.parent)
    os.close(fd)
    return Path(name)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    if POSIX:
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def atomic_write(path: Path, write: Callable[[Path], object], *, make_folder: bool = True,
                 what: str = "filen") -> Path:
    """Call ``write(tmp)`` on a private temp file beside ``path``, fsync it and rename it to
    ``path`` (mode 0600). Without ``make_folder`` a missing folder is a :class:`BadInput`.
    A file-system failure (full disk, no access, the file open in Excel …) becomes a Swedish
    :class:`UserError`; the old file, if any, is then unchanged and no temp file is left."""
    path = Path(path)
    folder = path.parent
    try:
        if not folder.is_dir():
            if not make_folder:
                raise BadInput(f"Mappen {folder} finns inte.")
            private_folder(folder)
        remove_stale_temp_files(folder)
        tmp = temp_file_beside(path)
    except OSError as exc:
        raise write_error(exc, path, what) from exc
    try:
        write(tmp)
        make_private(tmp)  # a writer may have re-created the file with the umask's mode
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise write_error(exc, path, what) from exc
        raise
    _fsync_folder(folder)
    return path


def replace_private(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` atomically with mode 0600 (a restore)."""
    atomic_write(target, lambda tmp: shutil.copyfile(source, tmp), what="databasen")


__all__ = [
    "PRIVATE_DIR",
    "PRIVATE_FILE",
    "TEMP_PREFIX",
    "atomic_write",
    "create_private_file",
    "make_private",
    "private_folder",
    "remove_stale_temp_files",
    "replace_private",
    "temp_file_beside",
]
