"""Per-word predictions -> valid BIO tags -> entity spans.

The tagger never outputs an invalid BIO sequence. Two ways, for two kinds of input:

* :func:`viterbi` (what training evaluation and :mod:`engine.ner.predict` use): given
  per-word log-probabilities over the tags, it returns the most probable tag
  sequence *among valid ones*: ``I-X`` only right after ``B-X`` or ``I-X``, never first.
  This is better than taking each word's best tag and patching it afterwards: for
  "B-PER I-LOC" it picks whichever coherent reading has the higher total score
  instead of always opening a new entity.
* :func:`repair_bio` for bare tag sequences (no scores): an ``I-X`` that does not
  continue an ``X`` entity becomes ``B-X`` (the conlleval reading, also what
  :func:`engine.formats.tags` does on import).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

NEG = -1e9  # "impossible" score (finite, so no inf - inf = nan)


def repair_bio(tags: Sequence[str]) -> list[str]:
    """Return ``tags`` with every ``I-X`` that does not follow ``B-X``/``I-X`` turned into ``B-X``.

    Tags other than ``O``, ``B-*`` and ``I-*`` are returned as ``O``.
    """
    out: list[str] = []
    prev = "O"
    for t in tags:
        if t.startswith("I-"):
            if prev == "O" or prev[2:] != t[2:]:
                t = "B-" + t[2:]
        elif not (t == "O" or t.startswith("B-")):
            t = "O"
        out.append(t)
        prev = t
    return out


def transition_masks(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(start, trans)`` score masks for BIO: 0 where allowed, :data:`NEG` where not.

    ``start[j]``: tag ``j`` may open a sentence; ``trans[i, j]``: tag ``j`` may follow ``i``.
    """
    n = len(tags)
    start = np.zeros(n, dtype=np.float64)
    trans = np.zeros((n, n), dtype=np.float64)
    for j, t in enumerate(tags):
        if t.startswith("I-"):
            start[j] = NEG
            for i, p in enumerate(tags):
                if p[2:] != t[2:] or p == "O":
                    trans[i, j] = NEG
    return start, trans


def viterbi(log_probs: np.ndarray, start: np.ndarray, trans: np.ndarray) -> list[int]:
    """Return the tag indices of the best valid path through ``log_probs`` (``[words, tags]``).

    ``start`` and ``trans`` come from :func:`transition_masks`. An empty input gives ``[]``.
    """
    n_words = log_probs.shape[0]
    if n_words == 0:
        return []
    lp = np.asarray(log_probs, dtype=np.float64)
    score = lp[0] + start
    back = np.empty((n_words, lp.shape[1]), dtype=np.int64)
    for t in range(1, n_words):
        cand = score[:, None] + trans  # [prev, next]
        back[t] = cand.argmax(axis=0)
        score = cand[back[t], np.arange(lp.shape[1])] + lp[t]
    path = [int(score.argmax())]
    for t in range(n_words - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Return the entities of a BIO sequence as ``(first_word, last_word + 1, label)``.

    The sequence is repaired first (:func:`repair_bio`), so any input gives valid spans.
    """
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for k, t in enumerate(repair_bio(tags) + ["O"]):
        if start >= 0 and not (t.startswith("I-") and t[2:] == label):
            spans.append((start, k, label))
            start = -1
        if t.startswith("B-"):
            start, label = k, t[2:]
    return spans
