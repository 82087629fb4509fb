"""Doctor time against the agreement (issue 18.4): doctor hours per week per 10 patients, per
unit and per doctor, and whether it is under the floor.

# stand-in: replaced by U's at merge. Helper U writes the real service with this exact
# interface (rounds, separate ÅMV time and LSS homes, travel not counted, the floor a
# setting); this body only counts the units' round minutes per week of their rhythm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lakarrond.services.problem import parse_weekdays
from lakarrond.store import Database
from lakarrond.store import models as m
from lakarrond.today import today as todays_date
from solver.problem import RhythmKind

FLOOR = 1.0  # stand-in: hours per week per 10 patients (the agreements' "minst 1 läkartimme")


@dataclass(frozen=True)
class DoctorTime:
    hours_per_week: float
    patients: int
    per_10: float | None  # None when patients == 0
    below_floor: bool


@dataclass(frozen=True)
class DoctorTimeTable:
    floor: float
    units: dict[str, DoctorTime]  # by unit name
    doctors: dict[str, DoctorTime]  # by doctor name


def _time(hours: float, patients: int, floor: float) -> DoctorTime:
    per_10 = hours / patients * 10 if patients else None
    return DoctorTime(hours, patients, per_10, per_10 is not None and per_10 < floor)


def _weekly_rounds(unit: m.Unit) -> float:  # stand-in
    days = len(parse_weekdays(unit.weekdays or ""))
    return days / 2 if unit.rhythm_kind == RhythmKind.FORTNIGHTLY else float(days)


def doctor_time(db: Database, year: int) -> DoctorTimeTable:
    """# stand-in: replaced by U's at merge. Round minutes per week of each unit's rhythm /
    the unit's patients active on the year's last day (or today, in the year) × 10."""
    day = min(date(year, 12, 31), max(date(year, 1, 1), todays_date()))
    with db.read() as s:
        units = s.scalars(select(m.Unit).options(selectinload(m.Unit.doctor),
                                                 selectinload(m.Unit.patients))).all()
        rows = [(u.name, u.doctor.name, u.length_min * _weekly_rounds(u) / 60,
                 sum(1 for p in u.patients
                     if p.admitted <= day and (p.end_date is None or p.end_date > day)))
                for u in units]
    doctors: dict[str, tuple[float, int]] = {}
    for _, doctor, hours, patients in rows:
        h, n = doctors.get(doctor, (0.0, 0))
        doctors[doctor] = (h + hours, n + patients)
    return DoctorTimeTable(
        floor=FLOOR,
        units={name: _time(hours, patients, FLOOR) for name, _, hours, patients in rows},
        doctors={d: _time(h, n, FLOOR) for d, (h, n) in sorted(doctors.items())})


__all__ = ["DoctorTime", "DoctorTimeTable", "doctor_time"]
