"""The box the user types a message in, with Send and Stop.

Enter sends, Shift+Enter starts a new line. While a reply is written Send turns
into Stop (the reply written so far is kept). The box grows with its text up to a
few lines.
"""
from __future__ import annotations

from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

MAX_LINES = 8


class MessageEdit(QtWidgets.QPlainTextEdit):
    """A text box where Enter submits and Shift+Enter inserts a line break.

    Signals: ``submitted()``; ``escaped()`` (Esc, when ``escape_cancels``).
    """

    submitted = Signal()
    escaped = Signal()

    def __init__(self, parent=None, *, escape_cancels: bool = False):
        super().__init__(parent)
        self.escape_cancels = escape_cancels  # Esc emits ``escaped`` (an inline editor's Cancel)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._fit)
        self._fit()

    def event(self, event: QtCore.QEvent) -> bool:
        if (self.escape_cancels and event.type() == QtCore.QEvent.ShortcutOverride
                and event.key() == Qt.Key_Escape):
            event.accept()  # Esc is ours here, not the pane's Stop shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() == Qt.Key_Escape and self.escape_cancels:
            self.escaped.emit()
            return
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not (event.modifiers() & Qt.ShiftModifier):
            if event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
                event.ignore()  # leave Ctrl+Enter etc. to the window's shortcuts
                return
            self.submitted.emit()
            return
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):  # Shift+Enter: a plain new line
            self.textCursor().insertText("\n")
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        QtCore.QTimer.singleShot(0, self, self._fit)  # wrapping changed with the width

    def _fit(self) -> None:
        fm = self.fontMetrics()
        # a plain-text document measures its height in lines (wrapped lines included)
        lines = min(MAX_LINES, max(2, int(self.document().size().height())))
        m = self.contentsMargins()
        self.setFixedHeight(int(fm.lineSpacing() * lines + self.document().documentMargin() * 2 + m.top() + m.bottom() + 2))


class Composer(QtWidgets.QWidget):
    """Message box, Send/Stop button and a hint line.

    Signals: ``sendRequested(str text)`` (the box is cleared), ``stopRequested()``.
    """

    sendRequested = Signal(str)
    stopRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = MessageEdit()
        self.edit.setPlaceholderText(self.tr("Message the model…"))
        self.edit.setToolTip(self.tr("Enter sends · Shift+Enter starts a new line"))
        self.send_button = QtWidgets.QPushButton(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send the message (Enter)"))
        self.send_button.setAutoDefault(False)
        self.stop_button = QtWidgets.QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the reply now; what was written so far is kept"))
        self.stop_button.setAutoDefault(False)
        self.stop_button.setVisible(False)
        self.hint = QtWidgets.QLabel(self.tr("Enter to send · Shift+Enter for a new line"))
        self.hint.setForegroundRole(QtGui.QPalette.PlaceholderText)
        f = self.hint.font()
        if f.pointSizeF() > 0:
            f.setPointSizeF(max(7.0, f.pointSizeF() * 0.88))
        self.hint.setFont(f)
        buttons = QtWidgets.QVBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.edit, 1)
        row.addLayout(buttons)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        lay.addWidget(self.hint)
        self._busy = False
        self.edit.submitted.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stopRequested)
        self.edit.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    def send(self) -> None:
        """Emit ``sendRequested`` with the typed text and clear the box (nothing when empty or busy)."""
        text = self.text()
        if self._busy or not text.strip():
            return
        self.edit.clear()
        self.sendRequested.emit(text)

    def set_busy(self, busy: bool) -> None:
        """While a reply is written: Stop instead of Send (typing the next message stays possible)."""
        self._busy = busy
        self.send_button.setVisible(not busy)
        self.stop_button.setVisible(busy)
        self.stop_button.setEnabled(busy)
        self._update()

    def set_stopping(self) -> None:
        self.stop_button.setEnabled(False)
        self.stop_button.setText(self.tr("Stopping…"))

    def _update(self) -> None:
        self.send_button.setEnabled(not self._busy and bool(self.text().strip()))
        if not self._busy:
            self.stop_button.setText(self.tr("Stop"))

    def focus(self) -> None:
        self.edit.setFocus()
