"""Undoable edits of entity spans, as :class:`QUndoCommand` s over engine calls.

Every edit is committed by the engine at once (each store method commits its own
transaction); undo and redo replay the recorded spans with
:meth:`Project.restore_spans`, which puts spans back with the *same ids*, so later
commands that refer to span ids stay valid however far the stack is walked.

Each command calls ``on_change(doc_id)`` after every redo and undo so the view
repaints and lists update.
"""
from __future__ import annotations

import contextlib
from typing import Callable

from engine.errors import ProjectError
from engine.store import Project, Span
from gui.i18n import engine_text
from gui.qt import QtCore, QtGui

OnChange = Callable[[int], None]


def _atomic(project: Project):
    """One transaction for a multi-step replay (nested ``atomic`` uses a savepoint)."""
    return project.write() if hasattr(project, "write") else contextlib.nullcontext()


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _preview(project: Project, doc_id: int, span: Span | None) -> str:
    if span is None:
        return ""
    try:
        return _shorten(project.document(doc_id).text[span.start:span.end])
    except ProjectError:
        return ""


class ApplySpanCommand(QtGui.QUndoCommand):
    """Label tokens ``[token_start, token_end)`` of a document with ``label_id``.

    Spans that overlap the range are removed by the engine and restored on undo.
    Relabeling a span is this command over the span's tokens with another label.

    The first :meth:`redo` calls :meth:`Project.add_token_span`; if the engine
    refuses (unknown label, tokens outside the document), :attr:`error` holds the
    message, nothing changed, and the command marks itself obsolete so the stack
    drops it.
    """

    def __init__(
        self,
        project: Project,
        doc_id: int,
        token_start: int,
        token_end: int,
        label_id: int,
        on_change: OnChange | None = None,
        parent: QtGui.QUndoCommand | None = None,
        *,
        text: str | None = None,
        preview: str | None = None,
    ):
        super().__init__(parent)
        self.project = project
        self.preview = preview  # the labeled words, for the undo menu (else read from the store)
        self.doc_id = doc_id
        self.token_start = token_start
        self.token_end = token_end
        self.label_id = label_id
        self.on_change = on_change
        self.added: Span | None = None
        self.removed: tuple[Span, ...] = ()
        self.error: str | None = None
        self._done_once = False
        self._describe_later = not text  # name the command after its first redo
        self.setText(text or QtCore.QCoreApplication.translate("ApplySpanCommand", "Label"))

    def redo(self) -> None:
        if not self._done_once:
            self._done_once = True
            try:
                changes = self.project.add_token_span(self.doc_id, self.token_start, self.token_end, self.label_id)
            except ProjectError as exc:
                self.error = engine_text(exc)
                self.setObsolete(True)
                return
            self.added = changes.spans_added[0] if changes.spans_added else None
            self.removed = tuple(changes.spans_removed)
            if self._describe_later:
                self.setText(self._describe())
        elif self.added is not None:
            with _atomic(self.project):
                for s in self.removed:
                    self.project.remove_span(s.id)
                self.project.restore_spans([self.added])
        self._notify()

    def undo(self) -> None:
        if self.added is None:
            return
        with _atomic(self.project):
            self.project.remove_span(self.added.id)
            if self.removed:
                self.project.restore_spans(self.removed)
        self._notify()

    def _describe(self) -> str:
        names = {l.id: l.name for l in self.project.labels()}
        name = names.get(self.label_id, "?")
        what = _shorten(self.preview) if self.preview is not None else _preview(self.project, self.doc_id, self.added)
        if len(self.removed) == 1 and self.added is not None and (
            (self.removed[0].start, self.removed[0].end) == (self.added.start, self.added.end)
        ):
            return QtCore.QCoreApplication.translate("ApplySpanCommand", "Relabel “{what}” as {name}").format(
                what=what, name=name)
        return QtCore.QCoreApplication.translate("ApplySpanCommand", "Label “{what}” as {name}").format(
            what=what, name=name)

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change(self.doc_id)


class RemoveSpanCommand(QtGui.QUndoCommand):
    """Remove one span; undo puts it back with the same id."""

    def __init__(
        self,
        project: Project,
        span: Span,
        on_change: OnChange | None = None,
        parent: QtGui.QUndoCommand | None = None,
        *,
        text: str | None = None,
        preview: str | None = None,
    ):
        super().__init__(parent)
        self.project = project
        self.span = span
        self.doc_id = span.doc_id
        self.on_change = on_change
        if text is None:
            names = {l.id: l.name for l in project.labels()}
            what = _shorten(preview) if preview is not None else _preview(project, span.doc_id, span)
            label = names.get(span.label_id) or QtCore.QCoreApplication.translate("RemoveSpanCommand", "entity")
            text = QtCore.QCoreApplication.translate("RemoveSpanCommand", "Remove {label} “{what}”").format(
                label=label, what=what)
        self.setText(text)

    def redo(self) -> None:
        self.project.remove_span(self.span.id)
        self._notify()

    def undo(self) -> None:
        self.project.restore_spans([self.span])
        self._notify()

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change(self.doc_id)


def relabel_command(
    project: Project, span: Span, label_id: int, on_change: OnChange | None = None
) -> ApplySpanCommand:
    """Relabel ``span``: an :class:`ApplySpanCommand` over its tokens with ``label_id``."""
    return ApplySpanCommand(project, span.doc_id, span.token_start, span.token_end, label_id, on_change)


class AcceptSuggestionsCommand(QtGui.QUndoCommand):
    """Accept model suggestions (they become entities); undo makes them suggestions again."""

    def __init__(self, project: Project, spans: list[Span], on_change: OnChange | None = None,
                 *, preview: str | None = None):
        super().__init__(
            QtCore.QCoreApplication.translate("AcceptSuggestionsCommand", "Accept “{what}”").format(
                what=_shorten(preview)) if preview and len(spans) == 1
            else QtCore.QCoreApplication.translate("AcceptSuggestionsCommand", "Accept {n} suggestions").format(
                n=len(spans)))
        self.project = project
        self.spans = tuple(spans)
        self.doc_id = spans[0].doc_id if spans else -1
        self.on_change = on_change
        if not spans:
            self.setObsolete(True)

    def redo(self) -> None:
        self.project.accept_suggestions([s.id for s in self.spans])
        self._notify()

    def undo(self) -> None:
        self.project.restore_spans(self.spans)
        self._notify()

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change(self.doc_id)


class RejectSuggestionCommand(QtGui.QUndoCommand):
    """Reject a model suggestion: it goes away and is remembered as rejected (it does
    not come back); undo forgets the rejection and shows it again."""

    def __init__(self, project: Project, span: Span, on_change: OnChange | None = None,
                 *, preview: str | None = None):
        super().__init__(QtCore.QCoreApplication.translate("RejectSuggestionCommand", "Reject “{what}”").format(
            what=_shorten(preview or "")))
        self.project = project
        self.span = span
        self.doc_id = span.doc_id
        self.on_change = on_change
        self.changes = None

    def redo(self) -> None:
        self.changes = self.project.reject_suggestion(self.span.id)
        self._notify()

    def undo(self) -> None:
        if self.changes is not None:
            self.project.undo_reject(self.changes)
        self._notify()

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change(self.doc_id)


class SetStatusCommand(QtGui.QUndoCommand):
    """Set one document's status (done, new, skipped); undo restores the old one.
    Marking a document done also removes the suggestions nobody accepted, entities and
    categories (done keeps only what a person made or accepted); undo puts them back.

    ``on_change(doc_id)`` runs after redo and undo, like the span commands.
    """

    _VERBS = {
        "done": QtCore.QT_TRANSLATE_NOOP("SetStatusCommand", "Mark done #{doc}"),
        "new": QtCore.QT_TRANSLATE_NOOP("SetStatusCommand", "Reopen #{doc}"),
        "skipped": QtCore.QT_TRANSLATE_NOOP("SetStatusCommand", "Skip #{doc}"),
    }

    def __init__(self, project: Project, doc_id: int, status: str, on_change: OnChange | None = None):
        template = self._VERBS.get(status, QtCore.QT_TRANSLATE_NOOP("SetStatusCommand", "Set status {status} #{doc}"))
        super().__init__(QtCore.QCoreApplication.translate("SetStatusCommand", template).format(
            doc=doc_id, status=status))
        self.project = project
        self.doc_id = doc_id
        self.status = status
        self.before = project.document(doc_id).status
        self.on_change = on_change
        self.dropped = None  # the suggestions (entities, categories) marking it done removed
        if self.before == status:
            self.setObsolete(True)

    def redo(self) -> None:
        with _atomic(self.project):
            if self.status == "done":
                self.dropped = self.project.drop_suggestions(self.doc_id)
            self.project.set_status(self.doc_id, self.status)
        if self.on_change is not None:
            self.on_change(self.doc_id)

    def undo(self) -> None:
        with _atomic(self.project):
            self.project.set_status(self.doc_id, self.before)
            if self.dropped is not None:
                if self.dropped.spans_removed:
                    self.project.restore_spans(self.dropped.spans_removed)
                if self.dropped.categories_removed:
                    self.project.restore_categories(self.dropped)
        if self.on_change is not None:
            self.on_change(self.doc_id)


class DeleteDocumentCommand(QtGui.QUndoCommand):
    """Delete one document (with its entities); undo puts it back with the same id.

    ``on_change(doc_id)`` runs after redo and undo, like the span commands.
    """

    def __init__(self, project: Project, doc_id: int, on_change: OnChange | None = None):
        super().__init__(QtCore.QCoreApplication.translate("DeleteDocumentCommand", "Delete document #{doc}").format(
            doc=doc_id))
        self.project = project
        self.doc_id = doc_id
        self.snapshot = project.snapshot_document(doc_id)
        self.on_change = on_change

    def redo(self) -> None:
        self.project.delete_document(self.doc_id)
        if self.on_change is not None:
            self.on_change(self.doc_id)

    def undo(self) -> None:
        self.project.restore_document(self.snapshot)
        if self.on_change is not None:
            self.on_change(self.doc_id)


class SetCategoryCommand(QtGui.QUndoCommand):
    """Give a document a category, or take it away (``on=False``); undo puts back what
    was there. With single choice a new category replaces the document's other one
    (:meth:`Project.set_category`); undo brings that one back with its id.

    ``on_change(doc_id)`` runs after redo and undo, like the span commands.
    """

    def __init__(self, project: Project, doc_id: int, label_id: int, on: bool, on_change: OnChange | None = None):
        name = project.label(label_id).name
        template = (QtCore.QCoreApplication.translate("SetCategoryCommand", "Set category {name} #{doc}") if on
                    else QtCore.QCoreApplication.translate("SetCategoryCommand", "Remove category {name} #{doc}"))
        super().__init__(template.format(name=_shorten(name, 30), doc=doc_id))
        self.project, self.doc_id, self.label_id, self.on = project, doc_id, label_id, on
        self.on_change = on_change
        self.changes = None

    def redo(self) -> None:
        self.changes = self.project.set_category(self.doc_id, self.label_id, self.on)
        if self.on_change is not None:
            self.on_change(self.doc_id)

    def undo(self) -> None:
        if self.changes is not None:
            self.project.restore_categories(self.changes)
        if self.on_change is not None:
            self.on_change(self.doc_id)
