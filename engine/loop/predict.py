"""Predict a project's documents with a tagger: entities with a confidence each, the
per-word tag distributions behind them, and one uncertainty per document.

An entity's **score** is the mean, over its words, of the probability the model gives
the tag the constrained Viterbi decoder chose (the same score ``Tagger.tag_text``
reports). A document's **uncertainty** (0 = sure) is one of:

* ``mnlp``: the mean negative log-probability of the decoded tags (maximum normalized
  log-probability, Shen et al. 2018), so long documents are not favoured;
* ``margin``: 1 minus the smallest margin between a word's two likeliest tags;
* ``entropy``: the mean entropy of the words' tag distributions (nats).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from engine.ner.decode import bio_spans
from engine.store import Document

STRATEGIES = ("mnlp", "margin", "entropy")
#: The uncertainty the queue orders by. Measured (tests/bench/bench_active_learning.py, WNUT-17,
#: 3 seeds x 8 rounds of 50): least margin reached random's final held-out F1 with 150 labels
#: (33% of random's 450), mnlp with 250 (56%).
DEFAULT_STRATEGY = "margin"
#: Sentences tagged per model call when predicting many documents.
_SENTENCES_PER_CALL = 64


@dataclass
class DocPrediction:
    """What the model says about one document."""

    doc_id: int
    #: ``(start, end, label, score)`` character spans
    entities: list[tuple[int, int, str, float]]
    #: per word: probability of ``O`` (for review: how sure the model is a word is no entity)
    p_outside: np.ndarray
    #: ``{strategy: uncertainty}`` for every strategy in :data:`STRATEGIES`
    uncertainty: dict[str, float]


def _uncertainties(lps: Sequence[np.ndarray], chosen: Sequence[list[float]]) -> dict[str, float]:
    words = [lp for lp in lps if len(lp)]
    if not words:
        return {k: 0.0 for k in STRATEGIES}
    lp = np.concatenate(words, axis=0)
    p = np.exp(lp)
    top2 = np.sort(p, axis=1)[:, -2:] if p.shape[1] > 1 else np.concatenate([np.zeros_like(p), p], axis=1)
    margin = top2[:, 1] - top2[:, 0]
    probs = np.clip(np.concatenate([np.asarray(c, dtype=np.float64) for c in chosen if len(c)]), 1e-12, 1.0)
    entropy = -(p * np.where(p > 0, lp, 0.0)).sum(axis=1)
    return {"mnlp": float(-np.log(probs).mean()), "margin": float(1.0 - margin.min()),
            "entropy": float(entropy.mean())}


def predict_documents(tagger, docs: Iterable[Document]) -> list[DocPrediction]:
    """Return one :class:`DocPrediction` per document, in order. Sentences of several
    documents share model calls (up to 64 at a time)."""
    docs = list(docs)
    sentences: list[list[str]] = []
    owners: list[tuple[int, int]] = []  # (document index, first token of the sentence)
    for k, doc in enumerate(docs):
        for a, b in doc.sentences:
            sentences.append([doc.text[s:e] for s, e in doc.tokens[a:b]])
            owners.append((k, a))
    lps: list[np.ndarray] = []
    for i in range(0, len(sentences), _SENTENCES_PER_CALL):
        lps += tagger.word_log_probs(sentences[i:i + _SENTENCES_PER_CALL])
    o_index = tagger.tags.index("O") if "O" in tagger.tags else 0
    per_doc: list[list[tuple[int, np.ndarray]]] = [[] for _ in docs]
    for (k, a), lp in zip(owners, lps):
        per_doc[k].append((a, lp))
    out = []
    for doc, parts in zip(docs, per_doc):
        entities = []
        chosen = []
        p_out = np.ones(len(doc.tokens), dtype=np.float32)
        for a, lp in parts:
            tags, probs = tagger.decode(lp)
            chosen.append(probs)
            if len(lp):
                p_out[a:a + len(lp)] = np.exp(lp[:, o_index])
            for first, last, label in bio_spans(tags):
                entities.append((doc.tokens[a + first][0], doc.tokens[a + last - 1][1], label,
                                 float(np.mean(probs[first:last]))))
        out.append(DocPrediction(doc.id, entities, p_out, _uncertainties([lp for _, lp in parts], chosen)))
    return out
