"""What the engine calls: each op runs its CUDA kernel on a GPU where
:func:`engine.kernels.gpu.gpu_reason` allows, else its torch reference
(:mod:`engine.kernels.reference`); the first fallback on a CUDA tensor logs one
line saying why. CPU tensors always take the reference (that is not a fallback).
"""
from __future__ import annotations

import logging
import math
import os

import torch

from engine.kernels import reference as R
from engine.messages import Message, msg
from engine.kernels.gpu import gpu_reason, launch
from engine.kernels.sources import KERNELS

log = logging.getLogger("tessera.kernels")
_said: set[str] = set()


#: set to 1 to run kernels whose GPU test has not passed on real hardware yet
TRY_ENV = "TESSERA_KERNELS"


def use_kernel(t: "torch.Tensor | torch.device", name: str) -> bool:
    """Return whether kernel ``name`` should run for tensor (or device) ``t``: on CUDA, kernels usable
    (:func:`engine.kernels.gpu.gpu_reason`), and the kernel verified on a GPU
    (``KernelSpec.verified_on``) or asked for with ``TESSERA_KERNELS=1``. Logs once per
    kernel why not when ``t`` is on CUDA."""
    if getattr(t, "device", t).type != "cuda":
        return False
    why = gpu_reason()
    if why is None and not KERNELS[name].verified_on and os.environ.get(TRY_ENV, "").strip() != "1":
        why = "its GPU test has not passed on real hardware yet (TESSERA_KERNELS=1 runs it anyway)"
    if why is None:
        return True
    if name not in _said:
        _said.add(name)
        log.info("CUDA kernel %s not used: %s; the torch reference runs instead.", name, why)
    return False


def status_line() -> "Message":
    """Return one line for the CLI, chat pane and training panel: whether the kernels
    are active here and, if not, why."""
    why = gpu_reason()
    if why is None:
        from engine.kernels.compiler import nvrtc_version
        from engine.kernels.gpu import current_arch

        major, minor = nvrtc_version()
        return msg("CUDA kernels active ({arch}, NVRTC {version})", arch=current_arch(), version=f"{major}.{minor}")
    return msg("CUDA kernels off: {reason}", reason=why)


def device_note(device) -> str | None:
    """The line a run on ``device`` logs about the kernels: :func:`status_line` on a CUDA
    device, None elsewhere (kernels are a GPU matter)."""
    return status_line() if getattr(device, "type", str(device)) == "cuda" else None


def bio_viterbi(emit: torch.Tensor, start: torch.Tensor, trans: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Return the best valid BIO paths ``[B, T]`` int32 (see :func:`reference.bio_viterbi`)."""
    B, T, K = emit.shape
    if not use_kernel(emit, "bio_viterbi") or K > 1024 or B == 0 or T == 0:
        return R.bio_viterbi(emit, start, trans, lengths)
    dev = emit.device
    emit = emit.float().contiguous()
    out = torch.empty((B, T), dtype=torch.int32, device=dev)
    back = torch.empty((B, T, K), dtype=torch.int32, device=dev)
    launch("bio_viterbi", "bio_viterbi", B, max(32, 32 * math.ceil(K / 32)), 2 * K * 4,
           emit, start.to(dev, torch.float32).contiguous(), trans.to(dev, torch.float32).contiguous(),
           lengths.to(dev, torch.int32).contiguous(), T, K, back, out)
    return out


def sample_token(logits: torch.Tensor, seen: torch.Tensor | None, u: torch.Tensor, *, temperature: float,
                 top_k: int, top_p: float, penalty: float) -> torch.Tensor:
    """Return one token id per row of ``logits`` ``[B, V]`` (see :func:`reference.sample_token`)."""
    if not use_kernel(logits, "sampling"):
        return R.sample_token(logits, seen, u, temperature, top_k, top_p, penalty)
    B, V = logits.shape
    dev = logits.device
    seen = (seen if seen is not None and seen.numel() else torch.full((B, 1), -1)).to(dev, torch.int32).contiguous()
    out = torch.empty(B, dtype=torch.int32, device=dev)
    work = torch.empty((B, V), dtype=torch.float32, device=dev)
    launch("sampling", "sample_token", B, 1024, 0, logits.float().contiguous(), seen, seen.shape[1],
           u.to(dev, torch.float32).contiguous(), work, V, float(temperature), int(top_k), float(top_p),
           float(penalty), out)
    return out


def int8_matvec(q: torch.Tensor, scale: torch.Tensor, x: torch.Tensor,
                residual: torch.Tensor | None = None) -> torch.Tensor:
    """Return ``scale * (q @ x) (+ residual)`` for one vector ``x`` (see :func:`reference.int8_matvec`)."""
    N, K = q.shape
    if not use_kernel(x, "int8_matvec") or K % 4 or x.dtype not in (torch.float32, torch.bfloat16):
        return R.int8_matvec(q, scale, x, residual)
    y = torch.empty(N, dtype=x.dtype, device=x.device)
    res = residual.to(x.dtype).contiguous() if residual is not None else None
    if x.dtype == torch.float32:
        launch("int8_matvec", "int8_matvec_f32", math.ceil(N / 8), 256, 0, q, scale, x.contiguous(), res, y, N, K)
    else:
        launch("int8_matvec", "int8_matvec_bf16", math.ceil(N / 8), 256, 4 * K, q, scale, x.contiguous(), res, y,
               N, K)
    return y


def _rows_step(logits: torch.Tensor, targets: torch.Tensor, grad_scale: float,
               ignore_index: int) -> tuple[torch.Tensor, torch.Tensor]:
    """One chunk's losses and logit gradients (the kernel overwrites ``logits``)."""
    if not use_kernel(logits, "cross_entropy_rows"):
        return R.cross_entropy_rows(logits, targets, grad_scale, ignore_index, inplace=True)
    import numpy as np

    x = logits.float().contiguous()
    loss = torch.empty(x.shape[0], dtype=torch.float32, device=x.device)
    launch("cross_entropy_rows", "cross_entropy_rows", x.shape[0], 256, 0, x, targets.long().contiguous(), loss,
           x.shape[1], np.int64(ignore_index), float(grad_scale))
    return loss, x


class _LinearCrossEntropy(torch.autograd.Function):
    """Cross-entropy of ``hidden @ weight.T`` computed chunk by chunk; the gradients are
    made during the forward pass (so no chunk's logits outlive it) and scaled by the
    incoming gradient in the backward pass."""

    @staticmethod
    def forward(ctx, hidden, weight, targets, ignore_index: int, chunk: int, mean: bool):
        n_valid = int((targets != ignore_index).sum())
        scale = 1.0 / max(1, n_valid) if mean else 1.0
        grad_h = torch.zeros_like(hidden) if ctx.needs_input_grad[0] else None
        grad_w = torch.zeros(weight.shape, dtype=torch.promote_types(weight.dtype, torch.float32),
                             device=weight.device) \
            if ctx.needs_input_grad[1] else None
        total = torch.zeros((), dtype=torch.promote_types(hidden.dtype, torch.float32), device=hidden.device)
        for s in range(0, hidden.shape[0], chunk):
            h = hidden[s:s + chunk]
            logits = h @ weight.t()  # [c, V], autocast's dtype; made float32 by the row step
            loss, g = _rows_step(logits, targets[s:s + chunk], scale, ignore_index)
            total += loss.sum()
            g = g.to(weight.dtype)
            if grad_h is not None:
                grad_h[s:s + chunk] = (g @ weight).to(hidden.dtype)
            if grad_w is not None:
                grad_w += (g.t() @ h.to(weight.dtype)).to(grad_w.dtype)
            del logits, g
        ctx.weight_dtype = weight.dtype
        ctx.save_for_backward(grad_h if grad_h is not None else torch.empty(0),
                              grad_w if grad_w is not None else torch.empty(0))
        return total * scale

    @staticmethod
    def backward(ctx, grad_out):
        grad_h, grad_w = ctx.saved_tensors
        gh = grad_h * grad_out.to(grad_h.dtype) if ctx.needs_input_grad[0] else None
        gw = (grad_w * grad_out).to(ctx.weight_dtype) if ctx.needs_input_grad[1] else None
        return gh, gw, None, None, None, None


#: logits held at once by :func:`linear_cross_entropy` when no chunk is given (32 MB in float32)
CHUNK_ELEMENTS = 1 << 23


def linear_cross_entropy(hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor, *,
                         reduction: str = "mean", ignore_index: int = R.IGNORE_INDEX,
                         chunk: int | None = None) -> torch.Tensor:
    """Return the cross-entropy of the logits ``hidden @ weight.T`` (``hidden`` ``[N, H]``,
    ``weight`` ``[V, H]``, ``targets`` ``[N]``) without ever holding more than ``chunk``
    rows of logits (default: :data:`CHUNK_ELEMENTS` logits, 170 rows at SmolLM2's
    49,152 words): ``reduction="mean"`` over targets that are not ``ignore_index``, or
    ``"sum"``. Equal to ``F.cross_entropy(hidden @ weight.T, targets, ...)`` with its
    gradients (tested); on CUDA each chunk's row step is ``cross_entropy_rows.cu``.

    Raises:
        ValueError: an unknown ``reduction``.
    """
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', not {reduction!r}")
    chunk = chunk or max(16, CHUNK_ELEMENTS // max(1, weight.shape[0]))
    return _LinearCrossEntropy.apply(hidden, weight, targets, ignore_index, chunk, reduction == "mean")


# ---------------------------------------------------------------- the llama decode step

#: dynamic shared memory a decode kernel may ask for: 48 KiB without opting in, less the
#: kernels' own static arrays (a 32-float reduction buffer) and a margin
SHARED_BYTES = 48 * 1024 - 512

def _decode_entry(kind: str, t: torch.Tensor) -> str | None:
    """The llama_decode entry for weights/caches of ``t``'s dtype, or None (no kernel)."""
    suffix = {torch.float32: "f32", torch.bfloat16: "bf16"}.get(t.dtype)
    return None if suffix is None else f"{kind}_{suffix}"


def fused_matvec(mode: int, x: torch.Tensor, g: torch.Tensor | None, eps: float, w: torch.Tensor,
                 bias: torch.Tensor | None = None, residual: torch.Tensor | None = None,
                 out: torch.Tensor | None = None) -> torch.Tensor:
    """Return ``w @ x' (+ bias) (+ residual)`` float32 (see :func:`reference.fused_matvec`),
    written into ``out`` when given (``out`` may be ``residual``: an in-place residual add)."""
    N, K = w.shape
    entry = _decode_entry("fused_matvec", w)
    if entry is None or 4 * K > SHARED_BYTES or not use_kernel(w, "llama_decode"):
        y = R.fused_matvec(mode, x, g, eps, w, bias, residual)
        return y if out is None else out.copy_(y)
    y = out if out is not None else torch.empty(N, dtype=torch.float32, device=w.device)
    # the kernel reads float32 activations and g/bias in the weights' dtype
    x = x.to(torch.float32).contiguous()
    g = g.to(w.dtype).contiguous() if g is not None else None
    bias = bias.to(w.dtype).contiguous() if bias is not None else None
    residual = residual.to(torch.float32).contiguous() if residual is not None else None
    launch("llama_decode", entry, min(math.ceil(N / 8), 65535), 256, 4 * K, int(mode), x, g, float(eps),
           w.contiguous(), bias, residual, y, N, K)
    return y


def rope_kv_append(qkv: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, pos: torch.Tensor,
                   kc: torch.Tensor, vc: torch.Tensor, heads: int, kv_heads: int,
                   out: torch.Tensor | None = None) -> torch.Tensor:
    """Rotary on q and k at ``pos``, k and v into the layer's caches; return the query
    ``[heads * D]`` float32 (see :func:`reference.rope_kv_append`)."""
    D = kc.shape[-1]
    entry = _decode_entry("rope_kv_append", kc)
    if entry is None or D > 1024 or not use_kernel(kc, "llama_decode"):
        q = R.rope_kv_append(qkv, cos, sin, pos, kc, vc, heads, kv_heads)
        return q if out is None else out.copy_(q)
    q = out if out is not None else torch.empty(heads * D, dtype=torch.float32, device=kc.device)
    launch("llama_decode", entry, heads + 2 * kv_heads, D, 0, qkv.to(torch.float32).contiguous(),
           cos.to(torch.float32).contiguous(), sin.to(torch.float32).contiguous(), pos.to(torch.int64), kc,
           vc, q, heads, kv_heads, D, kc.shape[1])  # written in place: kc and vc as they are
    return q


def attention_decode(q: torch.Tensor, kc: torch.Tensor, vc: torch.Tensor, pos: torch.Tensor, heads: int,
                     kv_heads: int, scale: float, out: torch.Tensor | None = None) -> torch.Tensor:
    """Single-query attention of each head over the cache up to ``pos`` (see
    :func:`reference.attention_decode`); ``[heads * D]`` float32."""
    D, cap = kc.shape[-1], kc.shape[1]
    shmem = 4 * (D + cap + 256)
    entry = _decode_entry("attention_decode", kc)
    if entry is None or shmem > SHARED_BYTES or not use_kernel(kc, "llama_decode"):
        o = R.attention_decode(q, kc, vc, pos, heads, kv_heads, scale)
        return o if out is None else out.copy_(o)
    o = out if out is not None else torch.empty(heads * D, dtype=torch.float32, device=kc.device)
    launch("llama_decode", entry, heads, 256, shmem, q.to(torch.float32).contiguous(), kc, vc.to(kc.dtype),
           pos.to(torch.int64), o, heads, kv_heads, D, cap, float(scale))
    return o


def embed_row(embed: torch.Tensor, token: torch.Tensor, out: torch.Tensor | None = None) -> torch.Tensor:
    """Row ``token`` of ``embed`` as float32 (see :func:`reference.embed_row`)."""
    H = embed.shape[1]
    entry = _decode_entry("embed_row", embed)
    if entry is None or not use_kernel(embed, "llama_decode"):
        x = R.embed_row(embed, token)
        return x if out is None else out.copy_(x)
    x = out if out is not None else torch.empty(H, dtype=torch.float32, device=embed.device)
    launch("llama_decode", entry, math.ceil(H / 256), 256, 0, embed.contiguous(), token.to(torch.int64), x, H)
    return x
