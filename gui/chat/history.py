"""The row of past chats: a drop-down (newest first), New chat and Delete.

Chats are rows of the project's ``conversations`` table (``engine.chat.conversations``);
this widget only lists them and asks — the pane loads, saves and deletes.
"""
from __future__ import annotations

from gui.qt import QtCore, QtWidgets, Qt, Signal
from gui.training.runs import local_time

NEW_TITLE = QtCore.QT_TRANSLATE_NOOP("ConversationBar", "New chat")


class ConversationBar(QtWidgets.QWidget):
    """Signals: ``chosen(int id)`` (-1: the unsaved new chat), ``newRequested()``, ``deleteRequested(int id)``."""

    chosen = Signal(int)
    newRequested = Signal()
    deleteRequested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.combo = QtWidgets.QComboBox()
        self.combo.setToolTip(self.tr("Your chats in this project, newest first. Every message is saved as it is sent."))
        self.combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.new_button = QtWidgets.QPushButton(self.tr("New chat"))
        self.new_button.setToolTip(self.tr("Start an empty chat (this one stays in the list)"))
        self.new_button.setAutoDefault(False)
        self.delete_button = QtWidgets.QPushButton(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Delete this chat from the project"))
        self.delete_button.setAutoDefault(False)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.combo, 1)
        lay.addWidget(self.new_button)
        lay.addWidget(self.delete_button)
        self.combo.activated.connect(lambda i: self.chosen.emit(self.combo.itemData(i)))
        self.new_button.clicked.connect(self.newRequested)
        self.delete_button.clicked.connect(lambda: self.deleteRequested.emit(self.current_id()))

    def set_conversations(self, rows: list[tuple[int, str, str]], current: int | None) -> None:
        """List ``(id, title, updated)`` rows (newest first) and select ``current`` (``None``: a new chat)."""
        self.combo.blockSignals(True)
        self.combo.clear()
        if current is None:
            self.combo.addItem(QtCore.QCoreApplication.translate("ConversationBar", NEW_TITLE), -1)
        for cid, title, updated in rows:
            self.combo.addItem(f"{title}  ·  {local_time(updated)}", cid)
            self.combo.setItemData(self.combo.count() - 1, title, Qt.ToolTipRole)
        self.combo.setCurrentIndex(max(0, self.combo.findData(-1 if current is None else current)))
        self.combo.blockSignals(False)
        self.delete_button.setEnabled(current is not None)

    def current_id(self) -> int:
        data = self.combo.currentData()
        return -1 if data is None else int(data)

    def ids(self) -> list[int]:
        return [int(self.combo.itemData(i)) for i in range(self.combo.count())]

    def set_busy(self, busy: bool) -> None:
        """No switching chats while a reply is written."""
        self.combo.setEnabled(not busy)
        self.new_button.setEnabled(not busy)
        self.delete_button.setEnabled(not busy and self.current_id() >= 0)
