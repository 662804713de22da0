"""Model suggestions in the window: a background worker that predicts documents with
a tagger run and stores its entities as suggestions (``engine.loop.suggest``), the
shown document first, the other ``new`` documents after it; and the Model ▸ Suggest
with… chooser.

One worker thread lives as long as the window, with one project connection of its own,
and keeps the loaded tagger between passes (loading it takes a second); the editor
never waits for it: each stored document is announced (``suggested``) and the window
repaints it if it is shown.
"""
from __future__ import annotations

import collections
import threading
import traceback
from pathlib import Path

from engine.errors import TesseraError
from engine.loop.suggest import latest_model_run, usable_model_runs
from gui.i18n import engine_text
from gui.qt import QtCore, QtWidgets, Qt, Signal
from gui.workers import hand_back


class _Worker(QtCore.QObject):
    """Lives in the service's one thread for the service's whole life: waits for work,
    predicts documents (the shown one first), stores their suggestions through its own
    project connection (opened once), and says when a pass is over. One thread and one
    connection for the window's life: nothing is opened and closed per pass."""

    suggested = Signal(int)
    progress = Signal(int, int)
    done = Signal(str)
    failed = Signal(str)

    def __init__(self, service: "SuggestionService"):
        super().__init__()
        self.service = service

    @QtCore.Slot()
    def run(self) -> None:
        from engine.loop.suggest import suggest_one
        from engine.store import Project

        svc = self.service
        project = None
        try:
            project = Project.open(svc.project_path)
            while not svc._quit.is_set():
                job = svc._take()
                if job is None:
                    svc._wake.wait(0.5)
                    svc._wake.clear()
                    continue
                kind, doc_id, gen = job
                if kind == "end":
                    self.done.emit(doc_id)  # the message
                    continue
                try:
                    tagger, run_id = svc._model_for(gen)
                except TesseraError as exc:
                    svc._drop_generation(gen)
                    self.failed.emit(engine_text(exc))
                    continue
                if tagger is None or not project.has_document(doc_id):
                    continue  # another model was chosen meanwhile, or the document is gone
                if svc._generation != gen:
                    continue
                suggest_one(project, tagger, doc_id, run_id)  # a tagger's entities or a classifier's categories
                svc._mark_done(doc_id)
                self.suggested.emit(doc_id)
                if kind == "pending":
                    done, total = svc._count_one()
                    self.progress.emit(done, total)
        except Exception as exc:  # an engine bug: a sentence for the user, details in the log
            traceback.print_exc()
            self.failed.emit(self.tr("Suggestions stopped: {error}.").format(error=engine_text(exc)))
        finally:
            if project is not None:
                project.close()
            hand_back(self)


class SuggestionService(QtCore.QObject):
    """Suggestions from one model (a run's ``best/`` or a model folder) for a project: a
    tagger's entities, or a document classifier's categories.

    Work runs in one background thread started on first use and stopped by
    :meth:`shutdown`; the shown document (:meth:`request`) goes before the rest of a pass
    (:meth:`suggest_all`).

    Signals:
        suggested(int doc_id): a document's suggestions were stored.
        progress(int done, int total): the background pass.
        finished(str message): a pass ended (done or stopped).
        failed(str message): the model could not be loaded or run.
        modelChanged(str description): another model was chosen ("" = suggestions off).
    """

    suggested = Signal(int)
    progress = Signal(int, int)
    finished = Signal(str)
    failed = Signal(str)
    modelChanged = Signal(str)

    def __init__(self, project_path: str | Path, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.run_id: int | None = None
        self.folder: Path | None = None
        self.description = ""
        self._generation = 0
        self._tagger = None
        self._tagger_gen = -1
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._quit = threading.Event()
        self._priority: collections.deque[int] = collections.deque()
        self._pending: collections.deque[int] = collections.deque()
        self._pass_total = 0
        self._pass_done = 0
        self._in_pass = False
        self._done: set[int] = set()  # documents suggested by this model (this session)
        self._thread: QtCore.QThread | None = None
        self._worker: _Worker | None = None

    # ---- model

    def set_model(self, run_id: int | None, folder: str | Path | None, description: str = "") -> None:
        """Use the tagger in ``folder`` (from run ``run_id``, or ``None`` for a folder from
        elsewhere); ``folder=None`` turns suggestions off. Drops the work queued for the
        model before."""
        self.cancel(quiet=True)
        with self._lock:
            self._generation += 1
            self.run_id = run_id
            self.folder = Path(folder) if folder is not None else None
            self._tagger = None
            self._done = set()
        self.description = description if folder is not None else ""
        self.modelChanged.emit(self.description)

    def active(self) -> bool:
        """True when a model is chosen."""
        return self.folder is not None

    def _model_for(self, gen: int):
        """(tagger, run id) for work of generation ``gen`` (loaded once per model), or
        ``(None, None)`` when another model was chosen since. Runs in the worker thread.

        Raises:
            TesseraError: the model cannot be loaded.
        """
        with self._lock:
            if gen != self._generation or self.folder is None:
                return None, None
            if self._tagger is not None and self._tagger_gen == gen:
                return self._tagger, self.run_id
            folder, run_id = self.folder, self.run_id
        from engine.loop.suggest import load_model

        tagger = load_model(folder)
        with self._lock:
            if gen != self._generation:
                return None, None
            self._tagger, self._tagger_gen = tagger, gen
        return tagger, run_id

    def _tagger_for_worker(self):
        """The chosen model's tagger, loaded if needed (for the review dialog's worker);
        ``None`` when the chosen model is a document classifier."""
        from engine.loop.suggest import is_classifier

        tagger, _run = self._model_for(self._generation)
        return None if tagger is not None and is_classifier(tagger) else tagger

    def _drop_generation(self, gen: int) -> None:
        with self._lock:
            if gen == self._generation:
                self._priority.clear()
                self._pending.clear()

    # ---- work

    def running(self) -> bool:
        """True while a background pass has documents left."""
        with self._lock:
            return self._in_pass

    def request(self, doc_id: int) -> None:
        """Suggest for ``doc_id`` next (the shown document), unless already done by this model."""
        if not self.active() or doc_id in self._done:
            return
        with self._lock:
            if doc_id not in self._priority:
                self._priority.appendleft(doc_id)
        self._start()

    def suggest_all(self, doc_ids: list[int]) -> None:
        """Suggest for ``doc_ids`` in the background (after any shown document)."""
        if not self.active():
            return
        with self._lock:
            ids = [d for d in doc_ids if d not in self._done]
            self._pending.extend(ids)
            self._pass_total += len(ids)
            self._in_pass = self._in_pass or bool(ids)
        self._start()

    def cancel(self, quiet: bool = False) -> None:
        """Stop the background pass after the current document (the shown document still
        gets its suggestions when asked)."""
        with self._lock:
            was = self._in_pass
            self._pending.clear()
            self._in_pass = False
            self._pass_total = self._pass_done = 0
        if was and not quiet:
            self.finished.emit(self.tr("Suggestions stopped."))

    def shutdown(self, ms: int = 30_000) -> None:
        """Stop the thread (closing the window): after the current document."""
        self.cancel(quiet=True)
        self._quit.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait(ms)
            self._thread = None
            self._worker = None

    def _start(self) -> None:
        if self._thread is None and not self._quit.is_set():
            thread = QtCore.QThread(self)
            worker = _Worker(self)
            worker.moveToThread(thread)
            thread.started.connect(worker.run)
            worker.suggested.connect(self.suggested)  # bound signals/methods: queued to this thread
            worker.progress.connect(self.progress)
            worker.done.connect(self._on_done)
            worker.failed.connect(self._on_failed)
            thread.finished.connect(worker.deleteLater)
            self._thread, self._worker = thread, worker
            thread.start()
        self._wake.set()

    def _take(self):
        """The next job for the worker: ``(kind, doc id or message, generation)`` or ``None``."""
        with self._lock:
            gen = self._generation
            while self._priority:
                d = self._priority.popleft()
                if d not in self._done:
                    return "priority", d, gen
            if self._pending:
                return "pending", self._pending.popleft(), gen
            if self._in_pass:
                self._in_pass = False
                n = self._pass_done
                self._pass_total = self._pass_done = 0
                return "end", self.tr("Suggestions ready for {n} documents.").format(n=f"{n:,}"), gen
        return None

    def _count_one(self) -> tuple[int, int]:
        with self._lock:
            self._pass_done += 1
            return self._pass_done, self._pass_total

    def _on_done(self, message: str) -> None:
        self.finished.emit(message)

    def _on_failed(self, message: str) -> None:
        self.set_model(None, None)
        self.failed.emit(message)

    def _mark_done(self, doc_id: int) -> None:
        self._done.add(doc_id)


def settings_value(key: str, default):
    """A value of the app's settings (``gui.main_window.settings``)."""
    from gui.main_window import settings

    return settings().value(key, default)


def set_setting(key: str, value) -> None:
    from gui.main_window import settings

    settings().setValue(key, value)


class SuggestWithDialog(QtWidgets.QDialog):
    """Model ▸ Suggest with…: pick a tagger or document-classifier run (or a model folder),
    or turn suggestions off."""

    def __init__(self, project, current: Path | None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Suggest with"))
        self.choice: tuple[int | None, Path | None, str] | None = None
        lay = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(self.tr(
            "A trained tagger marks the entities it finds in new documents as suggestions (dashed outline). "
            "A or Enter accepts one, X rejects it, Shift+A accepts all, Tab moves to the next. A document "
            "classifier suggests each new document's category (a dashed chip above the text): its key or a "
            "click accepts it. Suggestions never count as labels until you accept them."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.list = QtWidgets.QListWidget()
        self.list.setAccessibleName(self.tr("Models"))
        for run_id, folder, desc in usable_model_runs(project):
            item = QtWidgets.QListWidgetItem(engine_text(desc))
            item.setData(Qt.UserRole, (run_id, folder, desc))
            self.list.addItem(item)
            if current is not None and Path(folder) == Path(current):
                self.list.setCurrentItem(item)
        if self.list.count() == 0:
            item = QtWidgets.QListWidgetItem(self.tr("No trained model yet: train one in the training panel (Ctrl+T)."))
            item.setFlags(Qt.NoItemFlags)
            self.list.addItem(item)
        elif self.list.currentItem() is None:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        lay.addWidget(self.list, 1)
        buttons = QtWidgets.QDialogButtonBox()
        self.use = buttons.addButton(self.tr("Suggest with this model"), QtWidgets.QDialogButtonBox.AcceptRole)
        self.use.setEnabled(bool(usable_model_runs(project)))
        other = buttons.addButton(self.tr("Other model folder…"), QtWidgets.QDialogButtonBox.ActionRole)
        off = buttons.addButton(self.tr("Turn suggestions off"), QtWidgets.QDialogButtonBox.DestructiveRole)
        buttons.addButton(QtWidgets.QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        other.clicked.connect(self._other)
        off.clicked.connect(self._off)
        lay.addWidget(buttons)
        self.resize(520, 320)

    def accept(self) -> None:
        item = self.list.currentItem()
        data = item.data(Qt.UserRole) if item is not None else None
        if data is None:
            return
        self.choice = data
        super().accept()

    def _other(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, self.tr("A tagger or document-classifier model folder"))
        if folder:
            self.choice = (None, Path(folder), Path(folder).name)
            super().accept()

    def _off(self) -> None:
        self.choice = (None, None, "")
        super().accept()


class SuggestionToolBar(QtWidgets.QToolBar):
    """The window's Suggestions toolbar: which model suggests (click to choose), a
    threshold that hides low-scored suggestions, Accept all, and the background pass's
    progress with a Cancel button. Owns the :class:`SuggestionService`.

    ``window`` provides ``project``, ``project_path``, ``editor``, ``doc_panel`` and the
    status bar.
    """

    def __init__(self, window: QtWidgets.QMainWindow):
        super().__init__(window)
        self.setWindowTitle(self.tr("Suggestions"))
        self.setObjectName("suggestions_toolbar")
        self.setMovable(False)
        self.window_ = window
        self._closed = False
        self.service = SuggestionService(window.project_path, self)

        self.model_button = QtWidgets.QToolButton()
        self.model_button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.model_button.setAccessibleName(self.tr("Suggestion model"))
        self.model_button.clicked.connect(self.choose_model)
        self.addWidget(self.model_button)
        self.addSeparator()
        self.threshold_label = QtWidgets.QLabel()
        self.addWidget(self.threshold_label)
        self.slider = QtWidgets.QSlider(Qt.Horizontal)
        self.slider.setRange(0, 95)
        self.slider.setSingleStep(5)
        self.slider.setPageStep(10)
        self.slider.setFixedWidth(110)
        self.slider.setAccessibleName(self.tr("Hide suggestions below"))
        self.slider.setToolTip(self.tr("Hide suggestions the model scores lower than this (mean word probability)"))
        self.slider.valueChanged.connect(self._on_threshold)
        self.addWidget(self.slider)
        self.accept_all_action = self.addAction(self.tr("Accept all"), lambda: window.editor.accept_all_suggestions())
        self.accept_all_action.setToolTip(self.tr("Accept every suggestion shown in this document (Shift+A)"))
        self.addSeparator()
        self.retrain_box = QtWidgets.QSpinBox()
        self.retrain_box.setRange(0, 1000)
        self.retrain_box.setSpecialValueText(self.tr("off"))
        self.retrain_box.setPrefix(self.tr("Retrain every "))
        self.retrain_box.setSuffix(self.tr(" done"))
        self.retrain_box.setAccessibleName(self.tr("Retrain every N finished documents"))
        self.retrain_box.setToolTip(self.tr(
            "Train a new tagger in the background each time this many more documents are done (with the "
            "training panel's settings), then suggest with it. Labeling goes on meanwhile; one training at a time."))
        self.retrain_box.setValue(int(settings_value("loop/retrain_every", 0)))
        self.retrain_box.valueChanged.connect(lambda v: set_setting("loop/retrain_every", v))
        self.addWidget(self.retrain_box)
        self.done_since_training = 0
        self.progress = QtWidgets.QProgressBar()
        self.progress.setMaximumWidth(140)
        self.progress.setMaximumHeight(14)
        self.progress.setFormat("%v / %m")
        self.cancel_button = QtWidgets.QToolButton()
        self.cancel_button.setText(self.tr("Stop"))
        self.cancel_button.setToolTip(
            self.tr("Stop suggesting for the other documents (the shown one still gets its own)"))
        self.cancel_button.clicked.connect(self.service.cancel)
        self.progress_action = self.addWidget(self.progress)
        self.cancel_action = self.addWidget(self.cancel_button)
        self._show_progress(False)
        self._sync = QtCore.QTimer(self)  # the bar shows exactly while a pass runs
        self._sync.setInterval(500)
        self._sync.timeout.connect(lambda: self._show_progress(self.service.running()))
        self._sync.start()

        self.service.suggested.connect(self._on_suggested)
        self.service.progress.connect(self._on_progress)
        self.service.finished.connect(self._on_finished)
        self.service.failed.connect(self._on_failed)
        self.service.modelChanged.connect(lambda _d: self._update_model_button())
        window.doc_panel.documentActivated.connect(self.on_document_shown)
        self.slider.setValue(int(round(window.editor.min_score() * 100)))
        self._on_threshold(self.slider.value())
        self._update_model_button()

    # ---- model

    def choose_model(self) -> None:
        """Model ▸ Suggest with…"""
        dialog = SuggestWithDialog(self.window_.project, self.service.folder, self)
        if dialog.exec() and dialog.choice is not None:
            run_id, folder, desc = dialog.choice
            self.use_model(run_id, folder, desc)
        dialog.deleteLater()

    def use_model(self, run_id: int | None, folder: Path | None, description: str) -> None:
        """Suggest with this model (``folder=None``: off): the shown document first, then
        every ``new`` document this model has not scored yet."""
        self.service.set_model(run_id, folder, description)
        if folder is None:
            self.window_.statusBar().showMessage(self.tr("Suggestions are off."), 4000)
            return
        shown = self.window_.editor.document_id()
        if shown is not None:
            self.on_document_shown(shown)
        self.suggest_all()

    def use_latest(self) -> bool:
        """Suggest with the newest trained tagger (in a project with categories only, the
        newest classifier), if the project has one; ``True`` if so."""
        if self._closed:
            return False
        found = latest_model_run(self.window_.project)
        if found is None:
            return False
        run_id, folder, desc = found
        self.use_model(run_id, folder, desc)
        return True

    def suggest_all(self) -> None:
        """Suggest for every ``new`` document the chosen model has not scored yet."""
        ids = self.window_.project.unscored_new_documents(self.service.run_id)
        if ids:
            self.service.suggest_all(ids)
            self.progress.setRange(0, len(ids))
            self.progress.setValue(0)
            self._show_progress(True)

    def on_document_shown(self, doc_id: int) -> None:
        if not self.service.active():
            return
        row = self.window_.project.scored_by(doc_id)
        if row is not None and row[0] == "new" and (row[1] != self.service.run_id or self.service.run_id is None):
            self.service.request(doc_id)

    # ---- retraining in the loop

    def document_done(self) -> bool:
        """A document was marked done: retrain when enough are (see the spin box); return
        whether a training run was started."""
        self.done_since_training += 1
        every = self.retrain_box.value()
        panel = self.window_.training_dock.widget()
        if not every or self.done_since_training < every or panel.is_running():
            return False
        from engine.textcat.predict import is_classifier_folder  # reads config.json: no torch
        from gui.training.panel import TAGGER, TEXTCAT

        folder = self.service.folder
        panel.set_task(TEXTCAT if folder is not None and is_classifier_folder(folder) else TAGGER)
        # warm start: from the model that suggests now (its head kept, half the step
        # floor: as good on held-out data in half the time, tests/bench/bench_warm_start.py)
        if not panel.start(base_model=str(folder) if folder is not None else None):
            return False
        self.done_since_training = 0
        self._retraining = True
        if folder is not None:
            message = self.tr("Retraining in the background ({n} more documents done, starting from the model that "
                              "suggests now); suggestions switch to the new model when it is ready.")
        else:
            message = self.tr("Retraining in the background ({n} more documents done); suggestions switch to the "
                              "new model when it is ready.")
        self.window_.statusBar().showMessage(message.format(n=every), 8000)
        return True

    def on_run_finished(self, run_id: int) -> None:
        """A training run ended: suggest with it if it is a tagger run with a model and
        suggestions are on (or it was started by :meth:`document_done`)."""
        retraining, self._retraining = getattr(self, "_retraining", False), False
        if not (retraining or self.service.active()):
            return
        for rid, folder, desc in usable_model_runs(self.window_.project):
            if rid == run_id:
                self.use_model(rid, folder, desc)
                return

    # ---- slots

    def _update_model_button(self) -> None:
        desc = self.service.description
        self.model_button.setText(self.tr("Suggestions: {model}").format(model=engine_text(desc)) if desc
                                  else self.tr("Suggestions: off"))
        self.model_button.setToolTip(self.tr("Choose the model that suggests entities (Model ▸ Suggest with…)"))
        has = bool(desc)
        self.slider.setEnabled(has)
        self.accept_all_action.setEnabled(has)

    def _on_threshold(self, value: int) -> None:
        self.threshold_label.setText(self.tr(" Hide below {value}% ").format(value=value))
        self.window_.editor.set_min_score(value / 100)

    def _on_suggested(self, doc_id: int) -> None:
        if self._closed:
            return  # a signal queued before the window closed its project
        w = self.window_
        if doc_id == w.editor.document_id():
            w.editor.refresh()
            w.category_bar.set_document(doc_id)
            w.announce_category_suggestion()
        w.doc_panel.refresh_rows([doc_id])

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self._show_progress(done < total)

    def _on_finished(self, message: str) -> None:
        if self._closed:
            return
        self._show_progress(False)
        self.window_.doc_panel.update_score_column()
        self.window_.statusBar().showMessage(message, 5000)

    def _on_failed(self, message: str) -> None:
        if self._closed:
            return
        self._show_progress(False)
        self.window_.statusBar().showMessage(message, 10000)
        QtWidgets.QMessageBox.warning(self, self.tr("Suggestions"), message)

    def _show_progress(self, on: bool) -> None:
        if on == self.progress_action.isVisible():
            return
        self.progress_action.setVisible(on)
        self.cancel_action.setVisible(on)

    def shutdown(self) -> None:
        """Stop the background work (closing the window); later signals are ignored."""
        self._closed = True
        self._sync.stop()
        self.service.shutdown()
