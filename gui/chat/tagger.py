"""The pane's "Tag entities" mode: run a trained tagger on typed text.

A drop-down of the project's tagger runs (their best model) over the training
panel's Try-it box (:class:`gui.training.try_it.TryItBox`), which tags as you type
and colours the entities like the editor.
"""
from __future__ import annotations

from gui.chat.models import tagger_runs
from gui.qt import QtWidgets, Signal
from gui.training.try_it import TryItBox


class TaggerPage(QtWidgets.QWidget):
    """Choose a tagger run and try it. ``project`` returns the pane's open project.

    Signals: ``tagged(list)`` re-emits the Try-it box's spans.
    """

    tagged = Signal(list)

    def __init__(self, project, parent=None):
        super().__init__(parent)
        self._project = project
        self.run_picker = QtWidgets.QComboBox()
        self.run_picker.setToolTip(self.tr("Which trained tagger marks the entities (the best model of a training run)"))
        self.run_picker.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.run_picker.setMinimumContentsLength(10)
        self.try_it = TryItBox()
        self.try_it.input.setPlaceholderText(self.tr("Type or paste text to see which entities the tagger finds…"))
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QtWidgets.QLabel(self.tr("Tagger")))
        top.addWidget(self.run_picker, 1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.try_it, 1)
        self.run_picker.currentIndexChanged.connect(self._on_run)
        self.try_it.tagged.connect(self.tagged)

    def refresh(self) -> None:
        """Re-read the tagger runs and the label colours; keep the chosen run when it is still there."""
        project = self._project()
        current = self.run_picker.currentData()
        self.run_picker.blockSignals(True)
        self.run_picker.clear()
        for run in tagger_runs(project):
            f1 = f" · F1 {run.best_metric:.3f}" if run.best_metric is not None else ""
            title = self.tr("Run {id} · {date}").format(id=run.id, date=run.date)
            self.run_picker.addItem(f"{title}{f1}", (run.id, str(run.best_dir)))
        if self.run_picker.count() == 0:
            self.run_picker.addItem(self.tr("No trained tagger yet (Model ▸ Training panel)"), None)
        idx = self.run_picker.findData(current) if current is not None else 0
        self.run_picker.setCurrentIndex(max(idx, 0))
        self.run_picker.blockSignals(False)
        self.try_it.set_label_colors({l.name: l.color for l in project.labels()})
        self._on_run()

    def _on_run(self, *_):
        data = self.run_picker.currentData()
        if data is None:
            self.try_it.set_model(None, None)
        else:
            self.try_it.set_model(*data)

    def wait(self, ms: int = 30_000) -> None:
        self.try_it.wait(ms)
