"""Training data for the tagger: ``done`` documents -> sentence examples -> batches.

* One :class:`Example` per sentence of every ``done`` document: the words are the
  document's tokens, the tags are BIO tags built from its spans (character offsets are
  the truth: token ranges are recomputed from them). Entities never cross sentences in
  a project, but if one does it is cut at the sentence edge and each part starts with
  ``B-``; where spans overlap, the first one (by start) keeps the tokens.
* Documents whose split is ``NULL`` (automatic) get a seeded train/dev/test split that
  is written back to the project, so later runs see the same split; split chosen by
  the user (or stored by an earlier run) is never changed. Dev and test get 10% each
  (:func:`engine.scores.dev_share`; a larger dev was measured and cost held-out F1 on
  small data). ``test`` documents are not used in training.
* The label map is ``O`` then ``B-X``, ``I-X`` for every label that is used by a
  ``done`` document, in label-id order (stable when labels are renamed).
* Sub-word alignment uses the fast tokenizer's ``word_ids()``: the first piece of a
  word carries its tag, the other pieces and the special tokens carry ``-100``
  (ignored by the loss). Sentences longer than the model's limit are truncated.
* Batches group sentences of similar length (fewer padding tokens) under a token budget
  and are deterministic given ``(seed, epoch)``.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from engine.errors import TesseraError
from engine.events import Log, Reporter, ignore
from engine.messages import Message, msg
from engine.store import Document, Project, Span

IGNORE_INDEX = -100
LENGTH_BUCKET = 8  # pieces: sentences within one bucket are "the same length" for batching
MEGA_BATCH = 16  # batches per mega-batch (the window sorted by length)


class DataError(TesseraError):
    """The project has nothing (or not enough) to train on."""


@dataclass(frozen=True)
class Example:
    """One sentence: ``words`` (token texts) and one BIO tag per word."""

    doc_id: int
    sentence: int  # index of the sentence in its document
    words: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass
class Encoded:
    """One example in model pieces.

    ``labels`` has a tag id on the first piece of each word and ``-100`` elsewhere;
    ``word_starts[w]`` is the piece index of word ``w``'s first piece, ``-1`` when the
    word was cut off by truncation.
    """

    input_ids: list[int]
    labels: list[int]
    word_starts: list[int]

    def __len__(self) -> int:
        return len(self.input_ids)


@dataclass
class TrainingData:
    """What :func:`load_training_data` returns: examples, the tag list and notes."""

    train: list[Example]
    dev: list[Example]
    tags: list[str]
    dev_from_train: bool = False
    ignored_spans: int = 0
    new_splits: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- labels


def tag_names(label_names: Sequence[str]) -> list[str]:
    """Return the tag list ``["O", "B-<l1>", "I-<l1>", "B-<l2>", ...]`` for ``label_names``."""
    tags = ["O"]
    for name in label_names:
        tags += [f"B-{name}", f"I-{name}"]
    return tags


def used_labels(project: Project) -> list[str]:
    """Return the names of labels that have a span in a ``done`` document, by label id."""
    rows = project.conn.execute(
        "SELECT l.name FROM labels l WHERE l.kind = 'entity' AND EXISTS ("
        " SELECT 1 FROM spans s JOIN documents d ON d.id = s.doc_id"
        " WHERE s.label_id = l.id AND s.source = 'human' AND d.status = 'done') ORDER BY l.id"
    ).fetchall()
    return [r[0] for r in rows]


# --------------------------------------------------------------------------- splits


def assign_splits(project: Project, seed: int = 0) -> dict[str, int]:
    """Give every ``done`` document whose split is ``NULL`` a train/dev/test split.

    The documents are shuffled with ``seed`` and cut: dev gets the share
    :func:`engine.scores.dev_share` chooses from the entities they hold (10% by
    default), test 10%, train the rest. The result is stored with
    :meth:`Project.set_split`, so it stays the same for every later run. Documents that
    already have a split are left alone. Returns how many documents went to each split
    (``{}`` when none needed one).
    """
    from engine.scores import TEST_SHARE, dev_share

    ids = [r[0] for r in project.conn.execute(
        f"SELECT id FROM documents WHERE status = 'done' AND split IS NULL AND {project.visible()} ORDER BY id")]
    if not ids:
        return {}
    entities = project.conn.execute(
        "SELECT count(*) FROM spans WHERE source = 'human' AND doc_id IN"
        f" (SELECT id FROM documents WHERE status = 'done' AND split IS NULL AND {project.visible()})").fetchone()[0]
    rng = random.Random(seed)
    rng.shuffle(ids)
    n_dev = round(len(ids) * dev_share(len(ids), entities))
    n_test = round(len(ids) * TEST_SHARE)
    parts = {"dev": ids[:n_dev], "test": ids[n_dev:n_dev + n_test], "train": ids[n_dev + n_test:]}
    for split, members in parts.items():
        if members:
            project.set_split(sorted(members), split)
    return {k: len(v) for k, v in parts.items() if v}


# --------------------------------------------------------------------------- examples


def sentence_examples(doc: Document, spans: Iterable[Span], label_of: dict[int, str]) -> tuple[list[Example], int]:
    """Return ``(examples, ignored)``: one example per non-empty sentence of ``doc``.

    ``label_of`` maps label id -> label name; spans whose label is not in it are
    ignored (counted in ``ignored``), as are spans that cover no token.
    """
    tokens = doc.tokens
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    tags = ["O"] * len(tokens)
    sentence_starts = {a for a, _ in doc.sentences}
    ignored = 0
    for sp in sorted(spans, key=lambda s: (s.start, s.end)):
        name = label_of.get(sp.label_id)
        if name is None:
            ignored += 1
            continue
        first = bisect.bisect_right(ends, sp.start)
        last = max(first, bisect.bisect_left(starts, sp.end))
        prev_ours = False  # whether token k-1 belongs to this span
        for k in range(first, last):
            if tags[k] != "O":  # overlapping span: the earlier one keeps this token
                prev_ours = False
                continue
            begins = not prev_ours or k in sentence_starts
            tags[k] = ("B-" if begins else "I-") + name
            prev_ours = True
    out = []
    for i, (a, b) in enumerate(doc.sentences):
        if b <= a:
            continue
        words = tuple(doc.text[s:e] for s, e in tokens[a:b])
        sent_tags = list(tags[a:b])
        if sent_tags[0].startswith("I-"):  # an entity cut by the sentence edge
            sent_tags[0] = "B-" + sent_tags[0][2:]
        out.append(Example(doc.id, i, words, tuple(sent_tags)))
    return out, ignored


def load_training_data(
    project: Project,
    *,
    seed: int = 0,
    tags: Sequence[str] | None = None,
    assign: bool = True,
    report: Reporter = ignore,
) -> TrainingData:
    """Return train and dev examples of the ``done`` documents of ``project``.

    ``assign``: first give documents without a split one (:func:`assign_splits`,
    stored in the project). ``tags``: the tag list to use (a resumed run keeps its
    own; labels missing from it are ignored); by default :func:`tag_names` of
    :func:`used_labels`. When the dev split is empty, about 10% of the training
    sentences (at least one, chosen with ``seed``) are used as dev for this run only
    (nothing is stored), and a :class:`~engine.events.Log` says so; with a single
    training sentence, dev is that same sentence.

    Raises:
        DataError: no ``done`` documents in the train split, or no entity at all.
    """
    new_splits = assign_splits(project, seed) if assign else {}
    if new_splits:
        report(Log(new_splits_message(new_splits)))
    if tags is None:
        names = used_labels(project)
        if not names:
            raise DataError(msg(
                "There are no labeled entities in finished documents yet. Label some entities, mark those "
                "documents as done, then train."
            ))
        tags = tag_names(names)
    tags = list(tags)
    wanted = {t[2:] for t in tags if t != "O"}
    label_of = {l.id: l.name for l in project.labels() if l.name in wanted}
    train: list[Example] = []
    dev: list[Example] = []
    ignored = 0
    for split, bucket in (("train", train), ("dev", dev)):
        for doc, spans in project.iter_documents(status="done", split=split):
            examples, n = sentence_examples(doc, [sp for sp in spans if sp.source == "human"], label_of)
            bucket.extend(examples)
            ignored += n
    if not train:
        raise DataError(msg(
            "No finished documents are in the train split. Mark documents as done, or move some to the train split."
        ))
    dev_from_train = False
    if not dev:
        dev_from_train = True
        if len(train) == 1:
            dev = list(train)
            report(Log(msg("There is no dev data and only one training sentence: the scores are measured on that "
                           "same sentence and say little. Label more documents."), "warning"))
        else:
            from engine.scores import dev_share

            units = sum(sum(t.startswith("B-") for t in e.tags) for e in train)
            n = max(1, round(len(train) * dev_share(len(train), units)))
            picked = set(random.Random(seed).sample(range(len(train)), n))
            dev = [e for i, e in enumerate(train) if i in picked]
            train = [e for i, e in enumerate(train) if i not in picked]
            report(Log(msg("The dev split is empty, so {count} of the training sentences are held out as dev data "
                           "for this run (nothing is stored). Put some documents in the dev split for steadier "
                           "scores.", count=n), "warning"))
    report(Log(msg("Splits: {splits}.", splits=split_description(train, dev))))
    return TrainingData(train, dev, tags, dev_from_train, ignored, new_splits)


def new_splits_message(new_splits: dict[str, int]) -> Message:
    """The log line about documents that just got a split (the counts of :func:`assign_splits`):
    ``"Split the documents that had no split: 2 to dev, 1 to test, 9 to train (stored in the project)."``."""
    parts = None
    for split, n in new_splits.items():
        if split == "train":
            part = msg("{count} to train", count=n)
        elif split == "dev":
            part = msg("{count} to dev", count=n)
        elif split == "test":
            part = msg("{count} to test", count=n)
        else:
            part = msg("{count} to {split}", count=n, split=split)
        parts = part if parts is None else msg("{items}, {item}", items=parts, item=part)
    return msg("Split the documents that had no split: {splits} (stored in the project).", splits=parts or "")


def split_description(train: Sequence[Example], dev: Sequence[Example]) -> Message:
    """``"train 96 documents (80 entities), dev 24 documents (21 entities)"``."""
    def counts(examples):
        return dict(docs=f"{len({e.doc_id for e in examples}):,}", sentences=f"{len(examples):,}",
                    entities=f"{sum(sum(t.startswith('B-') for t in e.tags) for e in examples):,}")
    return msg("train {docs} documents ({sentences} sentences, {entities} entities), dev {dev_docs} documents "
               "({dev_sentences} sentences, {dev_entities} entities)",
               **counts(train), **{"dev_" + k: v for k, v in counts(dev).items()})


def fingerprint(examples: Iterable[Example]) -> str:
    """Return a short hash of examples (ids, words and tags), to notice changed data on resume."""
    h = hashlib.blake2b(digest_size=8)
    for e in examples:
        h.update(json.dumps([e.doc_id, e.sentence, e.words, e.tags], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


# --------------------------------------------------------------------------- pieces


def model_max_length(tokenizer, config) -> int:
    """Return how many pieces (specials included) one sequence may have for this model."""
    limits = [getattr(config, "max_position_embeddings", None), getattr(tokenizer, "model_max_length", None)]
    limits = [int(x) for x in limits if isinstance(x, int) and 0 < x < 100_000]
    n = min(limits) if limits else 512
    # RoBERTa-style position ids start after the padding index
    if getattr(config, "model_type", "") in ("roberta", "xlm-roberta", "camembert", "longformer") and n > 2:
        n = min(n, config.max_position_embeddings - 2)
    return n


def _word_ids_batch(tokenizer, word_lists: list[list[str]], **kw) -> tuple[list[list[int]], list[list[int | None]]]:
    enc = tokenizer(word_lists, is_split_into_words=True, add_special_tokens=True, **kw)
    ids = enc["input_ids"]
    return ids, [enc.word_ids(i) for i in range(len(ids))]


def encode_words(tokenizer, word_lists: Sequence[Sequence[str]], max_length: int) -> tuple[list[list[int]], list[list[int]], int]:
    """Turn word lists into model pieces: return ``(input_ids, word_starts, n_truncated)``.

    ``word_starts[i][w]`` is the index of the first piece of word ``w`` of sentence
    ``i``, or ``-1`` if that word was cut off by truncation to ``max_length`` pieces.
    A word the tokenizer turns into no piece at all (some control or format
    characters) is replaced by the unknown token, so every word gets a piece.
    """
    words = [list(w) for w in word_lists]
    if not words:
        return [], [], 0
    _, full_word_ids = _word_ids_batch(tokenizer, words)
    unk = getattr(tokenizer, "unk_token", None)
    too_long = 0
    for i, wids in enumerate(full_word_ids):
        seen = {w for w in wids if w is not None}
        if unk and len(seen) < len(words[i]):
            for w in range(len(words[i])):
                if w not in seen:
                    words[i][w] = unk
        if len(wids) > max_length:
            too_long += 1
    input_ids, word_ids = _word_ids_batch(tokenizer, words, truncation=True, max_length=max_length)
    starts: list[list[int]] = []
    for i, wids in enumerate(word_ids):
        s = [-1] * len(words[i])
        prev = None
        for pos, w in enumerate(wids):
            if w is not None and w != prev and s[w] < 0:
                s[w] = pos
            prev = w
        starts.append(s)
    return [list(x) for x in input_ids], starts, too_long


def encode(
    tokenizer, examples: Sequence[Example], tag_to_id: dict[str, int], max_length: int, *, all_pieces: bool = False
) -> tuple[list[Encoded], int]:
    """Align examples to model pieces; return ``(encoded, n_truncated)``.

    The first piece of each word gets the word's tag; with ``all_pieces`` the word's
    other pieces get it too, a ``B-`` tag as its ``I-`` tag (so the model scores every
    piece and ``transformers.pipeline(aggregation_strategy="simple")`` joins a word's
    pieces into one entity); otherwise they get ``-100``, as specials always do. Scores
    and predictions read the first piece either way (``Encoded.word_starts``).
    """
    input_ids, starts, truncated = encode_words(tokenizer, [e.words for e in examples], max_length)
    specials = set(getattr(tokenizer, "all_special_ids", []) or [])
    out = []
    for e, ids, ws in zip(examples, input_ids, starts):
        labels = [IGNORE_INDEX] * len(ids)
        firsts = {pos for pos in ws if pos >= 0}
        for w, pos in enumerate(ws):
            if pos < 0:
                continue
            tag = e.tags[w]
            labels[pos] = tag_to_id.get(tag, 0)
            if all_pieces:
                inside = tag_to_id.get("I-" + tag[2:], labels[pos]) if tag.startswith("B-") else labels[pos]
                k = pos + 1
                while k < len(ids) and k not in firsts and ids[k] not in specials:
                    labels[k] = inside
                    k += 1
        out.append(Encoded(ids, labels, ws))
    return out, truncated


# --------------------------------------------------------------------------- batches


def _pack(order: Sequence[int], lengths: Sequence[int], batch_size: int, batch_tokens: int) -> list[list[int]]:
    """Cut ``order`` into consecutive batches of at most ``batch_size`` sentences whose
    padded size (sentences x longest) stays within ``batch_tokens`` (a longer single
    sentence gets a batch of its own)."""
    batches: list[list[int]] = []
    cur: list[int] = []
    cur_max = 0
    for i in order:
        new_max = max(cur_max, lengths[i])
        if cur and (len(cur) >= batch_size or (len(cur) + 1) * new_max > batch_tokens):
            batches.append(cur)
            cur, new_max = [], lengths[i]
        cur.append(i)
        cur_max = new_max
    if cur:
        batches.append(cur)
    return batches


def plan_batches(
    lengths: Sequence[int], *, batch_size: int, batch_tokens: int, seed: int, epoch: int
) -> list[list[int]]:
    """Return the batches (lists of example indices) of one training epoch.

    The examples are shuffled with ``(seed, epoch)``, cut into mega-batches of
    ``16 x batch_size`` sentences, each sorted by length in buckets of 8 pieces
    (random order inside a bucket, so batches differ between epochs even on tiny
    data), packed by :func:`_pack`, and the batches shuffled. Same arguments, same
    batches.
    """
    rng = random.Random(seed * 1_000_003 + epoch)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    mega = max(1, MEGA_BATCH * batch_size)
    batches: list[list[int]] = []
    for k in range(0, len(order), mega):
        chunk = sorted(order[k:k + mega], key=lambda i: lengths[i] // LENGTH_BUCKET)  # stable: keeps shuffle
        batches += _pack(chunk, lengths, batch_size, batch_tokens)
    rng.shuffle(batches)
    return batches


def loss_scale(encoded: Sequence[Encoded], n_batches: int) -> float:
    """Return the weight of one labeled piece in the training loss: ``n_batches`` over the
    number of labeled pieces, i.e. one over the labeled pieces of an average batch.

    The loss of a batch is its *summed* cross-entropy times this constant, not its mean:
    with length-grouped batches a mean would give a piece in a batch of short sentences
    several times the weight of one in a batch of long ones. Measured on full WNUT-17
    (2 epochs, 3 seeds) the mean cost 0.007 dev F1 against this constant.
    """
    labeled = sum(1 for e in encoded for lab in e.labels if lab != IGNORE_INDEX)
    return n_batches / max(1, labeled)


def eval_batches(lengths: Sequence[int], *, batch_size: int = 64, batch_tokens: int = 4096) -> list[list[int]]:
    """Return batches for evaluation or prediction: sorted by length, not shuffled."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return _pack(order, lengths, batch_size, batch_tokens)


def collate(items: Sequence[Encoded], pad_id: int) -> dict:
    """Pad encoded examples into tensors ``input_ids``, ``attention_mask``, ``labels``."""
    import torch

    width = max(len(x) for x in items)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    labels = torch.full((len(items), width), IGNORE_INDEX, dtype=torch.long)
    for r, x in enumerate(items):
        n = len(x.input_ids)
        ids[r, :n] = torch.tensor(x.input_ids)
        mask[r, :n] = 1
        labels[r, :n] = torch.tensor(x.labels)
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}
