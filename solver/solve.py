"""``solve(problem)``: the year plan with CP-SAT, one independent sub-problem per doctor.

Determinism: every sub-problem is solved by a single CP-SAT worker with a fixed
``random_seed`` (settings.seed), the doctors and patients are always visited in the same
order, and each objective stage either ends OPTIMAL or at its deterministic time limit, so the
same input gives the same plan whether the doctors run in one process or several.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from solver.calendar import preparation_date
from solver.check import PlanContext
from solver.explain import explain_unplaced
from solver.measures import finish_plan
from solver.model import DoctorModel, SubProblem, build_model, free_capacity
from solver.problem import Problem
from solver.result import Appointment, DoctorSolve, PlanResult, Unplaced
from solver.rounds import pool_of

STAGE_SHARE = (0.25, 0.3, 0.5, 1.0)  # share of the remaining budget each stage may use
STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}
PARALLEL_MIN_PATIENTS = 1500
MIN_DOCTOR_BUDGET = 3.0


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


# --- splitting -------------------------------------------------------------------------------
def split_by_doctor(ctx: PlanContext) -> list[SubProblem]:
    problem, demand = ctx.problem, ctx.demand
    pinned_load: Counter = Counter()
    pinned_units: Counter = Counter()
    patients = {p.id: p for p in problem.patients}
    for pid, visit in demand.pinned.items():
        patient = patients.get(pid)
        if patient is None:
            continue
        unit = problem.unit(patient.unit)
        pinned_load[pool_of(unit), visit.date] += 1
        pinned_units[unit.name, visit.date] += 1
    previous = {v.patient_id: v.date for v in problem.previous}
    subs = []
    for doctor in sorted(d.name for d in problem.doctors):
        reqs = tuple(
            r for r in demand.required if r.doctor == doctor and r.patient.id not in demand.pinned
        )
        pools = {k: p for k, p in ctx.pools.items() if p.doctor == doctor}
        subs.append(
            SubProblem(
                doctor=doctor,
                year=problem.year,
                requirements=reqs,
                pools=pools,
                pinned_load={k: v for k, v in pinned_load.items() if k[0] in pools},
                pinned_units={
                    k: v for k, v in pinned_units.items() if problem.unit(k[0]).doctor == doctor
                },
                previous={r.patient.id: previous[r.patient.id]
                          for r in reqs if r.patient.id in previous},
            )
        )
    return subs


# --- a first plan: greedy, always complete ---------------------------------------------------
def greedy(dm: DoctorModel) -> dict[str, date | None]:
    """Earliest-deadline-first: each patient on the free date closest to its target, inside
    its window when possible. Used as the first hint and when a search is stopped early."""
    free = {key: dict(free_capacity(dm.sub, pool)) for key, pool in dm.sub.pools.items()}
    plan: dict[str, date | None] = {}
    order = sorted(dm.sub.requirements, key=lambda r: (r.window_end, r.target, r.patient.id))
    for req in order:
        pool_free = free.get(pool_of(req.unit), {})
        options = [d for d in dm.candidates[req.patient.id] if pool_free.get(d, 0) > 0]
        if not options:
            plan[req.patient.id] = None
            continue
        best = min(options, key=lambda d: (not req.in_window(d), abs((d - req.target).days), d))
        pool_free[best] -= 1
        plan[req.patient.id] = best
    return plan


def _hint(dm: DoctorModel, plan: dict[str, date | None]) -> None:
    dm.model.clear_hints()
    for (pid, d), var in dm.x.items():
        dm.model.add_hint(var, plan.get(pid) == d)
    for pid, var in dm.unplaced.items():
        dm.model.add_hint(var, plan.get(pid) is None)


def _read(dm: DoctorModel, solver: cp_model.CpSolver) -> dict[str, date | None]:
    plan: dict[str, date | None] = {}
    for req in dm.sub.requirements:
        pid = req.patient.id
        plan[pid] = next((d for d in dm.candidates[pid] if solver.boolean_value(dm.x[pid, d])),
                         None)
    return plan


class _StopWatch:
    """Calls ``solver.stop_search()`` as soon as ``should_stop()`` says so."""

    def __init__(self, solver: cp_model.CpSolver, should_stop: StopFn | None) -> None:
        self.solver, self.should_stop = solver, should_stop
        self.done = threading.Event()
        self.fired = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.done.wait(0.05):
            if self.should_stop and self.should_stop():
                self.fired = True
                self.solver.stop_search()
                return

    def __enter__(self) -> _StopWatch:
        if self.should_stop is not None:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()


def solve_doctor(
    sub: SubProblem,
    budget_s: float,
    seed: int = 0,
    should_stop: StopFn | None = None,
    on_stage: Callable[[str, float, float], None] | None = None,
) -> tuple[dict[str, date | None], DoctorSolve]:
    """Solve one doctor's stages in priority order, each fixing the optimum of the one before."""
    start = time.perf_counter()
    if not sub.requirements:
        return {}, DoctorSolve(sub.doctor, "EMPTY", 0.0, 0.0, 0.0)
    dm = build_model(sub, narrow=True)
    plan = greedy(dm)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2  # full LP: proves the closeness stage quickly
    stages: list[tuple[str, str, float, float]] = []
    stopped = False
    i = 0
    requirements = {r.patient.id: r for r in sub.requirements}
    if all(day is not None and requirements[pid].in_window(day) for pid, day in plan.items()):
        # the greedy plan breaks no window: 0 is optimal for the first stage, no search needed
        stages.append((dm.stages[0][0], "OPTIMAL", 0.0, 0.0))
        dm.model.add(dm.stages[0][1] <= 0)
        i = 1
    used = 0.0  # deterministic time spent so far: the budget is counted in it, not in seconds
    while i < len(dm.stages):
        name, expr = dm.stages[i]
        if should_stop is not None and should_stop():
            stopped = True
            break
        limit = max(0.2, (budget_s - used) * STAGE_SHARE[i])
        # the deterministic limit keeps the plan reproducible; the wall limit is a safety net
        solver.parameters.max_deterministic_time = limit
        solver.parameters.max_time_in_seconds = 3 * limit
        _hint(dm, plan)
        dm.model.minimize(expr)
        with _StopWatch(solver, should_stop) as watch:
            status = solver.solve(dm.model)
        used += solver.response_proto.deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stages.append((name, STATUS.get(status, str(status)), float("nan"), float("nan")))
            stopped = stopped or watch.fired
            break
        value, bound = solver.objective_value, solver.best_objective_bound
        if i == 0 and value > 0 and dm.narrow and not watch.fired:
            # a window must break: the dates outside the narrow margin may be needed
            dm = build_model(sub, narrow=False)
            plan = greedy(dm)
            continue
        plan = _read(dm, solver)
        stages.append((name, STATUS[status], value, bound))
        if on_stage:
            on_stage(name, value, bound)
        dm.model.add(expr <= round(value))
        i += 1
        if watch.fired:
            stopped = True
            break
    done = len(stages) == len(dm.stages) and all(s[1] == "OPTIMAL" for s in stages)
    status = "OPTIMAL" if done else ("STOPPED" if stopped else "FEASIBLE")
    finished = [s for s in stages if s[2] == s[2]]  # drop NaN stages
    objective = sum(s[2] for s in finished)
    bound = sum(s[3] for s in finished)
    return plan, DoctorSolve(sub.doctor, status, objective, bound,
                             round(time.perf_counter() - start, 3), tuple(stages))


# --- processes ------------------------------------------------------------------------------
_STOP_EVENT = None


def _init_worker(event) -> None:  # pragma: no cover - runs in the child process
    global _STOP_EVENT
    _STOP_EVENT = event


def _solve_in_worker(sub: SubProblem, budget_s: float, seed: int):  # pragma: no cover
    return solve_doctor(sub, budget_s, seed, should_stop=_STOP_EVENT.is_set)


def _worker_count(problem: Problem, subs: list[SubProblem]) -> int:
    busy = [s for s in subs if s.requirements]
    if problem.settings.workers:
        return max(1, min(problem.settings.workers, len(busy)))
    patients = sum(len(s.requirements) for s in busy)
    if len(busy) < 4 or patients < PARALLEL_MIN_PATIENTS:
        return 1
    return max(1, min(os.cpu_count() or 1, len(busy)))


def doctor_budget(problem: Problem, patients: int, total: int) -> float:
    """A doctor's search budget in deterministic seconds: a share of the time limit in
    proportion to the doctor's patients (as if two processes shared it), at least
    ``MIN_DOCTOR_BUDGET``. It depends on the input only, never on the clock, so the plan is
    the same on a slow machine or a fast one."""
    share = problem.settings.time_limit_s * 2 * patients / max(1, total)
    return max(MIN_DOCTOR_BUDGET, min(problem.settings.time_limit_s, share))


def _run_sequential(subs, problem, started, on_progress, should_stop):
    results = {}
    total_patients = sum(len(s.requirements) for s in subs)
    for i, sub in enumerate(subs):
        budget = doctor_budget(problem, len(sub.requirements), total_patients)

        def stage_progress(stage, value, bound, i=i, sub=sub):
            if on_progress:
                on_progress(Progress(i, len(subs), sub.doctor, stage, value, bound,
                                     time.perf_counter() - started))

        results[sub.doctor] = solve_doctor(sub, budget, problem.settings.seed, should_stop,
                                           stage_progress)
        if on_progress:
            s = results[sub.doctor][1]
            on_progress(Progress(i + 1, len(subs), sub.doctor, "klar", s.objective, s.bound,
                                 time.perf_counter() - started))
    return results


def _run_parallel(subs, problem, workers, started, on_progress, should_stop):
    ctx = multiprocessing.get_context("spawn")
    event = ctx.Event()
    total = sum(len(s.requirements) for s in subs)
    results = {}
    poll_done = threading.Event()

    def poll() -> None:
        while not poll_done.wait(0.05):
            if should_stop and should_stop():
                event.set()
                return

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(event,)) as pool:
            # biggest first, so the last ones to finish are small
            order = sorted(subs, key=lambda s: (-len(s.requirements), s.doctor))
            futures = {
                pool.submit(_solve_in_worker, s,
                            doctor_budget(problem, len(s.requirements), total),
                            problem.settings.seed): s
                for s in order
            }
            for n, future in enumerate(as_completed(futures), start=1):
                sub = futures[future]
                results[sub.doctor] = future.result()
                if on_progress:
                    s = results[sub.doctor][1]
                    on_progress(Progress(n, len(subs), sub.doctor, "klar", s.objective, s.bound,
                                         time.perf_counter() - started))
    finally:
        poll_done.set()
        poller.join()
    return results


# --- the whole plan --------------------------------------------------------------------------
def solve(
    problem: Problem,
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> PlanResult:
    """The year plan. Never raises on an impossible problem: every required patient is placed
    or listed as unplaced, and every broken rule is explained with a fix."""
    started = time.perf_counter()
    ctx = PlanContext.of(problem)
    subs = split_by_doctor(ctx)
    busy = [s for s in subs if s.requirements]
    workers = _worker_count(problem, subs)
    if workers > 1:
        results = _run_parallel(busy, problem, workers, started, on_progress, should_stop)
    else:
        results = _run_sequential(busy, problem, started, on_progress, should_stop)
    for sub in subs:
        if not sub.requirements:
            results[sub.doctor] = ({}, DoctorSolve(sub.doctor, "EMPTY", 0.0, 0.0, 0.0))
    return assemble(problem, ctx, results, time.perf_counter() - started,
                    stopped=any(s.status == "STOPPED" for _, s in results.values()))


def assemble(problem: Problem, ctx: PlanContext, results, wall_s: float,
             stopped: bool = False) -> PlanResult:
    """Appointments (planned and pinned) with preparation dates, unplaced patients with
    their reasons, checked and measured."""
    prep_days = problem.settings.preparation_days
    patients = {p.id: p for p in problem.patients}
    appointments: list[Appointment] = []
    unplaced: list[Unplaced] = []
    for pid, visit in sorted(ctx.demand.pinned.items()):
        patient = patients.get(pid)
        if patient is None:
            continue
        unit = problem.unit(patient.unit)
        appointments.append(Appointment(pid, unit.name, unit.doctor, visit.date,
                                        preparation_date(visit.date, ctx.cal, prep_days),
                                        visit.status))
    requirements = ctx.requirements
    for doctor in sorted(results):
        plan, _ = results[doctor]
        for pid, day in sorted(plan.items()):
            req = requirements[pid]
            if day is None:
                reason, _fix = explain_unplaced(ctx, req)
                unplaced.append(Unplaced(pid, req.unit.name, reason))
            else:
                appointments.append(Appointment(pid, req.unit.name, doctor, day,
                                                preparation_date(day, ctx.cal, prep_days)))
    solves = [results[d][1] for d in sorted(results)]
    return finish_plan(problem, "cpsat", appointments, unplaced, solves, wall_s, stopped, ctx)
