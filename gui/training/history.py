"""The run history list and the run report dialog."""
from __future__ import annotations

import json

from gui.label_style import swatch_icon
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal
from gui.training.chat_eval import ChatEvalTable, fmt_perplexity
from gui.training.live import Evaluation, RunData
from gui.training.runs import RunInfo
from gui.training.tables import LabelMetricsTable, fmt

_CTX = "RunHistory"
COLUMNS = (QtCore.QT_TRANSLATE_NOOP("RunHistory", "Run"), QtCore.QT_TRANSLATE_NOOP("RunHistory", "Kind"),
           QtCore.QT_TRANSLATE_NOOP("RunHistory", "Date"), QtCore.QT_TRANSLATE_NOOP("RunHistory", "Base model"),
           QtCore.QT_TRANSLATE_NOOP("RunHistory", "Settings"), QtCore.QT_TRANSLATE_NOOP("RunHistory", "Status"),
           QtCore.QT_TRANSLATE_NOOP("RunHistory", "Best"), QtCore.QT_TRANSLATE_NOOP("RunHistory", "Steps"))
#: Column of each cell (tests and callers use these, not numbers).
COL_RUN, COL_KIND, COL_DATE, COL_MODEL, COL_SETTINGS, COL_STATUS, COL_BEST, COL_STEPS = range(len(COLUMNS))
HEADER_TIPS = {
    COL_RUN: QtCore.QT_TRANSLATE_NOOP("RunHistory", "Tick runs to draw their curves on the plots to compare them"),
    COL_KIND: QtCore.QT_TRANSLATE_NOOP(
        "RunHistory", "Tagger: finds entities in text. Chat: a chat model fine-tuned on your chat examples."),
    COL_BEST: QtCore.QT_TRANSLATE_NOOP(
        "RunHistory", "The best score of the run: F1 for a tagger (higher is better), the loss on the held-out "
                      "examples for a chat model (lower is better). Compare runs of the same kind only."),
}
KIND_TIPS = {"ner": QtCore.QT_TRANSLATE_NOOP("RunHistory", "Entity tagger: finds and labels entities in text"),
             "chat": QtCore.QT_TRANSLATE_NOOP("RunHistory",
                                              "Chat model fine-tuned with LoRA on the project's chat examples")}
#: a run's status as shown (English; :func:`status_text` translates it)
STATUS_TEXT = {"running": QtCore.QT_TRANSLATE_NOOP("RunHistory", "running"),
               "finished": QtCore.QT_TRANSLATE_NOOP("RunHistory", "finished"),
               "cancelled": QtCore.QT_TRANSLATE_NOOP("RunHistory", "stopped"),
               "failed": QtCore.QT_TRANSLATE_NOOP("RunHistory", "failed"),
               "interrupted": QtCore.QT_TRANSLATE_NOOP("RunHistory", "interrupted")}
STATUS_COLORS = {"running": "#3b6fd4", "finished": "#3d8b37", "cancelled": "#b7791f", "failed": "#d64545",
                 "interrupted": "#b7791f"}


#: the run report's names of the settings (``config`` keys with spaces; English as
#: shown, translated for display; a key added later shows as it is until translated)
REPORT_KEYS = {QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "base model"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "epochs"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "batch size"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "lr"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "max steps"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "patience"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "seed"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "lora r"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "max length"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "batch tokens"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "bf16"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "clip"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "eval every"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "freeze embeddings"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "fused ce"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "grad accum"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "head init"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "label all pieces"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "lora alpha"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "lora dropout"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "min steps"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "out dir"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "pack"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "select"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "warmup ratio"),
               QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "weight decay")}
#: setting values the report shows translated
REPORT_VALUES = {QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "auto"),
                 QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "default"),
                 QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "True"),
                 QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "False"),
                 QtCore.QT_TRANSLATE_NOOP("RunReportDialog", "prior")}


def status_text(status: str | None) -> str:
    """A run's status in the user's language (``"cancelled"`` shows as "stopped"; an
    unknown status as itself)."""
    if status in STATUS_TEXT:
        return QtCore.QCoreApplication.translate(_CTX, STATUS_TEXT[status])
    return status or "?"


def settings_text(config: dict) -> str:
    """The settings that tell runs apart, short: ``lr 0.0001 · batch 16 · seed 0``."""
    parts = []
    if config.get("lr") is not None:
        parts.append(QtCore.QCoreApplication.translate("RunHistory", "lr {lr}").format(lr=f"{float(config['lr']):g}"))
    if config.get("batch_size"):
        parts.append(QtCore.QCoreApplication.translate("RunHistory", "batch {size}").format(size=config["batch_size"]))
    if config.get("max_steps"):
        parts.append(QtCore.QCoreApplication.translate("RunHistory", "max {steps} steps").format(
            steps=config["max_steps"]))
    elif config.get("epochs"):
        parts.append(QtCore.QCoreApplication.translate("RunHistory", "{epochs} epochs").format(
            epochs=f"{float(config['epochs']):g}"))
    if config.get("lora_r"):
        parts.append(QtCore.QCoreApplication.translate("RunHistory", "rank {rank}").format(rank=config["lora_r"]))
    if config.get("seed") is not None:
        parts.append(QtCore.QCoreApplication.translate("RunHistory", "seed {seed}").format(seed=config["seed"]))
    return " · ".join(parts)


class RunHistory(QtWidgets.QWidget):
    """Past runs with checkboxes to compare them; Report, Export and Delete act on the selected run.

    Signals:
        currentRunChanged(int): the selected run (``-1`` for none).
        checkedChanged(list): ids of the ticked runs.
        reportRequested(int), exportRequested(int), deleteRequested(int): a button was
            pressed for the selected run.
    """

    currentRunChanged = Signal(int)
    checkedChanged = Signal(list)
    reportRequested = Signal(int)
    exportRequested = Signal(int)
    deleteRequested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([QtCore.QCoreApplication.translate(_CTX, c) for c in COLUMNS])
        for col, tip in HEADER_TIPS.items():
            self.table.horizontalHeaderItem(col).setToolTip(QtCore.QCoreApplication.translate(_CTX, tip))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        h = self.table.horizontalHeader()
        h.setHighlightSections(False)
        for i in range(len(COLUMNS)):
            h.setSectionResizeMode(i, QtWidgets.QHeaderView.ResizeToContents)
        h.setSectionResizeMode(COL_SETTINGS, QtWidgets.QHeaderView.Stretch)
        self.empty = QtWidgets.QLabel(self.tr("No training runs yet. Press Start to train a model on your finished "
                                              "documents or your chat examples."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setForegroundRole(QtGui.QPalette.PlaceholderText)
        self.report_button = QtWidgets.QPushButton(self.tr("Report…"))
        self.report_button.setToolTip(self.tr("Settings and scores of the selected run at its best step"))
        self.export_button = QtWidgets.QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr(
            "Write the selected chat run's model (its adapter merged into the base model) "
            "as a full model folder (the Chat pane, any Hugging Face tool) or as one GGUF "
            "file (LM Studio, Ollama, llama.cpp)"))
        self.delete_button = QtWidgets.QPushButton(self.tr("Delete…"))
        self.delete_button.setToolTip(self.tr("Delete the selected run, its scores and its model folder"))
        self.hint = QtWidgets.QLabel(self.tr("Tick runs to compare their curves."))
        self.hint.setForegroundRole(QtGui.QPalette.PlaceholderText)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.delete_button)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack, 1)
        lay.addLayout(buttons)
        self.runs: list[RunInfo] = []
        self._busy_run: int | None = None
        self._filling = False
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.report_button.clicked.connect(lambda: self._emit(self.reportRequested))
        self.export_button.clicked.connect(lambda: self._emit(self.exportRequested))
        self.delete_button.clicked.connect(lambda: self._emit(self.deleteRequested))
        self._update_buttons()

    # ---- contents

    def set_runs(self, runs: list[RunInfo], *, keep_checked: bool = True) -> None:
        """Show ``runs`` (newest first), keeping selection and ticks of runs still listed."""
        checked = set(self.checked_ids()) if keep_checked else set()
        current = self.current_run_id()
        self._filling = True
        self.table.setRowCount(len(runs))
        self.runs = list(runs)
        for r, run in enumerate(runs):
            first = QtWidgets.QTableWidgetItem(f"#{run.id}")
            first.setData(Qt.UserRole, run.id)
            first.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable)
            first.setCheckState(Qt.Checked if run.id in checked else Qt.Unchecked)
            cfg = json.dumps(run.config, indent=1) if run.config else ""
            name = self.tr("Run {run}").format(run=run.id)
            first.setToolTip(f"{name}\n{cfg}" if cfg else name)
            status = QtWidgets.QTableWidgetItem("● " + status_text(run.status))
            status.setForeground(QtGui.QColor(STATUS_COLORS.get(run.status, "#7a7f87")))
            if run.can_resume:
                status.setToolTip(self.tr("Stopped before the end; Resume continues from its last checkpoint"))
            kind = QtWidgets.QTableWidgetItem(run.kind_title)
            kind.setToolTip(QtCore.QCoreApplication.translate(_CTX, KIND_TIPS[run.kind]) if run.kind in KIND_TIPS
                            else run.kind or "")
            model = QtWidgets.QTableWidgetItem(run.model_title)
            model.setToolTip(run.base_model or "")
            settings = QtWidgets.QTableWidgetItem(settings_text(run.config))
            settings.setToolTip(cfg)
            best = QtWidgets.QTableWidgetItem(run.metric_text)
            best.setToolTip(self.tr("Lowest loss on the held-out chat examples (lower is better)") if run.is_chat
                            else self.tr("Best micro F1 on the held-out documents (higher is better)"))
            cells = (
                first, kind, QtWidgets.QTableWidgetItem(run.date), model, settings, status,
                best, QtWidgets.QTableWidgetItem(f"{run.steps:,}"),
            )
            for c, item in enumerate(cells):
                if c >= COL_BEST:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        self._filling = False
        self.stack.setCurrentIndex(1 if runs else 0)
        row = self.row_of(current) if current is not None else -1
        if row < 0 and runs:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        self._update_buttons()
        if set(self.checked_ids()) != checked:
            self.checkedChanged.emit(self.checked_ids())

    def row_of(self, run_id: int | None) -> int:
        for r, run in enumerate(self.runs):
            if run.id == run_id:
                return r
        return -1

    def run(self, run_id: int | None) -> RunInfo | None:
        r = self.row_of(run_id)
        return self.runs[r] if r >= 0 else None

    def current_run_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        r = rows[0].row()
        return self.runs[r].id if 0 <= r < len(self.runs) else None

    def select_run(self, run_id: int) -> None:
        r = self.row_of(run_id)
        if r >= 0:
            self.table.selectRow(r)

    def checked_ids(self) -> list[int]:
        out = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.checkState() == Qt.Checked:
                out.append(int(item.data(Qt.UserRole)))
        return out

    def set_checked(self, run_id: int, on: bool = True) -> None:
        r = self.row_of(run_id)
        if r >= 0:
            self.table.item(r, 0).setCheckState(Qt.Checked if on else Qt.Unchecked)

    def set_overlay_colors(self, colors: dict[int, str]) -> None:
        """Show each ticked run's curve colour as a swatch beside its number."""
        self._filling = True
        for r, run in enumerate(self.runs):
            item = self.table.item(r, 0)
            color = colors.get(run.id)
            item.setIcon(swatch_icon(color, 12) if color else QtGui.QIcon())
        self._filling = False

    def set_busy_run(self, run_id: int | None) -> None:
        """The run being trained now: it cannot be deleted."""
        self._busy_run = run_id
        self._update_buttons()

    # ---- internals

    def _emit(self, signal) -> None:
        rid = self.current_run_id()
        if rid is not None:
            signal.emit(rid)

    def _update_buttons(self) -> None:
        rid = self.current_run_id()
        self.report_button.setEnabled(rid is not None)
        self.delete_button.setEnabled(rid is not None and rid != self._busy_run)
        run = self.run(rid)
        self.export_button.setEnabled(run is not None and run.is_chat and run.best_dir is not None
                                      and rid != self._busy_run)

    def _on_item_changed(self, item: QtWidgets.QTableWidgetItem) -> None:
        if not self._filling and item.column() == 0:
            self.checkedChanged.emit(self.checked_ids())

    def _on_selection(self) -> None:
        self._update_buttons()
        if not self._filling:
            rid = self.current_run_id()
            self.currentRunChanged.emit(-1 if rid is None else rid)


class RunReportDialog(QtWidgets.QDialog):
    """A run's settings, outcome and scores at its best step: the per-label table of a
    tagger run, or the dev-loss evaluations of a chat run (``data`` gives those)."""

    def __init__(self, run: RunInfo, best: Evaluation | None, label_colors: dict[str, str], parent=None,
                 data: RunData | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Run {run} — report").format(run=run.id))
        self.resize(600, 640)
        head = QtWidgets.QLabel()
        head.setTextFormat(Qt.RichText)
        head.setWordWrap(True)
        best_text = self.tr("no evaluation yet")
        if best is not None:
            fields = dict(step=f"{best.step:,}", epoch=f"{best.epoch:.2f}")
            if run.is_chat and best.loss is not None:
                fields.update(loss=fmt(best.loss), perplexity=fmt_perplexity(best.perplexity))
                best_text = (self.tr("best dev loss <b>{loss}</b> (perplexity {perplexity}) at step {step} "
                                     "(epoch {epoch}) · lower is better") if best.epoch else
                             self.tr("best dev loss <b>{loss}</b> (perplexity {perplexity}) at step {step} "
                                     "· lower is better")).format(**fields)
            elif not run.is_chat and best.f1 is not None:
                best_text = (self.tr("best micro F1 <b>{f1}</b> at step {step} (epoch {epoch})") if best.epoch else
                             self.tr("best micro F1 <b>{f1}</b> at step {step}")).format(f1=fmt(best.f1), **fields)
        head.setText(self.tr("<b>Run {run}</b> · {kind} · {status} · started {date}<br>{best} · {steps} steps").format(
            run=run.id, kind=run.kind_title, status=status_text(run.status) if run.status else run.status,
            date=run.date, best=best_text, steps=f"{run.steps:,}"))
        rows = {"base model": run.base_model or "default", **{k: v for k, v in run.config.items() if k != "base_model"}}
        forms = [QtWidgets.QFormLayout(), QtWidgets.QFormLayout()]  # two columns: the table keeps its room
        half = (len(rows) + 1) // 2
        for i, (k, v) in enumerate(rows.items()):
            text = "auto" if v is None else str(v)
            value = QtWidgets.QLabel(QtCore.QCoreApplication.translate("RunReportDialog", text)
                                     if text in REPORT_VALUES else text)
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            value.setWordWrap(True)
            name = k.replace("_", " ")
            if name in REPORT_KEYS:
                name = QtCore.QCoreApplication.translate("RunReportDialog", name)
            forms[i >= half].addRow(self.tr("{setting}:").format(setting=name), value)
        grid = QtWidgets.QGridLayout()
        for c, form in enumerate(forms):
            form.setLabelAlignment(Qt.AlignRight)
            grid.addLayout(form, 0, c)
        if run.output_dir:
            where = run.best_dir or run.output_dir
            folder = QtWidgets.QLabel((self.tr("adapter folder: {folder}") if run.is_chat else
                                       self.tr("model folder: {folder}")).format(folder=where))
            folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
            folder.setWordWrap(True)
            grid.addWidget(folder, 1, 0, 1, 2)
        settings_box = QtWidgets.QGroupBox(self.tr("Settings"))
        settings_box.setLayout(grid)
        self.evaluations = data.loss_evaluations() if (run.is_chat and data is not None) else []
        if run.is_chat:
            self.table = ChatEvalTable()
            self.table.set_evaluations(self.evaluations, best)
            table_box = QtWidgets.QGroupBox(self.tr("Evaluations on the held-out chat examples"))
        else:
            self.table = LabelMetricsTable()
            self.table.set_label_colors(label_colors)
            self.table.set_evaluation(best)
            table_box = QtWidgets.QGroupBox(self.tr("Per label at the best step"))
        tl = QtWidgets.QVBoxLayout(table_box)
        tl.addWidget(self.table)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        copy = buttons.addButton(self.tr("Copy as text"), QtWidgets.QDialogButtonBox.ActionRole)
        copy.clicked.connect(self.copy_text)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(settings_box)
        lay.addWidget(table_box, 1)
        lay.addWidget(buttons)
        self.head = head
        self.run = run
        self.best = best

    def as_text(self) -> str:
        """The report as plain text (tab-separated table)."""
        status = self.run.status
        if status in STATUS_TEXT:  # the stored status word, or its translation where there is one
            shown = QtCore.QCoreApplication.translate(_CTX, STATUS_TEXT[status])
            status = status if shown == STATUS_TEXT[status] else shown
        lines = [self.tr("Run {run} ({kind}, {status}), started {date}").format(
            run=self.run.id, kind=self.run.kind_title, status=status, date=self.run.date)]
        lines += [f"{k}: {v}" for k, v in {"base_model": self.run.base_model, **self.run.config}.items()]
        if self.run.is_chat:
            if self.best is not None and self.best.loss is not None:
                lines.append(self.tr("best step {step}, dev loss {loss} (lower is better)").format(
                    step=self.best.step, loss=fmt(self.best.loss)))
            if self.evaluations:
                lines.append("\t".join((self.tr("step"), self.tr("epoch"), self.tr("dev loss"), self.tr("perplexity"))))
                for ev in self.evaluations:
                    lines.append(f"{ev.step}\t{ev.epoch:.2f}\t{fmt(ev.loss)}\t{fmt_perplexity(ev.perplexity)}")
        elif self.best is not None:
            lines.append(self.tr("best step {step}, micro F1 {f1}").format(step=self.best.step, f1=fmt(self.best.f1)))
            lines.append("\t".join((self.tr("label"), self.tr("precision"), self.tr("recall"), "f1",
                                    self.tr("support"))))
            for name, p, r, f, s in self.best.rows():
                lines.append(f"{name}\t{fmt(p)}\t{fmt(r)}\t{fmt(f)}\t{fmt(s, 0)}")
        return "\n".join(lines)

    def copy_text(self) -> None:
        QtWidgets.QApplication.clipboard().setText(self.as_text())
