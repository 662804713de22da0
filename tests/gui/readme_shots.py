"""Render the README screenshots of the real main window on the demo project.

Not a test. Run::

    QT_QPA_PLATFORM=offscreen python tests/gui/readme_shots.py [--out docs/screenshots]

Writes ``main_window.png`` (light) and ``main_window_dark.png``: the demo project,
the labeled document with the most entities open, one entity selected.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["TESSERA_HOME"] = tempfile.mkdtemp()  # a fresh demo, no user settings

from gui.qt import QtCore  # noqa: E402
from tests.gui.shots import dark_palette, shot_app  # noqa: E402


def render(out: Path, dark: bool) -> Path:
    """Render the main window to ``out``/main_window[_dark].png; return the path."""
    from engine.demo import build_demo
    from gui.main_window import MainWindow

    app = shot_app()
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    QtCore.QSettings.setPath(QtCore.QSettings.NativeFormat, QtCore.QSettings.UserScope, os.environ["TESSERA_HOME"])
    demo = Path(os.environ["TESSERA_HOME"]) / "demo.tessera"
    if not demo.exists():
        build_demo(demo)
    win = MainWindow(demo)
    win.resize(1360, 800)
    win.show()
    app.processEvents()
    doc_id = win.project.conn.execute(
        "SELECT doc_id FROM spans GROUP BY doc_id ORDER BY count(*) DESC, doc_id LIMIT 1"
    ).fetchone()[0]
    win.doc_panel.select_doc(doc_id)
    app.processEvents()
    spans = win.editor.spans()
    if spans:
        win.editor.select_span(spans[0].id)
    win.editor.set_active_label(spans[-1].label_id if spans else None)
    win.editor.setFocus()
    app.processEvents()
    path = out / ("main_window_dark.png" if dark else "main_window.png")
    win.grab().save(str(path))
    win.close()
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for dark in (False, True):
        print(render(out, dark))
