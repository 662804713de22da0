"""The project's categorized documents as training data for a document classifier.

One example is one ``done`` document: its text and its human categories (labels of kind
``category``). Splits are the documents' stored splits (given on first use by
:func:`engine.ner.data.assign_splits`, as for the tagger). With single choice (the
project's :meth:`~engine.store.Project.category_choice`) a done document without a
category says nothing and is left out (counted); with multiple choice it is an example
of "none of these".
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from engine.events import Log, Reporter, ignore
from engine.messages import msg
from engine.ner.data import DataError, assign_splits, new_splits_message
from engine.store import Project


@dataclass(frozen=True)
class Item:
    """One document: its text and the indices of its categories in the run's name list."""

    doc_id: int
    text: str
    labels: tuple[int, ...]


@dataclass
class ClassData:
    """What :func:`load_class_data` returns."""

    train: list[Item]
    dev: list[Item]
    names: list[str]  # the categories, in model-output order
    multi: bool  # several categories per document (one sigmoid each)
    dev_from_train: bool = False
    uncategorized: int = 0  # done documents left out (single choice, no category)
    unknown: int = 0  # categories a resumed run does not know, ignored
    new_splits: dict[str, int] = field(default_factory=dict)


@dataclass
class EncodedText:
    """One item in model pieces (``labels``: category indices)."""

    input_ids: list[int]
    labels: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.input_ids)


def used_categories(project: Project) -> list[str]:
    """Return the names of categories that a ``done`` document has (by a person), by label id."""
    return [r[0] for r in project.conn.execute(
        "SELECT l.name FROM labels l WHERE l.kind = 'category' AND EXISTS ("
        " SELECT 1 FROM doc_categories c JOIN documents d ON d.id = c.doc_id"
        f" WHERE c.label_id = l.id AND c.source = 'human' AND d.status = 'done' AND {project.visible('d')})"
        " ORDER BY l.id")]


def load_class_data(project: Project, *, seed: int = 0, names: Sequence[str] | None = None,
                    multi: bool | None = None, assign: bool = True, report: Reporter = ignore) -> ClassData:
    """Return train and dev items of the project's categorized ``done`` documents.

    ``names``/``multi``: those of a resumed run (categories it does not know are ignored);
    by default :func:`used_categories` and the project's category choice. An empty dev
    split borrows about 10% of the training documents for this run only (nothing stored).

    Raises:
        DataError: no categorized done document, fewer than two categories with single
            choice, or none in the train split.
    """
    new_splits = assign_splits(project, seed) if assign else {}
    if new_splits:
        report(Log(new_splits_message(new_splits)))
    if multi is None:
        multi = project.category_choice() == "multiple"
    if names is None:
        names = used_categories(project)
        if not names:
            raise DataError(msg("No finished document has a category yet. Give documents their categories, mark "
                                "them as done, then train."))
        if len(names) < 2 and not multi:
            raise DataError(msg("Only one category ({category}) is used in finished documents; a classifier needs at "
                                "least two to tell apart. Categorize documents of another kind too.", category=names[0]))
    names = list(names)
    index = {n: i for i, n in enumerate(names)}
    cats: dict[int, list[int]] = {}
    unknown = 0
    for doc_id, name in project.conn.execute(
            "SELECT c.doc_id, l.name FROM doc_categories c JOIN labels l ON l.id = c.label_id"
            " WHERE c.source = 'human' ORDER BY c.doc_id, l.id"):
        if name in index:
            cats.setdefault(doc_id, []).append(index[name])
        else:
            unknown += 1
    train: list[Item] = []
    dev: list[Item] = []
    uncategorized = 0
    for split, bucket in (("train", train), ("dev", dev)):
        for doc_id, text in project.conn.execute(
                f"SELECT id, text FROM documents WHERE status = 'done' AND split = ? AND {project.visible()}"
                " ORDER BY id", (split,)):
            labels = tuple(cats.get(doc_id, ()))
            if not labels and not multi:
                uncategorized += 1
                continue
            bucket.append(Item(doc_id, text, labels if multi else labels[:1]))
    if uncategorized:
        report(Log(msg("{count} finished documents have no category and are left out.",
                       count=f"{uncategorized:,}"), "warning"))
    if unknown:
        report(Log(msg("{count} categories of documents are not known to this run and are ignored.",
                       count=f"{unknown:,}"), "warning"))
    if not train:
        raise DataError(msg("No categorized finished documents are in the train split. Mark documents as done, or "
                            "move some to the train split."))
    dev_from_train = False
    if not dev:
        dev_from_train = True
        if len(train) == 1:
            dev = list(train)
        else:
            n = max(1, round(len(train) * 0.1))
            picked = set(random.Random(seed).sample(range(len(train)), n))
            dev = [e for i, e in enumerate(train) if i in picked]
            train = [e for i, e in enumerate(train) if i not in picked]
        report(Log(msg("The dev split is empty, so {count} of the training documents are held out as dev data "
                       "for this run (nothing is stored). Put some documents in the dev split for steadier scores.",
                       count=len(dev)), "warning"))
    report(Log(msg("Splits: train {train} documents, dev {dev} documents.", train=f"{len(train):,}",
                   dev=f"{len(dev):,}")))
    return ClassData(train, dev, names, bool(multi), dev_from_train, uncategorized, unknown, new_splits)


def fingerprint(items: Iterable[Item]) -> str:
    """Return a short hash of items (ids, texts, categories), to notice changed data on resume."""
    h = hashlib.blake2b(digest_size=8)
    for e in items:
        h.update(json.dumps([e.doc_id, e.text, e.labels], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def encode(tokenizer, items: Sequence[Item], max_length: int) -> tuple[list[EncodedText], int]:
    """Return ``(encoded, n_cut)``: the items in model pieces, cut at ``max_length``."""
    if not items:
        return [], 0
    full = tokenizer([e.text for e in items], add_special_tokens=True)["input_ids"]
    n_cut = sum(len(x) > max_length for x in full)
    ids = tokenizer([e.text for e in items], add_special_tokens=True, truncation=True,
                    max_length=max_length)["input_ids"] if n_cut else full
    return [EncodedText(list(x), e.labels) for x, e in zip(ids, items)], n_cut


def collate(items: Sequence[EncodedText], pad_id: int, n_classes: int, multi: bool) -> dict:
    """Pad items into tensors ``input_ids``, ``attention_mask`` and ``labels`` (class
    indices; with ``multi``, a 0/1 float matrix items x classes)."""
    import torch

    width = max(len(x) for x in items)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for r, x in enumerate(items):
        ids[r, :len(x)] = torch.tensor(x.input_ids)
        mask[r, :len(x)] = 1
    if multi:
        labels = torch.zeros((len(items), n_classes), dtype=torch.float32)
        for r, x in enumerate(items):
            labels[r, list(x.labels)] = 1.0
    else:
        labels = torch.tensor([x.labels[0] for x in items], dtype=torch.long)
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}
