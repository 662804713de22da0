"""Small data: how good a document classifier is from 5, 10 or 20 labeled messages per
intent (BANKING77, 77 intents), with the app's defaults vs the plain recipe.

Run: ``python tests/bench/bench_classify_small_data.py [--per-intent 5 10 20] [--seeds 2]``.

For each size and seed, ``k`` messages per intent are drawn (seeded) from BANKING77
train (the held-out 10% of ``bench_classify_train.load`` excluded) and imported as
done documents; the project splits them as the app does (about 10% dev for choosing
the checkpoint, 10% test); then

* **defaults**: ``engine.textcat.train.train`` with ``TrainConfig()`` (everything
  chosen from the data size: learning rate, steps, frozen embeddings, the head
  started from the category means);
* **plain**: the usual fine-tuning recipe on the same loop (lr 5e-5, 3 epochs, batch
  16, a fresh random head, nothing frozen);

and the best checkpoint is scored on the 1,000 held-out messages no run saw (accuracy
with its 95% interval, macro-F1). Results go to ``docs/benchmarks/classify_small_data.json``.
"""
from __future__ import annotations

import csv
import json
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_classify_train import load, scores  # noqa: E402

OUT = ROOT / "docs" / "benchmarks" / "classify_small_data.json"
RECIPES = {
    "defaults": {},
    "plain": {"lr": 5e-5, "epochs": 3, "batch_size": 16, "min_steps": 0, "head_init": "default",
              "freeze_embeddings": False},
}


def run(per_intent: int, seed: int, recipe: str) -> dict:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from engine.importer import import_file
    from engine.ner.train import TrainConfig
    from engine.store import Project
    from engine.textcat.train import train

    trn, dev, names = load()
    by_intent: dict[str, list] = {}
    for row in trn:
        by_intent.setdefault(row[1], []).append(row)
    rng = random.Random(seed)
    picked = [r for n in names for r in rng.sample(by_intent[n], per_intent)]
    work = Path(tempfile.mkdtemp())
    with open(work / "few.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "category"])
        w.writerows(picked)
    path = work / "few.tessera"
    with Project.create(path) as p:
        import_file(p, work / "few.csv", backup=False)
    result = train(path, TrainConfig(seed=seed, **RECIPES[recipe]))
    best = Path(result.output_dir) / "best"
    model = AutoModelForSequenceClassification.from_pretrained(best, use_safetensors=True)
    tok = AutoTokenizer.from_pretrained(best)
    return {"per_intent": per_intent, "seed": seed, "recipe": recipe, "steps": result.steps,
            "best_step": result.best_step, **scores(model, tok, dev, names)}


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-intent", type=int, nargs="+", default=[5, 10, 20])
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--recipes", nargs="+", choices=list(RECIPES), default=list(RECIPES))
    a = ap.parse_args()
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"BANKING77 few-shot, scored on 1,000 held-out messages; {cpu}", flush=True)
    print(f"{'per intent':>10}{'recipe':>10}{'seed':>6}{'steps':>7}{'accuracy':>10}{'95% interval':>16}{'macro-F1':>10}",
          flush=True)
    rows = []
    for k in a.per_intent:
        for seed in range(a.seeds):
            for recipe in a.recipes:
                r = run(k, seed, recipe)
                rows.append(r)
                lo, hi = r["accuracy_ci"]
                print(f"{k:>10}{recipe:>10}{seed:>6}{r['steps']:>7}{r['accuracy']:>10.3f}{f'{lo:.3f}-{hi:.3f}':>16}"
                      f"{r['f1_macro']:>10.3f}", flush=True)
    print("mean over seeds:")
    for k in a.per_intent:
        for recipe in a.recipes:
            sel = [r for r in rows if r["per_intent"] == k and r["recipe"] == recipe]
            print(f"{k:>10}{recipe:>10}{'':>6}{'':>7}{statistics.mean(r['accuracy'] for r in sel):>10.3f}{'':>16}"
                  f"{statistics.mean(r['f1_macro'] for r in sel):>10.3f}", flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"cpu": cpu, "rows": rows}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
