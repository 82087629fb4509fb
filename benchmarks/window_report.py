"""The window benchmark's report: the Markdown table (action | municipality | region) of
what ``benchmarks.window.measure`` returns, and the machine it ran on."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

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
    return f"{entry['median']:.2f} s (block {entry['block']:.2f}, CPU {entry['cpu']:.2f})"


def markdown(results: dict[str, dict[str, Any]]) -> str:
    scales = [s for s in SCALES if s in results]
    lines = [f"| action | {' | '.join(scales)} |", "|---|" + "---|" * len(scales)]
    for key, text in ROWS:
        lines.append(f"| {text} | {' | '.join(_cell(results[s], key) for s in scales)} |")
    tabs = sorted({k for s in scales for k in results[s]["actions"] if k.startswith("tab ")})
    for key in tabs:
        lines.append(f"| tab switch to {key[4:]} | "
                     f"{' | '.join(_cell(results[s], key) for s in scales)} |")
    lines.append("| longest stall while planning | " + " | ".join(
        f"{results[s]['actions']['planning']['block']:.2f} s"
        if "planning" in results[s]["actions"] else "–" for s in scales) + " |")
    lines.append("| memory: after start-up / at the end / peak RSS | " + " | ".join(
        "{rss_after_start_mb:.0f} / {rss_mb:.0f} / {peak_rss_mb:.0f} MB".format(
            **results[s]["memory"]) for s in scales) + " |")
    lines.append("| patients / doctors / ÅMV in the plan | " + " | ".join(
        f"{results[s]['patients']} / {results[s]['doctors']} / {results[s]['reviews']}"
        for s in scales) + " |")
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
