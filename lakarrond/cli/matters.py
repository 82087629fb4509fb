"""The command line's matters (ärenden) and planning basis (contracts §2, issue 21):
``lakarrond arende add|list|set`` and ``lakarrond underlag``. The services are imported
inside each command, so that the other commands do not pay for them."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from lakarrond.cli.db import open_db
from lakarrond.errors import BadInput
from lakarrond.matter import MatterKind, MatterStatus, Role, parse_role

if TYPE_CHECKING:
    from lakarrond.services.matters import MatterRow

EXIT_OK = 0
SET_STATUSES = (MatterStatus.DONE.value, MatterStatus.MOVED.value, MatterStatus.STRUCK.value)
AddParser = Callable[[str, str], argparse.ArgumentParser]


def add_parsers(command: AddParser,
                subparsers: Callable[..., argparse._SubParsersAction[argparse.ArgumentParser]],
                parse_date: Callable[[str], object], add_db: Callable[..., None]) -> None:
    """Register ``arende`` (with add, list, set) and ``underlag`` (``command`` makes a
    subcommand of the main parser, ``subparsers`` nests commands under one)."""
    p = command("arende", "boka, lista och registrera ärenden i en rond (utöver ÅMV)")
    sub = subparsers(p)

    def nested(name: str, help_text: str) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = sub.add_parser(name, help=help_text,
                                                    description=help_text)
        add_db(q, argparse.SUPPRESS)
        return q

    q = nested("add", "boka ett ärende i en enhets rond")
    q.add_argument("--unit", required=True, metavar="ENHET", help="enhetens namn")
    q.add_argument("--date", type=parse_date, required=True, metavar="DATUM",
                   help="rondens datum (ÅÅÅÅ-MM-DD)")
    q.add_argument("--kind", required=True, metavar="TYP",
                   help="typ: " + ", ".join(k.value for k in MatterKind))
    q.add_argument("--patient", metavar="NAMN_ELLER_PERSONNUMMER",
                   help="patienten (behövs utom för Avstämning och Övrigt)")
    q.add_argument("--minutes", type=int, metavar="M",
                   help="minuter (standard: inställningen för typen)")
    q.add_argument("--by", default="", metavar="TEXT",
                   help="vem som tar upp ärendet, t.ex. \"Sjuksköterska Eva Syster\" (yrke: "
                   + ", ".join(r.value for r in Role) + ")")
    q.add_argument("--note", default="", metavar="TEXT",
                   help="anteckning (hälsouppgift: skrivs bara på planeringsunderlaget)")
    q.add_argument("--force", action="store_true",
                   help="boka även när ÅMV tar tiden: de ÅMV får nya datum vid nästa plan "
                   "(listas i \"Flyttade – meddela\")")
    q.add_argument("--json", action="store_true", help="skriv ärendet som JSON")

    q = nested("list", "lista ärenden")
    q.add_argument("--unit", metavar="ENHET", help="bara den här enheten")
    q.add_argument("--doctor", metavar="NAMN", help="bara den här läkarens enheter")
    q.add_argument("--from", dest="date_from", type=parse_date, metavar="DATUM",
                   help="från och med datum")
    q.add_argument("--to", dest="date_to", type=parse_date, metavar="DATUM",
                   help="till och med datum")
    q.add_argument("--json", action="store_true", help="skriv listan som JSON")

    q = nested("set", "registrera ett ärende som genomfört, flyttat eller struket")
    q.add_argument("id", type=int, metavar="ID", help="ärendets nummer")
    q.add_argument("--status", required=True, choices=SET_STATUSES,
                   help="Genomförd, Flyttad (till --date) eller Struken (med --reason)")
    q.add_argument("--date", type=parse_date, metavar="DATUM",
                   help="det nya datumet för ett flyttat ärende (en senare rond)")
    q.add_argument("--reason", default="", metavar="TEXT", help="orsak (krävs för Struken)")
    q.add_argument("--som-amv", dest="as_review", action="store_true",
                   help="en genomförd vårdplanering vid försämring räknas som ÅMV: nästa "
                        "ÅMV räknas från dess datum")

    p = command("underlag", "skriv Planeringsunderlag fast planerad läkartid för en rond "
                "eller en läkares ronder under en period (.pdf eller .json)")
    p.add_argument("--unit", metavar="ENHET", help="enheten (med --date)")
    p.add_argument("--date", type=parse_date, metavar="DATUM", help="rondens datum")
    p.add_argument("--doctor", metavar="NAMN", help="läkaren (med --from och --to)")
    p.add_argument("--from", dest="date_from", type=parse_date, metavar="DATUM",
                   help="från och med datum")
    p.add_argument("--to", dest="date_to", type=parse_date, metavar="DATUM",
                   help="till och med datum")
    p.add_argument("--out", required=True, metavar="FIL",
                   help="filen som skrivs: .pdf eller .json")
    p.add_argument("--med-personnummer", action="store_true",
                   help="skriv patienternas personnummer (annars utelämnas de)")



def split_by(text: str) -> tuple[str, str]:
    """"Sjuksköterska Eva Syster" → ("Sjuksköterska", "Eva Syster"); without a role word
    first, the whole text is the name."""
    head, _, rest = text.strip().partition(" ")
    role = parse_role(head)
    return (role.value, rest.strip()) if role is not None else ("", text.strip())


def _line(x: MatterRow) -> str:
    who = f" – {x.patient}" if x.patient else ""
    by = f", {x.by}" if x.by else ""
    status = x.status + (f": {x.reason}" if x.reason else "") + (
        f" (nytt ärende {x.moved_to})" if x.moved_to else "")
    return (f"{x.id:>4}  {x.date.isoformat()}  {x.unit}: {x.kind}{who}, {x.minutes} min"
            f"{by} [{status}]")


def cmd_matter(args: argparse.Namespace) -> int:
    from lakarrond.services.matters import book, list_matters, set_status

    db = open_db(args)
    try:
        if args.arende_command == "add":
            role, name = split_by(args.by)
            row = book(db, args.unit, args.date, args.kind, patient=args.patient,
                       minutes=args.minutes, by_role=role, by_name=name, note=args.note,
                       force=args.force)
            if args.json:
                print(json.dumps(row.to_json(), ensure_ascii=False, indent=2))
            else:
                print(f"Ärende {row.id} är bokat: {_line(row).strip()}")
                if args.force:
                    print(f"ÅMV som inte längre ryms får nya datum vid nästa plan: "
                          f"lakarrond plan --year {row.date.year} --preview")
        elif args.arende_command == "list":
            rows = list_matters(db, unit=args.unit, doctor=args.doctor,
                                date_from=args.date_from, date_to=args.date_to)
            if args.json:
                print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
            else:
                print("\n".join(_line(r) for r in rows) if rows else "Inga ärenden.")
        else:
            change = set_status(db, args.id, args.status, new_date=args.date,
                                reason=args.reason, counts_as_review=args.as_review)
            text = f"Ärende {change.matter_id} är registrerat som {change.new_status.lower()}"
            if change.counted:
                text += " och räknas som ÅMV (nästa ÅMV får nytt datum vid nästa plan)"
            if change.new_matter_id is not None:
                text += f" (bokat på nytt som ärende {change.new_matter_id})"
            print(text + ".")
    finally:
        db.dispose()
    return EXIT_OK


def cmd_basis(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lakarrond.services.basis import make_basis, write_basis

    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".json"):
        raise BadInput(f"Underlaget skrivs som .pdf eller .json, inte \"{out.name}\".")
    db = open_db(args)
    try:
        rounds = make_basis(db, unit=args.unit, day=args.date, doctor=args.doctor,
                            date_from=args.date_from, date_to=args.date_to,
                            with_personnummer=args.med_personnummer)
        path = write_basis(db, rounds, out, args.med_personnummer)
    finally:
        db.dispose()
    count = "1 rond" if len(rounds) == 1 else f"{len(rounds)} ronder"
    print(f"Planeringsunderlaget ({count}) är skrivet till {path}")
    return EXIT_OK


MATTER_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "arende": cmd_matter,
    "underlag": cmd_basis,
}
