"""The real program starts on a real (virtual) X display: ``python -m lakarrond --db FILE``
under Xvfb with the xcb platform, as on a desktop; and where Qt could not start, the
program says in Swedish what to install instead of Qt's abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lakarrond.store import open_database
from lakarrond.ui.app import SMOKE_ENV, SMOKE_SHOWN
from lakarrond.ui.platform_check import platform_name, platform_problem
from tests.stores import fill_small_store

XVFB = shutil.which("Xvfb")


@pytest.fixture
def display() -> Iterator[str]:
    """A private Xvfb server; its display name (e.g. ":3")."""
    if XVFB is None or not sys.platform.startswith("linux"):
        pytest.skip("Xvfb saknas (Debian-paketet xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen([XVFB, "-displayfd", str(write), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DISPLAY")}
    env.update(extra)
    return env


def test_the_program_shows_its_window_on_an_x_display(display: str, tmp_path: Path) -> None:
    path = tmp_path / "lakarrond.sqlite"
    db = open_database(path)
    fill_small_store(db)  # not empty: no welcome question before the window
    db.dispose()
    env = _env(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), **{SMOKE_ENV: "60000"})
    problem = platform_problem(env)
    assert problem is None, problem  # scripts/bootstrap installs the xcb libraries
    run = subprocess.run([sys.executable, "-m", "lakarrond", "--db", str(path)],
                         env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    assert f"{SMOKE_SHOWN}: Läkarrond" in run.stdout
    assert "Traceback" not in run.stderr


MISSING_LIBRARY = """
import sys
from lakarrond.ui import platform_check
platform_check.XCB_LIBRARIES += (("libxcb-finns-inte.so.9", "libxcb-finns-inte9"),)
from lakarrond.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux only")
def test_a_missing_xcb_library_is_named_in_swedish_not_a_qt_abort(tmp_path: Path) -> None:
    env = _env(DISPLAY=":99", QT_QPA_PLATFORM="xcb")
    run = subprocess.run([sys.executable, "-c", MISSING_LIBRARY, str(tmp_path / "x.sqlite")],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "kan inte öppna sitt fönster" in run.stderr
    install = run.stderr.splitlines()[2].split()
    assert install[:3] == ["sudo", "apt-get", "install"] and "libxcb-finns-inte9" in install
    assert "qt.qpa" not in run.stderr and "Aborted" not in run.stderr
    assert not (tmp_path / "x.sqlite").exists()  # stopped before anything else


def test_platform_checks() -> None:
    assert platform_name({}, "win32") is None
    assert platform_name({"QT_QPA_PLATFORM": "offscreen"}, "linux") == "offscreen"
    assert platform_name({"QT_QPA_PLATFORM": "xcb;offscreen"}, "linux") == "xcb"
    assert platform_name({}, "linux") == "xcb"
    assert platform_name({"WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "wayland"}, "linux") is None
    everything = lambda name: True  # noqa: E731
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert "DISPLAY är inte satt" in platform_problem({}, "linux", load=everything)
    message = platform_problem({"DISPLAY": ":0"}, "linux", load=lambda n: "cursor" not in n)
    assert "sudo apt-get install libxcb-cursor0\n" in message


def test_a_waiting_notice_reaches_the_status_bar_from_a_worker(qtbot, window) -> None:
    from lakarrond.store.errors import WAITING
    from lakarrond.ui.app import status_listener

    show = status_listener(window)
    worker = threading.Thread(target=show, args=(WAITING,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == WAITING, timeout=5000)
