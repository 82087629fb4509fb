"""The window benchmark (benchmarks/window.py, issue 17 point 4) runs end to end on a tiny
generated municipality: every action gives a number and the JSON report has every key. No
timing is asserted (the figures are in docs/window_benchmark.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed
from benchmarks import window as bench
from benchmarks import window_report as report

SEED, SIZE = 101, 0.15
ACTIONS = {"startup_cold", "startup", "week_next", "week_pick_date", "search_key",
           "search_word", "done", "undo", "tick", "planning", "save_replan",
           "changed_tab Patienter", "changed_tab Årsplan"}
TABS = {"tab Veckan", "tab Enheter", "tab Patienter", "tab Läkare", "tab Årsplan",
        "tab Rondschema"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):  # type: ignore[no-untyped-def]
    cache = tmp_path_factory.mktemp("cache")
    return cache, bench.build_store(cache, "municipality", SEED, SIZE, plan_limit=5.0)


def test_every_action_of_a_tiny_municipality_gives_a_number(store, qapp):  # type: ignore[no-untyped-def]
    _cache, path = store
    result = bench.measure(path, repeat=1, plan_limit=5.0, profile=frozenset({"tick"}))
    actions = result["actions"]
    assert set(actions) == ACTIONS | TABS
    for name, entry in actions.items():
        assert len(entry["samples"]) == len(entry["blocks"]) == len(entry["cpus"]) == 1, name
        assert entry["cpu"] >= 0, name
        assert entry["median"] >= entry["block"] >= 0, name
    memory = result["memory"]
    assert memory["peak_rss_mb"] >= memory["rss_mb"] > 0
    assert memory["peak_rss_mb"] >= memory["rss_after_start_mb"] > 0
    assert result["patients"] > 0 and result["doctors"] > 0 and result["reviews"] > 0
    assert set(result["profiles"]) == {"tick"}
    assert "cumulative" in result["profiles"]["tick"]
    table = bench.markdown({"municipality": result})
    assert "–" not in table  # no row without a figure


def test_the_json_report_has_every_key(store, capsys):  # type: ignore[no-untyped-def]
    cache, _path = store
    assert bench.main(["--only", "municipality", "--seed", str(SEED), "--size", str(SIZE),
                       "--repeat", "1", "--plan-limit", "5", "--cache", str(cache),
                       "--offscreen", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"machine", "seed", "repeat", "results"}
    assert set(report["machine"]) == {"date", "commit", "uptime", "cpus", "platform"}
    result = report["results"]["municipality"]
    assert set(result) == {"actions", "memory", "patients", "doctors", "reviews"}
    assert set(result["actions"]) == ACTIONS | TABS
    assert all(set(e) == {"median", "block", "cpu", "samples", "blocks", "cpus"}
               for e in result["actions"].values())


def test_a_missing_control_is_named(store, qapp):  # type: ignore[no-untyped-def]
    _cache, path = store
    driver = bench.Driver(path, repeat=1, plan_limit=5.0)
    driver.window = object()
    with pytest.raises(bench.BenchmarkError, match=r"no 'week_view\.next_button'"):
        driver.need("week_view.next_button")
    driver.window = None
    driver.ticks.timer.stop()


def _report(seconds: float) -> dict:  # type: ignore[type-arg]
    entry = {"median": seconds, "block": seconds, "cpu": seconds}
    result = {"actions": {"done": entry, "planning": entry}, "patients": 9, "doctors": 2,
              "reviews": 8, "memory": {"rss_after_start_mb": 1, "rss_mb": 2, "peak_rss_mb": 3}}
    return {"results": {"municipality": result}}


def test_the_after_column_stands_beside_the_before_column():
    table = report.compare(_report(0.65), _report(0.12)).splitlines()
    assert table[0] == "| action | municipality before | municipality after |"
    done = next(line for line in table if line.startswith("| Veckan: Genomförd"))
    assert done == ("| Veckan: Genomförd on one ÅMV | 0.65 s (block 0.65, CPU 0.65) | "
                    "0.12 s (block 0.12, CPU 0.12) |")


def test_before_alone_leaves_the_after_column_empty():
    table = report.compare(_report(0.65), None).splitlines()
    done = next(line for line in table if line.startswith("| Veckan: Genomförd"))
    assert done == "| Veckan: Genomförd on one ÅMV | 0.65 s (block 0.65, CPU 0.65) |  |"
