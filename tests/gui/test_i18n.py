"""The Chinese (Simplified) interface (issue 18, first slice): every string the
translated modules pass to ``tr()`` is in ``gui/i18n/tessera_zh_CN.ts`` with a finished
translation, the compiled ``.qm`` matches the ``.ts``, the language follows the system
locale or the saved choice, and the window shows the translations."""
from __future__ import annotations

import ast
import functools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui import i18n  # noqa: E402
from gui.qt import QtCore, QtGui, QtWidgets  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "gui" / "i18n" / "tessera_zh_CN.ts"
#: every module of the interface (the translation tools themselves aside)
TRANSLATED = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "gui").rglob("*.py") if "i18n" not in p.parts)
#: Qt calls whose string arguments the user reads
TEXT_CALLS = {
    "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle", "setPlaceholderText", "setTitle",
    "setLabelText", "setInformativeText", "setDetailedText", "showMessage", "addAction", "addMenu", "addTab",
    "setTabText", "insertTab", "setHeaderLabels", "setHorizontalHeaderLabels", "setVerticalHeaderLabels",
    "addItem", "addItems", "setItemText", "insertItem", "setSuffix", "setPrefix", "setSpecialValueText",
    "setFormat", "addRow", "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction",
    "QToolButton", "QMenu", "warning", "information", "critical", "question", "getOpenFileName",
    "getSaveFileName", "getExistingDirectory", "getText", "getItem", "getInt", "setButtonText", "addButton",
    "setNameFilter", "setNameFilters", "QListWidgetItem", "QTreeWidgetItem", "QTableWidgetItem", "setLabel",
    "setCancelButtonText", "QProgressDialog", "setSubTitle", "addSection",
}
FIELD = re.compile(r"{(\w*)[^{}]*}")


def _words(node) -> bool:
    """True when ``node`` is (or builds) literal English text: a string, f-string, %/+ of one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2,}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_words(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _words(node.left) or _words(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_words(e) for e in node.elts)
    return False


def untranslated_text(path: Path) -> list[str]:
    """``file:line: code`` of each literal English string handed straight to a Qt text
    call, and of each f-string given to ``tr()`` (its text would never match the
    catalogue). A line marked ``# no-tr`` is not text to translate (a file name, code)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        args = list(node.args) + [k.value for k in node.keywords]
        if name in ("tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"):
            bad = any(isinstance(a, (ast.JoinedStr, ast.BinOp)) for a in args)
        else:
            bad = name in TEXT_CALLS and any(_words(a) for a in args)
        if bad and "no-tr" not in lines[node.lineno - 1]:
            out.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return out


def tr_strings(path: Path) -> set[tuple[str, str]]:
    """``(context, text)`` of each literal given to ``self.tr`` (context: the class),
    ``QCoreApplication.translate`` or ``QT_TRANSLATE_NOOP`` in a module."""
    out = set()

    def visit(node, cls):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and child.args:
                name = child.func.attr if isinstance(child.func, ast.Attribute) else getattr(child.func, "id", "")
                texts = [a.value if isinstance(a, ast.Constant) else None for a in child.args[:2]]
                if name == "tr" and isinstance(texts[0], str) and cls:
                    out.add((cls, texts[0]))
                elif name in ("translate", "QT_TRANSLATE_NOOP") and len(texts) == 2 and all(
                        isinstance(t, str) for t in texts):
                    out.add((texts[0], texts[1]))
            visit(child, cls)

    visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return out


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[tuple[str, str], str]:
    """``(context, source) -> translation`` of the finished messages of the .ts file."""
    from gui.i18n.catalogue import translations
    return translations(TS)


@pytest.mark.parametrize("module", TRANSLATED)
def test_no_string_of_a_translated_module_bypasses_translation(module):
    found = untranslated_text(ROOT / module)
    assert not found, "user-visible text not passed through tr():\n" + "\n".join(found)


@pytest.mark.parametrize("module", TRANSLATED)
def test_every_string_of_a_translated_module_is_translated(module):
    strings = tr_strings(ROOT / module)
    missing = sorted(strings - set(catalogue()))
    assert not missing, ("not translated in tessera_zh_CN.ts (run `python -m gui.i18n.catalogue`, then "
                         f"translate): {missing}")


def test_every_engine_message_is_translated():
    from gui.i18n.catalogue import engine_templates
    done = {source for ctx, source in catalogue() if ctx == "engine"}
    missing = {t: where for t, where in engine_templates().items() if t not in done}
    assert not missing, f"engine messages not translated (python -m gui.i18n.catalogue): {missing}"


def test_translations_keep_the_fields_of_their_source():
    """A translation that drops or renames a ``{field}`` would fail at run time."""
    wrong = [(ctx, s, t) for (ctx, s), t in catalogue().items()
             if sorted(FIELD.findall(s)) != sorted(FIELD.findall(t))]
    assert not wrong


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


#: English words that stay English in the Chinese interface (names of things)
KEPT = {"Tessera", "CoNLL", "JSONL", "JSON", "Label", "Studio", "Prodigy", "doccano", "Parquet", "GGUF", "LoRA",
        "SmolLM", "MiniLM", "Hugging", "Face", "CUDA", "Ctrl", "Enter", "Shift", "Space", "Esc", "Tab", "Alt",
        "Backspace", "Delete", "English", "IOB", "BIO", "IOBES", "BMES", "TSV", "CSV", "ShareGPT", "OpenAI",
        "Alpaca", "Human", "Assistant", "int8", "bf16", "top", "seqeval", "messages", "Ollama", "llama", "torch",
        "best", "Lines", "datasets", "spaCy", "spans", "label", "start", "ents", "cats", "word"}


def _visible_texts(root) -> list[str]:
    """Texts a user reads in ``root``: labels, buttons, actions, group boxes, tabs,
    column headers, placeholders, tooltips."""
    out = [root.windowTitle()]
    for w in root.findChildren(QtWidgets.QWidget):
        for getter in ("text", "title", "placeholderText", "toolTip"):
            fn = getattr(w, getter, None)
            if callable(fn) and not isinstance(w, (QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit)):
                try:
                    value = fn()
                except TypeError:
                    continue
                if isinstance(value, str):
                    out.append(value)
        if isinstance(w, QtWidgets.QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QtWidgets.QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QtWidgets.QAbstractItemView) and w.model() is not None:
            m = w.model()
            out += [str(m.headerData(c, QtCore.Qt.Horizontal) or "") for c in range(m.columnCount())]
    for a in root.findChildren(QtGui.QAction):
        out += [a.text(), a.toolTip(), a.statusTip()]
    return out


def _english_words(text: str) -> list[str]:
    """The English-looking words of ``text`` (HTML tags, file names, paths and handles aside)."""
    return re.findall(r"(?<![\w.@/&])[A-Za-z][a-z]{3,}(?![\w.@/;])", re.sub(r"<[^>]+>", " ", text))


def _english(texts: list[str], kept: set[str] = frozenset()) -> list[str]:
    """The texts with a word that is neither in :data:`KEPT` nor in ``kept``."""
    return sorted({t for t in texts if any(w not in KEPT and w not in kept for w in _english_words(t))})


def test_the_window_in_chinese_shows_no_english(qtbot, tmp_path):
    """Every text of the main window, its menus, training panel and chat pane on an
    empty project (so no user data) reads Chinese: an English word is a string that
    escaped translation (kept names such as CoNLL aside)."""
    from engine.store import Project
    from gui.main_window import MainWindow

    app = QtWidgets.QApplication.instance()
    try:
        i18n.install(app, "zh_CN")
        path = tmp_path / "zh.tessera"
        Project.create(path).close()
        win = MainWindow(path)
        qtbot.addWidget(win)
        win.show()
        texts = _visible_texts(win)
        for menu in win.findChildren(QtWidgets.QMenu):
            texts += [a.text() for a in menu.actions()] + [menu.title()]
        assert win.training_dock.findChildren(QtWidgets.QPushButton) and win.chat_dock.findChildren(QtWidgets.QLabel)
        assert len([t for t in texts if t.strip()]) > 150
        english = _english(texts)
        assert not english, f"English left in the Chinese window: {english}"
        win.close()
    finally:
        i18n.install(app, "en")


def test_the_dialogs_in_chinese_show_no_english(qtbot, tmp_path):
    """The import (CoNLL preview), import result (with notes), export, backups and label
    manager dialogs and the window on a labeled project, in Chinese: no English word but
    kept names and the user's own data (label names, file names)."""
    from engine.backup import make_backup
    from engine.importer import import_file
    from engine.store import Project
    from gui.backups import BackupsDialog
    from gui.import_dialog import ExportDialog, ImportDialog, ImportResultDialog
    from gui.label_manager import LabelManager
    from gui.main_window import MainWindow

    data = ROOT / "tests" / "data"
    app = QtWidgets.QApplication.instance()
    try:
        i18n.install(app, "zh_CN")
        path = tmp_path / "zh.tessera"
        with Project.create(path) as p:
            import_file(p, data / "foreign" / "prodigy_ner_teach.jsonl")
            summary = import_file(p, data / "foreign" / "doccano_pr777_labeling.json")
            users = {label.name for label in p.labels()}
        make_backup(path, "made by hand")
        texts = []
        for make in (lambda: ImportDialog(data / "dev.conll"), lambda: ImportResultDialog(summary),
                     lambda: BackupsDialog(path)):
            d = make()
            qtbot.addWidget(d)
            texts += _visible_texts(d)
        with Project.open(path) as p:
            for make in (lambda: ExportDialog(p), lambda: LabelManager(p)):
                d = make()
                qtbot.addWidget(d)
                texts += _visible_texts(d)
        win = MainWindow(path)
        qtbot.addWidget(win)
        win.show()
        texts += _visible_texts(win)
        assert len([t for t in texts if t.strip()]) > 200
        english = _english(texts, users | {u.capitalize() for u in users} | {u.lower() for u in users})
        assert not english, f"English left in the Chinese dialogs: {english}"
        win.close()
    finally:
        i18n.install(app, "en")


def test_every_progress_word_of_the_engine_is_translated():
    """The engine's progress stages and units (``Progress("Importing", n, total, "lines")``)
    reach the GUI as plain strings through Qt signals, so the progress dialog translates
    them from a list (``gui.workers._PROGRESS_WORDS``): every literal the engine uses
    must be on it (and, through the catalogue tests, translated)."""
    from gui.workers import _PROGRESS_WORDS

    used = set()
    for path in (ROOT / "engine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Progress":
                for arg in (node.args[:1] + node.args[3:4]):
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        used.add(arg.value)
    assert len(used) > 10
    assert not used - set(_PROGRESS_WORDS), f"add to gui.workers._PROGRESS_WORDS: {sorted(used - set(_PROGRESS_WORDS))}"
