"""One doctor's plan, tier by tier: flows for tiers 1–6, CP-SAT stages for 7–9.

Determinism: no decision depends on the clock. The flows are exact; every CP-SAT stage runs
one worker with a fixed ``random_seed`` under a *deterministic* time limit only (no wall-clock
limit), and the stage's budget is a function of the input. Names are put on the counted places
in a fixed order. So the same input gives the same plan in one process or several, on a busy
machine or a quiet one. Only the GUI's cancel (``should_stop``) cuts a search short; then the
best plan so far is returned and marked STOPPED.

Among the plans that are optimal for the whole order the one returned is canonical for the
input: the flows, the single-worker search with its seed and the naming order are all fixed
functions of the sub-problem, so no other optimal plan can come out on another run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date

from ortools.sat.python import cp_model

from solver.flow import flow_tiers
from solver.model import CountModel, build_model
from solver.result import DoctorSolve
from solver.subproblem import (
    PatientClass,
    SubProblem,
    band,
    build_classes,
    evaluate,
    name_plan,
)

StopFn = Callable[[], bool]
StageFn = Callable[[str, float, float], None]
STAGE_SHARE = {"spread": 0.5, "closeness": 0.6, "moved": 1.0}  # of the budget left
MIN_STAGE_BUDGET = 0.5  # deterministic seconds
STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


class StopWatch:
    """Calls ``solver.stop_search()`` as soon as ``should_stop()`` says so."""

    def __init__(self, solver: cp_model.CpSolver, should_stop: StopFn | None) -> None:
        self.solver, self.should_stop = solver, should_stop
        self.done = threading.Event()
        self.fired = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.done.wait(0.05):
            if self.should_stop is not None and self.should_stop():
                self.fired = True
                self.solver.stop_search()
                return

    def __enter__(self) -> StopWatch:
        if self.should_stop is not None:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()


def _hint(cm: CountModel, counts: dict[tuple[int, date], int]) -> None:
    """A complete hint: the counts, the unplaced and the spread deviations they imply."""
    cm.model.clear_hints()  # type: ignore[no-untyped-call]  # ortools: no annotation
    values: dict[int, int] = {}
    for key, var in cm.n.items():
        values[var.index] = counts.get(key, 0)
        cm.model.add_hint(var, counts.get(key, 0))
    for dev, terms, fixed, target in cm.bands:
        cm.model.add_hint(dev, band(sum(values[v.index] for v in terms) + fixed, target))
    for ci, var in cm.unplaced.items():
        placed = sum(k for (c, _), k in counts.items() if c == ci)
        cm.model.add_hint(var, cm.classes[ci].size - placed)


def _read(cm: CountModel, solver: cp_model.CpSolver) -> dict[tuple[int, date], int]:
    counts = {}
    for key, var in cm.n.items():
        value = int(solver.value(var))
        if value:
            counts[key] = value
    return counts


def previous_counts(classes: list[PatientClass]) -> dict[tuple[int, date], int]:
    """The previous plan as counts per class and date (a warm start)."""
    counts: dict[tuple[int, date], int] = {}
    for ci, cls in enumerate(classes):
        for day, k in cls.previous.items():
            if day in cls.dates:
                counts[ci, day] = k
    return counts


def solve_doctor(
    sub: SubProblem,
    budget_s: float,
    seed: int = 0,
    should_stop: StopFn | None = None,
    on_stage: StageFn | None = None,
) -> tuple[dict[str, date | None], DoctorSolve]:
    """The doctor's plan: tiers 1–6 proven by flows, then one CP-SAT stage per later tier,
    each fixing the optimum of the one before. ``budget_s`` is deterministic time."""
    start = time.perf_counter()
    if not sub.requirements:
        return {}, DoctorSolve(sub.doctor, "EMPTY", 0.0, 0.0, 0.0, tiers=evaluate(sub, {}))
    classes = build_classes(sub)
    ft = flow_tiers(sub, classes)
    times = [("flow", round(time.perf_counter() - start, 4))]
    stages: list[tuple[str, str, float, float]] = [("tiers_1_6", "OPTIMAL", 0.0, 0.0)]
    counts = dict(ft.base.counts)
    if on_stage:  # the flows proved tiers 1–4 (windows) and 5–6 (peaks)
        on_stage("windows", 0.0, 0.0)
        on_stage("peak", float(ft.peak_week), float(ft.peak_week))
    cm = build_model(sub, classes, ft)
    warm = previous_counts(classes)
    complete = all(sum(k for (c, _), k in warm.items() if c == ci) == cls.size
                   for ci, cls in enumerate(classes))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2  # full LP: proves the stages quickly
    # the count models are small and already reduced: presolve and probing cost more than
    # they save (measured on the region and the random family, deterministic time)
    solver.parameters.cp_model_presolve = False
    solver.parameters.cp_model_probing_level = 0
    used = 0.0
    stopped = False
    for name, expr in cm.stages:
        if should_stop is not None and should_stop():
            stopped = True
            break
        t0 = time.perf_counter()
        if isinstance(expr, int):  # nothing to choose (e.g. no previous plan): no search
            stages.append((name, "OPTIMAL", float(expr), float(expr)))
            times.append((name, 0.0))
            continue
        limit = max(MIN_STAGE_BUDGET, (budget_s - used) * STAGE_SHARE[name])
        solver.parameters.max_deterministic_time = limit
        # warm start: the previous plan when it places everyone (a re-plan), else the last
        # stage's plan (the flows' at first)
        _hint(cm, warm if name == "spread" and complete else counts)
        cm.model.minimize(expr)
        with StopWatch(solver, should_stop) as watch:
            status = solver.solve(cm.model)
        used += solver.response_proto.deterministic_time
        times.append((name, round(time.perf_counter() - t0, 4)))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stages.append((name, STATUS.get(status, str(status)), float("nan"), float("nan")))
            stopped = stopped or watch.fired
            break
        value, bound = solver.objective_value, solver.best_objective_bound
        counts = _read(cm, solver)
        stages.append((name, STATUS[status], value, bound))
        if on_stage:
            on_stage(name, value, bound)
        cm.model.add(expr <= round(value))
        if watch.fired:
            stopped = True
            break
    plan = name_plan(classes, counts, sub.previous)
    done = len(stages) == len(cm.stages) + 1 and all(s[1] == "OPTIMAL" for s in stages)
    status_name = "OPTIMAL" if done else ("STOPPED" if stopped else "FEASIBLE")
    finished = [s for s in stages if s[2] == s[2]]  # drop NaN stages
    objective = sum(s[2] for s in finished)
    bound = sum(s[3] for s in finished)
    return plan, DoctorSolve(sub.doctor, status_name, objective, bound,
                             round(time.perf_counter() - start, 3), tuple(stages),
                             stage_times=tuple(times), tiers=evaluate(sub, plan))
