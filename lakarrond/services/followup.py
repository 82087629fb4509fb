"""The yearly follow-up (Årsuppföljning, issue 18.6): read what was recorded for a year from
the store into plain rows, compute the figures (:func:`lakarrond.followup.follow_up`) and
write them as JSON, Excel or PDF (audited as an export; counts only, no patient data).

Where the recorded history of a year lives: the year's latest plan version holds one Visit
per patient with its outcome (Genomförd, Avböjd, Inställd – a re-plan carries them over, an
Inställd one keeps ``cancelled_on`` when it gets a new date); the ÅMV held before the year
are the patients' ``last_review`` and the Genomförd visits dated before 1 January.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lakarrond.errors import BadInput
from lakarrond.followup import FollowUp, Hours, PatientYear, Recorded, UnitYear, follow_up
from lakarrond.io.files import atomic_write
from lakarrond.services import contacts
from lakarrond.services.doctor_time import DoctorTime, doctor_time
from lakarrond.services.problem import calendar_problem, latest_plan
from lakarrond.store import Database, audit
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from lakarrond.today import today as todays_date
from solver.calendar import WorkCalendar
from solver.problem import VisitStatus
from solver.rounds import unit_round_dates

FORMATS = (".json", ".xlsx", ".pdf")


def _centre(doctor: m.Doctor) -> str:
    return doctor.health_centre.name if doctor.health_centre is not None else ""


def _held_before(session: Session, year: int) -> dict[int, date]:
    """Patient id → the latest ÅMV recorded Genomförd before the year (any plan version)."""
    rows = session.execute(
        select(m.Visit.patient_id, func.max(m.Visit.date))
        .where(m.Visit.status == VisitStatus.DONE, m.Visit.date < date(year, 1, 1))
        .group_by(m.Visit.patient_id))
    return {pid: day for pid, day in rows}


def _previous(patient: m.Patient, held: date | None, year: int) -> date | None:
    dates = [d for d in (patient.last_review, held) if d is not None and d < date(year, 1, 1)]
    return max(dates, default=None)


def _patients(session: Session, year: int) -> list[PatientYear]:
    plan = latest_plan(session, year)
    reviews = {} if plan is None else {
        v.patient_id: Recorded(v.date, VisitStatus(v.status).value, v.cancelled_on)
        for v in plan.visits if v.date.year == year}
    held = _held_before(session, year)
    last = date(year, 12, 31)
    patients = session.scalars(select(m.Patient).options(
        selectinload(m.Patient.unit).selectinload(m.Unit.doctor)
        .selectinload(m.Doctor.health_centre)).order_by(m.Patient.id)).all()
    rows = []
    for p in patients:
        doctor = contacts.doctor_of(p)  # the named one (fast läkarkontakt), else the unit's
        rows.append(PatientYear(
            patient_id=p.id, unit=p.unit.name, doctor=doctor.name,
            health_centre=_centre(doctor), admitted=p.admitted, end_date=p.end_date,
            previous=_previous(p, held.get(p.id), year), review=reviews.get(p.id),
            exempt=bool(p.excluded) or (p.palliative_from is not None
                                        and p.palliative_from <= last),
            reviewed_in_year=p.last_review is not None and p.last_review.year == year))
    return rows


def _units(session: Session, year: int, cut: date) -> list[UnitYear]:
    """Each unit's round dates from 1 January up to ``cut``: held, cancelled, extra."""
    problem = calendar_problem(session, year)
    cal = WorkCalendar(problem.settings, problem.absences)
    centres = {d.name: d.health_centre for d in problem.doctors}
    rows = []
    for unit in problem.units:
        dates = unit_round_dates(unit, cal, date(year, 1, 1), cut) \
            if cut >= date(year, 1, 1) else []
        rows.append(UnitYear(
            unit=unit.name, doctor=unit.doctor, health_centre=centres.get(unit.doctor, ""),
            rounds_held=sum(1 for r in dates if not r.cancelled),
            rounds_cancelled=sum(1 for r in dates if r.cancelled),
            extra_rounds=sum(1 for r in dates if r.extra and not r.cancelled)))
    return rows


def _hours(times: dict[str, DoctorTime]) -> dict[str, Hours]:
    return {name: Hours(t.hours_per_week, t.patients) for name, t in times.items()}


def load_follow_up(db: Database, year: int, today: date | None = None) -> FollowUp:
    """The year's follow-up: rounds are counted up to 31 December, or up to ``today``
    (default :func:`lakarrond.today.today`) while the year is running."""
    cut = min(date(year, 12, 31), today or todays_date())
    with db.read() as s:
        patients = _patients(s, year)
        units = _units(s, year, cut)
        days = read_settings(s, year).new_patient_days
    time = doctor_time(db, year)
    return follow_up(year, patients, units, days, _hours(time.units), _hours(time.doctors),
                     until=cut)


def default_follow_up_year(today: date | None = None) -> int:
    """Last year in January and February (the report is due by the end of February),
    else this year."""
    day = today or todays_date()
    return day.year - 1 if day.month <= 2 else day.year


def follow_up_json(result: FollowUp) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def write_follow_up(db: Database, result: FollowUp, out: Path) -> Path:
    """Write the follow-up as ``.json``, ``.xlsx`` or ``.pdf`` (by the suffix, atomically,
    mode 0600) and audit it (what, year, format, where; counts only)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(f"Årsuppföljningen skrivs som .xlsx, .pdf eller .json, inte "
                       f"\"{out.name}\".")
    if suffix == ".json":
        text = follow_up_json(result)
        atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    elif suffix == ".xlsx":
        from lakarrond.io.followup_excel import write_follow_up_xlsx  # openpyxl when used

        write_follow_up_xlsx(result, out)
    else:
        from lakarrond.io.followup_pdf import write_follow_up_pdf  # Qt only for a PDF

        atomic_write(out, lambda tmp: write_follow_up_pdf(result, tmp))
    with db.begin() as s:
        audit(s, "print" if suffix == ".pdf" else "export", "followup", None, after={
            "what": "årsuppföljning", "year": result.year, "format": suffix.lstrip("."),
            "rows": len(result.units), "path": str(out.resolve())})
    return out


__all__ = ["default_follow_up_year", "follow_up_json", "load_follow_up",
           "write_follow_up"]
