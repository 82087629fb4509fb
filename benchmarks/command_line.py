"""How fast the command line answers: ``python -m benchmarks.command_line [--runs N]
[--db PATH --patient NAME] [--year YEAR] [--json]``.

Whole process (``python -m lakarrond …`` started N times, the median wall and CPU time) for
``--help`` and for ``suggest --patient NAME``, beside the in-process figures: the import of
``lakarrond.cli`` and of what ``suggest`` loads, and the ``suggest_dates`` call itself.
Without ``--db`` it writes the demo municipality into a temporary folder, plans it and
takes its first patient. Each process runs with this interpreter, from this clone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any  # Any: JSON edge: the figures printed as JSON

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import sys, time
t0 = time.perf_counter()
import lakarrond.cli
t1 = time.perf_counter()
from lakarrond.services.suggest import suggest_dates
from lakarrond.store import open_database
t2 = time.perf_counter()
db = open_database(sys.argv[1])
t3 = time.perf_counter()
suggest_dates(db, sys.argv[2], int(sys.argv[3]))
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t4 - t3)
"""


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(args: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``python -m lakarrond ARGS`` process (it must exit 0)."""
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "lakarrond", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - cpu


def _median(args: Sequence[str], runs: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``runs`` processes (after one uncounted run,
    which fills the file cache)."""
    _run(args)
    walls, cpus = zip(*(_run(args) for _ in range(runs)), strict=True)
    return round(statistics.median(walls), 3), round(statistics.median(cpus), 3)


def demo_municipality(folder: Path, year: int) -> tuple[str, str]:
    """The demo municipality planned for ``year`` in ``folder``: (database path, a patient)."""
    db = str(folder / "kommun.sqlite")
    for args in (("demo", "--year", str(year)), ("plan", "--year", str(year))):
        subprocess.run([sys.executable, "-m", "lakarrond", "--db", db, *args], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import sqlite3

    with sqlite3.connect(db) as conn:
        (name,) = conn.execute("SELECT name FROM patient ORDER BY id LIMIT 1").fetchone()
    return db, str(name)


def measure(db: str, patient: str, year: int, runs: int) -> dict[str, Any]:
    probe = subprocess.run([sys.executable, "-c", PROBE, db, patient, str(year)], cwd=ROOT,
                           check=True, capture_output=True, text=True)
    import_cli, import_suggest, suggest_call = (float(x) for x in probe.stdout.split())
    help_s, help_cpu = _median(["--help"], runs)
    suggest_s, suggest_cpu = _median(["--db", db, "suggest", "--patient", patient,
                                      "--year", str(year)], runs)
    return {
        "runs": runs,
        "help_s": help_s,
        "help_cpu_s": help_cpu,
        "suggest_s": suggest_s,
        "suggest_cpu_s": suggest_cpu,
        "import_cli_s": round(import_cli, 3),
        "import_suggest_s": round(import_suggest, 3),
        "suggest_call_s": round(suggest_call, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.command_line")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db")
    parser.add_argument("--patient")
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("LAKARROND_TODAY", f"{args.year - 1}-12-01")
    with tempfile.TemporaryDirectory() as tmp:
        db, patient = ((args.db, args.patient) if args.db and args.patient
                       else demo_municipality(Path(tmp), args.year))
        row = measure(db, patient, args.year, args.runs)
    if args.json:
        print(json.dumps(row, indent=2))
    else:
        for key, value in row.items():
            print(f"{key:18} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
