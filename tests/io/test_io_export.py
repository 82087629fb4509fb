"""The Excel plan (contracts.md §4), read back with openpyxl."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from io_fixtures import as_document

from lakarrond.document import NotRequiredEntry, PlanDocument
from lakarrond.io.excel_export import write_plan_xlsx
from lakarrond.io.schema import DOCTOR_HOURS_SETTING

PLAN_HEADERS = ["Datum", "Vecka", "Veckodag", "Läkare", "Enhet", "Patient", "Personnummer",
                "Rum", "Förberedelse", "Status", "Tid"]


@pytest.fixture
def exported(tmp_path: Path, plan_doc: PlanDocument) -> openpyxl.Workbook:
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan_doc, path)
    return openpyxl.load_workbook(path)


def test_sheets(exported: openpyxl.Workbook) -> None:
    assert exported.sheetnames == ["Årsplan", "Per månad", "Rondschema", "Avvikelser",
                                   "Behöver ingen ÅMV i år", "Läkartid", "Inställningar"]


def test_the_patients_needing_no_review_have_their_own_sheet(tmp_path: Path,
                                                             plan_doc: PlanDocument) -> None:
    reason = "skrivs ut 2027-03-01, innan nästa ÅMV ska hållas (senast 2027-05-10)"
    doc = dataclasses.replace(plan_doc, not_required=(
        NotRequiredEntry("Ebba Lund", "Bäckliden", reason, "19400101-1234"),
        NotRequiredEntry("Alf Berg", "Korttiden", "Korttiden är ett korttidsboende")))
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(doc, path)
    sheet = openpyxl.load_workbook(path)["Behöver ingen ÅMV i år"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Patient", "Enhet", "Orsak"],
        ["Ebba Lund", "Bäckliden", reason],
        ["Alf Berg", "Korttiden", "Korttiden är ett korttidsboende"],
    ]
    write_plan_xlsx(dataclasses.replace(plan_doc, not_required=()), path)
    sheet = openpyxl.load_workbook(path)["Behöver ingen ÅMV i år"]
    assert sheet["A2"].value == "Alla patienter behöver ÅMV i år"


def test_year_plan_rows_sorted_with_real_dates(exported: openpyxl.Workbook) -> None:
    sheet = exported["Årsplan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == PLAN_HEADERS
    assert len(rows) == 7
    first = rows[1]
    assert first[0] == datetime(2027, 1, 19)
    assert first[1:3] == (3, "tisdag")
    assert first[5] == "Nils Holm" and first[6] in ("", None)
    assert first[8] == datetime(2027, 1, 5)
    assert first[9] == "Genomförd"
    assert first[10] == "09:00–09:30"  # the clock time, as on the round schedule
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    assert rows[2][4:8] == ("Bäckliden", "Astrid Lind", "19701063-2391", "3")
    assert sheet["A2"].is_date and sheet["I2"].is_date


def test_year_plan_is_a_table_with_frozen_header(exported: openpyxl.Workbook) -> None:
    sheet = exported["Årsplan"]
    assert sheet.freeze_panes == "A2"
    (table,) = sheet.tables.values()
    assert table.ref == "A1:K7"
    assert table.autoFilter is not None and table.autoFilter.ref == "A1:K7"
    assert sheet.column_dimensions["F"].width >= len("Astrid Lind")


def test_without_personnummer(tmp_path: Path, plan_doc: PlanDocument) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan_doc, path, include_personnummer=False)
    workbook = openpyxl.load_workbook(path)
    header = [c.value for c in workbook["Årsplan"][1]]
    assert header == [h for h in PLAN_HEADERS if h != "Personnummer"]
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert "19121212-1212" not in row
            assert "19701063-2391" not in row
    (table,) = workbook["Årsplan"].tables.values()
    assert table.ref == "A1:J7"


def test_per_month_counts_and_chart(exported: openpyxl.Workbook) -> None:
    sheet = exported["Per månad"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["Enhet", "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug",
                             "sep", "okt", "nov", "dec", "Totalt"]
    by_unit = {r[0]: r[1:14] for r in rows[1:6] if r[0]}
    assert by_unit["Bäckliden"] == (1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3)
    assert by_unit["Lugnet"][5] == 1
    assert by_unit["Totalt"] == (1, 2, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 6)
    assert len(sheet._charts) == 1
    header = next(i for i, r in enumerate(rows) if r[0] == "Vecka")
    assert rows[header][:4] == ("Vecka", "Anna Berg", "Olle Ek", "Totalt")
    weeks = {r[0]: r[1:4] for r in rows[header + 1:] if isinstance(r[0], int)}
    assert weeks[5] == (2, 0, 2) and weeks[10] == (0, 2, 2) and weeks[52] == (0, 0, 0)


def test_round_schedule(exported: openpyxl.Workbook) -> None:
    rows = list(exported["Rondschema"].iter_rows(values_only=True))
    assert list(rows[0]) == ["Datum", "Vecka", "Veckodag", "Enhet", "Läkare", "Tid",
                             "Längd (min)", "Rondform", "Inställd", "Vikarie", "Antal ÅMV"]
    assert len(rows) == 7
    by_date = {r[0].date().isoformat(): r for r in rows[1:]}
    assert by_date["2027-02-02"][10] == 2
    assert by_date["2027-02-16"][10] == 0
    assert by_date["2027-06-25"][8] == "Ja – Midsommarafton"
    assert by_date["2027-07-13"][9] == "Per Holm"
    assert by_date["2027-06-14"][5:8] == ("13:30", 60, "Fysisk")


def test_deviations_and_settings(exported: openpyxl.Workbook) -> None:
    rows = list(exported["Avvikelser"].iter_rows(values_only=True))
    assert list(rows[0]) == ["Typ", "Regel", "Patient", "Enhet", "Orsak", "Åtgärd"]
    assert rows[1][0] == "Ej placerad" and rows[1][2] == "Olle Nord"
    assert rows[2] == ("Regelbrott", "6–12 månader sedan senaste ÅMV", "Nils Holm", "Bäckliden",
                       "mer än 12 månader sedan senaste ÅMV", "höj ÅMV per rond till 2")
    settings = dict(exported["Inställningar"].iter_rows(values_only=True))
    assert settings["Inställning"] == "Värde"
    assert settings["Planår"] == 2027
    assert settings["Semesterveckor"] == "27-31"
    assert settings[DOCTOR_HOURS_SETTING] == 1.0  # issue 18: the template's name
    assert settings["Planens kvalitet"] == "Bästa möjliga plan"
    assert settings["Planerad från"] == "2027-01-01"
    assert not {"Lösarstatus", "Målvärde", "Bästa gräns"} & set(settings)
    assert settings["Skapad"] == "2026-11-22 21:00"  # local (Stockholm) time


def test_empty_plan(tmp_path: Path) -> None:
    path = tmp_path / "tom.xlsx"
    empty = as_document({"year": 2027, "solver": {"status": "OPTIMAL", "objective": 0,
                                                  "bound": 0, "wall_s": 0},
                         "appointments": [], "unplaced": [], "violations": []})
    write_plan_xlsx(empty, path)
    workbook = openpyxl.load_workbook(path)
    assert [c.value for c in workbook["Årsplan"][1]] == PLAN_HEADERS
    assert workbook["Avvikelser"]["A2"].value == "Inga avvikelser"


def test_the_doctor_time_sheet_per_unit_then_per_doctor(tmp_path: Path, plan_data: dict
                                                       ) -> None:
    def time(hours: float, patients: int, per_10: float | None, below: bool) -> dict:
        return {"hours_per_week": hours, "patients": patients, "per_10": per_10,
                "below_floor": below}

    plan_data["measures"] = {
        "doctor_time": {"Bäckliden": time(1.81, 30, 0.6, True),
                        "Gruppbostaden": time(0.5, 3, 1.67, False)},
        "doctor_time_doctors": {"Anna Berg": time(1.81, 30, 0.6, True),
                                "Olle Ek": time(0.5, 3, 1.67, False)}}
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(as_document(plan_data), path)
    sheet = openpyxl.load_workbook(path)["Läkartid"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0] == ("Enhet", "Läkare", "Vårdcentral", "Timmar per vecka", "Patienter",
                       "Per 10 patienter", "Under golvet")
    assert rows[1][0] == "Bäckliden" and rows[1][3:] == (1.81, 30, 0.6, "Ja")  # under
    assert rows[2][0] == "Gruppbostaden" and rows[2][6] == "–"  # over: not flagged
    assert rows[4][0] == "Läkare" and rows[5][0] == "Anna Berg" and rows[6][0] == "Olle Ek"
    assert rows[5][3:] == (1.81, 30, 0.6, "Ja")
    assert rows[-1][0].startswith("Golv: minst 1,0 läkartimme per vecka per 10 patienter")
    # printed like the plan's other sheets
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.fitToWidth == 1


def test_a_plan_saved_before_doctor_time_says_so(exported: openpyxl.Workbook) -> None:
    sheet = exported["Läkartid"]
    assert sheet.cell(row=2, column=1).value.startswith("Planen sparades före läkartiden")
