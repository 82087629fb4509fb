"""The list "Ändringar sedan" (:mod:`lakarrond.census`) as files: an Excel workbook (one
sheet, a header row, page setup as the plan's export) and the contract's JSON (a list of
``{"kind", "date", "patient", "personnummer", "unit", "doctor", "health_centre"}``)."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from lakarrond.census import CensusList, census_json, unit_text
from lakarrond.io.files import atomic_write
from lakarrond.io.xlsx import fit_columns, put, put_row, set_up_printing

HEADERS = ("Vårdcentral", "Läkare", "Datum", "Händelse", "Patient", "Personnummer", "Enhet")
DATE_FORMAT = "yyyy-mm-dd"
SHEET = "Ändringar"


def census_title(since: str) -> str:
    return f"Ändringar sedan {since}"


def census_json_text(census: CensusList, include_personnummer: bool) -> str:
    return json.dumps(census_json(census.rows, include_personnummer), ensure_ascii=False,
                      indent=2) + "\n"


def write_census_json(census: CensusList, path: Path, include_personnummer: bool) -> None:
    text = census_json_text(census, include_personnummer)
    atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def build_census_workbook(census: CensusList, include_personnummer: bool) -> Workbook:
    """One sheet: a row per event, for a move the unit with where the patient came from.
    Without ``include_personnummer`` the column is left out."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    headers = HEADERS if include_personnummer else tuple(
        h for h in HEADERS if h != "Personnummer")
    put_row(sheet, 1, headers, font=Font(bold=True))
    for row, r in enumerate(census.rows, start=2):
        values: list[object] = [r.health_centre, r.doctor, None, r.kind.value, r.patient]
        if include_personnummer:
            values.append(r.personnummer or "")
        values.append(unit_text(r))
        put_row(sheet, row, values)
        put(sheet, row, 3, r.date, number_format=DATE_FORMAT)
    sheet.freeze_panes = "A2"
    fit_columns(sheet, minimum=10)
    set_up_printing(sheet, title=census_title(census.since.isoformat()),
                    organisation="Läkarrond")
    return workbook


def write_census_xlsx(census: CensusList, path: Path, include_personnummer: bool) -> None:
    workbook = build_census_workbook(census, include_personnummer)
    atomic_write(Path(path), lambda tmp: workbook.save(tmp))
