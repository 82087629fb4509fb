"""The benchmark's workbook row: every column filled, the table printable."""

from __future__ import annotations

from benchmarks.family import random_municipality
from benchmarks.planner_family import FAMILY_COLUMNS, format_rows, measure


def test_a_workbook_row_has_every_column_and_prints():
    row = measure("random-18", random_municipality(18, size=0.2), None)
    assert set(FAMILY_COLUMNS) <= set(row)
    assert row["status"] == "OPTIMAL" and row["from_status"] == "OPTIMAL"
    assert row["replan1_s"] >= 0 and row["exact"] == "-"
    lines = format_rows([row]).splitlines()
    assert lines[0].split() == list(FAMILY_COLUMNS) and lines[2].startswith("random-18")
