"""Deterministic example problems: a health centre, a municipality and a region.

Every generator takes a ``seed`` and uses its own ``random.Random(seed)``, so the same seed
gives an equal ``Problem``. The municipality follows the Lidköping plan (``docs/domain.md``):
fortnightly rounds at Bäckliden, weekly at the other homes, phone rounds every other week at
Lugnet and Björkhaga, twice a week at the short-term units, weekly per home-care area and LSS
every other week with ÅMV on separate times. The region repeats that pattern over many
municipalities.

Last year's ÅMV fall on the unit's real round dates of the previous year (or on the doctor's
ÅMV days), so the anniversary copy has something realistic to copy. One home had all its
patients reviewed within the same six weeks: the pile-up a year plan should spread out.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any  # Any: **kw passed through to the dataclasses

from solver.calendar import WorkCalendar
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
from solver.rounds import build_pools, pool_of

__all__ = ["SCENARIOS", "health_centre", "municipality", "region"]

FEMALE = (
    "Anna", "Maria", "Karin", "Kerstin", "Ingrid", "Margareta", "Birgitta", "Elisabeth", "Eva",
    "Gunnel", "Gunilla", "Britt", "Inger", "Marianne", "Ulla", "Barbro", "Elsa", "Astrid",
    "Signe", "Gerd", "Ingegerd", "Solveig", "Maj-Britt", "Sonja", "Alice", "Greta", "Dagny",
    "Linnéa", "Ebba", "Sara", "Emma", "Lena", "Ulrika", "Aina", "Majken", "Vera", "Ruth",
)
MALE = (
    "Erik", "Lars", "Karl", "Johan", "Per", "Nils", "Anders", "Gunnar", "Sven", "Olof", "Bengt",
    "Göran", "Lennart", "Rolf", "Stig", "Kjell", "Bo", "Åke", "Arne", "Ingvar", "Bertil",
    "Sture", "Gösta", "Hans", "Jan", "Leif", "Tage", "Mikael", "Oskar", "Fredrik", "Henrik",
    "Björn", "Torsten", "Einar", "Yngve",
)
SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson",
    "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren",
    "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg",
    "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk",
    "Bergman", "Gunnarsson", "Holm", "Wikström", "Samuelsson", "Isaksson", "Fransson",
    "Bergqvist", "Nyström", "Holmberg", "Arvidsson", "Löfgren", "Söderberg", "Nyberg",
    "Blomqvist", "Claesson", "Nordström", "Mårtensson", "Lundström", "Ekström", "Holmström",
    "Åberg", "Strand", "Hedlund", "Sundberg", "Sjögren", "Ahlgren", "Dahlberg", "Hellström",
)
PREFIXES = (
    "Björk", "Tall", "Ek", "Lind", "Sol", "Äng", "Sjö", "Berg", "Rosen", "Ljung", "Gran",
    "Hassel", "Lönn", "Rönn", "Asp", "Furu", "Vall", "Klöver", "Lärk", "Ås", "Dal", "Kvarn",
    "Bäck", "Lugn", "Sippe", "Al", "Mo", "Hag", "Strand", "Vik",
)
SUFFIXES = (
    "gården", "hagen", "liden", "backen", "hemmet", "dalen", "ängen", "höjden", "lunden", "bo",
)
AREAS = ("Norr", "Söder", "Öster", "Väster", "Centrum", "Nordost", "Sydväst", "Landsbygd")
TREES = ("Tallen", "Granen", "Linden", "Eken", "Björken", "Aspen", "Rönnen", "Lönnen")
REGION_MUNICIPALITIES = (
    "Lidköping", "Skövde", "Mariestad", "Falköping", "Götene", "Vara", "Grästorp", "Essunga",
    "Tidaholm", "Hjo", "Tibro", "Karlsborg", "Töreboda", "Gullspång", "Skara", "Trollhättan",
    "Vänersborg", "Uddevalla", "Alingsås", "Borås", "Ulricehamn", "Herrljunga", "Vårgårda",
    "Lerum", "Mark",
)
ABSENCE_REASONS = ("Semester", "Kurs", "Föräldraledighet", "Tjänstledighet", "Studieresa")


@dataclass(frozen=True)
class _Spec:
    """A unit and how many ordinary patients (reviewed last year) it has."""

    unit: Unit
    patients: int
    six_weeks: bool = False  # all patients reviewed within the same six weeks last year


@dataclass(frozen=True)
class _Extras:
    """Patients beyond the ordinary ones, spread over the units that have annual planning."""

    admissions: int = 0  # admitted during the plan year, never reviewed
    new_last_year: int = 0  # admitted late last year, never reviewed
    overdue: int = 0  # last ÅMV two years ago
    excluded: int = 0  # växelvård
    ended: int = 0  # discharged or deceased last year


def _weekly(day: int) -> Rhythm:
    return Rhythm(RhythmKind.WEEKLY, (day,))


def _fortnightly(day: int, parity: WeekParity) -> Rhythm:
    return Rhythm(RhythmKind.FORTNIGHTLY, (day,), parity)


def _twice(first: int, second: int) -> Rhythm:
    return Rhythm(RhythmKind.TWICE_WEEKLY, (first, second))


class _People:
    """Unique Swedish names and birth dates."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def name(self) -> str:
        rng = self.rng
        while True:
            names = FEMALE if rng.random() < 0.62 else MALE
            first = rng.choice(names)
            if rng.random() < 0.3:  # a second given name, as many of the elderly have
                first = f"{first} {rng.choice(names)}"
            name = f"{first} {rng.choice(SURNAMES)}"
            if name not in self.used:
                self.used.add(name)
                return name

    def birth_date(self, year: int, low: int, high: int) -> date:
        born = year - self.rng.randint(low, high)
        return date(born, 1, 1) + timedelta(days=self.rng.randrange(365))


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _populate(
    rng: random.Random,
    year: int,
    doctors: Sequence[Doctor],
    specs: Sequence[_Spec],
    absences: Sequence[Absence],
    extras: _Extras,
    people: _People,
) -> list[Patient]:
    """The patients of ``specs``: ordinary ones reviewed last year on real round dates, short
    stays, then the extras (admissions, new, overdue, excluded, ended)."""
    units = tuple(s.unit for s in specs)
    prev_settings = Settings(year=year - 1)
    prev_pools = build_pools(
        Problem(prev_settings, tuple(doctors), units, ()), WorkCalendar(prev_settings)
    )
    settings = Settings(year=year)
    pools = build_pools(
        Problem(settings, tuple(doctors), units, (), tuple(absences)),
        WorkCalendar(settings, absences),
    )
    patients: list[Patient] = []
    prev_used: Counter[tuple[tuple[str, str], date]] = Counter()

    def add(unit: Unit, **kw: Any) -> None:
        low, high = (20, 70) if unit.type is UnitType.LSS else (65, 100)
        patients.append(
            Patient(
                id=f"p{len(patients) + 1:04d}",
                unit=unit.name,
                name=people.name(),
                birth_date=people.birth_date(year, low, high),
                **kw,
            )
        )

    def last_year_dates(unit: Unit) -> list[date]:
        # none in the first weeks of last year: their deadlines would fall in the holidays
        # around New Year and Epiphany, before the first round of the plan year
        start = date(year - 1, 1, 25)
        return sorted(d for d in prev_pools[pool_of(unit)].capacity if d >= start)

    for spec in specs:
        unit = spec.unit
        if not unit.has_annual_reviews:
            for _ in range(spec.patients):
                admitted = date(year - 1, 12, 31) - timedelta(days=rng.randint(0, 40))
                add(unit, admitted=admitted)
            continue
        dates = last_year_dates(unit)
        if spec.six_weeks:
            start = date.fromisocalendar(year - 1, rng.randint(9, 14), 1)
            dates = [d for d in dates if start <= d < start + timedelta(weeks=6)]
        key = pool_of(unit)
        capacity = prev_pools[key].capacity
        for _ in range(spec.patients):
            # last year's plan kept the round capacity (except in the six-week home)
            free = dates if spec.six_weeks else [
                d for d in dates if prev_used[key, d] < capacity[d]
            ]
            last = rng.choice(free or dates)
            prev_used[key, last] += 1
            add(unit, admitted=last - timedelta(days=rng.randint(7, 2500)), last_review=last)

    eligible = [s.unit for s in specs if s.unit.has_annual_reviews and not s.six_weeks]
    weekly_like = [
        u for u in eligible
        if u.rhythm.kind is RhythmKind.WEEKLY or not u.reviews_at_rounds
    ] or eligible
    window = settings.new_patient_days
    for _ in range(extras.admissions):
        unit = rng.choice(eligible)
        capacity = pools[pool_of(unit)].capacity
        for _attempt in range(100):
            admitted = _random_day(rng, date(year, 1, 11), date(year, 11, 30))
            free = [d for d in capacity if admitted <= d <= admitted + timedelta(days=window)]
            if len(free) >= 2:
                break
        add(unit, admitted=admitted)
    for _ in range(extras.new_last_year):
        unit = rng.choice(weekly_like)
        add(unit, admitted=_random_day(rng, date(year - 1, 9, 1), date(year - 1, 11, 20)))
    for _ in range(extras.overdue):
        unit = rng.choice(weekly_like)
        last = _random_day(rng, date(year - 2, 9, 1), date(year - 2, 12, 15))
        while last.weekday() >= 5:
            last -= timedelta(days=1)
        add(unit, admitted=last - timedelta(days=rng.randint(7, 1500)), last_review=last)
    for _ in range(extras.excluded):
        unit = rng.choice(eligible)
        last = rng.choice(last_year_dates(unit))
        add(unit, admitted=last - timedelta(days=rng.randint(7, 1500)), last_review=last,
            excluded="växelvård")
    for _ in range(extras.ended):
        unit = rng.choice(eligible)
        end = _random_day(rng, date(year - 1, 2, 1), date(year - 1, 12, 20))
        status = PatientStatus.DECEASED if rng.random() < 0.7 else PatientStatus.DISCHARGED
        last = end - timedelta(days=rng.randint(30, 330))
        add(unit, admitted=last - timedelta(days=rng.randint(7, 1500)), last_review=last,
            status=status, end_date=end)
    return patients


def health_centre(year: int = 2027, seed: int = 1) -> Problem:
    """One doctor, two weekly homes, one fortnightly home and a home-care area (~120)."""
    rng = random.Random(seed)
    people = _People(rng)
    doctor = Doctor("Karin Lindqvist", "Vårdcentralen Ågården", (3,), 2)
    specs = [
        _Spec(Unit("Solgården", UnitType.NURSING_HOME, doctor.name, _weekly(1), time(9, 0),
                   120, reviews_per_round=2, nurse="Eva Holm"), 34),
        _Spec(Unit("Rosengården", UnitType.NURSING_HOME, doctor.name, _weekly(3), time(9, 0),
                   120, reviews_per_round=2, nurse="Lena Berg"), 30),
        _Spec(Unit("Bäckliden", UnitType.NURSING_HOME, doctor.name,
                   _fortnightly(0, WeekParity.ODD), time(13, 0), 150, reviews_per_round=3,
                   nurse="Sara Lund"), 26),
        _Spec(Unit("Hemvårdsområde Norr", UnitType.HOME_CARE, doctor.name, _weekly(4),
                   time(9, 0), 120, reviews_per_round=2, nurse="Ulrika Strand"), 22),
    ]
    absences = (
        Absence(doctor.name, date(year, 3, 8), date(year, 3, 19), "Kurs", "Johan Nyberg"),
    )
    extras = _Extras(admissions=4, new_last_year=1, overdue=1, excluded=1, ended=2)
    patients = _populate(rng, year, (doctor,), specs, absences, extras, people)
    return Problem(
        settings=Settings(year=year),
        doctors=(doctor,),
        units=tuple(s.unit for s in specs),
        patients=tuple(patients),
        absences=absences,
    )


def municipality(year: int = 2027, seed: int = 7) -> Problem:
    """Six doctors at two health centres, 17 units of all four types (~460 patients)."""
    rng = random.Random(seed)
    people = _People(rng)
    vc_a, vc_b = "Vårdcentralen Ågården", "Vårdcentralen Stenporten"
    anna = Doctor("Anna Lindqvist", vc_a, (3,), 3)
    erik = Doctor("Erik Sandberg", vc_a, (1,), 3)
    karin = Doctor("Karin Holmström", vc_a, (4,), 2)
    lars = Doctor("Lars Bergqvist", vc_b, (2,), 2)
    maria = Doctor("Maria Ekström", vc_b, (0,), 2)
    johan = Doctor("Johan Nyberg", vc_b, (3,), 2)
    doctors = (anna, erik, karin, lars, maria, johan)
    odd, even = WeekParity.ODD, WeekParity.EVEN
    nh, st, hc, lss = (UnitType.NURSING_HOME, UnitType.SHORT_TERM, UnitType.HOME_CARE,
                       UnitType.LSS)
    phone = RoundForm.PHONE

    def unit(name: str, kind: UnitType, doc: Doctor, rhythm: Rhythm, start: time,
             length: int, per_round: int = 1, **kw: Any) -> Unit:
        return Unit(name, kind, doc.name, rhythm, start, length, reviews_per_round=per_round,
                    nurse=people.name(), **kw)

    specs = [
        # Anna Lindqvist
        _Spec(unit("Bäckliden", nh, anna, _fortnightly(1, odd), time(9, 0), 180, 3), 32),
        _Spec(unit("Lugnet", nh, anna, _fortnightly(2, even), time(13, 0), 45, 0,
                   form=phone), 24),
        _Spec(unit("Korttidsboendet Ekbacken", st, anna, _twice(0, 3), time(8, 0), 60), 12),
        # Erik Sandberg
        _Spec(unit("Björkhaga", nh, erik, _fortnightly(3, odd), time(13, 0), 45, 0,
                   form=phone), 26),
        _Spec(unit("Solgården", nh, erik, _weekly(2), time(9, 0), 120, 2), 34),
        _Spec(unit("Hemvårdsområde Norr", hc, erik, _weekly(4), time(9, 0), 120, 2), 24),
        # Karin Holmström
        _Spec(unit("Rosengården", nh, karin, _weekly(0), time(9, 0), 120, 2), 32),
        _Spec(unit("Hemvårdsområde Centrum", hc, karin, _weekly(2), time(13, 0), 120, 2), 28),
        _Spec(unit("Gruppbostaden Tallen", lss, karin, _fortnightly(1, even), time(14, 0), 60,
                   reviews_in_round=False), 6),
        # Lars Bergqvist
        _Spec(unit("Vallmon", nh, lars, _fortnightly(3, even), time(9, 0), 150, 3), 26),
        _Spec(unit("Lindgården", nh, lars, _weekly(1), time(9, 0), 120, 2), 30),
        _Spec(unit("Hemvårdsområde Söder", hc, lars, _weekly(0), time(13, 0), 120, 2), 24),
        # Maria Ekström
        _Spec(unit("Ängsgården", nh, maria, _weekly(1), time(9, 0), 150, 3), 24,
              six_weeks=True),
        _Spec(unit("Korttidsboendet Sjöstugan", st, maria, _twice(1, 4), time(8, 0), 60), 10),
        _Spec(unit("Hemvårdsområde Väster", hc, maria, _weekly(3), time(9, 0), 120, 2), 26),
        _Spec(unit("Gruppbostaden Granen", lss, maria, _fortnightly(2, odd), time(14, 0), 60,
                   reviews_in_round=False), 7),
        # Johan Nyberg
        _Spec(unit("Furuhem", nh, johan, _weekly(2), time(9, 0), 120, 2), 32),
        _Spec(unit("Hemvårdsområde Öster", hc, johan, _weekly(1), time(13, 0), 120, 2), 22),
        _Spec(unit("Gruppbostaden Linden", lss, johan, _fortnightly(0, odd), time(14, 0), 60,
                   reviews_in_round=False), 5),
    ]
    absences = (
        Absence(anna.name, date(year, 3, 15), date(year, 3, 26), "Semester", "Per Åkesson"),
        Absence(karin.name, date(year, 2, 22), date(year, 3, 5), "Semester (sportlov)",
                "Lars Bergqvist"),
        Absence(lars.name, date(year, 5, 3), date(year, 5, 21), "Föräldraledighet",
                "Helena Strand"),
        Absence(erik.name, date(year, 10, 4), date(year, 10, 22), "Kurs", "Anna Lindqvist"),
        Absence(maria.name, date(year, 11, 8), date(year, 11, 26), "Semester", "Johan Nyberg"),
    )
    extras = _Extras(admissions=14, new_last_year=4, overdue=3, excluded=5, ended=9)
    patients = _populate(rng, year, doctors, specs, absences, extras, people)
    return Problem(
        settings=Settings(year=year),
        doctors=doctors,
        units=tuple(s.unit for s in specs),
        patients=tuple(patients),
        absences=absences,
    )


def _per_round(rhythm: Rhythm, patients: int) -> int:
    """ÅMV per round that comfortably covers ``patients`` a year (about twice the need)."""
    if rhythm.kind is RhythmKind.FORTNIGHTLY:
        return max(2, math.ceil(patients / 9))
    return max(1, math.ceil(patients / 18))


def _district(
    rng: random.Random,
    people: _People,
    municipality_name: str,
    n_doctors: int,
    doctor_names: list[str],
    year: int,
) -> tuple[list[Doctor], list[_Spec], list[Absence]]:
    """Doctors, units and absences of one municipality of the region (the Lidköping
    pattern): per doctor a home-care area, one or two homes, often an LSS group home."""
    centres = [f"Vårdcentralen {municipality_name} {side}" for side in ("Norra", "Södra")]
    bases = [p + s for p in PREFIXES for s in SUFFIXES]
    rng.shuffle(bases)
    areas = list(AREAS)
    rng.shuffle(areas)
    trees = list(TREES)
    rng.shuffle(trees)
    doctors: list[Doctor] = []
    specs: list[_Spec] = []
    absences: list[Absence] = []
    parities = list(WeekParity)
    six_week_done = False
    for i in range(n_doctors):
        name = doctor_names.pop()
        units: list[tuple[Unit, float, bool]] = []  # unit, weight in the patient split, six

        def place(prefix: str = "") -> str:
            return f"{prefix}{bases.pop()}, {municipality_name}"

        area = areas.pop() if areas else f"Område {i + 1}"
        units.append((Unit(f"Hemvårdsområde {area}, {municipality_name}", UnitType.HOME_CARE,
                           name, _weekly(rng.randrange(5)), time(13, 0), 120), 0.8, False))
        for k in range(1 + (rng.random() < 0.6)):
            if k == 0 and i < 2:  # two homes with phone rounds every other week
                rhythm = _fortnightly(rng.randrange(5), parities[i])
                units.append((Unit(place(), UnitType.NURSING_HOME, name, rhythm, time(13, 0),
                                   45, form=RoundForm.PHONE, reviews_per_round=0), 1.0, False))
                continue
            if rng.random() < 0.3:
                rhythm = _fortnightly(rng.randrange(5), rng.choice(parities))
            else:
                rhythm = _weekly(rng.randrange(5))
            six = not six_week_done and rhythm.kind is RhythmKind.WEEKLY
            six_week_done = six_week_done or six
            units.append((Unit(place(), UnitType.NURSING_HOME, name, rhythm, time(9, 0), 150),
                          1.0, six))
        if rng.random() < 0.5 or len(units) < 3:
            tree = trees.pop() if trees else bases.pop()
            rhythm = _fortnightly(rng.randrange(5), rng.choice(parities))
            units.append((Unit(f"Gruppbostaden {tree}, {municipality_name}", UnitType.LSS,
                               name, rhythm, time(14, 0), 60, reviews_in_round=False),
                          0.2, False))
        if i in (0, 3) and len(units) < 5:
            units.append((Unit(place("Korttidsboendet "), UnitType.SHORT_TERM, name,
                               _twice(0, 3), time(8, 0), 60), 0.0, False))
        # about 90 patients per doctor: homes weigh 1, home care 0.8, LSS 0.2
        total_weight = sum(weight for _, weight, _ in units)
        target = rng.randint(78, 92)
        r6_patients = 0
        for unit, weight, six in units:
            if not unit.has_annual_reviews:
                n = rng.randint(8, 12)
            else:
                n = max(4, round(target * weight / total_weight))
            if six:
                n = min(n, 26)
            per_round = unit.reviews_per_round
            if unit.reviews_at_rounds and unit.has_annual_reviews:
                per_round = _per_round(unit.rhythm, n) + (1 if six else 0)
            elif unit.has_annual_reviews:
                r6_patients += n
            unit = replace(unit, reviews_per_round=per_round, nurse=people.name())
            specs.append(_Spec(unit, n, six))
        doctors.append(Doctor(name, centres[i % 2], (rng.randrange(5),),
                              max(2, math.ceil(r6_patients / 18))))
        if rng.random() < 0.6:
            start = date.fromisocalendar(year, rng.choice([*range(6, 24), *range(34, 49)]), 1)
            weeks = rng.randint(1, 3)
            substitutes = doctor_names[-3:] or [f"Vikarie {municipality_name}"]
            absences.append(Absence(name, start, start + timedelta(weeks=weeks, days=-3),
                                    rng.choice(ABSENCE_REASONS), rng.choice(substitutes)))
    return doctors, specs, absences


def region(year: int = 2027, seed: int = 11) -> Problem:
    """About 110 doctors and 10,000 patients: the municipality pattern over 22
    municipalities (≈ 90 patients per doctor, 3–5 units per doctor)."""
    rng = random.Random(seed)
    people = _People(rng)
    doctor_names: list[str] = []
    seen: set[str] = set()
    while len(doctor_names) < 130:
        name = f"{rng.choice(FEMALE + MALE)} {rng.choice(SURNAMES)}"
        if name not in seen:
            seen.add(name)
            doctor_names.append(name)
    doctors: list[Doctor] = []
    specs: list[_Spec] = []
    absences: list[Absence] = []
    for muni in REGION_MUNICIPALITIES[:22]:
        d, s, a = _district(rng, people, muni, 5, doctor_names, year)
        doctors += d
        specs += s
        absences += a
    n = len(doctors)
    extras = _Extras(admissions=3 * n, new_last_year=n // 2, overdue=n // 3, excluded=n // 2,
                     ended=n)
    patients = _populate(rng, year, doctors, specs, absences, extras, people)
    return Problem(
        settings=Settings(year=year),
        doctors=tuple(doctors),
        units=tuple(s.unit for s in specs),
        patients=tuple(patients),
        absences=tuple(absences),
    )


SCENARIOS: dict[str, Callable[..., Problem]] = {
    "health_centre": health_centre,
    "municipality": municipality,
    "region": region,
}
