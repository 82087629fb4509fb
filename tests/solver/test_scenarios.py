"""The example scenarios: deterministic, the promised shape, and plannable without breaks."""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from functools import cache

import pytest

from benchmarks.family import random_municipality, random_region
from solver.check import PlanContext
from solver.problem import (
    PatientStatus,
    Problem,
    RhythmKind,
    RoundForm,
    UnitType,
    WeekParity,
)
from solver.rounds import pool_of
from solver.scenarios import SCENARIOS, health_centre, municipality, region


@cache
def _scenario(name: str) -> Problem:
    return SCENARIOS[name]()


@cache
def _ctx(name: str) -> PlanContext:
    return PlanContext.of(_scenario(name))


def _late_with_best_order(ctx: PlanContext, window: bool = True) -> int:
    """How many patients miss their window (or, with ``window=False``, the year) even when
    placed earliest-deadline-first, per pool. EDF is optimal for one-slot jobs with release
    dates and deadlines, so 0 means a plan without breaks exists."""
    jobs = defaultdict(list)
    for req in ctx.demand.required:
        if req.patient.id in ctx.demand.pinned:
            continue
        start, end = (req.window_start, req.window_end) if window else (req.earliest,
                                                                          req.latest)
        jobs[pool_of(req.unit)].append((start, end, req.patient.id))
    late = 0
    for key, todo in jobs.items():
        capacity = ctx.pools[key].capacity if key in ctx.pools else {}
        todo.sort()
        i, ready = 0, []
        for day in sorted(capacity):
            while i < len(todo) and todo[i][0] <= day:
                heapq.heappush(ready, (todo[i][1], todo[i][2]))
                i += 1
            for _ in range(capacity[day]):
                if not ready:
                    break
                deadline, _pid = heapq.heappop(ready)
                late += deadline < day
        late += len(ready) + len(todo) - i
    return late


# --- determinism -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["health_centre", "municipality"])
def test_same_seed_gives_equal_problem(name: str) -> None:
    assert SCENARIOS[name]() == SCENARIOS[name]()


def test_region_is_deterministic() -> None:
    assert region() == _scenario("region")


def test_other_seed_gives_other_patients() -> None:
    assert municipality(seed=8).patients != municipality().patients
    assert health_centre(seed=2).patients != health_centre().patients


def test_year_is_a_parameter() -> None:
    p = municipality(2028)
    assert p.year == 2028
    assert any(pt.admitted.year == 2028 and pt.last_review is None for pt in p.patients)
    assert all(pt.last_review is None or pt.last_review.year < 2028 for pt in p.patients)
    assert _late_with_best_order(PlanContext.of(p), window=False) == 0


def test_scenario_registry() -> None:
    assert set(SCENARIOS) == {"health_centre", "municipality", "region"}
    assert all(_scenario(n).year == 2027 for n in ("health_centre", "municipality"))


# --- shape -----------------------------------------------------------------------------------


def test_health_centre_shape() -> None:
    p = _scenario("health_centre")
    assert len(p.doctors) == 1
    assert len(p.units) == 4
    homes = [u for u in p.units if u.type is UnitType.NURSING_HOME]
    assert sorted(u.rhythm.kind for u in homes) == sorted(
        [RhythmKind.WEEKLY, RhythmKind.WEEKLY, RhythmKind.FORTNIGHTLY])
    assert [u.type for u in p.units].count(UnitType.HOME_CARE) == 1
    assert 100 <= len(p.patients) <= 140


def test_municipality_shape() -> None:
    p = _scenario("municipality")
    assert len(p.doctors) >= 5
    assert len({d.health_centre for d in p.doctors}) == 2
    assert len(p.units) >= 14
    assert {u.type for u in p.units} == set(UnitType)
    assert 420 <= len(p.patients) <= 500
    assert len({u.name for u in p.units}) == len(p.units)
    assert {"Bäckliden", "Lugnet", "Björkhaga", "Solgården"} <= {u.name for u in p.units}
    assert p.unit("Bäckliden").rhythm.kind is RhythmKind.FORTNIGHTLY


def test_municipality_round_forms() -> None:
    p = _scenario("municipality")
    phone = [u for u in p.units if u.form is RoundForm.PHONE]
    assert len(phone) >= 2
    for u in phone:
        assert u.type is UnitType.NURSING_HOME
        assert u.rhythm.kind is RhythmKind.FORTNIGHTLY
        assert p.doctor(u.doctor).review_weekdays  # ÅMV on the doctor's review days
    parities = {u.rhythm.parity for u in p.units if u.rhythm.kind is RhythmKind.FORTNIGHTLY}
    assert parities == {WeekParity.ODD, WeekParity.EVEN}
    for u in p.units:
        if u.type is UnitType.SHORT_TERM:
            assert u.rhythm.kind is RhythmKind.TWICE_WEEKLY
            assert len(u.rhythm.weekdays) == 2
        if u.type is UnitType.HOME_CARE:
            assert u.rhythm.kind is RhythmKind.WEEKLY
        if u.type is UnitType.LSS:
            assert u.reviews_in_round is False
            assert not u.reviews_at_rounds
            assert p.doctor(u.doctor).review_weekdays


def test_municipality_absences_with_substitutes() -> None:
    p = _scenario("municipality")
    assert len(p.absences) >= 3
    doctors = {d.name for d in p.doctors}
    for a in p.absences:
        assert a.doctor in doctors
        assert a.substitute and a.substitute != a.doctor
        assert a.start.year == p.year
        assert timedelta(days=7) <= a.end - a.start <= timedelta(days=35)


def test_municipality_patient_kinds() -> None:
    p = _scenario("municipality")
    year = p.year
    admitted_in_year = [pt for pt in p.patients
                        if pt.admitted.year == year and pt.last_review is None]
    assert len(admitted_in_year) >= 5
    assert any(pt.excluded == "växelvård" for pt in p.patients)
    statuses = {pt.status for pt in p.patients}
    assert {PatientStatus.DISCHARGED, PatientStatus.DECEASED} <= statuses
    for pt in p.patients:
        if pt.status is not PatientStatus.ACTIVE:
            assert pt.end_date is not None and pt.end_date < date(year, 1, 1)
    never_reviewed_last_year = [pt for pt in p.patients if pt.last_review is None
                                and pt.admitted.year == year - 1
                                and p.unit(pt.unit).type is not UnitType.SHORT_TERM]
    assert 2 <= len(never_reviewed_last_year) <= 10
    assert all(pt.last_review is None or pt.last_review.year < year for pt in p.patients)
    assert all(pt.last_review is None or pt.admitted <= pt.last_review for pt in p.patients)


def test_municipality_six_week_home() -> None:
    p = _scenario("municipality")
    six_week = []
    for u in p.units:
        reviews = [pt.last_review for pt in p.patients if pt.unit == u.name]
        if (len(reviews) >= 10 and all(reviews)
                and max(reviews) - min(reviews) < timedelta(weeks=6)):
            six_week.append(u.name)
    assert len(six_week) == 1
    home = p.unit(six_week[0])
    assert home.type is UnitType.NURSING_HOME


@pytest.mark.parametrize("name", ["health_centre", "municipality", "region"])
def test_patients_look_real(name: str) -> None:
    p = _scenario(name)
    ids = [pt.id for pt in p.patients]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"p\d{4,}", i) for i in ids)
    assert ids[0] == "p0001"
    units = {u.name: u for u in p.units}
    for pt in p.patients:
        assert pt.unit in units
        assert pt.name and " " in pt.name
        assert pt.birth_date is not None
        age = p.year - pt.birth_date.year
        low, high = (19, 71) if units[pt.unit].type is UnitType.LSS else (64, 101)
        assert low <= age <= high, pt
    assert len({pt.name for pt in p.patients}) == len(p.patients)
    assert {u.doctor for u in p.units} <= {d.name for d in p.doctors}


def test_region_shape() -> None:
    p = _scenario("region")
    assert 100 <= len(p.doctors) <= 120
    assert 9_000 <= len(p.patients) <= 11_000
    assert {u.type for u in p.units} == set(UnitType)
    per_doctor = Counter(u.doctor for u in p.units)
    assert set(per_doctor) == {d.name for d in p.doctors}
    assert all(3 <= n <= 5 for n in per_doctor.values())
    assert 75 <= len(p.patients) / len(p.doctors) <= 105
    assert sum(u.form is RoundForm.PHONE for u in p.units) >= 20
    assert len(p.absences) >= 30


# --- capacity: a good planner can plan every patient without breaks --------------------------


@pytest.mark.parametrize("name", ["health_centre", "municipality", "region"])
def test_capacity_comfortably_exceeds_demand(name: str) -> None:
    ctx = _ctx(name)
    demand = Counter(pool_of(r.unit) for r in ctx.demand.required)
    for key, n in demand.items():
        assert ctx.pools[key].slots >= 1.5 * n, key


@pytest.mark.parametrize("name", ["health_centre", "municipality", "region"])
def test_a_plan_without_breaks_exists(name: str) -> None:
    ctx = _ctx(name)
    assert _late_with_best_order(ctx, window=False) == 0  # R1–R6
    assert _late_with_best_order(ctx, window=True) == 0  # and R7/R8 too


def test_required_counts() -> None:
    assert 100 <= len(_ctx("health_centre").demand.required) <= 130
    assert 380 <= len(_ctx("municipality").demand.required) <= 460
    reasons = Counter(r.split(" ")[0] for _, r in _ctx("municipality").demand.not_required)
    assert reasons["undantagen:"] >= 3


def test_a_random_region_joins_municipalities_of_their_own_shape() -> None:
    region = random_region(1, parts=3)
    parts = [random_municipality(1000 + i) for i in range(3)]
    assert len(region.doctors) == sum(len(p.doctors) for p in parts)
    assert len(region.patients) == sum(len(p.patients) for p in parts)
    names = [d.name for d in region.doctors]
    assert len(set(names)) == len(names) and all(n.startswith("K") for n in names)
    units = {u.name: u for u in region.units}
    assert len(units) == len(region.units)
    assert all(units[p.unit].doctor in set(names) for p in region.patients)
    assert all(a.doctor in set(names) for a in region.absences)
    assert len({p.id for p in region.patients}) == len(region.patients)
    assert random_region(1, parts=3) == region  # seeded
