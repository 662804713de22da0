"""Document-classification scores, each with how sure it is.

Single choice (one category per document): accuracy, macro-averaged precision, recall
and F1 over the categories found in gold or predictions (scikit-learn's
``average="macro"`` with its default label set), per-category P/R/F1/support and the
confusion matrix (rows: gold, columns: predicted). Multiple choice: one yes/no decision
per category; macro- and micro-F1, exact-match (subset) accuracy, per-category scores.

``f1`` is the macro-F1 in both: it picks the best checkpoint (rare categories count as
much as common ones). 95% intervals come from resampling the *documents*
(:data:`engine.scores.RESAMPLES` seeded bootstrap resamples, numpy-vectorised).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from engine.scores import RESAMPLES, _f1, _resample_weights


def _per_class(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1e-12), 0.0)
        r = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1e-12), 0.0)
    return p, r, _f1(tp, fp, fn)


def _counts_single(gold: Sequence[int], pred: Sequence[int], n: int) -> np.ndarray:
    """``(docs, classes, 3)``: per document and class, true positive / false positive / false negative."""
    c = np.zeros((len(gold), n, 3), dtype=np.int8)
    rows = np.arange(len(gold))
    g = np.asarray(gold, dtype=np.int64)
    p = np.asarray(pred, dtype=np.int64)
    hit = g == p
    c[rows[hit], g[hit], 0] = 1
    c[rows[~hit], p[~hit], 1] = 1
    c[rows[~hit], g[~hit], 2] = 1
    return c


def _counts_multi(gold: np.ndarray, pred: np.ndarray) -> np.ndarray:
    gold, pred = gold.astype(bool), pred.astype(bool)
    return np.stack([gold & pred, ~gold & pred, gold & ~pred], axis=-1).astype(np.int8)


def _scores(counts: np.ndarray, names: Sequence[str], present: np.ndarray, exact: np.ndarray,
            resamples: int, seed: int) -> dict:
    """Scores and intervals from per-document counts; ``present``: the classes macro
    averages run over; ``exact``: per document, 1 when it was predicted exactly right."""
    tp, fp, fn = (counts[:, :, k].sum(0).astype(np.float64) for k in range(3))
    p, r, f = _per_class(tp, fp, fn)
    n_docs = counts.shape[0]
    out = {
        "accuracy": float(exact.mean()) if n_docs else 0.0,
        "f1": float(f[present].mean()) if present.any() else 0.0,
        "precision": float(p[present].mean()) if present.any() else 0.0,
        "recall": float(r[present].mean()) if present.any() else 0.0,
        "f1_micro": float(_f1(tp.sum(), fp.sum(), fn.sum())),
        "per_label": {name: {"precision": float(p[k]), "recall": float(r[k]), "f1": float(f[k]),
                             "support": int(tp[k] + fn[k])} for k, name in enumerate(names)},
        "support": int(n_docs),
        "docs": int(n_docs),
    }
    out["f1_macro"] = out["f1"]
    if n_docs == 0:
        out["f1_ci"] = out["accuracy_ci"] = (0.0, 0.0)
        return out
    w = _resample_weights(n_docs, resamples, seed)  # (resamples, docs)
    summed = np.einsum("rd,dck->rck", w, counts.astype(np.float64))
    per = _f1(summed[:, :, 0], summed[:, :, 1], summed[:, :, 2])
    macro = per[:, present].mean(1) if present.any() else np.zeros(resamples)
    acc = (w @ exact.astype(np.float64)) / np.maximum(w.sum(1), 1e-12)
    q = [2.5, 97.5]
    out["f1_ci"] = tuple(float(x) for x in np.percentile(macro, q))
    out["accuracy_ci"] = tuple(float(x) for x in np.percentile(acc, q))
    lo, hi = np.percentile(per, q, axis=0)
    for k, name in enumerate(names):
        out["per_label"][name]["ci"] = (float(lo[k]), float(hi[k]))
    return out


def single_label_scores(gold: Sequence[int], pred: Sequence[int], names: Sequence[str], *,
                        resamples: int = RESAMPLES, seed: int = 0) -> dict:
    """Return the scores of single-choice predictions (class indices into ``names``).

    Keys: ``accuracy``, ``f1`` (= ``f1_macro``), ``precision``, ``recall`` (macro),
    ``f1_micro``, ``per_label`` ({name: precision, recall, f1, support, ci}),
    ``confusion`` (list of rows: gold class -> counts per predicted class), ``support``
    and ``docs`` (dev documents), ``f1_ci`` and ``accuracy_ci`` (95% intervals).
    """
    n = len(names)
    counts = _counts_single(gold, pred, n)
    present = np.zeros(n, dtype=bool)
    present[list(set(gold) | set(pred))] = True
    out = _scores(counts, names, present, np.asarray(gold) == np.asarray(pred), resamples, seed)
    confusion = np.zeros((n, n), dtype=np.int64)
    np.add.at(confusion, (np.asarray(gold, dtype=np.int64), np.asarray(pred, dtype=np.int64)), 1)
    out["confusion"] = confusion.tolist()
    return out


def multi_label_scores(gold: np.ndarray, pred: np.ndarray, names: Sequence[str], *,
                       resamples: int = RESAMPLES, seed: int = 0) -> dict:
    """Return the scores of multiple-choice predictions (``gold``, ``pred``: 0/1 arrays
    documents x categories). Same keys as :func:`single_label_scores` but no confusion
    matrix; ``accuracy`` is exact-match accuracy; macro averages run over categories
    found in gold or predictions."""
    gold, pred = np.asarray(gold, dtype=bool), np.asarray(pred, dtype=bool)
    counts = _counts_multi(gold, pred)
    present = gold.any(0) | pred.any(0)
    return _scores(counts, names, present, (gold == pred).all(1), resamples, seed)


def best_threshold(probs: np.ndarray, gold: np.ndarray) -> float:
    """Return the decision threshold (0.05 .. 0.95 in steps of 0.05) that gives the best
    micro-F1 of ``probs >= threshold`` against ``gold`` (ties: the one nearest 0.5)."""
    gold = np.asarray(gold, dtype=bool)
    best, best_t = -1.0, 0.5
    for t in sorted(np.round(np.arange(0.05, 0.951, 0.05), 2), key=lambda x: abs(x - 0.5)):
        pred = probs >= t
        f = float(_f1((gold & pred).sum(), (~gold & pred).sum(), (gold & ~pred).sum()))
        if f > best + 1e-12:
            best, best_t = f, float(t)
    return best_t


def top_confusions(confusion: Sequence[Sequence[int]], names: Sequence[str], n: int = 20) -> list[tuple[str, str, int]]:
    """Return the ``n`` most frequent mistakes as ``(gold, predicted, count)``, most first."""
    m = np.asarray(confusion)
    pairs = [(int(m[i, j]), i, j) for i in range(m.shape[0]) for j in range(m.shape[1]) if i != j and m[i, j]]
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    return [(names[i], names[j], c) for c, i, j in pairs[:n]]
