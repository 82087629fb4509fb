"""The command line's commands: each takes the parsed arguments and returns the exit code.

Expected failures are :class:`lakarrond.errors.UserError`; ``lakarrond.cli.main`` prints
them in Swedish with their exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from lakarrond.cli.db import open_db
from lakarrond.errors import BadInput
from lakarrond.today import today as todays_date

if TYPE_CHECKING:
    from solver.solve import Progress

# Each command imports what it needs when it runs: the command line starts at once, loads
# only the libraries of the command asked for (no OR-Tools for "suggest", no Excel for
# "plan") and no Qt unless it prints (a .pdf export); tests/cli/test_imports.py keeps it.

EXIT_OK = 0



def cmd_demo(args: argparse.Namespace) -> int:
    from lakarrond.services.demo import load_demo

    year = args.year or todays_date().year + 1
    db = open_db(args)
    try:
        report = load_demo(db, year)
    finally:
        db.dispose()
    print(
        f"Exempelkommunen för {year} är inläst: {report.health_centres} vårdcentraler, "
        f"{report.doctors} läkare, {report.units} enheter, {report.patients} patienter, "
        f"{report.absences} frånvaroperioder."
    )
    print(f"Gör årsplanen med: lakarrond plan --year {year}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from lakarrond.io.template import write_template

    if args.file.suffix.lower() != ".xlsx":
        raise BadInput(f"Mallen måste vara en .xlsx-fil, inte \"{args.file}\".")
    write_template(args.file)
    print(f"Importmallen är skriven: {args.file}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from lakarrond.services.importer import import_workbook

    if not args.file.is_file():
        raise BadInput(f"Filen {args.file} finns inte.")
    db = open_db(args)
    try:
        report = import_workbook(db, args.file)
    finally:
        db.dispose()
    print(report.summary())
    return EXIT_OK


def _progress_printer() -> Callable[[Progress], None]:
    def show(progress: Progress) -> None:
        if progress.stage == "klar":
            print(f"  {progress.doctor}: klar", file=sys.stderr)

    return show


def cmd_plan(args: argparse.Namespace) -> int:
    from lakarrond.cli.report import format_measures, format_moves, format_preview, preview_json
    from lakarrond.io.json_export import plan_json_text
    from lakarrond.services.document import load_document
    from lakarrond.services.plan import make_plan, save_draft

    db = open_db(args)
    try:
        draft = make_plan(
            db, args.year, plan_from=args.plan_from, freeze_days=args.freeze,
            time_limit=args.time_limit, rebalance=args.rebalance,
            on_progress=None if args.json else _progress_printer(),
        )
        if args.preview:
            if args.json:
                print(json.dumps(preview_json(draft), ensure_ascii=False, indent=2))
            else:
                print(format_preview(draft))
            return EXIT_OK
        saved = save_draft(db, draft)
        with db.read() as session:
            doc = load_document(session, args.year, saved.version)
    finally:
        db.dispose()
    if args.json:
        sys.stdout.write(plan_json_text(doc))
    else:
        print(format_measures(doc, stopped=saved.result.stopped))
        if draft.moves:
            print(format_moves(draft))
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace) -> int:
    from lakarrond.cli.report import format_booked, format_suggestions
    from lakarrond.services.suggest import book, suggest_dates, suggestion_move_json

    db = open_db(args)
    try:
        found = suggest_dates(db, args.patient, args.year, args.plan_from)
        chosen = None
        if args.apply and found.result.suggestions:
            chosen = found.result.suggestions[0]
            book(db, found.patient_id, chosen.date, chosen.move)
    finally:
        db.dispose()
    if args.json:
        data = found.to_json()
        if args.apply:
            data["booked"] = chosen.date.isoformat() if chosen else None
            data["moved"] = suggestion_move_json(chosen.move) if chosen else None
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(format_suggestions(found))
    if chosen is not None:
        print(format_booked(found, chosen))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from lakarrond.services.exporter import export_plan

    db = open_db(args)
    try:
        path = export_plan(
            db, args.year, args.out, doctor=args.doctor, date_from=args.date_from,
            date_to=args.date_to, include_personnummer=not args.utan_personnummer,
            unit=args.unit, prep=args.prep,
        )
    finally:
        db.dispose()
    print(f"Planen för {args.year} är exporterad till {path}")
    return EXIT_OK


def cmd_visit(args: argparse.Namespace) -> int:
    from lakarrond.services.visits import STATUS_WORDS, record_visit

    if args.status in ("Avböjd", "Inställd") and not args.reason.strip():
        raise BadInput(f"--status {args.status} kräver --reason med orsaken "
                       "(t.ex. --reason \"patienten tackade nej\"); inget registrerades.")
    db = open_db(args)
    try:
        rec = record_visit(db, args.patient, args.date, args.status, args.reason)
    finally:
        db.dispose()
    print(
        f"ÅMV för {rec.patient} den {rec.date.isoformat()} är registrerad som "
        f"{STATUS_WORDS[rec.status]} (plan {rec.date.year}, version {rec.plan_version})."
    )
    if rec.status.value == "Inställd":
        print(f"{rec.patient} behöver ett nytt datum: lakarrond suggest --patient "
              f"\"{rec.patient}\" --apply")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo,
    "template": cmd_template,
    "import": cmd_import,
    "plan": cmd_plan,
    "export": cmd_export,
    "visit": cmd_visit,
    "suggest": cmd_suggest,
}
