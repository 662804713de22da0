"""Label bar, label palette (Ctrl+K) and label manager, offscreen with pytest-qt.

Screenshots of the three widgets in light and dark palettes: ``python tests/gui/shots.py``.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("pytestqt")

from engine.palette import PALETTE  # noqa: E402
from gui.qt import QtCore, QtGui, QtWidgets, Qt  # noqa: E402

WNUT = ("person", "location", "corporation", "product", "creative-work", "group")


def spy(signal) -> list:
    """Return a list that collects every emission of ``signal`` (its first argument, or None)."""
    got: list = []
    signal.connect(lambda *a: got.append(a[0] if a else None))
    return got


@pytest.fixture
def wnut(project):
    """The project with the six WNUT-17 labels; returns ``{name: id}``."""
    return {n: project.add_label(n).id for n in WNUT}


def add_entities(project, label_id: int, per_doc: list[int]) -> None:
    """Add one document per entry of ``per_doc`` with that many entities of ``label_id``."""
    for k, n in enumerate(per_doc):
        words = " ".join(f"w{k}x{j}" for j in range(max(n, 1) * 2))
        d = project.add_document(words)
        for j in range(n):
            project.add_token_span(d, 2 * j, 2 * j + 1, label_id)


# --------------------------------------------------------------------------- label bar


@pytest.fixture
def bar(qtbot, project, wnut):
    from gui.label_bar import LabelBar

    w = LabelBar(project)
    qtbot.addWidget(w)
    w.resize(900, 80)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_bar_has_a_chip_per_label_with_name_hotkey_and_tooltip(bar, project):
    labels = project.labels()
    assert len(labels) == 6
    for lab in labels:
        chip = bar.chip(lab.id)
        assert chip is not None and chip.text() == lab.name and chip.isVisible()
        assert chip.label.hotkey == lab.hotkey and chip.label.color == lab.color
        tip = chip.toolTip()
        assert "Ctrl+K to search labels" in tip and f"<b>{lab.hotkey}</b>" in tip
        assert chip.width() >= QtGui.QFontMetrics(chip.font()).horizontalAdvance(lab.name)


def test_clicking_a_chip_activates_it_and_clicking_again_deactivates(qtbot, bar, wnut):
    got = spy(bar.labelActivated)
    chip = bar.chip(wnut["location"])
    qtbot.mouseClick(chip, Qt.LeftButton)
    assert got == [wnut["location"]]
    assert bar.active() == wnut["location"] and chip.is_active()
    qtbot.mouseClick(bar.chip(wnut["group"]), Qt.LeftButton)
    assert got[-1] == wnut["group"] and not chip.is_active()
    qtbot.mouseClick(bar.chip(wnut["group"]), Qt.LeftButton)
    assert got == [wnut["location"], wnut["group"], -1]
    assert bar.active() is None
    assert not any(bar.chip(i).is_active() for i in wnut.values())


def test_set_active_does_not_emit(bar, wnut):
    got = spy(bar.labelActivated)
    bar.set_active(wnut["product"])
    assert bar.active() == wnut["product"] and bar.chip(wnut["product"]).is_active()
    bar.set_active(None)
    bar.set_active(-1)
    assert bar.active() is None and got == []


def test_reload_shows_new_names_and_drops_a_deleted_active_label(bar, project, wnut):
    bar.set_active(wnut["group"])
    got = spy(bar.labelActivated)
    project.rename_label(wnut["person"], "human")
    project.delete_label(wnut["group"])
    bar.reload()
    assert bar.chip(wnut["person"]).text() == "human"
    assert bar.chip(wnut["group"]) is None
    assert bar.active() is None and got == [-1]


def test_add_and_manage_buttons_emit(qtbot, bar):
    add, manage = spy(bar.addRequested), spy(bar.manageRequested)
    qtbot.mouseClick(bar.add_button, Qt.LeftButton)
    qtbot.mouseClick(bar.manage_button, Qt.LeftButton)
    assert len(add) == 1 and len(manage) == 1


def test_bar_with_45_labels_wraps_and_stays_compact(qtbot, project):
    from gui.label_bar import MAX_ROWS, LabelBar

    for k in range(45):
        project.add_label(f"entity-type-{k:02d}")
    w = LabelBar(project)
    qtbot.addWidget(w)
    w.resize(700, 300)
    w.show()
    qtbot.waitExposed(w)
    chips = [w.chip(l.id) for l in project.labels()]
    assert len(chips) == 45
    tops = sorted({c.geometry().top() for c in chips})
    assert len(tops) > MAX_ROWS  # wrapped onto many rows...
    row = chips[0].height()
    assert w.sizeHint().height() < (MAX_ROWS + 1) * (row + 6) + 20  # ...but shows at most MAX_ROWS
    for c in chips:  # no chip sticks out to the right
        assert c.geometry().right() < w.width()


# --------------------------------------------------------------------------- label palette


@pytest.fixture
def sixty(project):
    """60 labels: the WNUT ones and 54 numbered ones."""
    for n in WNUT:
        project.add_label(n)
    for k in range(54):
        project.add_label(f"type-{k:02d}")
    return {l.name: l.id for l in project.labels()}


@pytest.fixture
def palette(qtbot, project, sixty):
    from gui.label_palette import LabelPalette

    w = LabelPalette(project)
    qtbot.addWidget(w)
    w.show()
    return w


def names(rows) -> list[str]:
    return [r.label.name if r.label else f"+{r.text}" for r in rows]


def test_palette_lists_all_60_labels_without_a_ceiling(palette):
    rows = palette.rows()
    assert len(rows) == 60 and all(r.label is not None for r in rows)
    assert palette.count_label.text() == "60 labels"


def test_palette_filters_by_substring_ignoring_case(qtbot, palette):
    qtbot.keyClicks(palette.filter_edit, "TYPE-1")
    got = names(palette.rows())
    assert got == [f"type-{k}" for k in range(10, 20)] + ["+TYPE-1"]
    palette.filter_edit.setText("at")  # substring anywhere, in label order
    assert names(palette.rows()) == ["location", "corporation", "creative-work", "+at"]
    palette.filter_edit.setText("P")  # names that start with it come first
    assert names(palette.rows()) == (
        ["person", "product", "corporation", "group"] + [f"type-{k:02d}" for k in range(54)] + ["+P"]
    )
    palette.filter_edit.setText("  Person ")  # exact match (any case): no create row
    assert names(palette.rows()) == ["person"]


def test_palette_up_down_and_enter_pick_the_highlighted_label(qtbot, palette, sixty):
    picked = spy(palette.labelPicked)
    qtbot.keyClicks(palette.filter_edit, "type-2")
    assert palette.current_row().label.name == "type-20"
    for key in (Qt.Key_Down, Qt.Key_Down, Qt.Key_Down, Qt.Key_Up):
        qtbot.keyClick(palette.filter_edit, key)
    assert palette.current_row().label.name == "type-22"
    qtbot.keyClick(palette.filter_edit, Qt.Key_Return)
    assert picked == [sixty["type-22"]] and palette.picked() == sixty["type-22"]
    assert palette.result() == QtWidgets.QDialog.Accepted


def test_palette_down_reaches_rows_past_the_tenth(qtbot, palette, sixty):
    for _ in range(40):
        qtbot.keyClick(palette.filter_edit, Qt.Key_Down)
    qtbot.keyClick(palette.filter_edit, Qt.Key_Enter)
    assert palette.picked() == sorted(sixty.values())[40]  # the 41st label (labels are in id order)


def test_palette_creates_a_label_from_the_typed_text(qtbot, palette, project):
    created, picked = spy(palette.labelCreated), spy(palette.labelPicked)
    qtbot.keyClicks(palette.filter_edit, "sports team")
    rows = palette.rows()
    assert rows[-1].label is None and rows[-1].text == "sports team"
    assert palette.list_view.model().data(palette.list_view.model().index(len(rows) - 1, 0)) == (
        'Create label "sports team"'
    )
    qtbot.keyClick(palette.filter_edit, Qt.Key_Return)
    lab = project.label_by_name("sports team")
    assert lab is not None and len(project.labels()) == 61
    assert created == [lab.id] and picked == [lab.id] and palette.picked() == lab.id


def test_palette_create_error_is_shown_inline(qtbot, palette, project):
    palette.filter_edit.setText("x" * 101)
    qtbot.keyClick(palette.filter_edit, Qt.Key_Return)
    assert palette.picked() is None and len(project.labels()) == 60
    assert palette.error_label.isVisibleTo(palette) and "100 characters" in palette.error_label.text()


def test_palette_escape_closes_without_picking(qtbot, palette):
    picked = spy(palette.labelPicked)
    qtbot.keyClicks(palette.filter_edit, "loc")
    qtbot.keyClick(palette.filter_edit, Qt.Key_Escape)
    assert palette.result() == QtWidgets.QDialog.Rejected and palette.picked() is None and picked == []


def test_pick_runs_modally_and_returns_the_id(qtbot, project, sixty):
    from gui.label_palette import LabelPalette

    def drive():
        dlg = next(w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, LabelPalette) and w.isVisible())
        qtbot.keyClicks(dlg.filter_edit, "corp")
        qtbot.keyClick(dlg.filter_edit, Qt.Key_Return)

    QtCore.QTimer.singleShot(0, drive)
    assert LabelPalette.pick(project) == sixty["corporation"]


# --------------------------------------------------------------------------- label manager


@pytest.fixture
def manager(qtbot, project, wnut):
    from gui.label_manager import LabelManager

    w = LabelManager(project)
    qtbot.addWidget(w)
    w.show()
    return w


def by_id(project) -> dict:
    return {l.id: l for l in project.labels()}


def cell(manager, label_id: int, column: int) -> QtCore.QModelIndex:
    return manager.model.index(manager.model.row_of(label_id), column)


def test_manager_table_shows_labels_and_entity_counts(manager, project, wnut):
    from gui.label_manager import COL_COUNT, COL_HOTKEY, COL_NAME

    add_entities(project, wnut["person"], [2, 1, 1])
    manager.model.reload()
    assert manager.model.rowCount() == 6
    assert cell(manager, wnut["person"], COL_NAME).data() == "person"
    assert cell(manager, wnut["person"], COL_COUNT).data() == "4"
    assert cell(manager, wnut["group"], COL_COUNT).data() == "0"
    assert cell(manager, wnut["location"], COL_HOTKEY).data(Qt.EditRole) == "2"


def test_rename_by_editing_the_name_cell(qtbot, manager, project, wnut):
    changed = spy(manager.labelsChanged)
    manager.select_label(wnut["person"])
    qtbot.mouseClick(manager.rename_button, Qt.LeftButton)
    editor = manager.table.viewport().findChild(QtWidgets.QLineEdit)
    assert editor is not None and editor.text() == "person"
    editor.selectAll()
    qtbot.keyClicks(editor, "human being")
    qtbot.keyClick(editor, Qt.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: by_id(project)[wnut["person"]].name == "human being", timeout=2000)
    assert len(changed) == 1 and manager.message_kind() == "info"
    from gui.label_manager import COL_NAME

    assert cell(manager, wnut["person"], COL_NAME).data() == "human being"


def test_duplicate_or_empty_name_shows_an_error_and_changes_nothing(manager, project, wnut):
    from gui.label_manager import COL_NAME

    before = project.labels()
    changed = spy(manager.labelsChanged)
    assert not manager.model.setData(cell(manager, wnut["person"], COL_NAME), "location")
    assert manager.message_kind() == "error" and "already exists" in manager.message_text()
    assert manager.message.isVisible()
    assert not manager.model.setData(cell(manager, wnut["person"], COL_NAME), "   ")
    assert manager.message_text() == "A label needs a name."
    manager.name_edit.setText("group")
    manager.add_button.click()
    assert "already exists" in manager.message_text() and manager.name_edit.text() == "group"
    assert project.labels() == before and changed == []


def test_add_creates_a_label(manager, project):
    changed = spy(manager.labelsChanged)
    manager.name_edit.setText("event")
    manager.add_button.click()
    lab = project.label_by_name("event")
    assert lab is not None and manager.selected_label() == lab.id and manager.name_edit.text() == ""
    assert manager.model.rowCount() == 7 and len(changed) == 1


def test_recolour_uses_the_colour_dialog_and_warns_about_pale_colours(monkeypatch, manager, project, wnut):
    asked = []

    def fake_get_color(initial, parent=None, title="", *a, **k):
        asked.append((initial.name(), QtWidgets.QColorDialog.customColor(0).name()))
        return QtGui.QColor(chosen)

    monkeypatch.setattr(QtWidgets.QColorDialog, "getColor", staticmethod(fake_get_color))
    changed = spy(manager.labelsChanged)
    manager.select_label(wnut["location"])
    chosen = "#2a7f62"
    manager.color_button.click()
    assert by_id(project)[wnut["location"]].color == "#2a7f62"
    assert asked == [(PALETTE[1], PALETTE[0])]  # current colour offered; palette set as custom colours
    assert manager.message_kind() == "info"

    chosen = "#f4f1e8"  # nearly white: invisible on the light theme
    manager.color_button.click()
    assert by_id(project)[wnut["location"]].color == "#f4f1e8"
    assert manager.message_kind() == "warning"
    assert "hard to see on the light theme" in manager.message_text() and "dark theme" not in manager.message_text()

    chosen = "#262630"  # nearly the dark base
    manager.color_button.click()
    assert "hard to see on the dark theme" in manager.message_text()
    assert len(changed) == 3


def test_theme_warning_contrast_numbers():
    from gui.label_style import contrast, theme_warning

    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#777777") == pytest.approx(1.0)
    assert all(theme_warning(c) is None for c in PALETTE)  # the built-in colours pass
    assert "1.1:1 against white" in theme_warning("#f4f1e8")


def test_hotkey_edit_accepts_one_key_and_refuses_taken_or_reserved(manager, project, wnut):
    from gui.label_manager import COL_HOTKEY

    changed = spy(manager.labelsChanged)
    ix = cell(manager, wnut["group"], COL_HOTKEY)
    assert manager.model.setData(ix, "K")
    assert by_id(project)[wnut["group"]].hotkey == "k" and manager.message_kind() == "info"

    assert not manager.model.setData(ix, "1")  # person has 1
    assert manager.message_kind() == "error" and "already used by the label 'person'" in manager.message_text()
    for key in ("s", "X"):
        assert not manager.model.setData(ix, key)
        assert "reserved" in manager.message_text()
    assert not manager.model.setData(ix, "#")
    assert manager.message_text() == "A hotkey is one letter or digit."
    assert by_id(project)[wnut["group"]].hotkey == "k"

    assert manager.model.setData(ix, "")
    assert by_id(project)[wnut["group"]].hotkey is None
    assert len(changed) == 2


def test_hotkey_button_opens_the_hotkey_editor(qtbot, manager, project, wnut):
    manager.select_label(wnut["product"])
    qtbot.mouseClick(manager.hotkey_button, Qt.LeftButton)
    editor = manager.table.viewport().findChild(QtWidgets.QLineEdit)
    assert editor is not None and editor.maxLength() == 1
    editor.selectAll()
    qtbot.keyClicks(editor, "j")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: by_id(project)[wnut["product"]].hotkey == "j", timeout=2000)


@pytest.fixture
def answer(monkeypatch):
    """Make QMessageBox.exec click the button of ``answer.role``; record the question in ``answer.asked``."""

    class Answer:
        role = QtWidgets.QMessageBox.DestructiveRole
        asked: list[str] = []

    def fake_exec(box):
        Answer.asked.append(box.text())
        btn = next(b for b in box.buttons() if box.buttonRole(b) == Answer.role)
        btn.click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", fake_exec)
    return Answer


def test_delete_asks_with_entity_and_document_counts(qtbot, answer, manager, project, wnut):
    add_entities(project, wnut["person"], [3, 1, 2, 1])  # 7 entities in 4 documents
    add_entities(project, wnut["location"], [2])
    changed = spy(manager.labelsChanged)
    manager.select_label(wnut["person"])

    answer.role = QtWidgets.QMessageBox.RejectRole  # Cancel: nothing happens
    manager.delete_button.click()
    assert wnut["person"] in by_id(project) and changed == []

    answer.role = QtWidgets.QMessageBox.DestructiveRole
    manager.delete_button.click()
    assert answer.asked[-1] == (
        'Delete the label "person"? This removes 7 entities from 4 documents. You cannot undo this.'
    )
    assert wnut["person"] not in by_id(project)
    assert project.label_span_count(wnut["location"]) == 2
    assert project.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 2
    assert manager.model.rowCount() == 5 and len(changed) == 1
    assert "7 entities" in manager.message_text()


def test_delete_question_wording():
    from gui.label_manager import delete_question

    assert delete_question("group", 0, 0) == 'Delete the label "group"? No entities use it.'
    assert delete_question("x", 1, 1) == 'Delete the label "x"? This removes 1 entity from 1 document. You cannot undo this.'
    assert "1,234 entities from 87 documents" in delete_question("x", 1234, 87)


def test_delete_key_in_table_deletes_after_confirmation(qtbot, answer, manager, project, wnut):
    manager.select_label(wnut["group"])
    manager.table.setFocus()
    qtbot.keyClick(manager.table, Qt.Key_Delete)
    assert answer.asked == ['Delete the label "group"? No entities use it.']
    assert wnut["group"] not in by_id(project)
