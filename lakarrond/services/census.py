"""Ändringar sedan: read the facts for :func:`lakarrond.census.census_rows` from the store,
and export the list (Excel, PDF, JSON; audited as an export).

The unit changes come from the audit log (append-only, written by the form, the import and
every undo: ``patient`` rows whose before/after hold ``unit_id``); an undo's row has the
action ``undo`` (:func:`lakarrond.services.patients.update_patient`), so a move undone is
not a move. The doctor of a row is the patient's (services.contacts).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any  # Any: the audit log's JSON values

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from lakarrond.census import CensusList, CensusPatient, CensusUnit, UnitChange, census_rows
from lakarrond.errors import BadInput
from lakarrond.io.census_export import write_census_json, write_census_xlsx
from lakarrond.printouts import FULL, MASKED, NONE, Printout, census_printout
from lakarrond.services import contacts, printing
from lakarrond.store import Database, audit
from lakarrond.store import models as m
from lakarrond.today import today as todays_date

FORMATS = (".xlsx", ".pdf", ".json")
AUDIT_ENTITY = "census"  # audit rows of an exported list: action "export"
DEFAULT_DAYS = 14  # the dialog's date when the list was never exported


def _unit(u: m.Unit) -> CensusUnit:
    centre = u.doctor.health_centre
    return CensusUnit(u.id, u.name, u.doctor.name, centre.name if centre else "")


def _patient(p: m.Patient) -> CensusPatient:
    own = contacts.own_doctor(p)  # a doctor the patient keeps, else the unit's (None)
    centre = own.health_centre if own is not None else None
    return CensusPatient(
        id=p.id, name=p.name, personnummer=p.personnummer, unit_id=p.unit_id,
        admitted=p.admitted, status=str(p.status), end_date=p.end_date,
        doctor=own.name if own is not None else None,
        health_centre=(centre.name if centre else "") if own is not None else None)


def _unit_id(values: dict[str, Any] | None) -> int | None:
    value = (values or {}).get("unit_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def local_day(at: datetime) -> date:
    """The day an audit row was written, in the computer's time zone."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone().date()


def unit_changes(session: Session, since: date) -> list[UnitChange]:
    """The patients' unit changes audited from the day before ``since`` (UTC) on, in the
    log's order (the exact local day is filtered by :func:`census_rows`)."""
    start = datetime.combine(since - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    rows = session.execute(
        select(m.AuditLog.id, m.AuditLog.at, m.AuditLog.action, m.AuditLog.patient_id,
               m.AuditLog.before, m.AuditLog.after)
        .where(m.AuditLog.entity == "patient", m.AuditLog.action.in_(("update", "undo")),
               m.AuditLog.at >= start, m.AuditLog.patient_id.is_not(None))
        .order_by(m.AuditLog.id))
    found = []
    for seq, at, action, patient_id, before, after in rows:
        old, new = _unit_id(before), _unit_id(after)
        if old is not None and new is not None and old != new:
            found.append(UnitChange(seq, int(patient_id), local_day(at), old, new,
                                    undo=action == "undo"))
    return found


def read_census(session: Session, since: date) -> CensusList:
    """The list since ``since`` (every output reads this one list)."""
    changes = unit_changes(session, since)
    moved = {c.patient_id for c in changes}
    patients = session.scalars(
        select(m.Patient).options(selectinload(m.Patient.unit))
        .where(or_(m.Patient.admitted >= since, m.Patient.end_date >= since,
                   m.Patient.id.in_(sorted(moved)))))
    units = session.scalars(select(m.Unit).options(
        selectinload(m.Unit.doctor).selectinload(m.Doctor.health_centre)))
    return census_rows([_patient(p) for p in patients], {u.id: _unit(u) for u in units},
                       changes, since, until=todays_date())


def load_census(db: Database, since: date) -> CensusList:
    with db.read() as session:
        return read_census(session, since)


def last_export(db: Database) -> date | None:
    """The day the list was last exported (any format), from the audit log; None: never."""
    with db.read() as session:
        at = session.scalar(select(m.AuditLog.at).where(
            m.AuditLog.entity == AUDIT_ENTITY, m.AuditLog.action == "export")
            .order_by(m.AuditLog.id.desc()).limit(1))
    return local_day(at) if at is not None else None


def default_since(db: Database, today: date | None = None) -> date:
    """The dialog's date: the last export, else ``DEFAULT_DAYS`` days before today."""
    return last_export(db) or (today or todays_date()) - timedelta(days=DEFAULT_DAYS)


def census_paper(census: CensusList, include_personnummer: bool,
                 full_numbers: bool = True) -> Printout:
    """The printout: personnummer whole (the health centre identifies the patient by it),
    masked when not ``full_numbers``, or none."""
    numbers = (FULL if full_numbers else MASKED) if include_personnummer else NONE
    return census_printout(census, numbers)


def export_census(db: Database, since: date, out: Path, include_personnummer: bool = True,
                  census: CensusList | None = None) -> Path:
    """Write the list since ``since`` (``census`` when already read) to ``out``: .xlsx,
    .pdf or .json by the suffix; atomically; audited as an export (no personnummer and no
    names in the audit row)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(f"Okänt filformat \"{suffix or '(inget)'}\" – använd .xlsx, .pdf "
                       "eller .json.")
    if not out.parent.is_dir():
        raise BadInput(f"Mappen {out.parent} finns inte.")
    found = census if census is not None else load_census(db, since)
    if suffix == ".xlsx":
        write_census_xlsx(found, out, include_personnummer)
    elif suffix == ".json":
        write_census_json(found, out, include_personnummer)
    else:
        printing.write_pdf_file(census_paper(found, include_personnummer), out)
    record_export(db, found, suffix.lstrip("."), include_personnummer, out)
    return out


def record_export(db: Database, census: CensusList, fmt: str, include_personnummer: bool,
                  out: Path | None = None) -> None:
    """Audit the list as exported (a file, or ``fmt`` "text"/"json" on the command line's
    standard out): the date, format, path and count, never a name or personnummer."""
    with db.begin() as session:
        audit(session, "export", AUDIT_ENTITY, None, after={
            "format": fmt, "path": str(out.resolve()) if out is not None else None,
            "since": census.since.isoformat(), "count": len(census.rows),
            "personnummer": include_personnummer})
