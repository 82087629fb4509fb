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

**Moves (with a previous plan, ``SubProblem.keeps_previous``)** rank right after tier 4
(``KEEP_ORDER``), so they are part of the same flow: every arc out of a class (a date, or
"unplaced") costs one more unit ``w.move``, except a parallel "keep" arc on each previous
date of the class with as many places as members had that date. The cost is then
``n·w.move − kept·w.move + tiers 1–4``, and the smallest cost keeps the most previous dates
among the plans optimal for tiers 1–4 (the days late weigh more than all moves together).
The peaks are then searched among the plans optimal for tiers 1–4 *and* the moves. The
weights grow with the doctor's patients ``n`` about as ``366·n⁴`` with moves (``366·n³``
without); SimpleMinCostFlow scales costs by the number of nodes and refuses a range that
could overflow 64 bits (BAD_COST_RANGE: an error naming the doctor), far beyond the ~600
patients of the largest doctor of the family (estimated at 1,500–2,000 patients for one
doctor; not measured).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from solver.calendar import iso_week
from solver.subproblem import PatientClass, SubProblem, Week

INF_CAP = 1 << 30
Ints = npt.NDArray[np.int64]


class CostRangeError(RuntimeError):
    """The weights of a doctor's flow do not fit in 64 bits (with moves, about 2,000
    patients for one doctor): the caller plans that doctor without the move tier in the
    flow (``solver.stages.solve_doctor``)."""


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
    day: int = 1  # per day late
    move: int = 0  # per ÅMV off its previous date (0: moves are not a flow tier)


def weights(n: int, moves: int = 0) -> Weights:
    """Weights that make the weighted sum lexicographic: at most ``moves`` ÅMV can keep a
    previous date, so all moves weigh less than one day late; days late ≤ 366 per patient,
    so the days of all ``n`` patients (and the moves) stay below one late overdue patient,
    all late overdue below one broken window, all broken windows below one unplaced
    patient. With ``moves == 0`` these are the weights of tiers 1–4 alone."""
    day = moves + 1 if moves else 1
    late = day * 366 * n + moves + 1
    broken = late * (n + 1)
    return Weights(unplaced=broken * (n + 1), broken=broken, late=late, day=day,
                   move=1 if moves else 0)


def unplaced_cost(cls: PatientClass, w: Weights) -> int:
    return w.unplaced + (w.late if cls.req.overdue else w.broken) + w.move


def _arc_costs(classes: list[PatientClass], arcs: list[tuple[int, date]], w: Weights) -> Ints:
    """Per class arc: ``w.broken`` for a broken window, ``w.late`` for an overdue patient
    seen after the 28 days, ``w.day`` per day late (``PatientClass.broken`` etc.,
    vectorised); without ``w.move``, which only the arcs that do not keep a date add."""
    if not arcs:
        return np.zeros(0, dtype=np.int64)
    ci = np.array([c for c, _ in arcs], dtype=np.int64)
    day = np.array([d.toordinal() for _, d in arcs], dtype=np.int64)
    start = np.array([c.req.window_start.toordinal() for c in classes], dtype=np.int64)[ci]
    end = np.array([c.req.window_end.toordinal() for c in classes], dtype=np.int64)[ci]
    overdue = np.array([c.req.overdue for c in classes], dtype=bool)[ci]
    outside = (day < start) | (day > end)
    late = np.where(day > end, day - end, np.where(day < start, start - day, 0))
    costs: Ints = (w.broken * (outside & ~overdue) + w.late * ((day > end) & overdue)
                   + w.day * late).astype(np.int64)
    return costs


@dataclass(frozen=True)
class Network:
    """The arcs of a doctor's flow, built once and solved with different caps on the day
    and week arcs (which come last: ``days`` then ``weeks``)."""

    classes: list[PatientClass]
    n: int
    class_arcs: list[tuple[int, date]]  # arc i: class, date
    keep_arcs: Ints  # after the unplaced arcs: the class arc each "keep" arc runs beside
    days: list[date]
    weeks: list[Week]
    tails: Ints
    heads: Ints
    caps: Ints  # day and week arcs uncapped
    costs: Ints
    supplies: Ints
    fixed_day: Ints  # per day of ``days``: pinned and held ÅMV
    fixed_week: Ints  # per week of ``weeks``


def network(sub: SubProblem, classes: list[PatientClass]) -> Network:
    n = sum(c.size for c in classes)
    class_arcs = [(ci, day) for ci, cls in enumerate(classes) for day in cls.dates]
    # keep arcs: beside a class's arc to a date it had in the previous plan, as many places
    # as members had it, without the move cost
    keep: list[tuple[int, int]] = []  # (class arc index, members that had that date)
    if sub.keeps_previous:
        index = {arc: i for i, arc in enumerate(class_arcs)}
        keep = [(index[ci, day], min(k, cls.size)) for ci, cls in enumerate(classes)
                for day, k in cls.previous.items() if (ci, day) in index]
    w = weights(n, sum(k for _, k in keep))
    base = _arc_costs(classes, class_arcs, w)
    slots = sorted({(cls.pool, day) for cls in classes for day in cls.dates},
                   key=lambda k: (k[1], k[0]))
    free = {key: sub.free(key) for key in sub.pools}
    days = sorted({day for _, day in slots})
    weeks = sorted({iso_week(day) for day in days})
    sink = len(classes)
    slot_id = {slot: sink + 1 + i for i, slot in enumerate(slots)}
    day_id = {day: sink + 1 + len(slots) + i for i, day in enumerate(days)}
    week_id = {week: sink + 1 + len(slots) + len(days) + i for i, week in enumerate(weeks)}
    sizes = [cls.size for cls in classes]
    tails = [ci for ci, _ in class_arcs] + list(range(len(classes)))
    heads = [slot_id[classes[ci].pool, day] for ci, day in class_arcs] + [sink] * len(classes)
    caps = [sizes[ci] for ci, _ in class_arcs] + sizes
    costs = [*(base + w.move).tolist(), *(unplaced_cost(cls, w) for cls in classes)]
    tails += [tails[i] for i, _ in keep]
    heads += [heads[i] for i, _ in keep]
    caps += [k for _, k in keep]
    costs += [int(base[i]) for i, _ in keep]
    tails += [slot_id[slot] for slot in slots]
    heads += [day_id[day] for _, day in slots]
    caps += [free[key][day] for key, day in slots]
    tails += [day_id[day] for day in days] + [week_id[week] for week in weeks]
    heads += [week_id[iso_week(day)] for day in days] + [sink] * len(weeks)
    caps += [INF_CAP] * (len(days) + len(weeks))
    costs += [0] * (len(slots) + len(days) + len(weeks))
    supplies = [*sizes, -n] + [0] * (len(slots) + len(days) + len(weeks))
    fixed_weeks = sub.fixed_weeks()
    return Network(classes, n, class_arcs, _ints([i for i, _ in keep]), days, weeks,
                   _ints(tails), _ints(heads),
                   _ints(caps), _ints(costs), _ints(supplies),
                   _ints([sub.fixed_day.get(day, 0) for day in days]),
                   _ints([fixed_weeks.get(week, 0) for week in weeks]))


def _ints(values: list[int]) -> Ints:
    return np.array(values, dtype=np.int64)


def potentials(n_nodes: int, tails: Ints, heads: Ints, caps: Ints, costs: Ints,
               flows: Ints) -> Ints:
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


class Flows:
    """The doctor's min-cost flow of tiers 1–4, solved under different caps, each once."""

    def __init__(self, sub: SubProblem, net: Network) -> None:
        self.sub, self.net = sub, net
        self.solved: dict[tuple[int | None, int | None], tuple[int, Ints, Ints] | None] = {}

    def caps(self, week_cap: int | None, day_cap: int | None) -> Ints | None:
        """Arc capacities with the doctor's weeks capped at ``week_cap`` and days at
        ``day_cap`` ÅMV (pinned and held ones included); None below the fixed load."""
        net = self.net
        caps = net.caps.copy()
        n_days, n_weeks = len(net.days), len(net.weeks)
        first_day = len(caps) - n_days - n_weeks
        if day_cap is not None:
            day_caps = day_cap - net.fixed_day
            if (day_caps < 0).any():
                return None
            caps[first_day:first_day + n_days] = day_caps
        if week_cap is not None:
            week_caps = week_cap - net.fixed_week
            if (week_caps < 0).any():
                return None
            caps[first_day + n_days:] = week_caps
        return caps

    def solve(self, week_cap: int | None = None,
              day_cap: int | None = None) -> tuple[int, Ints, Ints] | None:
        """(optimal cost, flow per arc, capacities), or None if the caps are below the
        fixed load."""
        key = (week_cap, day_cap)
        if key not in self.solved:
            self.solved[key] = self._reuse(week_cap, day_cap) or self._solve(week_cap, day_cap)
        return self.solved[key]

    def _reuse(self, week_cap: int | None, day_cap: int | None,
               ) -> tuple[int, Ints, Ints] | None:
        """A flow solved under looser caps that keeps these caps too: it is optimal here as
        well (tighter caps cannot lower the cost), so it needs no solve."""
        caps = self.caps(week_cap, day_cap)
        if caps is None:
            return None
        for solved in self.solved.values():
            if solved is not None and (solved[2] >= caps).all() and (solved[1] <= caps).all():
                return solved[0], solved[1], caps
        return None

    def _solve(self, week_cap: int | None, day_cap: int | None,
               ) -> tuple[int, Ints, Ints] | None:
        caps = self.caps(week_cap, day_cap)
        if caps is None:
            return None
        net = self.net
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(net.tails.astype(np.int32),
                                                  net.heads.astype(np.int32), caps, net.costs)
        flow.set_nodes_supplies(np.arange(len(net.supplies), dtype=np.int32), net.supplies)
        status = flow.solve()
        if status == flow.BAD_COST_RANGE:
            raise CostRangeError(f"min-cost flow: the costs of {self.sub.doctor} are too large")
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed for {self.sub.doctor}: status {status}")
        flows = np.asarray(flow.flows(np.arange(len(caps), dtype=np.int32)), dtype=np.int64)
        return int(flow.optimal_cost()), flows, caps

    def result(self, week_cap: int | None = None, day_cap: int | None = None,
               reduce: bool = False) -> FlowResult | None:
        """The flow as counts per class and date, and with ``reduce`` the arcs that are
        empty in every optimal flow."""
        solved = self.solve(week_cap, day_cap)
        if solved is None:
            return None
        cost, flows, caps = solved
        net = self.net
        n_arcs, n_classes = len(net.class_arcs), len(net.classes)
        kept = slice(n_arcs + n_classes, n_arcs + n_classes + len(net.keep_arcs))
        per_arc = flows[:n_arcs].copy()
        np.add.at(per_arc, net.keep_arcs, flows[kept])
        counts = {net.class_arcs[i]: int(per_arc[i]) for i in np.flatnonzero(per_arc)}
        unplaced = {int(j): int(flows[n_arcs + j]) for j in np.flatnonzero(
            flows[n_arcs:n_arcs + n_classes])}
        never: set[tuple[int, date]] = set()
        never_unplaced: set[int] = set()
        if reduce:
            # complementary slackness: with one optimal dual, an arc of positive reduced
            # cost is empty in every optimal flow – exact domain reduction for later stages
            pi = potentials(len(net.supplies), net.tails, net.heads, caps, net.costs, flows)
            reduced = net.costs + pi[net.tails] - pi[net.heads]
            # a date is empty in every optimal flow when both its arcs are: the keep arc
            # runs beside the other one, between the same nodes
            per_date = reduced[:n_arcs].copy()
            np.minimum.at(per_date, net.keep_arcs, reduced[kept])
            never = {net.class_arcs[i] for i in np.flatnonzero(per_date > 0)}
            never_unplaced = {int(j) for j in np.flatnonzero(
                reduced[n_arcs:n_arcs + n_classes] > 0)}
        return FlowResult(cost, counts, unplaced, frozenset(never), frozenset(never_unplaced))


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
    base: FlowResult  # optimal for tiers 1–4 (and the moves), with both peaks at their optimum
    peak_week: int
    peak_day: int
    solves: int  # distinct flows solved
    moved: int | None = None  # the proven fewest moves, when they rank before the peaks


def _smallest(lo: int, hi: int, probe: Callable[[int], int | None]) -> int:
    """The smallest cap in [lo, hi] at which the flow keeps its optimal cost (it does at
    ``hi``; the cost is monotone in the cap). ``probe(cap)`` is the peak of an optimal flow
    under ``cap`` (at most ``cap``), or None when the cost rises: the peak found lowers
    ``hi`` at once (binary search otherwise)."""
    while lo < hi:
        mid = (lo + hi) // 2
        got = probe(mid)
        if got is None:
            lo = mid + 1
        else:
            hi = min(mid, got)
    return hi


def flow_tiers(sub: SubProblem, classes: list[PatientClass]) -> FlowTiers:
    """Proven optimum of tiers 1–6 (unplaced … day peak) and a plan that reaches it."""
    flows = Flows(sub, network(sub, classes))
    free_flow = flows.result()
    assert free_flow is not None
    best_week, _ = loads(sub, free_flow.counts)
    placed = sum(free_flow.counts.values())
    fixed_weeks = sub.fixed_weeks()
    week_set = {iso_week(d) for _, d in free_flow.counts} | set(fixed_weeks)
    week_set |= {iso_week(d) for c in classes for d in c.dates}
    total = placed + sum(fixed_weeks.values())
    lo = max([math.ceil(total / len(week_set))] if week_set else [0])
    lo = max(lo, max(fixed_weeks.values(), default=0))

    def week_probe(p: int) -> int | None:
        r = flows.result(week_cap=p)
        return loads(sub, r.counts)[0] if r is not None and r.cost == free_flow.cost else None

    peak_week = _smallest(min(lo, best_week), best_week, week_probe)
    capped = flows.result(week_cap=peak_week)
    assert capped is not None and capped.cost == free_flow.cost
    _, capped_day = loads(sub, capped.counts)
    day_set = {d for c in classes for d in c.dates} | set(sub.fixed_day)
    day_lo = max(math.ceil(total / len(day_set)) if day_set else 0,
                 max(sub.fixed_day.values(), default=0))

    def day_probe(p: int) -> int | None:
        r = flows.result(week_cap=peak_week, day_cap=p)
        return loads(sub, r.counts)[1] if r is not None and r.cost == free_flow.cost else None

    peak_day = _smallest(min(day_lo, capped_day), capped_day, day_probe)
    final = flows.result(week_cap=peak_week, day_cap=peak_day, reduce=True)
    assert final is not None and final.cost == free_flow.cost
    moved = moves(classes, final.counts) if sub.keeps_previous else None
    return FlowTiers(final, peak_week, peak_day, len(flows.solved), moved)


def moves(classes: list[PatientClass], counts: dict[tuple[int, date], int]) -> int:
    """Members off their previous date in a counted plan, when names keep every previous
    date the counts allow (``subproblem.name_plan``)."""
    kept = sum(min(counts.get((ci, day), 0), k) for ci, cls in enumerate(classes)
               for day, k in cls.previous.items())
    return sum(cls.had_previous for cls in classes) - kept


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
