"""Errors that carry a message a non-programmer can act on.

Every error the user may see derives from :class:`TesseraError`; its ``str()``
is the complete, human-readable message (no traceback needed).
"""
from __future__ import annotations


class TesseraError(Exception):
    """Base class for errors whose message is meant for the user."""


class FormatError(TesseraError):
    """A file could not be read: ``path:line: what is wrong``.

    Attributes:
        path: the file that was being read.
        line: 1-based line number where the problem is (0 if not line-bound).
        message: what is wrong and, where useful, what to do.
    """

    def __init__(self, path: str, line: int, message: str):
        self.path = str(path)
        self.line = int(line)
        self.message = message
        where = f"{self.path}:{self.line}" if self.line else self.path
        super().__init__(f"{where}: {message}")


class ProjectError(TesseraError):
    """The project file cannot be opened or changed as asked."""


class ProjectBusy(ProjectError):
    """Another program held the project's write lock for too long; nothing was changed."""


class SetAside(FormatError):
    """A record that cannot be imported (e.g. it has no text) but need not stop the
    import: a reader given :class:`engine.formats.base.ReadNotes` lists it as set aside
    and goes on; with ``--strict`` (or without notes) the file is refused."""


class ForeignSchemaError(ProjectError):
    """The project file holds triggers, views, tables or indexes Tessera did not create;
    it is not opened (``engine.store.repair_copy`` writes a copy without them).

    Attributes:
        problem: the message without its remedy (the window offers the copy as a button).
    """
