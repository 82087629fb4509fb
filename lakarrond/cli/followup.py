"""The command line's yearly follow-up (contracts §2, issue 18.6):
``lakarrond uppfoljning --year Y [--out FILE.xlsx|FILE.pdf|FILE.json] [--json]``. The
service is imported inside the command, so that the other commands do not pay for it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from lakarrond.cli.db import open_db
from lakarrond.followup import COUNT_KEYS, SHORT_HEADERS
from lakarrond.formatting import decimal

if TYPE_CHECKING:
    from lakarrond.followup import FollowUp, Row

EXIT_OK = 0
AddParser = Callable[[str, str], argparse.ArgumentParser]


def add_parsers(command: AddParser, parse_year: Callable[[str], int]) -> None:
    """Register ``uppfoljning`` (``command`` makes a subcommand of the main parser)."""
    p = command("uppfoljning", "årsuppföljningen enligt överenskommelsen: per hälsocentral, "
                "läkare och enhet – patienter, ÅMV genomförda (inom 12 månader), avböjda, "
                "inställda, försenade, nya patienter, ronder och läkartid")
    p.add_argument("--year", type=parse_year, required=True, metavar="ÅR",
                   help="året som följs upp")
    p.add_argument("--out", default=None, metavar="FIL",
                   help="skriv till fil: .xlsx, .pdf eller .json (annars en tabell på "
                   "standard ut)")
    p.add_argument("--json", action="store_true",
                   help="skriv uppföljningen som JSON på standard ut")


def _name(row: Row) -> str:
    if row.unit:
        return f"{row.unit} ({row.doctor or '–'}, {row.health_centre or '–'})"
    if row.doctor:
        return f"{row.doctor} ({row.health_centre or '–'})"
    return row.health_centre or "Totalt"


def format_follow_up(result: FollowUp) -> str:
    """The follow-up as a plain text table per table (Swedish headers)."""
    lines = [f"Årsuppföljning {result.year} (ÅMV räknas som hållen bara när den är "
             "registrerad Genomförd)"]
    for name, rows in result.tables():
        names = [_name(r) if name != "Totalt" else "Totalt" for r in rows]
        width = max([len(n) for n in names] + [len(name)])
        heads = [SHORT_HEADERS[k] for k in (*COUNT_KEYS, "per_10")]
        lines.append("")
        lines.append(name.ljust(width) + "  " + "  ".join(h.rjust(len(h)) for h in heads))
        for label, row in zip(names, rows, strict=True):
            values = [str(getattr(row.counts, k)) for k in COUNT_KEYS]
            values.append("–" if row.per_10 is None else decimal(row.per_10, 2))
            lines.append(label.ljust(width) + "  " + "  ".join(
                v.rjust(len(h)) for v, h in zip(values, heads, strict=True)))
    return "\n".join(lines)


def cmd_follow_up(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lakarrond.services.followup import follow_up_json, load_follow_up, write_follow_up

    db = open_db(args)
    try:
        result = load_follow_up(db, args.year)
        if args.out:
            path = write_follow_up(db, result, Path(args.out))
            print(f"Årsuppföljningen {args.year} är skriven till {path}",
                  file=sys.stderr if args.json else sys.stdout)
        if args.json:
            sys.stdout.write(follow_up_json(result))
        elif not args.out:
            print(format_follow_up(result))
    finally:
        db.dispose()
    return EXIT_OK


FOLLOW_UP_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "uppfoljning": cmd_follow_up,
}
