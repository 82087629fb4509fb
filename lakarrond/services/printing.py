"""Printed round schedules and preparation lists (issue 6): build, write as PDF, audit.

The documents themselves are built by :mod:`lakarrond.io.pdf`; this module gathers what
they need from the store (the saved plan, the units' nurses and types, the doctors'
absences), checks the names the user gave, and records every printout in the audit log.

The desktop app prints with a preview::

    job = round_schedule(db, year, doctor, date_from, date_to)   # or preparation_list(...)
    printer = pdf.make_printer()      # keep a reference while the dialog lives
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.paintRequested.connect(lambda p: pdf.print_document(job.document, p))
    if dialog.exec() == QDialog.DialogCode.Accepted:
        record_printout(db, job)

Build the printout in the GUI thread (it makes a ``QTextDocument``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lakarrond.services.errors import BadInput
from lakarrond.services.exporter import atomic_write, filter_document, record_print
from lakarrond.services.plan import plan_document, to_solver_unit
from lakarrond.store import Database
from lakarrond.store import models as m

if TYPE_CHECKING:
    from PySide6.QtGui import QTextDocument

ROUND_SCHEDULE = "rondschema"
PREPARATION_LIST = "förberedelselista"


@dataclass(frozen=True)
class Printout:
    """A document ready to print or save, and what the audit log says about it."""

    document: QTextDocument
    what: str  # ROUND_SCHEDULE or PREPARATION_LIST
    year: int
    count: int  # ÅMV on the paper
    doctor: str | None = None
    unit: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    personnummer: bool = True


def print_data(session: Session, year: int, version: int | None = None) -> dict[str, Any]:
    """The saved plan's document (see :func:`plan_document`) plus the extras the printouts
    use: ``units`` (type, nurse, doctor, health centre, ÅMV in the round) and ``absences``."""
    doc = plan_document(session, year, version)
    units = session.scalars(
        select(m.Unit).options(selectinload(m.Unit.doctor).selectinload(m.Doctor.health_centre))
    ).all()
    doc["units"] = {
        u.name: {
            "type": u.type,
            "nurse": u.nurse or "",
            "doctor": u.doctor.name,
            "health_centre": u.doctor.health_centre.name if u.doctor.health_centre else "",
            "reviews_in_round": to_solver_unit(u).reviews_at_rounds,
        }
        for u in units
    }
    first, last = date(year, 1, 1), date(year, 12, 31)
    absences = session.scalars(
        select(m.Absence)
        .where(m.Absence.end >= first, m.Absence.start <= last)
        .options(selectinload(m.Absence.doctor))
    ).all()
    doc["absences"] = [
        {
            "doctor": a.doctor.name,
            "start": a.start.isoformat(),
            "end": a.end.isoformat(),
            "reason": a.reason or "",
            "substitute": a.substitute or "",
        }
        for a in sorted(absences, key=lambda a: (a.start, a.id))
    ]
    return doc


def _check_period(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_to < date_from:
        raise BadInput("Slutdatum (--to) ligger före startdatum (--from).")


def _check_doctor(doc: dict[str, Any], doctor: str | None, year: int) -> str:
    if not doctor:
        raise BadInput("Rondschemat gäller en läkare – ange läkarens namn (--doctor NAMN).")
    known = {r["doctor"] for r in doc["rounds"]} | {a["doctor"] for a in doc["appointments"]}
    if doctor not in known:
        raise BadInput(f"Läkaren \"{doctor}\" finns inte i planen för {year}.")
    return doctor


def _check_unit(doc: dict[str, Any], unit: str | None, year: int) -> str:
    if not unit:
        raise BadInput("Förberedelselistan gäller en enhet – ange enhetens namn (--unit NAMN).")
    known = {r["unit"] for r in doc["rounds"]} | {a["unit"] for a in doc["appointments"]}
    if unit not in known:
        raise BadInput(f"Enheten \"{unit}\" finns inte i planen för {year}.")
    return unit


def _without_personnummer(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "appointments": [{**a, "personnummer": None} for a in doc["appointments"]]}


def round_schedule(
    db: Database,
    year: int,
    doctor: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    unit: str | None = None,
    include_personnummer: bool = True,
    version: int | None = None,
) -> Printout:
    """The doctor's round schedule for a period (the whole year without dates), optionally
    for one of the doctor's units only. Build it in the GUI thread."""
    from lakarrond.io.pdf import round_schedule_document

    _check_period(date_from, date_to)
    with db.begin() as session:
        doc = print_data(session, year, version)
    _check_doctor(doc, doctor, year)
    if unit is not None:
        _check_unit(doc, unit, year)
        doc = {**doc, "appointments": [a for a in doc["appointments"] if a["unit"] == unit],
               "rounds": [r for r in doc["rounds"] if r["unit"] == unit]}
    if not include_personnummer:
        doc = _without_personnummer(doc)
    count = len(filter_document(doc, doctor, date_from, date_to)["appointments"])
    return Printout(
        document=round_schedule_document(doc, doctor, date_from, date_to),
        what=ROUND_SCHEDULE, year=year, count=count, doctor=doctor, unit=unit,
        date_from=date_from, date_to=date_to, personnummer=include_personnummer,
    )


def preparation_list(
    db: Database,
    year: int,
    unit: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    include_personnummer: bool = True,
    version: int | None = None,
) -> Printout:
    """The unit's preparation list: the ÅMV whose preparation date lies in the period."""
    from lakarrond.io.pdf import preparation_document

    _check_period(date_from, date_to)
    with db.begin() as session:
        doc = print_data(session, year, version)
    _check_unit(doc, unit, year)
    if not include_personnummer:
        doc = _without_personnummer(doc)
    count = len(filter_document(doc, None, date_from, date_to, unit, prep=True)["appointments"])
    return Printout(
        document=preparation_document(doc, unit, date_from, date_to),
        what=PREPARATION_LIST, year=year, count=count, doctor=None, unit=unit,
        date_from=date_from, date_to=date_to, personnummer=include_personnummer,
    )


def record_printout(db: Database, printout: Printout, path: Path | None = None) -> None:
    """Record a printout (on paper, or saved as PDF at ``path``) in the audit log."""
    record_print(
        db, printout.year, printout.what, printout.count, doctor=printout.doctor,
        date_from=printout.date_from, date_to=printout.date_to, unit=printout.unit,
        path=str(Path(path).resolve()) if path is not None else None,
        personnummer=printout.personnummer,
    )


def save_pdf(db: Database, printout: Printout, out: Path) -> Path:
    """Write the printout as a PDF at ``out`` (atomically) and audit it."""
    from lakarrond.io.pdf import write_pdf

    out = Path(out)
    atomic_write(out, lambda tmp: write_pdf(printout.document, tmp))
    record_printout(db, printout, out)
    return out


def export_round_schedule_pdf(
    db: Database,
    year: int,
    doctor: str,
    date_from: date | None,
    date_to: date | None,
    out: Path,
    *,
    unit: str | None = None,
    include_personnummer: bool = True,
    version: int | None = None,
) -> Path:
    """Write the doctor's round schedule for the period as a PDF; audited."""
    job = round_schedule(db, year, doctor, date_from, date_to, unit=unit,
                         include_personnummer=include_personnummer, version=version)
    return save_pdf(db, job, out)


def export_preparation_pdf(
    db: Database,
    year: int,
    unit: str,
    date_from: date | None,
    date_to: date | None,
    out: Path,
    *,
    include_personnummer: bool = True,
    version: int | None = None,
) -> Path:
    """Write the unit's preparation list for the period as a PDF; audited."""
    job = preparation_list(db, year, unit, date_from, date_to,
                           include_personnummer=include_personnummer, version=version)
    return save_pdf(db, job, out)
