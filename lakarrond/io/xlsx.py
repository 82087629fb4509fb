"""Writing worksheet cells safely, fitting columns and setting up printing.

:func:`put` is the one way every Excel writer (the plan export, the import template) puts a
value in a cell: text is always stored as text, so a patient name such as
``=cmd|' /C calc'!A0`` or ``#N/A`` is shown exactly as typed and never becomes a formula or
an error value (openpyxl turns any string that starts with ``=`` into a formula).
"""

from __future__ import annotations

from datetime import date
from typing import Any  # Any: openpyxl edge: cell values of several types

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

TEXT = "s"  # openpyxl's data type of a (shared) string cell
A4 = 9  # paper size code in SpreadsheetML
HEADER_MAX = 250  # Excel allows 255 characters per header or footer


def put(sheet: Worksheet, row: int, column: int, value: Any = None, *,
        number_format: str | None = None, font: Font | None = None) -> Cell:
    """Set a cell; a string is stored as text whatever it starts with (never a formula);
    characters Excel cannot store (control characters) are left out."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = TEXT
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def put_row(sheet: Worksheet, row: int, values: Any, *, font: Font | None = None,
            start: int = 1) -> None:
    for column, value in enumerate(values, start=start):
        put(sheet, row, column, value, font=font)


def _shown_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def fit_columns(sheet: Worksheet, minimum: int = 6, maximum: int = 60,
                overrides: dict[int, int] | None = None) -> None:
    """Set each column's width to its longest shown value (plus room for a filter button)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            length = _shown_length(cell.value)
            if length:
                widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in (overrides or {}).items():
        widths[column] = max(widths.get(column, 0), width)
    for column, width in widths.items():
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(maximum, max(minimum, width + 3))


def header_text(text: str) -> str:
    """User text for a page header or footer: ``&`` escaped (it starts a code there)."""
    return text.replace("&", "&&")[:HEADER_MAX]


def set_up_printing(sheet: Worksheet, *, title: str, organisation: str,
                    header_rows: str | None = "1:1", last_column: int | None = None,
                    last_row: int | None = None) -> None:
    """Landscape A4, one page wide (as many pages tall as needed), the header row repeated
    on every page, the print area, and a page header (organisation, sheet and year) and
    footer ("Sida 1 av 3")."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.25
    sheet.print_options.gridLines = False
    if header_rows:
        sheet.print_title_rows = header_rows
    columns = last_column or sheet.max_column
    rows = last_row or sheet.max_row
    sheet.print_area = f"A1:{get_column_letter(max(1, columns))}{max(1, rows)}"
    for header in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
        header.left.text = header_text(organisation)
        header.center.text = header_text(title)
        header.center.font = "-,Bold"
    for footer in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
        footer.right.text = "Sida &P av &N"
        footer.left.text = "&D"


__all__ = ["fit_columns", "header_text", "put", "put_row", "set_up_printing"]
