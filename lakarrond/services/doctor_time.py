"""Doctor time against the agreement (issue 18 point 4) for the window, the Excel plan and
the yearly follow-up: one computation, :func:`solver.doctor_time.doctor_time`, over the year's
calendar as it is now, the patients active on :func:`counting_day` and the ÅMV of the saved
plan of the year (none when there is no plan: the rounds alone, 0 ÅMV on separate times).
The definition is in docs/domain.md ("Doctor time against the agreement").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from lakarrond.agreement import below_floor_line
from lakarrond.services.common import read_scope
from lakarrond.services.doctors import DoctorRow, list_doctors
from lakarrond.services.problem import calendar_problem, latest_plan
from lakarrond.services.units import UnitData, UnitRow, list_units, solver_unit
from lakarrond.store import Database
from lakarrond.store import models as m
from lakarrond.today import today as todays_date
from solver.calendar import WorkCalendar
from solver.doctor_time import doctor_time as compute
from solver.doctor_time import figure, round_minutes, separate_review_minutes
from solver.problem import Patient, PatientStatus, VisitStatus
from solver.result import Appointment, DoctorTime, DoctorTimeTable

__all__ = ["DoctorTime", "DoctorTimeTable", "below_floor_line", "counting_day", "doctor_time",
           "doctors_with_doctor_time", "unit_form_doctor_time", "unit_form_warning",
           "units_with_doctor_time"]


def counting_day(year: int, today: date | None = None) -> date:
    """The day whose active patients count: today while the year runs, 31 December of a past
    year, 1 January of a year ahead (the planning date a plan of it starts from)."""
    return min(date(year, 12, 31), max(date(year, 1, 1), today or todays_date()))


def _patients(s: Session, day: date) -> list[Patient]:
    """The patients admitted by ``day`` as the computation needs them (the computation
    keeps those active on it: :func:`solver.doctor_time.active_on`)."""
    named = aliased(m.Doctor)
    rows = s.execute(
        select(m.Patient.id, m.Unit.name, m.Patient.admitted, m.Patient.status,
               m.Patient.end_date, m.Unit.doctor_id, named.id, named.name)
        .join(m.Unit, m.Patient.unit_id == m.Unit.id)
        .outerjoin(named, m.Patient.doctor_id == named.id)
        .where(m.Patient.admitted <= day)
    ).all()
    # the named doctor when another than the unit's (as services.contacts.named_doctor)
    return [Patient(id=str(pid), unit=unit, admitted=admitted, status=PatientStatus(status),
                    end_date=end,
                    doctor=name if named_id is not None and named_id != unit_doctor else "")
            for pid, unit, admitted, status, end, unit_doctor, named_id, name in rows]


def _plan_reviews(s: Session, year: int, unit: str | None = None) -> list[Appointment]:
    """The ÅMV of the saved plan of ``year`` (none without a plan), or of one unit's."""
    plan = latest_plan(s, year)
    if plan is None:
        return []
    query = select(m.Visit.patient_id, m.Visit.unit, m.Visit.doctor, m.Visit.date,
                   m.Visit.status).where(m.Visit.plan_id == plan.id)
    rows = s.execute(query if unit is None else query.where(m.Visit.unit == unit)).all()
    return [Appointment(patient_id=str(pid), unit=unit, doctor=doctor, date=day,
                        preparation=day, status=VisitStatus(status))
            for pid, unit, doctor, day, status in rows]


# The last table per database and year, with what it was computed from: the newest audit
# row (every change of the store writes one: input, outcomes, saved plans, settings) and the
# counting day. Enheter, Läkare and the unit form read it; one computation serves them all
# until something changes (region: 0.3 s CPU each).
_LAST: dict[tuple[str, int], tuple[tuple[int, date], DoctorTimeTable]] = {}


def doctor_time(db: Database | Session, year: int, today: date | None = None
                ) -> DoctorTimeTable:
    """The doctor time of every unit and doctor in ``year`` against the year's floor
    (setting "Läkartid minst"), the patients counted on :func:`counting_day`. From a
    Database the table is computed again only when the store changed (a Session's
    uncommitted changes are never kept)."""
    day = counting_day(year, today)
    with read_scope(db) as s:
        place = (str(db.url), year) if isinstance(db, Database) else None
        stamp = (int(s.scalar(select(func.max(m.AuditLog.id))) or 0), day)
        last = _LAST.get(place) if place is not None else None
        if last is not None and last[0] == stamp:
            return last[1]
        problem = calendar_problem(s, year)
        patients = _patients(s, day)
        reviews = _plan_reviews(s, year)
    table = compute(problem, reviews, patients, day=day)
    if place is not None:
        _LAST[place] = (stamp, table)
    return table


def units_with_doctor_time(db: Database, year: int) -> list[UnitRow]:
    """The units (:func:`~lakarrond.services.units.list_units`) with their doctor time in
    ``year`` and the floor: what Enheter shows."""
    table = doctor_time(db, year)
    return [replace(r, doctor_time=table.units.get(r.name), floor=table.floor)
            for r in list_units(db)]


def doctors_with_doctor_time(db: Database, year: int, *, include_retired: bool = True
                             ) -> list[DoctorRow]:
    """The doctors (:func:`~lakarrond.services.doctors.list_doctors`) with their doctor time
    in ``year`` and the floor: what Läkare shows."""
    table = doctor_time(db, year)
    return [replace(r, doctor_time=table.doctors.get(r.name), floor=table.floor)
            for r in list_doctors(db, include_retired=include_retired)]


def unit_form_doctor_time(db: Database, year: int, data: UnitData, patients: int,
                          unit_id: int | None = None) -> DoctorTimeTable | None:
    """The doctor time of a unit as the unit form holds it (not saved yet): its rounds in
    ``year`` with the stored unit's one-off round dates, the saved plan's ÅMV of the stored
    unit and ``patients`` active patients; only ``units[name]`` is filled. None when the
    form's rhythm is not valid yet."""
    with db.read() as s:
        problem = calendar_problem(s, year)
        stored = s.get(m.Unit, unit_id) if unit_id is not None else None
        saved_name = stored.name if stored is not None else None
        doctor = s.get(m.Doctor, data.doctor_id)
        reviews = [] if saved_name is None else _plan_reviews(s, year, saved_name)
    try:
        unit = solver_unit(data, doctor.name if doctor is not None else "")
    except ValueError:
        return None
    name = unit.name.strip() or "(ny enhet)"
    old = next((u for u in problem.units if u.name == saved_name), None)
    unit = replace(unit, name=name, extra_dates=old.extra_dates if old else (),
                   cancelled_dates=old.cancelled_dates if old else ())
    others = tuple(u for u in problem.units if u.name not in (name, saved_name))
    problem = replace(problem, units=(*others, unit))
    by_unit, _ = separate_review_minutes(problem, [replace(a, unit=name) for a in reviews])
    cal = WorkCalendar(problem.settings, problem.absences)
    floor = problem.settings.doctor_hours_per_10
    minutes = round_minutes(unit, cal) + by_unit[name]
    return DoctorTimeTable(floor=floor, units={name: figure(minutes, patients, floor)},
                           doctors={})


def unit_form_warning(db: Database, year: int, data: UnitData, patients: int,
                      unit_id: int | None = None) -> str:
    """The unit form's doctor-time warning ("Läkartid under avtalet: …"), "" when the unit
    is not below the floor."""
    table = unit_form_doctor_time(db, year, data, patients, unit_id)
    if table is None:
        return ""
    name, t = next(iter(table.units.items()))
    return below_floor_line(name, t, table.floor)
