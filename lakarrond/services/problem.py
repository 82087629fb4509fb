"""Store → solver: the planner's input (``solver.problem.Problem``) for a year, read from the
store in the caller's Session, and the lookups of saved plan versions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any  # Any: JSON edge: setting overrides of several types

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lakarrond.errors import BadInput
from lakarrond.services.contacts import named_doctor
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from lakarrond.today import today as todays_date
from solver.problem import (
    Absence,
    CancelledVisit,
    Doctor,
    Patient,
    PatientStatus,
    PinnedVisit,
    PreviousVisit,
    Problem,
    Rhythm,
    RhythmKind,
    RoundForm,
    Settings,
    Unit,
    UnitType,
    VisitStatus,
    WeekParity,
)


@dataclass(frozen=True)
class IdMaps:
    """Store ids behind the solver's text ids."""

    patients: dict[str, int] = field(default_factory=dict)  # solver id -> Patient.id
    patient_names: dict[str, str] = field(default_factory=dict)  # solver id -> name

    def patient_db_id(self, solver_id: str) -> int | None:
        return self.patients.get(solver_id)


def parse_weekdays(text: str) -> tuple[int, ...]:
    """"2,4" → (2, 4)."""
    return tuple(int(part) for part in text.replace(" ", "").split(",") if part)


def format_weekdays(days: tuple[int, ...] | list[int]) -> str:
    return ",".join(str(d) for d in days)


def latest_plan(session: Session, year: int) -> m.Plan | None:
    return session.scalars(
        select(m.Plan).where(m.Plan.year == year).order_by(m.Plan.version.desc()).limit(1)
    ).first()


def get_plan(session: Session, year: int, version: int | None = None) -> m.Plan | None:
    if version is None:
        return latest_plan(session, year)
    return session.scalars(
        select(m.Plan).where(m.Plan.year == year, m.Plan.version == version)
    ).first()


def build_solver_unit(fields: Any, doctor: str, weekdays: tuple[int, ...]) -> Unit:
    """The unit as the solver sees it, from anything with the unit's store fields (a stored
    row or the unit form's data). Raises ValueError for an invalid rhythm."""
    rhythm = Rhythm(
        kind=RhythmKind(fields.rhythm_kind),
        weekdays=tuple(sorted(set(weekdays))),
        parity=WeekParity(fields.parity) if fields.parity else None,
    )
    return Unit(
        name=fields.name or "(ny enhet)",
        type=UnitType(fields.type),
        doctor=doctor,
        rhythm=rhythm,
        start_time=fields.start_time,
        length_min=fields.length_min,
        form=RoundForm(fields.form),
        reviews_in_round=fields.reviews_in_round,
        reviews_per_round=fields.reviews_per_round,
        nurse=fields.nurse or "",
        review_minutes=fields.review_minutes or 30,
        other_minutes=fields.other_minutes or 0,
    )


def to_solver_unit(unit: m.Unit) -> Unit:
    try:
        return build_solver_unit(unit, unit.doctor.name, parse_weekdays(unit.weekdays))
    except ValueError as exc:
        raise BadInput(f"Enheten {unit.name} har en felaktig rondrytm: {exc}") from exc


HISTORY_STATUSES = (VisitStatus.PLANNED, VisitStatus.LOCKED,
                    VisitStatus.DONE, VisitStatus.DECLINED)
PINNED_ANYWHERE = (VisitStatus.LOCKED, VisitStatus.DONE, VisitStatus.DECLINED)


def default_plan_from(year: int, today: date | None = None) -> date:
    """The planning date when none is given: today, or 1 January when the year lies ahead
    (a year that is over is planned from its last day: nothing is left to place)."""
    today = today or todays_date()
    if today.year < year:
        return date(year, 1, 1)
    if today.year > year:
        return date(year, 12, 31)
    return today


def check_plan_from(year: int, plan_from: date) -> None:
    if plan_from.year != year:
        raise BadInput(f"Planeringsdatumet {plan_from.isoformat()} ligger inte i planåret "
                       f"{year} – ange ett datum mellan {year}-01-01 och {year}-12-31.")


def _last_reviews_before(session: Session, year: int) -> dict[int, date]:
    """Per patient, the latest ÅMV before the plan year: any ÅMV recorded as done or
    declined, and the latest ÅMV of the previous year's latest plan (held, or still planned:
    the next year is planned before December's ÅMV are held)."""
    first = date(year, 1, 1)
    rows = session.execute(
        select(m.Visit.patient_id, func.max(m.Visit.date))
        .where(m.Visit.status.in_((VisitStatus.DONE, VisitStatus.DECLINED)),
               m.Visit.date < first)
        .group_by(m.Visit.patient_id)
    )
    last = {pid: day for pid, day in rows}
    before = latest_plan(session, year - 1)
    if before is not None:
        for visit in before.visits:
            if visit.status in HISTORY_STATUSES and visit.date < first and (
                    visit.patient_id not in last or visit.date > last[visit.patient_id]):
                last[visit.patient_id] = visit.date
    return last


def round_changes_by_unit(session: Session) -> dict[str, tuple[tuple[date, ...],
                                                               tuple[date, ...]]]:
    """Unit name → (extra dates, cancelled dates) of the one-off round changes, sorted."""
    extra: dict[str, list[date]] = {}
    cancelled: dict[str, list[date]] = {}
    rows = session.execute(
        select(m.Unit.name, m.RoundChange.date, m.RoundChange.kind)
        .join(m.RoundChange.unit).order_by(m.Unit.name, m.RoundChange.date)
    ).all()
    for name, day, kind in rows:
        (extra if kind == "extra" else cancelled).setdefault(name, []).append(day)
    return {name: (tuple(extra.get(name, ())), tuple(cancelled.get(name, ())))
            for name in sorted(set(extra) | set(cancelled))}


def reserved_by_matters(session: Session, year: int) -> dict[tuple[str, date], int]:
    """(unit name, date) → minutes of the matters (ärenden, status Planerad or Genomförd)
    booked on that round date of ``year`` (R5b: they lower the round's capacity)."""
    rows = session.execute(
        select(m.Unit.name, m.Matter.date, func.sum(m.Matter.minutes))
        .join(m.Matter.unit)
        .where(m.Matter.date >= date(year, 1, 1), m.Matter.date <= date(year, 12, 31),
               m.Matter.status.in_(("Planerad", "Genomförd")))
        .group_by(m.Unit.name, m.Matter.date))
    return {(name, day): int(minutes) for name, day, minutes in rows if minutes}


def _visits(plan: m.Plan | None, year: int, plan_from: date) -> tuple[
        list[PinnedVisit], list[PreviousVisit], list[CancelledVisit]]:
    """The saved plan's ÅMV as the planner sees them: history (before the planning date)
    and Låst/Genomförd/Avböjd are pinned; an Inställd one makes the patient due again; the
    rest is the previous plan (kept where it can be, frozen in the next 14 days, a booked
    one held wherever it lies)."""
    pinned: list[PinnedVisit] = []
    previous: list[PreviousVisit] = []
    cancelled: list[CancelledVisit] = []
    if plan is None:
        return pinned, previous, cancelled
    for visit in sorted(plan.visits, key=lambda v: (v.date, v.patient_id)):
        if visit.date.year != year:
            continue
        pid = str(visit.patient_id)
        if visit.status == VisitStatus.CANCELLED:
            cancelled.append(CancelledVisit(patient_id=pid, date=visit.date))
        elif visit.status in PINNED_ANYWHERE or visit.date < plan_from:
            pinned.append(PinnedVisit(patient_id=pid, date=visit.date,
                                      status=VisitStatus(visit.status)))
        else:
            previous.append(PreviousVisit(patient_id=pid, date=visit.date, unit=visit.unit,
                                          booked=bool(visit.booked)))
    return pinned, previous, cancelled


def calendar_problem(session: Session, year: int, settings: Settings | None = None) -> Problem:
    """The year's calendar as it is now – settings, doctors, units with their one-off round
    changes, absences and the minutes matters book on round dates – without patients or ÅMV:
    the part of the planner's input a saved plan's document needs for its rounds and for
    which dates still hold an ÅMV (issue 17: every patient and the history are not read
    again to show a saved plan). :func:`build_problem` adds the patients and the ÅMV."""
    if settings is None:
        settings = read_settings(session, year, {"plan_from": date(year, 1, 1)})
    doctors = session.scalars(
        select(m.Doctor).options(selectinload(m.Doctor.health_centre)).order_by(m.Doctor.name)
    ).all()
    units = session.scalars(
        select(m.Unit).options(selectinload(m.Unit.doctor)).order_by(m.Unit.name)
    ).all()
    absences = session.scalars(
        select(m.Absence).options(selectinload(m.Absence.doctor)).order_by(m.Absence.start)
    ).all()
    changes = round_changes_by_unit(session)
    solver_units = []
    for u in units:
        extra, off = changes.get(u.name, ((), ()))
        solver_units.append(replace(to_solver_unit(u), extra_dates=extra, cancelled_dates=off))
    return Problem(
        settings=settings,
        doctors=tuple(
            Doctor(name=d.name, health_centre=d.health_centre.name if d.health_centre else "",
                   review_weekdays=parse_weekdays(d.review_weekdays or ""),
                   reviews_per_day=d.reviews_per_day)
            for d in doctors),
        units=tuple(solver_units),
        patients=(),
        absences=tuple(
            Absence(doctor=a.doctor.name, start=a.start, end=a.end, reason=a.reason or "",
                    substitute=a.substitute or "",
                    reviews_by_substitute=bool(a.reviews_by_substitute))
            for a in absences),
        reserved_minutes=reserved_by_matters(session, year),
    )


def build_problem(
    session: Session,
    year: int,
    settings_overrides: Mapping[str, Any] | None = None,
    plan_from: date | None = None,
) -> tuple[Problem, IdMaps]:
    """The solver's input for ``year`` from the store: every doctor, absence, unit (with its
    one-off round changes) and patient; the minutes booked by matters on each round date
    (:func:`reserved_by_matters`); the saved plan's ÅMV as history, pinned, cancelled
    and previous ÅMV (see :func:`_visits`). ``plan_from`` is the planning date (default:
    :func:`default_plan_from`)."""
    overrides = dict(settings_overrides or {})
    start = plan_from or overrides.pop("plan_from", None) or default_plan_from(year)
    check_plan_from(year, start)
    overrides["plan_from"] = start
    settings = read_settings(session, year, overrides)
    patients = session.scalars(
        select(m.Patient).options(selectinload(m.Patient.unit).selectinload(m.Unit.doctor),
                                  selectinload(m.Patient.named_doctor))
        .order_by(m.Patient.id)
    ).all()
    done_before = _last_reviews_before(session, year)

    solver_patients = []
    maps = IdMaps()
    today = todays_date()
    for p in patients:
        pid = str(p.id)
        last = p.last_review
        done = done_before.get(p.id)
        if done is not None and (last is None or done > last):
            last = done
        end = p.end_date
        if p.status == PatientStatus.DECEASED and end is not None and end > today:
            end = start  # a death dated after today (refused now): ended at the planning date
        # a discharge dated after the planning date is a planned discharge or move: planned
        # until the day before it, like an active patient (solver.demand decides whether the
        # next ÅMV falls due before leaving)
        solver_patients.append(Patient(
            id=pid, unit=p.unit.name, admitted=p.admitted, last_review=last,
            status=PatientStatus(p.status), end_date=end, excluded=p.excluded or "",
            birth_date=p.birth_date, name=p.name, palliative_from=p.palliative_from,
            doctor=named_doctor(p),  # the named doctor when another than the unit's
        ))
        maps.patients[pid] = p.id
        maps.patient_names[pid] = p.name

    pinned, previous, cancelled = _visits(latest_plan(session, year), year, start)
    problem = replace(calendar_problem(session, year, settings),
                      patients=tuple(solver_patients), pinned=tuple(pinned),
                      previous=tuple(previous), cancelled=tuple(cancelled))
    return problem, maps

