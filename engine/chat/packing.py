"""Sequence packing for chat fine-tuning (``SftConfig.pack``): short examples share one
row of up to ``max_length`` tokens instead of each being padded to its batch's longest.

Attention stays within each example: every example's positions start again at 0, and
the batch goes to the model with those ``position_ids`` and no attention mask, from
which transformers builds a block-diagonal causal mask
(``masking_utils.find_packed_sequence_indices``). The first token of every example is
never a target, so no example learns to predict the next one's start. Padding at the
end of a row is a segment of its own, never a target. Rows are filled first-fit, the
longest examples first, so a row wastes little.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from engine.chat.sft_data import IGNORE_INDEX, Encoded


@dataclass
class PackedRow:
    """Several encoded examples in one row (``starts``: where each begins)."""

    input_ids: list[int] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    position_ids: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.input_ids)

    @property
    def n_labels(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE_INDEX)

    def add(self, e: Encoded) -> None:
        self.starts.append(len(self.input_ids))
        self.input_ids += e.input_ids
        self.labels += [IGNORE_INDEX] + list(e.labels[1:])  # the first token is never a target
        self.position_ids += list(range(len(e.input_ids)))


def pack(encoded: Sequence[Encoded], max_length: int) -> list[PackedRow]:
    """Return ``encoded`` packed into rows of at most ``max_length`` tokens (first-fit,
    longest first; an example longer than ``max_length`` gets a row of its own)."""
    rows: list[PackedRow] = []
    for e in sorted(encoded, key=len, reverse=True):
        row = next((r for r in rows if len(r) + len(e) <= max_length), None)
        if row is None:
            row = PackedRow()
            rows.append(row)
        row.add(e)
    return rows


def collate_packed(rows: Sequence[PackedRow], pad_id: int) -> dict:
    """Return the tensors of a batch of packed rows: ``input_ids``, ``labels``,
    ``position_ids`` (padding is a segment of its own, counting from 0) and
    ``n_tokens`` (the tokens that are not padding); no ``attention_mask``."""
    import torch

    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE_INDEX, dtype=torch.long)
    pos = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        n = len(r)
        ids[i, :n] = torch.tensor(r.input_ids)
        labels[i, :n] = torch.tensor(r.labels)
        pos[i, :n] = torch.tensor(r.position_ids)
        pos[i, n:] = torch.arange(width - n)
    return {"input_ids": ids, "labels": labels, "position_ids": pos,
            "n_tokens": torch.tensor(sum(len(r) for r in rows))}
