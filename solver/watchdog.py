"""What keeps a worker process from outliving the planning process that started it.

``guard_worker(parent)`` runs first in every worker (the pool's initializer):

* **Linux**: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``, so the kernel kills the worker the moment
  the parent dies, and the portable watchdog below as a second line.
* **Windows**: the parent's pid stays in ``os.getppid()`` after the parent died (Windows does
  not re-parent), so comparing it sees nothing. The worker opens a handle on the parent
  process (``OpenProcess(SYNCHRONIZE)``) at once, while the parent is certainly alive and its
  pid cannot have been reused, and a daemon thread waits on it (``WaitForSingleObject``): a
  process handle is signalled when the process ends, however it ends.
* **Elsewhere** (macOS): the portable watchdog, a thread that ends the worker when
  ``os.getppid()`` changes (the orphan is re-parented).

The functions take the system calls as arguments (``kernel32``, ``getppid``, ``exit``), so
the Windows branch is tested on Linux with a fake ``kernel32``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Protocol, cast

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL_S = 0.5
SYNCHRONIZE = 0x00100000  # the access right needed to wait on a process handle
INFINITE = 0xFFFFFFFF
WAIT_OBJECT_0 = 0  # WaitForSingleObject: the process ended

ExitFn = Callable[[int], object]


class Kernel32(Protocol):
    """The three calls of ``kernel32.dll`` the Windows watchdog uses."""

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int: ...

    def WaitForSingleObject(self, handle: int, milliseconds: int) -> int: ...

    def CloseHandle(self, handle: int) -> int: ...


def die_with_parent_linux() -> None:
    """Linux: SIGKILL this process when the parent dies (``prctl(PR_SET_PDEATHSIG)``)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def watch_ppid(parent: int, getppid: Callable[[], int] = os.getppid,
               exit: ExitFn = os._exit, interval_s: float = WATCH_INTERVAL_S) -> None:
    """POSIX: end the worker when its parent is gone (re-parented: the pid changes).
    Runs until then; call it on a daemon thread."""
    wait = threading.Event()
    while getppid() == parent:
        wait.wait(interval_s)
    exit(1)


def watch_parent_handle(kernel32: Kernel32, handle: int, exit: ExitFn = os._exit) -> None:
    """Windows: wait on the parent's process handle; end the worker when it is signalled
    (the parent ended). A failed wait ends nothing: the worker then ends with the pool
    (its task queue closes) as before. Call it on a daemon thread."""
    try:
        if kernel32.WaitForSingleObject(handle, INFINITE) == WAIT_OBJECT_0:
            exit(1)
    finally:
        kernel32.CloseHandle(handle)


def guard_windows(parent: int, kernel32: Kernel32, exit: ExitFn = os._exit,
                  start: Callable[[threading.Thread], None] = threading.Thread.start) -> None:
    """Windows: open a handle on the parent now and wait on it on a daemon thread. No
    handle means the parent is already gone: end at once."""
    handle = kernel32.OpenProcess(SYNCHRONIZE, False, parent)
    if not handle:
        exit(1)
        return
    start(threading.Thread(target=watch_parent_handle, args=(kernel32, handle, exit),
                           daemon=True, name="parent-watchdog"))


def guard_posix(parent: int, getppid: Callable[[], int] = os.getppid,
                exit: ExitFn = os._exit) -> None:
    """Linux and macOS: the kernel's parent-death signal (Linux) and the ppid watchdog."""
    if sys.platform.startswith("linux"):
        die_with_parent_linux()
    if getppid() != parent:  # the parent died before the prctl took effect
        exit(1)
        return
    threading.Thread(target=watch_ppid, args=(parent, getppid, exit), daemon=True,
                     name="parent-watchdog").start()


def windows_kernel32() -> Kernel32:  # pragma: no cover - Windows only
    """``kernel32.dll`` with the argument and result types of the three calls (a HANDLE is
    pointer-sized: the default ``int`` result would cut it on 64-bit Windows)."""
    if sys.platform != "win32":
        raise OSError("kernel32 finns bara på Windows")
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.WaitForSingleObject.argtypes = (wintypes.HANDLE, wintypes.DWORD)
    kernel32.WaitForSingleObject.restype = wintypes.DWORD
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    kernel32.CloseHandle.restype = wintypes.BOOL
    return cast(Kernel32, kernel32)  # a WinDLL answers the protocol by attribute name


def guard_worker(parent: int) -> None:  # pragma: no cover - runs in the worker process
    """End this worker when ``parent`` (the planning process) ends, on every platform."""
    if sys.platform == "win32":
        guard_windows(parent, windows_kernel32())
    else:
        guard_posix(parent)
