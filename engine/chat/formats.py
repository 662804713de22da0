"""Chat example files: what :func:`read_chat_file` reads and how it tells them apart.

Every reader yields ``(line, messages)``: the 1-based line where the conversation
starts and a list of ``{"role", "content"}`` dicts (roles ``system``/``user``/
``assistant``) that ends with the assistant's answer. Anything wrong raises
:class:`engine.errors.FormatError` (``path:line: what is wrong``).

Formats:

* ``messages`` -- JSON objects ``{"messages": [{"role", "content"}, ...]}`` (OpenAI
  fine-tuning files) or ``{"conversations": [{"from", "value"}, ...]}`` (ShareGPT).
  Role aliases: ``human`` = user; ``gpt``, ``bot``, ``model`` = assistant. OpenAI
  content given as a list of ``{"type": "text", "text": ...}`` parts is joined.
  Contents are kept exactly as written.
* ``alpaca`` -- ``{"instruction", "input" (optional), "output"}``: the user says the
  instruction, followed by a blank line and the input when there is one; the
  assistant answers the output. Also accepted: ``context``/``response`` (Dolly-15k
  style) and an optional ``system`` text; Self-Instruct seed tasks
  ``{"instruction", "instances": [{"input", "output"}, ...]}`` give one example per
  instance. Surrounding whitespace is removed.
* ``human-assistant`` -- text with ``### Human: ... ### Assistant: ...`` markers (any
  number of turns; an optional ``### System:`` first), either as ``{"text": ...}``
  JSON objects or as a plain text file. In a text file conversations are separated
  by blank lines; a block whose every line is a whole conversation (starts with
  ``### Human:`` and holds ``### Assistant:``) is read as one conversation per line.
  Surrounding whitespace is removed.

JSON objects may come one per line (JSON Lines; a bad line is reported at once) or
as any JSON text spanning lines: one top-level array ``[{...}, {...}]`` or objects
one after another. Both are read streaming: memory is bounded by the largest
object, not the file. ``auto`` looks at the first non-blank line: JSON when it
starts with ``{`` or ``[`` (the first object's keys then pick the format for the
whole file), ``human-assistant`` text when it holds a ``### Human:`` marker.
Encodings: UTF-8, UTF-8 with BOM, UTF-16 with BOM (see
:func:`engine.formats.base.iter_lines`).
"""
from __future__ import annotations

import codecs
import itertools
import json
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

from engine.chat.examples import problem
from engine.errors import FormatError
from engine.formats.base import detect_encoding, iter_lines
from engine.messages import msg

__all__ = ["FORMATS", "FORMAT_CHOICES", "read_chat_file", "detect_chat_format"]

#: format name -> one-line description (for --help and the import dialog)
FORMATS: dict[str, str] = {
    "messages": msg('JSON with "messages" (OpenAI) or "conversations" (ShareGPT) lists'),
    "alpaca": msg('Alpaca / Self-Instruct JSON: "instruction", "input", "output"'),
    "human-assistant": msg('### Human: ... ### Assistant: ... (text file or JSON "text")'),
}
FORMAT_CHOICES = ("auto", *FORMATS)

_ROLE_ALIASES = {
    "user": "user", "human": "user",
    "assistant": "assistant", "gpt": "assistant", "bot": "assistant", "model": "assistant", "chatgpt": "assistant",
    "system": "system",
}
_MARKER = re.compile(r"###[ \t]*(Human|Assistant|System)[ \t]*:", re.IGNORECASE)
_FIRST_MARKER = re.compile(r"\s*###[ \t]*(Human|System)[ \t]*:", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")
_WS = re.compile(r"[ \t\n\r]*")
_PARTIAL_TOKEN = re.compile(r"[A-Za-z0-9.+\-]*")  # what a number or literal cut short can look like
_MAX_OBJECT_CHARS = 64 << 20  # a JSON value spanning lines is read into memory whole

_TYPE_NAMES = {dict: msg("an object"), list: msg("a list"), str: msg("text"), int: msg("a number"),
               float: msg("a number"), bool: "true/false", type(None): "null"}

_SHAPES = {
    "messages": '{"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]}',
    "alpaca": '{"instruction": "...", "input": "...", "output": "..."}',
    "human-assistant": '{"text": "### Human: ... ### Assistant: ..."}',
}


def _kind(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _short(value: object, limit: int = 60) -> str:
    s = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    s = s.replace("\n", " ")
    return repr(s if len(s) <= limit else s[: limit - 3] + "...")


def read_chat_file(path: str | Path, format: str = "auto") -> Iterator[tuple[int, list[dict]]]:
    """Yield ``(line, messages)`` for every conversation in the chat file ``path``, streaming.

    ``format`` is ``auto`` or one of :data:`FORMATS`. ``messages`` is a valid chat
    example (see :func:`engine.chat.examples.problem`); ``line`` is where it starts.

    Raises:
        FormatError: unknown ``format`` (at once); on iteration: the file is missing,
            empty, binary or not UTF-8/UTF-16, a line or object is malformed or not a
            valid conversation, or the file holds no conversation at all.
    """
    path = Path(path)
    if format not in FORMAT_CHOICES:
        raise FormatError(path, 0, msg("unknown chat format {format}; choose one of: {choices}.",
                                       format=repr(format), choices=", ".join(FORMAT_CHOICES)))
    return _read(path, format)


def detect_chat_format(path: str | Path) -> str:
    """Return the chat format of ``path`` (``messages``, ``alpaca`` or ``human-assistant``)
    from its first non-blank line or first JSON object.

    Raises:
        FormatError: the file cannot be read, is empty, or its format cannot be told.
    """
    path = Path(path)
    records = _records(path, "auto")
    first = next(records, None)
    records.close()
    if first is None:
        raise FormatError(path, 0, msg("the file has no chat examples."))
    return first[1]


def _read(path: Path, fmt: str) -> Iterator[tuple[int, list[dict]]]:
    count = 0
    for line, kind, record in _records(path, fmt):
        for messages in _PARSERS[kind](path, line, record):
            _check(path, line, kind, messages)
            count += 1
            yield line, messages
    if not count:
        raise FormatError(path, 0, msg("the file has no chat examples."))


def _records(path: Path, fmt: str) -> Iterator[tuple[int, str, object]]:
    """Yield ``(line, format, record)``: a JSON object or a conversation's text."""
    lines = iter_lines(path)
    head: list[tuple[int, str]] = []
    for n, text in lines:
        head.append((n, text))
        if text.strip():
            break
    else:
        if head:
            raise FormatError(path, 0, msg("the file has only blank lines; there are no chat examples in it."))
        raise FormatError(path, 0, msg("the file is empty; there are no chat examples in it."))
    stream = itertools.chain(head, lines)
    first_line, first = head[-1]
    start = first.lstrip()
    if start.startswith(("{", "[")):
        if fmt == "auto":
            fmt = None
        if _whole_json_object(start):
            values = _json_lines(path, stream)
        else:
            lines.close()
            values = _json_stream(path)
        for n, obj in values:
            if not isinstance(obj, dict):
                raise FormatError(path, n, msg("expected a JSON object such as {example}, but found {kind}: {value}.",
                                               example=_SHAPES[fmt or "messages"], kind=_kind(obj), value=_short(obj)))
            if fmt is None:
                fmt = _record_format(obj)
                if fmt is None:
                    keys = ", ".join(f'"{k}"' for k in list(obj)[:8]) or "none"
                    raise FormatError(
                        path, n, msg("cannot tell the chat format from this object (its keys: {keys}). "
                                     'Expected "messages" (OpenAI), "conversations" (ShareGPT), "instruction" and '
                                     '"output" (Alpaca) or "text" with ### Human: / ### Assistant: markers.', keys=keys))
            yield n, fmt, obj
        return
    if fmt in ("messages", "alpaca"):
        raise FormatError(path, first_line, msg("this is not JSON: the {format} format needs one JSON object per "
                                                "line, such as {example}, or a JSON array of them.",
                                                format=fmt, example=_SHAPES[fmt]))
    if fmt == "auto" and not _MARKER.search(first):
        raise FormatError(
            path, first_line, msg("cannot tell the chat format of this file: it is neither JSON nor text with "
                                  "### Human: / ### Assistant: markers. Choose the format explicitly if it is one "
                                  "of: {choices}.", choices=", ".join(FORMATS)))
    for n, text in _text_blocks(stream):
        yield n, "human-assistant", text


def _record_format(obj: dict) -> str | None:
    if "messages" in obj or "conversations" in obj:
        return "messages"
    if "instruction" in obj:
        return "alpaca"
    if "text" in obj:
        return "human-assistant"
    return None


# ---------------------------------------------------------------- JSON containers

def _json_error(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return msg("the JSON is nested too deeply")
    why = getattr(exc, "msg", None) or str(exc)
    col = getattr(exc, "colno", None)
    if col:
        return msg("this is not valid JSON ({reason} at column {column})", reason=why, column=col)
    return msg("this is not valid JSON ({reason})", reason=why)


def _whole_json_object(line: str) -> bool:
    """True when ``line`` holds one complete JSON object: the file is JSON Lines."""
    if not line.startswith("{"):
        return False
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def _json_lines(path: Path, stream: Iterable[tuple[int, str]]) -> Iterator[tuple[int, object]]:
    """Yield ``(line, value)`` for each non-blank line of a JSON Lines file."""
    for n, text in stream:
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise FormatError(path, n, msg("{problem}. In a JSON Lines file each line must hold "
                                           "one complete JSON object.", problem=_json_error(exc))) from None
        yield n, value


def _text_chunks(path: Path, size: int = 1 << 20) -> Iterator[str]:
    """Yield the text of ``path`` in pieces of about ``size`` characters, line ends made
    ``\n`` (as :func:`engine.formats.base.iter_lines` does; unlike it, a line may be
    longer than any limit -- a JSON array written on one line)."""
    enc = detect_encoding(path)
    name = "UTF-16" if enc == "utf-16" else "UTF-8"
    decoder = codecs.getincrementaldecoder(enc)("strict")
    line, held = 1, ""
    with open(path, "rb") as fh:
        while True:
            data = fh.read(size)
            try:
                text = held + decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                bad = line + (data.count(b"\n", 0, exc.start) if name == "UTF-8" else 0)
                raise FormatError(path, bad, msg("the text is not valid {encoding} (perhaps it was saved as "
                                                 "Latin-1 or Windows-1252). Save the file as {encoding} and import "
                                                 "again.", encoding=name)) from None
            held = ""
            if data and text.endswith("\r"):  # a CR LF may be cut in two
                text, held = text[:-1], "\r"
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            if "\x00" in text:
                bad = line + text.count("\n", 0, text.index("\x00"))
                raise FormatError(path, bad, msg("the line contains a NUL byte; this looks like a binary file."))
            line += text.count("\n")
            if text:
                yield text
            if not data:
                return


def _json_stream(path: Path) -> Iterator[tuple[int, object]]:
    """Yield ``(line, value)`` for each element of a top-level JSON array, or for each of
    several JSON values one after another, reading ``path`` in chunks."""
    decoder = json.JSONDecoder()
    chunks = _text_chunks(path)
    buf = ""  # text read and not yet parsed starts at buf[pos]
    pos = 0
    buf_line = 1  # line number of buf[0]
    eof = False
    mark, mark_line = 0, 1  # line_at cache: buf[mark] is on line mark_line

    def line_at(i: int) -> int:
        nonlocal mark, mark_line
        if i < mark:
            mark, mark_line = 0, buf_line
        mark_line += buf.count("\n", mark, i)
        mark = i
        return mark_line

    def last_line() -> int:
        return line_at(len(buf.rstrip()))

    def read_more(at_least: int = 1) -> bool:
        """Append ``at_least`` more characters (or the rest of the file); False at EOF."""
        nonlocal buf, pos, buf_line, eof, mark, mark_line
        text = None if eof else next(chunks, None)
        if text is None:  # keep buf: it tells the line where the file ends
            eof = True
            return False
        if pos:
            buf_line = line_at(pos)
            buf, pos = buf[pos:], 0
            mark, mark_line = 0, buf_line
        buf += text
        added = len(text)
        while added < at_least:
            text = next(chunks, None)
            if text is None:
                eof = True
                break
            buf += text
            added += len(text)
        return True

    def skip_space() -> bool:
        """Move past whitespace, reading on as needed; False when the file ends."""
        nonlocal pos
        while True:
            pos = _WS.match(buf, pos).end()
            if pos < len(buf):
                return True
            if not read_more():
                return False

    def value() -> tuple[int, object]:
        nonlocal pos
        begin = line_at(pos)
        before = None
        while True:
            try:
                obj, end = decoder.raw_decode(buf, pos)
            except RecursionError as exc:
                raise FormatError(path, begin, msg("{problem}.", problem=_json_error(exc))) from None
            except ValueError as exc:
                at = getattr(exc, "pos", None)
                why = getattr(exc, "msg", None) or str(exc)
                # A value cut off by the end of what was read fails with no line end after
                # the error (JSON tokens hold no line breaks): read on and try again. The
                # same error again after reading on is a real one.
                maybe_cut = at is not None and buf.find("\n", at) < 0
                unterminated = why.startswith("Unterminated string")
                if maybe_cut and not eof and ((at - pos, why) != before or unterminated):
                    if len(buf) - pos >= _MAX_OBJECT_CHARS:
                        raise FormatError(path, begin, msg("the JSON value that starts on line {line} is over "
                                                           "{mb} MB (or a }} or ] is missing).",
                                                           line=begin, mb=_MAX_OBJECT_CHARS >> 20))
                    before = (at - pos, why)  # read_more moves buf: keep the place relative to the value
                    if read_more(max(1 << 20, len(buf) - pos)):
                        continue
                if maybe_cut and eof and (unterminated or _PARTIAL_TOKEN.fullmatch(buf[at:at + 64].rstrip())):
                    raise FormatError(path, last_line(), msg(
                        "this is not valid JSON: the JSON value that starts on line {line} does not end "
                        "(a missing }} or ]?).", line=begin)) from None
                where = line_at(at) if at is not None else begin
                raise FormatError(path, where, msg("this is not valid JSON: {reason}.", reason=why)) from None
            pos = end
            return begin, obj

    if not skip_space():
        return
    if buf[pos] == "[":
        pos += 1
        first = True
        while True:
            if not skip_space():
                raise FormatError(path, last_line(), msg("the JSON array does not end: a ] is missing."))
            if buf[pos] == "]" and first:
                pos += 1
                break
            yield value()
            first = False
            if not skip_space():
                raise FormatError(path, last_line(), msg("the JSON array does not end: a ] is missing."))
            if buf[pos] == ",":
                pos += 1
            elif buf[pos] == "]":
                pos += 1
                break
            else:
                raise FormatError(path, line_at(pos), msg("expected , or ] after the object on line {line}, "
                                                          "found {found}.", line=line_at(pos),
                                                          found=_short(buf[pos:pos + 20])))
        if skip_space():
            raise FormatError(path, line_at(pos), msg("there is more text after the end of the JSON array; "
                                                      "a file may hold only one array."))
        return
    while skip_space():
        yield value()


# ---------------------------------------------------------------- plain text

def _text_blocks(stream: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Yield ``(line, text)`` per conversation of a human-assistant text file."""
    block: list[tuple[int, str]] = []
    for n, text in stream:
        if text.strip():
            block.append((n, text))
        elif block:
            yield from _split_block(block)
            block = []
    if block:
        yield from _split_block(block)


def _whole_line(text: str) -> bool:
    return _FIRST_MARKER.match(text) is not None and any(
        m.group(1).lower() == "assistant" for m in _MARKER.finditer(text))


def _split_block(block: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    if len(block) > 1 and all(_whole_line(t) for _, t in block):
        yield from block
    else:
        yield block[0][0], "\n".join(t for _, t in block)


# ---------------------------------------------------------------- record parsers

def _text_field(path: Path, line: int, obj: dict, key: str, what: str, *, optional: bool = False) -> str | None:
    value = obj.get(key)
    if value is None and optional:
        return None
    if value is None:
        raise FormatError(path, line, msg('"{key}" is missing; {hint}.', key=key, hint=what))
    if not isinstance(value, str):
        raise FormatError(path, line, msg('"{key}" must be text, but it is {kind}: {value}.',
                                          key=key, kind=_kind(value), value=_short(value)))
    return value


def _from_messages(path: Path, line: int, obj: dict) -> list[list[dict]]:
    key = "messages" if "messages" in obj else "conversations" if "conversations" in obj else None
    if key is None:
        _wrong_format(path, line, obj, "messages", msg('there is no "messages" (or ShareGPT "conversations") list'))
    items = obj[key]
    if not isinstance(items, list):
        raise FormatError(path, line, msg('"{key}" must be a list of messages such as {{"role": "user", "content": '
                                          '"..."}}, but it is {kind}.', key=key, kind=_kind(items)))
    messages = []
    for i, m in enumerate(items, 1):
        if not isinstance(m, dict):
            raise FormatError(path, line, msg('message {i} must be an object with "role" and "content", '
                                              "but it is {kind}: {value}.", i=i, kind=_kind(m), value=_short(m)))
        rkey = "role" if "role" in m else "from" if "from" in m else None
        ckey = "content" if "content" in m else "value" if "value" in m else None
        if rkey is None:
            raise FormatError(path, line, msg('message {i} has no "role" (or ShareGPT "from").', i=i))
        if ckey is None:
            raise FormatError(path, line, msg('message {i} has no "content" (or ShareGPT "value").', i=i))
        role = m[rkey]
        mapped = _ROLE_ALIASES.get(role.strip().lower()) if isinstance(role, str) else None
        if mapped is None:
            raise FormatError(path, line, msg("message {i} has role {role}; use user, assistant or system "
                                              "(also accepted: human, gpt, bot, model).", i=i, role=_short(role)))
        messages.append({"role": mapped, "content": _content(path, line, i, m[ckey])})
    return [messages]


def _content(path: Path, line: int, i: int, content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # OpenAI content parts
        texts = []
        for part in content:
            if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
                texts.append(part["text"])
            else:
                raise FormatError(path, line, msg("message {i} has a content part that is not text ({value}); "
                                                  "only text can be trained on.", i=i, value=_short(part)))
        return "\n".join(texts)
    if content is None:
        return ""  # reported as "has no text" by the final check
    raise FormatError(path, line, msg("message {i} has content that is {kind} ({value}); it must be text.",
                                      i=i, kind=_kind(content), value=_short(content)))


def _from_alpaca(path: Path, line: int, obj: dict) -> list[list[dict]]:
    if "instruction" not in obj:
        _wrong_format(path, line, obj, "alpaca", msg('there is no "instruction"'))
    instruction = _text_field(path, line, obj, "instruction", msg("write what the user asks"))
    if not instruction.strip():
        raise FormatError(path, line, msg('"instruction" is empty; write what the user asks.'))
    system = _text_field(path, line, obj, "system", "", optional=True)
    prefix = [{"role": "system", "content": system.strip()}] if system and system.strip() else []
    if "instances" in obj:
        instances = obj["instances"]
        if not isinstance(instances, list) or not instances:
            raise FormatError(path, line, msg('"instances" must be a non-empty list of {{"input": ..., "output": '
                                              '...}} objects, but it is {kind}.',
                                              kind=_kind(instances) if instances else msg("empty")))
        out = []
        for i, inst in enumerate(instances, 1):
            if not isinstance(inst, dict):
                raise FormatError(path, line, msg('instance {i} must be an object with "input" and "output", '
                                                  "but it is {kind}.", i=i, kind=_kind(inst)))
            try:
                out.append(prefix + _alpaca_pair(path, line, instruction, inst))
            except FormatError as exc:
                raise FormatError(path, line, msg("instance {i}: {problem}", i=i, problem=exc.message)) from None
        return out
    return [prefix + _alpaca_pair(path, line, instruction, obj)]


def _alpaca_pair(path: Path, line: int, instruction: str, obj: dict) -> list[dict]:
    in_key = "input" if obj.get("input") is not None else "context"
    out_key = "output" if "output" in obj or "response" not in obj else "response"
    given = _text_field(path, line, obj, in_key, "", optional=True) or ""
    answer = _text_field(path, line, obj, out_key, msg("it is the answer the model should learn"))
    if not answer.strip():
        raise FormatError(path, line, msg('"{key}" is empty; it is the answer the model should learn.', key=out_key))
    user = instruction.strip() + ("\n\n" + given.strip() if given.strip() else "")
    return [{"role": "user", "content": user}, {"role": "assistant", "content": answer.strip()}]


def _from_text(path: Path, line: int, record: object) -> list[list[dict]]:
    if isinstance(record, dict):
        if "text" not in record:
            _wrong_format(path, line, record, "human-assistant", msg('there is no "text"'))
        text = _text_field(path, line, record, "text",
                           msg("write the conversation as ### Human: ... ### Assistant: ..."))
    else:
        text = record
    parts = _MARKER.split(text)
    if len(parts) == 1:
        raise FormatError(path, line, msg("no ### Human: / ### Assistant: markers in {value}. Write each "
                                          "conversation as ### Human: question ### Assistant: answer.",
                                          value=_short(text)))
    if parts[0].strip():
        raise FormatError(path, line, msg("there is text before the first ### Human: marker ({value}). "
                                          "Start each conversation with ### Human: (or ### System:), and separate "
                                          "conversations in a text file with a blank line, not inside a message.",
                                          value=_short(parts[0])))
    messages = [{"role": _ROLE_ALIASES[role.lower()], "content": content.strip()}
                for role, content in zip(parts[1::2], parts[2::2])]
    if not isinstance(record, dict) and messages[-1]["role"] != "assistant":
        raise FormatError(path, line, msg("the conversation must end with the assistant's answer (### Assistant:). "
                                          "In a text file a blank line ends a conversation: do not put blank lines "
                                          "inside a message."))
    return [messages]


def _wrong_format(path: Path, line: int, obj: dict, fmt: str, what: str):
    other = _record_format(obj)
    if other and other != fmt:
        raise FormatError(path, line, msg("{problem}. This object looks like the {format} format: choose that "
                                          "format (or auto).", problem=what, format=other))
    raise FormatError(path, line, msg("{problem}. The {format} format expects objects such as {example}.",
                                      problem=what, format=fmt, example=_SHAPES[fmt]))


_PARSERS: dict[str, Callable[[Path, int, object], list[list[dict]]]] = {
    "messages": _from_messages,
    "alpaca": _from_alpaca,
    "human-assistant": _from_text,
}

_HINTS = {
    "messages": msg("Each conversation needs a user message and must end with the assistant's answer."),
    "alpaca": msg('Each object needs a non-empty "instruction" and "output".'),
    "human-assistant": msg("Write each conversation as ### Human: question ### Assistant: answer."),
}


def _check(path: Path, line: int, fmt: str, messages: list[dict]) -> None:
    why = problem(messages)
    if why:
        raise FormatError(path, line, msg("{problem}. {hint}", problem=why, hint=_HINTS[fmt]))
    for i, m in enumerate(messages, 1):
        if _SURROGATE.search(m["content"]):
            raise FormatError(path, line, msg("message {i} holds an invalid character (a lone surrogate such as "
                                              "\\ud800); fix the text and import again.", i=i))
