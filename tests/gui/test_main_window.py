"""The main window opens on a project and lists its documents (offscreen)."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from engine.demo import build_demo  # noqa: E402
from engine.importer import import_file  # noqa: E402
from engine.store import Project  # noqa: E402


def test_window_lists_documents_and_shows_entities(qtbot, tmp_path, data_dir):
    from gui.main_window import MainWindow

    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        import_file(p, data_dir / "dev.conll")
        n = p.count_documents()
        first_id = next(p.iter_documents())[0].id
    win = MainWindow(path)
    qtbot.addWidget(win)
    win.show()
    assert win.model.total() == n
    assert win.model.rowCount() < n  # paged: not everything loaded at once
    while win.model.canFetchMore():
        win.model.fetchMore()
    assert win.model.rowCount() == n
    assert win.model.doc_id(0) == first_id
    assert "done" in win.statusBar().currentMessage()


def test_demo_project_has_some_labeled_documents(tmp_path):
    path = build_demo(tmp_path / "demo.tessera")
    with Project.open(path) as p:
        s = p.stats()
    assert s.by_status["done"] == 120 and s.by_status["new"] > 300
    assert s.spans > 0 and set(s.spans_by_label) >= {"person", "location"}
