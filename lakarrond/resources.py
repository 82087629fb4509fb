"""Finding the program's resource files (icon, styles) and Qt's translations, both when
running from the source tree and in the frozen (PyInstaller one-folder) build.

Source tree: ``<repo>/resources/``. Frozen: ``<bundle>/resources/`` where ``<bundle>`` is
``sys._MEIPASS`` (the ``_internal`` folder beside ``Lakarrond.exe``). Qt itself is asked
for its translations folder, which PyInstaller's Qt hooks point into the bundle too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

ICON_PNG = "lakarrond.png"
ICON_ICO = "lakarrond.ico"


def is_frozen() -> bool:
    """True inside the PyInstaller build."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def bundle_dir() -> Path:
    """The folder the program's files live in: the bundle when frozen, else the repo root."""
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]  # set by PyInstaller only
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The ``resources`` folder (it may be missing in a plain wheel install)."""
    return bundle_dir() / "resources"


def resource_path(name: str) -> Path | None:
    """The resource file ``name`` (e.g. ``"lakarrond.png"``), or None when it is missing."""
    path = resources_dir() / name
    return path if path.is_file() else None


def icon_path() -> Path | None:
    """The app icon as PNG (for ``QApplication.setWindowIcon``), or None."""
    return resource_path(ICON_PNG)


def app_icon() -> QIcon:
    """The app icon as a QIcon (empty when the file is missing). Needs a QGuiApplication."""
    # Qt is imported here, not at the top: the command line reads resources without Qt
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for name in (ICON_ICO, ICON_PNG):
        path = resource_path(name)
        if path is not None:
            icon.addFile(str(path))
    return icon


def qt_translations_dir() -> Path:
    """Qt's own translations folder (``qtbase_sv.qm`` …), in the wheel or in the bundle."""
    from PySide6.QtCore import QLibraryInfo  # here, not at the top: see app_icon

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
