"""The warning under "Med personnummer" in the Export dialog is shown whole, never clipped."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from lakarrond.ui.dialogs.export import ExportDialog

TIMEOUT_MS = 60_000


def _whole(label) -> bool:  # type: ignore[no-untyped-def]
    needed = label.heightForWidth(label.width())
    inside = label.parentWidget().rect().contains(label.geometry())
    return label.isVisible() and label.height() >= needed and inside


def test_the_personnummer_warning_is_shown_whole(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    dialog = ExportDialog(window.ctx.document, ".xlsx", tmp_path, window)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    assert not dialog.warning.isVisible()
    dialog.with_numbers.click()
    QApplication.processEvents()
    assert _whole(dialog.warning)
    for width in (420, 900):  # narrower or wider: still whole
        dialog.resize(width, dialog.height())
        QApplication.processEvents()
        assert _whole(dialog.warning), width
    dialog.without_numbers.click()
    QApplication.processEvents()
    assert not dialog.warning.isVisible()
    dialog.close()
