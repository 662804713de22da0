"""Each CUDA kernel against its torch reference on a GPU, at odd shapes (issue 17).
Skipped without CUDA; ``tests/bench/gpu_checks.sh`` runs these on a lent GPU."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from engine.kernels import ops
from engine.kernels import reference as R
from engine.kernels.gpu import gpu_reason

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")]


@pytest.fixture(autouse=True)
def _kernels_usable(monkeypatch):
    monkeypatch.setenv("TESSERA_KERNELS", "1")  # the kernels under test, verified or not
    why = gpu_reason()
    if why is not None:
        pytest.fail(f"a GPU is here but the kernels cannot run: {why}")


@pytest.mark.parametrize("B, T, K", [(1, 1, 3), (5, 37, 13), (33, 129, 9), (2, 300, 61)])
def test_viterbi_kernel_matches_reference(B, T, K):
    from engine.ner.decode import transition_masks

    tags = ["O"] + [f"{p}-L{i}" for i in range((K - 1) // 2) for p in ("B", "I")]
    start, trans = (torch.tensor(a, dtype=torch.float32) for a in transition_masks(tags))
    gen = torch.Generator().manual_seed(B * T)
    emit = torch.log_softmax(torch.randn(B, T, K, generator=gen) * 3, -1)
    lengths = torch.randint(0, T + 1, (B,), generator=gen)
    lengths[0] = T
    ref = R.bio_viterbi(emit, start, trans, lengths)
    out = ops.bio_viterbi(emit.cuda(), start.cuda(), trans.cuda(), lengths.cuda())
    assert torch.equal(out.cpu(), ref)


@pytest.mark.parametrize("V", [49152, 50257, 1000])
@pytest.mark.parametrize("temperature, top_k, top_p, penalty",
                         [(0.0, 0, 1.0, 1.2), (1.0, 0, 1.0, 1.0), (0.7, 50, 1.0, 1.0), (0.8, 0, 0.9, 1.1),
                          (0.6, 40, 0.95, 1.3)])
def test_sampling_kernel_matches_reference(V, temperature, top_k, top_p, penalty):
    """Same uniform numbers: the same tokens as the reference (a rare float-sum
    difference at a slice boundary is allowed), and draws follow the kept distribution."""
    gen = torch.Generator().manual_seed(V)
    B = 64
    logits = torch.randn(B, V, generator=gen) * 3
    seen = torch.randint(-1, V, (B, 17), generator=gen)
    u = torch.rand(B, generator=gen)
    ref = R.sample_token(logits, seen, u, temperature, top_k, top_p, penalty)
    out = ops.sample_token(logits.cuda(), seen.cuda(), u.cuda(), temperature=temperature, top_k=top_k,
                           top_p=top_p, penalty=penalty).cpu()
    assert (out == ref).float().mean() >= 0.97
    probs = R.kept_distribution(logits, seen, temperature, top_k, top_p, penalty)
    assert (probs[torch.arange(B), out.long()] > 0).all()  # never a dropped token


def test_sampling_kernel_statistics():
    V, n = 512, 40000
    gen = torch.Generator().manual_seed(0)
    logits = torch.randn(1, V, generator=gen) * 2
    probs = R.kept_distribution(logits, None, 0.9, 64, 0.9, 1.0)[0]
    u = torch.rand(n, generator=gen).cuda()
    out = ops.sample_token(logits.cuda().expand(n, V).contiguous(), None, u, temperature=0.9, top_k=64, top_p=0.9,
                           penalty=1.0)
    freq = torch.bincount(out.long().cpu(), minlength=V).double() / n
    assert float((freq - probs).abs().sum()) / 2 < 0.02


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("N, K", [(1, 4), (577, 576), (1536, 576), (49152, 576), (2048, 8192)])
def test_int8_matvec_kernel_matches_reference(N, K, dtype):
    gen = torch.Generator().manual_seed(N + K)
    q, scale = R.quantize_int8(torch.randn(N, K, generator=gen))
    x = torch.randn(K, generator=gen).to(dtype)
    res = torch.randn(N, generator=gen).to(dtype)
    for r in (None, res):
        ref = R.int8_matvec(q, scale, x, r)
        out = ops.int8_matvec(q.cuda(), scale.cuda(), x.cuda(), None if r is None else r.cuda()).cpu()
        tol = 1e-3 if dtype == torch.float32 else 2e-2
        assert out.dtype == dtype
        assert torch.allclose(out.float(), ref.float(), rtol=tol, atol=tol * float(ref.float().abs().max()))


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_fused_linear_cross_entropy_on_gpu_matches_torch(reduction):
    gen = torch.Generator().manual_seed(9)
    h = (torch.randn(1000, 576, generator=gen) * 0.5).cuda().requires_grad_()
    w = (torch.randn(49152, 576, generator=gen) * 0.02).cuda().requires_grad_()
    t = torch.randint(0, 49152, (1000,), generator=gen).cuda()
    t[::5] = -100
    ours = ops.linear_cross_entropy(h, w, t, reduction=reduction, chunk=256)
    gh, gw = torch.autograd.grad(ours, (h, w))
    ref = F.cross_entropy(h @ w.t(), t, reduction=reduction)
    rh, rw = torch.autograd.grad(ref, (h, w))
    assert torch.allclose(ours, ref, rtol=1e-4)
    assert torch.allclose(gh, rh, atol=1e-5, rtol=1e-3)
    assert torch.allclose(gw, rw, atol=1e-6, rtol=1e-3)


def test_fused_linear_cross_entropy_saves_memory():
    h = (torch.randn(4096, 576) * 0.5).cuda().requires_grad_()
    w = (torch.randn(49152, 576) * 0.02).cuda()
    t = torch.randint(0, 49152, (4096,)).cuda()
    peaks = []
    for fn in (lambda: F.cross_entropy(h @ w.t(), t), lambda: ops.linear_cross_entropy(h, w, t, chunk=512)):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        fn().backward()
        torch.cuda.synchronize()
        peaks.append(torch.cuda.max_memory_allocated() - base)
        h.grad = None
    print(f"peak extra memory: F.cross_entropy {peaks[0] / 2**20:.0f} MiB, fused {peaks[1] / 2**20:.0f} MiB")
    assert peaks[1] < 0.7 * peaks[0]
