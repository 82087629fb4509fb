"""One doctor's plan, tier by tier: flows for tiers 1–6, LP proofs or CP-SAT for 7–9.

**Tiers 7–9.** Each stage (spread, closeness, moves) is first proven by its LP relaxation
(``solver.relax``): GLOP's duals give an exact integer lower bound, and when a plan – the LP
vertex rounded, the last stage's plan, or the previous plan – keeps every row of the count
model and reaches that bound, the stage is optimal without a search. A stage whose bound no
plan meets is carried at its bound into the next stage's LP (lexicographic: a plan meeting
both proves both). Only when no plan meets the bounds is the stage searched by CP-SAT, with
its bound as a constraint (valid for every plan), so CP-SAT only has to find a plan that
reaches it. On the random family this leaves CP-SAT almost nothing to do.

With a previous plan to keep (``SubProblem.keeps_previous``: ``KEEP_ORDER``), the flows have
proven the fewest moves as well; the model holds them there and the stages are spread and
closeness only (``model.build_model``).

Determinism: no decision depends on the clock. The flows and GLOP's simplex are exact
algorithms without any limit; every CP-SAT stage runs one worker with a fixed
``random_seed`` under a *deterministic* time limit only (no wall-clock limit), and the
stage's budget is a function of the input. Names are put on the counted places in a fixed
order. So the same input gives the same plan in one process or several, on a busy machine or
a quiet one. Only the GUI's cancel (``should_stop``) cuts a search short; then the best plan
so far is returned and marked STOPPED.

Among the plans that are optimal for the whole order the one returned is canonical for the
input: the flows, the LPs, the single-worker search with its seed and the naming order are
all fixed functions of the sub-problem, so no other optimal plan can come out on another run.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from solver.flow import CostRangeError, flow_tiers
from solver.model import CountModel, build_model, complete
from solver.relax import Ints, Objective, Rows, meets, objective_of, solve_lp
from solver.result import DoctorSolve
from solver.subproblem import (
    PatientClass,
    SubProblem,
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
    """A complete hint: the counts and every variable they imply (``model.complete``)."""
    cm.model.clear_hints()  # type: ignore[no-untyped-call]  # ortools: no annotation
    for var, value in complete(cm, counts):
        cm.model.add_hint(var, value)


def _read(cm: CountModel, solver: cp_model.CpSolver) -> dict[tuple[int, date], int]:
    counts = {}
    for key, var in cm.n.items():
        value = int(solver.value(var))
        if value:
            counts[key] = value
    return counts


def _assignment(cm: CountModel, counts: dict[tuple[int, date], int], size: int) -> Ints | None:
    """The counted plan as values of all ``size`` variables (None if one has none)."""
    x = np.zeros(size, dtype=np.int64)
    seen = np.zeros(size, dtype=bool)
    for var, value in complete(cm, counts):
        x[var.index] = value
        seen[var.index] = True
    return x if seen.all() else None


def _meeting(cm: CountModel, rows: Rows, obj: Objective, bound: int,
             extra: list[tuple[Objective, int]], tries: list[dict[tuple[int, date], int]],
             ) -> dict[tuple[int, date], int] | None:
    """The first counted plan of ``tries`` that keeps every row (and ``extra``) and reaches
    ``bound``: the counts it has in the model, or None."""
    size = len(rows.lo)
    for cand in tries:
        x = _assignment(cm, cand, size)
        if x is not None and meets(rows, obj, bound, x, extra):
            return {key: int(x[var.index]) for key, var in cm.n.items() if x[var.index]}
    return None


def _rounded(cm: CountModel, lp_x: npt.NDArray[np.float64]) -> dict[tuple[int, date], int]:
    """The LP vertex's counts, rounded to the nearest integer."""
    counts = {}
    for key, var in cm.n.items():
        value = round(float(lp_x[var.index]))
        if value > 0:
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


def _solver(seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2  # full LP: proves the stages quickly
    # the count models are small and already reduced: presolve and probing cost more than
    # they save (measured on the region and the random family, deterministic time)
    solver.parameters.cp_model_presolve = False
    solver.parameters.cp_model_probing_level = 0
    return solver


Stage = tuple[str, str, float, float]  # name, status, value, bound


def solve_doctor(
    sub: SubProblem,
    budget_s: float,
    seed: int = 0,
    should_stop: StopFn | None = None,
    on_stage: StageFn | None = None,
) -> tuple[dict[str, date | None], DoctorSolve]:
    """The doctor's plan: tiers 1–6 proven by flows, then one stage per later tier, each
    fixing the optimum of the one before: proven by its LP bound and a plan that meets it
    (``solver.relax``), else searched by CP-SAT with that bound. ``budget_s`` is
    deterministic time."""
    start = time.perf_counter()
    if not sub.requirements:
        return {}, DoctorSolve(sub.doctor, "EMPTY", 0.0, 0.0, 0.0, tiers=evaluate(sub, {}))
    classes = build_classes(sub)
    try:
        ft = flow_tiers(sub, classes)
    except CostRangeError:  # a very large doctor: moves rank last (the order of a rebalance)
        sub = replace(sub, rebalance=True)
        classes = build_classes(sub)
        ft = flow_tiers(sub, classes)
    flow_s = round(time.perf_counter() - start, 4)
    counts = dict(ft.base.counts)
    if on_stage:  # the flows proved tiers 1–4 (windows) and 5–6 (peaks)
        on_stage("windows", 0.0, 0.0)
        on_stage("peak", float(ft.peak_week), float(ft.peak_week))
    t0 = time.perf_counter()
    cm = build_model(sub, classes, ft)
    warm = previous_counts(classes)
    warm_placed: dict[int, int] = defaultdict(int)
    for (ci, _), k in warm.items():
        warm_placed[ci] += k
    warm_complete = all(warm_placed[ci] == cls.size for ci, cls in enumerate(classes))
    solver = _solver(seed)
    rows = Rows.of(cm.model)  # None: not all linear, CP-SAT alone
    model_s = round(time.perf_counter() - t0, 4)
    done: dict[int, Stage] = {}
    spent: dict[str, float] = defaultdict(float)
    # stages whose LP bound no plan has met yet: a later stage's LP carries them at it
    pending: list[tuple[int, Objective, int]] = []
    used = 0.0
    stopped = failed = False
    k = 0

    def settle(j: int, stage: Stage) -> None:
        done[j] = stage
        if on_stage:
            on_stage(stage[0], stage[2], stage[3])

    while k < len(cm.stages):
        if should_stop is not None and should_stop():
            stopped = True
            break
        name, expr = cm.stages[k]
        t0 = time.perf_counter()
        if isinstance(expr, int):  # nothing to choose (e.g. no previous plan): no search
            settle(k, (name, "OPTIMAL", float(expr), float(expr)))
            k += 1
            continue
        obj = objective_of(cm.model, expr) if rows is not None else None
        if rows is not None and obj is not None:
            extra = [(o, b) for _, o, b in pending]
            lp = solve_lp(rows, obj, extra)
            proof = None
            if lp is not None:
                tries = [_rounded(cm, lp.x), counts] + ([warm] if warm_complete else [])
                proof = _meeting(cm, rows, obj, lp.bound, extra, tries)
            spent[name] += time.perf_counter() - t0
            if lp is not None and proof is not None:
                for j, _, bound in [*pending, (k, obj, lp.bound)]:
                    cm.model.add(cm.stages[j][1] <= bound)
                    settle(j, (cm.stages[j][0], "OPTIMAL", float(bound), float(bound)))
                if not rows.sync(cm.model):
                    rows = None
                counts, pending = proof, []
                k += 1
                continue
            later = any(not isinstance(e, int) for _, e in cm.stages[k + 1:])
            if lp is not None and later:
                pending.append((k, obj, lp.bound))
                k += 1
                continue
            if lp is not None and not pending:
                pending.append((k, obj, lp.bound))
        # CP-SAT for the first stage not proven, with its LP bound as a constraint
        j, lower = (pending[0][0], pending[0][2]) if pending else (k, None)
        pending = []
        name, expr = cm.stages[j]
        t0 = time.perf_counter()
        if lower is not None:
            cm.model.add(expr >= lower)  # valid for every plan: the stage only has to find one
        limit = max(MIN_STAGE_BUDGET, (budget_s - used) * STAGE_SHARE[name])
        solver.parameters.max_deterministic_time = limit
        # warm start: the previous plan when it places everyone (a re-plan), else the last
        # stage's plan (the flows' at first)
        _hint(cm, warm if name == "spread" and warm_complete else counts)
        cm.model.minimize(expr)
        with StopWatch(solver, should_stop) as watch:
            status = solver.solve(cm.model)
        used += solver.response_proto.deterministic_time
        spent[name] += time.perf_counter() - t0
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            settle(j, (name, STATUS.get(status, str(status)), float("nan"), float("nan")))
            stopped = stopped or watch.fired
            failed = True
            break
        value, best = solver.objective_value, solver.best_objective_bound
        counts = _read(cm, solver)
        settle(j, (name, STATUS[status], value, best))
        cm.model.add(expr <= round(value))
        if rows is not None and not rows.sync(cm.model):
            rows = None
        k = j + 1
        if watch.fired:
            stopped = True
            break
    plan = name_plan(classes, counts, sub.previous)
    stages: list[Stage] = [("tiers_1_6", "OPTIMAL", 0.0, 0.0)]
    stages += [done[j] for j in sorted(done)]
    times = [("flow", flow_s), ("model", model_s)]
    times += [(cm.stages[j][0], round(spent[cm.stages[j][0]], 4)) for j in sorted(done)]
    ok = not failed and len(stages) == len(cm.stages) + 1
    status_name = "OPTIMAL" if ok and all(s[1] == "OPTIMAL" for s in stages) else (
        "STOPPED" if stopped else "FEASIBLE")
    finished = [s for s in stages if s[2] == s[2]]  # drop NaN stages
    return plan, DoctorSolve(sub.doctor, status_name, sum(s[2] for s in finished),
                             sum(s[3] for s in finished),
                             round(time.perf_counter() - start, 3), tuple(stages),
                             stage_times=tuple(times), tiers=evaluate(sub, plan))
