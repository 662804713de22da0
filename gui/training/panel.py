"""The training panel: settings, Start/Stop/Resume, live curves, per-label scores,
run history with comparison, and a box to try the model.

It trains three kinds of model, chosen at the top: the entity tagger
(``engine.ner.train.train``/``resume``), the document classifier
(``engine.textcat.train``) and the chat model (a LoRA fine-tune,
``engine.chat.sft.train``/``resume``). All share the curves, the run history and
"Try it"; a classifier's curves are its dev macro-F1 and accuracy, and it adds a
confusion view; what does not apply to a chat run (the F1 plot, the per-label tables)
is replaced by its dev loss and perplexity. Training runs in a worker thread
(:mod:`gui.workers`); its events arrive as signals and are collected in a
:class:`~gui.training.live.RunData`. A timer redraws at most :data:`REDRAW_MS`
apart, and only when something changed, so a fast training loop never floods the UI.
The engine is imported inside the worker function only: it pulls in torch.
"""
from __future__ import annotations

import math
import time
from collections import deque
from pathlib import Path
from typing import Callable

from engine.events import Log, Metric, Progress
from engine.store import Project
from gui.doclist import split_text
from gui.i18n import engine_text
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal
from gui.training import gc_guard
from gui.training import runs as runstore
from gui.training.chat_eval import ChatEvalView
from gui.training.confusion import ConfusionView, read_confusion
from gui.training.form import ChatTrainingForm, TrainingForm
from gui.training.history import RunHistory, RunReportDialog, status_text
from gui.training.live import RunData
from gui.training.plots import TrainingPlots
from gui.training.runs import CHAT, KINDS, TAGGER, TEXTCAT
from engine.scores import uncertainty_note
from gui.training.tables import ALL_MACRO, ALL_MICRO, LabelMetricsTable, fmt, fmt_ci
from gui.training.try_chat import ChatTryBox, forget_chat_model
from gui.training.try_it import ClassifyTryBox, TryItBox, forget_classifier, forget_tagger
from gui.workers import format_eta, pump_until_idle, run_with_progress, start_worker, wait_for_thread

#: Shortest time between two redraws of the plots and tables while training.
REDRAW_MS = 100
#: Below this width the settings move into a tab (the curves keep the whole width).
NARROW = 760
#: Below this width the loss and F1 plots are stacked instead of side by side.
PLOTS_SIDE_BY_SIDE = 600
#: The task choice at the top of the settings: (text, ``runs.kind``).
TASKS = ((QtCore.QT_TRANSLATE_NOOP("TrainingPanel", "Entity tagger"), TAGGER),
         (QtCore.QT_TRANSLATE_NOOP("TrainingPanel", "Document classifier"), TEXTCAT),
         (QtCore.QT_TRANSLATE_NOOP("TrainingPanel", "Chat model (LoRA)"), CHAT))
TASK_TIP = QtCore.QT_TRANSLATE_NOOP(
    "TrainingPanel",
    "What to train.\n"
    "Entity tagger: learns to find your labels in text, from the documents marked done. "
    "Document classifier: learns the documents' categories (intent, department, type...), from the "
    "documents marked done that have one. "
    "Chat model (LoRA): teaches the chat model to answer like your chat examples, by training a "
    "small adapter beside it.")


def train_job(project_path: Path, kwargs: dict, kind: str = TAGGER) -> Callable:
    """The worker function that trains a tagger (or, ``kind`` textcat, a document
    classifier) with ``TrainConfig(**kwargs)`` (engine imported when it runs)."""

    def job(report, cancel):
        from engine.ner.train import TrainConfig

        if kind == TEXTCAT:
            from engine.textcat.train import train
        else:
            from engine.ner.train import train
        return train(project_path, TrainConfig(**kwargs), report=report, cancel=cancel)

    return job


def resume_job(project_path: Path, run_id: int, kind: str = TAGGER) -> Callable:
    """The worker function that resumes tagger (or classifier) run ``run_id`` from its checkpoint."""

    def job(report, cancel):
        if kind == TEXTCAT:
            from engine.textcat.train import resume
        else:
            from engine.ner.train import resume
        return resume(project_path, run_id, report=report, cancel=cancel)

    return job


def chat_train_job(project_path: Path, kwargs: dict) -> Callable:
    """The worker function that fine-tunes the chat model with ``SftConfig.from_dict(kwargs)``
    (engine imported when it runs)."""

    def job(report, cancel):
        from engine.chat.sft import SftConfig, train

        return train(project_path, SftConfig.from_dict(kwargs), report=report, cancel=cancel)

    return job


def chat_resume_job(project_path: Path, run_id: int) -> Callable:
    """The worker function that resumes chat run ``run_id`` from its ``last/`` checkpoint."""

    def job(report, cancel):
        from engine.chat.sft import resume

        return resume(project_path, run_id, report=report, cancel=cancel)

    return job


def _mb(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1024:.1f} GB" if value >= 1024 else f"{value:.0f} MB"


class _Section(QtWidgets.QWidget):
    """A caption over a widget (lighter than a group box frame)."""

    def __init__(self, title: str, widget: QtWidgets.QWidget, parent=None):
        super().__init__(parent)
        self.caption = QtWidgets.QLabel(title)
        f = self.caption.font()
        f.setBold(True)
        self.caption.setFont(f)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.caption)
        lay.addWidget(widget, 1)


class TrainingPanel(QtWidgets.QWidget):
    """Train a tagger on the project's finished documents, or fine-tune the chat model on
    its chat examples, and watch it learn.

    Meant for a :class:`QDockWidget` (see :func:`make_training_dock`). Call
    :meth:`shutdown` before the window closes (it stops a running training and waits
    for its checkpoint); the panel also does so when the application quits.

    Signals:
        runFinished(int): a run ended (finished, stopped or failed); its id (-1 if unknown).
        openChatRequested(int, str, str): "Open in Chat pane" was pressed for a chat run:
            its id, its base model (``"default"`` or a folder) and its adapter folder
            (``<run>/best``), for ``engine.chat.model.load_chat_model(base, adapter=folder)``.
    """

    runFinished = Signal(int)
    openChatRequested = Signal(int, str, str)

    def __init__(self, project_path: str | Path, parent=None):
        super().__init__(parent)
        self.project_path = Path(project_path)
        self._project: Project | None = None
        self.make_train_job = train_job
        self.make_resume_job = resume_job
        self.make_chat_train_job = chat_train_job
        self.make_chat_resume_job = chat_resume_job

        # ---- widgets
        self.task = QtWidgets.QComboBox()
        for text, kind in TASKS:
            self.task.addItem(self.tr(text), kind)
        self.task.setToolTip(self.tr(TASK_TIP))
        self.form = TrainingForm()
        self.chat_form = ChatTrainingForm()
        self.chat_form.setVisible(False)
        self.start_button = QtWidgets.QPushButton(self.tr("Start training"))
        self.start_button.setToolTip(self.tr("Train a new model on the finished documents with these settings"))
        self.start_button.setDefault(True)
        self.stop_button = QtWidgets.QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop after the current step; the run keeps a checkpoint you can resume"))
        self.resume_button = QtWidgets.QPushButton(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Continue the selected stopped run from its last checkpoint"))
        self.data_label = QtWidgets.QLabel()
        self.data_label.setWordWrap(True)
        self.data_label.setToolTip(self.tr(
            "Training learns from documents marked done. Documents whose split is dev are held out to "
            "score the model after each evaluation; test documents are never used in training."))
        self.split_button = QtWidgets.QPushButton(self.tr("Split them now"))
        self.split_button.setToolTip(self.tr(
            "Give the finished documents without a split one now (dev and test 10% each, as a training run "
            "would) so you can see what dev holds before training. Splits already stored never move."))
        self.split_button.clicked.connect(self.split_new_documents)
        self.split_button.hide()
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message.setVisible(False)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.stats = QtWidgets.QLabel()
        self.stats.setTextFormat(Qt.RichText)
        self.stats.setWordWrap(True)
        self.plots = TrainingPlots()
        self.latest_table = LabelMetricsTable()
        self.best_table = LabelMetricsTable()
        self.latest_section = _Section(self.tr("Latest evaluation"), self.latest_table)
        self.best_section = _Section(self.tr("Best evaluation"), self.best_table)
        self.small_dev_note = QtWidgets.QLabel()  # "the dev set has 3 entities: this score can move by ±0.4 ..."
        self.small_dev_note.setWordWrap(True)
        self.small_dev_note.setStyleSheet("color: #b7791f;")
        self.small_dev_note.hide()
        self.best_section.layout().addWidget(self.small_dev_note)
        self.chat_eval = ChatEvalView()
        self.confusion = ConfusionView()
        self.history = RunHistory()
        self.try_it = TryItBox()
        self.classify_try = ClassifyTryBox()
        self.chat_try = ChatTryBox()
        self.log_view = QtWidgets.QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(2000)
        self.log_view.setPlaceholderText(self.tr("What training reports (the chosen recipe, scores, warnings) "
                                                 "appears here."))
        self.log_view.setMinimumHeight(80)

        # ---- layout
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.start_button, 1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.resume_button)
        controls = QtWidgets.QWidget()
        cl = QtWidgets.QVBoxLayout(controls)
        cl.setContentsMargins(8, 8, 4, 8)
        settings_caption = QtWidgets.QLabel(self.tr("Settings"))
        f = settings_caption.font()
        f.setBold(True)
        settings_caption.setFont(f)
        data_caption = QtWidgets.QLabel(self.tr("Training data"))
        data_caption.setFont(f)
        task_caption = QtWidgets.QLabel(self.tr("Train"))
        task_caption.setFont(f)
        task_caption.setToolTip(self.tr(TASK_TIP))
        cl.addWidget(task_caption)
        cl.addWidget(self.task)
        cl.addSpacing(8)
        cl.addWidget(data_caption)
        cl.addWidget(self.data_label)
        cl.addWidget(self.split_button, 0, Qt.AlignLeft)
        cl.addSpacing(8)
        cl.addWidget(settings_caption)
        cl.addWidget(self.form)
        cl.addWidget(self.chat_form)
        cl.addSpacing(6)
        cl.addLayout(buttons)
        cl.addWidget(self.message)
        cl.addSpacing(8)
        log_caption = QtWidgets.QLabel(self.tr("Log"))
        log_caption.setFont(f)
        cl.addWidget(log_caption)
        cl.addWidget(self.log_view, 1)
        self.controls = QtWidgets.QScrollArea()
        self.controls.setWidget(controls)
        self.controls.setWidgetResizable(True)
        self.controls.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.controls.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.controls.setMinimumWidth(200)

        tables = QtWidgets.QWidget()
        tl = self._tables_layout = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.LeftToRight, tables)
        tl.setContentsMargins(6, 6, 6, 6)
        tl.addWidget(self.latest_section)
        tl.addWidget(self.best_section)
        chat_eval = QtWidgets.QWidget()
        el = QtWidgets.QVBoxLayout(chat_eval)
        el.setContentsMargins(6, 6, 6, 6)
        el.addWidget(self.chat_eval)
        self.eval_stack = QtWidgets.QStackedWidget()  # per-label tables (tagger) / dev loss (chat)
        self.eval_stack.addWidget(tables)
        self.eval_stack.addWidget(chat_eval)
        history = QtWidgets.QWidget()
        hl = QtWidgets.QVBoxLayout(history)
        hl.setContentsMargins(6, 6, 6, 6)
        hl.addWidget(self.history)
        try_box = QtWidgets.QWidget()
        yl = QtWidgets.QVBoxLayout(try_box)
        yl.setContentsMargins(6, 6, 6, 6)
        self.try_stack = QtWidgets.QStackedWidget()  # tag text (tagger) / ask a question (chat) / classify
        self.try_stack.addWidget(self.try_it)
        self.try_stack.addWidget(self.chat_try)
        self.try_stack.addWidget(self.classify_try)
        yl.addWidget(self.try_stack)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.eval_stack, self.tr("Per label"))
        confusion = QtWidgets.QWidget()
        ql = QtWidgets.QVBoxLayout(confusion)
        ql.setContentsMargins(6, 6, 6, 6)
        ql.addWidget(self.confusion)
        self.confusion_tab = confusion
        self.tabs.addTab(history, self.tr("Runs"))
        self.tabs.addTab(try_box, self.tr("Try it"))

        right = QtWidgets.QWidget()
        rl = QtWidgets.QVBoxLayout(right)
        rl.setContentsMargins(4, 8, 8, 4)
        rl.setSpacing(4)
        rl.addWidget(self.stats)
        rl.addWidget(self.progress)
        self.right_split = QtWidgets.QSplitter(Qt.Vertical)
        self.right_split.setChildrenCollapsible(False)
        self.right_split.addWidget(self.plots)
        self.right_split.addWidget(self.tabs)
        self.right_split.setStretchFactor(0, 3)
        self.right_split.setStretchFactor(1, 2)
        rl.addWidget(self.right_split, 1)

        self.outer = QtWidgets.QSplitter(Qt.Horizontal)
        self.outer.setChildrenCollapsible(False)
        self.outer.addWidget(self.controls)
        self.outer.addWidget(right)
        self.outer.setStretchFactor(0, 0)
        self.outer.setStretchFactor(1, 1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.outer)
        self.outer.setSizes([self._controls_width(), 10_000])
        self._narrow = False

        # ---- state
        self.data: RunData | None = None
        self._inbox: deque = deque()
        self.thread: QtCore.QThread | None = None
        self.worker = None
        self.live_run_id: int | None = None
        self._ids_before = 0
        self._stopping = False
        self._t0 = 0.0
        self._overlay_cache: dict[int, RunData] = {}
        self._report_dialog: RunReportDialog | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._tick)
        self._last_stats = 0.0
        self.view_kind = TAGGER  # the kind of run the curves and tabs show now
        self.live_kind = TAGGER  # the kind of the run training now
        self._chat_examples = 0
        self._categorized = 0  # finished documents with a category (what a classifier learns from)

        self.start_button.clicked.connect(lambda _checked=False: self.start())
        self.stop_button.clicked.connect(self.stop)
        self.resume_button.clicked.connect(self.resume_selected)
        self.form.validityChanged.connect(lambda _ok: self._update_buttons())
        self.chat_form.validityChanged.connect(lambda _ok: self._update_buttons())
        self._keep_task = False  # True while the history is refilled: its automatic selection keeps the task
        newest = runstore.list_runs(self.project, KINDS)[:1]
        if newest:  # open on the task trained last
            self.set_task(newest[0].kind)
            self._on_task_changed()
        self.task.currentIndexChanged.connect(self._on_task_changed)
        self.chat_try.openInChat.connect(self.openChatRequested)
        self.history.currentRunChanged.connect(self._on_current_run)
        self.history.checkedChanged.connect(self._on_checked)
        self.history.reportRequested.connect(self.show_report)
        self.history.exportRequested.connect(self.export_run)
        self.history.deleteRequested.connect(self.delete_run)
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

        self.refresh()
        self._update_buttons()

    # ------------------------------------------------------------------ store

    @property
    def project(self) -> Project:
        """The panel's own connection to the project (UI thread only)."""
        if self._project is None:
            self._project = Project.open(self.project_path)
        return self._project

    def label_colors(self) -> dict[str, str]:
        return {l.name: l.color for l in self.project.labels()}

    def refresh(self) -> None:
        """Re-read labels and the run history from the project."""
        colors = self.label_colors()
        self.update_data_summary()
        self.plots.set_label_colors(colors)
        for t in (self.latest_table, self.best_table):
            t.set_label_colors(colors)
        self.try_it.set_label_colors(colors)
        self.classify_try.set_label_colors(colors)
        self._reload_runs()
        if not self.is_running():
            self._on_current_run(self.history.current_run_id() or -1)
        self._update_buttons()

    def _reload_runs(self) -> None:
        """Re-read the run history, keeping the chosen task (and showing a run of it)."""
        self._keep_task = True
        try:
            self.history.set_runs(runstore.list_runs(self.project, KINDS))
        finally:
            self._keep_task = False
        if not self.is_running():
            self._show_task_runs()

    def _show_task_runs(self) -> None:
        """Select the newest run of the chosen task unless one of it is selected; none if it has none."""
        kind = self.task_kind()
        run = self.history.run(self.history.current_run_id())
        if run is None or run.kind != kind:
            newest = next((r for r in self.history.runs if r.kind == kind), None)
            if newest is not None:
                self.history.select_run(newest.id)
            elif run is not None:
                self.history.table.clearSelection()

    def update_data_summary(self) -> None:
        """Re-count what the chosen task learns from (finished documents, or chat examples),
        shown under "Training data"."""
        if self.task_kind() == CHAT:
            summary = runstore.chat_data_summary(self.project)
            self._chat_examples = summary.examples
            self.data_label.setText(runstore.describe_chat_data(summary))
            self.data_label.setToolTip(self.tr(
                "Chat fine-tuning learns from the project's chat examples (a question and the answer the "
                "model should give). Examples whose split is dev are held out to score the model; test "
                "examples are never used in training."))
        elif self.task_kind() == TEXTCAT:
            summary = runstore.category_data_summary(self.project)
            self._categorized = summary.documents
            self.data_label.setText(runstore.describe_category_data(summary))
            self.data_label.setToolTip(self.tr(
                "A document classifier learns from documents marked done that have a category. Documents "
                "whose split is dev are held out to score it; test documents are never used in training."))
        else:
            summary = runstore.data_summary(self.project)
            self.data_label.setText(runstore.describe_data(summary))
            self.data_label.setToolTip(self.tr(
                "Training learns from documents marked done. Documents whose split is dev are held out to "
                "score the model after each evaluation; test documents are never used in training."))
        self.split_button.setVisible(self.task_kind() != CHAT and bool(summary.by_split.get(None))
                                     and not self.is_running())
        self._update_buttons()

    def split_new_documents(self) -> None:
        """Give finished documents without a split one (stored; splits already stored never move)."""
        from engine.ner.data import assign_splits  # engine.ner only when used

        added = assign_splits(self.project, seed=self.form.seed.value())
        self.update_data_summary()
        if added:
            parts = [self.tr("{n} to {split}").format(
                n=f"{n:,}", split=split_text(k)) for k, n in added.items()]
            self.show_message(self.tr("Split {parts}.").format(parts=self.tr(", ").join(parts)))

    # ------------------------------------------------------------------ task

    def task_kind(self) -> str:
        """What Start trains: ``"ner"`` (the entity tagger), ``"textcat"`` (the document
        classifier) or ``"chat"`` (the chat model)."""
        return self.task.currentData() or TAGGER

    def set_task(self, kind: str) -> None:
        """Choose what Start trains (``"ner"`` or ``"chat"``); shows that task's settings."""
        i = self.task.findData(kind)
        if i >= 0 and i != self.task.currentIndex():
            self.task.setCurrentIndex(i)

    def active_form(self) -> TrainingForm | ChatTrainingForm:
        """The settings form of the chosen task."""
        return self.chat_form if self.task_kind() == CHAT else self.form

    def _on_task_changed(self, _index: int = -1) -> None:
        kind = self.task_kind()
        self.form.setVisible(kind != CHAT)
        self.chat_form.setVisible(kind == CHAT)
        self.start_button.setToolTip(
            self.tr("Fine-tune the chat model on the project's chat examples with these settings") if kind == CHAT
            else self.tr("Train a new document classifier on the finished documents' categories with these settings")
            if kind == TEXTCAT else self.tr("Train a new model on the finished documents with these settings"))
        self.update_data_summary()
        if self.is_running():
            return
        self._show_task_runs()
        self._set_view_kind(self._shown_kind())
        self._update_try_it()
        self._update_buttons()

    def _shown_kind(self) -> str:
        """The kind of run the curves should show: the live run's, the selected run's, or the task's."""
        if self.is_running():
            return self.live_kind
        run = self.history.run(self.history.current_run_id())
        return run.kind if run is not None and run.kind in KINDS else self.task_kind()

    def _set_view_kind(self, kind: str) -> None:
        """Show what applies to a run of ``kind``: a chat run has a dev loss, no F1 and no labels."""
        if kind == self.view_kind:
            return
        self.view_kind = kind
        chat = kind == CHAT
        self.plots.set_kind(kind)
        self.eval_stack.setCurrentIndex(1 if chat else 0)
        self.tabs.setTabText(self.tabs.indexOf(self.eval_stack), self.tr("Dev loss") if chat else
                             self.tr("Per category") if kind == TEXTCAT else self.tr("Per label"))
        has_confusion = self.tabs.indexOf(self.confusion_tab) >= 0
        if kind == TEXTCAT and not has_confusion:
            self.tabs.insertTab(self.tabs.indexOf(self.eval_stack) + 1, self.confusion_tab, self.tr("Confusion"))
        elif kind != TEXTCAT and has_confusion:
            self.tabs.removeTab(self.tabs.indexOf(self.confusion_tab))
        overall = ALL_MACRO if kind == TEXTCAT else ALL_MICRO
        for t in (self.latest_table, self.best_table):
            t.overall_title = overall
        self._tick(force=True)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        self.update_data_summary()  # documents may have been marked done meanwhile
        super().showEvent(event)

    # ------------------------------------------------------------------ training

    def is_running(self) -> bool:
        return self.worker is not None

    def config_kwargs(self) -> dict:
        """The settings of the chosen task's form: ``TrainConfig`` keyword arguments (see
        :class:`TrainingForm`) or ``SftConfig`` fields (see :class:`ChatTrainingForm`)."""
        return self.active_form().config_kwargs()

    def can_start(self) -> bool:
        """Whether Start may be pressed: nothing runs, the settings are valid, and a chat
        fine-tune has examples to learn from."""
        if self.is_running() or not self.active_form().is_valid():
            return False
        if self.task_kind() == TEXTCAT:
            return self._categorized > 0
        return self.task_kind() != CHAT or self._chat_examples > 0

    def start(self, base_model: str | None = None) -> bool:
        """Start training a new run of the chosen task with its form's settings (the base
        model ``base_model`` instead of the form's when given: retraining in the loop
        warm-starts from the model that suggests); return whether it started."""
        if self.is_running():
            return False
        kind = self.task_kind()
        try:
            kwargs = self.config_kwargs()
            if base_model is not None:
                kwargs["base_model"] = base_model
        except ValueError:
            example = "2e-4" if kind == CHAT else "3e-5"
            self.show_message(self.tr("The learning rate is not a number. Type a value such as {example}, or choose "
                                      "Auto.").format(example=example), error=True)
            return False
        self.update_data_summary()
        if kind == CHAT and self._chat_examples == 0:
            self.show_message(runstore.translated(runstore.NO_CHAT_EXAMPLES), warning=True)
            return False
        if kind == TEXTCAT and self._categorized == 0:
            self.show_message(runstore.translated(runstore.NO_CATEGORIES), warning=True)
            return False
        self._ids_before = runstore.max_run_id(self.project)
        if kind == CHAT:
            job = self.make_chat_train_job(self.project_path, kwargs)
        elif kind == TEXTCAT:
            job = self.make_train_job(self.project_path, kwargs, TEXTCAT)
        else:
            job = self.make_train_job(self.project_path, kwargs)
        self._launch(job, RunData(), None, kind)
        start = (self.tr("Starting a new chat fine-tune: {settings}") if kind == CHAT else
                 self.tr("Starting a new classifier run: {settings}") if kind == TEXTCAT else
                 self.tr("Starting a new run: {settings}"))
        self.log_view.appendPlainText(start.format(settings=kwargs))
        return True

    def resume_selected(self) -> bool:
        """Resume the selected stopped run; return whether it started."""
        run = self.history.run(self.history.current_run_id())
        if self.is_running() or run is None or not run.can_resume:
            return False
        return self.resume(run.id)

    def resume(self, run_id: int) -> bool:
        """Continue run ``run_id`` from its checkpoint, its earlier curves kept on the plots."""
        if self.is_running():
            return False
        self._ids_before = runstore.max_run_id(self.project)
        run = runstore.get_run(self.project, run_id)
        kind = run.kind if run is not None else TAGGER
        data = runstore.run_data(self.project, run_id)
        self.log_view.appendPlainText(self.tr("Resuming run {run}").format(run=run_id))
        if kind == CHAT:
            job = self.make_chat_resume_job(self.project_path, run_id)
        elif kind == TEXTCAT:
            job = self.make_resume_job(self.project_path, run_id, TEXTCAT)
        else:
            job = self.make_resume_job(self.project_path, run_id)
        self._launch(job, data, run_id, kind)
        return True

    def _launch(self, fn: Callable, data: RunData, run_id: int | None, kind: str = TAGGER) -> None:
        self.show_message("")
        self.live_kind = kind
        self.set_task(kind)
        self._set_view_kind(kind)
        self.data = data
        self.live_run_id = run_id
        self._stopping = False
        self._t0 = time.monotonic()
        data.started = self._t0
        self.plots.set_data(data)
        self.latest_table.set_evaluation(None)
        self.best_table.set_evaluation(None)
        self.progress.setRange(0, 0)
        # Progress, Metric and Log events go into a queue the redraw timer drains, not one
        # queued signal each: however fast the engine reports, the UI thread handles
        # them in batches, at most 1000 / REDRAW_MS times a second.
        inbox = self._inbox = deque()

        def job(report, cancel):
            def relay(event):
                if isinstance(event, (Progress, Metric, Log)):
                    inbox.append(event)
                else:
                    report(event)

            return fn(relay, cancel)

        app = QtCore.QCoreApplication.instance()
        # The thread belongs to the application, not to this panel: a panel closed
        # mid-run must not destroy a running thread (shutdown() stops it first).
        self.thread, self.worker = start_worker(app, job, start=False)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        for sig in (self.worker.finished, self.worker.failed, self.worker.cancelled):
            # quit from the worker thread itself, so shutdown() can wait() without an event loop
            sig.connect(self.thread.quit, Qt.DirectConnection)
        token = self.worker.cancel_token
        self.destroyed.connect(lambda *_: token.cancel())
        self.history.set_busy_run(run_id)
        gc_guard.hold()
        self.thread.start()
        self._timer.start()
        self._update_buttons()
        self._tick(force=True)

    def stop(self) -> None:
        """Ask the running training to stop at its next step (it keeps a checkpoint)."""
        if self.worker is None:
            return
        self._stopping = True
        self.worker.cancel_token.cancel()
        self.stop_button.setText(self.tr("Stopping…"))
        self._update_buttons()

    def shutdown(self, wait_ms: int = 120_000) -> None:
        """Stop a running training and wait (up to ``wait_ms``) for it to end; wait for Try it too."""
        thread, worker = self.thread, self.worker
        if worker is not None:
            worker.cancel_token.cancel()
        wait_for_thread(thread, wait_ms)
        self.chat_try.stop()
        self.try_it.wait(wait_ms)
        self.classify_try.wait(wait_ms)
        self.chat_try.wait(wait_ms)

    def wait(self, ms: int = 60_000) -> bool:
        """Wait until no training runs (processing events); return whether it ended in time."""
        return pump_until_idle(self.is_running, ms)

    # ---- events (from the worker, or fed directly by tests and screenshots)

    def handle_event(self, event, t: float | None = None) -> None:
        """Apply one engine event (:class:`Progress`, :class:`Metric` or :class:`Log`) to the panel.

        ``t`` is when a :class:`Progress` happened (``time.monotonic()`` scale, or any
        seconds when replaying a run); it feeds the step rate behind the ETA. Default: now.
        """
        if isinstance(event, Progress):
            self._on_progress(event.what, int(event.done), int(event.total), event.unit, t)
        elif isinstance(event, Metric):
            self._on_metric(event)
        elif isinstance(event, Log):
            self._on_log(event.message, event.level)

    def _ensure_data(self) -> RunData:
        if self.data is None:
            self.data = RunData(self.live_run_id)
            self.plots.set_data(self.data)
        return self.data

    def _on_progress(self, what: str, done: int, total: int, unit: str, t: float | None = None) -> None:
        self._ensure_data().set_progress(what, done, total, t)
        if what == "Training" and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
    def _on_metric(self, m: Metric) -> None:
        self._ensure_data().add_metric(m.name, m.value, m.step, m.epoch)
    def _on_log(self, message: str, level: str = "info") -> None:
        text = engine_text(message)  # the engine's msg() lines in the interface's language
        if level == "warning":
            self.log_view.appendPlainText("⚠ " + text)
            self.show_message(text, warning=True)
        else:
            self.log_view.appendPlainText(text)

    def _find_live_run(self) -> None:
        """The engine created a ``runs`` row for this training: find it, list it, select it."""
        rows = [r for r in runstore.list_runs(self.project, KINDS) if r.id > self._ids_before]
        if not rows:
            return
        self.live_run_id = rows[-1].id
        if self.data is not None:
            self.data.run_id = self.live_run_id
        self.history.set_busy_run(self.live_run_id)
        self.history.set_runs(runstore.list_runs(self.project, KINDS))
        self.history.select_run(self.live_run_id)

    def _end(self, run_id: int | None) -> None:
        self._drain()  # events reported before the end, not yet shown
        wait_for_thread(self.thread)  # before dropping the worker
        gc_guard.release()
        self.worker = None
        self.thread = None
        self._stopping = False
        self.stop_button.setText(self.tr("Stop"))
        self._timer.stop()
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self.data and self.data.total_steps and self.data.step >= self.data.total_steps else 0)
        if run_id is None and self.live_run_id is None:
            self._find_live_run()
        rid = run_id if run_id is not None else self.live_run_id
        self.history.set_busy_run(None)
        self._overlay_cache.pop(rid, None)
        self._reload_runs()
        if rid is not None:
            self.history.select_run(rid)
            self._on_checked(self.history.checked_ids())
        self._set_view_kind(self._shown_kind())
        self._tick(force=True)
        self._update_buttons()
        self._update_try_it()
        self.runFinished.emit(-1 if rid is None else rid)

    def _on_finished(self, result) -> None:
        rid = getattr(result, "run_id", None)
        f1, step = getattr(result, "best_f1", None), getattr(result, "best_step", None)
        loss = getattr(result, "best_loss", None)
        out = getattr(result, "output_dir", None)
        parts = [self.tr("Training finished.")]
        fields = {"step": f"{step:,}" if step is not None else ""}
        if f1 is not None:
            report = getattr(result, "report", None) or {}
            ci = report.get("f1_ci")
            fields["metric"] = self.tr("macro-F1") if self.live_kind == TEXTCAT else self.tr("micro F1")
            fields["score"] = fmt_ci(f1, tuple(ci) if ci else None)
            if self.live_kind == TEXTCAT and report.get("accuracy") is not None:
                fields["accuracy"] = fmt_ci(report['accuracy'], tuple(report.get('accuracy_ci') or ()) or None)
                best = (self.tr("Best {metric} {score} at step {step}, accuracy {accuracy}.") if step is not None
                        else self.tr("Best {metric} {score}, accuracy {accuracy}."))
            else:
                best = (self.tr("Best {metric} {score} at step {step}.") if step is not None
                        else self.tr("Best {metric} {score}."))
            parts.append(best.format(**fields))
        elif isinstance(loss, (int, float)) and math.isfinite(loss):
            parts.append((self.tr("Lowest dev loss {loss} at step {step}.") if step is not None
                          else self.tr("Lowest dev loss {loss}.")).format(loss=fmt(loss), **fields))
        if out:
            where = (self.tr("The fine-tuned adapter is in {folder}.") if self.live_kind == CHAT
                     else self.tr("The model is in {folder}."))
            parts.append(where.format(folder=Path(out) / 'best'))
        self.show_message(runstore.join_sentences(*parts))
        self._end(rid)

    def _on_failed(self, message: str) -> None:
        self.show_message(message, error=True)
        self._end(None)

    def _on_cancelled(self) -> None:
        step = self.data.step if self.data else 0
        self.show_message(self.tr("Stopped at step {step}. Select the run and press Resume to continue it.").format(
            step=f"{step:,}"))
        self._end(None)

    # ------------------------------------------------------------------ display

    def show_message(self, text: str, error: bool = False, warning: bool = False) -> None:
        """Show a plain sentence under the buttons (red for errors, amber for warnings); empty hides it."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setStyleSheet("color: #d64545;" if error else "color: #b7791f;" if warning else "")

    def _drain(self) -> None:
        inbox = self._inbox
        while inbox:
            self.handle_event(inbox.popleft())

    def _tick(self, force: bool = False) -> None:
        self._drain()
        if self.live_run_id is None and self.is_running() and self.data is not None and self.data.version:
            self._find_live_run()
        d = self.data
        drew = self.plots.redraw(force=force)
        if self.view_kind == CHAT:
            if drew or force:
                self.chat_eval.set_data(d)
        elif d is not None and (drew or force):
            latest, best = d.latest_evaluation(), d.best_evaluation()
            self.latest_table.set_evaluation(latest)
            self.best_table.set_evaluation(best)
            self.latest_section.caption.setText(
                self.tr("Latest evaluation · step {step}").format(step=f"{latest.step:,}") if latest
                else self.tr("Latest evaluation"))
            name = self.tr("macro-F1") if self.view_kind == TEXTCAT else "F1"
            self.best_section.caption.setText(
                self.tr("Best evaluation · step {step} · {metric} {score}").format(
                    step=f"{best.step:,}", metric=name, score=fmt_ci(best.f1, best.f1_ci)) if best
                else self.tr("Best evaluation"))
            note = engine_text(uncertainty_note(best.support, best.f1_ci, "documents" if self.view_kind == TEXTCAT
                                                else "entities")) if best is not None else ""
            self.small_dev_note.setText(note)
            self.small_dev_note.setVisible(bool(note))
        now = time.monotonic()
        if force or drew or now - self._last_stats > 0.5:
            self._last_stats = now
            self.stats.setText(self.stats_text())

    def stats_text(self) -> str:
        """The stats line: step/total, epoch, tokens/s, ETA, memory, elapsed (HTML)."""
        d = self.data
        muted = self.palette().color(QtGui.QPalette.PlaceholderText).name()
        sep = f"<span style='color:{muted}'>&nbsp;·&nbsp;</span>"
        if d is None:
            empty = self.tr("No run yet. Choose settings and press Start training.")
            return f"<span style='color:{muted}'>{empty}</span>"
        parts = []
        if self.is_running():
            if d.stage and d.stage != "Training" and not d.total_steps:
                parts.append(f"<b>{engine_text(d.stage)}…</b>")
            elif d.total_steps:
                parts.append("<b>" + self.tr("Step {step} / {total}").format(
                    step=f"{d.step:,}", total=f"{d.total_steps:,}") + "</b>")
            else:
                parts.append("<b>" + self.tr("Step {step}").format(step=f"{d.step:,}") + "</b>")
        else:
            run = self.history.run(d.run_id)
            parts.append("<b>" + (self.tr("Run {run}").format(run=d.run_id) if d.run_id is not None
                                  else self.tr("Run")) + "</b>")
            if run is not None:
                parts.append(status_text(run.status) if run.status else run.status)
                parts.append(run.model_title + (" + LoRA" if run.is_chat else ""))
            parts.append(self.tr("{steps} steps").format(steps=f"{d.step:,}"))
        parts.append(self.tr("epoch {epoch}").format(epoch=f"{d.epoch:.2f}"))
        tps = d.last("train/tokens_per_s")
        if tps is not None:
            parts.append(self.tr("{speed} tokens/s").format(speed=f"{tps:,.0f}"))
        if self.is_running():
            eta = d.eta_seconds()
            parts.append(self.tr("about {time} left").format(time=format_eta(eta)) if eta is not None
                         else self.tr("estimating time left…"))
            parts.append(self.tr("{time} elapsed").format(time=format_eta(time.monotonic() - self._t0)))
        rss = d.last("mem/rss_mb")
        if rss is not None:
            parts.append(f"RAM {_mb(rss)}")
        cuda = d.last("mem/cuda_mb")
        if cuda is not None and cuda > 0:
            parts.append(f"GPU {_mb(cuda)}")
        return sep.join(parts)

    def _update_buttons(self) -> None:
        running = self.is_running()
        run = self.history.run(self.history.current_run_id())
        self.start_button.setEnabled(self.can_start())
        self.stop_button.setEnabled(running and not self._stopping)
        self.resume_button.setEnabled(not running and run is not None and run.can_resume)
        self.form.setEnabled(not running)
        self.chat_form.setEnabled(not running)
        self.task.setEnabled(not running)

    def _update_try_it(self) -> None:
        run = self.history.run(self.history.current_run_id())
        usable = run is not None and run.best_dir is not None and run.id != (
            self.live_run_id if self.is_running() else None)
        kind = run.kind if run is not None else self.task_kind()
        self.try_stack.setCurrentIndex({CHAT: 1, TEXTCAT: 2}.get(kind, 0))
        if usable and kind == CHAT:
            self.chat_try.set_model(run.id, run.base_model or runstore.DEFAULT_MODEL, run.best_dir)
        else:
            self.chat_try.set_model(None, None, None)
        for box, box_kind in ((self.try_it, TAGGER), (self.classify_try, TEXTCAT)):
            if usable and kind == box_kind:
                box.set_model(run.id, run.best_dir)
            else:
                box.set_model(None, None)
        if kind == TEXTCAT and run is not None:
            self.confusion.set_confusion(read_confusion(run.best_dir), run.id)

    # ---- history

    def _on_current_run(self, run_id: int) -> None:
        if not self.is_running():
            run = self.history.run(run_id)
            if run is not None and run.kind in KINDS and not self._keep_task:
                self.set_task(run.kind)  # looking at a chat run: Start and the settings are the chat ones
            self._set_view_kind(self._shown_kind())
        self._update_buttons()
        self._update_try_it()
        if self.is_running():
            return
        if run_id < 0:
            self.data = None
            self.plots.set_data(None)
            self._tick(force=True)
            return
        if self.data is None or self.data.run_id != run_id:
            self.data = self._run_data(run_id)
            self.plots.set_data(self.data)
        self._tick(force=True)

    def _run_data(self, run_id: int) -> RunData:
        """A past run's metrics from the store; kept while the run cannot change (not running)."""
        data = self._overlay_cache.get(run_id)
        if data is None:
            data = runstore.run_data(self.project, run_id)
            run = self.history.run(run_id)
            if run is not None and run.status != "running":
                self._overlay_cache[run_id] = data
        return data

    def _on_checked(self, ids: list[int]) -> None:
        overlays = {}
        for rid in ids:
            if self.is_running() and rid == self.live_run_id and self.data is not None:
                overlays[rid] = self.data
                continue
            overlays[rid] = self._run_data(rid)
        self.plots.set_overlays(overlays)
        self.history.set_overlay_colors({rid: self.plots.overlay_color(rid) for rid in ids})

    def show_report(self, run_id: int) -> RunReportDialog | None:
        """Open the report of run ``run_id`` (settings, and the per-label table at its best
        step for a tagger, or its dev-loss evaluations for a chat run)."""
        run = runstore.get_run(self.project, run_id)
        if run is None:
            return None
        data = self._run_data(run_id)
        best = data.best_loss_evaluation() if run.is_chat else data.best_evaluation()
        dlg = RunReportDialog(run, best, self.label_colors(), self, data=data)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        self._report_dialog = dlg
        dlg.show()
        return dlg

    #: the export dialog's file types: a model folder, or one GGUF file in f16 or q8_0
    #: (English keys; shown translated, the patterns kept)
    EXPORT_FILTERS = {QtCore.QT_TRANSLATE_NOOP("TrainingPanel", "Model folder: the Chat pane, transformers (*)"): None,
                      QtCore.QT_TRANSLATE_NOOP("TrainingPanel",
                                               "GGUF file, f16: llama.cpp, LM Studio, Ollama (*.gguf)"): "f16",
                      QtCore.QT_TRANSLATE_NOOP("TrainingPanel", "GGUF file, q8_0: about half the size (*.gguf)"): "q8_0"}

    def choose_export_dir(self, run: runstore.RunInfo) -> str | None:
        """Ask where to write ``run``'s merged model: a folder, or a ``.gguf`` file (its
        quantization is the chosen file type's, f16 for a typed ``.gguf`` name); ``None``
        if cancelled (tests replace this)."""
        start = str(Path(self.project.path).parent / f"chat-run-{run.id}-model")
        filters = {self.tr(text): quant for text, quant in self.EXPORT_FILTERS.items()}
        name, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Export the fine-tuned chat model"), start, ";;".join(filters))
        if not name:
            return None
        quant = filters.get(chosen, self.EXPORT_FILTERS.get(chosen))
        if quant and not name.lower().endswith(".gguf"):
            name += ".gguf"
        if name.lower().endswith(".gguf"):
            self.export_quant = quant or "f16"
        return name

    @staticmethod
    def make_export_job(adapter: Path, out: str, quant: str | None = None):
        """Return the worker function writing the merged model: a model folder, or with
        ``quant`` (``f16``/``q8_0``) one GGUF file (tests replace this)."""

        def job(report, cancel):
            from engine.chat.sft import export_gguf_file, export_merged  # torch: inside the worker only

            if quant:
                return export_gguf_file(adapter, out, quant=quant, report=report)
            return export_merged(adapter, out, report=report)

        return job

    def export_run(self, run_id: int) -> Path | None:
        """Write chat run ``run_id``'s best adapter merged into its base model as a full model
        folder or a GGUF file, behind a progress dialog; return where, or ``None``
        (cancelled, failed: the reason is shown under the buttons)."""
        run = runstore.get_run(self.project, run_id)
        if run is None or not run.is_chat or run.best_dir is None:
            return None
        self.export_quant = "f16"
        out = self.choose_export_dir(run)
        if not out:
            return None
        quant = self.export_quant if out.lower().endswith(".gguf") else None
        outcome, value = run_with_progress(self, self.tr("Exporting run {run}").format(run=run_id),
                                           self.make_export_job(run.best_dir, out, quant))
        if outcome == "ok":
            done = (self.tr("Exported run {run} to {path}. Load it in LM Studio, Ollama or llama.cpp.") if quant else
                    self.tr("Exported run {run} to {path}. Open it in the Chat pane with Choose folder…, or in any "
                            "Hugging Face tool."))
            self.show_message(done.format(run=run_id, path=value))
            return Path(value)
        if outcome == "failed":
            self.show_message(self.tr("Could not export run {run}: {reason}").format(run=run_id, reason=value),
                              error=True)
        return None

    def confirm_delete(self, run: runstore.RunInfo) -> bool:
        """Ask before deleting ``run`` (tests replace this)."""
        where = run.output_dir or ""
        inside = bool(where) and runstore.is_inside(Path(where), self.project.runs_dir)
        text = (self.tr("Delete run {run} and its scores?<br><br>Its model folder will be deleted too:<br>"
                        "<code>{folder}</code><br><br>This cannot be undone.") if inside else
                self.tr("Delete run {run} and its scores?<br><br>Its folder <code>{folder}</code> is outside the "
                        "project and will be kept.<br><br>This cannot be undone.") if where else
                self.tr("Delete run {run} and its scores?<br><br>This cannot be undone."))
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Warning, self.tr("Delete run"), text.format(run=run.id, folder=where),
            QtWidgets.QMessageBox.Cancel, self)
        box.setTextFormat(Qt.RichText)
        delete = box.addButton(self.tr("Delete run"), QtWidgets.QMessageBox.DestructiveRole)
        box.setDefaultButton(QtWidgets.QMessageBox.Cancel)
        box.exec()
        return box.clickedButton() is delete

    def delete_run(self, run_id: int) -> bool:
        """Delete run ``run_id`` after confirmation; return whether it was deleted."""
        run = runstore.get_run(self.project, run_id)
        if run is None or (self.is_running() and run_id == self.live_run_id):
            return False
        if not self.confirm_delete(run):
            return False
        if run.best_dir is not None:
            forget_tagger(run.best_dir)
            forget_classifier(run.best_dir)
            forget_chat_model(run.best_dir)
        if self.try_it.run_id == run_id:
            self.try_it.set_model(None, None)
        if self.classify_try.run_id == run_id:
            self.classify_try.set_model(None, None)
        if self.chat_try.run_id == run_id:
            self.chat_try.set_model(None, None, None)
        kept = runstore.delete_run(self.project, run_id)
        self._overlay_cache.pop(run_id, None)
        if self.data is not None and self.data.run_id == run_id and not self.is_running():
            self.data = None
        self._reload_runs()
        self._on_checked(self.history.checked_ids())
        self._on_current_run(self.history.current_run_id() or -1)
        self.show_message(self.tr("Run {run} deleted. Its folder {folder} was kept.").format(run=run_id, folder=kept)
                          if kept else self.tr("Run {run} deleted.").format(run=run_id))
        return True

    # ------------------------------------------------------------------ layout

    def _controls_width(self) -> float:
        """Width that shows the settings whole (the default model's full name included)."""
        fm = self.fontMetrics()
        return max(self.controls.widget().sizeHint().width(),
                   fm.horizontalAdvance(QtCore.QCoreApplication.translate("TrainingForm", "Early stop after")
                                        + runstore.translated(runstore.DEFAULT_MODEL_TITLE)) + 90)

    def is_narrow(self) -> bool:
        """Whether the settings are a tab (narrow dock) rather than a column beside the curves."""
        return self._narrow

    def _set_narrow(self, narrow: bool) -> None:
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self._tables_layout.setDirection(QtWidgets.QBoxLayout.TopToBottom if narrow else QtWidgets.QBoxLayout.LeftToRight)
        if narrow:
            self.tabs.insertTab(0, self.controls, self.tr("Settings"))  # takes it out of the splitter
        else:
            self.tabs.removeTab(self.tabs.indexOf(self.controls))
            self.outer.insertWidget(0, self.controls)
            self.outer.setSizes([self._controls_width(), 10_000])

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        width = event.size().width()
        self._set_narrow(width < NARROW)
        self.plots.splitter.setOrientation(Qt.Vertical if width < PLOTS_SIDE_BY_SIDE else Qt.Horizontal)
        super().resizeEvent(event)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def make_training_dock(project_path: str | Path, parent: QtWidgets.QWidget | None = None) -> QtWidgets.QDockWidget:
    """Return a dock (objectName ``training_dock``) holding a :class:`TrainingPanel` as its widget."""
    dock = QtWidgets.QDockWidget(QtCore.QCoreApplication.translate("TrainingPanel", "Training"), parent)
    dock.setObjectName("training_dock")
    dock.setAllowedAreas(Qt.AllDockWidgetAreas)
    panel = TrainingPanel(project_path, dock)
    panel.setObjectName("training_panel")
    dock.setWidget(panel)
    return dock
