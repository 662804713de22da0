"""The document list panel (offscreen): filters, search, navigation and far jumps on real WNUT-17 data.

Run as a script to render screenshots (light and dark) and time a far jump on 100,000 documents::

    python tests/gui/test_doc_panel.py [--out /tmp/shots] [--big]
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

pytest.importorskip("pytestqt")

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.importer import import_file  # noqa: E402
from engine.store import Project, now, text_hash  # noqa: E402
from gui.doclist import COL_TEXT  # noqa: E402
from gui.qt import QtGui, QtWidgets, Qt  # noqa: E402

DATA = ROOT / "tests" / "data"


# --------------------------------------------------------------------------- helpers


def prepare_dev(p: Project) -> list[int]:
    """Import WNUT-17 dev and vary statuses and splits; return the ids in list order."""
    import_file(p, DATA / "dev.conll")
    ids = [r[0] for r in p.conn.execute("SELECT id FROM documents ORDER BY id")]
    p.set_status(ids[::3], "new")
    p.set_status(ids[1::17], "skipped")
    p.set_split(ids[::2], "train")
    p.set_split(ids[1::5], "dev")
    p.set_split(ids[3::7], "test")
    return ids


def listed_ids(panel) -> list[int]:
    m = panel.model
    while m.canFetchMore():
        m.fetchMore()
    return [m.doc_id(r) for r in range(m.rowCount())]


def sql_ids(p: Project, where: str = "", params=()) -> list[int]:
    return [r[0] for r in p.conn.execute(f"SELECT id FROM documents {where} ORDER BY id", params)]


def build_big(path: Path, n: int = 100_000) -> Path:
    """Write a project of ``n`` short documents fast (about 3 s for 100,000).

    Inserting row by row through the FTS trigger dominates (14-20 s for 100,000, with
    ``_insert_document`` or a plain ``executemany``); so the insert trigger is set
    aside, the rows go in with one ``executemany`` in one transaction, and the FTS
    index is rebuilt in one pass. The trigger is put back from its own stored SQL.
    """
    words = "the quick brown fox jumps over a lazy dog near London and Paris by the river".split()
    p = Project.create(path)
    try:
        with p.db.atomic():
            trigger = p.conn.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND name='documents_ai'").fetchone()[0]
            p.conn.execute("DROP TRIGGER documents_ai")
            stamp = now()
            rows = []
            for i in range(1, n + 1):
                text = f"Document {i}: " + " ".join(words[(i * k) % len(words)] for k in (1, 3, 5, 7, 11))
                status = "done" if i % 7 == 0 else ("skipped" if i % 50 == 0 else "new")
                rows.append((i, text, "[]", "[]", status, ("train", "dev", "test", None)[i % 4], text_hash(text), stamp, stamp))
            p.conn.executemany(
                "INSERT INTO documents(id, text, tokens, sentences, status, split, hash, created, updated)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
            p.conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
            p.conn.execute(trigger)
    finally:
        p.close()
    return path


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def dev(project):
    return project, prepare_dev(project)


@pytest.fixture
def panel(qtbot, dev):
    from gui.doc_panel import DocumentPanel

    w = DocumentPanel(dev[0])
    qtbot.addWidget(w)
    w.resize(460, 560)
    w.show()
    assert w.current_doc_id() is None  # nothing current until the host selects
    w.select_row(0)
    return w


@pytest.fixture(scope="module")
def big_path(tmp_path_factory):
    return build_big(tmp_path_factory.mktemp("big") / "big.tessera")


# --------------------------------------------------------------------------- filters and search


def test_lists_everything_and_counts(panel, dev):
    p, ids = dev
    assert panel.model.total() == len(ids) == p.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert panel.model.rowCount() < len(ids)  # paged
    assert panel.count_label.text() == f"{len(ids):,} documents"
    assert not panel.clear_link.isVisibleTo(panel)
    assert panel.current_doc_id() == ids[0]  # first row current on open
    row = panel.model.row_of(ids[40])
    assert panel.model.index(row, COL_TEXT).data() == " ".join(p.document(ids[40]).text.split())[:120]
    assert panel.model.index(row, 0).data() == ids[40]  # "#" is the document id


@pytest.mark.parametrize(
    "combo, value, where",
    [
        ("status_combo", "new", "WHERE status = 'new'"),
        ("status_combo", "done", "WHERE status = 'done'"),
        ("status_combo", "skipped", "WHERE status = 'skipped'"),
        ("split_combo", "train", "WHERE split = 'train'"),
        ("split_combo", "dev", "WHERE split = 'dev'"),
        ("split_combo", "test", "WHERE split = 'test'"),
        ("split_combo", "none", "WHERE split IS NULL"),
    ],
)
def test_status_and_split_filters_match_sql(panel, dev, combo, value, where):
    p, ids = dev
    box = getattr(panel, combo)
    box.setCurrentIndex(box.findData(value))
    expected = sql_ids(p, where)
    assert 0 < len(expected) < len(ids)
    assert panel.model.total() == len(expected)
    assert listed_ids(panel) == expected
    assert panel.count_label.text() == f"{len(expected):,} of {len(ids):,} documents"
    assert panel.clear_link.isVisibleTo(panel)


def test_label_filter_lists_documents_with_that_label(panel, dev):
    p, ids = dev
    names = [panel.label_combo.itemText(i) for i in range(1, panel.label_combo.count())]
    assert names == [l.name for l in p.labels()] and {"location", "person"} <= set(names)
    for lab in p.labels():
        panel.label_combo.setCurrentIndex(panel.label_combo.findData(lab.id))
        expected = sql_ids(p, "WHERE id IN (SELECT doc_id FROM spans WHERE label_id = ?)", (lab.id,))
        assert expected and listed_ids(panel) == expected, lab.name
    # combined with a status filter
    loc = p.label_by_name("location").id
    panel.label_combo.setCurrentIndex(panel.label_combo.findData(loc))
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("new"))
    expected = sql_ids(p, "WHERE status = 'new' AND id IN (SELECT doc_id FROM spans WHERE label_id = ?)", (loc,))
    assert listed_ids(panel) == expected and panel.model.total() == len(expected)
    panel.clear_filters()
    assert panel.model.total() == len(ids) and panel.filters() == {}


@pytest.mark.parametrize("query", ["trump", "the", "lo", "I", "Lo"])
def test_search_matches_substrings(panel, dev, qtbot, query):
    p, ids = dev
    expected = [i for i, t in p.conn.execute("SELECT id, text FROM documents ORDER BY id") if query.lower() in t.lower()]
    assert expected
    panel.search.setText(query)
    qtbot.waitUntil(lambda: panel.model.total() == len(expected), timeout=2000)
    assert listed_ids(panel) == expected
    assert panel.current_doc_id() in expected


def test_search_is_debounced(panel, dev, qtbot, monkeypatch):
    p, ids = dev
    calls = []
    real = panel.model.set_filters
    monkeypatch.setattr(panel.model, "set_filters", lambda **f: (calls.append(f), real(**f)))
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "trump")
    assert calls == []  # nothing yet: typing goes on
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=2000)
    qtbot.wait(300)
    assert calls == [{"query": "trump"}]
    assert panel.model.total() == len(sql_ids(p, "WHERE text LIKE '%trump%'"))
    qtbot.keyClick(panel.search, Qt.Key_Escape)  # Escape clears the search at once
    assert panel.model.total() == len(ids)


def test_filter_change_keeps_the_shown_document_when_listed(panel, dev, qtbot):
    p, ids = dev
    new_ids = sql_ids(p, "WHERE status = 'new'")
    panel.select_doc(new_ids[5])
    with qtbot.assertNotEmitted(panel.documentActivated):
        panel.status_combo.setCurrentIndex(panel.status_combo.findData("new"))
    assert panel.current_doc_id() == new_ids[5]
    done = sql_ids(p, "WHERE status = 'done'")
    with qtbot.waitSignal(panel.documentActivated) as sig:
        panel.status_combo.setCurrentIndex(panel.status_combo.findData("done"))
    assert sig.args == [done[0]] and panel.current_doc_id() == done[0]


def test_no_match_shows_a_message(panel, qtbot):
    panel.search.setText("zzqqxx-no-such-text")
    qtbot.waitUntil(lambda: panel.model.total() == 0, timeout=2000)
    assert panel.empty.isVisibleTo(panel) and "No document" in panel.empty.text()
    assert panel.current_doc_id() is None
    assert not panel.go_next()
    panel.clear_filters()
    assert not panel.empty.isVisibleTo(panel)


# --------------------------------------------------------------------------- selection and navigation


def test_select_doc_finds_its_row(panel, dev):
    p, ids = dev
    target = ids[700]
    assert panel.select_doc(target)
    assert panel.current_doc_id() == target
    assert panel.table.currentIndex().row() == 700
    # under a filter the row is the count of matching documents before it
    panel.split_combo.setCurrentIndex(panel.split_combo.findData("train"))
    train = sql_ids(p, "WHERE split = 'train'")
    assert panel.select_doc(train[300])
    assert panel.table.currentIndex().row() == 300 and panel.current_doc_id() == train[300]


def test_select_doc_outside_the_filter(panel, dev):
    p, ids = dev
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("done"))
    hidden = sql_ids(p, "WHERE status = 'new'")[10]
    assert not panel.select_doc(hidden, clear_filters=False)
    assert panel.filters() == {"status": "done"}
    assert panel.select_doc(hidden)  # default: filters cleared
    assert panel.filters() == {} and panel.status_combo.currentIndex() == 0
    assert panel.current_doc_id() == hidden
    assert not panel.select_doc(10**9)


def test_next_and_previous(panel, dev, qtbot):
    p, ids = dev
    assert panel.current_doc_id() == ids[0]
    assert not panel.go_previous()
    with qtbot.waitSignal(panel.documentActivated) as sig:
        assert panel.go_next()
    assert sig.args == [ids[1]]
    panel.go_next()
    assert panel.current_doc_id() == ids[2]
    panel.go_previous()
    assert panel.current_doc_id() == ids[1]
    # across a page boundary, beyond what was loaded
    panel.select_row(255)
    assert panel.go_next() and panel.current_doc_id() == ids[256]
    panel.select_row(len(ids) - 1)
    assert not panel.go_next() and panel.current_doc_id() == ids[-1]
    assert not panel.select_row(len(ids))


def test_keyboard_and_mouse_activate_documents(panel, dev, qtbot):
    p, ids = dev
    panel.table.setFocus()
    with qtbot.waitSignal(panel.documentActivated) as sig:
        qtbot.keyClick(panel.table, Qt.Key_Down)
    assert sig.args == [ids[1]]
    rect = panel.table.visualRect(panel.model.index(4, COL_TEXT))
    with qtbot.waitSignal(panel.documentActivated) as sig:
        qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert sig.args == [ids[4]]
    with qtbot.assertNotEmitted(panel.documentActivated):
        panel.select_doc(ids[4])  # already shown: no second announcement


def test_next_unfinished_after_wraps(panel, dev):
    p, ids = dev
    new = sql_ids(p, "WHERE status = 'new'")
    assert panel.next_unfinished_after(new[0]) == new[1]
    assert panel.next_unfinished_after(ids[1]) == next(i for i in new if i > ids[1])
    assert panel.next_unfinished_after(new[-1]) == new[0]  # wraps
    assert panel.next_unfinished_after(ids[-1]) == new[0]
    # split filter applies, status filter does not
    panel.split_combo.setCurrentIndex(panel.split_combo.findData("dev"))
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("done"))
    new_dev = sql_ids(p, "WHERE status = 'new' AND split = 'dev'")
    assert panel.next_unfinished_after(new_dev[-1]) == new_dev[0]
    p.set_status(new_dev[1:], "done")
    assert panel.next_unfinished_after(new_dev[0]) is None  # only itself is left


def test_mark_done_under_new_filter_then_next_unfinished(panel, dev, qtbot):
    """The flow "mark done, go to the next unfinished" while the list shows only new documents."""
    p, ids = dev
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("new"))
    new = sql_ids(p, "WHERE status = 'new'")
    panel.select_doc(new[3])
    changes = p.set_status(new[3], "done")
    panel.refresh_rows(changes.documents)
    row = panel.table.currentIndex().row()
    assert panel.model.index(row, 1).data() == "done"  # stays in place until the filter is applied again
    nxt = panel.next_unfinished_after(new[3])
    assert nxt == new[4]
    assert panel.select_doc(nxt)
    assert panel.current_doc_id() == new[4]
    assert panel.model.index(panel.table.currentIndex().row(), 0).data() == new[4]


def test_refresh_rows_after_adding_a_span(panel, dev):
    p, ids = dev
    doc_id = ids[3]
    panel.select_doc(doc_id)
    row = panel.table.currentIndex().row()
    before = panel.model.index(row, 3).data()
    assert before == len(p.spans(doc_id))
    doc = p.document(doc_id)
    taken = {t for s in p.spans(doc_id) for t in range(s.token_start, s.token_end)}
    free = next(i for i in range(len(doc.tokens)) if i not in taken)
    changes = p.add_token_span(doc_id, free, free + 1, p.labels()[0].id)
    changes |= p.set_status(doc_id, "skipped")
    panel.refresh_rows(changes.documents)
    assert panel.model.index(row, 3).data() == before + 1
    assert panel.model.index(row, 1).data() == "skipped"
    assert panel.current_doc_id() == doc_id


def test_reload_after_import_keeps_selection_and_labels(panel, dev, qtbot):
    p, ids = dev
    panel.select_doc(ids[100])
    panel.label_combo.setCurrentIndex(panel.label_combo.findData(p.label_by_name("person").id))
    shown = panel.current_doc_id()
    summary = import_file(p, DATA / "train.conll")
    assert summary.added
    with qtbot.assertNotEmitted(panel.documentActivated):
        panel.reload()
    assert panel.current_doc_id() == shown
    assert panel.label_combo.currentText() == "person"
    person = p.label_by_name("person").id
    assert panel.model.total() == len(sql_ids(p, "WHERE id IN (SELECT doc_id FROM spans WHERE label_id = ?)", (person,)))
    assert panel.count_label.text().endswith(f"of {p.count_documents():,} documents")


def test_reload_labels_after_a_label_is_deleted(panel, dev):
    p, ids = dev
    lab = p.label_by_name("location")
    panel.label_combo.setCurrentIndex(panel.label_combo.findData(lab.id))
    assert panel.model.total() < len(ids)
    p.delete_label(lab.id)
    panel.reload()
    assert panel.label_combo.findText("location") == -1
    assert panel.label_combo.currentIndex() == 0 and panel.filters() == {}
    assert panel.model.total() == len(ids)
    p.add_label("brand-new")
    panel.reload_labels()
    assert panel.label_combo.findText("brand-new") > 0


def test_focus_search_and_no_shortcut_of_its_own(dev, qtbot):
    """Ctrl+F belongs to the window's Find action (which calls focus_search): a second
    Ctrl+F shortcut in the panel would make both ambiguous, and neither would fire."""
    from gui.doc_panel import DocumentPanel

    win = QtWidgets.QMainWindow()
    qtbot.addWidget(win)
    panel = DocumentPanel(dev[0])
    win.setCentralWidget(panel)
    panel.select_row(0)
    find = QtGui.QAction("Find", win)
    find.setShortcut(QtGui.QKeySequence.Find)
    find.triggered.connect(panel.focus_search)
    win.addAction(find)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    assert not panel.findChildren(QtGui.QShortcut)
    panel.search.setText("abc")
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key_F, Qt.ControlModifier)
    assert QtWidgets.QApplication.focusWidget() is panel.search
    assert panel.search.selectedText() == "abc"
    # Down goes from the search box to the list
    qtbot.keyClick(panel.search, Qt.Key_Down)
    assert QtWidgets.QApplication.focusWidget() is panel.table


# --------------------------------------------------------------------------- 100,000 documents


def test_far_jump_on_100k_documents_reads_few_pages(qtbot, big_path, monkeypatch):
    from gui.doc_panel import DocumentPanel

    p = Project.open(big_path)
    try:
        assert p.count_documents() == 100_000
        calls = []
        real = p.list_documents
        monkeypatch.setattr(p, "list_documents", lambda *a, **k: (calls.append(a[:1]), real(*a, **k))[1])
        w = DocumentPanel(p)
        qtbot.addWidget(w)
        w.resize(460, 560)
        w.show()
        w.select_row(0)
        w.grab()
        start = len(calls)
        t = time.perf_counter()
        assert w.select_doc(90_000)
        w.grab()  # paint: the view reads the rows it shows
        QtWidgets.QApplication.processEvents()
        elapsed = time.perf_counter() - t
        assert w.current_doc_id() == 90_000 and w.table.currentIndex().row() == 89_999
        assert len(calls) - start <= 3, calls
        assert len(w.model._pages) <= 4
        assert elapsed < 3.0
        # the rows around it are painted from the pages just read
        vis = w.table.rowAt(w.table.viewport().height() // 2)
        assert abs(vis - 89_999) < 30
        # neighbours and the end of the list
        assert w.go_next() and w.current_doc_id() == 90_001
        assert w.select_row(99_999) and w.current_doc_id() == 100_000
        w.grab()
        # a filter over 100k rows and a far jump inside it
        w.status_combo.setCurrentIndex(w.status_combo.findData("done"))
        assert w.model.total() == 100_000 // 7
        assert w.select_doc(7 * 12_000, clear_filters=False)
        assert w.table.currentIndex().row() == 11_999
        w.grab()
        assert len(calls) - start <= 12, calls
        assert w.next_unfinished_after(99_999) == 1  # wraps: 100,000 is skipped
    finally:
        p.close()


# --------------------------------------------------------------------------- script: screenshots and timing


def _dark_palette() -> QtGui.QPalette:
    pal = QtGui.QPalette()
    for role, col in [
        ("Window", "#2b2b2b"), ("WindowText", "#e6e6e6"), ("Base", "#1e1e1e"), ("AlternateBase", "#262626"),
        ("Text", "#e6e6e6"), ("Button", "#333333"), ("ButtonText", "#e6e6e6"), ("Highlight", "#3d6fb4"),
        ("HighlightedText", "#ffffff"), ("PlaceholderText", "#8a8a8a"), ("Link", "#7fb0ff"),
        ("Mid", "#555555"), ("Light", "#444444"), ("Dark", "#1a1a1a"), ("Midlight", "#3a3a3a"), ("Shadow", "#000000"),
    ]:
        pal.setColor(getattr(QtGui.QPalette, role), QtGui.QColor(col))
    return pal


def main(argv: list[str]) -> None:
    import argparse
    import resource
    import tempfile
    import tracemalloc

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/shots")
    ap.add_argument("--big", action="store_true", help="time a far jump on 100,000 documents")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    from gui.doc_panel import DocumentPanel

    tmp = Path(tempfile.mkdtemp())
    p = Project.create(tmp / "dev.tessera")
    ids = prepare_dev(p)
    for theme in ("light", "dark"):
        app.setPalette(app.style().standardPalette() if theme == "light" else _dark_palette())
        for name, setup in [
            ("", lambda w: w.select_doc(ids[5])),
            ("_filtered", lambda w: (w.status_combo.setCurrentIndex(1), w.search.setText("the"), w._search_now())),
        ]:
            w = DocumentPanel(p)
            w.resize(460, 560)
            w.show()
            w.select_row(0)
            setup(w)
            app.processEvents()
            path = out / f"doc_panel{'_dark' if theme == 'dark' else ''}{name}.png"
            w.grab().save(str(path))
            print(path, "—", w.count_label.text())
            w.close()
    p.close()

    if args.big:
        app.setPalette(app.style().standardPalette())
        t = time.perf_counter()
        path = build_big(tmp / "big.tessera")
        print(f"built 100,000 documents in {time.perf_counter() - t:.2f} s")
        p = Project.open(path)
        w = DocumentPanel(p)
        w.resize(460, 560)
        w.show()
        w.select_row(0)
        w.grab()
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        f0 = w.model.fetches
        t = time.perf_counter()
        w.select_doc(90_000)
        t1 = time.perf_counter()
        w.grab()
        app.processEvents()
        t2 = time.perf_counter()
        print(f"select_doc(90,000): {(t1 - t) * 1000:.1f} ms, + paint {(t2 - t1) * 1000:.1f} ms; "
              f"pages read {w.model.fetches - f0}, rows loaded {w.model.rowCount():,}, pages cached {len(w.model._pages)}")
        tracemalloc.start()
        w.select_doc(45_000)
        w.grab()
        cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"another far jump: Python heap +{cur / 1024:.0f} KiB (peak {peak / 1024:.0f} KiB); "
              f"max RSS {rss0 / 1024:.0f} -> {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        w.grab().save(str(out / "doc_panel_100k.png"))
        print(out / "doc_panel_100k.png")
        w.close()
        p.close()


if __name__ == "__main__":
    main(sys.argv[1:])
