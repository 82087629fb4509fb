"""Matters the program raises itself (issue 21.3), inside the caller's transaction.

- A patient moved to another unit (the patient form changes the unit; a re-import with a
  changed ``Enhet``: moved on the day of the import): an ``Inflyttningsbedömning`` at the first
  round of the new unit with time within ``Inflyttning inom (dagar)`` (a setting of the year,
  default 14) — none when the patient has an ÅMV planned (Planerad or Låst, in the latest
  plan) inside that period: that ÅMV is also the move-in assessment, and the message says so.
- A patient marked palliative (``palliative_from`` set): a ``Brytpunktsamtal`` at the next
  round of the unit with time, from today.

Time left is read through :func:`lakarrond.services.matter_rounds.time_of` (the one
computation, :func:`lakarrond.matter.round_time`). With no round with time in the period,
the matter is booked at the first round with time after it and the message says so; with no
round with time at all nothing is booked and the message asks the user to book it. Never
silent: every raise returns a :class:`Raised` whose message the caller shows (the patient
form, the import report). A raised matter is booked as the program: status Planerad, no role,
``by_name`` "Läkarrond", audited as "ärende bokat av programmet: …".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.errors import BadInput
from lakarrond.matter import MatterKind, MatterStatus
from lakarrond.services.common import day_text, jsonable
from lakarrond.services.matter_rounds import LOOK_AHEAD_YEARS, held_rounds, time_of
from lakarrond.services.matters import matter_minutes
from lakarrond.services.problem import latest_plan
from lakarrond.services.settings import get_settings
from lakarrond.store import Database, audit
from lakarrond.store import models as m
from solver.problem import PatientStatus, VisitStatus

RAISED_BY = "Läkarrond"  # who raises a matter the program books itself
MOVE_IN_KEY = "move_in_days"  # the year's setting "Inflyttning inom (dagar)"
DEFAULT_MOVE_IN_DAYS = 14
MAX_MOVE_IN_DAYS = 90
LIVE = (VisitStatus.PLANNED.value, VisitStatus.LOCKED.value)


@dataclass(frozen=True)
class Raised:
    """What the program raised (or why it raised nothing) for one patient."""

    kind: str
    patient: str
    unit: str
    date: date | None  # the round date booked; the ÅMV date when the ÅMV is also it
    message: str  # Swedish, shown to the user
    booked: bool = False
    matter_id: int | None = None


# --- the setting "Inflyttning inom (dagar)" ------------------------------------------------


def move_in_days(source: Database | Session, year: int) -> int:
    """The days after a move within which the move-in assessment is held (default 14; the
    Settings dialog's "Inflyttning inom (dagar)", services.settings)."""
    days = get_settings(source, year).move_in_days
    return days if 0 < days <= MAX_MOVE_IN_DAYS else DEFAULT_MOVE_IN_DAYS


def set_move_in_days(db: Database, year: int, days: int) -> None:
    """Store "Inflyttning inom (dagar)" of ``year`` (audited as a setting)."""
    if not 0 < days <= MAX_MOVE_IN_DAYS:
        raise BadInput(f"Inflyttning inom (dagar): mellan 1 och {MAX_MOVE_IN_DAYS}.")
    with db.begin() as s:
        row = s.scalars(select(m.Setting).where(
            m.Setting.year == year, m.Setting.key == MOVE_IN_KEY)).first()
        before = row.value if row else None
        if row is None:
            s.add(m.Setting(year=year, key=MOVE_IN_KEY, value=str(days)))
        else:
            row.value = str(days)
        audit(s, "update", "setting", f"{year}:{MOVE_IN_KEY}",
              before={MOVE_IN_KEY: before}, after={MOVE_IN_KEY: str(days)})


# --- booking as the program ------------------------------------------------------------------


def first_with_time(session: Session, unit: m.Unit, first: date, last: date,
                    minutes: int) -> date | None:
    """The first held round of ``unit`` from ``first`` to ``last`` with ``minutes`` left."""
    for rd in held_rounds(session, unit, first, last):
        if rd.date >= first and time_of(session, unit, rd.date, rd.length_min).fits(minutes):
            return rd.date
    return None


def _book(session: Session, patient: m.Patient, day: date, kind: MatterKind,
          minutes: int) -> m.Matter:
    matter = m.Matter(unit_id=patient.unit_id, date=day, kind=kind.value,
                      patient_id=patient.id, minutes=minutes, by_role="",
                      by_name=RAISED_BY, note="", status=MatterStatus.PLANNED.value,
                      reason="")
    session.add(matter)
    session.flush()
    audit(session, "create", "matter", matter.id, patient_id=patient.id, after=jsonable({
        "what": f"ärende bokat av programmet: {kind.value}, {patient.unit.name}, "
                f"{day.isoformat()}",
        "kind": kind.value, "unit": patient.unit.name, "date": day, "minutes": minutes,
        "by": RAISED_BY, "status": matter.status, "reason": "", "moved_to": None}))
    return matter


def _raise(session: Session, patient: m.Patient, kind: MatterKind, first: date,
           last: date | None, why: str) -> Raised:
    """Book ``kind`` at the first round with time from ``first`` (to ``last``; after it when
    none has time in the period)."""
    unit = patient.unit
    minutes = matter_minutes(session, first.year)[kind]
    horizon = date(first.year + LOOK_AHEAD_YEARS - 1, 12, 31)
    day = first_with_time(session, unit, first, last or horizon, minutes)
    late = ""
    if day is None and last is not None:
        day = first_with_time(session, unit, last + timedelta(days=1), horizon, minutes)
        late = (f" Ingen rond på {unit.name} har {minutes} min kvar {why} – bokat vid "
                "första ronden med tid efter det.")
    if day is None:
        return Raised(kind.value, patient.name, unit.name, None,
                      f"{kind.value} för {patient.name}: ingen rond på {unit.name} har "
                      f"{minutes} min kvar – boka det själv.")
    matter = _book(session, patient, day, kind, minutes)
    return Raised(kind.value, patient.name, unit.name, day,
                  f"{kind.value} för {patient.name} bokat {day_text(day)} på {unit.name}."
                  + late, booked=True, matter_id=matter.id)


def planned_review_between(session: Session, patient_id: int, first: date,
                           last: date) -> date | None:
    """The first live ÅMV (Planerad, Låst) of the patient from ``first`` to ``last`` in the
    latest plans of those years."""
    for year in range(first.year, last.year + 1):
        plan = latest_plan(session, year)
        if plan is None:
            continue
        day = session.scalar(select(m.Visit.date).where(
            m.Visit.plan_id == plan.id, m.Visit.patient_id == patient_id,
            m.Visit.status.in_(LIVE), m.Visit.date >= first, m.Visit.date <= last)
            .order_by(m.Visit.date).limit(1))
        if day is not None:
            return day
    return None


def _planned_for(patient: m.Patient, today: date) -> bool:
    return (patient.status == PatientStatus.ACTIVE.value and not patient.excluded
            and (patient.end_date is None or patient.end_date > today))


def raise_move_in(session: Session, patient: m.Patient, today: date) -> Raised | None:
    """The move-in assessment of a patient who moved to ``patient.unit`` on ``today`` (see the
    module); None for a patient who is not planned (ended, excluded)."""
    if not _planned_for(patient, today):
        return None
    days = move_in_days(session, today.year)
    last = today + timedelta(days=days)
    review = planned_review_between(session, patient.id, today, last)
    if review is not None:
        return Raised(MatterKind.MOVE_IN.value, patient.name, patient.unit.name, review,
                      f"{patient.name}: ÅMV {day_text(review)} ligger inom {days} dagar "
                      "efter flytten och är även inflyttningsbedömning.")
    return _raise(session, patient, MatterKind.MOVE_IN, today, last,
                  f"inom {days} dagar efter flytten")


def raise_breakpoint(session: Session, patient: m.Patient, today: date) -> Raised | None:
    """The Brytpunktsamtal of a patient marked palliative: the next round with time from
    ``today``; None for a patient who is not active."""
    if patient.status != PatientStatus.ACTIVE.value or (
            patient.end_date is not None and patient.end_date <= today):
        return None
    return _raise(session, patient, MatterKind.BREAKPOINT, today, None, "")
