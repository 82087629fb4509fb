"""Doctor and absence (frånvaro) use cases for the desktop app; each call is one audited
transaction and returns what undo needs (the data before the change).

A doctor who leaves is *retired* (``retired_on``), not deleted: the history (plans, absences,
the audit log) keeps the name, and a retired doctor gets no new units. Retiring is refused
while a unit or an active patient (the named doctor, fast läkarkontakt) still has the doctor.
:func:`delete_doctor` exists to undo :func:`create_doctor` (and to remove a doctor entered by
mistake); it is refused while the doctor has units or is any patient's named doctor.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any  # Any: JSON edge: audit values

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lakarrond.agreement import below_floor_line
from lakarrond.errors import BadInput, Where
from lakarrond.formatting import count
from lakarrond.phone import phone_problem
from lakarrond.services.common import jsonable
from lakarrond.services.problem import format_weekdays, parse_weekdays
from lakarrond.services.settings import default_reviews_per_day
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m
from solver.problem import PatientStatus
from solver.result import DoctorTime

MAX_NAME_LENGTH = 200
MAX_REVIEWS_PER_DAY = 20
DOCTOR_FIELDS = ("name", "health_centre", "review_weekdays", "reviews_per_day")


@dataclass(frozen=True)
class DoctorData:
    """The editable fields of a doctor (the doctor form). ``health_centre`` is a name; a
    new one is created when saved."""

    name: str
    health_centre: str = ""
    review_weekdays: tuple[int, ...] = ()
    reviews_per_day: int = 2


@dataclass(frozen=True)
class DoctorRow:
    id: int
    name: str
    health_centre: str
    review_weekdays: tuple[int, ...]
    reviews_per_day: int
    units: tuple[str, ...]
    retired_on: date | None = None
    version: int = 0
    # doctor time against the agreement and the floor in force (services.doctor_time;
    # None: not computed for this list)
    doctor_time: DoctorTime | None = None
    floor: float = 0.0

    @property
    def doctor_time_note(self) -> str:
        """"Läkartid under avtalet: …" when the doctor is below the floor, else ""."""
        if self.doctor_time is None:
            return ""
        return below_floor_line(self.name, self.doctor_time, self.floor)

    @property
    def retired(self) -> bool:
        return self.retired_on is not None

    @property
    def data(self) -> DoctorData:
        return DoctorData(self.name, self.health_centre, self.review_weekdays,
                          self.reviews_per_day)


@dataclass(frozen=True)
class AbsenceData:
    doctor_id: int
    start: date
    end: date
    reason: str = ""
    substitute: str = ""
    # the substitute holds the ÅMV on those days (the doctor's ÅMV need not move)
    reviews_by_substitute: bool = False
    phone: str = ""  # the substitute's phone number (lakarrond.phone)


@dataclass(frozen=True)
class AbsenceRow:
    id: int
    doctor: str
    data: AbsenceData
    version: int = 0


# --- doctors -----------------------------------------------------------------------------


def _row(d: m.Doctor) -> DoctorRow:
    return DoctorRow(
        id=d.id, name=d.name,
        health_centre=d.health_centre.name if d.health_centre else "",
        review_weekdays=parse_weekdays(d.review_weekdays or ""),
        reviews_per_day=d.reviews_per_day,
        units=tuple(sorted(u.name for u in d.units)),
        retired_on=d.retired_on,
        version=d.version,
    )


def list_doctors(db: Database, *, include_retired: bool = True) -> list[DoctorRow]:
    """Every doctor by name; ``include_retired=False`` leaves out the retired ones (e.g. the
    doctor list of the unit form)."""
    with db.read() as s:
        query = (select(m.Doctor)
                 .options(selectinload(m.Doctor.health_centre), selectinload(m.Doctor.units))
                 .order_by(m.Doctor.name))
        if not include_retired:
            query = query.where(m.Doctor.retired_on.is_(None))
        return [_row(d) for d in s.scalars(query).all()]


def new_doctor_data(db: Database, year: int) -> DoctorData:
    """An empty doctor form with the year's default ÅMV per dag (Settings dialog)."""
    return DoctorData(name="", reviews_per_day=default_reviews_per_day(db, year))


def validate_doctor(data: DoctorData) -> list[str]:
    """Swedish messages for every bad field (empty when the data is fine)."""
    errors = []
    name = data.name.strip()
    if not name:
        errors.append("Namn: läkaren måste ha ett namn.")
    elif len(name) > MAX_NAME_LENGTH:
        errors.append(f"Namn: högst {MAX_NAME_LENGTH} tecken.")
    if len(data.health_centre.strip()) > MAX_NAME_LENGTH:
        errors.append(f"Vårdcentral: högst {MAX_NAME_LENGTH} tecken.")
    if any(not 0 <= d <= 4 for d in data.review_weekdays):
        errors.append("ÅMV-dagar: välj bland måndag–fredag.")
    if not 0 <= data.reviews_per_day <= MAX_REVIEWS_PER_DAY:
        errors.append(f"ÅMV per dag måste vara 0–{MAX_REVIEWS_PER_DAY} "
                      f"(nu {data.reviews_per_day}).")
    return errors


def _doctor_values(d: m.Doctor) -> dict[str, Any]:
    return {
        "name": d.name,
        "health_centre": d.health_centre.name if d.health_centre else "",
        "review_weekdays": d.review_weekdays or "",
        "reviews_per_day": d.reviews_per_day,
    }


def _data_of(d: m.Doctor) -> DoctorData:
    return DoctorData(d.name, d.health_centre.name if d.health_centre else "",
                      parse_weekdays(d.review_weekdays or ""), d.reviews_per_day)


def _centre(s: Session, name: str) -> m.HealthCentre | None:
    """The health centre called ``name``, created (audited) when new; None for ""."""
    name = name.strip()
    if not name:
        return None
    centre = s.scalars(select(m.HealthCentre).where(m.HealthCentre.name == name)).first()
    if centre is None:
        centre = m.HealthCentre(name=name)
        s.add(centre)
        s.flush()
        audit(s, "create", "health_centre", centre.id, after={"name": name})
    return centre


def _check_doctor(s: Session, data: DoctorData, own_id: int | None) -> None:
    errors = validate_doctor(data)
    if errors:
        raise BadInput("\n".join(errors))
    name = data.name.strip()
    other = s.scalars(
        select(m.Doctor).where(func.lower(m.Doctor.name) == name.lower())
    ).first()
    if other is not None and other.id != own_id:
        raise BadInput(f"Det finns redan en läkare som heter {other.name}.",
                       where=Where(field="Namn", value=name))


def _get_doctor(s: Session, doctor_id: int, expected_version: int | None = None) -> m.Doctor:
    d = s.get(m.Doctor, doctor_id)
    if d is None or (expected_version is not None and d.version != expected_version):
        raise ConflictError("läkaren")
    return d


def create_doctor(db: Database, data: DoctorData) -> DoctorRow:
    """Add a doctor (name unique; the health centre is created when new)."""
    return _insert_doctor(db, data, None)


def restore_doctor(db: Database, doctor_id: int, data: DoctorData) -> DoctorRow:
    """Put a deleted doctor back under the same id (redo of an add after its undo), so later
    undo steps that name the doctor still find it."""
    return _insert_doctor(db, data, doctor_id)


def _insert_doctor(db: Database, data: DoctorData, doctor_id: int | None) -> DoctorRow:
    with db.begin() as s:
        if doctor_id is not None and s.get(m.Doctor, doctor_id) is not None:
            raise ConflictError("läkaren")
        _check_doctor(s, data, None)
        d = m.Doctor(id=doctor_id, name=data.name.strip(),
                     health_centre=_centre(s, data.health_centre),
                     review_weekdays=format_weekdays(sorted(set(data.review_weekdays))),
                     reviews_per_day=data.reviews_per_day)
        s.add(d)
        s.flush()
        audit(s, "create", "doctor", d.id, after=_doctor_values(d))
        return _row(d)


def _apply(s: Session, d: m.Doctor, data: DoctorData) -> DoctorData:
    """Check and apply ``data`` to ``d`` (audited); returns the data before."""
    _check_doctor(s, data, d.id)
    old, old_values = _data_of(d), _doctor_values(d)
    centre = _centre(s, data.health_centre)  # may flush: before the doctor changes
    d.name = data.name.strip()
    d.health_centre = centre
    d.review_weekdays = format_weekdays(sorted(set(data.review_weekdays)))
    d.reviews_per_day = data.reviews_per_day
    new_values = _doctor_values(d)
    changed = [k for k in DOCTOR_FIELDS if old_values[k] != new_values[k]]
    if changed:
        audit(s, "update", "doctor", d.id, before={k: old_values[k] for k in changed},
              after={k: new_values[k] for k in changed})
    return old


def edit_doctor(
    db: Database, doctor_id: int, data: DoctorData, expected_version: int | None = None
) -> DoctorData:
    """Change name, health centre, ÅMV days and ÅMV per dag; returns the data before (undo:
    call again with it)."""
    with db.begin() as s:
        return _apply(s, _get_doctor(s, doctor_id, expected_version), data)


def _refuse_named(s: Session, d: m.Doctor, active_only: bool = False) -> None:
    """BadInput while patients (only active ones: ``active_only``) have ``d`` as their named
    doctor (fast läkarkontakt): their ÅMV are planned in the doctor's time."""
    query = select(m.Patient.name).where(m.Patient.doctor_id == d.id)
    if active_only:
        query = query.where(m.Patient.status == PatientStatus.ACTIVE.value)
    named = sorted(s.scalars(query).all())
    if named:
        raise BadInput(f"{d.name} är namngiven läkare för {count(len(named), 'patient')} "
                       f"({', '.join(named[:3])}{' …' if len(named) > 3 else ''}). "
                       "Byt läkare för dem först.", where=Where(field="Läkare", value=d.name))


def retire_doctor(db: Database, doctor_id: int, on: date) -> date | None:
    """Mark the doctor as retired from ``on``; refused while units still have the doctor.
    Returns the retirement date before (None: was active; undo with
    :func:`reactivate_doctor` or by retiring again on that date)."""
    with db.begin() as s:
        d = _get_doctor(s, doctor_id)
        if d.units:
            names = ", ".join(sorted(u.name for u in d.units))
            raise BadInput(
                f"{d.name} är läkare för {count(len(d.units), 'enhet')} ({names}). "
                "Byt läkare för dem först.", where=Where(field="Läkare", value=d.name))
        _refuse_named(s, d, active_only=True)
        before = d.retired_on
        if before != on:
            d.retired_on = on
            audit(s, "update", "doctor", d.id, before=jsonable({"retired_on": before}),
                  after={"retired_on": on.isoformat()})
        return before


def reactivate_doctor(db: Database, doctor_id: int) -> date | None:
    """Undo a retirement; returns the retirement date it had."""
    with db.begin() as s:
        d = _get_doctor(s, doctor_id)
        before = d.retired_on
        if before is not None:
            d.retired_on = None
            audit(s, "update", "doctor", d.id, before={"retired_on": before.isoformat()},
                  after={"retired_on": None})
        return before


def delete_doctor(db: Database, doctor_id: int) -> DoctorData | None:
    """Remove a doctor without units (with the absences); returns the data (None when the
    doctor is already gone). For a doctor who leaves, use :func:`retire_doctor`."""
    with db.begin() as s:
        d = s.get(m.Doctor, doctor_id)
        if d is None:
            return None
        if d.units:
            raise BadInput(f"{d.name} är läkare för {count(len(d.units), 'enhet')}; "
                           "byt läkare för dem först.", where=Where(field="Läkare"))
        _refuse_named(s, d)
        data = _data_of(d)
        audit(s, "delete", "doctor", d.id, before=_doctor_values(d))
        s.delete(d)
        return data


# --- absences ----------------------------------------------------------------------------


def list_absences(db: Database) -> list[AbsenceRow]:
    with db.read() as s:
        rows = s.scalars(
            select(m.Absence).options(selectinload(m.Absence.doctor)).order_by(m.Absence.start)
        ).all()
        return [AbsenceRow(id=a.id, doctor=a.doctor.name, data=_absence_data(a),
                           version=a.version) for a in rows]


def validate_absence(data: AbsenceData) -> list[str]:
    errors = []
    if data.end < data.start:
        errors.append("Till-datum ligger före från-datum.")
    if len(data.reason.strip()) > MAX_NAME_LENGTH:
        errors.append(f"Orsak: högst {MAX_NAME_LENGTH} tecken.")
    if len(data.substitute.strip()) > MAX_NAME_LENGTH:
        errors.append(f"Vikarie: högst {MAX_NAME_LENGTH} tecken.")
    if data.reviews_by_substitute and not data.substitute.strip():
        errors.append("Vikarie: ange vikarien som håller ÅMV under frånvaron.")
    problem = phone_problem(data.phone)
    if problem is not None:
        errors.append(f"Telefon: {problem} (nu \"{data.phone.strip()[:20]}\").")
    return errors


def _absence_data(a: m.Absence) -> AbsenceData:
    return AbsenceData(a.doctor_id, a.start, a.end, a.reason or "", a.substitute or "",
                       bool(a.reviews_by_substitute), a.phone or "")


def _json(data: AbsenceData) -> dict[str, Any]:
    values: dict[str, Any] = jsonable(asdict(data))
    return values


def _clean(data: AbsenceData) -> AbsenceData:
    errors = validate_absence(data)
    if errors:
        raise BadInput("\n".join(errors))
    return AbsenceData(data.doctor_id, data.start, data.end, data.reason.strip(),
                       data.substitute.strip(), data.reviews_by_substitute,
                       data.phone.strip())


def add_absence(db: Database, data: AbsenceData, absence_id: int | None = None) -> int:
    """Add an absence; returns its id. With ``absence_id`` a deleted absence is put back
    under its old id (undo of a delete, redo of an add)."""
    data = _clean(data)
    with db.begin() as s:
        if s.get(m.Doctor, data.doctor_id) is None:
            raise ConflictError("läkaren")
        if absence_id is not None and s.get(m.Absence, absence_id) is not None:
            raise ConflictError("frånvaron")
        a = m.Absence(**asdict(data))
        if absence_id is not None:
            a.id = absence_id
        s.add(a)
        s.flush()
        audit(s, "create", "absence", a.id, after=_json(data))
        return a.id


def update_absence(
    db: Database, absence_id: int, data: AbsenceData, expected_version: int | None = None
) -> AbsenceData:
    """Change an absence (dates, reason, substitute, who holds the ÅMV, even the doctor);
    returns the data before (undo: call again with it)."""
    data = _clean(data)
    with db.begin() as s:
        a = s.get(m.Absence, absence_id)
        if a is None or (expected_version is not None and a.version != expected_version):
            raise ConflictError("frånvaron")
        if s.get(m.Doctor, data.doctor_id) is None:
            raise ConflictError("läkaren")
        old = _absence_data(a)
        if old != data:
            before, after = _json(old), _json(data)
            for key, value in asdict(data).items():
                setattr(a, key, value)
            changed = [k for k in after if before[k] != after[k]]
            audit(s, "update", "absence", a.id, before={k: before[k] for k in changed},
                  after={k: after[k] for k in changed})
        return old


def delete_absence(db: Database, absence_id: int) -> AbsenceData | None:
    """Remove an absence; returns what it was (for undo)."""
    with db.begin() as s:
        a = s.get(m.Absence, absence_id)
        if a is None:
            return None
        data = _absence_data(a)
        audit(s, "delete", "absence", a.id, before=_json(data))
        s.delete(a)
        return data
