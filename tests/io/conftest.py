"""Fixtures for the Excel and calendar tests: a filled template and a hand-made plan."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import openpyxl
import pytest

from lakarrond.io.template import write_template

DOCTORS = [
    {"Namn": "Anna Berg", "Vårdcentral": "VC Centrum", "ÅMV-dagar": "onsdag",
     "ÅMV per dag": 2},
    {"Namn": "Olle Ek", "Vårdcentral": "VC Norr", "ÅMV-dagar": "tis, tor"},
]
ABSENCES = [
    {"Läkare": "Anna Berg", "Från": date(2027, 7, 5), "Till": "2027-08-06",
     "Orsak": "semester", "Vikarie": "Per Holm"},
]
UNITS = [
    {"Enhet": "Bäckliden", "Typ": "SÄBO", "Läkare": "Anna Berg", "Sjuksköterska": "Eva Lund",
     "Rytm": "Varannan vecka", "Veckor": "udda", "Veckodagar": "tisdag",
     "Starttid": "09:00", "Längd (min)": 120, "Rondform": "Fysisk", "ÅMV i rond": "Ja",
     "ÅMV per rond": 2},
    {"Enhet": "Lugnet", "Typ": "säbo", "Läkare": "anna berg", "Rytm": "Varje vecka",
     "Veckodagar": "tor", "Starttid": time(13, 30), "Rondform": "Telefon"},
    {"Enhet": "Korttids", "Typ": "Korttidsboende", "Läkare": "Olle Ek",
     "Rytm": "Två gånger i veckan", "Veckodagar": "mån, fre"},
    {"Enhet": "Gruppbostaden", "Typ": "LSS", "Läkare": "Olle Ek", "Rytm": "Varannan vecka",
     "Veckor": "jämna", "Veckodagar": "ons", "Längd (min)": 60, "ÅMV i rond": "Nej",
     "ÅMV per rond": 0},
]
PATIENTS = [
    {"Namn": "Karl Nilsson", "Personnummer": "19121212-1212", "Enhet": "Bäckliden",
     "Rum": "12", "Inskriven": date(2024, 3, 1), "Senaste ÅMV": "2026-02-10"},
    {"Namn": "Greta Ek", "Personnummer": "7010632391", "Enhet": "lugnet",
     "Inskriven": "2025-11-20", "Status": "Aktiv"},
    {"Namn": "Sven Ås", "Enhet": "Bäckliden", "Inskriven": date(2020, 1, 1),
     "Status": "Avliden", "Slutdatum": date(2026, 12, 1)},
    {"Namn": "Lisa Berg", "Enhet": "Gruppbostaden", "Inskriven": date(2019, 5, 5),
     "Undantag": "växelvård"},
]
SETTINGS = {"Planår": 2027, "Semesterveckor": "28-32", "Förberedelse (dagar)": 10}


def fill_sheet(sheet, rows: list[dict], start_row: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Write ``rows`` under the sheet's header (matched by header text)."""
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for offset, values in enumerate(rows):
        for header, value in values.items():
            sheet.cell(row=start_row + offset, column=headers[header], value=value)


def fill_settings(sheet, values: dict) -> None:  # type: ignore[no-untyped-def]
    for row in range(3, sheet.max_row + 1):
        name = sheet.cell(row=row, column=1).value
        if name in values:
            sheet.cell(row=row, column=2, value=values[name])


def filled_workbook(path: Path, **overrides: list[dict]) -> Path:
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    fill_sheet(workbook["Läkare"], overrides.get("doctors", DOCTORS))
    fill_sheet(workbook["Frånvaro"], overrides.get("absences", ABSENCES))
    fill_sheet(workbook["Enheter"], overrides.get("units", UNITS))
    fill_sheet(workbook["Patienter"], overrides.get("patients", PATIENTS))
    fill_settings(workbook["Inställningar"], SETTINGS)
    workbook.save(path)
    return path


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    return filled_workbook(tmp_path / "ifylld.xlsx")


@pytest.fixture
def plan_doc() -> dict:
    appointments = [
        {"date": "2027-02-02", "week": 5, "doctor": "Anna Berg", "unit": "Bäckliden",
         "patient": "Karl Nilsson", "personnummer": "19121212-1212",
         "preparation": "2027-01-19", "status": "Planerad", "room": "12", "patient_id": "1",
         "unit_type": "SÄBO"},
        {"date": "2027-02-02", "week": 5, "doctor": "Anna Berg", "unit": "Bäckliden",
         "patient": "Astrid Lind", "personnummer": "19701063-2391",
         "preparation": "2027-01-19", "status": "Låst", "room": "3", "patient_id": "2",
         "unit_type": "SÄBO"},
        {"date": "2027-01-19", "week": 3, "doctor": "Anna Berg", "unit": "Bäckliden",
         "patient": "Nils Holm", "personnummer": None, "preparation": "2027-01-05",
         "status": "Genomförd", "room": "", "patient_id": "3", "unit_type": "SÄBO"},
        {"date": "2027-03-10", "week": 10, "doctor": "Olle Ek", "unit": "Gruppbostaden",
         "patient": "Lisa Berg", "personnummer": "19121212-1212",
         "preparation": "2027-02-24", "status": "Planerad", "room": "", "patient_id": "4",
         "unit_type": "LSS"},
        {"date": "2027-03-10", "week": 10, "doctor": "Olle Ek", "unit": "Solbacken LSS",
         "patient": "Erik Sund", "personnummer": None, "preparation": "2027-02-24",
         "status": "Planerad", "room": "", "patient_id": "5", "unit_type": "LSS"},
        {"date": "2027-06-14", "week": 24, "doctor": "Anna Berg", "unit": "Lugnet",
         "patient": "Greta Ek", "personnummer": "19701063-2391",
         "preparation": "2027-05-31", "status": "Planerad", "room": "7", "patient_id": "6",
         "unit_type": "SÄBO"},
    ]
    rounds = [
        {"date": "2027-01-19", "week": 3, "unit": "Bäckliden", "doctor": "Anna Berg",
         "start": "09:00", "length_min": 120, "form": "Fysisk", "cancelled": False,
         "cancel_reason": "", "substitute": ""},
        {"date": "2027-02-02", "week": 5, "unit": "Bäckliden", "doctor": "Anna Berg",
         "start": "09:00", "length_min": 120, "form": "Fysisk", "cancelled": False,
         "cancel_reason": "", "substitute": ""},
        {"date": "2027-02-16", "week": 7, "unit": "Bäckliden", "doctor": "Anna Berg",
         "start": "09:00", "length_min": 120, "form": "Fysisk", "cancelled": False,
         "cancel_reason": "", "substitute": ""},
        {"date": "2027-06-14", "week": 24, "unit": "Lugnet", "doctor": "Anna Berg",
         "start": "13:30", "length_min": 60, "form": "Fysisk", "cancelled": False,
         "cancel_reason": "", "substitute": ""},
        {"date": "2027-06-25", "week": 25, "unit": "Bäckliden", "doctor": "Anna Berg",
         "start": "09:00", "length_min": 120, "form": "Fysisk", "cancelled": True,
         "cancel_reason": "Midsommarafton", "substitute": ""},
        {"date": "2027-07-13", "week": 28, "unit": "Bäckliden", "doctor": "Anna Berg",
         "start": "09:00", "length_min": 120, "form": "Fysisk", "cancelled": False,
         "cancel_reason": "", "substitute": "Per Holm"},
    ]
    return {
        "year": 2027,
        "solver": {"status": "OPTIMAL", "objective": 12, "bound": 12, "wall_s": 0.4},
        "appointments": appointments,
        "unplaced": [{"patient": "Olle Nord", "unit": "Bäckliden",
                      "reason": "för få rondtillfällen"}],
        "violations": [{"rule": "R8", "patient": "Nils Holm", "unit": "Bäckliden",
                        "message": "mer än 12 månader sedan senaste ÅMV",
                        "fix": "höj ÅMV per rond till 2"}],
        "measures": {"coverage": 0.9, "max_interval_months": 12.5, "peak_week": {},
                     "peak_week_bound": {}, "moved": 0},
        "rounds": rounds,
        "settings": {"Planår": 2027, "Semesterveckor": [27, 28, 29, 30, 31],
                     "Förberedelse (dagar)": 14},
        "version": 3,
        "created_at": "2026-11-22T20:00:00+00:00",
    }
