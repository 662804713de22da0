"""Sequence packing for chat fine-tuning (``SftConfig.pack``, engine.chat.packing):
rows of several examples, each attending only to itself."""
from __future__ import annotations

import copy

import pytest
import torch

from engine.chat import sft_data as SD
from engine.chat.packing import collate_packed, pack
from tests.conftest import DATA


def _dolly_encoded(chat_model, n: int, max_length: int = 128):
    from engine.chat.formats import read_chat_file

    convs = [c for _, c in read_chat_file(DATA / "chat" / "dolly_open_qa_200.jsonl")][:n]
    tok = chat_model.tokenizer
    encoded, _ = SD.encode_all(tok, convs, max_length, SD.end_of_turn_ids(tok))
    return encoded


def test_rows_hold_whole_examples_and_positions_restart(chat_model):
    encoded = _dolly_encoded(chat_model, 24)
    rows = pack(encoded, 256)
    assert len(rows) < len(encoded)
    assert sorted(len(e) for e in encoded) == sorted(
        b - a for r in rows for a, b in zip(r.starts, r.starts[1:] + [len(r)]))
    for r in rows:
        assert len(r) <= 256
        for a in r.starts:
            assert r.position_ids[a] == 0 and r.labels[a] == SD.IGNORE_INDEX
    assert sum(r.n_labels for r in rows) == sum(e.n_labels for e in encoded) - sum(
        e.labels[0] != SD.IGNORE_INDEX for e in encoded)
    batch = collate_packed(rows[:3], chat_model.tokenizer.pad_token_id)
    assert "attention_mask" not in batch and int(batch["n_tokens"]) == sum(len(r) for r in rows[:3])
    width = batch["input_ids"].shape[1]
    for i, r in enumerate(rows[:3]):  # padding is a segment of its own, never a target
        assert batch["position_ids"][i, len(r):].tolist() == list(range(width - len(r)))
        assert (batch["labels"][i, len(r):] == SD.IGNORE_INDEX).all()


def test_a_packed_row_gives_each_examples_own_loss(chat_model):
    """Attention kept within each example: the summed loss of a row of three examples
    equals the three examples' losses computed one by one."""
    from engine.chat.sft import _loss_sum
    from engine.ner import data as D

    encoded = _dolly_encoded(chat_model, 3, 96)
    model = copy.deepcopy(chat_model.model).eval()
    (row,) = pack(encoded, 1000)
    with torch.no_grad():
        packed, n = _loss_sum(model, collate_packed([row], 0), True)
        alone = [_loss_sum(model, D.collate([e], 0), True) for e in encoded]
    assert n == sum(k for _, k in alone)
    assert float(packed) == pytest.approx(sum(float(s) for s, _ in alone), rel=1e-4)

