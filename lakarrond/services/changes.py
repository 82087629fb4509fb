"""What the others changed: the audit log read as a change feed for a window.

Every change is audited (:mod:`lakarrond.store.audit`), so the audit log's id is a change
counter that both backends have: a window remembers the last id it has seen and asks, every
few seconds, for the rows after it (:func:`read_changes`: one query on the primary key while
nothing happened). Its own rows (:func:`lakarrond.store.written_here`), exports and
printouts are left out. Each change says who, when, what kind and a Swedish one-line
description with the name of the patient, unit or doctor – never a personnummer nor a
free-text note (the before/after values are read only for the plan year and an ÅMV's status).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar  # Any: SQLAlchemy rows and the audit log's JSON values

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from lakarrond.services.visits import STATUS_WORDS
from lakarrond.store import AuditLog, Database, Doctor, Patient, Plan, Unit, Visit, written_here
from solver.problem import VisitStatus

V = TypeVar("V")
BATCH = 500  # audit rows read per poll at most (an import writes many: the rest next time)


class ChangeKind(StrEnum):
    """What a change concerns: which of the window's lists and forms it touches."""

    PATIENT = "patient"
    UNIT = "unit"
    DOCTOR = "doctor"
    PLAN = "plan"  # a plan version saved or removed
    OUTCOME = "outcome"  # an ÅMV recorded, moved or booked
    PREPARATION = "preparation"
    SETTINGS = "settings"  # the year's settings, round dates
    IMPORT = "import"  # an Excel import or the example data: everything


KIND_OF_ENTITY: Mapping[str, ChangeKind] = {
    "patient": ChangeKind.PATIENT, "unit": ChangeKind.UNIT,
    "health_centre": ChangeKind.UNIT, "doctor": ChangeKind.DOCTOR,
    "absence": ChangeKind.DOCTOR, "plan": ChangeKind.PLAN, "visit": ChangeKind.OUTCOME,
    "preparation": ChangeKind.PREPARATION, "setting": ChangeKind.SETTINGS,
    "round_change": ChangeKind.SETTINGS, "workbook": ChangeKind.IMPORT,
    "database": ChangeKind.IMPORT,
}
NOT_CHANGES = ("export", "print")  # audited, but nothing in the database changed


@dataclass(frozen=True)
class Change:
    """One change made by someone else."""

    id: int  # the audit row
    at: datetime  # UTC
    user: str
    kind: ChangeKind
    action: str  # create, update, delete, plan, fix, import, demo
    subject_id: int | None  # the patient, unit, doctor or plan changed (None: unknown)
    year: int | None  # the plan year a plan, ÅMV or setting belongs to
    text: str  # Swedish, one line: "anna ändrade patienten Karl Berg kl. 10:42"
    visit_id: int | None = None  # the ÅMV, for a change of one (an outcome, a move, a booking)

    @property
    def in_place(self) -> bool:
        """An ÅMV of a plan recorded or moved (not booked nor removed): the plan document
        can be patched for it alone, as the window does for its own outcomes."""
        return (self.kind == ChangeKind.OUTCOME and self.action == "update"
                and self.visit_id is not None and self.year is not None)


@dataclass(frozen=True)
class ChangesSeen:
    """One poll: the newest audit id read (ours and exports included: the next poll starts
    after it) and the others' changes among the rows read."""

    last_id: int
    changes: tuple[Change, ...] = ()


def read_changes(db: Database, after: int | None, *, own: Collection[int] | None = None,
                 limit: int = BATCH) -> ChangesSeen:
    """The others' changes after audit id ``after`` (None: none – only where the log is
    now, for a window that has just read everything). ``own``: the audit ids to leave out
    (default: those written through ``db`` in this process)."""
    with db.read() as session:
        if after is None:
            return ChangesSeen(int(session.scalar(select(func.max(AuditLog.id))) or 0))
        rows = session.execute(
            select(AuditLog.id, AuditLog.at, AuditLog.user, AuditLog.action, AuditLog.entity,
                   AuditLog.entity_id, AuditLog.patient_id, AuditLog.before, AuditLog.after)
            .where(AuditLog.id > after).order_by(AuditLog.id).limit(limit)).all()
        if not rows:
            return ChangesSeen(after)
        mine = written_here(db.engine) if own is None else own
        theirs = [r for r in rows if r.id not in mine and r.action not in NOT_CHANGES
                  and r.entity in KIND_OF_ENTITY]
        names = _Names.read(session, theirs) if theirs else _Names()
        return ChangesSeen(rows[-1].id, tuple(_change(r, names) for r in theirs))


def changes_since(db: Database, audit_id: int) -> list[Change]:
    """The others' changes after audit id ``audit_id`` (up to :data:`BATCH` rows read)."""
    return list(read_changes(db, audit_id).changes)


@dataclass
class _Names:
    """The names and plan years the descriptions need, read in one go per poll."""

    patients: dict[int, str] | None = None
    units: dict[int, str] | None = None
    doctors: dict[int, str] | None = None
    plans: dict[int, int] | None = None  # plan id → year
    visits: dict[int, int] | None = None  # visit id → plan year

    @classmethod
    def read(cls, session: Session, rows: Sequence[Any]) -> _Names:
        def ids(*entities: str) -> set[int]:
            return {i for r in rows if r.entity in entities
                    and (i := _int(r.entity_id)) is not None}

        patient_ids = {r.patient_id for r in rows if r.patient_id is not None}
        patient_ids |= ids("patient")
        found = cls()
        if patient_ids:
            found.patients = _lookup(session, select(Patient.id, Patient.name)
                                     .where(Patient.id.in_(patient_ids)))
        if unit_ids := ids("unit"):
            found.units = _lookup(session, select(Unit.id, Unit.name)
                                  .where(Unit.id.in_(unit_ids)))
        if doctor_ids := ids("doctor"):
            found.doctors = _lookup(session, select(Doctor.id, Doctor.name)
                                    .where(Doctor.id.in_(doctor_ids)))
        if plan_ids := ids("plan"):
            found.plans = _lookup(session, select(Plan.id, Plan.year)
                                  .where(Plan.id.in_(plan_ids)))
        if visit_ids := ids("visit"):
            found.visits = _lookup(session, select(Visit.id, Plan.year)
                                   .join(Plan, Visit.plan_id == Plan.id)
                                   .where(Visit.id.in_(visit_ids)))
        return found


def _lookup(session: Session, query: Select[int, V]) -> dict[int, V]:
    return {key: value for key, value in session.execute(query).all()}


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _year(row: Any, names: _Names) -> int | None:
    """The plan year of a plan, ÅMV or setting row (None: not known or not one of those)."""
    entity_id = _int(row.entity_id)
    if row.entity == "plan" and entity_id is not None and entity_id in (names.plans or {}):
        return (names.plans or {})[entity_id]
    if row.entity == "visit" and entity_id is not None:
        return (names.visits or {}).get(entity_id)
    for values in (row.after, row.before):
        year = values.get("year") if isinstance(values, dict) else None
        if isinstance(year, int):
            return year
    return None


VERBS = {"create": "lade till", "update": "ändrade", "delete": "tog bort"}


def _describe(row: Any, names: _Names, year: int | None) -> str:
    """What was done, in the words of the window (no personnummer, no note)."""
    entity, action, entity_id = row.entity, row.action, _int(row.entity_id)
    verb = VERBS.get(action, "ändrade")
    patient_id = row.patient_id if row.patient_id is not None else \
        entity_id if entity == "patient" else None
    patient = (names.patients or {}).get(patient_id) if patient_id is not None else None
    for_year = f" för {year}" if year is not None else ""
    if entity == "patient":
        return f"{verb} patienten {patient}" if patient and action != "delete" else \
            f"{verb} en patient"
    if entity in ("unit", "doctor"):
        found = (names.units if entity == "unit" else names.doctors) or {}
        noun = "enheten" if entity == "unit" else "läkaren"
        name = found.get(entity_id or -1)
        if name and action != "delete":
            return f"{verb} {noun} {name}"
        return f"{verb} en {'enhet' if entity == 'unit' else 'läkare'}"
    if entity == "health_centre":
        return f"{verb} en vårdcentral"
    if entity == "absence":
        return f"{verb} en frånvaro"
    if entity == "plan":
        return f"tog bort en planversion{for_year}" if action == "delete" else \
            f"sparade en ny plan{for_year}"
    if entity == "visit":
        whom = f" för {patient}" if patient else ""
        status = row.after.get("status") if isinstance(row.after, dict) else None
        word = STATUS_WORDS.get(VisitStatus(status)) if status in set(VisitStatus) else None
        return f"{verb} en ÅMV{whom}" if action == "delete" or word is None else \
            f"ändrade ÅMV{whom} ({word})"
    if entity == "preparation":
        return f"ändrade förberedelsen för {patient}" if patient else \
            "ändrade förberedelsen"
    if entity == "setting":
        return f"ändrade inställningarna{for_year}"
    if entity == "round_change":
        return f"{verb} ett ronddatum" if action != "update" else "ändrade ett ronddatum"
    if entity == "workbook":
        return "importerade en Excel-fil"
    return "läste in exempeldata"  # database: the example data


def _subject(row: Any) -> int | None:
    if row.entity in ("patient", "visit", "preparation") and row.patient_id is not None:
        return int(row.patient_id)
    return _int(row.entity_id)


def _change(row: Any, names: _Names) -> Change:
    year = _year(row, names)
    local = row.at.astimezone().strftime("%H:%M")
    return Change(id=row.id, at=row.at, user=row.user, kind=KIND_OF_ENTITY[row.entity],
                  action=row.action, subject_id=_subject(row), year=year,
                  text=f"{row.user} {_describe(row, names, year)} kl. {local}",
                  visit_id=_int(row.entity_id) if row.entity == "visit" else None)


__all__ = ["BATCH", "Change", "ChangeKind", "ChangesSeen", "changes_since", "read_changes"]
