"""Broken rules → a Swedish reason, a concrete fix, the cause they share and, where the
program can carry it out, the fix as an action (``FixAction``).

Messages and fixes are plain Swedish with correct singular and plural; rule ids stay in
``Violation.rule`` and never appear in the text, nor do solver words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from solver.calendar import iso_week
from solver.check import Break, PlanContext
from solver.demand import Requirement
from solver.fixes import can_carry_out
from solver.problem import Absence, Unit, VisitStatus
from solver.result import FixAction, Violation
from solver.rounds import Pool, pool_label, pool_of, rhythm_dates, round_capacity


@dataclass(frozen=True)
class Why:
    message: str
    fix: str
    cause: str = ""
    action: FixAction | None = None


def _d(day: date | None) -> str:
    return day.isoformat() if day else ""


def plural(n: int, one: str, many: str) -> str:
    """``1 patient``, ``2 patienter``."""
    return f"{n} {one if n == 1 else many}"


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _absences(ctx: PlanContext, doctor: str, start: date, end: date) -> list[Absence]:
    return sorted((a for a in ctx.problem.absences
                   if a.doctor == doctor and a.blocks_reviews and a.start <= end
                   and a.end >= start), key=lambda a: a.start)


def _with_substitute(absences: list[Absence]) -> Absence | None:
    """The first absence whose substitute can hold the ÅMV (one that names a substitute)."""
    return next((a for a in absences if a.substitute.strip()), None)


def _extra_day(ctx: PlanContext, unit: Unit, start: date, end: date) -> date | None:
    """A working date with the doctor present in [start, end] that is not yet a place of
    the unit's pool: the unit's own weekday first, the earliest."""
    pool = ctx.pools.get(pool_of(unit))
    taken = set(pool.capacity) if pool else set()
    start = max(start, ctx.problem.settings.first_day)
    options = [d for d in _days(start, end) if d not in taken
               and ctx.cal.can_hold_review(d, unit.doctor)]
    own = [d for d in options if d.weekday() in unit.rhythm.weekdays]
    best = own or options
    return best[0] if best else None


def _per_round_fix(unit: Unit, per: int) -> tuple[str, FixAction | None]:
    """What to do for ``per`` ÅMV per round of ``unit``: raise "ÅMV per rond" (the program
    can try it), or – when the round's time does not hold ``per`` (R5b) – lengthen the round
    too (done in the unit form)."""
    need = per * unit.review_minutes + unit.other_minutes
    if need <= unit.length_min:
        return (f"höj ÅMV per rond till {per} för {unit.name}",
                FixAction("raise_reviews_per_round", unit=unit.name, value=per))
    raise_too = f"höj ÅMV per rond till {per} och " if per > unit.reviews_per_round else ""
    return (f"{raise_too}förläng ronden på {unit.name} till {need} min (nu {unit.length_min} "
            f"min; {unit.review_minutes} min per ÅMV, övrig tid {unit.other_minutes} min)",
            None)


def _new_review_day(ctx: PlanContext, doctor: str) -> int:
    """A weekday (0–4) to add as the doctor's ÅMV day: the one with most open days."""
    have = set(ctx.problem.doctor(doctor).review_weekdays)
    counts: Counter[int] = Counter(d.weekday() for d in ctx.cal.review_days(doctor))
    options = [w for w in range(5) if w not in have]
    return max(options, key=lambda w: (counts[w], -w)) if options else 0


def capacity_why(ctx: PlanContext, pool: Pool | None, need: int) -> Why | None:
    """Why the pool as a whole has too few places for ``need`` patients, or None."""
    if pool is None:
        return None
    kind, name = pool.key
    days = len(pool.capacity)
    if kind == "unit":
        unit = ctx.problem.unit(name)
        if days == 0 and unit.reviews_per_round > 0:
            why = _closed_reasons(ctx, unit, ctx.cal.first, ctx.cal.last)
            absences = _absences(ctx, unit.doctor, ctx.cal.first, ctx.cal.last)
            if absences:
                a = _with_substitute(absences) or absences[0]
                message = f"{name}: inga rondtillfällen där ÅMV kan hållas under året ({why})"
                if a.substitute:
                    return Why(message, f"låt vikarien hålla ÅMV under {unit.doctor}s "
                               f"frånvaro, ge {name} en annan läkare eller ändra rytmen",
                               f"absence:{unit.doctor}:{_d(a.start)}",
                               FixAction("substitute_reviews", doctor=unit.doctor, day=a.start))
                return Why(message, f"ange en vikarie som håller ÅMV under {unit.doctor}s "
                           f"frånvaro, ge {name} en annan läkare eller ändra rytmen",
                           f"absence:{unit.doctor}:{_d(a.start)}")
            return Why(f"{name}: inga rondtillfällen där ÅMV kan hållas under året ({why})",
                       f"ändra rytmen för {name} eller boka extra ronder",
                       f"capacity:unit:{name}")
        if days == 0:
            return Why(f"{name}: inga rondtillfällen där ÅMV kan hållas under året",
                       f"sätt 'ÅMV per rond' till minst 1 och 'ÅMV i rond' till Ja för {name}, "
                       "eller ändra rytmen", f"capacity:unit:{name}",
                       FixAction("raise_reviews_per_round", unit=name, value=1)
                       if unit.reviews_at_rounds else None)
        if pool.slots < need:
            per = math.ceil(need / days)
            fix, action = _per_round_fix(unit, per)
            held = round_capacity(unit)
            timed = "" if held == unit.reviews_per_round else " (det ronden har tid för)"
            return Why(f"{name}: {plural(need, 'patient', 'patienter')} men "
                       f"{plural(days, 'rondtillfälle', 'rondtillfällen')} × "
                       f"{held} ÅMV per rond{timed}", fix, f"capacity:unit:{name}", action)
        return None
    doctor = ctx.problem.doctor(name)
    if not doctor.review_weekdays:
        day = _new_review_day(ctx, name)
        if _named_patients(ctx, name):  # patients who keep the doctor: planned in its time
            return Why(f"{name} är namngiven läkare (fast läkarkontakt) för "
                       f"{plural(_named_patients(ctx, name), 'patient', 'patienter')} men har "
                       "inga ÅMV-dagar",
                       f"ge läkaren {name} ÅMV-dagar (t.ex. {_weekday(day)}) eller ta bort den "
                       "namngivna läkaren hos patienten",
                       f"capacity:doctor:{name}", FixAction("review_day", doctor=name, value=day))
        return Why(f"{name} har inga ÅMV-dagar för enheter med separata ÅMV-tider",
                   f"ange ÅMV-dagar för {name} (t.ex. {_weekday(day)})",
                   f"capacity:doctor:{name}", FixAction("review_day", doctor=name, value=day))
    if days == 0:
        day = _new_review_day(ctx, name)
        return Why(f"{name}: inga ÅMV-dagar kvar under året (helgdagar, semester, frånvaro)",
                   f"lägg till en ÅMV-dag för {name}", f"capacity:doctor:{name}",
                   FixAction("review_day", doctor=name, value=day))
    if pool.slots < need:
        per = math.ceil(need / days)
        return Why(f"{name}: {plural(need, 'patient', 'patienter')} med separata ÅMV-tider men "
                   f"{plural(days, 'ÅMV-dag', 'ÅMV-dagar')} × {doctor.reviews_per_day} ÅMV "
                   "per dag",
                   f"höj ÅMV per dag till {per} för {name} eller lägg till en ÅMV-dag",
                   f"capacity:doctor:{name}",
                   FixAction("raise_reviews_per_day", doctor=name, value=per))
    return None


def _named_patients(ctx: PlanContext, doctor: str) -> int:
    """Patients to plan who keep ``doctor`` as named doctor in another doctor's unit."""
    return sum(1 for r in ctx.demand.required
               if r.doctor == doctor and ctx.problem.unit(r.unit.name).doctor != doctor)


def _weekday(day: int) -> str:
    return ("måndag", "tisdag", "onsdag", "torsdag", "fredag")[day % 5]


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
        if day in unit.cancelled_dates and unit.reviews_at_rounds:
            reason = "inställd rond"
        if reason.startswith("helgdag"):
            reason = "helgdagar"
        elif reason.startswith("semestervecka"):
            reason = "semesterveckor"
        if reason:
            reasons[reason] += 1
    if not reasons:
        return ""
    absences = _absences(ctx, unit.doctor, start, end)
    parts = []
    for reason, n in reasons.most_common(4):
        if reason.endswith("är frånvarande") and absences:
            a = absences[0]
            reason = f"{unit.doctor} frånvarande {_d(a.start)}–{_d(a.end)}"
        parts.append(f"{reason} ({plural(n, 'dag', 'dagar')})" if n > 1 else reason)
    return "; ".join(parts)


def _free(ctx: PlanContext, req: Requirement, start: date, end: date) -> int:
    pool = ctx.pools.get(pool_of(req.unit))
    if pool is None:
        return 0
    return sum(cap for day, cap in pool.capacity.items() if start <= day <= end)


def _locks(ctx: PlanContext, req: Requirement, start: date, end: date) -> list[tuple[str, date]]:
    """Locked ÅMV that take places of the patient's pool in [start, end]."""
    key = pool_of(req.unit)
    out = []
    for pid, visit in sorted(ctx.demand.pinned.items()):
        other = ctx.requirements.get(pid)
        if (visit.status is VisitStatus.LOCKED and other is not None
                and pool_of(other.unit) == key and start <= visit.date <= end
                and pid != req.patient.id):
            out.append((pid, visit.date))
    return out


def _no_room_why(ctx: PlanContext, req: Requirement, start: date, end: date,
                 what: str) -> Why:
    """No place for the patient in [start, end]: closed days, locks, or full."""
    unit, kind = req.unit, pool_of(req.unit)[0]
    free = _free(ctx, req, start, end)
    period = f"{_d(start)}–{_d(end)}"
    if free == 0:
        why = _closed_reasons(ctx, unit, start, end)
        absences = _absences(ctx, unit.doctor, start, end)
        because = f"inga tillåtna datum {period}" + (f" ({why})" if why else "")
        a = _with_substitute(absences)
        if a is not None:
            return Why(f"{what}; {because}",
                       f"låt vikarien hålla ÅMV under {unit.doctor}s frånvaro från {_d(a.start)}",
                       f"absence:{unit.doctor}:{_d(a.start)}",
                       FixAction("substitute_reviews", doctor=unit.doctor, day=a.start))
        extra = (_extra_day(ctx, unit, start, end)
                 if kind == "unit" and unit.reviews_per_round > 0 else None)
        if extra is not None:
            return Why(f"{what}; {because}",
                       f"boka en extra rond på {unit.name} {_d(extra)} (vecka "
                       f"{iso_week(extra)[1]})", f"closed:unit:{unit.name}",
                       FixAction("extra_round", unit=unit.name, day=extra))
        if absences:
            a = absences[0]
            return Why(f"{what}; {because}",
                       f"ange en vikarie som håller ÅMV under {unit.doctor}s frånvaro från "
                       f"{_d(a.start)}, eller genomför ÅMV utanför planen",
                       f"absence:{unit.doctor}:{_d(a.start)}")
        return Why(f"{what}; {because}",
                   "ingen dag i perioden kan hålla ÅMV; ändra semesterveckorna eller spärren, "
                   "eller genomför ÅMV utanför planen", f"closed:{kind}:{pool_of(unit)[1]}")
    locks = _locks(ctx, req, start, end)
    if locks:
        pid, day = locks[0]
        who = plural(len(locks), "låst ÅMV", "låsta ÅMV")
        return Why(f"{what}; orsakas av låsta ÅMV: {who} tar platserna {period}",
                   f"lås upp ÅMV {_d(day)} ({ctx.requirements[pid].patient.label}) så att "
                   "platsen kan användas", f"lock:{kind}:{pool_of(unit)[1]}",
                   FixAction("unlock", patient_id=pid, day=day))
    full = f"alla {plural(free, 'plats', 'platser')} {period} är upptagna"
    if kind == "unit":
        per = round_capacity(unit) + 1
        extra = _extra_day(ctx, unit, start, end)
        fix, action = _per_round_fix(unit, per)
        if extra is not None:
            fix += f" eller boka en extra rond {_d(extra)}"
        return Why(f"{what}; {full}", fix, f"capacity:unit:{unit.name}", action)
    per_day = ctx.problem.doctor(req.doctor).reviews_per_day + 1
    return Why(f"{what}; {full}", f"höj ÅMV per dag till {per_day} för {req.doctor}",
               f"capacity:doctor:{req.doctor}",
               FixAction("raise_reviews_per_day", doctor=req.doctor, value=per_day))


def unplaced_why(ctx: PlanContext, req: Requirement) -> Why:
    """Reason, fix, cause and action for a patient the plan could not place at all."""
    pool = ctx.pools.get(pool_of(req.unit))
    whole = capacity_why(ctx, pool, ctx.pool_demand[pool_of(req.unit)])
    if whole:
        return whole
    return _no_room_why(ctx, req, req.earliest, req.latest, "ingen plats under året")


def explain_unplaced(ctx: PlanContext, req: Requirement) -> tuple[str, str]:
    """Reason and fix for a patient the plan could not place at all (R1)."""
    why = unplaced_why(ctx, req)
    return why.message, why.fix


def _window_why(ctx: PlanContext, b: Break, req: Requirement) -> Why:
    p, s = req.patient.label, ctx.problem.settings
    before = "planåret" if s.plan_from is None else "planeringsdatumet"
    if b.kind == "overdue":
        last = req.patient.last_review
        return Why(f"{p}: senaste ÅMV {_d(last)} – fristen på {s.max_interval_months} månader "
                   f"gick ut före {before}; ÅMV planerad {_d(b.day)}, så tidigt som möjligt",
                   "kontrollera att senaste ÅMV är registrerad; är den inte gjord, genomför "
                   f"den vid första möjliga tillfälle ({_d(b.day)})", "overdue_before_year")
    if b.kind == "early":
        last = req.patient.last_review
        msg = (f"{p}: ÅMV {_d(b.day)} ligger före fönstret {_d(req.window_start)}–"
               f"{_d(req.window_end)}" + (f" (senaste ÅMV {_d(last)})" if last else ""))
        if ctx.demand.pinned.get(req.patient.id) is not None:
            return Why(msg, f"flytta ÅMV till tidigast {_d(req.window_start)}",
                       f"lock:patient:{req.patient.id}",
                       FixAction("unlock", patient_id=req.patient.id, day=b.day))
        return Why(msg, f"flytta ÅMV till tidigast {_d(req.window_start)}",
                   f"early:{req.unit.name}")
    if req.overdue:
        what = (f"{p}: ÅMV {_d(b.day)} ligger mer än {s.new_patient_days} dagar efter första "
                f"möjliga datum {_d(req.earliest)}")
        if req.cancelled is not None:
            what += f" (inställd ÅMV {_d(req.cancelled)})"
    elif req.rule == "R7":
        what = (f"{p}: ÅMV {_d(b.day)} ska ligga inom {s.new_patient_days} dagar efter "
                f"inskrivning {_d(req.patient.admitted)}")
    else:
        what = (f"{p}: ÅMV {_d(b.day)} ska ligga senast {s.max_interval_months} månader efter "
                f"senaste ÅMV {_d(req.patient.last_review)}")
    return _no_room_why(ctx, req, req.window_start, req.window_end, what)


def _day_why(ctx: PlanContext, b: Break) -> Why:
    day = _d(b.day)
    pinned = ctx.demand.pinned.get(b.patient_id) if b.patient_id else None
    unlock = (FixAction("unlock", patient_id=b.patient_id, day=b.day)
              if pinned is not None and pinned.status is VisitStatus.LOCKED else None)
    cause = f"lock:patient:{b.patient_id}" if unlock else f"day:{b.kind}"
    if b.kind == "not_working_day":
        return Why(f"ÅMV {day} på {b.detail}, inte en arbetsdag",
                   "flytta ÅMV till en arbetsdag", cause, unlock)
    if b.kind == "blocked":
        return Why(f"ÅMV {day} under {b.detail}", "flytta ÅMV till en vecka utanför semestern",
                   cause, unlock)
    if b.kind == "absent":
        absence = ctx.cal.absence(b.doctor, b.day) if b.day else None
        sub = f" (vikarie {absence.substitute})" if absence and absence.substitute else ""
        if absence is not None and absence.substitute.strip():
            return Why(f"ÅMV {day}: {b.doctor} är frånvarande{sub}",
                       f"flytta ÅMV till en dag då {b.doctor} är på plats, eller låt vikarien "
                       "hålla ÅMV", f"absence:{b.doctor}:{_d(absence.start)}",
                       FixAction("substitute_reviews", doctor=b.doctor, day=absence.start))
        return Why(f"ÅMV {day}: {b.doctor} är frånvarande",
                   f"flytta ÅMV till en dag då {b.doctor} är på plats", cause, unlock)
    if b.kind == "no_round":
        return Why(f"ÅMV {day} är inte ett rondtillfälle på {b.unit}",
                   f"flytta ÅMV till en rond på {b.unit}", cause, unlock)
    if b.kind == "pinned_moved":
        return Why(f"Den fastlagda ÅMV {day} saknas i planen eller har flyttats",
                   f"lägg tillbaka ÅMV {day} eller lås upp den", f"lock:patient:{b.patient_id}",
                   FixAction("unlock", patient_id=b.patient_id, day=b.day))
    if b.kind == "preparation":
        return Why(f"Förberedelsen för ÅMV {day} står på {b.detail}",
                   "räkna om förberedelsedatumet", f"preparation:{b.patient_id}")
    if b.kind == "no_review_day":
        return Why(f"ÅMV {day} är inte en ÅMV-dag för {b.doctor}",
                   f"flytta ÅMV till en av {b.doctor}s ÅMV-dagar", cause, unlock)
    # over_capacity: only pinned ÅMV can crowd a place
    where = b.unit or pool_label(("doctor", b.doctor))
    locked = sorted(pid for pid, v in ctx.demand.pinned.items()
                    if v.date == b.day and v.status is VisitStatus.LOCKED
                    and pid in ctx.requirements
                    and pool_of(ctx.requirements[pid].unit) == (("unit", b.unit) if b.unit
                                                                else ("doctor", b.doctor)))
    many = plural(b.count, "ÅMV", "ÅMV")
    if locked:
        return Why(f"{where} {day}: {b.detail}; orsakas av låsta ÅMV",
                   f"lås upp {many} och låt planen flytta dem",
                   f"lock:{'unit' if b.unit else 'doctor'}:{b.unit or b.doctor}",
                   FixAction("unlock", patient_id=locked[-1], day=b.day))
    if b.rule == "R5":
        unit = ctx.problem.unit(b.unit)
        value = unit.reviews_per_round + b.count
        return Why(f"{where} {day}: {b.detail}",
                   f"flytta {many} till en annan rond eller höj ÅMV per rond för {where}",
                   f"capacity:unit:{b.unit}",
                   FixAction("raise_reviews_per_round", unit=b.unit, value=value))
    value = ctx.problem.doctor(b.doctor).reviews_per_day + b.count
    return Why(f"{where} {day}: {b.detail}",
               f"flytta {many} till en annan ÅMV-dag eller höj ÅMV per dag för {b.doctor}",
               f"capacity:doctor:{b.doctor}",
               FixAction("raise_reviews_per_day", doctor=b.doctor, value=value))


def explain(ctx: PlanContext, breaks: Iterable[Break]) -> list[Violation]:
    """One Violation per break, in rule order; a fix action only where it can be carried
    out (``solver.fixes.can_carry_out``)."""
    out = []
    offered: dict[FixAction, bool] = {}
    for b in sorted(breaks, key=lambda b: (b.rule, _d(b.day), b.unit, b.patient_id)):
        req = ctx.requirement(b.patient_id) if b.patient_id else None
        if b.kind == "unplaced" and req is not None:
            why = unplaced_why(ctx, req)
            why = Why(f"{req.patient.label} ({req.unit.name}) fick ingen ÅMV: {why.message}",
                      why.fix, why.cause, why.action)
        elif b.kind == "unplaced":
            why = Why(f"{b.patient_id} fick ingen ÅMV: {b.detail}", "kontrollera enheten",
                      f"unit:{b.unit}")
        elif b.kind == "duplicate":
            why = Why(f"{b.patient_id} har {b.count + 1} ÅMV under året",
                      "ta bort de extra ÅMV", f"duplicate:{b.patient_id}")
        elif b.rule in ("R7", "R8") and req is not None:
            why = _window_why(ctx, b, req)
        else:
            why = _day_why(ctx, b)
        action = why.action
        if action is not None and action not in offered:
            offered[action] = can_carry_out(ctx, action)
        out.append(Violation(rule=b.rule, message=why.message, fix=why.fix, unit=b.unit,
                             patient_id=b.patient_id, doctor=b.doctor, cause=why.cause,
                             action=action if action is not None and offered[action] else None))
    return out
