"""The interface's languages: Qt translators for Tessera's strings and Qt's own dialogs.

Strings in ``gui/`` go through Qt's translation functions (``self.tr(...)``); the
Chinese (Simplified) catalogue is ``tessera_zh_CN.ts`` beside this file (edit it with
Qt Linguist, or by hand), compiled to ``tessera_zh_CN.qm`` with ``pyside6-lrelease``;
``pyside6-lupdate`` collects new strings into it (``tests/gui/test_i18n.py`` says which
are missing). The language is the saved choice (View ▸ Language) or, until one is
made, the system locale (``LANG=zh_CN.UTF-8 python main.py`` opens in Chinese).
Qt's own dialogs (file choosers, message box buttons) use Qt's ``qtbase_zh_CN.qm``.
"""
from __future__ import annotations

from pathlib import Path

from engine.errors import FormatError
from engine.messages import CONTEXT, Message, render
from gui.qt import QtCore

HERE = Path(__file__).resolve().parent
#: the languages the interface offers: code -> name in that language
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SETTING = "ui/language"  # "" (or missing): follow the system locale


def chosen_language(saved: str | None) -> str:
    """Return the language to show: ``saved`` when it is one of :data:`LANGUAGES`, else
    the system locale's (``zh_CN`` for any Chinese locale but Traditional ones), else ``en``."""
    if saved in LANGUAGES:
        return saved
    locale = QtCore.QLocale.system()
    if locale.language() == QtCore.QLocale.Chinese and locale.script() != QtCore.QLocale.TraditionalChineseScript:
        return "zh_CN"
    return "en"


def install(app, saved: str | None) -> str:
    """Install the translators of the chosen language on ``app``; return its code.

    The translators are kept on ``app`` (Qt does not own them)."""
    lang = chosen_language(saved)
    for old in getattr(app, "_tessera_translators", []):
        app.removeTranslator(old)
    app._tessera_translators = []
    if lang == "en":
        return lang
    ours = QtCore.QTranslator(app)
    if ours.load(str(HERE / f"tessera_{lang}.qm")):
        app.installTranslator(ours)
        app._tessera_translators.append(ours)
    qt = QtCore.QTranslator(app)
    qt_dir = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.TranslationsPath)
    if qt.load(f"qtbase_{lang}", qt_dir):
        app.installTranslator(qt)
        app._tessera_translators.append(qt)
    return lang


def _translate_engine(template: str) -> str:
    return QtCore.QCoreApplication.translate(CONTEXT, template)


def engine_text(value) -> str:
    """Return an engine message (a :class:`engine.messages.Message`, an error carrying one,
    or plain text) in the interface's language.

    Errors from engine/ carry English messages made with ``engine.messages.msg``; their
    templates are translated under the Qt context ``engine``. A ``FormatError`` keeps its
    ``file:line:`` prefix; anything not made with ``msg`` comes back as ``str(value)``."""
    if isinstance(value, FormatError) and isinstance(value.message, Message):
        where = f"{value.path}:{value.line}" if value.line else value.path
        return f"{where}: {render(value.message, _translate_engine)}"
    if isinstance(value, BaseException):
        if len(value.args) == 1 and isinstance(value.args[0], Message):
            return render(value.args[0], _translate_engine)
        return str(value)
    return render(value, _translate_engine)
