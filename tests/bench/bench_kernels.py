"""Tessera's CUDA kernels against what they replace, each figure beside its baseline in
the same run (issue 17). Needs a CUDA GPU; on a CPU it prints why not and exits 0.

1. decode tokens/s of a llama-family chat model at batch 1, same prompts, greedy:
   the decode-step kernels (``cuda/llama_decode.cu``, CUDA graph) vs today's torch step
   replayed as a CUDA graph vs ``model.generate``; and whether their tokens agree;
2. one LoRA SFT step: time and peak GPU memory, fused linear + cross-entropy vs plain;
3. int8 weight-only matrix-vector (``cuda/int8_matvec.cu``) vs bf16 ``F.linear`` at the
   shapes of a 1B-class model (random weights), and the bytes of each;
4. the sampler (``cuda/sampling.cu``) vs torch ``topk`` + ``softmax`` + ``multinomial``.

    python tests/bench/bench_kernels.py [--model PATH|default] [--tokens 128] [--prompts 4]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TESSERA_KERNELS", "1")  # measure the kernels whether verified or not

import torch  # noqa: E402

PROMPTS = ["What is the capital of France?", "Write a haiku about rivers.",
           "Explain what a tokenizer does in two sentences.", "List three uses of vinegar.",
           "How do plants make food?", "Give me a name for a grey cat."]


def _timed(fn, repeats: int = 1) -> float:
    """Seconds per call of ``fn`` (GPU work finished), best of ``repeats``."""
    best = float("inf")
    for _ in range(repeats):
        torch.cuda.synchronize()
        t = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t)
    return best


def bench_decode(args) -> None:
    from engine.chat import generate as G
    from engine.chat.model import load_chat_model

    chat = load_chat_model(args.model, device="cuda", dtype=torch.float32)
    settings = G.GenerationSettings(max_new_tokens=args.tokens, temperature=0.0)
    rows = {}
    tokens = {}
    for name, env in (("kernels (6 per layer, CUDA graph)", {"TESSERA_NO_KERNELS": "0"}),
                      ("torch step, CUDA graph (before)", {"TESSERA_NO_KERNELS": "1"})):
        os.environ.update(env)
        n = secs = 0.0
        tokens[name] = []
        for p in PROMPTS[: args.prompts]:
            msgs = [{"role": "user", "content": p}]
            G.generate(chat, msgs, settings)  # warm-up: capture the graph
            reply = G.generate(chat, msgs, settings)
            n += len(reply.token_ids) - 1
            secs += (len(reply.token_ids) - 1) / max(reply.tokens_per_s, 1e-9)
            tokens[name].append(reply.token_ids)
        rows[name] = n / secs
    os.environ["TESSERA_NO_KERNELS"] = "0"
    n = secs = 0.0
    hf_tokens = []
    for p in PROMPTS[: args.prompts]:
        ids = torch.tensor([chat.prompt_ids([{"role": "user", "content": p}])], device="cuda")
        out = None

        def run():
            nonlocal out
            out = chat.model.generate(ids, max_new_tokens=args.tokens, do_sample=False, min_new_tokens=args.tokens)

        run()
        secs += _timed(run)
        n += out.shape[1] - ids.shape[1]
        hf_tokens.append([int(t) for t in out[0, ids.shape[1]:]])
    rows["model.generate"] = n / secs
    base = rows["torch step, CUDA graph (before)"]
    print(f"\n## decode, batch 1, {args.prompts} prompts x up to {args.tokens} tokens, float32, "
          f"{torch.cuda.get_device_name()}")
    for name, rate in rows.items():
        print(f"{name:36s} {rate:8.1f} tok/s   {rate / base:5.2f}x the torch CUDA-graph step")
    for name, ts in tokens.items():
        same = sum(a == b[: len(a)] for a, b in zip(ts, hf_tokens))
        print(f"  {name}: {same}/{len(ts)} replies token for token equal to model.generate")


def bench_sft(args) -> None:
    from engine.kernels.ops import linear_cross_entropy

    V, H, N = 49152, 576, args.sft_tokens
    w = (torch.randn(V, H, device="cuda") * 0.02).requires_grad_()
    h = torch.randn(N, H, device="cuda", requires_grad=True)
    t = torch.randint(0, V, (N,), device="cuda")
    t[::7] = -100

    def fused():
        linear_cross_entropy(h, w, t).backward()

    def plain():
        torch.nn.functional.cross_entropy(h @ w.t(), t, ignore_index=-100).backward()

    print(f"\n## loss step at vocabulary {V:,}, {N:,} tokens x hidden {H}")
    res = {}
    for name, fn in (("plain F.cross_entropy", plain), ("fused linear + CE", fused)):
        fn()
        torch.cuda.reset_peak_memory_stats()
        base_mem = torch.cuda.memory_allocated()
        secs = _timed(fn, 3)
        res[name] = (secs, (torch.cuda.max_memory_allocated() - base_mem) / 2**20)
    for name, (secs, mb) in res.items():
        print(f"{name:24s} {secs * 1000:8.2f} ms   peak +{mb:8.1f} MiB")
    (ps, pm), (fs, fm) = res["plain F.cross_entropy"], res["fused linear + CE"]
    print(f"fused / plain: time {fs / ps:.2f}x, peak memory {fm / pm:.2f}x")


def bench_int8(args) -> None:
    from engine.kernels import ops
    from engine.kernels import reference as R

    print("\n## int8 matvec vs bf16 F.linear, 1B-class shapes (random weights)")
    for N, K in ((2048, 2048), (8192, 2048), (2048, 8192), (128256, 2048)):
        w = torch.randn(N, K, device="cuda", dtype=torch.bfloat16)
        q, scale = R.quantize_int8(w.float())
        x = torch.randn(K, device="cuda", dtype=torch.bfloat16)
        bf = _timed(lambda: torch.nn.functional.linear(x, w), 20)
        i8 = _timed(lambda: ops.int8_matvec(q, scale, x), 20)
        print(f"{N:6d} x {K:5d}: bf16 {bf * 1e6:7.1f} us ({w.numel() * 2 / 2**20:6.1f} MiB)   "
              f"int8 {i8 * 1e6:7.1f} us ({q.numel() / 2**20:6.1f} MiB)   {bf / i8:4.2f}x")


def bench_sampler(args) -> None:
    from engine.kernels import ops

    V = 49152
    logits = torch.randn(1, V, device="cuda") * 3
    u = torch.rand(1, device="cuda")

    def kernel():
        ops.sample_token(logits, None, u, temperature=0.8, top_k=40, top_p=0.9, penalty=1.0)

    def torch_way():
        x = logits[0] / 0.8
        v, i = torch.topk(x, 40)
        p = torch.softmax(v, -1)
        s, order = torch.sort(p, descending=True)
        keep = (s.cumsum(-1) - s) < 0.9
        p2 = torch.zeros_like(p).scatter(0, order, s * keep)
        return i[torch.multinomial(p2 / p2.sum(), 1)]

    k, t = _timed(kernel, 50), _timed(torch_way, 50)
    print(f"\n## one sampling step over {V:,} tokens (temperature, top-k 40, top-p 0.9)")
    print(f"kernel {k * 1e6:7.1f} us   torch topk + multinomial {t * 1e6:7.1f} us   {t / k:4.2f}x")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.environ.get("TESSERA_TEST_CHAT_MODEL") or "default")
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--prompts", type=int, default=4)
    ap.add_argument("--sft-tokens", type=int, default=4096)
    ap.add_argument("--only", nargs="*", default=["decode", "sft", "int8", "sampler"])
    args = ap.parse_args(argv)
    from engine.kernels.gpu import gpu_reason

    why = gpu_reason()
    if why is not None:
        print(f"bench_kernels: nothing to measure here: {why}.")
        return 0
    for part in args.only:
        {"decode": bench_decode, "sft": bench_sft, "int8": bench_int8, "sampler": bench_sampler}[part](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
