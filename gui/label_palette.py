"""The label palette (Ctrl+K): type to filter labels, Enter picks one, or creates it.

A small popup with a search field over a list of every label (colour dot, name,
hotkey key-cap). Filtering is a case-insensitive substring match on the name;
exact matches come first, then names that start with the text, then the rest, each
in label order. When no label is called exactly what was typed, the last row
offers ``Create label "text"``. ↑/↓ (and Page Up/Down) move, Enter or a click
picks, Esc or a click outside closes.

Use :meth:`LabelPalette.pick` to run it modally and get the chosen label id.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.errors import ProjectError
from engine.store import Label, Project
from gui.i18n import engine_text
from gui.label_style import draw_keycap, drawn_icon, is_dark, keycap_font, keycap_size, label_color, mix
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

#: Rows visible before the list scrolls.
VISIBLE_ROWS = 10
_ROW_ROLE = Qt.UserRole + 1


@dataclass(frozen=True)
class Row:
    """One line of the palette: a label, or the offer to create one (``label`` is ``None``)."""

    label: Label | None
    text: str  # the label name, or the name to create
    match: tuple[int, int] = (0, 0)  # characters of ``text`` that matched the filter


def normalize(text: str) -> str:
    """Return ``text`` with runs of whitespace collapsed and ends stripped (as the store names labels)."""
    return " ".join(text.split())


def filter_labels(labels: list[Label], text: str) -> list[Row]:
    """Return the palette rows for ``text``: matching labels (best first), then a create row if needed.

    A label matches when the typed text occurs in its name, ignoring case. The
    create row is added when the text is not empty and no label name equals it
    (ignoring case).
    """
    needle = normalize(text).casefold()
    if not needle:
        return [Row(l, l.name) for l in labels]
    ranked = []
    exact = False
    for order, l in enumerate(labels):
        name = l.name.casefold()
        at = name.find(needle)
        if at < 0:
            continue
        if name == needle:
            exact = True
            rank = 0
        elif at == 0:
            rank = 1
        else:
            rank = 2
        ranked.append((rank, order, Row(l, l.name, (at, at + len(needle)))))
    rows = [r for _, _, r in sorted(ranked, key=lambda t: (t[0], t[1]))]
    if not exact:
        rows.append(Row(None, normalize(text)))
    return rows


class PaletteModel(QtCore.QAbstractListModel):
    """The filtered rows of the palette (see :func:`filter_labels`)."""

    def __init__(self, parent: QtCore.QObject | None = None, noun: str = "label"):
        super().__init__(parent)
        self._rows: list[Row] = []
        self.noun = noun  # what the create row makes: "label" or "category"

    def set_rows(self, rows: list[Row]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, index: int) -> Row | None:
        """Return row ``index``, or ``None``."""
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def rowCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QtCore.QModelIndex, role: int = Qt.DisplayRole):
        row = self.row(index.row())
        if row is None:
            return None
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            if row.label is not None:
                return row.text
            if self.noun == "category":
                return self.tr('Create category "{name}"').format(name=row.text)
            return self.tr('Create label "{name}"').format(name=row.text)
        if role == Qt.ToolTipRole and row.label is not None and row.label.hotkey:
            return self.tr("Hotkey {key}").format(key=row.label.hotkey)
        if role == _ROW_ROLE:
            return row
        return None


class PaletteDelegate(QtWidgets.QStyledItemDelegate):
    """Paints a palette row: colour dot, name with the match in bold, hotkey key-cap on the right."""

    def sizeHint(self, option: QtWidgets.QStyleOptionViewItem, index: QtCore.QModelIndex) -> QtCore.QSize:  # noqa: N802
        fm = QtGui.QFontMetricsF(option.font)
        ks = keycap_size(keycap_font(option.font), "W")
        return QtCore.QSize(200, round(max(fm.height(), ks.height()) + 12))

    def paint(self, p: QtGui.QPainter, option: QtWidgets.QStyleOptionViewItem, index: QtCore.QModelIndex) -> None:
        row: Row | None = index.data(_ROW_ROLE)
        if row is None:
            return
        pal = option.palette
        r = QtCore.QRectF(option.rect)
        selected = bool(option.state & QtWidgets.QStyle.State_Selected)
        hover = bool(option.state & QtWidgets.QStyle.State_MouseOver)
        base = pal.color(QtGui.QPalette.Base)
        text = pal.color(QtGui.QPalette.Text)
        p.save()
        p.setRenderHint(QtGui.QPainter.Antialiasing)
        hl = pal.color(QtGui.QPalette.Highlight)
        if selected:
            bg = mix(base, hl, 0.34 if is_dark(pal) else 0.20)
        else:
            bg = mix(base, text, 0.06) if hover else base
        fg = text
        box = r.adjusted(4, 1, -4, -1)
        p.setPen(Qt.NoPen)
        p.setBrush(bg)
        p.drawRoundedRect(box, 5, 5)
        if selected:
            p.setBrush(hl)
            p.drawRoundedRect(QtCore.QRectF(box.left(), box.top() + 5, 3, box.height() - 10), 1.5, 1.5)

        x = r.left() + 14
        cy = r.center().y()
        font = QtGui.QFont(option.font)
        bold = QtGui.QFont(font)
        bold.setBold(True)
        if row.label is not None:
            c = label_color(row.label.color)
            p.setBrush(c)
            p.setPen(QtGui.QPen(c.darker(130), 1.0))
            p.drawEllipse(QtCore.QPointF(x + 5, cy), 5.5, 5.5)
        else:
            p.setPen(QtGui.QPen(fg, 1.6))
            p.drawLine(QtCore.QPointF(x + 0.5, cy), QtCore.QPointF(x + 9.5, cy))
            p.drawLine(QtCore.QPointF(x + 5, cy - 4.5), QtCore.QPointF(x + 5, cy + 4.5))
        x += 20

        right = r.right() - 14
        if row.label is not None and row.label.hotkey:
            kf = keycap_font(option.font)
            ks = keycap_size(kf, row.label.hotkey)
            kr = QtCore.QRectF(right - ks.width(), cy - ks.height() / 2, ks.width(), ks.height())
            draw_keycap(p, kr, row.label.hotkey, pal, kf)
            right = kr.left() - 10

        if row.label is not None:
            a, b = row.match
            parts = [(row.text[:a], font), (row.text[a:b], bold), (row.text[b:], font)]
        else:
            # the template's {name} is drawn bold, in quotes
            template = (self.tr("Create category {name}") if index.model().noun == "category"
                        else self.tr("Create label {name}"))
            before, _, after = template.partition("{name}")
            parts = [(before, font), (f"\u201c{row.text}\u201d", bold), (after, font)]
        p.setPen(fg)
        self._draw_parts(p, parts, x, r, right)
        p.restore()

    @staticmethod
    def _draw_parts(p: QtGui.QPainter, parts, x: float, r: QtCore.QRectF, right: float) -> None:
        for s, f in parts:
            if not s:
                continue
            fm = QtGui.QFontMetricsF(f)
            avail = right - x
            if avail <= 4:
                break
            w = fm.horizontalAdvance(s)
            if w > avail:
                s = fm.elidedText(s, Qt.ElideRight, avail)
                w = avail
            p.setFont(f)
            p.drawText(QtCore.QRectF(x, r.top(), w + 2, r.height()), Qt.AlignVCenter | Qt.AlignLeft, s)
            x += w


def _search_icon(palette: QtGui.QPalette, size: int = 16) -> QtGui.QIcon:
    """Return a drawn magnifier in the palette's placeholder colour."""

    def draw(p: QtGui.QPainter, size: int) -> None:
        p.setPen(QtGui.QPen(palette.color(QtGui.QPalette.PlaceholderText), 1.6, Qt.SolidLine, Qt.RoundCap))
        p.drawEllipse(QtCore.QRectF(2.5, 2.5, 8, 8))
        p.drawLine(QtCore.QPointF(9.6, 9.6), QtCore.QPointF(13.5, 13.5))

    return drawn_icon(size, draw)


class LabelPalette(QtWidgets.QDialog):
    """A popup to find a label by typing, or create it.

    Signals:
        labelPicked(int): the user picked a label (or created one); its id.
        labelCreated(int): a label was created from the palette; its id
            (emitted before ``labelPicked``, so views can reload their labels).
    """

    labelPicked = Signal(int)
    labelCreated = Signal(int)

    def __init__(self, project: Project, parent: QtWidgets.QWidget | None = None, *, current: int | None = None,
                 kind: str = "entity"):
        super().__init__(parent, Qt.Popup | Qt.FramelessWindowHint)
        self.project = project
        self.kind = kind  # "entity" labels, or document "category" ones
        self._picked: int | None = None
        self._row_height: int | None = None
        self._labels = project.labels(kind=kind)
        self.setAccessibleName(self.tr("Find a category") if kind == "category" else self.tr("Find a label"))

        self.filter_edit = QtWidgets.QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Type a category…") if kind == "category"
                                            else self.tr("Type a label name…"))
        self.filter_edit.setClearButtonEnabled(False)
        self.filter_edit.setFrame(False)
        self.filter_edit.setAccessibleName(self.tr("Label name"))
        f = QtGui.QFont(self.font())
        if f.pointSizeF() > 0:
            f.setPointSizeF(f.pointSizeF() * 1.15)
        self.filter_edit.setFont(f)
        self.filter_edit.setTextMargins(6, 4, 6, 4)
        self.filter_edit.installEventFilter(self)
        self.filter_edit.addAction(_search_icon(self.palette()), QtWidgets.QLineEdit.LeadingPosition)
        self.filter_edit.textChanged.connect(self._refilter)

        self.model = PaletteModel(self, "category" if kind == "category" else "label")
        self.list_view = QtWidgets.QListView()
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(PaletteDelegate(self.list_view))
        self.list_view.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setMouseTracking(True)
        self.list_view.setFocusPolicy(Qt.NoFocus)
        self.list_view.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list_view.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollPerPixel)
        self.list_view.setAccessibleName(self.tr("Labels"))
        self.list_view.clicked.connect(lambda ix: self._pick_row(ix.row()))

        self.error_label = QtWidgets.QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.error_label.setContentsMargins(12, 2, 12, 2)

        hint = QtWidgets.QLabel(self.tr("↑↓ move · Enter pick · Esc close"))
        hint.setForegroundRole(QtGui.QPalette.PlaceholderText)
        hf = QtGui.QFont(hint.font())
        if hf.pointSizeF() > 0:
            hf.setPointSizeF(hf.pointSizeF() * 0.9)
        hint.setFont(hf)
        hint.setContentsMargins(12, 4, 12, 6)
        self.count_label = QtWidgets.QLabel()
        self.count_label.setForegroundRole(QtGui.QPalette.PlaceholderText)
        self.count_label.setFont(hf)
        self.count_label.setContentsMargins(12, 4, 12, 6)
        foot = QtWidgets.QHBoxLayout()
        foot.setContentsMargins(0, 0, 0, 0)
        foot.addWidget(hint)
        foot.addStretch(1)
        foot.addWidget(self.count_label)

        line = QtWidgets.QFrame()
        line.setFrameShape(QtWidgets.QFrame.HLine)
        line.setFrameShadow(QtWidgets.QFrame.Plain)
        line.setForegroundRole(QtGui.QPalette.Mid)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(1, 1, 1, 1)
        lay.setSpacing(0)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(8, 8, 8, 6)
        top.addWidget(self.filter_edit)
        lay.addLayout(top)
        lay.addWidget(line)
        lay.addSpacing(4)
        lay.addWidget(self.list_view, 1)
        lay.addWidget(self.error_label)
        lay.addLayout(foot)

        self._refilter("")
        if current is not None:
            self._select_label(current)
        self._size_to_fit()

    # ------------------------------------------------------------------ public API

    @staticmethod
    def pick(project: Project, parent: QtWidgets.QWidget | None = None, *, current: int | None = None,
             kind: str = "entity") -> int | None:
        """Run the palette modally over ``parent``; return the picked (or created) label id
        (of ``kind``: ``entity`` or ``category``), or ``None``."""
        dlg = LabelPalette(project, parent, current=current, kind=kind)
        try:
            dlg.place()
            if dlg.exec() == QtWidgets.QDialog.Accepted:
                return dlg.picked()
            return None
        finally:
            dlg.deleteLater()

    def picked(self) -> int | None:
        """Return the id of the label picked so far, or ``None``."""
        return self._picked

    def current_row(self) -> Row | None:
        """Return the highlighted row, or ``None`` when the list is empty."""
        return self.model.row(self.list_view.currentIndex().row())

    def rows(self) -> list[Row]:
        """Return the rows shown (labels, and the create row last if any)."""
        return [self.model.row(i) for i in range(self.model.rowCount())]

    def place(self) -> None:
        """Move the popup to the top centre of the parent window (or of the screen)."""
        anchor = self.parentWidget().window() if self.parentWidget() is not None else None
        if anchor is not None and anchor.isVisible():
            g = anchor.frameGeometry()
            x = g.x() + (g.width() - self.width()) // 2
            y = g.y() + min(90, g.height() // 6)
        else:
            screen = QtGui.QGuiApplication.primaryScreen()
            g = screen.availableGeometry() if screen else QtCore.QRect(0, 0, 1024, 768)
            x = g.x() + (g.width() - self.width()) // 2
            y = g.y() + g.height() // 5
        self.move(x, y)

    # ------------------------------------------------------------------ internals

    def _refilter(self, text: str) -> None:
        self.error_label.setVisible(False)
        keep = self.current_row()
        rows = filter_labels(self._labels, text)
        self.model.set_rows(rows)
        target = 0
        if not normalize(text) and keep is not None and keep.label is not None:
            target = next((i for i, r in enumerate(rows) if r.label and r.label.id == keep.label.id), 0)
        self._set_current(target)
        n = sum(1 for r in rows if r.label is not None)
        self.count_label.setText(self.tr("{n} of {total}").format(n=n, total=len(self._labels)) if normalize(text)
                                 else self.tr("{n} labels").format(n=len(self._labels)))
        if self._row_height is not None:
            self._size_to_fit()

    def _set_current(self, row: int) -> None:
        n = self.model.rowCount()
        if not n:
            return
        row = max(0, min(row, n - 1))
        ix = self.model.index(row, 0)
        self.list_view.setCurrentIndex(ix)
        self.list_view.scrollTo(ix)

    def _select_label(self, label_id: int) -> None:
        for i, r in enumerate(self.rows()):
            if r.label is not None and r.label.id == label_id:
                self._set_current(i)
                return

    def _size_to_fit(self) -> None:
        """Fit the list to its rows (at most :data:`VISIBLE_ROWS`); the popup keeps its top edge."""
        n = self.model.rowCount()
        if self._row_height is None and n:
            self._row_height = max(20, self.list_view.sizeHintForRow(0))
        rh = self._row_height or 32
        self.list_view.setFixedHeight(max(1, min(VISIBLE_ROWS, n)) * rh + 4)
        w = 420
        if self.parentWidget() is not None:
            w = max(360, min(520, self.parentWidget().window().width() // 2))
        self.setFixedWidth(w)
        self.adjustSize()

    def _pick_row(self, index: int) -> None:
        row = self.model.row(index)
        if row is None:
            return
        if row.label is not None:
            self._picked = row.label.id
            self.labelPicked.emit(row.label.id)
            self.accept()
            return
        try:
            lab = self.project.add_label(row.text, kind=self.kind)
        except ProjectError as exc:
            self._show_error(engine_text(exc))
            return
        self._labels = self.project.labels(kind=self.kind)
        self._picked = lab.id
        self.labelCreated.emit(lab.id)
        self.labelPicked.emit(lab.id)
        self.accept()

    def _show_error(self, message: str) -> None:
        pal = self.error_label.palette()
        pal.setColor(QtGui.QPalette.WindowText, QtGui.QColor("#ff8a80" if is_dark(self.palette()) else "#b3261e"))
        self.error_label.setPalette(pal)
        self.error_label.setText(message)
        self.error_label.setVisible(True)
        self.adjustSize()

    def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802
        if obj is self.filter_edit and event.type() == QtCore.QEvent.KeyPress:
            key = event.key()
            cur = self.list_view.currentIndex().row()
            page = max(1, VISIBLE_ROWS - 1)
            moves = {Qt.Key_Up: -1, Qt.Key_Down: 1, Qt.Key_PageUp: -page, Qt.Key_PageDown: page}
            if key in moves:
                self._set_current((cur if cur >= 0 else 0) + moves[key])
                return True
            if key in (Qt.Key_Return, Qt.Key_Enter):
                self._pick_row(cur)
                return True
            if key == Qt.Key_Escape:
                self.reject()
                return True
        return super().eventFilter(obj, event)

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.filter_edit.setFocus(Qt.PopupFocusReason)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802
        p = QtGui.QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QtGui.QPalette.Base))
        rim = mix(pal.color(QtGui.QPalette.Base), pal.color(QtGui.QPalette.Text), 0.30)
        p.setPen(QtGui.QPen(rim, 1))
        p.drawRect(QtCore.QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        p.end()
