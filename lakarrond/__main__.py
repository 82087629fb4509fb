"""``python -m lakarrond``: the command line (or the desktop app without a command)."""

from lakarrond.cli import main

raise SystemExit(main())
