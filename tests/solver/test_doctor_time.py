"""Doctor time against the agreement (issue 18 point 4, solver.doctor_time): the figure of a
generated municipality equals its round and separate-ÅMV minutes per week counted by hand
from the printed round schedule; the flag follows the floor."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from benchmarks.family import random_municipality
from solver.doctor_time import WEEKS_PER_YEAR, active_on, doctor_time, patient_doctor
from solver.problem import PatientStatus, Problem, VisitStatus
from solver.result import Appointment
from solver.rounds import round_dates


def reviews_on_separate_times(problem: Problem) -> list[Appointment]:
    """One ÅMV in March for every active patient (the status cycling through all five)."""
    statuses = list(VisitStatus)
    out = []
    for i, p in enumerate(problem.patients):
        unit = problem.unit(p.unit)
        out.append(Appointment(p.id, unit.name, unit.doctor, date(problem.year, 3, 10),
                               date(problem.year, 2, 24), statuses[i % len(statuses)]))
    return out


def hand_minutes(problem: Problem, reviews: list[Appointment]) -> Counter[str]:
    """Per unit: each round of the schedule that is held (not cancelled, the doctor there or
    a substitute named) with its length, and each held ÅMV of a unit without ÅMV in the round
    with the unit's minutes per ÅMV."""
    minutes: Counter[str] = Counter()
    for rd in round_dates(problem):
        away_alone = any(a.doctor == rd.doctor and a.covers(rd.date) and not a.substitute
                         for a in problem.absences)
        if not rd.cancelled and not away_alone:
            minutes[rd.unit] += rd.length_min
    for a in reviews:
        unit = problem.unit(a.unit)
        if not unit.reviews_at_rounds and a.status not in (VisitStatus.DECLINED,
                                                           VisitStatus.CANCELLED):
            minutes[a.unit] += unit.review_minutes
    return minutes


@pytest.mark.parametrize("seed", [1, 7, 23])
def test_a_generated_municipality_equals_the_hand_count(seed):
    problem = random_municipality(seed)
    reviews = reviews_on_separate_times(problem)
    table = doctor_time(problem, reviews)
    minutes = hand_minutes(problem, reviews)
    first = problem.settings.first_day
    active = Counter(p.unit for p in problem.patients if p.admitted <= first and (
        p.end_date > first if p.end_date else p.status is PatientStatus.ACTIVE))
    assert sum(active.values()) < len(problem.patients)  # some ended or admitted later
    assert set(table.units) == {u.name for u in problem.units}
    for unit in problem.units:
        hours = minutes[unit.name] / 60 / WEEKS_PER_YEAR
        t = table.units[unit.name]
        assert t.hours_per_week == pytest.approx(hours)
        assert t.patients == active[unit.name]
        if active[unit.name]:
            assert t.per_10 == pytest.approx(hours / active[unit.name] * 10)
            assert t.below_floor == (t.per_10 < 1.0)
        else:
            assert t.per_10 is None and not t.below_floor
    # per doctor: the sums over the doctor's units
    for doctor, t in table.doctors.items():
        units = [u.name for u in problem.units if u.doctor == doctor]
        assert t.hours_per_week == pytest.approx(sum(minutes[u] for u in units) / 60 / 52)
        assert t.patients == sum(active[u] for u in units)
    # some unit has ÅMV on separate times in this family, and they count
    separate = [u for u in problem.units if not u.reviews_at_rounds and active[u.name]]
    assert separate
    without = doctor_time(problem, ())
    assert any(table.units[u.name].hours_per_week > without.units[u.name].hours_per_week
               for u in separate)


def test_rounds_count_held_dates_only():
    problem = random_municipality(3)
    unit = problem.units[0]
    held = [rd for rd in round_dates(problem) if rd.unit == unit.name and not rd.cancelled]
    away = {a for a in problem.absences if a.doctor == unit.doctor}
    extra = next(d for d in (date(problem.year, 10, 1 + i) for i in range(28))
                 if d.weekday() < 5 and d not in {rd.date for rd in held}
                 and not any(a.covers(d) for a in away))
    cancelled = replace(unit, cancelled_dates=(held[0].date, held[1].date))
    added = replace(unit, extra_dates=(extra,))
    base = doctor_time(problem, ()).units[unit.name].hours_per_week

    def hours(changed):  # type: ignore[no-untyped-def]
        p = replace(problem, units=(changed, *problem.units[1:]))
        return doctor_time(p, ()).units[unit.name].hours_per_week

    assert hours(cancelled) == pytest.approx(base - 2 * unit.length_min / 60 / 52)
    assert hours(added) == pytest.approx(base + unit.length_min / 60 / 52)


def test_the_floor_setting_changes_the_flag():
    problem = random_municipality(3)
    table = doctor_time(problem, ())
    name, t = next((n, t) for n, t in table.units.items() if t.per_10 and t.per_10 > 1.0)
    assert not t.below_floor  # over the default floor: not flagged
    higher = replace(problem, settings=replace(problem.settings,
                                               doctor_hours_per_10=t.per_10 + 0.5))
    flagged = doctor_time(higher, ())
    assert flagged.floor == t.per_10 + 0.5
    assert flagged.units[name].below_floor  # the same unit under a higher floor: flagged


def test_a_patient_counts_for_the_doctor_patient_doctor_names():
    problem = random_municipality(3)
    p = next(p for p in problem.patients if p.status is PatientStatus.ACTIVE)
    assert patient_doctor(problem, p) == problem.unit(p.unit).doctor
    table = doctor_time(problem, ())
    active = Counter(patient_doctor(problem, p) for p in problem.patients
                     if active_on(p, problem.settings.first_day))
    assert {d: t.patients for d, t in table.doctors.items() if t.patients} == dict(active)


def test_patients_count_when_active_on_the_day():
    problem = random_municipality(3)
    p = next(p for p in problem.patients if p.status is PatientStatus.ACTIVE)
    day = p.admitted
    assert active_on(p, day)  # admitted that day, no end: counted
    assert not active_on(replace(p, admitted=day.replace(year=day.year + 1)), day)  # not yet
    assert active_on(replace(p, status=PatientStatus.DISCHARGED,
                             end_date=day.replace(year=day.year + 1)), day)  # leaves later
    assert not active_on(replace(p, status=PatientStatus.DISCHARGED, end_date=day), day)
    assert not active_on(replace(p, status=PatientStatus.DECEASED), day)  # ended, no date


def test_a_patient_with_a_named_doctor_counts_for_that_doctor():
    problem = random_municipality(3)
    first = problem.settings.first_day
    p = next(p for p in problem.patients if active_on(p, first))
    own = problem.unit(p.unit).doctor
    other = next(d.name for d in problem.doctors if d.name != own)
    before = doctor_time(problem, ())
    kept = replace(p, doctor=other)  # moved in and kept their doctor (fast läkarkontakt)
    problem = replace(problem, patients=tuple(kept if q is p else q for q in problem.patients))
    assert patient_doctor(problem, kept) == other
    after = doctor_time(problem, ())
    assert after.doctors[other].patients == before.doctors[other].patients + 1
    assert after.doctors[own].patients == before.doctors[own].patients - 1
    assert after.units[p.unit].patients == before.units[p.unit].patients  # still the unit's
