"""Saving a plan does not block the window (issue 17): the save and the document read after it
run on the job runner, not on the GUI thread; the window shows the old plan until the new
one arrives; a refused save is said in a dialog and nothing is shown as saved."""

from __future__ import annotations

import threading

from lakarrond.store import ConflictError
from lakarrond.ui.controllers import plan as plan_controller

TIMEOUT_MS = 60_000


def test_the_plan_is_saved_on_the_job_runner(qtbot, window, monkeypatch):
    threads: list[threading.Thread] = []
    shown_while_saving: list[object] = []
    real = plan_controller.save_and_read

    def spied(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_controller, "save_and_read", spied)
    window.ctx.jobs.finished.connect(
        lambda what, _result: shown_while_saving.append(window.ctx.document)
        if what == "plan" else None)
    assert window.ctx.document is None
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS) as blocker:
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    assert threads and threads[0] is not threading.main_thread()  # not the GUI thread
    assert shown_while_saving == [None]  # the old (no) plan until the saved one arrived
    assert window.ctx.document is not None
    assert window.ctx.document.version == blocker.args[0].version == 1
    assert window.plan.saving is None and not window.plan.running
    assert "version 1" in window.plan_label.text()


def test_a_refused_save_is_said_and_nothing_is_shown_as_saved(qtbot, window, monkeypatch):
    def refused(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise ConflictError("planen")

    monkeypatch.setattr(plan_controller, "save_and_read", refused)
    with qtbot.waitSignal(window.plan.plan_failed, timeout=TIMEOUT_MS) as blocker:
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    assert blocker.args[0] == "inte sparad"
    assert window.ctx.document is None and window.plan.last_saved is None
    assert window.ctx.last_message is not None
    assert "Traceback" not in window.ctx.last_message.text()
    assert not window.plan.running
    window.ctx.last_message.close()
