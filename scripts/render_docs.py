"""Render the first page of each printout of the example municipality to PNG, for the
documentation: ``python scripts/render_docs.py [--out DIR] [--pdf]``.

The printouts: a doctor's round schedule (with the ÅMV clock times), a unit's preparation
list (with the steps already ticked), the week's round list (one page per doctor; the first
page is drawn) and the list of moved ÅMV of a re-plan ("Flyttade – meddela").

The data tell the same story as ``scripts/screenshots.py``: the demo made a little tight,
planned from 1 January, then on Monday 15 March the past ÅMV have their outcomes, the
coming weeks' preparation steps are partly ticked, a patient has died and a doctor is ill
for two days, and the year is re-planned from that Monday with the 14-day freeze.

Runs without a display (Qt's offscreen platform). The pictures are painted by the same
routine that writes the PDF and feeds the printer, so they show what the paper shows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2027
DOCTOR = "Karin Holmström"  # Rosengården has 20 minutes per ÅMV: the clock times show
UNIT = "Rosengården"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "print",
                        help="folder for the PNG files (default docs/print)")
    parser.add_argument("--dpi", type=int, default=110, help="resolution of the pictures")
    parser.add_argument("--pdf", action="store_true", help="also write the PDF files there")
    args = parser.parse_args(argv)

    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))

    from screenshots import TODAY, make_tight, record_history, save_png, tick_preparation

    from lakarrond.io.pdf import ensure_gui_app, render_page_image, text_document, write_pdf
    from lakarrond.services import doctors as doctor_service
    from lakarrond.services import patients as patient_service
    from lakarrond.services.demo import load_demo
    from lakarrond.services.doctors import AbsenceData
    from lakarrond.services.document import current_document
    from lakarrond.services.exporter import moved_printout
    from lakarrond.services.plan import make_plan, plan_year, save_draft
    from lakarrond.services.printing import (
        make_preparation_list,
        make_round_schedule,
        make_week_list,
    )
    from lakarrond.store import open_database
    from solver.problem import PatientStatus

    ensure_gui_app()
    args.out.mkdir(parents=True, exist_ok=True)
    today = TODAY
    os.environ["LAKARROND_TODAY"] = today.isoformat()  # the story's Monday, for every service
    monday = today - timedelta(days=today.weekday())
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "demo.sqlite"))
        try:
            load_demo(db, YEAR)
            make_tight(db, YEAR)
            plan_year(db, YEAR, time_limit=10)
            record_history(db, YEAR, today)
            tick_preparation(db, YEAR, today)
            # a death and a doctor ill inside the freeze, then the re-plan from today
            doc = current_document(db, YEAR, today)
            assert doc is not None
            later = sorted((a for a in doc.reviews if a.date > today + timedelta(days=30)),
                           key=lambda a: (a.date, a.patient))
            dead = patient_service.get_patient(db, later[3].patient_id)
            patient_service.update_patient(db, dead.id, replace(
                dead.data, status=PatientStatus.DECEASED.value,
                end_date=today - timedelta(days=4)), dead.version)
            karin = next(d for d in doctor_service.list_doctors(db) if d.name == DOCTOR)
            doctor_service.add_absence(db, AbsenceData(
                doctor_id=karin.id, start=today + timedelta(days=7),
                end=today + timedelta(days=8), reason="Sjuk"))
            draft = make_plan(db, YEAR, plan_from=today, freeze_days=14, time_limit=10)
            save_draft(db, draft)
            jobs = {
                "rondschema": make_round_schedule(db, YEAR, DOCTOR, today,
                                                  today + timedelta(days=27)),
                "forberedelselista": make_preparation_list(db, YEAR, UNIT, today - timedelta(
                    days=14), today + timedelta(days=27)),
                "veckolista": make_week_list(db, monday, today, doctor=DOCTOR),
                "flyttade": moved_printout(draft),
            }
        finally:
            db.dispose()
    for name, job in jobs.items():
        document = text_document(job)
        path = args.out / f"{name}.png"
        save_png(render_page_image(document, 0, args.dpi), path)
        print(f"{path} ({path.stat().st_size // 1024} kB)")
        if args.pdf:
            write_pdf(document, args.out / f"{name}.pdf")
            print(args.out / f"{name}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
