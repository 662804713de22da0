"""spaCy's sentence-per-line IOB: one sentence per line, tokens separated by spaces,
each token ``word|tag`` or ``word|POS|tag``::

    I|PRP|O like|VBP|O London|NNP|B-GPE and|CC|O New|NNP|B-GPE York|NNP|I-GPE

(what ``spacy convert --converter iob`` reads). The number of ``|`` fields is fixed by
the first token of the file; a word may itself hold ``|`` (the tag, and the POS, are
the last fields). Tags may be in any scheme :mod:`engine.formats.tags` decodes. A POS
field is kept per token in ``Doc.meta["conll_columns"]`` (so a CoNLL export writes it
back). Each line is one document; blank lines are skipped. Reading streams the file.
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from engine.errors import FormatError
from engine.formats.base import Doc, Entity, ReadNotes, iter_lines
from engine.messages import msg
from engine.formats.tags import SCHEMES, scheme_of, spans_to_tags, tags_to_spans, validate_tag

__all__ = ["read", "write", "looks_like_iob"]

_TOKEN = re.compile(r"^\S+\|(?:\S+\|)?(?:[Oo]|[BIESMLUbiesmlu]-\S+)$")


def looks_like_iob(lines: list[str]) -> bool:
    """True when every line is space-separated ``word|tag`` / ``word|POS|tag`` tokens."""
    rows = [l.split() for l in lines if l.strip()]
    return bool(rows) and all(r and all(_TOKEN.match(t) for t in r) for r in rows)


def read(path: str | Path, *, notes: ReadNotes | None = None) -> Iterator[Doc]:
    """Yield one :class:`Doc` per non-blank line.

    Raises:
        FormatError: a token without ``|``, a token with a different number of
            ``|`` fields than the first, a malformed tag, or no tokens at all.
    """
    path = str(path)
    nfields = 0
    tagset: set[str] = set()
    count = 0
    for n, line in iter_lines(path):
        words = line.split()
        if not words:
            continue
        toks, tags, pos = [], [], []
        for i, word in enumerate(words, 1):
            fields = word.split("|")
            if len(fields) < 2:
                raise FormatError(
                    path, n, msg("token {i} ({word}) has no tag: write each token as word|tag or "
                                 "word|POS|tag, tokens separated by spaces, one sentence per line.",
                                 i=i, word=repr(word[:40]))
                )
            if not nfields:
                nfields = min(len(fields), 3)
            if len(fields) < nfields:
                raise FormatError(
                    path, n, msg("token {i} ({word}) has {fields} fields but the first token of the "
                                 "file has {expected} (word|POS|tag).",
                                 i=i, word=repr(word[:40]), fields=len(fields), expected=nfields)
                )
            tag = fields[-1]
            if tag not in tagset:
                problem = validate_tag(tag)
                if problem:
                    raise FormatError(path, n, msg("token {i}: {problem}", i=i, problem=problem))
                tagset.add(tag)
            toks.append("|".join(fields[: len(fields) - nfields + 1]))
            tags.append(tag)
            if nfields == 3:
                pos.append(fields[-2])
        text = " ".join(toks)
        starts = [0, *accumulate(len(t) + 1 for t in toks)][:-1]
        offsets = [(s, s + len(t)) for s, t in zip(starts, toks)]
        spans = [Entity(offsets[a][0], offsets[b - 1][1], lab) for a, b, lab in tags_to_spans(tags)]
        count += 1
        yield Doc(text, spans, offsets, [(0, len(toks))], n, {"conll_columns": [pos]} if pos else None)
    if not count:
        raise FormatError(path, 0, msg("the file has no tokens. A spaCy IOB file has one sentence per line, "
                                       "tokens written as word|tag or word|POS|tag."))
    if notes is not None:
        notes.origin["scheme"] = scheme_of(tagset)
        notes.origin["columns"] = ["token", "extra", "tag"] if nfields == 3 else ["token", "tag"]


def write(docs: Iterable[Doc], fh: TextIO, *, scheme: str = "bio") -> int:
    """Write one sentence per line as ``word|tag`` (``word|POS|tag`` when the document
    kept a POS column); return the number of documents.

    Raises:
        ValueError: unknown scheme, or a document without tokens.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tagging scheme {scheme!r}")
    n = 0
    for doc in docs:
        if doc.tokens is None:
            raise ValueError("IOB export needs tokenized documents")
        extra = (doc.meta or {}).get("conll_columns") or []
        pos = extra[0] if len(extra) == 1 and len(extra[0]) == len(doc.tokens) else None
        starts = [t[0] for t in doc.tokens]
        token_spans = []
        for sp in doc.spans:
            a = bisect.bisect_left(starts, sp.start)
            b = bisect.bisect_left(starts, sp.end)
            if b > a:
                token_spans.append((a, b, sp.label))
        for first, last in doc.sentences or [(0, len(doc.tokens))]:
            sent = [(max(a, first) - first, min(b, last) - first, l) for a, b, l in token_spans if a < last and b > first]
            tags = spans_to_tags(last - first, sent, scheme)
            words = [doc.text[s:e] for s, e in doc.tokens[first:last]]
            if pos:
                fh.write(" ".join(f"{w}|{p}|{t}" for w, p, t in zip(words, pos[first:last], tags)) + "\n")
            else:
                fh.write(" ".join(f"{w}|{t}" for w, t in zip(words, tags)) + "\n")
        n += 1
    return n
