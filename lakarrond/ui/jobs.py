"""Long work off the GUI thread: one :class:`JobRunner`; each job is a ``QRunnable`` on the
global ``QThreadPool`` with its OWN signals object (started, progress, finished, errored).

The callbacks of a job are connected to that job's signals when it starts and to nothing
else, so a job's result reaches exactly the callbacks given for it – once – whatever ran
before. The runnable never touches widgets; results travel as queued signals.

A :class:`~lakarrond.errors.UserError` (or a file or database failure that escaped its
boundary) becomes its Swedish message; anything else is a bug:
it is reported to :mod:`lakarrond.ui.crash` (log file, crash dialog) and the job fails with a
short Swedish message.

The work is typed: a job runs ``fn()`` — a function with its arguments bound by
:func:`functools.partial` (mypy checks them) — and ``on_done`` takes what ``fn`` returns
(``Job[T]``). A job with progress runs a :class:`Steps` function, which also gets
``on_progress`` and ``should_stop``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from lakarrond.crashlog import as_user_error
from lakarrond.ui import crash
from lakarrond.ui.collector import collect_on_gui_thread

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
G = TypeVar("G", covariant=True)  # what a job reports as it goes (solver.Progress for a plan)

UNEXPECTED = ("Ett oväntat fel inträffade. Felet är sparat i en loggfil; "
              "inget av det du sparat tidigare har försvunnit.")


class Steps(Protocol[T_co, G]):
    """Work that reports progress and can be asked to stop (``make_plan`` bound with its
    arguments)."""

    def __call__(self, *, on_progress: Callable[[G], None],
                 should_stop: Callable[[], bool]) -> T_co: ...


class JobSignals(QObject):
    started = Signal()
    progress = Signal(object)
    finished = Signal(object)
    errored = Signal(str)


def _ended() -> None:
    """The work of a job that has ended and let go of its own."""


class Job(QRunnable, Generic[T_co]):
    """Runs ``fn()`` on the pool; its result travels back as ``signals.finished``."""

    def __init__(self, what: str, fn: Callable[[], T_co]) -> None:
        super().__init__()
        # the pool lets go of it when it has run (one kept by the pool would be kept
        # forever, with all its work held); the runner keeps it until its signals are handled
        self.setAutoDelete(True)
        self.what = what
        self.signals = JobSignals()
        self._fn = fn
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop (the best result found so far is kept)."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def release(self) -> None:
        """Let go of the work and of the slots (the job has ended, its signals handled)."""
        self._fn = _ended  # type: ignore[assignment]  # never run again
        self.signals.finished.disconnect()
        self.signals.errored.disconnect()

    def run(self) -> None:
        self.signals.started.emit()
        try:
            result = self._fn()
        except Exception as exc:
            known = as_user_error(exc)  # a Swedish message the user can act on
            if known is None:  # a bug: logged and reported, never a traceback to read
                crash.report_later(exc)
            self.signals.errored.emit(str(known) if known is not None else UNEXPECTED)
            return
        self.signals.finished.emit(result)


def steps_job(what: str, steps: Steps[T, G]) -> Job[T]:
    """A job whose work reports progress (``signals.progress``) and stops when asked."""
    signals, stop = JobSignals(), threading.Event()
    job = Job(what, partial(steps, on_progress=signals.progress.emit, should_stop=stop.is_set))
    job.signals, job._stop = signals, stop
    return job


class JobRunner(QObject):
    """Starts jobs and keeps them until they end. ``finished``/``failed`` tell observers
    (the status bar, tests) which job ended; the job's own callbacks do the work."""

    finished = Signal(str, object)  # what, result
    failed = Signal(str, str)  # what, Swedish message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active: list[Job[object]] = []
        collect_on_gui_thread()  # no cycle collection in a job's thread (Qt objects die there)

    def start(self, what: str, fn: Callable[[], T], *,
              on_done: Callable[[T], None] | None = None,
              on_error: Callable[[str], None] | None = None) -> Job[T]:
        """Run ``fn()`` (bind its arguments with :func:`functools.partial`)."""
        return self._start(Job(what, fn), on_done, on_error)

    def start_steps(self, what: str, steps: Steps[T, G], *,
                    on_done: Callable[[T], None] | None = None,
                    on_error: Callable[[str], None] | None = None,
                    on_progress: Callable[[G], None] | None = None) -> Job[T]:
        """Run work that reports progress and can be cancelled (:meth:`Job.cancel`)."""
        job = steps_job(what, steps)
        if on_progress is not None:
            job.signals.progress.connect(on_progress)
        return self._start(job, on_done, on_error)

    def _start(self, job: Job[T], on_done: Callable[[T], None] | None,
               on_error: Callable[[str], None] | None) -> Job[T]:
        def finished(result: T) -> None:
            self._end(job)
            if on_done is not None:
                on_done(result)
            self.finished.emit(job.what, result)

        def errored(message: str) -> None:
            self._end(job)
            if on_error is not None:
                on_error(message)
            self.failed.emit(job.what, message)

        job.signals.finished.connect(finished)
        job.signals.errored.connect(errored)
        self.active.append(job)
        QThreadPool.globalInstance().start(job)
        return job

    def _end(self, job: Job[object]) -> None:
        if job in self.active:
            self.active.remove(job)
        # the slots hold the job (a cycle through Qt that Python's gc cannot see) and the
        # work holds its arguments (a document, a problem): both let go once it has ended
        job.release()

    def busy(self, what: str | None = None) -> bool:
        return any(what is None or j.what == what for j in self.active)

    def cancel_all(self) -> None:
        for job in self.active:
            job.cancel()

    def wait(self) -> None:
        """Cancel what can be cancelled and wait for the pool to be idle."""
        self.cancel_all()
        QThreadPool.globalInstance().waitForDone()
