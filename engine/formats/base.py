"""Shared types and helpers for importers and exporters.

A reader turns a file into a stream of :class:`Doc` records and raises
:class:`engine.errors.FormatError` (``path:line: what is wrong``) on bad input.
A writer turns :class:`Doc` records back into a file. Readers never touch the
project store: ``engine.importer`` writes what they yield in one transaction.
"""
from __future__ import annotations

import codecs
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from engine.errors import FormatError


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


def iter_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` for each line of a text file, streaming.

    Line numbers are 1-based; the line has its end-of-line characters (``\n``,
    ``\r\n``) removed. A leading BOM is dropped. Memory use is bounded by the
    longest line.

    Raises:
        FormatError: unreadable file, unsupported encoding, binary content, or a
            line that is not valid in the detected encoding (reported at that line).
    """
    enc = detect_encoding(path)
    if enc == "utf-16":
        yield from _iter_utf16_lines(path)
        return
    number = 0
    with open(path, "rb") as raw:
        for data in raw:
            number += 1
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError:
                raise FormatError(path, number, _BAD_TEXT.format(enc="UTF-8")) from None
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if "\x00" in line:
                raise FormatError(path, number, "the line contains a NUL byte; this looks like a binary file.")
            if line.endswith("\n"):
                line = line[:-2] if line.endswith("\r\n") else line[:-1]
            if "\r" in line:  # old Mac line ends: a lone CR also ends a line
                *parts, line = line.split("\r")
                for part in parts:
                    yield number, part
                    number += 1
            yield number, line


_BAD_TEXT = (
    "the text is not valid {enc} (perhaps it was saved as Latin-1 or Windows-1252). "
    "Save the file as UTF-8 and import again."
)


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
