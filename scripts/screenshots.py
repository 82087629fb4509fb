"""Write a PNG of each view of the desktop app into docs/screenshots/ (offscreen).

    python scripts/screenshots.py [--out docs/screenshots] [--time-limit 20]

Uses the example municipality in a temporary database, makes the year plan, and grabs the
main window on each tab plus the main dialogs. Needs fonts for the offscreen platform
(DejaVu on Debian: fonts-dejavu-core).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args(argv)

    from datetime import date

    from PySide6.QtCore import QSettings, QThreadPool
    from PySide6.QtWidgets import QApplication

    from lakarrond.services import doctors as doctor_service
    from lakarrond.services import patients as patient_service
    from lakarrond.services import units as unit_service
    from lakarrond.services import visits as visit_service
    from lakarrond.services.demo import load_demo
    from lakarrond.store import open_database
    from lakarrond.ui.dialogs.patient import PatientDialog
    from lakarrond.ui.dialogs.plan import MoveVisitDialog
    from lakarrond.ui.dialogs.printing import PrintDialog
    from lakarrond.ui.dialogs.unit import UnitDialog
    from lakarrond.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        app.processEvents()
        path = args.out / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
        db = open_database(str(Path(tmp) / "demo.sqlite"))
        try:
            load_demo(db, args.year)
            window = MainWindow(db, year=args.year, settings=settings)
            window.resize(1400, 860)
            window.show()
            def run_plan(grab_progress: bool) -> None:
                done: list[object] = []
                window.plan.plan_finished.connect(done.append)
                window.plan.plan_failed.connect(done.append)
                window.plan.start(time_limit=args.time_limit)
                dialog = window.plan.progress_dialog
                if grab_progress:
                    window.plan.job.signals.progress.connect(
                        lambda _p: "planera-ar-dialog" not in [w.stem for w in written]
                        and save(dialog, "planera-ar-dialog"))
                while not done:
                    app.processEvents()
                    QThreadPool.globalInstance().waitForDone(20)
                app.processEvents()
                window.plan.plan_finished.disconnect(done.append)
                window.plan.plan_failed.disconnect(done.append)

            run_plan(grab_progress=True)
            # lock one ÅMV on another date and re-plan, so the plan shows what moved
            first = window.ctx.document.reviews[0]
            dates = visit_service.allowed_dates(db, first.visit_id)
            visit = visit_service.get_visit(db, first.visit_id)
            move = MoveVisitDialog(visit, dates, window)
            save(move, "flytta-amv")
            move.deleteLater()
            window.plan.move_visit(first.visit_id, dates[-1].date)
            run_plan(grab_progress=False)
            window.plan_view.visits.select_where(lambda r: r.patient_id == first.patient_id)
            window.patients_view.panel.select_where(lambda r: r.id == first.patient_id)
            for index, name in enumerate(("enheter", "patienter", "lakare", "arsplan",
                                          "rondschema")):
                window.tabs.setCurrentIndex(index)
                save(window, name)
            window.tabs.setCurrentWidget(window.plan_view)
            for index, name in ((1, "arsplan-diagram"), (2, "arsplan-matt"),
                                (3, "arsplan-avvikelser")):
                window.plan_view.tabs.setCurrentIndex(index)
                save(window, name)
            units = unit_service.list_units(db)
            unit = next(u for u in units if u.name == "Bäckliden")
            dialog = UnitDialog(db, doctor_service.list_doctors(db), unit.data, unit.patients,
                                preview_from=date(args.year, 6, 1),
                                parent=window)
            save(dialog, "enhet-rytm")
            dialog.deleteLater()
            printing = PrintDialog(args.year, [d.name for d in doctor_service.list_doctors(db)],
                                   [u.name for u in units], parent=window)
            save(printing, "skriv-ut")
            printing.deleteLater()
            patient = patient_service.list_patients(db)[0]
            pdialog = PatientDialog(units, patient.data, window)
            save(pdialog, "patient-formular")
            pdialog.deleteLater()
            window.close()
        finally:
            QThreadPool.globalInstance().waitForDone()
            db.dispose()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
