"""The one error type the user reads: :class:`UserError`.

io/, store/ and services/ raise ``UserError`` (or a subclass) for everything a user can
cause or fix: bad input, a locked or damaged file, a concurrent edit, a full disk. The
message is Swedish and complete; ``where`` names the place (sheet/row/column, or a form
field) when there is one; ``exit_code`` is what the command line exits with (1 failure,
2 bad input). The command line and the window catch this one type; anything else is a bug.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class Where:
    """Where the problem is: a workbook cell (sheet, row, column) or a form field."""

    sheet: str = ""
    row: int | None = None
    column: str = ""
    field: str = ""
    value: str = ""

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"Blad '{self.sheet}'")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f"kolumn '{self.column}'")
        if self.field:
            parts.append(f"fältet '{self.field}'")
        return ", ".join(parts)


class UserError(Exception):
    """A failure with a Swedish message meant for the user (exit code 1)."""

    exit_code: int = EXIT_FAILURE

    def __init__(
        self, message: str, *, where: Where | None = None, exit_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def lines(self) -> list[str]:
        """The message as lines (an import error lists one issue per line)."""
        return self.message.splitlines() or [self.message]


class BadInput(UserError):
    """The user's input is wrong: unknown name, bad date, bad cell … (exit code 2)."""

    exit_code = EXIT_BAD_INPUT


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM}


def write_error(exc: OSError, path: str | os.PathLike[str], what: str = "filen") -> UserError:
    """A file-system failure (full disk, no access, locked file, missing folder …) as a
    Swedish :class:`UserError` naming ``path``; ``what`` says what was being written or read
    ("filen", "databasen", "säkerhetskopian" …). Never the library's English text."""
    code = exc.errno
    target = str(exc.filename or path)
    if code in _FULL:
        return UserError(f"Disken är full: {what} {path} kunde inte sparas. "
                         "Frigör utrymme och försök igen.")
    if code == errno.EROFS:
        return UserError(f"{target} ligger på en skrivskyddad enhet: {what} kan inte sparas där.")
    if code in _DENIED or getattr(exc, "winerror", None) in (5, 32, 33):
        return UserError(
            f"{target} går inte att skriva: ingen behörighet, eller så är filen öppen i ett "
            "annat program (t.ex. Excel). Stäng den, eller välj en annan mapp, och försök igen."
        )
    if code == errno.ENOENT:
        return BadInput(f"Mappen för {path} finns inte.")
    if code == errno.EISDIR:
        return BadInput(f"{target} är en mapp, inte en fil.")
    if code == errno.EEXIST and os.path.isfile(target):
        return BadInput(f"{target} är en fil, inte en mapp.")
    if code == errno.ENOTDIR:
        return BadInput(f"En del av sökvägen {path} är inte en mapp.")
    if code == errno.ENAMETOOLONG:
        return BadInput(f"Sökvägen {path} är för lång.")
    detail = f" ({exc.strerror})" if exc.strerror else ""
    return UserError(f"{what.capitalize()} {path} kunde inte sparas{detail}.")
