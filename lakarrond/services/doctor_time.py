"""Doctor time against the agreement (issue 18 point 4) for the window, the Excel plan and
the yearly follow-up: one computation, :func:`solver.doctor_time.doctor_time`, over the year's
calendar as it is now, the active patients and the ÅMV of the saved plan of the year (none
when there is no plan: the rounds alone, 0 ÅMV on separate times). The definition is in
docs/domain.md ("Läkartid").
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.document import below_floor_line
from lakarrond.services.common import read_scope
from lakarrond.services.problem import calendar_problem, latest_plan
from lakarrond.store import Database
from lakarrond.store import models as m
from solver.calendar import WorkCalendar
from solver.doctor_time import doctor_time as compute
from solver.doctor_time import figure, round_minutes, separate_review_minutes
from solver.problem import Patient, PatientStatus, Unit, VisitStatus
from solver.result import Appointment, DoctorTime, DoctorTimeTable

__all__ = ["DoctorTime", "DoctorTimeTable", "below_floor_line", "doctor_time",
           "unit_form_doctor_time"]


def _active_patients(s: Session) -> list[Patient]:
    """The active patients as the computation needs them (id, unit)."""
    rows = s.execute(
        select(m.Patient.id, m.Unit.name, m.Patient.admitted)
        .join(m.Unit, m.Patient.unit_id == m.Unit.id)
        .where(m.Patient.status == PatientStatus.ACTIVE)
    ).all()
    return [Patient(id=str(pid), unit=unit, admitted=admitted) for pid, unit, admitted in rows]


def _plan_reviews(s: Session, year: int) -> list[Appointment]:
    """The ÅMV of the saved plan of ``year`` (none without a plan)."""
    plan = latest_plan(s, year)
    if plan is None:
        return []
    rows = s.execute(
        select(m.Visit.patient_id, m.Visit.unit, m.Visit.doctor, m.Visit.date, m.Visit.status)
        .where(m.Visit.plan_id == plan.id)
    ).all()
    return [Appointment(patient_id=str(pid), unit=unit, doctor=doctor, date=day,
                        preparation=day, status=VisitStatus(status))
            for pid, unit, doctor, day, status in rows]


def doctor_time(db: Database | Session, year: int) -> DoctorTimeTable:
    """The doctor time of every unit and doctor in ``year`` against the year's floor
    (setting "Läkartid minst")."""
    with read_scope(db) as s:
        problem = calendar_problem(s, year)
        patients = _active_patients(s)
        reviews = _plan_reviews(s, year)
    return compute(problem, reviews, patients)


def unit_form_doctor_time(db: Database, year: int, unit: Unit, patients: int,
                          saved_name: str | None = None) -> DoctorTimeTable:
    """The doctor time of a unit as the unit form holds it (not saved yet): its rounds in
    ``year`` with the unit's stored one-off round dates, the saved plan's ÅMV of the unit
    (``saved_name``: its stored name) and ``patients`` active patients. Only
    ``units[unit.name]`` is filled."""
    with db.read() as s:
        problem = calendar_problem(s, year)
        reviews = [replace(a, unit=unit.name) for a in _plan_reviews(s, year)
                   if saved_name is not None and a.unit == saved_name]
    stored = next((u for u in problem.units if u.name == saved_name), None)
    if stored is not None:
        unit = replace(unit, extra_dates=stored.extra_dates,
                       cancelled_dates=stored.cancelled_dates)
    others = tuple(u for u in problem.units if u.name not in (unit.name, saved_name))
    problem = replace(problem, units=(*others, unit))
    cal = WorkCalendar(problem.settings, problem.absences)
    by_unit, _ = separate_review_minutes(problem, reviews)
    minutes = round_minutes(unit, cal) + by_unit[unit.name]
    floor = problem.settings.doctor_hours_per_10
    return DoctorTimeTable(floor=floor, units={unit.name: figure(minutes, patients, floor)},
                           doctors={})
