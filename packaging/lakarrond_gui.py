"""Frozen entry point of the window program ``Lakarrond`` (``Lakarrond.exe``, no console).

Without a command it opens the desktop app (``--db URL_OR_PATH`` is passed on); with a
command it runs it like ``lakarrond-cli`` but, having no console, prints nothing – use
``lakarrond-cli`` for the command line.

Smoke test (used by ``scripts/check_frozen.sh``): with env ``LAKARROND_SMOKE_TEST`` set,
the first top-level window that is shown is reported (``1``: on stderr, else appended to
that file) with the seconds since start, and the program quits; exit status 3 when no
window was shown within 60 s.
"""

import multiprocessing
import os
import sys
import time

STARTED = time.perf_counter()
SMOKE_ENV = "LAKARROND_SMOKE_TEST"


def _ensure_streams() -> None:
    """A windowed executable on Windows has no stdout/stderr (``None``); give them a sink so
    that ``print`` and logging to stderr never fail."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _install_smoke_test(target: str) -> None:
    """Create the QApplication (the app reuses it); report every window shown; a dialog
    before the main window (the first-start question) is closed, which answers No; once
    the main window is shown the program quits."""
    from PySide6.QtCore import QEvent, QLibraryInfo, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])

    def report(line: str) -> None:
        if target == "1":
            print(line, file=sys.stderr, flush=True)
        else:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    def finish() -> None:
        for widget in app.topLevelWidgets():
            widget.close()
        app.quit()

    def give_up() -> None:
        report("smoke: no main window shown within 60 s")
        os._exit(3)

    class ShownFilter(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Show and isinstance(obj, QMainWindow | QDialog):
                elapsed = time.perf_counter() - STARTED
                kind = "main window" if isinstance(obj, QMainWindow) else "dialog"
                report(f"smoke: {kind} shown after {elapsed:.2f} s: "
                       f"{type(obj).__name__} '{obj.windowTitle()}'")
                if isinstance(obj, QMessageBox):
                    buttons = ", ".join(b.text().replace("&", "") for b in obj.buttons())
                    report(f"smoke: buttons: {buttons}")
                if isinstance(obj, QMainWindow):
                    QTimer.singleShot(500, finish)
                else:
                    QTimer.singleShot(300, obj.reject)
            return False

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    found = os.path.isfile(os.path.join(folder, "qtbase_sv.qm"))
    report(f"smoke: Qt translations {folder}: qtbase_sv.qm {'found' if found else 'MISSING'}")
    app._smoke_filter = ShownFilter(app)
    app.installEventFilter(app._smoke_filter)
    QTimer.singleShot(60_000, give_up)


def main() -> int:
    target = os.environ.get(SMOKE_ENV)
    if target:
        _install_smoke_test(target)
    from lakarrond.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    # Must come first: a planning worker process (multiprocessing "spawn") starts this same
    # executable, and freeze_support() turns it into the worker instead of a second window.
    multiprocessing.freeze_support()
    _ensure_streams()
    sys.exit(main())
