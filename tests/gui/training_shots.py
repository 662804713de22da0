"""Render the training panel mid-training, from real training runs, to PNGs.

Not a test. Run::

    QT_QPA_PLATFORM=offscreen python tests/gui/training_shots.py [--out /tmp/shots] [--work DIR]

The first run trains two short real runs with ``engine.ner.train`` on the first
``--sentences`` sentences of ``tests/data/train.conll`` (the default model on CPU:
about ten minutes on two slow cores) into ``--work``/shots.tessera; later runs reuse them. The shots then
replay the second run's ``run_metrics`` rows (values and times) into the panel up
to 60% of its steps, as if it were training now, with the first run ticked for
comparison. Writes ``training_panel.png`` (light), ``training_panel_dark.png``, and
``training_panel_runs[_dark].png`` / ``training_panel_try[_dark].png`` (finished,
Runs and Try it tabs) and ``training_report[_dark].png`` (the Report dialog).
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
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("TESSERA_HOME", tempfile.mkdtemp())  # no user settings

from engine.events import Log, Metric, Progress  # noqa: E402
from engine.importer import import_file  # noqa: E402
from engine.store import Project  # noqa: E402
from gui.qt import QtCore  # noqa: E402
from tests.gui.shots import dark_palette, shot_app  # noqa: E402

DATA = ROOT / "tests" / "data"
RUNS = ({}, {"lr": 3e-4})  # automatic learning rate, then a larger one, to compare
TRY_TEXT = "Heading to the Apple store in New York with Sarah to pick up an iPhone before the Knicks game ."


def conll_slice(src: Path, dst: Path, sentences: int) -> Path:
    """Write the first ``sentences`` sentences of a CoNLL file."""
    out, n = [], 0
    for line in src.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            n += 1
            out.append("")
            if n >= sentences:
                break
        else:
            out.append(line)
    dst.write_text("\n".join(out) + "\n", encoding="utf-8")
    return dst


def prepare(work: Path, sentences: int, steps: int) -> Path:
    """Return a project with two finished real runs (trained here on first use)."""
    path = work / "shots.tessera"
    if path.exists():
        with Project.open(path) as p:
            n = p.conn.execute("SELECT COUNT(*) FROM runs WHERE status='finished'").fetchone()[0]
        if n >= 2:
            return path
        path.unlink()
        shutil.rmtree(path.with_suffix(".runs"), ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "train.conll", work / "slice.conll", sentences), status="done")
    from engine.ner.train import TrainConfig, train

    logs = {}
    for extra in RUNS:
        t0 = time.monotonic()
        cfg = TrainConfig(max_steps=steps, eval_every=max(5, steps // 12), seed=0, batch_size=8, **extra)
        lines = []
        r = train(path, cfg, report=lambda e: lines.append([e.message, e.level]) if isinstance(e, Log) else None)
        logs[r.run_id] = lines
        print(f"run {r.run_id}: {r.steps} steps, best F1 {r.best_f1:.3f} at {r.best_step} "
              f"({time.monotonic() - t0:.0f} s)", flush=True)
    (work / "logs.json").write_text(json.dumps(logs, indent=1), encoding="utf-8")
    return path


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def live_copy(src: Path, dst_dir: Path, fraction: float) -> tuple[Path, int, list]:
    """Copy the project and add a ``running`` run holding the last run's first ``fraction`` of
    steps; return the copy, that run's id and the rows to replay ``(step, epoch, name, value, time)``."""
    dst_dir.mkdir(parents=True, exist_ok=True)
    dst = dst_dir / "shots.tessera"
    with Project.open(src) as p:
        p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(src, dst)
    shutil.copytree(src.with_suffix(".runs"), dst.with_suffix(".runs"))
    with Project.open(dst) as p:
        p.conn.execute("UPDATE runs SET output_dir = replace(output_dir, ?, ?)",
                       (str(src.with_suffix(".runs")), str(dst.with_suffix(".runs"))))
        last = p.conn.execute("SELECT MAX(id) FROM runs").fetchone()[0]
        total = p.conn.execute("SELECT MAX(step) FROM run_metrics WHERE run_id=?", (last,)).fetchone()[0]
        cut = int(total * fraction)
        rows = p.conn.execute(
            "SELECT step, epoch, name, value, time FROM run_metrics WHERE run_id=? AND step<=? ORDER BY step, rowid",
            (last, cut)).fetchall()
        from engine.ner.runs import owner_record

        with p.write():
            cur = p.conn.execute(  # owned by this process, so it shows as running, not interrupted
                "INSERT INTO runs(kind, base_model, config, status, output_dir, best_metric, started, owner)"
                " SELECT kind, base_model, config, 'running', NULL, NULL, started, ? FROM runs WHERE id=?",
                (owner_record(), last))
            live = cur.lastrowid
            p.conn.executemany(
                "INSERT INTO run_metrics(run_id, step, epoch, name, value, time) VALUES (?,?,?,?,?,?)",
                [(live, *r) for r in rows])
    return dst, live, [(*r, total) for r in rows]


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
        compare = p.conn.execute("SELECT MIN(id) FROM runs").fetchone()[0]

    # ---- mid-training: a worker that waits, fed the replayed events
    panel = TrainingPanel(copy)
    panel.resize(1280, 800)
    panel.show()
    panel.history.set_checked(compare)
    panel._launch(lambda report, cancel: cancel._event.wait(), RunData(), None)
    panel._ids_before = live - 1
    logs = json.loads((project.parent / "logs.json").read_text(encoding="utf-8")) \
        if (project.parent / "logs.json").exists() else {}
    log_lines = logs.get(str(max(int(k) for k in logs)), []) if logs else []
    cut = rows[-1][0]
    for message, level in log_lines:  # the recipe, then one line per evaluation up to the cut
        m = re.match(r"Step (\d+):", message)
        if m is None and not message.startswith(("Stopped", "Paused")) or m is not None and int(m.group(1)) <= cut:
            panel.handle_event(Log(message, level))
    t_first = _seconds(rows[0][4]) - 2.0
    last_t = t_first
    for step, epoch, name, value, stamp, total in rows:
        t = _seconds(stamp)
        if name == "train/loss":
            panel.handle_event(Progress("Training", step, total, "steps"), t=t)
        panel.handle_event(Metric(name, value, step, epoch))
        last_t = t
    panel._t0 = time.monotonic() - (last_t - t_first)
    panel.handle_event(Progress("Training", cut, rows[-1][5], "steps"), t=last_t)
    panel._tick(force=True)
    app.processEvents()
    panel._tick(force=True)
    path = out / f"training_panel{suffix}.png"
    panel.grab().save(str(path))
    written.append(path)
    panel.stop()
    panel.shutdown()
    app.processEvents()
    panel.close()
    panel.deleteLater()
    app.processEvents()

    # ---- finished runs: the Runs tab (two ticked) and Try it
    panel = TrainingPanel(project)
    panel.resize(1280, 800)
    panel.show()
    ids = [r.id for r in panel.history.runs]
    for rid in ids:
        panel.history.set_checked(rid)
    panel.history.select_run(ids[0])
    panel.tabs.setCurrentIndex(1)
    panel._tick(force=True)
    app.processEvents()
    path = out / f"training_panel_runs{suffix}.png"
    panel.grab().save(str(path))
    written.append(path)
    panel.tabs.setCurrentIndex(2)
    box = panel.try_it
    box.input.setPlainText(TRY_TEXT)
    box.tag_now()
    deadline = time.monotonic() + 120
    while box._busy and time.monotonic() < deadline:
        app.processEvents(QtCore.QEventLoop.AllEvents, 50)
    app.processEvents()
    path = out / f"training_panel_try{suffix}.png"
    panel.grab().save(str(path))
    written.append(path)
    dlg = panel.show_report(ids[0])
    app.processEvents()
    path = out / f"training_report{suffix}.png"
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
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "tessera-training-shots"))
    ap.add_argument("--sentences", type=int, default=400)
    ap.add_argument("--steps", type=int, default=120)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    project = prepare(Path(a.work), a.sentences, a.steps)
    app = shot_app()
    for dark in (False, True):
        for path in render(out, project, dark):
            print(path)
    del app


if __name__ == "__main__":
    main()
