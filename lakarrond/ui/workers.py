"""Long work off the GUI thread: a QRunnable on the global QThreadPool with a separate
signals QObject (started, progress, finished, errored).

The runnable never touches widgets; results and errors travel as signals (queued to the GUI
thread). Errors are turned into a Swedish message here, so the GUI never shows a traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from sqlalchemy.exc import SQLAlchemyError

from lakarrond.errors import UserError, write_error
from lakarrond.store.errors import StoreError, store_error_from

log = logging.getLogger(__name__)


def error_message(exc: BaseException) -> str:
    """The Swedish text for an error the user should read."""
    if isinstance(exc, UserError | StoreError):
        return str(exc)
    errors = getattr(exc, "errors", None)
    if isinstance(exc, ValueError) and errors:
        return "\n".join(str(e) for e in errors)
    if isinstance(exc, OSError):
        return write_error(exc, exc.filename or "").message
    if isinstance(exc, SQLAlchemyError):
        return store_error_from(exc).message
    if isinstance(exc, ValueError | LookupError):
        return str(exc)
    return f"Ett oväntat fel inträffade: {exc.__class__.__name__}: {exc}"


class WorkerSignals(QObject):
    started = Signal()
    progress = Signal(object)
    finished = Signal(object)
    errored = Signal(str)


class Worker(QRunnable):
    """Runs ``fn(*args, **kwargs)``; ``fn`` may take ``on_progress`` and ``should_stop``
    keyword arguments when ``progress=True``."""

    def __init__(self, fn: Callable[..., Any], *args: Any, progress: bool = False,
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = WorkerSignals()
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

    def start(self) -> None:
        QThreadPool.globalInstance().start(self)

    def run(self) -> None:
        self.signals.started.emit()
        try:
            result = self._fn(*self._args, **self._kwargs)
        except Exception as exc:  # every failure becomes a message, never a traceback
            if not isinstance(exc, UserError | StoreError | ValueError | OSError):
                log.exception("work failed")
            self.signals.errored.emit(error_message(exc))
            return
        self.signals.finished.emit(result)
