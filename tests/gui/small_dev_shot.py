"""Render the training panel after a real run on the demo project (120 labeled WNUT-17
documents): the per-label tables with 95% intervals, the band around the dev F1 curve
and the small-dev warning (issue 14). Not a test. Run::

    QT_QPA_PLATFORM=offscreen python tests/gui/small_dev_shot.py [--out docs/screenshots]

Trains with the app's defaults (about a minute on two cores).
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

from engine.demo import build_demo  # noqa: E402
from tests.gui.shots import shot_app  # noqa: E402
from gui.qt import QtCore  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/shots")
    args = ap.parse_args()
    app = shot_app()
    app.setStyle("Fusion")
    from gui.training.panel import TrainingPanel

    project = Path(tempfile.mkdtemp()) / "demo.tessera"
    build_demo(project)
    panel = TrainingPanel(project)
    panel.resize(1280, 760)
    panel.show()
    done = []
    panel.runFinished.connect(lambda rid: done.append(rid))
    panel.start_button.click()
    while not done:
        app.processEvents(QtCore.QEventLoop.AllEvents, 100)
    for _ in range(20):
        app.processEvents()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    panel.grab().save(str(out / "training_small_dev.png"))
    print(out / "training_small_dev.png", panel.message.text(), panel.small_dev_note.text())
    panel.shutdown()


if __name__ == "__main__":
    main()
