"""Worker processes for independent doctors, and what keeps them from outliving the planner.

Each worker process (``spawn``) first guards itself against outliving the planning process
(``solver.watchdog.guard_worker``: the kernel's parent-death signal and a ppid watchdog on
Linux, a wait on the parent's process handle on Windows). A stop event shared with the
parent carries the GUI's cancel into the workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from datetime import date
from multiprocessing.synchronize import Event

from solver.result import DoctorSolve
from solver.stages import solve_doctor
from solver.subproblem import SubProblem
from solver.watchdog import guard_worker

Result = tuple[dict[str, date | None], DoctorSolve]
Job = tuple[SubProblem, float]  # sub-problem, deterministic budget

_STOP_EVENT: Event | None = None


def init_worker(event: Event, parent: int) -> None:  # pragma: no cover - child process
    global _STOP_EVENT
    _STOP_EVENT = event
    guard_worker(parent)


def _stopped() -> bool:  # pragma: no cover - child process
    return _STOP_EVENT is not None and _STOP_EVENT.is_set()


def solve_in_worker(sub: SubProblem, budget_s: float, seed: int) -> Result:  # pragma: no cover
    return solve_doctor(sub, budget_s, seed, should_stop=_stopped)


def run_processes(jobs: Sequence[Job], seed: int, workers: int,
                  should_stop: Callable[[], bool] | None,
                  on_done: Callable[[int, SubProblem, Result], None]) -> dict[str, Result]:
    """Solve the jobs in ``workers`` spawned processes, biggest first."""
    ctx = multiprocessing.get_context("spawn")
    event = ctx.Event()
    results: dict[str, Result] = {}
    poll_done = threading.Event()

    def poll() -> None:
        while not poll_done.wait(0.05):
            if should_stop is not None and should_stop():
                event.set()
                return

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=init_worker,
                                 initargs=(event, os.getpid())) as pool:
            order = sorted(jobs, key=lambda j: (-len(j[0].requirements), j[0].doctor))
            futures: dict[Future[Result], SubProblem] = {
                pool.submit(solve_in_worker, sub, budget, seed): sub for sub, budget in order
            }
            for n, future in enumerate(as_completed(futures), start=1):
                sub = futures[future]
                results[sub.doctor] = future.result()
                on_done(n, sub, results[sub.doctor])
    finally:
        poll_done.set()
        poller.join()
    return results


def run_threads(jobs: Sequence[Job], seed: int, workers: int,
                should_stop: Callable[[], bool] | None,
                on_done: Callable[[int, SubProblem, Result], None]) -> dict[str, Result]:
    """Solve the jobs on ``workers`` threads (CP-SAT and the flows release the GIL while
    they search); the results are the same as one by one, since doctors are independent."""
    results: dict[str, Result] = {}
    with ThreadPoolExecutor(workers) as pool:
        order = sorted(jobs, key=lambda j: (-len(j[0].requirements), j[0].doctor))
        futures: dict[Future[Result], SubProblem] = {
            pool.submit(solve_doctor, sub, budget, seed, should_stop): sub
            for sub, budget in order
        }
        for n, future in enumerate(as_completed(futures), start=1):
            sub = futures[future]
            results[sub.doctor] = future.result()
            on_done(n, sub, results[sub.doctor])
    return results
