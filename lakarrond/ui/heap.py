"""The window's large heap kept out of the garbage collector's full passes (issue 17).

A region's plan document and the table models' precomputed texts are hundreds of thousands
of long-lived objects. CPython's full collections (triggered by allocations, during an
outcome, an undo, a week step) walk all of them each time. :func:`settle` runs after every
full read of the plan (start-up, a saved plan, another year or database), on the GUI thread
in an event-loop turn of its own (``AppContext`` defers it: the views are shown first): what
was made since the last settle is collected once (cycles of the read: the ORM rows, the old
models' wrappers), then everything alive is frozen (``gc.freeze``: moved to the permanent
generation, which collections skip). Objects made afterwards are collected as usual.

The frozen heap is not walked again: a replaced plan document dies by reference counting
alone, so nothing the window keeps may form a cycle with a document (the week's index lives
in the document and does not point back; a hidden tab waiting for a change keeps the new
document only). Walking the frozen heap too (:func:`settle` with ``deep``, the way it was
done before) cost 0.3–0.8 s of the "Spara planen" block on a region; it is done when the
window opens another database and when it closes (:func:`thaw`), where cyclic garbage that
was frozen meanwhile is freed.

A settle also empties ``linecache``: PySide6's import hook (``shibokensupport.feature``)
reads the source of every module imported after it, to look for ``from __feature__``, and
``linecache`` keeps it all – 640,000 lines, about 50 MB of a region window's memory. It is
only a cache (a traceback reads the file again).
"""

from __future__ import annotations

import ctypes
import gc
import linecache
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


def settle(deep: bool = False) -> None:
    """Collect what was made since the last settle, then freeze what is alive; ``deep``:
    what was frozen before is collected too (a full pass over the whole heap)."""
    global _settle_due
    _settle_due = 0.0
    linecache.clearcache()  # PySide6 read the source of every module imported (50 MB)
    if deep:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    trim()


def collect_young() -> None:
    """A settle's first half, for an event-loop turn of its own: the youngest generation
    (what a job made) walked once – its garbage freed, the tuples and dicts of plain values
    untracked, the rest moved on – so that :func:`settle` walks far fewer objects after
    it (two shorter stalls of the window instead of one long one)."""
    gc.collect(0)


def trim() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``): what a
    job's thread freed – the read's rows, the replaced document – stays in that thread's
    malloc arena otherwise and the window's memory only grows. Elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return


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


_settle_due = 0.0  # time.monotonic() until which a settle is on its way


def settle_expected(seconds: float = 2.0) -> None:
    """A job's full read is on its way to the GUI thread, whose :func:`settle` collects
    what the job made: the GUI thread's collector waits for it (at most ``seconds``) rather
    than walk the same hundreds of thousands of new objects in a pass of its own first."""
    global _settle_due
    _settle_due = time.monotonic() + seconds


def paused() -> bool:
    """A job runs with the collector paused, or a settle is on its way (for a collector of
    the GUI thread's own: it should wait too, else its full passes stall the window while
    the planner allocates)."""
    return _paused > 0 or time.monotonic() < _settle_due
