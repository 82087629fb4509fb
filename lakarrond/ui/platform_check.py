"""Before Qt starts: can its platform plugin open a window here?

Qt aborts the whole process (with English text) when the xcb platform plugin cannot load,
e.g. on a fresh Debian desktop without ``libxcb-cursor0`` and friends, or when there is no
X display. :func:`platform_problem` finds that out first, so the program can say in Swedish
what to install (the one ``apt-get install`` line) and exit 1 instead.
"""

from __future__ import annotations

import ctypes
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QLibraryInfo

# (shared library, Debian package): what Qt 6's xcb plugin links to; the first ten are what
# a fresh desktop typically lacks, the rest are the X/GL basics. (scripts/bootstrap also
# installs libxcb-xinerama0, which older Qt versions wanted.)
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb.so.1", "libxcb1"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libEGL.so.1", "libegl1"),
    ("libGL.so.1", "libgl1"),
    ("libfontconfig.so.1", "libfontconfig1"),
)
MISSING = (
    "Läkarrond kan inte öppna sitt fönster: systembibliotek som Qt behöver för att visa "
    "fönster (xcb) saknas: {libraries}.\nInstallera dem som administratör med:\n"
    "  sudo apt-get install {packages}\n"
    "Kommandoraden fungerar redan (t.ex. lakarrond --help, lakarrond export …)."
)
NO_DISPLAY = (
    "Läkarrond kan inte öppna sitt fönster: ingen skärm hittades{where}. Starta programmet "
    "från skrivbordet, eller använd kommandoraden (lakarrond --help)."
)
PLUGIN_FAILED = (
    "Läkarrond kan inte öppna sitt fönster: Qt:s fönsterdel (xcb) kunde inte laddas – "
    "{detail}. Installera paketet som innehåller biblioteket (apt-get install …)."
)


def platform_name(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """The Qt platform plugin that will be used: QT_QPA_PLATFORM's first choice, else xcb on
    Linux (Wayland sessions and other systems: None, nothing to check)."""
    if not platform.startswith("linux"):
        return None
    wanted = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if wanted:
        return wanted
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return None
    return "xcb"


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_packages(load: Callable[[str], bool] = _loads) -> list[tuple[str, str]]:
    """The (library, package) pairs of :data:`XCB_LIBRARIES` that cannot be loaded."""
    return [(library, package) for library, package in XCB_LIBRARIES if not load(library)]


def _plugin_error() -> str | None:
    """Load Qt's xcb plugin itself; the dynamic linker names what is still missing."""
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    plugin = plugins / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        found = re.search(r"([\w.+-]+\.so[\w.]*): cannot open", str(exc))
        return f"biblioteket {found[1]} saknas" if found else "ett bibliotek saknas"
    return None


def _display_reachable(display: str) -> bool:
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # reported as a missing library instead
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return int(xcb.xcb_connection_has_error(connection)) == 0
    finally:
        xcb.xcb_disconnect(connection)


def platform_problem(env: Mapping[str, str], platform: str = sys.platform,
                     load: Callable[[str], bool] = _loads) -> str | None:
    """A Swedish message when Qt would fail to open a window here, else None."""
    if platform_name(env, platform) != "xcb":
        return None
    missing = missing_packages(load)
    if missing:
        return MISSING.format(libraries=", ".join(lib for lib, _ in missing),
                              packages=" ".join(pkg for _, pkg in missing))
    detail = _plugin_error() if load is _loads else None
    if detail:
        return PLUGIN_FAILED.format(detail=detail)
    display = env.get("DISPLAY", "")
    if not display:
        return NO_DISPLAY.format(where=" (DISPLAY är inte satt)")
    if load is _loads and not _display_reachable(display):
        return NO_DISPLAY.format(where=f" (kan inte ansluta till {display})")
    return None


__all__ = ["XCB_LIBRARIES", "missing_packages", "platform_name", "platform_problem"]
