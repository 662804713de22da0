"""Import a chat-data file into a project's chat examples, in one transaction.

:func:`import_chat_file` streams conversations from :func:`engine.chat.formats.read_chat_file`
into :func:`engine.chat.examples.add_examples`: memory stays bounded for big files,
a bad line anywhere rejects the whole file and leaves the project as it was, and
conversations already in the project (same messages) are skipped.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from engine.chat.examples import SPLITS, AddSummary, add_examples
from engine.chat.formats import FORMAT_CHOICES, read_chat_file
from engine.errors import FormatError
from engine.events import CancelToken, Progress, Reporter, ignore
from engine.importer import count_lines
from engine.messages import msg

#: Progress is reported (and cancel checked) every this many conversations.
_EVERY = 256


def import_chat_file(project, path: str | Path, *, format: str = "auto", split: str | None = None,
                     report: Reporter = ignore, cancel: CancelToken | None = None) -> AddSummary:
    """Add the conversations of the chat file ``path`` to ``project``; return how many
    were added and how many were skipped because the project already had them.

    ``format``: ``auto`` or one of :data:`engine.chat.formats.FORMATS`. ``split``:
    ``train``/``dev``/``test`` for every imported example, or ``None`` (assigned at
    training time). The ``source`` of each example is the file name. Reports
    :class:`~engine.events.Progress` in lines read and checks ``cancel`` as it goes.

    Raises:
        FormatError: unknown format or split, or the file is unreadable, malformed or
            holds no conversation (``path:line: what is wrong``); nothing was added.
        engine.events.Cancelled: ``cancel`` was set; nothing was added.
    """
    path = Path(path)
    if format not in FORMAT_CHOICES:
        raise FormatError(path, 0, msg("unknown chat format {format}; choose one of: {choices}.",
                                       format=repr(format), choices=", ".join(FORMAT_CHOICES)))
    if split is not None and split not in SPLITS:
        raise FormatError(path, 0, msg("unknown split {split}; choose one of: {choices}.",
                                       split=repr(split), choices=", ".join(SPLITS)))
    conversations = read_chat_file(path, format)  # raises nothing until iterated
    try:
        total = count_lines(path)
    except OSError:
        total = 0  # the reader reports why the file cannot be read
    where = [0]

    def stream() -> Iterator[list[dict]]:
        report(Progress("Importing chat examples", 0, total, "lines"))
        for n, (line, messages) in enumerate(conversations, 1):
            where[0] = line
            if n % _EVERY == 0:
                if cancel is not None:
                    cancel.check()
                report(Progress("Importing chat examples", min(line, total), total, "lines"))
            yield messages
        if cancel is not None:
            cancel.check()

    try:
        summary = add_examples(project, stream(), source=path.name, split=split)
    except ValueError as exc:  # add_examples re-validates; the reader has already checked
        raise FormatError(path, where[0], exc.args[0] if len(exc.args) == 1 else str(exc)) from None
    report(Progress("Importing chat examples", total, total, "lines"))
    return summary
