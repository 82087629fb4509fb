"""Unexpected errors (bugs): a log file in the data folder and a crash dialog with
"Kopiera felrapport" – never a bare traceback, never patient data in the report.

``install()`` (called by the app at start) routes uncaught exceptions of the GUI thread
here; :func:`report_later` is for worker threads (the dialog opens on the GUI thread).
Personnummer in the report are masked; the report holds no field values of the forms.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lakarrond import __version__

LOG_DIR_ENV = "LAKARROND_LOG_DIR"
_NUMBER = re.compile(r"\b(\d{6}|\d{8})[-+]?\d{4}\b")


def log_dir() -> Path:
    """Where crash logs go: env LAKARROND_LOG_DIR, else the user's data folder/logs."""
    given = os.environ.get(LOG_DIR_ENV)
    if given:
        return Path(given)
    return Path(platformdirs.user_data_dir("Lakarrond", appauthor=False)) / "logs"


def scrub(text: str) -> str:
    """Personnummer-like digit runs masked (``19380412-****``)."""
    return _NUMBER.sub(lambda m: f"{m.group(1)}-****", text)


def report_text(exc: BaseException) -> str:
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    head = [
        f"Läkarrond {__version__} – felrapport {datetime.now():%Y-%m-%d %H:%M:%S}",
        f"Python {platform.python_version()} på {platform.platform()}",
        "",
    ]
    return scrub("\n".join(head) + "".join(lines))


def write_log(text: str) -> Path | None:
    """The report as a file readable by the owner only; None when it cannot be written."""
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"fel-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:
        return None
    return path


class CrashDialog(QDialog):
    """What the user sees instead of a traceback."""

    def __init__(self, text: str, path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ett oväntat fel inträffade")
        self.report = text
        where = f"Felrapporten är sparad i {path}." if path else ""
        label = QLabel(
            "Läkarrond stötte på ett fel som inte borde hända. Det du redan sparat finns "
            f"kvar; ett formulär du höll på med ligger kvar öppet. {where}\n\n"
            "Skicka gärna felrapporten till er IT-support (den innehåller inga "
            "personnummer).")
        label.setWordWrap(True)
        details = QPlainTextEdit(text)
        details.setReadOnly(True)
        self.copy_button = QPushButton("Kopiera felrapport")
        self.copy_button.clicked.connect(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(details)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report)


class _Reporter(QObject):
    crashed = Signal(str, str)  # report, log path ("" when none)

    def __init__(self) -> None:
        super().__init__()
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.last: CrashDialog | None = None

    def _show(self, text: str, path: str) -> None:
        dialog = CrashDialog(text, Path(path) if path else None, QApplication.activeWindow())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last = dialog
        dialog.open()


_reporter: _Reporter | None = None


def report_later(exc: BaseException) -> Path | None:
    """Log the error now (any thread); the dialog opens on the GUI thread when installed."""
    text = report_text(exc)
    path = write_log(text)
    if _reporter is not None:
        _reporter.crashed.emit(text, str(path or ""))
    return path


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    report_later(exc.with_traceback(tb))


def install() -> None:
    """Route uncaught exceptions of the GUI thread to the log and the crash dialog."""
    global _reporter
    if _reporter is None:
        _reporter = _Reporter()
    sys.excepthook = _hook
