"""The Compare switch: answer each message with a second model, side by side.

The second model answers after the first (one at a time, so the two do not share
the CPU and their speeds stay comparable). It sees the same conversation: the
turns before, with the first model's replies.
"""
from __future__ import annotations

from typing import Callable

from gui.chat.models import DEFAULT_CHOICE, ModelChoice
from gui.chat.picker import ModelPicker
from gui.qt import QtCore, QtWidgets, Signal

TIP = QtCore.QT_TRANSLATE_NOOP(
    "CompareBar",
    "Answer each message with two models side by side, for example the default model and "
    "one you fine-tuned, to see what training changed. They answer one after the other."
)


class CompareBar(QtWidgets.QWidget):
    """A checkbox and, when it is on, the second model's picker.

    Signals: ``toggled(bool)``, ``choiceChanged(object ModelChoice)``.
    """

    toggled = Signal(bool)
    choiceChanged = Signal(object)

    def __init__(self, runs: Callable[[], list[ModelChoice]], parent=None):
        super().__init__(parent)
        self.check = QtWidgets.QCheckBox(self.tr("Compare"))
        self.check.setToolTip(QtCore.QCoreApplication.translate("CompareBar", TIP))
        self.picker = ModelPicker(runs)
        self.picker.setToolTip(self.tr("The second model (B), answering after the first (A)"))
        self.row = QtWidgets.QWidget()
        rl = QtWidgets.QHBoxLayout(self.row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.with_label = QtWidgets.QLabel(self.tr("Model B"))
        self.with_label.setToolTip(self.picker.toolTip())
        rl.addWidget(self.with_label)
        rl.addWidget(self.picker, 1)
        self.row.setVisible(False)
        self.check.toggled.connect(self._on_toggled)
        self.picker.choiceChanged.connect(self.choiceChanged)

    def is_on(self) -> bool:
        return self.check.isChecked()

    def set_on(self, on: bool) -> None:
        self.check.setChecked(on)

    def choice(self) -> ModelChoice:
        return self.picker.current_choice()

    def _on_toggled(self, on: bool) -> None:
        self.row.setVisible(on)
        if on:
            self.picker.refresh()
            if self.picker.current_choice() == DEFAULT_CHOICE:
                runs = self.picker.runs()
                if runs:  # the newest fine-tuned run is what one wants to compare with
                    self.picker.set_choice(runs[0])
        self.toggled.emit(on)
