"""Fixes the program can carry out for a broken rule (the planner's ``FixAction``): raise ÅMV
per round or per day, add a one-off extra round date, add an ÅMV weekday for a doctor, let the
substitute named for an absence hold its ÅMV, unlock a locked ÅMV. The preconditions (a fix
is offered only when it can be carried out) and the change to the planner's input live in
``solver.fixes``.

Each kind is one class (:class:`FixKind`) with its own ``describe``, ``apply`` and
``revert``, found by its kind name in :data:`REGISTRY` (a stored plan names the kind). A fix
can be tried on the planner's input without touching the store (:func:`adjust_problem`, for
a what-if) or carried out in the store (:func:`apply_fix`, audited), and undone
(:func:`revert_fix`) with the :class:`Undo` that :func:`apply_fix` returned. A kind this
program does not know (a plan stored by another version) is refused with a Swedish message.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar  # Any: JSON edge: a fix as a stored plan keeps it

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.errors import BadInput
from lakarrond.services.problem import format_weekdays, latest_plan, parse_weekdays
from lakarrond.services.visits import place_visit
from lakarrond.store import ConflictError, audit
from lakarrond.store import models as m
from lakarrond.store.plan_results import action_from_json
from solver.fixes import CannotCarryOut, adjust, no_substitute
from solver.problem import WEEKDAY_NAMES_SV, Problem, VisitStatus
from solver.result import FIX_KINDS, FixAction

KINDS = FIX_KINDS
Fix = FixAction  # the planner's proposal is the fix the store carries out
UNKNOWN = "Okänd åtgärd"


@dataclass(frozen=True)
class Undo:
    """What a carried-out fix changed: the row (``ident``) and its old value."""

    kind: str
    ident: int
    old: int | str | tuple[str, bool] | None = None


class UnknownFix(BadInput):
    """The stored plan names a kind of fix this program does not know."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"Åtgärden \"{kind}\" i den sparade planen känner programmet inte "
                         "till, så den kan inte provas eller göras. Gör en ny plan.")


class FixKind(ABC):
    """One kind of fix: what it says (Swedish) and what it does in the store."""

    kind: ClassVar[str]

    def __init__(self, fix: Fix) -> None:
        self.fix = fix

    @abstractmethod
    def describe(self, patient: str = "") -> str:
        """What the fix does, in Swedish."""

    @abstractmethod
    def apply(self, session: Session, year: int) -> Undo:
        """Carry the fix out (the caller's transaction, audited)."""

    @classmethod
    @abstractmethod
    def revert(cls, session: Session, undo: Undo) -> None:
        """Undo :meth:`apply` (the caller's transaction, audited)."""

    @property
    def day_text(self) -> str:
        return self.fix.day.isoformat() if self.fix.day else ""


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


def _get_doctor(session: Session, ident: int) -> m.Doctor:
    doctor = session.get(m.Doctor, ident)
    if doctor is None:
        raise ConflictError("läkaren")
    return doctor


class RaiseReviewsPerRound(FixKind):
    kind = "raise_reviews_per_round"

    def describe(self, patient: str = "") -> str:
        return f"Höj ÅMV per rond för {self.fix.unit} till {self.fix.value}"

    def apply(self, session: Session, year: int) -> Undo:
        unit = _unit(session, self.fix.unit)
        old = unit.reviews_per_round
        unit.reviews_per_round = self.fix.value
        audit(session, "update", "unit", unit.id, before={"reviews_per_round": old},
              after={"reviews_per_round": self.fix.value})
        return Undo(self.kind, unit.id, old)

    @classmethod
    def revert(cls, session: Session, undo: Undo) -> None:
        unit = session.get(m.Unit, undo.ident)
        if unit is None:
            raise ConflictError("enheten")
        audit(session, "update", "unit", undo.ident,
              before={"reviews_per_round": unit.reviews_per_round},
              after={"reviews_per_round": undo.old})
        unit.reviews_per_round = int(str(undo.old))


class RaiseReviewsPerDay(FixKind):
    kind = "raise_reviews_per_day"

    def describe(self, patient: str = "") -> str:
        return f"Höj ÅMV per dag för {self.fix.doctor} till {self.fix.value}"

    def apply(self, session: Session, year: int) -> Undo:
        doctor = _doctor(session, self.fix.doctor)
        old = doctor.reviews_per_day
        doctor.reviews_per_day = self.fix.value
        audit(session, "update", "doctor", doctor.id, before={"reviews_per_day": old},
              after={"reviews_per_day": self.fix.value})
        return Undo(self.kind, doctor.id, old)

    @classmethod
    def revert(cls, session: Session, undo: Undo) -> None:
        doctor = _get_doctor(session, undo.ident)
        audit(session, "update", "doctor", undo.ident,
              before={"reviews_per_day": doctor.reviews_per_day},
              after={"reviews_per_day": undo.old})
        doctor.reviews_per_day = int(str(undo.old))


class ReviewDay(FixKind):
    kind = "review_day"

    def describe(self, patient: str = "") -> str:
        value = self.fix.value
        name = WEEKDAY_NAMES_SV[value] if 0 <= value < 7 else "?"
        return f"Ge {self.fix.doctor} ÅMV-tid även på {name}ar"

    def apply(self, session: Session, year: int) -> Undo:
        doctor = _doctor(session, self.fix.doctor)
        old_days = doctor.review_weekdays or ""
        doctor.review_weekdays = format_weekdays(sorted({*parse_weekdays(old_days),
                                                         self.fix.value}))
        audit(session, "update", "doctor", doctor.id, before={"review_weekdays": old_days},
              after={"review_weekdays": doctor.review_weekdays})
        return Undo(self.kind, doctor.id, old_days)

    @classmethod
    def revert(cls, session: Session, undo: Undo) -> None:
        doctor = _get_doctor(session, undo.ident)
        audit(session, "update", "doctor", undo.ident,
              before={"review_weekdays": doctor.review_weekdays},
              after={"review_weekdays": undo.old})
        doctor.review_weekdays = str(undo.old)


class ExtraRound(FixKind):
    kind = "extra_round"

    def describe(self, patient: str = "") -> str:
        return f"Lägg till en extra rond på {self.fix.unit} {self.day_text}"

    def apply(self, session: Session, year: int) -> Undo:
        if self.fix.day is None:
            raise BadInput("Åtgärden saknar datum för den extra ronden.")
        unit = _unit(session, self.fix.unit)
        change = m.RoundChange(unit_id=unit.id, date=self.fix.day,
                               kind=m.RoundChangeKind.EXTRA, note="åtgärd för brutna regler")
        session.add(change)
        session.flush()
        audit(session, "create", "round_change", change.id,
              after={"unit": unit.name, "date": self.fix.day.isoformat(), "kind": "extra"})
        return Undo(self.kind, change.id)

    @classmethod
    def revert(cls, session: Session, undo: Undo) -> None:
        change = session.get(m.RoundChange, undo.ident)
        if change is not None:
            audit(session, "delete", "round_change", undo.ident,
                  before={"date": change.date.isoformat()})
            session.delete(change)


class SubstituteReviews(FixKind):
    kind = "substitute_reviews"

    def describe(self, patient: str = "") -> str:
        return f"Låt vikarien hålla ÅMV under {self.fix.doctor}s frånvaro från {self.day_text}"

    def apply(self, session: Session, year: int) -> Undo:
        absence = session.scalars(select(m.Absence).join(m.Absence.doctor).where(
            m.Doctor.name == self.fix.doctor, m.Absence.start == self.fix.day)).first()
        if absence is None:
            raise ConflictError("frånvaron")
        if not (absence.substitute or "").strip():  # nobody to hold the ÅMV
            raise BadInput(no_substitute(self.fix.doctor, absence.start))
        old_sub, old_flag = absence.substitute, absence.reviews_by_substitute
        absence.reviews_by_substitute = True
        audit(session, "update", "absence", absence.id,
              before={"substitute": old_sub, "reviews_by_substitute": old_flag},
              after={"substitute": absence.substitute, "reviews_by_substitute": True})
        return Undo(self.kind, absence.id, (old_sub, old_flag))

    @classmethod
    def revert(cls, session: Session, undo: Undo) -> None:
        absence = session.get(m.Absence, undo.ident)
        if absence is None:
            raise ConflictError("frånvaron")
        assert isinstance(undo.old, tuple)  # what apply returned
        old_sub, old_flag = undo.old
        audit(session, "update", "absence", undo.ident,
              before={"reviews_by_substitute": True},
              after={"substitute": old_sub, "reviews_by_substitute": old_flag})
        absence.substitute, absence.reviews_by_substitute = old_sub, bool(old_flag)


class Unlock(FixKind):
    kind = "unlock"

    def describe(self, patient: str = "") -> str:
        return f"Lås upp ÅMV {self.day_text}" + (f" för {patient}" if patient else "")

    def apply(self, session: Session, year: int) -> Undo:
        plan = latest_plan(session, year)
        pid = self.fix.patient_id
        visit = None if plan is None or not pid.isdigit() else session.scalars(
            select(m.Visit).where(m.Visit.plan_id == plan.id,
                                  m.Visit.patient_id == int(pid))).first()
        if visit is None or visit.status != VisitStatus.LOCKED:
            raise ConflictError("besöket")
        place_visit(session, visit, visit.date, VisitStatus.PLANNED)
        return Undo(self.kind, visit.id)

    @classmethod
    def revert(cls, session: Session, undo: Undo) -> None:
        visit = session.get(m.Visit, undo.ident)
        if visit is not None:
            place_visit(session, visit, visit.date, VisitStatus.LOCKED)


REGISTRY: dict[str, type[FixKind]] = {cls.kind: cls for cls in (
    RaiseReviewsPerRound, RaiseReviewsPerDay, ReviewDay, ExtraRound, SubstituteReviews,
    Unlock)}


def fix_kind(fix: Fix) -> FixKind:
    """The fix with its behaviour; :class:`UnknownFix` for a kind this program lacks."""
    cls = REGISTRY.get(fix.kind)
    if cls is None:
        raise UnknownFix(fix.kind)
    return cls(fix)


def fix_from_json(data: Mapping[str, Any]) -> Fix:
    """The fix of a stored deviation (the plan keeps it as JSON: ``store.plan_results``)."""
    return action_from_json(data)


def describe_fix(fix: Fix, patient: str = "") -> str:
    """What the fix does, in Swedish ("Okänd åtgärd" for a kind this program lacks)."""
    cls = REGISTRY.get(fix.kind)
    return cls(fix).describe(patient) if cls is not None else UNKNOWN


def adjust_problem(problem: Problem, fix: Fix) -> Problem:
    """The planner's input with the fix applied (nothing is stored); BadInput when the fix
    cannot be carried out on this data (``solver.fixes``) or its kind is unknown."""
    fix_kind(fix)
    try:
        return adjust(problem, fix)
    except CannotCarryOut as error:
        raise BadInput(str(error)) from None


def apply_fix(session: Session, fix: Fix, year: int) -> Undo:
    """Carry the fix out in the store (the caller's transaction, audited); returns what
    :func:`revert_fix` needs."""
    return fix_kind(fix).apply(session, year)


def revert_fix(session: Session, done: Undo) -> None:
    """Undo :func:`apply_fix` (the caller's transaction, audited)."""
    cls = REGISTRY.get(done.kind)
    if cls is None:
        raise UnknownFix(done.kind)
    cls.revert(session, done)


__all__ = ["KINDS", "REGISTRY", "Fix", "FixKind", "Undo", "UnknownFix", "adjust_problem",
           "apply_fix", "describe_fix", "fix_from_json", "fix_kind", "revert_fix"]
