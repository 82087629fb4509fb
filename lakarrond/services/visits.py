"""Recording an ÅMV as done (Genomförd) or locked (Låst) in the year's latest plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lakarrond import pnr
from lakarrond.services.errors import BadInput
from lakarrond.services.plan import latest_plan
from lakarrond.store import Database, audit, current_user
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from solver.calendar import WorkCalendar, preparation_date
from solver.problem import VisitStatus

RECORDABLE = (VisitStatus.DONE, VisitStatus.LOCKED)


@dataclass(frozen=True)
class RecordedVisit:
    plan_id: int
    plan_version: int
    visit_id: int
    patient: str
    date: date
    status: VisitStatus
    created: bool  # True when the patient had no ÅMV in that plan before


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
        plan = latest_plan(session, day.year)
        if plan is None:
            plan = m.Plan(
                year=day.year,
                version=1,
                created_by=current_user(),
                settings={},
                solver_status="MANUELL",
                note="Skapad när en ÅMV registrerades",
            )
            session.add(plan)
            session.flush()
            audit(session, "create", "plan", plan.id, after={"year": day.year, "version": 1})
        settings = read_settings(session, day.year)
        absences = ()
        prep = preparation_date(day, WorkCalendar(settings, absences), settings.preparation_days)
        visit = session.scalars(
            select(m.Visit)
            .where(m.Visit.plan_id == plan.id, m.Visit.patient_id == pat.id)
            .options(selectinload(m.Visit.patient))
        ).first()
        created = visit is None
        before = None
        if visit is None:
            unit = pat.unit
            visit = m.Visit(
                plan_id=plan.id,
                patient_id=pat.id,
                date=day,
                preparation=prep,
                status=wanted.value,
                unit=unit.name,
                doctor=unit.doctor.name,
            )
            session.add(visit)
        else:
            before = {"date": visit.date.isoformat(), "status": visit.status}
            visit.date = day
            visit.preparation = prep
            visit.status = wanted.value
        session.flush()
        audit(
            session,
            "create" if created else "update",
            "visit",
            visit.id,
            patient_id=pat.id,
            before=before,
            after={"date": day.isoformat(), "status": wanted.value, "plan_version": plan.version},
        )
        return RecordedVisit(
            plan_id=plan.id,
            plan_version=plan.version,
            visit_id=visit.id,
            patient=pat.name,
            date=day,
            status=wanted,
            created=created,
        )
