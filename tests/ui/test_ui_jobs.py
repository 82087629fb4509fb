"""One job runner: each job's result reaches its own callbacks once (a failed import, then a
plan → one summary); a bug in a job is logged (no personnummer) and shown in a crash dialog
with "Kopiera felrapport", never as a traceback."""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication

from lakarrond import crashlog
from lakarrond.ui import crash

TIMEOUT_MS = 60_000


def test_a_failed_import_then_a_plan_gives_one_summary(qtbot, window, tmp_path):
    bad = tmp_path / "trasig.xlsx"
    bad.write_text("inte en arbetsbok")
    infos: list[str] = []
    window.ctx.show_info = lambda message, title="": infos.append(title)  # type: ignore[method-assign]
    with qtbot.waitSignal(window.ctx.jobs.failed, timeout=TIMEOUT_MS):
        window.files.import_file(bad)
    window.ctx.last_message.close()
    finished: list[str] = []
    window.ctx.jobs.finished.connect(lambda what, _result: finished.append(what))
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    assert finished == ["plan", "save plan"]  # the plan's own result, once, then its save
    assert infos == []  # no import summary popped up for the plan


def test_a_bug_in_a_job_is_logged_and_shown_as_a_crash_dialog(qtbot, window, tmp_path,
                                                               monkeypatch):
    monkeypatch.setenv(crashlog.LOG_DIR_ENV, str(tmp_path / "loggar"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    monkeypatch.setattr(crash, "_reporter", None)  # and no crash dialogs in later tests
    crash.install()

    def broken() -> None:
        raise RuntimeError("trasig beräkning för 19380412-1238")

    errors: list[str] = []
    with qtbot.waitSignal(window.ctx.jobs.failed, timeout=TIMEOUT_MS):
        window.ctx.run("test", broken, on_error=errors.append)
    assert errors and "oväntat fel" in errors[0] and "Traceback" not in errors[0]
    logs = list((tmp_path / "loggar").glob("fel-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "RuntimeError" in text and "19380412-****" in text and "1238" not in text
    assert oct(logs[0].stat().st_mode & 0o777) == "0o600"
    qtbot.waitUntil(lambda: crash._reporter is not None and crash._reporter.last is not None,
                    timeout=TIMEOUT_MS)
    dialog = crash._reporter.last
    assert dialog.copy_button.text() == "Kopiera felrapport"
    dialog.copy_button.click()
    assert "RuntimeError" in QGuiApplication.clipboard().text()
    dialog.close()


class _Work:
    """A stand-in for what a job's work holds (a document, a problem)."""


def _alive() -> int:
    import gc

    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, _Work))


def test_an_ended_job_lets_go_of_its_work(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The pool and the job's slots kept every job and what its work held, forever."""
    from functools import partial

    from lakarrond.ui.jobs import JobRunner

    runner = JobRunner()
    results: list[object] = []
    for _ in range(3):
        runner.start("arbete", partial(lambda work: 1, _Work()), on_done=results.append)
    qtbot.waitUntil(lambda: not runner.busy(), timeout=TIMEOUT_MS)
    assert results == [1, 1, 1]
    assert _alive() == 0


def test_a_running_job_keeps_its_work(qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading
    from functools import partial

    from lakarrond.ui.jobs import JobRunner

    runner, go = JobRunner(), threading.Event()
    runner.start("arbete", partial(lambda work: go.wait(10), _Work()))
    assert _alive() == 1
    go.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=TIMEOUT_MS)
    assert _alive() == 0
