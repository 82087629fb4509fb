"""Resources, Qt's Swedish translations, the about text and the packaging entry points."""

from __future__ import annotations

import ast
import importlib.util
import os
import struct
import sys
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from lakarrond import __version__, resources
from lakarrond.about import about_text, backup_time

ROOT = Path(__file__).resolve().parents[2]


# --- lakarrond.resources ---------------------------------------------------------------------


def test_source_mode_finds_the_repo_resources() -> None:
    assert not resources.is_frozen()
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.icon_path() == ROOT / "resources" / "lakarrond.png"
    assert resources.resource_path("finns-inte.png") is None


def test_frozen_mode_uses_the_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "lakarrond.png").write_bytes(b"png")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.is_frozen()
    assert resources.bundle_dir() == tmp_path
    assert resources.icon_path() == tmp_path / "resources" / "lakarrond.png"


def test_app_icon_is_not_empty(qapp) -> None:  # type: ignore[no-untyped-def]
    icon = resources.app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(32, 32).isNull()


def test_qt_translations_dir_has_swedish() -> None:
    assert (resources.qt_translations_dir() / "qtbase_sv.qm").is_file()


# --- lakarrond.qt_translations ---------------------------------------------------------------


def test_swedish_translations_are_installed(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QLocale
    from PySide6.QtWidgets import QMessageBox

    from lakarrond.qt_translations import install_swedish_translations

    before = QLocale()
    try:
        assert install_swedish_translations(qapp) is True
        # a standard button text from qtbase, translated
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Avbryt"
        assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Ja"
        box = QMessageBox(QMessageBox.Icon.Question, "Fråga", "Spara?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                          | QMessageBox.StandardButton.Cancel)
        try:
            texts = {box.button(b).text().replace("&", "") for b in (
                QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Cancel)}
        finally:
            box.deleteLater()
        assert texts == {"Ja", "Nej", "Avbryt"}
        assert QLocale().language() == QLocale.Language.Swedish
    finally:
        for translator in getattr(qapp, "_lakarrond_translators", []):
            qapp.removeTranslator(translator)
        qapp._lakarrond_translators = []
        QLocale.setDefault(before)


def test_missing_translations_return_false(qapp, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import lakarrond.qt_translations as qt_translations

    monkeypatch.setattr(qt_translations, "qt_translations_dir", lambda: tmp_path)
    assert qt_translations.install_swedish_translations(qapp, set_locale=False) is False


# --- lakarrond.about ---------------------------------------------------------------------------


def test_about_text_names_version_folder_database_and_backup(tmp_path: Path) -> None:
    from lakarrond.store import make_backup, open_database

    db = open_database(str(tmp_path / "lakarrond.sqlite"))
    try:
        text = about_text(db)
        assert __version__ in text
        assert str(tmp_path / "lakarrond.sqlite") in text
        assert "Ingen säkerhetskopia ännu" in text
        made = make_backup(db.path, datetime(2027, 3, 4, 5, 6, 7))
        text = about_text(db)
        assert "2027-03-04 05:06" in text
        assert str(made) in text
    finally:
        db.dispose()


def test_about_text_for_a_server_hides_the_password() -> None:
    class Server:
        path = None
        url = "postgresql+psycopg://ssk:***@server/lakarrond"

    text = about_text(Server())
    assert "server/lakarrond" in text and "hemligt" not in text
    assert "PostgreSQL" in text


def test_about_text_without_database_shows_the_default_file() -> None:
    from lakarrond.store import default_path

    assert str(default_path()) in about_text(None)


def test_backup_time_from_name() -> None:
    assert backup_time(Path("lakarrond-20270304-050607.sqlite")) == datetime(2027, 3, 4, 5, 6, 7)
    assert backup_time(Path("annat.sqlite")) is None


def test_default_data_folder_is_local_not_roaming() -> None:
    """On Windows %LOCALAPPDATA%\\Lakarrond: platformdirs' default roaming=False."""
    import inspect

    import platformdirs

    from lakarrond.store import database

    source = inspect.getsource(database.default_path)
    assert 'user_data_dir("Lakarrond", appauthor=False)' in source
    assert "roaming" not in source
    assert inspect.signature(platformdirs.user_data_dir).parameters["roaming"].default is False


# --- packaging ----------------------------------------------------------------------------------


@pytest.mark.parametrize("script", ["lakarrond_gui.py", "lakarrond_cli.py"])
def test_entry_scripts_call_freeze_support_first(script: str) -> None:
    tree = ast.parse((ROOT / "packaging" / script).read_text(encoding="utf-8"))
    main_block = next(n for n in tree.body if isinstance(n, ast.If))
    first = main_block.body[0]
    assert isinstance(first, ast.Expr)
    assert ast.unparse(first.value) == "multiprocessing.freeze_support()"


def test_spec_bundles_the_migrations_and_the_icon() -> None:
    spec = (ROOT / "lakarrond.spec").read_text(encoding="utf-8")
    for needle in ('"script.py.mako"', '"versions", "*.py"', '"lakarrond.ico"',
                   'console=False', 'name="lakarrond-cli"', '_sv.qm'):
        assert needle in spec


def test_make_icon_writes_png_and_multi_size_ico(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_icon", ROOT / "resources" / "make_icon.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    assert (tmp_path / "lakarrond.png").read_bytes().startswith(b"\x89PNG")
    ico = (tmp_path / "lakarrond.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(module.SIZES))
