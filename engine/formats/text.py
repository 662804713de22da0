"""Plain text: one document per line, or one per paragraph.

* ``mode="line"`` -- every non-blank line is a document.
* ``mode="paragraph"`` -- documents are separated by one or more blank lines; the
  lines of a paragraph are joined with ``"\\n"``.

Trailing whitespace is removed from every line; leading whitespace is kept. A
line holding only whitespace counts as blank. Nothing is rejected except what
:func:`engine.formats.base.iter_lines` rejects (binary, bad encoding) and a file
without any text. Reading streams the file.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from engine.errors import FormatError, TesseraError
from engine.formats.base import Doc, iter_lines
from engine.messages import msg

__all__ = ["read", "write", "MODES"]

MODES = ("line", "paragraph")

_NEWLINES = re.compile(r"\r\n|\r|\n")


def _mode_error(mode: object) -> str:
    return msg("unknown text mode {mode}; use 'line' (one document per line) or 'paragraph'.", mode=repr(mode))


def read(path: str | Path, *, mode: str = "line", notes=None) -> Iterator[Doc]:
    """Yield one :class:`Doc` per line (``mode="line"``) or paragraph (``mode="paragraph"``).

    ``Doc.line`` is the first line of the document. Spans are empty, tokens ``None``.
    ``notes`` (:class:`engine.formats.base.ReadNotes`) gets ``origin["mode"]``.

    Raises:
        FormatError: the file holds no text at all (empty or only blank lines), or
            cannot be decoded (see :func:`engine.formats.base.iter_lines`), or ``mode``
            is not ``"line"`` or ``"paragraph"`` (raised at once, not on iteration).
    """
    if mode not in MODES:
        raise FormatError(str(path), 0, _mode_error(mode))
    if notes is not None:
        notes.origin["mode"] = mode
    return _read(str(path), mode)


def _read(path: str, mode: str) -> Iterator[Doc]:
    count = 0
    seen_lines = 0
    if mode == "line":
        for n, line in iter_lines(path):
            seen_lines = n
            line = line.rstrip()
            if line:
                count += 1
                yield Doc(text=line, line=n)
    else:
        buf: list[str] = []
        first = 0
        for n, line in iter_lines(path):
            seen_lines = n
            line = line.rstrip()
            if line:
                if not buf:
                    first = n
                buf.append(line)
            elif buf:
                count += 1
                yield Doc(text="\n".join(buf), line=first)
                buf = []
        if buf:
            count += 1
            yield Doc(text="\n".join(buf), line=first)
    if not count:
        if seen_lines:
            raise FormatError(
                path, 0, msg("the file has only blank lines; there is no text to import. "
                             "Choose a file with at least one line of text.")
            )
        raise FormatError(
            path, 0, msg("the file is empty. Choose a file with at least one line of text.")
        )


def write(docs: Iterable[Doc], fh: TextIO, *, mode: str = "line") -> int:
    """Write the text of ``docs`` to ``fh``; return how many documents were written.

    ``mode="line"``: one document per line; line breaks inside a document become
    single spaces. ``mode="paragraph"``: documents separated by one blank line;
    blank lines inside a document are dropped (they would split it on reading).
    Trailing whitespace of each line is dropped, as reading would. Documents with
    no visible text are skipped (and not counted). Spans are not written.

    Raises:
        TesseraError: ``mode`` is not ``"line"`` or ``"paragraph"``.
    """
    if mode not in MODES:
        raise TesseraError(_mode_error(mode))
    count = 0
    if mode == "line":
        for doc in docs:
            text = _NEWLINES.sub(" ", doc.text).rstrip()
            if not text:
                continue
            fh.write(text)
            fh.write("\n")
            count += 1
    else:
        for doc in docs:
            lines = [ln.rstrip() for ln in _NEWLINES.split(doc.text)]
            text = "\n".join(ln for ln in lines if ln)
            if not text:
                continue
            if count:
                fh.write("\n")
            fh.write(text)
            fh.write("\n")
            count += 1
    return count
