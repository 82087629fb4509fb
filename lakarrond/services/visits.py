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
from lakarrond.services.contacts import patient_doctor
from lakarrond.services.preparation import carry_ticks
from lakarrond.services.problem import build_problem, latest_plan
from lakarrond.store import ConflictError, Database, audit, current_user
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from lakarrond.today import today as todays_date
from solver.calendar import WorkCalendar, preparation_date
from solver.problem import VisitStatus
from solver.rounds import build_pools, pool_of


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
class VisitState:
    """What an outcome changes on a visit (for undo)."""

    date: dt.date
    status: str
    reason: str
    cancelled_on: dt.date | None


@dataclass(frozen=True)
class VisitChange:
    visit_id: int
    before: VisitState
    after: VisitState


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
        carry_ticks(session, visit.patient_id, visit.date, day)  # the preparation done holds
        visit.preparation = _preparation(session, visit.plan.year, day)
        visit.date = day
    visit.status = VisitStatus(status)
    session.flush()
    audit(session, "update", "visit", visit.id, patient_id=visit.patient_id, before=before,
          after={"date": day.isoformat(), "status": status,
                 "plan_version": visit.plan.version})


def get_visit(db: Database, visit_id: int) -> VisitRow:
    with db.read() as s:
        v = s.get(m.Visit, visit_id)
        if v is None:
            raise ConflictError("besöket")
        return _row(v)


def set_visit(
    db: Database, visit_id: int, day: date, status: str, expected_version: int | None = None,
    today: date | None = None,
) -> VisitRow:
    """Put the ÅMV on ``day`` with ``status`` (Planerad, Låst, Genomförd); audited. A new
    Genomförd or Avböjd after ``today`` is refused."""
    with db.begin() as s:
        v = s.get(m.Visit, visit_id)
        if v is None or (expected_version is not None and v.version != expected_version):
            raise ConflictError("besöket")
        _check_not_ahead(v.patient.name, day, status, (v.date, v.status), today)
        place_visit(s, v, day, status)
        s.refresh(v)
        return _row(v)


def plan_for(session: Session, year: int) -> m.Plan:
    plan = latest_plan(session, year)
    if plan is None:
        plan = m.Plan(year=year, version=1, created_by=current_user(), settings={},
                      solver_status="MANUELL", note="Skapad när en ÅMV registrerades")
        session.add(plan)
        session.flush()
        audit(session, "create", "plan", plan.id, after={"year": year, "version": 1})
    return plan


OUTCOMES = (VisitStatus.DONE, VisitStatus.LOCKED, VisitStatus.DECLINED, VisitStatus.CANCELLED)
STATUS_WORDS = {VisitStatus.DONE: "genomförd", VisitStatus.LOCKED: "låst",
                VisitStatus.DECLINED: "avböjd", VisitStatus.CANCELLED: "inställd",
                VisitStatus.PLANNED: "planerad"}


def _status(status: VisitStatus | str) -> VisitStatus:
    try:
        wanted = VisitStatus(status)
    except ValueError as exc:
        raise BadInput(f"Okänd status \"{status}\" – använd Genomförd, Låst, Avböjd eller "
                       "Inställd.") from exc
    if wanted not in OUTCOMES:
        raise BadInput("Status måste vara Genomförd, Låst, Avböjd eller Inställd.")
    return wanted


def _check_not_ahead(name: str, day: date, status: str, current: tuple[date, str],
                     today: date | None) -> None:
    """Refuse a held or declined ÅMV dated after ``today`` (unless it already is so)."""
    if status not in (VisitStatus.DONE, VisitStatus.DECLINED) or \
            (day, status) == current:
        return
    today = today or todays_date()
    if day > today:
        raise BadInput(f"ÅMV {day.isoformat()} för {name} ligger efter dagens datum "
                       f"({today.isoformat()}) – den kan inte registreras som "
                       f"{STATUS_WORDS[VisitStatus(status)]} förrän den har hållits. Lås den "
                       "i stället om datumet är bestämt.")


def check_outcome(session: Session, patient: m.Patient, visit: m.Visit | None, day: date,
                  wanted: VisitStatus, today: date | None = None) -> None:
    """Bad input for an outcome: a held or declined ÅMV dated after ``today`` (default
    :func:`lakarrond.today.today`), a non-working day, a patient who has ended, a date that
    is not the ÅMV's (a held ÅMV may have been held on another day; a lock may move it)."""
    _check_not_ahead(patient.name, day, wanted.value, (date.min, ""), today)
    settings = read_settings(session, day.year)
    closed = WorkCalendar(settings, ()).closed_reason(day)
    if closed and closed.startswith(("helg", "helgdag")):
        raise BadInput(f"{day.isoformat()} är ingen arbetsdag: {closed} – ingen ÅMV "
                       "kan hållas då.")
    if patient.end_date is not None and day >= patient.end_date:
        raise BadInput(f"{patient.name} är {patient.status.lower()} sedan "
                       f"{patient.end_date.isoformat()} – ingen ÅMV kan registreras "
                       f"{day.isoformat()}.")
    if wanted in (VisitStatus.DECLINED, VisitStatus.CANCELLED):
        if visit is None:
            raise BadInput(f"{patient.name} har ingen ÅMV i planen för {day.year} att "
                           f"registrera som {STATUS_WORDS[wanted]}.")
        if visit.date != day:
            raise BadInput(f"{patient.name} har ingen ÅMV den {day.isoformat()} – ÅMV är "
                           f"planerad {visit.date.isoformat()}.")


def check_reason(status: VisitStatus, reason: str) -> None:
    """An Avböjd or Inställd ÅMV is recorded with its reason (issue 20); BadInput without."""
    if status in (VisitStatus.DECLINED, VisitStatus.CANCELLED) and not reason.strip():
        raise BadInput(f"En {status.value.lower()} ÅMV måste ha en orsak – välj eller skriv "
                       "en (t.ex. \"patienten tackade nej\").")


def set_outcome(session: Session, visit: m.Visit, day: date, wanted: VisitStatus,
                reason: str) -> None:
    """Record ``wanted`` on the visit (in the caller's transaction, audited): Genomförd and
    Låst put the ÅMV on ``day``; Avböjd and Inställd keep its date and note the reason; an
    Inställd ÅMV makes the patient due again."""
    if wanted is VisitStatus.CANCELLED:
        visit.cancelled_on = day
    visit.reason = reason.strip()[:400] if wanted in (VisitStatus.DECLINED,
                                                       VisitStatus.CANCELLED) else ""
    place_visit(session, visit, day, wanted.value)


def record_visit(
    db: Database, patient: str, day: date, status: VisitStatus | str, reason: str = "",
    today: date | None = None,
) -> RecordedVisit:
    """Record an outcome or a lock for the patient's ÅMV in the latest plan of ``day``'s
    year: Genomförd (held on ``day``), Låst (kept on ``day``), Avböjd (offered on ``day``,
    declined), Inställd (``day``'s ÅMV cancelled: the patient needs a new date). A held or
    locked ÅMV is added when the patient has none in that plan (and a plan version is made
    when the year has none). Genomförd and Avböjd after ``today`` are refused. Writes an
    audit row."""
    wanted = _status(status)
    check_reason(wanted, reason)
    with db.begin() as session:
        pat = find_patient(session, patient)
        plan = latest_plan(session, day.year)
        visit = None
        if plan is not None:
            visit = session.scalars(select(m.Visit).where(
                m.Visit.plan_id == plan.id, m.Visit.patient_id == pat.id)).first()
        check_outcome(session, pat, visit, day, wanted, today)
        plan = plan or plan_for(session, day.year)
        created = visit is None
        if visit is None:
            settings = read_settings(session, day.year)
            prep = preparation_date(day, WorkCalendar(settings, ()), settings.preparation_days)
            visit = m.Visit(plan_id=plan.id, patient_id=pat.id, date=day, preparation=prep,
                            status=wanted.value, unit=pat.unit.name, doctor=patient_doctor(pat))
            session.add(visit)
            session.flush()
            audit(session, "create", "visit", visit.id, patient_id=pat.id,
                  after={"date": day.isoformat(), "status": wanted.value,
                         "plan_version": plan.version})
        else:
            set_outcome(session, visit, day, wanted, reason)
        return RecordedVisit(plan_id=plan.id, plan_version=plan.version, visit_id=visit.id,
                             patient=pat.name, date=day, status=wanted, created=created)


def record_outcomes(db: Database, visit_ids: list[int], wanted: VisitStatus | str,
                    reason: str = "", held_on: date | None = None,
                    today: date | None = None) -> list[VisitChange]:
    """The same outcome for several ÅMV at once (the window's multi-selection), each on its
    own date – or, for Genomförd, all held on ``held_on`` – in ONE transaction; returns
    what undo needs. Genomförd and Avböjd after ``today`` are refused."""
    status = _status(wanted) if VisitStatus(wanted) is not VisitStatus.PLANNED \
        else VisitStatus.PLANNED
    if held_on is not None and status is not VisitStatus.DONE:
        raise BadInput("Bara en genomförd ÅMV kan registreras på ett annat datum än det "
                       "planerade.")
    check_reason(status, reason)
    changes = []
    with db.begin() as session:
        for visit_id in visit_ids:
            visit = session.get(m.Visit, visit_id)
            if visit is None:
                raise ConflictError("besöket")
            before = VisitState(visit.date, visit.status, visit.reason, visit.cancelled_on)
            if status is not VisitStatus.PLANNED:
                day = held_on or visit.date  # place_visit refuses a day outside the year
                check_outcome(session, visit.patient, visit, day, status, today)
                set_outcome(session, visit, day, status, reason)
            else:
                visit.reason = ""
                place_visit(session, visit, visit.date, status.value)
            session.flush()
            changes.append(VisitChange(visit_id, before, VisitState(
                visit.date, visit.status, visit.reason, visit.cancelled_on)))
    return changes


def restore_visits(db: Database, states: list[tuple[int, VisitState, VisitState]]) -> None:
    """Undo/redo of :func:`record_outcomes`: put each visit back from ``expected`` to
    ``wanted`` (visit id, expected, wanted); a visit changed meanwhile is a conflict."""
    with db.begin() as session:
        for visit_id, expected, wanted in states:
            visit = session.get(m.Visit, visit_id)
            now = None if visit is None else VisitState(visit.date, visit.status, visit.reason,
                                                        visit.cancelled_on)
            if visit is None or now != expected:
                raise ConflictError("besöket")
            visit.reason, visit.cancelled_on = wanted.reason, wanted.cancelled_on
            place_visit(session, visit, wanted.date, wanted.status)


def allowed_dates(db: Database, visit_id: int) -> list[AllowedDate]:
    """The dates the ÅMV may move to, best first: inside the patient's window, free places
    left, fewest ÅMV of the doctor that week, closest to the current date."""
    with db.read() as s:
        v = s.get(m.Visit, visit_id)
        if v is None:
            raise ConflictError("besöket")
        year = v.plan.year
        problem, _ = build_problem(s, year)
        patient = next(p for p in problem.patients if p.id == str(v.patient_id))
        unit = problem.patient_unit(patient.id, patient.unit)  # a named doctor's: its time
        cal = WorkCalendar(problem.settings, problem.absences)
        pool_key = pool_of(unit)
        pool = build_pools(problem, cal, [unit]).get(pool_key)
        if pool is None:
            return []
        plan = latest_plan(s, year)
        visits = plan.visits if plan is not None else []
        used = Counter(x.date for x in visits if x.id != v.id and problem.has_unit(x.unit)
                       and pool_of(problem.patient_unit(str(x.patient_id), x.unit)) == pool_key)
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
