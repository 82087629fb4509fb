"""The command line's arguments (contracts §2), in Swedish: ``build_parser()``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn  # Any: argparse's own *args/**kwargs, passed through

from lakarrond.cli.census import add_parser as add_census_parser
from lakarrond.cli.followup import add_parsers as add_follow_up_parsers
from lakarrond.cli.matters import add_parsers as add_matter_parsers
from lakarrond.errors import EXIT_BAD_INPUT

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
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]  # argparse's private types
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


def parse_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"\"{text}\" är inget antal dagar") from exc
    if not 0 <= value <= 90:
        raise argparse.ArgumentTypeError("antalet dagar måste vara mellan 0 och 90")
    return value


def _add_db(parser: argparse.ArgumentParser, default: str | None) -> None:
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

    p = command("plan", "gör och spara årsplanen från ett datum (det som redan hänt och "
                "låsta, genomförda och avböjda ÅMV ligger kvar)")
    p.add_argument("--year", type=parse_year, required=True, metavar="ÅR", help="planår")
    p.add_argument("--from", dest="plan_from", type=parse_date, default=None, metavar="DATUM",
                   help="planera från detta datum (standard: i dag, eller 1 januari när "
                   "året ligger framför oss); ÅMV före datumet ändras aldrig")
    p.add_argument("--freeze", type=parse_days, default=None, metavar="DAGAR",
                   help="ÅMV de närmaste DAGAR dagarna behåller sitt datum (standard 14)")
    p.add_argument("--preview", action="store_true",
                   help="visa vad som skulle flyttas, men spara ingenting")
    p.add_argument("--rebalance", action="store_true",
                   help="jämna ut hela året: planerade ÅMV får flyttas för en jämnare "
                   "belastning (annars flyttas en ÅMV bara för en patients skull eller när "
                   "dess datum inte längre går)")
    p.add_argument("--time-limit", type=parse_seconds, default=None, metavar="S",
                   help="tidsgräns för beräkningen i sekunder")
    p.add_argument("--json", action="store_true",
                   help="skriv planen som JSON på standard ut i stället för måtten")

    p = command("suggest", "de bästa datumen för en patients ÅMV i den sparade planen: lediga "
                "inom fönstret, sedan inom fönstret om en annan ÅMV flyttas inom sitt "
                "fönster, sedan lediga efter fönstret")
    p.add_argument("--patient", required=True, metavar="NAMN_ELLER_PERSONNUMMER",
                   help="patientens namn eller personnummer")
    p.add_argument("--year", type=parse_year, default=None, metavar="ÅR",
                   help="planår (standard: året för --from, annars året då patientens nästa ÅMV "
                   "ska hållas)")
    p.add_argument("--from", dest="plan_from", type=parse_date, default=None, metavar="DATUM",
                   help="inga förslag före detta datum (standard: i dag)")
    p.add_argument("--json", action="store_true", help="skriv förslagen som JSON")
    p.add_argument("--apply", action="store_true",
                   help="boka det första förslaget som Planerad (och flytta den ÅMV det nämner)")

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

    p = command("visit", "registrera utfallet av en ÅMV (genomförd, avböjd, inställd) "
                "eller lås den")
    p.add_argument("--patient", required=True, metavar="NAMN_ELLER_PERSONNUMMER",
                   help="patientens namn eller personnummer")
    p.add_argument("--date", type=parse_date, required=True, metavar="DATUM",
                   help="datum för ÅMV (ÅÅÅÅ-MM-DD)")
    p.add_argument("--status", required=True,
                   choices=("Genomförd", "Låst", "Avböjd", "Inställd"),
                   help="Genomförd (hölls det datumet), Låst, Avböjd (erbjuden, patienten "
                   "tackade nej) eller Inställd (patienten behöver ett nytt datum)")
    p.add_argument("--reason", default="", metavar="TEXT",
                   help="orsak (krävs för Avböjd och Inställd)")

    add_census_parser(command, parse_date)
    add_matter_parsers(command, lambda p: p.add_subparsers(
        dest="arende_command", metavar="KOMMANDO", title="kommandon", required=True,
        parser_class=SwedishParser), parse_date, _add_db)
    add_follow_up_parsers(command, parse_year)
    return parser


