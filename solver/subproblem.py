"""One doctor's part of the year plan, its interchangeable patient classes and the tiers.

Doctors are independent: a doctor's patients only compete for that doctor's round dates and
ÅMV days. A :class:`SubProblem` holds everything that decides the doctor's plan; it is
picklable (sent to worker processes) and hashed for the doctor's fingerprint.

**The tiers** ("The order of a plan's qualities", ``docs/domain.md``), per doctor, each
before the next: 1 unplaced · 2 broken R7/R8 windows of patients not overdue (an unplaced
one counts) · 3 overdue patients seen later than the 28 days (an unplaced one counts) ·
4 days late · 5 weekly peak · 6 day peak · 7 spread (weeks, and per unit the months) ·
8 closeness in days to the ideal date · 9 moved against the previous plan. :func:`evaluate`
computes them for any plan; every model and the bench use it as the one yardstick.

**A move needs a reason.** With a previous plan the moves rank right after the patient tiers
(:data:`KEEP_ORDER`: 1–4, moved, then the peaks, spread and closeness), so evenness alone
never moves a saved ÅMV; only ``rebalance`` (the coordinator's "Jämna ut hela året") restores
:data:`TIER_NAMES` as the order. :func:`tier_order` says which order a sub-problem has; the
tier *vector* is always in ``TIER_NAMES`` positions.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from solver.calendar import iso_week
from solver.check import PlanContext
from solver.demand import Requirement
from solver.rounds import Pool, PoolKey, pool_of

Week = tuple[int, int]
TIER_NAMES = ("unplaced", "broken", "late_overdue", "days_late", "peak_week", "peak_day",
              "spread", "closeness", "moved")
# the order with a previous plan (unless rebalancing): a move must serve a patient tier
KEEP_ORDER = ("unplaced", "broken", "late_overdue", "days_late", "moved", "peak_week",
              "peak_day", "spread", "closeness")


@dataclass(frozen=True)
class SubProblem:
    """One doctor's part of the year plan: everything the models need, picklable.

    ``fixed_*`` count the ÅMV that are not variables (pinned, and frozen ones that are held)
    dated from the planning date on: per pool and date, per unit and date, per day."""

    doctor: str
    year: int
    first_day: date
    requirements: tuple[Requirement, ...]  # patients to place (pinned and held excluded)
    pools: dict[PoolKey, Pool]
    fixed_slot: dict[tuple[PoolKey, date], int]
    fixed_unit: dict[tuple[str, date], int]
    fixed_day: dict[date, int]
    previous: dict[str, date]  # patient id -> date in the previous plan
    # evenness before moves (the old order): not in the repr, so not in the fingerprint –
    # ``solver.solve`` never reuses a saved plan when rebalancing
    rebalance: bool = field(default=False, repr=False)

    @property
    def keeps_previous(self) -> bool:
        """Moves rank right after the patient tiers (``KEEP_ORDER``)."""
        return bool(self.previous) and not self.rebalance

    def free(self, key: PoolKey) -> dict[date, int]:
        """Places left on each date of a pool once the fixed ÅMV are counted."""
        pool = self.pools.get(key)
        if pool is None:
            return {}
        out = {}
        for day, cap in sorted(pool.capacity.items()):
            left = cap - self.fixed_slot.get((key, day), 0)
            if left > 0:
                out[day] = left
        return out

    def fixed_weeks(self) -> Counter[Week]:
        weeks: Counter[Week] = Counter()
        for day, n in self.fixed_day.items():
            weeks[iso_week(day)] += n
        return weeks

    def open_weeks(self) -> list[Week]:
        """Weeks in which one of the doctor's pools can hold an ÅMV (R9's weeks)."""
        return sorted({iso_week(d) for pool in self.pools.values() for d, c in
                       pool.capacity.items() if c > 0})

    def unit_places(self) -> dict[str, dict[int, int]]:
        """Per unit of the doctor (with patients): places per month in its pool."""
        units = {r.unit.name: r.unit for r in self.requirements}
        out: dict[str, dict[int, int]] = {}
        for name, unit in sorted(units.items()):
            pool = self.pools.get(pool_of(unit))
            places: Counter[int] = Counter()
            for day, cap in (pool.capacity.items() if pool else ()):
                places[day.month] += cap
            out[name] = dict(sorted(places.items()))
        return out


@dataclass(frozen=True)
class PatientClass:
    """Patients of one pool and unit whose every tier cost is equal on every date: same
    bounds, window, overdue flag, ideal date and cancelled date. They are interchangeable
    for tiers 1–8, so the model counts them per date; for tier 9 (moves) it counts, per date,
    how many of those placed there had it in the previous plan (at most ``previous[day]``).
    Names are assigned afterwards: the previous date's owners first."""

    pool: PoolKey
    unit: str
    members: tuple[str, ...]  # patient ids, sorted
    req: Requirement  # the first member's requirement (equal for all in what matters)
    previous: dict[date, int]  # previous date -> members that had it
    had_previous: int  # members with a previous date at all
    dates: tuple[date, ...]  # candidate dates (free places, inside the patient's bounds)

    @property
    def size(self) -> int:
        return len(self.members)

    def broken(self, day: date) -> int:
        return int(not self.req.overdue and not self.req.in_window(day))

    def late_overdue(self, day: date) -> int:
        return int(self.req.overdue and day > self.req.window_end)

    def days_late(self, day: date) -> int:
        return self.req.days_late(day)

    def closeness(self, day: date) -> int:
        return abs((day - self.req.target).days)


def class_key(req: Requirement) -> tuple[object, ...]:
    return (pool_of(req.unit), req.unit.name, req.earliest, req.latest, req.window_start,
            req.window_end, req.overdue, req.target, req.cancelled)


def build_classes(sub: SubProblem) -> list[PatientClass]:
    groups: dict[tuple[object, ...], list[Requirement]] = defaultdict(list)
    for req in sub.requirements:
        groups[class_key(req)].append(req)
    free = {key: sub.free(key) for key in sub.pools}
    classes = []
    for reqs in groups.values():
        reqs.sort(key=lambda r: r.patient.id)
        req = reqs[0]
        key = pool_of(req.unit)
        dates = tuple(d for d in free.get(key, {}) if req.allows(d))
        prev: Counter[date] = Counter(sub.previous[r.patient.id] for r in reqs
                                      if r.patient.id in sub.previous)
        classes.append(PatientClass(key, req.unit.name, tuple(r.patient.id for r in reqs), req,
                                    dict(sorted(prev.items())), sum(prev.values()), dates))
    classes.sort(key=lambda c: c.members[0])
    return classes


def name_plan(classes: list[PatientClass], counts: Mapping[tuple[int, date], int],
              previous: Mapping[str, date]) -> dict[str, date | None]:
    """Names onto the counted places, deterministically: within a class, each date goes
    first to the members (in id order) that had it in the previous plan, then the remaining
    members in id order get the remaining dates in date order; those left over are
    unplaced. This keeps the most previous dates the counts allow."""
    plan: dict[str, date | None] = {}
    for ci, cls in enumerate(classes):
        left = {day: counts.get((ci, day), 0) for day in cls.dates}
        rest = []
        for pid in cls.members:
            day = previous.get(pid)
            if day is not None and left.get(day, 0) > 0:
                plan[pid] = day
                left[day] -= 1
            else:
                rest.append(pid)
        days: list[date | None] = []
        for day in cls.dates:
            days += [day] * left[day]
        days += [None] * (len(rest) - len(days))
        for pid, day in zip(rest, days, strict=True):
            plan[pid] = day
    return plan


def split_by_doctor(ctx: PlanContext) -> list[SubProblem]:
    """The doctors' sub-problems, sorted by doctor name."""
    problem, demand = ctx.problem, ctx.demand
    first = problem.settings.first_day
    fixed_slot: Counter[tuple[PoolKey, date]] = Counter()
    # per doctor (the requirement's: a named doctor's patient counts in that doctor's time)
    fixed_unit: dict[str, Counter[tuple[str, date]]] = defaultdict(Counter)
    fixed_day: dict[str, Counter[date]] = defaultdict(Counter)
    fixed: dict[str, date] = {pid: v.date for pid, v in demand.pinned.items()}
    fixed.update(ctx.freeze.held)
    for pid, day in sorted(fixed.items()):
        req = ctx.requirements.get(pid)
        if req is None or day < first or day.year != problem.year:
            continue
        fixed_slot[pool_of(req.unit), day] += 1
        fixed_unit[req.doctor][req.unit.name, day] += 1
        fixed_day[req.doctor][day] += 1
    previous = ctx.freeze.previous
    subs = []
    for doctor in sorted(d.name for d in problem.doctors):
        reqs = tuple(sorted(
            (r for r in demand.required if r.doctor == doctor and r.patient.id not in fixed),
            key=lambda r: r.patient.id))
        pools = {k: p for k, p in sorted(ctx.pools.items()) if p.doctor == doctor}
        subs.append(SubProblem(
            doctor=doctor,
            year=problem.year,
            first_day=first,
            requirements=reqs,
            pools=pools,
            fixed_slot={k: v for k, v in sorted(fixed_slot.items()) if k[0] in pools},
            fixed_unit=dict(sorted(fixed_unit[doctor].items())),
            fixed_day=dict(sorted(fixed_day[doctor].items())),
            previous={r.patient.id: previous[r.patient.id] for r in reqs
                      if r.patient.id in previous},
            rebalance=problem.settings.rebalance,
        ))
    return subs


def tier_order(sub: SubProblem) -> tuple[str, ...]:
    """The doctor's tiers in priority order: ``KEEP_ORDER`` when there is a previous plan to
    keep, else ``TIER_NAMES`` (a first plan, where nothing can move, or a rebalance)."""
    return KEEP_ORDER if sub.keeps_previous else TIER_NAMES


def band(load: int, target: float) -> int:
    """How far ``load`` lies outside [floor(target), ceil(target)]."""
    return max(0, load - math.ceil(target), math.floor(target) - load)


def evaluate(sub: SubProblem, plan: Mapping[str, date | None]) -> tuple[int, ...]:
    """The tier vector (``TIER_NAMES``) of a plan of the doctor's patients."""
    unplaced = broken = late_od = days_late = closeness = moved = 0
    days: Counter[date] = Counter(sub.fixed_day)
    units: Counter[tuple[str, int]] = Counter()
    unit_n: Counter[str] = Counter()
    for (unit, day), n in sub.fixed_unit.items():
        units[unit, day.month] += n
        unit_n[unit] += n
    for req in sub.requirements:
        pid = req.patient.id
        planned = plan.get(pid)
        prev = sub.previous.get(pid)
        if prev is not None and planned != prev:
            moved += 1
        if planned is None:
            unplaced += 1
            late_od += req.overdue
            broken += not req.overdue
            continue
        broken += not req.overdue and not req.in_window(planned)
        late_od += req.overdue and planned > req.window_end
        days_late += req.days_late(planned)
        closeness += abs((planned - req.target).days)
        days[planned] += 1
        units[req.unit.name, planned.month] += 1
        unit_n[req.unit.name] += 1
    weeks: Counter[Week] = Counter()
    for day, n in days.items():
        weeks[iso_week(day)] += n
    open_weeks = sub.open_weeks()
    spread = 0
    if open_weeks:
        total = sum(weeks[w] for w in open_weeks)
        spread += sum(band(weeks[w], total / len(open_weeks)) for w in open_weeks)
    for unit, places in sub.unit_places().items():
        all_places = sum(places.values())
        for month, p in places.items():
            spread += band(units[unit, month], unit_n[unit] * p / all_places)
    return (unplaced, broken, late_od, days_late, max(weeks.values(), default=0),
            max(days.values(), default=0), spread, closeness, moved)
