"""The plan's measures as a small Swedish HTML report (the Mått tab)."""

from __future__ import annotations

from lakarrond.document import PlanDocument
from lakarrond.formatting import decimal, percent
from lakarrond.wording import peak_note, plan_quality, rule_name


def measures_html(doc: PlanDocument) -> str:
    """The plan's measures as a small HTML report (Swedish)."""
    ms = doc.measures
    required = ms.required or len(doc.reviews)
    planned = ms.planned or len(doc.reviews)
    rows = [
        ("Täckning", f"{percent(ms.coverage)} ({planned} av {required} patienter)"),
        ("Ej placerade", str(len(doc.unplaced))),
        ("Behöver ingen ÅMV i år", str(len(doc.not_required))),
        ("Avvikelser", str(len(doc.violations))),
        ("Längsta intervall sedan senaste ÅMV", f"{decimal(ms.max_interval_months)} månader"),
        ("Över 12 månader", str(ms.over_max_interval)),
        ("Flyttade ÅMV mot förra versionen", str(doc.moved_since_previous)),
        ("Planens kvalitet", f"{plan_quality(doc.solver.status)} (beräknad på "
                             f"{decimal(doc.solver.wall_s)} s)"),
    ]
    html = ["<h3>Mått för planen</h3><table cellspacing='4'>"]
    html += [f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows]
    html.append("</table>")
    breaks = ms.breaks_by_rule
    if breaks:
        html.append("<h4>Avvikelser per regel</h4><ul>")
        html += [f"<li>{rule_name(rule)}: {n}</li>"
                 for rule, n in sorted(breaks.items(), key=lambda kv: int(kv[0][1:] or 0)) if n]
        html.append("</ul>")
    html.append("<h4>Jämn fördelning per läkare</h4><table cellspacing='4'>"
                "<tr><th align='left'>Läkare</th><th>Flest ÅMV en vecka</th>"
                "<th>Minsta möjliga</th><th>Jämnhet över månaderna</th>"
                "<th align='left'>Varför inte jämnare</th></tr>")
    for doctor in sorted(ms.peak_week):
        peak, bound = ms.peak_week[doctor], ms.peak_week_bound.get(doctor)
        why = peak_note(peak, bound, doc.solver.status) if bound is not None else ""
        html.append(
            f"<tr><td>{doctor}</td><td align='center'>{peak}</td>"
            f"<td align='center'>{'–' if bound is None else bound}</td>"
            f"<td align='center'>{evenness(ms.monthly_cv.get(doctor, 0.0))}</td>"
            f"<td>{why}</td></tr>")
    html.append("</table>")
    return "".join(html)


def evenness(cv: float) -> str:
    """The monthly coefficient of variation in words (lower is more even)."""
    if cv <= 0.3:
        return "mycket jämn"
    if cv <= 0.6:
        return "jämn"
    if cv <= 0.9:
        return "ganska ojämn"
    return "ojämn"
