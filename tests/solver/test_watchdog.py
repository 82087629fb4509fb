"""The workers' watchdog: Windows (a wait on the parent's handle, with a fake kernel32) and
the portable ppid watchdog for real (kill -9 the parent, the orphan ends)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from solver import watchdog
from solver.watchdog import (
    INFINITE,
    SYNCHRONIZE,
    WAIT_OBJECT_0,
    guard_posix,
    guard_windows,
    watch_parent_handle,
    watch_ppid,
)

ROOT = Path(__file__).resolve().parents[2]
WAIT_FAILED = 0xFFFFFFFF


class FakeKernel32:
    """kernel32 as the watchdog uses it: a handle per live pid, a scripted wait result."""

    def __init__(self, live: set[int], wait_result: int = WAIT_OBJECT_0) -> None:
        self.live, self.wait_result = live, wait_result
        self.calls: list[tuple[object, ...]] = []

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        self.calls.append(("OpenProcess", access, inherit, pid))
        return 1000 + pid if pid in self.live else 0

    def WaitForSingleObject(self, handle: int, milliseconds: int) -> int:
        self.calls.append(("WaitForSingleObject", handle, milliseconds))
        return self.wait_result

    def CloseHandle(self, handle: int) -> int:
        self.calls.append(("CloseHandle", handle))
        return 1


def test_windows_worker_ends_when_the_parent_handle_is_signalled():
    kernel32, exits, started = FakeKernel32({42}), [], []
    guard_windows(42, kernel32, exit=exits.append, start=started.append)
    assert kernel32.calls == [("OpenProcess", SYNCHRONIZE, False, 42)]
    assert exits == [] and len(started) == 1 and started[0].daemon
    started[0].run()  # the thread's body: the wait returns, the parent has ended
    assert ("WaitForSingleObject", 1042, INFINITE) in kernel32.calls
    assert exits == [1]
    assert kernel32.calls[-1] == ("CloseHandle", 1042)


def test_windows_worker_whose_parent_is_already_gone_ends_at_once():
    kernel32, exits, started = FakeKernel32(set()), [], []
    guard_windows(42, kernel32, exit=exits.append, start=started.append)
    assert exits == [1] and started == []


def test_windows_worker_keeps_running_when_the_wait_fails():
    kernel32, exits = FakeKernel32({42}, wait_result=WAIT_FAILED), []
    watch_parent_handle(kernel32, 1042, exit=exits.append)
    assert exits == []  # no proof the parent ended: the worker is not killed
    assert kernel32.calls[-1] == ("CloseHandle", 1042)


def test_guard_worker_chooses_the_windows_watchdog_on_windows(monkeypatch):
    kernel32 = FakeKernel32({7})
    chosen: list[tuple[int, object]] = []
    monkeypatch.setattr(watchdog.sys, "platform", "win32")
    monkeypatch.setattr(watchdog, "windows_kernel32", lambda: kernel32)
    monkeypatch.setattr(watchdog, "guard_windows", lambda parent, k: chosen.append((parent, k)))
    monkeypatch.setattr(watchdog, "guard_posix", lambda parent: pytest.fail("posix on Windows"))
    watchdog.guard_worker(7)
    assert chosen == [(7, kernel32)]


def test_the_ppid_watchdog_ends_when_the_ppid_changes_and_not_before():
    ppids = iter([10, 10, 10, 1])
    exits: list[int] = []
    watch_ppid(10, getppid=lambda: next(ppids), exit=exits.append, interval_s=0.0)
    assert exits == [1]
    assert next(ppids, None) is None  # it asked until the change, then stopped


def test_guard_posix_ends_a_worker_whose_parent_already_died(monkeypatch):
    monkeypatch.setattr(watchdog, "die_with_parent_linux", lambda: None)
    before = threading.active_count()
    exits: list[int] = []
    guard_posix(10, getppid=lambda: 1, exit=exits.append)
    assert exits == [1] and threading.active_count() == before


# --- for real: a parent killed with SIGKILL, its child with only the ppid watchdog ----------

CHILD = """
import sys, time
from solver.watchdog import watch_ppid
import threading
threading.Thread(target=watch_ppid, args=(int(sys.argv[1]),), daemon=True).start()
print("ready", flush=True)
time.sleep(60)
"""

PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(__import__("os").getpid())],
                         stdout=subprocess.PIPE, text=True)
assert child.stdout.readline().strip() == "ready"
print(child.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill would end the process on Windows: ask kernel32
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32")
        kernel32.OpenProcess.restype = ctypes.c_void_p
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            got = kernel32.GetExitCodeProcess(ctypes.c_void_p(handle), ctypes.byref(code))
            return bool(got) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(ctypes.c_void_p(handle))
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_ppid_watchdog_ends_an_orphan_for_real():
    parent = subprocess.Popen([sys.executable, "-c", PARENT, CHILD], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    child = 0
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        time.sleep(1.0)  # two watch intervals with the parent alive
        assert _alive(child)  # the watchdog leaves a worker with a live parent alone
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.1)
        assert not _alive(child)
    finally:
        if parent.poll() is None:
            parent.kill()
        if child and _alive(child):
            os.kill(child, signal.SIGKILL)


# --- for real on every platform (the Windows workflow runs it with the real kernel32) -------

POOL = """
import json, multiprocessing, os, time
from concurrent.futures import ProcessPoolExecutor
from solver.workers import init_worker
if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=ctx, initializer=init_worker,
                             initargs=(ctx.Event(), os.getpid())) as pool:
        started = [pool.submit(os.getpid) for _ in range(4)]
        pids = sorted({f.result() for f in started})
        busy = [pool.submit(time.sleep, 120) for _ in range(2)]
        print(json.dumps(pids), flush=True)
        time.sleep(120)
"""


@pytest.mark.skipif(sys.platform not in ("win32", "linux"), reason="reads /proc or kernel32")
def test_the_pool_workers_of_a_killed_planner_end(tmp_path):
    script = tmp_path / "pool.py"
    script.write_text(POOL, encoding="utf-8")
    planner = subprocess.Popen([sys.executable, str(script)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        assert planner.stdout is not None
        workers = [int(p) for p in planner.stdout.readline().strip("[]\n").split(",")]
        assert workers and all(_alive(w) for w in workers)
        planner.kill()  # SIGKILL on Linux, TerminateProcess on Windows: no clean-up runs
        planner.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        if planner.poll() is None:
            planner.kill()
