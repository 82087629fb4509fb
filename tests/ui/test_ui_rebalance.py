"""Årsplan's "Jämna ut hela året": the coordinator's choice reaches the planner (a re-plan
otherwise moves a saved ÅMV only for a patient or a changed input)."""

from __future__ import annotations

from lakarrond.ui.controllers import plan as plan_controller

TIMEOUT_MS = 60_000


def _plan_with_box(qtbot, window, monkeypatch, checked: bool) -> dict:  # type: ignore[no-untyped-def]
    seen: dict = {}
    real = plan_controller.make_plan

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_controller, "make_plan", spy)
    box = window.plan_view.rebalance_box
    assert box.text() == "Jämna ut hela året" and not box.isChecked()
    box.setChecked(checked)
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0)
    return seen


def test_the_box_asks_the_planner_to_rebalance(qtbot, window, monkeypatch):
    assert _plan_with_box(qtbot, window, monkeypatch, True)["rebalance"] is True


def test_without_the_box_the_saved_plan_is_kept(qtbot, window, monkeypatch):
    assert _plan_with_box(qtbot, window, monkeypatch, False)["rebalance"] is False
