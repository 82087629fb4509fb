"""Tiers 1–6 exactly, by min-cost flow (``SimpleMinCostFlow``), no search at all.

Tiers 1–4 (unplaced, broken windows, late overdue patients, days late) are sums of a cost per
patient and date, so together they are a transportation problem: patient classes → the
pool's places on each date → the doctor's day → the doctor's ISO week → sink, plus an arc
"unplaced" from each class straight to the sink. The lexicographic order of the four tiers is
kept by weights that are proven equivalent: each tier's weight is larger than the largest
possible total of all later tiers together (``weights``), so one unit of an earlier tier
always outweighs any amount of the later ones.

The weekly peak (tier 5) is a capacity on the week arcs: the smallest ``P`` whose capped
flow still reaches the same optimal cost is the lowest peak among the plans that are optimal
for tiers 1–4 (the cost is monotone in ``P``, so a binary search finds it). The day peak
(tier 6) is the same on the day arcs with the weeks capped at ``P``. Both are exact, so the
CP-SAT stages after them start from proven values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ortools.graph.python import min_cost_flow

from solver.calendar import iso_week
from solver.subproblem import PatientClass, SubProblem, Week

INF_CAP = 1 << 30


@dataclass(frozen=True)
class FlowResult:
    cost: int
    counts: dict[tuple[int, date], int]  # (class index, date) -> patients
    unplaced: dict[int, int]  # class index -> patients left unplaced


@dataclass(frozen=True)
class Weights:
    unplaced: int
    broken: int
    late: int


def weights(n: int) -> Weights:
    """Weights that make the weighted sum lexicographic: days late ≤ 366 per patient, so the
    days of all ``n`` patients stay below one late overdue patient, all late overdue below
    one broken window, all broken windows below one unplaced patient."""
    late = 366 * n + 1
    broken = late * (n + 1)
    return Weights(unplaced=broken * (n + 1), broken=broken, late=late)


def arc_cost(cls: PatientClass, day: date, w: Weights) -> int:
    return w.broken * cls.broken(day) + w.late * cls.late_overdue(day) + cls.days_late(day)


def unplaced_cost(cls: PatientClass, w: Weights) -> int:
    return w.unplaced + (w.late if cls.req.overdue else w.broken)


def solve_flow(sub: SubProblem, classes: list[PatientClass], week_cap: int | None = None,
               day_cap: int | None = None) -> FlowResult | None:
    """The min-cost flow of tiers 1–4 with the doctor's weeks capped at ``week_cap`` and days
    at ``day_cap`` ÅMV (pinned and held ones included); None if the caps are below the fixed
    load."""
    n = sum(c.size for c in classes)
    w = weights(n)
    fixed_weeks = sub.fixed_weeks()
    flow = min_cost_flow.SimpleMinCostFlow()
    node: dict[object, int] = {}

    def nid(key: object) -> int:
        if key not in node:
            node[key] = len(node)
        return node[key]

    sink = nid("sink")
    class_arcs: list[tuple[int, int, date]] = []  # arc, class, date
    unplaced_arcs: list[tuple[int, int]] = []
    slots: dict[tuple[object, date], int] = {}
    days: set[date] = set()
    for ci, cls in enumerate(classes):
        flow.set_node_supply(nid(("class", ci)), cls.size)
        for day in cls.dates:
            slots.setdefault((cls.pool, day), 0)
            days.add(day)
            arc = flow.add_arc_with_capacity_and_unit_cost(
                nid(("class", ci)), nid(("slot", cls.pool, day)), cls.size,
                arc_cost(cls, day, w))
            class_arcs.append((arc, ci, day))
        arc = flow.add_arc_with_capacity_and_unit_cost(nid(("class", ci)), sink, cls.size,
                                                       unplaced_cost(cls, w))
        unplaced_arcs.append((arc, ci))
    free = {key: sub.free(key) for key in sub.pools}
    for (key, day) in sorted(slots, key=lambda k: (k[1], str(k[0]))):
        flow.add_arc_with_capacity_and_unit_cost(nid(("slot", key, day)), nid(("day", day)),
                                                 free[key][day], 0)
    weeks: set[Week] = set()
    for day in sorted(days):
        cap = INF_CAP
        if day_cap is not None:
            cap = day_cap - sub.fixed_day.get(day, 0)
            if cap < 0:
                return None
        week = iso_week(day)
        weeks.add(week)
        flow.add_arc_with_capacity_and_unit_cost(nid(("day", day)), nid(("week", week)), cap, 0)
    for week in sorted(weeks):
        cap = INF_CAP
        if week_cap is not None:
            cap = week_cap - fixed_weeks.get(week, 0)
            if cap < 0:
                return None
        flow.add_arc_with_capacity_and_unit_cost(nid(("week", week)), sink, cap, 0)
    flow.set_node_supply(sink, -n)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed for {sub.doctor}: status {status}")
    counts = {(ci, day): int(flow.flow(arc)) for arc, ci, day in class_arcs if flow.flow(arc)}
    unplaced = {ci: int(flow.flow(arc)) for arc, ci in unplaced_arcs if flow.flow(arc)}
    return FlowResult(int(flow.optimal_cost()), counts, unplaced)


def loads(sub: SubProblem, counts: dict[tuple[int, date], int]) -> tuple[int, int]:
    """Weekly and day peak of a counted plan, fixed ÅMV included."""
    days: Counter[date] = Counter(sub.fixed_day)
    for (_, day), k in counts.items():
        days[day] += k
    weeks: Counter[Week] = Counter()
    for day, k in days.items():
        weeks[iso_week(day)] += k
    return max(weeks.values(), default=0), max(days.values(), default=0)


@dataclass(frozen=True)
class FlowTiers:
    base: FlowResult  # optimal for tiers 1–4, with both peaks at their optimum
    peak_week: int
    peak_day: int
    solves: int  # flows solved


def _smallest(lo: int, hi: int, ok: Callable[[int], bool]) -> tuple[int, int]:
    """The smallest value in [lo, hi] for which ``ok`` holds (it holds at ``hi``)."""
    tries = 0
    while lo < hi:
        mid = (lo + hi) // 2
        tries += 1
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi, tries


def flow_tiers(sub: SubProblem, classes: list[PatientClass]) -> FlowTiers:
    """Proven optimum of tiers 1–6 (unplaced … day peak) and a plan that reaches it."""
    free_flow = solve_flow(sub, classes)
    assert free_flow is not None
    best_week, best_day = loads(sub, free_flow.counts)
    placed = sum(free_flow.counts.values())
    fixed_weeks = sub.fixed_weeks()
    week_set = {iso_week(d) for _, d in free_flow.counts} | set(fixed_weeks)
    week_set |= {iso_week(d) for c in classes for d in c.dates}
    total = placed + sum(fixed_weeks.values())
    lo = max([math.ceil(total / len(week_set))] if week_set else [0])
    lo = max(lo, max(fixed_weeks.values(), default=0))

    def week_ok(p: int) -> bool:
        r = solve_flow(sub, classes, week_cap=p)
        return r is not None and r.cost == free_flow.cost

    peak_week, tries = _smallest(min(lo, best_week), best_week, week_ok)
    capped = solve_flow(sub, classes, week_cap=peak_week)
    assert capped is not None and capped.cost == free_flow.cost
    _, capped_day = loads(sub, capped.counts)
    day_set = {d for c in classes for d in c.dates} | set(sub.fixed_day)
    day_lo = max(math.ceil(total / len(day_set)) if day_set else 0,
                 max(sub.fixed_day.values(), default=0))

    def day_ok(p: int) -> bool:
        r = solve_flow(sub, classes, week_cap=peak_week, day_cap=p)
        return r is not None and r.cost == free_flow.cost

    peak_day, tries_day = _smallest(min(day_lo, capped_day), capped_day, day_ok)
    final = solve_flow(sub, classes, week_cap=peak_week, day_cap=peak_day)
    assert final is not None and final.cost == free_flow.cost
    return FlowTiers(final, peak_week, peak_day, 3 + tries + tries_day)


def tier_values(classes: list[PatientClass], result: FlowResult) -> tuple[int, int, int, int]:
    """Tiers 1–4 of a counted plan."""
    unplaced = broken = late = days = 0
    for ci, k in result.unplaced.items():
        cls = classes[ci]
        unplaced += k
        late += k * cls.req.overdue
        broken += k * (not cls.req.overdue)
    for (ci, day), k in result.counts.items():
        cls = classes[ci]
        broken += k * cls.broken(day)
        late += k * cls.late_overdue(day)
        days += k * cls.days_late(day)
    return unplaced, broken, late, days
