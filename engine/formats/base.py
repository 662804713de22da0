"""Shared types and helpers for importers and exporters.

A reader turns a file into a stream of :class:`Doc` records and raises
:class:`engine.errors.FormatError` (``path:line: what is wrong``) on bad input.
A writer turns :class:`Doc` records back into a file. Readers never touch the
project store: ``engine.importer`` writes what they yield in one transaction.
"""
from __future__ import annotations

import codecs
import io
import os
import tempfile
from contextlib import contextmanager
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, NamedTuple

from engine.errors import FormatError, TesseraError


@dataclass
class Entity:
    """One labeled span in character offsets: ``text[start:end]`` is the entity."""

    start: int
    end: int
    label: str


@dataclass
class Doc:
    """A document as read from, or written to, a file.

    Attributes:
        text: the document text.
        spans: entities in character offsets.
        tokens: ``[start, end)`` character offsets of each token, or ``None`` to let
            the importer tokenize ``text`` with :func:`engine.tokenize.tokenize`.
        sentences: ``[first, last+1)`` token-index ranges, or ``None`` for "one
            sentence per document" (the importer may split further).
        line: 1-based line in the source file where this document starts (for errors).
        meta: free-form extra fields kept from the source (JSON-serialisable).
        status: ``done``/``new`` when the source says so, else ``None``.
    """

    text: str
    spans: list[Entity] = field(default_factory=list)
    tokens: list[tuple[int, int]] | None = None
    sentences: list[tuple[int, int]] | None = None
    line: int = 0
    meta: dict | None = None
    status: str | None = None


# Byte-order marks we accept, longest first (UTF-32 BOMs start with UTF-16 ones).
_BOMS = (
    (codecs.BOM_UTF32_LE, None),
    (codecs.BOM_UTF32_BE, None),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(path: str | Path) -> str:
    """Return the text encoding of ``path`` from its byte-order mark.

    Returns ``utf-8-sig`` (UTF-8 with BOM), ``utf-16`` (UTF-16 with BOM) or
    ``utf-8`` (no BOM).

    Raises:
        FormatError: the file is missing, unreadable, UTF-32, or looks binary
            (a NUL byte in its first 8 KB without a UTF-16 BOM).
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except FileNotFoundError:
        raise FormatError(path, 0, "file not found. Check the path and try again.") from None
    except IsADirectoryError:
        raise FormatError(path, 0, "this is a folder, not a file. Choose a file to import.") from None
    except OSError as exc:
        raise FormatError(path, 0, f"cannot read the file ({exc.strerror}).") from None
    for bom, enc in _BOMS:
        if head.startswith(bom):
            if enc is None:
                raise FormatError(
                    path, 1, "the file is UTF-32 encoded. Save it as UTF-8 and import again."
                )
            return enc
    if b"\x00" in head:
        raise FormatError(
            path,
            1,
            "this looks like a binary file, not text. Choose a text file "
            "(CoNLL, JSONL, JSON, TXT, CSV or TSV) saved as UTF-8.",
        )
    return "utf-8"


class LineBlock(NamedTuple):
    """A run of consecutive lines from :func:`iter_line_blocks`.

    ``first`` is the 1-based number of ``lines[0]``; ``odd_space`` is true when the
    block holds whitespace other than tabs and line breaks (a reader may skip its
    per-token whitespace checks when it is false).
    """

    first: int
    lines: list[str]
    odd_space: bool


_ODD_SPACE = re.compile(r"[^\S\t\n]")
_BLOCK = 1 << 18


class TextBlock(NamedTuple):
    """A run of consecutive lines from :func:`iter_text_blocks`, as one string.

    ``text`` holds ``n`` lines joined by ``\n`` (``n = text.count("\n") + 1``; line
    ends normalised, no final line end); ``first`` is the 1-based number of its first
    line; ``odd_space`` as in :class:`LineBlock`.
    """

    first: int
    text: str
    odd_space: bool


def iter_text_blocks(path: str | Path, block_size: int = _BLOCK) -> Iterator[TextBlock]:
    """Yield the lines of a text file in blocks of about ``block_size`` bytes, streaming,
    each block as one string (see :class:`TextBlock`).

    Line ends (``\n``, ``\r\n``, a lone ``\r``) become ``\n``; a leading BOM is
    dropped. Memory use is bounded by the block size plus the longest line. Decoding a
    whole block at once is what makes large imports fast.

    Raises:
        FormatError: unreadable file, unsupported encoding, binary content, or a
            line that is not valid in the detected encoding (reported at that line).
    """
    enc = detect_encoding(path)
    if enc == "utf-16":
        for first, lines, odd in _utf16_blocks(path):
            yield TextBlock(first, "\n".join(lines), odd)
        return
    number = 1
    tail = b""
    with open(path, "rb") as raw:
        while True:
            data = raw.read(block_size)
            if not data:
                break
            data = tail + data
            cut = data.rfind(b"\n") + 1
            if cut == 0 and len(data) < 64 * block_size:  # no line end yet: read on
                tail = data
                continue
            if cut == 0:
                cut = len(data)
            tail = data[cut:]
            block = _block(path, data[:cut], number)
            yield block
            number += block.text.count("\n") + 1
        if tail:
            yield _block(path, tail, number)


def iter_line_blocks(path: str | Path, block_size: int = _BLOCK) -> Iterator[LineBlock]:
    """Yield the lines of a text file in blocks of about ``block_size`` bytes, streaming.

    Lines have their end-of-line characters (``\n``, ``\r\n``, a lone ``\r``)
    removed; a leading BOM is dropped. Memory use is bounded by the block size plus
    the longest line.

    Raises:
        FormatError: see :func:`iter_text_blocks`.
    """
    for first, text, odd_space in iter_text_blocks(path, block_size):
        yield LineBlock(first, text.split("\n"), odd_space)


def _block(path, data: bytes, number: int) -> TextBlock:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = number + data.count(b"\n", 0, exc.start)
        raise FormatError(path, bad, _BAD_TEXT.format(enc="UTF-8")) from None
    if number == 1 and text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        bad = number + text.count("\n", 0, text.index("\x00"))
        raise FormatError(path, bad, "the line contains a NUL byte; this looks like a binary file.")
    if "\r" in text:  # Windows line ends, or old Mac ones where a lone CR ends a line
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return TextBlock(number, text, _ODD_SPACE.search(text) is not None)


def iter_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` for each line of a text file, streaming.

    Line numbers are 1-based; see :func:`iter_line_blocks` for line ends, BOMs,
    memory and errors.
    """
    for first, lines, _ in iter_line_blocks(path):
        yield from enumerate(lines, first)


_BAD_TEXT = (
    "the text is not valid {enc} (perhaps it was saved as Latin-1 or Windows-1252). "
    "Save the file as UTF-8 and import again."
)


def _utf16_blocks(path: str | Path, size: int = 4096) -> Iterator[LineBlock]:
    lines: list[str] = []
    first = 1
    for number, line in _iter_utf16_lines(path):
        if not lines:
            first = number
        lines.append(line)
        if len(lines) == size:
            yield LineBlock(first, lines, any(_ODD_SPACE.search(x) for x in lines))
            lines = []
    if lines:
        yield LineBlock(first, lines, any(_ODD_SPACE.search(x) for x in lines))


def _iter_utf16_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    number = 0
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-16", errors="strict", newline=None)
        try:
            for number, line in enumerate(text, 1):
                if "\x00" in line:
                    raise FormatError(path, number, "the line contains a NUL byte; this looks like a binary file.")
                yield number, line.rstrip("\n")
        except UnicodeDecodeError:
            raise FormatError(path, number + 1, _BAD_TEXT.format(enc="UTF-16")) from None


def open_text(path: str | Path) -> IO[str]:
    """Open ``path`` for reading as text in its detected encoding (see :func:`detect_encoding`).

    Returns a text stream; decoding errors surface as ``UnicodeDecodeError`` on read,
    so prefer :func:`iter_lines` when a line number is wanted.
    """
    enc = detect_encoding(path)
    return open(path, encoding=enc, errors="strict", newline=None)


def check_spans(path: str | Path, line: int, text: str, spans: list[Entity]) -> None:
    """Validate character-offset spans against ``text``.

    Raises:
        FormatError: a span has non-integer offsets, is empty or reversed, falls
            outside the text, has an empty label, or overlaps another span.
    """
    n = len(text)
    for sp in spans:
        if not isinstance(sp.start, int) or not isinstance(sp.end, int) or isinstance(sp.start, bool) or isinstance(sp.end, bool):
            raise FormatError(path, line, f"span offsets must be whole numbers, got start={sp.start!r} end={sp.end!r}.")
        if not (0 <= sp.start < sp.end <= n):
            raise FormatError(
                path,
                line,
                f"span {sp.start}-{sp.end} ({sp.label!r}) is outside the text, which has "
                f"{n} characters. Offsets count characters from 0; end is exclusive.",
            )
        if not isinstance(sp.label, str) or not sp.label.strip():
            raise FormatError(path, line, f"span {sp.start}-{sp.end} has an empty label.")
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end:
            raise FormatError(
                path,
                line,
                f"spans {a.start}-{a.end} ({a.label}) and {b.start}-{b.end} ({b.label}) overlap; "
                "Tessera keeps one entity per character. Remove one of them.",
            )


@contextmanager
def atomic_text_file(path: str | Path) -> Iterator[IO[str]]:
    """Open a temp file beside ``path`` for writing UTF-8 text; on success rename it to
    ``path``, on any exception delete it, so ``path`` is never half-written.

    Raises:
        TesseraError: the folder of ``path`` does not exist.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TesseraError(f"{path}: the folder {folder} does not exist.")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
