"""Label Studio JSON export (and JSON-MIN) for text span labeling.

Full export: a JSON array of tasks::

    [{"id": 1, "data": {"text": "..."},
      "annotations": [{"result": [{"value": {"start": 0, "end": 5, "text": "...",
                                             "labels": ["PER"]},
                                   "from_name": "label", "to_name": "text",
                                   "type": "labels"}], "was_cancelled": false}],
      "predictions": [...]}, ...]

The first annotation that is not ``"was_cancelled": true`` gives the spans and
marks the document ``status="done"``; a task without one has no spans and
``status=None``. ``"choices"`` results are the document's categories
(:attr:`Doc.categories`; their control's names go to ``notes.origin`` as
``choices_from_name``/``choices_to_name``). Predictions are not imported as entities:
they are counted (``notes.counts["predictions"]``) and kept in
``meta["ls_predictions"]`` so export writes them back. Result items of other types
(relations, text areas...) are ignored. The labeling control's
``from_name``/``to_name`` and the data key of the text go to ``notes.origin`` so an
export re-imports into the same Label Studio project; other ``data`` fields are kept
in ``meta["ls_data"]``.

A record without ``"data"`` that is not JSON-MIN (a doccano or Prodigy record in a
JSON array, e.g. a pretty-printed doccano export) is read as such
(:func:`engine.formats.jsonl.record_doc`), so its entities are never dropped.

JSON-MIN export: ``[{"id": 1, "text": "...", "label": [{"start", "end", "text",
"labels": [...]}], ...}, ...]`` (the span list is under the labeling control's
name, usually ``"label"``; any list of ``{"start", "end", "labels"}`` objects is used).

Offsets are Unicode code points (what current Label Studio writes). Older Label
Studio versions wrote UTF-16 offsets for text with emoji; when a region's
``"text"`` only matches the document under UTF-16 offsets, they are converted.

Limit: the whole file is read into memory (a JSON array cannot be streamed with
the standard library), then parsed task by task so errors name the line where
the bad task starts.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from engine.errors import FormatError
from engine.formats.base import Doc, Entity, ReadNotes, check_spans, iter_lines
from engine.messages import msg

__all__ = ["read", "write"]

_WS = re.compile(r"[ \t\n\r]*")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return msg("an object")
    if isinstance(value, list):
        return msg("a list")
    if isinstance(value, str):
        return msg("a string")
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return msg("a number")


class _Task:
    """Where a task sits in the file, for error messages."""

    __slots__ = ("path", "line", "number")

    def __init__(self, path: str, line: int, number: int):
        self.path = path
        self.line = line
        self.number = number

    def error(self, message: str) -> FormatError:
        return FormatError(self.path, self.line, msg("task {number}: {problem}", number=self.number, problem=message))


def _pick_text(where: _Task, data: dict, text_key: str | None) -> str:
    if text_key is not None:
        if text_key not in data:
            keys = ", ".join(f'"{k}"' for k in data) or "none"
            raise where.error(
                msg('"data" has no field "{key}" (its fields: {keys}). '
                    "Choose one of these with --text-key.", key=text_key, keys=keys)
            )
        text = data[text_key]
        if not isinstance(text, str):
            raise where.error(msg('"data"/"{key}" must be text, but it is {kind}.', key=text_key, kind=_kind(text)))
        return text
    if "text" in data:
        text = data["text"]
        if not isinstance(text, str):
            raise where.error(msg('"data"/"{key}" must be text, but it is {kind}.', key="text", kind=_kind(text)))
        return text
    strings = [k for k, v in data.items() if isinstance(v, str)]
    if len(strings) == 1:
        return data[strings[0]]
    if not strings:
        raise where.error(
            msg('"data" has no text field. Put the document text under "data": {{"text": "..."}}.')
        )
    keys = ", ".join(f'"{k}"' for k in strings)
    raise where.error(
        msg('"data" has several text fields ({keys}) and none is called "text". '
            "Choose the one to label with --text-key.", keys=keys)
    )


def _utf16_to_cp(text: str, offset: int) -> int | None:
    """Convert a UTF-16 code-unit offset into a code-point offset (None if it splits a pair)."""
    units = 0
    for i, ch in enumerate(text):
        if units == offset:
            return i
        if units > offset:
            return None
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text) if units == offset else None


def _region_entity(where: _Task, text: str, value: object, i: int) -> Entity:
    if not isinstance(value, dict):
        raise where.error(msg('region {i} has no "value" object with "start", "end" and "labels".', i=i))
    for name in ("start", "end", "labels"):
        if name not in value:
            raise where.error(
                msg('region {i} has no "{field}" in its value. Each labeled region needs '
                    '"start", "end" and "labels".', i=i, field=name)
            )
    start, end, labels = value["start"], value["end"], value["labels"]
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise where.error(
            msg('region {i}: "labels" must be a list with one label name, such as ["PER"].', i=i)
        )
    if len(labels) > 1:
        shown = ", ".join(labels)
        raise where.error(
            msg("region {i} ({start}-{end}) has several labels ({labels}); Tessera gives each "
                "entity one label. Keep one label on that region in Label Studio and export again.",
                i=i, start=start, end=end, labels=shown)
        )
    seen = value.get("text")
    if (
        isinstance(seen, str)
        and type(start) is int
        and type(end) is int
        and text[start:end] != seen
        and _ASTRAL.search(text)
    ):
        s2, e2 = _utf16_to_cp(text, start), _utf16_to_cp(text, end)
        if s2 is not None and e2 is not None and text[s2:e2] == seen:
            start, end = s2, e2
    return Entity(start, end, labels[0])


def _regions(where: _Task, text: str, result: object, *, typed: bool, notes: ReadNotes | None = None,
             choices: list[str] | None = None, groups: list[dict] | None = None) -> list[Entity]:
    """Return the entities of an annotation's ``result``; its ``choices`` items (document
    categories) are added to ``choices`` when given, and each such item, as
    ``{"from_name", "to_name", "choices"}``, to ``groups``."""
    if not isinstance(result, list):
        raise where.error(msg('"result" must be a list of regions, but it is {kind}.', kind=_kind(result)))
    spans = []
    for i, item in enumerate(result, 1):
        if not isinstance(item, dict):
            raise where.error(msg("region {i} in the result is {kind}, not an object.", i=i, kind=_kind(item)))
        if typed:
            kind = item.get("type")
            value = item.get("value")
            if kind == "choices" and choices is not None:
                picked = value.get("choices") if isinstance(value, dict) else None
                if not isinstance(picked, list) or not all(isinstance(x, str) for x in picked):
                    raise where.error(msg('region {i} is a "choices" result without a list of choices, such as '
                                          '"value": {{"choices": ["Positive"]}}.', i=i))
                choices.extend(c for c in picked if c not in choices)
                if groups is not None:
                    groups.append({k: item[k] for k in ("from_name", "to_name") if isinstance(item.get(k), str)}
                                  | {"choices": list(picked)})
                if notes is not None and "choices_from_name" not in notes.origin:
                    for key in ("from_name", "to_name"):
                        if isinstance(item.get(key), str):
                            notes.origin[f"choices_{key}"] = item[key]
                continue
            if kind is not None and kind != "labels":
                continue  # relations, textarea, ...
            if kind is None and not (isinstance(value, dict) and "labels" in value):
                continue  # relations carry no "type": "labels" nor a value with labels
            if notes is not None and "from_name" not in notes.origin:
                for key in ("from_name", "to_name"):
                    if isinstance(item.get(key), str):
                        notes.origin[key] = item[key]
            spans.append(_region_entity(where, text, value, i))
        else:
            spans.append(_region_entity(where, text, item, i))
    return spans


def _is_min_task(task: dict, key: str) -> bool:
    """A JSON-MIN task: the text at the top level and a list of regions with ``labels``."""
    return isinstance(task.get(key), str) and any(
        isinstance(v, list) and v and all(isinstance(x, dict) and "labels" in x for x in v)
        for k, v in task.items() if k != key
    )


def task_doc(path: str, line: int, task: object, *, number: int = 1, text_key: str | None = None,
             notes: ReadNotes | None = None) -> Doc:
    """Turn one record of a JSON file into a :class:`Doc`: a Label Studio task (full or
    JSON-MIN), or, when it has neither ``"data"`` nor JSON-MIN regions, a Prodigy /
    doccano record (:func:`engine.formats.jsonl.record_doc`).

    Raises:
        FormatError: a malformed task (``path:line: task N: what is wrong``).
    """
    where = _Task(path, line, number)
    if isinstance(task, dict) and "data" not in task and not _is_min_task(task, text_key or "text"):
        from engine.formats import jsonl

        if text_key in (None, "text") and isinstance(task.get("text"), str):
            try:
                return jsonl.record_doc(path, line, task, notes)
            except FormatError as exc:
                raise where.error(exc.message) from None
    return _task_doc(where, task, text_key, notes)


def _task_doc(where: _Task, task: object, text_key: str | None, notes: ReadNotes | None = None) -> Doc:
    if not isinstance(task, dict):
        raise where.error(
            msg('each task must be a JSON object with a "data" field, but this one is {kind}.', kind=_kind(task))
        )
    meta: dict = {}
    if "id" in task:
        meta["ls_id"] = task["id"]
    status = None
    if "data" in task:
        data = task["data"]
        if not isinstance(data, dict):
            raise where.error(msg('"data" must be an object like {{"text": "..."}}, but it is {kind}.',
                                  kind=_kind(data)))
        text = _pick_text(where, data, text_key)
        if notes is not None and "text_key" not in notes.origin:
            notes.origin["text_key"] = text_key or next(k for k, v in data.items() if v is text)
        spans: list[Entity] = []
        choices: list[str] = []
        groups: list[dict] = []
        annotations = task.get("annotations", task.get("completions"))
        if annotations is not None:
            if not isinstance(annotations, list):
                raise where.error(msg('"annotations" must be a list, but it is {kind}.', kind=_kind(annotations)))
            for ann in annotations:
                if not isinstance(ann, dict):
                    raise where.error(msg("an annotation is {kind}, not an object.", kind=_kind(ann)))
                if ann.get("was_cancelled") is True:
                    continue
                spans = _regions(where, text, ann.get("result", []), typed=True, notes=notes, choices=choices,
                                 groups=groups)
                names = {g.get("from_name") for g in groups}
                first = notes.origin.get("choices_from_name") if notes is not None else None
                if len(names) > 1 or (groups and names != {first}):  # not the file's one control: keep which
                    meta["ls_choices"] = groups
                status = "done"
                break
        predictions = task.get("predictions")
        if isinstance(predictions, list) and predictions:
            meta["ls_predictions"] = predictions
            if notes is not None:
                notes.count("predictions", len(predictions))
        others = {k: v for k, v in data.items() if v is not text}
        if others:
            meta["ls_data"] = others
        extra = task.get("meta")
        if isinstance(extra, dict):
            for k, v in extra.items():
                meta.setdefault(k, v)
    else:
        # JSON-MIN: the text and span list sit at the top level.
        key = text_key or "text"
        if key not in task:
            keys = ", ".join(f'"{k}"' for k in list(task)[:10]) or "none"
            raise where.error(
                msg('the task has neither "data" nor "{key}" (its fields: {keys}). A Label Studio '
                    'export needs "data": {{"text": "..."}} in each task.', key=key, keys=keys)
            )
        text = task[key]
        if not isinstance(text, str):
            raise where.error(msg('"{key}" must be text, but it is {kind}.', key=key, kind=_kind(text)))
        spans = []
        choices = []
        for k, v in task.items():
            if k == key or k == "id":
                continue
            if (
                isinstance(v, list)
                and v
                and all(isinstance(x, dict) and "labels" in x for x in v)
                and (k == "label" or not spans)
            ):
                spans = _regions(where, text, v, typed=False)
                status = "done"
                if notes is not None:
                    notes.origin.setdefault("from_name", k)
    if spans:
        try:
            spans = check_spans(where.path, where.line, text, spans, notes)
        except FormatError as exc:
            raise where.error(exc.message) from None
    return Doc(text=text, spans=spans, line=where.line, meta=meta or None, status=status, categories=choices)


def _read_all(path: str) -> str:
    return "\n".join(line for _, line in iter_lines(path))


def read(path: str | Path, *, text_key: str | None = None, notes: ReadNotes | None = None) -> Iterator[Doc]:
    """Yield one :class:`Doc` per task of a Label Studio JSON (or JSON-MIN) export.

    Args:
        text_key: the field of ``"data"`` holding the text to label (default:
            ``"text"``, else the only string field).

    ``Doc.meta`` is ``{"ls_id": <task id>}`` plus the task's ``"meta"`` object, if any.

    Raises:
        FormatError: JSON syntax errors (at their line), a file that is not a list
            of tasks, or a bad task (at the line where that task starts).
    """
    path = str(path)
    s = _read_all(path)
    decode = json.JSONDecoder().raw_decode
    ws = _WS.match
    pos = ws(s, 0).end()
    if pos == len(s):
        raise FormatError(path, 0, msg("the file is empty. Export the project from Label Studio as JSON."))
    line = 1 + s.count("\n", 0, pos)

    def syntax(exc: json.JSONDecodeError) -> FormatError:
        return FormatError(
            path,
            exc.lineno,
            msg("the file is not valid JSON: {reason} (line {line}, column {column}). "
                "Re-export it from Label Studio as JSON, or fix the file in a text editor.",
                reason=exc.msg, line=exc.lineno, column=exc.colno),
        )

    def value_at(at: int):
        try:
            return decode(s, at)
        except json.JSONDecodeError as exc:
            raise syntax(exc) from None
        except RecursionError:
            raise FormatError(
                path, 1 + s.count("\n", 0, at), msg("the JSON is nested too deeply to be a Label Studio export.")
            ) from None

    if s[pos] != "[":
        if s[pos] == "{":
            task, end = value_at(pos)
            rest = ws(s, end).end()
            if rest == len(s):
                yield task_doc(path, line, task, text_key=text_key, notes=notes)
                return
            raise FormatError(
                path,
                1 + s.count("\n", 0, rest),
                msg("the file holds more than one JSON value. A Label Studio export is one JSON "
                    "list [ ... ] of tasks; if each line is its own JSON object, import it as JSONL."),
            )
        raise FormatError(
            path,
            line,
            msg("this is not a Label Studio JSON export: it should start with '[' (a list of "
                "tasks). Export the project from Label Studio as JSON."),
        )

    line_pos = pos  # `line` is the line number at character position `line_pos`
    pos = ws(s, pos + 1).end()
    number = 0
    if pos < len(s) and s[pos] == "]":
        pos += 1
    else:
        while True:
            if pos >= len(s):
                raise FormatError(
                    path, line + s.count("\n", line_pos, pos),
                    msg("the file ends in the middle of the task list (missing ']'). "
                        "The export may be cut off; export it again."),
                )
            line += s.count("\n", line_pos, pos)
            line_pos = pos
            number += 1
            task, end = value_at(pos)
            yield task_doc(path, line, task, number=number, text_key=text_key, notes=notes)
            pos = ws(s, end).end()
            if pos < len(s) and s[pos] == ",":
                pos = ws(s, pos + 1).end()
                continue
            if pos < len(s) and s[pos] == "]":
                pos += 1
                break
            at = line + s.count("\n", line_pos, pos)
            if pos >= len(s):
                raise FormatError(
                    path, at,
                    msg("the file ends in the middle of the task list (missing ']'). "
                        "The export may be cut off; export it again."),
                )
            raise FormatError(
                path, at,
                msg("expected ',' between tasks or ']' after the last task, found {found}. "
                    "Re-export the file from Label Studio as JSON.", found=repr(s[pos])),
            )
    rest = ws(s, pos).end()
    if rest != len(s):
        raise FormatError(
            path,
            1 + s.count("\n", 0, rest),
            msg("there is more text after the end of the task list. A Label Studio export is "
                "exactly one JSON list [ ... ]; remove what follows it."),
        )


def write(docs: Iterable[Doc], fh: TextIO, *, text_key: str | None = None) -> int:
    """Write ``docs`` as a Label Studio JSON export; return how many were written.

    Each task is ``{"id", "data": {text_key: text, ...}, "annotations": [...],
    "predictions": [...]}``. A document that is done or has spans or categories gets one
    annotation (regions of type ``labels``, and its categories as one ``choices`` result);
    others get none, so Label Studio shows them as unlabeled. ``from_name``, ``to_name`` and the text's data key are those the
    document was imported with (``Doc.origin``), else ``"label"``, ``"text"``,
    ``"text"`` (``text_key`` overrides the key). ``id`` is ``meta["ls_id"]`` when
    present, else the 1-based position; ``meta["ls_data"]`` and
    ``meta["ls_predictions"]`` go back where they came from; other meta keys go into
    the task's ``"meta"`` object. ``Doc.predictions`` (model suggestions, when the
    export asks for them) are added as one prediction per run (``model_version``
    ``tessera-run-N``, region and task scores). Offsets are code points.
    """
    fh.write("[")
    count = 0
    for doc in docs:
        count += 1
        origin = doc.origin or {}
        meta = dict(doc.meta) if doc.meta else {}
        task_id = meta.pop("ls_id", count)
        key = text_key or origin.get("text_key") or "text"
        data = {key: doc.text}
        extra_data = meta.pop("ls_data", None)
        if isinstance(extra_data, dict):
            for k, v in extra_data.items():
                data.setdefault(k, v)
        predictions = meta.pop("ls_predictions", None)
        task: dict = {"id": task_id, "data": data}
        annotations = []
        groups = meta.pop("ls_choices", None)  # categories from several choice controls
        if doc.status == "done" or doc.spans or doc.categories:
            result = [
                {
                    "id": f"t{count}r{i}",
                    "from_name": origin.get("from_name", "label"),
                    "to_name": origin.get("to_name", key),
                    "type": "labels",
                    "value": {
                        "start": sp.start,
                        "end": sp.end,
                        "text": doc.text[sp.start : sp.end],
                        "labels": [sp.label],
                    },
                }
                for i, sp in enumerate(doc.spans, 1)
            ]
            if groups and sorted({c for g in groups for c in g["choices"]}) == sorted(doc.categories):
                for i, g in enumerate(groups, 1):  # several choice controls, as they came
                    result.append({"id": f"t{count}c{i}", "from_name": g.get("from_name", "category"),
                                   "to_name": g.get("to_name", key), "type": "choices",
                                   "value": {"choices": g["choices"]}})
            elif doc.categories:  # the document's categories: one "choices" result
                result.append({"id": f"t{count}c", "from_name": origin.get("choices_from_name", "category"),
                               "to_name": origin.get("choices_to_name", origin.get("to_name", key)),
                               "type": "choices", "value": {"choices": list(doc.categories)}})
            annotations.append({"result": result, "was_cancelled": False})
        task["annotations"] = annotations
        task["predictions"] = predictions if isinstance(predictions, list) else []
        if doc.predictions:  # the model's suggestions, one prediction per run
            by_run: dict = {}
            for start, end, label, score, run in doc.predictions:
                by_run.setdefault(run, []).append((start, end, label, score))
            for run, items in by_run.items():
                scores = [sc for *_, sc in items if sc is not None]
                task["predictions"].append({
                    "model_version": f"tessera-run-{run}" if run is not None else "tessera",
                    "score": round(sum(scores) / len(scores), 4) if scores else None,
                    "result": [{
                        "id": f"t{count}p{i}", "from_name": origin.get("from_name", "label"),
                        "to_name": origin.get("to_name", key), "type": "labels",
                        "value": {"start": a, "end": b, "text": doc.text[a:b], "labels": [lab]},
                        **({"score": round(sc, 4)} if sc is not None else {}),
                    } for i, (a, b, lab, sc) in enumerate(items, 1)],
                })
        if meta:
            task["meta"] = meta
        body = json.dumps(task, ensure_ascii=False, indent=1)
        fh.write(("\n " if count == 1 else ",\n ") + body.replace("\n", "\n "))
    fh.write("\n]\n" if count else "]\n")
    return count
