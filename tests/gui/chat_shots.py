"""Render the main window with the chat pane, from real replies, to PNGs.

Not a test. Run::

    QT_QPA_PLATFORM=offscreen python tests/gui/chat_shots.py [--out docs/screenshots] [--work DIR]

The first run builds the demo project in ``--work``, imports the first 40
conversations of ``tests/data/chat/dolly_open_qa_200.jsonl`` as chat examples and
fine-tunes a tiny LoRA adapter on them with ``engine.chat.sft`` (a few steps at a
high learning rate, so its answers visibly differ); later runs reuse it. Then, with
the default model (SmolLM2-135M, greedy) writing real replies:

* ``chat_pane.png`` (light): a two-turn chat, the second reply captured while it streams;
* ``chat_pane_dark.png``: the same chat continued in the dark palette, captured while streaming;
* ``chat_compare.png`` (light): Compare on, the default model (A) next to the fine-tuned run (B),
  with the settings open.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("TESSERA_HOME", tempfile.mkdtemp())  # no user settings

from engine.store import Project  # noqa: E402
from gui.qt import QtCore, QtWidgets  # noqa: E402
from tests.gui.shots import dark_palette, shot_app  # noqa: E402

DATA = ROOT / "tests" / "data" / "chat" / "dolly_open_qa_200.jsonl"
SYSTEM = "You are a helpful assistant for a law firm. Answer in plain English."
TURNS = (
    ("List three things every valid contract needs.", 90),
    ("Explain consideration in one paragraph for a client.", 120),
    ("Give two examples of a breach of contract.", 120),
)
COMPARE_Q = "Why can camels survive for long without water?"


def prepare(work: Path) -> Path:
    """Return the shots project (the demo project + chat examples + one finished chat run)."""
    path = work / "chat_shots.tessera"
    if path.exists():
        with Project.open(path) as p:
            ok = p.conn.execute("SELECT COUNT(*) FROM runs WHERE kind='chat' AND status='finished'").fetchone()[0]
        if ok:
            return path
    work.mkdir(parents=True, exist_ok=True)
    from engine.chat.importer import import_chat_file
    from engine.chat.sft import SftConfig, train
    from engine.demo import build_demo

    if not path.exists():
        build_demo(path)
    lines = DATA.read_text(encoding="utf-8").splitlines()[:40]
    part = work / "dolly40.jsonl"
    part.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Project.open(path) as p:
        print("chat examples:", import_chat_file(p, part))
    t0 = time.monotonic()
    r = train(path, SftConfig(max_steps=6, lr=2e-3, batch_size=4, max_length=256, seed=0))
    print(f"fine-tuned run {r.run_id} in {time.monotonic() - t0:.0f} s: best dev loss {r.best_loss:.3f}")
    return path


def wait_pieces(pane, n: int, timeout: float = 300) -> None:
    """Process events until the streaming reply has at least ``n`` frames of text (or it ended)."""
    got = []
    pane.runner.pieces.connect(lambda side, text: got.append(text))
    deadline = time.monotonic() + timeout
    while len(got) < n and pane.is_busy() and time.monotonic() < deadline:
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.AllEvents, 30)
        time.sleep(0.01)


def open_window(path: Path, dark: bool, width: int = 1440, dock_width: int = 580):
    from gui.main_window import MainWindow

    app = QtWidgets.QApplication.instance()
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    win = MainWindow(path)
    win.resize(width, 900)
    win.show()
    win.chat_dock.show()
    win.resizeDocks([win.chat_dock], [dock_width], QtCore.Qt.Horizontal)
    win.splitter.setSizes([330, width - dock_width - 330])
    app.processEvents()
    pane = win.chat_dock.pane()
    return win, pane


def grab(win, out: Path) -> str:
    QtWidgets.QApplication.processEvents()
    win.grab().save(str(out))
    return str(out)


def render(path: Path, out: Path) -> list[str]:
    shots = []
    # light: a fresh chat, first reply complete, second captured while streaming
    win, pane = open_window(path, dark=False)
    pane.new_chat()
    pane.settings.set_values(temperature=0.0, repetition_penalty=1.1, system=SYSTEM)
    for i, (text, tokens) in enumerate(TURNS[:2]):
        pane.settings.set_values(max_new_tokens=tokens)
        pane.send(text)
        if i == 1:
            wait_pieces(pane, 45)
            shots.append(grab(win, out / "chat_pane.png"))
        pane.wait(600_000)
    win.close()

    # dark: the same chat (the newest) continued, captured while streaming
    win, pane = open_window(path, dark=True)
    pane.settings.set_values(max_new_tokens=TURNS[2][1])
    pane.send(TURNS[2][0])
    wait_pieces(pane, 30)
    shots.append(grab(win, out / "chat_pane_dark.png"))
    pane.wait(600_000)
    win.close()

    # compare: default model (A) and the fine-tuned run (B), one after the other
    win, pane = open_window(path, dark=False, width=1500, dock_width=760)
    pane.new_chat()
    pane.settings.set_values(temperature=0.0, repetition_penalty=1.1, max_new_tokens=60, system="")
    pane.compare.set_on(True)
    pane.settings_toggle.setChecked(True)  # show the sampling controls too
    print("compare:", pane.picker.current_choice().title, "vs", pane.compare.choice().title)
    pane.send(COMPARE_Q)
    pane.wait(600_000)
    shots.append(grab(win, out / "chat_compare.png"))
    reply = pane.messages()[-1]
    print(json.dumps({k: reply.get(k) for k in ("model", "ttft_ms", "tokens_per_s", "tokens")}),
          json.dumps({k: reply["compare"].get(k) for k in ("model", "ttft_ms", "tokens_per_s", "tokens")}))
    win.close()
    return shots


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "tessera_chat_shots"))
    a = ap.parse_args()
    app = shot_app()
    app.setStyle("Fusion")
    QtCore.QSettings.setPath(QtCore.QSettings.NativeFormat, QtCore.QSettings.UserScope, os.environ["TESSERA_HOME"])
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    project = prepare(Path(a.work))
    for s in render(project, out):
        print(s)
