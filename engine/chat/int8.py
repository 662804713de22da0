"""Int8 weight-only matrices for the lean llama decoder (``chat --quantize int8``).

Each weight matrix is stored as int8 with one scale per output row (symmetric,
``engine.kernels.reference.quantize_int8``): a quarter of float32's bytes, half of
bf16's. Decoding one token reads every weight once, so fewer bytes is a faster step.

On a CPU the product is torch's int8 weight-only op (``aten._weight_int8pack_mm``),
which wants bf16 activations: the decoder's hidden state stays float32 and only the
inputs of the products are rounded to bf16. Measured on a 2-core Intel Xeon with AMX
(``tests/bench/bench_chat.py --quantize``): the lm_head product 4.6 ms -> 1.9 ms. On
a GPU a one-row product is ``cuda/int8_matvec.cu`` where the kernels run
(:mod:`engine.kernels.ops`), else the reference formula.
"""
from __future__ import annotations

import torch

from engine.kernels import ops
from engine.kernels.reference import quantize_int8

_PACKED_MM = getattr(torch.ops.aten, "_weight_int8pack_mm", None)


class Int8Weight:
    """One quantized ``[in, out]`` matrix of the decoder; ``mm(x)`` is ``x @ W`` in float32."""

    __slots__ = ("q", "scale", "scale_bf16")

    def __init__(self, transposed: torch.Tensor) -> None:
        """Quantize ``transposed`` (``[in, out]``, the decoder's layout) per output column."""
        self.q, self.scale = quantize_int8(transposed.t())  # [out, in] int8, [out] float32
        self.q = self.q.contiguous()
        self.scale_bf16 = self.scale.to(torch.bfloat16)

    def mm(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``x @ W`` for ``x`` ``[rows, in]``, float32 ``[rows, out]``."""
        if x.device.type == "cpu" and _PACKED_MM is not None:
            return _PACKED_MM(x.to(torch.bfloat16).contiguous(), self.q, self.scale_bf16).float()
        if x.shape[0] == 1:
            return ops.int8_matvec(self.q, self.scale, x[0].float()).unsqueeze(0)
        return (x.float() @ self.q.t().float()) * self.scale

    @property
    def nbytes(self) -> int:
        return self.q.numel() + self.scale.numel() * 4


def mm(x: torch.Tensor, w) -> torch.Tensor:
    """``x @ w`` for a float ``[in, out]`` tensor or an :class:`Int8Weight`."""
    return x @ w if isinstance(w, torch.Tensor) else w.mm(x)


def addmm(h: torch.Tensor, x: torch.Tensor, w) -> torch.Tensor:
    """``h + x @ w`` (``torch.addmm`` for a float tensor)."""
    return torch.addmm(h, x, w) if isinstance(w, torch.Tensor) else h + w.mm(x)
