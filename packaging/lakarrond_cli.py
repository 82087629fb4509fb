"""Frozen entry point of the console program ``lakarrond-cli`` (``lakarrond-cli.exe``).

Same commands as ``lakarrond`` (contracts.md §2): ``lakarrond-cli demo``, ``template``,
``import``, ``plan``, ``export``, ``visit``; without a command it opens the window too.
"""

import multiprocessing
import sys


def _utf8_console() -> None:
    """Swedish text (å, ä, ö) on a Windows console or a redirected pipe, whatever the code
    page; JSON on stdout stays UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def main() -> int:
    from lakarrond.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    # Must come first: planning workers (multiprocessing "spawn") re-run this executable.
    multiprocessing.freeze_support()
    _utf8_console()
    sys.exit(main())
