"""CoNLL: one token and its tag per line, a blank line between sentences.

Columns are separated by a tab or by spaces; the token is the first column and the
tag the last (so 2-column files and CoNLL-2003's 4 columns both read). A file whose
first line is ``-DOCSTART-`` is read in *article mode*: the sentences between two
markers form one document, with sentence boundaries kept. Otherwise every sentence
is a document. Lines starting with ``# `` before a sentence are comments.

A document's text is its tokens joined by single spaces, one sentence per line.
Reading streams: memory is bounded by one document.
"""
from __future__ import annotations

import bisect
from itertools import accumulate
from operator import add
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from engine.errors import FormatError
from engine.formats.base import Doc, Entity, iter_line_blocks
from engine.formats.tags import SCHEMES, spans_to_tags, tags_to_spans, validate_tag

DOCSTART = "-DOCSTART-"
_plus_one = (1).__add__


def read(path: str | Path, *, scheme: str | None = None) -> Iterator[Doc]:
    """Yield one :class:`Doc` per sentence (or per article in article mode).

    ``scheme`` is accepted for clarity but decoding is scheme-agnostic (see
    :mod:`engine.formats.tags`), so any of bio/iob1/iobes/bmes reads correctly.

    Raises:
        FormatError: a line without a tag, a malformed tag, a token with spaces,
            a changing number of columns, JSON given as CoNLL, or no tokens at all.
    """
    if scheme is not None and scheme not in SCHEMES:
        raise FormatError(path, 0, f"unknown tagging scheme {scheme!r}; choose one of {', '.join(SCHEMES)}.")
    good_tags: set[str] = set()
    article_mode: bool | None = None
    ncols = 0
    # current document
    sents: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    doc_line = sent_line = 0
    any_token = False

    def make_doc() -> Doc:
        # Tokens are joined by " " and sentences by "\n": one separator character
        # either way, so offsets follow from the token lengths alone.
        all_toks = [t for stoks, _ in sents for t in stoks]
        lens = list(map(len, all_toks))
        starts = [0, *accumulate(map(_plus_one, lens))]
        starts.pop()
        offsets = list(zip(starts, map(add, starts, lens)))
        sentences: list[tuple[int, int]] = []
        spans: list[Entity] = []
        first = 0
        for stoks, stags in sents:
            end = first + len(stoks)
            sentences.append((first, end))
            for s, e, lab in tags_to_spans(stags):
                spans.append(Entity(offsets[first + s][0], offsets[first + e - 1][1], lab))
            first = end
        text = "\n".join([" ".join(stoks) for stoks, _ in sents])
        return Doc(text, spans, offsets, sentences, doc_line)

    for first_number, lines, odd_space in iter_line_blocks(path):
        for number, line in enumerate(lines, first_number):
            # Fast path: "token<TAB>tag" with a known tag and no stray whitespace.
            if not odd_space and line and ncols == 2 and article_mode is not None:
                token, sep, tag = line.partition("\t")
                if (
                    sep and tag in good_tags and token and token != DOCSTART and "\t" not in tag
                    and (toks or not line.startswith("# "))  # a comment goes the general way
                ):
                    if not toks:
                        sent_line = number
                        if not sents:
                            doc_line = sent_line
                    toks.append(token)
                    tags.append(tag)
                    continue
            if not line or line.isspace():
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                    if not article_mode:
                        yield make_doc()
                        sents = []
                continue
            if "\t" in line:
                parts = line.split("\t")
                if parts[0] != parts[0].strip() or parts[-1] != parts[-1].strip():
                    parts = [p.strip() for p in parts]
            else:
                parts = line.split()
            token = parts[0]
            if article_mode is None:
                stripped = line.lstrip()
                if stripped.startswith(("{", "[")):
                    raise FormatError(
                        path, number, "this looks like JSON, not CoNLL. Import it with --format jsonl or labelstudio."
                    )
                article_mode = token == DOCSTART
            if token == DOCSTART:
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                if sents:
                    yield make_doc()
                    sents = []
                continue
            if not toks and line.startswith("# "):
                continue  # CoNLL-U style comment before a sentence
            if len(parts) < 2:
                raise FormatError(
                    path, number,
                    f"the line has a token ({token[:40]!r}) but no tag. Each line needs a token and its tag "
                    "separated by a tab, e.g. 'Paris<TAB>B-location'.",
                )
            if ncols == 0:
                ncols = len(parts)
            elif len(parts) != ncols:
                raise FormatError(
                    path, number,
                    f"the line has {len(parts)} columns but earlier lines have {ncols}. "
                    "Every token line needs the same columns; check for a stray tab or space.",
                )
            tag = parts[-1]
            if tag not in good_tags:
                problem = validate_tag(tag)
                if problem:
                    raise FormatError(path, number, problem)
                good_tags.add(tag)
            if not token or (odd_space and any(c.isspace() for c in token)):
                raise FormatError(path, number, f"the token {token!r} contains a space; a token must be one word.")
            if not toks:
                sent_line = number
                if not sents:
                    doc_line = sent_line
            toks.append(token)
            tags.append(tag)
            any_token = True
    if toks:
        sents.append((toks, tags))
    if sents:
        yield make_doc()
    if not any_token:
        raise FormatError(path, 0, "the file has no tokens. Is it a CoNLL file (one 'token<TAB>tag' per line)?")


def write(docs: Iterable[Doc], fh: TextIO, *, scheme: str = "bio", docstart: bool = False) -> int:
    """Write ``token<TAB>tag`` lines, a blank line between sentences; return the number of documents.

    With ``docstart`` each document starts with a ``-DOCSTART-`` line (article mode).

    Raises:
        ValueError: unknown scheme, or a document without tokens.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tagging scheme {scheme!r}")
    n = 0
    for doc in docs:
        if doc.tokens is None:
            raise ValueError("CoNLL export needs tokenized documents")
        toks = doc.tokens
        if docstart:
            fh.write(f"{DOCSTART}\tO\n\n")
        token_spans = []
        if doc.spans:
            starts = [t[0] for t in toks]
            ends = [t[1] for t in toks]
            for sp in doc.spans:
                a = bisect.bisect_right(ends, sp.start)
                b = bisect.bisect_left(starts, sp.end)
                if b > a:
                    token_spans.append((a, b, sp.label))
        sentences = doc.sentences or [(0, len(toks))]
        text = doc.text
        for first, last in sentences:
            sent_spans = [(max(a, first) - first, min(b, last) - first, lab) for a, b, lab in token_spans if a < last and b > first]
            tags = spans_to_tags(last - first, sent_spans, scheme)
            fh.write("".join(f"{text[s:e]}\t{tag}\n" for (s, e), tag in zip(toks[first:last], tags)))
            fh.write("\n")
        n += 1
    return n
