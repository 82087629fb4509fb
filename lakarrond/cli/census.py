"""``lakarrond andringar --since DATUM``: the patients admitted, moved, discharged and
deceased since a date (:mod:`lakarrond.census`), as text, JSON or a file; audited."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lakarrond.census import CensusList, census_json, unit_text
from lakarrond.cli.db import open_db

if TYPE_CHECKING:
    pass

EXIT_OK = 0


def add_parser(command: Callable[[str, str], argparse.ArgumentParser],
               parse_date: Callable[[str], object]) -> None:
    p = command("andringar", "patienter inskrivna, flyttade, utskrivna och avlidna sedan ett "
                "datum, per vårdcentral och läkare (listan till hälsocentralen)")
    p.add_argument("--since", type=parse_date, required=True, metavar="DATUM",
                   help="från och med detta datum (ÅÅÅÅ-MM-DD)")
    p.add_argument("--out", type=Path, default=None, metavar="FIL",
                   help="skriv listan till fil: .xlsx, .pdf eller .json (annars som text)")
    p.add_argument("--json", action="store_true",
                   help="skriv listan som JSON på standard ut")
    p.add_argument("--utan-personnummer", action="store_true",
                   help="utelämna personnummer i listan")


def format_census(census: CensusList, include_personnummer: bool) -> str:
    """The list as text: a heading per health centre and doctor, a line per event."""
    lines = [f"Ändringar sedan {census.since.isoformat()}: {len(census.rows)}"]
    group: tuple[str, str] | None = None
    for r in census.rows:
        if (r.health_centre, r.doctor) != group:
            group = (r.health_centre, r.doctor)
            lines.append(f"{r.health_centre or 'Ingen vårdcentral'} – {r.doctor or 'ingen läkare'}")
        number = f"  {r.personnummer or '-'}" if include_personnummer else ""
        lines.append(f"  {r.date.isoformat()}  {r.kind.value:<9}  {r.patient}{number}  "
                     f"{unit_text(r)}")
    if not census.rows:
        lines.append("Inga patienter inskrivna, flyttade, utskrivna eller avlidna sedan dess.")
    return "\n".join(lines)



def cmd_andringar(args: argparse.Namespace) -> int:
    from lakarrond.services.census import export_census, load_census, record_export

    numbers = not args.utan_personnummer
    db = open_db(args)
    try:
        census = load_census(db, args.since)
        if args.out is not None:
            out = export_census(db, args.since, args.out, numbers, census)
        else:
            record_export(db, census, "json" if args.json else "text", numbers)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(census_json(census.rows, numbers), ensure_ascii=False, indent=2))
    elif args.out is not None:
        print(f"Ändringar sedan {args.since.isoformat()} ({len(census.rows)}) är sparade i {out}")
    else:
        print(format_census(census, numbers))
    return EXIT_OK


CENSUS_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"andringar": cmd_andringar}
