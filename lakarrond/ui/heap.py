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


def settle() -> None:
    """Collect what the last full read left behind, then freeze what is alive."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def frozen() -> int:
    """How many objects are frozen (for tests and the benchmark)."""
    return gc.get_freeze_count()
