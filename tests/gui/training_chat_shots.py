"""Render the training panel mid chat fine-tuning, from real LoRA runs, to PNGs.

Not a test. Run::

    QT_QPA_PLATFORM=offscreen TESSERA_MODELS=/tmp/tessera_models \\
        python tests/gui/training_chat_shots.py [--out /tmp/shots] [--work DIR]

The first run fine-tunes the default chat model (SmolLM2-135M) twice with
``engine.chat.sft`` on the first ``--examples`` short Dolly open-QA pairs of
``tests/data/chat/dolly_open_qa_200.jsonl`` (plus a few held out as dev), into
``--work``/shots.tessera (about 2 x 4 minutes on two idle cores; much longer on a
busy machine); later runs reuse them. The shots replay the second chat run's ``run_metrics``
rows into the panel up to 60% of its steps, as if it were training now, with the
first chat run ticked for comparison. Writes ``training_chat.png`` (light),
``training_chat_dark.png``, ``training_chat_runs[_dark].png`` and
``training_chat_try[_dark].png`` (Runs and Try it tabs of the finished runs) and
``training_chat_report[_dark].png`` (the Report dialog of a chat run).
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("TESSERA_HOME", tempfile.mkdtemp())  # no user settings

from engine.chat.examples import add_examples  # noqa: E402
from engine.events import Log, Metric, Progress  # noqa: E402
from engine.store import Project  # noqa: E402
from gui.qt import QtCore  # noqa: E402
from tests.gui.shots import dark_palette, shot_app  # noqa: E402
from tests.gui.training_shots import _seconds, live_copy  # noqa: E402

DOLLY = ROOT / "tests" / "data" / "chat" / "dolly_open_qa_200.jsonl"
RUNS = ({}, {"lr": 5e-4})  # automatic learning rate, then a larger one, to compare
TRY_TEXT = "What is the capital of France?"


def dolly(n: int, max_chars: int = 500) -> list[list[dict]]:
    """The first ``n`` Dolly pairs of at most ``max_chars`` characters, as chat examples."""
    out = []
    for line in DOLLY.read_text(encoding="utf-8").splitlines():
        human, _, assistant = json.loads(line)["text"].partition("### Assistant:")
        q, a = human.replace("### Human:", "").strip(), assistant.strip()
        if q and a and len(q) + len(a) <= max_chars:
            out.append([{"role": "user", "content": q}, {"role": "assistant", "content": a}])
        if len(out) == n:
            break
    return out


def prepare(work: Path, examples: int, dev: int, steps: int) -> Path:
    """Return a project with two finished real chat runs (fine-tuned here on first use)."""
    path = work / "shots.tessera"
    if path.exists():
        with Project.open(path) as p:
            n = p.conn.execute("SELECT COUNT(*) FROM runs WHERE kind='chat' AND status='finished'").fetchone()[0]
        if n >= 2:
            return path
        path.unlink()
        shutil.rmtree(path.with_suffix(".runs"), ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    pairs = dolly(examples + dev)
    with Project.create(path) as p:
        add_examples(p, pairs[:examples], source="dolly", split="train")
        add_examples(p, pairs[examples:], source="dolly", split="dev")
    from engine.chat.sft import SftConfig, train

    logs = {}
    for extra in RUNS:
        t0 = time.monotonic()
        cfg = SftConfig(max_steps=steps, eval_every=max(4, steps // 8), batch_size=4, max_length=256, lora_r=8,
                        seed=0, **extra)
        lines = []
        r = train(path, cfg, report=lambda e: lines.append([e.message, e.level]) if isinstance(e, Log) else None)
        logs[r.run_id] = lines
        print(f"run {r.run_id}: {r.steps} steps, best dev loss {r.best_loss:.3f} at {r.best_step} "
              f"({time.monotonic() - t0:.0f} s)", flush=True)
    (work / "logs.json").write_text(json.dumps(logs, indent=1), encoding="utf-8")
    return path


def render(out: Path, project: Path, dark: bool) -> list[Path]:
    from gui.training import TrainingPanel
    from gui.training.live import RunData

    app = shot_app()
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    suffix = "_dark" if dark else ""
    written = []
    tmp = Path(tempfile.mkdtemp())
    copy, live, rows = live_copy(project, tmp / "live", 0.6)
    with Project.open(copy) as p:
        compare = p.conn.execute("SELECT MIN(id) FROM runs WHERE kind='chat'").fetchone()[0]
        config = json.loads(p.conn.execute("SELECT config FROM runs WHERE id=?", (live,)).fetchone()[0])

    # ---- mid-training: a worker that waits, fed the replayed events
    panel = TrainingPanel(copy)
    panel.resize(1280, 800)
    panel.show()
    panel.set_task("chat")
    panel.chat_form.set_config(config)  # the settings this run was started with (as the engine chose them)
    panel.history.set_checked(compare)
    panel._launch(lambda report, cancel: cancel._event.wait(), RunData(), None, "chat")
    panel._ids_before = live - 1
    logs = json.loads((project.parent / "logs.json").read_text(encoding="utf-8")) \
        if (project.parent / "logs.json").exists() else {}
    log_lines = logs.get(str(max(int(k) for k in logs)), []) if logs else []
    cut = rows[-1][0]
    for message, level in log_lines:  # the recipe, then one line per evaluation up to the cut
        m = re.match(r"Step (\d+)", message)
        if m is None and not message.startswith(("Stopped", "Paused", "Finished", "Training finished")) \
                or m is not None and int(m.group(1)) <= cut:
            panel.handle_event(Log(message, level))
    # metrics are stored in batches (one time per batch): spread the steps evenly over
    # the run's time so the step rate behind "time left" is the run's average
    t_first = _seconds(rows[0][4]) - 2.0
    t_last = _seconds(rows[-1][4])
    last_t = t_first
    for step, epoch, name, value, stamp, total in rows:
        t = t_first + (t_last - t_first) * step / max(1, cut)
        if name == "train/loss":
            panel.handle_event(Progress("Training", step, total, "steps"), t=t)
        panel.handle_event(Metric(name, value, step, epoch))
        last_t = t
    panel._t0 = time.monotonic() - (last_t - t_first)
    panel.handle_event(Progress("Training", cut, rows[-1][5], "steps"), t=last_t)
    panel._tick(force=True)
    app.processEvents()
    panel._tick(force=True)
    path = out / f"training_chat{suffix}.png"
    panel.grab().save(str(path))
    written.append(path)
    panel.stop()
    panel.shutdown()
    app.processEvents()
    panel.close()
    panel.deleteLater()
    app.processEvents()

    # ---- finished runs: the Runs tab (the chat runs ticked), Try it, the report
    panel = TrainingPanel(project)
    panel.resize(1280, 800)
    panel.show()
    chats = [r.id for r in panel.history.runs if r.is_chat]
    for rid in chats:
        panel.history.set_checked(rid)
    panel.history.select_run(chats[0])
    panel.tabs.setCurrentIndex(1)
    panel._tick(force=True)
    app.processEvents()
    path = out / f"training_chat_runs{suffix}.png"
    panel.grab().save(str(path))
    written.append(path)
    panel.tabs.setCurrentIndex(2)
    box = panel.chat_try
    box.input.setText(TRY_TEXT)
    box.ask()
    deadline = time.monotonic() + 300
    while box._busy and time.monotonic() < deadline:
        app.processEvents(QtCore.QEventLoop.AllEvents, 50)
    app.processEvents()
    path = out / f"training_chat_try{suffix}.png"
    panel.grab().save(str(path))
    written.append(path)
    dlg = panel.show_report(chats[0])
    app.processEvents()
    path = out / f"training_chat_report{suffix}.png"
    dlg.grab().save(str(path))
    written.append(path)
    dlg.close()
    panel.shutdown()
    panel.close()
    panel.deleteLater()
    app.processEvents()
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/shots")
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "tessera-training-chat-shots"))
    ap.add_argument("--examples", type=int, default=60)
    ap.add_argument("--dev", type=int, default=8)
    ap.add_argument("--steps", type=int, default=20)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    project = prepare(Path(a.work), a.examples, a.dev, a.steps)
    app = shot_app()
    for dark in (False, True):
        for path in render(out, project, dark):
            print(path)
    del app


if __name__ == "__main__":
    main()
