"""``plan --rebalance``: a re-plan of unchanged data moves no saved ÅMV; only the
coordinator's "Jämna ut hela året" lets evenness move them, and the preview lists each."""

from __future__ import annotations

import json

import pytest

from lakarrond.cli import main


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = str(tmp_path_factory.mktemp("db") / "demo.sqlite")
    assert main(["--db", path, "demo", "--year", "2027"]) == 0
    assert main(["--db", path, "plan", "--year", "2027", "--from", "2027-03-01"]) == 0
    return path


def _preview(path: str, capsys, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["--db", path, "plan", "--year", "2027", "--from", "2027-03-08",
                 "--preview", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_planning_unchanged_data_again_a_week_later_moves_nothing(demo_path, capsys):
    assert _preview(demo_path, capsys)["moves"] == []


def test_rebalance_moves_for_evenness_and_the_preview_lists_every_move(demo_path, capsys):
    moves = _preview(demo_path, capsys, "--rebalance")["moves"]
    assert sum(m["old"] != m["new"] for m in moves) >= 5  # new dates
    # every listed move changes the date or the clock time
    assert all((m["old"], m["old_time"]) != (m["new"], m["new_time"]) for m in moves)
