"""A printout's rows as the HTML that :mod:`lakarrond.io.pdf` lays out on A4 pages.

``printout_html`` returns the HTML and the groups of table rows to keep on one page (a week
heading with its first round, a round with its patients). Pure string building, no Qt.
"""

from __future__ import annotations

import html
from datetime import date

from lakarrond.census import CensusList, unit_text
from lakarrond.printouts import (
    NONE,
    SKIPPED,
    DoctorWeekList,
    MovedList,
    PreparationList,
    PrintedPatient,
    Printout,
    RoundSchedule,
    ScheduleEntry,
    WeekListRound,
    WeekRoundList,
    short_weekday,
    shown_number,
)
from lakarrond.steps import ROLE_SHORT

ROLE_LEGEND = ", ".join(f"{short} = {role.value.lower()}" for role, short in ROLE_SHORT.items())

CHECKBOX = "☐"
TICK = "✓"
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
td.done { font-size: 7.5pt; text-align: center; }
</style>
"""
TABLE = ("<table width='100%' cellspacing='0' cellpadding='3' border='1' "
         "style='border-collapse: collapse; border-color: #b8c0c8;'>")
REMARK_STYLES = {  # inline, so that they win over the grey of a cancelled row
    "cancel": "color: #8a1c1c; font-weight: bold;",
    "sub": "color: #1d4f91; font-weight: bold;",
}

Groups = list[tuple[int, ...]]  # (first, last) rows of the first table, or
# (table, first, last) when a printout has several tables (one per doctor)
LATE_STYLE = "color: #8a1c1c; font-weight: bold;"


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _patient_rows(patients: tuple[PrintedPatient, ...]) -> str:
    return "".join(
        "<tr class='pat'><td class='patlabel' colspan='4' align='right'>"
        f"ÅMV {esc(p.time)}</td><td class='pat'><b>{esc(p.name)}</b></td>"
        f"<td class='pat' colspan='2'>{esc(p.details)}</td></tr>"
        for p in patients
    )


def _entry_rows(e: ScheduleEntry) -> str:
    day = f"{short_weekday(e.date)} {e.date.isoformat()}"
    if e.separate:
        return (f"<tr><td class='nw'>{day}</td><td>{e.week}</td>"
                f"<td class='nw'>{esc(e.time_text)}</td><td class='nw'>{esc(e.length_text)}</td>"
                f"<td><b>{esc(e.unit)}</b></td><td>ÅMV-tid</td><td>{esc(e.remark)}</td></tr>"
                + _patient_rows(e.patients))
    row_class = " class='cancelled'" if e.cancelled else ""
    style = f" style='{REMARK_STYLES[e.remark_kind]}'" if e.remark_kind else ""
    return (f"<tr{row_class}><td class='nw'>{day}</td><td>{e.week}</td>"
            f"<td class='nw'>{esc(e.time_text)}</td><td class='nw'>{esc(e.length_text)}</td>"
            f"<td><b>{esc(e.unit)}</b></td><td>{esc(e.form)}</td>"
            f"<td{style}>{esc(e.remark)}</td></tr>" + _patient_rows(e.patients))


def round_schedule_html(s: RoundSchedule) -> tuple[str, Groups]:
    parts = [
        STYLE, "<h1>Rondschema</h1>",
        f"<p class='sub'><b>Läkare:</b> {esc(s.doctor)} &nbsp; <b>Period:</b> {esc(s.period)}</p>",
    ]
    if s.health_centre:
        parts.append(f"<p class='sub'><b>Vårdcentral:</b> {esc(s.health_centre)}</p>")
    if s.unit_lines:
        parts.append("<p class='sub'><b>Enheter:</b> " + esc("; ".join(s.unit_lines)) + "</p>")
    parts.append(f"<p class='sub'>{esc(s.summary)}</p>")
    groups: Groups = []
    if not s.entries:
        parts.append("<p>Inga ronder eller ÅMV under perioden.</p>")
    else:
        parts.append(
            TABLE + "<thead><tr><th width='15%'>Datum</th><th width='4%'>V.</th>"
            "<th width='12%'>Tid</th><th width='8%'>Längd</th><th width='26%'>Enhet</th>"
            "<th width='9%'>Form</th><th width='26%'>Anmärkning</th></tr></thead>")
        week, row = None, 1  # row 0 is the head
        for e in s.entries:
            first = row
            if e.week != week:
                week = e.week
                parts.append(f"<tr><td class='week' colspan='7'>Vecka {week}</td></tr>")
                row += 1
            rows = _entry_rows(e)
            parts.append(rows)
            row += rows.count("<tr")
            groups.append((first, row - 1))
        parts.append("</table>")
    parts.append(
        "<p class='note'>Inställd = ingen rond (helgdag, semesterveckor eller annan spärr). "
        "Vikarie anges de dagar läkaren är frånvarande. ÅMV på separata tider gäller enheter "
        "med telefonrond eller utan ÅMV i ronden (t.ex. LSS).</p>")
    return "".join(parts), groups


def _check_head(step: str, role: str = "") -> str:
    head = esc(step).replace(" / ", "/<br/>").replace(" ", "<br/>")
    return head + (f"<br/><i>{esc(role)}</i>" if role else "")


def _step_cell(tick: str, short: bool) -> str:
    """A step's cell: a box to tick, "–" (not for this patient: "Bjud inte in närstående")
    or the tick with the day it was done ("2027-03-19", ``short`` in a narrow column:
    "19/3")."""
    if tick == SKIPPED:
        return f"<td class='box'>{SKIPPED}</td>"
    if not tick:
        return f"<td class='box'>{CHECKBOX}</td>"
    done = date.fromisoformat(tick)
    return f"<td class='done'>{TICK} {done.day}/{done.month}</td>" if short \
        else f"<td class='done'>{TICK} {esc(tick)}</td>"


NAMED_HEADS = 6  # up to this many steps the column heads carry the names; more are numbered


def _step_list(p: PreparationList, numbered: bool) -> str:
    """"Planeringsunderlag till läkaren (Ssk), …" or, numbered, "1 = Planeringsunderlag …"."""
    roles = p.roles or ("",) * len(p.steps)
    named = [f"{s} ({r})" if r and r != SKIPPED else s
             for s, r in zip(p.steps, roles, strict=True)]
    if numbered:
        named = [f"{n} = {text}" for n, text in enumerate(named, start=1)]
    return esc(", ".join(named))


def preparation_html(p: PreparationList) -> tuple[str, Groups]:
    numbered = len(p.steps) > NAMED_HEADS  # many steps: numbered heads, a wider table
    heading = f"<p class='sub'><b>Enhet:</b> {esc(p.unit)}"
    if p.unit_type:
        heading += f" ({esc(p.unit_type)})"
    if p.nurse:
        heading += f" &nbsp; <b>Sjuksköterska:</b> {esc(p.nurse)}"
    if p.doctors:
        heading += f" &nbsp; <b>Läkare:</b> {esc(', '.join(p.doctors))}"
    parts = [
        STYLE, "<h1>Förberedelselista ÅMV</h1>", heading + "</p>",
        f"<p class='sub'><b>Period (förberedelsedatum):</b> {esc(p.period)} &nbsp; "
        f"<b>Antal ÅMV:</b> {len(p.entries)}</p>",
        "<p class='sub'>Förberedelsen börjar ca två veckor före ÅMV. Bocka av: "
        + _step_list(p, numbered) + ".</p>",
    ]
    groups: Groups = []
    if not p.entries:
        parts.append("<p>Inga ÅMV att förbereda under perioden.</p>")
    else:
        fixed = (12.5, 11.5, 20.0) if numbered else (14.0, 13.0, 20.5)
        width = (100 - sum(fixed)) / max(1, len(p.steps))
        roles = p.roles or ("",) * len(p.steps)
        heads = "".join(f"<th class='check' width='{width:.1f}%' align='center'>"
                        f"{_check_head(str(n) if numbered else s, r)}</th>"
                        for n, (s, r) in enumerate(zip(p.steps, roles, strict=True), start=1))
        first = "Förb." if numbered else "Förberedelse"  # numbered: a narrow column
        parts.append(TABLE + f"<thead><tr><th width='{fixed[0]}%'>{first}</th>"
                     f"<th width='{fixed[1]}%'>ÅMV</th><th width='{fixed[2]}%'>Patient</th>"
                     f"{heads}</tr></thead>")
        week, row = None, 1
        for e in p.entries:
            if e.preparation.isocalendar().week != week:
                week = e.preparation.isocalendar().week
                parts.append(f"<tr><td class='week' colspan='{3 + len(p.steps)}'>"
                             f"Vecka {week}</td></tr>")
                groups.append((row, row + 1))
                row += 1
            row += 1
            details = (f"<br/><span style='font-size: 8pt;'>{esc(e.patient.details)}"
                       "</span>" if e.patient.details else "")
            boxes = "".join(_step_cell(t, numbered) for t in e.ticks)
            parts.append(
                f"<tr><td>{short_weekday(e.preparation)}<br/>{e.preparation.isoformat()}</td>"
                f"<td>{short_weekday(e.review)}<br/>{e.review.isoformat()}<br/>"
                f"<span style='font-size: 8pt;'>{esc(e.when)}</span></td>"
                f"<td><b>{esc(e.patient.name)}</b>{details}</td>{boxes}</tr>")
        parts.append("</table>")
    parts.append(
        f"<p class='note'>Förberedelsedatum (Förb.) = ÅMV-datum − {p.preparation_days} dagar, "
        f"flyttat till närmast föregående arbetsdag. Vem gör steget: {esc(ROLE_LEGEND)}. "
        f"{SKIPPED} = "
        "inte för patienten (närstående bjuds inte in).</p>")
    return "".join(parts), groups


def moved_html(moved: MovedList) -> tuple[str, Groups]:
    parts = [STYLE, "<h1>Flyttade ÅMV – meddela</h1>",
             f"<p class='sub'><b>Årsplan:</b> {moved.year} &nbsp; <b>Planerad från:</b> "
             f"{moved.plan_from.isoformat()} &nbsp; <b>Antal:</b> {len(moved.rows)}</p>",
             "<p class='sub'>Meddela patient, närstående och enhet det nya datumet och "
             "klockslaget.</p>"]
    groups: Groups = []
    if not moved.rows:
        parts.append("<p>Inga ÅMV flyttas.</p>")
    else:
        parts.append(TABLE + "<thead><tr><th width='14%'>Enhet</th><th width='19%'>Patient</th>"
                     "<th width='13%'>Läkare</th><th width='15%'>Tidigare</th>"
                     "<th width='15%'>Nytt datum</th><th width='24%'>Orsak</th>"
                     "</tr></thead>")
        for r in moved.rows:
            old = f"{short_weekday(r.old)} {r.old.isoformat()}"
            old += f"<br/>{esc(r.old_time)}" if r.old_time else ""
            new = (f"{short_weekday(r.new)} {r.new.isoformat()}" if r.new else "inget datum")
            new_time = f"<br/>{esc(r.new_time)}" if r.new and r.new_time else ""
            parts.append(f"<tr><td>{esc(r.unit)}</td><td><b>{esc(r.patient)}</b></td>"
                         f"<td>{esc(r.doctor)}</td><td class='nw'>{old}</td>"
                         f"<td class='nw'><b>{esc(new)}</b>{new_time}</td>"
                         f"<td>{esc(r.reason)}</td></tr>")
        parts.append("</table>")
    return "".join(parts), groups


def census_html(census: CensusList, numbers: str) -> tuple[str, Groups]:
    """Ändringar sedan: one table, per health centre and doctor, then date."""
    parts = [STYLE, f"<h1>Ändringar sedan {census.since.isoformat()}</h1>",
             f"<p class='sub'><b>Antal:</b> {len(census.rows)} &nbsp; Inskrivna, flyttade, "
             "utskrivna och avlidna patienter – att meddela hälsocentralen.</p>"]
    if not census.rows:
        parts.append("<p>Inga ändringar sedan dess.</p>")
        return "".join(parts), []
    with_numbers = numbers != NONE
    parts.append(TABLE + "<thead><tr><th width='15%'>Vårdcentral</th><th width='13%'>Läkare"
                 "</th><th width='10%'>Datum</th><th width='10%'>Händelse</th>"
                 "<th width='16%'>Patient</th>"
                 + ("<th width='15%'>Personnummer</th>" if with_numbers else "")
                 + "<th>Enhet</th></tr></thead>")
    for r in census.rows:
        number = (f"<td class='nw'>{esc(shown_number(r.personnummer, numbers))}</td>"
                  if with_numbers else "")
        parts.append(f"<tr><td>{esc(r.health_centre)}</td><td>{esc(r.doctor)}</td>"
                     f"<td class='nw'>{r.date.isoformat()}</td><td>{esc(r.kind.value)}</td>"
                     f"<td><b>{esc(r.patient)}</b></td>{number}<td>{esc(unit_text(r))}</td>"
                     "</tr>")
    parts.append("</table>")
    return "".join(parts), []


def _week_round_rows(r: WeekListRound) -> str:
    row_class = " class='cancelled'" if r.cancelled else ""
    style = f" style='{REMARK_STYLES[r.remark_kind]}'" if r.remark_kind else ""
    rows = [f"<tr{row_class}><td class='nw'>{esc(r.time_text)}</td><td><b>{esc(r.unit)}</b>"
            f"</td><td>{esc(r.form)}</td><td></td><td{style}>{esc(r.remark)}</td></tr>"]
    for a in r.reviews:
        details = (f"<br/><span style='font-size: 8pt;'>{esc(a.patient.details)}</span>"
                   if a.patient.details else "")
        late = f" style='{LATE_STYLE}'" if a.late else ""
        flag = f" style='{LATE_STYLE}'" if a.unrecorded else ""
        rows.append(f"<tr class='pat'><td class='patlabel nw' align='right'>"
                    f"{esc(a.time_text) or 'ÅMV'}</td><td class='pat'><b>{esc(a.patient.name)}"
                    f"</b>{details}</td><td class='pat'{flag}>{esc(a.status)}</td>"
                    f"<td class='pat'{late}>{esc(a.preparation)}</td><td></td></tr>")
    return "".join(rows)


def _doctor_week_html(w: WeekRoundList, d: DoctorWeekList, table: int,
                      groups: Groups) -> str:
    brk = " style='page-break-before: always;'" if table else ""
    parts = [f"<h1{brk}>Veckans ronder – {esc(d.doctor)}</h1>",
             f"<p class='sub'><b>{esc(w.label)}</b>"
             + (f" &nbsp; <b>Vårdcentral:</b> {esc(d.health_centre)}" if d.health_centre
                else "") + "</p>",
             f"<p class='sub'>{esc(d.summary)}</p>",
             TABLE + "<thead><tr><th width='11%'>Tid</th><th width='27%'>Enhet / patient</th>"
             "<th width='11%'>Form / status</th><th width='24%'>Förberedelse</th>"
             "<th width='27%'>Anmärkning</th></tr></thead>"]
    row = 1  # row 0 is the head
    for day in d.days:
        note = f" &nbsp; <span style='{REMARK_STYLES['sub']}'>{esc(day.note)}</span>" \
            if day.note else ""
        parts.append(f"<tr><td class='week' colspan='5'>{esc(day.label.capitalize())}"
                     f"{note}</td></tr>")
        head = row
        row += 1
        if not day.rounds:
            parts.append("<tr><td class='patlabel' colspan='5'>Ingen rond</td></tr>")
            groups.append((table, head, row))
            row += 1
            continue
        for n, r in enumerate(day.rounds):
            rows = _week_round_rows(r)
            parts.append(rows)
            first = head if n == 0 else row
            row += rows.count("<tr")
            groups.append((table, first, row - 1))
    parts.append("</table>")
    parts.append("<p class='note'>Förberedelse: klara steg av alla; sena steg (skulle ha "
                 "varit klara före utskriftsdagen) i rött. ÅMV-tid = ÅMV på separat tid "
                 "(enheter med telefonrond eller utan ÅMV i ronden, t.ex. LSS).</p>")
    return "".join(parts)


def week_list_html(w: WeekRoundList) -> tuple[str, Groups]:
    """One doctor per page: each doctor's week starts on a new page."""
    groups: Groups = []
    if not w.doctors:
        return (STYLE + f"<h1>Veckans ronder</h1><p class='sub'><b>{esc(w.label)}</b></p>"
                "<p>Inga ronder eller ÅMV denna vecka.</p>"), groups
    parts = [STYLE] + [_doctor_week_html(w, d, i, groups) for i, d in enumerate(w.doctors)]
    return "".join(parts), groups


def printout_html(printout: Printout) -> tuple[str, Groups]:
    if isinstance(printout.content, RoundSchedule):
        return round_schedule_html(printout.content)
    if isinstance(printout.content, MovedList):
        return moved_html(printout.content)
    if isinstance(printout.content, WeekRoundList):
        return week_list_html(printout.content)
    if isinstance(printout.content, CensusList):
        return census_html(printout.content, printout.numbers)
    return preparation_html(printout.content)
