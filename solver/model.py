"""The CP-SAT model of one doctor's year: one named function per rule.

Doctors are independent: a doctor's patients only compete for that doctor's round dates and
ÅMV days. ``build_model`` builds one doctor's model; ``solve.py`` solves the lexicographic
objective as a sequence of stages, each fixing the optimum of the one before:

1. ``windows``  – fewest unplaced patients (weight 2) and broken R7/R8 windows (weight 1);
2. ``peak``     – lowest weekly peak, then the lowest day peak (R9);
3. ``spread``   – smallest spread over weeks and, per unit, over months (R9);
4. ``closeness``– closeness in weeks to the ideal date (12 months after the last ÅMV, or the
                  admission), then fewest moves of unpinned ÅMV against the previous plan (R10).

Rules R2–R4 and the slot part of R5/R6 are kept by construction: a patient only gets a
variable for the days of their pool that can hold an ÅMV (``allowed_dates``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from solver.calendar import iso_week
from solver.demand import Requirement
from solver.rounds import Pool, PoolKey, pool_of

Week = tuple[int, int]


@dataclass(frozen=True)
class SubProblem:
    """One doctor's part of the year plan: everything the model needs, picklable."""

    doctor: str
    year: int
    requirements: tuple[Requirement, ...]  # patients to place (pinned ones excluded)
    pools: dict[PoolKey, Pool]
    pinned_load: dict[tuple[PoolKey, date], int]  # pinned ÅMV per pool and date
    pinned_units: dict[tuple[str, date], int]  # pinned ÅMV per unit and date
    previous: dict[str, date]  # patient id -> date in the previous plan


@dataclass
class DoctorModel:
    sub: SubProblem
    model: cp_model.CpModel
    x: dict[tuple[str, date], cp_model.IntVar]
    unplaced: dict[str, cp_model.IntVar]
    candidates: dict[str, list[date]]
    narrow: bool = False
    stages: list[tuple[str, cp_model.LinearExpr]] = field(default_factory=list)
    penalties: dict[str, list[tuple[cp_model.IntVar, int]]] = field(default_factory=dict)


# --- R2, R3, R4, R5/R6 slots ------------------------------------------------------------------
def free_capacity(sub: SubProblem, pool: Pool) -> dict[date, int]:
    """Places left on each date of a pool once the pinned ÅMV are counted."""
    return {
        day: cap - sub.pinned_load.get((pool.key, day), 0)
        for day, cap in pool.capacity.items()
        if cap - sub.pinned_load.get((pool.key, day), 0) > 0
    }


MARGIN_BEFORE, MARGIN_AFTER = 2, 6  # candidate dates kept outside the window (narrow model)


def allowed_dates(req: Requirement, free: dict[date, int], narrow: bool = False) -> list[date]:
    """R2, R3, R4 (hard): the patient's candidate dates are the pool's dates with a free
    place, between admission (or the year's start) and the end date. The pool holds only
    working days outside the summer weeks and blocked periods on which the doctor is
    present, and only the unit's round dates (R5) or the doctor's ÅMV days (R6).

    ``narrow`` keeps the window and a few dates on either side of it: exact whenever no
    window needs breaking (``solve_doctor`` falls back to the full year otherwise)."""
    days = sorted(d for d in free if req.earliest <= d <= req.latest)
    if not narrow:
        return days
    before = [d for d in days if d < req.window_start][-MARGIN_BEFORE:]
    after = [d for d in days if d > req.window_end][:MARGIN_AFTER]
    return before + [d for d in days if req.in_window(d)] + after


def rule_r1_one_review_each(dm: DoctorModel) -> None:
    """R1 (hard, made soft by ``unplaced``): each required patient gets exactly one ÅMV, or is
    marked unplaced – which the first objective stage punishes hardest."""
    for req in dm.sub.requirements:
        pid = req.patient.id
        literals = [dm.x[pid, d] for d in dm.candidates[pid]]
        dm.model.add_exactly_one([*literals, dm.unplaced[pid]])


def rule_r5_r6_capacity(dm: DoctorModel) -> None:
    """R5 (hard): at most "ÅMV per rond" per round date of a unit with ÅMV in the round.
    R6 (hard): at most "ÅMV per dag" per ÅMV day of the doctor, over all the doctor's units
    with separate ÅMV times. Both are capacity pools; pinned ÅMV already took their place."""
    by_slot: dict[tuple[PoolKey, date], list[cp_model.IntVar]] = defaultdict(list)
    for req in dm.sub.requirements:
        key = pool_of(req.unit)
        for d in dm.candidates[req.patient.id]:
            by_slot[key, d].append(dm.x[req.patient.id, d])
    for (key, day), literals in by_slot.items():
        cap = free_capacity(dm.sub, dm.sub.pools[key])[day]
        if len(literals) > cap:
            dm.model.add(sum(literals) <= cap)


def weeks_outside(req: Requirement, day: date) -> int:
    """Whole weeks (rounded up) between ``day`` and the patient's R7/R8 window."""
    if day > req.window_end:
        return -(-(day - req.window_end).days // 7)
    if day < req.window_start:
        return -(-(req.window_start - day).days // 7)
    return 0


def rule_r7_r8_windows(dm: DoctorModel) -> cp_model.LinearExpr:
    """R7 (new patient: within 28 days after admission) and R8 (6–12 months after the last
    ÅMV), hard where possible: no date at all costs two broken windows, a date outside the
    window one; among plans with as few breaks, the fewest weeks outside the windows."""
    n = len(dm.sub.requirements)
    breaks, weeks = [], []
    penalties = dm.penalties.setdefault("window", [])
    for req in dm.sub.requirements:
        pid = req.patient.id
        breaks.append(2 * dm.unplaced[pid])
        penalties.append((dm.unplaced[pid], 2))
        for d in dm.candidates[pid]:
            outside = weeks_outside(req, d)
            if outside:
                breaks.append(dm.x[pid, d])
                weeks.append(outside * dm.x[pid, d])
                penalties.append((dm.x[pid, d], 1))
    return (54 * n + 1) * sum(breaks) + sum(weeks)


def _loads(dm: DoctorModel, key_of) -> dict:
    loads: dict = defaultdict(list)
    for req in dm.sub.requirements:
        for d in dm.candidates[req.patient.id]:
            loads[key_of(req, d)].append(dm.x[req.patient.id, d])
    return loads


def _pinned_counts(dm: DoctorModel, key_of_day) -> Counter:
    counts: Counter = Counter()
    for (_, day), n in dm.sub.pinned_load.items():
        if day.year == dm.sub.year:
            counts[key_of_day(day)] += n
    return counts


def rule_r9_weekly_peak(dm: DoctorModel) -> cp_model.LinearExpr:
    """R9 (objective): the doctor's highest number of ÅMV in one ISO week, then the highest
    in one day ("no doctor day overloaded"). Lower bound ceil(patients / open weeks)."""
    week_loads = _loads(dm, lambda req, d: iso_week(d))
    week_pinned = _pinned_counts(dm, iso_week)
    day_loads = _loads(dm, lambda req, d: d)
    day_pinned = _pinned_counts(dm, lambda d: d)
    n = len(dm.sub.requirements) + sum(week_pinned.values())
    peak = dm.model.new_int_var(0, n, f"peak_week(doctor={dm.sub.doctor})")
    peak_day = dm.model.new_int_var(0, n, f"peak_day(doctor={dm.sub.doctor})")
    # sorted: dates hash differently in every process (PYTHONHASHSEED); the constraint order
    # must not, or CP-SAT's search – and so the plan – would differ between runs
    for week in sorted(set(week_loads) | set(week_pinned)):
        dm.model.add(sum(week_loads.get(week, [])) + week_pinned[week] <= peak)
    for day in sorted(set(day_loads) | set(day_pinned)):
        dm.model.add(sum(day_loads.get(day, [])) + day_pinned[day] <= peak_day)
    return (n + 1) * peak + peak_day


def _band_deviation(
    model: cp_model.CpModel, load, fixed: int, target: float, upper: int, name: str
) -> cp_model.IntVar:
    """How far ``load + fixed`` lies outside [floor(target), ceil(target)]."""
    low, high = math.floor(target), math.ceil(target)
    dev = model.new_int_var(0, upper, name)
    model.add(dev >= load + fixed - high)
    model.add(dev >= low - load - fixed)
    return dev


def rule_r9_even_spread(dm: DoctorModel) -> cp_model.LinearExpr:
    """R9 (objective): even over the weeks that can hold an ÅMV (per doctor) and over the
    months (per unit, in proportion to the unit's places in each month)."""
    sub = dm.sub
    open_weeks = {iso_week(d) for pool in sub.pools.values() for d in pool.capacity}
    week_loads = _loads(dm, lambda req, d: iso_week(d))
    week_pinned = _pinned_counts(dm, iso_week)
    total = len(sub.requirements) + sum(week_pinned.values())
    devs = []
    if open_weeks:
        target = total / len(open_weeks)
        for week in sorted(open_weeks):
            devs.append(_band_deviation(
                dm.model, sum(week_loads.get(week, [])), week_pinned[week], target, total,
                f"week_spread(doctor={sub.doctor}, week={week[1]})"))
    # per unit over the months
    patients_of: Counter = Counter(req.unit.name for req in sub.requirements)
    for (unit, day), n in sub.pinned_units.items():
        if day.year == sub.year:
            patients_of[unit] += n
    unit_pool = {req.unit.name: sub.pools[pool_of(req.unit)] for req in sub.requirements}
    month_loads = _loads(dm, lambda req, d: (req.unit.name, d.month))
    for unit, n in sorted(patients_of.items()):
        pool = unit_pool.get(unit)
        if pool is None or not pool.capacity:
            continue
        places: Counter = Counter()
        for day, cap in pool.capacity.items():
            places[day.month] += cap
        all_places = sum(places.values())
        pinned = Counter()
        for (u, day), k in sub.pinned_units.items():
            if u == unit and day.year == sub.year:
                pinned[day.month] += k
        for month in sorted(places):
            devs.append(_band_deviation(
                dm.model, sum(month_loads.get((unit, month), [])), pinned[month],
                n * places[month] / all_places, n, f"month_spread(unit={unit}, month={month})"))
    return sum(devs)


def rule_r8_closeness(dm: DoctorModel) -> cp_model.LinearExpr:
    """Objective: closeness, in whole weeks, to the ideal date – 12 months after the last ÅMV
    (R8), or the admission for a new patient (R7, "as early as possible")."""
    terms = []
    for req in dm.sub.requirements:
        for d in dm.candidates[req.patient.id]:
            weeks = abs((d - req.target).days) // 7
            if weeks:
                terms.append(weeks * dm.x[req.patient.id, d])
    return sum(terms)


def rule_r10_stability(dm: DoctorModel) -> cp_model.LinearExpr:
    """R10 (objective; pinned ÅMV are not variables at all, so they cannot move): each
    unpinned ÅMV that leaves its date in the previous plan costs 1."""
    terms = []
    for req in dm.sub.requirements:
        pid = req.patient.id
        before = dm.sub.previous.get(pid)
        if before is None:
            continue
        if (pid, before) in dm.x:
            terms.append(1 - dm.x[pid, before])
        else:
            terms.append(1)
    return sum(terms)


def build_model(sub: SubProblem, narrow: bool = False) -> DoctorModel:
    """The doctor's model with every rule, and its objective stages in priority order."""
    model = cp_model.CpModel()
    candidates: dict[str, list[date]] = {}
    x: dict[tuple[str, date], cp_model.IntVar] = {}
    unplaced: dict[str, cp_model.IntVar] = {}
    free = {key: free_capacity(sub, pool) for key, pool in sub.pools.items()}
    for req in sub.requirements:
        pid = req.patient.id
        candidates[pid] = allowed_dates(req, free.get(pool_of(req.unit), {}), narrow)
        for d in candidates[pid]:
            x[pid, d] = model.new_bool_var(f"review(patient={pid}, date={d.isoformat()})")
        unplaced[pid] = model.new_bool_var(f"unplaced(patient={pid})")
    dm = DoctorModel(sub=sub, model=model, x=x, unplaced=unplaced, candidates=candidates,
                     narrow=narrow)
    rule_r1_one_review_each(dm)
    rule_r5_r6_capacity(dm)
    windows = rule_r7_r8_windows(dm)
    peak = rule_r9_weekly_peak(dm)
    spread = rule_r9_even_spread(dm)
    closeness = rule_r8_closeness(dm)
    stability = rule_r10_stability(dm)
    dm.stages = [
        ("windows", windows),
        ("peak", peak),
        ("spread", spread),
        ("closeness", (len(sub.requirements) + 1) * closeness + stability),
    ]
    return dm
