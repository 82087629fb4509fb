"""Fixes the program can carry out for a broken rule (the planner's ``FixAction``): raise ÅMV
per round or per day, add a one-off extra round date, add an ÅMV weekday for a doctor, let the
substitute named for an absence hold its ÅMV, unlock a locked ÅMV. The preconditions (a fix
is offered only when it can be carried out) and the change to the planner's input live in
``solver.fixes``.

Each fix can be tried on the planner's input without touching the store
(:func:`adjust_problem`, for a what-if) or carried out in the store (:func:`apply_fix`,
audited), and undone (:func:`revert_fix`) with what :func:`apply_fix` returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.errors import BadInput
from lakarrond.services.problem import format_weekdays, latest_plan, parse_weekdays
from lakarrond.services.visits import place_visit
from lakarrond.store import ConflictError, audit
from lakarrond.store import models as m
from solver.fixes import CannotCarryOut, adjust, no_substitute
from solver.problem import WEEKDAY_NAMES_SV, Problem, VisitStatus
from solver.result import FIX_KINDS, FixAction

KINDS = FIX_KINDS
Fix = FixAction  # the planner's proposal is the fix the store carries out


def fix_from_json(data: Mapping[str, Any]) -> Fix:
    """The fix of a stored deviation (the plan document keeps it as JSON)."""
    day = data.get("day")
    return Fix(kind=str(data.get("kind", "")), unit=str(data.get("unit") or ""),
               doctor=str(data.get("doctor") or ""),
               patient_id=str(data.get("patient_id") or ""),
               day=date.fromisoformat(day) if isinstance(day, str) and day else None,
               value=int(data.get("value") or 0))


def describe_fix(fix: Fix, patient: str = "") -> str:
    """What the fix does, in Swedish."""
    day = fix.day.isoformat() if fix.day else ""
    if fix.kind == "raise_reviews_per_round":
        return f"Höj ÅMV per rond för {fix.unit} till {fix.value}"
    if fix.kind == "raise_reviews_per_day":
        return f"Höj ÅMV per dag för {fix.doctor} till {fix.value}"
    if fix.kind == "extra_round":
        return f"Lägg till en extra rond på {fix.unit} {day}"
    if fix.kind == "review_day":
        name = WEEKDAY_NAMES_SV[fix.value] if 0 <= fix.value < 7 else "?"
        return f"Ge {fix.doctor} ÅMV-tid även på {name}ar"
    if fix.kind == "substitute_reviews":
        return f"Låt vikarien hålla ÅMV under {fix.doctor}s frånvaro från {day}"
    if fix.kind == "unlock":
        return f"Lås upp ÅMV {day}" + (f" för {patient}" if patient else "")
    return "Okänd åtgärd"


def adjust_problem(problem: Problem, fix: Fix) -> Problem:
    """The planner's input with the fix applied (nothing is stored); BadInput when the fix
    cannot be carried out on this data (``solver.fixes``)."""
    try:
        return adjust(problem, fix)
    except CannotCarryOut as error:
        raise BadInput(str(error)) from None


def _unit(session: Session, name: str) -> m.Unit:
    unit = session.scalars(select(m.Unit).where(m.Unit.name == name)).first()
    if unit is None:
        raise ConflictError("enheten")
    return unit


def _doctor(session: Session, name: str) -> m.Doctor:
    doctor = session.scalars(select(m.Doctor).where(m.Doctor.name == name)).first()
    if doctor is None:
        raise ConflictError("läkaren")
    return doctor


def apply_fix(session: Session, fix: Fix, year: int) -> dict[str, Any]:
    """Carry the fix out in the store (the caller's transaction, audited); returns what
    :func:`revert_fix` needs."""
    if fix.kind == "raise_reviews_per_round":
        unit = _unit(session, fix.unit)
        old = unit.reviews_per_round
        unit.reviews_per_round = fix.value
        audit(session, "update", "unit", unit.id, before={"reviews_per_round": old},
              after={"reviews_per_round": fix.value})
        return {"kind": fix.kind, "id": unit.id, "old": old}
    if fix.kind == "raise_reviews_per_day":
        doctor = _doctor(session, fix.doctor)
        old = doctor.reviews_per_day
        doctor.reviews_per_day = fix.value
        audit(session, "update", "doctor", doctor.id, before={"reviews_per_day": old},
              after={"reviews_per_day": fix.value})
        return {"kind": fix.kind, "id": doctor.id, "old": old}
    if fix.kind == "review_day":
        doctor = _doctor(session, fix.doctor)
        old_days = doctor.review_weekdays or ""
        doctor.review_weekdays = format_weekdays(sorted({*parse_weekdays(old_days),
                                                         fix.value}))
        audit(session, "update", "doctor", doctor.id, before={"review_weekdays": old_days},
              after={"review_weekdays": doctor.review_weekdays})
        return {"kind": fix.kind, "id": doctor.id, "old": old_days}
    if fix.kind == "extra_round" and fix.day is not None:
        unit = _unit(session, fix.unit)
        change = m.RoundChange(unit_id=unit.id, date=fix.day, kind="extra",
                               note="åtgärd för brutna regler")
        session.add(change)
        session.flush()
        audit(session, "create", "round_change", change.id,
              after={"unit": unit.name, "date": fix.day.isoformat(), "kind": "extra"})
        return {"kind": fix.kind, "id": change.id}
    if fix.kind == "substitute_reviews":
        absence = session.scalars(select(m.Absence).join(m.Absence.doctor).where(
            m.Doctor.name == fix.doctor, m.Absence.start == fix.day)).first()
        if absence is None:
            raise ConflictError("frånvaron")
        if not (absence.substitute or "").strip():  # nobody to hold the ÅMV
            raise BadInput(no_substitute(fix.doctor, absence.start))
        old_sub, old_flag = absence.substitute, absence.reviews_by_substitute
        absence.reviews_by_substitute = True
        audit(session, "update", "absence", absence.id,
              before={"substitute": old_sub, "reviews_by_substitute": old_flag},
              after={"substitute": absence.substitute, "reviews_by_substitute": True})
        return {"kind": fix.kind, "id": absence.id, "old": [old_sub, old_flag]}
    if fix.kind == "unlock":
        plan = latest_plan(session, year)
        visit = None if plan is None or not fix.patient_id.isdigit() else session.scalars(
            select(m.Visit).where(m.Visit.plan_id == plan.id,
                                  m.Visit.patient_id == int(fix.patient_id))).first()
        if visit is None or visit.status != VisitStatus.LOCKED.value:
            raise ConflictError("besöket")
        place_visit(session, visit, visit.date, VisitStatus.PLANNED.value)
        return {"kind": fix.kind, "id": visit.id}
    raise BadInput(f"Okänd åtgärd \"{fix.kind}\".")


def revert_fix(session: Session, done: Mapping[str, Any]) -> None:
    """Undo :func:`apply_fix` (the caller's transaction, audited)."""
    kind, ident = done["kind"], int(done["id"])
    if kind == "raise_reviews_per_round":
        unit = session.get(m.Unit, ident)
        if unit is None:
            raise ConflictError("enheten")
        audit(session, "update", "unit", ident, before={"reviews_per_round":
                                                        unit.reviews_per_round},
              after={"reviews_per_round": done["old"]})
        unit.reviews_per_round = int(done["old"])
    elif kind in ("raise_reviews_per_day", "review_day"):
        doctor = session.get(m.Doctor, ident)
        if doctor is None:
            raise ConflictError("läkaren")
        field = "reviews_per_day" if kind == "raise_reviews_per_day" else "review_weekdays"
        audit(session, "update", "doctor", ident, before={field: getattr(doctor, field)},
              after={field: done["old"]})
        setattr(doctor, field, done["old"])
    elif kind == "extra_round":
        change = session.get(m.RoundChange, ident)
        if change is not None:
            audit(session, "delete", "round_change", ident, before={"date":
                                                                   change.date.isoformat()})
            session.delete(change)
    elif kind == "substitute_reviews":
        absence = session.get(m.Absence, ident)
        if absence is None:
            raise ConflictError("frånvaron")
        old_sub, old_flag = done["old"]
        audit(session, "update", "absence", ident,
              before={"reviews_by_substitute": True},
              after={"substitute": old_sub, "reviews_by_substitute": old_flag})
        absence.substitute, absence.reviews_by_substitute = old_sub, bool(old_flag)
    elif kind == "unlock":
        visit = session.get(m.Visit, ident)
        if visit is not None:
            place_visit(session, visit, visit.date, VisitStatus.LOCKED.value)


__all__ = ["KINDS", "Fix", "adjust_problem", "apply_fix", "describe_fix", "fix_from_json",
           "revert_fix"]
