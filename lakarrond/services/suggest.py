"""One patient in a second: the best dates for a new or cancelled patient's ÅMV against the
saved plan, without moving anyone else; and booking one of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.errors import BadInput
from lakarrond.services.problem import build_problem, default_plan_from, latest_plan
from lakarrond.services.visits import (
    VisitState,
    find_patient,
    place_visit,
    plan_for,
    restore_visits,
)
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m
from lakarrond.today import today as todays_date
from solver.calendar import WorkCalendar, preparation_date
from solver.problem import VisitStatus
from solver.result import Appointment
from solver.suggest import NoDateLeft, SuggestResult, suggest


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
                 "reason": s.reason}
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
        if v.patient_id != skip_patient and v.status != VisitStatus.CANCELLED.value
    ]


def suggest_dates(db: Database, patient: str | int, year: int | None = None,
                  plan_from: date | None = None, limit: int = 5) -> Suggestions:
    """The ``limit`` best dates for the patient (name or personnummer, or the store's id),
    best first; every date ≥ the planning date and free in the saved plan. BadInput when
    none is left."""
    start = plan_from
    if year is None:
        year = start.year if start is not None else todays_date().year
    start = start or default_plan_from(year)
    if not 1 <= limit <= 50:
        raise BadInput("Antalet förslag måste vara mellan 1 och 50.")
    with db.read() as session:
        pat = (find_patient(session, patient) if isinstance(patient, str)
               else session.get(m.Patient, patient))
        if pat is None:
            raise BadInput("Patienten finns inte längre – läs in igen.")
        problem, _ = build_problem(session, year, plan_from=start)
        saved = _saved(session, year, pat.id)
        name, unit = pat.name, pat.unit.name
    try:
        result = suggest(problem, saved, str(pat.id), limit=limit)
    except NoDateLeft as exc:
        raise BadInput(str(exc)) from exc
    return Suggestions(patient_id=pat.id, patient=name, unit=unit, year=year, plan_from=start,
                       result=result)


@dataclass(frozen=True)
class Booking:
    visit_id: int
    before: VisitState | None  # the visit as it was (None: the booking made it)
    after: VisitState


def book(db: Database, patient_id: int, day: date) -> Booking:
    """Book the patient's ÅMV on ``day`` as Planerad in the year's latest plan (a new ÅMV, or
    the patient's cancelled or planned one moved there); audited."""
    with db.begin() as session:
        pat = session.get(m.Patient, patient_id)
        if pat is None:
            raise BadInput("Patienten finns inte längre – läs in igen.")
        plan = latest_plan(session, day.year) or plan_for(session, day.year)
        visit = session.scalars(select(m.Visit).where(
            m.Visit.plan_id == plan.id, m.Visit.patient_id == pat.id)).first()
        if visit is None:
            problem, _ = build_problem(session, day.year, plan_from=date(day.year, 1, 1))
            cal = WorkCalendar(problem.settings, problem.absences)
            visit = m.Visit(plan_id=plan.id, patient_id=pat.id, date=day,
                            preparation=preparation_date(day, cal,
                                                         problem.settings.preparation_days),
                            status=VisitStatus.PLANNED.value, unit=pat.unit.name,
                            doctor=pat.unit.doctor.name)
            session.add(visit)
            session.flush()
            audit(session, "create", "visit", visit.id, patient_id=pat.id,
                  after={"date": day.isoformat(), "status": visit.status,
                         "plan_version": plan.version, "booked": True})
            before = None
        else:
            before = VisitState(visit.date, visit.status, visit.reason, visit.cancelled_on)
            visit.reason = ""
            visit.unit, visit.doctor = pat.unit.name, pat.unit.doctor.name
            place_visit(session, visit, day, VisitStatus.PLANNED.value)
        after = VisitState(visit.date, visit.status, visit.reason, visit.cancelled_on)
        return Booking(visit.id, before, after)


def unbook(db: Database, booking: Booking) -> None:
    """Undo a booking: the ÅMV it made goes, or the one it moved goes back (audited)."""
    if booking.before is not None:
        restore_visits(db, [(booking.visit_id, booking.after, booking.before)])
        return
    with db.begin() as session:
        visit = session.get(m.Visit, booking.visit_id)
        if visit is None or (visit.date, visit.status) != (booking.after.date,
                                                           booking.after.status):
            raise ConflictError("besöket")
        audit(session, "delete", "visit", visit.id, patient_id=visit.patient_id,
              before={"date": visit.date.isoformat(), "status": visit.status})
        session.delete(visit)
