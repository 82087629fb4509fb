"""Fixtures for the Excel and calendar tests: a filled template and a hand-made plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from io_fixtures import as_document, filled_workbook

from lakarrond.document import PlanDocument


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    return filled_workbook(tmp_path / "ifylld.xlsx")


@pytest.fixture
def plan_data() -> dict:
    """A hand-made plan as plain data (tests change it, then make it a document)."""
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


@pytest.fixture
def plan_doc(plan_data: dict) -> PlanDocument:
    return as_document(plan_data)
