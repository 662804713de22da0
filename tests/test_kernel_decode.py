"""engine.chat.kernel_decode: the llama decode step as the CUDA kernels of
``cuda/llama_decode.cu``. On a CPU each op runs its torch reference, so the step's
arithmetic (weight layout, RMSNorm, rotary, cache append, attention, the fused SiLU
gate and residual adds) is checked here against :meth:`FastLlama.step`; the references
themselves are checked against the formulas they stand for. The kernels against the
references run in tests/test_kernels_gpu.py (GPU only)."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from engine.chat import cuda_graph
from engine.chat.fast_llama import fast_decoder
from engine.chat.kernel_decode import KernelStep, supports
from engine.kernels import reference as R

QUESTION = [{"role": "user", "content": "Name three rivers in Europe."}]


def test_kernel_step_gives_fast_llamas_logits_and_tokens(chat_model):
    fast = fast_decoder(chat_model)
    assert supports(fast)
    ids = chat_model.prompt_ids(QUESTION)
    cache = fast.new_cache(len(ids) + 16)
    step = KernelStep(fast, len(ids) + 16, graph=False)
    a, b = fast.prefill(ids, cache), step.prefill(ids)
    token = int(a.argmax())
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the references' tiny ops: waking a thread pool costs more than they do
    try:
        for _ in range(16):
            a, b = fast.step(token, cache), step.step(token)
            assert torch.allclose(a, b, atol=2e-3, rtol=0), float((a - b).abs().max())
            assert int(a.argmax()) == int(b.argmax())
            token = int(a.argmax())
    finally:
        torch.set_num_threads(threads)
    # the kernels wrote the same keys and values into the cache
    n = cache.length
    assert torch.allclose(cache.k[:, :, :n], step.cache.k[:, :, :n], atol=1e-3, rtol=1e-3), \
        float((cache.k[:, :, :n] - step.cache.k[:, :, :n]).abs().max())
    assert torch.allclose(cache.v[:, :, :n], step.cache.v[:, :, :n], atol=1e-3, rtol=1e-3)


def test_kernel_steps_are_kept_apart_from_torch_graph_steps(chat_model):
    fast = fast_decoder(chat_model)
    cuda_graph.give_back(cuda_graph.GraphStep(fast, 10, graph=False))
    kept = fast._graphs[0]
    # a kernel step is never handed out for a torch step of the same size, nor the reverse
    assert type(kept) is cuda_graph.GraphStep
    assert [type(s) for s in fast._graphs].count(KernelStep) == 0
    fast._graphs.clear()


def test_int8_and_half_models_keep_their_own_decoder():
    from types import SimpleNamespace as NS

    assert not supports(NS(quantize="int8", dtype=torch.float32, head_dim=64))
    assert not supports(NS(quantize=None, dtype=torch.float16, head_dim=64))
    assert supports(NS(quantize=None, dtype=torch.bfloat16, head_dim=64))
    with pytest.raises(ValueError):
        KernelStep(NS(quantize="int8", dtype=torch.float32, head_dim=64), 8, graph=False)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_fused_matvec_reference_modes(dtype):
    g = torch.Generator().manual_seed(0)
    w = torch.randn(37, 24, generator=g).to(dtype)
    x = torch.randn(48, generator=g)
    gain = torch.rand(24, generator=g).to(dtype)
    res = torch.randn(37, generator=g)
    bias = torch.randn(37, generator=g).to(dtype)
    wf = w.float()
    plain = R.fused_matvec(0, x[:24], None, 0.0, w, bias, res)
    assert torch.allclose(plain, F.linear(x[:24], wf, bias.float()) + res, atol=1e-5)
    normed = R.fused_matvec(1, x[:24], gain, 1e-5, w)
    assert torch.allclose(normed, wf @ F.rms_norm(x[:24], (24,), gain.float(), 1e-5), atol=1e-5)
    gated = R.fused_matvec(2, x, None, 0.0, w)
    assert torch.allclose(gated, wf @ (F.silu(x[:24]) * x[24:]), atol=1e-5)
    with pytest.raises(ValueError):
        R.fused_matvec(3, x, None, 0.0, w)


def test_rope_and_attention_references_equal_the_textbook_formulas():
    g = torch.Generator().manual_seed(1)
    heads, kvh, D, cap, pos = 6, 2, 8, 10, 4
    qkv = torch.randn((heads + 2 * kvh) * D, generator=g)
    ang = torch.rand(cap, D // 2, generator=g) * 3
    cos, sin = torch.cat([ang.cos()] * 2, -1), torch.cat([ang.sin()] * 2, -1)
    kc, vc = torch.randn(kvh, cap, D, generator=g), torch.randn(kvh, cap, D, generator=g)
    p = torch.tensor([pos])
    q = R.rope_kv_append(qkv, cos, sin, p, kc, vc, heads, kvh)

    def rope(x):  # rotate each pair (i, i + D/2) by the angle of i
        a, b = x[..., : D // 2], x[..., D // 2:]
        c, s = ang[pos].cos(), ang[pos].sin()
        return torch.cat([a * c - b * s, b * c + a * s], -1)

    x = qkv.view(heads + 2 * kvh, D)
    assert torch.allclose(q.view(heads, D), rope(x[:heads]), atol=1e-6)
    assert torch.allclose(kc[:, pos], rope(x[heads:heads + kvh]), atol=1e-6)
    assert torch.equal(vc[:, pos], x[heads + kvh:])
    out = R.attention_decode(q, kc, vc, p, heads, kvh, 0.5).view(heads, D)
    for h in range(heads):  # grouped-query: query head h reads key/value head h // 3
        k, v = kc[h // 3, : pos + 1], vc[h // 3, : pos + 1]
        want = torch.softmax(0.5 * k @ q.view(heads, D)[h], 0) @ v
        assert torch.allclose(out[h], want, atol=1e-6)
    assert torch.equal(R.embed_row(kc[0], torch.tensor([3])), kc[0, 3])


def test_a_reply_says_which_decoder_wrote_it(chat_model):
    from engine.chat.generate import GenerationSettings, generate

    reply = generate(chat_model, QUESTION, GenerationSettings(max_new_tokens=3))
    assert reply.decoder == "fast"  # on a CPU; "kernels" or "cuda-graph" on a GPU
