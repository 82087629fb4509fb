"""The command line's database: opened once per command, its warnings on stderr."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lakarrond.store import Database


def open_db(args: argparse.Namespace) -> Database:
    """The database of ``--db`` (or the default), migrated; its warnings printed."""
    from lakarrond.store import open_database

    db = open_database(args.db)
    for warning in db.warnings:
        print(warning, file=sys.stderr)
    return db
