"""Likely mistakes: finished documents where the model confidently disagrees with the
human entities (``main.py review``; the app's review mode).

For each ``done`` document the tagger's entities are compared with the human ones:

* ``missing``: the model finds an entity no human entity overlaps (confidence: the
  entity's score);
* ``label``: the model gives the same words another label (confidence: its score);
* ``extra``: a human entity where the model sees none (confidence: the mean, over its
  words, of the model's probability that the word is outside any entity).

Most confident first. A model trained on these same documents has seen their labels,
so it is a stricter judge with documents it was not trained on (dev, or a run trained
before they were labeled); planted mistakes in real data are found either way (tests).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.events import CancelToken, Progress, Reporter, ignore
from engine.loop.predict import predict_documents
from engine.store import Project

KINDS = ("missing", "extra", "label")


@dataclass(frozen=True)
class Mistake:
    """One disagreement: ``kind`` (see :data:`KINDS`), where, both labels (``None``
    for no entity) and how confident the model is (0..1)."""

    doc_id: int
    kind: str
    start: int
    end: int
    human_label: str | None
    model_label: str | None
    confidence: float
    words: str

    def __str__(self) -> str:
        what = {"missing": f"model finds {self.model_label}, no entity here",
                "extra": f"entity {self.human_label}, the model sees none",
                "label": f"{self.human_label} here, the model says {self.model_label}"}[self.kind]
        return f"document {self.doc_id}: “{self.words}” {self.start}-{self.end}: {what} ({self.confidence:.2f})"


def compare(doc, human: list[tuple[int, int, str]], pred) -> list[Mistake]:
    """Return the disagreements between a document's human entities ``(start, end,
    label)`` and a :class:`engine.loop.predict.DocPrediction` of it."""
    out = []
    words = lambda a, b: " ".join(doc.text[a:b].split())[:80]  # noqa: E731
    relabel: dict[tuple[int, int], Mistake] = {}  # one per human entity (the model may split it in pieces)
    for start, end, label, score in pred.entities:
        over = [h for h in human if h[0] < end and start < h[1]]
        if not over:
            out.append(Mistake(doc.id, "missing", start, end, None, label, score, words(start, end)))
        elif all(h[2] != label for h in over):
            h = over[0]
            if (h[0], h[1]) not in relabel or relabel[(h[0], h[1])].confidence < score:
                relabel[(h[0], h[1])] = Mistake(doc.id, "label", h[0], h[1], h[2], label, score, words(h[0], h[1]))
    out += relabel.values()
    starts = [t[0] for t in doc.tokens]
    for start, end, label in human:
        if any(start < e and s < end for s, e, _, _ in pred.entities):
            continue
        first = int(np.searchsorted(starts, start, side="right")) - 1
        last = int(np.searchsorted(starts, end, side="left"))
        p = pred.p_outside[max(first, 0):max(last, first + 1)]
        out.append(Mistake(doc.id, "extra", start, end, label, None, float(p.mean()) if len(p) else 0.0,
                           words(start, end)))
    return out


def likely_mistakes(project: Project, tagger, *, n: int | None = 50, min_confidence: float = 0.5,
                    split: str | None = None, report: Reporter = ignore,
                    cancel: CancelToken | None = None, batch: int = 16) -> list[Mistake]:
    """Return up to ``n`` disagreements on ``done`` documents (of ``split``, or all) with
    confidence at least ``min_confidence``, most confident first.

    Raises:
        engine.events.Cancelled: ``cancel`` was set.
    """
    names = {l.id: l.name for l in project.labels()}
    where, params = project._doc_filter(status="done", split=split)
    ids = [r[0] for r in project.conn.execute(f"SELECT id FROM documents {where} ORDER BY id", params)]
    found: list[Mistake] = []
    report(Progress("Reviewing", 0, len(ids), "documents"))
    for i in range(0, len(ids), batch):
        if cancel is not None:
            cancel.check()
        docs = [project.document(d) for d in ids[i:i + batch]]
        for doc, pred in zip(docs, predict_documents(tagger, docs)):
            human = [(s.start, s.end, names[s.label_id]) for s in project.spans(doc.id) if s.source == "human"]
            found += [m for m in compare(doc, human, pred) if m.confidence >= min_confidence]
        report(Progress("Reviewing", min(len(ids), i + batch), len(ids), "documents"))
    found.sort(key=lambda m: (-m.confidence, m.doc_id, m.start))
    return found[:n] if n is not None else found
