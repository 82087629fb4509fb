"""Matters (ärenden) in a round (issue 21.2): book, unbook, set the status, list.

Each call is one audited transaction. A matter takes time of its round date (R5b): a booking
that does not fit the time left (:func:`lakarrond.matter.round_time`, read through
:mod:`lakarrond.services.matter_rounds`) is refused with the next round date of the unit
that has the time; with ``force`` it is booked when the ÅMV of the saved plan take the time:
the next plan gives those ÅMV new dates (the reserved minutes lower that round's capacity,
:func:`lakarrond.services.problem.build_problem`) and lists them in "Flyttade – meddela".
Every change bumps the input version (audit entity ``matter``). The note is health
information: never in the audit text (nor an export); only the planning basis prints it.

Undo: :func:`unbook` is the inverse of :func:`book` (and ``matter_id`` books a removed
matter again under its id); :func:`restore_status` the inverse of :func:`set_status`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any  # Any: JSON edge: the matter as contract JSON, audit values

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from lakarrond.errors import BadInput, Where
from lakarrond.matter import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    WITHOUT_PATIENT,
    MatterKind,
    MatterStatus,
    Role,
    by_text,
    parse_kind,
    parse_role,
)
from lakarrond.services.common import day_text, jsonable, read_scope
from lakarrond.services.matter_rounds import held_round_on, next_with_time, time_of
from lakarrond.services.visits import find_patient
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m

SETTING_KEY = "matter_minutes"  # the year's minutes per kind, JSON {"Hembesök": 45, …}
MAX_REASON_LENGTH = 400


@dataclass(frozen=True)
class MatterRow:
    """A matter as lists, the command line and the planning basis show it."""

    id: int
    kind: str
    unit: str
    unit_id: int
    date: date
    patient: str | None
    patient_id: int | None
    personnummer: str | None
    minutes: int
    by_role: str
    by_name: str
    note: str
    status: str
    reason: str = ""
    moved_to: int | None = None
    doctor: str = ""
    counts_as_review: bool = False  # a held Vårdplanering vid försämring "räknas som ÅMV"

    @property
    def by(self) -> str:
        return by_text(self.by_role, self.by_name)

    def to_json(self, with_personnummer: bool = False) -> dict[str, Any]:
        """``arende list --json`` (contracts §3); personnummer null unless asked for."""
        return {"id": self.id, "kind": self.kind, "unit": self.unit,
                "date": self.date.isoformat(), "patient": self.patient,
                "personnummer": self.personnummer if with_personnummer else None,
                "minutes": self.minutes, "by": self.by, "note": self.note,
                "status": self.status}


@dataclass(frozen=True)
class StatusChange:
    """What :func:`set_status` changed, enough to undo it (:func:`restore_status`)."""

    matter_id: int
    old_status: str
    old_reason: str
    new_status: str
    new_matter_id: int | None = None  # the matter a Flyttad one became
    counted: bool = False  # recorded "räknas som ÅMV": the patient's last ÅMV changed
    old_last_review: date | None = None  # the patient's last ÅMV before it


def _row(x: m.Matter) -> MatterRow:
    p = x.patient
    return MatterRow(
        id=x.id, kind=x.kind, unit=x.unit.name, unit_id=x.unit_id, date=x.date,
        patient=p.name if p else None, patient_id=x.patient_id,
        personnummer=p.personnummer if p else None, minutes=x.minutes,
        by_role=x.by_role or "", by_name=x.by_name or "", note=x.note or "",
        status=x.status, reason=x.reason or "", moved_to=x.moved_to_id,
        doctor=x.unit.doctor.name, counts_as_review=bool(x.counts_as_review))


def _audit_values(x: m.Matter, what: str) -> dict[str, Any]:
    """The audit's view of a matter: never the note (health information)."""
    values: dict[str, Any] = jsonable({
        "what": f"{what}: {x.kind}, {x.unit.name}, {x.date.isoformat()}",
        "kind": x.kind, "unit": x.unit.name, "date": x.date, "minutes": x.minutes,
        "by": by_text(x.by_role, x.by_name), "status": x.status, "reason": x.reason or "",
        "moved_to": x.moved_to_id, "counts_as_review": bool(x.counts_as_review)})
    return values


# --- the minutes per kind (a setting of the year) -------------------------------------------


def matter_minutes(source: Database | Session, year: int) -> dict[MatterKind, int]:
    """The minutes of each kind in ``year``: the stored setting over the defaults."""
    values = dict(DEFAULT_MINUTES)
    with read_scope(source) as s:
        text = s.scalar(select(m.Setting.value).where(
            m.Setting.year == year, m.Setting.key == SETTING_KEY))
    try:
        stored = json.loads(text) if text else {}
    except ValueError:
        stored = {}
    for name, minutes in (stored.items() if isinstance(stored, dict) else ()):
        kind = parse_kind(str(name))
        if kind is not None and isinstance(minutes, int) and 0 < minutes <= MAX_MINUTES:
            values[kind] = minutes
    return values


def set_matter_minutes(db: Database, year: int, minutes: Mapping[MatterKind, int]) -> None:
    """Store the minutes per kind of ``year`` (audited as a setting)."""
    for kind, value in minutes.items():
        if not 0 < value <= MAX_MINUTES:
            raise BadInput(f"Minuter för {kind}: mellan 1 och {MAX_MINUTES}.")
    text = json.dumps({k.value: v for k, v in minutes.items()}, ensure_ascii=False)
    with db.begin() as s:
        row = s.scalars(select(m.Setting).where(
            m.Setting.year == year, m.Setting.key == SETTING_KEY)).first()
        before = row.value if row else None
        if row is None:
            s.add(m.Setting(year=year, key=SETTING_KEY, value=text))
        else:
            row.value = text
        audit(s, "update", "setting", f"{year}:{SETTING_KEY}",
              before={SETTING_KEY: before}, after={SETTING_KEY: text})


# --- booking --------------------------------------------------------------------------------


def _unit(session: Session, unit: str | int) -> m.Unit:
    row = (session.get(m.Unit, unit) if isinstance(unit, int) else session.scalars(
        select(m.Unit).where(m.Unit.name == unit.strip())).first())
    if row is None:
        raise BadInput(f"Enheten \"{unit}\" finns inte.", where=Where(field="Enhet"))
    return row


def _next_text(session: Session, unit: m.Unit, day: date, minutes: int) -> str:
    found = next_with_time(session, unit, day, minutes)
    if found is None:
        return f"Ingen senare rond på {unit.name} har {minutes} min kvar."
    return f"Nästa rond med tid: {day_text(found)}."


def _check_fields(kind: str, minutes: int | None, by_role: str,
                  has_patient: bool) -> tuple[MatterKind, str]:
    wanted = parse_kind(kind)
    if wanted is None:
        raise BadInput(f"Okänd typ av ärende \"{kind}\" – välj bland "
                       + ", ".join(k.value for k in MatterKind) + ".", where=Where(field="Typ"))
    if wanted not in WITHOUT_PATIENT and not has_patient:
        raise BadInput(f"Ett ärende av typen {wanted} gäller en patient – ange patienten.",
                       where=Where(field="Patient"))
    if minutes is not None and not 0 < minutes <= MAX_MINUTES:
        raise BadInput(f"Minuter: mellan 1 och {MAX_MINUTES}.", where=Where(field="Minuter"))
    role = ""
    if by_role.strip():
        found = parse_role(by_role)
        if found is None:
            raise BadInput(f"Okänd yrkesroll \"{by_role}\" – välj bland "
                           + ", ".join(r.value for r in Role) + ".", where=Where(field="Av"))
        role = found.value
    return wanted, role


FORCE_HINT = "Boka ändå med --force: ÅMV i ronden får nya datum vid nästa planering."


class NoTimeLeft(BadInput):
    """The round has not the time for the matter. ``forceable``: the ÅMV of the saved plan
    are what take the time, so it can be booked anyway (``force``) and those ÅMV get new dates
    at the next plan; ``reason`` is the refusal without the command line's hint."""

    def __init__(self, reason: str, *, forceable: bool, where: Where) -> None:
        super().__init__(f"{reason} {FORCE_HINT}" if forceable else reason, where=where)
        self.reason = reason
        self.forceable = forceable


def _check_time(session: Session, unit: m.Unit, day: date, minutes: int, force: bool,
                without: int | None = None) -> None:
    """Refuse a matter that does not fit the round's time (see the module)."""
    rnd = held_round_on(session, unit, day)
    if rnd is None:
        raise BadInput(f"{unit.name} har ingen rond {day_text(day)}. "
                       + _next_text(session, unit, day, minutes),
                       where=Where(field="Datum", value=day.isoformat()))
    time = time_of(session, unit, day, rnd.length_min, without)
    if time.fits(minutes):
        return
    left = max(time.left_min, 0)
    without_reviews = time.left_min + time.reviews * time.review_min
    if force and minutes <= without_reviews:
        return  # the ÅMV of that round get new dates at the next plan
    why = (f"Ronden på {unit.name} {day_text(day)} har {left} min kvar "
           f"({time.text()}); ärendet behöver {minutes} min. "
           f"{_next_text(session, unit, day, minutes)}")
    raise NoTimeLeft(why, forceable=not force and minutes <= without_reviews,
                     where=Where(field="Datum", value=day.isoformat()))


def book(
    db: Database, unit: str | int, day: date, kind: str, *, patient: str | int | None = None,
    minutes: int | None = None, by_role: str = "", by_name: str = "", note: str = "",
    force: bool = False, matter_id: int | None = None,
) -> MatterRow:
    """Book a matter in ``unit``'s round on ``day`` (see the module); ``patient`` is a name,
    a personnummer or a patient id. ``matter_id`` puts an unbooked matter back (undo)."""
    wanted, role = _check_fields(kind, minutes, by_role, patient not in (None, ""))
    with db.begin() as s:
        row = _unit(s, unit)
        who = None
        if patient not in (None, ""):
            who = (s.get(m.Patient, patient) if isinstance(patient, int)
                   else find_patient(s, str(patient)))
            if who is None:
                raise ConflictError("patienten")
        length = minutes if minutes is not None else matter_minutes(s, day.year)[wanted]
        _check_time(s, row, day, length, force)
        matter = m.Matter(unit_id=row.id, date=day, kind=wanted.value,
                          patient_id=who.id if who else None, minutes=length,
                          by_role=role, by_name=by_name.strip(), note=note.strip(),
                          status=MatterStatus.PLANNED.value, reason="")
        if matter_id is not None:
            if s.get(m.Matter, matter_id) is not None:
                raise ConflictError("ärendet")
            matter.id = matter_id
        s.add(matter)
        s.flush()
        s.refresh(matter)
        audit(s, "create", "matter", matter.id, patient_id=matter.patient_id,
              after={**_audit_values(matter, "ärende bokat"), "forced": force})
        return _row(matter)


def unbook(db: Database, matter_id: int) -> MatterRow | None:
    """Remove a matter (the inverse of :func:`book`); None when it is already gone."""
    with db.begin() as s:
        matter = s.get(m.Matter, matter_id)
        if matter is None:
            return None
        row = _row(matter)
        audit(s, "delete", "matter", matter.id, patient_id=matter.patient_id,
              before=_audit_values(matter, "ärende borttaget"))
        s.execute(update(m.Matter).where(m.Matter.moved_to_id == matter_id)
                  .values(moved_to_id=None).execution_options(synchronize_session=False))
        s.delete(matter)
        return row


# --- status ---------------------------------------------------------------------------------


def set_status(db: Database, matter_id: int, status: str, *, new_date: date | None = None,
               reason: str = "", counts_as_review: bool = False) -> StatusChange:
    """Record a matter Genomförd, Flyttad (to ``new_date``, a later round of its unit with
    time: a new linked matter is booked there) or Struken (``reason`` required).

    ``counts_as_review`` ("räknas som ÅMV", a held Vårdplanering vid försämring only): the
    matter is the patient's medical care planning: the patient's last ÅMV becomes its date
    (when later), so R8 counts from it and the next plan moves the planned ÅMV."""
    try:
        wanted = MatterStatus(status)
    except ValueError:
        raise BadInput(f"Okänd status \"{status}\" – Genomförd, Flyttad eller Struken.") \
            from None
    if wanted is MatterStatus.STRUCK and not reason.strip():
        raise BadInput("Ett struket ärende behöver en orsak (--reason).",
                       where=Where(field="Orsak"))
    if len(reason.strip()) > MAX_REASON_LENGTH:
        raise BadInput(f"Orsak: högst {MAX_REASON_LENGTH} tecken.", where=Where(field="Orsak"))
    if wanted is MatterStatus.MOVED and new_date is None:
        raise BadInput("Ett flyttat ärende behöver ett nytt datum (--date).",
                       where=Where(field="Datum"))
    with db.begin() as s:
        matter = s.get(m.Matter, matter_id)
        if matter is None:
            raise BadInput(f"Inget ärende har nummer {matter_id}.")
        if matter.status != MatterStatus.PLANNED.value or wanted is MatterStatus.PLANNED:
            raise BadInput(f"Ärende {matter_id} är {matter.status.lower()} – bara ett "
                           "planerat ärende kan registreras.")
        before = _audit_values(matter, "ärende ändrat")
        change = StatusChange(matter.id, matter.status, matter.reason or "", wanted.value)
        if counts_as_review:
            change = _count_as_review(s, matter, wanted, change)
        if wanted is MatterStatus.MOVED:
            assert new_date is not None
            if new_date <= matter.date:
                raise BadInput(f"Det nya datumet måste ligga efter {day_text(matter.date)}.",
                               where=Where(field="Datum", value=new_date.isoformat()))
            _check_time(s, matter.unit, new_date, matter.minutes, force=False)
            moved = m.Matter(unit_id=matter.unit_id, date=new_date, kind=matter.kind,
                             patient_id=matter.patient_id, minutes=matter.minutes,
                             by_role=matter.by_role, by_name=matter.by_name,
                             note=matter.note, status=MatterStatus.PLANNED.value, reason="")
            s.add(moved)
            s.flush()
            s.refresh(moved)
            audit(s, "create", "matter", moved.id, patient_id=moved.patient_id,
                  after=_audit_values(moved, "ärende bokat (flyttat)"))
            matter.moved_to_id = moved.id
            change = replace(change, new_matter_id=moved.id)
        matter.status = wanted.value
        matter.reason = reason.strip() if wanted is MatterStatus.STRUCK else ""
        s.flush()
        audit(s, "update", "matter", matter.id, patient_id=matter.patient_id, before=before,
              after=_audit_values(matter, f"ärende {wanted.value.lower()}"))
        return change


def _count_as_review(session: Session, matter: m.Matter, wanted: MatterStatus,
                     change: StatusChange) -> StatusChange:
    """Mark a held Vårdplanering vid försämring "räknas som ÅMV" (see :func:`set_status`)."""
    patient = matter.patient
    if (wanted is not MatterStatus.DONE or matter.kind != MatterKind.DETERIORATION.value
            or patient is None):
        raise BadInput(f"Bara en genomförd {MatterKind.DETERIORATION.value.lower()} kan "
                       "räknas som ÅMV.", where=Where(field="Räknas som ÅMV"))
    matter.counts_as_review = True
    change = replace(change, counted=True, old_last_review=patient.last_review)
    if patient.last_review is None or patient.last_review < matter.date:
        _set_last_review(session, patient, matter.date, "räknas som ÅMV")
    return change


def _set_last_review(session: Session, patient: m.Patient, day: date | None,
                     why: str) -> None:
    before = {"last_review": jsonable(patient.last_review)}
    patient.last_review = day
    session.flush()
    audit(session, "update", "patient", patient.id, patient_id=patient.id, before=before,
          after={"last_review": jsonable(day), "what": f"senaste ÅMV: {why}"})


def restore_status(db: Database, change: StatusChange) -> None:
    """Undo :func:`set_status`: the old status and reason back, the matter a Flyttad one
    became removed."""
    if change.new_matter_id is not None:
        unbook(db, change.new_matter_id)
    with db.begin() as s:
        matter = s.get(m.Matter, change.matter_id)
        if matter is None or matter.status != change.new_status:
            raise ConflictError("ärendet")
        before = _audit_values(matter, "ärende ändrat")
        matter.status = change.old_status
        matter.reason = change.old_reason
        matter.moved_to_id = None
        if change.counted:
            matter.counts_as_review = False
            if matter.patient is not None and \
                    matter.patient.last_review != change.old_last_review:
                _set_last_review(s, matter.patient, change.old_last_review, "ångrat")
        s.flush()
        audit(s, "update", "matter", matter.id, patient_id=matter.patient_id, before=before,
              after=_audit_values(matter, "ärende återställt"))


# --- lists ----------------------------------------------------------------------------------


def list_matters(
    source: Database | Session, *, unit: str | None = None, doctor: str | None = None,
    date_from: date | None = None, date_to: date | None = None,
) -> list[MatterRow]:
    """The matters (of a unit, of a doctor's units, in a period) by date, unit and id."""
    with read_scope(source) as s:
        query = (select(m.Matter).join(m.Matter.unit).join(m.Unit.doctor)
                 .options(selectinload(m.Matter.patient),
                          selectinload(m.Matter.unit).selectinload(m.Unit.doctor))
                 .order_by(m.Matter.date, m.Unit.name, m.Matter.id))
        if unit is not None:
            query = query.where(m.Unit.id == _unit(s, unit).id)
        if doctor is not None:
            if s.scalars(select(m.Doctor).where(m.Doctor.name == doctor)).first() is None:
                raise BadInput(f"Läkaren \"{doctor}\" finns inte.")
            query = query.where(m.Doctor.name == doctor)
        if date_from is not None:
            query = query.where(m.Matter.date >= date_from)
        if date_to is not None:
            query = query.where(m.Matter.date <= date_to)
        return [_row(x) for x in s.scalars(query).all()]


def next_round_with_time(db: Database, unit: str | int, after: date,
                         minutes: int) -> date | None:
    """The unit's first held round after ``after`` with ``minutes`` left (the date a
    matter is moved to by default), or None."""
    with db.read() as s:
        return next_with_time(s, _unit(s, unit), after, minutes)
