"""The import template: sheets, headers, validation, example rows, instructions."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from lakarrond.io.excel_import import read_workbook
from lakarrond.io.schema import SHEETS
from lakarrond.io.template import write_template


@pytest.fixture
def template(tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "mall.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def test_sheets_and_headers_follow_the_contract(template: openpyxl.Workbook) -> None:
    assert template.sheetnames[:5] == ["Läkare", "Frånvaro", "Enheter", "Patienter",
                                       "Inställningar"]
    assert "Instruktioner" in template.sheetnames
    expected = {
        "Läkare": ["Namn", "Vårdcentral", "ÅMV-dagar", "ÅMV per dag"],
        "Frånvaro": ["Läkare", "Från", "Till", "Orsak", "Vikarie", "Telefon"],
        "Enheter": ["Enhet", "Typ", "Läkare", "Sjuksköterska", "Rytm", "Veckor", "Veckodagar",
                    "Starttid", "Längd (min)", "Rondform", "ÅMV i rond", "ÅMV per rond",
                    "Minuter per ÅMV", "Övrig tid (min)"],
        "Patienter": ["Namn", "Personnummer", "Enhet", "Rum", "Inskriven", "Senaste ÅMV",
                      "Status", "Slutdatum", "Undantag", "Palliativ från", "Läkare",
                      "Sjuksköterska", "Bjud inte in närstående"],
        "Inställningar": ["Inställning", "Värde"],
    }
    for name, headers in expected.items():
        sheet = template[name]
        assert [c.value for c in sheet[1] if c.value] == headers
        assert all(c.font.bold for c in sheet[1] if c.value)
        assert sheet.freeze_panes == "A2"


def test_example_row_is_grey_italic(template: openpyxl.Workbook) -> None:
    for spec in SHEETS:
        first = template[spec.name]["A2"]
        assert str(first.value).startswith("Exempel:")
        assert first.font.italic
        assert first.font.color.rgb.endswith("808080")


def test_drop_down_lists_and_date_validation(template: openpyxl.Workbook) -> None:
    units = template["Enheter"]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in units.data_validations.dataValidation
             if v.type == "list"}
    assert lists["B2"] == '"SÄBO,Korttidsboende,Ordinärt boende,LSS"'
    assert lists["E2"] == '"Varje vecka,Varannan vecka,Två gånger i veckan"'
    assert lists["F2"] == '"udda,jämna"'
    assert lists["J2"] == '"Fysisk,Telefon"'
    assert lists["K2"] == '"Ja,Nej"'
    patients = template["Patienter"]
    kinds = {str(v.sqref).split(":")[0]: v.type for v in patients.data_validations.dataValidation}
    assert kinds["G2"] == "list"
    assert kinds["E2"] == "date"
    assert kinds["F2"] == "date"
    assert patients.column_dimensions["E"].number_format == "yyyy-mm-dd"
    doctors = template["Läkare"]
    whole = [v for v in doctors.data_validations.dataValidation if v.type == "whole"]
    assert whole and whole[0].formula1 == "1"


def test_columns_are_fitted(template: openpyxl.Workbook) -> None:
    sheet = template["Patienter"]
    assert sheet.column_dimensions["B"].width >= len("19121212-1212")
    assert sheet.column_dimensions["F"].width >= len("Senaste ÅMV")


def test_instructions_explain_every_column(template: openpyxl.Workbook) -> None:
    sheet = template["Instruktioner"]
    described = {(row[0], row[1]) for row in sheet.iter_rows(values_only=True)}
    for spec in SHEETS:
        for column in spec.columns:
            assert (spec.name, column.header) in described


def test_empty_template_imports_as_nothing(tmp_path: Path) -> None:
    path = tmp_path / "mall.xlsx"
    write_template(path)
    data = read_workbook(path)
    assert data.doctors == data.units == data.patients == data.absences == ()
    assert data.settings.year is None
    assert data.settings.summer_weeks == (27, 28, 29, 30, 31)


def test_no_temporary_file_left_behind(tmp_path: Path) -> None:
    write_template(tmp_path / "mall.xlsx")
    write_template(tmp_path / "mall.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["mall.xlsx"]
