"""The workbook benchmark behind ``python -m benchmarks.planner --family N``.

For each workbook (a named scenario or a member of the random family) it measures the full
plan (seconds, status, stage times summed over the doctors, the tiers summed and per doctor),
``suggest`` for one patient (warm), a one-doctor re-plan (one doctor gets a new absence, the
others are reused by fingerprint) and a re-plan from 1 March with the freeze (the full plan as
the previous plan), with its moved and moved-in-freeze counts, and that plan planned again
unchanged a week later (``again_moved``: saved ÅMV moved, 0 unless a patient tier gains). A
small member of the family (``size`` ``EXACT_SIZE``, same seed) is solved doctor by doctor and
compared tier by tier with the independent exact model (``solver.exact``). ``shapes`` adds
members of the shaped family (``benchmarks.shapes``: over-full units, planned discharges,
absences from the first day, a last ÅMV just after today), named ``shaped-<seed>``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any  # Any: JSON edge: the rows printed as JSON

from benchmarks.family import random_municipality, random_region
from benchmarks.shapes import shaped_municipality
from solver.check import PlanContext
from solver.exact import exact_tiers
from solver.problem import Absence, PinnedVisit, PreviousVisit, Problem, VisitStatus
from solver.result import PlanResult
from solver.solve import solve
from solver.stages import solve_doctor
from solver.subproblem import TIER_NAMES, split_by_doctor
from solver.suggest import NoDateLeft, suggest

EXACT_SIZE = 0.1
FAMILY_COLUMNS = (
    "workbook", "doctors", "patients", "seconds", "cpu_s", "status", "flow_s", "model_s",
    "spread_s", "close_s", "moved_s", "unplaced", "broken", "late_od", "days_late", "peak", "exact",
    "suggest_s", "replan1_s", "replan1_cpu", "from_s", "from_status", "moved", "in_freeze",
    "again_moved",
)
Builder = Callable[..., Problem]  # (seed, size=…) -> a member of a family


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and its finished children: on a shared
    machine a steadier measure than the wall clock."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _sum_tiers(result: PlanResult) -> list[int]:
    total = [0] * len(TIER_NAMES)
    for s in result.solves:
        for i, v in enumerate(s.tiers):
            total[i] += v
    return total


def _stage_seconds(result: PlanResult) -> dict[str, float]:
    out: dict[str, float] = {"flow": 0.0, "model": 0.0, "spread": 0.0, "closeness": 0.0,
                             "moved": 0.0}
    for s in result.solves:
        for name, sec in s.stage_times:
            out[name] = out.get(name, 0.0) + sec
    return out


def _previous(result: PlanResult) -> tuple[PreviousVisit, ...]:
    return tuple(PreviousVisit(a.patient_id, a.date, a.unit) for a in result.appointments
                 if a.status is VisitStatus.PLANNED)


def exact_agreement(seed: int, build: Builder = random_municipality) -> tuple[int, int]:
    """(doctors equal to the exact model tier by tier, doctors checked) on the small member
    of the family with this seed."""
    p = build(seed, size=EXACT_SIZE)
    agree = checked = 0
    for sub in split_by_doctor(PlanContext.of(p)):
        if not sub.requirements:
            continue
        _, solved = solve_doctor(sub, 10.0)
        checked += 1
        try:
            exact = exact_tiers(sub, 30.0)
        except RuntimeError:  # no plan found within the limit: not proven, not equal
            continue
        agree += exact.proven and exact.tiers == solved.tiers
    return agree, checked


def replan_one_doctor(problem: Problem, full: PlanResult) -> tuple[float, float]:
    """Wall and CPU seconds of a re-plan after the first busy doctor gets a new absence
    (6–17 September), the other doctors reused by fingerprint; NaN without a busy doctor."""
    busy = sorted(s.doctor for s in full.solves if s.status != "EMPTY")
    if not busy:
        return float("nan"), float("nan")
    away = Absence(busy[0], date(problem.year, 9, 6), date(problem.year, 9, 17), "Kurs")
    changed = dataclasses.replace(problem, previous=_previous(full),
                                  absences=(*problem.absences, away))
    prints = {s.doctor: s.fingerprint for s in full.solves}
    t, c = time.perf_counter(), cpu_seconds()
    solve(changed, reuse=prints)
    return time.perf_counter() - t, cpu_seconds() - c


def history_and_previous(problem: Problem, result: PlanResult, day: date) -> Problem:
    """``problem`` planned again from ``day`` against ``result``, as the application passes
    it: the ÅMV before ``day`` are history (pinned, here as held), the rest is the previous
    plan."""
    settings = dataclasses.replace(problem.settings, plan_from=day)
    history = tuple(PinnedVisit(a.patient_id, a.date, VisitStatus.DONE)
                    for a in result.appointments if a.date < day)
    return dataclasses.replace(
        problem, settings=settings, pinned=(*problem.pinned, *history),
        previous=tuple(v for v in _previous(result) if v.date >= day))


def measure(name: str, problem: Problem, seed: int | None,
            build: Builder = random_municipality) -> dict[str, Any]:
    """One workbook's row (see the module docstring)."""
    started, cpu = time.perf_counter(), cpu_seconds()
    full = solve(problem)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    stages = _stage_seconds(full)
    tiers = _sum_tiers(full)
    ctx = PlanContext.of(problem)
    suggest_s = float("nan")
    planned = [a for a in full.appointments if a.status is VisitStatus.PLANNED]
    if planned:
        pid = planned[len(planned) // 2].patient_id
        with contextlib.suppress(NoDateLeft):
            suggest(problem, full.appointments, pid, ctx=ctx)  # warm: caches filled
        t = time.perf_counter()
        with contextlib.suppress(NoDateLeft):
            suggest(problem, full.appointments, pid)
        suggest_s = time.perf_counter() - t
    replan1, replan1_cpu = replan_one_doctor(problem, full)
    # as the application passes it: the ÅMV before the planning date are history (pinned,
    # here as held), the rest is the previous plan
    # (a member planned from a later date is planned again from that date)
    march = max(date(problem.year, 3, 1), problem.settings.first_day)
    from_march = history_and_previous(problem, full, march)
    t = time.perf_counter()
    again = solve(from_march)
    from_s = time.perf_counter() - t
    # nothing changed, a week later: a saved ÅMV moves only where a patient tier gains
    week_later = solve(history_and_previous(problem, again, march + timedelta(days=7)))
    agree = exact_agreement(seed, build) if seed is not None else None
    peaks = [f"{full.measures.peak_week[d]}/{full.measures.peak_week_bound[d]}"
             for d in sorted(full.measures.peak_week)]
    return {
        "workbook": name,
        "doctors": len(problem.doctors),
        "patients": full.measures.required,
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 2),
        "status": full.status,
        "flow_s": round(stages["flow"], 2),
        "model_s": round(stages["model"], 2),
        "spread_s": round(stages["spread"], 2),
        "close_s": round(stages["closeness"], 2),
        "moved_s": round(stages["moved"], 2),
        "unplaced": tiers[0],
        "broken": tiers[1],
        "late_od": tiers[2],
        "days_late": tiers[3],
        "peak": max(peaks, key=lambda s: int(s.split("/")[0]) / max(1, int(s.split("/")[1])),
                    default="-"),
        "exact": f"{agree[0]}/{agree[1]}" if agree else "-",
        "suggest_s": round(suggest_s, 3),
        "replan1_s": round(replan1, 2),
        "replan1_cpu": round(replan1_cpu, 2),
        "from_s": round(from_s, 2),
        "from_status": again.status,
        "moved": again.measures.moved,
        "in_freeze": again.measures.moved_in_freeze,
        "again_moved": week_later.measures.moved,
        "tiers_per_doctor": {s.doctor: dict(zip(TIER_NAMES, s.tiers, strict=True))
                             for s in full.solves},
        "stage_seconds": {k: round(v, 3) for k, v in stages.items()},
    }


def run_family(count: int, named: Sequence[tuple[str, Problem]] = (),
               progress: Callable[[str], None] | None = None,
               shapes: int = 0) -> list[dict[str, Any]]:
    rows = []
    for name, problem in named:
        if progress:
            progress(f"{name} …")
        rows.append(measure(name, problem, None))
    for seed in range(1, count + 1):
        if progress:
            progress(f"random-{seed} …")
        rows.append(measure(f"random-{seed}", random_municipality(seed), seed))
    for seed in range(1, shapes + 1):
        if progress:
            progress(f"shaped-{seed} …")
        rows.append(measure(f"shaped-{seed}", shaped_municipality(seed), seed,
                            shaped_municipality))
    return rows


REGION_COLUMNS = (
    "workbook", "doctors", "patients", "seconds", "cpu_s", "status", "optimal_doctors",
    "unplaced", "broken", "late_od", "days_late", "again_s", "identical", "replan1_s",
    "peak_mem_mb",
)


def peak_memory_mb() -> float:
    """Peak resident memory of this process plus its (waited-for) children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    kb = (own + children) / (1024 if sys.platform == "darwin" else 1)  # macOS: bytes
    return round(kb / 1024, 1)


def measure_region(seed: int) -> dict[str, Any]:
    """One random region (``benchmarks.family.random_region``): the full plan, the same plan
    again (must be identical), and a one-doctor re-plan with the others reused."""
    problem = random_region(seed)
    started, cpu = time.perf_counter(), cpu_seconds()
    full = solve(problem)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    t = time.perf_counter()
    again = solve(problem)
    again_s = time.perf_counter() - t
    tiers = _sum_tiers(full)
    replan1, _cpu = replan_one_doctor(problem, full)
    return {
        "workbook": f"region-{seed}",
        "doctors": len(problem.doctors),
        "patients": full.measures.required,
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 2),
        "status": full.status,
        "optimal_doctors": f"{sum(s.status in ('OPTIMAL', 'EMPTY') for s in full.solves)}"
                           f"/{len(full.solves)}",
        "unplaced": tiers[0],
        "broken": tiers[1],
        "late_od": tiers[2],
        "days_late": tiers[3],
        "again_s": round(again_s, 2),
        "identical": repr(full.appointments) == repr(again.appointments),
        "replan1_s": round(replan1, 2),
        "peak_mem_mb": peak_memory_mb(),
    }


def run_regions(count: int, progress: Callable[[str], None] | None = None
                ) -> list[dict[str, Any]]:
    rows = []
    for seed in range(1, count + 1):
        if progress:
            progress(f"region-{seed} …")
        rows.append(measure_region(seed))
    return rows


def format_region_rows(rows: Sequence[dict[str, Any]]) -> str:
    return format_rows(rows, REGION_COLUMNS)


def summary(rows: Sequence[dict[str, Any]], prefix: str = "random-") -> dict[str, Any]:
    family = [r for r in rows if r["workbook"].startswith(prefix)] or list(rows)
    secs = [r["seconds"] for r in family]
    cpus = [r["cpu_s"] for r in family]
    agree = [r["exact"] for r in family if r["exact"] != "-"]
    agreed = sum(int(a.split("/")[0]) for a in agree)
    checked = sum(int(a.split("/")[1]) for a in agree)
    return {
        "workbooks": len(family),
        "median_s": round(statistics.median(secs), 2) if secs else 0.0,
        "max_s": max(secs, default=0.0),
        "median_cpu_s": round(statistics.median(cpus), 2) if cpus else 0.0,
        "max_cpu_s": max(cpus, default=0.0),
        "optimal": sum(r["status"] == "OPTIMAL" for r in family),
        "exact_agree": f"{agreed}/{checked}",
        "exact_workbooks_all_agree": sum(a.split("/")[0] == a.split("/")[1] for a in agree),
        "median_replan1_s": round(statistics.median(r["replan1_s"] for r in family), 2)
        if family else 0.0,
        "max_replan1_s": max((r["replan1_s"] for r in family), default=0.0),
        "max_replan1_cpu": max((r["replan1_cpu"] for r in family), default=0.0),
        "median_suggest_s": round(statistics.median(r["suggest_s"] for r in family), 3)
        if family else 0.0,
        "median_from_s": round(statistics.median(r["from_s"] for r in family), 2)
        if family else 0.0,
        "again_moved": sum(r["again_moved"] for r in family),
    }


def format_rows(rows: Sequence[dict[str, Any]],
                columns: Sequence[str] = FAMILY_COLUMNS) -> str:
    cells = [[str(r[c]) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
             for line in [list(columns), ["-" * w for w in widths], *cells]]
    return "\n".join(lines)


def format_summary(s: dict[str, Any]) -> str:
    return (f"{s['workbooks']} arbetsböcker: median {s['median_s']} s, max {s['max_s']} s "
            f"(cpu median {s['median_cpu_s']} s, max {s['max_cpu_s']} s), "
            f"{s['optimal']} OPTIMAL; exakt modell lika per läkare {s['exact_agree']} "
            f"({s['exact_workbooks_all_agree']} arbetsböcker helt lika); omplanering av en "
            f"läkare median {s['median_replan1_s']} s (max {s['max_replan1_s']} s, cpu max "
            f"{s['max_replan1_cpu']} s); suggest "
            f"median {s['median_suggest_s']} s; omplanering från 1 mars median "
            f"{s['median_from_s']} s; samma data en vecka senare: {s['again_moved']} flyttade")
