"""``solve(problem)``: the year plan, one independent sub-problem per doctor.

Each doctor is solved tier by tier (``solver.stages``): min-cost flows prove tiers 1–6, CP-SAT
stages the rest, under deterministic limits only, so the same input gives the byte-identical
plan in one process or several, with any number of workers, on a busy machine or a quiet one.

**Incremental re-plan.** Every ``DoctorSolve`` carries a ``fingerprint``: a SHA-256 of the
doctor's whole sub-problem except ``previous`` (patients to place with their windows, pools
and their capacity, pinned and held ÅMV, the search budget and seed). When ``reuse`` gives
the saved fingerprint of a doctor, it is unchanged, and the doctor's ``previous`` ÅMV form a
complete assignment (every patient on a date that is free for it, but for the patients the
saved plan left unplaced – the fingerprint's suffix :func:`unplaced_tag` names them, and the
patients without a previous date must be exactly those), the doctor is not solved again: the
previous dates are kept (``DoctorSolve.reused``). This equals a full solve:

- the fingerprint is only handed out as reusable for a plan proven OPTIMAL for the whole
  order (a plan that is not gets the suffix ``~feasible`` and is never matched), so the
  previous dates are optimal for tiers 1–8 of this very sub-problem;
- a full solve with these ``previous`` ÅMV reaches the same optimum of tiers 1–4 and then
  minimises the moves (``KEEP_ORDER``: right after tier 4): the previous dates reach 0 moves,
  and a plan with 0 moves *is* the previous plan, so the full solve returns exactly the
  previous dates. (A saved plan made under either order is optimal for tiers 1–4.)
- a rebalance (``Settings.rebalance``: evenness before moves) never reuses: a plan saved
  under ``KEEP_ORDER`` need not be optimal for the peaks and the spread.

Any other doctor is solved again, warm-started from its previous dates (the moves stage is
hinted with them).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from solver.calendar import preparation_date
from solver.check import PlanContext
from solver.explain import explain_unplaced
from solver.measures import finish_plan
from solver.problem import Problem, VisitStatus
from solver.result import Appointment, DoctorSolve, ForcedMove, PlanResult, Unplaced
from solver.rounds import PoolKey, pool_of
from solver.stages import solve_doctor
from solver.subproblem import SubProblem, evaluate, split_by_doctor
from solver.workers import Job, Result, run_processes, run_threads

PARALLEL_MIN_PATIENTS = 1500  # processes pay off from here; below, threads
THREADS_MIN_PATIENTS = 150
MIN_DOCTOR_BUDGET = 2.0
NOT_REUSABLE = "~feasible"


@dataclass(frozen=True)
class Progress:
    """What a progress dialog shows: doctors done, the current best and bound."""

    done: int
    total: int
    doctor: str
    stage: str
    objective: float
    bound: float
    elapsed_s: float


ProgressFn = Callable[[Progress], None]
StopFn = Callable[[], bool]


def doctor_budget(problem: Problem, patients: int, total: int = 0) -> float:
    """A doctor's search budget in deterministic seconds, from the doctor's own patients
    and the time limit only (never the clock, never the other doctors, so that a change at
    one doctor leaves the others' fingerprints alone). ``total`` is kept for callers."""
    return max(MIN_DOCTOR_BUDGET, min(problem.settings.time_limit_s, 1.0 + patients / 40))


def fingerprint(sub: SubProblem, budget: float, seed: int) -> str:
    """SHA-256 of everything that decides the doctor's plan except ``previous``."""
    text = repr((replace(sub, previous={}), round(budget, 6), seed, "v2"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unplaced_tag(patient_ids: list[str]) -> str:
    """The fingerprint's suffix naming the patients the plan left unplaced ("" for none),
    so that a saved plan with unplaced patients can be reused: the same sub-problem, the
    same patients without a previous date → the same plan."""
    if not patient_ids:
        return ""
    text = "\n".join(sorted(patient_ids))
    return "+u" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _missing(sub: SubProblem) -> list[str]:
    """The patients of the doctor without a previous date (unplaced in the saved plan)."""
    return [r.patient.id for r in sub.requirements if sub.previous.get(r.patient.id) is None]


def _reusable(sub: SubProblem) -> dict[str, date | None] | None:
    """The previous dates as a complete plan of the doctor, when they are one: every
    patient with a previous date on a free date of the pool inside its bounds, within every
    place's capacity; the patients without one stay unplaced (the caller has checked, by
    :func:`unplaced_tag`, that the saved plan left exactly these unplaced)."""
    plan: dict[str, date | None] = {}
    used: Counter[tuple[PoolKey, date]] = Counter()
    free = {key: sub.free(key) for key in sub.pools}
    for req in sub.requirements:
        day = sub.previous.get(req.patient.id)
        if day is None:
            plan[req.patient.id] = None
            continue
        if not req.allows(day):
            return None
        pool_key = pool_of(req.unit)
        if day not in free.get(pool_key, {}):
            return None
        used[pool_key, day] += 1
        if used[pool_key, day] > free[pool_key][day]:
            return None
        plan[req.patient.id] = day
    return plan


def _worker_mode(problem: Problem, subs: list[SubProblem]) -> tuple[str, int]:
    busy = [s for s in subs if s.requirements]
    patients = sum(len(s.requirements) for s in busy)
    cpus = os.cpu_count() or 1
    if problem.settings.workers:
        n = max(1, min(problem.settings.workers, len(busy)))
        return ("processes" if n > 1 else "sequential"), n
    if len(busy) >= 4 and patients >= PARALLEL_MIN_PATIENTS and cpus > 1:
        return "processes", min(cpus, len(busy))
    if len(busy) >= 2 and patients >= THREADS_MIN_PATIENTS and cpus > 1:
        return "threads", min(cpus, len(busy))
    return "sequential", 1


def solve(
    problem: Problem,
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    reuse: Mapping[str, str] | None = None,
) -> PlanResult:
    """The year plan. Never raises on an impossible problem: every required patient is placed
    or listed as unplaced, and every broken rule is explained with a fix. ``reuse`` maps a
    doctor to the fingerprint of the saved plan (see the module docstring)."""
    started = time.perf_counter()
    ctx = PlanContext.of(problem)
    subs = split_by_doctor(ctx)
    seed = problem.settings.seed
    results: dict[str, Result] = {}
    jobs: list[Job] = []
    prints: dict[str, str] = {}
    for sub in subs:
        budget = doctor_budget(problem, len(sub.requirements))
        prints[sub.doctor] = fingerprint(sub, budget, seed)
        if not sub.requirements:
            results[sub.doctor] = ({}, DoctorSolve(sub.doctor, "EMPTY", 0.0, 0.0, 0.0,
                                                   tiers=evaluate(sub, {})))
            continue
        saved = prints[sub.doctor] + unplaced_tag(_missing(sub))
        kept = (_reusable(sub) if reuse and reuse.get(sub.doctor) == saved
                and not sub.rebalance else None)
        if kept is not None:
            results[sub.doctor] = (kept, DoctorSolve(sub.doctor, "OPTIMAL", 0.0, 0.0, 0.0,
                                                     reused=True, tiers=evaluate(sub, kept)))
            continue
        jobs.append((sub, budget))
    total = len(subs)

    def done(n: int, sub: SubProblem, result: Result) -> None:
        if on_progress:
            s = result[1]
            on_progress(Progress(n, total, sub.doctor, "klar", s.objective, s.bound,
                                 time.perf_counter() - started))

    mode, workers = _worker_mode(problem, [j[0] for j in jobs])
    if mode == "processes":
        results.update(run_processes(jobs, seed, workers, should_stop, done))
    elif mode == "threads":
        results.update(run_threads(jobs, seed, workers, should_stop, done))
    else:
        for i, (sub, budget) in enumerate(jobs):
            def stage(name: str, value: float, bound: float, i: int = i,
                      sub: SubProblem = sub) -> None:
                if on_progress:
                    on_progress(Progress(i, len(jobs), sub.doctor, name, value, bound,
                                         time.perf_counter() - started))

            results[sub.doctor] = solve_doctor(sub, budget, seed, should_stop, stage)
            done(i + 1, sub, results[sub.doctor])
    for doctor, (plan, s) in list(results.items()):
        fp = prints.get(doctor, "") + unplaced_tag([p for p, d in plan.items() if d is None])
        if s.status not in ("OPTIMAL", "EMPTY"):
            fp += NOT_REUSABLE
        results[doctor] = (plan, replace(s, fingerprint=fp))
    return assemble(problem, ctx, results, time.perf_counter() - started,
                    stopped=any(s.status == "STOPPED" for _, s in results.values()))


def assemble(problem: Problem, ctx: PlanContext, results: Mapping[str, Result],
             wall_s: float, stopped: bool = False) -> PlanResult:
    """Appointments (planned, held frozen and pinned) with preparation dates, unplaced
    patients with their reasons, forced moves, checked and measured."""
    prep_days = problem.settings.preparation_days
    patients = {p.id: p for p in problem.patients}
    appointments: list[Appointment] = []
    unplaced: list[Unplaced] = []
    for pid, visit in sorted(ctx.demand.pinned.items()):
        patient = patients.get(pid)
        if patient is None or not problem.has_unit(patient.unit):
            continue
        unit = problem.patient_unit(pid, patient.unit)  # the named doctor's, if any
        appointments.append(Appointment(pid, unit.name, unit.doctor, visit.date,
                                        preparation_date(visit.date, ctx.cal, prep_days),
                                        visit.status))
    requirements = ctx.requirements
    for pid, day in sorted(ctx.freeze.held.items()):
        req = requirements[pid]
        appointments.append(Appointment(pid, req.unit.name, req.doctor, day,
                                        preparation_date(day, ctx.cal, prep_days)))
    for doctor in sorted(results):
        plan, _ = results[doctor]
        for pid, planned in sorted(plan.items()):
            req = requirements[pid]
            if planned is None:
                reason, _fix = explain_unplaced(ctx, req)
                unplaced.append(Unplaced(pid, req.unit.name, reason))
            else:
                appointments.append(Appointment(pid, req.unit.name, doctor, planned,
                                                preparation_date(planned, ctx.cal, prep_days)))
    new_dates = {a.patient_id: a.date for a in appointments if a.status is VisitStatus.PLANNED}
    forced = tuple(
        ForcedMove(pid, old, new_dates.get(pid), reason)
        for pid, (old, reason) in sorted(ctx.freeze.forced.items())
    )
    solves = [results[d][1] for d in sorted(results)]
    result = finish_plan(problem, "cpsat", appointments, unplaced, solves, wall_s, stopped, ctx)
    return replace(result, forced_moves=forced,
                   measures=replace(result.measures, moved_in_freeze=len(forced)))
