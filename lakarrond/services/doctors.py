"""Doctor and absence (frånvaro) use cases for the desktop app; each call is one audited
transaction."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lakarrond.services.errors import BadInput
from lakarrond.services.problem import format_weekdays, parse_weekdays
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m


@dataclass(frozen=True)
class DoctorRow:
    id: int
    name: str
    health_centre: str
    review_weekdays: tuple[int, ...]
    reviews_per_day: int
    units: tuple[str, ...]


@dataclass(frozen=True)
class AbsenceData:
    doctor_id: int
    start: date
    end: date
    reason: str = ""
    substitute: str = ""


@dataclass(frozen=True)
class AbsenceRow:
    id: int
    doctor: str
    data: AbsenceData


def list_doctors(db: Database) -> list[DoctorRow]:
    with db.begin() as s:
        doctors = s.scalars(
            select(m.Doctor)
            .options(selectinload(m.Doctor.health_centre), selectinload(m.Doctor.units))
            .order_by(m.Doctor.name)
        ).all()
        return [
            DoctorRow(
                id=d.id, name=d.name,
                health_centre=d.health_centre.name if d.health_centre else "",
                review_weekdays=parse_weekdays(d.review_weekdays or ""),
                reviews_per_day=d.reviews_per_day,
                units=tuple(sorted(u.name for u in d.units)),
            )
            for d in doctors
        ]


def update_doctor(
    db: Database, doctor_id: int, review_weekdays: tuple[int, ...], reviews_per_day: int
) -> None:
    """Change the doctor's separate ÅMV days (R6) and their capacity."""
    if reviews_per_day < 0:
        raise BadInput("ÅMV per dag kan inte vara negativt.")
    with db.begin() as s:
        d = s.get(m.Doctor, doctor_id)
        if d is None:
            raise ConflictError("läkaren")
        before = {"review_weekdays": d.review_weekdays, "reviews_per_day": d.reviews_per_day}
        d.review_weekdays = format_weekdays(sorted(set(review_weekdays)))
        d.reviews_per_day = reviews_per_day
        audit(s, "update", "doctor", d.id, before=before,
              after={"review_weekdays": d.review_weekdays, "reviews_per_day": reviews_per_day})


def list_absences(db: Database) -> list[AbsenceRow]:
    with db.begin() as s:
        rows = s.scalars(
            select(m.Absence).options(selectinload(m.Absence.doctor)).order_by(m.Absence.start)
        ).all()
        return [
            AbsenceRow(id=a.id, doctor=a.doctor.name,
                       data=AbsenceData(a.doctor_id, a.start, a.end, a.reason or "",
                                        a.substitute or ""))
            for a in rows
        ]


def validate_absence(data: AbsenceData) -> list[str]:
    errors = []
    if data.end < data.start:
        errors.append("Till-datum ligger före från-datum.")
    return errors


def _json(data: AbsenceData) -> dict:
    values = asdict(data)
    values["start"], values["end"] = data.start.isoformat(), data.end.isoformat()
    return values


def add_absence(db: Database, data: AbsenceData) -> int:
    errors = validate_absence(data)
    if errors:
        raise BadInput("\n".join(errors))
    with db.begin() as s:
        if s.get(m.Doctor, data.doctor_id) is None:
            raise ConflictError("läkaren")
        a = m.Absence(**asdict(data))
        s.add(a)
        s.flush()
        audit(s, "create", "absence", a.id, after=_json(data))
        return a.id


def delete_absence(db: Database, absence_id: int) -> AbsenceData | None:
    """Remove an absence; returns what it was (for undo)."""
    with db.begin() as s:
        a = s.get(m.Absence, absence_id)
        if a is None:
            return None
        data = AbsenceData(a.doctor_id, a.start, a.end, a.reason or "", a.substitute or "")
        audit(s, "delete", "absence", a.id, before=_json(data))
        s.delete(a)
        return data
