"""One patient in a second: the best dates for a new or cancelled patient's ÅMV against the
saved plan (free dates in the window, then dates in the window that move one other ÅMV inside
its own window, then late free dates; solver.suggest); and booking one of them. The command
line and the window both ask :func:`suggest_dates`: it alone decides the plan year, the
planning date and so the patient's window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.errors import BadInput
from lakarrond.services.contacts import patient_doctor
from lakarrond.services.problem import (
    build_problem,
    check_plan_from,
    default_plan_from,
    latest_plan,
)
from lakarrond.services.visits import (
    VisitState,
    find_patient,
    place_visit,
    plan_for,
)
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m
from lakarrond.today import today as todays_date
from solver.calendar import WorkCalendar, preparation_date
from solver.check import PlanContext
from solver.demand import COUNTS_AS_REVIEW
from solver.problem import Problem, VisitStatus
from solver.result import Appointment
from solver.suggest import Move, NoDateLeft, SuggestResult, suggest


@dataclass(frozen=True)
class Suggestions:
    patient_id: int
    patient: str
    unit: str
    year: int
    plan_from: date
    result: SuggestResult

    def to_json(self) -> dict[str, object]:
        """The suggest JSON of contracts §3."""
        first, last = self.result.window
        return {
            "patient": self.patient,
            "unit": self.unit,
            "window": [first.isoformat(), last.isoformat()],
            "suggestions": [
                {"date": s.date.isoformat(), "week": s.week, "in_window": s.in_window,
                 "reason": s.reason, "move": suggestion_move_json(s.move)}
                for s in self.result.suggestions
            ],
        }


def _saved(session: Session, year: int, skip_patient: int) -> list[Appointment]:
    """The saved plan's live ÅMV (they keep their places)."""
    plan = latest_plan(session, year)
    if plan is None:
        return []
    return [
        Appointment(str(v.patient_id), v.unit, v.doctor, v.date, v.preparation,
                    VisitStatus(v.status))
        for v in plan.visits
        if v.patient_id != skip_patient and v.status != VisitStatus.CANCELLED
    ]


def suggestion_move_json(move: Move | None) -> dict[str, str] | None:
    """A suggestion's move in the suggest JSON (contracts §3), or None."""
    if move is None:
        return None
    return {"patient": move.patient, "unit": move.unit, "from": move.old.isoformat(),
            "to": move.new.isoformat()}


def _needs_review(problem: Problem, ctx: PlanContext, patient_id: str) -> bool:
    """Whether the patient still needs an ÅMV in the problem's year (a requirement, and no
    held, locked or declined ÅMV of the year already)."""
    pinned = ctx.demand.pinned.get(patient_id)
    return ctx.requirement(patient_id) is not None and not (
        pinned is not None and pinned.status in COUNTS_AS_REVIEW)


def _has_date(session: Session, problem: Problem, patient_id: int) -> bool:
    """Whether the year's saved plan has a live (not cancelled) ÅMV of the patient on or
    after the planning date."""
    plan = latest_plan(session, problem.year)
    first = problem.settings.first_day
    return plan is not None and any(
        v.patient_id == patient_id and v.status != VisitStatus.CANCELLED
        and v.date >= first for v in plan.visits)


def _problem_for(session: Session, pat: m.Patient, year: int | None, plan_from: date | None,
                 today: date) -> tuple[Problem, PlanContext]:
    """The plan year and planning date of a suggestion, and its problem: ``plan_from`` when
    given (its year), else ``year`` from today (:func:`default_plan_from`), else the year the
    patient's next ÅMV falls due in, from today: this year when the patient still needs one
    in it, otherwise next year (a patient admitted in December is due in December). A year
    where the patient needs an ÅMV but has none (new, or cancelled) comes before one where
    the ÅMV already has a date."""
    if plan_from is not None:
        if year is not None:
            check_plan_from(year, plan_from)
        problem, _ = build_problem(session, plan_from.year, plan_from=plan_from)
        return problem, PlanContext.of(problem)
    years = [year] if year is not None else [today.year, today.year + 1]
    tried: list[tuple[Problem, PlanContext]] = []
    needing: list[tuple[Problem, PlanContext]] = []
    for y in years:
        problem, _ = build_problem(session, y, plan_from=default_plan_from(y, today))
        ctx = PlanContext.of(problem)
        tried.append((problem, ctx))
        if _needs_review(problem, ctx, str(pat.id)):
            if not _has_date(session, problem, pat.id):
                return problem, ctx
            needing.append((problem, ctx))
    return (needing or tried)[0]  # with none: suggest says why the patient needs no ÅMV


def suggest_dates(db: Database, patient: str | int, year: int | None = None,
                  plan_from: date | None = None, limit: int = 5,
                  today: date | None = None) -> Suggestions:
    """The ``limit`` best dates for the patient (name or personnummer, or the store's id),
    best first; every date ≥ the planning date, free in the saved plan or made free by moving
    one other ÅMV (named in the suggestion). The plan year and planning date: see
    :func:`_problem_for` (``today``: default the system date). BadInput when none is left."""
    today = today or todays_date()
    if not 1 <= limit <= 50:
        raise BadInput("Antalet förslag måste vara mellan 1 och 50.")
    with db.read() as session:
        pat = (find_patient(session, patient) if isinstance(patient, str)
               else session.get(m.Patient, patient))
        if pat is None:
            raise BadInput("Patienten finns inte längre – läs in igen.")
        problem, ctx = _problem_for(session, pat, year, plan_from, today)
        saved = _saved(session, problem.year, pat.id)
        name, unit = pat.name, pat.unit.name
    try:
        result = suggest(problem, saved, str(pat.id), limit=limit, ctx=ctx)
    except NoDateLeft as exc:
        raise BadInput(str(exc)) from exc
    return Suggestions(patient_id=pat.id, patient=name, unit=unit, year=problem.year,
                       plan_from=problem.settings.first_day, result=result)


@dataclass(frozen=True)
class Booking:
    visit_id: int
    before: VisitState | None  # the visit as it was (None: the booking made it)
    after: VisitState
    was_booked: bool = False
    move: Move | None = None  # the other ÅMV moved to make room
    moved_visit: int | None = None


def _state(visit: m.Visit) -> VisitState:
    return VisitState(visit.date, visit.status, visit.reason, visit.cancelled_on)


def _move_other(session: Session, plan: m.Plan, move: Move, old: date, new: date) -> int:
    """Move the other ÅMV of a suggestion from ``old`` to ``new`` (audited); a conflict when
    it is not where the suggestion found it any more."""
    other = session.scalars(select(m.Visit).where(
        m.Visit.plan_id == plan.id, m.Visit.patient_id == int(move.patient_id))).first()
    if other is None or other.date != old or other.status != VisitStatus.PLANNED:
        raise ConflictError(f"ÅMV för {move.patient}")
    place_visit(session, other, new, other.status)
    return other.id


def book(db: Database, patient_id: int, day: date, move: Move | None = None) -> Booking:
    """Book the patient's ÅMV on ``day`` as Planerad in the year's latest plan (a new ÅMV, or
    the patient's cancelled or planned one moved there), marked as booked (later re-plans
    keep it); with ``move``, the other ÅMV moves as the suggestion said. Audited, one
    transaction."""
    with db.begin() as session:
        pat = session.get(m.Patient, patient_id)
        if pat is None:
            raise BadInput("Patienten finns inte längre – läs in igen.")
        plan = latest_plan(session, day.year) or plan_for(session, day.year)
        moved = None if move is None else _move_other(session, plan, move, move.old, move.new)
        visit = session.scalars(select(m.Visit).where(
            m.Visit.plan_id == plan.id, m.Visit.patient_id == pat.id)).first()
        was_booked = False
        if visit is None:
            problem, _ = build_problem(session, day.year, plan_from=date(day.year, 1, 1))
            cal = WorkCalendar(problem.settings, problem.absences)
            visit = m.Visit(plan_id=plan.id, patient_id=pat.id, date=day,
                            preparation=preparation_date(day, cal,
                                                         problem.settings.preparation_days),
                            status=VisitStatus.PLANNED, unit=pat.unit.name,
                            doctor=patient_doctor(pat), booked=True)
            session.add(visit)
            session.flush()
            audit(session, "create", "visit", visit.id, patient_id=pat.id,
                  after={"date": day.isoformat(), "status": visit.status,
                         "plan_version": plan.version, "booked": True})
            before = None
        else:
            before, was_booked = _state(visit), visit.booked
            visit.reason = ""
            visit.unit, visit.doctor = pat.unit.name, patient_doctor(pat)
            visit.booked = True
            place_visit(session, visit, day, VisitStatus.PLANNED)
        return Booking(visit.id, before, _state(visit), was_booked, move, moved)


def unbook(db: Database, booking: Booking) -> None:
    """Undo a booking: the ÅMV it made goes, or the one it moved goes back, and the other ÅMV
    it moved goes back too (audited, one transaction)."""
    with db.begin() as session:
        visit = session.get(m.Visit, booking.visit_id)
        if visit is None or _state(visit) != booking.after:
            raise ConflictError("besöket")
        if booking.move is not None:
            _move_other(session, visit.plan, booking.move, booking.move.new,
                        booking.move.old)
        if booking.before is None:
            audit(session, "delete", "visit", visit.id, patient_id=visit.patient_id,
                  before={"date": visit.date.isoformat(), "status": visit.status})
            session.delete(visit)
            return
        visit.reason, visit.cancelled_on = booking.before.reason, booking.before.cancelled_on
        visit.booked = booking.was_booked
        place_visit(session, visit, booking.before.date, booking.before.status)
