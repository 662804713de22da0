"""Model ▸ Review likely mistakes: finished documents where the model confidently
disagrees with the human entities (:mod:`engine.loop.review`), most confident first,
yours and the model's side by side; one key keeps yours (K), one takes the model's (M,
undoable like any edit), Enter opens the document."""
from __future__ import annotations

from engine.loop.review import Mistake
from engine.store import Project
from gui.editor.commands import ApplySpanCommand, RemoveSpanCommand
from gui.i18n import engine_text
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal
from gui.workers import start_worker

_KIND = {  # shown translated (context ReviewDialog)
    "missing": QtCore.QT_TRANSLATE_NOOP("ReviewDialog", "no entity here"),
    "extra": QtCore.QT_TRANSLATE_NOOP("ReviewDialog", "entity the model does not see"),
    "label": QtCore.QT_TRANSLATE_NOOP("ReviewDialog", "other label"),
}


class ReviewDialog(QtWidgets.QDialog):
    """Lists likely mistakes found in a worker thread; keep yours or take the model's.

    Signals:
        openDocument(int doc_id): the user wants to see a document in the editor.
    """

    openDocument = Signal(int)

    def __init__(self, project: Project, service, undo_stack: QtGui.QUndoStack, on_change,
                 parent: QtWidgets.QWidget | None = None, *, limit: int = 200, min_confidence: float = 0.5):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Review likely mistakes"))
        self.project = project
        self.undo_stack = undo_stack
        self.on_change = on_change
        self.mistakes: list[Mistake] = []
        self.kept = 0
        self.taken = 0
        lay = QtWidgets.QVBoxLayout(self)
        self.intro = QtWidgets.QLabel(self.tr(
            "Finished documents where the model ({model}) confidently disagrees "
            "with the labels, most confident first. <b>K</b> keeps yours, <b>M</b> takes the model's (Ctrl+Z undoes "
            "it), <b>Enter</b> opens the document.").format(
                model=engine_text(service.description) if service.description else self.tr("chosen model")))
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.table = QtWidgets.QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([self.tr("Document"), self.tr("Words"), self.tr("Yours"),
                                              self.tr("Model's"), self.tr("Sure"), self.tr("What"),
                                              self.tr("In the text")])
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setAccessibleName(self.tr("Likely mistakes"))
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        lay.addWidget(self.table, 1)
        self.progress = QtWidgets.QProgressBar()
        lay.addWidget(self.progress)
        row = QtWidgets.QHBoxLayout()
        self.status = QtWidgets.QLabel()
        row.addWidget(self.status, 1)
        self.keep_button = QtWidgets.QPushButton(self.tr("Keep mine (K)"))
        self.take_button = QtWidgets.QPushButton(self.tr("Take the model's (M)"))
        self.open_button = QtWidgets.QPushButton(self.tr("Open document"))
        close = QtWidgets.QPushButton(self.tr("Close"))
        for b in (self.keep_button, self.take_button, self.open_button, close):
            row.addWidget(b)
        lay.addLayout(row)
        self.keep_button.clicked.connect(self.keep_current)
        self.take_button.clicked.connect(self.take_current)
        self.open_button.clicked.connect(self.open_current)
        close.clicked.connect(self.reject)
        self.resize(900, 520)
        self._names = {l.name: l.id for l in project.labels()}
        self._enable(False)
        self._start(service, limit, min_confidence)

    # ---- the search

    def _start(self, service, limit: int, min_confidence: float) -> None:
        path = self.project.path

        def work(report, cancel):
            from engine.loop.review import likely_mistakes

            tagger = service._tagger_for_worker()
            if tagger is None:
                from engine.errors import TesseraError

                raise TesseraError(QtCore.QCoreApplication.translate(
                    "ReviewDialog", "Suggestions come from a document classifier now; the review of likely mistakes "
                    "compares entities, so choose a tagger under Model ▸ Suggest with… first."))
            with Project.open(path) as p:
                return likely_mistakes(p, tagger, n=limit, min_confidence=min_confidence, report=report,
                                       cancel=cancel)

        self.thread, self.worker = start_worker(self, work, start=False)
        # bound methods of this dialog, never lambdas: a lambda would run in the worker's thread
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_found)
        self.worker.failed.connect(self.status.setText)
        self.worker.cancelled.connect(self._on_cancelled)
        self.status.setText(self.tr("Reading the finished documents…"))
        self.thread.start()

    def _on_progress(self, _what: str, done: int, total: int, _unit: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_cancelled(self) -> None:
        self.status.setText(self.tr("Stopped."))

    def _on_found(self, mistakes: list[Mistake]) -> None:
        self.progress.hide()
        self.mistakes = list(mistakes)
        self.table.setRowCount(len(self.mistakes))
        for r, m in enumerate(self.mistakes):
            cells = [str(m.doc_id), m.words, m.human_label or "—", m.model_label or "—", f"{m.confidence:.0%}",
                     QtCore.QCoreApplication.translate("ReviewDialog", _KIND[m.kind]), self._context(m)]
            for c, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                if c in (0, 4):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 320))
        used = sum(self.table.columnWidth(c) for c in range(6))
        self.table.setColumnWidth(6, max(160, self.table.viewport().width() - used - 4))  # the text, elided
        if self.mistakes:
            self.table.selectRow(0)
            self.table.setFocus()
        self._enable(bool(self.mistakes))
        self._update_status()

    def _context(self, m: Mistake, width: int = 40) -> str:
        """The words around the disagreement, the words themselves in brackets."""
        try:
            text = self.project.document(m.doc_id).text
        except Exception:
            return ""
        before = " ".join(text[max(0, m.start - width):m.start].split())
        after = " ".join(text[m.end:m.end + width].split())
        return (("…" if m.start > width else "") + before + " [" + " ".join(text[m.start:m.end].split()) + "] "
                + after + ("…" if m.end + width < len(text) else ""))

    def _update_status(self) -> None:
        left = len(self.mistakes)
        if not left and not (self.kept or self.taken):
            self.status.setText(self.tr("No likely mistake found: the model agrees with your labels where it is sure."))
            return
        self.status.setText(self.tr("{left} to look at · kept {kept} · took the model's {taken}").format(
            left=f"{left:,}", kept=self.kept, taken=self.taken))

    def _enable(self, on: bool) -> None:
        for b in (self.keep_button, self.take_button, self.open_button):
            b.setEnabled(on)

    # ---- actions

    def current(self) -> Mistake | None:
        """The selected likely mistake."""
        r = self.table.currentRow()
        return self.mistakes[r] if 0 <= r < len(self.mistakes) else None

    def _drop_current(self) -> None:
        r = self.table.currentRow()
        self.table.removeRow(r)
        del self.mistakes[r]
        if self.mistakes:
            self.table.selectRow(min(r, len(self.mistakes) - 1))
        self._enable(bool(self.mistakes))
        self._update_status()

    def keep_current(self) -> None:
        """Keep the human labels as they are (the row goes away)."""
        if self.current() is None:
            return
        self.kept += 1
        self._drop_current()

    def take_current(self) -> None:
        """Apply the model's version (undoable): add its entity, remove yours, or relabel."""
        m = self.current()
        if m is None:
            return
        spans = [s for s in self.project.spans(m.doc_id) if s.source == "human"]
        if m.kind == "extra":
            for s in spans:
                if (s.start, s.end) == (m.start, m.end):
                    self.undo_stack.push(RemoveSpanCommand(self.project, s, self.on_change, preview=m.words))
        else:
            doc = self.project.document(m.doc_id)
            first = next(i for i, t in enumerate(doc.tokens) if t[1] > m.start)
            last = max(i for i, t in enumerate(doc.tokens) if t[0] < m.end) + 1
            label = self._names.get(m.model_label)
            if label is None:
                return
            self.undo_stack.push(ApplySpanCommand(self.project, m.doc_id, first, last, label, self.on_change,
                                                  preview=m.words))
        self.taken += 1
        self._drop_current()

    def open_current(self) -> None:
        """Show the document in the editor."""
        m = self.current()
        if m is not None:
            self.openDocument.emit(m.doc_id)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key_K:
            self.keep_current()
        elif key == Qt.Key_M:
            self.take_current()
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self.open_current()
        else:
            super().keyPressEvent(event)

    def reject(self) -> None:
        if getattr(self, "worker", None) is not None and self.thread is not None:
            try:
                if self.thread.isRunning():
                    self.worker.cancel_token.cancel()
                    self.thread.wait(10_000)
            except RuntimeError:
                pass  # already deleted: the search ended
        super().reject()
