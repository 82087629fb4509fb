"""Write a PNG of each view and dialog of the desktop app into docs/screenshots/ (offscreen).

    python scripts/screenshots.py [--out docs/screenshots] [--time-limit 20]

Tells a short story with the example municipality in a temporary database, so the pictures
look like a real Monday in March of the plan year:

1. the demo is made a little tight (Bäckliden 1 ÅMV per rond, two patients admitted in the
   summer weeks; Rosengården 20 minutes per ÅMV), so Avvikelser has causes to show;
2. the year is planned from 1 January (the progress dialog is grabbed);
3. the window lives on Monday 15 March (``ctx.fixed_today``): the ÅMV before it get their
   outcomes (most Genomförd, some Avböjd, one Inställd, last week's partly left "ej
   registrerad"), the coming weeks' preparation steps are partly ticked;
4. a patient dies, another is admitted and booked through "Föreslå datum", a doctor is ill
   for two days inside the freeze; the year is re-planned from 15 March with the freeze
   (the preview with "Flyttade – meddela" is grabbed) and saved;
5. Avvikelser (grouped by cause) is grabbed and the first fix is tried side by side (and
   thrown away); an ÅMV of the week is cancelled from Veckan (the reason dialog);
6. a patient is discharged and a unit gets one-off round dates, so the Årsplan shows the
   stale banner; every tab and the main dialogs are grabbed.

``render_docs.py`` uses the same story (``make_tight``, ``record_history``,
``tick_preparation``) for the printouts in docs/print/. Needs fonts for the offscreen
platform (DejaVu on Debian: fonts-dejavu-core). A PNG over 250 kB is written as an 8-bit
palette image of its most frequent colours.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LOGNAME"] = "sara.lind"  # the coordinator who ticks the steps ("Av")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = date(2027, 3, 15)  # the Monday the window lives on (week 11)
WINDOW_SIZE = (1440, 900)
TIGHT_UNIT = "Bäckliden"  # 32 patients, rounds every other week: 1 ÅMV per rond is too few
SUMMER_UNIT = "Vallmon"  # two patients admitted in the summer weeks
TIMES_UNIT = "Rosengården"  # 20 minutes per ÅMV on the round schedule
ROUND_CHANGE_UNIT = "Solgården"  # one extra and one cancelled round


# --- the story, with services only (render_docs.py uses it too) ---------------------------
def make_tight(db: Any, year: int) -> None:
    """Bäckliden gets 1 ÅMV per rond, Rosengården 20 minutes per ÅMV, and Vallmon two new
    patients admitted in the summer weeks (no round in their first 28 days)."""
    from lakarrond.services import patients as patient_service
    from lakarrond.services import units as unit_service
    from lakarrond.services.patients import PatientData

    units = {u.name: u for u in unit_service.list_units(db)}
    tight = units[TIGHT_UNIT]
    unit_service.update_unit(db, tight.id, replace(tight.data, reviews_per_round=1),
                             tight.version)
    timed = units[TIMES_UNIT]
    unit_service.update_unit(db, timed.id, replace(timed.data, review_minutes=20),
                             timed.version)
    summer = units[SUMMER_UNIT]
    for name, admitted, number in (("Elsa Grönberg", date(year, 7, 5), "19391121-2391"),
                                   ("Harald Berg", date(year, 7, 12), "19370306-5148")):
        patient_service.create_patient(db, PatientData(
            name=name, unit_id=summer.id, admitted=admitted, personnummer=number,
            room=f"Rum {140 + admitted.day}"))


def record_history(db: Any, year: int, today: date) -> dict[str, list[Any]]:
    """Outcomes for the ÅMV before ``today``: every 9th Avböjd, one Inställd, the last
    working week partly left unregistered; the rest Genomförd. Returns the reviews by kind."""
    from lakarrond.services import visits as visit_service
    from lakarrond.services.document import current_document
    from solver.problem import VisitStatus

    doc = current_document(db, year, today)
    assert doc is not None
    past = sorted((a for a in doc.reviews if a.date < today),
                  key=lambda a: (a.date, a.patient))
    last_week = today - timedelta(days=7)
    done, declined, cancelled, open_ = [], [], [], []
    for i, a in enumerate(past):
        if a.date >= last_week and i % 2 == 0:
            open_.append(a)
        elif i % 9 == 4:
            declined.append(a)
        elif i == len(past) // 2:
            cancelled.append(a)
        else:
            done.append(a)
    visit_service.record_outcomes(db, [a.visit_id for a in done], VisitStatus.DONE)
    visit_service.record_outcomes(db, [a.visit_id for a in declined], VisitStatus.DECLINED,
                                  "patienten tackade nej")
    visit_service.record_outcomes(db, [a.visit_id for a in cancelled], VisitStatus.CANCELLED,
                                  "patienten sjuk")
    return {"done": done, "declined": declined, "cancelled": cancelled, "open": open_}


def tick_preparation(db: Any, year: int, today: date, weeks: int = 3) -> int:
    """Tick the preparation steps of the ÅMV of the next ``weeks`` weeks as a busy
    coordinator would: the steps due by the end of this week, on their last day (or
    yesterday); every sixth ÅMV not at all (late, red), every third one only the steps due
    by today (the rest are to do now). Returns the number of ticks."""
    from lakarrond.services import preparation
    from lakarrond.services.document import current_document

    doc = current_document(db, year, today)
    assert doc is not None
    end = today + timedelta(days=7 * weeks)
    coming = sorted((a for a in doc.reviews if today <= a.date < end and a.status in
                     ("Planerad", "Låst")), key=lambda a: (a.date, a.patient))
    rows = [(a.patient_id, a.date) for a in coming]
    states = preparation.checklist(db, year, rows, today)
    ticked = 0
    for i, a in enumerate(coming):
        if i % 6 == 1:
            continue
        for state in states.get((a.patient_id, a.date), []):
            if state.due > (today if i % 3 == 2 else today + timedelta(days=4)):
                continue
            preparation.tick(db, a.patient_id, a.date, state.step,
                             done_on=min(state.due, today - timedelta(days=1)))
            ticked += 1
    return ticked


# --- pictures -----------------------------------------------------------------------------
def save_png(image: Any, path: Path, limit_kb: int = 250) -> None:
    """Save ``image`` as PNG, in full colour when that stays under ``limit_kb``, otherwise as
    an 8-bit palette image of its 256 most frequent colours (a screenshot has few colours;
    the rarer shades of the font smoothing go to the nearest of them)."""
    import numpy as np
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage

    def encoded(img: Any) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        img.save(buffer, "PNG", 0)  # 0 = smallest file
        buffer.close()
        return bytes(data.data())

    best = encoded(image)
    if len(best) > limit_kb * 1024:
        rgb = image.convertToFormat(QImage.Format.Format_RGB32)
        pixels = np.frombuffer(bytes(rgb.constBits()), dtype=np.uint32)
        colours, counts = np.unique(pixels | 0xFF000000, return_counts=True)
        table = [int(c) for c in colours[np.argsort(-counts, kind="stable")[:256]]]
        best = encoded(rgb.convertToFormat(QImage.Format.Format_Indexed8, table,
                                           Qt.ImageConversionFlag.ThresholdDither))
    path.write_bytes(best)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--year", type=int, default=TODAY.year)
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args(argv)
    year = args.year
    today = TODAY.replace(year=year)
    os.environ["LAKARROND_TODAY"] = today.isoformat()  # the story's Monday, for every service

    from PySide6.QtCore import QDate, QSettings, QThreadPool
    from PySide6.QtWidgets import QApplication, QDialog, QWidget

    from lakarrond.services import doctors as doctor_service
    from lakarrond.services import preparation
    from lakarrond.services import units as unit_service
    from lakarrond.services.demo import load_demo
    from lakarrond.services.doctors import AbsenceData
    from lakarrond.services.patients import PatientData
    from lakarrond.services.round_changes import CANCELLED, EXTRA
    from lakarrond.store import open_database
    from lakarrond.ui.dialogs.doctor import AbsenceDialog
    from lakarrond.ui.dialogs.printing import PrintDialog
    from lakarrond.ui.main_window import MainWindow
    from solver.problem import VisitStatus

    app = QApplication.instance() or QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(widget: QWidget, name: str) -> None:
        app.processEvents()
        path = args.out / f"{name}.png"
        save_png(widget.grab().toImage(), path)
        written.append(path)

    # what the next dialog opened through ctx.exec_dialog should do
    expected: list[tuple[str | None, bool, Callable[[QDialog], object] | None]] = []

    def answer(dialog: QDialog) -> bool:
        """Instead of a modal exec: show the dialog, grab it, accept or cancel it."""
        name, accept, prepare = expected.pop(0) if expected else (None, False, None)
        dialog.show()
        app.processEvents()
        if prepare is not None:
            prepare(dialog)
            app.processEvents()
        if name:
            save(dialog, name)
        dialog.hide()
        dialog.deleteLater()
        return accept

    def expect(name: str | None, accept: bool,
               prepare: Callable[[QDialog], object] | None = None) -> None:
        expected.append((name, accept, prepare))

    def wait(done: Callable[[], bool]) -> None:
        while not done():
            app.processEvents()
            QThreadPool.globalInstance().waitForDone(20)
        app.processEvents()

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
        db = open_database(str(Path(tmp) / "demo.sqlite"))
        try:
            load_demo(db, year)
            make_tight(db, year)
            window = MainWindow(db, year=year, settings=settings)
            window.resize(*WINDOW_SIZE)
            window.show()
            window.ctx.exec_dialog = answer  # type: ignore[method-assign]
            window.ctx.confirm = lambda *_a, **_k: True  # type: ignore[method-assign]

            def run_plan(grab_progress: bool) -> None:
                done: list[object] = []
                window.plan.plan_finished.connect(done.append)
                window.plan.plan_failed.connect(done.append)
                window.plan.start(time_limit=args.time_limit)
                dialog = window.plan.progress_dialog
                if grab_progress and dialog is not None:
                    window.plan.job.signals.progress.connect(
                        lambda _p: "planera-ar-dialog" not in [w.stem for w in written]
                        and save(dialog, "planera-ar-dialog"))
                wait(lambda: bool(done) or not window.plan.running)
                window.plan.plan_finished.disconnect(done.append)
                window.plan.plan_failed.disconnect(done.append)

            # 1–2: the plan made in December, from 1 January
            run_plan(grab_progress=True)

            # 3: mid-March
            window.ctx.fixed_today = today
            record_history(db, year, today)
            tick_preparation(db, year, today)
            window.reload()

            # 4: events before the re-plan: a death, a new patient booked through
            # "Föreslå datum", the doctor of Rosengården ill for two days inside the freeze
            doc = window.ctx.document
            assert doc is not None
            later = sorted((a for a in doc.reviews if a.date > today + timedelta(days=30)),
                           key=lambda a: (a.date, a.patient))
            window.patients.discharge(later[3].patient_id, today - timedelta(days=4),
                                      deceased=True)
            units = {u.name: u for u in unit_service.list_units(db)}
            new_id = window.patients.add(PatientData(
                name="Ingrid Åström", unit_id=units["Lindgården"].id,
                admitted=today - timedelta(days=3), personnummer="19360524-4437",
                room="Rum 131"))
            assert new_id is not None
            expect("foresla-datum", True)
            window.plan.suggest(new_id)
            doctors = {d.name: d for d in doctor_service.list_doctors(db)}
            karin = doctors["Karin Holmström"]
            doctor_service.add_absence(db, AbsenceData(
                doctor_id=karin.id, start=today + timedelta(days=7),
                end=today + timedelta(days=8), reason="Sjuk"))
            window.reload()

            # the re-plan from today with the freeze, previewed and saved
            pv = window.plan_view
            window.tabs.setCurrentWidget(pv)
            pv.from_edit.setDate(QDate(today.year, today.month, today.day))
            pv.freeze_spin.setValue(14)
            expect("omplanering-forhandsvisning", True)
            run_plan(grab_progress=False)

            # 5: Avvikelser grouped by cause, and one fix tried side by side (thrown away)
            pv.tabs.setCurrentWidget(pv.violations)
            tree, causes = pv.violations.tree, pv.violations.model
            tree.expandAll()
            for row in range(causes.rowCount()):
                cause = causes.cause_at(causes.index(row, 0))
                if cause is not None and cause.action is not None:
                    first = causes.index(0, 0, causes.index(row, 0))
                    tree.setCurrentIndex(first if first.isValid() else causes.index(row, 0))
                    break
            save(window, "avvikelser-orsaker")
            expect("prova-atgard", False)
            if window.causes.try_current():
                wait(lambda: window.causes.job is None)

            # an ÅMV of this week cancelled from Veckan (the reason asked)
            window.tabs.setCurrentWidget(window.week_view)
            window.week.this_week()
            doc = window.ctx.document
            assert doc is not None
            this_week = sorted((a for a in doc.reviews if today < a.date < today +
                                timedelta(days=5) and a.status == "Planerad"),
                               key=lambda a: (a.date, a.patient))
            window.week.select(this_week[-1])
            expect("utfall-installd", True,
                   lambda d: d.reason.setCurrentText("inlagd på sjukhus"))  # type: ignore[attr-defined]
            window.week.record_selected(VisitStatus.CANCELLED)

            # 6: after the re-plan a patient is discharged and a unit gets one-off round
            # dates: the plan is stale (the banner)
            discharged = sorted((a for a in doc.reviews if a.date > today + timedelta(days=60)),
                                key=lambda a: (a.date, a.patient))[5]
            window.patients.discharge(discharged.patient_id, today + timedelta(days=2))
            rc_unit = units[ROUND_CHANGE_UNIT]
            window.units.add_round_change(rc_unit.id, CANCELLED, date(year, 4, 14),
                                          "läkaren på utbildning")
            window.units.add_round_change(rc_unit.id, EXTRA, date(year, 6, 22),
                                          "extra tid före semestern")
            window.reload()

            # 7: the tabs
            window.tabs.setCurrentWidget(window.week_view)
            window.week.this_week()
            assert window.week.week is not None
            partly = sorted((a for a in window.ctx.document.reviews
                             if today <= a.date < today + timedelta(days=5)
                             and a.status == "Planerad"), key=lambda a: (a.date, a.patient))
            states = preparation.checklist(db, year, [(a.patient_id, a.date) for a in partly],
                                           today)
            partly.sort(key=lambda a: (a.doctor, a.date, a.patient))  # the tree's order
            pick = next((a for a in partly
                         if 0 < sum(s.done for s in states[(a.patient_id, a.date)]) < 5),
                        partly[0])
            wv = window.week_view
            wv.todo.parentWidget().parentWidget().setSizes([560, 230])  # more of "Att göra"
            window.week.select(pick)
            wv.tree.scrollToTop()
            wv.tree.scrollTo(wv.tree.currentIndex())
            save(window, "veckan")
            wv.doctor_combo.setCurrentText(pick.doctor)  # Veckan for one doctor, with Hitta
            wv.open_find()
            wv.find_bar.edit.setText(pick.patient.split()[0])
            save(window, "veckan-en-lakare")
            wv.find_bar.close_bar()
            wv.doctor_combo.setCurrentIndex(0)

            # the round's matters (issue 21): booked, listed under the round, the basis
            from screenshots_matters import matter_story  # scripts/ is on sys.path

            matter_story(window, db, today, args.out, save, expect)
            written.append(args.out / "planeringsunderlag.png")

            window.tabs.setCurrentWidget(window.units_view)
            window.units_view.panel.select_where(lambda r: r.name == TIGHT_UNIT)
            save(window, "enheter")
            window.tabs.setCurrentWidget(window.patients_view)
            window.patients_view.panel.select_where(lambda r: r.id == new_id)
            save(window, "patienter")
            window.tabs.setCurrentWidget(window.doctors_view)
            window.doctors.select(karin.id)
            save(window, "lakare")
            window.tabs.setCurrentWidget(window.rounds_view)
            rounds = window.rounds_view.panel
            combo = rounds.filters[window.rounds_view.model.DOCTOR_COLUMN]
            combo.setCurrentIndex(combo.findText("Karin Holmström"))
            rounds.select_where(lambda r: r.date >= today + timedelta(days=7))
            rounds.view.scrollTo(rounds.view.currentIndex(),
                                 rounds.view.ScrollHint.PositionAtCenter)
            save(window, "rondschema")
            combo.setCurrentIndex(0)

            window.tabs.setCurrentWidget(pv)
            pv.tabs.setCurrentWidget(pv.visits)
            pv.visits.select_where(lambda r: r.patient_id == new_id)
            save(window, "arsplan")
            for widget, name in ((pv.follow_up, "att-folja-upp"),
                                 (pv.chart, "arsplan-diagram"),
                                 (pv.measures, "arsplan-matt")):
                pv.tabs.setCurrentWidget(widget)
                save(window, name)
            pv.tabs.setCurrentWidget(pv.visits)

            # 8: the dialogs (all cancelled)
            expect("installningar", False)
            window.year_settings.edit()
            expect("lakare-formular", False)
            window.doctors.edit(karin.id)
            absence = next(a for a in doctor_service.list_absences(db)
                           if a.doctor == "Anna Lindqvist")
            expect("franvaro", False)
            answer(AbsenceDialog(doctor_service.list_doctors(db), parent=window,
                                 data=replace(absence.data, reviews_by_substitute=True)))

            def choose_export(dialog: Any) -> None:
                dialog.health_centre.setCurrentIndex(dialog.health_centre.findText(
                    "Vårdcentralen Ågården"))
                dialog.doctor.setCurrentIndex(dialog.doctor.findText("Karin Holmström"))
                dialog.whole_year.setChecked(False)
                dialog.date_from.setDate(QDate(year, 4, 1))
                dialog.date_to.setDate(QDate(year, 6, 30))

            expect("exportera", False, choose_export)
            window.files.export_dialog(".xlsx")
            expect("enhet-rytm", False,
                   lambda d: d.preview_from.setDate(QDate(year, 4, 5)))  # type: ignore[attr-defined]
            window.units.edit(rc_unit.id)
            later_visit = next(a for a in window.ctx.document.reviews
                               if a.date > today + timedelta(days=30)
                               and a.status == "Planerad")
            expect("flytta-amv", False)
            window.plan.move_visit(later_visit.visit_id)
            expect("patient-formular", False)
            window.patients.edit(new_id)
            expect("skriv-ut", False)
            answer(PrintDialog(year, window.ctx.document.doctors,
                               sorted(u.name for u in window.ctx.document.units if u.annual),
                               parent=window))
            window.close()
        finally:
            QThreadPool.globalInstance().waitForDone()
            db.dispose()
    for path in written:
        size = path.stat().st_size // 1024
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown} ({size} kB)")
    left = [name for name, _a, _p in expected if name]
    if left:
        print(f"Inte tagna (dialogen öppnades inte): {', '.join(left)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
