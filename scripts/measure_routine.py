"""How long the Monday routine's answers take in the window: the time from the user's action
until the event loop is idle again (no background job left, no event waiting), on the
example municipality (6 doctors, 19 units, 459 patients) with a saved plan, on 29 March 2027.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python scripts/measure_routine.py [--repeat 3]

Measured: Genomförd on 9 ÅMV, Registrera of an Avböjd, Spara of a new patient until Föreslå
datum shows, Boka, and Spara veckan som PDF (every doctor, the folder remembered). Each is
run ``--repeat`` times (undone in between where it can be) and the median is printed. The
dialogs are answered at once (their own time is not counted)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtWidgets import QApplication, QDialog

from lakarrond.services.demo import load_demo
from lakarrond.services.plan import plan_year
from lakarrond.store import open_database

TODAY = date(2027, 3, 29)


def idle(app: QApplication, window: Any) -> None:
    """Until no event waits and no background job runs."""
    quiet = 0
    while quiet < 3:
        app.processEvents()
        quiet = quiet + 1 if not window.ctx.jobs.busy() else 0
        if quiet == 0:
            time.sleep(0.001)


def _luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 - index % 2)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from lakarrond.ui.dialogs.outcome import OutcomeDialog
    from lakarrond.ui.dialogs.patient import PatientDialog
    from lakarrond.ui.dialogs.suggest import SuggestDialog
    from lakarrond.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # never the user's own settings
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    settings = QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("print/week_folder", str(folder))
    db = open_database(str(folder / "demo.sqlite"))
    load_demo(db, TODAY.year)
    plan_year(db, TODAY.year, time_limit=10.0)
    window = MainWindow(db, year=TODAY.year, settings=settings)
    window.ctx.fixed_today = TODAY
    window.resize(1400, 900)
    window.show()
    window.reload()
    window.week.this_week()
    idle(app, window)
    view = window.week_view
    marks: dict[str, float] = {}
    serial = [500]

    def answer(dialog: QDialog) -> bool:
        if isinstance(dialog, OutcomeDialog):
            dialog.reason.setCurrentIndex(0)
        elif isinstance(dialog, PatientDialog):
            serial[0] += 1
            short = f"350412{serial[0]:03d}"
            dialog.name.setText(f"Test Nyberg {serial[0]}")
            dialog.personnummer.setText(f"19350412-{serial[0]:03d}{_luhn(short)}")
            dialog.unit.setCurrentIndex(1)
        elif isinstance(dialog, SuggestDialog):
            marks["suggest_shown"] = time.perf_counter()
            dialog.view.selectRow(0)
        else:
            return False
        marks["answered"] = time.perf_counter()
        return True

    window.ctx.exec_dialog = answer  # type: ignore[method-assign]

    def timed(action: Callable[[], object], since: str | None = None) -> float:
        marks.clear()
        start = time.perf_counter()
        action()
        idle(app, window)
        return time.perf_counter() - marks.get(since or "", start)

    def select(count: int) -> None:
        model, chosen = view.tree_model, window.week_view.tree.selectionModel()
        chosen.clearSelection()
        from_week = [i for i in _all(model) if model.review_at(i) is not None
                     and model.review_at(i).review.status == "Planerad"][:count]
        flags = (QItemSelectionModel.SelectionFlag.Select
                 | QItemSelectionModel.SelectionFlag.Rows)
        for index in from_week:
            chosen.select(index, flags)

    results: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        results.setdefault(name, []).append(seconds)

    window.week.previous_week()
    idle(app, window)
    for _ in range(args.repeat):
        select(9)
        record("Genomförd, 9 ÅMV", timed(view.done_button.click))
        window.undo_stack.undo()
        idle(app, window)
        select(1)
        record("Registrera (Avböjd)", timed(view.declined_button.click, "answered"))
        window.undo_stack.undo()
        idle(app, window)
    window.week.this_week()
    idle(app, window)
    for _ in range(args.repeat):
        marks.clear()
        start = time.perf_counter()
        window.patients_view.add_button.click()
        idle(app, window)
        end = time.perf_counter()
        record("Spara ny patient → Föreslå datum visas", marks["suggest_shown"] - start)
        record("Boka", end - marks["answered"])
        if hasattr(view, "pdf_button"):  # not in the code before issue 20
            record("Spara veckan som PDF", timed(view.pdf_button.click))
    for name, seconds in results.items():
        print(f"{name}: {statistics.median(seconds):.2f} s "
              f"({', '.join(f'{s:.2f}' for s in seconds)})")
    window.wait_for_workers()
    window.close()
    db.dispose()


def _all(model: Any, parent: Any = None) -> list[Any]:
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found.append(index)
        found.extend(_all(model, index))
    return found


if __name__ == "__main__":
    main()
