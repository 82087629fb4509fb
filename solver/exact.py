"""An independent, simpler check model: one boolean per patient × date, tier by tier.

It shares nothing with the planner's model but the input (``SubProblem``), the tier
definitions of ``docs/domain.md`` and their order (``tier_order``: with a previous plan the
moves come right after the patient tiers): no classes, no flows, no domain reduction, no
weights.
Every tier is its own CP-SAT stage on the full domain (every free date of the patient's pool
inside its bounds), fixing the optimum of the stage before. The bench and the tests compare
the planner's tier vector with this one on small problems: equal tier by tier means the
planner is optimal for the whole order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from solver.calendar import iso_week
from solver.rounds import PoolKey, pool_of
from solver.subproblem import TIER_NAMES, SubProblem, tier_order

Expr = cp_model.LinearExpr | cp_model.IntVar | int


@dataclass(frozen=True)
class ExactResult:
    tiers: tuple[int, ...]
    proven: bool  # every stage proven optimal
    seconds: float


def _dev(model: cp_model.CpModel, load: Expr, target: float, upper: int) -> cp_model.IntVar:
    dev = model.new_int_var(0, upper, "")
    model.add(dev >= load - math.ceil(target))
    model.add(dev >= math.floor(target) - load)
    return dev


def exact_tiers(sub: SubProblem, limit_s: float = 60.0) -> ExactResult:
    """The lexicographic optimum of the nine tiers in the doctor's order (``tier_order``),
    stage by stage (``limit_s`` is deterministic time per stage); the vector in
    ``TIER_NAMES`` positions."""
    m = cp_model.CpModel()
    x: dict[tuple[str, date], cp_model.IntVar] = {}
    out: dict[str, cp_model.IntVar] = {}
    by_slot: dict[tuple[PoolKey, date], list[cp_model.IntVar]] = defaultdict(list)
    tiers: dict[str, list[Expr]] = {name: [] for name in TIER_NAMES}
    week_terms: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    day_terms: dict[date, list[cp_model.IntVar]] = defaultdict(list)
    unit_month: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    unit_count: dict[str, list[Expr]] = defaultdict(list)
    for req in sub.requirements:
        pid = req.patient.id
        key = pool_of(req.unit)
        free = sub.free(key)
        out[pid] = m.new_bool_var(f"out_{pid}")
        tiers["unplaced"].append(out[pid])
        tiers["late_overdue" if req.overdue else "broken"].append(out[pid])
        prev = sub.previous.get(pid)
        lits = [out[pid]]
        for day in free:
            if not req.allows(day):
                continue
            v = m.new_bool_var(f"x_{pid}_{day}")
            x[pid, day] = v
            lits.append(v)
            by_slot[key, day].append(v)
            if req.overdue and day > req.window_end:
                tiers["late_overdue"].append(v)
            if not req.overdue and not req.in_window(day):
                tiers["broken"].append(v)
            tiers["days_late"].append(req.days_late(day) * v)
            tiers["closeness"].append(abs((day - req.target).days) * v)
            week_terms[iso_week(day)].append(v)
            day_terms[day].append(v)
            unit_month[req.unit.name, day.month].append(v)
            unit_count[req.unit.name].append(v)
        m.add_exactly_one(lits)
        if prev is not None:
            tiers["moved"].append(1 - x[pid, prev] if (pid, prev) in x else 1)
    for (key, day), lits in by_slot.items():
        m.add(sum(lits) <= sub.free(key)[day])
    n = len(sub.requirements) + sum(sub.fixed_day.values())
    fixed_weeks = sub.fixed_weeks()
    peak_week = m.new_int_var(0, n, "peak_week")
    peak_day = m.new_int_var(0, n, "peak_day")
    for week in set(week_terms) | set(fixed_weeks):
        m.add(sum(week_terms.get(week, [])) + fixed_weeks.get(week, 0) <= peak_week)
    for day in set(day_terms) | set(sub.fixed_day):
        m.add(sum(day_terms.get(day, [])) + sub.fixed_day.get(day, 0) <= peak_day)
    tiers["peak_week"] = [peak_week]
    tiers["peak_day"] = [peak_day]
    # spread: a variable number placed makes the targets variable; stage 7 runs with the
    # number placed fixed by stage 1, so the targets are constants there
    stage_values: dict[str, int] = {}
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = limit_s
    proven = True
    seconds = 0.0
    for name in tier_order(sub):
        if name == "spread":
            placed = len(sub.requirements) - stage_values["unplaced"]
            devs: list[Expr] = []
            open_weeks = sub.open_weeks()
            if open_weeks:
                total = placed + sum(fixed_weeks.get(w, 0) for w in open_weeks)
                for week in open_weeks:
                    load = sum(week_terms.get(week, [])) + fixed_weeks.get(week, 0)
                    devs.append(_dev(m, load, total / len(open_weeks), n))
            fixed_month: dict[tuple[str, int], int] = defaultdict(int)
            fixed_count: dict[str, int] = defaultdict(int)
            for (unit, day), k in sub.fixed_unit.items():
                fixed_month[unit, day.month] += k
                fixed_count[unit] += k
            for unit, places in sub.unit_places().items():
                all_places = sum(places.values())
                count = sum(unit_count[unit]) + fixed_count[unit]
                for month, p in places.items():
                    load = sum(unit_month.get((unit, month), [])) + fixed_month[unit, month]
                    devs.append(_var_dev(m, load, count, p, all_places, n))
            objective: Expr = sum(devs)
        else:
            objective = sum(tiers[name])
        if isinstance(objective, int):
            stage_values[name] = objective
            continue
        m.minimize(objective)
        status = solver.solve(m)
        seconds += solver.wall_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RuntimeError(f"exact model failed at {name}: {solver.status_name(status)}")
        proven = proven and status == cp_model.OPTIMAL
        value = round(solver.objective_value)
        stage_values[name] = value
        m.add(objective <= value)
    return ExactResult(tuple(stage_values[name] for name in TIER_NAMES), proven,
                       round(seconds, 3))


def _var_dev(model: cp_model.CpModel, load: Expr, count: Expr, places: int, all_places: int,
             upper: int) -> cp_model.IntVar:
    """Deviation of ``load`` from [floor, ceil] of ``count * places / all_places``."""
    low = model.new_int_var(0, upper, "")
    high = model.new_int_var(0, upper, "")
    model.add(low * all_places <= count * places)
    model.add(low * all_places > count * places - all_places)
    model.add(high * all_places >= count * places)
    model.add(high * all_places < count * places + all_places)
    dev = model.new_int_var(0, upper, "")
    model.add(dev >= load - high)
    model.add(dev >= low - load)
    return dev
