"""Printed round schedules and preparation lists: gather, check the names, save, audit.

The printout is data (:mod:`lakarrond.printouts`); this module reads the saved plan,
checks the doctor/unit the user asked for and records every printout in the audit log.
Turning it into pages is :mod:`lakarrond.io.pdf`'s job (and the window's print preview).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from datetime import date
from pathlib import Path

from lakarrond.document import PlanDocument
from lakarrond.errors import BadInput
from lakarrond.io.files import atomic_write
from lakarrond.printouts import MASKED, Printout, preparation_list, round_schedule
from lakarrond.services.document import load_document
from lakarrond.services.preparation import checklist, steps
from lakarrond.services.problem import get_plan
from lakarrond.services.week import load_week, week_printout
from lakarrond.store import Database, audit
from lakarrond.today import today as todays_date


def check_period(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_to < date_from:
        raise BadInput("Slutdatum (--to) ligger före startdatum (--from).")


def check_doctor(doc: PlanDocument, doctor: str | None) -> str:
    if not doctor:
        raise BadInput("Rondschemat gäller en läkare – ange läkarens namn (--doctor NAMN).")
    if doctor not in doc.doctors:
        raise BadInput(f"Läkaren \"{doctor}\" finns inte i planen för {doc.year}.")
    return doctor


def check_unit(doc: PlanDocument, unit: str | None) -> str:
    if not unit:
        raise BadInput("Förberedelselistan gäller en enhet – ange enhetens namn (--unit NAMN).")
    if unit not in doc.unit_names:
        raise BadInput(f"Enheten \"{unit}\" finns inte i planen för {doc.year}.")
    return unit


def _document(db: Database, year: int, version: int | None) -> PlanDocument:
    with db.read() as session:
        return load_document(session, year, version)


def make_round_schedule(
    db: Database,
    year: int,
    doctor: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    unit: str | None = None,
    numbers: str = MASKED,
    version: int | None = None,
) -> Printout:
    """The doctor's round schedule for a period (the whole year without dates), optionally
    for one of the doctor's units only."""
    check_period(date_from, date_to)
    doc = _document(db, year, version)
    check_doctor(doc, doctor)
    if unit is not None:
        check_unit(doc, unit)
        doc = doc.filtered(unit=unit)
    return round_schedule(doc, doctor, date_from, date_to, numbers=numbers)


def make_preparation_list(
    db: Database,
    year: int,
    unit: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    numbers: str = MASKED,
    version: int | None = None,
) -> Printout:
    """The unit's preparation list: the ÅMV whose preparation date lies in the period, with
    the year's checklist steps and the steps already done (ticked with the date)."""
    check_period(date_from, date_to)
    doc = _document(db, year, version)
    check_unit(doc, unit)
    rows = [(a.patient_id, a.date) for a in doc.reviews if a.unit == unit]
    with db.begin() as session:
        year_steps = steps(session, year)
        states = checklist(session, year, rows, todays_date()) if rows else {}
    ticks = {key: {s.step: s.done_on for s in found if s.done_on is not None}
             for key, found in states.items()}
    relatives = {s.name for s in year_steps if s.relatives}
    left_out = {pid for (pid, _day), found in states.items()
                if relatives and not relatives & {s.step for s in found}}
    return preparation_list(doc, unit, date_from, date_to, numbers=numbers, steps=year_steps,
                            ticks=ticks, no_relatives=left_out)


def make_week_list(
    db: Database,
    monday: date,
    today: date | None = None,
    *,
    doctor: str | None = None,
    numbers: str = MASKED,
    known: Iterable[PlanDocument | None] = (),
    doctors: Collection[str] | None = None,
) -> Printout:
    """The week's round list (the week of ``monday``): one page per doctor, or only
    ``doctor``'s page, or only the pages of ``doctors`` (a health centre's)."""
    week = load_week(db, monday, today or todays_date(), known)
    if doctor is not None and doctor not in {d.doctor for d in week.doctors}:
        raise BadInput(f"Läkaren \"{doctor}\" har inga ronder eller ÅMV {week.label.lower()}.")
    if doctors is not None and not set(doctors) & {d.doctor for d in week.doctors}:
        raise BadInput(f"De valda läkarna har inga ronder eller ÅMV {week.label.lower()}.")
    return week_printout(week, doctor, numbers=numbers, doctors=doctors)


def _slug(name: str) -> str:
    """``Anna Berg`` → ``anna-berg``, ``Åsa Öberg`` → ``asa-oberg`` (letters a file name
    keeps on every system)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "lakare"


def week_pdf_name(monday: date, doctor: str | None = None) -> str:
    """The file name of a week's round list: ``veckolista-v11-2027.pdf`` for every doctor,
    ``veckolista-v11-2027-anna-berg.pdf`` for one. The ISO week and its year are in the
    name, so one week's file never overwrites another week's."""
    year, week, _ = monday.isocalendar()
    name = f"veckolista-v{week}-{year}"
    return f"{name}-{_slug(doctor)}.pdf" if doctor else f"{name}.pdf"


def save_week_pdf(
    db: Database,
    monday: date,
    out: Path,
    today: date | None = None,
    *,
    doctor: str | None = None,
    numbers: str = MASKED,
    known: Iterable[PlanDocument | None] = (),
    doctors: Collection[str] | None = None,
) -> Path:
    """The week's round list (every doctor, or ``doctor`` only) saved as a PDF: ``out`` is a
    folder (the file is named by :func:`week_pdf_name`) or a ``.pdf`` file; audited."""
    out = Path(out)
    if out.is_dir():
        out = out / week_pdf_name(monday, doctor)
    printout = make_week_list(db, monday, today, doctor=doctor, numbers=numbers, known=known,
                              doctors=doctors)
    return save_pdf(db, printout, out)


def record_printout(db: Database, printout: Printout, path: Path | None = None) -> None:
    """Record a printout (on paper, or saved as PDF at ``path``) in the audit log."""
    with db.begin() as session:
        plan = get_plan(session, printout.year)
        audit(
            session, "print", "plan", plan.id if plan else None,
            after={
                "what": printout.kind,
                "count": printout.count,
                "year": printout.year,
                "doctor": printout.doctor,
                "from": printout.date_from.isoformat() if printout.date_from else None,
                "to": printout.date_to.isoformat() if printout.date_to else None,
                **({"unit": printout.unit} if printout.unit is not None else {}),
                **({"path": str(Path(path).resolve())} if path is not None else {}),
                "numbers": printout.numbers,  # personnummer on the paper
            },
        )


def write_pdf_file(printout: Printout, out: Path) -> Path:
    """Write the printout as a PDF at ``out`` (atomically); not audited (the caller does)."""
    # Qt lays out the pages: loaded here, when a PDF is written, so that the command line
    # and the services load no Qt otherwise (the import-linter contract names this edge)
    from lakarrond.io.pdf import text_document, write_pdf

    out = Path(out)
    document = text_document(printout)
    atomic_write(out, lambda tmp: write_pdf(document, tmp))
    return out


def save_pdf(db: Database, printout: Printout, out: Path) -> Path:
    """Write the printout as a PDF at ``out`` (atomically) and audit it."""
    out = write_pdf_file(printout, out)
    record_printout(db, printout, out)
    return out
