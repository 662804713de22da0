"""CSV and TSV: one document per row, the first row is the header.

* Delimiter: tab for ``.tsv``/``.tab`` files; otherwise guessed from the first
  64 KB (comma, tab, semicolon or pipe: the one that splits the header into
  several columns and gives the most rows with the header's width), falling
  back to comma. ``delimiter=`` overrides both.
* Text column: ``text_column=`` (exact name, else case-insensitive), otherwise
  the first of ``text``, ``content``, ``sentence``, ``document`` (any case).
* Category column: ``label_column=`` (a header name; ``"none"`` for no category), or
  the first of ``label``, ``category``, ``intent``, ``class`` (any case): its value is the
  document's category (:attr:`Doc.categories`; an empty cell is none; several are
  separated by ``|``, as export writes them).
* Every other column goes into :attr:`Doc.meta` as a string (missing trailing
  values are ``""``).
* Quoting follows Excel/pandas (``"`` quotes, ``""`` inside quotes), for TSV
  too; quoted values may span lines. Reading is strict about quotes: a stray
  quote is reported rather than silently merging rows. Line breaks inside
  quoted values are read as ``"\\n"`` (``\\r\\n`` becomes ``\\n``).

Reading streams the file. Note: ``read`` raises the process-wide
``csv.field_size_limit`` to 1 GiB so long documents fit in one field.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from engine.errors import FormatError
from engine.formats.base import Doc, ReadNotes, iter_lines, open_text
from engine.messages import msg

__all__ = ["read", "write", "sniff", "guess_text_column", "TEXT_COLUMNS", "DELIMITERS"]

#: Column names taken as the text column when ``text_column`` is not given, in order.
TEXT_COLUMNS = ("text", "content", "sentence", "document")
#: Column names taken as the document's category when ``label_column`` is not given.
CATEGORY_COLUMNS = ("label", "category", "intent", "class")

_SAMPLE = 65536
_CANDIDATES = (",", "\t", ";", "|")
_FIELD_LIMIT = 1 << 30
_DELIM_ALIASES = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_DELIM_NAMES = {",": msg("a comma"), "\t": msg("a tab"), ";": msg("a semicolon"), "|": msg("a '|'")}

#: The delimiters that are guessed, in order (for a chooser in the import dialog).
DELIMITERS = _CANDIDATES


def _delim_name(d: str) -> str:
    return _DELIM_NAMES.get(d, repr(d))


def _guess_delimiter(path: str) -> str:
    """Pick the delimiter that best splits the first 64 KB into a consistent table.

    (``csv.Sniffer`` is not used: its regular expressions take minutes on some
    64 KB inputs, and it often guesses ``'`` as the quote character in prose.)
    """
    try:
        with open_text(path) as fh:
            sample = fh.read(_SAMPLE)
            truncated = bool(fh.read(1))
    except (UnicodeDecodeError, OSError):
        return ","  # iter_lines will report the problem with its line number
    if truncated and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]
    best, best_score = ",", (-1.0, 0)
    for d in _CANDIDATES:
        if d not in sample:
            continue
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=d) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        body = rows[1:-1] if truncated and len(rows) > 2 else rows[1:]
        same = sum(1 for r in body if len(r) == width) / len(body) if body else 1.0
        score = (same, width)
        if score[0] > best_score[0] or (score[0] == best_score[0] and width > best_score[1]):
            best, best_score = d, score
    return best


def _lines(path: str) -> Iterator[str]:
    for _, line in iter_lines(path):
        yield line + "\n"


def _header_names(row: list[str]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(row, 1):
        name = cell.strip() or f"column {i}"
        base, k = name, 2
        while name in seen:
            name = f"{base} ({k})"
            k += 1
        seen.add(name)
        names.append(name)
    return names


def guess_text_column(names: list[str]) -> str | None:
    """Return the column :func:`read` takes as the text when ``text_column`` is not given.

    That is the first of :data:`TEXT_COLUMNS` (any case) among ``names``, or ``None``.
    """
    folded = [n.casefold() for n in names]
    for want in TEXT_COLUMNS:
        if want in folded:
            return names[folded.index(want)]
    return None


def _resolve_delimiter(path: str, delimiter: str | None) -> str:
    if delimiter is None:
        return "\t" if Path(path).suffix.lower() in (".tsv", ".tab") else _guess_delimiter(path)
    delimiter = _DELIM_ALIASES.get(delimiter.lower(), delimiter)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise FormatError(
            path, 0, msg("the delimiter must be one character such as , or ; or tab, not {delimiter}.",
                         delimiter=repr(delimiter))
        )
    return delimiter


def sniff(path: str | Path, delimiter: str | None = None) -> tuple[str, list[str], list[str]]:
    """Return ``(delimiter, column names, first data row)`` as :func:`read` would see them.

    Reads only the first rows (for the import dialog). ``delimiter`` as in :func:`read`;
    the names are the header cells as :func:`read` names them (blank and repeated
    names made unique). The first data row is ``[]`` when there is none.

    Raises:
        FormatError: unreadable or binary file, bad ``delimiter``, broken quoting
            in the first rows, or an empty file.
    """
    path = str(path)
    delimiter = _resolve_delimiter(path, delimiter)
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(_lines(path), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    names: list[str] | None = None
    try:
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            if names is None:
                names = _header_names(row)
                continue
            return delimiter, names, row
    except csv.Error as exc:
        raise FormatError(path, reader.line_num, msg("this line is not valid CSV ({reason}).", reason=str(exc))) from None
    if names is None:
        raise FormatError(
            path, 0, msg("the file is empty. A CSV/TSV file needs a header row and one row per document.")
        )
    return delimiter, names, []


def _find_text_column(path: str, line: int, names: list[str], text_column: str | None) -> int:
    shown = ", ".join(f'"{n}"' for n in names)
    if text_column is not None:
        if text_column in names:
            return names.index(text_column)
        wanted = text_column.strip().casefold()
        for i, n in enumerate(names):
            if n.casefold() == wanted:
                return i
        raise FormatError(
            path,
            line,
            msg('there is no column "{column}" in the header. The columns are: {columns}. '
                "Choose one of these with --text-column.", column=text_column, columns=shown),
        )
    guessed = guess_text_column(names)
    if guessed is not None:
        return names.index(guessed)
    raise FormatError(
        path,
        line,
        msg("cannot tell which column holds the text. The first row must be a header; its "
            "columns are: {columns}. Choose the text column with --text-column, or name it \"text\".", columns=shown),
    )


def _find_label_column(path: str, line: int, names: list[str], text_idx: int, label_column: str | None) -> int | None:
    """The index of the category column (see the module doc), or ``None``.

    Raises:
        FormatError: ``label_column`` names no column.
    """
    if label_column is not None and label_column.strip().casefold() == "none":
        return None
    folded = [n.casefold() for n in names]
    if label_column is not None:
        want = label_column.strip().casefold()
        if want in folded and folded.index(want) != text_idx:
            return folded.index(want)
        shown = ", ".join(f'"{n}"' for n in names)
        raise FormatError(path, line, msg('there is no column "{column}" for the category. The columns are: '
                                          "{columns}. Choose one with --label-column (or none).",
                                          column=label_column, columns=shown))
    for want in CATEGORY_COLUMNS:
        if want in folded and folded.index(want) != text_idx:
            return folded.index(want)
    return None


def read(
    path: str | Path, *, text_column: str | None = None, delimiter: str | None = None,
    label_column: str | None = None, notes: ReadNotes | None = None,
) -> Iterator[Doc]:
    """Yield one :class:`Doc` per non-blank data row of a CSV/TSV file.

    Args:
        text_column: header name of the column holding the text (see module doc).
        label_column: header name of the column holding the document's category, or
            ``"none"``; default: detected (see module doc).
        delimiter: field separator; default from the extension or guessed. ``"tab"``
            and a typed ``"\\t"`` mean a tab; also ``comma``, ``semicolon``, ``pipe``.

    Raises:
        FormatError: empty file, no text column, a row with more values than the
            header, a row without text, or broken quoting (with the line number).
    """
    path = str(path)
    delimiter = _resolve_delimiter(path, delimiter)
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(_lines(path), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    dname = _delim_name(delimiter)
    names: list[str] | None = None
    text_idx = 0
    label_idx: int | None = None
    width = 0
    start = 1
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            why = str(exc)
            if "unexpected end of data" in why:
                raise FormatError(
                    path,
                    start,
                    msg("a value on this line opens a double quote (\") that is never closed, so the "
                        "rest of the file would be read into it. Add the missing closing quote or "
                        "remove the stray one."),
                ) from None
            if "expected after" in why:
                raise FormatError(
                    path,
                    reader.line_num,
                    msg("a quoted value is followed by other characters before the next separator "
                        "({delimiter}). A value that starts with a double quote must end with one; "
                        'write a quote inside a quoted value as two quotes (""), or put the whole '
                        "value in double quotes.", delimiter=dname),
                ) from None
            raise FormatError(path, reader.line_num, msg("this line is not valid CSV ({reason}).", reason=why)) from None
        if not row or not any(cell.strip() for cell in row):
            continue
        if names is None:
            names = _header_names(row)
            width = len(names)
            text_idx = _find_text_column(path, start, names, text_column)
            label_idx = _find_label_column(path, start, names, text_idx, label_column)
            if notes is not None:
                notes.origin.update(text_column=names[text_idx], delimiter=delimiter, columns=names)
                if label_idx is not None:
                    notes.origin["label_column"] = names[label_idx]
            continue
        n = len(row)
        if n > width:
            raise FormatError(
                path,
                start,
                msg("this row has {n} values but the header has {width} columns. If a value "
                    "contains {delimiter}, put that value in double quotes.", n=n, width=width, delimiter=dname),
            )
        text = row[text_idx] if text_idx < n else ""
        if not text.strip():
            raise FormatError(
                path,
                start,
                msg('this row has no text in the "{column}" column. Fill it in or delete the row.',
                    column=names[text_idx]),
            )
        meta = None
        if width > (1 if label_idx is None else 2):
            meta = {
                name: (row[i] if i < n else "")
                for i, name in enumerate(names)
                if i != text_idx and i != label_idx
            }
        cell = row[label_idx] if label_idx is not None and label_idx < n else ""
        yield Doc(text=text, line=start, meta=meta, categories=[c.strip() for c in cell.split("|") if c.strip()])
    if names is None:
        raise FormatError(
            path, 0, msg("the file is empty. A CSV/TSV file needs a header row and one row per document.")
        )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def write(docs: Iterable[Doc], fh: TextIO, *, delimiter: str | None = None, label_column: str | None = None) -> int:
    """Write ``docs`` as CSV (``delimiter="\\t"`` for TSV); return how many rows were written.

    The columns are those of the file the first document was imported from
    (``Doc.origin``: its text column's name and place, its other columns, and its
    delimiter unless ``delimiter`` is given); otherwise ``text`` followed by the meta
    keys of the first document. Later documents fill those columns (missing keys are
    empty, extra keys are dropped). Non-string meta values are written as JSON. A
    document's categories (``|`` between several) go in ``label_column``, else the
    category column it came from, else ``category`` when the first document has one.
    Spans are not written. Open ``fh`` with ``newline=""``; rows end with ``"\\n"``.
    """
    writer = None
    columns: list[str] | None = None
    text_name = "text"
    label_name: str | None = None
    count = 0
    for doc in docs:
        meta = doc.meta or {}
        if writer is None:
            origin = doc.origin or {}
            writer = csv.writer(fh, delimiter=delimiter or origin.get("delimiter") or ",", quotechar='"',
                                lineterminator="\n")
            text_name = origin.get("text_column") or "text"
            label_name = label_column or origin.get("label_column") or ("category" if doc.categories else None)
            cols = origin.get("columns")
            if isinstance(cols, list) and text_name in cols:
                columns = list(cols) + [k for k in meta if k not in cols]
            else:
                columns = [text_name] + [k for k in meta if k != text_name]
            if label_name and label_name not in columns:
                columns.insert(columns.index(text_name) + 1, label_name)
            writer.writerow(columns)
        writer.writerow([doc.text if k == text_name else "|".join(doc.categories) if k == label_name
                         else _cell(meta.get(k)) for k in columns])
        count += 1
    if writer is None:
        csv.writer(fh, delimiter=delimiter or ",", lineterminator="\n").writerow(["text"])
    return count
