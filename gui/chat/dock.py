"""The chat pane's dock and its menu action, for the main window.

:func:`add_chat_dock` is all the main window calls: it adds a hidden dock (built
the first time it is shown, so opening a project stays quick) and a checkable
"Chat pane" action (Ctrl+Shift+C) to the given menus. Qt remembers the dock's
place with the window state, like the training dock.
"""
from __future__ import annotations

from pathlib import Path

from gui.chat.models import ModelChoice
from gui.chat.pane import ChatPane
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

SHORTCUT = "Ctrl+Shift+C"
WIDTH = 520


class ChatDock(QtWidgets.QDockWidget):
    """A dock (objectName ``chat_dock``) that builds its :class:`ChatPane` when first shown."""

    #: A reply was saved as a chat example (argument: the new example's id).
    exampleSaved = Signal(int)

    def __init__(self, project_path: str | Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chat"))
        self.setObjectName("chat_dock")
        self.setAllowedAreas(Qt.AllDockWidgetAreas)
        self.project_path = Path(project_path)
        self._pane: ChatPane | None = None
        placeholder = QtWidgets.QLabel(self.tr("Loading the chat pane…"))
        placeholder.setAlignment(Qt.AlignCenter)
        self.setWidget(placeholder)
        self.visibilityChanged.connect(self._on_visible)

    def _on_visible(self, visible: bool) -> None:
        if visible and self._pane is None:
            self.pane()
            win = self.parent()
            if isinstance(win, QtWidgets.QMainWindow) and not self.isFloating() and self.width() < WIDTH - 80:
                area = win.dockWidgetArea(self)
                horizontal = area in (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea)
                if horizontal:
                    win.resizeDocks([self], [WIDTH], Qt.Horizontal)

    def pane(self) -> ChatPane:
        """The chat pane (built now if it was not yet)."""
        if self._pane is None:
            pane = ChatPane(self.project_path)  # no parent yet: building it must not re-enter here
            pane.setObjectName("chat_pane")
            pane.exampleSaved.connect(self.exampleSaved)
            self._pane = pane
            self.setWidget(pane)
        return self._pane

    def open_run(self, run_id: int, base_model: str, adapter: str) -> None:
        """Show the pane answering with chat run ``run_id``'s adapter (the training panel's
        "Open in Chat pane")."""
        self.show()
        self.raise_()
        pane = self.pane()
        match = [c for c in pane.picker.choices() if c.key == (base_model or "default", str(adapter))]
        name = self.tr("Fine-tuned run {id}").format(id=run_id)
        pane.use_model(match[0] if match else ModelChoice(name, name, base_model or "default", str(adapter), run_id))
        pane.composer.focus()

    def has_pane(self) -> bool:
        return self._pane is not None

    def shutdown(self) -> None:
        """Stop a reply being written and wait briefly (the window is closing or switching project)."""
        if self._pane is not None:
            self._pane.shutdown()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._pane is not None:
            self._pane.stop()  # closing the pane stops a reply; what it wrote so far is kept
        super().closeEvent(event)


def make_chat_dock(project_path: str | Path, parent: QtWidgets.QWidget | None = None) -> ChatDock:
    """Return the chat dock (objectName ``chat_dock``); its pane is built when first shown."""
    return ChatDock(project_path, parent)


def add_chat_dock(window: QtWidgets.QMainWindow, project_path: str | Path, menus) -> ChatDock:
    """Add a hidden chat dock on the right of ``window`` and a "Chat pane" toggle (Ctrl+Shift+C)
    to each of ``menus``; return the dock."""
    dock = make_chat_dock(project_path, window)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.hide()
    toggle = dock.toggleViewAction()
    toggle.setText(QtCore.QCoreApplication.translate("ChatDock", "&Chat pane"))
    toggle.setShortcut(QtGui.QKeySequence(SHORTCUT))
    toggle.setStatusTip(QtCore.QCoreApplication.translate(
        "ChatDock", "Talk to the chat model or one you fine-tuned, compare two, or tag text with a tagger"))
    for menu in menus:
        menu.addAction(toggle)
    return dock
