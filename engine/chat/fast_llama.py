"""A lean decoder for llama-family chat models (Llama, SmolLM2, Qwen2, Mistral) in plain torch.

Why: on a CPU, one new token of a 135M-parameter model is a few dozen matrix-vector
products over all the weights, and ``transformers``' forward adds a lot around them
(module calls, masks, cache objects, rotary tables recomputed every step, about 25
small tensor operations per layer). This module runs the same arithmetic with fewer
and faster operations:

* weights are copied once per model (built on first use and cached on the ChatModel,
  see :func:`fast_decoder`; rebuilt when the model's parameters change): q/k/v and
  gate/up are fused (one matmul each instead of three and two), and every matrix,
  the lm_head included, is stored transposed, ``[in, out]``: ``x @ w`` in that layout
  is a faster matrix-vector product than ``F.linear`` on ``[out, in]`` (about 1.3x for
  the lm_head, MKL on an AVX2 CPU). The copy costs as much memory as the model, so
  models over :data:`MAX_WEIGHT_BYTES` keep the transformers forward;
* the attention scale is folded into the query weights;
* the rotary cos/sin tables come from the model's own rotary module (so scaled
  variants such as llama3 match), computed once; the sign of ``rotate_half`` lives in
  a signed sine table, so the rotation of all heads is two operations per layer;
* the key/value cache is allocated once per generation for the prompt plus
  ``max_new_tokens`` and written in place (no growing, no copying);
* grouped-query attention needs no repeated cache: the query heads that share a
  key/value head are the rows of one ``bmm`` against it;
* residual additions ride in ``addmm``; normalisation is :func:`torch.nn.functional.rms_norm`
  (float32) or the exact transformers formula (other dtypes);
* the one-token step runs on one thread (for the calling thread only, see
  :meth:`FastLlama.step`); the prompt keeps all threads.

The prompt runs in one batched call (:meth:`FastLlama.prefill`), then one token at a
time (:meth:`FastLlama.step`). The logits match transformers' to float32 rounding and
greedy ids equal ``model.generate(do_sample=False)`` (tested on fixed prompts).
Models it does not reproduce exactly (other architectures, sliding-window attention
beyond the window, dynamic rotary scaling, query/key norms, MLP biases, unmerged
adapters) make :func:`fast_decoder` return ``None``; the caller then uses the
transformers forward.
"""
from __future__ import annotations

import threading

import torch
import torch.nn.functional as F
from torch import nn

from engine.chat.int8 import Int8Weight, addmm, mm

#: ``config.model_type`` values whose decoder layers this module reproduces.
SUPPORTED_TYPES = frozenset({"llama", "qwen2", "mistral"})
#: Largest model (bytes of weights) given the fast path: it keeps its own copy of the weights.
MAX_WEIGHT_BYTES = 2 * 1024**3
#: Rotary types with frequencies fixed at load time (no dependence on the length seen).
STATIC_ROPE = frozenset({"default", "linear", "llama3", "yarn"})

_lock = threading.Lock()
_omp_set = None  # omp_set_num_threads of torch's OpenMP runtime; False when not found


def _openmp_setter():
    """Return ``omp_set_num_threads`` of the OpenMP runtime torch already loaded, or ``None``.

    Only on Linux (the library is found in ``/proc/self/maps``, so no second runtime is
    ever loaded), and only after checking that it changes ``torch.get_num_threads()``
    for the calling thread. Unlike ``torch.set_num_threads``, it changes nothing for
    other threads, nor the default of threads started later.
    """
    global _omp_set
    if _omp_set is None:
        _omp_set = False
        try:
            with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
                paths = {line.split()[-1] for line in fh if "omp" in line.rsplit("/", 1)[-1]}
        except OSError:
            paths = set()
        before = torch.get_num_threads()
        for path in sorted(paths):
            try:
                import ctypes

                fn = ctypes.CDLL(path).omp_set_num_threads
            except (OSError, AttributeError):
                continue
            fn.argtypes, fn.restype = [ctypes.c_int], None
            fn(1)
            works = torch.get_num_threads() == 1
            fn(before)
            if works and before > 1 and torch.get_num_threads() == before:
                _omp_set = fn
                break
    return _omp_set or None


def unsupported_reason(model) -> str | None:
    """Return why ``model`` cannot use the fast path, or ``None`` when it can."""
    cfg = getattr(model, "config", None)
    if cfg is None or getattr(cfg, "model_type", None) not in SUPPORTED_TYPES:
        return f"model type {getattr(cfg, 'model_type', None)!r}"
    inner = getattr(model, "model", None)
    layers = getattr(inner, "layers", None)
    if layers is None or not hasattr(inner, "embed_tokens") or not hasattr(inner, "rotary_emb"):
        return "unexpected module layout"
    if type(getattr(model, "lm_head", None)) is not nn.Linear or model.lm_head.bias is not None:
        return "unexpected lm_head"
    size = sum(p.numel() * p.element_size() for p in model.parameters())
    if size > MAX_WEIGHT_BYTES:
        limit = MAX_WEIGHT_BYTES / 1024**3
        return f"{size / 1024**3:.1f} GiB of weights (the fast path keeps a copy; limit {limit:.0f} GiB)"
    if getattr(cfg, "hidden_act", "silu") != "silu":
        return f"activation {cfg.hidden_act!r}"
    rope = (getattr(cfg, "rope_parameters", None) or getattr(cfg, "rope_scaling", None) or {})
    if (rope.get("rope_type") or rope.get("type") or "default") not in STATIC_ROPE:
        return f"rotary scaling {rope.get('rope_type')!r}"
    for layer in layers:
        a, mlp = getattr(layer, "self_attn", None), getattr(layer, "mlp", None)
        names = [(a, "q_proj"), (a, "k_proj"), (a, "v_proj"), (a, "o_proj"),
                 (mlp, "gate_proj"), (mlp, "up_proj"), (mlp, "down_proj")]
        if any(type(getattr(m, n, None)) is not nn.Linear for m, n in names):
            return "attention or MLP is not plain nn.Linear (unmerged adapter?)"
        if any(getattr(mlp, n).bias is not None for n in ("gate_proj", "up_proj", "down_proj")):
            return "MLP with biases"
        if hasattr(a, "q_norm") or hasattr(a, "k_norm"):
            return "query/key norms"
        if not hasattr(layer, "input_layernorm") or not hasattr(layer, "post_attention_layernorm"):
            return "unexpected layer norms"
    return None


def _weights_key(model) -> tuple:
    """A cheap fingerprint of the parameters: it changes when any is replaced or updated in place."""
    return tuple((p.data_ptr(), p._version, p.device.type, p.dtype) for p in model.parameters())


def fast_decoder(chat) -> "FastLlama | None":
    """Return the :class:`FastLlama` of ``chat`` (a ChatModel), built on first use, or ``None``.

    ``None`` means the model is not one this module reproduces exactly (see
    :func:`unsupported_reason`). The decoder is cached on ``chat`` and rebuilt when the
    model's parameters changed (in-place updates included).
    """
    model = chat.model
    with _lock:
        cached = getattr(chat, "_fast_llama", None)
        key = (_weights_key(model), getattr(chat, "quantize", None))
        if cached is not None and cached[0] == key and cached[1] is not None:
            return cached[1]
        if cached is not None and cached[0] == key:
            return None
        chat._fast_llama = None  # let a stale copy go before building the new one
        fast = None if unsupported_reason(model) else FastLlama(model, getattr(chat, "quantize", None))
        chat._fast_llama = (key, fast)
        return fast


def _rms(x, w, eps: float):
    """RMSNorm exactly as transformers computes it (float32 statistics)."""
    if x.dtype == torch.float32:
        return F.rms_norm(x, (x.shape[-1],), w, eps)
    h = x.float()
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return w * h.to(x.dtype)


def _fused(*mods) -> torch.Tensor:
    """Return the weights of the linear layers ``mods`` side by side, ``[in, sum(out)]``, contiguous.

    ``x @ w`` in this layout is a faster matrix-vector product than ``F.linear`` on the
    ``[out, in]`` original (by about a third for the lm_head with MKL on AVX2 CPUs).
    """
    return torch.cat([m.weight.detach() for m in mods]).t().contiguous()


def _cat_bias(*mods):
    """Concatenated biases of ``mods`` (zeros for a missing one), or ``None`` when none has a bias."""
    if all(m.bias is None for m in mods):
        return None
    return torch.cat([m.bias if m.bias is not None else m.weight.new_zeros(m.weight.shape[0]) for m in mods])


class _Layer:
    __slots__ = ("n1", "n2", "qkv", "qkv_b", "o", "o_b", "gu", "down")

    def __init__(self, layer, q_size: int, scale: float, int8: bool = False) -> None:
        a, mlp = layer.self_attn, layer.mlp
        self.n1 = layer.input_layernorm.weight.detach()
        self.n2 = layer.post_attention_layernorm.weight.detach()
        # the attention scale is folded into the query weights (exact when it is a power of two)
        self.qkv = _fused(a.q_proj, a.k_proj, a.v_proj)
        self.qkv[:, :q_size] *= scale
        self.qkv_b = _cat_bias(a.q_proj, a.k_proj, a.v_proj)
        if self.qkv_b is not None:
            self.qkv_b[:q_size] *= scale
        self.o = _fused(a.o_proj)
        self.o_b = None if a.o_proj.bias is None else a.o_proj.bias.detach()
        self.gu = _fused(mlp.gate_proj, mlp.up_proj)
        self.down = _fused(mlp.down_proj)
        if int8:  # after the scale was folded in
            self.qkv, self.o, self.gu, self.down = (Int8Weight(w) for w in (self.qkv, self.o, self.gu, self.down))


class KVCache:
    """Keys and values of one generation: ``[layers, kv heads, capacity, head dim]`` each,
    filled up to :attr:`length`."""

    def __init__(self, fast: "FastLlama", capacity: int) -> None:
        shape = (len(fast.layers), fast.kv_heads, capacity, fast.head_dim)
        self.k = torch.empty(shape, dtype=fast.dtype, device=fast.device)
        self.v = torch.empty(shape, dtype=fast.dtype, device=fast.device)
        self.capacity = capacity
        self.length = 0


class FastLlama:
    """The decoder of one llama-family model; see the module docstring. Built by :func:`fast_decoder`."""

    def __init__(self, model, quantize: str | None = None) -> None:
        """``quantize="int8"``: every matrix (the lm_head too) as int8 weights with per-row
        scales (:mod:`engine.chat.int8`); ``None``: the model's own dtype."""
        if quantize not in (None, "int8"):
            raise ValueError(f"unknown quantization {quantize!r} (int8 or None)")
        self.quantize = quantize
        int8 = quantize == "int8"
        cfg = model.config
        inner = model.model
        self.heads = cfg.num_attention_heads
        self.kv_heads = getattr(cfg, "num_key_value_heads", None) or self.heads
        self.head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // self.heads
        self.groups = self.heads // self.kv_heads
        self.eps = float(cfg.rms_norm_eps)
        self.sliding_window = getattr(cfg, "sliding_window", None) if getattr(cfg, "use_sliding_window", True) else None
        self.rotary = inner.rotary_emb
        with torch.no_grad():
            self.embed = inner.embed_tokens.weight.detach()  # rows are looked up: the model's own table
            self.lm_head = _fused(model.lm_head)  # [hidden, vocab]
            self.dtype = self.lm_head.dtype
            self.device = self.lm_head.device
            if int8:
                self.lm_head = Int8Weight(self.lm_head)
            self.norm = inner.norm.weight.detach()
            scale = getattr(inner.layers[0].self_attn, "scaling", self.head_dim ** -0.5)
            self.layers = [_Layer(layer, self.heads * self.head_dim, scale, int8) for layer in inner.layers]
        half = self.head_dim // 2
        # rotate_half(x) == x[:, swap] * sign: the sign goes into the signed sine table
        self._swap = torch.cat([torch.arange(half, 2 * half), torch.arange(half)]).to(self.device)
        self._cos = self._sin = self._sin_signed = None

    def fits(self, total: int) -> bool:
        """Whether a generation of ``total`` positions is computed exactly (sliding-window models)."""
        return not self.sliding_window or total <= self.sliding_window

    def new_cache(self, capacity: int) -> KVCache:
        """Return an empty cache for ``capacity`` positions (prompt plus new tokens)."""
        self._tables(capacity)
        return KVCache(self, capacity)

    def _tables(self, n: int) -> None:
        """Make sure the rotary cos/sin tables cover ``n`` positions."""
        if self._cos is not None and self._cos.shape[0] >= n:
            return
        size = max(n, 512 if self._cos is None else 2 * self._cos.shape[0])
        pos = torch.arange(size, device=self.device)[None]
        cos, sin = self.rotary(torch.zeros(1, dtype=self.dtype, device=self.device), pos)
        half = self.head_dim // 2
        signed = torch.cat([-sin[0, :, :half], sin[0, :, half:]], -1)
        self._cos, self._sin, self._sin_signed = cos[0], sin[0], signed

    @torch.inference_mode()
    def prefill(self, ids: list[int], cache: KVCache):
        """Run the prompt ``ids`` in one batched call, filling ``cache``; return the logits
        after its last position (1-D, float32)."""
        t = len(ids)
        start = cache.length
        if start + t > cache.capacity:
            raise ValueError("prompt longer than the cache")
        heads, kvh, d, g = self.heads, self.kv_heads, self.head_dim, self.groups
        half = d // 2
        cos = self._cos[start:start + t]
        sin = self._sin[start:start + t]
        h = self.embed[torch.tensor(ids, device=self.device)]
        end = start + t
        for i, L in enumerate(self.layers):
            x = _rms(h, L.n1, self.eps)
            qkv = mm(x, L.qkv) if L.qkv_b is None else addmm(L.qkv_b, x, L.qkv)
            qk = qkv[:, : (heads + kvh) * d].view(t, heads + kvh, d).transpose(0, 1)  # [heads+kv, t, d]
            qk = qk * cos + torch.cat((-qk[..., half:], qk[..., :half]), -1) * sin
            v = qkv[:, (heads + kvh) * d:].view(t, kvh, d).transpose(0, 1)
            cache.k[i, :, start:end] = qk[heads:]
            cache.v[i, :, start:end] = v
            k, vv = cache.k[i, :, :end], cache.v[i, :, :end]
            if g > 1:
                k, vv = k.repeat_interleave(g, 0), vv.repeat_interleave(g, 0)
            if start == 0:
                o = F.scaled_dot_product_attention(qk[None, :heads], k[None], vv[None], is_causal=True, scale=1.0)
            else:  # continuing a filled cache: query j sees positions <= start + j
                mask = torch.ones(t, end, dtype=torch.bool, device=self.device).tril(start)
                o = F.scaled_dot_product_attention(qk[None, :heads], k[None], vv[None], attn_mask=mask, scale=1.0)
            o = o[0].transpose(0, 1).reshape(t, heads * d)
            h = addmm(h, o, L.o) if L.o_b is None else h + addmm(L.o_b, o, L.o)
            x = _rms(h, L.n2, self.eps)
            gate, up = mm(x, L.gu).chunk(2, -1)
            h = addmm(h, F.silu(gate) * up, L.down)
        cache.length = end
        h = _rms(h[-1:], self.norm, self.eps)
        return mm(h, self.lm_head)[0].float()

    def step(self, token: int, cache: KVCache):
        """Feed one token at the next position of ``cache``; return the logits of the next one (1-D, float32).

        The step runs on one thread (this thread's OpenMP setting only, where that can be
        set: see :func:`_openmp_setter`): its matrix-vector products run on one thread
        anyway, and each of its many tiny operations that would start a parallel region
        costs 50-250 us when the other threads of the pool are asleep (as in a worker
        thread, or on a busy CPU) against a few us inline: 25 tokens/s instead of 16 in
        a worker thread, measured on 2 cores.
        """
        setter = _openmp_setter()
        threads = torch.get_num_threads() if setter else 1
        if threads > 1:
            setter(1)
        try:
            return self._step(token, cache)
        finally:
            if threads > 1:
                setter(threads)

    @torch.inference_mode()
    def _step(self, token: int, cache: KVCache):
        pos = cache.length
        if pos >= cache.capacity:
            raise ValueError("cache full")
        heads, kvh, d, g = self.heads, self.kv_heads, self.head_dim, self.groups
        nqk = (heads + kvh) * d
        cos, sin_signed, swap = self._cos[pos], self._sin_signed[pos], self._swap
        h = self.embed[token:token + 1]
        n = pos + 1
        kc, vc = cache.k, cache.v
        for i, L in enumerate(self.layers):
            x = _rms(h, L.n1, self.eps)
            qkv = mm(x, L.qkv) if L.qkv_b is None else addmm(L.qkv_b, x, L.qkv)
            qk = qkv[0, :nqk].view(heads + kvh, d)
            qk = torch.addcmul(qk * cos, qk.index_select(1, swap), sin_signed)  # x*cos + rotate_half(x)*sin
            kc[i, :, pos] = qk[heads:]
            vc[i, :, pos] = qkv[0, nqk:].view(kvh, d)
            # the g query heads sharing a key/value head act as g query rows against it
            att = torch.softmax(torch.bmm(qk[:heads].view(kvh, g, d), kc[i, :, :n].transpose(1, 2)), -1,
                                dtype=torch.float32)
            o = torch.bmm(att if att.dtype == vc.dtype else att.to(vc.dtype), vc[i, :, :n]).view(1, heads * d)
            h = addmm(h, o, L.o) if L.o_b is None else h + addmm(L.o_b, o, L.o)
            x = _rms(h, L.n2, self.eps)
            gate, up = mm(x, L.gu).chunk(2, -1)
            h = addmm(h, F.silu(gate) * up, L.down)
        cache.length = n
        h = _rms(h, self.norm, self.eps)
        return mm(h, self.lm_head)[0].float()
