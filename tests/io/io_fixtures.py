"""Test data for the Excel tests: rows for each template sheet and a filler."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import openpyxl

from lakarrond.document import (
    AbsenceEntry,
    AnnualReview,
    PlanDocument,
    RoundEntry,
    SolverFigures,
    UnitInfo,
    UnplacedEntry,
    ViolationEntry,
)
from lakarrond.io.template import write_template
from lakarrond.store.plan_results import measures_from_json
from solver.problem import Settings

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




def as_document(data: dict) -> PlanDocument:
    """A hand-made plan (dicts in the shape of contracts §3 plus rounds, units, absences)
    as a :class:`PlanDocument`."""
    def day(text: str) -> date:
        return date.fromisoformat(text)

    settings = Settings(year=data["year"])
    units = data.get("units") or {}
    return PlanDocument(
        year=data["year"],
        version=data.get("version", 1),
        settings=settings,
        solver=SolverFigures(**{k: float(v) if k != "status" else v
                                for k, v in data["solver"].items()}),
        reviews=tuple(sorted((AnnualReview(
            date=day(a["date"]), doctor=a["doctor"], unit=a["unit"], patient=a["patient"],
            personnummer=a.get("personnummer"), preparation=day(a["preparation"]),
            status=a["status"], room=a.get("room", ""), patient_id=int(a.get("patient_id", 0)),
            unit_type=a.get("unit_type", "")) for a in data["appointments"]),
            key=lambda a: (a.date, a.unit, a.patient))),
        unplaced=tuple(UnplacedEntry(u["patient"], u["unit"], u["reason"])
                       for u in data.get("unplaced", [])),
        violations=tuple(ViolationEntry(v["rule"], v["patient"], v["unit"], v["message"],
                                        v["fix"]) for v in data.get("violations", [])),
        measures=measures_from_json(data.get("measures", {})),
        rounds=tuple(RoundEntry(
            date=day(r["date"]), unit=r["unit"], doctor=r["doctor"], start=r["start"],
            length_min=r["length_min"], form=r["form"], cancelled=r["cancelled"],
            cancel_reason=r["cancel_reason"], substitute=r["substitute"])
            for r in data.get("rounds", [])),
        units=tuple(UnitInfo(name=name, type=info.get("type", ""),
                             doctor=info.get("doctor", ""), nurse=info.get("nurse", ""),
                             health_centre=info.get("health_centre", ""),
                             reviews_in_round=info.get("reviews_in_round", True))
                    for name, info in units.items()),
        absences=tuple(AbsenceEntry(a["doctor"], day(a["start"]), day(a["end"]),
                                    a.get("reason", ""), a.get("substitute", ""))
                       for a in data.get("absences", [])),
        created_at=data.get("created_at", ""),
    )
