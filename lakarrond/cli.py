"""The command line (contracts §2): ``lakarrond [--db URL_OR_PATH] [COMMAND …]``.

Exit codes: 0 success, 2 bad input (argparse errors too), 1 other failures. Every message is
Swedish and expected errors never show a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from lakarrond.errors import BadInput, UserError, write_error
from lakarrond.formatting import decimal, percent
from lakarrond.io.import_data import ImportFailed
from lakarrond.store.errors import store_error_from

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2

_ARGPARSE_SV = (
    ("the following arguments are required: ", "följande argument krävs: "),
    ("unrecognized arguments: ", "okända argument: "),
    ("invalid choice: ", "ogiltigt val: "),
    ("choose from ", "välj bland "),
    ("expected one argument", "ett värde behövs"),
    ("argument ", "argument "),
    ("invalid int value: ", "inte ett heltal: "),
    ("invalid float value: ", "inte ett tal: "),
    ("ambiguous option: ", "tvetydig flagga: "),
    ("could match ", "kan betyda "),
    ("not allowed with argument ", "får inte kombineras med "),
    ("one of the arguments ", "ett av argumenten "),
    (" is required", " krävs"),
)


class SwedishFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        if prefix is None:
            prefix = "användning: "
        return super().add_usage(usage, actions, groups, prefix)


class SwedishParser(argparse.ArgumentParser):
    """argparse with Swedish headings and error messages; errors exit with status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", SwedishFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS,
            help="visa den här hjälpen och avsluta",
        )

    def error(self, message: str) -> NoReturn:
        for english, swedish in _ARGPARSE_SV:
            message = message.replace(english, swedish)
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: fel: {message}\n")


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"\"{text}\" är inget datum (ÅÅÅÅ-MM-DD)") from exc


def parse_year(text: str) -> int:
    try:
        year = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"\"{text}\" är inget årtal") from exc
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"årtalet {year} ligger utanför 2000–2100")
    return year


def parse_seconds(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"\"{text}\" är inget antal sekunder") from exc
    if value <= 0:
        raise argparse.ArgumentTypeError("tidsgränsen måste vara större än 0")
    return value


def _add_db(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--db", metavar="URL_ELLER_SÖKVÄG", default=default,
        help="databas: sökväg till en SQLite-fil eller en URL (postgresql+psycopg://…); "
        "annars miljövariabeln LAKARROND_DB eller en fil i din datamapp",
    )


def build_parser() -> SwedishParser:
    parser = SwedishParser(
        prog="lakarrond",
        description="Läkarrond – årsplan för årlig medicinsk vårdplanering (ÅMV). "
        "Utan kommando öppnas skrivbordsprogrammet.",
    )
    _add_db(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandon",
                                parser_class=SwedishParser)

    def command(name: str, help_text: str) -> SwedishParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _add_db(p, argparse.SUPPRESS)
        return p

    p = command("demo", "fyll en tom databas med en exempelkommun")
    p.add_argument("--year", type=parse_year, default=None, metavar="ÅR",
                   help="planår för exemplet (standard: nästa år)")

    p = command("template", "skriv en tom importmall (Excel)")
    p.add_argument("file", type=Path, metavar="FIL.xlsx", help="mallen som ska skrivas")

    p = command("import", "importera en ifylld mall (allt eller inget)")
    p.add_argument("file", type=Path, metavar="FIL.xlsx", help="den ifyllda mallen")

    p = command("plan", "gör och spara årsplanen (låsta och genomförda ÅMV ligger kvar)")
    p.add_argument("--year", type=parse_year, required=True, metavar="ÅR", help="planår")
    p.add_argument("--time-limit", type=parse_seconds, default=None, metavar="S",
                   help="tidsgräns för beräkningen i sekunder")
    p.add_argument("--json", action="store_true",
                   help="skriv planen som JSON på standard ut i stället för måtten")

    p = command("export", "skriv planen till fil; formatet följer filändelsen "
                "(.xlsx, .ics, .pdf, .json)")
    p.add_argument("--year", type=parse_year, required=True, metavar="ÅR", help="planår")
    p.add_argument("--out", type=Path, required=True, metavar="FIL", help="filen som skrivs")
    p.add_argument("--doctor", metavar="NAMN",
                   help="bara den här läkaren (med .pdf: läkarens rondschema)")
    p.add_argument("--unit", metavar="NAMN", help="bara den här enheten")
    p.add_argument("--from", dest="date_from", type=parse_date, metavar="DATUM",
                   help="från och med datum (ÅÅÅÅ-MM-DD)")
    p.add_argument("--to", dest="date_to", type=parse_date, metavar="DATUM",
                   help="till och med datum (ÅÅÅÅ-MM-DD)")
    p.add_argument("--utan-personnummer", action="store_true",
                   help="utelämna personnummer i filen")
    p.add_argument("--prep", action="store_true",
                   help="perioden gäller förberedelsedatum (med .pdf och --unit: "
                   "förberedelselistan för provtagning m.m.)")

    p = command("visit", "registrera en ÅMV som genomförd eller låst")
    p.add_argument("--patient", required=True, metavar="NAMN_ELLER_PERSONNUMMER",
                   help="patientens namn eller personnummer")
    p.add_argument("--date", type=parse_date, required=True, metavar="DATUM",
                   help="datum för ÅMV (ÅÅÅÅ-MM-DD)")
    p.add_argument("--status", required=True, choices=("Genomförd", "Låst"),
                   help="Genomförd eller Låst")
    return parser


# --- commands ----------------------------------------------------------------------------


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from lakarrond.store import open_database

    db = open_database(args.db)
    for warning in db.warnings:
        print(warning, file=sys.stderr)
    return db


def cmd_demo(args: argparse.Namespace) -> int:
    from lakarrond.services.demo import load_demo

    year = args.year or date.today().year + 1
    db = _open(args)
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
    try:
        from lakarrond.io.template import write_template
    except ImportError:
        print("Importmallen finns inte i den här versionen ännu.", file=sys.stderr)
        return EXIT_FAIL
    if args.file.suffix.lower() != ".xlsx":
        print(f"Mallen måste vara en .xlsx-fil, inte \"{args.file}\".", file=sys.stderr)
        return EXIT_BAD_INPUT
    write_template(args.file)
    print(f"Importmallen är skriven: {args.file}")
    return EXIT_OK


def _report_errors(report: Any) -> list[str]:
    errors = getattr(report, "errors", None)
    if errors is None and isinstance(report, dict):
        errors = report.get("errors")
    return [str(e) for e in errors or []]


def cmd_import(args: argparse.Namespace) -> int:
    try:
        from lakarrond.services.importer import import_workbook
    except ImportError:
        print("Import finns inte i den här versionen ännu.", file=sys.stderr)
        return EXIT_FAIL
    if not args.file.is_file():
        print(f"Filen {args.file} finns inte.", file=sys.stderr)
        return EXIT_BAD_INPUT
    db = _open(args)
    try:
        try:
            report = import_workbook(db, args.file)
        except ImportFailed as exc:
            print("Importen misslyckades, inget sparades:", file=sys.stderr)
            for line in _report_errors(exc) or str(exc).splitlines():
                print(f"  {line}", file=sys.stderr)
            return EXIT_BAD_INPUT
    finally:
        db.dispose()
    errors = _report_errors(report)
    if errors:
        print("Importen misslyckades, inget sparades:", file=sys.stderr)
        for line in errors:
            print(f"  {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    summary = getattr(report, "summary", None)
    text = summary() if callable(summary) else summary
    print(text or f"Importen är klar: {args.file}")
    return EXIT_OK


def _progress_printer() -> Callable[[Any], None]:
    def show(progress: Any) -> None:
        doctor = getattr(progress, "doctor", "")
        stage = getattr(progress, "stage", "")
        if stage == "klar":
            print(f"  {doctor}: klar", file=sys.stderr)

    return show


def format_measures(doc: dict[str, Any], saved: Any) -> str:
    ms = doc["measures"]
    solver = doc["solver"]
    lines = [
        f"Årsplan {doc['year']}, version {doc['version']} sparad.",
        f"  ÅMV planerade: {len(doc['appointments'])}",
        f"  Täckning: {percent(ms['coverage'])}",
        f"  Ej placerade: {len(doc['unplaced'])}",
        f"  Brutna regler: {len(doc['violations'])}",
        f"  Längsta intervall sedan senaste ÅMV: {decimal(ms['max_interval_months'])} månader",
        f"  Flyttade ÅMV jämfört med förra versionen: {ms['moved']}",
        "  Flest ÅMV en vecka per läkare (nedre gräns):",
    ]
    for doctor in sorted(ms["peak_week"]):
        bound = ms["peak_week_bound"].get(doctor, "–")
        lines.append(f"    {doctor}: {ms['peak_week'][doctor]} ({bound})")
    lines.append(
        f"  Lösare: {solver['status']}, mål {solver['objective']}, gräns {solver['bound']}, "
        f"{decimal(solver['wall_s'])} s"
    )
    if getattr(saved.result, "stopped", False):
        lines.append("  Beräkningen avbröts; planen är den bästa som hittades.")
    for u in doc["unplaced"][:20]:
        lines.append(f"  Ej placerad: {u['patient']} ({u['unit']}): {u['reason']}")
    for v in doc["violations"][:20]:
        who = f"{v['patient']} " if v["patient"] else ""
        lines.append(f"  {v['rule']} {who}({v['unit']}): {v['message']} – {v['fix']}")
    more = len(doc["unplaced"]) + len(doc["violations"]) - 40
    if more > 0:
        lines.append(f"  … och {more} till (se exporten).")
    return "\n".join(lines)


def cmd_plan(args: argparse.Namespace) -> int:
    from lakarrond.services.document import json_document
    from lakarrond.services.plan import plan_document, plan_year

    db = _open(args)
    try:
        saved = plan_year(
            db, args.year, time_limit=args.time_limit,
            on_progress=None if args.json else _progress_printer(),
        )
        with db.begin() as session:
            doc = plan_document(session, args.year, saved.version)
    finally:
        db.dispose()
    if args.json:
        json.dump(json_document(doc), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_measures(doc, saved))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from lakarrond.services.exporter import export_plan

    db = _open(args)
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
    from lakarrond.services.visits import record_visit

    db = _open(args)
    try:
        rec = record_visit(db, args.patient, args.date, args.status)
    finally:
        db.dispose()
    what = "genomförd" if rec.status.value == "Genomförd" else "låst"
    print(
        f"ÅMV för {rec.patient} den {rec.date.isoformat()} är registrerad som {what} "
        f"(plan {rec.date.year}, version {rec.plan_version})."
    )
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo,
    "template": cmd_template,
    "import": cmd_import,
    "plan": cmd_plan,
    "export": cmd_export,
    "visit": cmd_visit,
}


def _open_app(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        from lakarrond.ui.app import main as app_main
    except ImportError:
        parser.print_help()
        return EXIT_OK
    argv = ["--db", args.db] if args.db else []
    result = app_main(argv) if _accepts_argv(app_main) else app_main()
    return int(result or 0)


def _accepts_argv(func: Callable[..., Any]) -> bool:
    import inspect

    try:
        return bool(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code (also for --help and bad arguments)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    if args.command is None:
        return _open_app(parser, args)
    try:
        return COMMANDS[args.command](args)
    except BadInput as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UserError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:
        error = write_error(exc, exc.filename or "")
        print(f"Fel: {error}", file=sys.stderr)
        return error.exit_code
    except SQLAlchemyError as exc:
        print(f"Fel: {store_error_from(exc, str(args.db or ''))}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
