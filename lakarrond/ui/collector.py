"""Python's cycle collector runs on the GUI thread only.

Python collects reference cycles in whichever thread happens to allocate when its counts
pass the thresholds. When that is a job's worker thread (saving a plan, reading the
document) and the garbage holds Qt objects – a closed dialog, the model of a replaced view
– Qt objects are destroyed from the wrong thread and the program crashes. That was seen:
a segmentation fault "Garbage-collecting" inside ``save_draft`` on the job runner, while
the window waited. So the automatic collector is turned off once the window's job runner
exists, and the GUI thread collects on a timer whenever the counts say Python would have:
the same generations and thresholds, only always on this thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from lakarrond.ui import heap

INTERVAL_MS = 250  # how often the GUI thread looks at the counts


class GuiThreadCollector(QObject):
    """Collects cycles on the thread it lives on (the GUI thread), as Python's automatic
    collector would: generation 0 when its count passes the first threshold, the older
    generations when theirs pass too."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> int:
        """Collect what Python's own collector would now; returns the generation collected
        (-1: none)."""
        counts = gc.get_count()
        if counts[0] <= self.thresholds[0] or heap.paused():
            return -1  # nothing due, or a job builds its large heap (the window would stall)
        generation = 0
        if counts[1] > self.thresholds[1]:
            generation = 1
            if counts[2] > self.thresholds[2]:
                generation = 2
        gc.collect(generation)
        return generation


_collector: GuiThreadCollector | None = None


def collect_on_gui_thread() -> GuiThreadCollector | None:
    """Turn Python's automatic collector off and collect on the GUI thread from now on
    (once per application; call it on the GUI thread). None without a Qt application."""
    global _collector
    app = QCoreApplication.instance()
    if app is None:
        return None
    if _collector is None or _collector.parent() is not app:
        _collector = GuiThreadCollector(app)
    return _collector
