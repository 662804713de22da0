"""A drop-down of chat models: the default model, the project's fine-tuning runs, chosen folders.

The list is re-read each time it opens, so a run that finished meanwhile appears.
"Choose folder…" asks for a model folder (any Hugging Face chat model saved as
safetensors, or a merged export) and adds it.
"""
from __future__ import annotations

from typing import Callable

from gui.chat.models import DEFAULT_CHOICE, ModelChoice, folder_choice, shown_title
from gui.qt import QtCore, QtWidgets, Qt, Signal

CHOOSE_TEXT = QtCore.QT_TRANSLATE_NOOP("ModelPicker", "Choose folder…")

TIP = QtCore.QT_TRANSLATE_NOOP(
    "ModelPicker",
    "Which model answers.\n"
    "The default chat model is small and quick. Runs you fine-tuned on this project's chat examples "
    "appear here when they finish. Choose folder… loads another chat model saved on this computer."
)


class ModelPicker(QtWidgets.QComboBox):
    """Pick a :class:`ModelChoice`. ``runs`` returns the run choices to list (called on every refresh).

    Signals: ``choiceChanged(object ModelChoice)``.
    """

    choiceChanged = Signal(object)

    def __init__(self, runs: Callable[[], list[ModelChoice]] = lambda: [], parent=None):
        super().__init__(parent)
        self.setToolTip(QtCore.QCoreApplication.translate("ModelPicker", TIP))
        self.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.runs = runs
        self.folders: list[ModelChoice] = []
        self._current: ModelChoice = DEFAULT_CHOICE
        self._filling = False
        self.activated.connect(self._on_activated)
        self.refresh()

    def choices(self) -> list[ModelChoice]:
        """Everything listed, in order (the default model first)."""
        return [DEFAULT_CHOICE, *self.runs(), *self.folders]

    def refresh(self) -> None:
        """Re-read the runs; keep the current choice (the default model if it is gone)."""
        self._filling = True
        try:
            self.clear()
            for c in self.choices():
                title = shown_title(c)
                self.addItem(title, c)
                self.setItemData(self.count() - 1, title, Qt.ToolTipRole)  # the full title
            self.insertSeparator(self.count())
            self.addItem(QtCore.QCoreApplication.translate("ModelPicker", CHOOSE_TEXT), None)
            idx = self._index_of(self._current)
            if idx < 0:
                self._current = DEFAULT_CHOICE
                idx = 0
            self.setCurrentIndex(idx)
        finally:
            self._filling = False

    def _index_of(self, choice: ModelChoice) -> int:
        for i in range(self.count()):
            c = self.itemData(i)
            if isinstance(c, ModelChoice) and c.key == choice.key:
                return i
        return -1

    def showPopup(self) -> None:
        self.refresh()
        super().showPopup()

    def current_choice(self) -> ModelChoice:
        return self._current

    def set_choice(self, choice: ModelChoice) -> None:
        """Select ``choice`` (added to the folders when it is not listed)."""
        if self._index_of(choice) < 0:
            self.folders.append(choice)
            self.refresh()
        self.setCurrentIndex(self._index_of(choice))
        self._set_current(choice)

    def ask_folder(self) -> str:
        """Ask for a model folder; return it ("" when cancelled). Tests replace this."""
        return QtWidgets.QFileDialog.getExistingDirectory(self, self.tr("Choose a chat model folder"))

    def choose_folder(self) -> ModelChoice | None:
        """Ask for a folder and select it; return the new choice (``None`` when cancelled)."""
        folder = self.ask_folder()
        if not folder:
            self.setCurrentIndex(max(0, self._index_of(self._current)))
            return None
        choice = folder_choice(folder)
        self.set_choice(choice)
        return choice

    def _on_activated(self, index: int) -> None:
        if self._filling:
            return
        c = self.itemData(index)
        if c is None:
            self.choose_folder()
        elif isinstance(c, ModelChoice):
            self._set_current(c)

    def _set_current(self, choice: ModelChoice) -> None:
        changed = choice != self._current
        self._current = choice
        if changed:
            self.choiceChanged.emit(choice)
