"""What-if: try a fix on a copy of the planner's input, compare the plan with and without it
side by side, then use it (the fix and the tried plan in ONE step, undoable) or discard it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from lakarrond.document import PlanMeasures
from lakarrond.errors import UserError
from lakarrond.services.fixes import (
    Fix,
    Undo,
    adjust_problem,
    apply_fix,
    describe_fix,
    fix_kind,
    revert_fix,
)
from lakarrond.services.plan import (
    Move,
    PlanDraft,
    StalePlan,
    make_plan,
    save_plan,
)
from lakarrond.services.problem import build_problem, latest_plan
from lakarrond.store import (
    ConflictError,
    Database,
    audit,
    input_version,
    restore_input_version,
)
from lakarrond.store import models as m
from lakarrond.store.plan_results import measures_from_json
from solver.check import PlanContext, check_output, check_plan, new_hard_breaks
from solver.explain import explain
from solver.problem import Problem
from solver.result import PlanResult
from solver.solve import ProgressFn, StopFn


@dataclass(frozen=True)
class DoctorFigures:
    doctor: str
    broken: int  # broken windows of patients not overdue
    late_overdue: int  # overdue patients seen later than 28 days
    peak_week: int


@dataclass(frozen=True)
class Figures:
    """What the coordinator compares: per doctor and in total."""

    unplaced: int
    broken: int
    late_overdue: int
    days_late: int
    doctors: tuple[DoctorFigures, ...]

    @classmethod
    def of(cls, result: PlanResult) -> Figures:
        """The figures of a plan, from its measures (the same as a saved plan's)."""
        m_ = result.measures
        return measured(m_.unplaced, m_.window_breaks, m_.late_overdue, m_.days_late,
                        m_.peak_week)

    @classmethod
    def of_saved(cls, measures: PlanMeasures) -> Figures:
        """The figures of a saved plan: the ones the status bar's plan, the re-plan preview's
        "Sparad plan" and Prova's first column all show."""
        return measured(measures.unplaced, measures.window_breaks, measures.late_overdue,
                        measures.days_late, measures.peak_week)


def measured(unplaced: int, window_breaks: int, late_overdue: int, days_late: int,
             peak_week: Mapping[str, int]) -> Figures:
    """Figures from a plan's measures (a saved plan has no per-doctor tiers): the broken
    windows are all R7/R8 breaks."""
    return Figures(unplaced=unplaced, broken=window_breaks, late_overdue=late_overdue,
                   days_late=days_late,
                   doctors=tuple(DoctorFigures(d, 0, 0, n) for d, n in sorted(peak_week.items())))


@dataclass(frozen=True)
class WhatIf:
    fix: Fix
    description: str
    current: Figures  # the saved plan (the plan as the data is now when none is saved)
    tried: Figures  # the plan with the fix
    draft: PlanDraft  # the tried plan, ready to save
    moves: tuple[Move, ...]  # whose ÅMV would move against the saved plan
    new_breaks: tuple[str, ...] = ()  # hard rules the tried plan breaks and "now" does not


@dataclass(frozen=True)
class AppliedFix:
    year: int
    plan_id: int
    version: int
    undo: Undo
    input_before: int = 0  # the input version before the fix was carried out
    input_after: int = 0  # and after (the version its plan was made against)


def try_fix(db: Database, year: int, fix: Fix, plan_from: date | None = None,
            on_progress: ProgressFn | None = None, should_stop: StopFn | None = None,
            patient: str = "", freeze_days: int | None = None,
            time_limit: float | None = None) -> WhatIf:
    """Plan the year with the fix as a plan is made (the same planning date, freeze days and
    time limit), without saving anything. The plan as the data is now is solved too (the
    unchanged doctors are reused): the tried plan may add no hard-rule break to it. The
    comparison's first column is the saved plan, the same figures as everywhere else."""
    fix_kind(fix)  # a kind this program does not know is refused before any planning
    with db.read() as session:
        saved = latest_plan(session, year)
        saved_figures = (Figures.of_saved(measures_from_json(saved.measures))
                         if saved is not None else None)
    now = make_plan(db, year, plan_from=plan_from, on_progress=on_progress,
                    should_stop=should_stop, freeze_days=freeze_days, time_limit=time_limit)

    def adjust(problem: Problem) -> Problem:
        return adjust_problem(problem, fix)

    tried = make_plan(db, year, plan_from=now.plan_from, on_progress=on_progress,
                      should_stop=should_stop, adjust=adjust, freeze_days=freeze_days,
                      time_limit=time_limit)
    return WhatIf(fix=fix, description=describe_fix(fix, patient),
                  current=saved_figures or Figures.of(now.result),
                  tried=Figures.of(tried.result), draft=tried, moves=tried.moves,
                  new_breaks=added_breaks(now.problem, now.result, tried.problem, tried.result))


def added_breaks(before: Problem, plan: PlanResult, after: Problem,
                 output: PlanResult) -> tuple[str, ...]:
    """The hard rules (``solver.check``) the output breaks on its data (``after``) that the
    plan it starts from does not break on its own (``before``), in Swedish."""
    ctx = PlanContext.of(after)
    added = new_hard_breaks(check_output(before, plan.appointments, plan.unplaced),
                            check_plan(ctx, output.appointments, output.unplaced))
    return tuple(v.message for v in explain(ctx, added))


def use_whatif(db: Database, whatif: WhatIf, check_stale: bool = True) -> AppliedFix:
    """Carry the fix out and save the tried plan as the next version, in one transaction;
    refused (StalePlan) when the data changed since it was tried (``check_stale=False`` for
    a redo: the only changes since were this fix and its undo)."""
    draft = whatif.draft
    if whatif.new_breaks:
        raise UserError("Planen med åtgärden bryter mot regler som inte får brytas – inget "
                        "ändrades: " + "; ".join(whatif.new_breaks[:3]))
    with db.begin() as session:
        before = input_version(session)
        changed = session.scalars(select(m.AuditLog.entity).where(
            m.AuditLog.id > draft.audit_mark)).all() if check_stale else []
        if check_stale and (before != draft.input_version or "visit" in changed):
            raise StalePlan("Uppgifterna ändrades efter att åtgärden provades – inget "
                            "ändrades. Prova igen.")
        current = latest_plan(session, draft.year)
        if (current.version if current is not None else None) != draft.based_on:
            raise ConflictError("planen")
        undo = apply_fix(session, whatif.fix, draft.year)
        stored, _maps = build_problem(session, draft.year, plan_from=draft.plan_from)
        broken = added_breaks(draft.problem, draft.result, stored, draft.result)
        if broken:  # the store with the fix is not what the plan was tried on
            raise UserError("Åtgärden gav inte samma uppgifter som när den provades – inget "
                            "ändrades: " + "; ".join(broken[:3]))
        plan = save_plan(session, draft)
        audit(session, "fix", "plan", plan.id, after={"fix": whatif.description,
                                                      "version": plan.version})
        return AppliedFix(draft.year, plan.id, plan.version, undo, before,
                          input_version(session))


def undo_whatif(db: Database, applied: AppliedFix) -> None:
    """Undo :func:`use_whatif`: the fix is reverted and the plan version it saved removed
    (only while it is still the year's latest). When nothing else changed the input since,
    the input version goes back to the one before the fix: the plan before is current
    again (no false "Planen är inaktuell")."""
    with db.begin() as session:
        current = latest_plan(session, applied.year)
        if current is None or current.id != applied.plan_id:
            raise ConflictError("planen")
        untouched = input_version(session) == applied.input_after
        revert_fix(session, applied.undo)
        if untouched and applied.input_after != applied.input_before:
            restore_input_version(session, input_version(session), applied.input_before)
        audit(session, "delete", "plan", applied.plan_id,
              before={"version": applied.version, "reason": "ångrad åtgärd"})
        session.execute(delete(m.Visit).where(m.Visit.plan_id == applied.plan_id))
        session.execute(delete(m.Plan).where(m.Plan.id == applied.plan_id))
