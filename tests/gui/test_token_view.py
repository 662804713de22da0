"""The click-to-label token view (offscreen): clicks, drags, keys and undo on real WNUT-17 text.

Run as a script to render a screenshot for a human (timings: tests/bench/bench_editor.py)::

    python tests/gui/test_token_view.py [--out /tmp/token_view.png] [--dark]
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

pytest.importorskip("pytestqt")

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.store import Project  # noqa: E402
from tests.conftest import conll_tokens as wnut_sentences  # noqa: E402
from tests.conftest import join_sentences as make_doc  # noqa: E402
from gui.qt import QtCore, QtGui, QtWidgets, Qt  # noqa: E402

DATA = ROOT / "tests" / "data"


# --------------------------------------------------------------------------- helpers


def build_project(path: Path, data_dir: Path, n_docs: int = 6) -> tuple[Project, list[int], dict[str, int]]:
    sents = [s for s in wnut_sentences(data_dir / "dev.conll") if 8 <= len(s) <= 40]
    p = Project.create(path)
    labels = {name: p.add_label(name).id for name in ("person", "location", "product", "group", "corporation")}
    ids = []
    for k in range(n_docs):
        text, tokens, sentences = make_doc(sents[2 * k : 2 * k + 2])
        ids.append(p.add_document(text, tokens, sentences))
    return p, ids, labels


def stored(p: Project, doc_id: int) -> list[tuple[int, int, int]]:
    return [(s.start, s.end, s.label_id) for s in p.spans(doc_id)]


def token_spans(p: Project, doc_id: int) -> list[tuple[int, int, int]]:
    return [(s.token_start, s.token_end, s.label_id) for s in p.spans(doc_id)]


def center(view, i: int) -> QtCore.QPoint:
    return view.token_rect(i).center().toPoint()


@pytest.fixture
def setup(qtbot, tmp_path, data_dir):
    from gui.editor.token_view import TokenView

    p, ids, labels = build_project(tmp_path / "p.tessera", data_dir)
    stack = QtGui.QUndoStack()
    view = TokenView(p, stack)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.set_document(ids[0])
    view.show()
    qtbot.waitExposed(view)
    yield view, p, ids, labels, stack
    stack.clear()
    p.close()


# --------------------------------------------------------------------------- mouse


def test_click_labels_a_token(setup, qtbot):
    view, p, ids, labels, _ = setup
    doc = p.document(ids[0])
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 2))
    assert p.spans(ids[0]) == []  # no active label: nothing happens, a hint is shown
    assert "label" in view.last_status.lower()
    view.set_active_label(labels["location"])
    with qtbot.waitSignal(view.spansChanged, timeout=1000) as sig:
        qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 2))
    assert sig.args == [ids[0]]
    s, e = doc.tokens[2]
    assert stored(p, ids[0]) == [(s, e, labels["location"])]
    assert view.selected_span() is None


def test_drag_makes_one_span(setup, qtbot):
    view, p, ids, labels, _ = setup
    view.set_active_label(labels["person"])
    qtbot.mousePress(view, Qt.LeftButton, pos=center(view, 1))
    qtbot.mouseMove(view, center(view, 2))
    qtbot.mouseMove(view, center(view, 3))
    assert view._drag_range == (1, 4)  # hover preview before release
    view.repaint()  # the dotted preview paints
    qtbot.mouseRelease(view, Qt.LeftButton, pos=center(view, 3))
    assert token_spans(p, ids[0]) == [(1, 4, labels["person"])]


def test_drag_backwards_snaps_to_whole_tokens(setup, qtbot):
    view, p, ids, labels, _ = setup
    view.set_active_label(labels["product"])
    r5 = view.token_rect(5)
    start = QtCore.QPoint(int(r5.right()) - 1, int(r5.center().y()))  # the last pixel of token 5
    r3 = view.token_rect(3)
    end = QtCore.QPoint(int(r3.left()) + 1, int(r3.center().y()))
    qtbot.mousePress(view, Qt.LeftButton, pos=start)
    qtbot.mouseMove(view, end)
    qtbot.mouseRelease(view, Qt.LeftButton, pos=end)
    doc = p.document(ids[0])
    assert stored(p, ids[0]) == [(doc.tokens[3][0], doc.tokens[5][1], labels["product"])]


def test_shift_click_labels_the_range(setup, qtbot):
    view, p, ids, labels, _ = setup
    view.set_active_label(labels["group"])
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 4))
    qtbot.mouseClick(view, Qt.LeftButton, Qt.ShiftModifier, pos=center(view, 7))
    assert token_spans(p, ids[0]) == [(4, 8, labels["group"])]


def test_click_inside_span_selects_and_delete_removes(setup, qtbot):
    view, p, ids, labels, stack = setup
    p.add_token_span(ids[0], 2, 5, labels["location"])
    view.refresh()
    view.set_active_label(labels["person"])
    with qtbot.waitSignal(view.selectionChanged, timeout=1000):
        qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 3))
    sp = view.selected_span()
    assert sp is not None and (sp.token_start, sp.token_end, sp.label_id) == (2, 5, labels["location"])
    assert token_spans(p, ids[0]) == [(2, 5, labels["location"])]  # selecting does not relabel
    assert view.cursor() == (2, 5)
    view.repaint()
    qtbot.keyClick(view, Qt.Key_Delete)
    assert p.spans(ids[0]) == []
    assert view.selected_span() is None
    stack.undo()
    assert token_spans(p, ids[0]) == [(2, 5, labels["location"])]
    assert p.spans(ids[0])[0].id == sp.id  # same id back


def test_click_outside_tokens_clears_selection(setup, qtbot):
    view, p, ids, labels, _ = setup
    p.add_token_span(ids[0], 0, 1, labels["location"])
    view.refresh()
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 0))
    assert view.selected_span() is not None
    qtbot.mouseClick(view, Qt.LeftButton, pos=QtCore.QPoint(view.width() - 3, view.height() - 3))
    assert view.selected_span() is None
    assert len(p.spans(ids[0])) == 1


def test_hotkey_relabels_selected_span(setup, qtbot):
    view, p, ids, labels, stack = setup
    p.add_token_span(ids[0], 3, 5, labels["location"])
    view.refresh()
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 4))
    person_key = p._get_label(labels["person"]).hotkey
    assert person_key == "1"
    with qtbot.waitSignal(view.activeLabelChanged, timeout=1000) as sig:
        qtbot.keyClick(view, Qt.Key_1)
    assert sig.args == [labels["person"]]
    assert view.active_label() == labels["person"]
    assert token_spans(p, ids[0]) == [(3, 5, labels["person"])]
    assert view.selected_span() is not None and view.selected_span().label_id == labels["person"]
    stack.undo()
    assert token_spans(p, ids[0]) == [(3, 5, labels["location"])]


def test_hotkey_without_selection_only_switches_label(setup, qtbot):
    view, p, ids, labels, _ = setup
    view.set_active_label(labels["person"])
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 0))
    qtbot.keyClick(view, Qt.Key_2)  # switching label must not relabel what was just made
    assert view.active_label() == labels["location"]
    assert token_spans(p, ids[0]) == [(0, 1, labels["person"])]


def test_click_without_label_then_hotkey_labels_it(setup, qtbot):
    view, p, ids, labels, _ = setup
    qtbot.mousePress(view, Qt.LeftButton, pos=center(view, 2))
    qtbot.mouseMove(view, center(view, 4))
    qtbot.mouseRelease(view, Qt.LeftButton, pos=center(view, 4))
    assert p.spans(ids[0]) == []
    view.repaint()
    qtbot.keyClick(view, Qt.Key_3)
    assert token_spans(p, ids[0]) == [(2, 5, labels["product"])]


def test_context_menu_relabel_and_remove(setup, qtbot):
    view, p, ids, labels, _ = setup
    p.add_token_span(ids[0], 1, 3, labels["group"])
    view.refresh()
    sp = p.spans(ids[0])[0]
    menu = view.context_menu_for(sp)
    sub = menu.actions()[0].menu()
    assert menu.actions()[0].text() == "Relabel as"
    names = [a.text().split("\t")[0] for a in sub.actions()]
    assert names == ["person", "location", "product", "group", "corporation"]
    next(a for a in sub.actions() if a.data() == labels["corporation"]).trigger()
    assert token_spans(p, ids[0]) == [(1, 3, labels["corporation"])]
    menu2 = view.context_menu_for(p.spans(ids[0])[0])
    next(a for a in menu2.actions() if a.text().startswith("Remove")).trigger()
    assert p.spans(ids[0]) == []


def test_right_click_elsewhere_does_nothing(setup, qtbot):
    view, p, ids, labels, _ = setup
    ev = QtGui.QContextMenuEvent(QtGui.QContextMenuEvent.Mouse, center(view, 0), view.mapToGlobal(center(view, 0)))
    QtWidgets.QApplication.sendEvent(view, ev)  # no span there: returns at once, no menu
    assert view.selected_span() is None and p.spans(ids[0]) == []


# --------------------------------------------------------------------------- undo


def test_undo_redo_restore_exactly(setup, qtbot):
    view, p, ids, labels, stack = setup
    doc = ids[0]
    history = [stored(p, doc)]
    view.set_active_label(labels["person"])
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 0))
    history.append(stored(p, doc))
    view.set_active_label(labels["location"])
    qtbot.mousePress(view, Qt.LeftButton, pos=center(view, 3))
    qtbot.mouseMove(view, center(view, 5))
    qtbot.mouseRelease(view, Qt.LeftButton, pos=center(view, 5))
    history.append(stored(p, doc))
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 4))  # select it
    qtbot.keyClick(view, Qt.Key_3)  # relabel as product
    history.append(stored(p, doc))
    qtbot.keyClick(view, Qt.Key_Delete)
    history.append(stored(p, doc))
    assert len({tuple(h) for h in history}) == 4 and all(a != b for a, b in zip(history, history[1:]))
    ids_before = [s.id for s in p.spans(doc)]
    for k in range(4, 0, -1):
        qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
        assert stored(p, doc) == history[k - 1]
    assert not stack.canUndo()
    for k in range(1, 5):
        qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
        assert stored(p, doc) == history[k]
    assert [s.id for s in p.spans(doc)] == ids_before
    stack.undo()
    qtbot.keyClick(view, Qt.Key_Y, Qt.ControlModifier)
    assert stored(p, doc) == history[4]


def test_overlapping_span_replaces_and_undo_brings_back(setup, qtbot):
    view, p, ids, labels, stack = setup
    p.add_token_span(ids[0], 2, 4, labels["location"])
    p.add_token_span(ids[0], 5, 6, labels["person"])
    view.refresh()
    before = stored(p, ids[0])
    old_ids = [s.id for s in p.spans(ids[0])]
    view.set_active_label(labels["group"])
    qtbot.mousePress(view, Qt.LeftButton, pos=center(view, 3))
    qtbot.mouseMove(view, center(view, 5))
    qtbot.mouseRelease(view, Qt.LeftButton, pos=center(view, 5))
    assert token_spans(p, ids[0]) == [(3, 6, labels["group"])]
    stack.undo()
    assert stored(p, ids[0]) == before
    assert [s.id for s in p.spans(ids[0])] == old_ids
    stack.redo()
    assert token_spans(p, ids[0]) == [(3, 6, labels["group"])]
    assert [(s.token_start, s.token_end) for s in view.spans()] == [(3, 6)]


def test_undo_actions_installed(setup):
    view, *_ = setup
    assert view.undo_action in view.actions() and view.redo_action in view.actions()
    redo_keys = {k.toString() for k in view.redo_action.shortcuts()}
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= redo_keys


# --------------------------------------------------------------------------- keys


def test_arrows_shift_enter_label_the_selection(setup, qtbot):
    view, p, ids, labels, _ = setup
    view.set_active_label(labels["corporation"])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Right)  # shows the cursor at the first token
    assert view.cursor() == (0, 1)
    qtbot.keyClick(view, Qt.Key_Right)
    qtbot.keyClick(view, Qt.Key_Right)
    assert view.cursor() == (2, 3)
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    assert view.cursor() == (2, 5)
    qtbot.keyClick(view, Qt.Key_Left, Qt.ShiftModifier)
    assert view.cursor() == (2, 4)
    view.repaint()
    qtbot.keyClick(view, Qt.Key_Return)
    assert token_spans(p, ids[0]) == [(2, 4, labels["corporation"])]
    qtbot.keyClick(view, Qt.Key_Escape)
    assert view.cursor()[1] - view.cursor()[0] == 1 and view.selected_span() is None


def test_shift_arrows_then_hotkey_labels_selection(setup, qtbot):
    view, p, ids, labels, _ = setup
    view.set_cursor(1)
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    qtbot.keyClick(view, Qt.Key_2)
    assert token_spans(p, ids[0]) == [(1, 3, labels["location"])]


def test_up_down_move_between_lines(setup, qtbot):
    view, p, ids, labels, _ = setup
    lay = view.text_layout()
    assert lay.n_lines >= 2  # two sentences: two lines at least (newline between them)
    first_of_line1 = lay.line_first_token[1]
    view.set_cursor(first_of_line1)
    qtbot.keyClick(view, Qt.Key_Up)
    assert lay.line_of[view.cursor()[0]] == 0
    qtbot.keyClick(view, Qt.Key_Down)
    assert lay.line_of[view.cursor()[0]] == 1


# --------------------------------------------------------------------------- documents and layout


def test_switching_documents(setup, qtbot):
    view, p, ids, labels, stack = setup
    view.set_active_label(labels["person"])
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 0))
    view.set_document(ids[1])
    assert view.document_id() == ids[1]
    assert view.spans() == [] and view.cursor() == (0, 1)
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 1))
    assert token_spans(p, ids[1]) == [(1, 2, labels["person"])]
    assert token_spans(p, ids[0]) == [(0, 1, labels["person"])]
    stack.undo()  # undoes in document 1, which is shown
    assert p.spans(ids[1]) == [] and view.spans() == []
    stack.undo()  # the edit in document 0: the store changes, the view stays on document 1
    assert p.spans(ids[0]) == [] and view.document_id() == ids[1]


def test_newline_starts_a_line_and_touching_tokens_have_no_gap(qtbot, tmp_path):
    from gui.editor.token_view import TokenView

    p = Project.create(tmp_path / "p.tessera")
    text = "I like this view.\nSecond line here"
    tokens = [(0, 1), (2, 6), (7, 11), (12, 16), (16, 17), (18, 24), (25, 29), (30, 34)]
    doc = p.add_document(text, tokens, [(0, 5), (5, 8)])
    view = TokenView(p, QtGui.QUndoStack())
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.set_document(doc)
    lay = view.text_layout()
    assert lay.line_first_token == [0, 5]
    assert view.token_rect(4).left() == pytest.approx(view.token_rect(3).right())  # "view" "." touch
    assert view.token_rect(2).left() > view.token_rect(1).right() + 2  # a word gap
    assert view.token_rect(5).top() > view.token_rect(4).bottom()  # newline: next line
    p.close()


def test_narrow_width_wraps_and_hit_testing_is_exact(setup, qtbot):
    view, p, ids, labels, _ = setup
    view.resize(260, 400)
    lay = view.text_layout()
    assert lay.width <= 262 and lay.n_lines > 3
    assert all(r.right() <= 260 or lay.line_first_token[lay.line_of[i]] == i for i, r in enumerate(lay.rects))
    for i in range(len(lay.rects)):
        assert view.token_at(view.token_rect(i).center()) == i
    assert view.minimumHeight() >= int(lay.height)


def test_cjk_document(qtbot, tmp_path):
    from gui.editor.token_view import TokenView

    p = Project.create(tmp_path / "p.tessera")
    loc = p.add_label("location").id
    text = "我爱北京天安门。"
    doc = p.add_document(text, [(i, i + 1) for i in range(len(text))], [(0, len(text))])
    stack = QtGui.QUndoStack()
    view = TokenView(p, stack)
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.set_document(doc)
    view.show()
    qtbot.waitExposed(view)
    view.set_active_label(loc)
    qtbot.mousePress(view, Qt.LeftButton, pos=center(view, 2))
    qtbot.mouseMove(view, center(view, 3))
    qtbot.mouseRelease(view, Qt.LeftButton, pos=center(view, 3))
    assert stored(p, doc) == [(2, 4, loc)]  # 北京
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 4))
    qtbot.mouseClick(view, Qt.LeftButton, Qt.ShiftModifier, pos=center(view, 6))
    assert stored(p, doc) == [(2, 4, loc), (4, 7, loc)]  # 天安门
    assert not view.grab().isNull()
    stack.clear()
    p.close()


def test_long_document_paints_and_last_token_reachable(qtbot, tmp_path, data_dir):
    from gui.editor.token_view import TokenView

    sents = wnut_sentences(data_dir / "dev.conll")
    picked, n = [], 0
    for s in sents:
        picked.append(s)
        n += len(s)
        if n >= 5000:
            break
    text, tokens, sentences = make_doc(picked)
    assert len(tokens) >= 5000
    p = Project.create(tmp_path / "p.tessera")
    lab = p.add_label("person").id
    doc = p.add_document(text, tokens, sentences)
    for t in range(0, len(tokens) - 3, 97):
        p.add_token_span(doc, t, t + 2, lab)
    stack = QtGui.QUndoStack()
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    view = TokenView(p, stack)
    area.setWidget(view)
    qtbot.addWidget(area)
    area.resize(900, 600)
    area.show()
    view.set_document(doc)
    qtbot.waitExposed(area)
    QtWidgets.QApplication.processEvents()
    last = len(tokens) - 1
    r = view.token_rect(last)
    assert r.bottom() < view.height() and r.right() <= view.width()
    area.ensureVisible(int(r.center().x()), int(r.center().y()))
    QtWidgets.QApplication.processEvents()
    view.repaint()
    view.set_active_label(lab)
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, last))
    assert p.spans(doc)[-1].token_end == last + 1
    img = view.grab(QtCore.QRect(0, int(r.top()) - 200, view.width(), 400))
    assert not img.isNull()
    stack.clear()
    p.close()


def test_model_suggestions_and_grab(setup, qtbot, tmp_path):
    view, p, ids, labels, _ = setup
    doc = p.document(ids[0])
    p.add_span(ids[0], doc.tokens[1][0], doc.tokens[2][1], labels["product"], source="model", score=0.82)
    p.add_token_span(ids[0], 4, 5, labels["person"])
    view.refresh()
    qtbot.mouseClick(view, Qt.LeftButton, pos=center(view, 1))
    assert view.selected_span().source == "model"
    qtbot.keyClick(view, Qt.Key_Return)  # no active label: accepts the suggestion as it is
    assert [(s.token_start, s.token_end, s.source) for s in p.spans(ids[0])] == [(1, 3, "human"), (4, 5, "human")]
    out = tmp_path / "x.png"
    assert view.grab().save(str(out))
    assert out.stat().st_size > 1000


def test_reload_labels_drops_deleted_active_label(setup):
    view, p, ids, labels, _ = setup
    view.set_active_label(labels["corporation"])
    p.delete_label(labels["corporation"])
    view.reload_labels()
    assert view.active_label() is None


def test_commands_directly(project, data_dir):
    from gui.editor.commands import ApplySpanCommand, RemoveSpanCommand

    text, tokens, sentences = make_doc(wnut_sentences(data_dir / "dev.conll")[:1])
    doc = project.add_document(text, tokens, sentences)
    lab = project.add_label("x").id
    seen = []
    stack = QtGui.QUndoStack()
    stack.push(ApplySpanCommand(project, doc, 0, 2, lab, seen.append))
    assert seen == [doc] and token_spans(project, doc) == [(0, 2, lab)]
    sp = project.spans(doc)[0]
    stack.push(RemoveSpanCommand(project, sp, seen.append))
    assert project.spans(doc) == []
    stack.undo()
    assert project.spans(doc) == [sp]
    stack.undo()
    assert project.spans(doc) == []
    stack.redo()
    stack.redo()
    assert project.spans(doc) == []
    assert len(seen) == 6
    assert stack.undoText().startswith("Remove")
    stack.push(ApplySpanCommand(project, doc, 0, 99999, lab, seen.append))  # refused: dropped
    assert stack.count() == 2 and project.spans(doc) == []
    stack.clear()


def test_incremental_layout_matches_full_layout(qtbot, data_dir):
    import random

    from gui.editor.layout import Geometry, gap_kinds, layout_tokens

    text, tokens, _ = make_doc(wnut_sentences(data_dir / "dev.conll")[:120])
    font = QtGui.QFont()
    font.setPointSizeF(11)
    fm = QtGui.QFontMetricsF(font)
    g = Geometry.for_fonts(fm)
    texts, gaps = [text[s:e] for s, e in tokens], gap_kinds(text, tokens)
    rnd = random.Random(7)
    groups: dict[int, tuple[int, int, float]] = {}
    prev = layout_tokens(text, tokens, fm, 500.0, geometry=g, texts=texts, gaps=gaps)
    for _ in range(60):
        ts = rnd.randrange(len(tokens) - 4)
        te = ts + rnd.randint(1, 3)
        for k in [k for k, (a, b, _) in groups.items() if a < te and b > ts]:
            del groups[k]
        if rnd.random() < 0.8:
            groups[ts] = (ts, te, rnd.choice([20.0, 45.0, 90.0]))
        kw = dict(geometry=g, texts=texts, gaps=gaps, groups=sorted(groups.values()))
        inc = layout_tokens(text, tokens, fm, 500.0, previous=prev, changed=(ts, te), **kw)
        full = layout_tokens(text, tokens, fm, 500.0, **kw)
        assert inc.xs == full.xs and inc.line_of == full.line_of
        assert inc.line_tops == full.line_tops and inc.line_first_token == full.line_first_token
        assert inc.height == full.height
        prev = inc
    # every token right of the left margin, lines within the width unless a token is alone
    for i, x in enumerate(full.xs):
        first = full.line_first_token[full.line_of[i]]
        assert x >= g.margin_left and (i == first or x + full.ws[i] <= 500.0 - g.margin_right + 0.01)


# --------------------------------------------------------------------------- screenshot and timing (not tests)


def render_screenshot(out: str = "/tmp/token_view.png", dark: bool = False, width: int = 900) -> str:
    """Build a view of ``width`` px in a scroll area over WNUT sentences with a few entities, save a PNG."""
    import tempfile

    from gui.editor.token_view import TokenView

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    if dark:
        app.setStyle("Fusion")
        pal = QtGui.QPalette()
        for role, c in (
            (QtGui.QPalette.Window, "#202124"), (QtGui.QPalette.Base, "#1b1c1f"), (QtGui.QPalette.Text, "#e8e8ea"),
            (QtGui.QPalette.WindowText, "#e8e8ea"), (QtGui.QPalette.Highlight, "#5b8def"),
            (QtGui.QPalette.Button, "#2a2b2f"), (QtGui.QPalette.ButtonText, "#e8e8ea"),
        ):
            pal.setColor(role, QtGui.QColor(c))
        app.setPalette(pal)
    tmp = Path(tempfile.mkdtemp())
    p = Project.create(tmp / "shot.tessera")
    lab = {n: p.add_label(n).id for n in ("person", "location", "product", "group", "corporation", "creative-work")}
    sents = wnut_sentences(DATA / "dev.conll")
    text, tokens, sentences = make_doc(sents[1:7])
    doc = p.add_document(text, tokens, sentences)
    words = [text[s:e] for s, e in tokens]

    def find(*seq):
        for i in range(len(words)):
            if tuple(words[i : i + len(seq)]) == seq:
                return i
        raise ValueError(seq)

    i = find("Redondo", "Beach", "Blvd")
    p.add_token_span(doc, i, i + 3, lab["location"])
    i = find("Gardena")
    p.add_token_span(doc, i, i + 1, lab["location"])
    for k, w in enumerate(words):
        if w.startswith("@") and len(w) > 3:
            p.add_token_span(doc, k, k + 1, lab["person"])
            break
    n = len(words)
    p.add_token_span(doc, n // 2, n // 2 + 2, lab["group"])
    ds, de = tokens[n // 2 + 5]
    p.add_span(doc, ds, tokens[n // 2 + 6][1], lab["product"], source="model", score=0.71)
    p.add_token_span(doc, n - 4, n - 3, lab["creative-work"])

    stack = QtGui.QUndoStack()
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.NoFrame)
    view = TokenView(p, stack)
    area.setWidget(view)
    area.resize(width, 520)
    view.set_document(doc)
    area.show()
    app.processEvents()
    sel = next(s for s in p.spans(doc) if s.label_id == lab["location"])
    view.select_span(sel.id)
    view.set_active_label(lab["group"])
    app.processEvents()
    area.grab().save(out)
    area.close()
    p.close()
    return out


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="/tmp/token_view.png")
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--width", type=int, default=900)
    a = ap.parse_args()
    os.environ.setdefault("TESSERA_HOME", __import__("tempfile").mkdtemp())
    print("screenshot:", render_screenshot(a.out, a.dark, a.width))
    # Timings: python tests/bench/bench_editor.py
