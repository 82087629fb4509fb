"""The ÅMV of the saved plan: move one, lock it, record it as done – one use case for the
command line (``visit``) and the window – and the dates it may move to.

Every change is made to the year's latest plan version in one transaction with its audit
row; a clash with someone else's edit becomes a :class:`~lakarrond.store.ConflictError`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond import pnr
from lakarrond.errors import BadInput
from lakarrond.services.problem import build_problem, latest_plan
from lakarrond.store import ConflictError, Database, audit, current_user
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from solver.calendar import WorkCalendar, preparation_date
from solver.problem import VisitStatus
from solver.rounds import build_pools, pool_of

RECORDABLE = (VisitStatus.DONE, VisitStatus.LOCKED)


@dataclass(frozen=True)
class VisitRow:
    id: int
    version: int
    patient_id: int
    patient: str
    unit: str
    doctor: str
    date: dt.date
    preparation: dt.date
    status: str


@dataclass(frozen=True)
class RecordedVisit:
    plan_id: int
    plan_version: int
    visit_id: int
    patient: str
    date: dt.date
    status: VisitStatus
    created: bool  # True when the patient had no ÅMV in that plan before


@dataclass(frozen=True)
class AllowedDate:
    date: dt.date
    free: int  # places left that day
    week_load: int  # ÅMV of the doctor that ISO week
    in_window: bool  # inside the patient's R7/R8 window
    note: str = ""


def _row(v: m.Visit) -> VisitRow:
    return VisitRow(id=v.id, version=v.version, patient_id=v.patient_id, patient=v.patient.name,
                    unit=v.unit, doctor=v.doctor, date=v.date, preparation=v.preparation,
                    status=v.status)


def find_patient(session: Session, name_or_personnummer: str) -> m.Patient:
    """The one patient with that personnummer or name; BadInput when none or several."""
    text = name_or_personnummer.strip()
    number = pnr.normalise(text)
    if number is not None:
        patient = session.scalars(
            select(m.Patient).where(m.Patient.personnummer == number)
        ).first()
        if patient is None:
            raise BadInput(f"Ingen patient har personnummer {number}.")
        return patient
    matches = session.scalars(select(m.Patient).where(m.Patient.name == text)).all()
    if not matches:
        raise BadInput(f"Ingen patient heter \"{text}\".")
    if len(matches) > 1:
        raise BadInput(f"Flera patienter heter \"{text}\" – ange personnummer i stället.")
    return matches[0]


def _preparation(session: Session, year: int, day: date) -> date:
    problem, _ = build_problem(session, year)
    cal = WorkCalendar(problem.settings, problem.absences)
    return preparation_date(day, cal, problem.settings.preparation_days)


def place_visit(session: Session, visit: m.Visit, day: date, status: str) -> None:
    """THE way an ÅMV changes date or status (move, lock, done): the preparation date
    follows the date (R11) and the change is audited, in the caller's transaction."""
    if status not in {s.value for s in VisitStatus}:
        raise BadInput(f"Okänd status \"{status}\".")
    if day.year != visit.plan.year:
        raise BadInput(f"Datumet {day.isoformat()} ligger inte i planåret {visit.plan.year}.")
    before = {"date": visit.date.isoformat(), "status": visit.status}
    if visit.date != day:
        visit.preparation = _preparation(session, visit.plan.year, day)
        visit.date = day
    visit.status = status
    session.flush()
    audit(session, "update", "visit", visit.id, patient_id=visit.patient_id, before=before,
          after={"date": day.isoformat(), "status": status,
                 "plan_version": visit.plan.version})


def get_visit(db: Database, visit_id: int) -> VisitRow:
    with db.begin() as s:
        v = s.get(m.Visit, visit_id)
        if v is None:
            raise ConflictError("besöket")
        return _row(v)


def set_visit(
    db: Database, visit_id: int, day: date, status: str, expected_version: int | None = None
) -> VisitRow:
    """Put the ÅMV on ``day`` with ``status`` (Planerad, Låst, Genomförd); audited."""
    with db.begin() as s:
        v = s.get(m.Visit, visit_id)
        if v is None or (expected_version is not None and v.version != expected_version):
            raise ConflictError("besöket")
        place_visit(s, v, day, status)
        s.refresh(v)
        return _row(v)


def _plan_for(session: Session, year: int) -> m.Plan:
    plan = latest_plan(session, year)
    if plan is None:
        plan = m.Plan(year=year, version=1, created_by=current_user(), settings={},
                      solver_status="MANUELL", note="Skapad när en ÅMV registrerades")
        session.add(plan)
        session.flush()
        audit(session, "create", "plan", plan.id, after={"year": year, "version": 1})
    return plan


def record_visit(
    db: Database, patient: str, day: date, status: VisitStatus | str
) -> RecordedVisit:
    """Mark the patient's ÅMV on ``day`` as done or locked in the latest plan of that year
    (the ÅMV moves to ``day``; it is added when the patient has none in that plan, and a
    plan version is made when the year has none). Writes an audit row."""
    try:
        wanted = VisitStatus(status)
    except ValueError as exc:
        raise BadInput(f"Okänd status \"{status}\" – använd Genomförd eller Låst.") from exc
    if wanted not in RECORDABLE:
        raise BadInput("Status måste vara Genomförd eller Låst.")
    with db.begin() as session:
        pat = find_patient(session, patient)
        plan = _plan_for(session, day.year)
        visit = session.scalars(
            select(m.Visit).where(m.Visit.plan_id == plan.id, m.Visit.patient_id == pat.id)
        ).first()
        created = visit is None
        if visit is None:
            settings = read_settings(session, day.year)
            prep = preparation_date(day, WorkCalendar(settings, ()), settings.preparation_days)
            visit = m.Visit(plan_id=plan.id, patient_id=pat.id, date=day, preparation=prep,
                            status=wanted.value, unit=pat.unit.name, doctor=pat.unit.doctor.name)
            session.add(visit)
            session.flush()
            audit(session, "create", "visit", visit.id, patient_id=pat.id,
                  after={"date": day.isoformat(), "status": wanted.value,
                         "plan_version": plan.version})
        else:
            place_visit(session, visit, day, wanted.value)
        return RecordedVisit(plan_id=plan.id, plan_version=plan.version, visit_id=visit.id,
                             patient=pat.name, date=day, status=wanted, created=created)


def allowed_dates(db: Database, visit_id: int) -> list[AllowedDate]:
    """The dates the ÅMV may move to, best first: inside the patient's window, free places
    left, fewest ÅMV of the doctor that week, closest to the current date."""
    with db.begin() as s:
        v = s.get(m.Visit, visit_id)
        if v is None:
            raise ConflictError("besöket")
        year = v.plan.year
        problem, _ = build_problem(s, year)
        patient = next(p for p in problem.patients if p.id == str(v.patient_id))
        unit = problem.unit(patient.unit)
        cal = WorkCalendar(problem.settings, problem.absences)
        pool_key = pool_of(unit)
        pool = build_pools(problem, cal, [unit]).get(pool_key)
        if pool is None:
            return []
        plan = latest_plan(s, year)
        visits = plan.visits if plan is not None else []
        pool_units = {u.name for u in problem.units if pool_of(u) == pool_key}
        used = Counter(x.date for x in visits if x.unit in pool_units and x.id != v.id)
        week_load = Counter(
            x.date.isocalendar()[:2] for x in visits if x.doctor == unit.doctor and x.id != v.id
        )
        settings = problem.settings
        if patient.last_review is not None:
            lo = patient.last_review + relativedelta(months=settings.min_interval_months)
            hi = patient.last_review + relativedelta(months=settings.max_interval_months)
        elif patient.admitted.year >= year:
            lo = patient.admitted
            hi = patient.admitted + relativedelta(days=settings.new_patient_days)
        else:
            lo, hi = date(year, 1, 1), date(year, 3, 31)
        current = v.date
    out = []
    for day, capacity in sorted(pool.capacity.items()):
        free = capacity - used.get(day, 0)
        if free <= 0 or day == current:
            continue
        out.append(AllowedDate(date=day, free=free,
                               week_load=week_load.get(day.isocalendar()[:2], 0),
                               in_window=lo <= day <= hi))
    out.sort(key=lambda a: (not a.in_window, a.week_load, abs((a.date - current).days)))
    return out
