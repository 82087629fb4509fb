"""The planning basis (:mod:`lakarrond.basis`) as HTML and as an A4 PDF through the print
path of :mod:`lakarrond.io.pdf`: one round per page, its ÅMV and matters in clock order,
the preparation steps done (✓) and not done (☐), the notes, the time booked against the
length. Qt is loaded only when a PDF is written (:func:`write_basis_pdf`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lakarrond.basis import REVIEW_KIND, TITLE, BasisItem, RoundBasis
from lakarrond.io.print_html import CHECKBOX, STYLE, TABLE, TICK, esc
from lakarrond.printouts import short_weekday

OVER_STYLE = "color: #8a1c1c; font-weight: bold;"


def _who(item: BasisItem) -> str:
    name = esc(item.patient or "")
    if item.personnummer:
        name += f"<br/>{esc(item.personnummer)}"
    if item.room:
        name += f"<br/>{esc(item.room)}"
    if item.contacts:  # the patient's named nurse (fast vårdkontakt) when not the unit's
        name += f"<br/>{esc(item.contacts)}"
    return name


def _detail(item: BasisItem) -> str:
    if item.kind == REVIEW_KIND:
        steps = "<br/>".join(f"{TICK if done else CHECKBOX} {esc(step)}"
                                for step, done in item.steps)
        return steps or "–"
    parts = []
    if item.by:
        parts.append(f"Av: {esc(item.by)}")
    if item.note:
        parts.append(f"<i>{esc(item.note)}</i>")
    return "<br/>".join(parts) or "–"


def _round_html(r: RoundBasis, first: bool) -> str:
    brk = "" if first else " style='page-break-before: always;'"
    when = f"{r.start:%H:%M}–{r.end:%H:%M}" if r.end is not None else f"{r.start:%H:%M}"
    doctor = esc(r.doctor) + (f" (vikarie: {esc(r.substitute_named)})" if r.substitute else "")
    over = r.time.left_min < 0
    booked = (f"<span style='{OVER_STYLE}'>{esc(r.time.text())} – överbokad</span>" if over
              else esc(r.time.text()))
    head = (f"<h1{brk}>{esc(TITLE)}</h1>"
            f"<p class='sub'><b>{esc(r.unit)}</b> · {short_weekday(r.date)} "
            f"{r.date.isoformat()} · {when}</p>"
            f"<p class='sub'>Läkare: {doctor} · Sjuksköterska: {esc(r.nurse or '–')}</p>"
            f"<p class='sub'>Bokad tid: {booked} (varav övrig tid {r.time.other_min} min)</p>")
    rows = "".join(
        f"<tr><td class='nw'>{esc(i.start_text or 'utan tid')}</td><td>{esc(i.kind)}</td>"
        f"<td>{_who(i)}</td><td class='nw'>{i.minutes} min</td><td>{_detail(i)}</td>"
        f"<td>{esc(i.status)}</td></tr>" for i in r.items)
    if not rows:
        rows = "<tr><td colspan='6'>Inga ÅMV eller ärenden i ronden.</td></tr>"
    table = (TABLE + "<tr><th>Tid</th><th>Typ</th><th>Patient</th><th>Minuter</th>"
             "<th>Förberedelse / anteckning</th><th>Status</th></tr>" + rows + "</table>")
    return head + table


def basis_html(rounds: Sequence[RoundBasis]) -> str:
    """The rounds' basis as HTML, each round from a new page."""
    if not rounds:
        return STYLE + f"<h1>{esc(TITLE)}</h1><p>Inga ronder i urvalet.</p>"
    note = ("<p class='note'>Underlaget innehåller hälsouppgifter: hanteras enligt "
            "sekretess.</p>")
    return STYLE + "".join(_round_html(r, i == 0) for i, r in enumerate(rounds)) + note


def write_basis_pdf(rounds: Sequence[RoundBasis], path: Path) -> int:
    """Write the basis as an A4 PDF at ``path``; returns the page count."""
    from lakarrond.io import pdf  # Qt only when a PDF is written

    document = pdf.new_document(TITLE)
    pdf.set_html(document, basis_html(rounds))
    return pdf.write_pdf(document, path)


__all__ = ["basis_html", "write_basis_pdf"]
