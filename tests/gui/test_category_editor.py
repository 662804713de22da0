"""Document categories in the window (issue 16): chips above the text, hotkeys (single
choice replaces, multiple toggles), Ctrl+Shift+K, undo, Ctrl+Enter, the document list's
Category column and filter; and the label palette for categories."""
from __future__ import annotations

import csv

import pytest

pytest.importorskip("pytestqt")

from engine.store import Project  # noqa: E402
from gui.qt import Qt  # noqa: E402
from tests.conftest import DATA  # noqa: E402

SAMPLE = DATA / "banking77" / "sample.csv"


@pytest.fixture
def window(qtbot, tmp_path):
    """A project of 20 BANKING77 messages (new, no category) with three of its intents as
    categories, plus one entity label."""
    from gui.main_window import MainWindow

    rows = list(csv.DictReader(open(SAMPLE, encoding="utf-8")))[:20]
    path = tmp_path / "b.tessera"
    with Project.create(path) as p:
        for r in rows:
            p.add_document(r["text"])
        p.add_label("card", kind="entity")
        for name in ("card_arrival", "change_pin", "lost_or_stolen_card"):
            p.add_label(name, kind="category")
    win = MainWindow(path)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    return win, path


def cats(win, doc_id=None):
    doc_id = win.current_doc_id() if doc_id is None else doc_id
    names = {l.id: l.name for l in win.project.labels()}
    return [names[c.label_id] for c in win.project.categories(doc_id)]


def press(qtbot, win, key, mods=Qt.NoModifier):
    win.editor.setFocus()
    qtbot.keyClick(win.editor, key, mods)


def test_chips_hotkeys_single_choice_and_undo(window, qtbot):
    win, path = window
    p = win.project
    arrival, pin, lost = (p.label_by_name(n) for n in ("card_arrival", "change_pin", "lost_or_stolen_card"))
    assert win.category_bar.isVisible() and win.category_bar.chip(arrival.id) is not None
    assert win.label_bar.chip(arrival.id) is None  # categories are not entity chips
    first = win.current_doc_id()
    press(qtbot, win, getattr(Qt, f"Key_{arrival.hotkey.upper()}"))
    assert cats(win) == ["card_arrival"] and win.category_bar.assigned() == [arrival.id]
    press(qtbot, win, getattr(Qt, f"Key_{pin.hotkey.upper()}"))  # single choice: replaces
    assert cats(win) == ["change_pin"] and win.category_bar.assigned() == [pin.id]
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)  # undo: card_arrival back
    assert cats(win) == ["card_arrival"] and win.category_bar.assigned() == [arrival.id]
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    assert cats(win) == [] and win.category_bar.assigned() == []
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)  # redo
    assert cats(win) == ["card_arrival"]
    press(qtbot, win, getattr(Qt, f"Key_{arrival.hotkey.upper()}"))  # the same key again: off
    assert cats(win) == []
    qtbot.mouseClick(win.category_bar.chip(lost.id), Qt.LeftButton)  # a chip works like its key
    assert cats(win) == ["lost_or_stolen_card"]
    # Ctrl+Enter: done and on to the next; the list shows the category
    press(qtbot, win, Qt.Key_Return, Qt.ControlModifier)
    assert win.current_doc_id() != first and p.document(first).status == "done"
    row = win.model.row_of(first)
    from gui.doclist import COL_CATEGORY, COL_ENTS

    assert win.model.index(row, COL_CATEGORY).data() == "lost_or_stolen_card"
    assert not win.doc_panel.table.isColumnHidden(COL_CATEGORY)
    assert not win.doc_panel.table.isColumnHidden(COL_ENTS)  # the project has an entity label too
    # the label filter lists categories: filtering by one shows its document
    combo = win.doc_panel.label_combo
    combo.setCurrentIndex(combo.findData(lost.id))
    assert win.model.total() == 1 and win.model.doc_id(0) == first


def test_multiple_choice_toggles(window, qtbot):
    win, _path = window
    p = win.project
    arrival, pin = p.label_by_name("card_arrival"), p.label_by_name("change_pin")
    win.category_bar.choice_combo.setCurrentIndex(win.category_bar.choice_combo.findData("multiple"))
    assert p.category_choice() == "multiple"
    press(qtbot, win, getattr(Qt, f"Key_{arrival.hotkey.upper()}"))
    press(qtbot, win, getattr(Qt, f"Key_{pin.hotkey.upper()}"))
    assert cats(win) == ["card_arrival", "change_pin"]
    press(qtbot, win, getattr(Qt, f"Key_{arrival.hotkey.upper()}"))
    assert cats(win) == ["change_pin"]
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    assert cats(win) == ["card_arrival", "change_pin"]


def test_find_category_palette_picks_and_creates(window, qtbot, monkeypatch):
    from gui import main_window
    from gui.label_palette import LabelPalette

    win, _path = window
    p = win.project
    dlg = LabelPalette(p, win, kind="category")
    dlg.filter_edit.setText("pin")
    assert [r.text for r in dlg.rows()] == ["change_pin", "pin"]  # the match, then the offer to create it
    assert dlg.model.index(1).data() == 'Create category "pin"'
    dlg.filter_edit.setText("top_up_failed")
    qtbot.keyClick(dlg.filter_edit, Qt.Key_Return)  # creates the category
    created = p.label_by_name("top_up_failed")
    assert created is not None and created.kind == "category" and dlg.picked() == created.id
    dlg.deleteLater()
    monkeypatch.setattr(main_window.LabelPalette, "pick", staticmethod(lambda project, parent=None, **kw: created.id))
    press(qtbot, win, Qt.Key_K, Qt.ControlModifier | Qt.ShiftModifier)
    assert cats(win) == ["top_up_failed"] and win.category_bar.chip(created.id) is not None
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    assert cats(win) == []


def test_entity_only_project_has_no_category_bar(qtbot, tmp_path):
    from gui.doclist import COL_CATEGORY
    from gui.main_window import MainWindow

    path = tmp_path / "e.tessera"
    with Project.create(path) as p:
        p.add_document("Ada Lovelace wrote the first program .")
        p.add_label("person")
    win = MainWindow(path)
    qtbot.addWidget(win)
    win.show()
    assert not win.category_bar.isVisible() and win.doc_panel.table.isColumnHidden(COL_CATEGORY)


def test_model_suggestions_on_chips_accept_undo_and_done(window, qtbot):
    """A classifier's suggestion shows as a dashed chip; its key accepts it (undoable);
    Done drops suggestions nobody accepted (undo brings them back)."""
    win, _path = window
    p = win.project
    arrival, pin = p.label_by_name("card_arrival"), p.label_by_name("change_pin")
    first = win.current_doc_id()
    p.replace_category_suggestions(first, [(arrival.id, 0.87)])
    win.category_bar.set_document(first)
    assert win.category_bar.suggested() == {arrival.id: 0.87} and win.category_bar.assigned() == []
    assert "87%" in win.category_bar.chip(arrival.id).toolTip()
    press(qtbot, win, getattr(Qt, f"Key_{arrival.hotkey.upper()}"))  # accept
    assert cats(win) == ["card_arrival"] and win.category_bar.suggested() == {}
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)  # undo: the suggestion is back
    assert cats(win) == [] and win.category_bar.suggested() == {arrival.id: 0.87}
    # another category replaces the suggestion (single choice)
    press(qtbot, win, getattr(Qt, f"Key_{pin.hotkey.upper()}"))
    assert cats(win) == ["change_pin"] and win.category_bar.suggested() == {}
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    # Done with the suggestion not accepted: it is dropped, never gold; undo brings it back
    press(qtbot, win, Qt.Key_Return, Qt.ControlModifier)
    assert p.document(first).status == "done" and p.categories(first, source=None) == []
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    assert p.document(first).status == "new" and [c.label_id for c in p.categories(first, source="model")] == \
        [arrival.id]
