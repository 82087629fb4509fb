"""Store → solver: the planner's input (``solver.problem.Problem``) for a year, read from the
store in the caller's Session, and the lookups of saved plan versions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lakarrond.errors import BadInput
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from solver.problem import (
    Absence,
    Doctor,
    Patient,
    PatientStatus,
    PinnedVisit,
    PreviousVisit,
    Problem,
    Rhythm,
    RhythmKind,
    RoundForm,
    Unit,
    UnitType,
    VisitStatus,
    WeekParity,
)

PINNED_STATUSES = (VisitStatus.LOCKED.value, VisitStatus.DONE.value)


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
    )


def to_solver_unit(unit: m.Unit) -> Unit:
    try:
        return build_solver_unit(unit, unit.doctor.name, parse_weekdays(unit.weekdays))
    except ValueError as exc:
        raise BadInput(f"Enheten {unit.name} har en felaktig rondrytm: {exc}") from exc


def _last_done_before(session: Session, year: int) -> dict[int, date]:
    """Per patient, the latest ÅMV recorded as done before the plan year."""
    rows = session.execute(
        select(m.Visit.patient_id, func.max(m.Visit.date))
        .where(m.Visit.status == VisitStatus.DONE.value, m.Visit.date < date(year, 1, 1))
        .group_by(m.Visit.patient_id)
    )
    return {pid: day for pid, day in rows}


def build_problem(
    session: Session, year: int, settings_overrides: Mapping[str, Any] | None = None
) -> tuple[Problem, IdMaps]:
    """The solver's input for ``year`` from the store: every doctor, absence, unit and
    patient; the Låst and Genomförd ÅMV of the year's latest plan as pinned visits; that
    plan's ÅMV as ``previous`` (for stability)."""
    settings = read_settings(session, year, settings_overrides)
    doctors = session.scalars(
        select(m.Doctor).options(selectinload(m.Doctor.health_centre)).order_by(m.Doctor.name)
    ).all()
    units = session.scalars(
        select(m.Unit).options(selectinload(m.Unit.doctor)).order_by(m.Unit.name)
    ).all()
    patients = session.scalars(
        select(m.Patient).options(selectinload(m.Patient.unit)).order_by(m.Patient.id)
    ).all()
    absences = session.scalars(
        select(m.Absence).options(selectinload(m.Absence.doctor)).order_by(m.Absence.start)
    ).all()
    done_before = _last_done_before(session, year)

    solver_patients = []
    maps = IdMaps()
    for p in patients:
        pid = str(p.id)
        last = p.last_review
        done = done_before.get(p.id)
        if done is not None and (last is None or done > last):
            last = done
        solver_patients.append(
            Patient(
                id=pid,
                unit=p.unit.name,
                admitted=p.admitted,
                last_review=last,
                status=PatientStatus(p.status),
                end_date=p.end_date,
                excluded=p.excluded or "",
                birth_date=p.birth_date,
                name=p.name,
            )
        )
        maps.patients[pid] = p.id
        maps.patient_names[pid] = p.name

    pinned: list[PinnedVisit] = []
    previous: list[PreviousVisit] = []
    plan = latest_plan(session, year)
    if plan is not None:
        for visit in sorted(plan.visits, key=lambda v: (v.date, v.patient_id)):
            if visit.date.year != year:
                continue
            pid = str(visit.patient_id)
            previous.append(PreviousVisit(patient_id=pid, date=visit.date))
            if visit.status in PINNED_STATUSES:
                pinned.append(
                    PinnedVisit(patient_id=pid, date=visit.date, status=VisitStatus(visit.status))
                )

    problem = Problem(
        settings=settings,
        doctors=tuple(
            Doctor(
                name=d.name,
                health_centre=d.health_centre.name if d.health_centre else "",
                review_weekdays=parse_weekdays(d.review_weekdays or ""),
                reviews_per_day=d.reviews_per_day,
            )
            for d in doctors
        ),
        units=tuple(to_solver_unit(u) for u in units),
        patients=tuple(solver_patients),
        absences=tuple(
            Absence(
                doctor=a.doctor.name,
                start=a.start,
                end=a.end,
                reason=a.reason or "",
                substitute=a.substitute or "",
            )
            for a in absences
        ),
        pinned=tuple(pinned),
        previous=tuple(previous),
    )
    return problem, maps
