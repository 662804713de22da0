"""Entity-level scores with seqeval.

Mode: ``strict`` with the IOB2 scheme. An entity counts as found only when its type
and both edges match exactly. Our predictions are valid BIO by construction
(:mod:`engine.ner.decode`) and gold tags come from spans, so strict and the default
conlleval mode agree on them; strict is chosen so that an invalid sequence, should
one ever reach here, is never silently read as an entity. The score is therefore
the score of exactly the entities the tagger would show the user.
"""
from __future__ import annotations

from typing import Sequence


def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], labels: Sequence[str] = ()) -> dict:
    """Return entity-level scores of ``pred`` against ``gold`` (lists of BIO tag lists).

    The result has ``precision``, ``recall``, ``f1`` (micro averages), ``f1_macro``
    and ``per_label``: ``{label: {"precision", "recall", "f1", "support"}}`` for every
    label seen in gold or predictions, plus every name in ``labels`` (zeros when absent).
    Nothing to score (no entity anywhere) gives zeros.
    """
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    per_label: dict[str, dict[str, float]] = {
        name: {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0} for name in labels
    }
    has_entity = any(t != "O" for seq in list(gold) + list(pred) for t in seq)
    if not has_entity:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "f1_macro": 0.0, "per_label": per_label}
    report = classification_report(
        [list(s) for s in gold], [list(s) for s in pred], mode="strict", scheme=IOB2,
        output_dict=True, zero_division=0,
    )
    for name, row in report.items():
        if name.endswith(" avg"):
            continue
        per_label[name] = {
            "precision": float(row["precision"]),
            "recall": float(row["recall"]),
            "f1": float(row["f1-score"]),
            "support": int(row["support"]),
        }
    micro = report["micro avg"]
    return {
        "precision": float(micro["precision"]),
        "recall": float(micro["recall"]),
        "f1": float(micro["f1-score"]),
        "f1_macro": float(report["macro avg"]["f1-score"]),  # over labels in gold or predictions
        "per_label": per_label,
    }
