"""Planning a year: store → solver input, solve, save a new plan version.

``plan_year`` reads the store in one Session, solves outside any transaction and saves the
new Plan version with all its Visits in ONE transaction, so a failure while saving leaves
the previous version whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from lakarrond.services.errors import BadInput
from lakarrond.store import ConflictError, Database, audit, current_user
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings, settings_dict
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
from solver.result import PlanResult

PINNED_STATUSES = (VisitStatus.LOCKED.value, VisitStatus.DONE.value)


@dataclass(frozen=True)
class IdMaps:
    """Store ids behind the solver's text ids."""

    patients: dict[str, int] = field(default_factory=dict)  # solver id -> Patient.id
    patient_names: dict[str, str] = field(default_factory=dict)  # solver id -> name

    def patient_db_id(self, solver_id: str) -> int | None:
        return self.patients.get(solver_id)


@dataclass(frozen=True)
class SavedPlan:
    """A plan saved as a new version."""

    plan_id: int
    year: int
    version: int
    result: PlanResult
    problem: Problem


# --- store → solver ----------------------------------------------------------------------


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


# --- solve and save ----------------------------------------------------------------------


def _add_visits(session: Session, plan: m.Plan, result: PlanResult, problem: Problem) -> None:
    """The plan's Visits, one per appointment (pinned ones keep their status)."""
    pinned = {p.patient_id: p for p in problem.pinned}
    for appt in sorted(result.appointments, key=lambda a: (a.date, a.unit, a.patient_id)):
        status = appt.status
        pin = pinned.get(appt.patient_id)
        if pin is not None and pin.date == appt.date:
            status = pin.status
        plan.visits.append(
            m.Visit(
                patient_id=int(appt.patient_id),
                date=appt.date,
                preparation=appt.preparation,
                status=VisitStatus(status).value,
                unit=appt.unit,
                doctor=appt.doctor,
            )
        )
    session.flush()


def _result_rows(result: PlanResult, maps: IdMaps) -> tuple[list[dict], list[dict]]:
    def patient_ref(solver_id: str) -> tuple[int | None, str]:
        if not solver_id:
            return None, ""
        return maps.patient_db_id(solver_id), maps.patient_names.get(solver_id, solver_id)

    unplaced = []
    for u in result.unplaced:
        pid, name = patient_ref(u.patient_id)
        unplaced.append({"patient_id": pid, "patient": name, "unit": u.unit, "reason": u.reason})
    violations = []
    for v in result.violations:
        pid, name = patient_ref(v.patient_id)
        violations.append(
            {
                "rule": v.rule,
                "patient_id": pid,
                "patient": name,
                "unit": v.unit,
                "doctor": v.doctor,
                "message": v.message,
                "fix": v.fix,
            }
        )
    return unplaced, violations


def save_plan(
    session: Session, problem: Problem, maps: IdMaps, result: PlanResult, created_by: str = ""
) -> m.Plan:
    """Add the result as the next plan version of its year (in the caller's transaction)."""
    year = problem.year
    last = session.scalar(select(func.max(m.Plan.version)).where(m.Plan.year == year))
    unplaced, violations = _result_rows(result, maps)
    plan = m.Plan(
        year=year,
        version=(last or 0) + 1,
        created_by=created_by or current_user(),
        settings=settings_dict(problem.settings),
        solver_status=result.status,
        objective=float(result.objective),
        bound=float(result.bound),
        wall_s=float(result.wall_s),
        measures=_jsonable(dataclasses.asdict(result.measures)),
        violations=violations,
        unplaced=unplaced,
    )
    session.add(plan)
    session.flush()
    _add_visits(session, plan, result, problem)
    audit(
        session,
        "plan",
        "plan",
        plan.id,
        after={
            "year": year,
            "version": plan.version,
            "appointments": len(result.appointments),
            "unplaced": len(result.unplaced),
            "status": result.status,
        },
    )
    return plan


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def plan_year(
    db: Database,
    year: int,
    time_limit: float | None = None,
    on_progress: Callable[[Any], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    settings_overrides: Mapping[str, Any] | None = None,
) -> SavedPlan:
    """Build, solve and save the year plan as a new version; returns what was saved."""
    from solver.solve import solve

    overrides = dict(settings_overrides or {})
    if time_limit is not None:
        overrides["time_limit_s"] = float(time_limit)
    with db.begin() as session:
        problem, maps = build_problem(session, year, overrides)
    if not problem.patients:
        raise BadInput("Det finns inga patienter att planera – importera eller lägg in data först.")
    result = solve(problem, on_progress=on_progress, should_stop=should_stop)
    try:
        with db.begin() as session:
            plan = save_plan(session, problem, maps, result)
            plan_id, version = plan.id, plan.version
    except IntegrityError as exc:  # someone saved a version of the same year meanwhile
        raise ConflictError("planen") from exc
    return SavedPlan(plan_id=plan_id, year=year, version=version, result=result, problem=problem)


def plan_document(session: Session, year: int, version: int | None = None) -> dict[str, Any]:
    """The plan as the contracts §3 JSON dict, plus the extra keys the Excel, iCalendar and
    PDF writers use (see :mod:`lakarrond.services.document`)."""
    from lakarrond.services.document import build_document

    plan = get_plan(session, year, version)
    if plan is None:
        which = f"version {version} av " if version is not None else ""
        raise BadInput(f"Det finns ingen sparad plan för {which}år {year} – kör 'plan' först.")
    return build_document(session, plan)
