"""Write the empty import template (contracts.md §1)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lakarrond.io.cells import parse_date
from lakarrond.io.files import atomic_write
from lakarrond.io.schema import EXAMPLE_PREFIX, SETTING_SPECS, SETTINGS, SHEETS, Column, Kind, Sheet
from lakarrond.io.xlsx import fit_columns, put

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
LAST_ROW = 1_048_576


def _validation(column: Column) -> DataValidation | None:
    if column.kind is Kind.CHOICE:
        check = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                               allow_blank=True)
        check.error = "Välj ett av värdena i listan: " + ", ".join(column.choices)
    elif column.kind is Kind.DATE:
        # 1 = 1900-01-01, 109574 = 2199-12-31 (Excel serial numbers)
        check = DataValidation(type="date", operator="between", formula1="1",
                               formula2="109574", allow_blank=True)
        check.error = "Ange ett datum, ÅÅÅÅ-MM-DD."
    elif column.kind is Kind.INT:
        minimum = column.minimum if column.minimum is not None else 0
        check = DataValidation(type="whole", operator="greaterThanOrEqual",
                               formula1=str(minimum), allow_blank=True)
        check.error = f"Ange ett heltal, minst {minimum}."
    else:
        check = DataValidation(allow_blank=True)  # input message only
    check.errorTitle = "Ogiltigt värde"
    check.showErrorMessage = column.kind in (Kind.CHOICE, Kind.DATE, Kind.INT)
    check.promptTitle = column.header[:32]
    check.prompt = column.description[:255]
    check.showInputMessage = True
    return check


def _example_value(column: Column, first: bool) -> object:
    value = column.example
    if first:
        return f"{EXAMPLE_PREFIX} {value}"
    if column.kind is Kind.DATE and isinstance(value, str) and value:
        return parse_date(value)
    return value


def _write_sheet(sheet: Worksheet, spec: Sheet) -> None:
    for index, column in enumerate(spec.columns, start=1):
        cell = put(sheet, 1, index, column.header, font=HEADER_FONT)
        cell.fill = HEADER_FILL
        example = put(sheet, 2, index, _example_value(column, index == 1), font=EXAMPLE_FONT)
        letter = get_column_letter(index)
        if column.kind is Kind.DATE:
            example.number_format = DATE_FORMAT
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
        elif column.kind in (Kind.PERSONNUMMER, Kind.TEXT, Kind.WEEKDAYS, Kind.TIME):
            example.number_format = "@"
            sheet.column_dimensions[letter].number_format = "@"
        check = _validation(column)
        if check is not None:
            check.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    overrides = {i: c.width for i, c in enumerate(spec.columns, start=1) if c.width}
    fit_columns(sheet, minimum=10, overrides=overrides)


def _write_settings_rows(sheet: Worksheet) -> None:
    for row, spec in enumerate(SETTING_SPECS, start=3):
        put(sheet, row, 1, spec.name)
        if spec.default is not None:
            put(sheet, row, 2, spec.default)
    fit_columns(sheet, minimum=10)


def _write_instructions(sheet: Worksheet) -> None:
    lines = [
        ("Läkarrond – importmall", Font(bold=True, size=14)),
        ("Fyll i bladen Läkare, Enheter och Patienter (obligatoriska) samt vid behov Frånvaro "
         "och Inställningar. Importera sedan med 'lakarrond import FIL.xlsx'.", None),
        ("Den grå kursiva raden som börjar med 'Exempel:' är bara ett exempel och läses inte "
         "in. Kolumnernas ordning är fri och extra kolumner ignoreras.", None),
        ("Datum skrivs ÅÅÅÅ-MM-DD eller som Excel-datum. Veckodagar: måndag…fredag eller "
         "mån, tis, ons, tor, fre, kommaseparerade.", None),
        ("Importen är allt eller inget: finns något fel läses ingenting in, och varje fel "
         "listas med blad, rad, kolumn och värde.", None),
        ("Samma arbetsbok kan importeras igen: läkare och enheter matchas på namn, patienter "
         "på personnummer (annars namn och enhet), och uppdateras i stället för att dubbleras.",
         None),
    ]
    row = 1
    for text, font in lines:
        put(sheet, row, 1, text, font=font)
        row += 1
    row += 1
    headers = ("Blad", "Kolumn", "Krävs", "Beskrivning", "Exempel")
    for index, header in enumerate(headers, start=1):
        put(sheet, row, index, header, font=HEADER_FONT)
    for spec in SHEETS:
        for column in spec.columns:
            row += 1
            required = "Ja" if column.required else "Nej"
            if spec.name == "Enheter" and column.header == "Veckor":
                required = "För Varannan vecka"
            if spec.name == "Patienter" and column.header == "Slutdatum":
                required = "För Utskriven/Avliden"
            if column.choices:
                description = f"{column.description} Tillåtna värden: {', '.join(column.choices)}."
            else:
                description = column.description
            if not spec.required and column is spec.columns[0]:
                description += " (Bladet är frivilligt.)"
            values = (spec.name, column.header, required, description, column.example)
            for index, value in enumerate(values, start=1):
                cell = put(sheet, row, index, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    row += 2
    put(sheet, row, 1, f"Rader på bladet {SETTINGS.name}", font=HEADER_FONT)
    row += 1
    for index, header in enumerate(("Inställning", "Standard", "Beskrivning"), start=1):
        put(sheet, row, index, header, font=HEADER_FONT)
    for setting in SETTING_SPECS:
        row += 1
        put(sheet, row, 1, setting.name)
        put(sheet, row, 2, "" if setting.default is None else setting.default)
        put(sheet, row, 3, setting.description)
    widths = {"A": 28, "B": 26, "C": 22, "D": 80, "E": 24}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width


def build_template() -> Workbook:
    """The template as an openpyxl workbook (not saved)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.name)
        _write_sheet(sheet, spec)
        if spec is SETTINGS:
            _write_settings_rows(sheet)
    _write_instructions(workbook.create_sheet("Instruktioner"))
    workbook.active = 0
    return workbook


def write_template(path: Path) -> None:
    """Write the empty import template to ``path`` (via a temporary file and a rename)."""
    workbook = build_template()
    atomic_write(Path(path), lambda tmp: workbook.save(tmp))


__all__ = ["build_template", "write_template"]
