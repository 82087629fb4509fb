"""The freeze of a re-plan ("The year as it happens", contracts "Continuous planning").

An ÅMV of the previous plan dated in ``[plan_from, plan_from + freeze_days)`` keeps its date
(hard: preparation has begun, relatives are invited), unless it cannot be held:

- the patient ended on or before that day, or needs no ÅMV any more → *released*: not an
  appointment and not a move (the patient, if still required, is planned like a new one);
- the patient moved to another unit; the doctor is absent that day without a substitute; the
  round is cancelled (not a working day, summer or blocked, the unit's cancelled date, not a
  round date or ÅMV day any more); more frozen ÅMV than places on that round → *forced*: the
  patient is re-placed like any other and the move is reported with its Swedish reason.

A *booked* ÅMV (``PreviousVisit.booked``: its date was given out with "Boka" or
``suggest --apply``) is held the same way wherever it lies after the planning date, and
forced to move, with the reason, only when it cannot be held; a released booked ÅMV (the
patient ended) is listed as forced too, with the reason, so the date given out is taken back
in words.

The freeze applies only when ``Settings.plan_from`` is given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from solver.calendar import WorkCalendar
from solver.demand import Demand
from solver.problem import PreviousVisit, Problem, Unit
from solver.rounds import PoolKey, pool_of, slot_capacity

ABSENT = "läkaren är frånvarande utan vikarie"
FULL = "fler frysta ÅMV än platser på ronden"
ENDS = "patienten slutar före datumet"


@dataclass(frozen=True)
class Freeze:
    """``held``: patient id -> the frozen date kept (hard); ``forced``: patient id -> (old
    date, reason); ``previous``: patient id -> previous date for the move count (released
    ÅMV left out)."""

    start: date | None = None
    end: date | None = None  # exclusive
    held: dict[str, date] = field(default_factory=dict)
    forced: dict[str, tuple[date, str]] = field(default_factory=dict)
    previous: dict[str, date] = field(default_factory=dict)

    def in_freeze(self, day: date) -> bool:
        return self.start is not None and self.end is not None and self.start <= day < self.end


def _booked(reason: str) -> str:
    return f"bokat datum kan inte hållas: {reason}"


def _why_not_held(problem: Problem, cal: WorkCalendar, visit: PreviousVisit,
                  unit: Unit) -> str:
    """``unit``: the requirement's unit (the named doctor's time for such a patient)."""
    if visit.unit and visit.unit != unit.name:
        return f"patienten har flyttat till {unit.name}"
    absence = cal.absence(unit.doctor, visit.date)
    if absence is not None and absence.blocks_reviews and not absence.substitute:
        return ABSENT
    capacity, reason = slot_capacity(problem, unit, cal, visit.date)
    if capacity <= 0:
        return reason or "ronden är inställd"
    return ""


def build_freeze(problem: Problem, cal: WorkCalendar, demand: Demand) -> Freeze:
    """Which previous ÅMV are held, which are forced to move (and why), which released."""
    s = problem.settings
    requirements = demand.by_patient()
    previous: dict[str, date] = {}
    if s.plan_from is None:
        for v in sorted(problem.previous, key=lambda v: (v.patient_id, v.date)):
            if v.patient_id in requirements and v.patient_id not in demand.pinned:
                previous[v.patient_id] = v.date
        return Freeze(previous=previous)
    start = s.plan_from
    end = start + timedelta(days=max(0, s.freeze_days))
    held: dict[str, date] = {}
    forced: dict[str, tuple[date, str]] = {}
    by_slot: dict[tuple[PoolKey, date], list[str]] = defaultdict(list)
    booked = {v.patient_id for v in problem.previous if v.booked}
    not_required = {p.id: why for p, why in demand.not_required}
    for v in sorted(problem.previous, key=lambda v: (v.patient_id, v.date)):
        req = requirements.get(v.patient_id)
        if req is None or v.patient_id in demand.pinned:
            if v.booked and v.date >= start and v.patient_id in not_required:
                forced[v.patient_id] = (v.date, _booked(not_required[v.patient_id]))
            continue  # released: the patient needs no ÅMV (ended, excluded) or has one
        if not (start <= v.date < end or (v.booked and v.date >= start)):
            previous[v.patient_id] = v.date
            continue
        if not req.allows(v.date):
            if v.booked:
                forced[v.patient_id] = (v.date, _booked(ENDS))
            continue  # released: ended on or before that day, or that ÅMV was cancelled
        previous[v.patient_id] = v.date
        reason = _why_not_held(problem, cal, v, req.unit)
        if reason:
            forced[v.patient_id] = (v.date, _booked(reason) if v.booked else reason)
        else:
            by_slot[pool_of(req.unit), v.date].append(v.patient_id)
    pinned_load: dict[tuple[PoolKey, date], int] = defaultdict(int)
    for pid, visit in demand.pinned.items():
        req = requirements.get(pid)
        if req is not None:
            pinned_load[pool_of(req.unit), visit.date] += 1
    for (key, day), pids in sorted(by_slot.items()):
        unit = requirements[pids[0]].unit
        capacity, _ = slot_capacity(problem, unit, cal, day)
        room = max(0, capacity - pinned_load[key, day])
        for i, pid in enumerate(sorted(pids)):
            if i < room:
                held[pid] = day
            else:
                forced[pid] = (day, _booked(FULL) if pid in booked else FULL)
    return Freeze(start, end, held, forced, previous)
