"""Chat benchmarks. Generation: our streaming decoder vs ``model.generate`` + ``TextIteratorStreamer``.

Run: ``python tests/bench/bench_chat.py [--prompts 6] [--max-new-tokens 64] [--repeats 3] [--threads N]``.
Same model (the default chat model, SmolLM2-135M-Instruct, float32 on CPU), same
prompts (the first ``--prompts`` questions of tests/data/chat/dolly_open_qa_200.jsonl,
rendered with the chat template inside the timed call), greedy, in one run:

(a)  ours: ``engine.chat.generate.stream`` consumed in the calling thread (the llama
     fast path of ``engine.chat.fast_llama`` for this model);
(a') the same, iterated on a worker thread with the pieces passed back through a queue
     (how the GUI's chat pane runs it, and how HF streams below);
(b)  HF: ``model.generate(do_sample=False, streamer=TextIteratorStreamer)`` in a thread,
     the standard transformers way to stream.

Row (a) against (b) is the main comparison. The variants run alternately (prompt by
prompt, the order flipping every repeat), after one warm-up reply each. For each
reply: time to first token (from the call to the first new token being chosen: our
``chat/ttft_ms`` moment, the streamer's first ``put`` of a new token for HF), time to
first visible text (the first piece the caller receives), and decode speed =
(forward passes - 1) / (end - first token). Also prints whether all wrote the same
token ids and text, and the memory of ours and HF, each in its own process (peak RSS,
and RSS after one reply: what stays while chatting).

Only ratios measured in the same run mean anything: other work on the machine moves
the absolute numbers. ``--threads 1`` runs everything on one torch thread.

``--int8`` instead compares our decoder with float32 weights against the same decoder
with int8 weight-only matrices (``chat --quantize int8``, :mod:`engine.chat.int8`):
decode tokens/s of both, alternating, the bytes of the decoder's weights, and how many
of the int8 replies' tokens equal the float32 replies' (greedy; int8 rounds).

``--device cuda`` runs the same on the GPU, where row (a') is replaced by
(a'') ours without CUDA graphs (``TESSERA_CUDA_GRAPHS=0``: the same lean decoder,
every kernel launched from Python), and the memory columns are skipped.
"""
from __future__ import annotations

import argparse
import math
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DOLLY = ROOT / "tests" / "data" / "chat" / "dolly_open_qa_200.jsonl"


def dolly_questions(n: int) -> list[str]:
    """The first ``n`` questions of the Dolly sample ("### Human: Q ### Assistant: A" lines)."""
    out = []
    with open(DOLLY, encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            out.append(text.split("### Human:", 1)[1].split("### Assistant:", 1)[0].strip())
            if len(out) == n:
                break
    return out


def _in_worker(pieces):
    """Iterate the generator ``pieces`` on a worker thread; yield its items here (through a queue)."""
    import queue

    box: queue.SimpleQueue = queue.SimpleQueue()
    done = object()
    th = threading.Thread(target=lambda: ([box.put(p) for p in pieces], box.put(done)))
    th.start()
    while (item := box.get()) is not done:
        yield item
    th.join()


def run_ours(chat, messages: list[dict], max_new: int, worker: bool = False) -> dict:
    """One greedy reply through our decoder (``worker``: consumed on a worker thread, as the
    GUI's chat pane runs it); timings as described in the module docstring."""
    from engine.chat.generate import GenerationSettings, _Run, stream
    from engine.events import Metric

    marks = {}

    def report(event) -> None:
        if isinstance(event, Metric) and event.name == "chat/ttft_ms" and "token" not in marks:
            marks["token"] = time.perf_counter()

    run = _Run()
    t0 = time.perf_counter()
    pieces = []
    pieces_in = stream(chat, messages, GenerationSettings(max_new_tokens=max_new), report=report, result=run)
    for piece in (_in_worker(pieces_in) if worker else pieces_in):
        if not pieces:
            marks["text"] = time.perf_counter()
        pieces.append(piece)
    t_end = time.perf_counter()
    r = run.reply
    passes = r.tokens + (1 if r.stopped_by == "eos" else 0)
    return {"t0": t0, "token": marks["token"], "text": marks.get("text", t_end), "end": t_end, "passes": passes,
            "ids": r.token_ids, "out": "".join(pieces)}


def run_ours_worker(chat, messages: list[dict], max_new: int) -> dict:
    return run_ours(chat, messages, max_new, worker=True)


def run_ours_eager(chat, messages: list[dict], max_new: int) -> dict:
    """Ours on a GPU with CUDA graphs turned off (each step's kernels launched one by one)."""
    old = os.environ.get("TESSERA_CUDA_GRAPHS")
    os.environ["TESSERA_CUDA_GRAPHS"] = "0"
    try:
        return run_ours(chat, messages, max_new)
    finally:
        if old is None:
            os.environ.pop("TESSERA_CUDA_GRAPHS", None)
        else:
            os.environ["TESSERA_CUDA_GRAPHS"] = old


def run_hf(chat, messages: list[dict], max_new: int) -> dict:
    """One greedy reply with ``model.generate`` and ``TextIteratorStreamer`` in a thread."""
    import torch
    from transformers import TextIteratorStreamer

    marks = {}

    class Streamer(TextIteratorStreamer):
        def put(self, value):
            if not self.next_tokens_are_prompt and "token" not in marks:
                marks["token"] = time.perf_counter()
            super().put(value)

    t0 = time.perf_counter()
    ids = chat.prompt_ids(messages)
    streamer = Streamer(chat.tokenizer, skip_prompt=True, skip_special_tokens=True)
    inp = torch.tensor([ids], device=chat.model.device)
    box = {}

    def work() -> None:
        box["out"] = chat.model.generate(input_ids=inp, attention_mask=torch.ones_like(inp), max_new_tokens=max_new,
                                         do_sample=False, streamer=streamer, pad_token_id=chat.tokenizer.eos_token_id)

    th = threading.Thread(target=work)
    th.start()
    pieces = []
    for piece in streamer:
        if piece and not pieces:
            marks["text"] = time.perf_counter()
        if piece:
            pieces.append(piece)
    th.join()
    t_end = time.perf_counter()
    new = box["out"][0, len(ids):].tolist()
    stops = chat.stop_token_ids()
    ids_out = new[:-1] if new and new[-1] in stops else new
    return {"t0": t0, "token": marks["token"], "text": marks.get("text", t_end), "end": t_end, "passes": len(new),
            "ids": ids_out, "out": "".join(pieces)}


RUNNERS = {"ours": run_ours, "ours_worker": run_ours_worker, "hf": run_hf}
GPU_RUNNERS = {"ours": run_ours, "ours_eager": run_ours_eager, "hf": run_hf}
NAMES = {"ours": "(a) ours, stream() in the calling thread", "ours_worker": "(a') ours, stream() in a worker thread",
         "ours_eager": "(a'') ours without CUDA graphs", "hf": "(b) HF generate + TextIteratorStreamer"}


def _rate(r: dict) -> float:
    return (r["passes"] - 1) / (r["end"] - r["token"]) if r["passes"] > 1 and r["end"] > r["token"] else 0.0


def bench_generation(args) -> list[dict]:
    """Run the generation comparison; return one row per variant (and print the per-prompt table).

    Each row: ``variant``, ``tokens_per_s`` (all replies' decode passes over their decode time),
    ``ttft_ms`` and ``first_text_ms`` (medians), ``same_ids`` and ``same_text`` (ours vs HF, all
    prompts), ``rss`` (``{"peak_mb", "after_mb"}`` of one reply in its own process; ``None`` with
    ``--no-rss`` or when the child failed).
    """
    import torch

    from engine.chat.model import load_chat_model

    if args.threads:
        torch.set_num_threads(args.threads)
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    chat = load_chat_model(args.model, device=device)
    prompts = [[{"role": "user", "content": q}] for q in dolly_questions(args.prompts)]
    sizes = [len(chat.prompt_ids(m)) for m in prompts]
    where = torch.cuda.get_device_name() if device == "cuda" else f"CPU, torch threads {torch.get_num_threads()}"
    print(f"model {chat.name}, {args.prompts} prompts ({min(sizes)}-{max(sizes)} tokens), "
          f"max_new_tokens {args.max_new_tokens}, {args.repeats} repeats, {where}", flush=True)
    runners = GPU_RUNNERS if device == "cuda" else RUNNERS
    second = list(runners)[1]
    for fn in runners.values():  # warm-up (builds our fused weights, first-call allocations)
        fn(chat, prompts[0], 4)
    results = {k: [[] for _ in prompts] for k in runners}
    for rep in range(args.repeats):
        order = list(runners) if rep % 2 == 0 else list(runners)[::-1]
        for i, msgs in enumerate(prompts):
            for k in order:
                results[k][i].append(runners[k](chat, msgs, args.max_new_tokens))
    print("tok/s and TTFT: medians over the repeats; " + NAMES[second])
    print(f"{'prompt':<8}{'tokens':>7}{'(a) tok/s':>11}{NAMES[second].split()[0]:>6}{'(b)':>7}"
          f"{'(a)/(b)':>9}{'(a) TTFT':>10}{'(b)':>9}{'same ids':>10}")
    same_ids = same_text = True
    for i in range(len(prompts)):
        per = {k: results[k][i] for k in runners}
        rate = {k: statistics.median(map(_rate, v)) for k, v in per.items()}
        ttft = {k: statistics.median((r["token"] - r["t0"]) * 1000 for r in v) for k, v in per.items()}
        ids_ok = all(v[0]["ids"] == per["hf"][0]["ids"] for v in per.values())
        same_ids &= ids_ok
        same_text &= all(v[0]["out"] == per["hf"][0]["out"] for v in per.values())
        print(f"{i + 1:<8}{len(per['hf'][0]['ids']):>7}{rate['ours']:>11.1f}{rate[second]:>6.1f}"
              f"{rate['hf']:>7.1f}{rate['ours'] / rate['hf'] if rate['hf'] else 0:>8.2f}x"
              f"{ttft['ours']:>8.0f}ms{ttft['hf']:>7.0f}ms{'yes' if ids_ok else 'NO':>10}", flush=True)
    rss = {} if args.no_rss or device == "cuda" else {k: _child_rss(k, args) for k in ("ours", "hf")}
    rss["ours_worker"] = rss.get("ours")
    rows = []
    for k in runners:
        flat = [r for per in results[k] for r in per]
        decode_s = sum(r["end"] - r["token"] for r in flat)
        rows.append({
            "variant": k,
            "tokens_per_s": sum(r["passes"] - 1 for r in flat) / decode_s if decode_s else 0.0,
            "ttft_ms": statistics.median((r["token"] - r["t0"]) * 1000 for r in flat),
            "first_text_ms": statistics.median((r["text"] - r["t0"]) * 1000 for r in flat),
            "same_ids": same_ids,
            "same_text": same_text,
            "rss": rss.get(k),
        })
    return rows


def _current_rss_mb() -> float | None:
    """Resident memory of this process now (MB), from /proc (``None`` elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None


def _child_rss(variant: str, args) -> dict | None:
    """``{"peak_mb", "after_mb"}``: peak RSS of a fresh process that loads the model and writes
    one reply with ``variant``, and its RSS after the reply (what stays while chatting)."""
    cmd = [sys.executable, __file__, "--child", variant, "--max-new-tokens", str(args.max_new_tokens),
           "--model", args.model]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        print(out.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def _child(args) -> None:
    from engine.chat.model import load_chat_model

    chat = load_chat_model(args.model)
    RUNNERS[args.child](chat, [{"role": "user", "content": dolly_questions(1)[0]}], args.max_new_tokens)
    print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "after_mb": _current_rss_mb()}))


def print_generation(rows: list[dict]) -> None:
    """Print the summary table of :func:`bench_generation`."""
    names = NAMES
    base = next(r for r in rows if r["variant"] == "hf")
    print(f"\n{'variant':<42}{'tok/s':>8}{'vs (b)':>8}{'TTFT':>9}{'first text':>12}{'peak RSS':>10}"
          f"{'RSS after':>11}")
    for r in rows:
        m = r["rss"] or {}
        rss = "".join(f"{m[k]:>{w}.0f}MB" if m.get(k) else f"{'-':>{w + 2}}"
                      for k, w in (("peak_mb", 8), ("after_mb", 9)))
        print(f"{names[r['variant']]:<42}{r['tokens_per_s']:>8.1f}{r['tokens_per_s'] / base['tokens_per_s']:>7.2f}x"
              f"{r['ttft_ms']:>7.0f}ms{r['first_text_ms']:>10.0f}ms{rss}")
    print(f"same token ids: {'yes' if rows[0]['same_ids'] else 'NO'}; "
          f"same text: {'yes' if rows[0]['same_text'] else 'NO'}")


def bench_int8(args) -> None:
    """Print decode tokens/s of float32 and int8 weights (our decoder, same run, alternating)."""
    import torch

    from engine.chat.fast_llama import fast_decoder
    from engine.chat.model import load_chat_model

    if args.threads:
        torch.set_num_threads(args.threads)
    chat = load_chat_model(args.model, device="cpu" if args.device == "auto" else args.device)
    prompts = [[{"role": "user", "content": q}] for q in dolly_questions(args.prompts)]
    kinds = (None, "int8")
    sizes = {}
    for q in kinds:  # warm-up; weight bytes of each decoder
        chat.quantize = q
        fast = fast_decoder(chat)
        sizes[q] = sum(getattr(w, "nbytes", None) or w.numel() * w.element_size()
                       for L in fast.layers for w in (L.qkv, L.o, L.gu, L.down)) + \
            (getattr(fast.lm_head, "nbytes", None) or fast.lm_head.numel() * fast.lm_head.element_size())
        run_ours(chat, prompts[0], 4)
    res = {q: [] for q in kinds}
    for rep in range(args.repeats):
        for msgs in prompts:
            for q in (kinds if rep % 2 == 0 else kinds[::-1]):
                chat.quantize = q
                res[q].append(run_ours(chat, msgs, args.max_new_tokens))
    rate = {q: sum(r["passes"] - 1 for r in v) / sum(r["end"] - r["token"] for r in v) for q, v in res.items()}
    same = total = 0
    for a, b in zip(res[None], res["int8"]):
        n = next((k for k, (x, y) in enumerate(zip(a["ids"], b["ids"])) if x != y), min(len(a["ids"]), len(b["ids"])))
        same += n
        total += len(a["ids"])
    cpu = "" if args.device == "cuda" else f", CPU, torch threads {torch.get_num_threads()}"
    print(f"model {chat.name}, {args.prompts} prompts x {args.repeats} repeats, {args.max_new_tokens} new tokens{cpu}")
    print(f"{'weights':<10}{'tok/s':>8}{'vs float32':>12}{'matrix bytes':>15}")
    for q in kinds:
        print(f"{q or 'float32':<10}{rate[q]:>8.1f}{rate[q] / rate[None]:>11.2f}x{sizes[q] / 2**20:>12.0f} MiB")
    print(f"int8 replies equal the float32 ones for their first {same} of {total} tokens ({same / total:.0%})")
    if args.quality:
        nll = {q: dolly_answer_nll(chat, q, args.quality) for q in kinds}
        print(f"held-out quality: mean loss per answer token of the last {args.quality} Dolly examples "
              "(teacher-forced through the same decoder)")
        for q in kinds:
            loss, n = nll[q]
            print(f"{q or 'float32':<10} loss {loss:.4f}  perplexity {math.exp(loss):7.3f}  ({n} tokens)")
        print(f"int8 / float32 perplexity: {math.exp(nll['int8'][0] - nll[None][0]):.4f}")


def dolly_answer_nll(chat, quantize, n: int) -> tuple[float, int]:
    """Mean negative log-likelihood of the answers of the last ``n`` Dolly examples (the
    benchmark's questions come from the first ones) under the chat decoder with
    ``quantize`` weights, teacher-forced token by token; returns ``(loss, tokens)``."""
    import torch

    from engine.chat.fast_llama import fast_decoder

    chat.quantize = quantize
    fast = fast_decoder(chat)
    with open(DOLLY, encoding="utf-8") as fh:
        lines = [json.loads(line)["text"] for line in fh][-n:]
    total, count = 0.0, 0
    for text in lines:
        q = text.split("### Human:", 1)[1].split("### Assistant:", 1)[0].strip()
        a = text.split("### Assistant:", 1)[1].strip()
        prompt = chat.prompt_ids([{"role": "user", "content": q}])
        full = chat.prompt_ids([{"role": "user", "content": q}, {"role": "assistant", "content": a}],
                               add_generation_prompt=False)
        if full[: len(prompt)] != prompt:  # a template that renders the prompt differently: skip it
            continue
        answer = full[len(prompt):]
        cache = fast.new_cache(len(full) + 1)
        logits = fast.prefill(prompt, cache)
        for tok in answer:
            total -= float(torch.log_softmax(logits.float(), -1)[tok])
            count += 1
            logits = fast.step(tok, cache)
    chat.quantize = None
    return total / max(1, count), count


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="default", help="chat model folder, or default (SmolLM2-135M-Instruct)")
    ap.add_argument("--prompts", type=int, default=6, help="how many Dolly questions")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3, help="runs of every prompt per variant")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch's default)")
    ap.add_argument("--no-rss", action="store_true", help="skip the peak-memory subprocesses")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="cpu",
                    help="where the model runs (auto: the GPU when torch sees one)")
    ap.add_argument("--int8", action="store_true", help="compare float32 and int8 weights in our decoder instead")
    ap.add_argument("--quality", type=int, default=0, metavar="N",
                    help="with --int8: also the loss/perplexity on the answers of the last N Dolly examples")
    ap.add_argument("--child", choices=["ours", "hf"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args)
        return
    if args.int8:
        bench_int8(args)
        return
    print_generation(bench_generation(args))


if __name__ == "__main__":
    main()
