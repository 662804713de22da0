"""Which dev split and which checkpoint rule give a score a domain expert can trust?

Run: ``python tests/bench/bench_small_data_selection.py`` (about 40 minutes on 2 CPU
cores; ``--sizes 50 --seeds 2`` for a quick look).

For each size (50, 120, 300 labeled WNUT-17 sentences: a seeded sample of
``tests/data/train.conll``) and seed (0-4), a project holds those sentences, all done,
with no split; training with the app's defaults then splits them:

* **today's split**: dev 10% of the documents, test 10%;
* **sized split**: dev sized by what it holds (``engine.scores.dev_share``: about 50
  entities, between 10% and 25%), test 10%.

At every dev evaluation the model is also scored on held-out data never used for any
choice (the first 500 sentences of WNUT-17 dev, ``tests/data/dev.conll``). Each
checkpoint rule then picks one evaluation from the same run, and the table shows the
held-out F1 of the checkpoint each rule picked (mean and spread over seeds):

* ``f1``: highest dev F1, ties by lower dev loss (what the trainer did);
* ``loss``: lowest dev loss;
* ``margin``: a new best only when its dev F1's 95% interval lies above the best so
  far (the first evaluation starts);
* ``smooth``: highest mean dev F1 of three consecutive evaluations (the middle one);
* ``last``: the last evaluation;
* ``f1_late``: highest dev F1, ties to the later evaluation;
* ``smooth_end``: the last evaluation of the best window of three (what a trainer can
  decide as it goes);
* ``adaptive``: ``smooth_end`` when dev holds fewer than 50 entities, else ``f1``.

Coverage: how often the held-out F1 of the picked checkpoint lies inside the 95%
interval printed for its dev F1 (goal: about 95%; a single number has none). The cost
of one interval (1,000 resamples over the dev documents) is printed too.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from engine import scores as S  # noqa: E402
from engine.importer import import_file  # noqa: E402
from engine.ner import data as D  # noqa: E402
from engine.ner.train import TrainConfig, evaluate, train  # noqa: E402
from engine.store import Project  # noqa: E402
from tests.bench.bench_ner_small_data import conll_blocks, write_blocks  # noqa: E402

DATA = ROOT / "tests" / "data"
RULES = ("f1", "f1_late", "loss", "margin", "smooth", "smooth_end", "last", "adaptive")


def pick(evals: list[dict], rule: str) -> dict:
    """The evaluation a checkpoint rule keeps."""
    if rule == "f1":
        return max(evals, key=lambda e: (e["f1"], -e["loss"]))
    if rule == "f1_late":  # ties go to the later evaluation
        return max(evals, key=lambda e: (e["f1"], e["step"]))
    if rule == "smooth_end":  # online: the end of the best window of three evaluations
        if len(evals) < 3:
            return max(evals, key=lambda e: (e["f1"], e["step"]))
        means = [(sum(x["f1"] for x in evals[i - 2:i + 1]) / 3, i) for i in range(2, len(evals))]
        return evals[max(means)[1]]
    if rule == "adaptive":  # a small dev set: smoothed; else the highest F1
        return pick(evals, "smooth_end" if evals[0]["support"] < S.DEV_TARGET else "f1")
    if rule == "loss":
        return min(evals, key=lambda e: e["loss"])
    if rule == "last":
        return evals[-1]
    if rule == "margin":
        best = evals[0]
        for e in evals[1:]:
            if e["ci"][0] > best["f1"]:
                best = e
        return best
    if rule == "smooth":
        if len(evals) < 3:
            return max(evals, key=lambda e: e["f1"])
        means = [(sum(x["f1"] for x in evals[i - 1:i + 2]) / 3, i) for i in range(1, len(evals) - 1)]
        return evals[max(means)[1]]
    raise ValueError(rule)


class HeldOut:
    """Scores the model of each evaluation on the held-out sentences."""

    def __init__(self, blocks: list[list[str]]):
        self.examples = [D.Example(i, 0, tuple(l.split("\t")[0] for l in b), tuple(l.split("\t")[1] for l in b))
                         for i, b in enumerate(blocks)]
        self.enc = None
        self.evals: list[dict] = []

    def __call__(self, step, model, scores, tags) -> None:
        from engine.ner.model_source import load_tokenizer, resolve_base_model

        if self.enc is None:
            tok = load_tokenizer(resolve_base_model("default"))
            tag_to_id = {t: i for i, t in enumerate(tags)}
            ex = [D.Example(e.doc_id, 0, e.words, tuple(t if t in tag_to_id else "O" for t in e.tags))
                  for e in self.examples]
            self.enc, _ = D.encode(tok, ex, tag_to_id, 256)
            self.ex = ex
            self.pad = tok.pad_token_id or 0
        device = next(model.parameters()).device
        held = evaluate(model, self.enc, self.ex, tags, device=device, pad_id=self.pad)
        self.evals.append({"step": step, "f1": scores["f1"], "loss": scores["loss"], "ci": list(scores["f1_ci"]),
                           "support": scores["support"], "docs": scores["docs"], "heldout": held["f1"]})


def one_run(n: int, seed: int, sized: bool, train_blocks, held_blocks, tmp: Path) -> dict:
    rng = random.Random(seed)
    sample = rng.sample(train_blocks, n)
    proj = tmp / f"p{n}_{seed}_{int(sized)}.tessera"
    with Project.create(proj) as p:
        import_file(p, write_blocks(sample, tmp / f"s{n}_{seed}.conll"), status="done")
    original = S.dev_share
    if sized:  # dev sized for ~50 entities, up to 25% (the default keeps 10%: this measurement)
        S.dev_share = lambda n_docs, units, **kw: original(n_docs, units, hi=0.25)
    else:
        S.dev_share = lambda n_docs, units, **kw: 0.10  # a fixed 10%
    hook = HeldOut(held_blocks)
    try:
        t = time.perf_counter()
        train(proj, TrainConfig(seed=seed), on_eval=hook)
        secs = time.perf_counter() - t
    finally:
        S.dev_share = original
    return {"n": n, "seed": seed, "sized": sized, "secs": secs, "evals": hook.evals}


def summarize(runs: list[dict]) -> None:
    print("\nHeld-out F1 (WNUT-17 dev sentences no choice saw; --heldout) of the checkpoint each rule picks; mean ± sd")
    print("dev = documents (entities) in dev; cover = share of runs whose held-out F1 lies in the printed 95% "
          "interval of the picked checkpoint's dev F1")
    head = f"{'size':>4} {'split':>6} {'dev':>12} " + " ".join(f"{r:>13}" for r in RULES)
    print(head)
    print("-" * len(head))
    for n in sorted({r["n"] for r in runs}):
        for sized in (False, True):
            group = [r for r in runs if r["n"] == n and r["sized"] == sized and r["evals"]]
            if not group:
                continue
            dev = f"{statistics.mean(r['evals'][0]['docs'] for r in group):.0f} " \
                  f"({statistics.mean(r['evals'][0]['support'] for r in group):.0f})"
            cells, cover = [], []
            for rule in RULES:
                picked = [pick(r["evals"], rule) for r in group]
                vals = [e["heldout"] for e in picked]
                sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
                cells.append(f"{statistics.mean(vals):.3f}±{sd:.3f}")
                inside = [e["ci"][0] <= e["heldout"] <= e["ci"][1] for e in picked]
                cover.append(f"{sum(inside)}/{len(inside)}")
            print(f"{n:>4} {'sized' if sized else 'today':>6} {dev:>12} " + " ".join(f"{c:>13}" for c in cells))
            print(f"{'':>4} {'':>6} {'cover':>12} " + " ".join(f"{c:>13}" for c in cover))


def interval_cost() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    for docs in (30, 300, 3000):
        counts = rng.integers(0, 3, size=(docs, 6, 3))
        t = time.perf_counter()
        for _ in range(10):
            S.bootstrap_f1(counts, [str(i) for i in range(6)])
        print(f"bootstrap interval, {docs} dev documents x 6 labels, 1,000 resamples: "
              f"{(time.perf_counter() - t) / 10 * 1000:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 120, 300])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--seed-start", type=int, default=0, help="first seed (to add seeds to a saved run)")
    ap.add_argument("--append", action="store_true", help="add to the runs already in --out")
    ap.add_argument("--splits", nargs="+", default=["today", "sized"], choices=["today", "sized"])
    ap.add_argument("--heldout", type=int, default=500)
    ap.add_argument("--out", default="", help="also write the raw runs as JSON here")
    ap.add_argument("--summarize", default="", help="only print the table of runs saved with --out")
    args = ap.parse_args()
    if args.summarize:
        summarize(json.loads(Path(args.summarize).read_text(encoding="utf-8")))
        return
    interval_cost()
    train_blocks = conll_blocks(DATA / "train.conll")
    held_blocks = conll_blocks(DATA / "dev.conll")[: args.heldout]
    runs = json.loads(Path(args.out).read_text(encoding="utf-8")) if args.append and args.out else []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for n in args.sizes:
            for seed in range(args.seed_start, args.seed_start + args.seeds):
                for sized in [x == "sized" for x in args.splits]:
                    r = one_run(n, seed, sized, train_blocks, held_blocks, tmp)
                    runs.append(r)
                    e = pick(r["evals"], "f1")
                    print(f"  {n} sentences, seed {seed}, {'sized' if sized else 'today'} split: "
                          f"{len(r['evals'])} evaluations, {r['secs']:.0f} s; dev {e['docs']} docs "
                          f"({e['support']} entities), picked step {e['step']}: dev F1 {e['f1']:.3f} "
                          f"({e['ci'][0]:.2f}-{e['ci'][1]:.2f}), held-out {e['heldout']:.3f}", flush=True)
                    if args.out:
                        Path(args.out).write_text(json.dumps(runs), encoding="utf-8")
    summarize(runs)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
