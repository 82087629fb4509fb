"""Broken rules → a Swedish reason and a concrete fix with numbers."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from solver.calendar import iso_week
from solver.check import Break, PlanContext
from solver.demand import Requirement
from solver.problem import Unit
from solver.result import Violation
from solver.rounds import Pool, pool_label, pool_of, rhythm_dates


def _d(day: date | None) -> str:
    return day.isoformat() if day else ""


def _pool_demand(ctx: PlanContext) -> Counter:
    demand: Counter = Counter()
    for req in ctx.demand.required:
        demand[pool_of(req.unit)] += 1
    return demand


def capacity_fix(ctx: PlanContext, pool: Pool | None, need: int) -> tuple[str, str] | None:
    """(message, fix) when the pool as a whole has too few places for ``need`` patients."""
    if pool is None:
        return None
    kind, name = pool.key
    days = len(pool.capacity)
    if kind == "unit":
        unit = ctx.problem.unit(name)
        if days == 0 and unit.reviews_per_round > 0:
            why = _closed_reasons(ctx, unit, ctx.cal.first, ctx.cal.last)
            return (
                f"{name}: inga rondtillfällen där ÅMV kan hållas under året ({why})",
                f"korta {unit.doctor}s frånvaro, ge {name} en annan läkare eller ändra rytmen",
            )
        if days == 0:
            return (
                f"{name}: inga rondtillfällen där ÅMV kan hållas under året",
                f"sätt 'ÅMV per rond' till minst 1 och 'ÅMV i rond' till Ja för {name}, "
                "eller ändra rytmen",
            )
        if pool.slots < need:
            per = math.ceil(need / days)
            return (
                f"{name}: {need} patienter men {days} rondtillfällen × "
                f"{unit.reviews_per_round} ÅMV per rond",
                f"höj ÅMV per rond till {per} för {name}",
            )
        return None
    doctor = ctx.problem.doctor(name)
    if not doctor.review_weekdays:
        return (
            f"{name} har inga ÅMV-dagar för enheter med separata ÅMV-tider",
            f"ange ÅMV-dagar för {name} (t.ex. onsdag)",
        )
    if days == 0:
        return (
            f"{name}: inga ÅMV-dagar kvar under året (helgdagar, semester, frånvaro)",
            f"lägg till en ÅMV-dag för {name}",
        )
    if pool.slots < need:
        per = math.ceil(need / days)
        return (
            f"{name}: {need} patienter med separata ÅMV-tider men {days} ÅMV-dagar × "
            f"{doctor.reviews_per_day} ÅMV per dag",
            f"höj ÅMV per dag till {per} för {name} eller lägg till en ÅMV-dag",
        )
    return None


def _closed_reasons(ctx: PlanContext, unit: Unit, start: date, end: date) -> str:
    """Why the pool's usual days inside [start, end] cannot hold an ÅMV."""
    if unit.reviews_at_rounds:
        usual = rhythm_dates(unit, start, end) if start <= end else []
    else:
        weekdays = set(ctx.problem.doctor(unit.doctor).review_weekdays)
        usual = [d for d in _days(start, end) if d.weekday() in weekdays]
    reasons: Counter[str] = Counter()
    for day in usual:
        reason = ctx.cal.closed_reason(day, unit.doctor) or ""
        if reason.startswith("helgdag"):
            reason = "helgdagar"
        elif reason.startswith("semestervecka"):
            reason = "semesterveckor"
        if reason:
            reasons[reason] += 1
    if not reasons:
        return ""
    absences = [
        a for a in ctx.problem.absences
        if a.doctor == unit.doctor and a.start <= end and a.end >= start
    ]
    parts = []
    for reason, n in reasons.most_common(4):
        if reason.endswith("är frånvarande") and absences:
            a = absences[0]
            reason = f"{unit.doctor} frånvarande {_d(a.start)}–{_d(a.end)}"
        parts.append(f"{reason} ({n} dagar)" if n > 1 else reason)
    return "; ".join(parts)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _window_free(ctx: PlanContext, req: Requirement, start: date, end: date) -> int:
    pool = ctx.pools.get(pool_of(req.unit))
    if pool is None:
        return 0
    return sum(cap for day, cap in pool.capacity.items() if start <= day <= end)


def _extra_time_fix(ctx: PlanContext, req: Requirement, full: bool) -> str:
    """An extra time before the window closes; when the window has places but they are all
    taken, one more ÅMV per round or day does it too."""
    end = req.window_end
    week = iso_week(end)[1]
    if req.unit.reviews_at_rounds:
        fix = f"boka en extra rond på {req.unit.name} senast vecka {week} ({_d(end)})"
        if full:
            fix += f" eller höj ÅMV per rond till {req.unit.reviews_per_round + 1}"
        return fix
    fix = f"boka en extra ÅMV-tid hos {req.doctor} senast vecka {week} ({_d(end)})"
    if full:
        per_day = ctx.problem.doctor(req.doctor).reviews_per_day
        fix += f" eller höj ÅMV per dag till {per_day + 1}"
    return fix


def explain_unplaced(ctx: PlanContext, req: Requirement) -> tuple[str, str]:
    """Reason and fix for a patient the plan could not place at all (R1)."""
    pool = ctx.pools.get(pool_of(req.unit))
    whole = capacity_fix(ctx, pool, _pool_demand(ctx)[pool_of(req.unit)])
    if whole:
        return whole
    free = _window_free(ctx, req, req.earliest, req.latest)
    if free == 0:
        why = _closed_reasons(ctx, req.unit, req.earliest, req.latest) or "inga tillåtna datum"
        return (f"inga tillåtna datum mellan {_d(req.earliest)} och {_d(req.latest)}: {why}",
                _extra_time_fix(ctx, req, full=False))
    return (f"alla {free} platser mellan {_d(req.earliest)} och {_d(req.latest)} är upptagna",
            _extra_time_fix(ctx, req, full=True))


def _explain_window(ctx: PlanContext, b: Break, req: Requirement) -> tuple[str, str]:
    p = req.patient.label
    if b.kind == "overdue":
        last = req.patient.last_review
        months = ctx.problem.settings.max_interval_months
        return (
            f"{p}: senaste ÅMV {_d(last)} – fristen på {months} månader gick ut före "
            f"planåret; ÅMV planerad {_d(b.day)}, så tidigt som möjligt",
            "kontrollera att senaste ÅMV är registrerad; är den inte gjord, genomför den "
            f"vid första möjliga tillfälle ({_d(b.day)})",
        )
    if b.kind == "early":
        last = req.patient.last_review
        return (
            f"{p}: ÅMV {_d(b.day)} ligger före fönstret {_d(req.window_start)}–"
            f"{_d(req.window_end)}" + (f" (senaste ÅMV {_d(last)})" if last else ""),
            f"flytta ÅMV till tidigast {_d(req.window_start)}",
        )
    what = (f"inom {ctx.problem.settings.new_patient_days} dagar efter inskrivning "
            f"{_d(req.patient.admitted)}" if req.rule == "R7" else
            f"senast {ctx.problem.settings.max_interval_months} månader efter senaste ÅMV "
            f"{_d(req.patient.last_review)}")
    free = _window_free(ctx, req, req.window_start, req.window_end)
    if free == 0:
        why = _closed_reasons(ctx, req.unit, req.window_start, req.window_end)
        because = f"inga tillåtna datum {_d(req.window_start)}–{_d(req.window_end)}"
        because += f" ({why})" if why else ""
    else:
        because = (f"alla {free} platser {_d(req.window_start)}–{_d(req.window_end)} "
                   "är upptagna")
    return (f"{p}: ÅMV {_d(b.day)} ska ligga {what}; {because}",
            _extra_time_fix(ctx, req, full=free > 0))


def _explain_day(ctx: PlanContext, b: Break) -> tuple[str, str]:
    day = _d(b.day)
    if b.kind == "not_working_day":
        return (f"ÅMV {day} på {b.detail}, inte en arbetsdag", "flytta ÅMV till en arbetsdag")
    if b.kind == "blocked":
        return (f"ÅMV {day} under {b.detail}", "flytta ÅMV till en vecka utanför semestern")
    if b.kind == "absent":
        absence = ctx.cal.absence(b.doctor, b.day) if b.day else None
        sub = f" (vikarie {absence.substitute})" if absence and absence.substitute else ""
        return (f"ÅMV {day}: {b.doctor} är frånvarande{sub}",
                f"flytta ÅMV till en dag då {b.doctor} är på plats")
    if b.kind == "no_round":
        return (f"ÅMV {day} är inte ett rondtillfälle på {b.unit}",
                f"flytta ÅMV till en rond på {b.unit}")
    if b.kind == "no_review_day":
        return (f"ÅMV {day} är inte en ÅMV-dag för {b.doctor}",
                f"flytta ÅMV till en av {b.doctor}s ÅMV-dagar")
    # over_capacity
    where = b.unit or pool_label(("doctor", b.doctor))
    if b.rule == "R5":
        fix = f"flytta {b.count} ÅMV till en annan rond eller höj ÅMV per rond för {where}"
    else:
        fix = f"flytta {b.count} ÅMV till en annan ÅMV-dag eller höj ÅMV per dag för {b.doctor}"
    return (f"{where} {day}: {b.detail}", fix)


def explain(ctx: PlanContext, breaks: Iterable[Break]) -> list[Violation]:
    """One Violation per break, in rule order."""
    out = []
    for b in sorted(breaks, key=lambda b: (b.rule, _d(b.day), b.unit, b.patient_id)):
        req = ctx.requirement(b.patient_id) if b.patient_id else None
        if b.kind == "unplaced" and req is not None:
            message, fix = explain_unplaced(ctx, req)
            message = f"{req.patient.label} ({req.unit.name}) fick ingen ÅMV: {message}"
        elif b.kind == "unplaced":
            message, fix = f"{b.patient_id} fick ingen ÅMV: {b.detail}", "kontrollera enheten"
        elif b.kind == "duplicate":
            message, fix = (f"{b.patient_id} har {b.count + 1} ÅMV under året",
                            "ta bort de extra ÅMV")
        elif b.rule in ("R7", "R8") and req is not None:
            message, fix = _explain_window(ctx, b, req)
        else:
            message, fix = _explain_day(ctx, b)
        out.append(Violation(rule=b.rule, message=message, fix=fix, unit=b.unit,
                             patient_id=b.patient_id, doctor=b.doctor))
    return out

