"""CoNLL: one token and its tag per line, a blank line between sentences.

Columns are separated by a tab or by spaces. With two columns they are token and
tag. With more, each column's role is found from the first block of the file
(:func:`detect_layout`): a column counting 1..n (or 0..n-1) in every sentence is an
index (ignored); a column of chunk tags (``B-NP``) is kept as an extra column; of the
columns holding entity tags (``O``, ``B-PER`` ...) the one with the most entities is
the tag (a second one, such as GermEval's nested layer, is kept as an extra column and
noted); the token is the first remaining column. ``token_column``/``tag_column``
(1-based) override the guess. Extra columns (POS, chunk, nested tags) are kept per
token in ``Doc.meta["conll_columns"]`` so export can write them back.

A file whose first line is ``-DOCSTART-`` is read in *article mode*: the sentences
between two markers form one document, with sentence boundaries kept. Otherwise every
sentence is a document. Comment lines before a sentence (``# ...``, ``#<TAB>...``
lines that are not a token line) are skipped and counted; a line holding only a stray
byte-order mark (U+FEFF, as WNUT-17's published dev file ends) is read as a blank line
and noted.

A document's text is its tokens joined by single spaces, one sentence per line.
Reading streams: memory is bounded by one document.
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate
from operator import add
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, TextIO

from engine.errors import FormatError
from engine.formats.base import _ODD_SPACE, Doc, Entity, ReadNotes, iter_text_blocks
from engine.messages import msg
from engine.formats.tags import SCHEMES, scheme_of, spans_to_tags, tags_to_spans, validate_tag

DOCSTART = "-DOCSTART-"
_plus_one = (1).__add__


#: A run of consecutive ``token<TAB>tag`` lines: one tab per line, no empty column.
_GOOD_LINES = re.compile(r"^[^\t\n]+\t[^\t\n]+(?:\n[^\t\n]+\t[^\t\n]+)*$", re.M)


def read(path: str | Path, *, scheme: str | None = None, token_column: int | None = None,
         tag_column: int | None = None, notes: ReadNotes | None = None) -> Iterator[Doc]:
    """Yield one :class:`Doc` per sentence (or per article in article mode).

    ``scheme`` is accepted for clarity but decoding is scheme-agnostic (see
    :mod:`engine.formats.tags`), so any of bio/iob1/iobes/bmes reads correctly; the
    scheme the file uses is put in ``notes.origin["scheme"]`` and the column roles in
    ``notes.origin["columns"]``. ``token_column``/``tag_column``: 1-based columns.

    Raises:
        FormatError: a line without a tag, a malformed tag, a token with spaces,
            a changing number of columns, JSON given as CoNLL, two equally likely tag
            columns (choose one with ``tag_column``), or no tokens at all.
    """
    if scheme is not None and scheme not in SCHEMES:
        raise FormatError(path, 0, msg("unknown tagging scheme {scheme}; choose one of {choices}.",
                                       scheme=repr(scheme), choices=", ".join(SCHEMES)))
    for name, value in (("--token-column", token_column), ("--tag-column", tag_column)):
        if value is not None and (type(value) is not int or value < 1):
            raise FormatError(path, 0, msg("{option} is a column number counted from 1, not {value}.",
                                           option=name, value=repr(value)))
    yield from _Reader(path, notes=notes, token_column=token_column, tag_column=tag_column).docs()


#: Tags with a position (or O): what an entity-tag column holds.
_TAGLIKE = re.compile(r"^(?:[Oo]|[BIESMLUbiesmlu]-\S+)$")
#: Phrase-chunk labels (CoNLL-2000/2003 chunk column), never entity tags.
_CHUNKS = frozenset("NP VP PP ADJP ADVP SBAR PRT INTJ CONJP LST UCP X".split())
_NOISE = "\ufeff\u200b"


class Layout(NamedTuple):
    """Column roles of a CoNLL file (0-based column numbers)."""

    ncols: int
    token: int
    tag: int
    index: tuple[int, ...] = ()
    extra: tuple[int, ...] = ()
    nested: tuple[int, ...] = ()  # extra columns that hold entity tags too
    strict_tags: bool = False  # the tag column holds only O and position-prefixed tags

    @property
    def simple(self) -> bool:
        return self.ncols == 2 and self.token == 0 and self.tag == 1

    def roles(self) -> list[str]:
        """The role of each column: ``token``, ``tag``, ``index`` or ``extra``."""
        out = []
        for j in range(self.ncols):
            out.append("token" if j == self.token else "tag" if j == self.tag else "index" if j in self.index else "extra")
        return out


def _is_index(sentences: list[list[str]]) -> bool:
    """True when every sentence's values count 1, 2, 3... (or 0, 1, 2...)."""
    seen = 0
    for values in sentences:
        if not values or not all(v.isdigit() for v in values):
            return False
        first = int(values[0])
        if first not in (0, 1) or any(int(v) != first + i for i, v in enumerate(values)):
            return False
        seen += len(values)
    return seen >= 2


def detect_layout(path, sentences: list[list[list[str]]], ncols: int, token_column: int | None = None,
                  tag_column: int | None = None) -> Layout:
    """Find the column roles from sample ``sentences`` (lists of rows of ``ncols`` values).

    Raises:
        FormatError: a chosen column does not exist, or two columns hold entity tags
            with the same number of entities (the user must choose one).
    """
    for name, value in (("--token-column", token_column), ("--tag-column", tag_column)):
        if value is not None and value > ncols:
            raise FormatError(path, 0, msg("{option} {value}: the file has only {ncols} columns.",
                                           option=name, value=value, ncols=ncols))
    if ncols < 3 and token_column is None and tag_column is None:
        return Layout(ncols, 0, max(ncols - 1, 0))
    cols = [[row[j] for sent in sentences for row in sent] for j in range(ncols)]
    index = tuple(j for j in range(ncols) if _is_index([[row[j] for row in sent] for sent in sentences]))
    taglike = [j for j in range(ncols) if j not in index and cols[j] and all(_TAGLIKE.match(v) for v in cols[j])]
    candidates = [
        j for j in taglike
        if not {v[2:].upper() for v in cols[j] if len(v) > 1} <= _CHUNKS or all(v in "Oo" for v in cols[j])
    ]
    entities = {j: sum(1 for v in cols[j] if v not in ("O", "o")) for j in candidates}
    if tag_column is not None:
        tag = tag_column - 1
    elif candidates:
        ranked = sorted(candidates, key=lambda j: (entities[j], j), reverse=True)
        tag = ranked[0]
        if len(ranked) > 1 and entities[ranked[1]] == entities[tag] > 0 and cols[ranked[1]] != cols[tag]:
            raise FormatError(
                path, 0,
                msg("columns {column} and {column2} both hold entity tags, as many in each; choose the "
                    "one to import with --tag-column (the other is kept as an extra column).",
                    column=ranked[1] + 1, column2=tag + 1),
            )
    else:
        tag = ncols - 1
    if token_column is not None:
        token = token_column - 1
    else:
        token = next((j for j in range(ncols) if j not in index and j != tag and j not in taglike),
                     next((j for j in range(ncols) if j not in index and j != tag), 0))
    index = tuple(j for j in index if j not in (token, tag))
    extra = tuple(j for j in range(ncols) if j not in (token, tag) and j not in index)
    nested = tuple(j for j in extra if j in candidates)
    return Layout(ncols, token, tag, index, extra, nested, tag in taglike)


class _Reader:
    """The state of one read: the document being built and what earlier lines fixed
    (article mode, column layout, tags already validated)."""

    def __init__(self, path: str | Path, bulk: bool = True, notes: ReadNotes | None = None,
                 token_column: int | None = None, tag_column: int | None = None):
        self.path = path
        self.bulk = bulk  # False: every line through :meth:`lines` (tests compare the two)
        self.notes = notes
        self.token_column = token_column
        self.tag_column = tag_column
        self.good_tags: set[str] = set()
        self.article_mode: bool | None = None
        self.ncols = 0
        self.layout: Layout | None = None
        self.sample: list[str] = []  # lines of the first block, for the layout
        # current document: finished sentences, and the tokens/tags of the open one
        self.sents: list[tuple[list[str], list[str], list[list[str]] | None]] = []
        self.toks: list[str] = []
        self.tags: list[str] = []
        self.extras: list[list[str]] | None = None  # per extra column, values of the open sentence
        self.doc_line = 0
        self.sent_line = 0
        self.any_token = False
        self.n_tokens = 0
        self.n_entity_tokens = 0
        self.comments: list[int] = []
        self.i_starts = False  # an entity starts with I- (IOB1)
        self.b_other = False  # a B- that does not follow the same label (not IOB1)

    def make_doc(self) -> Doc:
        # Tokens are joined by " " and sentences by "\n": one separator character
        # either way, so offsets follow from the token lengths alone.
        sents = self.sents
        if len(sents) == 1:
            all_toks, tags, _ = sents[0]
            text = " ".join(all_toks)
        else:
            all_toks = [t for stoks, _, _ in sents for t in stoks]
            text = "\n".join([" ".join(stoks) for stoks, _, _ in sents])
        lens = list(map(len, all_toks))
        starts = [0, *accumulate(map(_plus_one, lens))]
        starts.pop()
        offsets = list(zip(starts, map(add, starts, lens)))
        spans: list[Entity] = []
        sentences = []
        first = 0
        for stoks, stags, _ in sents:
            end = first + len(stoks)
            sentences.append((first, end))
            n_o = stags.count("O")
            self.n_tokens += len(stags)
            if n_o != len(stags):
                self.n_entity_tokens += len(stags) - n_o - stags.count("o")
                decoded = tags_to_spans(stags)
                prev = None
                for s, e, lab in decoded:
                    spans.append(Entity(offsets[first + s][0], offsets[first + e - 1][1], lab))
                    head = stags[s][:2]
                    if head in ("I-", "i-") or "-" not in stags[s]:
                        self.i_starts = True
                    elif head in ("B-", "b-") and not (prev and prev[1] == s and prev[2] == lab):
                        self.b_other = True
                    prev = (s, e, lab)
            first = end
        meta = None
        if sents[0][2] is not None:
            ncols = len(sents[0][2])
            meta = {"conll_columns": [[v for _, _, ex in sents for v in ex[k]] for k in range(ncols)]}
        return Doc(text, spans, offsets, sentences, self.doc_line, meta)

    def end_sentence(self) -> Iterator[Doc]:
        """A blank line: close the open sentence (and, outside article mode, the document)."""
        if self.toks:
            self.sents.append((self.toks, self.tags, self.extras))
            self.toks, self.tags = [], []
            self.extras = [[] for _ in self.layout.extra] if self.layout and self.layout.extra else None
            if not self.article_mode:
                yield self.make_doc()
                self.sents = []

    def set_layout(self, lines: list[str]) -> None:
        """Find the column roles from the first block's lines (see :func:`detect_layout`)."""
        sentences: list[list[list[str]]] = []
        cur: list[list[str]] = []
        ncols = 0
        for line in lines[:5000]:
            if not line.strip(_NOISE + " \t") or line.isspace():
                if cur:
                    sentences.append(cur)
                    cur = []
                continue
            parts = [p.strip() for p in line.split("\t")] if "\t" in line else line.split()
            if parts[0] == DOCSTART or (line.startswith("#") and not cur):
                continue  # a comment, or a rare sentence starting with "#": left out of the sample
            if not ncols:
                ncols = len(parts)
            if len(parts) == ncols:
                cur.append(parts)
            elif not cur and line.startswith("#"):
                continue
        if cur:
            sentences.append(cur)
        self.layout = layout = detect_layout(self.path, sentences, max(ncols, 2), self.token_column, self.tag_column)
        if layout.extra:
            self.extras = [[] for _ in layout.extra]
        if self.notes is not None:
            self.notes.origin["columns"] = layout.roles()
            if not layout.simple and layout.ncols > 2 and (layout.index or layout.nested or layout.token != 0 or layout.tag != layout.ncols - 1):
                desc = ", ".join(f"{j + 1} = {r}" for j, r in enumerate(layout.roles()))
                self.notes.add(0, msg("read the columns as: {columns} (choose others with --token-column / "
                                      "--tag-column).", columns=desc))
            for j in layout.nested:
                self.notes.add(0, msg("column {column} holds a second layer of entity tags (nested entities); "
                                      "Tessera keeps one entity per character, so it is not imported as entities. "
                                      "It is kept with the tokens and written back by CoNLL export.", column=j + 1))

    def docs(self) -> Iterator[Doc]:
        for first, text, odd_space in iter_text_blocks(self.path):
            if self.layout is None:
                self.set_layout(text.split("\n"))
            if self.bulk and self.layout.simple:
                yield from self.block(first, text, odd_space)
            else:
                yield from self.lines(text.split("\n"), first, odd_space)
        if self.toks:
            self.sents.append((self.toks, self.tags, self.extras))
        if self.sents:
            yield self.make_doc()
        if not self.any_token:
            raise FormatError(
                self.path, 0, msg("the file has no tokens. Is it a CoNLL file (one 'token<TAB>tag' per line)?")
            )
        self.finish()

    def finish(self) -> None:
        """Record the scheme, skipped comments and a warning when almost nothing is tagged."""
        notes = self.notes
        if notes is None:
            return
        notes.origin["scheme"] = scheme_of(self.good_tags, iob1=self.i_starts and not self.b_other)
        if self.comments:
            shown = ", ".join(map(str, self.comments[:5])) + (", ..." if len(self.comments) > 5 else "")
            notes.add(self.comments[0], msg("skipped {count} comment line(s) starting with '#' (lines {lines}).",
                                             count=f"{len(self.comments):,}", lines=shown))
        if self.n_tokens >= 200 and self.n_entity_tokens * 1000 < self.n_tokens:
            notes.add(0, msg("warning: only {tagged} of {tokens} tokens carry an entity tag. "
                             "If the file's tags are in another column, import it again with --tag-column N.",
                             tagged=f"{self.n_entity_tokens:,}", tokens=f"{self.n_tokens:,}"))

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
                or (not self.toks and run.startswith("#"))  # a comment goes the general way
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

    def _comment(self, line: str, parts: list[str]) -> bool:
        """Whether a line starting with ``#`` before a sentence is a comment, not a token line."""
        if line.startswith("# ") or line == "#":
            return True
        layout = self.layout
        ncols = self.ncols or (layout.ncols if layout else 0)
        if ncols and len(parts) != ncols:
            return True
        if layout and len(parts) == layout.ncols:
            tag = parts[layout.tag]
            if layout.strict_tags and not _TAGLIKE.match(tag):
                return True
            if any(not parts[j].isdigit() for j in layout.index):
                return True
        else:
            tag = parts[-1]
        return len(parts) < 2 or validate_tag(tag) is not None

    def lines(self, lines: list[str], first_number: int, odd_space: bool) -> Iterator[Doc]:
        """Read ``lines`` one at a time (the first is line ``first_number``)."""
        path = self.path
        good_tags = self.good_tags
        layout = self.layout
        simple = layout is None or layout.simple
        for number, line in enumerate(lines, first_number):
            # Fast path: "token<TAB>tag" with a known tag and no stray whitespace.
            if simple and not odd_space and line and self.ncols == 2 and self.article_mode is not None:
                token, sep, tag = line.partition("\t")
                if (
                    sep and tag in good_tags and token and token != DOCSTART and "\t" not in tag
                    and (self.toks or not line.startswith("#"))  # a comment goes the general way
                ):
                    self._push(number, token, tag)
                    continue
            if line and not line.strip(_NOISE + " \t"):
                if self.notes is not None:
                    self.notes.add(number, msg("a line holding only a stray byte-order mark (U+FEFF) or "
                                               "zero-width space was read as a blank line."))
                line = ""
            if not line or line.isspace():
                yield from self.end_sentence()
                continue
            if "\t" in line:
                parts = line.split("\t")
                if parts[0] != parts[0].strip() or parts[-1] != parts[-1].strip():
                    parts = [p.strip() for p in parts]
            else:
                parts = line.split()
            if self.article_mode is None:
                stripped = line.lstrip()
                if stripped.startswith(("{", "[")):
                    raise FormatError(
                        path, number,
                        msg("this looks like JSON, not CoNLL. Import it with --format jsonl or labelstudio.")
                    )
                if not (line.startswith("#") and self._comment(line, parts)):
                    self.article_mode = parts[0] == DOCSTART
            if parts[0] == DOCSTART:
                if self.toks:
                    self.sents.append((self.toks, self.tags, self.extras))
                    self.toks, self.tags = [], []
                    self.extras = [[] for _ in layout.extra] if layout and layout.extra else None
                if self.sents:
                    yield self.make_doc()
                    self.sents = []
                continue
            if not self.toks and line.startswith("#") and self._comment(line, parts):
                self.comments.append(number)
                continue
            if len(parts) < 2:
                raise FormatError(
                    path, number,
                    msg("the line has a token ({token}) but no tag. Each line needs a token and its tag "
                        "separated by a tab, e.g. 'Paris<TAB>B-location'.", token=repr(parts[0][:40])),
                )
            if self.ncols == 0:
                self.ncols = len(parts)
            elif len(parts) != self.ncols:
                raise FormatError(
                    path, number,
                    msg("the line has {ncols} columns but earlier lines have {expected}. "
                        "Every token line needs the same columns; check for a stray tab or space.",
                        ncols=len(parts), expected=self.ncols),
                )
            if layout is None or layout.ncols != len(parts):
                token, tag = parts[0], parts[-1]
                extra = ()
            else:
                token, tag = parts[layout.token], parts[layout.tag]
                extra = layout.extra
            if tag not in good_tags:
                problem = validate_tag(tag)
                if problem:
                    raise FormatError(path, number, problem)
                good_tags.add(tag)
            if not token or (odd_space and any(c.isspace() for c in token)):
                raise FormatError(path, number, msg("the token {token} contains a space; a token must be one word.",
                                                   token=repr(token)))
            self._push(number, token, tag)
            if extra:
                for values, j in zip(self.extras, extra):
                    values.append(parts[j])


def write(docs: Iterable[Doc], fh: TextIO, *, scheme: str | None = None, docstart: bool = False,
          columns: list[str] | None = None) -> int:
    """Write ``token<TAB>tag`` lines, a blank line between sentences; return the number of documents.

    ``scheme``: bio, iob1, iobes or bmes; ``None`` writes each document in the scheme
    it was imported with (``Doc.origin["scheme"]``), else bio. With ``docstart`` each
    document starts with a ``-DOCSTART-`` line (article mode). ``columns`` (roles as in
    :meth:`Layout.roles`: ``index``, ``token``, ``tag``, ``extra``) writes the columns
    a file was imported with: indexes counted per sentence, extra columns from
    ``Doc.meta["conll_columns"]`` (``_`` where a document has none).

    Raises:
        ValueError: unknown scheme, or a document without tokens.
    """
    if scheme is not None and scheme not in SCHEMES:
        raise ValueError(f"unknown tagging scheme {scheme!r}")
    n = 0
    for doc in docs:
        if doc.tokens is None:
            raise ValueError("CoNLL export needs tokenized documents")
        toks = doc.tokens
        doc_scheme = scheme or (doc.origin or {}).get("scheme") or "bio"
        if doc_scheme not in SCHEMES:
            doc_scheme = "bio"
        if docstart:
            fh.write(f"{DOCSTART}\tO\n\n" if not columns else "\t".join(
                DOCSTART if r == "token" else "O" if r == "tag" else "-X-" for r in columns) + "\n\n")
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
        extras = None
        if columns:
            kept = (doc.meta or {}).get("conll_columns") or []
            want = columns.count("extra")
            extras = [col if len(col) == len(toks) else None for col in kept[:want]]
            extras += [None] * (want - len(extras))
        for first, last in sentences:
            sent_spans = [(max(a, first) - first, min(b, last) - first, lab) for a, b, lab in token_spans if a < last and b > first]
            tags = spans_to_tags(last - first, sent_spans, doc_scheme)
            if not columns:
                fh.write("".join(f"{text[s:e]}\t{tag}\n" for (s, e), tag in zip(toks[first:last], tags)))
            else:
                for i in range(first, last):
                    row, k = [], 0
                    for role in columns:
                        if role == "token":
                            row.append(text[toks[i][0]:toks[i][1]])
                        elif role == "tag":
                            row.append(tags[i - first])
                        elif role == "index":
                            row.append(str(i - first + 1))
                        else:
                            col = extras[k]
                            row.append(col[i] if col is not None else "_")
                            k += 1
                    fh.write("\t".join(row) + "\n")
            fh.write("\n")
        n += 1
    return n
