"""Doctor time against the agreement (issue 18 point 4), pure Python over the Problem.

Västerbotten §11.2: "minst 1 läkartimme per 10 patienter/vecka … Restid räknas inte in".
The definition (docs/domain.md, "Läkartid"):

- the doctor minutes of a unit in the plan year = the minutes of its held round dates (the
  rhythm's dates minus the cancelled ones – weekends, holidays, summer weeks, blocked periods,
  one-off cancellations, the doctor's absence without a substitute – plus the one-off extra
  dates; :func:`solver.rounds.unit_round_dates`), short-term units included, + for a unit
  whose ÅMV are held on the doctor's separate ÅMV times (R6: phone rounds, "ÅMV i rond" =
  nej, LSS homes typically) its ÅMV of the plan in the year (not Avböjd or Inställd) × the
  unit's "Minuter per ÅMV"; travel is not counted (none is stored);
- hours per week = those minutes / 60 / :data:`WEEKS_PER_YEAR` (52: the agreement's "per
  week" is the year's average, summer and holidays included, and the same rhythm gives the
  same figure every year, whether the year has 52 or 53 ISO weeks);
- ``patients`` = the unit's patients active on a day (:func:`active_on`): for the plan the
  planning date (``Settings.first_day``: today, or 1 January of a year ahead);
- ``per_10`` = hours per week / patients × 10, None when there are no patients;
- per doctor: hours and patients summed over the doctor's units (an ÅMV on separate time
  counts for the doctor who holds it, a patient for :func:`patient_doctor`), ``per_10`` of
  the sums;
- ``below_floor`` = ``per_10`` < the floor
  (``Settings.doctor_hours_per_10``, default 1.0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from solver.calendar import WorkCalendar
from solver.problem import Patient, PatientStatus, Problem, Unit, VisitStatus
from solver.result import Appointment, DoctorTime, DoctorTimeTable
from solver.rounds import unit_round_dates

WEEKS_PER_YEAR = 52
DEFAULT_FLOOR = 1.0  # Västerbotten §11.2: 1 doctor hour per 10 patients per week
NOT_HELD = (VisitStatus.DECLINED, VisitStatus.CANCELLED)


def patient_doctor(problem: Problem, patient: Patient) -> str:
    """The doctor a patient's time counts for: THE one place that decides it (the patient's
    named doctor, fast läkarkontakt, else the unit's doctor)."""
    if patient.doctor:
        return patient.doctor
    return problem.unit(patient.unit).doctor if problem.has_unit(patient.unit) else ""


def round_minutes(unit: Unit, cal: WorkCalendar) -> int:
    """Minutes of the unit's held round dates in the plan year: cancelled dates and dates
    the doctor is away without a substitute do not count; extra dates do."""
    total = 0
    for rd in unit_round_dates(unit, cal):
        absence = cal.absence(unit.doctor, rd.date)
        if rd.cancelled or (absence is not None and not absence.substitute):
            continue
        total += rd.length_min
    return total


def separate_review_minutes(
    problem: Problem, appointments: Iterable[Appointment]
) -> tuple[Counter[str], Counter[str]]:
    """Minutes of the ÅMV held on separate times (R6) in the plan year, by unit and by the
    doctor who holds them: each ÅMV of an R6 unit that is not declined or cancelled takes
    the unit's "Minuter per ÅMV"."""
    by_unit: Counter[str] = Counter()
    by_doctor: Counter[str] = Counter()
    for a in appointments:
        if a.date.year != problem.year or a.status in NOT_HELD or not problem.has_unit(a.unit):
            continue
        unit = problem.unit(a.unit)
        if unit.reviews_at_rounds:
            continue
        by_unit[unit.name] += unit.review_minutes
        by_doctor[a.doctor or unit.doctor] += unit.review_minutes
    return by_unit, by_doctor


def figure(minutes: int, patients: int, floor: float) -> DoctorTime:
    """Hours per week, per 10 patients and the flag from a year's minutes (exact: the JSON
    and the views round them)."""
    hours = minutes / 60 / WEEKS_PER_YEAR
    per_10 = hours / patients * 10 if patients else None
    return DoctorTime(hours_per_week=hours, patients=patients, per_10=per_10,
                      below_floor=per_10 is not None and per_10 < floor)


def active_on(patient: Patient, day: date) -> bool:
    """The patient is the unit's on ``day``: admitted on or before it, and not ended by it
    (no end date and status Aktiv, or an end date after ``day``)."""
    if patient.admitted > day:
        return False
    if patient.end_date is None:
        return patient.status is PatientStatus.ACTIVE
    return patient.end_date > day


def active_patients(problem: Problem, patients: Iterable[Patient] | None = None,
                    day: date | None = None) -> tuple[Counter[str], Counter[str]]:
    """Patients active on ``day`` (default the planning date) by unit and by
    :func:`patient_doctor`."""
    day = day or problem.settings.first_day
    by_unit: Counter[str] = Counter()
    by_doctor: Counter[str] = Counter()
    for p in problem.patients if patients is None else patients:
        if not active_on(p, day):
            continue
        by_unit[p.unit] += 1
        by_doctor[patient_doctor(problem, p)] += 1
    return by_unit, by_doctor


def doctor_time(
    problem: Problem,
    appointments: Iterable[Appointment],
    patients: Iterable[Patient] | None = None,
    cal: WorkCalendar | None = None,
    round_minutes_by_unit: Mapping[str, int] | None = None,
    day: date | None = None,
) -> DoctorTimeTable:
    """The doctor time of every unit and doctor of ``problem`` with the plan's
    ``appointments`` (``patients``: default the problem's, counted when active on ``day``,
    default the planning date)."""
    cal = cal or WorkCalendar(problem.settings, problem.absences)
    floor = problem.settings.doctor_hours_per_10
    rounds = dict(round_minutes_by_unit) if round_minutes_by_unit is not None else {
        u.name: round_minutes(u, cal) for u in problem.units}
    reviews_unit, reviews_doctor = separate_review_minutes(problem, appointments)
    patients_unit, patients_doctor = active_patients(problem, patients, day)
    units = {
        u.name: figure(rounds.get(u.name, 0) + reviews_unit[u.name], patients_unit[u.name],
                       floor)
        for u in sorted(problem.units, key=lambda u: u.name)
    }
    doctor_rounds: Counter[str] = Counter()
    for u in problem.units:
        doctor_rounds[u.doctor] += rounds.get(u.name, 0)
    names = sorted((set(doctor_rounds) | set(reviews_doctor) | set(patients_doctor)) - {""})
    doctors = {
        d: figure(doctor_rounds[d] + reviews_doctor[d], patients_doctor[d], floor)
        for d in names
    }
    return DoctorTimeTable(floor=floor, units=units, doctors=doctors)
