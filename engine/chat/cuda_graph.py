"""One-token decode steps of :class:`~engine.chat.fast_llama.FastLlama` replayed as a CUDA graph.

Why: on a GPU a 135M-parameter model's decode step is a few hundred tiny kernels, each
taking a few microseconds to run but longer to *launch* from Python; the GPU idles
between them. A CUDA graph records the whole step once and replays it with one
launch. A graph replays fixed shapes and fixed memory, so the step here is written
for that:

* the key/value cache has a fixed capacity (the prompt plus ``max_new_tokens``,
  rounded up to :data:`BUCKET` positions so later replies of similar length reuse
  the graph) and is zero-filled, so positions not yet written are harmless;
* the token id and the position are inputs in small device tensors, written before
  each replay; the rotary rows and the embedding row are looked up from them on the
  GPU, and the new key/value go in with ``index_copy_``;
* attention runs over the whole capacity with the positions after the current one
  masked out, which gives the same softmax as attending to the filled prefix only.

The prompt still runs through :meth:`FastLlama.prefill` (one batched call, eager)
into the same cache. :class:`GraphStep` without ``graph`` runs the same fixed-shape
step eagerly (that is how the CPU tests check its arithmetic against
:meth:`FastLlama.step`).
"""
from __future__ import annotations

import threading

import torch
import torch.nn.functional as F

from engine.chat.fast_llama import FastLlama, KVCache, _rms
from engine.chat.int8 import addmm, mm

#: Cache capacities are rounded up to a multiple of this, so one graph serves many replies.
BUCKET = 256
#: Captured graphs kept per model (each holds its own cache).
KEEP = 2

_lock = threading.Lock()


def bucket(capacity: int) -> int:
    """Return ``capacity`` rounded up to a multiple of :data:`BUCKET`."""
    return -(-max(1, capacity) // BUCKET) * BUCKET


class GraphStep:
    """Prefill and one-token steps for one fixed cache capacity; see the module docstring.

    Use :func:`take` to get one (a cached, already captured step when one fits) and
    :func:`give_back` when the reply is done, so the next reply reuses it.
    """

    def __init__(self, fast: FastLlama, capacity: int, graph: bool = True) -> None:
        self.fast = fast
        self.capacity = bucket(capacity)
        fast._tables(self.capacity)
        dev = self.device = fast.device
        # keep references: the graph reads these exact tensors on every replay
        self.cos = fast._cos[: self.capacity]
        self.sin_signed = fast._sin_signed[: self.capacity]
        self.cache = KVCache.__new__(KVCache)
        shape = (len(fast.layers), fast.kv_heads, self.capacity, fast.head_dim)
        self.cache.k = torch.zeros(shape, dtype=fast.dtype, device=dev)
        self.cache.v = torch.zeros(shape, dtype=fast.dtype, device=dev)
        self.cache.capacity, self.cache.length = self.capacity, 0
        self.token = torch.zeros(1, dtype=torch.long, device=dev)
        self.pos = torch.zeros(1, dtype=torch.long, device=dev)
        self.positions = torch.arange(self.capacity, device=dev)
        self.graph = None
        self.logits = None
        if graph:
            self._capture()

    def _capture(self) -> None:
        """Record :meth:`_static_step` as a CUDA graph (after warm-up runs on a side stream)."""
        side = torch.cuda.Stream(device=self.fast.device)
        side.wait_stream(torch.cuda.current_stream(self.fast.device))
        with torch.cuda.stream(side), torch.inference_mode():
            for _ in range(2):
                self._static_step()
        torch.cuda.current_stream(self.fast.device).wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.inference_mode(), torch.cuda.graph(graph):
            self.logits = self._static_step()
        self.graph = graph

    def _static_step(self):
        """The decode step with fixed shapes: reads :attr:`token` and :attr:`pos`; returns float32 logits."""
        f = self.fast
        heads, kvh, d, g = f.heads, f.kv_heads, f.head_dim, f.groups
        nqk = (heads + kvh) * d
        pos = self.pos
        cos = self.cos.index_select(0, pos)  # [1, d]
        sin = self.sin_signed.index_select(0, pos)
        later = self.positions > pos  # [capacity]: not yet in the context
        h = f.embed.index_select(0, self.token)
        kc, vc = self.cache.k, self.cache.v
        for i, L in enumerate(f.layers):
            x = _rms(h, L.n1, f.eps)
            qkv = mm(x, L.qkv) if L.qkv_b is None else addmm(L.qkv_b, x, L.qkv)
            qk = qkv[0, :nqk].view(heads + kvh, d)
            qk = torch.addcmul(qk * cos, qk.index_select(1, f._swap), sin)
            kc[i].index_copy_(1, pos, qk[heads:].unsqueeze(1))
            vc[i].index_copy_(1, pos, qkv[0, nqk:].view(kvh, 1, d))
            scores = torch.bmm(qk[:heads].view(kvh, g, d), kc[i].transpose(1, 2)).masked_fill(later, float("-inf"))
            att = torch.softmax(scores, -1, dtype=torch.float32)
            o = torch.bmm(att if att.dtype == vc.dtype else att.to(vc.dtype), vc[i]).view(1, heads * d)
            h = addmm(h, o, L.o) if L.o_b is None else h + addmm(L.o_b, o, L.o)
            x = _rms(h, L.n2, f.eps)
            gate, up = mm(x, L.gu).chunk(2, -1)
            h = addmm(h, F.silu(gate) * up, L.down)
        h = _rms(h, f.norm, f.eps)
        return mm(h, f.lm_head)[0].float()

    @torch.inference_mode()
    def prefill(self, ids: list[int]):
        """Start a new reply: run the prompt ``ids`` into the cache; return the next token's logits."""
        if len(ids) > self.capacity:
            raise ValueError("prompt longer than the cache")
        self.cache.length = 0
        return self.fast.prefill(ids, self.cache)

    @torch.inference_mode()
    def step(self, token: int):
        """Feed ``token`` at the next position; return the next token's logits (1-D float32, a fresh tensor)."""
        pos = self.cache.length
        if pos >= self.capacity:
            raise ValueError("cache full")
        self.token.fill_(token)
        self.pos.fill_(pos)
        if self.graph is not None:
            self.graph.replay()
            out = self.logits.clone()
        else:
            out = self._static_step()
        self.cache.length = pos + 1
        return out

    def release(self) -> None:
        """The reply is done: keep this step (and its captured graph) for the next one."""
        give_back(self)


def take(fast: FastLlama, capacity: int, kind: type | None = None) -> GraphStep:
    """Return a captured :class:`GraphStep` (or ``kind``, a subclass: the CUDA kernels'
    :class:`engine.chat.kernel_decode.KernelStep`) for at least ``capacity`` positions,
    reusing a kept one of the same kind.

    The step is the caller's alone until :func:`give_back`. Raises what CUDA graph
    capture raises (the caller then falls back to eager steps).
    """
    size = bucket(capacity)
    with _lock:
        kept = getattr(fast, "_graphs", None)
        if kept is None:
            kept = fast._graphs = []
        kind = kind or GraphStep
        for i, step in enumerate(kept):
            if step.capacity == size and type(step) is kind:
                return kept.pop(i)
    return kind(fast, size)


def give_back(step: GraphStep) -> None:
    """Keep ``step`` for the next reply (at most :data:`KEEP` per model, the latest first)."""
    with _lock:
        kept = step.fast.__dict__.setdefault("_graphs", [])
        kept.insert(0, step)
        del kept[KEEP:]
