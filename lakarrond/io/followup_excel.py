"""The yearly follow-up (:mod:`lakarrond.followup`) as an Excel workbook: one sheet per table
(Per vårdcentral, Per läkare, Per enhet, Totalt) with Swedish headers, and a sheet
``Diagram`` with one bar chart per measure over the doctors (the per-doctor table). Every
sheet is set up for printing as the plan's export is (landscape A4, one page wide, the
header row repeated, print area, page header and footer)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from lakarrond.followup import COUNT_KEYS, HEADERS, FollowUp, Row
from lakarrond.io.files import atomic_write
from lakarrond.io.xlsx import fit_columns, put, put_row, set_up_printing

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DFE6EE")
MEASURES = (*COUNT_KEYS, "per_10")
NAME_COLUMNS = {"Per vårdcentral": ("health_centre",),
                "Per läkare": ("health_centre", "doctor"),
                "Per enhet": ("health_centre", "doctor", "unit"),
                "Totalt": ()}
MEASURE_WIDTH = 13
CHART_SHEET = "Diagram"
CHART_SOURCE = "Per läkare"
CHART_ROWS = 16  # rows a chart takes on the Diagram sheet (7.5 cm and a gap)
CHART_COLUMNS = 10  # columns a chart takes (16 cm and a gap)
CHARTS_PER_PAGE = 6  # three rows of two charts on a landscape page


def _value(row: Row, key: str) -> object:
    if key == "per_10":
        return None if row.per_10 is None else round(row.per_10, 2)
    if key in ("health_centre", "doctor", "unit"):
        return getattr(row, key) or "(ingen)"
    return getattr(row.counts, key)


def _write_table(sheet: Worksheet, names: tuple[str, ...], rows: tuple[Row, ...]) -> None:
    keys = (*names, *MEASURES)
    put_row(sheet, 1, [HEADERS[k] for k in keys], font=BOLD)
    for column in range(1, len(keys) + 1):
        cell = sheet.cell(row=1, column=column)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        for c, key in enumerate(keys, start=1):
            put(sheet, r, c, _value(row, key),
                number_format="0.00" if key == "per_10" else None)
    sheet.freeze_panes = sheet.cell(row=2, column=len(names) + 1)
    fit_columns(sheet, minimum=8, maximum=40)
    for column in range(len(names) + 1, len(keys) + 1):  # the header wraps: 3 lines
        sheet.column_dimensions[get_column_letter(column)].width = MEASURE_WIDTH
    sheet.row_dimensions[1].height = 45


def _write_charts(sheet: Worksheet, source: Worksheet, count: int, year: int) -> None:
    """A bar chart per measure of ``source`` (its rows 2..count+1, names in column 2)."""
    names = len(NAME_COLUMNS[CHART_SOURCE])
    categories = Reference(source, min_col=names, min_row=2, max_row=max(2, count + 1))
    for i, key in enumerate(MEASURES):
        chart = BarChart()
        chart.type = "col"
        chart.title = f"{HEADERS[key]} {year}"
        chart.legend = None
        chart.y_axis.numFmt = "0.0" if key == "per_10" else "0"
        chart.y_axis.scaling.min = 0
        chart.x_axis.delete = chart.y_axis.delete = False  # shown in Excel too
        chart.width, chart.height = 15.5, 7.5
        data = Reference(source, min_col=names + 1 + i, min_row=1, max_row=max(2, count + 1))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        anchor_row = 1 + (i // 2) * CHART_ROWS
        anchor_col = "A" if i % 2 == 0 else "K"
        sheet.add_chart(chart, f"{anchor_col}{anchor_row}")
        if i and i % CHARTS_PER_PAGE == 0:  # a chart is never cut by a page break
            sheet.row_breaks.append(Break(id=anchor_row - 1))


def build_follow_up_workbook(result: FollowUp) -> Workbook:
    """The follow-up as an openpyxl workbook (not saved)."""
    workbook = Workbook()
    first = True
    for name, rows in result.tables():
        sheet = workbook.active if first else workbook.create_sheet(name)
        assert sheet is not None
        sheet.title = name
        first = False
        _write_table(sheet, NAME_COLUMNS[name], rows)
    charts = workbook.create_sheet(CHART_SHEET)
    _write_charts(charts, workbook[CHART_SOURCE], len(result.doctors), result.year)
    organisation = ", ".join(sorted({r.health_centre for r in result.centres
                                     if r.health_centre})) or "Läkarrond"
    for sheet in workbook.worksheets:
        title = f"Årsuppföljning {result.year} – {sheet.title}"
        if sheet.title == CHART_SHEET:
            set_up_printing(sheet, title=title, organisation=organisation, header_rows=None,
                            last_column=2 * CHART_COLUMNS,
                            last_row=((len(MEASURES) + 1) // 2) * CHART_ROWS)
        else:
            set_up_printing(sheet, title=title, organisation=organisation)
    return workbook


def write_follow_up_xlsx(result: FollowUp, path: Path) -> None:
    """Write the follow-up workbook to ``path`` (via a temporary file and a rename)."""
    workbook = build_follow_up_workbook(result)
    atomic_write(Path(path), lambda tmp: workbook.save(tmp))


__all__ = ["CHART_SHEET", "build_follow_up_workbook", "write_follow_up_xlsx"]
