""""Try it": type text, see the selected run's best model tag it, coloured like the editor.

Tagging runs in a worker thread (``engine.ner.predict`` is imported there, never at
module level: it pulls in torch). Loaded taggers are cached per model folder, so
only the first request after choosing a run waits for the model to load.
"""
from __future__ import annotations

import html
import threading
from pathlib import Path

from gui.label_style import contrast, is_dark, label_color, mix
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal
from gui.training import gc_guard
from gui.workers import start_worker, wait_for_thread

DEBOUNCE_MS = 350
_CACHE: dict[str, object] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 2


def _cached(key: str, load):
    """Return the model cached under ``key``, calling ``load()`` the first time (thread-safe;
    at most :data:`_CACHE_SIZE` models are kept)."""
    with _CACHE_LOCK:
        model = _CACHE.get(key)
        if model is not None:
            return model
    model = load()
    with _CACHE_LOCK:
        _CACHE[key] = model
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
    return model


def cached_tagger(folder: str):
    """Return ``engine.ner.predict.load_tagger(folder)``, loading each folder once (thread-safe)."""
    def load():
        from engine.ner.predict import load_tagger

        return load_tagger(folder)

    return _cached(folder, load)


def forget_tagger(folder: str | Path) -> None:
    """Drop a cached tagger (its run was deleted)."""
    with _CACHE_LOCK:
        _CACHE.pop(str(folder), None)


def entities_html(text: str, spans, label_colors: dict[str, str], palette: QtGui.QPalette) -> str:
    """``text`` as HTML with each ``(start, end, label, score)`` span tinted in its label colour
    (as the editor tints entity chips) and followed by the label name in small type."""
    base = palette.color(QtGui.QPalette.Base)
    fg = palette.color(QtGui.QPalette.Text)
    dark = is_dark(palette)
    out, pos = [], 0
    for start, end, label, score in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or end <= start:
            continue  # overlapping or empty: the first one wins
        c = label_color(label_colors.get(label))
        fill = mix(base, c, 0.32 if dark else 0.26)
        cap = QtGui.QColor(c)
        t = 0.0
        while contrast(cap, base) < 4.5 and t < 1.0:
            t += 0.1
            cap = mix(c, fg, t)
        out.append(html.escape(text[pos:start]))
        out.append(
            f'<span style="background-color:{fill.name()}; color:{fg.name()}">&#8202;{html.escape(text[start:end])}&#8202;</span>'
            f'<span style="color:{cap.name()}; font-size:small; font-weight:600">&#8202;{html.escape(label)}</span>'
        )
        pos = end
    out.append(html.escape(text[pos:]))
    body = "".join(out).replace("\n", "<br>")
    return f'<div style="line-height:150%">{body}</div>'


class TryItBox(QtWidgets.QWidget):
    """A text box whose text the chosen model tags as you type (debounced).

    Signals: ``tagged(list)``: the spans of the text currently shown.
    """

    tagged = Signal(list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.input = QtWidgets.QPlainTextEdit()
        self.input.setPlaceholderText(self.tr("Type or paste a sentence to see what the model finds in it…"))
        self.input.setTabChangesFocus(True)
        self.output = QtWidgets.QTextBrowser()
        self.output.setOpenLinks(False)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QtGui.QPalette.PlaceholderText)
        split = QtWidgets.QSplitter(Qt.Vertical)
        split.addWidget(self.input)
        split.addWidget(self.output)
        split.setSizes([90, 140])
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        self.label_colors: dict[str, str] = {}
        self.model_dir: str | None = None
        self.run_id: int | None = None
        self._applied = False
        self.spans: list = []
        self._shown_text = ""
        self._busy = False
        self._pending = False
        self._thread = None
        self.worker = None
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.tag_now)
        self.input.textChanged.connect(self.timer.start)
        self.set_model(None, None)

    def set_label_colors(self, colors: dict[str, str]) -> None:
        self.label_colors = dict(colors)
        self._render()

    def set_model(self, run_id: int | None, folder: str | Path | None) -> None:
        """Tag with the model in ``folder`` (the best model of run ``run_id``); ``None``: no model."""
        folder = str(folder) if folder else None
        if folder == self.model_dir and run_id == self.run_id and self._applied:
            return
        self._applied = True
        self.run_id, self.model_dir = run_id, folder
        self.spans, self._shown_text = [], ""
        if folder is None:
            self.status.setText(self.tr("No trained model yet: train one, or select a run that finished, to try it here."))
            self.input.setEnabled(False)
        else:
            self.status.setText(self.using_text(run_id))
            self.input.setEnabled(True)
            if self.input.toPlainText().strip():
                self.timer.start()
        self._render()

    def text(self) -> str:
        return self.input.toPlainText()

    def tag_now(self) -> None:
        """Tag the current text now (skipping the debounce)."""
        self.timer.stop()
        if self.model_dir is None:
            return
        text = self.text()
        if not text.strip():
            self.spans, self._shown_text = [], text
            self._render()
            return
        if self._busy:
            self._pending = True
            return
        self._busy = True
        self._pending = False
        folder = self.model_dir

        predict = self.predict

        def work(report, cancel):
            return text, folder, predict(folder, text)

        app = QtCore.QCoreApplication.instance()
        self._thread, self.worker = start_worker(app, work, start=False)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        for sig in (self.worker.finished, self.worker.failed, self.worker.cancelled):
            sig.connect(self._thread.quit, Qt.DirectConnection)
        gc_guard.hold()
        self._thread.start()
        if self._shown_text != text:
            self.status.setText(self.busy_text() if folder in _CACHE else self.tr("Loading the model…"))

    def _job_ended(self) -> None:
        self._busy = False
        wait_for_thread(self._thread)  # before tag_now() may replace the worker: see wait_for_thread
        gc_guard.release()

    def _on_finished(self, result) -> None:
        self._job_ended()
        text, folder, spans = result
        if folder == self.model_dir:
            self.spans, self._shown_text = spans, text
            self.status.setText(self.describe(spans))
            self._render()
            self.tagged.emit(spans)
        if self._pending or text != self.text() or folder != self.model_dir:
            self.tag_now()

    def _on_failed(self, message: str) -> None:
        self._job_ended()
        self.status.setText(message)
        if self._pending:
            self.tag_now()

    def _render(self) -> None:
        text = self._shown_text
        if not text.strip():
            self.output.clear()
            return
        self.output.setHtml(self.render_html(text, self.spans))

    # ---- what a kind of model does (ClassifyTryBox overrides these)


    def using_text(self, run_id: int | None) -> str:
        """The status line once a model is chosen."""
        return self.tr("Tagging with the best model of run {run}.").format(run=run_id)

    def busy_text(self) -> str:
        """The status line while the model works."""
        return self.tr("Tagging…")

    @staticmethod
    def predict(folder: str, text: str) -> list:
        """Run in the worker thread: the model's answer for ``text`` (here: its entities)."""
        return [tuple(s) for s in cached_tagger(folder).tag_text(text)]

    def describe(self, result: list) -> str:
        """The status line for an answer."""
        n = len(result)
        if not result:
            return self.tr("Tagged by the best model of run {run}: no entities found.").format(run=self.run_id)
        if n == 1:
            return self.tr("Tagged by the best model of run {run}: 1 entity.").format(run=self.run_id)
        return self.tr("Tagged by the best model of run {run}: {n} entities.").format(run=self.run_id, n=n)

    def render_html(self, text: str, result: list) -> str:
        """The answer as HTML for the output box."""
        return entities_html(text, result, self.label_colors, self.palette())

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() in (QtCore.QEvent.PaletteChange, QtCore.QEvent.ApplicationPaletteChange):
            self._render()
        super().changeEvent(event)

    def wait(self, ms: int = 30000) -> None:
        """Wait for a tagging job still running (closing, tests)."""
        wait_for_thread(self._thread, ms)


def cached_classifier(folder: str):
    """Return ``engine.textcat.predict.load_classifier(folder)``, loading each folder once."""
    def load():
        from engine.textcat.predict import load_classifier

        return load_classifier(folder)

    return _cached("classifier:" + folder, load)


def forget_classifier(folder: str | Path) -> None:
    """Drop a cached classifier (its run was deleted)."""
    with _CACHE_LOCK:
        _CACHE.pop("classifier:" + str(folder), None)


#: Categories listed by the classifier's "Try it".
TOP_K = 5


def categories_html(result: list, label_colors: dict[str, str], palette: QtGui.QPalette) -> str:
    """``[(category, probability, chosen)]`` as HTML rows: a bar as long as the probability,
    in the category's colour, the chosen ones in bold."""
    base = palette.color(QtGui.QPalette.Base)
    fg = palette.color(QtGui.QPalette.Text)
    rows = []
    for name, prob, chosen in result:
        c = label_color(label_colors.get(name))
        bar = mix(base, c, 0.55)
        width = max(1, round(200 * prob))
        weight = "700" if chosen else "400"
        rows.append(
            f'<tr><td style="padding:2px 10px 2px 0; font-weight:{weight}; color:{fg.name()}">{html.escape(name)}</td>'
            f'<td style="padding:2px 6px"><table cellspacing="0" cellpadding="0"><tr>'
            f'<td width="{width}" style="background-color:{bar.name()}">&nbsp;</td></tr></table></td>'
            f'<td align="right" style="padding:2px 0; color:{fg.name()}">{prob:.0%}</td></tr>')
    return f'<table cellspacing="0">{"".join(rows)}</table>'


class ClassifyTryBox(TryItBox):
    """"Try it" for a document classifier: type a text, see its likeliest categories with
    their probabilities (the ones the model gives it in bold)."""


    def __init__(self, parent=None):
        super().__init__(parent)
        self.input.setPlaceholderText(self.tr("Type or paste a text to see which categories the model gives it…"))

    def using_text(self, run_id: int | None) -> str:
        return self.tr("Classifying with the best model of run {run}.").format(run=run_id)

    def busy_text(self) -> str:
        return self.tr("Classifying…")

    @staticmethod
    def predict(folder: str, text: str) -> list:
        clf = cached_classifier(folder)
        chosen = {name for name, _ in clf.predict([text])[0]}
        return [(name, prob, name in chosen) for name, prob in clf.top(text, TOP_K)]

    def describe(self, result: list) -> str:
        chosen = [name for name, _p, on in result if on]
        if not chosen:
            return self.tr("The best model of run {run} says: none of its categories (all below its threshold).").format(
                run=self.run_id)
        return self.tr("The best model of run {run} says: {categories}.").format(
            run=self.run_id, categories=", ".join(chosen))

    def render_html(self, text: str, result: list) -> str:
        return categories_html(result, self.label_colors, self.palette())
