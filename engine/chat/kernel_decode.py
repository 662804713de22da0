"""The one-token decode step of a llama-family model as Tessera's CUDA kernels
(``cuda/llama_decode.cu``): six kernels per layer instead of about twenty-five torch
kernels, replayed as one CUDA graph like :class:`engine.chat.cuda_graph.GraphStep`.

Per layer: RMSNorm fused into the q/k/v matrix-vector product; rotary on q and k fused
with the key/value cache append; single-query attention over the cache; the output
projection with the residual add; RMSNorm fused into the gate/up product; SiLU(gate) *
up fused into the down projection with the residual add. The residual stream stays
float32; weights and the cache keep the model's dtype (float32 or bf16).

The prompt still runs through :meth:`FastLlama.prefill` (batched torch) into the same
cache. Each op is :mod:`engine.kernels.ops`, which runs its torch reference where the
kernel cannot run, so on a CPU :class:`KernelStep` without a graph computes the same
step with the references: that is how the CPU tests check the step's arithmetic
against :meth:`FastLlama.step`. The weights are kept in ``nn.Linear``'s ``[out, in]``
layout (what the kernels read coalesced), a second copy beside FastLlama's, made once
per model.
"""
from __future__ import annotations

import threading

import torch

from engine.chat.cuda_graph import GraphStep
from engine.chat.fast_llama import FastLlama
from engine.kernels import ops

_lock = threading.Lock()


class _LayerWeights:
    __slots__ = ("n1", "n2", "qkv", "qkv_b", "o", "o_b", "gu", "down")

    def __init__(self, L) -> None:
        t = lambda w: w.t().contiguous()  # noqa: E731  FastLlama keeps [in, out]
        self.n1, self.n2 = L.n1, L.n2
        self.qkv, self.qkv_b = t(L.qkv), L.qkv_b  # the attention scale is already folded in
        self.o, self.o_b = t(L.o), L.o_b
        self.gu, self.down = t(L.gu), t(L.down)


class KernelWeights:
    """The weights of a :class:`FastLlama` in the kernels' layout (built by :func:`weights_of`)."""

    def __init__(self, fast: FastLlama) -> None:
        with torch.inference_mode():
            self.layers = [_LayerWeights(L) for L in fast.layers]
            self.lm_head = fast.lm_head.t().contiguous()  # [vocab, hidden]


def supports(fast: FastLlama) -> bool:
    """Whether the kernels can run ``fast``'s model: float32 or bf16 weights, not int8
    (the int8 decoder has its own kernel), head size at most 1024."""
    return fast.quantize is None and fast.dtype in (torch.float32, torch.bfloat16) and fast.head_dim <= 1024


def weights_of(fast: FastLlama) -> KernelWeights:
    """Return the kernels' copy of ``fast``'s weights, made on first use and kept on it."""
    with _lock:
        kw = getattr(fast, "_kernel_weights", None)
        if kw is None:
            kw = fast._kernel_weights = KernelWeights(fast)
        return kw


class KernelStep(GraphStep):
    """A :class:`GraphStep` whose step is the CUDA kernels (see the module docstring)."""

    def __init__(self, fast: FastLlama, capacity: int, graph: bool = True) -> None:
        if not supports(fast):
            raise ValueError("the decode kernels need float32 or bf16 weights")
        self.kw = weights_of(fast)
        super().__init__(fast, capacity, graph)

    def _static_step(self):
        """The decode step with fixed shapes through :mod:`engine.kernels.ops`: reads
        :attr:`token` and :attr:`pos`; returns float32 logits."""
        f, kw = self.fast, self.kw
        heads, kvh, eps = f.heads, f.kv_heads, f.eps
        cos, sin = self._tables32()
        kc, vc = self.cache.k, self.cache.v
        h = ops.embed_row(f.embed, self.token)
        for i, L in enumerate(kw.layers):
            qkv = ops.fused_matvec(1, h, L.n1, eps, L.qkv, L.qkv_b)
            q = ops.rope_kv_append(qkv, cos, sin, self.pos, kc[i], vc[i], heads, kvh)
            att = ops.attention_decode(q, kc[i], vc[i], self.pos, heads, kvh, 1.0)
            ops.fused_matvec(0, att, None, 0.0, L.o, L.o_b, residual=h, out=h)
            gu = ops.fused_matvec(1, h, L.n2, eps, L.gu)
            ops.fused_matvec(2, gu, None, 0.0, L.down, residual=h, out=h)
        return ops.fused_matvec(1, h, f.norm, eps, kw.lm_head)

    def _tables32(self):
        """The rotary tables as float32 ``[capacity, D]`` (made once; the graph keeps them)."""
        if getattr(self, "_cos32", None) is None:
            self._cos32 = self.fast._cos[: self.capacity].float().contiguous()
            self._sin32 = self.fast._sin[: self.capacity].float().contiguous()
        return self._cos32, self._sin32
