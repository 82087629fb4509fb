"""Swedish texts for Qt's own dialogs and buttons (Ja/Nej/Avbryt, Öppna, Spara …).

The desktop app calls :func:`install_swedish_translations` right after creating its
QApplication. The translator objects are kept on the application so they live as long
as it does.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from lakarrond.resources import qt_translations_dir

#: Qt catalogues to load, most specific last; ``qt_sv`` is a meta catalogue that already
#: includes ``qtbase_sv`` in recent Qt versions, so either one is enough.
CATALOGUES = ("qtbase",)
LOCALE_NAME = "sv_SE"


def swedish_locale() -> QLocale:
    return QLocale(LOCALE_NAME)


def install_swedish_translations(app: QCoreApplication, *, set_locale: bool = True) -> bool:
    """Install Qt's Swedish translations on ``app``; return True when ``qtbase_sv.qm`` was
    found and installed. With ``set_locale`` the default QLocale becomes Swedish too, so
    date edits and number formats follow Swedish conventions (Monday first, 2027-02-03)."""
    if set_locale:
        QLocale.setDefault(swedish_locale())
    folder = str(qt_translations_dir())
    installed = []
    for catalogue in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(f"{catalogue}_sv", folder) and app.installTranslator(translator):
            installed.append(translator)
        else:
            translator.deleteLater()
    # keep a Python reference too, so the wrappers are not collected early
    kept = list(getattr(app, "_lakarrond_translators", []))
    app._lakarrond_translators = kept + installed  # type: ignore[attr-defined]  # kept alive on the app
    return bool(installed)
