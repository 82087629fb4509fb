"""The window's large heap kept out of the garbage collector's full passes (issue 17).

A region's plan document and the table models' precomputed texts are hundreds of thousands
of long-lived objects. CPython's full collections (triggered by allocations, during an
outcome, an undo, a week step) walk all of them each time. :func:`settle` runs after every
full read of the plan (start-up, a saved plan, another year or database): what the previous
full read froze is unfrozen and collected once (the replaced document is garbage now, cycles
too), then everything alive is frozen (``gc.freeze``: moved to the permanent generation,
which collections skip). Objects made afterwards are collected as usual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def settle() -> None:
    """Collect what the last full read left behind, then freeze what is alive."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """What :func:`settle` froze can be collected again (the window closes: what it kept
    alive is garbage now, and a frozen object is never collected)."""
    gc.unfreeze()


def frozen() -> int:
    """How many objects are frozen (for tests and the benchmark)."""
    return gc.get_freeze_count()


_lock = threading.Lock()
_paused = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collections while a background job (planning, saving a plan with the
    document read after it) builds its large heap: a full collection holds the GIL for its
    whole pass (0.1–0.25 s on a region) and the window stalls meanwhile. Measured on the
    region (seed 101, planning in a thread, a 10 ms ticker on the main thread): gaps up to
    0.25 s, each at a generation-2 collection; with the collector paused none over 0.05 s.
    Refcounting still frees all but cycles; the next full read's :func:`settle` collects."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


def paused() -> bool:
    """A job runs with the collector paused (for a collector of the GUI thread's own: it
    should wait too, else its full passes stall the window while the planner allocates)."""
    return _paused > 0
