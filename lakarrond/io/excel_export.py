"""Write the year plan as an Excel workbook for the health centre (contracts.md §4).

Every value goes through :func:`lakarrond.io.xlsx.put` (text stays text, never a formula),
and every sheet prints landscape, one page wide, with its header row repeated.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any  # Any: openpyxl edge: cell values of several types

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from lakarrond.document import PlanDocument
from lakarrond.formatting import decimal
from lakarrond.io.files import atomic_write
from lakarrond.io.ics import LOCAL_ZONE
from lakarrond.io.xlsx import fit_columns, put, put_row, set_up_printing
from lakarrond.palette import doctor_colours
from lakarrond.timetable import timetable
from lakarrond.wording import UNPLACED_RULE, plan_quality, rule_name
from solver.problem import WEEKDAY_NAMES_SV
from solver.result import DoctorTime

PLAN_HEADERS = ("Datum", "Vecka", "Veckodag", "Läkare", "Enhet", "Patient", "Personnummer",
                "Rum", "Förberedelse", "Status", "Tid")
MONTHS_SV = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
ROUND_HEADERS = ("Datum", "Vecka", "Veckodag", "Enhet", "Läkare", "Tid", "Längd (min)",
                 "Rondform", "Inställd", "Vikarie", "Antal ÅMV")
DEVIATION_HEADERS = ("Typ", "Regel", "Patient", "Enhet", "Orsak", "Åtgärd")
NOT_REQUIRED_SHEET = "Behöver ingen ÅMV i år"
NOT_REQUIRED_HEADERS = ("Patient", "Enhet", "Orsak")
DOCTOR_TIME_SHEET = "Läkartid"
DOCTOR_TIME_HEADERS = ("Enhet", "Läkare", "Vårdcentral", "Timmar per vecka", "Patienter",
                       "Per 10 patienter", "Under golvet")
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")
DEVIATION_WIDTHS = {2: 30, 5: 50, 6: 40}  # Regel, Orsak, Åtgärd: wrapped within these widths
SETTING_WORDS = {"Tidsgräns (s)": "Längsta tid för planeringen"}  # nurses' words, in seconds
ROW_HEIGHT = 15  # points, one line of the default font
CHART_ROWS = 20  # rows the 9 cm chart covers on "Per månad" (default row height 15 pt)


def _weekday(day: date) -> str:
    return WEEKDAY_NAMES_SV[day.weekday()]


def _header(sheet: Worksheet, headers: tuple[str, ...] | list[str], row: int = 1) -> None:
    put_row(sheet, row, headers, font=BOLD)


def _write_plan(sheet: Worksheet, doc: PlanDocument, include_personnummer: bool) -> None:
    headers = [h for h in PLAN_HEADERS if include_personnummer or h != "Personnummer"]
    _header(sheet, headers)
    appointments = sorted(doc.reviews, key=lambda a: (a.date, a.unit, a.patient))
    times = timetable(doc)  # the ÅMV's clock time, as in Veckan and on the round schedule
    for row, item in enumerate(appointments, start=2):
        timed = times.time_of(item)
        values = {
            "Datum": item.date,
            "Vecka": item.week,
            "Veckodag": item.weekday,
            "Läkare": item.doctor,
            "Enhet": item.unit,
            "Patient": item.patient,
            "Personnummer": item.personnummer or "",
            "Rum": item.room,
            "Förberedelse": item.preparation,
            "Status": item.status,
            "Tid": timed.text if timed is not None else "",
        }
        for column, header in enumerate(headers, start=1):
            put(sheet, row, column, values[header],
                number_format=DATE_FORMAT if header in ("Datum", "Förberedelse") else None)
    last_row = max(2, len(appointments) + 1)  # a table needs at least one data row
    last_column = sheet.cell(row=1, column=len(headers)).column_letter
    ref = f"A1:{last_column}{last_row}"
    table = Table(displayName="Arsplan", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    table.autoFilter = AutoFilter(ref=ref)
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    fit_columns(sheet, minimum=8)


def _write_months(sheet: Worksheet, doc: PlanDocument) -> int:
    """Units × months, the chart, and the chart's weekly data; returns the weekly table's
    header row (printed on a new page, repeated on the pages after it)."""
    counts: Counter[tuple[str, int]] = Counter()
    units: set[str] = set()
    weeks: Counter[tuple[int, str]] = Counter()
    for item in doc.reviews:
        units.add(item.unit)
        counts[(item.unit, item.date.month)] += 1
        weeks[(item.week, item.doctor)] += 1
    _header(sheet, ["Enhet", *MONTHS_SV, "Totalt"])
    row = 1
    for row, unit in enumerate(sorted(units), start=2):
        put(sheet, row, 1, unit)
        for month in range(1, 13):
            put(sheet, row, month + 1, counts[(unit, month)])
        put(sheet, row, 14, sum(counts[(unit, m)] for m in range(1, 13)))
    total_row = row + 1
    put(sheet, total_row, 1, "Totalt", font=BOLD)
    for month in range(1, 13):
        put(sheet, total_row, month + 1, sum(counts[(unit, month)] for unit in units), font=BOLD)
    put(sheet, total_row, 14, sum(counts.values()), font=BOLD)

    # ÅMV per ISO week and doctor, the chart's data, below the chart
    colours = doctor_colours(doctor for _, doctor in weeks)
    doctors = list(colours)
    chart_row = total_row + 2
    week_header = chart_row + CHART_ROWS
    _header(sheet, ["Vecka", *doctors, "Totalt"], row=week_header)
    numbered = [week for week, _ in weeks]
    last_week = max(date(doc.year, 12, 28).isocalendar().week, max(numbered, default=1))
    for week in range(1, last_week + 1):
        values = [weeks.get((week, doctor), 0) for doctor in doctors]
        put_row(sheet, week_header + week, [week, *values, sum(values)])
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 40
    chart.title = "ÅMV per vecka och läkare"
    chart.y_axis.title = "Antal ÅMV"
    chart.x_axis.title = "Vecka"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend.position = "b"
    if doctors:
        data = Reference(sheet, min_col=2, max_col=1 + len(doctors), min_row=week_header,
                         max_row=week_header + last_week)
        chart.add_data(data, titles_from_data=True)
        for series, doctor in zip(chart.series, doctors, strict=True):
            series.graphicalProperties.solidFill = colours[doctor]
            series.graphicalProperties.line.solidFill = colours[doctor]
    categories = Reference(sheet, min_col=1, min_row=week_header + 1,
                           max_row=week_header + last_week)
    chart.set_categories(categories)
    chart.width = 26
    chart.height = 9
    sheet.add_chart(chart, f"A{chart_row}")
    sheet.row_breaks = RowBreak()
    sheet.row_breaks.append(Break(id=week_header - 1))  # the weekly table on its own page
    sheet.freeze_panes = "B2"
    fit_columns(sheet, minimum=6)
    return week_header


def _write_rounds(sheet: Worksheet, doc: PlanDocument) -> None:
    _header(sheet, ROUND_HEADERS)
    held = timetable(doc).held_counts()  # the ÅMV held in each round
    rounds = sorted(doc.rounds, key=lambda r: (r.date, r.start, r.unit))
    for row, item in enumerate(rounds, start=2):
        cancelled = ""
        if item.cancelled:
            cancelled = f"Ja – {item.cancel_reason}" if item.cancel_reason else "Ja"
        values = (
            item.date, item.week, _weekday(item.date), item.unit, item.doctor, item.start,
            item.length_min, item.form, cancelled, item.substitute_named,
            held.get((item.unit, item.date), 0),
        )
        put_row(sheet, row, values)
        sheet.cell(row=row, column=1).number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    if rounds:
        sheet.auto_filter.ref = f"A1:K{len(rounds) + 1}"
    fit_columns(sheet, minimum=8)


def _write_deviations(sheet: Worksheet, doc: PlanDocument) -> None:
    _header(sheet, DEVIATION_HEADERS)
    rows: list[tuple[str, ...]] = []
    for u in doc.unplaced:
        rows.append(("Ej placerad", UNPLACED_RULE, u.patient, u.unit, u.reason, ""))
    for v in doc.violations:
        rows.append(("Regelbrott", rule_name(v.rule), v.patient, v.unit, v.message, v.fix))
    for a in doc.unrecorded:
        rows.append(("Ej registrerad", "", a.patient, a.unit,
                     f"ÅMV {a.date.isoformat()} är passerad men inte registrerad",
                     "registrera Genomförd, Avböjd eller Inställd"))
    for a in doc.needing_new_date:
        rows.append(("Behöver nytt datum", "", a.patient, a.unit,
                     f"ÅMV {a.date.isoformat()} kan inte hållas: {a.needs_new_date}",
                     "föreslå ett nytt datum eller planera om"))
    for d in doc.due_again:
        rows.append(("Behöver nytt datum", "", d.patient, d.unit,
                     f"ÅMV {d.date.isoformat()}: {d.reason}",
                     "föreslå ett nytt datum eller planera om"))
    for f in doc.forced_moves:
        new = f.new.isoformat() if f.new else "inget datum"
        rows.append(("Flyttad inom frysperioden", "", f.patient, "",
                     f"{f.old.isoformat()} → {new}: {f.reason}", "meddela patient och enhet"))
    for row, values in enumerate(rows, start=2):
        put_row(sheet, row, values)
        for column in range(1, len(values) + 1):
            sheet.cell(row=row, column=column).alignment = WRAPPED
    if not rows:
        put(sheet, 2, 1, "Inga avvikelser")
    sheet.freeze_panes = "A2"
    fit_columns(sheet, minimum=8)
    # long reasons and fixes wrap inside their column instead of being cut by the next
    # column or running off the page; each row is as tall as its longest wrapped text
    # (spreadsheet programs do not all grow a row on opening)
    for column, width in DEVIATION_WIDTHS.items():
        dimension = sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter]
        dimension.width = min(dimension.width or width, width)
    for row, values in enumerate(rows, start=2):
        lines = max(_wrapped_lines(str(values[column - 1]), width)
                    for column, width in DEVIATION_WIDTHS.items())
        if lines > 1:
            sheet.row_dimensions[row].height = ROW_HEIGHT * lines


def _wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` takes in a wrapped column ``width`` characters wide (an upper bound:
    a column's width counts its widest characters)."""
    return max(1, len(textwrap.wrap(text, max(1, width - 4))))


def _write_not_required(sheet: Worksheet, doc: PlanDocument) -> None:
    """The patients who need no ÅMV in the plan, with the reason: with the Årsplan and the
    unplaced on Avvikelser, every patient is on the workbook."""
    _header(sheet, NOT_REQUIRED_HEADERS)
    rows = sorted(doc.not_required, key=lambda n: (n.unit, n.patient))
    for row, item in enumerate(rows, start=2):
        put_row(sheet, row, (item.patient, item.unit, item.reason))
    if not rows:
        put(sheet, 2, 1, "Alla patienter behöver ÅMV i år")
    sheet.freeze_panes = "A2"
    fit_columns(sheet, minimum=8)


def _time_row(t: DoctorTime) -> tuple[Any, ...]:
    return (t.hours_per_week, t.patients, t.per_10, "Ja" if t.below_floor else "–")


def _put_time_row(sheet: Worksheet, row: int, first: tuple[str, str, str], t: DoctorTime
                  ) -> None:
    put_row(sheet, row, (*first, *_time_row(t)))
    for column in (4, 6):  # hours per week, per 10 patients: two decimals
        sheet.cell(row=row, column=column).number_format = "0.00"


def _write_doctor_time(sheet: Worksheet, doc: PlanDocument) -> None:
    """Läkartid: doctor hours per week per 10 patients per unit, then per doctor, against
    the floor of the plan's settings (issue 18; docs/domain.md "Läkartid")."""
    _header(sheet, DOCTOR_TIME_HEADERS)
    info = {u.name: u for u in doc.units}
    row = 1
    for unit, t in sorted(doc.measures.doctor_time.items()):
        row += 1
        known = info.get(unit)
        _put_time_row(sheet, row, (unit, known.doctor if known else "",
                                   known.health_centre if known else ""), t)
    if row == 1:
        put(sheet, 2, 1, "Planen sparades före läkartiden räknades; planera om")
        row = 2
    centres = {u.doctor: u.health_centre for u in doc.units}
    row += 2
    _header(sheet, ("Läkare", "", "Vårdcentral", *DOCTOR_TIME_HEADERS[3:]), row=row)
    for doctor, t in sorted(doc.measures.doctor_time_doctors.items()):
        row += 1
        _put_time_row(sheet, row, (doctor, "", centres.get(doctor, "")), t)
    sheet.freeze_panes = "A2"
    fit_columns(sheet, minimum=8)
    floor = decimal(doc.settings.doctor_hours_per_10)  # after fitting: a long line of text
    put(sheet, row + 2, 1, f"Golv: minst {floor} läkartimme per vecka per 10 patienter "
        "(Inställningar). Ronder och separata ÅMV-tider under året / 52 veckor; restid "
        "räknas inte in.")


def _setting_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return value


def _seconds(value: Any) -> str:
    seconds = float(value)
    return f"{decimal(seconds) if seconds % 1 else int(seconds)} sekunder"


def _local_time(stamp: str) -> str | None:
    """A stored UTC time stamp as Swedish local time, "2027-03-01 14:05"."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_ZONE)
    return moment.strftime("%Y-%m-%d %H:%M")


def _write_settings(sheet: Worksheet, doc: PlanDocument) -> None:
    _header(sheet, ("Inställning", "Värde"))
    rows: list[tuple[str, Any]] = [
        (SETTING_WORDS.get(name, name), _seconds(value) if name in SETTING_WORDS else value)
        for name, value in doc.settings_labels().items()]
    rows += [
        ("Planerad från", doc.first_day.isoformat()),
        ("Planens kvalitet", plan_quality(doc.solver.status)),
        ("Planeringen tog", _seconds(doc.solver.to_json()["wall_s"])),
        ("Planversion", doc.version),
        ("Skapad", _local_time(doc.created_at)),
    ]
    row = 1
    for name, value in rows:
        if value is None:
            continue
        row += 1
        put_row(sheet, row, (name, _setting_value(value)))
    sheet.freeze_panes = "A2"
    fit_columns(sheet, minimum=10)


def build_plan_workbook(doc: PlanDocument, include_personnummer: bool = True) -> Workbook:
    """The plan as an openpyxl workbook (not saved)."""
    workbook = Workbook()
    plan = workbook.active
    plan.title = "Årsplan"
    _write_plan(plan, doc, include_personnummer)
    week_header = _write_months(workbook.create_sheet("Per månad"), doc)
    _write_rounds(workbook.create_sheet("Rondschema"), doc)
    _write_deviations(workbook.create_sheet("Avvikelser"), doc)
    _write_not_required(workbook.create_sheet(NOT_REQUIRED_SHEET), doc)
    _write_doctor_time(workbook.create_sheet(DOCTOR_TIME_SHEET), doc)
    _write_settings(workbook.create_sheet("Inställningar"), doc)
    organisation = doc.organisation or "Läkarrond"
    for sheet in workbook.worksheets:
        title = f"{sheet.title} {doc.year}"
        # "Per månad": the month table's header belongs to the first page only; the weekly
        # table below the chart repeats its own header on the pages after it
        rows = f"{week_header}:{week_header}" if sheet.title == "Per månad" else "1:1"
        set_up_printing(sheet, title=title, organisation=organisation, header_rows=rows)
    return workbook


def write_plan_xlsx(doc: PlanDocument, path: Path, include_personnummer: bool = True) -> None:
    """Write the plan workbook to ``path`` (via a temporary file and a rename)."""
    workbook = build_plan_workbook(doc, include_personnummer)
    atomic_write(Path(path), lambda tmp: workbook.save(tmp))


__all__ = ["build_plan_workbook", "write_plan_xlsx"]
