"""Render document categories for the README: the editor on BANKING77 messages (77
intents as chips, the shown message's filled in, the list's Category column) and the
training panel after a real classifier run (its Confusion tab). Not a test. Run::

    QT_QPA_PLATFORM=offscreen python tests/gui/category_shots.py [--out docs/screenshots]

``SHOTS_ONLY=editor`` or ``panel`` renders one of them (the panel trains for a minute
or two on two cores).
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TESSERA_HOME", tempfile.mkdtemp())

from gui.qt import QtCore, QtWidgets  # noqa: E402
from tests.gui.shots import shot_app  # noqa: E402


def editor_shot(out: Path, tmp: Path) -> None:
    """The main window on the BANKING77 sample: the first 40 messages done with their
    intent, the rest new; the 41st shown with its category just given."""
    from engine.importer import import_file
    from engine.store import Project
    from gui.main_window import MainWindow

    path = tmp / "banking77.tessera"
    with Project.create(path) as p:
        import_file(p, ROOT / "tests" / "data" / "banking77" / "sample.csv")
        gold = p.label(p.categories(41)[0].label_id).name  # what the data set says doc 41 is
        p.set_status(list(range(41, 309)), "new")
        with p.write():
            p.conn.execute("DELETE FROM doc_categories WHERE doc_id > 40")
    win = MainWindow(path)
    win.resize(1400, 820)
    win.show()
    app = QtWidgets.QApplication.instance()
    win.doc_panel.select_doc(41)
    app.processEvents()
    win.press_category(win.project.label_by_name(gold).id)
    for _ in range(5):
        app.processEvents(QtCore.QEventLoop.AllEvents, 50)
    win.grab().save(str(out / "categories_editor.png"))
    win.close()


def panel_shot(out: Path, tmp: Path, intents: int = 12, per_intent: int = 30) -> None:
    """The training panel after a real classifier run on ``intents`` BANKING77 intents x
    ``per_intent`` messages (the app's defaults), on its Confusion tab (a heat map)."""
    import csv
    import random

    from engine.importer import import_file
    from engine.ner.train import TrainConfig
    from engine.store import Project
    from engine.textcat.train import train
    from gui.training.panel import TrainingPanel
    from gui.training.runs import TEXTCAT

    with open(ROOT / "tests" / "data" / "banking77" / "train.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by: dict[str, list] = {}
    for r in rows:
        by.setdefault(r["category"], []).append(r)
    names = sorted(by)[:intents]
    rng = random.Random(0)
    picked = [r for n in names for r in rng.sample(by[n], per_intent)]
    src = tmp / "few.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "category"])
        w.writerows([(r["text"], r["category"]) for r in picked])
    path = tmp / "classifier.tessera"
    with Project.create(path) as p:
        import_file(p, src, backup=False)
    result = train(path, TrainConfig(seed=0))
    app = QtWidgets.QApplication.instance()
    panel = TrainingPanel(path)
    panel.resize(1400, 820)
    panel.show()
    panel.set_task(TEXTCAT)
    panel.history.select_run(result.run_id)
    panel.tabs.setCurrentWidget(panel.confusion_tab)
    panel.right_split.setSizes([330, 470])  # room for the heat map
    for _ in range(10):
        app.processEvents(QtCore.QEventLoop.AllEvents, 50)
    panel.grab().save(str(out / "training_classifier.png"))
    panel.shutdown()
    panel.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = shot_app()
    app.setStyle("Fusion")
    ap_only = os.environ.get("SHOTS_ONLY", "")
    with tempfile.TemporaryDirectory() as tmp:
        if ap_only in ("", "editor"):
            editor_shot(out, Path(tmp))
            print(f"wrote {out / 'categories_editor.png'}")
        if ap_only in ("", "panel"):
            panel_shot(out, Path(tmp))
            print(f"wrote {out / 'training_classifier.png'}")


if __name__ == "__main__":
    main()
