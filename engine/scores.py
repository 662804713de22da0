"""How sure a score is, and how big a dev set must be to say anything: one place for the
tagger, the chat fine-tune and (later) document categories. No torch, no Qt.

* :func:`dev_share` — the share of newly split documents that goes to dev: enough for
  about :data:`DEV_TARGET` entities within ``[lo, hi]`` (by default 10%: measured, see
  :data:`DEV_SHARE_MAX`).
* :func:`entity_counts` — per document and label: true positives, false positives and
  false negatives of predicted entities (seqeval's strict IOB2 entities).
* :func:`bootstrap_f1` — 95% intervals of micro F1 and per-label F1 from
  :data:`RESAMPLES` seeded resamples of the *documents* (sentences of one document move
  together: they are not independent), vectorised with numpy (a few ms).
* :func:`bootstrap_mean` — the same for a mean per token (the chat dev loss).
* :func:`uncertainty_note` — what to tell a user whose dev set is small, in words.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from engine.messages import msg

#: Entities (or category labels) a dev set should hold to give a usable score.
DEV_TARGET = 50
#: The dev share of newly split documents is kept between these. Measured
#: (tests/bench/bench_small_data_selection.py, WNUT-17 at 50/120/300 sentences, 3 seeds):
#: sizing dev up to 25% for ~50 entities gave steadier dev scores but cost 3-5 points of
#: held-out F1 (fewer training documents), more than the steadier choice gained once
#: the checkpoint rule smooths small dev sets (choose_best "auto"). So dev stays at 10%
#: and the score says how unsure it is instead; pass ``hi`` to size dev up.
DEV_SHARE_MIN, DEV_SHARE_MAX = 0.10, 0.10
#: The test share (kept as it always was).
TEST_SHARE = 0.10
#: Bootstrap resamples per interval.
RESAMPLES = 1000


def dev_share(n_docs: int, units: int, *, target: int = DEV_TARGET, lo: float = DEV_SHARE_MIN,
              hi: float = DEV_SHARE_MAX) -> float:
    """Return the share of ``n_docs`` documents (holding ``units`` entities in all) to put
    in dev: enough for about ``target`` entities, at least ``lo`` and at most ``hi``."""
    if n_docs <= 0 or units <= 0:
        return lo
    return float(min(hi, max(lo, target / units)))


def entity_counts(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], doc_of: Sequence[int],
                  labels: Sequence[str]) -> tuple[list[int], np.ndarray]:
    """Count entity matches per document and label.

    ``gold``/``pred`` are BIO tag lists (one per sentence), ``doc_of[i]`` the document of
    sentence ``i``. Entities are seqeval's strict IOB2 entities (type and both edges
    must match). Returns ``(doc_ids, counts)`` with ``counts[d, l] = (tp, fp, fn)``.
    Labels not in ``labels`` are ignored.
    """
    from seqeval.metrics.sequence_labeling import get_entities

    index = {name: k for k, name in enumerate(labels)}
    docs = sorted(set(doc_of))
    row = {d: i for i, d in enumerate(docs)}
    counts = np.zeros((len(docs), len(labels), 3), dtype=np.int64)
    for g, p, d in zip(gold, pred, doc_of):
        ge = {e for e in get_entities(list(g)) if e[0] in index}
        pe = {e for e in get_entities(list(p)) if e[0] in index}
        r = row[d]
        for e in ge & pe:
            counts[r, index[e[0]], 0] += 1
        for e in pe - ge:
            counts[r, index[e[0]], 1] += 1
        for e in ge - pe:
            counts[r, index[e[0]], 2] += 1
    return docs, counts


def _f1(tp, fp, fn):
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros(np.shape(tp), dtype=float), where=denom > 0)


def _resample_weights(n: int, resamples: int, seed: int) -> np.ndarray:
    """``(resamples, n)`` counts: how often each item is drawn in each bootstrap resample."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, np.full(n, 1.0 / n), size=resamples)


def bootstrap_f1(counts: np.ndarray, labels: Sequence[str], *, resamples: int = RESAMPLES, seed: int = 0,
                 level: float = 0.95) -> dict:
    """Percentile bootstrap intervals of micro F1 and per-label F1 over documents.

    ``counts`` is :func:`entity_counts`' array ``(docs, labels, 3)``. Returns ``{"f1":
    (lo, hi), "per_label": {label: (lo, hi)}, "docs": n, "support": gold entities}``.
    With no document, every interval is ``(0.0, 0.0)``.
    """
    n = counts.shape[0]
    if n == 0:
        return {"f1": (0.0, 0.0), "per_label": {l: (0.0, 0.0) for l in labels}, "docs": 0, "support": 0}
    w = _resample_weights(n, resamples, seed)
    flat = counts.reshape(n, -1).astype(np.float64)
    summed = (w @ flat).reshape(resamples, len(labels), 3)
    micro = _f1(summed[:, :, 0].sum(1), summed[:, :, 1].sum(1), summed[:, :, 2].sum(1))
    per = _f1(summed[:, :, 0], summed[:, :, 1], summed[:, :, 2])
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    lo, hi = np.percentile(micro, q)
    per_lo, per_hi = np.percentile(per, q, axis=0)
    return {
        "f1": (float(lo), float(hi)),
        "per_label": {l: (float(per_lo[k]), float(per_hi[k])) for k, l in enumerate(labels)},
        "docs": int(n),
        "support": int(counts[:, :, 0].sum() + counts[:, :, 2].sum()),
    }


def bootstrap_mean(sums: Iterable[float], weights: Iterable[float], *, resamples: int = RESAMPLES, seed: int = 0,
                   level: float = 0.95) -> tuple[float, float]:
    """Interval of ``sum(sums) / sum(weights)`` (e.g. a dev loss per token, with one
    item per example) by resampling the items; ``(0.0, 0.0)`` without items."""
    s = np.asarray(list(sums), dtype=np.float64)
    wt = np.asarray(list(weights), dtype=np.float64)
    if s.size == 0:
        return 0.0, 0.0
    w = _resample_weights(s.size, resamples, seed)
    den = w @ wt
    ratio = np.divide(w @ s, den, out=np.zeros(resamples), where=den > 0)
    lo, hi = np.percentile(ratio, [(1 - level) / 2 * 100, (1 + level) / 2 * 100])
    return float(lo), float(hi)


def interval_text(value: float, ci: tuple[float, float] | None, digits: int = 2) -> str:
    """``"0.40 (0.00-0.80)"``; just the value without an interval."""
    if ci is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} ({ci[0]:.{digits}f}-{ci[1]:.{digits}f})"


def uncertainty_note(support: int, ci: tuple[float, float] | None, what: str = "entities") -> str:
    """A sentence for a user whose dev set is small (fewer than :data:`DEV_TARGET` gold
    ``what``), else ``""``: how far the score can move, and what to do."""
    if support >= DEV_TARGET or ci is None:
        return ""
    args = dict(count=support, move=f"{(ci[1] - ci[0]) / 2:.2f}", target=DEV_TARGET)
    if what == "entities":
        return msg("The dev set has {count} entities: this score can move by ±{move}. "
                   "Label more documents for a steadier number (about {target} entities in dev).", **args)
    if what == "documents":
        return msg("The dev set has {count} documents: this score can move by ±{move}. "
                   "Label more documents for a steadier number (about {target} documents in dev).", **args)
    return msg("The dev set has {count} {what}: this score can move by ±{move}. "
               "Label more documents for a steadier number (about {target} {what} in dev).", what=what, **args)


def add_intervals(scores: dict, gold, preds, doc_of, labels) -> dict:
    """Add 95% bootstrap intervals over documents (:mod:`engine.scores`) to ``scores``:
    ``f1_ci``, ``support`` (gold entities), ``docs`` and ``per_label[name]["ci"]``."""
    _, counts = entity_counts(gold, preds, doc_of, labels)
    ci = bootstrap_f1(counts, labels)
    scores["f1_ci"] = ci["f1"]
    scores["support"] = ci["support"]
    scores["docs"] = ci["docs"]
    for name, row in scores["per_label"].items():
        if name in ci["per_label"]:
            row["ci"] = ci["per_label"][name]
    return scores


#: How the best checkpoint is chosen: ``"f1"`` (highest dev F1, ties by lower dev loss),
#: ``"smooth"`` (highest mean dev F1 of the last three evaluations, ties to the later one:
#: a small dev set's F1 jumps by chance), ``"auto"`` (``"smooth"`` while dev holds fewer
#: than :data:`DEV_TARGET` entities, else ``"f1"``).
SELECT_RULES = ("auto", "f1", "smooth")


def choose_best(f1: Sequence[float], loss: Sequence[float], support: int, rule: str = "auto") -> int | None:
    """Return the index of the evaluation to keep as the best checkpoint, or ``None``.

    ``f1``/``loss`` are the dev scores of the evaluations so far, in step order;
    ``support`` is the number of gold entities in dev. The choice never looks ahead:
    called after every evaluation, it moves to the newest one exactly when that one is
    to be saved (so a trainer saves ``best/`` then), and over the whole history it gives
    the same answer (the GUI shows it from the stored scores).
    """
    n = len(f1)
    if n == 0:
        return None
    if rule == "auto":
        rule = "smooth" if support < DEV_TARGET else "f1"
    if rule == "f1":
        return max(range(n), key=lambda i: (f1[i], -loss[i], -i))
    if rule == "smooth":
        means = [sum(f1[max(0, i - 2):i + 1]) / (i + 1 - max(0, i - 2)) for i in range(n)]
        return max(range(n), key=lambda i: (means[i], i))
    raise ValueError(f"unknown checkpoint rule {rule!r}; use one of {', '.join(SELECT_RULES)}")
