"""The main window (offscreen): labeling with mouse and keys, undo across documents,
document navigation and status, label tools, settings — checked against the store."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from engine.demo import build_demo  # noqa: E402
from engine.importer import import_file  # noqa: E402
from engine.store import Project  # noqa: E402
from gui.qt import QtWidgets, Qt  # noqa: E402


def spans(path, doc_id):
    with Project.open(path) as p:
        names = {l.id: l.name for l in p.labels()}
        return [(s.token_start, s.token_end, names[s.label_id]) for s in p.spans(doc_id)]


@pytest.fixture
def window(qtbot, tmp_path, data_dir):
    from gui.main_window import MainWindow

    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        import_file(p, data_dir / "dev.conll", status="new")
        # start from unlabeled documents so every span in a test is the test's own
        p.conn.execute("DELETE FROM spans")
        p.conn.commit()
    win = MainWindow(path)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win, path


def point(win, token):
    return win.editor.token_rect(token).center().toPoint()


def key(qtbot, win, k, mods=Qt.NoModifier):
    win.editor.setFocus()
    qtbot.keyClick(win.editor, k, mods)


def label_id(win, name):
    return win.project.label_by_name(name).id


def test_window_lists_documents(window):
    win, path = window
    with Project.open(path) as p:
        n = p.count_documents()
        first = next(p.iter_documents())[0].id
    assert win.model.total() == n
    assert win.model.rowCount() < n  # paged: not everything loaded at once
    assert win.current_doc_id() == first
    assert f"0 / {n:,} documents done" in win.progress_label.text()


def test_label_bar_click_then_token_click_and_drag(window, qtbot):
    win, path = window
    doc = win.current_doc_id()
    person = label_id(win, "person")
    qtbot.mouseClick(win.label_bar.chip(person), Qt.LeftButton)
    assert win.editor.active_label() == person
    qtbot.mouseClick(win.editor, Qt.LeftButton, pos=point(win, 0))
    qtbot.mousePress(win.editor, Qt.LeftButton, pos=point(win, 2))
    qtbot.mouseMove(win.editor, point(win, 3))
    qtbot.mouseMove(win.editor, point(win, 4))
    qtbot.mouseRelease(win.editor, Qt.LeftButton, pos=point(win, 4))
    assert spans(path, doc) == [(0, 1, "person"), (2, 5, "person")]
    row = win.doc_panel.table.currentIndex().row()
    assert win.model.data(win.model.index(row, 3)) == 2  # entity count column refreshed


def test_undo_redo_relabel_and_delete_with_keys(window, qtbot):
    win, path = window
    doc = win.current_doc_id()
    win.editor.set_active_label(label_id(win, "location"))
    qtbot.mouseClick(win.editor, Qt.LeftButton, pos=point(win, 1))
    assert spans(path, doc) == [(1, 2, "location")]
    key(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    assert spans(path, doc) == []
    key(qtbot, win, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert spans(path, doc) == [(1, 2, "location")]
    # select the span, press the hotkey of another label: relabel
    qtbot.mouseClick(win.editor, Qt.LeftButton, pos=point(win, 1))
    assert win.editor.selected_span() is not None
    group = win.project.label_by_name("group")
    key(qtbot, win, getattr(Qt, f"Key_{group.hotkey.upper()}"))
    assert spans(path, doc) == [(1, 2, "group")]
    qtbot.mouseClick(win.editor, Qt.LeftButton, pos=point(win, 1))
    key(qtbot, win, Qt.Key_Delete)
    assert spans(path, doc) == []
    for expected in ([(1, 2, "group")], [(1, 2, "location")], []):
        win.undo_action.trigger()
        assert spans(path, doc) == expected


def test_next_previous_and_undo_goes_back_to_the_edited_document(window, qtbot):
    win, path = window
    first = win.current_doc_id()
    key(qtbot, win, Qt.Key_Right, Qt.ControlModifier)
    second = win.current_doc_id()
    assert second != first and win.editor.document_id() == second
    win.editor.set_active_label(label_id(win, "person"))
    qtbot.mouseClick(win.editor, Qt.LeftButton, pos=point(win, 0))
    key(qtbot, win, Qt.Key_Left, Qt.ControlModifier)
    assert win.current_doc_id() == first
    win.undo_action.trigger()
    assert win.current_doc_id() == second  # undo shows where it happened
    assert spans(path, second) == []


def test_done_and_next_skip_and_undo_status(window, qtbot):
    win, path = window
    first = win.current_doc_id()
    key(qtbot, win, Qt.Key_Return, Qt.ControlModifier)
    with Project.open(path) as p:
        assert p.document(first).status == "done"
        nxt = p.next_unfinished_after(first)
    second = win.current_doc_id()
    assert second != first and second == nxt
    assert "1 / " in win.progress_label.text() or win._status_timer.isActive()
    key(qtbot, win, Qt.Key_S)
    with Project.open(path) as p:
        assert p.document(second).status == "skipped"
    assert win.current_doc_id() not in (first, second)
    win.undo_action.trigger()
    win.undo_action.trigger()
    with Project.open(path) as p:
        assert p.document(first).status == "new" and p.document(second).status == "new"


def test_label_palette_and_manager(window, qtbot, monkeypatch):
    from gui import main_window
    from gui.label_manager import LabelManager

    win, path = window
    product = label_id(win, "product")
    monkeypatch.setattr(main_window.LabelPalette, "pick", staticmethod(lambda project, parent=None, **kw: product))
    key(qtbot, win, Qt.Key_K, Qt.ControlModifier)
    assert win.editor.active_label() == product
    assert win.label_bar.active() == product
    qtbot.mouseClick(win.editor, Qt.LeftButton, pos=point(win, 0))
    assert spans(path, win.current_doc_id()) == [(0, 1, "product")]

    def fake_exec(dialog):  # what a user does in the dialog: delete "product"
        dialog.delete(product, confirm=False)
        return 0

    monkeypatch.setattr(LabelManager, "exec", fake_exec)
    win.manage_labels()
    assert spans(path, win.current_doc_id()) == []
    assert win.label_bar.chip(product) is None
    assert not win.undo_stack.canUndo()  # the stack cannot restore spans of a deleted label


def test_settings_remember_geometry_and_project(window, qtbot):
    from gui.main_window import MainWindow, settings

    win, path = window
    win.resize(700, 520)  # inside the offscreen screen (800x600); Qt keeps the minimum width
    size = (win.width(), win.height())
    assert size[1] == 520
    win.close()
    assert settings().value("last_project") == str(path.resolve())
    assert str(path.resolve()) in settings().value("recent_projects")
    again = MainWindow(path)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == size
    again.close()


def test_closing_never_asks_and_loses_nothing(window, qtbot, monkeypatch):
    win, path = window
    asked = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: asked.append(a))
    doc = win.current_doc_id()
    win.editor.set_active_label(label_id(win, "location"))
    qtbot.mouseClick(win.editor, Qt.LeftButton, pos=point(win, 3))
    # read from a second connection while the window is still open: already committed
    assert spans(path, doc) == [(3, 4, "location")]
    win.close()
    assert asked == [] and spans(path, doc) == [(3, 4, "location")]


def test_empty_project_says_how_to_start(qtbot, tmp_path):
    from gui.main_window import MainWindow

    path = tmp_path / "empty.tessera"
    Project.create(path).close()
    win = MainWindow(path)
    qtbot.addWidget(win)
    assert "Import" in win.header.text()
    assert not win.done_button.isEnabled()
    win.close()


def test_demo_project_has_some_labeled_documents(tmp_path):
    path = build_demo(tmp_path / "demo.tessera")
    with Project.open(path) as p:
        s = p.stats()
    assert s.by_status["done"] == 120 and s.by_status["new"] > 300
    assert s.spans > 0 and set(s.spans_by_label) >= {"person", "location"}


def test_training_dock_opens_with_ctrl_t(window, qtbot):
    win, _ = window
    assert not win.training_dock.isVisible()
    key(qtbot, win, Qt.Key_T, Qt.ControlModifier)
    assert win.training_dock.isVisible()
    assert win.training_dock.widget().config_kwargs()["base_model"] == "default"


def _menu_action(win, text):
    for menu in win.menuBar().findChildren(QtWidgets.QMenu):
        for act in menu.actions():
            if act.text().replace("&", "") == text:
                return act
    raise AssertionError(f"no menu action {text!r}")


def test_file_menu_import_actions_ask_for_a_file(window, monkeypatch, data_dir):
    """Menu actions call their slot without the ``checked`` argument: the file chooser
    opens (it used to receive ``False`` as the file path)."""
    from gui import file_actions

    asked = []

    def no_file(parent, title, *args):
        asked.append(title)
        return "", ""

    monkeypatch.setattr(file_actions.QtWidgets.QFileDialog, "getOpenFileName", staticmethod(no_file))
    win, _ = window
    _menu_action(win, "Import documents…").trigger()
    _menu_action(win, "Import chat examples…").trigger()
    assert asked == ["Import documents", "Import chat examples"]


def test_import_chat_examples_from_the_file_menu(window, monkeypatch, data_dir):
    from engine.chat.examples import count_examples
    from gui import file_actions

    shown = []
    monkeypatch.setattr(file_actions.QtWidgets.QMessageBox, "information",
                        staticmethod(lambda parent, title, text: shown.append(text)))
    win, _ = window
    win.import_chat_examples(data_dir / "chat" / "dolly_open_qa_200.jsonl")
    assert count_examples(win.project) > 150
    assert shown and shown[0].startswith("Added ")


def test_conflicts_filter_and_delete_the_wrong_copy_with_undo(window, qtbot, tmp_path):
    """Issue 12: a conflicting copy (same text, other entities) is findable in the list
    and can be deleted (undoable) to resolve it."""
    win, path = window
    extra = tmp_path / "again.conll"
    extra.write_text("Paris\tB-location\nis\tO\nnice\tO\n\nParis\tB-person\nis\tO\nnice\tO\n", encoding="utf-8")
    with Project.open(path) as p:
        s = import_file(p, extra)
    assert s.conflicts == 1
    with Project.open(path) as p:
        before = p.count_conflicts()  # WNUT-17 dev has a conflicting pair of its own
    win.doc_panel.reload()
    win.doc_panel.show_conflicts()
    total = win.doc_panel.model.total()
    assert total == before >= 2
    second = win.doc_panel.model.doc_id(total - 1)  # "Paris" as a person
    win.doc_panel.select_row(total - 1)
    assert win.editor.document_id() == second
    win.delete_document()
    with Project.open(path) as p:
        assert not p.has_document(second) and p.count_conflicts() == before - 2
    assert win.doc_panel.model.total() == before - 2
    win.undo_action.trigger()
    with Project.open(path) as p:
        assert p.has_document(second) and p.count_conflicts() == before
        assert [s.label_id for s in p.spans(second)] == [p.label_by_name("person").id]
    assert win.editor.document_id() == second


def test_backups_dialog_restores_and_reopens(window, qtbot, monkeypatch):
    """File ▸ Backups (issue 13): back up now, delete a label, restore the backup; the
    window reopens on the restored project and the state before is kept as a backup."""
    from engine.backup import list_backups
    from gui.backups import BackupsDialog

    win, path = window
    with Project.open(path) as p:
        p.add_span(1, 0, 3, p.label_by_name("person").id)
        spans = p.stats().spans

    def run_dialog(self):
        self.backup_now()
        assert self.table.rowCount() >= 1 and "made by hand" in self.table.item(0, 2).text()
        with Project.open(path) as p:
            p.delete_label(p.label_by_name("person").id, backup=False)
        self.table.selectRow(0)
        assert self.restore_button.isEnabled()
        self.restore_selected(confirm=False)
        return 1

    monkeypatch.setattr(BackupsDialog, "exec", run_dialog)
    win.show_backups()
    new = win.restored_window
    qtbot.addWidget(new)
    with Project.open(path) as p:
        assert p.stats().spans == spans and p.label_by_name("person") is not None
    assert list_backups(path)[0].reason == "before restoring"
    assert new.project.label_by_name("person") is not None


def test_labeling_in_the_window_while_the_cli_imports(window, qtbot, tmp_path):
    """Issue 13: the window labels while `main.py import` writes a large file into the same
    project; every click is committed, the import finishes, nothing fails. (This caught a
    "disk I/O error": Project.open read the file with a plain open()/close(), which drops
    the process's SQLite locks, so the import took itself for the last connection and
    deleted the WAL under the window.)"""
    import subprocess
    import sys
    import time

    from tests.test_crash import ROOT, synthetic_conll

    win, path = window
    src = synthetic_conll(tmp_path / "big.conll", 8000)
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "import", str(path), str(src)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    person = label_id(win, "person")
    qtbot.mouseClick(win.label_bar.chip(person), Qt.LeftButton)
    labeled = []
    deadline = time.time() + 60
    while proc.poll() is None and time.time() < deadline:
        doc = win.current_doc_id()
        qtbot.mouseClick(win.editor, Qt.LeftButton, pos=point(win, 0))
        labeled.append(doc)
        win.doc_panel.go_next()
        qtbot.wait(20)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert labeled
    with Project.open(path) as p:
        for doc in labeled:
            assert any(s.token_start == 0 for s in p.spans(doc)), doc
        assert p.count_documents() == 1007 + 8000


def test_the_cuda_kernels_setting_reaches_the_engine(qtbot, tmp_path, monkeypatch):
    """Model ▸ Use CUDA kernels on a GPU: saved, and passed to the engine's switch."""
    from engine.kernels.gpu import OFF_ENV, kernels_off
    from engine.store import Project
    from gui.main_window import KERNELS_SETTING, MainWindow, settings

    monkeypatch.delenv(OFF_ENV, raising=False)
    path = tmp_path / "k.tessera"
    Project.create(path).close()
    win = MainWindow(path)
    qtbot.addWidget(win)
    try:
        assert win.kernels_action.isChecked() and not kernels_off()
        win.kernels_action.setChecked(False)
        assert kernels_off() and str(settings().value(KERNELS_SETTING)).lower() == "false"
        win.kernels_action.setChecked(True)
        assert not kernels_off()
    finally:
        settings().remove(KERNELS_SETTING)
        monkeypatch.delenv(OFF_ENV, raising=False)
