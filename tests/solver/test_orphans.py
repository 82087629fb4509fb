"""No orphans: the worker processes end when the planning process dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PLAN_IN_A_PROCESS = """
import dataclasses
from solver.scenarios import region
from solver.solve import solve
p = region()
solve(dataclasses.replace(p, settings=dataclasses.replace(p.settings, workers=2)))
"""


def children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_the_planning_process():
    planner = subprocess.Popen([sys.executable, "-c", PLAN_IN_A_PROCESS])
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            assert planner.poll() is None, "the plan ended before its workers were seen"
            workers = children(planner.pid)
            time.sleep(0.2)
        assert len(workers) >= 2
        time.sleep(1.0)  # let the workers start solving
        os.kill(planner.pid, signal.SIGKILL)
        planner.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(alive(w) for w in workers)
    finally:
        if planner.poll() is None:
            planner.kill()
