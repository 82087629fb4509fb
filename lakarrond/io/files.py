"""Small helpers shared by the file writers: atomic save and column widths."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lakarrond.errors import UserError


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file next to ``path`` and rename it into place,
    so a crash or a full disk never leaves a half-written file behind."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix,
                                        dir=path.parent)
    except OSError as exc:
        raise UserError(file_problem(exc, path)) from exc
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(_file_mode(path))
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise UserError(file_problem(exc, path)) from exc
        raise


def file_problem(exc: OSError, path: Path) -> str:
    """A Swedish message for a file that could not be written."""
    if exc.errno == errno.ENOSPC:
        return f"Disken är full – {path} kunde inte sparas. Frigör utrymme och försök igen."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Du saknar behörighet att skriva {path} (skrivskyddad fil eller mapp)."
    return f"{path} kunde inte sparas: {exc.strerror or exc}"


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, else the usual mode for a new file (mkstemp
    creates 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _shown_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def fit_columns(sheet: Worksheet, minimum: int = 6, maximum: int = 60,
                overrides: dict[int, int] | None = None) -> None:
    """Set each column's width to its longest shown value (plus room for a filter button)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            length = _shown_length(cell.value)
            if length:
                widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in (overrides or {}).items():
        widths[column] = max(widths.get(column, 0), width)
    for column, width in widths.items():
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(maximum, max(minimum, width + 3))
