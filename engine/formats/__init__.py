"""File formats Tessera reads and writes, and how a format is chosen.

Each format is a module with ``read(path, **options) -> Iterator[Doc]`` and
``write(docs, fh, **options) -> int``. :func:`detect_format` picks one from the
file name and, where the name is ambiguous, from the first lines.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

from engine.errors import FormatError
from engine.formats.base import detect_encoding
from engine.messages import msg

#: format name -> (module, one-line description for --help and the import dialog)
FORMATS: dict[str, tuple[str, str]] = {
    "conll": ("engine.formats.conll", msg("CoNLL: one token and its tag per line (BIO, IOB1, IOBES, BMES)")),
    "iob": ("engine.formats.iob", msg("spaCy IOB: one sentence per line, tokens as word|tag or word|POS|tag")),
    "jsonl": ("engine.formats.jsonl", msg("JSON Lines with character-offset spans (Prodigy, doccano)")),
    "labelstudio": ("engine.formats.labelstudio",
                    msg("JSON document: Label Studio export, one task, or an array of doccano/Prodigy records")),
    "text": ("engine.formats.text", msg("Plain text: one document per line or per paragraph")),
    "csv": ("engine.formats.csvfmt", msg("CSV or TSV with a text column")),
}

_BY_SUFFIX = {
    ".conll": "conll", ".conllu": "conll", ".iob": "conll", ".iob2": "conll", ".bio": "conll",
    ".bioes": "conll", ".iobes": "conll", ".bmes": "conll", ".ner": "conll",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".md": "text",
}

_TAG = re.compile(r"^(?:[OoBIESMLU]|[BIESMLU]-\S+|-DOCSTART-)$")


def module(fmt: str) -> ModuleType:
    """Return the module implementing ``fmt``.

    Raises:
        FormatError: unknown format name.
    """
    if fmt not in FORMATS:
        raise FormatError("", 0, msg("unknown format {format}; choose one of: {choices}.",
                                     format=repr(fmt), choices=", ".join(FORMATS)))
    return importlib.import_module(FORMATS[fmt][0])


def _first_lines(path: Path, n: int = 20, limit: int = 1 << 16) -> list[str]:
    """The first ``n`` non-blank lines within the first ``limit`` bytes (a longer first
    line is cut there: this only looks at the file, it never reads a huge line whole)."""
    enc = detect_encoding(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit)
            more = bool(fh.read(1))
    except OSError:
        return []
    text = data.decode("utf-8" if enc == "utf-8" else enc, errors="replace")
    lines = text.lstrip("\ufeff").splitlines()
    if more and len(lines) > 1:
        lines.pop()  # cut short by the limit
    return [l for l in lines if l.strip()][:n]


def _looks_like_conll(lines: list[str]) -> bool:
    rows = [l.split() for l in lines if not l.startswith("#")]
    rows = [r for r in rows if r]
    return bool(rows) and all(len(r) >= 2 and _TAG.match(r[-1]) for r in rows)


def _one_object_per_line(first: str) -> bool:
    """True when the first non-blank line is a whole JSON object (JSON Lines), not the
    start of one spread over many lines (a pretty-printed document)."""
    import json

    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def detect_format(path: str | Path) -> str:
    """Return the format name for ``path`` from its extension, or by looking at its first lines.

    Raises:
        FormatError: the file cannot be read, or its format cannot be told.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        detect_encoding(path)  # clear errors for missing / binary files first
        fmt = _BY_SUFFIX[suffix]
        if fmt == "conll":
            from engine.formats.iob import looks_like_iob

            if looks_like_iob(_first_lines(path)):
                return "iob"
        if fmt == "csv" and _looks_like_conll(_first_lines(path)):
            return "conll"  # e.g. GermEval-2014's .tsv files: token lines, no header
        return fmt
    lines = _first_lines(path)
    if not lines:
        raise FormatError(path, 0, msg("the file is empty: there is nothing to import."))
    first = lines[0].lstrip("\ufeff").lstrip()
    if suffix == ".json" or first.startswith(("[", "{")):
        if first.startswith("["):
            return "labelstudio"
        if first.startswith("{"):
            return "jsonl" if _one_object_per_line(first) else "labelstudio"
    from engine.formats.iob import looks_like_iob

    if looks_like_iob(lines):
        return "iob"
    if _looks_like_conll(lines):
        return "conll"
    if suffix in (".txt", ".text", ""):
        return "text"
    raise FormatError(
        path, 0, msg("cannot tell the format of this {suffix} file. Choose one with --format ({choices}).",
                     suffix=suffix, choices=", ".join(FORMATS)) if suffix else
        msg("cannot tell the format of this extension-less file. Choose one with --format ({choices}).",
            choices=", ".join(FORMATS))
    )


def split_options(func, options: dict) -> tuple[dict, list[str]]:
    """Split ``options`` into those ``func`` accepts as keywords and the names it does not.

    Returns ``(accepted, rejected_names)``; ``None`` values are dropped.
    """
    import inspect

    params = inspect.signature(func).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    accepted, rejected = {}, []
    for k, v in options.items():
        if v is None:
            continue
        if takes_any or k in params:
            accepted[k] = v
        else:
            rejected.append(k)
    return accepted, rejected
