"""The yearly follow-up (:mod:`lakarrond.followup`) as HTML and as an A4 PDF through the
program's print path (:mod:`lakarrond.io.pdf`): the four tables (per health centre, per
doctor, per unit, total), each from a new page. Qt is loaded only when a PDF is written."""

from __future__ import annotations

from pathlib import Path

from lakarrond.followup import COUNT_KEYS, HEADERS, FollowUp, Row
from lakarrond.formatting import decimal
from lakarrond.io.print_html import STYLE, TABLE, esc

TITLE = "Årsuppföljning"
NAMES = {"Per hälsocentral": ("health_centre",), "Per läkare": ("health_centre", "doctor"),
         "Per enhet": ("health_centre", "doctor", "unit"), "Totalt": ()}
SMALL = "<style>th { font-size: 7pt; } td { font-size: 7.5pt; }</style>"


def _cell(row: Row, key: str) -> str:
    if key == "per_10":
        return "–" if row.per_10 is None else decimal(row.per_10)
    if key in ("health_centre", "doctor", "unit"):
        return esc(getattr(row, key) or "(ingen)")
    return str(getattr(row.counts, key))


def _table_html(name: str, rows: tuple[Row, ...], year: int, first: bool) -> str:
    keys = (*NAMES[name], *COUNT_KEYS, "per_10")
    brk = "" if first else " style='page-break-before: always;'"
    head = "".join(f"<th>{esc(HEADERS[k])}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r, k)}</td>" for k in keys) + "</tr>"
                   for r in rows) or f"<tr><td colspan='{len(keys)}'>Inga rader.</td></tr>"
    return (f"<h1{brk}>{TITLE} {year} – {esc(name)}</h1>"
            f"{TABLE}<tr>{head}</tr>{body}</table>")


def follow_up_html(result: FollowUp) -> str:
    note = ("<p class='note'>ÅMV räknas som hållen bara när den är registrerad Genomförd. "
            "Definitionerna finns i användarguiden (Årsuppföljning).</p>")
    return STYLE + SMALL + "".join(
        _table_html(name, rows, result.year, i == 0)
        for i, (name, rows) in enumerate(result.tables())) + note


def write_follow_up_pdf(result: FollowUp, path: Path) -> int:
    """Write the follow-up as an A4 PDF at ``path``; returns the page count."""
    from lakarrond.io import pdf  # Qt only when a PDF is written

    document = pdf.new_document(f"{TITLE} {result.year}")
    pdf.set_html(document, follow_up_html(result))
    return pdf.write_pdf(document, path)


__all__ = ["follow_up_html", "write_follow_up_pdf"]
