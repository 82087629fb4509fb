"""Unit use cases for the desktop app: list, add, edit the round rhythm, and the rhythm's
preview (next round dates, cancelled ones marked); the doctor time against the agreement is
:mod:`lakarrond.services.doctor_time`.

One transaction per call, an audit row per change, optimistic-lock clashes become
:class:`~lakarrond.store.ConflictError`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, time
from typing import Any  # Any: JSON edge: audit values

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lakarrond.agreement import below_floor_line
from lakarrond.document import DEFAULT_REVIEW_MINUTES
from lakarrond.errors import BadInput
from lakarrond.services.common import jsonable
from lakarrond.services.problem import (
    build_solver_unit,
    format_weekdays,
    parse_weekdays,
    to_solver_unit,
)
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from solver.calendar import WorkCalendar
from solver.problem import (
    Absence,
    PatientStatus,
    RhythmKind,
    RoundForm,
    Settings,
    Unit,
    UnitType,
    WeekParity,
)
from solver.result import DoctorTime
from solver.round_time import time_warnings
from solver.rounds import RoundDate, unit_round_dates

FIELDS = (
    "name", "type", "doctor_id", "nurse", "rhythm_kind", "parity", "weekdays", "start_time",
    "length_min", "form", "reviews_in_round", "reviews_per_round", "review_minutes",
    "other_minutes",
)  # fmt: skip
REVIEW_MINUTES_RANGE = (5, 240)


@dataclass(frozen=True)
class UnitData:
    """The editable fields of a unit (the unit form)."""

    name: str
    type: str
    doctor_id: int
    rhythm_kind: str
    weekdays: tuple[int, ...]
    parity: str | None = None
    nurse: str = ""
    start_time: time = time(9, 0)
    length_min: int = 120
    form: str = RoundForm.PHYSICAL.value
    reviews_in_round: bool | None = None
    reviews_per_round: int = 1
    review_minutes: int = DEFAULT_REVIEW_MINUTES  # minutes per ÅMV (clock times)
    other_minutes: int = 0  # "Övrig tid (min)": kept free in every round (R5b)


@dataclass(frozen=True)
class UnitRow:
    id: int
    version: int
    data: UnitData
    doctor: str
    patients: int  # active patients
    # doctor time against the agreement and the floor in force (services.doctor_time;
    # None: not computed for this list)
    doctor_time: DoctorTime | None = None
    floor: float = 0.0

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def doctor_time_note(self) -> str:
        """"Läkartid under avtalet: …" when the unit is below the floor, else ""."""
        if self.doctor_time is None:
            return ""
        return below_floor_line(self.name, self.doctor_time, self.floor)


def validate(data: UnitData) -> list[str]:
    """Swedish messages for every bad field."""
    errors = []
    if not data.name.strip():
        errors.append("Enheten måste ha ett namn.")
    if data.type not in {t.value for t in UnitType}:
        errors.append(f"Okänd enhetstyp \"{data.type}\".")
    if data.rhythm_kind not in {k.value for k in RhythmKind}:
        errors.append(f"Okänd rytm \"{data.rhythm_kind}\".")
    days = sorted(set(data.weekdays))
    if not days:
        errors.append("Välj minst en veckodag för ronden.")
    elif any(d > 4 for d in days):
        errors.append("Ronder hålls måndag–fredag.")
    if data.rhythm_kind == RhythmKind.TWICE_WEEKLY and len(days) != 2:
        errors.append("Två gånger i veckan kräver två veckodagar.")
    if data.rhythm_kind in (RhythmKind.WEEKLY, RhythmKind.FORTNIGHTLY) and len(
        days
    ) > 1:
        errors.append(f"{data.rhythm_kind} har en veckodag.")
    if data.rhythm_kind == RhythmKind.FORTNIGHTLY and data.parity not in {
        p.value for p in WeekParity
    }:
        errors.append("Varannan vecka kräver udda eller jämna veckor.")
    if data.form not in {f.value for f in RoundForm}:
        errors.append(f"Okänd rondform \"{data.form}\".")
    if data.length_min <= 0:
        errors.append("Rondens längd måste vara minst en minut.")
    elif data.start_time.hour * 60 + data.start_time.minute + data.length_min > 24 * 60:
        errors.append(f"Ronden måste sluta senast 24:00 (börjar {data.start_time:%H:%M}, "
                      f"{data.length_min} min).")
    if data.reviews_per_round < 0:
        errors.append("ÅMV per rond kan inte vara negativt.")
    low, high = REVIEW_MINUTES_RANGE
    if not low <= data.review_minutes <= high:
        errors.append(f"Minuter per ÅMV måste vara {low}–{high} (nu {data.review_minutes}).")
    if data.other_minutes < 0:
        errors.append(f"Övrig tid kan inte vara negativ (nu {data.other_minutes}).")
    return errors


def solver_unit(data: UnitData, doctor: str = "") -> Unit:
    """The unit as the solver sees it (raises ValueError for an invalid rhythm)."""
    return build_solver_unit(data, doctor, data.weekdays)


def preview_rounds(
    data: UnitData, start: date, count: int = 10, year_settings: Settings | None = None,
    absences: tuple[Absence, ...] = (), doctor: str = "",
    extra_dates: tuple[date, ...] = (), cancelled_dates: tuple[date, ...] = (),
) -> list[RoundDate]:
    """The next ``count`` round dates from ``start`` (cancelled ones included and marked),
    with the unit's one-off extra and cancelled round dates."""
    unit = replace(solver_unit(data, doctor), extra_dates=extra_dates,
                   cancelled_dates=cancelled_dates)
    out: list[RoundDate] = []
    year = start.year
    first = start
    while len(out) < count and year <= start.year + 2:
        settings = year_settings if year_settings is not None and year == start.year else None
        settings = settings or Settings(year=year)
        if settings.year != year:
            settings = replace(settings, year=year)
        cal = WorkCalendar(settings, absences)
        out.extend(unit_round_dates(unit, cal, first, date(year, 12, 31)))
        year += 1
        first = date(year, 1, 1)
    return out[:count]


def unit_preview(db: Database, data: UnitData, start: date, count: int = 10,
                 unit_id: int | None = None) -> list[RoundDate]:
    """:func:`preview_rounds` with the stored settings of the year, the doctor's absences
    and (for a stored unit) its one-off round dates."""
    with db.read() as s:
        settings = read_settings(s, start.year)
        doctor = s.get(m.Doctor, data.doctor_id)
        name = doctor.name if doctor else ""
        absences = tuple(
            Absence(doctor=name, start=a.start, end=a.end, reason=a.reason or "",
                    substitute=a.substitute or "")
            for a in (doctor.absences if doctor else [])
        )
        changes = [] if unit_id is None else s.execute(
            select(m.RoundChange.date, m.RoundChange.kind)
            .where(m.RoundChange.unit_id == unit_id).order_by(m.RoundChange.date)).all()
    extra = tuple(day for day, kind in changes if kind == "extra")
    cancelled = tuple(day for day, kind in changes if kind != "extra")
    return preview_rounds(data, start, count, settings, absences, name, extra, cancelled)


def _data(u: m.Unit) -> UnitData:
    return UnitData(
        name=u.name, type=u.type, doctor_id=u.doctor_id, rhythm_kind=u.rhythm_kind,
        weekdays=parse_weekdays(u.weekdays), parity=u.parity, nurse=u.nurse or "",
        start_time=u.start_time, length_min=u.length_min, form=u.form,
        reviews_in_round=u.reviews_in_round, reviews_per_round=u.reviews_per_round,
        review_minutes=u.review_minutes, other_minutes=u.other_minutes,
    )


def list_units(db: Database) -> list[UnitRow]:
    with db.read() as s:
        counts = dict(
            s.execute(
                select(m.Patient.unit_id, func.count())
                .where(m.Patient.status == PatientStatus.ACTIVE)
                .group_by(m.Patient.unit_id)
            ).all()
        )
        units = s.scalars(
            select(m.Unit).options(selectinload(m.Unit.doctor)).order_by(m.Unit.name)
        ).all()
        return [UnitRow(id=u.id, version=u.version, data=_data(u), doctor=u.doctor.name,
                        patients=counts.get(u.id, 0)) for u in units]


def _columns(data: UnitData) -> dict[str, Any]:
    values = asdict(data)
    values["weekdays"] = format_weekdays(sorted(set(data.weekdays)))
    if data.rhythm_kind != RhythmKind.FORTNIGHTLY:
        values["parity"] = None
    values["name"] = data.name.strip()
    values["nurse"] = data.nurse.strip()
    return values


def _check(s: Session, data: UnitData, own_id: int | None) -> None:
    errors = validate(data)
    if errors:
        raise BadInput("\n".join(errors))
    doctor = s.get(m.Doctor, data.doctor_id)
    if doctor is None:
        raise BadInput("Läkaren finns inte längre – läs in igen.")
    current = s.get(m.Unit, own_id) if own_id is not None else None
    if doctor.retired_on is not None and (current is None or current.doctor_id != doctor.id):
        raise BadInput(f"Läkare: {doctor.name} har slutat ({doctor.retired_on.isoformat()}) "
                       "och kan inte få nya enheter.")
    other = s.scalars(select(m.Unit).where(m.Unit.name == data.name.strip())).first()
    if other is not None and other.id != own_id:
        raise BadInput(f"Det finns redan en enhet som heter {data.name.strip()}.")


def create_unit(db: Database, data: UnitData) -> UnitRow:
    with db.begin() as s:
        _check(s, data, None)
        u = m.Unit(**_columns(data))
        s.add(u)
        s.flush()
        audit(s, "create", "unit", u.id, after=jsonable(_columns(data)))
        s.refresh(u)
        return UnitRow(id=u.id, version=u.version, data=_data(u), doctor=u.doctor.name,
                       patients=0)


def update_unit(
    db: Database, unit_id: int, data: UnitData, expected_version: int | None = None
) -> UnitRow:
    with db.begin() as s:
        u = s.get(m.Unit, unit_id)
        if u is None or (expected_version is not None and u.version != expected_version):
            raise ConflictError("enheten")
        _check(s, data, unit_id)
        new = _columns(data)
        before, after = {}, {}
        for key in FIELDS:
            if getattr(u, key) != new[key]:
                before[key], after[key] = getattr(u, key), new[key]
                setattr(u, key, new[key])
        if after:
            s.flush()
            audit(s, "update", "unit", u.id, before=jsonable(before), after=jsonable(after))
            s.refresh(u)
        active = s.scalar(
            select(func.count()).select_from(m.Patient).where(
                m.Patient.unit_id == u.id, m.Patient.status == PatientStatus.ACTIVE)
        )
        return UnitRow(id=u.id, version=u.version, data=_data(u), doctor=u.doctor.name,
                       patients=active or 0)


def unit_time_warnings(db: Database, data: UnitData, unit_id: int | None = None) -> list[str]:
    """R5b for the unit form: the Swedish warnings of ``data`` before it is saved — settings
    that do not fit in the round, and overlaps with the doctor's other units' rounds."""
    try:
        with db.read() as s:
            doctor = s.get(m.Doctor, data.doctor_id)
            name = doctor.name if doctor else ""
            others = s.scalars(select(m.Unit).where(m.Unit.doctor_id == data.doctor_id)).all()
            own = data.name.strip() or "(ny enhet)"
            units = [to_solver_unit(u) for u in others if u.id != unit_id and u.name != own]
        units.append(replace(solver_unit(data, name), name=own))
    except (ValueError, BadInput):
        return []
    return [w.message for w in time_warnings(units) if own in w.units]


def delete_unit(db: Database, unit_id: int) -> None:
    """Remove a unit that has no patients."""
    with db.begin() as s:
        u = s.get(m.Unit, unit_id)
        if u is None:
            return
        if u.patients:
            raise BadInput(f"Enheten {u.name} har patienter; flytta dem först.")
        audit(s, "delete", "unit", u.id, before=jsonable(_columns(_data(u))))
        s.delete(u)
