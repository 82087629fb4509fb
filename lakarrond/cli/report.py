"""The plan's measures as the command line prints them (Swedish)."""

from __future__ import annotations

from lakarrond.document import PlanDocument
from lakarrond.formatting import decimal, percent

SHOWN = 20  # unplaced patients and broken rules printed; the rest are in the export


def format_measures(doc: PlanDocument, stopped: bool = False) -> str:
    ms = doc.measures
    solver = doc.solver.to_json()
    lines = [
        f"Årsplan {doc.year}, version {doc.version} sparad.",
        f"  ÅMV planerade: {len(doc.reviews)}",
        f"  Täckning: {percent(ms.coverage)}",
        f"  Ej placerade: {len(doc.unplaced)}",
        f"  Brutna regler: {len(doc.violations)}",
        f"  Längsta intervall sedan senaste ÅMV: {decimal(ms.max_interval_months)} månader",
        f"  Flyttade ÅMV jämfört med förra versionen: {ms.moved}",
        "  Flest ÅMV en vecka per läkare (nedre gräns):",
    ]
    for doctor in sorted(ms.peak_week):
        bound = ms.peak_week_bound.get(doctor, "–")
        lines.append(f"    {doctor}: {ms.peak_week[doctor]} ({bound})")
    lines.append(
        f"  Lösare: {solver['status']}, mål {solver['objective']}, gräns {solver['bound']}, "
        f"{decimal(doc.solver.wall_s)} s"
    )
    if stopped:
        lines.append("  Beräkningen avbröts; planen är den bästa som hittades.")
    for u in doc.unplaced[:SHOWN]:
        lines.append(f"  Ej placerad: {u.patient} ({u.unit}): {u.reason}")
    for v in doc.violations[:SHOWN]:
        who = f"{v.patient} " if v.patient else ""
        lines.append(f"  {v.rule} {who}({v.unit}): {v.message} – {v.fix}")
    more = len(doc.unplaced) + len(doc.violations) - 2 * SHOWN
    if more > 0:
        lines.append(f"  … och {more} till (se exporten).")
    return "\n".join(lines)
