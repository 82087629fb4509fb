"""Same input → byte-identical plan: two runs, sequential, threads and processes, and the
region twice under a CPU hog (no decision may depend on the clock)."""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing

import pytest

from benchmarks.family import random_municipality
from solver.problem import Problem
from solver.result import PlanResult
from solver.scenarios import region
from solver.solve import solve


def digest(result: PlanResult) -> str:
    data = (result.appointments, result.unplaced, result.violations,
            [(s.doctor, s.status, s.tiers, s.fingerprint) for s in result.solves])
    return hashlib.sha256(repr(data).encode("utf-8")).hexdigest()


def with_workers(p: Problem, workers: int) -> Problem:
    return dataclasses.replace(p, settings=dataclasses.replace(p.settings, workers=workers))


def test_two_runs_and_one_or_two_processes_give_the_same_plan():
    p = random_municipality(5, size=0.5)
    auto = solve(p)  # threads for a municipality this size
    assert digest(auto) == digest(solve(p))
    assert digest(auto) == digest(solve(with_workers(p, 1)))
    assert digest(auto) == digest(solve(with_workers(p, 2)))


def _hog(stop) -> None:  # pragma: no cover - runs in a child process
    x = 0
    while not stop.is_set():
        x = (x * 31 + 7) % 1_000_003


@pytest.mark.slow
def test_the_region_twice_under_a_cpu_hog_gives_the_same_plan():
    p = region()
    quiet = solve(p)
    stop = multiprocessing.Event()
    hogs = [multiprocessing.Process(target=_hog, args=(stop,)) for _ in range(2)]
    for hog in hogs:
        hog.start()
    try:
        busy = solve(with_workers(p, 2))
    finally:
        stop.set()
        for hog in hogs:
            hog.join()
    assert quiet.status == busy.status
    assert digest(quiet) == digest(busy)
