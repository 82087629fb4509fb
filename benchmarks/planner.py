"""Scenarios × methods → table, and the workbook benchmark: ``python -m benchmarks.planner
[--scenario NAME ...] [--family N] [--shapes N] [--tiers] [--json] [--time-limit S]``.

``--family N`` also runs the workbook benchmark (``benchmarks.planner_family``) on the chosen
named scenarios and on N members of the random family (``benchmarks.family``, seeds 1…N): per
workbook the seconds, status, stage times, tiers, agreement with the exact model on the
small member of the same seed, ``suggest`` time, one-doctor re-plan time, re-plan from
1 March (time, moved, moved in the freeze), and summary lines (median, max, how many
OPTIMAL, how many agree with the exact model). ``--shapes N`` adds N members of the shaped
family (``benchmarks.shapes``), summed up on a line of their own. Without ``--scenario``
the default is ``--family 30``; with ``--scenario`` it is 0 (only the methods table).
``--tiers`` prints the tiers of every doctor.

For each scenario (default all of ``solver.scenarios.SCENARIOS``) it runs CP-SAT
(``solver.solve.solve``) and both baselines and reports, per method, the required patients,
the broken hard rules (R2–R6), the window breaks (R7/R8), the weekly peak against its lower
bound, the mean monthly coefficient of variation, the wall time, the status and the peak
memory so far (this process and its finished children). Speed and scale are measured here,
never asserted in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any  # Any: JSON edge: the rows printed as JSON

from benchmarks.baselines import anniversary, birth_month
from benchmarks.planner_family import (
    format_region_rows,
    format_rows,
    format_summary,
    peak_memory_mb,
    run_family,
    run_regions,
    summary,
)
from solver.problem import Problem
from solver.result import PlanResult
from solver.scenarios import SCENARIOS
from solver.solve import solve

COLUMNS = (
    "scenario", "method", "patients", "hard_breaks", "window_breaks", "peak_ratio_max",
    "cv_mean", "wall_s", "status", "peak_mem_mb",
)


def _cpsat(problem: Problem) -> PlanResult:
    return solve(problem)


METHODS: dict[str, Callable[[Problem], PlanResult]] = {
    "cpsat": _cpsat,
    "anniversary": anniversary,
    "birth_month": birth_month,
}


def row(scenario: str, result: PlanResult, wall_s: float | None = None) -> dict[str, Any]:
    """One table row of a plan, figures read from ``PlanResult.measures``."""
    m = result.measures
    return {
        "scenario": scenario,
        "method": result.method,
        "patients": m.required,
        "hard_breaks": m.hard_break_count,
        "window_breaks": m.window_breaks,
        "peak_ratio_max": round(m.peak_ratio_max, 3),
        "cv_mean": round(m.cv_mean, 3),
        "wall_s": round(result.wall_s if wall_s is None else wall_s, 2),
        "status": result.status,
        "peak_mem_mb": peak_memory_mb(),
    }


def run(
    scenarios: Sequence[str],
    time_limit: float | None = None,
    methods: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    rows = []
    for name in scenarios:
        problem = SCENARIOS[name]()
        if time_limit is not None:
            settings = dataclasses.replace(problem.settings, time_limit_s=time_limit)
            problem = dataclasses.replace(problem, settings=settings)
        for method in methods or list(METHODS):
            if progress:
                progress(f"{name}: {method} …")
            started = time.perf_counter()
            result = METHODS[method](problem)
            elapsed = time.perf_counter() - started
            rows.append(row(name, result, result.wall_s or elapsed))
    return rows


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    cells = [[str(r[c]) for c in COLUMNS] for r in rows]
    widths = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(COLUMNS)]
    numeric = {i for i, c in enumerate(COLUMNS) if c not in ("scenario", "method", "status")}

    def fmt(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if i in numeric else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    lines = [fmt(COLUMNS), fmt(["-" * w for w in widths])]
    lines += [fmt(line) for line in cells]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.planner",
        description="Jämför CP-SAT med årsdagskopian och födelsemånaden på exempelscenarier.",
    )
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                        help="scenario att köra (kan upprepas; standard: alla)")
    parser.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    parser.add_argument("--time-limit", type=float, default=None, metavar="S",
                        help="tidsgräns för CP-SAT i sekunder (standard: inställningen)")
    parser.add_argument("--family", type=int, default=None, metavar="N",
                        help="kör också N slumpade kommuner (standard 30 utan --scenario)")
    parser.add_argument("--shapes", type=int, default=0, metavar="N",
                        help="kör också N kommuner med nya former (överfulla enheter, "
                        "planerade utskrivningar, frånvaro från årets början, senaste ÅMV "
                        "strax efter i dag)")
    parser.add_argument("--tiers", action="store_true", help="skriv nivåerna per läkare")
    parser.add_argument("--regions", type=int, default=0, metavar="N",
                        help="kör också N slumpade regioner (~110 läkare, ~10 000 patienter)")
    args = parser.parse_args(argv)
    scenarios = args.scenario or list(SCENARIOS)
    family = args.family if args.family is not None else (0 if args.scenario else 30)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rows = run(scenarios, args.time_limit, progress=None if args.json else progress)
    out: dict[str, Any] = {"rows": rows}
    if family > 0 or args.shapes > 0:
        named = [(name, SCENARIOS[name]()) for name in scenarios] if family > 0 else []
        workbooks = run_family(family, named, progress=progress, shapes=args.shapes)
        out["workbooks"] = workbooks
        out["summary"] = summary(workbooks)
        if args.shapes > 0:
            out["shapes_summary"] = summary(workbooks, "shaped-")
    if args.regions > 0:
        out["regions"] = run_regions(args.regions, progress=progress)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, default=str))
        return 0
    print(format_table(rows))
    if family > 0 or args.shapes > 0:
        print()
        print(format_rows(out["workbooks"]))
        print()
        print(format_summary(out["summary"]))
        if args.shapes > 0:
            print(format_summary(out["shapes_summary"]))
        if args.tiers:
            for wb in out["workbooks"]:
                for doctor, tiers in wb["tiers_per_doctor"].items():
                    print(f"{wb['workbook']}  {doctor}: " +
                          ", ".join(f"{k}={v}" for k, v in tiers.items()))
    if args.regions > 0:
        print()
        print(format_region_rows(out["regions"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
