"""Render the label bar, label palette and label manager offscreen to PNGs for a human to look at.

Not a test. Run::

    QT_QPA_PLATFORM=offscreen python tests/gui/shots.py [--out /tmp/shots]

Writes ``label_bar_{light,dark}.png``, ``label_bar_many_{light,dark}.png`` (45 labels,
active chip), ``label_bar_empty_{light,dark}.png``, ``label_palette_{light,dark}.png``, ``label_palette_create_{light,dark}.png``,
``label_manager_{light,dark}.png``, ``label_manager_warning_{light,dark}.png`` (pale colour)
and ``label_manager_error_{light,dark}.png`` (duplicate name).
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

from engine.store import Project  # noqa: E402
from gui.qt import QtGui, QtWidgets  # noqa: E402


def shot_app():
    """The QApplication of a screenshot script, in the language ``TESSERA_SHOT_LANG``
    names (e.g. ``zh_CN``; default English). ``TESSERA_SHOT_FONT`` adds a font file for
    machines without one for that script (this build machine has no CJK font; the
    screenshots in Chinese used Droid Sans Fallback, Apache-2.0, taken from PyMuPDF)."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    lang = os.environ.get("TESSERA_SHOT_LANG", "")
    if lang and not getattr(app, "_shot_lang", None):
        from gui import i18n

        app._shot_lang = i18n.install(app, lang)
        font = os.environ.get("TESSERA_SHOT_FONT")
        if font:
            QtGui.QFontDatabase.addApplicationFont(font)
    return app


#: WNUT-17 entity types first, then a few more a real project grows.
WNUT_LABELS = ("person", "location", "corporation", "product", "creative-work", "group")
MORE_LABELS = ("event", "date", "money", "language", "facility", "law")


def dark_palette() -> QtGui.QPalette:
    """Return a dark palette close to the ones desktop dark themes use."""
    pal = QtGui.QPalette()
    P = QtGui.QPalette
    for role, c in (
        (P.Window, "#202124"), (P.WindowText, "#e8e8ea"), (P.Base, "#1e1e1e"), (P.AlternateBase, "#26272b"),
        (P.Text, "#e8e8ea"), (P.Button, "#2d2e33"), (P.ButtonText, "#e8e8ea"), (P.Highlight, "#3d6fd8"),
        (P.HighlightedText, "#ffffff"), (P.ToolTipBase, "#2d2e33"), (P.ToolTipText, "#e8e8ea"),
        (P.PlaceholderText, "#8a8b90"), (P.Light, "#3a3b40"), (P.Midlight, "#33343a"), (P.Mid, "#4a4b52"),
        (P.Dark, "#141416"), (P.Shadow, "#000000"), (P.BrightText, "#ffffff"), (P.Link, "#8ab4f8"),
    ):
        pal.setColor(role, QtGui.QColor(c))
    for role, c in ((P.WindowText, "#7d7e84"), (P.Text, "#7d7e84"), (P.ButtonText, "#7d7e84")):
        pal.setColor(P.Disabled, role, QtGui.QColor(c))
    return pal


def light_palette() -> QtGui.QPalette:
    """Return the Fusion style's standard (light) palette."""
    return QtWidgets.QApplication.style().standardPalette()


def make_project(folder: Path, extra: int = 0) -> Project:
    """Return a new project with the WNUT-17 labels, a few more, ``extra`` numbered ones and some entities."""
    p = Project.create(folder / "shots.tessera")
    for n in WNUT_LABELS + MORE_LABELS:
        p.add_label(n)
    for k in range(extra):
        p.add_label(f"custom-type-{k + 1}")
    ids = {l.name: l.id for l in p.labels()}
    text = "Alice met Bob in Paris at Google while playing Minecraft with the Beatles"
    for k in range(40):
        d = p.add_document(f"{text} ({k})")
        p.add_token_span(d, 0, 1, ids["person"])
        if k % 3 == 0:
            p.add_token_span(d, 2, 3, ids["person"])
        if k % 2 == 0:
            p.add_token_span(d, 4, 5, ids["location"])
        p.add_token_span(d, 6, 7, ids["corporation"])
    return p


def _save(w: QtWidgets.QWidget, path: Path) -> str:
    w.show()
    QtWidgets.QApplication.processEvents()
    w.grab().save(str(path))
    return str(path)


def render_all(out: Path) -> list[str]:
    """Render every widget in light and dark palettes into ``out``; return the PNG paths."""
    from gui.label_bar import LabelBar
    from gui.label_manager import LabelManager
    from gui.label_palette import LabelPalette

    app = shot_app()
    app.setStyle("Fusion")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    written = []
    for theme, pal in (("light", light_palette()), ("dark", dark_palette())):
        app.setPalette(pal)
        sub = tmp / theme
        sub.mkdir()
        p = make_project(sub)
        ids = {l.name: l.id for l in p.labels()}

        host = QtWidgets.QWidget()
        host.setAutoFillBackground(True)
        lay = QtWidgets.QVBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = LabelBar(p)
        bar.set_active(ids["location"])
        lay.addWidget(bar)
        lay.addStretch(1)
        host.resize(1000, 90)
        host.show()
        QtWidgets.QApplication.processEvents()
        host.resize(1000, bar.sizeHint().height())
        written.append(_save(host, out / f"label_bar_{theme}.png"))
        host.close()

        sub2 = tmp / f"{theme}-many"
        sub2.mkdir()
        pm = make_project(sub2, extra=33)
        host = QtWidgets.QWidget()
        host.setAutoFillBackground(True)
        lay = QtWidgets.QVBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = LabelBar(pm)
        bar.set_active(pm.labels()[3].id)
        lay.addWidget(bar)
        host.resize(900, 200)
        host.show()
        QtWidgets.QApplication.processEvents()
        host.resize(900, bar.sizeHint().height())
        written.append(_save(host, out / f"label_bar_many_{theme}.png"))
        host.close()

        sub3 = tmp / f"{theme}-empty"
        sub3.mkdir()
        pe = Project.create(sub3 / "empty.tessera")
        host = QtWidgets.QWidget()
        host.setAutoFillBackground(True)
        lay = QtWidgets.QVBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(LabelBar(pe))
        host.resize(600, 40)
        written.append(_save(host, out / f"label_bar_empty_{theme}.png"))
        host.close()
        pe.close()

        pal_w = LabelPalette(pm)
        pal_w.filter_edit.setText("o")
        written.append(_save(pal_w, out / f"label_palette_{theme}.png"))
        pal_w.filter_edit.setText("Organisation")
        written.append(_save(pal_w, out / f"label_palette_create_{theme}.png"))
        pal_w.close()

        mgr = LabelManager(p)
        mgr.resize(620, 460)
        mgr.select_label(ids["location"])
        written.append(_save(mgr, out / f"label_manager_{theme}.png"))
        mgr.recolor(ids["location"], "#f4f1e8")
        written.append(_save(mgr, out / f"label_manager_warning_{theme}.png"))
        mgr.rename(ids["person"], "location")
        written.append(_save(mgr, out / f"label_manager_error_{theme}.png"))
        mgr.close()
        p.close()
        pm.close()
    return written


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/shots")
    a = ap.parse_args()
    for path in render_all(Path(a.out)):
        print(path)
