"""The one place a :class:`~lakarrond.document.PlanDocument` is built from the store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lakarrond.document import (
    AbsenceEntry,
    AnnualReview,
    PlanDocument,
    PlanMeasures,
    RoundEntry,
    SolverFigures,
    UnitInfo,
    UnplacedEntry,
    ViolationEntry,
)
from lakarrond.errors import BadInput
from lakarrond.services.problem import build_problem, get_plan, to_solver_unit
from lakarrond.store import Database
from lakarrond.store import models as m
from lakarrond.store.settings import settings_from_dict
from solver.problem import Settings, UnitType
from solver.rounds import round_dates


def _rounds(session: Session, settings: Settings) -> list[RoundEntry]:
    problem, _ = build_problem(session, settings.year)
    problem = replace(problem, settings=settings, patients=(), pinned=(), previous=())
    return [
        RoundEntry(
            date=rd.date,
            unit=rd.unit,
            doctor=rd.doctor,
            start=rd.start_time.strftime("%H:%M"),
            length_min=rd.length_min,
            form=rd.form.value,
            cancelled=rd.cancelled,
            cancel_reason=rd.cancel_reason,
            substitute=rd.substitute,
        )
        for rd in round_dates(problem)
    ]


def _units(session: Session) -> list[UnitInfo]:
    units = session.scalars(
        select(m.Unit)
        .options(selectinload(m.Unit.doctor).selectinload(m.Doctor.health_centre))
        .order_by(m.Unit.name)
    ).all()
    return [
        UnitInfo(
            name=u.name,
            type=u.type,
            doctor=u.doctor.name,
            nurse=u.nurse or "",
            health_centre=u.doctor.health_centre.name if u.doctor.health_centre else "",
            reviews_in_round=to_solver_unit(u).reviews_at_rounds,
            annual=u.type != UnitType.SHORT_TERM.value,
        )
        for u in units
    ]


def _absences(session: Session, year: int) -> list[AbsenceEntry]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = session.scalars(
        select(m.Absence)
        .where(m.Absence.end >= first, m.Absence.start <= last)
        .options(selectinload(m.Absence.doctor))
    ).all()
    return [
        AbsenceEntry(doctor=a.doctor.name, start=a.start, end=a.end, reason=a.reason or "",
                     substitute=a.substitute or "")
        for a in sorted(rows, key=lambda a: (a.start, a.id))
    ]


def _patient_ref(row: dict[str, Any], names: dict[int, str]) -> tuple[int | None, str]:
    pid = row.get("patient_id")
    if pid is None:
        return None, str(row.get("patient", ""))
    return int(pid), names.get(int(pid), str(row.get("patient", "")))


def build_document(session: Session, plan: m.Plan) -> PlanDocument:
    """The document of one saved plan version (in the caller's Session)."""
    visits = session.scalars(
        select(m.Visit)
        .where(m.Visit.plan_id == plan.id)
        .options(selectinload(m.Visit.patient).selectinload(m.Patient.unit)
                 .selectinload(m.Unit.doctor))
    ).all()
    units = _units(session)
    unit_types = {u.name: u.type for u in units}
    names = {pid: name for pid, name in session.execute(select(m.Patient.id, m.Patient.name))}
    previous = get_plan(session, plan.year, plan.version - 1) if plan.version > 1 else None
    before = {v.patient_id: v.date for v in previous.visits} if previous is not None else {}

    reviews = []
    for v in visits:
        patient = v.patient
        unit = v.unit or patient.unit.name
        old = before.get(patient.id)
        reviews.append(AnnualReview(
            date=v.date,
            doctor=v.doctor or patient.unit.doctor.name,
            unit=unit,
            patient=patient.name,
            personnummer=patient.personnummer,
            preparation=v.preparation,
            status=v.status,
            room=patient.room or "",
            patient_id=patient.id,
            unit_type=unit_types.get(unit, ""),
            visit_id=v.id,
            visit_version=v.version,
            moved_from=old if old is not None and old != v.date else None,
        ))
    reviews.sort(key=lambda a: (a.date, a.unit, a.patient, a.patient_id))

    settings = settings_from_dict(plan.settings) if plan.settings else Settings(year=plan.year)
    unplaced = []
    for u in plan.unplaced or []:
        pid, name = _patient_ref(u, names)
        unplaced.append(UnplacedEntry(patient=name, unit=u.get("unit", ""),
                                      reason=u.get("reason", ""), patient_id=pid))
    violations = []
    for v in plan.violations or []:
        pid, name = _patient_ref(v, names)
        violations.append(ViolationEntry(
            rule=v.get("rule", ""), patient=name, unit=v.get("unit", ""),
            message=v.get("message", ""), fix=v.get("fix", ""), patient_id=pid,
            doctor=v.get("doctor", ""), cause=v.get("cause", ""), action=v.get("action"),
        ))
    in_round: dict[tuple[str, date], int] = {}
    for a in reviews:
        in_round[(a.unit, a.date)] = in_round.get((a.unit, a.date), 0) + 1
    rounds = [replace(r, reviews=in_round.get((r.unit, r.date), 0))
              for r in _rounds(session, settings)]
    return PlanDocument(
        year=plan.year,
        version=plan.version,
        settings=settings,
        solver=SolverFigures(status=plan.solver_status, objective=float(plan.objective),
                             bound=float(plan.bound), wall_s=float(plan.wall_s)),
        reviews=tuple(reviews),
        unplaced=tuple(unplaced),
        violations=tuple(violations),
        measures=PlanMeasures.from_stored(plan.measures or {}),
        rounds=tuple(rounds),
        units=tuple(units),
        absences=tuple(_absences(session, plan.year)),
        created_at=plan.created_at.isoformat(timespec="seconds") if plan.created_at else "",
        created_by=plan.created_by or "",
        note=plan.note or "",
        previous_version=previous.version if previous is not None else None,
    )


def load_document(session: Session, year: int, version: int | None = None) -> PlanDocument:
    """The document of the year's latest plan (or ``version``); BadInput when there is none."""
    plan = get_plan(session, year, version)
    if plan is None:
        which = f"version {version} av " if version is not None else ""
        raise BadInput(f"Det finns ingen sparad plan för {which}år {year} – kör 'plan' först.")
    return build_document(session, plan)


def current_document(db: Database, year: int) -> PlanDocument | None:
    """The year's latest plan as the window shows it, or None when the year has none."""
    with db.begin() as session:
        plan = get_plan(session, year)
        return build_document(session, plan) if plan is not None else None
