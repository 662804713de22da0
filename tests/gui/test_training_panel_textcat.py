"""The training panel's third kind, Document classifier (issue 16): a real short run
on the BANKING77 sample from the Start button, its curves (macro-F1 and accuracy, no
77 per-category curves), the per-category table, the confusion view (a list for 77
categories, a heat map for few), and Try it."""
from __future__ import annotations


import pytest

pytest.importorskip("pytestqt")

from engine.importer import import_file  # noqa: E402
from engine.store import Project  # noqa: E402
from gui.qt import Qt  # noqa: E402
from gui.training.confusion import ConfusionView, read_confusion  # noqa: E402
from gui.training.panel import TrainingPanel  # noqa: E402
from gui.training.runs import TEXTCAT  # noqa: E402
from tests.conftest import DATA  # noqa: E402

SAMPLE = DATA / "banking77" / "sample.csv"


@pytest.mark.slow
def test_real_classifier_run_through_the_start_button(qtbot, tmp_path):
    path = tmp_path / "b.tessera"
    with Project.create(path) as p:
        import_file(p, SAMPLE)
    panel = TrainingPanel(path)
    qtbot.addWidget(panel)
    panel.resize(1300, 800)
    panel.show()
    panel.set_task(TEXTCAT)
    assert "308 finished documents in 77 categories" in panel.data_label.text()
    panel.form.max_steps.setValue(8)
    qtbot.mouseClick(panel.start_button, Qt.LeftButton)
    assert panel.is_running()
    with qtbot.waitSignal(panel.runFinished, timeout=240_000) as sig:
        pass
    rid = sig.args[0]
    text = panel.message.text()
    assert text.startswith("Training finished. Best macro-F1") and "accuracy" in text, text
    with Project.open(path) as p:
        kind, status = p.conn.execute("SELECT kind, status FROM runs WHERE id=?", (rid,)).fetchone()
    assert (kind, status) == ("textcat", "finished")
    assert {"f1", "accuracy"} <= set(panel.plots.f1.curves)
    assert not [k for k in panel.plots.f1.curves if k.startswith("label:")]  # 77 categories: no per-category curves
    tabs = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert tabs[:2] == ["Per category", "Confusion"]
    assert panel.best_table.rowCount() == 78 and panel.best_table.cell_text(77, 0) == "All (macro)"
    assert panel.confusion.stack.currentIndex() == 1  # 77 categories: the list of confusions
    assert "dev documents right" in panel.confusion.caption.text()
    t = panel.history.table
    assert any("macro-F1" in t.item(0, c).text() for c in range(t.columnCount()) if t.item(0, c))
    # Try it: the likeliest categories with their probabilities
    box = panel.classify_try
    assert panel.try_stack.currentWidget() is box and box.model_dir is not None
    with qtbot.waitSignal(box.tagged, timeout=120_000) as got:
        box.input.setPlainText("My card has still not arrived, when will it come?")
    result = got.args[0]
    assert len(result) == 5 and sum(1 for *_x, on in result if on) == 1
    assert all(0.0 <= prob <= 1.0 for _n, prob, _on in result)
    assert "says:" in box.status.text() and "%" in box.output.toPlainText()
    box.wait()
    # switching back to the tagger kind hides the confusion tab
    panel.set_task("ner")
    panel.history.table.clearSelection()
    panel._on_current_run(-1)
    assert "Confusion" not in [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    panel.shutdown()


def test_confusion_view_draws_a_heat_map_for_few_categories(qtbot, tmp_path):
    import json

    best = tmp_path / "best"
    best.mkdir()
    names = ["billing", "delivery", "refund"]
    matrix = [[8, 1, 1], [0, 9, 1], [2, 0, 6]]
    (best / "tessera_run.json").write_text(json.dumps(
        {"categories": names, "best": {"step": 40, "scores": {"confusion": matrix}}}), encoding="utf-8")
    view = ConfusionView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    found = read_confusion(best)
    assert found == (names, matrix, 40)
    view.set_confusion(found, 3)
    assert view.stack.currentIndex() == 0 and view.heat.names == names
    assert view.caption.text().startswith("Run 3, best step 40: 23 of 28 dev documents right (82%).")
    left, top, cell = view.heat._geometry()
    from gui.qt import QtCore

    assert view.heat.cell_at(QtCore.QPointF(left + 2.5 * cell, top + 0.5 * cell)) == (0, 2)
    img = view.grab()
    assert not img.isNull()
    assert read_confusion(tmp_path / "nowhere") is None
    view.set_confusion(None)
    assert "No confusion matrix yet" in view.caption.text()
