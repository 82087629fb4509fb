"""Long work off the GUI thread: one :class:`JobRunner`; each job is a ``QRunnable`` on the
global ``QThreadPool`` with its OWN signals object (started, progress, finished, errored).

The callbacks of a job are connected to that job's signals when it starts and to nothing
else, so a job's result reaches exactly the callbacks given for it – once – whatever ran
before. The runnable never touches widgets; results travel as queued signals.

A :class:`~lakarrond.errors.UserError` (or a file or database failure that escaped its
boundary) becomes its Swedish message; anything else is a bug:
it is reported to :mod:`lakarrond.ui.crash` (log file, crash dialog) and the job fails with a
short Swedish message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any  # Any: a job runs any function; its arguments and result are the caller's

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from lakarrond.crashlog import as_user_error
from lakarrond.ui import crash

UNEXPECTED = ("Ett oväntat fel inträffade. Felet är sparat i en loggfil; "
              "inget av det du sparat tidigare har försvunnit.")


class JobSignals(QObject):
    started = Signal()
    progress = Signal(object)
    finished = Signal(object)
    errored = Signal(str)


class Job(QRunnable):
    """Runs ``fn(*args, **kwargs)``; with ``progress=True`` ``fn`` also gets the keyword
    arguments ``on_progress`` and ``should_stop``."""

    def __init__(self, what: str, fn: Callable[..., Any], *args: Any, progress: bool = False,
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until its signals have been handled
        self.what = what
        self.signals = JobSignals()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._stop = threading.Event()
        if progress:
            self._kwargs["on_progress"] = self.signals.progress.emit
            self._kwargs["should_stop"] = self._stop.is_set

    def cancel(self) -> None:
        """Ask the work to stop (the best result found so far is kept)."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        self.signals.started.emit()
        try:
            result = self._fn(*self._args, **self._kwargs)
        except Exception as exc:
            known = as_user_error(exc)  # a Swedish message the user can act on
            if known is None:  # a bug: logged and reported, never a traceback to read
                crash.report_later(exc)
            self.signals.errored.emit(str(known) if known is not None else UNEXPECTED)
            return
        self.signals.finished.emit(result)


class JobRunner(QObject):
    """Starts jobs and keeps them until they end. ``finished``/``failed`` tell observers
    (the status bar, tests) which job ended; the job's own callbacks do the work."""

    finished = Signal(str, object)  # what, result
    failed = Signal(str, str)  # what, Swedish message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active: list[Job] = []

    def start(
        self,
        what: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        progress: bool = False,
        **kwargs: Any,
    ) -> Job:
        job = Job(what, fn, *args, progress=progress or on_progress is not None, **kwargs)
        if on_progress is not None:
            job.signals.progress.connect(on_progress)
        job.signals.finished.connect(lambda result: self._end(job, result, None, on_done,
                                                              on_error))
        job.signals.errored.connect(lambda message: self._end(job, None, message, on_done,
                                                              on_error))
        self.active.append(job)
        QThreadPool.globalInstance().start(job)
        return job

    def _end(self, job: Job, result: Any, message: str | None,
             on_done: Callable[[Any], None] | None,
             on_error: Callable[[str], None] | None) -> None:
        if job in self.active:
            self.active.remove(job)
        if message is None:
            if on_done is not None:
                on_done(result)
            self.finished.emit(job.what, result)
        else:
            if on_error is not None:
                on_error(message)
            self.failed.emit(job.what, message)

    def busy(self, what: str | None = None) -> bool:
        return any(what is None or j.what == what for j in self.active)

    def cancel_all(self) -> None:
        for job in self.active:
            job.cancel()

    def wait(self) -> None:
        """Cancel what can be cancelled and wait for the pool to be idle."""
        self.cancel_all()
        QThreadPool.globalInstance().waitForDone()
