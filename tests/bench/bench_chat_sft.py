"""Benchmark: our LoRA SFT loop (engine.chat.sft.train) against HF Trainer + peft.

Both variants fine-tune the default chat model (SmolLM2-135M-Instruct) on the same
Dolly examples (tests/data/chat), tokenized once by the same code
(:func:`engine.chat.sft_data.encode_all`, so the same assistant-only label mask), with
the same LoRA (rank r on every linear layer of attention and MLP, alpha 2r,
dropout 0.05), batch size, learning rate, warm-up/linear schedule, clipping and
float32 (Trainer's bf16/fp16 forced off). Each variant runs in its own process, so
peak memory is the child's own maximum RSS (``resource.getrusage``); variants
alternate, and the whole round repeats (``--repeats``), because the machine is shared.

Memory: peak RSS of the child, and its RSS when training starts (model, adapters and
data loaded; ours has also run its step-0 dev evaluation).

Timing: seconds per optimizer step is the median of the steps after the first
(which warms up allocators); tokens/s counts the non-padding tokens of those steps.
Our loop is timed from its Progress events (its step-0 and final dev evaluations and
checkpoints fall outside the timed steps), the Trainer from a callback's
``on_step_end``; our token counts come from the ``train/tokens`` metric, the
Trainer's from its collator.

    TESSERA_MODELS=/tmp/tessera_models python tests/bench/bench_chat_sft.py --steps 8 --repeats 2

On a GPU (``--device cuda``; ``auto`` picks it when torch sees one) both train in
bf16 mixed precision (ours: its default autocast; the Trainer: ``bf16=True``), the
clock waits for the GPU at each step end, and the memory column is the GPU's peak
(``torch.cuda.max_memory_allocated``) instead of RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DOLLY = ROOT / "tests" / "data" / "chat" / "dolly_open_qa_200.jsonl"
# ours_plain_ce: ours with SftConfig.fused_ce off; ours_packed: ours with SftConfig.pack on
VARIANTS = ("ours", "trainer", "ours_plain_ce", "ours_packed")
DEV_EXAMPLES = 4  # extra examples put in our project's dev split (the Trainer does no evaluation)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--examples", type=int, default=64, help="training examples (first N Dolly lines)")
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--lora-r", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--steps", type=int, default=8, help="optimizer steps per variant and repeat")
    p.add_argument("--repeats", type=int, default=2, help="rounds of (ours, trainer), alternating order")
    p.add_argument("--threads", type=int, default=0, help="torch threads in each child (0 = torch's default)")
    p.add_argument("--variants", default="ours,trainer", help="comma-separated: " + ",".join(VARIANTS))
    p.add_argument("--model", default="default", help="chat model folder, or default (SmolLM2-135M-Instruct)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--bf16", choices=["auto", "true", "false"], default="auto",
                   help="precision of both variants (auto: bf16 autocast on a GPU, float32 on a CPU)")
    p.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    return p.parse_args(argv)


# --------------------------------------------------------------------------- children


def _conversations(n: int) -> list[list[dict]]:
    from engine.chat.formats import read_chat_file

    out = []
    for _, messages in read_chat_file(DOLLY):
        out.append(messages)
        if len(out) == n:
            break
    return out


def rss_mb() -> float:
    from engine.ner.train import rss_mb as current

    return current()


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _summary(times: list[float], tokens: list[int], args) -> dict:
    """Median s/step and tokens/s over the steps after the first; ``times[k]`` is when step k+1 ended."""
    gaps = [b - a for a, b in zip(times, times[1:])]
    return {"steps": len(times), "s_per_step": statistics.median(gaps) if gaps else float("nan"),
            "tokens_per_s": sum(tokens[1:]) / max(1e-9, times[-1] - times[0]),
            "tokens_per_step": statistics.mean(tokens[1:]) if len(tokens) > 1 else float("nan")}


def run_ours(args) -> dict:
    from engine.chat.examples import add_examples
    from engine.chat.sft import SftConfig, train
    from engine.events import Metric, Progress
    from engine.store import Project

    convs = _conversations(args.examples + DEV_EXAMPLES)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.tessera"
        with Project.create(path) as p:
            add_examples(p, convs[:args.examples], split="train")
            add_examples(p, convs[args.examples:], split="dev")
        times, cumulative, rss0 = [], [], []

        def report(e) -> None:
            if isinstance(e, Progress) and e.what == "Training" and e.done == 0 and not rss0:
                rss0.append(_memory_mb())
            elif isinstance(e, Progress) and e.what == "Training" and e.done > 0:
                _sync()
                times.append(time.perf_counter())
            elif isinstance(e, Metric) and e.name == "train/tokens":
                cumulative.append(int(e.value))

        cfg = SftConfig(base_model=args.model, bf16=args.bf16, max_steps=args.steps, eval_every=args.steps, batch_size=args.batch_size,
                        max_length=args.max_length, lora_r=args.lora_r, lr=args.lr, seed=0,
                        out_dir=str(Path(tmp) / "runs"), fused_ce=args.child != "ours_plain_ce",
                        pack=args.child == "ours_packed")
        train(path, cfg, report=report)
    tokens = [b - a for a, b in zip([0] + cumulative, cumulative)]
    return dict(_summary(times, tokens, args), rss_before_mb=rss0[0])


def run_trainer(args) -> dict:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainerCallback, TrainingArguments

    from engine.chat import sft_data as SD
    from engine.chat.model import load_chat_model

    chat = load_chat_model(args.model)
    tok = chat.tokenizer
    stops = SD.end_of_turn_ids(tok, [tok.eos_token_id])
    enc, _ = SD.encode_all(tok, _conversations(args.examples), args.max_length, stops)
    dataset = [{"input_ids": e.input_ids, "attention_mask": [1] * len(e), "labels": e.labels} for e in enc]
    torch.manual_seed(0)
    model = get_peft_model(chat.model, LoraConfig(r=args.lora_r, lora_alpha=2 * args.lora_r, lora_dropout=0.05,
                                                  target_modules="all-linear", bias="none", task_type="CAUSAL_LM"))
    model.train()
    collate = DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=SD.IGNORE_INDEX, return_tensors="pt")
    tokens: list[int] = []

    def counting_collator(features):
        batch = collate(features)
        tokens.append(int(batch["attention_mask"].sum()))
        return batch

    times: list[float] = []
    rss0: list[float] = []

    class Clock(TrainerCallback):
        def on_train_begin(self, targs, state, control, **kw):
            rss0.append(_memory_mb())

        def on_step_end(self, targs, state, control, **kw):
            _sync()
            times.append(time.perf_counter())

    with tempfile.TemporaryDirectory() as tmp:
        targs = TrainingArguments(
            output_dir=tmp, per_device_train_batch_size=args.batch_size, max_steps=args.steps,
            learning_rate=args.lr, lr_scheduler_type="linear", warmup_steps=int(0.1 * args.steps), weight_decay=0.0,
            max_grad_norm=1.0, optim="adamw_torch_fused", bf16=_bf16(args), fp16=False, use_cpu=not _cuda(), seed=0,
            train_sampling_strategy="group_by_length", logging_steps=max(1, args.steps), save_strategy="no",
            eval_strategy="no", report_to=[], dataloader_num_workers=0, remove_unused_columns=False,
            disable_tqdm=True)
        trainer = Trainer(model=model, args=targs, train_dataset=dataset, data_collator=counting_collator,
                          callbacks=[Clock()])
        trainer.train()
    return dict(_summary(times, tokens[:len(times)], args), rss_before_mb=rss0[0])


def _cuda() -> bool:
    """Whether this child trains on the GPU (the parent hides the GPU from CPU runs)."""
    import torch

    return torch.cuda.is_available()


def _bf16(args) -> bool:
    return _cuda() if args.bf16 == "auto" else args.bf16 == "true"


def _sync() -> None:
    import torch

    if _cuda():
        torch.cuda.synchronize()


def _memory_mb() -> float:
    """GPU memory in use (MB) on a GPU, else this process's RSS."""
    import torch

    return torch.cuda.memory_allocated() / 2**20 if _cuda() else rss_mb()


def child_main(args) -> int:
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    result = (run_trainer if args.child == "trainer" else run_ours)(args)
    peak = torch.cuda.max_memory_allocated() / 2**20 if _cuda() else _peak_rss_mb()
    result.update(variant=args.child, peak_rss_mb=peak, threads=torch.get_num_threads(), cuda=_cuda())
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- parent


def _child_argv(args, variant: str, out: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", variant, "--out", str(out),
            "--examples", str(args.examples), "--max-length", str(args.max_length),
            "--batch-size", str(args.batch_size), "--lora-r", str(args.lora_r), "--lr", str(args.lr),
            "--steps", str(args.steps), "--threads", str(args.threads), "--model", args.model, "--bf16", args.bf16]


def _child_env(args) -> dict:
    """The children's environment: the GPU hidden unless ``--device`` allows it."""
    env = dict(os.environ)
    if args.device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    return env


def bench_sft(args) -> list[dict]:
    """Run every variant ``args.repeats`` times, alternating their order; return one dict per child run
    (variant, repeat, steps, s_per_step, tokens_per_s, tokens_per_step, peak_rss_mb, rss_before_mb, threads).

    Raises:
        RuntimeError: a child process failed (its output is in the message).
    """
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeats):
            for variant in (variants if r % 2 == 0 else variants[::-1]):
                out = Path(tmp) / f"{variant}-{r}.json"
                proc = subprocess.run(_child_argv(args, variant, out), capture_output=True, text=True,
                                      cwd=str(ROOT), env=_child_env(args))
                if proc.returncode != 0:
                    raise RuntimeError(f"{variant} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
                rows.append(dict(json.loads(out.read_text(encoding="utf-8")), repeat=r))
                print(f"  {variant:<8} repeat {r}: {rows[-1]['s_per_step']:.2f} s/step, "
                      f"{rows[-1]['tokens_per_s']:.0f} tokens/s, peak RSS {rows[-1]['peak_rss_mb']:.0f} MB",
                      flush=True)
    return rows


def format_table(rows: list[dict], args) -> str:
    """Return the medians per variant and the ratios ours / trainer as a text table."""
    lines = [f"LoRA SFT, {args.examples} Dolly examples, max_length {args.max_length}, batch {args.batch_size}, "
             f"r {args.lora_r}, lr {args.lr:g}, {args.steps} steps, {args.repeats} repeats, "
             + (f"on the GPU, bf16 {args.bf16} (memory: GPU allocations)" if rows and rows[0].get("cuda") else
                f"float32 on CPU ({rows[0]['threads'] if rows else '?'} threads)"),
             f"{'variant':<10}{'s/step':>10}{'tokens/s':>11}{'tok/step':>10}{'peak MB':>13}{'MB at step 0':>15}"]
    med = {}
    for v in dict.fromkeys(r["variant"] for r in rows):
        mine = [r for r in rows if r["variant"] == v]
        med[v] = {k: statistics.median(r[k] for r in mine)
                  for k in ("s_per_step", "tokens_per_s", "tokens_per_step", "peak_rss_mb", "rss_before_mb")}
        m = med[v]
        lines.append(f"{v:<10}{m['s_per_step']:>10.2f}{m['tokens_per_s']:>11.0f}{m['tokens_per_step']:>10.0f}"
                     f"{m['peak_rss_mb']:>13.0f}{m['rss_before_mb']:>15.0f}")
    if "ours" in med and "ours_plain_ce" in med:
        o, t = med["ours"], med["ours_plain_ce"]
        lines.append(f"fused linear+CE vs plain logits + F.cross_entropy: s/step {o['s_per_step'] / t['s_per_step']:.2f}, "
                     f"peak memory {o['peak_rss_mb'] - t['peak_rss_mb']:+.0f} MB "
                     f"({o['peak_rss_mb'] / t['peak_rss_mb']:.2f}x)")
    if "ours" in med and "ours_packed" in med:
        o, t = med["ours_packed"], med["ours"]
        lines.append(f"packed vs not: tokens/s {o['tokens_per_s'] / t['tokens_per_s']:.2f}x, "
                     f"tokens per step {o['tokens_per_step']:.0f} vs {t['tokens_per_step']:.0f}, "
                     f"peak memory {o['peak_rss_mb'] / t['peak_rss_mb']:.2f}x")
    if "ours" in med and "trainer" in med:
        o, t = med["ours"], med["trainer"]
        lines.append(f"ratio ours/trainer: s/step {o['s_per_step'] / t['s_per_step']:.2f}, "
                     f"tokens/s {o['tokens_per_s'] / t['tokens_per_s']:.2f}, "
                     f"peak RSS {o['peak_rss_mb'] / t['peak_rss_mb']:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    rows = bench_sft(args)
    print(format_table(rows, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
