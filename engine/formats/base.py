"""Shared types and helpers for importers and exporters.

A reader turns a file into a stream of :class:`Doc` records and raises
:class:`engine.errors.FormatError` (``path:line: what is wrong``) on bad input.
A writer turns :class:`Doc` records back into a file. Readers never touch the
project store: ``engine.importer`` writes what they yield in one transaction.
"""
from __future__ import annotations

import codecs
import glob
import io
import os
import tempfile
from contextlib import contextmanager
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, NamedTuple

from engine.errors import FormatError, TesseraError
from engine.messages import msg


@dataclass
class Entity:
    """One labeled span in character offsets: ``text[start:end]`` is the entity."""

    start: int
    end: int
    label: str


@dataclass
class Feedback:
    """A span an annotator answered without making it an entity: Prodigy's binary
    ``reject`` (a negative example: "this is not a <label>") or ``ignore``."""

    start: int
    end: int
    label: str
    answer: str  # "reject" | "ignore"


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
        status: ``done``/``new``/``skipped`` when the source says so, else ``None``.
        feedback: spans answered ``reject``/``ignore`` (never entities).
        partial: the source labels only some entities of the text (Prodigy binary
            answers): records of the same text merge into one document.
        origin: per-import facts the exporter uses to write the file back as it came
            (scheme, column layout, Label Studio names, CSV column and delimiter); set
            by the exporter from the import record, never by readers.
    """

    text: str
    spans: list[Entity] = field(default_factory=list)
    tokens: list[tuple[int, int]] | None = None
    sentences: list[tuple[int, int]] | None = None
    line: int = 0
    meta: dict | None = None
    status: str | None = None
    feedback: list[Feedback] = field(default_factory=list)
    partial: bool = False
    origin: dict | None = None
    #: the document's categories (label names; kind ``category``), e.g. a CSV's label column
    categories: list[str] = field(default_factory=list)
    #: model suggestions ``(start, end, label, score, run id)``, set by the exporter
    #: when asked to write them (Label Studio ``predictions``); never gold
    predictions: list[tuple] = field(default_factory=list)


class ReadNotes:
    """What a reader did besides yielding documents, collected for the import summary.

    * :meth:`add` records a line that was repaired or set aside (``file:line: what was
      done``); nothing labeled is dropped without one.
    * ``origin`` holds file-level facts the exporter needs to write the file back the
      way it came (tagging scheme, column layout, Label Studio names, CSV column and
      delimiter).
    * ``counts`` holds tallies shown in the summary (e.g. ``predictions``).
    * ``strict``: refuse the file instead of repairing it (``--strict``).
    """

    def __init__(self, path: str | Path = "", strict: bool = False):
        self.path = str(path)
        self.strict = strict
        self.lines: list[tuple[int, str]] = []
        self.origin: dict = {}
        self.counts: dict[str, int] = {}

    def add(self, line: int, message: str) -> None:
        """Record that line ``line`` (0: the whole file) was repaired or set aside."""
        self.lines.append((line, message))

    def count(self, key: str, n: int = 1) -> None:
        """Add ``n`` to the tally ``key``."""
        self.counts[key] = self.counts.get(key, 0) + n

    def formatted(self) -> list[str]:
        """Return the notes as ``file:line: what was done`` lines, in line order (each a
        :class:`engine.messages.Message`, so the interface can show it translated)."""
        name = self.path
        return [msg("{path}:{line}: {note}", path=name, line=ln, note=note) if ln else
                msg("{path}: {note}", path=name, note=note)
                for ln, note in sorted(self.lines, key=lambda x: x[0])]


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
        raise FormatError(path, 0, msg("file not found. Check the path and try again.")) from None
    except IsADirectoryError:
        raise FormatError(path, 0, msg("this is a folder, not a file. Choose a file to import.")) from None
    except OSError as exc:
        raise FormatError(path, 0, msg("cannot read the file ({reason}).", reason=exc.strerror)) from None
    for bom, enc in _BOMS:
        if head.startswith(bom):
            if enc is None:
                raise FormatError(
                    path, 1, msg("the file is UTF-32 encoded. Save it as UTF-8 and import again.")
                )
            return enc
    if b"\x00" in head:
        raise FormatError(
            path,
            1,
            msg("this looks like a binary file, not text. Choose a text file "
                "(CoNLL, JSONL, JSON, TXT, CSV or TSV) saved as UTF-8."),
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
#: The longest line a reader accepts (bytes). Longer lines are refused with their line
#: number, never cut, and never read whole (memory stays bounded).
MAX_LINE_BYTES = 32 << 20


class TextBlock(NamedTuple):
    """A run of consecutive lines from :func:`iter_text_blocks`, as one string.

    ``text`` holds ``n`` lines joined by ``\n`` (``n = text.count("\n") + 1``; line
    ends normalised, no final line end); ``first`` is the 1-based number of its first
    line; ``odd_space`` as in :class:`LineBlock`.
    """

    first: int
    text: str
    odd_space: bool


def iter_text_blocks(path: str | Path, block_size: int = _BLOCK, max_line: int | None = None) -> Iterator[TextBlock]:
    """Yield the lines of a text file in blocks of about ``block_size`` bytes, streaming,
    each block as one string (see :class:`TextBlock`).

    Line ends (``\n``, ``\r\n``, a lone ``\r``) become ``\n``; a leading BOM is
    dropped. Memory use is bounded by the block size plus the longest line, which may
    be at most ``max_line`` bytes (default :data:`MAX_LINE_BYTES`). Decoding a whole
    block at once is what makes large imports fast.

    Raises:
        FormatError: unreadable file, unsupported encoding, binary content, a line
            that is not valid in the detected encoding (reported at that line), or a
            line longer than ``max_line`` bytes.
    """
    max_line = max_line or MAX_LINE_BYTES
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
            if cut == 0:  # no line end yet: read on, up to the longest line allowed
                if len(data) > max_line:
                    raise FormatError(path, number, _too_long(max_line))
                tail = data
                continue
            tail = data[cut:]
            if len(tail) > max_line:
                raise FormatError(path, number + data.count(b"\n", 0, cut), _too_long(max_line))
            block = _block(path, data[:cut], number)
            yield block
            number += block.text.count("\n") + 1
        if tail:
            yield _block(path, tail, number)


def _too_long(max_line: int) -> str:
    return msg(
        "this line is longer than {mb} MB without a line break. Tessera takes documents of up to "
        "1,000,000 characters; split the text into smaller documents (for example one per paragraph, with "
        "--mode paragraph for plain text) and import again.", mb=max_line >> 20
    )


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
        raise FormatError(path, bad, describe_bad_utf8(data, exc.start)) from None
    if number == 1 and text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        bad = number + text.count("\n", 0, text.index("\x00"))
        raise FormatError(path, bad, msg("the line contains a NUL byte; this looks like a binary file."))
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


def describe_bad_utf8(data: bytes, at: int) -> str:
    """Return a sentence saying what the bytes at ``data[at:]`` (not valid UTF-8) are
    and how to fix the file.

    Tells apart UTF-16 surrogates written one by one in UTF-8 (CESU-8 / "modified
    UTF-8", how Java and some older tools write emoji), Latin-1 / Windows-1252 text
    (single bytes 0x80-0xFF), and anything else (the bytes shown in hex).
    """
    line_start = data.rfind(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8", "replace")) + 1
    bad = data[at:at + 6]
    if len(bad) >= 3 and bad[0] == 0xED and 0xA0 <= bad[1] <= 0xBF:
        return msg(
            "at character {column} the file holds an emoji (or another character beyond U+FFFF) written "
            "as two separately encoded UTF-16 halves (bytes {bytes}), which is not valid UTF-8: "
            "this is CESU-8 or Java's 'modified UTF-8'. Re-save the file as UTF-8 (for example, open it "
            "in a text editor that repairs it, or export it again with standard UTF-8) and import again.",
            column=column, bytes=bad.hex(' ').upper()
        )
    line_end = data.find(b"\n", at)
    line = data[line_start:line_end if line_end >= 0 else len(data)]
    try:
        line.decode("utf-8")
        latin = False
    except UnicodeDecodeError:
        latin = all(b < 0x80 or (0xA0 <= b) or b in _CP1252_LETTERS for b in line) and not _utf8_lead(line)
    if latin:
        ch = bytes([bad[0]]).decode("cp1252", "replace")
        return msg(
            "at character {column} the byte 0x{byte} is not valid UTF-8; in Latin-1 / Windows-1252 it is "
            "{char}, so the file seems saved as Latin-1 or Windows-1252. Save it as UTF-8 and import again.",
            column=column, byte=f"{bad[0]:02X}", char=repr(ch)
        )
    return msg(
        "at character {column} the bytes {bytes} are not valid UTF-8. "
        "Save the file as UTF-8 and import again.", column=column, bytes=bad[:4].hex(' ').upper()
    )


_CP1252_LETTERS = frozenset(range(0x80, 0xA0)) - {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_UTF8_SEQ = re.compile(rb"[\xC2-\xF4][\x80-\xBF]+")


def _utf8_lead(line: bytes) -> bool:
    """True when ``line`` holds a valid multi-byte UTF-8 character (so it is not Latin-1)."""
    for m in _UTF8_SEQ.finditer(line):
        try:
            m.group().decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


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
                    raise FormatError(path, number, msg("the line contains a NUL byte; this looks like a binary file."))
                yield number, line.rstrip("\n")
        except UnicodeDecodeError:
            raise FormatError(path, number + 1, msg(
                "the text is not valid {enc} (perhaps it was saved as Latin-1 or Windows-1252). "
                "Save the file as UTF-8 and import again.", enc="UTF-16")) from None


def open_text(path: str | Path) -> IO[str]:
    """Open ``path`` for reading as text in its detected encoding (see :func:`detect_encoding`).

    Returns a text stream; decoding errors surface as ``UnicodeDecodeError`` on read,
    so prefer :func:`iter_lines` when a line number is wanted.
    """
    enc = detect_encoding(path)
    return open(path, encoding=enc, errors="strict", newline=None)


def check_spans(path: str | Path, line: int, text: str, spans: list[Entity],
                notes: ReadNotes | None = None) -> list[Entity]:
    """Validate character-offset spans against ``text`` and return them, repaired.

    Repairs (each recorded in ``notes`` as ``line: what was done``): a span listed
    twice with the same offsets and label is kept once; of two overlapping spans the
    shorter is left out (the earlier one when both are as long), since Tessera keeps
    one entity per character. Without ``notes``, or with ``notes.strict``, an overlap
    is refused instead.

    Raises:
        FormatError: a span has non-integer offsets, is empty or reversed, falls
            outside the text, or has an empty label; or spans overlap and repairs
            are not allowed.
    """
    n = len(text)
    for sp in spans:
        if not isinstance(sp.start, int) or not isinstance(sp.end, int) or isinstance(sp.start, bool) or isinstance(sp.end, bool):
            raise FormatError(path, line, msg("span offsets must be whole numbers, got start={start} end={end}.",
                                              start=repr(sp.start), end=repr(sp.end)))
        if not (0 <= sp.start < sp.end <= n):
            raise FormatError(
                path,
                line,
                msg("span {start}-{end} ({label}) is outside the text, which has "
                    "{n} characters. Offsets count characters from 0; end is exclusive.",
                    start=sp.start, end=sp.end, label=repr(sp.label), n=n),
            )
        if not isinstance(sp.label, str) or not sp.label.strip():
            raise FormatError(path, line, msg("span {start}-{end} has an empty label.", start=sp.start, end=sp.end))
    if len(spans) < 2:
        return spans
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    if all(b.start >= a.end for a, b in zip(ordered, ordered[1:])):
        return spans
    kept: list[Entity] = []
    for sp in ordered:
        if kept and (kept[-1].start, kept[-1].end, kept[-1].label) == (sp.start, sp.end, sp.label):
            if notes is not None:
                notes.add(line, msg("the entity {start}-{end} ({label}) was listed twice; kept once.",
                                    start=sp.start, end=sp.end, label=sp.label))
            continue
        clash = [k for k in kept if sp.start < k.end and k.start < sp.end]
        if not clash:
            kept.append(sp)
            continue
        if notes is None or notes.strict:
            a = clash[0]
            where = dict(start=a.start, end=a.end, label=a.label, start2=sp.start, end2=sp.end, label2=sp.label)
            raise FormatError(
                path,
                line,
                msg("spans {start}-{end} ({label}) and {start2}-{end2} ({label2}) overlap; "
                    "Tessera keeps one entity per character. Remove one of them.", **where)
                if notes is None else
                msg("spans {start}-{end} ({label}) and {start2}-{end2} ({label2}) overlap; "
                    "Tessera keeps one entity per character. Remove one of them, or import without "
                    "--strict to keep the longer one.", **where),
            )
        longest = max(clash, key=lambda k: k.end - k.start)
        if sp.end - sp.start > longest.end - longest.start:
            for k in clash:
                kept.remove(k)
                notes.add(line, msg("the entity {start}-{end} ({label}) overlaps the longer "
                                    "{start2}-{end2} ({label2}); left out {start}-{end}.",
                                    start=k.start, end=k.end, label=k.label,
                                    start2=sp.start, end2=sp.end, label2=sp.label))
            kept.append(sp)
            kept.sort(key=lambda s: (s.start, s.end))
        else:
            notes.add(line, msg("the entity {start}-{end} ({label}) overlaps "
                                "{start2}-{end2} ({label2}); left out {start}-{end}.",
                                start=sp.start, end=sp.end, label=sp.label,
                                start2=longest.start, end2=longest.end, label2=longest.label))
    return kept


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
        raise TesseraError(msg("{path}: the folder {folder} does not exist.", path=path, folder=folder))
    import time

    for stale in folder.glob(f".{glob.escape(path.name)}.*.part"):  # left by a killed write of the same file
        try:
            if time.time() - stale.stat().st_mtime > 600:
                stale.unlink()
        except OSError:
            pass
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
