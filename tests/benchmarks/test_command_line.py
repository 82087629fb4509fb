"""The command-line benchmark runs and reports every figure (no time is asserted)."""

from __future__ import annotations

from benchmarks import command_line
from lakarrond.cli import main
from lakarrond.store import open_database
from tests.stores import fill_small_store

KEYS = {"runs", "help_s", "help_cpu_s", "suggest_s", "suggest_cpu_s", "import_cli_s",
        "import_suggest_s", "suggest_call_s"}


def test_the_command_line_benchmark_reports_every_figure(tmp_path, capsys):
    path = str(tmp_path / "liten.sqlite")
    db = open_database(path)
    fill_small_store(db)
    db.dispose()
    assert main(["--db", path, "plan", "--year", "2027"]) == 0
    capsys.readouterr()
    row = command_line.measure(path, "Astrid Holm", 2027, runs=1)
    assert set(row) == KEYS
    assert all(row[key] > 0 for key in KEYS - {"runs"})
