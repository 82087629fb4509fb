"""Frozen entry point of the window program ``lakarrond`` (``Lakarrond.exe``, no console).

Without a command it opens the desktop app (``--db URL_OR_PATH`` is passed on); with a
command it runs it like ``lakarrond-cli`` but, having no console, prints nothing – use
``lakarrond-cli`` for the command line.
"""

import multiprocessing
import os
import sys


def _ensure_streams() -> None:
    """A windowed executable on Windows has no stdout/stderr (``None``); give them a sink so
    that ``print`` and logging to stderr never fail."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def main() -> int:
    from lakarrond.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    # Must come first: a planning worker process (multiprocessing "spawn") starts this same
    # executable, and freeze_support() turns it into the worker instead of a second window.
    multiprocessing.freeze_support()
    _ensure_streams()
    sys.exit(main())
