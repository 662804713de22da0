"""The order to label documents in (``Next`` in the app, ``main.py queue``).

``uncertainty``: the ``new`` documents the model is least sure about first (their
uncertainty is stored by :func:`engine.loop.suggest.suggest`), with a diversity guard: a
document whose words overlap a recently queued or recently finished one by more than
:data:`MAX_OVERLAP` (Jaccard of word sets) waits until the others are queued, so
near-duplicates are not labeled back to back. Documents without a score come after
the scored ones, in list order. ``random``: a seeded shuffle (the baseline).
"""
from __future__ import annotations

import random
import re
from typing import Iterable, Sequence

from engine.store import Project

ORDERS = ("uncertainty", "random")
#: Jaccard overlap of word sets above which two documents count as near-duplicates.
MAX_OVERLAP = 0.5
#: How many recent picks (and recently finished documents) the guard compares against.
WINDOW = 20
#: Candidates the guard looks at (the rest follow by score): it reads their text.
GUARD_CANDIDATES = 2000

_WORD = re.compile(r"\w+")


def words_of(text: str) -> frozenset[str]:
    """The lower-cased word set of a text (what the diversity guard compares)."""
    return frozenset(w.lower() for w in _WORD.findall(text))


def jaccard(a: frozenset, b: frozenset) -> float:
    """Overlap of two sets: |a & b| / |a | b| (0 when both are empty)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def diverse_order(ids: Sequence[int], words: dict[int, frozenset], recent: Iterable[frozenset] = (),
                  *, window: int = WINDOW, max_overlap: float = MAX_OVERLAP) -> list[int]:
    """Return ``ids`` (best first) reordered so that no document follows within
    ``window`` picks of one it overlaps by more than ``max_overlap`` (nor of one in
    ``recent``), when that can be avoided; held-back documents keep their relative order
    and come once nothing else is left."""
    picked: list[frozenset] = list(recent)[-window:]
    out: list[int] = []
    waiting = list(ids)
    while waiting:
        held = []
        for d in waiting:
            w = words[d]
            if any(jaccard(w, p) > max_overlap for p in picked[-window:]):
                held.append(d)
                continue
            out.append(d)
            picked.append(w)
        if len(held) == len(waiting):  # everything left is near something picked: take the best one
            d = held.pop(0)
            out.append(d)
            picked.append(words[d])
        waiting = held
    return out


def label_queue(project: Project, *, order: str = "uncertainty", n: int | None = None, seed: int = 0,
                exclude: Iterable[int] = ()) -> list[int]:
    """Return the ids of ``new`` documents in the order to label them (the first ``n``).

    Raises:
        ValueError: unknown ``order``.
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
    skip = set(exclude)
    where, params = project._doc_filter(status="new")
    ids = [r[0] for r in project.conn.execute(f"SELECT id FROM documents {where} ORDER BY id", params)
           if r[0] not in skip]
    if order == "random":
        random.Random(seed).shuffle(ids)
        return ids[:n] if n is not None else ids
    scores = project.uncertainty(ids)
    scored = sorted((d for d in ids if d in scores), key=lambda d: (-scores[d], d))
    rest = [d for d in ids if d not in scores]
    head, tail = scored[:GUARD_CANDIDATES], scored[GUARD_CANDIDATES:]
    texts = dict(project.conn.execute(
        f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(head))})", head)) if head else {}
    recent = [words_of(t) for (t,) in project.conn.execute(
        "SELECT text FROM documents WHERE status = 'done' ORDER BY updated DESC, id DESC LIMIT ?", (WINDOW,))]
    ordered = diverse_order(head, {d: words_of(texts[d]) for d in head}, reversed(recent)) + tail + rest
    return ordered[:n] if n is not None else ordered
