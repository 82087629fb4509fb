"""Members of the random family with the shapes of real municipalities the planner had not
seen (issue 22, point 12), for the benchmark and the exactness tests.

``shaped_municipality(seed)`` takes ``benchmarks.family.random_municipality(seed)`` and adds,
from its own ``random.Random``:

- **over-full units**: one or two units with ÅMV in the round get 1.5–3 times as many
  patients as the unit has places in the rest of the year (far more patients than round
  dates); in a small member (``size`` < 0.5) such a unit has a fortnightly round with one ÅMV
  and 2–4 patients more than places, so that the exact model can still prove its optimum;
- **planned discharges**: about one patient in ten ends later in the year (a discharge or a
  move with an end date after the planning date), some before their window opens;
- **absences at the start of the year**: some doctors are away from the first day (of the
  year or of the planning date) for one to seven weeks, without a substitute;
- **a last ÅMV just after today**: half of the members are planned from a date in spring, and
  some patients have a last ÅMV a few days after it (a held ÅMV recorded ahead); the others
  are planned from 1 January with last ÅMV in the last weeks of the year before.

Nothing is tuned to the planner: the shapes are drawn, not picked.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from benchmarks.family import random_municipality
from solver.problem import (
    Absence,
    Patient,
    PatientStatus,
    Problem,
    Rhythm,
    RhythmKind,
    Settings,
    WeekParity,
)

__all__ = ["shaped_municipality"]

ROUNDS_PER_YEAR = {RhythmKind.WEEKLY: 40, RhythmKind.FORTNIGHTLY: 20,
                   RhythmKind.TWICE_WEEKLY: 80}


def _weekday_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def shaped_municipality(seed: int, year: int = 2027, size: float = 1.0) -> Problem:
    """One member of the shaped family (see the module docstring)."""
    base = random_municipality(seed, year, size)
    rng = random.Random(f"shapes-{seed}")
    plan_from = rng.choice((None, date(year, 3, 1), date(year, 4, 12)))
    first = plan_from or date(year, 1, 1)
    patients = list(base.patients)
    units = list(base.units)
    # over-full units: far more patients than places in the rest of the year
    in_round = [i for i, u in enumerate(units) if u.has_annual_reviews and u.reviews_at_rounds]
    left = (date(year, 12, 31) - first).days / 365
    for i in rng.sample(in_round, min(len(in_round), rng.randint(1, 2))):
        unit = units[i]
        if size < 0.5:
            unit = units[i] = replace(unit, rhythm=Rhythm(RhythmKind.FORTNIGHTLY,
                                                          unit.rhythm.weekdays[:1],
                                                          WeekParity.ODD),
                                      reviews_per_round=1)
        places = round(ROUNDS_PER_YEAR[unit.rhythm.kind] * unit.reviews_per_round * left)
        have = sum(p.unit == unit.name for p in patients)
        # a small member: a few more than the places (the exact model must prove it)
        want = places + rng.randint(2, 4) if size < 0.5 else round(
            places * rng.uniform(1.5, 3.0))
        for _ in range(max(0, want - have)):
            pid = f"p{len(patients) + 1:04d}"
            last = _weekday_after(date(year - 1, 1, 1) + timedelta(days=rng.randint(0, 350)))
            patients.append(Patient(pid, unit.name, last - timedelta(days=rng.randint(30, 900)),
                                    last, name=f"Patient {pid}"))
    # planned discharges and moves: an end date later in the year
    for i, p in enumerate(patients):
        if p.end_date is None and not p.excluded and rng.random() < 0.1:
            end = first + timedelta(days=rng.randint(10, max(11, (date(year, 12, 20)
                                                                 - first).days)))
            status = rng.choice((PatientStatus.ACTIVE, PatientStatus.DISCHARGED))
            patients[i] = replace(p, status=status, end_date=end)
    # a last ÅMV just after today: the planning date, or early December the year before
    today = plan_from or date(year - 1, 12, 4)
    for i, p in enumerate(patients):
        if p.end_date is None and p.last_review is not None and rng.random() < 0.05:
            last = _weekday_after(today + timedelta(days=rng.randint(1, 20)))
            patients[i] = replace(p, last_review=last, admitted=min(p.admitted, last))
    # absences from the first day, no substitute
    absences = list(base.absences)
    for doctor in base.doctors:
        if rng.random() < 0.5:
            days = rng.randint(7, 49)
            absences.append(Absence(doctor.name, first, first + timedelta(days=days - 1),
                                    "Föräldraledighet"))
    settings: Settings = replace(base.settings, plan_from=plan_from)
    return replace(base, settings=settings, units=tuple(units), patients=tuple(patients),
                   absences=tuple(absences))
