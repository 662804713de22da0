"""Plain-torch references of the kernels in ``cuda/``: each computes exactly what its
kernel must (the GPU tests compare them), runs on any device, and is what the engine
uses where a kernel cannot run. The CPU tests check each against the formula it
replaces (``engine.ner.decode.viterbi``, ``engine.chat.sampling.pick_token``,
``torch.nn.functional.cross_entropy``, a float matrix product).
"""
from __future__ import annotations

import torch

IGNORE_INDEX = -100


# ---------------------------------------------------------------- bio_viterbi.cu

def bio_viterbi(emit: torch.Tensor, start: torch.Tensor, trans: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Return the best valid tag path of each sentence, ``[B, T]`` int32 (``-1`` past
    a sentence's length), from ``emit`` ``[B, T, K]`` log-probabilities, ``start``
    ``[K]`` and ``trans`` ``[K, K]`` additive scores (:func:`engine.ner.decode.transition_masks`)
    and ``lengths`` ``[B]``. Ties go to the lower tag, as in ``decode.viterbi``."""
    B, T, K = emit.shape
    emit = emit.float()
    trans = trans.to(emit)
    out = torch.full((B, T), -1, dtype=torch.int32, device=emit.device)
    if B == 0 or T == 0:
        return out
    lengths = lengths.to(device=emit.device, dtype=torch.long)
    score = emit[:, 0] + start.to(emit)
    back = torch.zeros((B, T, K), dtype=torch.long, device=emit.device)
    for t in range(1, T):
        cand = score[:, :, None] + trans[None]  # [B, prev, next]
        best, arg = cand.max(dim=1)  # max returns the first index of ties
        live = (t < lengths)[:, None]
        back[:, t] = arg
        score = torch.where(live, best + emit[:, t], score)
    last = score.argmax(dim=1)
    for b in range(B):
        n = int(lengths[b])
        if n <= 0:
            continue
        tag = int(last[b])
        out[b, n - 1] = tag
        for t in range(n - 1, 0, -1):
            tag = int(back[b, t, tag])
            out[b, t - 1] = tag
    return out


# ---------------------------------------------------------------- sampling.cu

def _order_keys(x: torch.Tensor) -> torch.Tensor:
    """The kernel's order-keeping unsigned 32-bit keys of float32 values, as int64."""
    u = x.float().contiguous().view(torch.int32).to(torch.int64) & 0xFFFFFFFF
    return torch.where(u >= 0x80000000, 0xFFFFFFFF - u, u | 0x80000000)


def kept_distribution(logits: torch.Tensor, seen: torch.Tensor | None, temperature: float, top_k: int,
                      top_p: float, penalty: float) -> torch.Tensor:
    """Return the probabilities ``[B, V]`` (float64) that ``sample_token.cu`` draws from:
    the CTRL repetition penalty on ``seen`` ids (``[B, S]``, ``-1`` = none), the
    temperature, every token tied with or above the k-th largest, then the tokens whose
    higher-ranked mass is below ``top_p``; zero elsewhere. ``temperature <= 0``: all
    mass on the first most likely token."""
    x = logits.float().clone()
    B, V = x.shape
    if seen is not None and penalty != 1.0 and seen.numel():
        for b in range(B):
            ids = seen[b][(seen[b] >= 0) & (seen[b] < V)].long().unique()
            v = logits[b, ids].float()
            x[b, ids] = torch.where(v > 0, v / penalty, v * penalty)
    out = torch.zeros((B, V), dtype=torch.float64, device=x.device)
    if temperature <= 0:
        out[torch.arange(B), x.argmax(dim=1)] = 1.0
        return out
    x = x / temperature
    keys = _order_keys(x)
    p = torch.softmax(x.double(), dim=1)
    for b in range(B):
        keep = torch.ones(V, dtype=torch.bool, device=x.device)
        if 0 < top_k < V:
            kth = torch.topk(keys[b], top_k).values[-1]
            keep &= keys[b] >= kth
        if top_p < 1.0:
            q = torch.where(keep, p[b], 0.0)
            q = q / q.sum()
            order = torch.argsort(keys[b], descending=True, stable=True)
            sk = keys[b][order]
            cum = torch.cumsum(q[order], 0)
            # mass strictly above each token = cumulative mass of all tokens with a larger key
            group_end = torch.searchsorted(-sk, -sk, right=False)  # first position of each key's group
            above = torch.where(group_end > 0, cum[(group_end - 1).clamp_min(0)], torch.zeros_like(cum))
            keep_sorted = above < top_p
            keep &= torch.zeros_like(keep).scatter(0, order, keep_sorted)
        kept = torch.where(keep, p[b], 0.0)
        out[b] = kept / kept.sum()
    return out


def sample_token(logits: torch.Tensor, seen: torch.Tensor | None, u: torch.Tensor, temperature: float,
                 top_k: int, top_p: float, penalty: float) -> torch.Tensor:
    """Return one token id per row (``[B]`` int32): the first token, in index order,
    where the cumulative kept probability (:func:`kept_distribution`) passes ``u[b]``
    (uniform in ``[0, 1)``); the last kept token when rounding leaves ``u`` past all."""
    probs = kept_distribution(logits, seen, temperature, top_k, top_p, penalty)
    cum = torch.cumsum(probs, dim=1)
    idx = torch.searchsorted(cum, (u.double() * cum[:, -1]).unsqueeze(1), right=True).squeeze(1)
    last_kept = probs.shape[1] - 1 - torch.argmax((probs.flip(1) > 0).int(), dim=1)
    return torch.minimum(idx, last_kept).to(torch.int32)


# ---------------------------------------------------------------- int8_matvec.cu

def quantize_int8(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``(q, scale)``: ``weight`` ``[N, K]`` as int8 with one float32 scale per
    row (symmetric: ``scale = max|row| / 127``, ``q = round(weight / scale)``); an
    all-zero row gets scale 1."""
    w = weight.float()
    scale = w.abs().amax(dim=1) / 127.0
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))
    q = torch.clamp(torch.round(w / scale[:, None]), -127, 127).to(torch.int8)
    return q, scale


def int8_matvec(q: torch.Tensor, scale: torch.Tensor, x: torch.Tensor,
                residual: torch.Tensor | None = None) -> torch.Tensor:
    """Return ``scale * (q @ x) (+ residual)`` for int8 ``q`` ``[N, K]``, ``x`` ``[K]``,
    in ``x``'s dtype (accumulated in float32)."""
    y = (q.float() @ x.float()) * scale.float()
    if residual is not None:
        y = y + residual.float()
    return y.to(x.dtype)


# ---------------------------------------------------------------- cross_entropy_rows.cu

def cross_entropy_rows(logits: torch.Tensor, targets: torch.Tensor, grad_scale: float,
                       ignore_index: int = IGNORE_INDEX, *, inplace: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``(loss [R], grad [R, V])`` for ``logits`` ``[R, V]``: each row's
    cross-entropy and ``(softmax - one_hot) * grad_scale``; rows whose target is
    ``ignore_index`` get 0 and zeros. Computed in float32 (float64 stays float64, for
    gradcheck). ``inplace``: write the gradient over ``logits`` when it is already in
    that dtype (as the kernel does), so a chunk needs no second ``[R, V]`` buffer."""
    dtype = torch.promote_types(logits.dtype, torch.float32)
    x = logits if inplace and logits.dtype == dtype else logits.to(dtype, copy=True)
    valid = targets != ignore_index
    safe = torch.where(valid, targets, torch.zeros_like(targets)).long()
    rows = torch.arange(x.shape[0], device=x.device)
    lse = torch.logsumexp(x, dim=1)
    loss = (lse - x[rows, safe]).masked_fill(~valid, 0.0)
    x.sub_(lse[:, None]).exp_()  # softmax, in place
    x[rows, safe] -= 1.0
    x.mul_((valid.to(dtype) * grad_scale)[:, None])
    return loss, x


# ---------------------------------------------------------------- llama_decode.cu

def fused_matvec(mode: int, x: torch.Tensor, g: torch.Tensor | None, eps: float, w: torch.Tensor,
                 bias: torch.Tensor | None = None, residual: torch.Tensor | None = None) -> torch.Tensor:
    """Return ``w @ x' (+ bias) (+ residual)`` in float32 for ``w`` ``[N, K]`` (nn.Linear's
    layout), where ``x'`` is, by ``mode``: 0 ``x``; 1 ``rmsnorm(x) * g`` (``x *
    rsqrt(mean(x**2) + eps) * g``, transformers' LlamaRMSNorm in float32); 2
    ``silu(x[:K]) * x[K:]`` (``x`` holds the gate then the up projection).

    Raises:
        ValueError: an unknown ``mode``.
    """
    x = x.float()
    K = w.shape[1]
    if mode == 1:
        x = x * torch.rsqrt(x.pow(2).mean() + eps) * g.float()
    elif mode == 2:
        x = torch.nn.functional.silu(x[:K]) * x[K:2 * K]
    elif mode != 0:
        raise ValueError(f"unknown mode {mode}")
    y = w.float() @ x
    if bias is not None:
        y = y + bias.float()
    if residual is not None:
        y = y + residual.float()
    return y


def rope_kv_append(qkv: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, pos: torch.Tensor,
                   kc: torch.Tensor, vc: torch.Tensor, heads: int, kv_heads: int) -> torch.Tensor:
    """Rotate the query and key heads of ``qkv`` (``[(heads + 2 kv_heads) * D]`` float32:
    q heads, k heads, v heads) at position ``pos`` (a one-element int64 tensor) with the
    ``[positions, D]`` tables (``x * cos + rotate_half(x) * sin``); write the key and the
    value into the layer's caches ``kc``/``vc`` ``[kv_heads, cap, D]`` at ``pos`` (in
    place); return the rotated query ``[heads * D]`` float32."""
    D = kc.shape[-1]
    x = qkv.float().view(heads + 2 * kv_heads, D)
    c, s = cos.index_select(0, pos).float(), sin.index_select(0, pos).float()  # [1, D]
    qk = x[:heads + kv_heads]
    rot = torch.cat((-qk[:, D // 2:], qk[:, :D // 2]), -1)
    qk = qk * c + rot * s
    kc.index_copy_(1, pos, qk[heads:].unsqueeze(1).to(kc.dtype))
    vc.index_copy_(1, pos, x[heads + kv_heads:].unsqueeze(1).to(vc.dtype))
    return qk[:heads].reshape(-1)


def attention_decode(q: torch.Tensor, kc: torch.Tensor, vc: torch.Tensor, pos: torch.Tensor, heads: int,
                     kv_heads: int, scale: float) -> torch.Tensor:
    """Return ``softmax(scale * q_h . K[:pos+1]) . V[:pos+1]`` for each query head ``h`` of
    ``q`` ``[heads * D]`` against key/value head ``h // (heads // kv_heads)`` of the layer's
    caches ``[kv_heads, cap, D]``, as ``[heads * D]`` float32. Positions after ``pos``
    are masked (a CUDA graph replays the whole capacity)."""
    D = kc.shape[-1]
    g = heads // kv_heads
    qh = q.float().view(kv_heads, g, D) * scale
    scores = torch.bmm(qh, kc.float().transpose(1, 2))  # [kv, g, cap]
    later = torch.arange(kc.shape[1], device=kc.device) > pos
    att = torch.softmax(scores.masked_fill(later, float("-inf")), -1)
    return torch.bmm(att, vc.float()).reshape(-1)


def embed_row(embed: torch.Tensor, token: torch.Tensor) -> torch.Tensor:
    """Return row ``token`` (a one-element int64 tensor) of ``embed`` as float32 ``[H]``."""
    return embed.index_select(0, token)[0].float()
