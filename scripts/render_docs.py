"""Render the first page of each printout (round schedule, preparation list) of the demo
municipality to PNG, for the documentation: ``python scripts/render_docs.py [--out DIR]``.

Runs without a display (Qt's offscreen platform). The pictures are painted by the same
routine that writes the PDF and feeds the printer, so they show what the paper shows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2027
DOCTOR = "Karin Holmström"
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

    from lakarrond.io.pdf import ensure_gui_app, render_page_image, write_pdf
    from lakarrond.services.demo import load_demo
    from lakarrond.services.plan import plan_year
    from lakarrond.services.printing import preparation_list, round_schedule
    from lakarrond.store import open_database

    ensure_gui_app()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "demo.sqlite"))
        try:
            load_demo(db, YEAR)
            plan_year(db, YEAR, time_limit=10)
            jobs = {
                "rondschema": round_schedule(db, YEAR, DOCTOR, date(YEAR, 3, 1),
                                             date(YEAR, 3, 31)),
                "forberedelselista": preparation_list(db, YEAR, UNIT, date(YEAR, 3, 1),
                                                      date(YEAR, 4, 30)),
            }
        finally:
            db.dispose()
    for name, job in jobs.items():
        path = args.out / f"{name}.png"
        if not render_page_image(job.document, 0, args.dpi).save(str(path)):
            print(f"Kunde inte spara {path}", file=sys.stderr)
            return 1
        print(path)
        if args.pdf:
            write_pdf(job.document, args.out / f"{name}.pdf")
            print(args.out / f"{name}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
