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

import numpy as np
from ortools.graph.python import min_cost_flow

from solver.calendar import iso_week
from solver.rounds import PoolKey
from solver.subproblem import PatientClass, SubProblem, Week

INF_CAP = 1 << 30


@dataclass(frozen=True)
class FlowResult:
    cost: int
    counts: dict[tuple[int, date], int]  # (class index, date) -> patients
    unplaced: dict[int, int]  # class index -> patients left unplaced
    # arcs that carry nothing in *every* optimal flow (positive reduced cost), when asked
    never: frozenset[tuple[int, date]] = frozenset()
    never_unplaced: frozenset[int] = frozenset()


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


@dataclass(frozen=True)
class Network:
    """The arcs of a doctor's flow, built once and solved with different caps."""

    classes: list[PatientClass]
    n: int
    class_arcs: list[tuple[int, date, int]]  # class, date, unit cost
    unplaced_arcs: list[tuple[int, int]]  # class, unit cost
    slots: list[tuple[PoolKey, date, int]]  # pool, date, free places
    days: list[date]


def network(sub: SubProblem, classes: list[PatientClass]) -> Network:
    n = sum(c.size for c in classes)
    w = weights(n)
    class_arcs = []
    slot_set: set[tuple[PoolKey, date]] = set()
    for ci, cls in enumerate(classes):
        for day in cls.dates:
            class_arcs.append((ci, day, arc_cost(cls, day, w)))
            slot_set.add((cls.pool, day))
    free = {key: sub.free(key) for key in sub.pools}
    slots = [(key, day, free[key][day]) for key, day in
             sorted(slot_set, key=lambda k: (k[1], k[0]))]
    return Network(classes, n, class_arcs,
                   [(ci, unplaced_cost(cls, w)) for ci, cls in enumerate(classes)],
                   slots, sorted({day for _, day, _ in slots}))


def potentials(n_nodes: int, tails: np.ndarray, heads: np.ndarray, caps: np.ndarray,
               costs: np.ndarray, flows: np.ndarray) -> np.ndarray:
    """Optimal node potentials of a min-cost flow: shortest distances in its residual graph
    from a virtual root joined to every node (Bellman–Ford, vectorised; an optimal flow has
    no negative cycle, so it ends within ``n_nodes`` rounds)."""
    fwd = flows < caps
    back = flows > 0
    r_tail = np.concatenate([tails[fwd], heads[back]])
    r_head = np.concatenate([heads[fwd], tails[back]])
    r_cost = np.concatenate([costs[fwd], -costs[back]])
    dist = np.zeros(n_nodes, dtype=np.int64)
    for _ in range(n_nodes + 1):
        new = dist.copy()
        np.minimum.at(new, r_head, dist[r_tail] + r_cost)
        if np.array_equal(new, dist):
            return dist
        dist = new
    raise RuntimeError("negative cycle in the residual graph of an optimal flow")


def solve_flow(sub: SubProblem, net: Network, week_cap: int | None = None,
               day_cap: int | None = None, reduce: bool = False) -> FlowResult | None:
    """The min-cost flow of tiers 1–4 with the doctor's weeks capped at ``week_cap`` and days
    at ``day_cap`` ÅMV (pinned and held ones included); None if the caps are below the fixed
    load."""
    fixed_weeks = sub.fixed_weeks()
    flow = min_cost_flow.SimpleMinCostFlow()
    n_classes = len(net.classes)
    sink = n_classes
    slot_id = {(key, day): sink + 1 + i for i, (key, day, _) in enumerate(net.slots)}
    day_id = {day: sink + 1 + len(net.slots) + i for i, day in enumerate(net.days)}
    weeks = sorted({iso_week(day) for day in net.days})
    week_id = {week: sink + 1 + len(net.slots) + len(net.days) + i
               for i, week in enumerate(weeks)}
    for ci, cls in enumerate(net.classes):
        flow.set_node_supply(ci, cls.size)
    tails = [ci for ci, _, _ in net.class_arcs]
    heads = [slot_id[net.classes[ci].pool, day] for ci, day, _ in net.class_arcs]
    caps = [net.classes[ci].size for ci, _, _ in net.class_arcs]
    costs = [cost for _, _, cost in net.class_arcs]
    for ci, cost in net.unplaced_arcs:
        tails.append(ci)
        heads.append(sink)
        caps.append(net.classes[ci].size)
        costs.append(cost)
    for key, day, free in net.slots:
        tails.append(slot_id[key, day])
        heads.append(day_id[day])
        caps.append(free)
        costs.append(0)
    for day in net.days:
        cap = INF_CAP
        if day_cap is not None:
            cap = day_cap - sub.fixed_day.get(day, 0)
            if cap < 0:
                return None
        tails.append(day_id[day])
        heads.append(week_id[iso_week(day)])
        caps.append(cap)
        costs.append(0)
    for week in weeks:
        cap = INF_CAP
        if week_cap is not None:
            cap = week_cap - fixed_weeks.get(week, 0)
            if cap < 0:
                return None
        tails.append(week_id[week])
        heads.append(sink)
        caps.append(cap)
        costs.append(0)
    a_tail, a_head = np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32)
    a_cap, a_cost = np.array(caps, dtype=np.int64), np.array(costs, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(a_tail, a_head, a_cap, a_cost)
    flow.set_node_supply(sink, -net.n)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed for {sub.doctor}: status {status}")
    flows = flow.flows(np.arange(len(tails), dtype=np.int32))
    counts = {}
    for i, (ci, day, _) in enumerate(net.class_arcs):
        if flows[i]:
            counts[ci, day] = int(flows[i])
    unplaced = {}
    for j in range(n_classes):
        k = int(flows[len(net.class_arcs) + j])
        if k:
            unplaced[j] = k
    never: set[tuple[int, date]] = set()
    never_unplaced: set[int] = set()
    if reduce:
        # complementary slackness: with one optimal dual, an arc of positive reduced cost
        # is empty in every optimal flow – exact domain reduction for the later stages
        pi = potentials(int(max(a_tail.max(), a_head.max())) + 1, a_tail.astype(np.int64),
                        a_head.astype(np.int64), a_cap, a_cost, np.asarray(flows))
        reduced = a_cost + pi[a_tail] - pi[a_head]
        for i, (ci, day, _) in enumerate(net.class_arcs):
            if reduced[i] > 0:
                never.add((ci, day))
        for j in range(n_classes):
            if reduced[len(net.class_arcs) + j] > 0:
                never_unplaced.add(j)
    return FlowResult(int(flow.optimal_cost()), counts, unplaced, frozenset(never),
                      frozenset(never_unplaced))


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
    net = network(sub, classes)
    free_flow = solve_flow(sub, net)
    assert free_flow is not None
    best_week, _ = loads(sub, free_flow.counts)
    placed = sum(free_flow.counts.values())
    fixed_weeks = sub.fixed_weeks()
    week_set = {iso_week(d) for _, d in free_flow.counts} | set(fixed_weeks)
    week_set |= {iso_week(d) for c in classes for d in c.dates}
    total = placed + sum(fixed_weeks.values())
    lo = max([math.ceil(total / len(week_set))] if week_set else [0])
    lo = max(lo, max(fixed_weeks.values(), default=0))

    def week_ok(p: int) -> bool:
        r = solve_flow(sub, net, week_cap=p)
        return r is not None and r.cost == free_flow.cost

    peak_week, tries = _smallest(min(lo, best_week), best_week, week_ok)
    capped = solve_flow(sub, net, week_cap=peak_week)
    assert capped is not None and capped.cost == free_flow.cost
    _, capped_day = loads(sub, capped.counts)
    day_set = {d for c in classes for d in c.dates} | set(sub.fixed_day)
    day_lo = max(math.ceil(total / len(day_set)) if day_set else 0,
                 max(sub.fixed_day.values(), default=0))

    def day_ok(p: int) -> bool:
        r = solve_flow(sub, net, week_cap=peak_week, day_cap=p)
        return r is not None and r.cost == free_flow.cost

    peak_day, tries_day = _smallest(min(day_lo, capped_day), capped_day, day_ok)
    final = solve_flow(sub, net, week_cap=peak_week, day_cap=peak_day, reduce=True)
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
