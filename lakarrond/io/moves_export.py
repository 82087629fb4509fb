"""The list "Flyttade – meddela" as an Excel workbook (one row per patient whose ÅMV moves:
old and new date and clock time, and why)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from lakarrond.io.files import atomic_write
from lakarrond.io.xlsx import fit_columns, put, put_row, set_up_printing
from lakarrond.printouts import MovedList

HEADERS = ("Enhet", "Patient", "Läkare", "Tidigare datum", "Nytt datum", "Tidigare tid",
           "Ny tid", "Orsak")
DATE_FORMAT = "yyyy-mm-dd"


def write_moves_xlsx(moved: MovedList, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Flyttade"
    put_row(sheet, 1, HEADERS, font=Font(bold=True))
    for row, r in enumerate(moved.rows, start=2):
        put_row(sheet, row, (r.unit, r.patient, r.doctor, None, None, r.old_time,
                             r.new_time if r.new else "", r.reason))
        put(sheet, row, 4, r.old, number_format=DATE_FORMAT)
        put(sheet, row, 5, r.new if r.new else "inget datum",
            number_format=DATE_FORMAT if r.new else None)
    sheet.freeze_panes = "A2"
    fit_columns(sheet, minimum=10)
    set_up_printing(sheet, title=f"Flyttade ÅMV {moved.year} från {moved.plan_from.isoformat()}",
                    organisation="Läkarrond")
    atomic_write(Path(path), lambda tmp: workbook.save(tmp))
