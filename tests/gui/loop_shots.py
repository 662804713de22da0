"""Render the model in the loop for the README: suggestions in the editor (the least
sure document first, one suggestion selected) and the review of likely mistakes, after
a real training run on the demo project. Not a test. Run::

    QT_QPA_PLATFORM=offscreen python tests/gui/loop_shots.py [--out docs/screenshots]

Trains a tagger with the app's defaults on the demo's labeled documents (a minute or
two on two cores).
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TESSERA_HOME", tempfile.mkdtemp())

from engine.demo import build_demo  # noqa: E402
from tests.gui.shots import shot_app  # noqa: E402
from gui.qt import QtCore, QtWidgets  # noqa: E402


def pump_until(cond, seconds: float) -> None:
    app = QtWidgets.QApplication.instance()
    end = time.time() + seconds
    while not cond() and time.time() < end:
        app.processEvents(QtCore.QEventLoop.AllEvents, 50)
        time.sleep(0.02)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/shots")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = shot_app()
    app.setStyle("Fusion")
    from engine.ner.train import TrainConfig, train
    from gui.main_window import MainWindow, settings
    from gui.review import ReviewDialog

    project = Path(tempfile.mkdtemp()) / "demo.tessera"
    build_demo(project)
    r = train(project, TrainConfig(seed=0))
    print(f"trained run {r.run_id}: dev F1 {r.best_f1:.3f}")
    settings().setValue("suggestions/auto", False)
    win = MainWindow(project)
    win.resize(1280, 760)
    win.show()
    bar = win.suggestion_bar
    bar.use_latest()
    pump_until(lambda: not bar.service.running(), 300)
    win.doc_panel.set_order("uncertainty")
    p = win.project
    # a document near the top of the queue with a few suggestions
    for row in range(40):
        d = win.doc_panel.model.doc_id(row)
        if d is not None and len([s for s in p.spans(d) if s.source == "model"]) >= 2:
            break
    win.doc_panel.select_doc(d)
    pump_until(lambda: False, 0.5)
    win.editor.setFocus()
    win.editor.select_next_suggestion()
    pump_until(lambda: False, 0.8)
    win.grab().save(str(out / "suggestions.png"))
    dialog = ReviewDialog(p, bar.service, win.undo_stack, win._on_review_edit, win)
    dialog.show()
    pump_until(lambda: bool(dialog.mistakes) or "No likely" in dialog.status.text(), 300)
    pump_until(lambda: False, 0.5)
    dialog.grab().save(str(out / "review.png"))
    print(f"wrote {out / 'suggestions.png'} and {out / 'review.png'} ({len(dialog.mistakes)} likely mistakes)")
    dialog.reject()
    settings().remove("suggestions/auto")
    win.close()


if __name__ == "__main__":
    main()
