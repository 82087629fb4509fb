"""Starting the desktop app: ``main(argv)`` is what ``lakarrond`` without a command calls
(``argv`` is ``["--db", URL_OR_PATH]`` or empty)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from lakarrond.errors import UserError
from lakarrond.qt_translations import install_swedish_translations
from lakarrond.resources import app_icon
from lakarrond.services.demo import load_demo
from lakarrond.store import Database, open_database
from lakarrond.store import models as m
from lakarrond.ui import crash
from lakarrond.ui.main_window import MainWindow

ORG, APP = "Lakarrond", "Lakarrond"


def is_empty(db: Database) -> bool:
    with db.begin() as s:
        return not any(s.scalar(select(func.count()).select_from(t)) for t in
                       (m.Doctor, m.Unit, m.Patient))


def offer_demo(db: Database, parent: object = None, ask: bool = True) -> bool:
    """On a first start with an empty database: load the example municipality or start
    empty. Returns True when the demo was loaded."""
    if not is_empty(db):
        return False
    if ask:
        answer = QMessageBox.question(
            parent, "Välkommen till Läkarrond",  # type: ignore[arg-type]
            "Databasen är tom.\n\nVill du läsa in en exempelkommun (påhittade patienter) "
            "för att prova programmet? Välj Nej för att börja med en tom databas och "
            "importera er egen Excel-mall.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
    load_demo(db, date.today().year + 1)
    return True


def resolve_target(given: str | None, settings: QSettings) -> str | None:
    """--db, else env LAKARROND_DB, else the last database used (if the file still exists),
    else None (the default file in the user's data folder)."""
    if given:
        return given
    if os.environ.get("LAKARROND_DB"):
        return None
    last = settings.value("db/last")
    if last and (("://" in str(last)) or Path(str(last)).exists()):
        return str(last)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window on the chosen database; returns the exit code."""
    parser = argparse.ArgumentParser(prog="lakarrond", add_help=False)
    parser.add_argument("--db", default=None)
    args, _ = parser.parse_known_args(list(argv) if argv is not None else sys.argv[1:])

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName("Läkarrond")
    install_swedish_translations(app)  # Qt's own buttons in Swedish (Ja/Nej/Avbryt …)
    app.setWindowIcon(app_icon())
    settings = QSettings(ORG, APP)
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
    window = MainWindow(db, settings=settings)
    for warning in db.warnings:
        window.ctx.show_error(warning, "Varning")
    window.show()
    try:
        return int(app.exec())
    finally:
        db.dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
