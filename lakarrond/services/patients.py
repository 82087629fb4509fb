"""Patient use cases for the desktop app: list, add, edit, discharge, move, exclude.

Each function opens its own transaction (one Session per user action), writes an audit row
in it, and turns an optimistic-lock clash into :class:`~lakarrond.store.ConflictError`
("Någon annan har ändrat patienten – läs in igen.").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any  # Any: JSON edge: audit values

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lakarrond import pnr
from lakarrond.errors import BadInput
from lakarrond.services.contacts import patient_doctor, patient_nurse
from lakarrond.services.preparation import checklist
from lakarrond.services.problem import latest_plan
from lakarrond.services.raised import raise_breakpoint, raise_move_in
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m
from lakarrond.today import today as todays_date
from solver.problem import PatientStatus, VisitStatus

FIELDS = (
    "name", "personnummer", "unit_id", "room", "admitted", "last_review", "status",
    "end_date", "excluded", "palliative_from", "doctor_id", "nurse", "no_relatives",
)  # fmt: skip


@dataclass(frozen=True)
class PatientData:
    """The editable fields of a patient (what the form shows)."""

    name: str
    unit_id: int
    admitted: date
    personnummer: str | None = None
    room: str = ""
    last_review: date | None = None
    status: str = PatientStatus.ACTIVE.value
    end_date: date | None = None
    excluded: str = ""
    palliative_from: date | None = None  # "Palliativ vård i livets slutskede" from
    doctor_id: int | None = None  # the named doctor (fast läkarkontakt); None = the unit's
    nurse: str = ""  # the named nurse (fast vårdkontakt); "" = the unit's
    # "Bjud inte in närstående" (by agreement with the patient): the preparation step that
    # invites relatives is not on this patient's checklist (services.preparation)
    no_relatives: bool = False


@dataclass(frozen=True)
class PatientRow:
    """One patient as the table shows it (a plain snapshot, no Session behind it)."""

    id: int
    version: int
    data: PatientData
    unit: str
    doctor: str  # the patient's doctor: the named one, else the unit's (services.contacts)
    nurse: str = ""  # the patient's nurse: the named one, else the unit's
    next_review: date | None = None  # the next live ÅMV from today in the year's plan
    prep_late: bool = False  # that ÅMV has a preparation step late
    late_steps: tuple[str, ...] = ()
    # what the save raised (services.raised: move-in assessment, Brytpunktsamtal), Swedish
    raised: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def masked(self) -> str:
        return pnr.mask(self.data.personnummer)


def validate(data: PatientData, today: date | None = None) -> list[str]:
    """Swedish messages for every bad field (empty list when the data is fine). A death is
    refused when dated after ``today`` (default :func:`lakarrond.today.today`)."""
    errors = []
    if not data.name.strip():
        errors.append("Namn måste anges.")
    if data.personnummer and pnr.normalise(data.personnummer) is None:
        errors.append(f"Personnumret \"{data.personnummer}\" är ogiltigt (kontrollsiffran "
                      "stämmer inte eller formatet är fel; skriv ÅÅÅÅMMDD-NNNN).")
    if data.status not in {s.value for s in PatientStatus}:
        errors.append(f"Okänd status \"{data.status}\".")
    if data.status != PatientStatus.ACTIVE and data.end_date is None:
        errors.append(f"Status {data.status} kräver ett slutdatum.")
    if data.end_date is not None and data.end_date < data.admitted:
        errors.append("Slutdatum ligger före inskrivningsdatum.")
    day = today or todays_date()
    if (data.status == PatientStatus.DECEASED and data.end_date is not None
            and data.end_date > day):
        errors.append(f"Slutdatum {data.end_date.isoformat()} ligger efter dagens datum "
                      f"({day.isoformat()}): status Avliden anges först när det har hänt. "
                      "Välj Utskriven för en planerad utskrivning eller flytt.")
    return errors


def _snapshot(p: m.Patient) -> PatientRow:
    data = PatientData(
        name=p.name,
        unit_id=p.unit_id,
        admitted=p.admitted,
        personnummer=p.personnummer,
        room=p.room or "",
        last_review=p.last_review,
        status=p.status,
        end_date=p.end_date,
        excluded=p.excluded or "",
        palliative_from=p.palliative_from,
        doctor_id=p.doctor_id,
        nurse=p.nurse or "",
        no_relatives=bool(p.no_relatives),
    )
    return PatientRow(id=p.id, version=p.version, data=data, unit=p.unit.name,
                      doctor=patient_doctor(p), nurse=patient_nurse(p))


def _audit_values(data: PatientData | dict[str, Any]) -> dict[str, Any]:
    values = asdict(data) if isinstance(data, PatientData) else dict(data)
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "personnummer":
            value = pnr.mask(value) or None
        elif isinstance(value, date):
            value = value.isoformat()
        out[key] = value
    return out


def _clean(data: PatientData, stored_pnr: str | None = None,
           today: date | None = None) -> PatientData:
    """Validated and normalised data; a personnummer already stored as it is is kept."""
    unchanged = bool(data.personnummer) and data.personnummer == stored_pnr
    errors = validate(replace(data, personnummer=None) if unchanged else data, today)
    if errors:
        raise BadInput("\n".join(errors))
    if unchanged:
        number = data.personnummer
    else:
        number = pnr.normalise(data.personnummer) if data.personnummer else None
    end = data.end_date if data.status != PatientStatus.ACTIVE else None
    return replace(data, name=data.name.strip(), personnummer=number, room=data.room.strip(),
                   excluded=data.excluded.strip(), end_date=end, nurse=data.nurse.strip())


def _units_own(session: Session, data: PatientData) -> PatientData:
    """The unit's own doctor or nurse named on the patient is stored as empty (= the
    unit's), so that a later change of the unit's doctor or nurse reaches the patient."""
    unit = session.get(m.Unit, data.unit_id)
    if unit is None:
        return data
    doctor = None if data.doctor_id == unit.doctor_id else data.doctor_id
    nurse = "" if data.nurse == (unit.nurse or "") else data.nurse
    return replace(data, doctor_id=doctor, nurse=nurse)


def _check_unique(session: Session, data: PatientData, own_id: int | None) -> None:
    if session.get(m.Unit, data.unit_id) is None:
        raise BadInput("Enheten finns inte längre – läs in igen.")
    if data.doctor_id is not None and session.get(m.Doctor, data.doctor_id) is None:
        raise BadInput("Läkaren finns inte längre – läs in igen.")
    if data.personnummer:
        other = session.scalars(
            select(m.Patient).where(m.Patient.personnummer == data.personnummer)
        ).first()
        if other is not None and other.id != own_id:
            raise BadInput(f"Personnumret {data.personnummer} finns redan ({other.name}).")


def list_patients(db: Database, year: int | None = None,
                  today: date | None = None,
                  only: Collection[int] | None = None) -> list[PatientRow]:
    """Every patient (``only``: just these ids, for a list updated in place); with
    ``year`` also each one's next ÅMV from ``today`` (default: the real today) in the
    year's latest plan and whether its preparation is late."""
    with db.read() as s:
        query = (select(m.Patient)
                 .options(selectinload(m.Patient.unit).selectinload(m.Unit.doctor),
                          selectinload(m.Patient.named_doctor))
                 .order_by(m.Patient.name, m.Patient.id))
        if only is not None:
            query = query.where(m.Patient.id.in_(sorted(only)))
        rows = s.scalars(query).all()
        out = [_snapshot(p) for p in rows]
        if year is None:
            return out
        day = today or todays_date()
        upcoming = _next_reviews(s, year, day, {p.id: p for p in rows}, only)
        states = checklist(s, year, list(upcoming.items()), day) if upcoming else {}
    late = {pid: tuple(st.step for st in states.get((pid, when), ()) if st.late)
            for pid, when in upcoming.items()}
    return [replace(r, next_review=upcoming.get(r.id), prep_late=bool(late.get(r.id)),
                    late_steps=late.get(r.id, ())) for r in out]


def _next_reviews(session: Session, year: int, today: date,
                  patients: dict[int, m.Patient],
                  only: Collection[int] | None = None) -> dict[int, date]:
    """Patient id → the date of the next live ÅMV (Planerad or Låst, from ``today``) in the
    year's latest plan; an ÅMV the patient left (ended, excluded, moved) does not count."""
    plan = latest_plan(session, year)
    if plan is None:
        return {}
    found: dict[int, date] = {}
    query = select(m.Visit.patient_id, m.Visit.date, m.Visit.unit).where(
        m.Visit.plan_id == plan.id, m.Visit.date >= today,
        m.Visit.status.in_((VisitStatus.PLANNED, VisitStatus.LOCKED)))
    if only is not None:
        query = query.where(m.Visit.patient_id.in_(sorted(only)))
    for pid, day, unit in session.execute(query):
        p = patients.get(pid)
        if (p is None or p.excluded or (p.end_date is not None and day >= p.end_date)
                or (unit and unit != p.unit.name)):
            continue
        if pid not in found or day < found[pid]:
            found[pid] = day
    return found


def get_patient(db: Database, patient_id: int) -> PatientRow:
    with db.read() as s:
        p = s.get(m.Patient, patient_id)
        if p is None:
            raise BadInput("Patienten finns inte längre – läs in igen.")
        return _snapshot(p)


def create_patient(db: Database, data: PatientData, today: date | None = None) -> PatientRow:
    """Add a patient; returns the saved row. A death after ``today`` is refused."""
    data = _clean(data, today=today)
    with db.begin() as s:
        _check_unique(s, data, None)
        data = _units_own(s, data)
        p = m.Patient(**asdict(data), birth_date=pnr.birth_date(data.personnummer))
        s.add(p)
        s.flush()
        audit(s, "create", "patient", p.id, patient_id=p.id, after=_audit_values(data))
        s.refresh(p)
        raised = _raise(s, p, {"palliative_from": data.palliative_from}, today)
        return replace(_snapshot(p), raised=raised)


def _raise(session: Session, p: m.Patient, after: dict[str, Any],
           today: date | None) -> tuple[str, ...]:
    """The matters a save raises (:mod:`lakarrond.services.raised`): the move-in assessment
    when the unit changed (moved today), the Brytpunktsamtal when a palliative date was set."""
    day = today or todays_date()
    found = []
    if "unit_id" in after:
        found.append(raise_move_in(session, p, day))
    if after.get("palliative_from") is not None:
        found.append(raise_breakpoint(session, p, day))
    return tuple(r.message for r in found if r is not None)


def update_patient(
    db: Database, patient_id: int, data: PatientData, expected_version: int | None = None,
    today: date | None = None, raise_matters: bool = True, undo: bool = False,
) -> PatientRow:
    """Save the patient's fields. ``expected_version`` is the version the user edited; a
    different stored version means someone else changed the patient: ConflictError. A death
    after ``today`` is refused when the status or the end date changes. ``undo``: the save
    takes back an earlier one (audited with the action ``undo``: a move undone is no move in
    the list "Ändringar sedan", :mod:`lakarrond.services.census`)."""
    with db.begin() as s:
        p = s.get(m.Patient, patient_id)
        if p is None:
            raise ConflictError("patienten")
        kept_end = (data.status, data.end_date) == (p.status, p.end_date)
        data = _clean(data, p.personnummer, date.max if kept_end else today)
        if expected_version is not None and p.version != expected_version:
            raise ConflictError("patienten")
        _check_unique(s, data, patient_id)
        data = _units_own(s, data)
        old = _snapshot(p).data
        before, after = {}, {}
        for key in FIELDS:
            if getattr(old, key) != getattr(data, key):
                before[key], after[key] = getattr(old, key), getattr(data, key)
                setattr(p, key, getattr(data, key))
        if not after:
            return _snapshot(p)
        if "personnummer" in after:
            p.birth_date = pnr.birth_date(data.personnummer)
        s.flush()
        audit(s, "undo" if undo else "update", "patient", p.id, patient_id=p.id,
              before=_audit_values(before), after=_audit_values(after))
        s.refresh(p)
        raised = _raise(s, p, after, today) if raise_matters else ()
        return replace(_snapshot(p), raised=raised)


def delete_patient(db: Database, patient_id: int, expected_version: int | None = None) -> None:
    """Remove a patient and their ÅMV (used to undo an add)."""
    with db.begin() as s:
        p = s.get(m.Patient, patient_id)
        if p is None:
            return
        if expected_version is not None and p.version != expected_version:
            raise ConflictError("patienten")
        before = _audit_values(_snapshot(p).data)
        for visit in s.scalars(select(m.Visit).where(m.Visit.patient_id == patient_id)):
            s.delete(visit)
        s.delete(p)
        audit(s, "delete", "patient", patient_id, patient_id=patient_id, before=before)


def restore_patient(db: Database, patient_id: int, data: PatientData) -> PatientRow:
    """Put a deleted patient back under the same id (used to redo an add after an undo)."""
    data = _clean(data, today=date.max)  # it was checked when it was added
    with db.begin() as s:
        if s.get(m.Patient, patient_id) is not None:
            raise ConflictError("patienten")
        _check_unique(s, data, None)
        data = _units_own(s, data)
        p = m.Patient(id=patient_id, **asdict(data), birth_date=pnr.birth_date(data.personnummer))
        s.add(p)
        s.flush()
        audit(s, "create", "patient", p.id, patient_id=p.id, after=_audit_values(data))
        s.refresh(p)
        return _snapshot(p)
