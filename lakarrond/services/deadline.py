"""The planning's time limit on the clock: a bound for the whole planning.

The planner's own limit is deterministic time per doctor (``solver.solve.doctor_budget``,
never the clock, so the same input gives the same plan). That bounds each CP-SAT search but
not the whole planning: many doctors, LP proofs, a busy machine. :func:`wall_stop` adds a
clock: once ``Settings.time_limit_s`` plus :data:`GRACE_S` have passed since the planning
began, the planning stops as the GUI's cancel does – every doctor's next stage and every
running CP-SAT search (threads directly, worker processes through their shared stop event)
end, and the best plan so far is returned (status ``STOPPED``, every patient placed by the
flows or listed unplaced). A plan that finishes within the limit is untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from solver.solve import StopFn

GRACE_S = 10.0  # reading the store and converting the result: not planning

clock: Callable[[], float] = time.monotonic  # tests replace it


def wall_stop(limit_s: float, should_stop: StopFn | None = None,
              began: float | None = None) -> StopFn:
    """A stop function true once ``limit_s`` + :data:`GRACE_S` seconds passed since
    ``began`` (a :data:`clock` reading; default now), or when ``should_stop`` (the user's
    cancel) says so."""
    ends = (clock() if began is None else began) + max(0.0, limit_s) + GRACE_S

    def stop() -> bool:
        return (should_stop is not None and should_stop()) or clock() >= ends

    return stop
