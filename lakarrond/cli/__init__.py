"""The command line (contracts §2): ``lakarrond [--db URL_OR_PATH] [COMMAND …]``.

Exit codes: 0 success, 2 bad input (argparse errors too), 1 other failures. Every message is
Swedish; a :class:`~lakarrond.errors.UserError` is printed with its exit code, and nothing
the user can cause shows a traceback. Without a command the desktop window opens.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from lakarrond.cli.parser import build_parser
from lakarrond.errors import EXIT_BAD_INPUT, EXIT_FAILURE, UserError

# Only the parser is loaded at start: "--help" and argument errors answer at once; a
# command's libraries (SQLAlchemy, OR-Tools, openpyxl, Qt for a PDF) load when it runs.


def _open_app(db: str | None) -> int:
    # the window's modules (PySide6 widgets) are loaded only when the window opens: a
    # command like "plan" or "export" must not pay for them, nor need a display
    from lakarrond.ui.app import main as app_main

    return int(app_main(["--db", db] if db else []) or 0)


def _user_error(exc: UserError) -> int:
    from lakarrond.io.import_data import ImportFailed

    if isinstance(exc, ImportFailed):
        print("Importen misslyckades, inget sparades:", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
    else:
        print(f"Fel: {exc}", file=sys.stderr)
    return exc.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code (also for --help and bad arguments)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    if args.command is None:
        return _open_app(args.db)
    from lakarrond.cli.census import CENSUS_COMMANDS
    from lakarrond.cli.commands import COMMANDS
    from lakarrond.cli.followup import FOLLOW_UP_COMMANDS
    from lakarrond.cli.matters import MATTER_COMMANDS

    try:
        return {**COMMANDS, **MATTER_COMMANDS, **CENSUS_COMMANDS, **FOLLOW_UP_COMMANDS}[
            args.command](args)
    except UserError as exc:
        return _user_error(exc)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except Exception as exc:
        from lakarrond.crashlog import as_user_error, report_text, write_log

        known = as_user_error(exc)  # a file or database failure that escaped its boundary
        if known is not None:
            print(f"Fel: {known}", file=sys.stderr)
            return known.exit_code
        log = write_log(report_text(exc))
        where = f" Felrapporten är sparad i {log}." if log else ""
        print(f"Fel: ett oväntat fel inträffade ({type(exc).__name__}).{where}",
              file=sys.stderr)
        return EXIT_FAILURE


def run() -> None:
    sys.exit(main())


__all__ = ["build_parser", "main", "run"]
