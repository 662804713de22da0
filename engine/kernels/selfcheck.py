"""``main.py kernels``: compile every kernel and, on a GPU, run each against its
reference once (the full comparisons are ``tests/test_kernels_gpu.py``)."""
from __future__ import annotations

from dataclasses import dataclass

from engine.kernels.compiler import CompileError, NvrtcUnavailable, compile_kernel
from engine.kernels.sources import KERNELS, SourceMissing


@dataclass
class KernelStatus:
    """One kernel's line in the listing."""

    name: str
    arch: str
    ok: bool
    seconds: float = 0.0
    size: int = 0
    cached: bool = False
    check: str = ""  # the GPU comparison's result, "" when not run
    error: str = ""


def compile_all(arch: str, *, use_cache: bool = False) -> list[KernelStatus]:
    """Compile every kernel for ``arch``; return one status per kernel (errors are in
    the statuses, not raised)."""
    out = []
    for name, spec in KERNELS.items():
        try:
            c = compile_kernel(spec, arch, use_cache=use_cache)
            out.append(KernelStatus(name, arch, True, c.seconds, len(c.cubin), c.cached))
        except (CompileError, NvrtcUnavailable, SourceMissing) as exc:
            out.append(KernelStatus(name, arch, False, error=str(exc)))
    return out


def _checks() -> dict:
    """One comparison per kernel: ``name -> () -> (passed, detail)``; needs CUDA."""
    import torch

    from engine.kernels import ops
    from engine.kernels import reference as R
    from engine.ner.decode import transition_masks

    gen = torch.Generator().manual_seed(0)

    def viterbi():
        start, trans = (torch.tensor(a, dtype=torch.float32) for a in
                        transition_masks(["O", "B-a", "I-a", "B-b", "I-b"]))
        emit = torch.log_softmax(torch.randn(16, 40, 5, generator=gen), -1)
        lengths = torch.randint(1, 41, (16,), generator=gen)
        ref = R.bio_viterbi(emit, start, trans, lengths)
        out = ops.bio_viterbi(emit.cuda(), start.cuda(), trans.cuda(), lengths.cuda()).cpu()
        return torch.equal(out, ref), "16 sentences x 40 words x 5 tags, same paths"

    def sampling():
        logits = torch.randn(32, 49152, generator=gen) * 3
        u = torch.rand(32, generator=gen)
        ref = R.sample_token(logits, None, u, 0.8, 40, 0.9, 1.0)
        out = ops.sample_token(logits.cuda(), None, u.cuda(), temperature=0.8, top_k=40, top_p=0.9,
                               penalty=1.0).cpu()
        same = float((out == ref).float().mean())
        return same >= 0.97, f"32 draws over 49,152 tokens, {same:.0%} the same token"

    def int8():
        q, scale = R.quantize_int8(torch.randn(1536, 576, generator=gen))
        x = torch.randn(576, generator=gen)
        ref = R.int8_matvec(q, scale, x)
        out = ops.int8_matvec(q.cuda(), scale.cuda(), x.cuda()).cpu()
        err = float((out - ref).abs().max() / ref.abs().max())
        return err < 1e-4, f"1536 x 576, max relative difference {err:.1e}"

    def ce_rows():
        h = torch.randn(300, 576, generator=gen).cuda()
        w = (torch.randn(49152, 576, generator=gen) * 0.02).cuda()
        t = torch.randint(0, 49152, (300,), generator=gen).cuda()
        ours = float(ops.linear_cross_entropy(h, w, t, chunk=128))
        ref = float(torch.nn.functional.cross_entropy(h @ w.t(), t))
        return abs(ours - ref) < 1e-4 * abs(ref), f"loss {ours:.5f} vs torch {ref:.5f} at vocab 49,152"

    def llama_decode():
        w = torch.randn(1536, 576, generator=gen)
        x = torch.randn(576, generator=gen)
        g = torch.rand(576, generator=gen)
        ref = R.fused_matvec(1, x, g, 1e-5, w)
        out = ops.fused_matvec(1, x.cuda(), g.cuda(), 1e-5, w.cuda()).cpu()
        err = float((out - ref).abs().max() / ref.abs().max())
        kc, vc = torch.randn(3, 256, 64, generator=gen), torch.randn(3, 256, 64, generator=gen)
        q, pos = torch.randn(9 * 64, generator=gen), torch.tensor([100])
        a = R.attention_decode(q, kc, vc, pos, 9, 3, 0.125)
        b = ops.attention_decode(q.cuda(), kc.cuda(), vc.cuda(), pos.cuda(), 9, 3, 0.125).cpu()
        err2 = float((a - b).abs().max())
        return err < 1e-4 and err2 < 1e-4, (f"RMSNorm + 1536 x 576 matvec max relative difference {err:.1e}; "
                                            f"attention over 101 positions {err2:.1e}")

    return {"llama_decode": llama_decode, "bio_viterbi": viterbi, "sampling": sampling, "int8_matvec": int8, "cross_entropy_rows": ce_rows}


def check_on_gpu(statuses: list[KernelStatus]) -> None:
    """Run each compiled kernel against its reference on the current GPU, filling in
    ``check`` (and ``ok`` false on a mismatch or a launch error)."""
    import os

    os.environ["TESSERA_KERNELS"] = "1"  # run every kernel, verified or not: this is the check
    checks = _checks()
    for s in statuses:
        if not s.ok or s.name not in checks:
            continue
        try:
            passed, detail = checks[s.name]()
        except Exception as exc:  # a launch error is the result here, not a crash
            passed, detail = False, f"{type(exc).__name__}: {exc}"
        s.ok = s.ok and passed
        s.check = ("matches the reference: " if passed else "DIFFERS from the reference: ") + detail
