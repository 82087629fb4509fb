"""The plan's measures as the command line prints them (Swedish)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any  # Any: JSON edge: the preview the command prints

from lakarrond.formatting import count, decimal, percent

if TYPE_CHECKING:  # types only: "suggest" must not load the planner (OR-Tools) to print
    from lakarrond.document import PlanDocument
    from lakarrond.services.plan import PlanDraft
    from lakarrond.services.suggest import Suggestions
    from solver.suggest import Suggestion

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
        f"  Varningar om rondtid: {len(doc.warnings)}",
        f"  Längsta intervall sedan senaste ÅMV: {decimal(ms.max_interval_months)} månader",
        f"  Planerad från: {doc.first_day.isoformat()}",
        f"  Flyttade ÅMV jämfört med förra versionen: {doc.moved_since_previous}, varav "
        f"{len(doc.forced_moves)} inom frysperioden",
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
    for w in doc.warnings:
        lines.append(f"  Varning ({w.doctor}): {w.message}")
    lines.extend(f"  {line}" for line in below_floor_lines(doc))
    more = len(doc.unplaced) + len(doc.violations) - 2 * SHOWN
    if more > 0:
        lines.append(f"  … och {more} till (se exporten).")
    return "\n".join(lines)


def below_floor_lines(doc: PlanDocument) -> list[str]:
    """A line per unit whose doctor time is below the agreement's floor (issue 18)."""
    from lakarrond.agreement import below_floor_line

    floor = doc.settings.doctor_hours_per_10
    lines = (below_floor_line(unit, t, floor)
             for unit, t in sorted(doc.measures.doctor_time.items()))
    return [line for line in lines if line]


def format_moves(draft: PlanDraft) -> str:
    """The list "Flyttade – meddela": patients whose ÅMV date changes, old → new."""
    lines = [f"Flyttade – meddela ({count(len(draft.moves), 'patient', 'patienter')}):"]
    for mv in draft.moves:
        old = " ".join(x for x in (mv.old.isoformat(), mv.old_time) if x)
        new = " ".join(x for x in (mv.new.isoformat(), mv.new_time) if x) if mv.new \
            else "inget datum"
        why = f" – {mv.reason}" if mv.reason else ""
        lines.append(f"  {mv.patient} ({mv.unit}, {mv.doctor}): {old} → {new}{why}")
    return "\n".join(lines)


def format_preview(draft: PlanDraft) -> str:
    """What a re-plan would do (nothing is saved)."""
    m = draft.result.measures
    lines = [
        f"Förhandsvisning av årsplan {draft.year} från {draft.plan_from.isoformat()} "
        "(inget har sparats).",
        f"  ÅMV i planen: {len(draft.result.appointments)}, ej placerade: {m.unplaced}",
        f"  Skulle flyttas: {count(len(draft.moves), 'ÅMV', 'ÅMV')}, varav "
        f"{len(draft.forced)} inom frysperioden (kan inte hållas)",
    ]
    for doctor, n in draft.moved_per_doctor.items():
        lines.append(f"    {doctor}: {n}")
    for unit, n in draft.moved_per_unit.items():
        lines.append(f"    {unit}: {n}")
    if draft.moves:
        lines.append(format_moves(draft))
    lines.append(f"Spara med: lakarrond plan --year {draft.year} --from "
                 f"{draft.plan_from.isoformat()}")
    return "\n".join(lines)


def preview_json(draft: PlanDraft) -> dict[str, Any]:
    return {
        "year": draft.year,
        "from": draft.plan_from.isoformat(),
        "moved": len(draft.moves),
        "moved_in_freeze": len(draft.forced),
        "moved_per_doctor": draft.moved_per_doctor,
        "moved_per_unit": draft.moved_per_unit,
        "moves": [{"patient": mv.patient, "unit": mv.unit, "doctor": mv.doctor,
                   "old": mv.old.isoformat(), "new": mv.new.isoformat() if mv.new else None,
                   "reason": mv.reason, "old_time": mv.old_time, "new_time": mv.new_time}
                  for mv in draft.moves],
    }


def format_suggestions(found: Suggestions) -> str:
    first, last = found.result.window
    lines = [f"Förslag för {found.patient} ({found.unit}), fönster {first.isoformat()} – "
             f"{last.isoformat()}, från {found.plan_from.isoformat()}:"]
    for i, s in enumerate(found.result.suggestions, start=1):
        lines.append(f"  {i}. {s.date.isoformat()} (v. {s.week}): {s.reason}")
    return "\n".join(lines)


def format_booked(found: Suggestions, chosen: Suggestion) -> str:
    """What ``suggest --apply`` did: the booking, and the other ÅMV it moved (to tell)."""
    lines = [f"Bokad: ÅMV för {found.patient} den {chosen.date.isoformat()} (Planerad)."]
    if chosen.move is not None:
        mv = chosen.move
        lines += ["Flyttad – meddela:",
                  f"  {mv.patient} ({mv.unit}, {mv.doctor}): {mv.old.isoformat()} → "
                  f"{mv.new.isoformat()}, plats åt {found.patient}"]
    return "\n".join(lines)
