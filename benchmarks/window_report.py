"""The window benchmark's report: the Markdown table (action | municipality | region) of
what ``benchmarks.window.measure`` returns, and the machine it ran on."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any  # Any: JSON edge: the benchmark report

SCALES = ("municipality", "region")
ROOT = Path(__file__).resolve().parent.parent


ROWS = (  # (key, what the row says)
    ("startup_cold", "start-up of the program (new process) to an idle window"),
    ("startup", "start-up to an idle window (in the running process)"),
    ("week_next", "Veckan: next week"),
    ("week_pick_date", "Veckan: pick a date"),
    ("search_key", "Patienter: one keystroke in the search"),
    ("search_word", "Patienter: a 3-letter word typed"),
    ("tab *", "a tab switch (slowest tab)"),
    ("done", "Veckan: Genomförd on one ÅMV"),
    ("undo", "Ctrl+Z of it"),
    ("tick", "a tick of a preparation step (Alt+1)"),
    ("save_replan", '"Spara planen" after a re-plan'),
    ("planning", "planning (Planera, until the preview)"),
)


def _cell(result: dict[str, Any] | None, key: str) -> str:
    if result is None:
        return ""
    actions = result["actions"]
    if key == "tab *":
        tabs = {k: v for k, v in actions.items() if k.startswith("tab ")}
        if not tabs:
            return "–"
        name = max(tabs, key=lambda k: tabs[k]["median"])
        return f"{_entry(tabs[name])} ({name[4:]})"
    return _entry(actions[key]) if key in actions else "–"


def _entry(entry: dict[str, Any]) -> str:
    cpu = f", CPU {entry['cpu']:.2f}" if "cpu" in entry else ""  # not in the first reports
    return f"{entry['median']:.2f} s (block {entry['block']:.2f}{cpu})"


def markdown(results: dict[str, dict[str, Any]]) -> str:
    """One column per scale measured."""
    return table([(s, results[s]) for s in SCALES if s in results])


def compare(before: dict[str, Any], after: dict[str, Any] | None) -> str:
    """Two reports (``--json``) side by side: each scale before and after (empty when the
    after report is not there yet)."""
    return table([(f"{s} {when}", report["results"].get(s) if report else None)
                  for s in SCALES if s in before["results"]
                  for when, report in (("before", before), ("after", after))])


def table(columns: list[tuple[str, dict[str, Any] | None]]) -> str:
    def row(text: str, cell: Callable[[dict[str, Any]], str]) -> str:
        return f"| {text} | " + " | ".join(cell(r) if r else "" for _, r in columns) + " |"

    lines = [f"| action | {' | '.join(name for name, _ in columns)} |",
             "|---|" + "---|" * len(columns)]
    for key, text in ROWS:
        lines.append(row(text, partial(_cell, key=key)))
    tabs = sorted({k for _, r in columns if r for k in r["actions"] if k.startswith("tab ")})
    for key in tabs:
        lines.append(row(f"tab switch to {key[4:]}", partial(_cell, key=key)))
    for key in sorted({k for _, r in columns if r for k in r["actions"]
                       if k.startswith("changed_tab ")}):
        lines.append(row(f"{key[12:]} shown first after Genomförd",
                         partial(_cell, key=key)))
    lines.append(row("longest stall while planning", lambda r: (
        f"{r['actions']['planning']['block']:.2f} s" if "planning" in r["actions"] else "–")))
    lines.append(row("memory: after start-up / at the end / peak RSS", lambda r: (
        "{rss_after_start_mb:.0f} / {rss_mb:.0f} / {peak_rss_mb:.0f} MB".format(**r["memory"]))))
    lines.append(row("patients / doctors / ÅMV in the plan",
                     lambda r: f"{r['patients']} / {r['doctors']} / {r['reviews']}"))
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except OSError:
            return ""

    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": run("git", "rev-parse", "--short", "HEAD"),
            "uptime": run("uptime"), "cpus": os.cpu_count(),
            "platform": os.environ.get("QT_QPA_PLATFORM", "")}


if __name__ == "__main__":  # python -m benchmarks.window_report BEFORE.json [AFTER.json]
    import json
    import sys

    reports = [json.loads(Path(name).read_text(encoding="utf-8")) for name in sys.argv[1:3]]
    print(compare(reports[0], reports[1] if len(reports) > 1 else None))
