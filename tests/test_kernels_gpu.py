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


# ---------------------------------------------------------------- llama_decode.cu

@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("mode", [0, 1, 2])
@pytest.mark.parametrize("N, K", [(1, 3), (577, 576), (1536, 576), (49152, 576), (333, 1537)])
def test_fused_matvec_kernel_matches_reference(mode, N, K, dtype):
    gen = torch.Generator().manual_seed(N + K + mode)
    w = torch.randn(N, K, generator=gen).to(dtype)
    x = torch.randn(2 * K, generator=gen)
    g = torch.rand(K, generator=gen).to(dtype)
    bias = torch.randn(N, generator=gen).to(dtype)
    res = torch.randn(N, generator=gen)
    ref = R.fused_matvec(mode, x, g, 1e-5, w, bias, res)
    out = ops.fused_matvec(mode, x.cuda(), g.cuda(), 1e-5, w.cuda(), bias.cuda(), res.cuda()).cpu()
    assert torch.allclose(out, ref, rtol=1e-4, atol=1e-3 * K ** 0.5), float((out - ref).abs().max())
    # in place: the residual is the output
    h = res.cuda()
    ops.fused_matvec(mode, x.cuda(), g.cuda(), 1e-5, w.cuda(), None, residual=h, out=h)
    assert torch.allclose(h.cpu(), R.fused_matvec(mode, x, g, 1e-5, w, None, res), rtol=1e-4,
                          atol=1e-3 * K ** 0.5)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("heads, kvh, D, cap, pos", [(9, 3, 64, 256, 0), (9, 3, 64, 256, 200), (8, 8, 128, 512, 511),
                                                      (4, 1, 32, 37, 36), (12, 4, 80, 300, 150)])
def test_rope_and_attention_kernels_match_reference(heads, kvh, D, cap, pos, dtype):
    gen = torch.Generator().manual_seed(heads * D + pos)
    qkv = torch.randn((heads + 2 * kvh) * D, generator=gen)
    ang = torch.rand(cap, D // 2, generator=gen) * pos
    cos, sin = torch.cat([ang.cos()] * 2, -1), torch.cat([ang.sin()] * 2, -1)
    kc = torch.randn(kvh, cap, D, generator=gen).to(dtype)
    vc = torch.randn(kvh, cap, D, generator=gen).to(dtype)
    p = torch.tensor([pos])
    kc_ref, vc_ref = kc.clone(), vc.clone()
    q_ref = R.rope_kv_append(qkv, cos, sin, p, kc_ref, vc_ref, heads, kvh)
    kc_gpu, vc_gpu = kc.cuda(), vc.cuda()
    q = ops.rope_kv_append(qkv.cuda(), cos.cuda(), sin.cuda(), p.cuda(), kc_gpu, vc_gpu, heads, kvh)
    assert torch.allclose(q.cpu(), q_ref, atol=1e-5)
    assert torch.allclose(kc_gpu.cpu().float(), kc_ref.float(), atol=1e-2 if dtype == torch.bfloat16 else 1e-5)
    assert torch.equal(vc_gpu.cpu(), vc_ref)
    ref = R.attention_decode(q_ref, kc_ref, vc_ref, p, heads, kvh, D ** -0.5)
    out = ops.attention_decode(q_ref.cuda(), kc_ref.cuda(), vc_ref.cuda(), p.cuda(), heads, kvh, D ** -0.5).cpu()
    assert torch.allclose(out, ref, atol=1e-4), float((out - ref).abs().max())
    E = torch.randn(1000, 576, generator=gen).to(dtype)
    assert torch.equal(ops.embed_row(E.cuda(), torch.tensor([777]).cuda()).cpu(), R.embed_row(E, torch.tensor([777])))


@pytest.fixture(scope="module")
def cuda_chat_model(models_dir):
    import os

    os.environ["TESSERA_MODELS"] = str(models_dir)
    from engine.chat.model import load_chat_model

    # float32, as the transformers forward it is compared with (the kernels keep a float32
    # residual stream; a bf16 model's transformers forward rounds it to bf16 at every layer)
    return load_chat_model(os.environ.get("TESSERA_TEST_CHAT_MODEL") or "default", device="cuda",
                           dtype=torch.float32)


def test_greedy_decoding_with_kernels_writes_the_transformers_tokens(cuda_chat_model):
    """The kernel step (six kernels per layer, CUDA graph) gives the ids of ``model.generate``."""
    from engine.chat import generate as G
    from engine.chat.kernel_decode import KernelStep

    chat = cuda_chat_model
    settings = G.GenerationSettings(max_new_tokens=48, temperature=0.0)
    messages = [{"role": "user", "content": "What is the capital of France?"}]
    ids = chat.prompt_ids(messages)
    step = G._stepper(chat, len(ids) + 48)
    assert type(step) is KernelStep and step.graph is not None
    step.release()
    ours = G.generate(chat, messages, settings).token_ids
    hf = chat.model.generate(torch.tensor([ids], device="cuda"), max_new_tokens=48, do_sample=False)[0, len(ids):]
    hf = [int(t) for t in hf if int(t) not in chat.stop_token_ids()]
    assert ours == hf[: len(ours)] and len(ours) >= min(len(hf), 1)


def test_sampling_in_chat_uses_the_kernel_and_repeats_with_a_seed(cuda_chat_model):
    from engine.chat import generate as G

    s = G.GenerationSettings(max_new_tokens=24, temperature=0.8, top_p=0.9, top_k=40, seed=7,
                             repetition_penalty=1.1)
    messages = [{"role": "user", "content": "Write a line about rivers."}]
    a, b = G.generate(cuda_chat_model, messages, s), G.generate(cuda_chat_model, messages, s)
    assert a.token_ids == b.token_ids and a.token_ids


def test_tagger_predict_on_gpu_uses_the_viterbi_kernel(loop_tagger):
    from engine.ner.predict import load_tagger

    best = loop_tagger["run"].output_dir / "best"
    sentences = [["Paris", "is", "in", "France", "."], ["I", "met", "Ana", "Silva", "in", "Lisbon"], ["ok"]]
    cpu = load_tagger(best, device="cpu").tag_tokens(sentences)
    gpu = load_tagger(best, device="cuda")
    assert gpu._gpu_paths(gpu.word_log_probs(sentences)) is not None
    assert gpu.tag_tokens(sentences) == cpu
