"""Active learning on WNUT-17: does labeling the documents the model is least sure
about reach a given F1 with fewer labels than labeling random ones?

Run: ``python tests/bench/bench_active_learning.py`` (3 seeds x 8 rounds x 3
strategies; a few hours on 2 CPU cores), ``--seeds 1 --rounds 3`` for a quick look,
``--first-seed 1 --seeds 2 --strategies random uncertainty`` to add seeds to the saved
results (a seed whose strategies are all saved is skipped; one that was cut off part-way
runs again), ``--summarize`` to print the table and draw the plot from them.

A simulated annotator (gold from ``tests/data/train.conll``): for each seed, a pool of
2,000 WNUT-17 train sentences (a seeded sample) is imported as ``new`` documents
without entities; 50 seeded-random ones are labeled (their gold entities put back,
marked done, split train). Each round trains a tagger with the app's own defaults
(``engine.ner.train.train``, dev = the first 300 sentences of ``tests/data/dev.conll``)
and scores its ``best/`` on held-out sentences never used for any choice (the rest of
dev.conll, 709 sentences); then the next 50 documents are labeled, chosen by

* ``random``: a seeded shuffle of the new documents;
* ``uncertainty``: the new documents' uncertainty under the round's model (``mnlp``: mean
  negative log-probability of the decoded tags) with the diversity guard (no two
  near-duplicates back to back); the app's first default;
* ``margin``: the plain recipe (least margin between a word's two likeliest tags, no
  guard), for comparison with the anchor in the issue;
* ``margin_guard``: what the app does now (``engine.loop``: least margin, the default
  since it won above, with the diversity guard).

The first round (50 labels) is shared by every strategy of a seed. Results are appended
to ``docs/benchmarks/active_learning.json`` as they come (an interrupted run keeps its
rounds); the summary prints held-out F1 per round (mean and spread over seeds) and the
labels each strategy needs to reach random's final F1, and draws
``docs/benchmarks/active_learning.png`` (``--name`` picks another results file: the
rerun with every piece of a word labeled in training is ``active_learning_all_pieces``).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from engine.importer import import_file  # noqa: E402
from engine.loop.queue import label_queue  # noqa: E402
from engine.loop.suggest import suggest  # noqa: E402
from engine.ner.predict import load_tagger  # noqa: E402
from engine.ner.train import TrainConfig, train  # noqa: E402
from engine.store import Project  # noqa: E402
from tests.bench.bench_ner_small_data import conll_blocks, heldout_f1, write_blocks  # noqa: E402

DATA = ROOT / "tests" / "data"
OUT = ROOT / "docs" / "benchmarks"
RESULTS = OUT / "active_learning.json"
STRATEGIES = ("random", "uncertainty", "margin", "margin_guard")
POOL, START, STEP, DEV = 2000, 50, 50, 300


def label(p: Project, ids: list[int], gold: dict[int, list[tuple[int, int, int]]]) -> None:
    """The simulated annotator: put back the gold entities of ``ids``, mark them done (train).

    Raises:
        AssertionError: a document was labeled already (a strategy picked it twice).
    """
    marks = ",".join("?" * len(ids))
    assert not p.conn.execute(f"SELECT 1 FROM documents WHERE status != 'new' AND id IN ({marks})", ids).fetchone()
    p.drop_suggestions(ids)
    with p.write():
        p.conn.executemany(
            'INSERT INTO spans(doc_id, start, "end", token_start, token_end, label_id, source, created)'
            " VALUES (?,?,?,?,?,?,'human','')", [(d, *g) for d in ids for g in gold[d]])
    p.set_status(ids, "done")
    p.set_split(ids, "train")


def build(folder: Path, seed: int, train_blocks, dev_blocks) -> tuple[Path, dict]:
    """A project with the seed's pool (new, no entities) and the dev sentences; return its
    path and the pool's gold entities ``{doc id: [(start, end, token_start, token_end, label id)]}``."""
    rng = random.Random(seed)
    pool = rng.sample(train_blocks, POOL)
    path = folder / "al.tessera"
    with Project.create(path) as p:
        import_file(p, write_blocks(pool, folder / "pool.conll"), status="new", backup=False)
        gold = {}
        for d, st, en, ts, te, lab in p.conn.execute(
                'SELECT doc_id, start, "end", token_start, token_end, label_id FROM spans'):
            gold.setdefault(d, []).append((st, en, ts, te, lab))
        ids = [r[0] for r in p.conn.execute("SELECT id FROM documents")]
        for d in ids:
            gold.setdefault(d, [])
        with p.write():
            p.conn.execute("DELETE FROM spans")
        import_file(p, write_blocks(dev_blocks[:DEV], folder / "dev.conll"), status="done", split="dev", backup=False)
        label(p, rng.sample(ids, START), gold)
    return path, gold


def one_round(path: Path, seed: int, heldout) -> dict:
    t = time.perf_counter()
    r = train(path, TrainConfig(seed=seed, out_dir=str(path.parent / "runs")))  # each strategy its own folder
    secs = time.perf_counter() - t
    with Project.open(path) as p:
        n = p.count_documents(status="done", split="train")
    return {"labels": n, "dev_f1": r.best_f1, "heldout_f1": heldout_f1(r.output_dir / "best", heldout),
            "train_s": round(secs, 1), "best": str(r.output_dir / "best")}


def pick(path: Path, strategy: str, best: str, seed: int, rnd: int) -> list[int]:
    with Project.open(path) as p:
        if strategy == "random":
            return label_queue(p, order="random", n=STEP, seed=seed * 1000 + rnd)
        tagger = load_tagger(best, device="cpu")
        if strategy in ("uncertainty", "margin_guard"):
            suggest(p, tagger, status="new", strategy="mnlp" if strategy == "uncertainty" else "margin")
            return label_queue(p, order="uncertainty", n=STEP)
        suggest(p, tagger, status="new", strategy="margin")  # plain least margin, no diversity guard
        new = [d for (d,) in p.conn.execute("SELECT id FROM documents WHERE status = 'new'")]
        scores = p.uncertainty(new)
        return sorted(scores, key=lambda d: (-scores[d], d))[:STEP]


def save(rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.part")
    tmp.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    os.replace(tmp, RESULTS)


def run(seeds: list[int], rounds: int, strategies: list[str]) -> None:
    rows = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    # a strategy cut off part-way runs again from its first round (its models are gone)
    complete = {(r["seed"], r["strategy"]) for r in rows if r["round"] == rounds}
    rows = [r for r in rows if (r["seed"], r["strategy"]) in complete or r["seed"] not in seeds]
    done = {(r["seed"], r["strategy"], r["round"]) for r in rows}
    train_blocks = conll_blocks(DATA / "train.conll")
    dev_blocks = conll_blocks(DATA / "dev.conll")
    heldout = dev_blocks[DEV:]
    for seed in seeds:
        todo = [s for s in strategies if any((seed, s, r) not in done for r in range(rounds + 1))]
        if not todo:
            continue  # every round of every strategy of this seed is saved already
        with tempfile.TemporaryDirectory() as d:
            base = Path(d) / "base"
            base.mkdir()
            path, gold = build(base, seed, train_blocks, dev_blocks)
            first = one_round(path, seed, heldout)
            print(f"seed {seed} round 0: {first}", flush=True)
            for strategy in todo:
                if (seed, strategy, 0) not in done:
                    rows.append({"seed": seed, "strategy": strategy, "round": 0, **first})
                    save(rows)
                folder = Path(d) / strategy
                folder.mkdir()
                shutil.copy(path, folder / path.name)  # round 0's run stays in base/runs
                sp = folder / path.name
                best = first["best"]
                for rnd in range(1, rounds + 1):
                    ids = pick(sp, strategy, best, seed, rnd)
                    with Project.open(sp) as p:
                        label(p, ids, gold)
                    if (seed, strategy, rnd) in done:
                        best = next(r["best"] for r in rows if (r["seed"], r["strategy"], r["round"]) == (seed, strategy, rnd))
                        continue
                    res = one_round(sp, seed, heldout)
                    best = res["best"]
                    rows.append({"seed": seed, "strategy": strategy, "round": rnd, **res})
                    save(rows)
                    print(f"seed {seed} {strategy} round {rnd}: {res}", flush=True)
    summarize()


def summarize() -> None:
    rows = json.loads(RESULTS.read_text(encoding="utf-8"))
    strategies = [s for s in STRATEGIES if any(r["strategy"] == s for r in rows)]
    curves: dict[str, list[tuple[int, float, float, int]]] = {}
    for s in strategies:
        pts = []
        for rnd in sorted({r["round"] for r in rows if r["strategy"] == s}):
            vals = [r for r in rows if r["strategy"] == s and r["round"] == rnd]
            f = [r["heldout_f1"] for r in vals]
            pts.append((vals[0]["labels"], statistics.mean(f), statistics.pstdev(f) if len(f) > 1 else 0.0, len(f)))
        curves[s] = pts
    print(f"{'labels':>7}" + "".join(f"{s:>24}" for s in strategies))
    for k in range(max(len(c) for c in curves.values())):
        line = f"{curves[strategies[0]][k][0] if k < len(curves[strategies[0]]) else '':>7}"
        for s in strategies:
            c = curves[s]
            line += f"{c[k][1]:>14.3f} ± {c[k][2]:.3f} (n={c[k][3]})" if k < len(c) else f"{'':>24}"
        print(line)
    if "random" in curves and curves["random"]:
        final = curves["random"][-1]
        print(f"\nrandom's final held-out F1: {final[1]:.3f} with {final[0]} labels")
        for s in strategies:
            reach = next((n for n, f, _, _ in curves[s] if f >= final[1]), None)
            share = f"{reach / final[0]:.0%} of random's labels" if reach else "not reached"
            print(f"  {s:<12} reaches it with {reach or '-'} labels ({share}); goal <= 60%")
    plot(curves)


def plot(curves: dict) -> None:
    """Mean held-out F1 per labels (lines) with the spread over seeds (bands), as a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    import pyqtgraph as pg
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])  # noqa: F841
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    w = pg.PlotWidget(title="WNUT-17 held-out entity F1 by labeled sentences (mean ± one standard deviation "
                            "over seeds)")
    w.resize(900, 560)
    w.addLegend(offset=(10, 10))
    w.setLabel("bottom", "labeled sentences")
    w.setLabel("left", "held-out entity F1")
    colors = {"random": (120, 120, 120), "uncertainty": (31, 119, 180), "margin": (214, 39, 40),
              "margin_guard": (44, 160, 44)}
    w.getAxis("left").enableAutoSIPrefix(False)
    lows = []
    for k, (s, pts) in enumerate(curves.items()):
        xs = [p[0] + (k - 0.5) * 4 for p in pts]  # a little apart, so the bars do not hide each other
        ys = [p[1] for p in pts]
        spread = [p[2] for p in pts]
        lows += [y - e for y, e in zip(ys, spread)]
        w.addItem(pg.ErrorBarItem(x=np.array(xs), y=np.array(ys), height=2 * np.array(spread), beam=6,
                                  pen=pg.mkPen(colors[s], width=1.5)))
        w.plot(xs, ys, pen=pg.mkPen(colors[s], width=2), symbol="o", symbolSize=6, symbolBrush=colors[s],
               name=f"{s} ({pts[-1][3]} seed{'s' if pts[-1][3] != 1 else ''})")
    w.setYRange(max(0.0, min(lows) - 0.03), max(p[1] + p[2] for c in curves.values() for p in c) + 0.03)
    w.show()
    app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    png = RESULTS.with_suffix(".png")
    w.grab().save(str(png))
    print(f"wrote {png}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=3, help="how many seeds")
    ap.add_argument("--first-seed", type=int, default=0, help="the first seed (seeds first..first+N-1)")
    ap.add_argument("--rounds", type=int, default=8, help="rounds after the first 50 labels")
    ap.add_argument("--strategies", nargs="+", default=["random", "uncertainty", "margin"], choices=STRATEGIES)
    ap.add_argument("--summarize", action="store_true", help="only print the table and draw the plot again")
    ap.add_argument("--name", default="active_learning",
                    help="results file docs/benchmarks/NAME.json (and NAME.png); default active_learning")
    args = ap.parse_args()
    global RESULTS
    RESULTS = OUT / f"{args.name}.json"
    if args.summarize:
        summarize()
        return
    run(list(range(args.first_seed, args.first_seed + args.seeds)), args.rounds, args.strategies)


if __name__ == "__main__":
    main()
