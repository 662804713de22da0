"""Editor speed and memory, each next to a baseline measured in the same run.

Run: ``python tests/bench/bench_editor.py [--docs 100000]``. Prints:

1. layout of a 5,000-token WNUT-17 document: our token layout (cold and with the
   width cache warm) vs laying out the same text in a ``QTextDocument`` (what a
   QTextEdit-based editor does); goal < 30 ms;
2. click-to-repaint latency (press + release on a token, the span written to
   SQLite, the view repainted): ours vs a ``QTextEdit`` that only colours the same
   word with a char format (no storage at all); goal < 16 ms;
3. opening a project of N documents in the real :class:`MainWindow` and jumping to
   document 90,000: ours (paged model) vs a naive window that loads every row into
   a ``QStandardItemModel``; goal < 1 s;
4. peak memory (max RSS) of each of the two windows in (3), each measured in its
   own process so they do not mix;
5. (1) and (2) again with model suggestions shown (dashed chips, one every ~11
   tokens besides the entities), next to the same view without them; goals as above;
6. opening a 50-token WNUT-17 document until its suggestions are painted, with the
   default tagger loaded (the default encoder with a WNUT-17 tag head; the weights'
   values do not change the time): predict, store, repaint; next to opening it
   without suggestions. Goal < 150 ms (median of 30 documents).

``--suggestions-only`` runs 5 and 6 alone.
"""
from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import conll_tokens, join_sentences  # noqa: E402

TRAIN = ROOT / "tests" / "data" / "train.conll"
DEV = ROOT / "tests" / "data" / "dev.conll"


def long_document(n_tokens: int = 5000) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """Real WNUT-17 dev sentences joined into one document of about ``n_tokens`` tokens."""
    picked, n = [], 0
    for s in conll_tokens(DEV):
        picked.append(s)
        n += len(s)
        if n >= n_tokens:
            break
    return join_sentences(picked)


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


# --------------------------------------------------------------------------- 1 + 2


def bench_layout_and_click(suggestions: bool = False) -> dict:
    from engine.store import Project
    from gui.editor.layout import layout_tokens
    from gui.editor.token_view import TokenView
    from gui.qt import QtCore, QtGui, QtWidgets, Qt

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    text, tokens, sents = long_document()
    tmp = Path(tempfile.mkdtemp())
    p = Project.create(tmp / "bench.tessera")
    lab = p.add_label("person").id
    doc = p.add_document(text, tokens, sents)
    for t in range(0, len(tokens) - 3, 23):
        p.add_token_span(doc, t, t + 2, lab)
    if suggestions:  # a suggestion every ~11 tokens between the entities
        p.replace_suggestions(doc, None, [(tokens[t][0], tokens[t][1], lab, 0.4 + (t % 5) / 10)
                                          for t in range(11, len(tokens) - 3, 23)])

    font = QtGui.QFont()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    fm = QtGui.QFontMetricsF(font)
    cold, warm, qtext = [], [], []
    for _ in range(15):
        t0 = time.perf_counter()
        layout_tokens(text, tokens, fm, 860.0)  # fresh width cache
        cold.append(ms(t0))
    cache: dict[str, float] = {}
    layout_tokens(text, tokens, fm, 860.0, width_cache=cache)
    for _ in range(15):
        t0 = time.perf_counter()
        layout_tokens(text, tokens, fm, 860.0, width_cache=cache)
        warm.append(ms(t0))
    for _ in range(15):
        t0 = time.perf_counter()
        qdoc = QtGui.QTextDocument()
        qdoc.setDefaultFont(font)
        qdoc.setPlainText(text)
        qdoc.setTextWidth(860.0)
        qdoc.size()  # forces the full layout
        qtext.append(ms(t0))

    # ours: click a token in the real view (span stored in SQLite, repaint)
    stack = QtGui.QUndoStack()
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    view = TokenView(p, stack)
    area.setWidget(view)
    area.resize(900, 700)
    view.set_document(doc)
    area.show()
    app.processEvents()
    opens = []
    for _ in range(10):  # the view's own layout of the document, chips and captions included
        t0 = time.perf_counter()
        view.set_document(doc)
        view.repaint()
        opens.append(ms(t0))
    view_open = statistics.median(opens)
    view.set_active_label(lab)
    lay = view.text_layout()
    clicks = []
    for k in range(40):
        first, end = lay.line_range(2 + k % 8)
        tok = next((t for t in range(first, end) if view._span_at[t] < 0), first)
        pos = view.token_rect(tok).center()
        press = QtGui.QMouseEvent(QtCore.QEvent.MouseButtonPress, pos, view.mapToGlobal(pos),
                                  Qt.LeftButton, Qt.LeftButton, Qt.NoModifier)
        release = QtGui.QMouseEvent(QtCore.QEvent.MouseButtonRelease, pos, view.mapToGlobal(pos),
                                    Qt.LeftButton, Qt.NoButton, Qt.NoModifier)
        t0 = time.perf_counter()
        QtWidgets.QApplication.sendEvent(view, press)
        QtWidgets.QApplication.sendEvent(view, release)
        view.repaint()
        clicks.append(ms(t0))
        stack.undo()
        app.processEvents()
    area.close()

    # baseline: a QTextEdit colouring the same kind of word, nothing stored
    edit = QtWidgets.QTextEdit()
    edit.setFont(font)
    edit.setPlainText(text)
    edit.resize(900, 700)
    edit.show()
    app.processEvents()
    fmt = QtGui.QTextCharFormat()
    fmt.setBackground(QtGui.QColor("#4e79a780"))
    base_clicks = []
    for k in range(40):
        s, e = tokens[40 + k * 3]
        t0 = time.perf_counter()
        cur = edit.textCursor()
        cur.setPosition(s)
        cur.setPosition(e, QtGui.QTextCursor.KeepAnchor)
        cur.mergeCharFormat(fmt)
        edit.viewport().repaint()
        base_clicks.append(ms(t0))
    edit.close()
    p.close()
    return {
        "tokens": len(tokens),
        "layout_cold": statistics.median(cold),
        "layout_warm": statistics.median(warm),
        "layout_qtextdocument": statistics.median(qtext),
        "click": statistics.median(clicks),
        "click_p90": sorted(clicks)[int(len(clicks) * 0.9)],
        "click_qtextedit": statistics.median(base_clicks),
        "view_open": view_open,
    }


# --------------------------------------------------------------------------- 6


def bench_open_with_suggestions(n_docs: int = 30) -> dict:
    """Open 50-token documents and show their suggestions (predict + store + repaint)."""
    import torch
    from transformers import AutoModelForTokenClassification

    from engine.importer import import_file
    from engine.loop.predict import predict_documents
    from engine.ner.model_source import load_tokenizer, quiet_transformers, resolve_base_model
    from engine.ner.predict import load_tagger
    from engine.store import Project
    from gui.editor.token_view import TokenView
    from gui.qt import QtGui, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    tmp = Path(tempfile.mkdtemp())
    tags = ["O"] + [f"{b}-{l}" for l in ("location", "group", "corporation", "person", "creative-work", "product")
                    for b in ("B", "I")]
    base = resolve_base_model("default")
    torch.manual_seed(0)
    with quiet_transformers():
        model = AutoModelForTokenClassification.from_pretrained(
            base, num_labels=len(tags), id2label=dict(enumerate(tags)), label2id={t: i for i, t in enumerate(tags)},
            use_safetensors=True)
    model.save_pretrained(tmp / "tagger")
    load_tokenizer(base).save_pretrained(tmp / "tagger")
    tagger = load_tagger(tmp / "tagger", device="cpu")
    p = Project.create(tmp / "open.tessera")
    import_file(p, DEV, status="new", backup=False)
    with p.write():
        p.conn.execute("DELETE FROM spans")
    ids = [d for (d,) in p.conn.execute(
        "SELECT id FROM documents WHERE json_array_length(tokens) BETWEEN 40 AND 60 ORDER BY id LIMIT ?", (n_docs,))]
    labels = {l.name: l.id for l in p.labels()}
    view = TokenView(p, QtGui.QUndoStack())
    view.resize(900, 400)
    view.show()
    app.processEvents()
    predict_documents(tagger, [p.document(ids[0])])  # warm up
    plain, shown, predict_only = [], [], []
    for d in ids:
        t0 = time.perf_counter()
        view.set_document(d)
        view.repaint()
        plain.append(ms(t0))
    for d in ids:
        t0 = time.perf_counter()
        view.set_document(d)
        view.repaint()
        t1 = time.perf_counter()
        pred = predict_documents(tagger, [p.document(d)])[0]
        predict_only.append(ms(t1))
        p.replace_suggestions(d, None, [(a, b, labels[n], sc) for a, b, n, sc in pred.entities if n in labels])
        view.refresh()
        view.repaint()
        shown.append(ms(t0))
    p.close()
    return {"docs": len(ids), "plain": statistics.median(plain), "shown": statistics.median(shown),
            "shown_p90": sorted(shown)[int(len(shown) * 0.9)], "predict": statistics.median(predict_only),
            "threads": torch.get_num_threads()}


def print_suggestions() -> None:
    """Sections 5 and 6."""
    a, b = bench_layout_and_click(), bench_layout_and_click(suggestions=True)
    print("5. with suggestions shown (median ms): without | with")
    print(f"   open the 5,000-token document in the view {a['view_open']:8.2f} | {b['view_open']:8.2f}  (goal < 30)")
    print(f"   click-to-repaint                          {a['click']:8.2f} | {b['click']:8.2f}  (goal < 16)")
    o = bench_open_with_suggestions()
    print(f"6. open a 40-60-token document until its suggestions are painted ({o['docs']} documents, "
          f"{o['threads']} torch threads; median ms; goal < 150)")
    print(f"   without suggestions {o['plain']:7.1f}   with suggestions {o['shown']:7.1f} (p90 {o['shown_p90']:.1f};"
          f" of which the model {o['predict']:.1f})")


# --------------------------------------------------------------------------- 3 + 4


def build_big_project(path: Path, n_docs: int) -> None:
    """A project of ``n_docs`` real WNUT-17 train sentences (made unique), imported as CoNLL."""
    from engine.importer import import_file
    from engine.store import Project

    sents = [s for s in TRAIN.read_text(encoding="utf-8").split("\n\n") if s.strip()]
    rng = random.Random(0)
    conll = path.with_suffix(".conll")
    with open(conll, "w", encoding="utf-8") as fh:
        for i in range(n_docs):
            fh.write(rng.choice(sents).strip("\n") + f"\n#{i}\tO\n\n")
    with Project.create(path) as p:
        import_file(p, conll, status="new")
        # a quarter done, so the status filter and counts have something to do
        p.conn.execute("UPDATE documents SET status='done' WHERE id % 4 = 0")
        p.conn.commit()
    conll.unlink()


def child_open_and_jump(path: str, mode: str, row: int) -> None:
    """Run in a subprocess: open the project window, jump to ``row``; print JSON timings."""
    from gui.qt import QtGui, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    t0 = time.perf_counter()
    if mode == "ours":
        from gui.main_window import MainWindow

        win = MainWindow(path)
        win.show()
        app.processEvents()
        t_open = ms(t0)
        t1 = time.perf_counter()
        win.doc_panel.select_row(row)
        app.processEvents()
        t_jump = ms(t1)
        shown = win.current_doc_id()
    else:
        from engine.store import Project

        project = Project.open(path)
        model = QtGui.QStandardItemModel()
        for doc, spans in project.iter_documents():
            model.appendRow([
                QtGui.QStandardItem(str(doc.id)), QtGui.QStandardItem(doc.status),
                QtGui.QStandardItem(str(len(spans))), QtGui.QStandardItem(doc.text[:80]),
            ])
        view = QtWidgets.QTableView()
        view.setModel(model)
        view.show()
        app.processEvents()
        t_open = ms(t0)
        t1 = time.perf_counter()
        view.selectRow(row)
        view.scrollTo(model.index(row, 0))
        shown_id = int(model.item(row, 0).text())
        text = QtWidgets.QTextBrowser()
        text.setPlainText(project.document(shown_id).text)
        app.processEvents()
        t_jump = ms(t1)
        shown = shown_id
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    print(json.dumps({"open": t_open, "jump": t_jump, "total": t_open + t_jump, "rss_mb": rss, "doc": shown}))


def bench_big(n_docs: int) -> dict:
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "big.tessera"
    t0 = time.perf_counter()
    build_big_project(path, n_docs)
    build_s = time.perf_counter() - t0
    row = min(90_000, n_docs) - 1  # document 90,000 = row 89,999
    out = {"docs": n_docs, "build_s": build_s, "row": row}
    env = dict(os.environ, TESSERA_HOME=str(tmp / "home"), XDG_CONFIG_HOME=str(tmp / "config"))
    for mode in ("ours", "naive"):
        r = subprocess.run(
            [sys.executable, __file__, "--child", str(path), mode, str(row)],
            capture_output=True, text=True, env=env, check=True,
        )
        out[mode] = json.loads(r.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--child", nargs=3, metavar=("PROJECT", "MODE", "ROW"), help=argparse.SUPPRESS)
    ap.add_argument("--suggestions-only", action="store_true", help="run only sections 5 and 6")
    a = ap.parse_args()
    if a.suggestions_only:
        print_suggestions()
        return
    if a.child:
        child_open_and_jump(a.child[0], a.child[1], int(a.child[2]))
        return
    r = bench_layout_and_click()
    print(f"1. layout of a {r['tokens']:,}-token document (median ms; goal < 30)")
    print(f"   ours, cold {r['layout_cold']:8.2f}   ours, warm cache {r['layout_warm']:8.2f}"
          f"   QTextDocument {r['layout_qtextdocument']:8.2f}")
    print("2. click-to-repaint (median ms; goal < 16)")
    print(f"   ours (span stored in SQLite) {r['click']:6.2f} (p90 {r['click_p90']:.2f})"
          f"   QTextEdit colouring only {r['click_qtextedit']:6.2f}")
    b = bench_big(a.docs)
    o, n = b["ours"], b["naive"]
    print(f"3. open a {b['docs']:,}-document project and jump to document {b['row'] + 1:,} "
          f"(ms; goal < 1000; project built in {b['build_s']:.1f} s)")
    print(f"   ours  open {o['open']:8.0f}  jump {o['jump']:7.1f}  total {o['total']:8.0f}")
    print(f"   naive open {n['open']:8.0f}  jump {n['jump']:7.1f}  total {n['total']:8.0f}"
          f"   ratio {n['total'] / o['total']:.1f}x")
    print("4. peak memory (max RSS of the whole process, MiB)")
    print(f"   ours {o['rss_mb']:8.0f}   naive {n['rss_mb']:8.0f}")
    assert o["doc"] == n["doc"], "both windows must show the same document"
    print_suggestions()


if __name__ == "__main__":
    main()
