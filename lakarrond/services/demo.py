"""The example municipality (``solver.scenarios.municipality``) written into an empty store.

The same every time: personnummer are made from the birth date with a per-date serial and
a correct Luhn digit; rooms and addresses follow the order of the patients.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from lakarrond import pnr
from lakarrond.errors import BadInput
from lakarrond.services.problem import format_weekdays
from lakarrond.store import Database, audit
from lakarrond.store import models as m
from lakarrond.store.settings import write_settings
from solver.problem import Problem, UnitType
from solver.scenarios import municipality

STREETS = (
    "Storgatan", "Kyrkogatan", "Skolgatan", "Ängsvägen", "Björkvägen", "Lärkstigen",
    "Sjövägen", "Granvägen", "Torggatan", "Mejerivägen", "Prästgårdsvägen", "Bryggaregatan",
)  # fmt: skip


@dataclass(frozen=True)
class DemoReport:
    year: int
    health_centres: int
    doctors: int
    absences: int
    units: int
    patients: int


def demo_problem(year: int) -> Problem:
    return municipality(year)


def is_empty(db: Database) -> bool:
    """No doctor, unit or patient yet: the window offers the example municipality."""
    with db.read() as s:
        return not any(s.scalar(select(func.count()).select_from(t)) for t in
                       (m.Doctor, m.Unit, m.Patient))


def load_demo(db: Database, year: int) -> DemoReport:
    """Fill an EMPTY database with the example municipality of ``year``."""
    return load_problem(db, demo_problem(year))


def load_problem(db: Database, problem: Problem) -> DemoReport:
    """Fill an EMPTY database with a solver problem (the example municipality, a member of
    the random family in tests): its doctors, absences, units, patients and settings."""
    year = problem.year
    with db.begin() as session:
        if session.scalar(select(func.count()).select_from(m.Unit)):
            raise BadInput(
                "Databasen innehåller redan enheter – exempeldata läses bara in i en tom "
                "databas. Välj en annan databas med --db."
            )
        centres: dict[str, m.HealthCentre] = {}
        doctors: dict[str, m.Doctor] = {}
        for d in problem.doctors:
            centre = None
            if d.health_centre:
                centre = centres.get(d.health_centre)
                if centre is None:
                    centre = centres[d.health_centre] = m.HealthCentre(name=d.health_centre)
                    session.add(centre)
            doctors[d.name] = m.Doctor(
                name=d.name,
                health_centre=centre,
                review_weekdays=format_weekdays(d.review_weekdays),
                reviews_per_day=d.reviews_per_day,
            )
            session.add(doctors[d.name])
        for index, a in enumerate(problem.absences):
            session.add(
                m.Absence(
                    doctor=doctors[a.doctor],
                    start=a.start,
                    end=a.end,
                    reason=a.reason,
                    substitute=a.substitute,
                    # a number of the series PTS keeps for fiction (070-174 06 05 … 99)
                    phone=f"070-174 06 {5 + index % 95:02d}" if a.substitute else "",
                )
            )
        units: dict[str, m.Unit] = {}
        for u in problem.units:
            units[u.name] = m.Unit(
                name=u.name,
                type=u.type.value,
                doctor=doctors[u.doctor],
                nurse=u.nurse,
                rhythm_kind=u.rhythm.kind.value,
                parity=u.rhythm.parity.value if u.rhythm.parity else None,
                weekdays=format_weekdays(u.rhythm.weekdays),
                start_time=u.start_time,
                length_min=u.length_min,
                form=u.form.value,
                reviews_in_round=u.reviews_in_round,
                reviews_per_round=u.reviews_per_round,
                review_minutes=u.review_minutes,
                other_minutes=u.other_minutes,
            )
            session.add(units[u.name])
        serials: dict[date, int] = defaultdict(int)
        rooms: dict[str, int] = defaultdict(int)
        for p in problem.patients:
            number = None
            if p.birth_date is not None:
                serials[p.birth_date] += 1
                number = pnr.make(p.birth_date, 100 + 37 * serials[p.birth_date])
            rooms[p.unit] += 1
            session.add(
                m.Patient(
                    name=p.name or p.id,
                    personnummer=number,
                    unit=units[p.unit],
                    room=_room(problem.unit(p.unit).type, rooms[p.unit]),
                    admitted=p.admitted,
                    last_review=p.last_review,
                    status=p.status.value,
                    end_date=p.end_date,
                    excluded=p.excluded,
                    birth_date=p.birth_date,
                )
            )
        s = problem.settings
        write_settings(
            session,
            year,
            {
                "summer_weeks": s.summer_weeks,
                "new_patient_days": s.new_patient_days,
                "min_interval_months": s.min_interval_months,
                "max_interval_months": s.max_interval_months,
                "preparation_days": s.preparation_days,
                "time_limit_s": s.time_limit_s,
            },
        )
        report = DemoReport(
            year=year,
            health_centres=len(centres),
            doctors=len(doctors),
            absences=len(problem.absences),
            units=len(units),
            patients=len(problem.patients),
        )
        audit(session, "demo", "database", None, after=report.__dict__)
    return report


def _room(unit_type: UnitType, n: int) -> str:
    if unit_type is UnitType.HOME_CARE:
        return f"{STREETS[(n * 5) % len(STREETS)]} {n % 40 + 1}"
    return f"Rum {100 + n}"
