"""Does a tiny labeled set give a useful tagger? Plain recipe vs Tessera's defaults.

Run: ``python tests/bench/bench_ner_small_data.py`` (about 10 minutes on 2 CPU cores).
For each size (50, 100, 200 WNUT-17 training sentences: the first N of
``tests/data/train.conll``) it trains the default base model twice:

* **plain**: the usual fine-tuning recipe (4 epochs, batch 16, lr 5e-5, no warm-up,
  no weight decay, default head init, nothing frozen, no step floor);
* **ours**: ``TrainConfig()`` defaults (the small-data recipe of ``resolve_recipe``);

and prints a table: sentences, optimizer steps, seconds, dev F1 (entity-level micro,
seqeval strict) of both. Dev is a fixed 300-sentence slice of ``tests/data/dev.conll``
(its first 300 sentences), which also picks the best checkpoint; ``--heldout`` adds
the F1 of that best checkpoint on the other 709 dev sentences (never used for any
choice), which is the number to trust. ``--set key=value`` overrides fields of *ours*
(to try other recipes); ``--threads`` sets torch's thread count. Seconds include
evaluation and checkpoint writing; other processes on the machine slow them, so run
it twice and look at the load average printed at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from engine.importer import import_file  # noqa: E402
from engine.ner.train import TrainConfig, train  # noqa: E402
from engine.store import Project  # noqa: E402

DATA = ROOT / "tests" / "data"
PLAIN = dict(epochs=4, batch_size=16, batch_tokens=100_000, lr=5e-5, min_steps=0, warmup_ratio=0.0,
             weight_decay=0.0, head_init="default", freeze_embeddings=False, patience=100)


def conll_blocks(path: Path) -> list[list[str]]:
    """Return the sentences of a 2-column CoNLL file as lists of lines."""
    out, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
        else:
            cur.append(line)
    if cur:
        out.append(cur)
    return out


def write_blocks(blocks: list[list[str]], path: Path) -> Path:
    path.write_text("\n\n".join("\n".join(b) for b in blocks) + "\n", encoding="utf-8")
    return path


def parse_value(v: str):
    try:
        return json.loads(v)
    except json.JSONDecodeError:
        return v


def heldout_f1(model_dir: Path, blocks: list[list[str]]) -> float:
    """Entity F1 of a checkpoint on CoNLL sentences (through the Tagger)."""
    from engine.ner.metrics import entity_scores
    from engine.ner.predict import load_tagger

    words = [[ln.split("\t")[0] for ln in b] for b in blocks]
    gold = [[ln.split("\t")[1] for ln in b] for b in blocks]
    pred = load_tagger(model_dir).tag_tokens(words)
    return entity_scores(gold, pred)["f1"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    ap.add_argument("--recipes", nargs="+", default=["plain", "ours"], choices=["plain", "ours"])
    ap.add_argument("--dev", type=int, default=300, help="dev sentences (first N of dev.conll)")
    ap.add_argument("--heldout", action="store_true", help="also score on the rest of dev.conll")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a TrainConfig field of ours")
    args = ap.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    overrides = dict(kv.split("=", 1) for kv in args.set)
    overrides = {k: parse_value(v) for k, v in overrides.items()}
    train_blocks = conll_blocks(DATA / "train.conll")
    dev_blocks = conll_blocks(DATA / "dev.conll")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dev_file = write_blocks(dev_blocks[: args.dev], tmp / "dev.conll")
        for n in args.sizes:
            proj = tmp / f"wnut{n}.tessera"
            with Project.create(proj) as p:
                import_file(p, write_blocks(train_blocks[:n], tmp / f"train{n}.conll"), status="done", split="train")
                import_file(p, dev_file, status="done", split="dev")
            row = {"n": n}
            for recipe in args.recipes:
                cfg = TrainConfig(seed=args.seed, **(PLAIN if recipe == "plain" else overrides))
                t = time.perf_counter()
                r = train(proj, cfg)
                row[recipe] = {"steps": r.steps, "s": time.perf_counter() - t, "f1": r.best_f1}
                if args.heldout:
                    row[recipe]["heldout"] = heldout_f1(r.best_dir, dev_blocks[args.dev:])
                print(f"  {n} sentences, {recipe}: {row[recipe]}", flush=True)
            rows.append(row)
    cols = ["steps", "s", "f1"] + (["heldout"] if args.heldout else [])
    head = f"{'sentences':>9}" + "".join(f" | {r + ' ' + c:>14}" for r in args.recipes for c in cols)
    print("\nbase model: default; dev F1 = entity micro F1 on the first", args.dev, "dev sentences"
          + ("; heldout = the other dev sentences" if args.heldout else ""))
    if overrides:
        print("ours overrides:", overrides)
    print(head)
    print("-" * len(head))
    for row in rows:
        cells = []
        for r in args.recipes:
            for c in cols:
                v = row[r][c]
                cells.append(f"{v:>14.0f}" if c in ("steps", "s") else f"{v:>14.3f}")
        print(f"{row['n']:>9}" + "".join(" | " + c for c in cells))
    print(f"load average (1, 5, 15 min): {os.getloadavg()}; torch threads: ", end="")
    import torch

    print(torch.get_num_threads())


if __name__ == "__main__":
    main()
