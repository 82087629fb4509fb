"""A seeded family of random municipalities of varied shape, for the benchmark and tests.

``random_municipality(seed)`` draws, from its own ``random.Random(seed)``: 2–8 doctors, 5–25
units of every type and rhythm (weekly, odd/even fortnightly, twice a week, phone rounds,
LSS and phone units on the doctor's ÅMV days), 1–3 ÅMV per round, tight or loose capacity,
doctor absences of days to months (some with a substitute who holds the ÅMV), 0–30 % already
overdue patients, admissions all through the year, patients admitted late last year, excluded
and ended patients. Nothing is tuned to the planner: the shapes are drawn, not picked.
``size`` scales the number of patients (about 450 at 1.0).

``random_region(seed)`` joins ``parts`` (default 22) members of the family, each drawn from
its own seed, into one region of about 110 doctors and 10,000 patients: every doctor keeps a
shape of its own, unlike the named ``region`` scenario whose doctors are alike.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, time, timedelta

from solver.problem import (
    Absence,
    Doctor,
    Patient,
    PatientStatus,
    Problem,
    Rhythm,
    RhythmKind,
    RoundForm,
    Settings,
    Unit,
    UnitType,
    WeekParity,
)

__all__ = ["family", "random_municipality", "random_region"]

FIRST = ("Anna", "Erik", "Karin", "Lars", "Maria", "Johan", "Sara", "Per", "Eva", "Nils",
         "Lena", "Olof", "Ingrid", "Gustav", "Elin", "Hans")
LAST = ("Berg", "Lind", "Holm", "Ek", "Strand", "Nyberg", "Sandberg", "Åberg", "Wallin",
        "Falk", "Dahl", "Sjöberg")
PLACES = ("Björk", "Tall", "Ek", "Lind", "Sol", "Äng", "Sjö", "Rosen", "Ljung", "Gran",
          "Hassel", "Lönn", "Rönn", "Asp", "Furu", "Vall", "Klöver", "Lärk", "Dal", "Kvarn",
          "Bäck", "Lugn", "Al", "Mo", "Hag", "Vik")
ENDS = ("gården", "hagen", "liden", "backen", "hemmet", "dalen", "ängen", "lunden")


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _weekday_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _rhythm(rng: random.Random) -> Rhythm:
    kind = rng.choices(list(RhythmKind), weights=(5, 3, 1))[0]
    if kind is RhythmKind.TWICE_WEEKLY:
        first = rng.randrange(3)
        return Rhythm(kind, (first, first + rng.randint(2, 4 - first)))
    parity = rng.choice(list(WeekParity)) if kind is RhythmKind.FORTNIGHTLY else None
    return Rhythm(kind, (rng.randrange(5),), parity)


def _rounds_per_year(rhythm: Rhythm) -> int:
    return {RhythmKind.WEEKLY: 40, RhythmKind.FORTNIGHTLY: 20,
            RhythmKind.TWICE_WEEKLY: 80}[rhythm.kind]


def _units(rng: random.Random, doctors: list[Doctor], n_units: int) -> list[Unit]:
    names = [p + e for p in PLACES for e in ENDS]
    rng.shuffle(names)
    units = []
    for i in range(n_units):
        doctor = doctors[i] if i < len(doctors) else rng.choice(doctors)
        kind = rng.choices(list(UnitType), weights=(10, 1, 5, 2))[0]
        rhythm = _rhythm(rng)
        form = RoundForm.PHONE if kind is UnitType.NURSING_HOME and rng.random() < 0.15 \
            else RoundForm.PHYSICAL
        in_round = False if kind is UnitType.LSS else None
        prefix = {UnitType.LSS: "Gruppbostaden ", UnitType.SHORT_TERM: "Korttidsboendet ",
                  UnitType.HOME_CARE: "Hemvårdsområde "}.get(kind, "")
        units.append(Unit(f"{prefix}{names[i]}", kind, doctor.name, rhythm, time(9, 0), 120,
                          form=form, reviews_in_round=in_round,
                          reviews_per_round=rng.randint(1, 3)))
    return units


def _absences(rng: random.Random, doctors: list[Doctor], year: int) -> list[Absence]:
    out = []
    for doctor in doctors:
        for _ in range(rng.choices((0, 1, 2), weights=(3, 4, 2))[0]):
            days = rng.choice((rng.randint(1, 10), rng.randint(14, 40), rng.randint(45, 120)))
            start = _day(rng, date(year, 1, 1), date(year, 12, 1))
            by_sub = rng.random() < 0.2
            out.append(Absence(doctor.name, start, start + timedelta(days=days - 1),
                               rng.choice(("Semester", "Kurs", "Föräldraledighet")),
                               substitute="Vikarie" if by_sub or rng.random() < 0.5 else "",
                               reviews_by_substitute=by_sub))
    return out


def random_municipality(seed: int, year: int = 2027, size: float = 1.0) -> Problem:
    """One random municipality of the family (see the module docstring)."""
    rng = random.Random(seed)
    n_doctors = rng.randint(2, 8)
    n_units = rng.randint(max(5, n_doctors), 25)
    used: set[str] = set()
    doctors: list[Doctor] = []
    while len(doctors) < n_doctors:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in used:
            continue
        used.add(name)
        days = tuple(sorted(rng.sample(range(5), rng.randint(1, 2))))
        doctors.append(Doctor(name, f"VC {1 + len(doctors) % 2}", days, rng.randint(1, 3)))
    units = _units(rng, doctors, n_units)
    absences = _absences(rng, doctors, year)
    tight = rng.random() < 0.4  # tight: near the capacity; loose: well below it
    overdue_share = rng.uniform(0.0, 0.3)
    target = max(8, round(rng.randint(380, 520) * size))
    weights = []
    for unit in units:
        if not unit.has_annual_reviews:
            weights.append(0.05)
        elif unit.reviews_at_rounds:
            weights.append(_rounds_per_year(unit.rhythm) * unit.reviews_per_round)
        else:
            weights.append(12.0)
    scale = target / sum(weights)
    patients: list[Patient] = []
    first, prev = date(year, 1, 1), date(year - 1, 1, 1)
    for unit, weight in zip(units, weights, strict=True):
        load = rng.uniform(0.7, 1.05) if tight else rng.uniform(0.3, 0.7)
        n = max(1, round(weight * scale * load / (0.9 if tight else 0.5)))
        for _ in range(n):
            pid = f"p{len(patients) + 1:04d}"
            r = rng.random()
            admitted = _day(rng, date(year - 8, 1, 1), date(year - 1, 6, 1))
            last: date | None = None
            if r < overdue_share:  # overdue: reviewed long ago, or never since admission
                if rng.random() < 0.7:
                    last = _weekday_before(_day(rng, date(year - 3, 1, 1),
                                                date(year - 1, 1, 1) - timedelta(days=20)))
                    admitted = min(admitted, last - timedelta(days=30))
            elif r < overdue_share + 0.08:  # admitted during the plan year
                admitted = _day(rng, first, date(year, 12, 10))
            elif r < overdue_share + 0.11:  # admitted late last year, never reviewed
                admitted = _day(rng, date(year - 1, 11, 20), date(year - 1, 12, 31))
            else:
                last = _weekday_before(_day(rng, prev + timedelta(days=10),
                                            date(year - 1, 12, 20)))
                admitted = min(admitted, last - timedelta(days=7))
            status, end, excluded = PatientStatus.ACTIVE, None, ""
            if rng.random() < 0.03:
                excluded = "växelvård"
            elif rng.random() < 0.04:
                status = rng.choice((PatientStatus.DECEASED, PatientStatus.DISCHARGED))
                start = max(admitted, first) + timedelta(days=20)
                end = _day(rng, start, max(start, date(year, 12, 1)))
            patients.append(Patient(pid, unit.name, admitted, last, status, end, excluded,
                                    name=f"Patient {pid}"))
    return Problem(Settings(year=year), tuple(doctors), tuple(units), tuple(patients),
                   tuple(absences))


def family(count: int, first_seed: int = 1, size: float = 1.0) -> list[tuple[str, Problem]]:
    """``count`` members of the family, named ``random-<seed>``."""
    return [(f"random-{seed}", random_municipality(seed, size=size))
            for seed in range(first_seed, first_seed + count)]


def random_region(seed: int, parts: int = 22, year: int = 2027) -> Problem:
    """``parts`` random municipalities (seeds ``seed * 1000 + i``) joined into one region;
    names get the prefix ``K<i> `` so that they stay unique."""
    doctors: list[Doctor] = []
    units: list[Unit] = []
    patients: list[Patient] = []
    absences: list[Absence] = []
    for i in range(parts):
        part = random_municipality(seed * 1000 + i, year)
        tag = f"K{i + 1} "
        doctors += [replace(d, name=tag + d.name) for d in part.doctors]
        units += [replace(u, name=tag + u.name, doctor=tag + u.doctor) for u in part.units]
        patients += [replace(p, id=f"k{i + 1}-{p.id}", unit=tag + p.unit) for p in part.patients]
        absences += [replace(a, doctor=tag + a.doctor,
                             substitute=tag + a.substitute if a.substitute else "")
                     for a in part.absences]
    return Problem(Settings(year=year), tuple(doctors), tuple(units), tuple(patients),
                   tuple(absences))


def timed_municipality(seed: int, year: int = 2027, size: float = 1.0) -> Problem:
    """The family member of ``seed`` with short rounds (R5b): each unit's length, minutes
    per ÅMV and "Övrig tid" drawn (from a generator of their own, so the member's other
    data are :func:`random_municipality`'s) and "ÅMV per rond" raised by 2, so that the
    round's time, not the count, often sets a round date's capacity."""
    problem = random_municipality(seed, year, size)
    rng = random.Random(f"time-{seed}")
    units = tuple(replace(u, length_min=rng.choice((45, 60, 90, 120)),
                          review_minutes=rng.choice((20, 30, 45)),
                          other_minutes=rng.choice((0, 0, 15, 30)),
                          reviews_per_round=u.reviews_per_round + 2) for u in problem.units)
    return replace(problem, units=units)
