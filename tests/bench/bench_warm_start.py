"""Retraining in the loop: does starting each round from the last round's model (warm
start) beat training from the base model again (cold), in held-out F1 or in time?

Run: ``python tests/bench/bench_warm_start.py`` (one seed x 8 rounds, about half an
hour on 2 CPU cores); ``--rounds 2`` for a quick look.

The simulated annotator of ``bench_active_learning.py`` (WNUT-17, a pool of 2,000
train sentences, 50 labeled to start, 50 more per round chosen by the app's queue:
least margin with the diversity guard, scored by the cold model). Every round trains
three taggers on the *same* labeled documents, so only the start differs:

* ``cold``: the app's defaults from the default base model (what retraining does
  without a warm start);
* ``warm``: the same recipe from the previous round's warm model (its head carried
  over label by label by ``engine.ner.warm_start.carry_head``, so no prior-bias head);
* ``warm_short``: as ``warm`` with half the minimum optimizer steps (the floor that
  small data needs from a cold start, ``resolve_recipe``), to see whether a warm start
  can buy time.

Prints held-out F1 (709 dev sentences never used for any choice), optimizer steps and
training seconds per round side by side, and writes ``docs/benchmarks/warm_start.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.ner.train import TrainConfig, train  # noqa: E402
from engine.store import Project  # noqa: E402
from tests.bench.bench_active_learning import DATA, DEV, OUT, build, label, pick  # noqa: E402
from tests.bench.bench_ner_small_data import conll_blocks, heldout_f1  # noqa: E402

RESULTS = OUT / "warm_start.json"
VARIANTS = ("cold", "warm", "warm_short")


def fit(path: Path, seed: int, heldout, out: str, base: str, short: bool) -> dict:
    """Train one tagger on the project's done documents; return its scores, steps and time."""
    with Project.open(path) as p:
        n = p.count_documents(status="done", split="train")
    cfg = TrainConfig(seed=seed, out_dir=str(path.parent / out), base_model=base)
    if short:  # half of resolve_recipe's floor (200..500 steps)
        cfg.min_steps = int(min(250, max(100, round(0.75 * n))))
    t = time.perf_counter()
    r = train(path, cfg)
    secs = time.perf_counter() - t
    return {"labels": n, "dev_f1": r.best_f1, "heldout_f1": heldout_f1(r.output_dir / "best", heldout),
            "steps": r.steps, "train_s": round(secs, 1), "best": str(r.output_dir / "best")}


def run(seed: int, rounds: int) -> list[dict]:
    train_blocks = conll_blocks(DATA / "train.conll")
    dev_blocks = conll_blocks(DATA / "dev.conll")
    heldout = dev_blocks[DEV:]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as d:
        path, gold = build(Path(d), seed, train_blocks, dev_blocks)
        first = fit(path, seed, heldout, "runs_cold", "default", False)
        rows += [{"round": 0, "variant": v, **first} for v in VARIANTS]
        print(f"round 0: {first}", flush=True)
        best = {v: first["best"] for v in VARIANTS}
        for rnd in range(1, rounds + 1):
            ids = pick(path, "margin_guard", best["cold"], seed, rnd)
            with Project.open(path) as p:
                label(p, ids, gold)
            for v in VARIANTS:
                base = "default" if v == "cold" else best[v]
                res = fit(path, seed, heldout, f"runs_{v}", base, v == "warm_short")
                best[v] = res["best"]
                rows.append({"round": rnd, "variant": v, **res})
                print(f"round {rnd} {v}: {res}", flush=True)
            OUT.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return rows


def summarize(rows: list[dict]) -> None:
    print(f"{'labels':>7}" + "".join(f"{v + ' F1':>14}{'steps':>7}{'s':>7}" for v in VARIANTS))
    for rnd in sorted({r["round"] for r in rows}):
        by = {r["variant"]: r for r in rows if r["round"] == rnd}
        print(f"{by['cold']['labels']:>7}" + "".join(
            f"{by[v]['heldout_f1']:>14.3f}{by[v]['steps']:>7}{by[v]['train_s']:>7.0f}" for v in VARIANTS))
    later = [r for r in rows if r["round"] > 0]
    cold = {r["round"]: r for r in later if r["variant"] == "cold"}
    for v in VARIANTS:
        mine = [r for r in later if r["variant"] == v]
        f1 = sum(r["heldout_f1"] for r in mine) / len(mine)
        steps = sum(r["steps"] for r in mine)
        ratio = statistics.median(r["train_s"] / cold[r["round"]]["train_s"] for r in mine)
        print(f"{v:<11} rounds 1-{len(mine)}: mean held-out F1 {f1:.3f}, {steps} optimizer steps in all, "
              f"training time per round {ratio:.2f}x cold's (median)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--summarize", action="store_true", help="only print the table from the saved results")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    rows = (json.loads(RESULTS.read_text(encoding="utf-8")) if args.summarize else run(args.seed, args.rounds))
    summarize(rows)


if __name__ == "__main__":
    main()
