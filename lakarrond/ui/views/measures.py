"""The plan's measures as a small Swedish HTML report (the Mått tab)."""

from __future__ import annotations

from lakarrond.document import PlanDocument
from lakarrond.formatting import decimal, percent

RULE_NAMES = {
    "R1": "en ÅMV per patient", "R2": "arbetsdag", "R3": "inte semesterveckor",
    "R4": "läkaren på plats", "R5": "rondtillfälle och plats i ronden",
    "R6": "läkarens ÅMV-tider", "R7": "ny patient inom 28 dagar",
    "R8": "6–12 månader sedan senaste ÅMV",
}  # fmt: skip


def measures_html(doc: PlanDocument) -> str:
    """The plan's measures as a small HTML report (Swedish)."""
    ms = doc.measures
    solver = doc.solver.to_json()
    required = ms.required or len(doc.reviews)
    planned = ms.planned or len(doc.reviews)
    rows = [
        ("Täckning", f"{percent(ms.coverage)} ({planned} av {required} patienter)"),
        ("Ej placerade", str(len(doc.unplaced))),
        ("Brutna regler", str(len(doc.violations))),
        ("Längsta intervall sedan senaste ÅMV", f"{decimal(ms.max_interval_months)} månader"),
        ("Över 12 månader", str(ms.over_max_interval)),
        ("Flyttade ÅMV mot förra versionen", str(doc.moved_since_previous)),
        ("Lösare", f"{solver['status']}, mål {solver['objective']}, gräns {solver['bound']}, "
                   f"{decimal(doc.solver.wall_s)} s"),
    ]
    html = ["<h3>Mått för planen</h3><table cellspacing='4'>"]
    html += [f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows]
    html.append("</table>")
    breaks = ms.breaks_by_rule
    if breaks:
        html.append("<h4>Brutna regler per regel</h4><ul>")
        html += [f"<li>{rule} ({RULE_NAMES.get(rule, '')}): {n}</li>"
                 for rule, n in sorted(breaks.items()) if n]
        html.append("</ul>")
    html.append("<h4>Jämn fördelning per läkare</h4><table cellspacing='4'>"
                "<tr><th align='left'>Läkare</th><th>Toppvecka</th><th>Nedre gräns</th>"
                "<th>Månads-CV</th></tr>")
    for doctor in sorted(ms.peak_week):
        html.append(
            f"<tr><td>{doctor}</td><td align='center'>{ms.peak_week[doctor]}</td>"
            f"<td align='center'>{ms.peak_week_bound.get(doctor, '–')}</td>"
            f"<td align='center'>{decimal(ms.monthly_cv.get(doctor, 0.0), 2)}</td></tr>")
    html.append("</table>")
    return "".join(html)
