"""JSON Lines: one JSON object per line (Prodigy, doccano, or plain ``{"text": ...}``).

Reading streams the file line by line (memory is bounded by the longest line) and
detects the flavour of each line on its own, so files mixing flavours are fine:

* **Prodigy** -- ``{"text": ..., "spans": [{"start", "end", "label"}, ...]}``.
  ``token_start``/``token_end``/``text`` on spans are ignored. ``"tokens"``
  (``[{"text", "start", "end", "id"}, ...]``) become :attr:`Doc.tokens` when they
  are consistent with the text, else they are ignored. ``"answer"``: see
  :func:`record_doc` (manual accept = done; reject/ignore = skipped; binary
  ``ner.teach`` answers = entities and negative examples of a partly labeled text).
* **doccano** -- ``{"text": ..., "label": [[start, end, "LABEL"], ...]}``, or the
  newer ``{"text": ..., "entities": [{"start_offset", "end_offset", "label"}, ...]}``.
  The older key ``"labels"`` (same triples) is read too.
* **document categories** (:attr:`Doc.categories`) -- a ``"label"`` that is a string or
  a list of strings (doccano text classification, Prodigy ``textcat``: with ``"answer":
  "reject"`` it is *not* the document's category and stays in ``meta``), Prodigy choice
  answers ``"accept": ["A", ...]`` (``"options"`` are kept to write back), spaCy
  ``"cats": {"A": 1.0, "B": 0.0}`` (those at 0.5 or more).
* **spaCy** -- ``Doc.to_json()``: ``{"text": ..., "ents": [{"start", "end", "label"}]}``.
* **plain** -- ``{"text": ...}`` without spans. A record with another field that
  holds offset records (``"mentions"``, ``"annotations"``, ...) is refused rather than
  imported as bare text.

Blank lines are skipped. Keys Tessera does not use go into :attr:`Doc.meta`;
a ``"meta"`` object is merged into it (its keys win over top-level ones).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, Sequence, TextIO

from engine.errors import FormatError, SetAside, TesseraError
from engine.formats.base import Doc, Entity, Feedback, ReadNotes, check_spans, iter_lines
from engine.messages import msg

__all__ = ["read", "write"]

# Top-level keys that are interpreted, never copied into meta as-is.
_KNOWN = frozenset(("text", "spans", "tokens", "sentences", "label", "entities", "answer", "meta", "accept", "cats"))
_ALIASES = frozenset(("labels", "ents"))  # read as spans when they hold offset records

_TYPE_NAMES = {
    dict: msg("an object"),
    list: msg("a list"),
    str: msg("a string"),
    int: msg("a number"),
    float: msg("a number"),
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
            msg('"{key}" must be a list of spans, but it is {kind}. '
                'Write it as [{{"start": 0, "end": 5, "label": "PER"}}, ...] or [] for no entities.',
                key=key, kind=_kind(items)),
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
                    msg('span {i} in "{key}" has no "{field}": {value}. '
                        'Each span needs "start", "end" and "label".', i=i, key=key, field=name, value=_short(item)),
                )
        elif isinstance(item, list):
            if len(item) != 3:
                raise FormatError(
                    path,
                    line,
                    msg('span {i} in "{key}" should be [start, end, "LABEL"], but it is {value}.',
                        i=i, key=key, value=_short(item)),
                )
            start, end, label = item
        else:
            raise FormatError(
                path,
                line,
                msg('span {i} in "{key}" should be an object with "start", "end" and "label" '
                    '(or a list [start, end, "LABEL"]), but it is {kind}: {value}.',
                    i=i, key=key, kind=_kind(item), value=_short(item)),
            )
        if not isinstance(label, str):
            raise FormatError(
                path,
                line,
                msg('span {i} in "{key}" has a label that is {kind} ({value}); '
                    'the label must be text such as "PER".', i=i, key=key, kind=_kind(label), value=_short(label)),
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


#: Prodigy views whose answers are about one span, not about the whole text.
BINARY_VIEWS = frozenset(("ner", "binary"))
#: Keys that, holding a list of offset records, mean "entities" in some tool's format.
_ENTITY_KEYS = ("ner", "entity", "annotations", "annotation", "mentions", "tags", "spans_list", "labels", "ents")
_OFFSET_KEYS = frozenset(("start", "end", "start_offset", "end_offset", "begin", "start_char", "end_char", "offset", "offsets"))


def _looks_like_spans(value: object) -> bool:
    """True for a non-empty list whose first item is an offset record (dict with start/end-like
    keys, or ``[start, end, ...]``)."""
    if not isinstance(value, list) or not value:
        return False
    first = value[0]
    if isinstance(first, dict):
        return bool(_OFFSET_KEYS & set(first))
    return isinstance(first, list) and len(first) >= 2 and all(type(x) is int for x in first[:2])


def _is_binary(obj: dict, raw_spans: object) -> bool:
    """Whether a Prodigy record answers about single spans (``ner.teach``, binary) rather
    than about all entities of the text (``ner.manual``/``ner.correct``).

    ``_view_id`` decides when present; older exports without it are binary when a span
    carries its own ``answer`` or a model ``score``, or the record a ``priority``/``score``.
    """
    view = obj.get("_view_id")
    if view is not None:
        return view in BINARY_VIEWS
    if "answer" not in obj:
        return False
    if isinstance(obj.get("label"), str) and not raw_spans:
        return False  # textcat.teach: an answer about a document category, not about spans
    if "priority" in obj or "score" in obj:
        return True
    return isinstance(raw_spans, list) and any(isinstance(x, dict) and ("answer" in x or "score" in x) for x in raw_spans)


def _categories(path: str, n: int, obj: dict, label_as_meta: bool, answer) -> tuple[list[str], bool]:
    """Return ``(categories, label_as_meta)``: the record's document categories, and
    whether its ``"label"`` still goes to meta (a rejected Prodigy textcat label).

    Raises:
        FormatError: ``"accept"`` or ``"cats"`` of the wrong shape.
    """
    out: list[str] = []
    lab = obj.get("label")
    if label_as_meta and (isinstance(lab, str) or (isinstance(lab, list) and all(isinstance(x, str) for x in lab))):
        names = [lab] if isinstance(lab, str) else list(lab)
        if answer in (None, "accept"):
            out += [x for x in names if x.strip()]
            label_as_meta = False
    accept = obj.get("accept")
    if accept is not None:
        if not isinstance(accept, list) or not all(isinstance(x, (str, int)) for x in accept):
            raise FormatError(path, n, msg('"accept" must be a list of the chosen options\' ids, such as ["SPORTS"], '
                                           "but it is {value}.", value=_short(accept)))
        if answer in (None, "accept"):
            out += [str(x) for x in accept]
    cats = obj.get("cats")
    if cats is not None:
        if not isinstance(cats, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                 for v in cats.values()):
            raise FormatError(path, n, msg('"cats" must map category names to scores, such as {{"SPORTS": 1.0, '
                                           '"POLITICS": 0.0}}, but it is {value}.', value=_short(cats)))
        out += [k for k, v in cats.items() if v >= 0.5]
    seen: set[str] = set()
    return [x for x in out if not (x in seen or seen.add(x))], label_as_meta


def record_doc(path: str, n: int, obj: object, notes: ReadNotes | None = None) -> Doc:
    """Turn one JSON record (line ``n``) into a :class:`Doc`.

    Prodigy ``answer``: ``accept`` on a manual record (``ner.manual``/``ner.correct``:
    all entities of the text) makes the document ``done``; ``reject``/``ignore`` on one
    makes it ``skipped`` (its spans kept, ``meta["answer"]`` says which). A binary record
    (``_view_id`` ``"ner"``, as ``ner.teach`` writes: one span per record) makes a
    *partial* document (``status="new"``; records of the same text merge on import):
    ``accept`` = an entity, ``reject`` = a negative example (:class:`Feedback`), ``ignore``
    = ignored (``status="skipped"`` unless other records of the text say more). A record
    with ``"data"`` and no ``"text"`` is read as a Label Studio task.

    Raises:
        FormatError: not an object, no string ``"text"``, malformed spans, or entity-like
            fields Tessera does not understand (rather than importing bare text).
    """
    if type(obj) is not dict:
        raise FormatError(
            path,
            n,
            msg('each line must be a JSON object such as {{"text": "..."}}, but this line is {kind}.',
                kind=_kind(obj)),
        )
    if "text" not in obj and isinstance(obj.get("data"), dict):
        from engine.formats import labelstudio

        return labelstudio.task_doc(path, n, obj, notes=notes)
    text = obj.get("text")
    if type(text) is not str:
        if text is None and "text" not in obj:
            keys = ", ".join(f'"{k}"' for k in list(obj)[:10]) or "none"
            raise SetAside(
                path,
                n,
                msg('this object has no "text" field (its fields: {keys}). Put the document '
                    'text under "text".', keys=keys),
            )
        raise FormatError(
            path, n, msg('"text" must be a string, but it is {kind}.', kind=_kind(text))
        )

    # Spans: Prodigy "spans", doccano "entities", doccano "label" triples.
    spans: list[Entity] = []
    raw_spans: object = None
    label_as_meta = False
    if "spans" in obj:
        raw_spans = obj["spans"]
        spans = _parse_spans(path, n, "spans", raw_spans)
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
    else:
        for key in ("labels", "ents"):  # doccano's older key; spaCy's Doc.to_json()
            if _looks_like_spans(obj.get(key)):
                spans = _parse_spans(path, n, key, obj[key])
                break
    if not spans:
        for key in _ENTITY_KEYS:
            if _looks_like_spans(obj.get(key)):
                raise FormatError(
                    path, n,
                    msg('"{key}" looks like entity annotations, but Tessera does not read that layout, so only '
                        'the text would be imported. Write the entities as "spans": [{{"start": 0, "end": 5, '
                        '"label": "PER"}}] (Prodigy) or "label": [[0, 5, "PER"]] (doccano).', key=key),
                )
    answer = obj.get("answer")
    categories, label_as_meta = _categories(path, n, obj, label_as_meta, answer)
    binary = answer in ("accept", "reject", "ignore") and _is_binary(obj, raw_spans)
    feedback: list[Feedback] = []
    if binary and spans:
        answers = [
            (x.get("answer") if isinstance(x, dict) and x.get("answer") in ("accept", "reject", "ignore") else answer)
            for x in raw_spans
        ] if isinstance(raw_spans, list) else [answer] * len(spans)
        for sp in spans:
            check_spans(path, n, text, [sp])  # offsets and label only
        feedback = [Feedback(sp.start, sp.end, sp.label, a) for sp, a in zip(spans, answers) if a != "accept"]
        spans = [sp for sp, a in zip(spans, answers) if a == "accept"]
    if spans:
        spans = check_spans(path, n, text, spans, notes)

    tokens = _tokens(text, obj["tokens"]) if "tokens" in obj else None
    sentences = _sentences(obj.get("sentences"), len(tokens)) if tokens else None

    status = None
    meta: dict | None = None
    partial = False
    if answer is not None:
        if answer not in ("accept", "reject", "ignore"):
            meta = {"answer": answer}
        elif binary:
            partial = True
            only_ignored = not spans and all(f.answer == "ignore" for f in feedback) and (feedback or answer == "ignore")
            status = "skipped" if only_ignored else "new"
        elif answer == "accept":
            status = "done"
        else:
            status = "skipped"
            meta = {"answer": answer}
    if len(obj) > 1:
        for k, v in obj.items():
            if k not in _KNOWN and not (k in _ALIASES and spans):
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
    if partial:
        meta = dict(meta or {})
        meta.setdefault("_view_id", "ner")
    return Doc(text=text, spans=spans, tokens=tokens, sentences=sentences, line=n, meta=meta or None,
               status=status, feedback=feedback, partial=partial, categories=categories)


def read(path: str | Path, *, notes: ReadNotes | None = None) -> Iterator[Doc]:
    """Yield one :class:`Doc` per non-blank line of a JSONL file (see :func:`record_doc`).

    A file that is one JSON document spread over many lines (a pretty-printed array or
    object) is read whole, its records told apart by their keys (see
    :func:`engine.formats.labelstudio.read`).

    Raises:
        FormatError: a line is not a JSON object, has no string ``"text"``, or has
            spans that are malformed or outside the text, or overlapping with ``--strict``.
    """
    path = str(path)
    loads = json.loads
    first = True
    last_text = None  # the text of the last record read (a suggestion's text is imported once)
    for n, line in iter_lines(path):
        if not line or line.isspace():
            continue
        try:
            obj = loads(line)
        except ValueError as exc:  # json.JSONDecodeError
            why = getattr(exc, "msg", str(exc))
            col = getattr(exc, "colno", None)
            if first and line.lstrip().startswith(("{", "[")) and getattr(exc, "pos", 0) >= len(line.rstrip()):
                # One JSON document over many lines (pretty-printed): read it whole.
                from engine.formats import labelstudio

                yield from labelstudio.read(path, notes=notes)
                return
            raise FormatError(
                path,
                n,
                msg("this line is not valid JSON: {reason} (at character {column}). In a JSONL file each line "
                    'must be one complete JSON object, such as {{"text": "..."}}.', reason=why, column=col)
                if col else
                msg("this line is not valid JSON: {reason}. In a JSONL file each line must be "
                    'one complete JSON object, such as {{"text": "..."}}.', reason=why),
            ) from None
        except RecursionError:
            raise FormatError(
                path, n, msg("this line is nested too deeply to be a document. Each line must be "
                             'one JSON object such as {{"text": "..."}}.')
            ) from None
        first = False
        if type(obj) is dict and _is_suggestion(obj):
            # An unanswered ner.teach question (a model's suggestion, as Tessera exports them):
            # never an entity. Its text is imported once, as a new document, unless the record just
            # before has the same text (Tessera writes each document before its suggestions).
            if notes is not None:
                notes.count("predictions")
                notes.add(n, msg("a model suggestion (an unanswered ner.teach question): not imported as an entity"))
            text = obj.get("text")
            if type(text) is not str or text == last_text:
                continue
            obj = {k: v for k, v in obj.items() if k not in ("spans", "_view_id")}
            if type(obj.get("meta")) is dict:
                obj["meta"] = {k: v for k, v in obj["meta"].items() if k not in ("score", "run")} or None
                if obj["meta"] is None:
                    del obj["meta"]
        try:
            doc = record_doc(path, n, obj, notes)
        except SetAside as exc:
            if notes is None or notes.strict:
                raise
            notes.add(n, msg("set aside, not imported: {reason}", reason=exc.message))
            notes.count("set_aside")
            continue
        last_text = doc.text
        yield doc


#: Prodigy's own record keys: written at the top level, not under "meta".
_PRODIGY_KEYS = frozenset(("_input_hash", "_task_hash", "_view_id", "_session_id", "_timestamp", "_annotator_id",
                           "priority", "score", "options"))


def _span_dict(sp, tok_by_start: dict[int, int], tok_by_end: dict[int, int]) -> dict:
    d = {"start": sp.start, "end": sp.end, "label": sp.label}
    ts = tok_by_start.get(sp.start)
    te = tok_by_end.get(sp.end)
    if ts is not None and te is not None:
        d["token_start"] = ts
        d["token_end"] = te
    return d


def _prodigy_records(doc: Doc) -> list[dict]:
    """One record for a document, or, for a document built from binary answers that is
    not marked done, one record per answered span (each with its answer), as Prodigy
    wrote them."""
    tok_by_start: dict[int, int] = {}
    tok_by_end: dict[int, int] = {}
    if doc.tokens:
        for i, (s, e) in enumerate(doc.tokens):
            tok_by_start[s] = i
            tok_by_end[e] = i
    rec: dict = {"text": doc.text}
    meta = dict(doc.meta) if doc.meta else {}
    answer = meta.pop("answer", None)
    top = {k: meta.pop(k) for k in list(meta) if k in _PRODIGY_KEYS}
    if doc.tokens:
        text = doc.text
        rec["tokens"] = [
            {"text": text[s:e], "start": s, "end": e, "id": i, "ws": text[e : e + 1].isspace()}
            for i, (s, e) in enumerate(doc.tokens)
        ]
        if doc.sentences and len(doc.sentences) > 1:
            rec["sentences"] = [[a, b] for a, b in doc.sentences]
    if not doc.categories and isinstance(meta.get("label"), str) and answer in ("reject", "ignore"):
        rec["label"] = meta.pop("label")  # a textcat answer saying the document is NOT of this category
    if meta:
        rec["meta"] = meta
    if top.get("_view_id") in BINARY_VIEWS and doc.status != "done" and (doc.spans or doc.feedback):
        out = []
        for sp, ans in [(sp, "accept") for sp in doc.spans] + [(f, f.answer) for f in doc.feedback]:
            one = dict(rec, spans=[_span_dict(sp, tok_by_start, tok_by_end)], answer=ans)
            one.update(top)
            out.append(one)
        return out
    if doc.spans or not (doc.categories or "label" in rec or "options" in top):  # a textcat task has no spans
        rec["spans"] = [_span_dict(sp, tok_by_start, tok_by_end) for sp in doc.spans]
    if doc.categories:  # a choice answer when the task had options (or there are several), else a label
        if "options" in top or len(doc.categories) > 1:
            top.setdefault("options", [{"id": c, "text": c} for c in doc.categories])
            rec["accept"] = list(doc.categories)
        else:
            rec["label"] = doc.categories[0]
    elif "options" in top:
        rec["accept"] = []  # a choice task answered with no option
    if top.get("_view_id") in BINARY_VIEWS:
        top["_view_id"] = "ner_manual"  # labeled in full since: one record for the text
    rec.update(top)
    if doc.status == "done":
        rec["answer"] = "accept"
    elif answer is not None:
        rec["answer"] = answer
    elif doc.status == "skipped":
        rec["answer"] = "ignore"
    return [rec]


def _doccano_record(doc: Doc) -> dict:
    if doc.categories and doc.spans:  # both: entities in the newer layout, categories as the label list
        rec: dict = {"text": doc.text, "entities": [{"start_offset": sp.start, "end_offset": sp.end, "label": sp.label}
                                                    for sp in doc.spans], "label": list(doc.categories)}
    elif doc.categories:  # a text-classification project
        rec = {"text": doc.text, "label": list(doc.categories)}
    else:
        rec = {"text": doc.text, "label": [[sp.start, sp.end, sp.label] for sp in doc.spans]}
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


def _suggestion_records(doc: Doc) -> list[dict]:
    """The document's model suggestions (``Doc.predictions``) as Prodigy ``ner.teach``
    questions: one unanswered binary record per suggestion (``_view_id`` ``"ner"``, one
    span with its ``score``, ``meta.score`` as Prodigy shows it, ``meta.run``: the
    training run that suggested it). Being unanswered, they are never read back as
    entities (see :func:`read`)."""
    out = []
    for start, end, label, score, run in doc.predictions:
        span: dict = {"start": start, "end": end, "label": label}
        meta: dict = {}
        if score is not None:
            span["score"] = meta["score"] = round(float(score), 4)
        if run is not None:
            meta["run"] = run
        out.append({"text": doc.text, "spans": [span], "meta": meta, "_view_id": "ner"})
    return out


def _is_suggestion(obj: dict) -> bool:
    """An unanswered binary question (``ner.teach`` style): a model suggestion, not an entity."""
    return "answer" not in obj and obj.get("_view_id") in BINARY_VIEWS and bool(obj.get("spans"))


def _spacy_record(doc: Doc, category_names: Sequence[str] = ()) -> dict:
    """spaCy's ``Doc.to_json()`` layout: ``{"text", "ents": [{"start", "end", "label"}],
    "cats": {name: 1.0 or 0.0}}`` (every category of the project, so a reader sees the
    document is *not* of the others; with no names known, the document's own at 1.0)."""
    rec: dict = {"text": doc.text, "ents": [{"start": sp.start, "end": sp.end, "label": sp.label} for sp in doc.spans]}
    names = list(category_names) or list(doc.categories)
    if names:
        rec["cats"] = {n: 1.0 if n in doc.categories else 0.0 for n in names}
    if doc.meta:
        rec["meta"] = dict(doc.meta)
    return rec


def write(docs: Iterable[Doc], fh: TextIO, *, style: str = "prodigy", category_names: Sequence[str] = ()) -> int:
    """Write ``docs`` as JSONL to ``fh``; return how many were written.

    Args:
        style: ``"prodigy"`` -- ``{"text", "spans": [{"start", "end", "label"}],
            "tokens": [...] (if the doc has tokens), "sentences": [[first, end], ...]
            (token ranges, only when a tokenized doc has several sentences), "meta": {...} (if any),
            "answer": "accept" (if status is done; otherwise the answer it was imported
            with, or "ignore" for a skipped document)}``; spans get ``token_start``/
            ``token_end`` when they align with the tokens. A document built from
            Prodigy binary answers and not marked done is written as one record per
            answered span, as Prodigy wrote it. The document's model suggestions
            (``Doc.predictions``, present when the export asks for them) follow its
            record as unanswered ``ner.teach`` questions (:func:`_suggestion_records`).
            ``"doccano"`` -- ``{"text", "label": [[start, end, "LABEL"]], ...meta keys}``
            (meta keys that clash with ``text``/``label``/``spans``/... go under ``"meta"``).
            ``"spacy"`` -- ``{"text", "ents", "cats", "meta"}`` (:func:`_spacy_record`;
            ``category_names``: the project's categories).

    Raises:
        TesseraError: unknown ``style``.
    """
    if style == "prodigy":
        make = lambda doc: _prodigy_records(doc) + _suggestion_records(doc)  # noqa: E731
    elif style == "doccano":
        make = lambda doc: [_doccano_record(doc)]  # noqa: E731
    elif style == "spacy":
        make = lambda doc: [_spacy_record(doc, category_names)]  # noqa: E731
    else:
        raise TesseraError(msg("unknown JSONL style {style}; use 'prodigy', 'doccano' or 'spacy'.", style=repr(style)))
    dumps = json.dumps
    count = 0
    for doc in docs:
        for rec in make(doc):
            fh.write(dumps(rec, ensure_ascii=False))
            fh.write("\n")
        count += 1
    return count
