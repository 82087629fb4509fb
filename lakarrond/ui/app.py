"""Starting the desktop app: ``main(argv)`` is what ``lakarrond`` without a command calls
(``argv`` is ``["--db", URL_OR_PATH]`` or empty)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Q_ARG, QMetaObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from lakarrond.errors import UserError
from lakarrond.qt_translations import install_swedish_translations
from lakarrond.resources import app_icon
from lakarrond.services.demo import is_empty, load_demo
from lakarrond.store import Database, open_database
from lakarrond.store.database import is_url
from lakarrond.today import today as todays_date
from lakarrond.ui import crash
from lakarrond.ui.main_window import MainWindow
from lakarrond.ui.platform_check import platform_problem

ORG, APP = "Lakarrond", "Lakarrond"


def offer_demo(db: Database, parent: object = None, ask: bool = True) -> bool:
    """On a first start with an empty database: load the example municipality or start
    empty. Returns True when the demo was loaded."""
    if not is_empty(db):
        return False
    if ask:
        answer = QMessageBox.question(
            parent, "Välkommen till Läkarrond",  # type: ignore[arg-type]  # parent may be None
            "Databasen är tom.\n\nVill du läsa in en exempelkommun (påhittade patienter) "
            "för att prova programmet? Välj Nej för att börja med en tom databas och "
            "importera er egen Excel-mall.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
    load_demo(db, todays_date().year + 1)
    return True


def resolve_target(given: str | None, settings: QSettings) -> str | None:
    """--db, else env LAKARROND_DB, else the last database used (if the file still exists),
    else None (the default file in the user's data folder)."""
    if given:
        return given
    if os.environ.get("LAKARROND_DB"):
        return None
    last = settings.value("db/last")
    if last and (is_url(str(last)) or Path(str(last)).exists()):
        return str(last)
    return None


def missing_last(given: str | None, settings: QSettings) -> str | None:
    """The Swedish notice when the database used last time is gone (moved or deleted): it
    is not created again, the default one is opened instead. None when nothing is missing."""
    if given or os.environ.get("LAKARROND_DB"):
        return None
    last = settings.value("db/last")
    if not last or is_url(str(last)) or Path(str(last)).exists():
        return None
    return (f"Databasen som användes senast finns inte längre:\n{last}\n\n"
            "Den har flyttats eller tagits bort. Standarddatabasen öppnas i stället. "
            "Välj Arkiv → Öppna databas … om den finns någon annanstans.")


def status_listener(window: QMainWindow) -> Callable[[str], None]:
    """Show a database notice ("Väntar på databasen …") in the window's status bar; safe to
    call from a worker thread (queued to the GUI thread)."""
    bar = window.statusBar()

    def show(message: str) -> None:
        QMetaObject.invokeMethod(bar, "showMessage", Qt.ConnectionType.QueuedConnection,
                                 Q_ARG(str, message), Q_ARG(int, 15_000))

    return show


SMOKE_ENV = "LAKARROND_SMOKE_QUIT_MS"
SMOKE_SHOWN = "LAKARROND_SMOKE: fönstret visas"


def quit_when_shown(app: QApplication, window: QMainWindow, within_ms: int) -> None:
    """For the start test (env LAKARROND_SMOKE_QUIT_MS): once the window is really on the
    screen (mapped and exposed) print SMOKE_SHOWN with its title and quit with 0; if that
    does not happen within ``within_ms``, quit with 3."""
    timer = QTimer(window)
    waited = [0]

    def check() -> None:
        handle = window.windowHandle()
        if window.isVisible() and handle is not None and handle.isExposed():
            timer.stop()
            print(f"{SMOKE_SHOWN}: {window.windowTitle()}", flush=True)
            app.exit(0)
        elif waited[0] >= within_ms:
            timer.stop()
            print("LAKARROND_SMOKE: fönstret visades inte", file=sys.stderr, flush=True)
            app.exit(3)
        waited[0] += 100

    timer.timeout.connect(check)
    timer.start(100)


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window on the chosen database; returns the exit code."""
    parser = argparse.ArgumentParser(prog="lakarrond", add_help=False)
    parser.add_argument("--db", default=None)
    args, _ = parser.parse_known_args(list(argv) if argv is not None else sys.argv[1:])

    if QApplication.instance() is None:
        problem = platform_problem(os.environ)
        if problem:  # Qt would abort with English text; say what to install instead
            print(problem, file=sys.stderr)
            return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # the window needs widgets, not a QCoreApplication
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName("Läkarrond")
    install_swedish_translations(app)  # Qt's own buttons in Swedish (Ja/Nej/Avbryt …)
    app.setWindowIcon(app_icon())
    settings = QSettings(ORG, APP)
    missing = missing_last(args.db, settings)
    try:
        db = open_database(resolve_target(args.db, settings))
    except UserError as exc:
        QMessageBox.critical(None, "Databasen kunde inte öppnas", str(exc))
        return 1
    crash.install()
    try:
        offer_demo(db)
    except UserError as exc:
        QMessageBox.warning(None, "Exempeldata", str(exc))
    window = MainWindow(db, settings=settings, background=True)  # the plan read behind it
    db.on_wait.append(status_listener(window))
    for warning in db.warnings:
        window.ctx.show_error(warning, "Varning")
    if missing:
        window.ctx.show_error(missing, "Databasen finns inte")
    window.show()
    if os.environ.get(SMOKE_ENV):
        quit_when_shown(app, window, int(os.environ[SMOKE_ENV]))
    try:
        return int(app.exec())
    finally:
        db.dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
