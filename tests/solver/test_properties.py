"""Random small problems: every plan keeps R2–R6 and accounts for every R1 patient."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.calendar import iso_week, swedish_holidays
from solver.demand import build_demand
from solver.problem import (
    Absence,
    Doctor,
    Patient,
    Problem,
    Rhythm,
    RhythmKind,
    RoundForm,
    Settings,
    Unit,
    UnitType,
    VisitStatus,
    WeekParity,
)
from solver.solve import solve

DOCTOR = "Doktor"
DAY0 = date(2025, 1, 1)


@st.composite
def units(draw, i: int) -> Unit:
    kind = draw(st.sampled_from(list(RhythmKind)))
    weekdays = tuple(sorted(draw(st.sets(st.integers(0, 4), min_size=1, max_size=2))))
    if kind is not RhythmKind.TWICE_WEEKLY:
        weekdays = weekdays[:1]
    parity = draw(st.sampled_from(list(WeekParity))) if kind is RhythmKind.FORTNIGHTLY else None
    return Unit(
        f"Enhet {i}",
        draw(st.sampled_from([UnitType.NURSING_HOME, UnitType.HOME_CARE, UnitType.LSS,
                              UnitType.SHORT_TERM])),
        DOCTOR,
        Rhythm(kind, weekdays, parity),
        form=draw(st.sampled_from(list(RoundForm))),
        reviews_in_round=draw(st.sampled_from([None, False])),
        reviews_per_round=draw(st.integers(0, 2)),
    )


@st.composite
def problems(draw) -> Problem:
    n_units = draw(st.integers(1, 3))
    unit_list = [draw(units(i)) for i in range(n_units)]
    patients = []
    for i in range(draw(st.integers(0, 14))):
        admitted = DAY0 + timedelta(days=draw(st.integers(0, 1000)))
        last = draw(st.one_of(st.none(), st.integers(0, 700)))
        last_review = DAY0 + timedelta(days=last) if last is not None else None
        if last_review and last_review < admitted:
            last_review = admitted
        patients.append(Patient(f"p{i}", unit_list[draw(st.integers(0, n_units - 1))].name,
                                admitted, last_review))
    absences = []
    if draw(st.booleans()):
        start = date(2027, 1, 1) + timedelta(days=draw(st.integers(0, 330)))
        absences.append(Absence(DOCTOR, start, start + timedelta(days=draw(st.integers(0, 60))),
                                substitute="Vikarie"))
    doctor = Doctor(DOCTOR, "VC", tuple(sorted(draw(st.sets(st.integers(0, 4), max_size=2)))),
                    draw(st.integers(1, 3)))
    return Problem(Settings(2027, time_limit_s=5), (doctor,), tuple(unit_list), tuple(patients),
                   tuple(absences))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_plan_keeps_r2_to_r6_and_accounts_for_every_patient(problem: Problem):
    result = solve(problem)
    holidays = swedish_holidays(2027)
    units = {u.name: u for u in problem.units}
    doctor = problem.doctors[0]
    slot_load: Counter = Counter()
    for a in result.appointments:
        if a.status is VisitStatus.DONE:  # a recorded ÅMV in the year is history
            continue
        unit = units[a.unit]
        assert a.date.weekday() < 5 and a.date not in holidays  # R2
        assert not (iso_week(a.date)[0] == 2027 and iso_week(a.date)[1] in range(27, 32))  # R3
        assert not any(ab.covers(a.date) for ab in problem.absences)  # R4
        if unit.reviews_at_rounds:  # R5
            assert a.date.weekday() in unit.rhythm.weekdays
            if unit.rhythm.kind is RhythmKind.FORTNIGHTLY:
                odd = iso_week(a.date)[1] % 2 == 1
                assert odd == (unit.rhythm.parity is WeekParity.ODD)
            slot_load[unit.name, a.date] += 1
            assert slot_load[unit.name, a.date] <= unit.reviews_per_round
        else:  # R6
            assert a.date.weekday() in doctor.review_weekdays
            slot_load[DOCTOR, a.date] += 1
            assert slot_load[DOCTOR, a.date] <= doctor.reviews_per_day
    assert result.measures.hard_break_count == 0
    required = {r.patient.id for r in build_demand(problem).required}
    planned = {a.patient_id for a in result.appointments}
    unplaced = {u.patient_id for u in result.unplaced}
    assert planned | unplaced == required  # R1: every patient accounted for
    assert not planned & unplaced
    assert len(result.appointments) == len(planned)
    unplaced_reported = {v.patient_id for v in result.violations if v.rule == "R1"}
    assert unplaced_reported == unplaced
