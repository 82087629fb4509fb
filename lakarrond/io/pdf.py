"""Printed round schedules and preparation lists: A4, Swedish, real (embedded) fonts.

The documents are built as :class:`QTextDocument` HTML from the plan dict (contracts §3
plus the writer extras of :mod:`lakarrond.services.document`). Optional extras that make
the paper better, added by :mod:`lakarrond.services.printing`:

- ``units``: ``{name: {"type", "nurse", "doctor", "health_centre", "reviews_in_round"}}``;
- ``absences``: ``[{"doctor", "start", "end", "reason", "substitute"}]`` (ISO dates).

The same painter routine renders to a :class:`QPdfWriter` (:func:`write_pdf`), to a
:class:`QPrinter` (:func:`print_document`, e.g. from a ``QPrintPreviewDialog``) and to a
:class:`QImage` (:func:`render_page_image`): each page gets a running header (title and
printed time) and a footer with "Sida 1 av 3".
"""

from __future__ import annotations

import html
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from lakarrond import pnr
from solver.problem import WEEKDAY_NAMES_SV

PDF_DPI = 300
MARGINS_MM = QMarginsF(15, 12, 15, 12)  # left, top, right, bottom
BODY_POINT_SIZE = 9.5
HEADER_POINT_SIZE = 8
FONT_FAMILIES = ("DejaVu Sans", "Arial", "Segoe UI", "Liberation Sans", "Helvetica")
CHECKBOX = "☐"
CHECKLIST = (
    "Provtagning ordinerad",
    "Provtagning utförd",
    "Symtomskattning (PHASE-20)",
    "Riskbedömningar",
    "Närstående inbjudna",
)
CHECKLIST_HEADS = (  # column heads of CHECKLIST, broken where a narrow column can take it
    "Prov-<br/>tagning<br/>ordinerad",
    "Prov-<br/>tagning<br/>utförd",
    "Symtom-<br/>skattning<br/>(PHASE-20)",
    "Risk-<br/>bedöm-<br/>ningar",
    "Närstå-<br/>ende<br/>inbjudna",
)
PROGRAM = "Läkarrond"
_TITLE_KEY = QTextDocument.MetaInformation.DocumentTitle
_KEEP_KEY = "lakarrond_keep_together"

_apps: list[QCoreApplication] = []  # keeps an application created here alive


# --- application, fonts, small formatting helpers ----------------------------------------


def ensure_gui_app() -> QGuiApplication:
    """The running Qt GUI application, or a new one (offscreen when there is no display)."""
    app = QCoreApplication.instance()
    if app is None:
        if (
            sys.platform.startswith("linux")
            and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        app = QApplication([sys.argv[0] if sys.argv else PROGRAM])
        _apps.append(app)
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("Utskrift kräver ett grafiskt Qt-program (QGuiApplication).")
    return app


def document_font(point_size: float = BODY_POINT_SIZE) -> QFont:
    """A font with Swedish letters that embeds in a PDF (first family that is installed)."""
    families = set(QFontDatabase.families())
    family = next((f for f in FONT_FAMILIES if f in families), "")
    font = QFont(family) if family else QFont()
    font.setPointSizeF(point_size)
    return font


def _day(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _weekday(day: date) -> str:
    return WEEKDAY_NAMES_SV[day.weekday()][:3]


def _period(doc: dict[str, Any], date_from: date | None, date_to: date | None) -> str:
    year = int(doc.get("year") or date.today().year)
    first = date_from or date(year, 1, 1)
    last = date_to or date(year, 12, 31)
    w1, w2 = first.isocalendar().week, last.isocalendar().week
    if first.isocalendar().year < first.year:  # 1 January in the last week of the year before
        w1 = 1
    if last.isocalendar().year > last.year:  # 31 December in week 1 of the next year
        w2 = date(last.year, 12, 28).isocalendar().week
    weeks = f"v. {w1}" if (w1, first.year) == (w2, last.year) else f"v. {w1}–{w2}"
    return f"{first.isoformat()} – {last.isoformat()} ({weeks})"


def _end_time(start: str, minutes: int) -> str:
    try:
        hour, minute = (int(x) for x in start.split(":"))
    except ValueError:
        return ""
    total = hour * 60 + minute + int(minutes or 0)
    return f"{total // 60 % 24:02d}:{total % 60:02d}"


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _in_period(day: str, date_from: date | None, date_to: date | None) -> bool:
    lo = date_from.isoformat() if date_from else ""
    hi = date_to.isoformat() if date_to else "9999-12-31"
    return lo <= day[:10] <= hi


def _absence_of(doc: dict[str, Any], doctor: str, day: str) -> dict[str, Any] | None:
    for absence in doc.get("absences") or ():
        if absence.get("doctor") == doctor and absence["start"] <= day <= absence["end"]:
            return absence
    return None


def _round_of(appt: dict[str, Any], rounds: dict[tuple[str, str], dict[str, Any]],
              units: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The (held, physical) round an ÅMV takes place in, or None for a separate ÅMV time."""
    rnd = rounds.get((appt["unit"], appt["date"]))
    if rnd is None or rnd.get("cancelled") or rnd.get("form") != "Fysisk":
        return None
    if units.get(appt["unit"], {}).get("reviews_in_round") is False:
        return None
    return rnd


def _new_document(title: str) -> QTextDocument:
    ensure_gui_app()
    document = QTextDocument()
    document.setDefaultFont(document_font())
    document.setDocumentMargin(0)
    document.setMetaInformation(_TITLE_KEY, title)
    return document


def _set_html(document: QTextDocument, text: str) -> None:
    title = document.metaInformation(_TITLE_KEY)
    document.setHtml(text)
    document.setMetaInformation(_TITLE_KEY, title)  # setHtml clears it


def _set_keep_together(document: QTextDocument, groups: list[tuple[int, int]]) -> None:
    """Remember which rows of the document's table belong together (a week heading, a round
    and its patients): the pagination starts a new page rather than split them."""
    document.setProperty(_KEEP_KEY, json.dumps(groups))


def _keep_together(layout_doc: QTextDocument, groups: list[list[int]], page_height: float
                   ) -> None:
    """Move each group of rows that would straddle a page break to the next page, unless
    the group is too tall for a page anyway. The break goes after the row before the group:
    Qt moves the whole row then (a break before a cell's block moves only that cell)."""
    tables = [f for f in layout_doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    if not tables or not groups:
        return
    table = tables[0]
    layout = layout_doc.documentLayout()
    for first, last in groups:
        if last >= table.rows() or first > last:
            continue
        top = layout.blockBoundingRect(table.cellAt(first, 0).firstCursorPosition().block())
        bottom = max(
            layout.blockBoundingRect(table.cellAt(last, c).lastCursorPosition().block()).bottom()
            for c in range(table.columns())
        )
        if (first > 1 and int(top.top() // page_height) != int(bottom // page_height)
                and bottom - top.top() < page_height * 0.6):
            cursor = table.cellAt(first - 1, 0).lastCursorPosition()
            block_format = cursor.blockFormat()
            block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysAfter)
            cursor.setBlockFormat(block_format)


STYLE = """
<style>
h1 { font-size: 15pt; font-weight: bold; margin-bottom: 2px; }
p.sub { font-size: 9.5pt; margin-top: 0px; margin-bottom: 2px; }
p.note { font-size: 8.5pt; color: #333333; margin-top: 6px; }
td { font-size: 8.5pt; }
td.nw { white-space: nowrap; }
th { background-color: #dfe6ee; font-weight: bold; font-size: 8.5pt; text-align: left; }
th.check { font-size: 7pt; text-align: center; }
td.week { background-color: #eef1f5; font-weight: bold; }
tr.cancelled td { color: #6b6b6b; }
td.pat { font-size: 8.5pt; }
td.patlabel { font-size: 8.5pt; color: #777777; }
td.box { font-size: 14pt; text-align: center; }
</style>
"""


# --- the round schedule ------------------------------------------------------------------


def _unit_line(name: str, info: dict[str, Any]) -> str:
    details = [x for x in (info.get("type"), info.get("nurse") and f"ssk {info['nurse']}") if x]
    return f"{_esc(name)}" + (f" ({_esc(', '.join(details))})" if details else "")


def _patient_rows(rows: Iterable[dict[str, Any]], with_unit: bool) -> str:
    """One table row per patient under a round (or a separate ÅMV time)."""
    out = []
    for a in rows:
        details = [a["unit"]] if with_unit else []
        details += [x for x in (a.get("room"), pnr.mask(a.get("personnummer"))) if x]
        out.append(
            "<tr class='pat'><td class='patlabel' colspan='4' align='right'>ÅMV</td>"
            f"<td class='pat'><b>{_esc(a['patient'])}</b></td>"
            f"<td class='pat' colspan='2'>{_esc(' · '.join(details))}</td></tr>"
        )
    return "".join(out)


def round_schedule_document(
    doc: dict[str, Any],
    doctor: str,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
) -> QTextDocument:
    """The doctor's round schedule for a period: every round date of the doctor's units in
    order (time, length, form, cancelled rounds with their reason, the substitute on absence
    days), the patients with an ÅMV in each round, and the separate ÅMV times (phone-round
    and LSS units) with their patients. Rounds the doctor stands in for are listed too."""
    first, last = _day(date_from), _day(date_to)
    units: dict[str, dict[str, Any]] = doc.get("units") or {}
    period = _period(doc, first, last)
    document = _new_document(f"Rondschema – {doctor} – {period}")

    all_rounds = [r for r in doc.get("rounds", []) if _in_period(r["date"], first, last)]
    own = [r for r in all_rounds if r["doctor"] == doctor]
    standing_in = [r for r in all_rounds if r["doctor"] != doctor and r.get("substitute") == doctor]
    appts = [
        a for a in doc.get("appointments", [])
        if a["doctor"] == doctor and _in_period(a["date"], first, last)
    ]
    round_index = {(r["unit"], r["date"]): r for r in own}
    in_round: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    separate: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in appts:
        rnd = _round_of(a, round_index, units)
        if rnd is None:
            separate[a["date"]].append(a)
        else:
            in_round[(rnd["unit"], rnd["date"])].append(a)

    entries: list[tuple[tuple[str, str, str], str]] = []
    for r in own + standing_in:
        entries.append(((r["date"], r.get("start", ""), r["unit"]),
                        _round_rows(doc, r, doctor, in_round.get((r["unit"], r["date"]), []))))
    for day, items in separate.items():
        entries.append(((day, "99:99", ""), _separate_rows(day, items)))
    entries.sort(key=lambda e: e[0])

    unit_names = sorted({r["unit"] for r in own} | {a["unit"] for a in appts})
    cancelled = sum(1 for r in own if r.get("cancelled"))
    groups: list[tuple[int, int]] = []  # table rows to keep on one page
    parts = [
        STYLE,
        "<h1>Rondschema</h1>",
        f"<p class='sub'><b>Läkare:</b> {_esc(doctor)} &nbsp; <b>Period:</b> {_esc(period)}</p>",
    ]
    centre = next((units[u].get("health_centre") for u in unit_names
                   if units.get(u, {}).get("health_centre")), "")
    if centre:
        parts.append(f"<p class='sub'><b>Vårdcentral:</b> {_esc(centre)}</p>")
    if unit_names:
        parts.append("<p class='sub'><b>Enheter:</b> "
                     + "; ".join(_unit_line(u, units.get(u, {})) for u in unit_names) + "</p>")
    parts.append(
        f"<p class='sub'>{len(own)} rondtillfällen, varav {cancelled} "
        f"{'inställt' if cancelled == 1 else 'inställda'} · "
        f"{len(appts)} ÅMV, varav {sum(len(v) for v in separate.values())} på separata tider</p>"
    )
    if not entries:
        parts.append("<p>Inga ronder eller ÅMV under perioden.</p>")
    else:
        parts.append(
            "<table width='100%' cellspacing='0' cellpadding='3' border='1' "
            "style='border-collapse: collapse; border-color: #b8c0c8;'>"
            "<thead><tr><th width='15%'>Datum</th><th width='4%'>V.</th>"
            "<th width='12%'>Tid</th><th width='8%'>Längd</th><th width='26%'>Enhet</th>"
            "<th width='9%'>Form</th><th width='26%'>Anmärkning</th></tr></thead>"
        )
        week, row = None, 1  # row 0 is the head
        for (day, _, _), rows in entries:
            first_row = row
            this_week = date.fromisoformat(day).isocalendar().week
            if this_week != week:
                week = this_week
                parts.append(f"<tr><td class='week' colspan='7'>Vecka {week}</td></tr>")
                row += 1
            parts.append(rows)
            row += rows.count("<tr")
            groups.append((first_row, row - 1))
        parts.append("</table>")
    parts.append(
        "<p class='note'>Inställd = ingen rond (helgdag, semesterveckor eller annan spärr). "
        "Vikarie anges de dagar läkaren är frånvarande. ÅMV på separata tider gäller enheter "
        "med telefonrond eller utan ÅMV i ronden (t.ex. LSS).</p>"
    )
    _set_html(document, "".join(parts))
    _set_keep_together(document, groups)
    return document


REMARK_STYLES = {  # inline, so that they win over the grey of a cancelled row
    "cancel": "color: #8a1c1c; font-weight: bold;",
    "sub": "color: #1d4f91; font-weight: bold;",
}


def _round_rows(doc: dict[str, Any], r: dict[str, Any], doctor: str,
                patients: list[dict[str, Any]]) -> str:
    day = date.fromisoformat(r["date"])
    start = r.get("start", "")
    length = int(r.get("length_min") or 0)
    time_text = f"{start}–{_end_time(start, length)}" if start else ""
    form = "Telefon" if r.get("form") == "Telefon" else "Fysisk"
    remark, remark_class = "", ""
    if r.get("cancelled"):
        remark, remark_class = f"INSTÄLLD – {r.get('cancel_reason') or 'spärrad dag'}", "cancel"
    elif r["doctor"] != doctor:
        remark, remark_class = f"Som vikarie för {r['doctor']}", "sub"
    else:
        absence = _absence_of(doc, r["doctor"], r["date"])
        if r.get("substitute"):
            why = f" – {absence['reason']}" if absence and absence.get("reason") else ""
            remark, remark_class = f"Vikarie: {r['substitute']}{why}", "sub"
        elif absence:
            why = f": {absence['reason']}" if absence.get("reason") else ""
            remark, remark_class = f"Läkaren frånvarande{why} – vikarie saknas", "cancel"
        elif patients:
            remark = f"{len(patients)} ÅMV"
        elif form == "Telefon":
            remark = "Telefon-/videorond"
    row_class = " class='cancelled'" if r.get("cancelled") else ""
    remark_attr = f" style='{REMARK_STYLES[remark_class]}'" if remark_class else ""
    out = (
        f"<tr{row_class}><td class='nw'>{_weekday(day)} {day.isoformat()}</td>"
        f"<td>{r['week']}</td><td class='nw'>{_esc(time_text)}</td>"
        f"<td class='nw'>{length} min</td><td><b>{_esc(r['unit'])}</b></td>"
        f"<td>{form}</td>"
        f"<td{remark_attr}>{_esc(remark)}</td></tr>"
    )
    if patients:
        out += _patient_rows(sorted(patients, key=lambda a: a["patient"]), with_unit=False)
    return out


def _separate_rows(day_text: str, patients: list[dict[str, Any]]) -> str:
    day = date.fromisoformat(day_text)
    patients = sorted(patients, key=lambda a: (a["unit"], a["patient"]))
    units = sorted({a["unit"] for a in patients})
    return (
        f"<tr><td class='nw'>{_weekday(day)} {day.isoformat()}</td>"
        f"<td>{day.isocalendar().week}</td><td>separat</td><td></td>"
        f"<td><b>{_esc(', '.join(units))}</b></td><td>ÅMV-tid</td>"
        f"<td>{len(patients)} ÅMV på separat tid</td></tr>"
        + _patient_rows(patients, with_unit=True)
    )


# --- the preparation list ----------------------------------------------------------------


def preparation_document(
    doc: dict[str, Any],
    unit: str,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
) -> QTextDocument:
    """The unit's preparation list: every ÅMV whose preparation date (R11) falls in the
    period, in preparation order, with a checklist of boxes to tick."""
    first, last = _day(date_from), _day(date_to)
    units: dict[str, dict[str, Any]] = doc.get("units") or {}
    info = units.get(unit, {})
    period = _period(doc, first, last)
    document = _new_document(f"Förberedelselista ÅMV – {unit} – {period}")
    appts = sorted(
        (a for a in doc.get("appointments", [])
         if a["unit"] == unit and _in_period(a["preparation"], first, last)),
        key=lambda a: (a["preparation"], a["date"], a["patient"]),
    )
    rounds = {(r["unit"], r["date"]): r for r in doc.get("rounds", []) if r["unit"] == unit}
    doctors = sorted({a["doctor"] for a in appts} | ({info["doctor"]} if info.get("doctor")
                                                      else set()))
    prep_days = (doc.get("settings") or {}).get("Förberedelse (dagar)", 14)
    groups: list[tuple[int, int]] = []  # table rows to keep on one page

    parts = [
        STYLE,
        "<h1>Förberedelselista ÅMV</h1>",
        f"<p class='sub'><b>Enhet:</b> {_esc(unit)}"
        + (f" ({_esc(info['type'])})" if info.get("type") else "")
        + (f" &nbsp; <b>Sjuksköterska:</b> {_esc(info['nurse'])}" if info.get("nurse") else "")
        + (f" &nbsp; <b>Läkare:</b> {_esc(', '.join(doctors))}" if doctors else "")
        + "</p>",
        f"<p class='sub'><b>Period (förberedelsedatum):</b> {_esc(period)} &nbsp; "
        f"<b>Antal ÅMV:</b> {len(appts)}</p>",
        "<p class='sub'>Förberedelsen börjar ca två veckor före ÅMV. Bocka av: "
        "provtagning ordinerad, provtagning utförd, symtomskattning (PHASE-20), "
        "riskbedömningar, närstående inbjudna.</p>",
    ]
    if not appts:
        parts.append("<p>Inga ÅMV att förbereda under perioden.</p>")
    else:
        check_heads = "".join(f"<th class='check' width='10.5%' align='center'>{c}</th>"
                              for c in CHECKLIST_HEADS)
        parts.append(
            "<table width='100%' cellspacing='0' cellpadding='3' border='1' "
            "style='border-collapse: collapse; border-color: #b8c0c8;'>"
            "<thead><tr><th width='14%'>Förberedelse</th><th width='13%'>ÅMV</th>"
            f"<th width='20.5%'>Patient</th>{check_heads}</tr></thead>"
        )
        week, row = None, 1  # row 0 is the head
        for a in appts:
            prep = date.fromisoformat(a["preparation"])
            if prep.isocalendar().week != week:
                week = prep.isocalendar().week
                parts.append(f"<tr><td class='week' colspan='8'>Vecka {week}</td></tr>")
                groups.append((row, row + 1))
                row += 1
            row += 1
            visit = date.fromisoformat(a["date"])
            rnd = _round_of(a, rounds, units)
            when = f"rond {rnd.get('start', '')}" if rnd else "separat tid"
            shown = pnr.mask(a.get("personnummer"))
            details = "<br/>".join(_esc(x) for x in (a.get("room"), shown) if x)
            parts.append(
                f"<tr><td>{_weekday(prep)}<br/>{prep.isoformat()}</td>"
                f"<td>{_weekday(visit)}<br/>{visit.isoformat()}<br/>"
                f"<span style='font-size: 8pt;'>{_esc(when)}</span></td>"
                f"<td><b>{_esc(a['patient'])}</b>"
                + (f"<br/><span style='font-size: 8pt;'>{details}</span>" if details else "")
                + "</td>"
                + "".join(f"<td class='box'>{CHECKBOX}</td>" for _ in CHECKLIST)
                + "</tr>"
            )
        parts.append("</table>")
    parts.append(
        f"<p class='note'>Förberedelsedatum = ÅMV-datum − {_esc(prep_days)} dagar, flyttat "
        "till närmast föregående arbetsdag (R11).</p>"
    )
    _set_html(document, "".join(parts))
    _set_keep_together(document, groups)
    return document


# --- painting: pages with header and footer ----------------------------------------------


def _layout(document: QTextDocument, device: QPaintDevice, size: QSizeF
            ) -> tuple[QTextDocument, float, float, int]:
    """A copy of ``document`` laid out for ``device`` in pages of the body height: (copy,
    height of the header/footer band, body height, page count)."""
    metrics = QFontMetricsF(document_font(HEADER_POINT_SIZE), device)
    band = metrics.height() * 1.9
    body_height = size.height() - 2 * band
    layout_doc = document.clone()
    layout_doc.setDocumentMargin(0)
    layout_doc.documentLayout().setPaintDevice(device)
    layout_doc.setPageSize(QSizeF(size.width(), body_height))
    groups = json.loads(str(document.property(_KEEP_KEY) or "[]"))
    _keep_together(layout_doc, groups, body_height)
    return layout_doc, band, body_height, max(1, layout_doc.pageCount())


def _paint_pages(
    document: QTextDocument,
    painter: QPainter,
    size: QSizeF,
    new_page: Callable[[], bool] | None,
    only_page: int | None = None,
    printed: datetime | None = None,
) -> int:
    """Paint ``document`` page by page into the rectangle (0, 0, size) of the painter's
    device (in device pixels), with a running header and a footer "Sida i av n". Returns
    the page count."""
    device: QPaintDevice = painter.device()
    layout_doc, band, body_height, pages = _layout(document, device, size)
    layout: QAbstractTextDocumentLayout = layout_doc.documentLayout()
    head_font = document_font(HEADER_POINT_SIZE)
    metrics = QFontMetricsF(head_font, device)

    title = document.metaInformation(_TITLE_KEY) or PROGRAM
    stamp = (printed or datetime.now()).strftime("Utskriven %Y-%m-%d %H:%M")
    context = QAbstractTextDocumentLayout.PaintContext()
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Text, QColor(Qt.GlobalColor.black))
    context.palette = palette
    line = QPen(QColor("#555555"))
    line.setWidthF(max(1.0, device.logicalDpiY() / 150))
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

    indices = range(pages) if only_page is None else [min(max(only_page, 0), pages - 1)]
    for n, index in enumerate(indices):
        if n and new_page is not None and not new_page():
            raise OSError("Kunde inte börja en ny sida i utskriften.")
        painter.save()
        painter.setFont(head_font)
        painter.setPen(QColor(Qt.GlobalColor.black))
        head = QRectF(0, 0, size.width(), metrics.height())
        painter.drawText(head, left, metrics.elidedText(title, Qt.TextElideMode.ElideRight,
                                                        size.width() * 0.72))
        painter.drawText(head, right, stamp)
        painter.setPen(line)
        y = metrics.height() * 1.3
        painter.drawLine(QPointF(0, y), QPointF(size.width(), y))
        y = size.height() - metrics.height() * 1.3
        painter.drawLine(QPointF(0, y), QPointF(size.width(), y))
        painter.setPen(QColor(Qt.GlobalColor.black))
        foot = QRectF(0, size.height() - metrics.height(), size.width(), metrics.height())
        painter.drawText(foot, left, PROGRAM)
        painter.drawText(foot, right, f"Sida {index + 1} av {pages}")
        painter.restore()

        painter.save()
        clip = QRectF(0, index * body_height, size.width(), body_height)
        painter.translate(0, band - index * body_height)
        painter.setClipRect(clip)
        context.clip = clip
        layout.draw(painter, context)
        painter.restore()
    return pages


def page_layout() -> QPageLayout:
    """A4 portrait with the printout margins."""
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       MARGINS_MM, QPageLayout.Unit.Millimeter)


def _dpi_image(dpi: int, width: int = 1, height: int = 1) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def page_count(text_document: QTextDocument, dpi: int = PDF_DPI) -> int:
    """How many A4 pages the document takes when printed (as :func:`write_pdf` does)."""
    ensure_gui_app()
    paint = page_layout().paintRectPixels(dpi)
    return _layout(text_document, _dpi_image(dpi), QSizeF(paint.size()))[3]


def make_printer() -> QPagedPaintDevice:
    """A high-resolution ``QPrinter`` set to A4 with the printout margins (for
    ``QPrintPreviewDialog`` / ``QPrintDialog``)."""
    ensure_gui_app()
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(PROGRAM)
    return printer


def write_pdf(text_document: QTextDocument, path: Path | str) -> int:
    """Write the document as an A4 PDF at ``path`` (fonts embedded); returns the page count."""
    ensure_gui_app()
    writer = QPdfWriter(str(path))
    writer.setPageLayout(page_layout())
    writer.setResolution(PDF_DPI)
    writer.setTitle(text_document.metaInformation(_TITLE_KEY))
    writer.setCreator(PROGRAM)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"Kunde inte skriva PDF-filen {path}.")
    try:
        size = QSizeF(writer.width(), writer.height())
        pages = _paint_pages(text_document, painter, size, writer.newPage)
    finally:
        ok = painter.end()
    if not ok:
        raise OSError(f"Kunde inte skriva PDF-filen {path}.")
    return pages


def print_document(text_document: QTextDocument, printer: QPagedPaintDevice) -> int:
    """Paint the document on ``printer`` (a ``QPrinter``, e.g. the one a
    ``QPrintPreviewDialog`` hands to ``paintRequested``) with header, footer and page
    numbers. Returns the page count."""
    ensure_gui_app()
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("Skrivaren kunde inte startas.")
    try:
        size = QSizeF(printer.width(), printer.height())
        return _paint_pages(text_document, painter, size, printer.newPage)
    finally:
        painter.end()


def render_page_image(text_document: QTextDocument, page: int = 0, dpi: int = 100) -> QImage:
    """One A4 page (0-based index) as a white image, for previews and documentation."""
    ensure_gui_app()
    full = page_layout().fullRectPixels(dpi)
    image = _dpi_image(dpi, full.width(), full.height())
    image.fill(QColor(Qt.GlobalColor.white))
    paint = page_layout().paintRectPixels(dpi)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(QPointF(paint.topLeft()))
        _paint_pages(text_document, painter, QSizeF(paint.size()), None, only_page=page)
    finally:
        painter.end()
    return image
