"""The one place a :class:`~lakarrond.document.PlanDocument` is built from the store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lakarrond.document import (
    AbsenceEntry,
    AnnualReview,
    DueAgain,
    ForcedMoveEntry,
    NotRequiredEntry,
    PlanDocument,
    PlanMeasures,
    PlanWarning,
    RoundEntry,
    SolverFigures,
    UnitInfo,
    UnplacedEntry,
    ViolationEntry,
)
from lakarrond.errors import BadInput
from lakarrond.services.problem import build_problem, get_plan, to_solver_unit
from lakarrond.services.settings import review_day_start
from lakarrond.store import Database
from lakarrond.store import models as m
from lakarrond.store.settings import settings_from_dict
from lakarrond.timetable import timetable
from lakarrond.today import today as todays_date
from solver.calendar import WorkCalendar
from solver.problem import PatientStatus, Problem, Settings, UnitType, VisitStatus
from solver.round_time import time_warnings
from solver.rounds import build_pools, pool_of, round_dates

RECORDED = (VisitStatus.DONE.value, VisitStatus.DECLINED.value)


def _rounds(problem: Problem, settings: Settings) -> list[RoundEntry]:
    problem = replace(problem, settings=settings, patients=(), pinned=(), previous=(),
                      cancelled=())
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
            review_minutes=u.review_minutes,
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


def _gone(visit: m.Visit, today: date) -> str:
    """Why the ÅMV is not live any more (the patient ended, moved or was excluded after it
    was planned), or "". Held and declined ÅMV are history and stay."""
    patient = visit.patient
    if patient.end_date is not None and visit.date >= patient.end_date:
        return f"{patient.status.lower()} {patient.end_date.isoformat()}"
    if visit.status in RECORDED or visit.date < today:
        return ""
    if patient.excluded:
        return f"undantagen: {patient.excluded}"
    if visit.unit and visit.unit != patient.unit.name:
        return f"flyttad till {patient.unit.name}"
    return ""


def _open_dates(problem: Problem) -> tuple[WorkCalendar, dict[str, set[date]]]:
    """The calendar and, per unit, the dates that can hold an ÅMV now (round dates or the
    doctor's ÅMV days, with absences, holidays and one-off changes as they are now)."""
    cal = WorkCalendar(problem.settings, problem.absences)
    pools = build_pools(problem, cal)
    open_dates = {u.name: set(pools[pool_of(u)].capacity) for u in problem.units
                  if pool_of(u) in pools}
    return cal, open_dates


def _needs_new_date(visit: m.Visit, today: date, cal: WorkCalendar,
                    open_dates: dict[str, set[date]], freeze_end: date) -> str:
    """Why a planned ÅMV's date cannot be held any more, or "" (a rhythm change, a new
    absence, a cancelled round …): shown and counted, never silently kept. Inside the freeze
    an ÅMV on a day the doctor is away with a named substitute is held by the substitute (as
    the planner keeps it)."""
    if visit.status not in (VisitStatus.PLANNED.value, VisitStatus.LOCKED.value):
        return ""
    if visit.date < today or visit.date in open_dates.get(visit.unit, set()):
        return ""
    absence = cal.absence(visit.doctor, visit.date)
    if (absence is not None and absence.substitute and visit.date < freeze_end
            and cal.closed_reason(visit.date) is None):
        return ""
    return cal.closed_reason(visit.date, visit.doctor) or "inte längre ett rondtillfälle"


BEREAVEMENT_DAYS = 30  # a death is followed up (Efterlevandesamtal) this many days


def _deaths(session: Session, year: int, today: date) -> tuple[DueAgain, ...]:
    """The patients who died (status Avliden) in ``year`` within the last
    :data:`BEREAVEMENT_DAYS` days up to ``today``: an Efterlevandesamtal to offer."""
    first = max(date(year, 1, 1), today - timedelta(days=BEREAVEMENT_DAYS))
    rows = session.scalars(
        select(m.Patient).where(m.Patient.status == PatientStatus.DECEASED.value,
                                m.Patient.end_date >= first, m.Patient.end_date <= today,
                                m.Patient.end_date <= date(year, 12, 31))
        .options(selectinload(m.Patient.unit).selectinload(m.Unit.doctor))).all()
    return tuple(sorted(
        (DueAgain(patient=p.name, unit=p.unit.name, doctor=p.unit.doctor.name,
                  date=p.end_date, reason=f"avliden {p.end_date.isoformat()}",
                  patient_id=p.id) for p in rows if p.end_date is not None),
        key=lambda d: (d.date, d.patient)))


def build_document(session: Session, plan: m.Plan, today: date | None = None) -> PlanDocument:
    """The document of one saved plan version (in the caller's Session), with only live ÅMV:
    a patient who ended, moved or was excluded is out of it from that date, and a cancelled
    (Inställd) ÅMV is not an appointment (the patient is listed as due again)."""
    today = today or todays_date()
    visits = session.scalars(
        select(m.Visit)
        .where(m.Visit.plan_id == plan.id)
        .options(selectinload(m.Visit.patient).selectinload(m.Patient.unit)
                 .selectinload(m.Unit.doctor))
    ).all()
    current, _ = build_problem(session, plan.year, plan_from=date(plan.year, 1, 1))
    cal, open_dates = _open_dates(current)
    freeze_end = today + timedelta(days=current.settings.freeze_days)
    units = _units(session)
    unit_types = {u.name: u.type for u in units}
    names: dict[int, str] = {}
    numbers: dict[int, str | None] = {}
    for row_id, row_name, number in session.execute(
            select(m.Patient.id, m.Patient.name, m.Patient.personnummer)):
        names[row_id], numbers[row_id] = row_name, number
    previous = get_plan(session, plan.year, plan.version - 1) if plan.version > 1 else None
    before = {v.patient_id: v.date for v in previous.visits} if previous is not None else {}

    reviews = []
    due_again = []
    for v in visits:
        patient = v.patient
        unit = v.unit or patient.unit.name
        gone = _gone(v, today)
        if v.status == VisitStatus.CANCELLED.value or gone.startswith("flyttad"):
            if patient.status == "Aktiv" and not patient.excluded:
                due_again.append(DueAgain(
                    patient=patient.name, unit=patient.unit.name,
                    doctor=patient.unit.doctor.name, date=v.date,
                    reason=gone or f"inställd{': ' + v.reason if v.reason else ''}",
                    patient_id=patient.id, visit_id=v.id,
                    cancelled=None if gone else (v.reason or "")))
            continue
        if gone:
            continue
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
            reason=v.reason or "",
            needs_new_date=_needs_new_date(v, today, cal, open_dates, freeze_end),
        ))
    reviews.sort(key=lambda a: (a.date, a.unit, a.patient, a.patient_id))

    settings = settings_from_dict(plan.settings) if plan.settings else Settings(year=plan.year)
    unplaced = []
    for u in plan.unplaced or []:
        pid, name = _patient_ref(u, names)
        unplaced.append(UnplacedEntry(patient=name, unit=u.get("unit", ""),
                                      reason=u.get("reason", ""), patient_id=pid))
    not_required = []
    for n in plan.not_required or []:
        pid, name = _patient_ref(n, names)
        not_required.append(NotRequiredEntry(
            patient=name, unit=n.get("unit", ""), reason=n.get("reason", ""),
            personnummer=numbers.get(pid) if pid is not None else None, patient_id=pid))
    violations = []
    for v in plan.violations or []:
        pid, name = _patient_ref(v, names)
        violations.append(ViolationEntry(
            rule=v.get("rule", ""), patient=name, unit=v.get("unit", ""),
            message=v.get("message", ""), fix=v.get("fix", ""), patient_id=pid,
            doctor=v.get("doctor", ""), cause=v.get("cause", ""), action=v.get("action"),
        ))
    rounds = _rounds(current, settings)
    doc = PlanDocument(
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
        plan_from=plan.plan_from,
        forced_moves=tuple(
            ForcedMoveEntry(patient=f.get("patient", ""), old=date.fromisoformat(f["old"]),
                            new=date.fromisoformat(f["new"]) if f.get("new") else None,
                            reason=f.get("reason", ""), patient_id=f.get("patient_id"))
            for f in plan.forced_moves or []),
        due_again=tuple(sorted(due_again, key=lambda d: (d.date, d.patient))),
        deaths=_deaths(session, plan.year, today),
        today=today,
        moved_count=len(plan.moves) if plan.moves is not None else None,
        review_day_start=review_day_start(session, plan.year),
        not_required=tuple(sorted(not_required, key=lambda n: (n.unit, n.patient))),
        warnings=tuple(PlanWarning(w.units, w.doctor, w.message, w.kind,
                                                 w.advice) for w in time_warnings(
            current.units, date(plan.year, 1, 1), date(plan.year, 12, 31))),
    )
    times = timetable(doc)  # the ÅMV held in each round and their clock times: one definition
    held = times.held_counts()
    starts = {id(t.review): t.start for t in times.reviews()}
    return replace(
        doc, rounds=tuple(replace(r, reviews=held.get((r.unit, r.date), 0)) for r in doc.rounds),
        reviews=tuple(replace(a, start=_hhmm(starts.get(id(a)))) for a in doc.reviews))


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def load_document(session: Session, year: int, version: int | None = None,
                  today: date | None = None) -> PlanDocument:
    """The document of the year's latest plan (or ``version``); BadInput when there is none."""
    plan = get_plan(session, year, version)
    if plan is None:
        which = f"version {version} av " if version is not None else ""
        raise BadInput(f"Det finns ingen sparad plan för {which}år {year} – kör 'plan' först.")
    return build_document(session, plan, today)


def current_document(db: Database, year: int, today: date | None = None
                     ) -> PlanDocument | None:
    """The year's latest plan as the window shows it, or None when the year has none."""
    with db.read() as session:
        plan = get_plan(session, year)
        return build_document(session, plan, today) if plan is not None else None
