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
import re
from itertools import accumulate
from operator import add
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from engine.errors import FormatError
from engine.formats.base import _ODD_SPACE, Doc, Entity, iter_text_blocks
from engine.formats.tags import SCHEMES, spans_to_tags, tags_to_spans, validate_tag

DOCSTART = "-DOCSTART-"
_plus_one = (1).__add__


#: A run of consecutive ``token<TAB>tag`` lines: one tab per line, no empty column.
_GOOD_LINES = re.compile(r"^[^\t\n]+\t[^\t\n]+(?:\n[^\t\n]+\t[^\t\n]+)*$", re.M)


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
    yield from _Reader(path).docs()


class _Reader:
    """The state of one read: the document being built and what earlier lines fixed
    (article mode, number of columns, tags already validated)."""

    def __init__(self, path: str | Path, bulk: bool = True):
        self.path = path
        self.bulk = bulk  # False: every line through :meth:`lines` (tests compare the two)
        self.good_tags: set[str] = set()
        self.article_mode: bool | None = None
        self.ncols = 0
        # current document: finished sentences, and the tokens/tags of the open one
        self.sents: list[tuple[list[str], list[str]]] = []
        self.toks: list[str] = []
        self.tags: list[str] = []
        self.doc_line = 0
        self.sent_line = 0
        self.any_token = False

    def make_doc(self) -> Doc:
        # Tokens are joined by " " and sentences by "\n": one separator character
        # either way, so offsets follow from the token lengths alone.
        sents = self.sents
        if len(sents) == 1:
            all_toks, tags = sents[0]
            text = " ".join(all_toks)
        else:
            all_toks = [t for stoks, _ in sents for t in stoks]
            text = "\n".join([" ".join(stoks) for stoks, _ in sents])
        lens = list(map(len, all_toks))
        starts = [0, *accumulate(map(_plus_one, lens))]
        starts.pop()
        offsets = list(zip(starts, map(add, starts, lens)))
        spans: list[Entity] = []
        if len(sents) == 1:
            sentences = [(0, len(all_toks))]
            if tags.count("O") != len(tags):
                spans = [Entity(offsets[s][0], offsets[e - 1][1], lab) for s, e, lab in tags_to_spans(tags)]
        else:
            sentences = []
            first = 0
            for stoks, stags in sents:
                end = first + len(stoks)
                sentences.append((first, end))
                if stags.count("O") != len(stags):
                    for s, e, lab in tags_to_spans(stags):
                        spans.append(Entity(offsets[first + s][0], offsets[first + e - 1][1], lab))
                first = end
        return Doc(text, spans, offsets, sentences, self.doc_line)

    def end_sentence(self) -> Iterator[Doc]:
        """A blank line: close the open sentence (and, outside article mode, the document)."""
        if self.toks:
            self.sents.append((self.toks, self.tags))
            self.toks, self.tags = [], []
            if not self.article_mode:
                yield self.make_doc()
                self.sents = []

    def docs(self) -> Iterator[Doc]:
        for first, text, odd_space in iter_text_blocks(self.path):
            if self.bulk:
                yield from self.block(first, text, odd_space)
            else:
                yield from self.lines(text.split("\n"), first, odd_space)
        if self.toks:
            self.sents.append((self.toks, self.tags))
        if self.sents:
            yield self.make_doc()
        if not self.any_token:
            raise FormatError(
                self.path, 0, "the file has no tokens. Is it a CoNLL file (one 'token<TAB>tag' per line)?"
            )

    def block(self, first: int, text: str, odd_space: bool) -> Iterator[Doc]:
        """Read one block of lines: runs of plain ``token<TAB>tag`` lines in bulk,
        everything else (blank lines, comments, -DOCSTART-, other columns, errors)
        line by line in :meth:`lines`."""
        pos = 0  # where the next line not yet read starts
        line = first  # its number
        for m in _GOOD_LINES.finditer(text):
            a, b = m.span()
            if a > pos:  # lines between two runs, each ending with "\n"
                gap = text[pos:a - 1]
                if not gap or gap.isspace():  # blank lines only: the common case
                    yield from self.end_sentence()
                else:
                    yield from self.lines(gap.split("\n"), line, odd_space)
                line += text.count("\n", pos, a)
            pos = b + 1
            run = m.group()
            if (
                self.ncols != 2 or self.article_mode is None
                or (odd_space and _ODD_SPACE.search(run))  # a token may hold a space
                or DOCSTART in run
                or (not self.toks and run.startswith("# "))  # a comment goes the general way
            ):
                lines = run.split("\n")
                yield from self.lines(lines, line, odd_space)
                line += len(lines)
                continue
            flat = run.replace("\n", "\t").split("\t")
            tags = flat[1::2]
            if not self.good_tags.issuperset(tags):  # a tag not validated yet
                yield from self.lines(run.split("\n"), line, odd_space)
                line += len(tags)
                continue
            if not self.toks:
                self.sent_line = line
                if not self.sents:
                    self.doc_line = line
            if self.toks:
                self.toks += flat[0::2]
                self.tags += tags
            else:
                self.toks = flat[0::2]
                self.tags = tags
            self.any_token = True
            line += len(tags)
        if pos <= len(text):
            yield from self.lines(text[pos:].split("\n"), line, odd_space)

    def _push(self, number: int, token: str, tag: str) -> None:
        """Add a token line (line ``number``) to the sentence being read."""
        if not self.toks:
            self.sent_line = number
            if not self.sents:
                self.doc_line = number
        self.toks.append(token)
        self.tags.append(tag)
        self.any_token = True

    def lines(self, lines: list[str], first_number: int, odd_space: bool) -> Iterator[Doc]:
        """Read ``lines`` one at a time (the first is line ``first_number``)."""
        path = self.path
        good_tags = self.good_tags
        for number, line in enumerate(lines, first_number):
            # Fast path: "token<TAB>tag" with a known tag and no stray whitespace.
            if not odd_space and line and self.ncols == 2 and self.article_mode is not None:
                token, sep, tag = line.partition("\t")
                if (
                    sep and tag in good_tags and token and token != DOCSTART and "\t" not in tag
                    and (self.toks or not line.startswith("# "))  # a comment goes the general way
                ):
                    self._push(number, token, tag)
                    continue
            if not line or line.isspace():
                yield from self.end_sentence()
                continue
            if "\t" in line:
                parts = line.split("\t")
                if parts[0] != parts[0].strip() or parts[-1] != parts[-1].strip():
                    parts = [p.strip() for p in parts]
            else:
                parts = line.split()
            token = parts[0]
            if self.article_mode is None:
                stripped = line.lstrip()
                if stripped.startswith(("{", "[")):
                    raise FormatError(
                        path, number, "this looks like JSON, not CoNLL. Import it with --format jsonl or labelstudio."
                    )
                self.article_mode = token == DOCSTART
            if token == DOCSTART:
                if self.toks:
                    self.sents.append((self.toks, self.tags))
                    self.toks, self.tags = [], []
                if self.sents:
                    yield self.make_doc()
                    self.sents = []
                continue
            if not self.toks and line.startswith("# "):
                continue  # CoNLL-U style comment before a sentence
            if len(parts) < 2:
                raise FormatError(
                    path, number,
                    f"the line has a token ({token[:40]!r}) but no tag. Each line needs a token and its tag "
                    "separated by a tab, e.g. 'Paris<TAB>B-location'.",
                )
            if self.ncols == 0:
                self.ncols = len(parts)
            elif len(parts) != self.ncols:
                raise FormatError(
                    path, number,
                    f"the line has {len(parts)} columns but earlier lines have {self.ncols}. "
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
            self._push(number, token, tag)


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
