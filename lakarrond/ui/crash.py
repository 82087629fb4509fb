"""Unexpected errors (bugs): a log file in the data folder and a crash dialog with
"Kopiera felrapport" – never a bare traceback, never patient data in the report.

``install()`` (called by the app at start) routes uncaught exceptions of the GUI thread
here; :func:`report_later` is for worker threads (the dialog opens on the GUI thread).
Personnummer in the report are masked; the report holds no field values of the forms.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

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

from lakarrond.crashlog import report_text, write_log


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
