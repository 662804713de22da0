"""Warm start: a new run that starts from an earlier run's model keeps what its head
learned, label by label.

A Tessera run folder (``<project>.runs/3/best``) is a valid base model. Loading it for
a new run with ``from_pretrained(num_labels=..., label2id=...)`` keeps the old head only
when the number of labels is unchanged, and then row by row in the *old* order, so a
project whose labels were renamed, added or reordered would start with a head that
maps scores to the wrong labels. :func:`carry_head` puts each label's row back where
the new run's label list has it and starts new labels fresh.

Whether a warm start pays was measured in ``tests/bench/bench_active_learning.py``
(``--strategies margin_guard margin_guard_warm``); see README.
"""
from __future__ import annotations

import json
from pathlib import Path

from engine.messages import msg


def base_labels(model_dir: Path) -> list[str]:
    """Return the label names of the model in ``model_dir`` in head order (from
    ``config.json``'s ``id2label``), or ``[]`` when it has no trained head (a plain
    encoder such as the default model, whose config names no classification
    architecture) or the config cannot be read."""
    try:
        config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    archs = config.get("architectures") or []
    if not any(a.endswith(("ForTokenClassification", "ForSequenceClassification")) for a in archs):
        return []
    id2label = config.get("id2label") or {}
    try:
        return [str(id2label[k]) for k in sorted(id2label, key=int)]
    except (ValueError, TypeError):
        return []


def _head_tensors(model_dir: Path, prefix: str) -> tuple | None:
    """Return the saved ``(weight, bias)`` of the head called ``prefix`` in the model's
    safetensors file(s), or None when they are not there."""
    from safetensors import safe_open

    found = {}
    for file in sorted(Path(model_dir).glob("*.safetensors")):
        with safe_open(str(file), framework="pt") as f:
            for name in (f"{prefix}.weight", f"{prefix}.bias"):
                if name in f.keys():
                    found[name] = f.get_tensor(name)
    if f"{prefix}.weight" not in found:
        return None
    return found[f"{prefix}.weight"], found.get(f"{prefix}.bias")


def carry_head(model, model_dir: Path, labels: list[str], head_name: str = "classifier") -> int:
    """Copy the trained head rows of the base model in ``model_dir`` into ``model``'s
    head (``model.<head_name>``, a ``torch.nn.Linear`` over ``labels``), matched by
    label name; labels the base model did not know keep their fresh initialisation.

    Returns:
        How many of ``labels`` got their row from the base model (0: no warm start: the
        base model has no trained head, no label in common, or a head of another shape).
    """
    import torch

    old = base_labels(model_dir)
    head = getattr(model, head_name, None)
    if not old or not isinstance(head, torch.nn.Linear):
        return 0
    saved = _head_tensors(model_dir, head_name)
    if saved is None:
        return 0
    weight, bias = saved
    if weight.shape != (len(old), head.in_features):
        return 0
    where = {name: i for i, name in enumerate(old)}
    carried = 0
    with torch.no_grad():
        for row, name in enumerate(labels):
            if name in where:
                head.weight[row].copy_(weight[where[name]])
                if bias is not None and head.bias is not None:
                    head.bias[row].copy_(bias[where[name]])
                carried += 1
    return carried


def warm_note(carried: int, total: int, what: str) -> str:
    """Return the recipe line's note on a warm start (``""`` when there was none), e.g.
    ``"head carried over from the base model for 13 of 13 tags"``; ``what``: ``"tags"``
    or ``"categories"``."""
    if not carried:
        return ""
    if what == "tags":
        return msg("head carried over from the base model for {carried} of {total} tags", carried=carried, total=total)
    if what == "categories":
        return msg("head carried over from the base model for {carried} of {total} categories",
                   carried=carried, total=total)
    return msg("head carried over from the base model for {carried} of {total} {what}", carried=carried,
               total=total, what=what)
