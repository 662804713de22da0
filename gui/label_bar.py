"""The label bar: one chip per label above the document; click a chip to make it active.

Each chip shows the label's hotkey in a key-cap, its name, and is tinted and
outlined in the label colour (text stays in the palette's text colour, so it reads
on light and dark themes). The chips wrap onto more lines as the window narrows;
past three lines the strip scrolls, so projects with 40+ labels stay usable. At the
end of the strip sit "+ Label" and "Labels…" buttons.

Signals:
    labelActivated(int label_id): the user made a label active (``-1``: none).
    addRequested(): the "+ Label" button was clicked.
    manageRequested(): the "Labels…" button was clicked.
"""
from __future__ import annotations

import math

from engine.store import Label, Project
from gui.label_style import draw_keycap, drawn_icon, is_dark, keycap_font, keycap_size, label_color, readable_on, tint
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

#: Rows of chips shown before the strip scrolls.
MAX_ROWS = 3
#: Widest a label name gets in a chip before it is elided (px).
MAX_NAME_WIDTH = 200


class FlowLayout(QtWidgets.QLayout):
    """Lays items left to right and wraps them onto new lines (height-for-width)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None, hspacing: int = 6, vspacing: int = 6):
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self._h, self._v = hspacing, vspacing

    def addItem(self, item: QtWidgets.QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QtWidgets.QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QtWidgets.QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientations:  # noqa: N802
        return Qt.Orientations(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._do_layout(QtCore.QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QtCore.QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QtCore.QSize:  # noqa: N802
        size = QtCore.QSize()
        for it in self._items:
            size = size.expandedTo(it.minimumSize())
        m = self.contentsMargins()
        return size + QtCore.QSize(m.left() + m.right(), m.top() + m.bottom())

    def row_height(self) -> int:
        """Return the height of one row (the tallest item)."""
        return max((it.sizeHint().height() for it in self._items), default=0)

    def _do_layout(self, rect: QtCore.QRect, apply: bool) -> int:
        m = self.contentsMargins()
        r = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_h = r.x(), r.y(), 0
        row_h = self.row_height()
        for it in self._items:
            if it.isEmpty():
                continue
            sz = it.sizeHint()
            w = min(sz.width(), max(1, r.width()))
            if x > r.x() and x + w > r.right() + 1:
                x = r.x()
                y += line_h + self._v
                line_h = 0
            if apply:
                h = sz.height()
                it.setGeometry(QtCore.QRect(QtCore.QPoint(x, y + (row_h - h) // 2), QtCore.QSize(w, h)))
            x += w + self._h
            line_h = max(line_h, row_h)
        return y + line_h - rect.y() + m.bottom()


class ChipStrip(QtWidgets.QScrollArea):
    """A wrapping strip of chips (``flow`` on ``host``) that grows to ``max_rows`` rows
    and then scrolls vertically; frameless, transparent, never scrolls sideways."""

    def __init__(self, max_rows: int, spacing: int, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.max_rows, self.spacing = max_rows, spacing
        self.host = QtWidgets.QWidget()
        self.host.setAutoFillBackground(False)
        self.flow = FlowLayout(self.host, spacing, spacing)
        self.flow.setContentsMargins(0, 0, 0, 0)
        self.setWidget(self.host)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.viewport().setAutoFillBackground(False)
        self.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Fixed)
        self.viewport().installEventFilter(self)

    def fit_height(self) -> None:
        """Take the height the chips need at this width, at most ``max_rows`` rows."""
        vp = self.viewport()
        width = max(50, vp.width() if self.isVisible() else self.width())
        row = max(1, self.flow.row_height())
        cap = self.max_rows * row + (self.max_rows - 1) * self.spacing
        h = max(row, min(self.flow.heightForWidth(width), cap))
        if self.height() != h or self.minimumHeight() != h:
            self.setFixedHeight(h)

    def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802
        if obj is self.viewport() and event.type() == QtCore.QEvent.Resize:
            self.fit_height()
        return super().eventFilter(obj, event)


class LabelChip(QtWidgets.QAbstractButton):
    """One label in the bar: key-cap, name, tinted in the label colour; ``active`` draws it filled."""

    def __init__(self, label: Label, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.label = label
        self._active = False
        self._suggested: float | None = None  # a model's suggestion (its probability), drawn dashed
        self.setText(label.name)
        self.setCursor(Qt.PointingHandCursor)
        self.setFocusPolicy(Qt.TabFocus)
        self.setAttribute(Qt.WA_Hover, True)
        self.setSizePolicy(QtWidgets.QSizePolicy.Fixed, QtWidgets.QSizePolicy.Fixed)
        key = (label.hotkey or "").strip()
        self._key = key
        if key:
            tip = self.tr("<b>{name}</b> — press <b>{key}</b> to pick it").format(
                name=_esc(label.name), key=_esc(key.upper() if key.isalpha() else key))
        else:
            tip = self.tr("<b>{name}</b> — no hotkey (set one in Labels…)").format(name=_esc(label.name))
        tip = "<br>".join([tip, self.tr("Ctrl+K to search labels")])
        self.setToolTip(tip)
        self.setAccessibleName(self.tr("Label {name}, hotkey {key}").format(name=label.name, key=key) if key
                               else self.tr("Label {name}").format(name=label.name))

    # ---- state

    def is_active(self) -> bool:
        """Return whether the chip is drawn as the active label."""
        return self._active

    def set_active(self, on: bool) -> None:
        """Draw the chip as active (or not); emits nothing."""
        if on != self._active:
            self._active = on
            self.setAccessibleDescription(self.tr("active") if on else "")
            self.updateGeometry()
            self.update()

    def suggested(self) -> float | None:
        """The model's probability when the chip shows a suggestion, else ``None``."""
        return self._suggested

    def set_suggested(self, score: float | None) -> None:
        """Draw the chip as a model's suggestion (dashed outline) with probability ``score``
        (``None``: not suggested); emits nothing."""
        if score != self._suggested:
            self._suggested = score
            self.update()

    # ---- geometry

    def _fonts(self) -> tuple[QtGui.QFont, QtGui.QFont]:
        name = QtGui.QFont(self.font())
        name.setBold(self._active)
        return name, keycap_font(self.font())

    def _name_width(self) -> float:
        # measured bold so the chip keeps its size when it becomes active
        bold = QtGui.QFont(self.font())
        bold.setBold(True)
        return min(float(MAX_NAME_WIDTH), QtGui.QFontMetricsF(bold).horizontalAdvance(self.label.name))

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        fm = QtGui.QFontMetricsF(self.font())
        kf = keycap_font(self.font())
        ks = keycap_size(kf, self._key) if self._key else QtCore.QSizeF(0, 0)
        h = max(fm.height(), ks.height()) + 10
        left = 5 + (ks.width() + 7 if self._key else 5)
        w = left + self._name_width() + 13  # 2 px slack: shaping may differ from the summed advances
        return QtCore.QSize(math.ceil(w), math.ceil(h))

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802
        return self.sizeHint()

    # ---- painting

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802
        pal = self.palette()
        dark = is_dark(pal)
        base = pal.color(QtGui.QPalette.Window)
        text = pal.color(QtGui.QPalette.WindowText)
        c = label_color(self.label.color)
        hover = self.underMouse() and self.isEnabled()
        pressed = self.isDown()
        if self._active:
            strength = 0.62 if dark else 0.50
        else:
            strength = (0.26 if dark else 0.16) + (0.10 if hover else 0.0) + (0.08 if pressed else 0.0)
        fill = tint(c, base, strength)
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.Antialiasing)
        r = QtCore.QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = min(8.0, r.height() / 2)
        pen_w = 2.0 if self._active else 1.2
        border = QtGui.QColor(c) if (self._active or hover or dark) else c.darker(108)
        pen = QtGui.QPen(border, pen_w)
        if self._suggested is not None and not self._active:
            pen = QtGui.QPen(c.darker(135) if not dark else c.lighter(130), 1.8, Qt.DashLine)
            fill = tint(c, base, 0.30 if dark else 0.22)
        p.setPen(pen)
        p.setBrush(fill)
        p.drawRoundedRect(r.adjusted(pen_w / 2 - 0.5, pen_w / 2 - 0.5, 0.5 - pen_w / 2, 0.5 - pen_w / 2), radius, radius)
        if self.hasFocus():
            ring = QtGui.QColor(pal.color(QtGui.QPalette.Highlight))
            p.setPen(QtGui.QPen(ring, 1.5, Qt.DotLine))
            p.setBrush(Qt.NoBrush)
            p.drawRoundedRect(r.adjusted(2.5, 2.5, -2.5, -2.5), radius - 2, radius - 2)

        name_font, key_font = self._fonts()
        x = r.left() + 4
        if self._key:
            ks = keycap_size(key_font, self._key)
            kr = QtCore.QRectF(x + 1, r.center().y() - ks.height() / 2, ks.width(), ks.height())
            draw_keycap(p, kr, self._key, pal, key_font)
            x = kr.right() + 7
        else:
            x += 6
        p.setFont(name_font)
        p.setPen(readable_on(fill, text))
        fm = QtGui.QFontMetricsF(name_font)
        avail = r.right() - 9 - x
        name = self.label.name
        if fm.horizontalAdvance(name) > avail + 2:
            name = fm.elidedText(name, Qt.ElideRight, avail)
        p.drawText(QtCore.QRectF(x, r.top(), avail + 4, r.height()), Qt.AlignVCenter | Qt.AlignLeft, name)
        p.end()


def _plus_icon(color: QtGui.QColor, size: int = 12) -> QtGui.QIcon:
    """Return a drawn "+" (the full-width plus sign is missing from many fonts)."""

    def draw(p: QtGui.QPainter, size: int) -> None:
        p.setPen(QtGui.QPen(color, 1.8, Qt.SolidLine, Qt.RoundCap))
        m = size / 2
        p.drawLine(QtCore.QPointF(2, m), QtCore.QPointF(size - 2, m))
        p.drawLine(QtCore.QPointF(m, 2), QtCore.QPointF(m, size - 2))

    return drawn_icon(size, draw)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LabelBar(QtWidgets.QWidget):
    """A wrapping strip of label chips with "+ Label" and "Labels…" buttons at its end.

    Signals:
        labelActivated(int): a chip was clicked; its label id, or ``-1`` when the
            active chip was clicked again (no active label).
        addRequested(): "+ Label" was clicked.
        manageRequested(): "Labels…" was clicked.
    """

    labelActivated = Signal(int)
    addRequested = Signal()
    manageRequested = Signal()

    def __init__(self, project: Project, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self._active: int | None = None
        self._chips: dict[int, LabelChip] = {}
        self.setAccessibleName(self.tr("Labels"))
        self.setSizePolicy(QtWidgets.QSizePolicy.Preferred, QtWidgets.QSizePolicy.Fixed)

        self._scroll = ChipStrip(MAX_ROWS, 6)
        self._host, self._flow = self._scroll.host, self._scroll.flow
        self._empty = QtWidgets.QLabel(self.tr("No labels yet. Add one with the + Label button."))
        self._empty.setForegroundRole(QtGui.QPalette.PlaceholderText)

        self.add_button = QtWidgets.QToolButton()
        self.add_button.setText(self.tr("Label"))
        self.add_button.setIcon(_plus_icon(self.palette().color(QtGui.QPalette.ButtonText)))
        self.add_button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.add_button.setAccessibleName(self.tr("Add label"))
        self.add_button.setToolTip(self.tr("Create a new label"))
        self.add_button.setAutoRaise(True)
        self.add_button.clicked.connect(self.addRequested)
        self.manage_button = QtWidgets.QToolButton()
        self.manage_button.setText(self.tr("Labels…"))
        self.manage_button.setToolTip(self.tr("Rename, recolour, re-key or delete labels"))
        self.manage_button.setAutoRaise(True)
        self.manage_button.clicked.connect(self.manageRequested)

        buttons = QtWidgets.QHBoxLayout()
        buttons.setSpacing(2)
        buttons.setContentsMargins(0, 0, 0, 0)
        sep = QtWidgets.QFrame()
        sep.setFrameShape(QtWidgets.QFrame.VLine)
        sep.setFrameShadow(QtWidgets.QFrame.Sunken)
        buttons.addWidget(sep)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.manage_button)

        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(8)
        lay.addWidget(self._scroll, 1)
        lay.addLayout(buttons)
        lay.setAlignment(buttons, Qt.AlignTop)
        self.reload()

    # ------------------------------------------------------------------ public API

    def reload(self) -> None:
        """Re-read labels (names, colours, hotkeys) from the project and rebuild the chips.

        Keeps the active label if it still exists; if it was deleted, the bar has no
        active label and emits ``labelActivated(-1)``.
        """
        if self._rebuild():
            self.labelActivated.emit(-1)

    def _rebuild(self) -> bool:
        """Rebuild the chips from the project; return whether the active label disappeared."""
        labels = self.project.labels(kind="entity")  # categories get their own chips (issue 16)
        while self._flow.count():
            item = self._flow.takeAt(0)
            w = item.widget()
            if w is not None and w is not self._empty:
                w.deleteLater()
        self._chips = {}
        for lab in labels:
            chip = LabelChip(lab, self._host)
            chip.clicked.connect(lambda _=False, lid=lab.id: self._on_chip(lid))
            self._chips[lab.id] = chip
            self._flow.addWidget(chip)
        self._empty.setText(self.tr("No entity labels: this project sorts whole documents into categories (below). "
                                    "Add an entity label with + Label to mark words too.")
                            if self.project.labels(kind="category") else
                            self.tr("No labels yet. Add one with the + Label button."))
        self._empty.setParent(self._host)
        self._empty.setVisible(not labels)
        if not labels:
            self._flow.addWidget(self._empty)
        lost = self._active is not None and self._active not in self._chips
        if lost:
            self._active = None
        for lid, chip in self._chips.items():
            chip.set_active(lid == self._active)
            chip.show()
        self._flow.invalidate()
        self._update_height()
        return lost

    def set_active(self, label_id: int | None) -> None:
        """Highlight ``label_id``'s chip (``None`` or ``-1``: none) without emitting ``labelActivated``."""
        if label_id is not None and label_id < 0:
            label_id = None
        if label_id is not None and label_id not in self._chips:
            self._rebuild()
            if label_id not in self._chips:
                label_id = None
        self._active = label_id
        for lid, chip in self._chips.items():
            chip.set_active(lid == label_id)
        if label_id is not None:
            self._scroll.ensureWidgetVisible(self._chips[label_id], 0, 0)

    def active(self) -> int | None:
        """Return the id of the active label, or ``None``."""
        return self._active

    def chip(self, label_id: int) -> LabelChip | None:
        """Return the chip widget of a label (for tests and keyboard focus), or ``None``."""
        return self._chips.get(label_id)

    # ------------------------------------------------------------------ internals

    def _on_chip(self, label_id: int) -> None:
        new = None if self._active == label_id else label_id
        self.set_active(new)
        self.labelActivated.emit(-1 if new is None else new)

    def _update_height(self) -> None:
        self._scroll.fit_height()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802
        if event.type() in (QtCore.QEvent.FontChange, QtCore.QEvent.StyleChange):
            self._flow.invalidate()
            self._update_height()
        if event.type() == QtCore.QEvent.PaletteChange:
            self.add_button.setIcon(_plus_icon(self.palette().color(QtGui.QPalette.ButtonText)))
        super().changeEvent(event)
