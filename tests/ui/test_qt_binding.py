"""The Qt binding in use does not lose references to None.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a Qt method
that returns nothing (``QLabel.setText``, ``QLineSeries.append`` …); after enough calls in a
long session Python aborts with "Fatal Python error: none_dealloc". pyproject.toml keeps
PySide6 below 6.12; this test fails if such a binding is installed again."""

from __future__ import annotations

import sys

from PySide6.QtCharts import QLineSeries
from PySide6.QtWidgets import QLabel


def test_calls_returning_nothing_keep_none_alive(qapp):
    before = sys.getrefcount(None)
    label, series = QLabel(), QLineSeries()
    for _ in range(2000):
        label.setText("x")
        series.append(1.0, 2.0)
    assert sys.getrefcount(None) - before > -100
