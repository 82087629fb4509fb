"""Planning a year from a planning date: store → solver, solve, then save a new version.

``make_plan`` reads the store in one Session (and notes the audit log's last row), solves
outside any transaction and returns a :class:`PlanDraft`: the plan and what would move.
``save_draft`` saves it as the next plan version with all its Visits in ONE transaction,
against the data it read: an outcome, lock or move recorded while the plan was being made is
kept (applied on top), while a change of patients, units, doctors, absences or settings
(an import, say) makes the draft stale – nothing is saved and the user is told to plan again.
Stale means the input version (``store.input_version``, bumped with every input change) moved
since the draft read the store: reads, printouts and exports never make a draft stale.
``plan_year`` is both in one call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any  # Any: JSON edge: setting overrides of several types

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lakarrond.document import PlanDocument
from lakarrond.errors import BadInput, UserError
from lakarrond.services import deadline
from lakarrond.services.document import build_document, current_document
from lakarrond.services.forced import still_to_tell
from lakarrond.services.moves import Move, Saved, draft_document, find_moves
from lakarrond.services.preparation import carry_ticks_many
from lakarrond.services.problem import IdMaps, build_problem, latest_plan
from lakarrond.store import (
    INPUT_ENTITIES,
    ConflictError,
    Database,
    StoreError,
    audit,
    current_user,
    input_version,
)
from lakarrond.store import models as m
from lakarrond.store.plan_results import (
    ForcedMoveRow,
    PatientRow,
    ViolationRow,
    fingerprints_from_json,
    fingerprints_to_json,
    forced_moves_from_json,
    forced_moves_to_json,
    measures_to_json,
    patient_rows_to_json,
    settings_to_json,
    violations_to_json,
)
from solver.problem import Problem, VisitStatus
from solver.result import PlanResult
from solver.solve import ProgressFn, StopFn, solve

__all__ = ["INPUT_ENTITIES", "Move", "PlanDraft", "SavedPlan", "StalePlan", "make_plan",
           "plan_year", "save_draft", "save_plan"]

ENTITY_WORDS = {
    "patient": "patienter", "unit": "enheter", "doctor": "läkare", "absence": "frånvaro",
    "setting": "inställningar", "round_change": "rondändringar", "workbook": "en import",
    "database": "exempeldata", "health_centre": "vårdcentraler", "matter": "ärenden",
}


class StalePlan(UserError):
    """The data changed while the plan was being made; nothing was saved."""


class SavedMeanwhile(ConflictError):
    """Another version of the plan was saved by the same user (another window) meanwhile."""

    def __init__(self, year: int) -> None:
        StoreError.__init__(self, f"En annan version av planen för {year} sparades (av dig, "
                            "i ett annat fönster) medan planen beräknades – inget sparades. "
                            "Läs in igen och planera på nytt.")
        self.what = "planen"


@dataclass(frozen=True)
class PlanDraft:
    """A solved plan, not yet saved."""

    year: int
    plan_from: date
    problem: Problem
    maps: IdMaps
    result: PlanResult
    based_on: int | None  # the plan version it re-plans (None: the first)
    audit_mark: int  # the audit log's last row when the store was read
    input_version: int  # the planning input's version when the store was read
    moves: tuple[Move, ...]
    reasons: dict[str, str]  # patient id → the reason recorded on the saved ÅMV

    @property
    def moved_per_doctor(self) -> dict[str, int]:
        return dict(sorted(Counter(mv.doctor for mv in self.moves).items()))

    @property
    def moved_per_unit(self) -> dict[str, int]:
        return dict(sorted(Counter(mv.unit for mv in self.moves).items()))

    @property
    def forced(self) -> tuple[Move, ...]:
        return tuple(mv for mv in self.moves if mv.in_freeze)


@dataclass(frozen=True)
class SavedPlan:
    """A plan saved as a new version."""

    plan_id: int
    year: int
    version: int
    result: PlanResult
    problem: Problem
    kept_changes: int = 0  # outcomes/locks/moves recorded while planning, kept on top


# --- planning ------------------------------------------------------------------------------


def _audit_mark(session: Session) -> int:
    return int(session.scalar(select(func.max(m.AuditLog.id))) or 0)


def make_plan(
    db: Database,
    year: int,
    *,
    plan_from: date | None = None,
    freeze_days: int | None = None,
    time_limit: float | None = None,
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    settings_overrides: dict[str, Any] | None = None,
    adjust: Callable[[Problem], Problem] | None = None,
    rebalance: bool = False,
) -> PlanDraft:
    """Solve the year from ``plan_from`` (default: today, or 1 January when the year lies
    ahead) against the saved plan: the history before it stays, the next ``freeze_days``
    keep their dates unless they cannot be held, the rest moves only for a patient (a
    window, a deadline, days late) or because its date is no longer allowed. ``rebalance``
    ("Jämna ut hela året") lets evenness move saved ÅMV too. ``adjust`` changes the
    planner's input first (a what-if: the store is not touched). The time limit (settings,
    or ``time_limit``) also holds on the clock for the whole planning, counted from reading
    the store (``services.deadline``): past it the best plan so far is returned (stopped)."""
    overrides = dict(settings_overrides or {})
    if rebalance:
        overrides["rebalance"] = True
    if time_limit is not None:
        overrides["time_limit_s"] = float(time_limit)
    if freeze_days is not None:
        if not 0 <= freeze_days <= 90:
            raise BadInput("Frysperioden måste vara mellan 0 och 90 dagar.")
        overrides["freeze_days"] = freeze_days
    began = deadline.clock()
    with db.read() as session:
        problem, maps = build_problem(session, year, overrides, plan_from)
        # the time limit holds for the whole planning on the clock (services/deadline.py)
        stop = deadline.wall_stop(problem.settings.time_limit_s, should_stop, began)
        plan = latest_plan(session, year)
        mark = _audit_mark(session)
        version = input_version(session)
        reuse = fingerprints_from_json(plan.fingerprints) if plan is not None else {}
        visits = list(plan.visits) if plan is not None else []
        reasons = {str(v.patient_id): v.reason for v in visits if v.reason}
        saved = [Saved(v.patient_id, v.date, v.status, v.unit, v.doctor) for v in visits]
        based_on = plan.version if plan is not None else None
        old_doc = build_document(session, plan, problem.settings.first_day) \
            if plan is not None else None
    if adjust is not None:
        problem = adjust(problem)
    if not problem.patients:
        raise BadInput("Det finns inga patienter att planera – importera eller lägg in data "
                       "först.")
    start = problem.settings.first_day
    # the solve runs outside any transaction: the database stays free for others
    result = solve(problem, on_progress=on_progress, should_stop=stop, reuse=reuse or None)
    names = {p.id: maps.patient_names.get(p.id, p.id) for p in problem.patients
             if not p.excluded and (p.end_date is None or p.end_date > start)}
    new_doc = draft_document(old_doc, result, maps.patient_names) if old_doc else None
    moves = find_moves(saved, old_doc, new_doc, result, names, start,
                       reserved=problem.reserved_minutes)
    return PlanDraft(year=year, plan_from=start, problem=problem, maps=maps, result=result,
                     based_on=based_on, audit_mark=mark, input_version=version,
                     moves=tuple(moves), reasons=reasons)


def plan_year(
    db: Database,
    year: int,
    time_limit: float | None = None,
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    settings_overrides: dict[str, Any] | None = None,
    plan_from: date | None = None,
    freeze_days: int | None = None,
) -> SavedPlan:
    """Build, solve and save the year plan as a new version; returns what was saved."""
    draft = make_plan(db, year, plan_from=plan_from, freeze_days=freeze_days,
                      time_limit=time_limit, on_progress=on_progress, should_stop=should_stop,
                      settings_overrides=settings_overrides)
    return save_draft(db, draft)


# --- saving --------------------------------------------------------------------------------


def _changes_since(session: Session, mark: int) -> list[m.AuditLog]:
    return list(session.scalars(
        select(m.AuditLog).where(m.AuditLog.id > mark).order_by(m.AuditLog.id)))


def _stale_reason(rows: list[m.AuditLog]) -> str:
    kinds = sorted({ENTITY_WORDS.get(r.entity, r.entity) for r in rows
                    if r.entity in INPUT_ENTITIES})
    return ", ".join(kinds)


def _refusal(rows: list[m.AuditLog]) -> str:
    """Who made the changes that stop a save: ", ändrade av dig" when all are the user's
    own (never "någon annan" then), else the other users by name."""
    own = current_user()
    users = {r.user for r in rows}
    if not users:
        return ""
    if users == {own}:
        return ", ändrade av dig"
    others = sorted(users - {own})
    return f", ändrade av {', '.join(others)}" + (" och dig" if own in users else "")


def save_draft(db: Database, draft: PlanDraft) -> SavedPlan:
    """Save the draft as the next version (one transaction). Raises :class:`StalePlan`
    when its input changed meanwhile (the input version moved), :class:`ConflictError`
    when another plan version of the year was saved meanwhile. Printouts, exports and
    reads between planning and saving change nothing."""
    try:
        with db.begin() as session:
            rows = _changes_since(session, draft.audit_mark)
            if input_version(session) != draft.input_version:
                what = _stale_reason(rows) or "planeringsunderlaget"
                who = _refusal([r for r in rows if r.entity in INPUT_ENTITIES])
                raise StalePlan(
                    f"Uppgifterna ändrades medan planen beräknades ({what}{who}) – inget "
                    "sparades. Planera igen, så räknas ändringarna med.")
            current = latest_plan(session, draft.year)
            if (current.version if current is not None else None) != draft.based_on:
                saves = [r for r in rows if r.entity == "plan" and r.action != "print"]
                if saves and {r.user for r in saves} == {current_user()}:
                    raise SavedMeanwhile(draft.year)
                raise ConflictError("planen")
            touched = {int(r.entity_id) for r in rows if r.entity == "visit" and r.entity_id}
            kept = _recorded_meanwhile(session, touched)
            plan = save_plan(session, draft, kept)
            return SavedPlan(plan_id=plan.id, year=draft.year, version=plan.version,
                             result=draft.result, problem=draft.problem,
                             kept_changes=len(kept))
    except IntegrityError as exc:  # someone saved a version of the same year meanwhile
        raise ConflictError("planen") from exc


def save_and_read(db: Database, draft: PlanDraft, today: date | None = None
                  ) -> tuple[SavedPlan, PlanDocument | None]:
    """:func:`save_draft`, then the year's document as the window shows it – both store
    work, run together on the window's job runner (issue 17: the window is not blocked)."""
    saved = save_draft(db, draft)
    return saved, current_document(db, saved.year, today)


def _recorded_meanwhile(session: Session, visit_ids: set[int]) -> dict[int, m.Visit]:
    """The saved ÅMV changed after the plan was read (an outcome, a lock, a move): patient
    id → the visit as it is now. They win over the draft."""
    if not visit_ids:
        return {}
    visits = session.scalars(select(m.Visit).where(m.Visit.id.in_(sorted(visit_ids)))).all()
    return {v.patient_id: v for v in visits}


def _add_visits(session: Session, plan: m.Plan, draft: PlanDraft,
                kept: dict[int, m.Visit]) -> None:
    """The plan's Visits: one per appointment (pinned ones keep their status and reason),
    an Inställd one for a cancelled patient the plan could not place, and what was recorded
    while planning on top."""
    problem, result = draft.problem, draft.result
    pinned = {p.patient_id: p for p in problem.pinned}
    cancelled = {c.patient_id: c.date for c in problem.cancelled}
    booked = {v.patient_id: v.date for v in problem.previous if v.booked}
    rows: dict[int, m.Visit] = {}
    for appt in result.appointments:
        status = appt.status
        pin = pinned.get(appt.patient_id)
        if pin is not None and pin.date == appt.date:
            status = pin.status
        pid = int(appt.patient_id)
        rows[pid] = m.Visit(
            patient_id=pid, date=appt.date, preparation=appt.preparation,
            status=VisitStatus(status).value, unit=appt.unit, doctor=appt.doctor,
            reason=draft.reasons.get(appt.patient_id, "") if pin is not None else "",
            cancelled_on=cancelled.get(appt.patient_id),
            booked=booked.get(appt.patient_id) == appt.date)
    for solver_id, day in cancelled.items():
        pid = int(solver_id)
        if pid not in rows:
            patient = next(p for p in problem.patients if p.id == solver_id)
            unit = problem.unit(patient.unit)
            rows[pid] = m.Visit(patient_id=pid, date=day, preparation=day,
                                status=VisitStatus.CANCELLED.value, unit=unit.name,
                                doctor=unit.doctor, reason=draft.reasons.get(solver_id, ""),
                                cancelled_on=day)
    for pid, visit in kept.items():
        rows[pid] = m.Visit(patient_id=pid, date=visit.date, preparation=visit.preparation,
                            status=visit.status, unit=visit.unit, doctor=visit.doctor,
                            reason=visit.reason, cancelled_on=visit.cancelled_on,
                            booked=visit.booked)
    for pid in sorted(rows, key=lambda p: (rows[p].date, rows[p].unit, p)):
        plan.visits.append(rows[pid])
    carry_ticks_many(session, [  # a moved ÅMV keeps the preparation already done for it
        (mv.patient_id, mv.old, mv.new) for mv in draft.moves
        if mv.new is not None and mv.patient_id in rows])
    session.flush()


def _result_rows(
    result: PlanResult, maps: IdMaps
) -> tuple[list[PatientRow], list[ViolationRow], list[ForcedMoveRow]]:
    def patient_ref(solver_id: str) -> tuple[int | None, str]:
        if not solver_id:
            return None, ""
        return maps.patient_db_id(solver_id), maps.patient_names.get(solver_id, solver_id)

    unplaced = []
    for u in result.unplaced:
        pid, name = patient_ref(u.patient_id)
        unplaced.append(PatientRow(patient_id=pid, patient=name, unit=u.unit, reason=u.reason))
    violations = []
    for v in result.violations:
        pid, name = patient_ref(v.patient_id)
        violations.append(ViolationRow(
            rule=v.rule, patient_id=pid, patient=name, unit=v.unit, doctor=v.doctor,
            message=v.message, fix=v.fix, cause=v.cause, action=v.action))
    forced = []
    for f in result.forced_moves:
        pid, name = patient_ref(f.patient_id)
        forced.append(ForcedMoveRow(patient_id=pid, patient=name, old=f.old_date,
                                    new=f.new_date, reason=f.reason))
    return unplaced, violations, forced


def not_required_rows(result: PlanResult, maps: IdMaps) -> list[PatientRow]:
    """The patients needing no ÅMV in the plan, as stored on the plan version."""
    return [PatientRow(patient_id=maps.patient_db_id(n.patient_id),
                       patient=maps.patient_names.get(n.patient_id, n.patient_id),
                       unit=n.unit, reason=n.reason) for n in result.not_required]


def save_plan(session: Session, draft: PlanDraft,
              kept: dict[int, m.Visit] | None = None, created_by: str = "") -> m.Plan:
    """Add the draft as the next plan version of its year (in the caller's transaction)."""
    problem, result = draft.problem, draft.result
    year = problem.year
    last = session.scalar(select(func.max(m.Plan.version)).where(m.Plan.year == year))
    unplaced, violations, forced = _result_rows(result, draft.maps)
    if last:  # the previous version's "Flyttad inom frysperioden" reminders that still hold
        previous = session.scalar(select(m.Plan.forced_moves).where(
            m.Plan.year == year, m.Plan.version == last))
        forced = still_to_tell(forced_moves_from_json(previous), forced,
                               {int(a.patient_id): a.date for a in result.appointments},
                               draft.plan_from)
    note = None
    if kept:
        note = (f"{len(kept)} registrering(ar) gjorda medan planen beräknades behölls "
                "ovanpå planen.")
    plan = m.Plan(
        year=year,
        version=(last or 0) + 1,
        created_by=created_by or current_user(),
        settings=settings_to_json(problem.settings),
        solver_status=result.status,
        objective=float(result.objective),
        bound=float(result.bound),
        wall_s=float(result.wall_s),
        measures=measures_to_json(result.measures),
        violations=violations_to_json(violations),
        unplaced=patient_rows_to_json(unplaced),
        note=note,
        plan_from=draft.plan_from,
        fingerprints=fingerprints_to_json(
            {s.doctor: s.fingerprint for s in result.solves if s.fingerprint}),
        forced_moves=forced_moves_to_json(forced),
        not_required=patient_rows_to_json(not_required_rows(result, draft.maps)),
        input_version=input_version(session),
        moves=[mv.to_json() for mv in draft.moves if mv.patient_id not in (kept or {})],
    )
    session.add(plan)
    session.flush()
    _add_visits(session, plan, draft, kept or {})
    audit(session, "plan", "plan", plan.id, after={
        "year": year, "version": plan.version, "from": draft.plan_from.isoformat(),
        "appointments": len(result.appointments), "unplaced": len(result.unplaced),
        "moved": len(draft.moves), "moved_in_freeze": len(draft.forced),
        "kept_changes": len(kept or {}), "status": result.status,
    })
    return plan

