"""Bug reports: the traceback of an unexpected error, with personnummer masked, written to a
private log file in the data folder. No Qt here: the command line and the window use it."""

from __future__ import annotations

import os
import platform
import re
import traceback
from datetime import datetime
from pathlib import Path

import platformdirs
from sqlalchemy.exc import SQLAlchemyError

from lakarrond import __version__
from lakarrond.errors import UserError, write_error
from lakarrond.store.errors import store_error_from

LOG_DIR_ENV = "LAKARROND_LOG_DIR"
_NUMBER = re.compile(r"\b(\d{6}|\d{8})[-+]?\d{4}\b")


def log_dir() -> Path:
    """Where crash logs go: env LAKARROND_LOG_DIR, else the user's data folder/logs."""
    given = os.environ.get(LOG_DIR_ENV)
    if given:
        return Path(given)
    return Path(platformdirs.user_data_dir("Lakarrond", appauthor=False)) / "logs"


def scrub(text: str) -> str:
    """Personnummer-like digit runs masked (``19380412-****``)."""
    return _NUMBER.sub(lambda m: f"{m.group(1)}-****", text)


def report_text(exc: BaseException) -> str:
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    head = [
        f"Läkarrond {__version__} – felrapport {datetime.now():%Y-%m-%d %H:%M:%S}",
        f"Python {platform.python_version()} på {platform.platform()}",
        "",
    ]
    return scrub("\n".join(head) + "".join(lines))


def write_log(text: str) -> Path | None:
    """The report as a file readable by the owner only; None when it cannot be written."""
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"fel-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:
        return None
    return path


def as_user_error(exc: BaseException) -> UserError | None:
    """A file-system or database failure that escaped its boundary, as the Swedish error
    the user can act on; None for anything else (a bug)."""
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, OSError):
        return write_error(exc, exc.filename or "")
    if isinstance(exc, SQLAlchemyError):
        return store_error_from(exc)
    return None
