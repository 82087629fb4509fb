"""The one error type the user reads: :class:`UserError`.

io/, store/ and services/ raise ``UserError`` (or a subclass) for everything a user can
cause or fix: bad input, a locked or damaged file, a concurrent edit, a full disk. The
message is Swedish and complete; ``where`` names the place (sheet/row/column, or a form
field) when there is one; ``exit_code`` is what the command line exits with (1 failure,
2 bad input). The command line and the window catch this one type; anything else is a bug.
"""

from __future__ import annotations

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
