"""The conversation as a column of bubbles: the user's on the right, replies on the left.

:class:`Bubble` shows one message (Markdown for replies, plain text for what the
user typed), a footer (model, time to first token, speed) and small action buttons
(Copy, Edit, Regenerate, Save as example). :class:`MessageList` lays them out in a
scroll area that follows a streaming reply while the user is at the bottom. Both
only display and emit signals: the pane owns the conversation.
"""
from __future__ import annotations

import html

from gui.chat.composer import MessageEdit
from gui.chat.render import FOOTER_TIP, bubble_colors, footer_html, markdown_html, muted_color, plain_html
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

RADIUS = 10
PAD = 10


def _small(font: QtGui.QFont, scale: float = 0.9) -> QtGui.QFont:
    f = QtGui.QFont(font)
    if f.pointSizeF() > 0:
        f.setPointSizeF(max(7.0, f.pointSizeF() * scale))
    return f


class Bubble(QtWidgets.QFrame):
    """One message. ``role`` is ``user``, ``assistant``, ``error`` or ``info``.

    ``index`` is the message's position in the conversation and ``side`` 0 (main
    reply) or 1 (the compare reply next to it). Signals: ``copyRequested(str)``,
    ``editSubmitted(int index, str text)``, ``regenerateRequested()``,
    ``saveRequested(int index, int side)``.
    """

    copyRequested = Signal(str)
    editSubmitted = Signal(int, str)
    regenerateRequested = Signal()
    saveRequested = Signal(int, int)

    def __init__(self, role: str, text: str = "", *, index: int = -1, side: int = 0, title: str = "",
                 details: dict | None = None, parent=None):
        super().__init__(parent)
        self.role, self.index, self.side = role, index, side
        self._text = text
        self.details: dict = dict(details or {})
        self.setObjectName(f"bubble_{role}")
        self.header = QtWidgets.QLabel(title)
        self.header.setVisible(bool(title))
        hf = _small(self.font(), 0.92)
        hf.setBold(True)
        self.header.setFont(hf)
        self.body = QtWidgets.QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.RichText)
        self.body.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.body.setOpenExternalLinks(False)
        self.body.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Preferred)
        self.body.setMinimumWidth(60)
        self.footer = QtWidgets.QLabel()
        self.footer.setTextFormat(Qt.RichText)
        self.footer.setFont(_small(self.font()))
        self.footer.setToolTip(QtCore.QCoreApplication.translate("ChatRender", FOOTER_TIP))
        self.footer.setWordWrap(True)
        self.footer.setVisible(False)

        self.actions = QtWidgets.QHBoxLayout()
        self.actions.setContentsMargins(0, 0, 0, 0)
        self.actions.setSpacing(2)
        self.buttons: dict[str, QtWidgets.QToolButton] = {}
        if role in ("user", "assistant"):
            self._button("copy", self.tr("Copy"), self.tr("Copy this message to the clipboard"),
                         lambda: self.copyRequested.emit(self.text()))
        if role == "user":
            self._button("edit", self.tr("Edit"),
                         self.tr("Change this message and send it again (the replies after it are dropped)"),
                         self.start_edit)
        if role == "assistant":
            self._button("save", self.tr("Save as example…"),
                         self.tr("Correct this reply into the answer you wanted and keep the conversation as a "
                                 "training example for fine-tuning"), lambda: self.saveRequested.emit(self.index, self.side))
            self._button("regenerate", self.tr("Regenerate"), self.tr("Write this reply again (with the current settings)"),
                         self.regenerateRequested.emit)
            self.buttons["regenerate"].setVisible(False)

        if role == "user":
            self.actions.insertStretch(0, 1)
        else:
            self.actions.addStretch(1)

        # inline editor of a user message
        self.editor = MessageEdit(escape_cancels=True)
        self.editor.setVisible(False)
        self.editor.setToolTip(self.tr("Enter sends the changed message · Shift+Enter starts a new line · Esc cancels"))
        self.editor.submitted.connect(self._submit_edit)
        self.editor.escaped.connect(self.cancel_edit)
        self.resend_button = QtWidgets.QPushButton(self.tr("Send again"))
        self.resend_button.setToolTip(self.tr("Send the changed message; the conversation after it is replaced"))
        self.cancel_edit_button = QtWidgets.QPushButton(self.tr("Cancel"))
        edit_row = QtWidgets.QHBoxLayout()
        edit_row.addStretch(1)
        edit_row.addWidget(self.cancel_edit_button)
        edit_row.addWidget(self.resend_button)
        self.edit_buttons = QtWidgets.QWidget()
        self.edit_buttons.setLayout(edit_row)
        edit_row.setContentsMargins(0, 0, 0, 0)
        self.edit_buttons.setVisible(False)
        self.resend_button.clicked.connect(self._submit_edit)
        self.cancel_edit_button.clicked.connect(self.cancel_edit)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(PAD + 2, PAD - 2, PAD + 2, PAD - 4)
        lay.setSpacing(4)
        lay.addWidget(self.header)
        lay.addWidget(self.body)
        lay.addWidget(self.editor)
        lay.addWidget(self.edit_buttons)
        lay.addWidget(self.footer)
        lay.addLayout(self.actions)
        self._apply_colors()
        self._render()
        self.set_details(self.details)

    def _button(self, name: str, text: str, tip: str, slot) -> None:
        b = QtWidgets.QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        b.setFont(_small(self.font()))
        b.setCursor(Qt.PointingHandCursor)
        b.clicked.connect(slot)
        self.actions.addWidget(b)
        self.buttons[name] = b

    # ---- content

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text
        self._render()

    def append(self, piece: str) -> None:
        """Add streamed text at the end."""
        self._text += piece
        self._render()

    def set_title(self, title: str) -> None:
        self.header.setText(title)
        self.header.setVisible(bool(title))

    def set_details(self, details: dict) -> None:
        """Show the reply's footer from its details (model, ttft_ms, tokens_per_s, tokens, stopped)."""
        self.details = dict(details)
        self._set_footer(footer_html(self.details) if self.role == "assistant" else "")

    def set_status(self, text: str) -> None:
        """Show ``text`` in the footer (a live status such as 'Loading…', or the reply's figures)."""
        self._set_footer(html.escape(text))

    def _set_footer(self, rich: str) -> None:
        self.footer.setText(rich)
        self.footer.setVisible(bool(rich))

    def set_live(self, live: bool) -> None:
        """While a reply streams its buttons are hidden."""
        for b in self.buttons.values():
            b.setEnabled(not live)
        for name in ("copy", "save"):
            if name in self.buttons:
                self.buttons[name].setVisible(not live)

    def set_actions_enabled(self, on: bool) -> None:
        for name in ("edit", "regenerate", "save"):
            if name in self.buttons:
                self.buttons[name].setEnabled(on)

    def _render(self) -> None:
        if self.role == "assistant":
            shown = self._text if self._text.strip() else ""
            self.body.setText(markdown_html(shown, self.font()) if shown else "")
            self.body.setVisible(bool(shown))
        else:
            self.body.setText(plain_html(self._text))

    # ---- editing a user message

    def start_edit(self) -> None:
        self.editor.setPlainText(self._text)
        self._refit()
        self._show_actions(False)
        self.body.setVisible(False)
        self.editor.setVisible(True)
        self.edit_buttons.setVisible(True)
        self.resend_button.setEnabled(self.buttons["edit"].isEnabled())
        self.editor.setFocus()
        self.updateGeometry()

    def cancel_edit(self) -> None:
        self.editor.setVisible(False)
        self.edit_buttons.setVisible(False)
        self.body.setVisible(True)
        self._show_actions(True)
        self._refit()

    def _show_actions(self, on: bool) -> None:
        for name, b in self.buttons.items():
            if name != "regenerate":
                b.setVisible(on)

    def editing(self) -> bool:
        return not self.editor.isHidden()

    def _refit(self) -> None:
        row = self.parentWidget()
        if isinstance(row, _Row):
            QtCore.QTimer.singleShot(0, row, row.fit)

    def _submit_edit(self) -> None:
        text = self.editor.toPlainText()
        if not text.strip():
            return
        self.cancel_edit()
        self.editSubmitted.emit(self.index, text)

    # ---- painting

    def _apply_colors(self) -> None:
        bg, fg = bubble_colors(self.palette(), self.role)
        self._bg = bg
        pal = self.palette()
        for role in (QtGui.QPalette.WindowText, QtGui.QPalette.Text):
            pal.setColor(role, fg)
        muted = muted_color(self.palette(), bg)
        self.body.setPalette(pal)
        self.header.setPalette(pal)
        fpal = self.footer.palette()
        fpal.setColor(QtGui.QPalette.WindowText, muted)
        self.footer.setPalette(fpal)
        for b in self.buttons.values():
            bp = b.palette()
            bp.setColor(QtGui.QPalette.ButtonText, muted)
            b.setPalette(bp)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() in (QtCore.QEvent.PaletteChange, QtCore.QEvent.ApplicationPaletteChange):
            self._apply_colors()
            self._render()
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.Antialiasing)
        p.setPen(Qt.NoPen)
        p.setBrush(self._bg)
        p.drawRoundedRect(QtCore.QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
        p.end()

    def natural_width(self) -> int:
        """Width the text needs on one line per paragraph (user bubbles hug short messages)."""
        if self.editing():
            return 1 << 20  # the editor takes the whole row
        fm = self.body.fontMetrics()
        lines = self._text.splitlines() or [""]
        w = max(fm.horizontalAdvance(line) for line in lines)
        m = self.layout().contentsMargins()
        return max(w + 8, self.actions.sizeHint().width()) + m.left() + m.right()

    def sizeHint(self) -> QtCore.QSize:
        s = super().sizeHint()
        if self.role == "user":  # hug short messages instead of QLabel's guess at a wrapped width
            s.setWidth(min(self.natural_width(), self.maximumWidth()))
        return s


class _Row(QtWidgets.QWidget):
    """A bubble aligned left (replies) or right (the user's), with room on the other side."""

    def __init__(self, bubbles: list[Bubble], right: bool, parent=None):
        super().__init__(parent)
        self.bubbles = bubbles
        self.right = right
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        if right:
            lay.addSpacing(48)
            lay.addStretch(1)
            lay.addWidget(bubbles[0], 0)
        else:
            for b in bubbles:
                lay.addWidget(b, 1, Qt.AlignTop)
            if len(bubbles) == 1:
                lay.addSpacing(24)

    def fit(self, width: int | None = None) -> None:
        """Let a right-aligned bubble hug its text, up to the row's width."""
        if self.right:
            b = self.bubbles[0]
            b.setMaximumWidth(max(120, min(b.natural_width(), (width or self.width()) - 48)))
            b.updateGeometry()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self.fit(event.size().width())
        super().resizeEvent(event)


class MessageList(QtWidgets.QScrollArea):
    """The bubbles of one conversation, oldest at the top.

    Signals re-emit the bubbles': ``copyRequested(str)``, ``editSubmitted(int, str)``,
    ``regenerateRequested()``, ``saveRequested(int index, int side)``.
    """

    copyRequested = Signal(str)
    editSubmitted = Signal(int, str)
    regenerateRequested = Signal()
    saveRequested = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.setBackgroundRole(QtGui.QPalette.Base)
        self.inner = QtWidgets.QWidget()
        self.inner.setBackgroundRole(QtGui.QPalette.Base)
        self.column = QtWidgets.QVBoxLayout(self.inner)
        self.column.setContentsMargins(12, 12, 12, 12)
        self.column.setSpacing(10)
        self.column.addStretch(1)
        self.setWidget(self.inner)
        self.empty = QtWidgets.QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setForegroundRole(QtGui.QPalette.PlaceholderText)
        self.empty.setTextFormat(Qt.RichText)
        self.column.insertWidget(0, self.empty)
        self.rows: list[_Row] = []
        self._stick = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range)

    def set_empty_text(self, html: str) -> None:
        self.empty.setText(html)

    # ---- building

    def clear(self) -> None:
        for row in self.rows:
            self.column.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []
        self.empty.setVisible(True)
        self._stick = True

    def _connect(self, b: Bubble) -> Bubble:
        b.copyRequested.connect(self.copyRequested)
        b.editSubmitted.connect(self.editSubmitted)
        b.regenerateRequested.connect(self.regenerateRequested)
        b.saveRequested.connect(self.saveRequested)
        return b

    def _add_row(self, bubbles: list[Bubble], right: bool) -> _Row:
        row = _Row(bubbles, right)
        self.column.insertWidget(self.column.count() - 1, row)
        self.rows.append(row)
        self.empty.setVisible(False)
        return row

    def add_user(self, index: int, text: str) -> Bubble:
        b = self._connect(Bubble("user", text, index=index))
        self._add_row([b], right=True)
        return b

    def add_reply(self, index: int, text: str = "", details: dict | None = None, *,
                  compare: dict | None = None, titles: tuple[str, str] | None = None) -> list[Bubble]:
        """Add a reply (and, with ``compare`` or ``titles``, the compare reply beside it); return the bubbles."""
        two = compare is not None or titles is not None
        t0, t1 = titles or ("", "")
        if two and compare is not None and not titles:
            t0 = f"A · {(details or {}).get('model', '')}"
            t1 = f"B · {compare.get('model', '')}"
        bubbles = [self._connect(Bubble("assistant", text, index=index, side=0, title=t0 if two else "",
                                        details=details))]
        if two:
            c = compare or {}
            bubbles.append(self._connect(Bubble("assistant", c.get("content", ""), index=index, side=1, title=t1,
                                                details={k: v for k, v in c.items() if k != "content"})))
        self._add_row(bubbles, right=False)
        return bubbles

    def add_notice(self, text: str, kind: str = "error") -> Bubble:
        """Add a message from the pane itself (an error or a confirmation), not part of the chat."""
        b = Bubble(kind, text)
        self._add_row([b], right=False)
        return b

    def set_messages(self, messages: list[dict], *, busy: bool = False) -> None:
        """Show ``messages`` (conversation dicts; a system message is not shown)."""
        self.clear()
        for i, m in enumerate(messages):
            if m.get("role") == "user":
                self.add_user(i, m.get("content", ""))
            elif m.get("role") == "assistant":
                details = {k: v for k, v in m.items() if k not in ("role", "content", "compare")}
                self.add_reply(i, m.get("content", ""), details, compare=m.get("compare"))
        self.set_busy(busy)
        self.scroll_to_end()

    def bubbles(self, role: str | None = None) -> list[Bubble]:
        out = [b for row in self.rows for b in row.bubbles]
        return [b for b in out if role is None or b.role == role]

    def last_reply_bubbles(self) -> list[Bubble]:
        for row in reversed(self.rows):
            if row.bubbles[0].role == "assistant":
                return row.bubbles
        return []

    def set_busy(self, busy: bool) -> None:
        """While a reply is written, editing, regenerating and saving are off; Regenerate shows on the last reply only."""
        replies = [row for row in self.rows if row.bubbles[0].role == "assistant"]
        for b in self.bubbles():
            b.set_actions_enabled(not busy)
            if "regenerate" in b.buttons:
                b.buttons["regenerate"].setVisible(False)
        if not busy and replies and replies[-1] is self.rows[-1]:
            b = replies[-1].bubbles[-1]
            b.buttons["regenerate"].setVisible(True)
            if len(replies[-1].bubbles) > 1:
                b.buttons["regenerate"].setToolTip(self.tr("Write both replies again (with the current settings)"))

    # ---- scrolling

    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._stick = value >= bar.maximum() - 40

    def _on_range(self, _lo: int, hi: int) -> None:
        if self._stick:
            self.verticalScrollBar().setValue(hi)

    def scroll_to_end(self) -> None:
        self._stick = True
        QtCore.QTimer.singleShot(0, self, self._to_end)  # dropped if the list is deleted first

    def _to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
