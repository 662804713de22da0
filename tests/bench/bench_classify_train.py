"""Document-classifier training throughput, memory and accuracy: our loop vs HF Trainer.

Run: ``python tests/bench/bench_classify_train.py [--epochs 2] [--seeds 3] [--limit 0]``.
Same model (the default all-MiniLM-L6-v2 encoder with a sequence-classification head),
same data (BANKING77 train from ``tests/data/banking77/train.csv``; a seeded 10% held
out as dev, the same for every variant and seed), same budget (epochs, batch 32
documents, lr 1e-4, linear decay, weight decay 0.01, no warm-up):

(a) ours: ``engine.textcat.train.train`` with its defaults otherwise (length-grouped
    token-budget batches, fused AdamW, bf16 autocast where the CPU does bf16 natively,
    the head started from the category means);
(a') ours in float32 (no autocast), to separate the loop from the precision;
(b) HF ``Trainer`` + ``AutoModelForSequenceClassification`` + ``DataCollatorWithPadding``
    (dynamic padding of randomly drawn batches), float32 (its default on a CPU).

Each variant runs in its own process (so peak RSS is its own), once per seed. Prints
train tokens/s (real sub-word tokens, padding not counted), peak RSS, dev accuracy and
macro-F1 per seed, then the mean over seeds; writes ``docs/benchmarks/classify_train.json``.
"""
from __future__ import annotations

import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TRAIN = ROOT / "tests" / "data" / "banking77" / "train.csv"
OUT = ROOT / "docs" / "benchmarks" / "classify_train.json"
BATCH, LR, WD = 32, 1e-4, 0.01
DEV_SHARE, DEV_SEED = 0.1, 1234


def load(limit: int = 0) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """Return ``(train, dev, names)``: (text, intent) rows, the dev rows a fixed seeded 10%."""
    with open(TRAIN, encoding="utf-8") as fh:
        rows = [(r["text"], r["category"]) for r in csv.DictReader(fh)]
    seen, unique = set(), []
    for r in rows:  # a project keeps one copy of a repeated text: so do all variants
        if r[0] not in seen:
            seen.add(r[0])
            unique.append(r)
    order = list(range(len(unique)))
    random.Random(DEV_SEED).shuffle(order)
    n_dev = round(len(unique) * DEV_SHARE)
    dev = [unique[i] for i in sorted(order[:n_dev])]
    train = [unique[i] for i in sorted(order[n_dev:])]
    if limit:
        train = train[:limit]
    names = sorted({c for _t, c in unique})
    return train, dev, names


def scores(model, tok, dev, names) -> dict:
    """Dev accuracy and macro-F1 (engine.textcat.metrics) of ``model``."""
    import numpy as np
    import torch

    from engine.textcat.metrics import single_label_scores

    model.eval()
    index = {n: i for i, n in enumerate(names)}
    label_of = {i: index[model.config.id2label[i]] for i in range(len(names))}
    preds = []
    with torch.inference_mode():
        for i in range(0, len(dev), 64):
            enc = tok([t for t, _ in dev[i:i + 64]], padding=True, truncation=True, return_tensors="pt")
            logits = model(**enc).logits
            preds += [label_of[int(k)] for k in np.asarray(logits.argmax(-1))]
    s = single_label_scores([index[c] for _t, c in dev], preds, names)
    return {"accuracy": s["accuracy"], "f1_macro": s["f1"], "accuracy_ci": s["accuracy_ci"]}


def run_trainer(epochs: int, seed: int, limit: int) -> dict:
    import torch
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, Trainer,
                              TrainingArguments)

    from engine.ner.model_source import default_model_dir

    train, dev, names = load(limit)
    torch.manual_seed(seed)
    folder = default_model_dir()
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSequenceClassification.from_pretrained(
        folder, num_labels=len(names), id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)},
        use_safetensors=True)
    index = {n: i for i, n in enumerate(names)}
    rows = [dict(tok(t, truncation=True), labels=index[c]) for t, c in train]
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), per_device_train_batch_size=BATCH, learning_rate=LR,
                             weight_decay=WD, num_train_epochs=epochs, lr_scheduler_type="linear", seed=seed,
                             save_strategy="no", report_to=[], logging_strategy="no", use_cpu=True, disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=rows, data_collator=DataCollatorWithPadding(tok))
    t0 = time.perf_counter()
    trainer.train()
    secs = time.perf_counter() - t0
    return {"seconds": secs, "tokens": sum(len(r["input_ids"]) for r in rows) * epochs, **scores(model, tok, dev, names)}


def run_ours(epochs: int, seed: int, limit: int, bf16="auto") -> dict:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from engine.events import Progress
    from engine.importer import import_file
    from engine.ner.train import TrainConfig
    from engine.store import Project
    from engine.textcat.train import train as train_classifier

    trn, dev, names = load(limit)
    work = Path(tempfile.mkdtemp())
    path = work / "bench.tessera"
    with Project.create(path) as p:
        for split, rows in (("train", trn), ("dev", dev)):
            with open(work / f"{split}.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["text", "category"])
                w.writerows(rows)
            import_file(p, work / f"{split}.csv", split=split, backup=False)
    stamps = []

    def report(event):
        if isinstance(event, Progress) and event.what == "Training":
            stamps.append(time.perf_counter())

    cfg = TrainConfig(epochs=epochs, batch_size=BATCH, lr=LR, weight_decay=WD, seed=seed, warmup_ratio=0.0,
                      patience=10**6, min_steps=0, eval_every=10**9, bf16=bf16)
    result = train_classifier(path, cfg, report=report)
    best = Path(result.output_dir) / "best"
    model = AutoModelForSequenceClassification.from_pretrained(best, use_safetensors=True)
    tok = AutoTokenizer.from_pretrained(best)
    tokens = sum(len(x) for x in tok([t for t, _ in trn], truncation=True)["input_ids"]) * epochs
    return {"seconds": stamps[-1] - stamps[0], "tokens": tokens, **scores(model, tok, dev, names)}


def run_ours_fp32(epochs: int, seed: int, limit: int) -> dict:
    return run_ours(epochs, seed, limit, bf16=False)


RUNS = {"trainer": run_trainer, "ours": run_ours, "ours_fp32": run_ours_fp32}
TITLES = {"trainer": "(b) HF Trainer + collator", "ours": "(a) ours", "ours_fp32": "(a') ours, float32"}


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training rows (0 = all)")
    ap.add_argument("--only", choices=list(RUNS), action="append")
    ap.add_argument("--child", choices=list(RUNS), help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    a = ap.parse_args()
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    if a.child:
        r = RUNS[a.child](a.epochs, a.seed, a.limit)
        r["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(r))
        return
    import platform

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    train, dev, names = load(a.limit)
    print(f"BANKING77: {len(train):,} training and {len(dev):,} dev messages, {len(names)} intents; "
          f"{a.epochs} epochs, batch {BATCH}, lr {LR:g}; {cpu}, {os.cpu_count()} cores", flush=True)
    print(f"{'variant':<28}{'seed':>5}{'tokens/s':>10}{'vs (b)':>8}{'peak RSS':>10}{'accuracy':>10}{'macro-F1':>10}"
          f"{'train s':>9}", flush=True)
    variants = [v for v in ("trainer", "ours", "ours_fp32") if v in (a.only or RUNS)]
    results: dict[str, list[dict]] = {v: [] for v in variants}
    for seed in range(a.seeds):
        base = None
        for v in variants:
            out = subprocess.run([sys.executable, __file__, "--child", v, "--epochs", str(a.epochs), "--seed",
                                  str(seed), "--limit", str(a.limit)], capture_output=True, text=True)
            if out.returncode:
                print(out.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{v} failed")
            r = json.loads(out.stdout.strip().splitlines()[-1])
            r["tokens_per_s"] = r["tokens"] / r["seconds"]
            results[v].append(r)
            base = r["tokens_per_s"] if v == "trainer" else base
            ratio = f"{r['tokens_per_s'] / base:.2f}x" if base else "-"
            print(f"{TITLES[v]:<28}{seed:>5}{r['tokens_per_s']:>10,.0f}{ratio:>8}{r['rss_mb']:>8,.0f}MB"
                  f"{r['accuracy']:>10.3f}{r['f1_macro']:>10.3f}{r['seconds']:>9.1f}", flush=True)
    print("mean over seeds:")
    base = statistics.mean(r["tokens_per_s"] for r in results["trainer"]) if "trainer" in results else None
    summary = {}
    for v, rs in results.items():
        tps = statistics.mean(r["tokens_per_s"] for r in rs)
        acc = statistics.mean(r["accuracy"] for r in rs)
        f1 = statistics.mean(r["f1_macro"] for r in rs)
        rss = max(r["rss_mb"] for r in rs)
        ratio = f"{tps / base:.2f}x" if base else "-"
        summary[v] = {"tokens_per_s": tps, "accuracy": acc, "f1_macro": f1, "rss_mb": rss}
        print(f"{TITLES[v]:<28}{'':>5}{tps:>10,.0f}{ratio:>8}{rss:>8,.0f}MB{acc:>10.3f}{f1:>10.3f}", flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"cpu": cpu, "cores": os.cpu_count(), "epochs": a.epochs, "batch": BATCH, "lr": LR,
                               "train": len(train), "dev": len(dev), "runs": results, "mean": summary},
                              indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
