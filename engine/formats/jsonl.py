"""JSON Lines: one JSON object per line (Prodigy, doccano, or plain ``{"text": ...}``).

Reading streams the file line by line (memory is bounded by the longest line) and
detects the flavour of each line on its own, so files mixing flavours are fine:

* **Prodigy** -- ``{"text": ..., "spans": [{"start", "end", "label"}, ...]}``.
  ``token_start``/``token_end``/``text`` on spans are ignored. ``"tokens"``
  (``[{"text", "start", "end", "id"}, ...]``) become :attr:`Doc.tokens` when they
  are consistent with the text, else they are ignored. ``"answer": "accept"``
  sets ``status="done"``; any other answer (``reject``/``ignore``) keeps the
  document with ``status=None`` and ``meta["answer"]``.
* **doccano** -- ``{"text": ..., "label": [[start, end, "LABEL"], ...]}``, or the
  newer ``{"text": ..., "entities": [{"start_offset", "end_offset", "label"}, ...]}``.
  A ``"label"`` that is a string or a list of strings is a *document* label
  (text classification), not entity spans: it is kept in ``meta["label"]``.
* **plain** -- ``{"text": ...}`` without spans.

Blank lines are skipped. Keys Tessera does not use go into :attr:`Doc.meta`;
a ``"meta"`` object is merged into it (its keys win over top-level ones).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from engine.errors import FormatError, TesseraError
from engine.formats.base import Doc, Entity, check_spans, iter_lines

__all__ = ["read", "write"]

# Top-level keys that are interpreted, never copied into meta as-is.
_KNOWN = frozenset(("text", "spans", "tokens", "sentences", "label", "entities", "answer", "meta"))

_TYPE_NAMES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
    type(None): "null",
}


def _kind(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _short(value: object, limit: int = 80) -> str:
    s = json.dumps(value, ensure_ascii=False)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _parse_spans(path: str, line: int, key: str, items: object) -> list[Entity]:
    """Turn a list of span records (Prodigy dicts, doccano triples or doccano dicts)
    into entities; offsets and overlaps are checked later by ``check_spans``."""
    if not isinstance(items, list):
        raise FormatError(
            path,
            line,
            f'"{key}" must be a list of spans, but it is {_kind(items)}. '
            f'Write it as [{{"start": 0, "end": 5, "label": "PER"}}, ...] or [] for no entities.',
        )
    spans: list[Entity] = []
    if not items:
        return spans
    for i, item in enumerate(items, 1):
        if isinstance(item, dict):
            start = item.get("start")
            if start is None:
                start = item.get("start_offset")
            end = item.get("end")
            if end is None:
                end = item.get("end_offset")
            label = item.get("label")
            if start is None or end is None or label is None:
                name = "start" if start is None else "end" if end is None else "label"
                raise FormatError(
                    path,
                    line,
                    f'span {i} in "{key}" has no "{name}": {_short(item)}. '
                    'Each span needs "start", "end" and "label".',
                )
        elif isinstance(item, list):
            if len(item) != 3:
                raise FormatError(
                    path,
                    line,
                    f'span {i} in "{key}" should be [start, end, "LABEL"], but it is {_short(item)}.',
                )
            start, end, label = item
        else:
            raise FormatError(
                path,
                line,
                f'span {i} in "{key}" should be an object with "start", "end" and "label" '
                f"(or a list [start, end, \"LABEL\"]), but it is {_kind(item)}: {_short(item)}.",
            )
        if not isinstance(label, str):
            raise FormatError(
                path,
                line,
                f'span {i} in "{key}" has a label that is {_kind(label)} ({_short(label)}); '
                "the label must be text such as \"PER\".",
            )
        spans.append(Entity(start, end, label))
    return spans


def _tokens(text: str, items: object) -> list[tuple[int, int]] | None:
    """Prodigy tokens as ``(start, end)`` offsets, or ``None`` if they do not fit ``text``."""
    if not isinstance(items, list) or not items:
        return None
    out: list[tuple[int, int]] = []
    prev_end = 0
    n = len(text)
    for tok in items:
        if not isinstance(tok, dict):
            return None
        s = tok.get("start")
        e = tok.get("end")
        if type(s) is not int or type(e) is not int or not (prev_end <= s < e <= n):
            return None
        t = tok.get("text")
        if t is not None and text[s:e] != t:
            return None
        out.append((s, e))
        prev_end = e
    return out


def _sentences(items: object, ntokens: int) -> list[tuple[int, int]] | None:
    """Tessera's ``"sentences"`` extension (``[[first_token, last_token + 1], ...]``) as
    token ranges, or ``None`` when absent or not a contiguous cover of the tokens."""
    if not isinstance(items, list) or not items:
        return None
    out: list[tuple[int, int]] = []
    prev = 0
    for item in items:
        if not (isinstance(item, list) and len(item) == 2 and all(type(x) is int for x in item)):
            return None
        a, b = item
        if a != prev or b <= a:
            return None
        out.append((a, b))
        prev = b
    return out if prev == ntokens else None


def read(path: str | Path) -> Iterator[Doc]:
    """Yield one :class:`Doc` per non-blank line of a JSONL file.

    Raises:
        FormatError: a line is not a JSON object, has no string ``"text"``, or has
            spans that are malformed, outside the text or overlapping.
    """
    path = str(path)
    loads = json.loads
    known = _KNOWN
    for n, line in iter_lines(path):
        if not line or line.isspace():
            continue
        try:
            obj = loads(line)
        except ValueError as exc:  # json.JSONDecodeError
            msg = getattr(exc, "msg", str(exc))
            col = getattr(exc, "colno", None)
            where = f" (at character {col})" if col else ""
            hint = ""
            if getattr(exc, "pos", 0) >= len(line.rstrip()):
                hint = (
                    " The JSON seems to continue on the next line: if this file is one JSON "
                    "document spread over many lines (such as a Label Studio export), import it "
                    "as Label Studio JSON instead."
                )
            raise FormatError(
                path,
                n,
                f"this line is not valid JSON: {msg}{where}. In a JSONL file each line must be "
                'one complete JSON object, such as {"text": "..."}.' + hint,
            ) from None
        except RecursionError:
            raise FormatError(
                path, n, "this line is nested too deeply to be a document. Each line must be "
                'one JSON object such as {"text": "..."}.'
            ) from None
        if type(obj) is not dict:
            raise FormatError(
                path,
                n,
                f"each line must be a JSON object such as {{\"text\": \"...\"}}, but this line is "
                f"{_kind(obj)}.",
            )
        text = obj.get("text")
        if type(text) is not str:
            if text is None and "text" not in obj:
                keys = ", ".join(f'"{k}"' for k in list(obj)[:10]) or "none"
                raise FormatError(
                    path,
                    n,
                    f'this object has no "text" field (its fields: {keys}). Put the document '
                    'text under "text".',
                )
            raise FormatError(
                path, n, f'"text" must be a string, but it is {_kind(text)}.'
            )

        # Spans: Prodigy "spans", doccano "entities", doccano "label" triples.
        spans: list[Entity] = []
        label_as_meta = False
        if "spans" in obj:
            spans = _parse_spans(path, n, "spans", obj["spans"])
            label_as_meta = "label" in obj
        elif "entities" in obj:
            spans = _parse_spans(path, n, "entities", obj["entities"])
            label_as_meta = "label" in obj
        elif "label" in obj:
            lab = obj["label"]
            if type(lab) is list and lab and not all(type(x) is str for x in lab):
                spans = _parse_spans(path, n, "label", lab)
            elif lab is not None and lab != []:
                label_as_meta = True  # document-level (classification) label
        if spans:
            check_spans(path, n, text, spans)

        tokens = _tokens(text, obj["tokens"]) if "tokens" in obj else None
        sentences = _sentences(obj.get("sentences"), len(tokens)) if tokens else None

        status = None
        meta: dict | None = None
        answer = obj.get("answer")
        if answer is not None:
            if answer == "accept":
                status = "done"
            else:
                meta = {"answer": answer}
        if len(obj) > 1:
            for k, v in obj.items():
                if k not in known:
                    if meta is None:
                        meta = {}
                    meta[k] = v
            if label_as_meta:
                if meta is None:
                    meta = {}
                meta["label"] = obj["label"]
            extra = obj.get("meta")
            if extra is not None:
                if meta is None:
                    meta = {}
                if type(extra) is dict:
                    meta.update(extra)
                else:
                    meta["meta"] = extra
        yield Doc(text=text, spans=spans, tokens=tokens, sentences=sentences, line=n, meta=meta or None, status=status)


def _prodigy_record(doc: Doc) -> dict:
    rec: dict = {"text": doc.text}
    spans = []
    tok_by_start: dict[int, int] = {}
    tok_by_end: dict[int, int] = {}
    if doc.tokens:
        for i, (s, e) in enumerate(doc.tokens):
            tok_by_start[s] = i
            tok_by_end[e] = i
    for sp in doc.spans:
        d = {"start": sp.start, "end": sp.end, "label": sp.label}
        ts = tok_by_start.get(sp.start)
        te = tok_by_end.get(sp.end)
        if ts is not None and te is not None:
            d["token_start"] = ts
            d["token_end"] = te
        spans.append(d)
    rec["spans"] = spans
    if doc.tokens:
        text = doc.text
        rec["tokens"] = [
            {"text": text[s:e], "start": s, "end": e, "id": i, "ws": text[e : e + 1].isspace()}
            for i, (s, e) in enumerate(doc.tokens)
        ]
        if doc.sentences and len(doc.sentences) > 1:
            rec["sentences"] = [[a, b] for a, b in doc.sentences]
    if doc.meta:
        rec["meta"] = doc.meta
    if doc.status == "done":
        rec["answer"] = "accept"
    return rec


def _doccano_record(doc: Doc) -> dict:
    rec: dict = {"text": doc.text, "label": [[sp.start, sp.end, sp.label] for sp in doc.spans]}
    if doc.meta:
        nested = {}
        for k, v in doc.meta.items():
            if k in _KNOWN:
                nested[k] = v  # would be misread at top level; "meta" is merged back on read
            else:
                rec[k] = v
        if nested:
            rec["meta"] = nested
    return rec


def write(docs: Iterable[Doc], fh: TextIO, *, style: str = "prodigy") -> int:
    """Write ``docs`` as JSONL to ``fh``; return how many were written.

    Args:
        style: ``"prodigy"`` -- ``{"text", "spans": [{"start", "end", "label"}],
            "tokens": [...] (if the doc has tokens), "sentences": [[first, end], ...]
            (token ranges, only when a tokenized doc has several sentences), "meta": {...} (if any),
            "answer": "accept" (if status is done)}``; spans get ``token_start``/
            ``token_end`` when they align with the tokens.
            ``"doccano"`` -- ``{"text", "label": [[start, end, "LABEL"]], ...meta keys}``
            (meta keys that clash with ``text``/``label``/``spans``/... go under ``"meta"``).

    Raises:
        TesseraError: unknown ``style``.
    """
    if style == "prodigy":
        make = _prodigy_record
    elif style == "doccano":
        make = _doccano_record
    else:
        raise TesseraError(f"unknown JSONL style {style!r}; use 'prodigy' or 'doccano'.")
    dumps = json.dumps
    count = 0
    for doc in docs:
        fh.write(dumps(make(doc), ensure_ascii=False))
        fh.write("\n")
        count += 1
    return count
