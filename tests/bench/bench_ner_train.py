"""Tagger training throughput, memory and F1: our loop vs HF Trainer vs the seed recipe.

Run: ``python tests/bench/bench_ner_train.py [--epochs 1] [--limit 0]``. Same model
(the default all-MiniLM-L6-v2 encoder), same data (WNUT-17 train, scored on WNUT-17
dev), same hyperparameters (batch 16 sentences, lr 5e-5, linear decay, weight decay
0.01, seed 0), same number of epochs, in one run:

(a) ours: ``engine.ner.train.train`` (length-grouped dynamic batches, fused AdamW,
    bf16 autocast where the CPU supports it — its default);
(b) HF ``Trainer`` with ``DataCollatorForTokenClassification`` (dynamic padding);
(c) the seed recipe: every sentence padded to 128, a plain PyTorch loop.

Each variant runs in its own process (so peak RSS is its own). Prints train
tokens/s (real sub-word tokens, padding not counted), achieved GFLOP/s of useful
work (6 x non-embedding parameters x tokens + attention), the fp32 and bf16 matmul
peak measured in the same run, peak RSS and dev entity F1 (seqeval, micro).

``--device cuda`` (default ``auto``: the GPU when there is one) runs all three on the
GPU: (a) with its default bf16 autocast, (b) with ``bf16=True`` (the Trainer's own
mixed precision, so both use the tensor cores), (c) as written (float32). Peak memory
is then the GPU's (``torch.cuda.max_memory_allocated``) and the matmul peak is an
8192-cube product.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import read_conll_sentences  # noqa: E402

TRAIN = ROOT / "tests" / "data" / "train.conll"
DEV = ROOT / "tests" / "data" / "dev.conll"
BATCH, LR, WD, SEED, MAXLEN_SEED = 16, 5e-5, 0.01, 0, 128
DEVICE = "cpu"  # set by main() in each child: "cpu" or "cuda"


def _sync() -> None:
    """Wait for the GPU's queued work (so a clock read after it times the work itself)."""
    import torch

    if DEVICE == "cuda":
        torch.cuda.synchronize()


def load(limit: int):
    """Return ``(train, dev, tag names)``. Training sentences that repeat an earlier one word
    for word are dropped for every variant, as importing them into a project does (WNUT-17
    train has 103), so all three train on the same 3,291 sentences."""
    seen: set[str] = set()
    train = []
    for s in read_conll_sentences(TRAIN):
        key = " ".join(w for w, _ in s)
        if key not in seen:
            seen.add(key)
            train.append(s)
    dev = read_conll_sentences(DEV)
    if limit:
        train, dev = train[:limit], dev[: max(200, limit // 4)]
    tags = sorted({t for s in train + dev for _, t in s} - {"O"}, key=lambda t: (t[2:], t[0]))
    names = ["O", *tags]
    return train, dev, names


def encode(tokenizer, sents, label2id, max_length=None, pad_to=None):
    """Tokenize word lists; label the first sub-token of each word, -100 elsewhere."""
    enc = tokenizer([[w for w, _ in s] for s in sents], is_split_into_words=True, truncation=True,
                    max_length=pad_to or max_length or min(tokenizer.model_max_length, 512),
                    padding="max_length" if pad_to else False)
    rows = []
    for i, s in enumerate(sents):
        wids = enc.word_ids(i)
        labels, prev = [], None
        for w in wids:
            labels.append(-100 if w is None or w == prev else label2id[s[w][1]])
            prev = w
        rows.append({"input_ids": enc["input_ids"][i], "attention_mask": enc["attention_mask"][i], "labels": labels})
    return rows


def useful_flops(model, lengths) -> float:
    """6 x non-embedding params per token (forward + backward) + attention scores."""
    cfg = model.config
    n = sum(p.numel() for name, p in model.named_parameters() if "embeddings" not in name)
    attn = 12 * cfg.num_hidden_layers * cfg.hidden_size * sum(L * L for L in lengths)
    return 6.0 * n * sum(lengths) + attn


def evaluate(model, tokenizer, dev, id2label) -> float:
    import torch
    from seqeval.metrics import f1_score

    model.eval()
    golds, preds = [], []
    with torch.inference_mode():
        for i in range(0, len(dev), 64):
            chunk = dev[i : i + 64]
            enc = tokenizer([[w for w, _ in s] for s in chunk], is_split_into_words=True, truncation=True,
                            padding=True, return_tensors="pt")
            logits = model(input_ids=enc["input_ids"].to(model.device),
                           attention_mask=enc["attention_mask"].to(model.device)).logits
            best = logits.argmax(-1).tolist()
            for j, s in enumerate(chunk):
                seen, tags = set(), ["O"] * len(s)
                for k, w in enumerate(enc.word_ids(j)):
                    if w is not None and w not in seen:
                        seen.add(w)
                        tags[w] = id2label[best[j][k]]
                # repair I- without B- so all three are scored the same way
                fixed, prev = [], "O"
                for t in tags:
                    if t.startswith("I-") and prev[2:] != t[2:]:
                        t = "B-" + t[2:]
                    fixed.append(t)
                    prev = t
                preds.append(fixed)
                golds.append([t for _, t in s])
    return float(f1_score(golds, preds))


def fresh_model(limit: int):
    """Seed, load the data and a new token-classification head on the default encoder.

    Returns ``(train, dev, tag names, label2id, tokenizer, model)``.
    """
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from engine.ner.model_source import default_model_dir

    torch.manual_seed(SEED)
    train, dev, names = load(limit)
    label2id = {n: i for i, n in enumerate(names)}
    folder = default_model_dir()
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForTokenClassification.from_pretrained(
        folder, num_labels=len(names), id2label=dict(enumerate(names)), label2id=label2id, use_safetensors=True)
    return train, dev, names, label2id, tok, model


def run_trainer(epochs: int, limit: int) -> dict:
    from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments

    train, dev, names, label2id, tok, model = fresh_model(limit)
    rows = encode(tok, train, label2id)
    lengths = [len(r["input_ids"]) for r in rows]
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), per_device_train_batch_size=BATCH, learning_rate=LR,
                             weight_decay=WD, num_train_epochs=epochs, lr_scheduler_type="linear", seed=SEED,
                             save_strategy="no", report_to=[], logging_strategy="no", use_cpu=DEVICE == "cpu",
                             bf16=DEVICE == "cuda", disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=rows,
                      data_collator=DataCollatorForTokenClassification(tok))
    t0 = time.perf_counter()
    trainer.train()
    _sync()
    secs = time.perf_counter() - t0
    return {"seconds": secs, "tokens": sum(lengths) * epochs, "flops": useful_flops(model, lengths) * epochs,
            "f1": evaluate(model, tok, dev, dict(enumerate(names)))}


def run_seed(epochs: int, limit: int) -> dict:
    import torch
    from transformers import get_linear_schedule_with_warmup

    train, dev, names, label2id, tok, model = fresh_model(limit)
    rows = encode(tok, train, label2id, pad_to=MAXLEN_SEED)
    lengths = [sum(r["attention_mask"]) for r in rows]
    ids = torch.tensor([r["input_ids"] for r in rows])
    mask = torch.tensor([r["attention_mask"] for r in rows])
    labels = torch.tensor([r["labels"] for r in rows])
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WD)
    steps = epochs * ((len(rows) + BATCH - 1) // BATCH)
    sched = get_linear_schedule_with_warmup(opt, 0, steps)
    g = torch.Generator().manual_seed(SEED)
    model.to(DEVICE)
    ids, mask, labels = ids.to(DEVICE), mask.to(DEVICE), labels.to(DEVICE)
    b_dev = torch.device(DEVICE)
    model.train()
    t0 = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(rows), generator=g)
        for i in range(0, len(rows), BATCH):
            b = order[i : i + BATCH].to(b_dev)
            loss = model(input_ids=ids[b], attention_mask=mask[b], labels=labels[b]).loss
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
    _sync()
    secs = time.perf_counter() - t0
    return {"seconds": secs, "tokens": sum(lengths) * epochs, "flops": useful_flops(model, lengths) * epochs,
            "f1": evaluate(model, tok, dev, dict(enumerate(names)))}


def run_ours_fp32(epochs: int, limit: int) -> dict:
    """Ours with bf16 autocast turned off (float32 throughout)."""
    return run_ours(epochs, limit, bf16=False)


def run_ours(epochs: int, limit: int, bf16="auto") -> dict:
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from engine.importer import import_file
    from engine.ner.train import TrainConfig, train
    from engine.store import Project

    work = Path(tempfile.mkdtemp())
    trn, dv, names = load(limit)
    for name, sents in (("train", trn), ("dev", dv)):
        with open(work / f"{name}.conll", "w", encoding="utf-8") as fh:
            for s in sents:
                fh.write("".join(f"{w}\t{t}\n" for w, t in s) + "\n")
    path = work / "bench.tessera"
    with Project.create(path) as p:
        import_file(p, work / "train.conll", status="done", split="train")
        import_file(p, work / "dev.conll", status="done", split="dev")
    stamps = []

    def report(event):
        from engine.events import Progress

        if isinstance(event, Progress) and event.what == "Training":
            stamps.append(time.perf_counter())

    # evaluate only after the last step (its evaluation comes after the last Progress
    # event), so the timed span is the training steps alone, like the other two
    cfg = TrainConfig(epochs=epochs, batch_size=BATCH, lr=LR, weight_decay=WD, seed=SEED, warmup_ratio=0.0,
                      patience=10**6, min_steps=0, eval_every=10**9, bf16=bf16)
    t0 = time.perf_counter()
    result = train(path, cfg, report=report)
    wall = time.perf_counter() - t0
    best = Path(result.output_dir) / "best"
    model = AutoModelForTokenClassification.from_pretrained(best, use_safetensors=True).to(DEVICE)
    tok = AutoTokenizer.from_pretrained(best)
    # the same token count and FLOPs as the other two: the sentences' real sub-word lengths
    rows = encode(tok, trn, {n: i for i, n in enumerate(names)})
    lengths = [len(r["input_ids"]) for r in rows]
    secs = stamps[-1] - stamps[0]
    return {"seconds": secs, "wall": wall, "tokens": sum(lengths) * epochs,
            "flops": useful_flops(model, lengths) * epochs,
            "f1": evaluate(model, tok, dv, model.config.id2label)}


def matmul_peak(device: str = "cpu") -> tuple[float, float | None]:
    """GFLOP/s of a square matmul (2048 on a CPU, 8192 on a GPU) in fp32 and in bf16 on
    ``device`` (bf16 ``None`` when the device has no native bf16: emulated on a CPU, one
    product takes over a minute)."""
    import torch

    from engine.ner.train import bf16_native

    n_dim = 8192 if device == "cuda" else 2048
    out = []
    for dtype in (torch.float32, torch.bfloat16):
        if dtype == torch.bfloat16 and not bf16_native(torch.device(device)):
            out.append(None)
            continue
        a = torch.randn(n_dim, n_dim, dtype=dtype, device=device)
        b = torch.randn(n_dim, n_dim, dtype=dtype, device=device)
        for _ in range(3):
            a @ b
        global DEVICE
        DEVICE = device
        _sync()
        n, t0 = 10, time.perf_counter()
        for _ in range(n):
            a @ b
        _sync()
        out.append(2 * n_dim**3 * n / (time.perf_counter() - t0) / 1e9)
    return out[0], out[1]


RUNS = {"ours": run_ours, "ours_fp32": run_ours_fp32, "trainer": run_trainer, "seed": run_seed}


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training sentences (0 = all)")
    ap.add_argument("--only", choices=list(RUNS), action="append",
                    help="run only these variants (repeatable); ours_fp32 = ours without bf16 autocast")
    ap.add_argument("--seed", type=int, default=0, help="seed of every variant (model head, data order)")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                    help="auto: the GPU when torch sees one, else the CPU")
    ap.add_argument("--child", choices=list(RUNS), help=argparse.SUPPRESS)
    a = ap.parse_args()
    global DEVICE, SEED
    import torch

    SEED = a.seed

    DEVICE = ("cuda" if torch.cuda.is_available() else "cpu") if a.device == "auto" else a.device
    if DEVICE == "cpu":
        os.environ["CUDA_VISIBLE_DEVICES"] = ""  # our loop picks the GPU by itself when it sees one
    if a.child:
        r = RUNS[a.child](a.epochs, a.limit)
        r["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if DEVICE == "cuda":
            r["rss_mb"] = torch.cuda.max_memory_allocated() / 2**20
        print(json.dumps(r))
        return
    fp32, bf16 = matmul_peak(DEVICE)
    where = torch.cuda.get_device_name() if DEVICE == "cuda" else "this CPU"
    bf = f"{bf16:,.0f} GFLOP/s" if bf16 else "not native on this CPU (AVX2 only; emulated bf16 is ~200x slower)"
    print(f"matmul peak on {where}: fp32 {fp32:,.0f} GFLOP/s, bf16 {bf}", flush=True)
    mem = "peak GPU" if DEVICE == "cuda" else "peak RSS"
    print(f"{'variant':<34}{'tokens/s':>10}{'vs (b)':>8}{'GFLOP/s':>9}{mem:>10}{'dev F1':>8}{'train s':>9}",
          flush=True)
    names = {"ours": "(a) ours", "ours_fp32": "(a) ours, float32", "trainer": "(b) HF Trainer + collator",
             "seed": "(c) seed recipe, pad to 128"}
    order = [v for v in ("trainer", "ours", "ours_fp32", "seed") if v in (a.only or ["ours", "trainer", "seed"])]
    base = None
    for variant in order:
        out = subprocess.run([sys.executable, __file__, "--child", variant, "--epochs", str(a.epochs),
                              "--limit", str(a.limit), "--device", DEVICE, "--seed", str(a.seed)],
                             capture_output=True, text=True)
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{variant} failed")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        tps = r["tokens"] / r["seconds"]
        if variant == "trainer":
            base = tps
        ratio = f"{tps / base:.2f}x" if base else "-"
        print(f"{names[variant]:<34}{tps:>10,.0f}{ratio:>8}{r['flops'] / r['seconds'] / 1e9:>9.1f}"
              f"{r['rss_mb']:>8.0f}MB{r['f1']:>8.3f}{r['seconds']:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
