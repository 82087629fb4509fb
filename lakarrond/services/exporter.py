"""Exporting a saved plan: JSON (contracts §3), Excel, iCalendar, PDF (printouts).

The file is written to a temporary file in the same folder and renamed into place, so a
failure never leaves a half-written file. Every export is recorded in the audit log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.io import files
from lakarrond.services.document import json_document
from lakarrond.services.errors import BadInput, ServiceError
from lakarrond.services.plan import get_plan, plan_document
from lakarrond.store import Database, audit
from lakarrond.store import models as m

FORMATS = (".json", ".xlsx", ".ics", ".pdf")


def filter_document(
    doc: dict[str, Any],
    doctor: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    prep: bool = False,
) -> dict[str, Any]:
    """A copy of ``doc`` limited to one doctor, one unit and a period (inclusive). With
    ``prep`` the period applies to the preparation dates and the ÅMV are ordered by them."""
    lo = date_from.isoformat() if date_from else ""
    hi = date_to.isoformat() if date_to else "9999-12-31"

    def keep_appt(a: dict[str, Any]) -> bool:
        day = a["preparation"] if prep else a["date"]
        return (
            (doctor is None or a["doctor"] == doctor)
            and (unit is None or a["unit"] == unit)
            and lo <= day <= hi
        )

    def keep_round(r: dict[str, Any]) -> bool:
        return (
            (doctor is None or r["doctor"] == doctor)
            and (unit is None or r["unit"] == unit)
            and lo <= r["date"] <= hi
        )

    units_of_doctor = {r["unit"] for r in doc.get("rounds", []) if r["doctor"] == doctor}
    units_of_doctor |= {a["unit"] for a in doc["appointments"] if a["doctor"] == doctor}

    def keep_unit_row(row: dict[str, Any]) -> bool:
        if unit is not None and row.get("unit") != unit:
            return False
        return doctor is None or row.get("unit") in units_of_doctor

    out = dict(doc)
    appointments = [a for a in doc["appointments"] if keep_appt(a)]
    if prep:
        appointments.sort(key=lambda a: (a["preparation"], a["unit"], a["patient"]))
    out["appointments"] = appointments
    out["rounds"] = [r for r in doc.get("rounds", []) if keep_round(r)]
    out["unplaced"] = [u for u in doc["unplaced"] if keep_unit_row(u)]
    out["violations"] = [v for v in doc["violations"] if keep_unit_row(v)]
    out["filter"] = {
        "doctor": doctor,
        "unit": unit,
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
        "prep": prep,
    }
    out["prep"] = prep
    return out


def _without_personnummer(doc: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    out["appointments"] = [{**a, "personnummer": None} for a in doc["appointments"]]
    return out


def write_json(doc: dict[str, Any], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(json_document(doc), fh, ensure_ascii=False, indent=2)
        fh.write("\n")


def _writer(suffix: str, include_personnummer: bool, doctor: str | None) -> Callable:
    if suffix == ".json":
        return write_json
    if suffix == ".xlsx":
        try:
            from lakarrond.io.excel_export import write_plan_xlsx
        except ImportError as exc:
            raise ServiceError("Excel-export finns inte i den här versionen ännu.") from exc
        return lambda doc, path: write_plan_xlsx(doc, path, include_personnummer)
    if suffix == ".ics":
        try:
            from lakarrond.io.ics import write_plan_ics
        except ImportError as exc:
            raise ServiceError("Kalenderexport (.ics) finns inte i den här versionen.") from exc
        return lambda doc, path: write_plan_ics(doc, path, doctor)
    raise BadInput(
        f"Okänt filformat \"{suffix or '(inget)'}\" – använd .xlsx, .ics, .pdf eller .json."
    )


def atomic_write(out: Path, write: Callable[[Path], None]) -> Path:
    """The one atomic writer (:func:`lakarrond.io.files.atomic_write`) for an export: the
    folder must exist (a missing one is a :class:`BadInput`), the file is private (0600)."""
    return files.atomic_write(Path(out), write, make_folder=False)


def organisation_name(session: Session, doctors: set[str]) -> str | None:
    """The health centre(s) of ``doctors``, for a printed page header; None when unknown."""
    names = session.scalars(
        select(m.HealthCentre.name).join(m.Doctor).where(m.Doctor.name.in_(doctors))
        .distinct().order_by(m.HealthCentre.name)
    ).all()
    return ", ".join(names) if names else None


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
) -> Path:
    """Write the year's plan (latest version unless ``version``) to ``out``; the format
    follows the suffix (.json, .xlsx, .ics, .pdf). A .pdf is a printout: the round schedule
    of ``doctor``, or with ``prep`` the preparation list of ``unit``. Returns the path."""
    out = Path(out)
    suffix = out.suffix.lower()
    if date_from and date_to and date_to < date_from:
        raise BadInput("Slutdatum (--to) ligger före startdatum (--from).")
    if suffix == ".pdf":
        return _export_pdf(db, year, out, doctor, date_from, date_to, include_personnummer,
                           unit, prep, version)
    writer = _writer(suffix, include_personnummer, doctor)
    with db.begin() as session:
        doc = plan_document(session, year, version)
        known_doctors = {a["doctor"] for a in doc["appointments"]}
        known_doctors |= {r["doctor"] for r in doc["rounds"]}
        if doctor is not None and doctor not in known_doctors:
            raise BadInput(f"Läkaren \"{doctor}\" finns inte i planen för {year}.")
        known_units = {a["unit"] for a in doc["appointments"]} | {r["unit"] for r in doc["rounds"]}
        if unit is not None and unit not in known_units:
            raise BadInput(f"Enheten \"{unit}\" finns inte i planen för {year}.")
        doc = filter_document(doc, doctor, date_from, date_to, unit, prep)
        if not include_personnummer:
            doc = _without_personnummer(doc)
        plan = get_plan(session, year, version)
        doctors = {a["doctor"] for a in doc["appointments"]} | {r["doctor"] for r in doc["rounds"]}
        doc["organisation"] = organisation_name(session, doctors)
        atomic_write(out, lambda path: writer(doc, path))
        audit(
            session,
            "export",
            "plan",
            plan.id if plan else None,
            after={
                "format": suffix.lstrip("."),
                "path": str(out.resolve()),
                "count": len(doc["appointments"]),
                "year": year,
                "version": doc["version"],
                "doctor": doctor,
                "unit": unit,
                "from": date_from.isoformat() if date_from else None,
                "to": date_to.isoformat() if date_to else None,
                "personnummer": include_personnummer,
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
    include_personnummer: bool,
    unit: str | None,
    prep: bool,
    version: int | None,
) -> Path:
    """A PDF is a printout: the round schedule (``--doctor``) or, with ``--prep``, the
    preparation list of a unit (``--unit``)."""
    from lakarrond.services import printing

    if prep:
        if unit is None:
            raise BadInput(
                "Förberedelselistan (--prep) gäller en enhet – ange --unit NAMN."
            )
        return printing.export_preparation_pdf(
            db, year, unit, date_from, date_to, out,
            include_personnummer=include_personnummer, version=version,
        )
    if doctor is None:
        if unit is not None:
            raise BadInput(
                "PDF för en enhet är förberedelselistan – lägg till --prep, "
                "eller ange --doctor NAMN för ett rondschema."
            )
        raise BadInput(
            "PDF kräver --doctor NAMN (rondschema) eller --unit NAMN --prep "
            "(förberedelselista)."
        )
    return printing.export_round_schedule_pdf(
        db, year, doctor, date_from, date_to, out, unit=unit,
        include_personnummer=include_personnummer, version=version,
    )


def record_print(
    db: Database,
    year: int,
    what: str,
    count: int,
    doctor: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    path: str | None = None,
    personnummer: bool | None = None,
) -> None:
    """Record a printout (e.g. a round schedule) in the audit log; ``path`` when it was
    saved as a file."""
    with db.begin() as session:
        plan = get_plan(session, year)
        audit(
            session,
            "print",
            "plan",
            plan.id if plan else None,
            after={
                "what": what,
                "count": count,
                "year": year,
                "doctor": doctor,
                "from": date_from.isoformat() if date_from else None,
                "to": date_to.isoformat() if date_to else None,
                **({"unit": unit} if unit is not None else {}),
                **({"path": path} if path is not None else {}),
                **({"personnummer": personnummer} if personnummer is not None else {}),
            },
        )
