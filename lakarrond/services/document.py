"""The one place a :class:`~lakarrond.document.PlanDocument` is built from the store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from lakarrond.document import (
    AbsenceEntry,
    AnnualReview,
    DueAgain,
    ForcedMoveEntry,
    NotRequiredEntry,
    PlanDocument,
    PlanWarning,
    RoundEntry,
    SolverFigures,
    UnitInfo,
    UnplacedEntry,
    ViolationEntry,
)
from lakarrond.errors import BadInput
from lakarrond.services.contacts import named_doctor, patient_doctor, patient_nurse
from lakarrond.services.problem import calendar_problem, get_plan, to_solver_unit
from lakarrond.services.settings import review_day_start
from lakarrond.store import Database
from lakarrond.store import models as m
from lakarrond.store.plan_results import (
    PatientRow,
    ViolationRow,
    forced_moves_from_json,
    measures_from_json,
    patient_rows_from_json,
    settings_from_json,
    violations_from_json,
)
from lakarrond.timetable import timetable
from lakarrond.today import today as todays_date
from solver.calendar import WorkCalendar
from solver.problem import PatientStatus, Problem, Settings, UnitType, VisitStatus
from solver.round_time import time_warnings
from solver.rounds import build_pools, doctor_capacity, pool_of, round_dates

RECORDED = (VisitStatus.DONE.value, VisitStatus.DECLINED.value)


def _rounds(problem: Problem, settings: Settings,
            absences: Sequence[AbsenceEntry] = ()) -> list[RoundEntry]:
    """The round dates of the year; a substitute's phone is the absence's (issue 18.2)."""
    problem = replace(problem, settings=settings, patients=(), pinned=(), previous=(),
                      cancelled=())

    def phone(doctor: str, day: date) -> str:
        return next((a.phone for a in absences if a.doctor == doctor and a.covers(day)
                     and a.substitute), "")

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
            substitute_phone=phone(rd.doctor, rd.date) if rd.substitute else "",
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
                     substitute=a.substitute or "", phone=a.phone or "")
        for a in sorted(rows, key=lambda a: (a.start, a.id))
    ]


def _patient_ref(row: PatientRow | ViolationRow, names: dict[int, str]
                 ) -> tuple[int | None, str]:
    if row.patient_id is None:
        return None, row.patient
    return row.patient_id, names.get(row.patient_id, row.patient)


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
    # each doctor's ÅMV days: where a patient who keeps a named doctor has the ÅMV
    open_dates.update({DOCTOR_DAYS + d.name: set(doctor_capacity(problem, cal, d.name))
                       for d in problem.doctors})
    return cal, open_dates


DOCTOR_DAYS = "\x00läkare:"  # key prefix of a doctor's ÅMV days in the open dates


def _needs_new_date(visit: m.Visit, today: date, cal: WorkCalendar,
                    open_dates: dict[str, set[date]], freeze_end: date) -> str:
    """Why a planned ÅMV's date cannot be held any more, or "" (a rhythm change, a new
    absence, a cancelled round …): shown and counted, never silently kept. Inside the freeze
    an ÅMV on a day the doctor is away with a named substitute is held by the substitute (as
    the planner keeps it)."""
    if visit.status not in (VisitStatus.PLANNED.value, VisitStatus.LOCKED.value):
        return ""
    named = named_doctor(visit.patient)  # held in the named doctor's ÅMV time (R6)
    key = DOCTOR_DAYS + named if named and named == visit.doctor else visit.unit
    if visit.date < today or visit.date in open_dates.get(key, set()):
        return ""
    absence = cal.absence(visit.doctor, visit.date)
    if (absence is not None and absence.substitute and visit.date < freeze_end
            and cal.closed_reason(visit.date) is None):
        return ""
    return cal.closed_reason(visit.date, visit.doctor) or "inte längre ett rondtillfälle"


# plan id -> the calendar, the open dates per unit and the freeze (days) of its last build
_CALENDARS: dict[int, tuple[WorkCalendar, dict[str, set[date]], int]] = {}
_CALENDAR_YEARS: dict[int, int] = {}  # plan id -> its year (one plan per year is kept)


@dataclass(frozen=True)
class _Live:
    """What a stored ÅMV is in the document: a live ÅMV, due again (cancelled or moved
    away) or nothing (gone)."""

    today: date
    cal: WorkCalendar
    open_dates: dict[str, set[date]]
    freeze_end: date
    unit_types: dict[str, str]
    before: dict[int, date]  # patient id -> the ÅMV date in the previous version

    def entry(self, v: m.Visit) -> AnnualReview | DueAgain | None:
        patient = v.patient
        unit = v.unit or patient.unit.name
        gone = _gone(v, self.today)
        if v.status == VisitStatus.CANCELLED.value or gone.startswith("flyttad"):
            if patient.status == "Aktiv" and not patient.excluded:
                return DueAgain(
                    patient=patient.name, unit=patient.unit.name,
                    doctor=patient_doctor(patient), date=v.date,
                    reason=gone or f"inställd{': ' + v.reason if v.reason else ''}",
                    patient_id=patient.id, visit_id=v.id,
                    cancelled=None if gone else (v.reason or ""))
            return None
        if gone:
            return None
        old = self.before.get(patient.id)
        return AnnualReview(
            date=v.date,
            doctor=v.doctor or patient_doctor(patient),
            nurse=patient_nurse(patient),
            unit=unit,
            patient=patient.name,
            personnummer=patient.personnummer,
            preparation=v.preparation,
            status=v.status,
            room=patient.room or "",
            patient_id=patient.id,
            unit_type=self.unit_types.get(unit, ""),
            visit_id=v.id,
            visit_version=v.version,
            moved_from=old if old is not None and old != v.date else None,
            reason=v.reason or "",
            needs_new_date=_needs_new_date(v, self.today, self.cal, self.open_dates,
                                           self.freeze_end),
        )


def _with_held_counts(doc: PlanDocument, days: set[date] | None = None) -> PlanDocument:
    """The ÅMV held in each round and each ÅMV's clock time (the timetable: one definition);
    with ``days`` only the rounds and ÅMV of those days are timed again (the held ÅMV and the
    times of a day depend on that day's ÅMV and rounds alone)."""
    part = doc if days is None else replace(
        doc, reviews=tuple(a for a in doc.reviews if a.date in days))
    times = timetable(part)
    held = times.held_counts()
    starts = {id(t.review): t.start for t in times.reviews()}
    return replace(
        doc,
        rounds=tuple(replace(r, reviews=held.get((r.unit, r.date), 0))
                     if days is None or r.date in days else r for r in doc.rounds),
        reviews=tuple(replace(a, start=_hhmm(starts.get(id(a))))
                      if days is None or a.date in days else a for a in doc.reviews))


def _visits_of(plan_id: int) -> Select[m.Visit]:
    return (select(m.Visit).where(m.Visit.plan_id == plan_id)
            .options(selectinload(m.Visit.patient).selectinload(m.Patient.unit)
                     .selectinload(m.Unit.doctor)))


def patch_document(db: Database, doc: PlanDocument, visit_ids: Iterable[int],
                   today: date | None = None) -> PlanDocument:
    """``doc`` with only the ÅMV ``visit_ids`` read again (issue 17: an outcome, a move or
    their undo changes a few rows; the document is not built again). The same document
    :func:`build_document` would give, as long as nothing but these ÅMV changed; when the
    year's latest plan is another version than ``doc``'s, the whole document is read."""
    ids = set(visit_ids)
    today = today or doc.today or todays_date()
    with db.read() as session:
        latest = session.execute(  # ids only: the plan's stored lists are not read
            select(m.Plan.id, m.Plan.version).where(m.Plan.year == doc.year)
            .order_by(m.Plan.version.desc()).limit(1)).first()
        if (latest is None or latest.version != doc.version or latest.id not in _CALENDARS
                or today != doc.today):  # another day: what is past changed everywhere
            plan = get_plan(session, doc.year)
            return build_document(session, plan, today) if plan is not None else doc
        plan_id = latest.id
        visits = session.scalars(_visits_of(plan_id).where(m.Visit.id.in_(ids))).all()
        previous = session.scalar(select(m.Plan.id).where(
            m.Plan.year == doc.year, m.Plan.version == doc.version - 1))
        patients = {v.patient_id for v in visits}
        before = {pid: day for pid, day in session.execute(
            select(m.Visit.patient_id, m.Visit.date).where(
                m.Visit.plan_id == previous, m.Visit.patient_id.in_(patients)))
        } if previous is not None and patients else {}
        cal, open_dates, freeze_days = _CALENDARS[plan_id]
        live = _Live(today, cal, open_dates, today + timedelta(days=freeze_days),
                     {u.name: u.type for u in doc.units}, before)
        entries = [live.entry(v) for v in visits]
    reviews = [a for a in doc.reviews if a.visit_id not in ids]
    reviews += [e for e in entries if isinstance(e, AnnualReview)]
    reviews.sort(key=lambda a: (a.date, a.unit, a.patient, a.patient_id))
    due_again = [d for d in doc.due_again if d.visit_id not in ids]
    due_again += [e for e in entries if isinstance(e, DueAgain)]
    due_again.sort(key=lambda d: (d.date, d.patient))
    days = {a.date for a in (*doc.reviews, *doc.due_again, *entries)  # before and after
            if a is not None and a.visit_id in ids}
    return _with_held_counts(replace(doc, reviews=tuple(reviews), due_again=tuple(due_again),
                                     today=today), days)


BEREAVEMENT_DAYS = 30  # a death is followed up (Efterlevandesamtal) this many days


def _deaths(session: Session, year: int, today: date) -> tuple[DueAgain, ...]:
    """The patients who died (status Avliden) in ``year`` within the last
    :data:`BEREAVEMENT_DAYS` days up to ``today``: an Efterlevandesamtal to offer."""
    first = max(date(year, 1, 1), today - timedelta(days=BEREAVEMENT_DAYS))
    rows = session.scalars(
        select(m.Patient).where(m.Patient.status == PatientStatus.DECEASED,
                                m.Patient.end_date >= first, m.Patient.end_date <= today,
                                m.Patient.end_date <= date(year, 12, 31))
        .options(selectinload(m.Patient.unit).selectinload(m.Unit.doctor))).all()
    return tuple(sorted(
        (DueAgain(patient=p.name, unit=p.unit.name, doctor=patient_doctor(p),
                  date=p.end_date, reason=f"avliden {p.end_date.isoformat()}",
                  patient_id=p.id) for p in rows if p.end_date is not None),
        key=lambda d: (d.date, d.patient)))


def build_document(session: Session, plan: m.Plan, today: date | None = None) -> PlanDocument:
    """The document of one saved plan version (in the caller's Session), with only live ÅMV:
    a patient who ended, moved or was excluded is out of it from that date, and a cancelled
    (Inställd) ÅMV is not an appointment (the patient is listed as due again)."""
    today = today or todays_date()
    visits = session.scalars(_visits_of(plan.id)).all()
    current = calendar_problem(session, plan.year)
    cal, open_dates = _open_dates(current)
    _CALENDARS.pop(plan.id, None)
    for older in [k for k, years in _CALENDAR_YEARS.items() if years == plan.year]:
        _CALENDARS.pop(older, None)  # an older version of the year: not patched any more
        _CALENDAR_YEARS.pop(older, None)
    _CALENDARS[plan.id] = (cal, open_dates, current.settings.freeze_days)
    _CALENDAR_YEARS[plan.id] = plan.year
    while len(_CALENDARS) > 4:  # the current plans (a week may read two years)
        _CALENDAR_YEARS.pop(next(iter(_CALENDARS)), None)
        _CALENDARS.pop(next(iter(_CALENDARS)), None)
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

    live = _Live(today, cal, open_dates, freeze_end, unit_types, before)
    reviews: list[AnnualReview] = []
    due_again: list[DueAgain] = []
    for v in visits:
        entry = live.entry(v)
        if isinstance(entry, AnnualReview):
            reviews.append(entry)
        elif entry is not None:
            due_again.append(entry)
    reviews.sort(key=lambda a: (a.date, a.unit, a.patient, a.patient_id))

    settings = settings_from_json(plan.settings, plan.year)
    unplaced = []
    for u in patient_rows_from_json(plan.unplaced, "unplaced"):
        pid, name = _patient_ref(u, names)
        unplaced.append(UnplacedEntry(patient=name, unit=u.unit, reason=u.reason,
                                      patient_id=pid))
    not_required = []
    for n in patient_rows_from_json(plan.not_required, "not_required"):
        pid, name = _patient_ref(n, names)
        not_required.append(NotRequiredEntry(
            patient=name, unit=n.unit, reason=n.reason,
            personnummer=numbers.get(pid) if pid is not None else None, patient_id=pid))
    violations = []
    for row in violations_from_json(plan.violations):
        pid, name = _patient_ref(row, names)
        violations.append(ViolationEntry(
            rule=row.rule, patient=name, unit=row.unit, message=row.message, fix=row.fix,
            patient_id=pid, doctor=row.doctor, cause=row.cause, action=row.action,
        ))
    absences = tuple(_absences(session, plan.year))
    rounds = _rounds(current, settings, absences)
    doc = PlanDocument(
        year=plan.year,
        version=plan.version,
        settings=settings,
        solver=SolverFigures(status=plan.solver_status, objective=float(plan.objective),
                             bound=float(plan.bound), wall_s=float(plan.wall_s)),
        reviews=tuple(reviews),
        unplaced=tuple(unplaced),
        violations=tuple(violations),
        measures=measures_from_json(plan.measures),
        rounds=tuple(rounds),
        units=tuple(units),
        absences=absences,
        created_at=plan.created_at.isoformat(timespec="seconds") if plan.created_at else "",
        created_by=plan.created_by or "",
        note=plan.note or "",
        previous_version=previous.version if previous is not None else None,
        plan_from=plan.plan_from,
        forced_moves=tuple(
            ForcedMoveEntry(patient=f.patient, old=f.old, new=f.new, reason=f.reason,
                            patient_id=f.patient_id)
            for f in forced_moves_from_json(plan.forced_moves)),
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
    return _with_held_counts(doc)


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
