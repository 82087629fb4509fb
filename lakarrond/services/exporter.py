"""Exporting a saved plan: JSON (contracts §3), Excel, iCalendar, PDF (printouts).

Every file is written atomically (:func:`lakarrond.io.files.atomic_write`), so a failure
never leaves a half-written file, and every export is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from lakarrond.document import PlanDocument
from lakarrond.errors import BadInput
from lakarrond.io.excel_export import write_plan_xlsx
from lakarrond.io.ics import write_plan_ics
from lakarrond.io.json_export import write_plan_json
from lakarrond.io.moves_export import write_moves_xlsx
from lakarrond.printouts import FULL, MASKED, NONE, MovedList, MovedRow, Printout, moved_list
from lakarrond.services import printing
from lakarrond.services.document import load_document
from lakarrond.services.plan import PlanDraft
from lakarrond.services.problem import get_plan
from lakarrond.store import Database, audit

FORMATS = (".json", ".xlsx", ".ics", ".pdf")
Writer = Callable[[PlanDocument, Path], object]


def _writer(suffix: str, include_personnummer: bool, doctor: str | None,
            include_names: bool = False) -> Writer:
    if suffix == ".json":
        return write_plan_json
    if suffix == ".xlsx":
        return lambda doc, path: write_plan_xlsx(doc, path, include_personnummer)
    if suffix == ".ics":
        return lambda doc, path: write_plan_ics(doc, path, doctor, include_names)
    raise BadInput(
        f"Okänt filformat \"{suffix or '(inget)'}\" – använd .xlsx, .ics, .pdf eller .json."
    )


def _check_folder(out: Path) -> None:
    if not out.parent.is_dir():
        raise BadInput(f"Mappen {out.parent} finns inte.")


def export_plan(
    db: Database,
    year: int,
    out: Path,
    doctor: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    include_personnummer: bool = True,
    unit: str | None = None,
    prep: bool = False,
    version: int | None = None,
    full_numbers_on_paper: bool = False,
    health_centre: str | None = None,
    include_names: bool = False,
) -> Path:
    """Write the year's plan (latest version unless ``version``) to ``out``; the format
    follows the suffix (.json, .xlsx, .ics, .pdf). ``health_centre`` limits it to the units
    of that vårdcentral's doctors; ``include_names`` puts the patients' names (never their
    personnummer) in a calendar file. A .pdf is a printout: the round schedule of
    ``doctor``, or with ``prep`` the preparation list of ``unit``; its personnummer are
    masked unless ``full_numbers_on_paper`` (and left out without
    ``include_personnummer``). Returns the path."""
    out = Path(out)
    suffix = out.suffix.lower()
    printing.check_period(date_from, date_to)
    if suffix == ".pdf":
        numbers = (FULL if full_numbers_on_paper else MASKED) if include_personnummer else NONE
        return _export_pdf(db, year, out, doctor, date_from, date_to, numbers, unit, prep,
                           version)
    writer = _writer(suffix, include_personnummer, doctor, include_names)
    _check_folder(out)
    with db.begin() as session:
        doc = load_document(session, year, version)
        if doctor is not None and doctor not in doc.doctors:
            raise BadInput(f"Läkaren \"{doctor}\" finns inte i planen för {year}.")
        if unit is not None and unit not in doc.unit_names:
            raise BadInput(f"Enheten \"{unit}\" finns inte i planen för {year}.")
        if health_centre is not None and health_centre not in doc.health_centres:
            raise BadInput(f"Vårdcentralen \"{health_centre}\" finns inte i planen för {year}.")
        doc = doc.filtered(doctor, date_from, date_to, unit, prep, health_centre)
        if not include_personnummer:
            doc = doc.without_personnummer()
        plan = get_plan(session, year, version)
        writer(doc, out)  # every writer saves atomically (io.files.atomic_write)
        audit(
            session, "export", "plan", plan.id if plan else None,
            after={
                "format": suffix.lstrip("."),
                "path": str(out.resolve()),
                "count": len(doc.reviews),
                "year": year,
                "version": doc.version,
                "health_centre": health_centre,
                "doctor": doctor,
                "unit": unit,
                "from": date_from.isoformat() if date_from else None,
                "to": date_to.isoformat() if date_to else None,
                "personnummer": include_personnummer,
                **({"names": include_names} if suffix == ".ics" else {}),
            },
        )
    return out


def _export_pdf(
    db: Database,
    year: int,
    out: Path,
    doctor: str | None,
    date_from: date | None,
    date_to: date | None,
    numbers: str,
    unit: str | None,
    prep: bool,
    version: int | None,
) -> Path:
    """A PDF is a printout: the round schedule (``--doctor``) or, with ``--prep``, the
    preparation list of a unit (``--unit``)."""
    if prep:
        if unit is None:
            raise BadInput("Förberedelselistan (--prep) gäller en enhet – ange --unit NAMN.")
        job = printing.make_preparation_list(db, year, unit, date_from, date_to,
                                             numbers=numbers, version=version)
    elif doctor is None:
        if unit is not None:
            raise BadInput(
                "PDF för en enhet är förberedelselistan – lägg till --prep, "
                "eller ange --doctor NAMN för ett rondschema."
            )
        raise BadInput(
            "PDF kräver --doctor NAMN (rondschema) eller --unit NAMN --prep "
            "(förberedelselista)."
        )
    else:
        job = printing.make_round_schedule(db, year, doctor, date_from, date_to, unit=unit,
                                           numbers=numbers, version=version)
    _check_folder(out)
    return printing.save_pdf(db, job, out)


def moved_printout(draft: PlanDraft) -> Printout:
    """The re-plan's list "Flyttade – meddela" as a printout (for paper, PDF or Excel)."""
    rows = [MovedRow(mv.patient, mv.unit, mv.doctor, mv.old, mv.new, mv.reason, mv.old_time,
                     mv.new_time) for mv in draft.moves]
    return moved_list(draft.year, draft.plan_from, rows)


def export_moves(db: Database, printout: Printout, out: Path) -> Path:
    """Save the list of moved ÅMV as .xlsx or .pdf; audited."""
    out = Path(out)
    suffix = out.suffix.lower()
    _check_folder(out)
    if suffix == ".pdf":
        return printing.save_pdf(db, printout, out)
    if suffix != ".xlsx" or not isinstance(printout.content, MovedList):
        raise BadInput("Listan kan sparas som .xlsx eller .pdf.")
    write_moves_xlsx(printout.content, out)
    with db.begin() as session:
        audit(session, "export", "moved_list", None, after={
            "format": "xlsx", "path": str(out.resolve()), "count": printout.count,
            "year": printout.year, "from": printout.date_from.isoformat()
            if printout.date_from else None})
    return out
