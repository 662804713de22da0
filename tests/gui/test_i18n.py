"""The Chinese (Simplified) interface (issue 18, first slice): every string the
translated modules pass to ``tr()`` is in ``gui/i18n/tessera_zh_CN.ts`` with a finished
translation, the compiled ``.qm`` matches the ``.ts``, the language follows the system
locale or the saved choice, and the window shows the translations."""
from __future__ import annotations

import ast
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui import i18n  # noqa: E402
from gui.qt import QtCore, QtWidgets  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "gui" / "i18n" / "tessera_zh_CN.ts"
#: modules whose tr() strings must all be translated. The main window's menus go
#: through tr() so far, not yet its buttons and status lines; a module is done when
#: all its user-visible strings do (the list grows until it is all of gui/)
TRANSLATED = ["gui/main_window.py"]


def tr_strings(path: Path) -> set[str]:
    """The literal strings passed to ``self.tr(...)`` in a module."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "tr"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            out.add(node.args[0].value)
    return out


def catalogue() -> dict[str, str]:
    """``source -> translation`` of the finished messages of the .ts file."""
    out = {}
    for msg in ET.parse(TS).iter("message"):
        tr = msg.find("translation")
        if tr.get("type") not in ("unfinished", "obsolete", "vanished") and (tr.text or "").strip():
            out[msg.find("source").text] = tr.text
    return out


@pytest.mark.parametrize("module", TRANSLATED)
def test_every_string_of_a_translated_module_is_translated(module):
    strings = tr_strings(ROOT / module)
    assert len(strings) > 20
    missing = sorted(strings - set(catalogue()))
    assert not missing, f"not translated in {TS.name} (run pyside6-lupdate, then translate): {missing}"


def test_the_compiled_catalogue_matches_its_source(tmp_path):
    lrelease = shutil.which("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    subprocess.run([lrelease, str(TS), "-qm", str(tmp_path / "x.qm")], check=True, capture_output=True)
    assert (tmp_path / "x.qm").read_bytes() == TS.with_suffix(".qm").read_bytes(), \
        "gui/i18n/tessera_zh_CN.qm is older than the .ts: run pyside6-lrelease on it"


def test_language_follows_the_choice_then_the_system(monkeypatch):
    assert i18n.chosen_language("zh_CN") == "zh_CN" and i18n.chosen_language("en") == "en"
    monkeypatch.setattr(QtCore.QLocale, "system", staticmethod(lambda: QtCore.QLocale("zh_CN")))
    assert i18n.chosen_language("") == "zh_CN" and i18n.chosen_language(None) == "zh_CN"
    monkeypatch.setattr(QtCore.QLocale, "system", staticmethod(lambda: QtCore.QLocale("zh_TW")))
    assert i18n.chosen_language("") == "en"  # Traditional: no catalogue yet
    monkeypatch.setattr(QtCore.QLocale, "system", staticmethod(lambda: QtCore.QLocale("de_DE")))
    assert i18n.chosen_language("") == "en"


def test_main_window_in_chinese_and_the_language_menu(qtbot, tmp_path):
    from engine.store import Project
    from gui.main_window import MainWindow, settings

    app = QtWidgets.QApplication.instance()
    try:
        assert i18n.install(app, "zh_CN") == "zh_CN"
        path = tmp_path / "zh.tessera"
        Project.create(path).close()
        win = MainWindow(path)
        qtbot.addWidget(win)
        titles = [a.text() for a in win.menuBar().actions()]
        assert titles[:5] == ["文件(&F)", "编辑(&E)", "文档(&D)", "模型(&M)", "视图(&V)"]
        langs = [a.text() for a in win.language_menu.actions()]
        assert langs == ["跟随系统语言", "English", "简体中文"]
        # Qt's own strings come from Qt's catalogue
        assert QtCore.QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        win.language_menu.actions()[1].trigger()
        assert settings().value(i18n.SETTING) == "en" and "下次启动" in win.statusBar().currentMessage()
        win.close()
    finally:
        i18n.install(app, "en")
    assert QtCore.QCoreApplication.translate("MainWindow", "&File") == "&File"
