"""Planning a year: store → solver input, solve, save a new plan version.

``plan_year`` reads the store in one Session, solves outside any transaction and saves the
new Plan version with all its Visits in ONE transaction, so a failure while saving leaves
the previous version whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lakarrond.errors import BadInput
from lakarrond.services.problem import IdMaps, build_problem
from lakarrond.store import ConflictError, Database, audit, current_user
from lakarrond.store import models as m
from lakarrond.store.settings import settings_dict
from solver.problem import Problem, VisitStatus
from solver.result import PlanResult
from solver.solve import ProgressFn, StopFn, solve


@dataclass(frozen=True)
class SavedPlan:
    """A plan saved as a new version."""

    plan_id: int
    year: int
    version: int
    result: PlanResult
    problem: Problem


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


def _result_rows(
    result: PlanResult, maps: IdMaps
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
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
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    settings_overrides: Mapping[str, Any] | None = None,
) -> SavedPlan:
    """Build, solve and save the year plan as a new version; returns what was saved."""
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
