"""The window fits a 1024-wide screen, and the year grid gets the larger share of Årsplan."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

TIMEOUT_MS = 60_000
NARROWEST = 1000  # a 1024-wide screen, with room for the window frame


def test_every_tab_fits_a_1024_wide_screen(qtbot, window):
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert window.minimumSizeHint().width() <= NARROWEST, window.tabs.tabText(index)
    window.resize(NARROWEST, 700)
    QApplication.processEvents()
    assert window.width() <= NARROWEST


def test_the_year_grid_gets_the_larger_share(qtbot, window):
    window.tabs.setCurrentWidget(window.plan_view)
    window.resize(1600, 980)
    QApplication.processEvents()
    grid, lower = window.plan_view.splitter.sizes()
    assert grid > lower
    assert grid >= 0.55 * (grid + lower)
