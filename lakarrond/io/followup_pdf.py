"""The yearly follow-up (:mod:`lakarrond.followup`) as HTML and as an A4 PDF through the
program's print path (:mod:`lakarrond.io.pdf`): the four tables (per health centre, per
doctor, per unit, total), each from a new page. Qt is loaded only when a PDF is written."""

from __future__ import annotations

from pathlib import Path

from lakarrond.followup import COUNT_KEYS, HEADERS, SHORT_HEADERS, FollowUp, Row
from lakarrond.formatting import decimal
from lakarrond.io.print_html import STYLE, TABLE, esc

NARROW_TABLE = TABLE.replace("cellpadding='3'", "cellpadding='2'")

TITLE = "Årsuppföljning"
NAMES = {"Per vårdcentral": ("health_centre",), "Per läkare": ("health_centre", "doctor"),
         "Per enhet": ("health_centre", "doctor", "unit"), "Totalt": ()}
# Qt's rich text keeps the first rule of a selector: the narrow table's sizes are replaced
SMALL_STYLE = STYLE.replace("font-weight: bold; font-size: 8.5pt; text-align: left;",
                            "font-weight: bold; font-size: 6pt; text-align: left;")
# percent of the page width for the name columns, by table: a health centre's name
# ("Vårdcentralen Stenporten") is not broken inside a word when it has the room
NAME_WIDTHS = {1: {"health_centre": 24},
               2: {"health_centre": 18, "doctor": 14},
               3: {"health_centre": 11, "doctor": 9, "unit": 10}}  # as tight as before


def _cell(row: Row, key: str) -> str:
    if key == "per_10":
        return "–" if row.per_10 is None else decimal(row.per_10)
    if key in ("health_centre", "doctor", "unit"):
        return esc(getattr(row, key) or "(ingen)")
    return str(getattr(row.counts, key))


def _table_html(name: str, rows: tuple[Row, ...], year: int, first: bool) -> str:
    keys = (*NAMES[name], *COUNT_KEYS, "per_10")
    brk = "" if first else " style='page-break-before: always;'"
    widths = NAME_WIDTHS.get(len(NAMES[name]), {})
    number_width = (100 - sum(widths.values())) / (len(keys) - len(NAMES[name]))
    head = "".join(f"<th width='{widths[k]}%'>{esc(HEADERS[k])}</th>"
                   if k in widths else
                   f"<th width='{number_width:.1f}%'>{esc(SHORT_HEADERS[k])}</th>"
                   for k in keys)
    body = "".join("<tr>" + "".join(
        f"<td>{_cell(r, k)}</td>" if k in widths else
        f"<td align='right'>{_cell(r, k)}</td>" for k in keys) + "</tr>"
        for r in rows) or f"<tr><td colspan='{len(keys)}'>Inga rader.</td></tr>"
    return (f"<h1{brk}>{TITLE} {year} – {esc(name)}</h1>"
            f"{NARROW_TABLE}<tr>{head}</tr>{body}</table>")


def follow_up_html(result: FollowUp) -> str:
    legend = "; ".join(f"<b>{esc(SHORT_HEADERS[k])}</b>: {esc(HEADERS[k].lower())}"
                       for k in (*COUNT_KEYS, "per_10"))
    note = (f"<p class='note'>{legend}.</p><p class='note'>En ÅMV räknas som hållen bara "
            "när den är registrerad Genomförd. Definitionerna finns i användarguiden "
            "(Årsuppföljning).</p>")
    return SMALL_STYLE + "".join(
        _table_html(name, rows, result.year, i == 0)
        for i, (name, rows) in enumerate(result.tables())) + note


def write_follow_up_pdf(result: FollowUp, path: Path) -> int:
    """Write the follow-up as an A4 PDF at ``path``; returns the page count."""
    from lakarrond.io import pdf  # Qt only when a PDF is written

    document = pdf.new_document(f"{TITLE} {result.year}")
    pdf.set_html(document, follow_up_html(result))
    return pdf.write_pdf(document, path)


__all__ = ["follow_up_html", "write_follow_up_pdf"]
