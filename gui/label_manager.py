"""The "Labels…" dialog: add, rename, recolour, re-key and delete labels.

A table of every label (colour, name, hotkey, number of entities) with actions
beside it. Every change goes to the store at once (the store commits each call) and
is followed by ``labelsChanged``. Mistakes the user can make (an empty or
duplicate name, a hotkey in use or reserved) are explained in a message line inside
the dialog, never as a traceback. After a colour is chosen, the dialog says plainly
if it is hard to see on the light or dark theme (WCAG contrast against white and
#1e1e1e, see :func:`gui.label_style.theme_warning`).

Keys: F2 or double-click edits a name or hotkey, double-click on a colour opens the
colour chooser, Delete deletes the selected label (after confirmation).
"""
from __future__ import annotations

from engine.errors import ProjectError
from engine.palette import PALETTE
from engine.store import Label, Project
from gui.i18n import engine_text
from gui.label_style import draw_keycap, is_dark, keycap_font, keycap_size, mix, swatch_pixmap, theme_warning
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

#: Keys the editor binds itself (S skips a document, X deletes the selected entity) and
#: what the dialog says when one is chosen (``{key}``: the key)
RESERVED_HOTKEYS = {
    "s": QtCore.QT_TRANSLATE_NOOP(
        "LabelManager", "{key} is reserved: it skips the document in the editor. Choose another letter or digit."),
    "x": QtCore.QT_TRANSLATE_NOOP(
        "LabelManager", "{key} is reserved: it deletes the selected entity in the editor. Choose another letter or digit."),
}

COL_COLOR, COL_NAME, COL_HOTKEY, COL_COUNT = range(4)
_HEADERS = (
    QtCore.QT_TRANSLATE_NOOP("LabelTableModel", "Colour"),
    QtCore.QT_TRANSLATE_NOOP("LabelTableModel", "Name"),
    QtCore.QT_TRANSLATE_NOOP("LabelTableModel", "Hotkey"),
    QtCore.QT_TRANSLATE_NOOP("LabelTableModel", "Entities"),
)
_ID_ROLE = Qt.UserRole + 1


def _header(section: int) -> str:
    return QtCore.QCoreApplication.translate("LabelTableModel", _HEADERS[section])


def _entities(n: int) -> str:
    """``"1 entity"`` / ``"1,234 entities"`` in the interface's language."""
    if n == 1:
        return QtCore.QCoreApplication.translate("LabelManager", "1 entity")
    return QtCore.QCoreApplication.translate("LabelManager", "{n} entities").format(n=f"{n:,}")


def _documents(n: int) -> str:
    """``"1 document"`` / ``"87 documents"`` in the interface's language."""
    if n == 1:
        return QtCore.QCoreApplication.translate("LabelManager", "1 document")
    return QtCore.QCoreApplication.translate("LabelManager", "{n} documents").format(n=f"{n:,}")


def clean_hotkey(key: str | None) -> str | None:
    """Return ``key`` as stored (lower case; ``None`` for no hotkey).

    Raises:
        ProjectError: the key is reserved by the editor (s, x) or is not one letter or digit.
    """
    k = (key or "").strip().lower()
    if not k:
        return None
    if len(k) != 1 or not k.isalnum():
        raise ProjectError(QtCore.QCoreApplication.translate("LabelManager", "A hotkey is one letter or digit."))
    if k in RESERVED_HOTKEYS:
        raise ProjectError(QtCore.QCoreApplication.translate("LabelManager", RESERVED_HOTKEYS[k]).format(key=k.upper()))
    return k


def label_usage(project: Project, label_id: int) -> tuple[int, int]:
    """Return ``(entities, documents)``: how many spans use the label and in how many documents."""
    n = project.label_span_count(label_id)
    docs = project.conn.execute(
        "SELECT count(DISTINCT doc_id) FROM spans WHERE label_id=?", (label_id,)
    ).fetchone()[0]
    return n, docs


def delete_question(name: str, entities: int, documents: int) -> str:
    """Return the confirmation question shown before deleting a label."""
    if not entities:
        return QtCore.QCoreApplication.translate("LabelManager", 'Delete the label "{name}"? No entities use it.').format(
            name=name)
    return QtCore.QCoreApplication.translate(
        "LabelManager", 'Delete the label "{name}"? This removes {entities} from {documents}. You cannot undo this.'
    ).format(name=name, entities=_entities(entities), documents=_documents(documents))


# --------------------------------------------------------------------------- model


class LabelTableModel(QtCore.QAbstractTableModel):
    """Labels as table rows; editing a name or hotkey calls ``editor(label_id, column, value) -> bool``."""

    def __init__(self, project: Project, editor, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self.project = project
        self._editor = editor
        self._labels: list[Label] = []
        self._counts: dict[int, int] = {}
        self.reload()

    def reload(self) -> None:
        """Re-read every label and its entity count."""
        self.beginResetModel()
        self._labels = self.project.labels()
        self._counts = {l.id: self.project.label_span_count(l.id) for l in self._labels}
        self.endResetModel()

    def refresh_label(self, label_id: int) -> None:
        """Re-read one label (after a rename, recolour or new hotkey)."""
        fresh = {l.id: l for l in self.project.labels()}
        for row, l in enumerate(self._labels):
            if l.id == label_id and label_id in fresh:
                self._labels[row] = fresh[label_id]
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
                return

    def label_at(self, row: int) -> Label | None:
        """Return the label of ``row``, or ``None``."""
        return self._labels[row] if 0 <= row < len(self._labels) else None

    def row_of(self, label_id: int) -> int:
        """Return the row of a label, or -1."""
        return next((r for r, l in enumerate(self._labels) if l.id == label_id), -1)

    def rowCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._labels)

    def columnCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal:
            if role == Qt.DisplayRole:
                return _header(section)
            if role == Qt.TextAlignmentRole:
                return int((Qt.AlignRight if section == COL_COUNT else Qt.AlignLeft) | Qt.AlignVCenter)
        return None

    def flags(self, index: QtCore.QModelIndex) -> Qt.ItemFlags:
        f = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if index.column() in (COL_NAME, COL_HOTKEY):
            f |= Qt.ItemIsEditable
        return f

    def data(self, index: QtCore.QModelIndex, role: int = Qt.DisplayRole):
        lab = self.label_at(index.row())
        if lab is None:
            return None
        col = index.column()
        if role == _ID_ROLE:
            return lab.id
        if col == COL_COLOR:
            if role == Qt.DisplayRole:
                return lab.color
            if role == Qt.DecorationRole:
                icon = QtGui.QIcon()
                for dpr in (1.0, 2.0):
                    pm = swatch_pixmap(lab.color, 16, dpr=dpr)
                    icon.addPixmap(pm, QtGui.QIcon.Normal)
                    icon.addPixmap(pm, QtGui.QIcon.Selected)  # no highlight wash over the colour
                return icon
            if role == Qt.ToolTipRole:
                return self.tr("{color} — double-click to change").format(color=lab.color)
        elif col == COL_NAME:
            if role in (Qt.DisplayRole, Qt.EditRole):
                return lab.name
        elif col == COL_HOTKEY:
            if role == Qt.EditRole:
                return lab.hotkey or ""
            if role == Qt.DisplayRole:
                return (lab.hotkey or "").upper()
            if role == Qt.ToolTipRole:
                return self.tr("One letter or digit; double-click to change, clear it to remove the hotkey")
        elif col == COL_COUNT:
            if role == Qt.DisplayRole:
                return f"{self._counts.get(lab.id, 0):,}"
            if role == Qt.TextAlignmentRole:
                return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def setData(self, index: QtCore.QModelIndex, value, role: int = Qt.EditRole) -> bool:  # noqa: N802
        lab = self.label_at(index.row())
        if lab is None or role != Qt.EditRole or index.column() not in (COL_NAME, COL_HOTKEY):
            return False
        return bool(self._editor(lab.id, index.column(), str(value)))


class HotkeyDelegate(QtWidgets.QStyledItemDelegate):
    """Shows a hotkey as a key-cap and edits it in a one-character field."""

    def paint(self, p: QtGui.QPainter, option: QtWidgets.QStyleOptionViewItem, index: QtCore.QModelIndex) -> None:
        opt = QtWidgets.QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        key = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QtWidgets.QApplication.style()
        style.drawControl(QtWidgets.QStyle.CE_ItemViewItem, opt, p, opt.widget)
        r = QtCore.QRectF(option.rect)
        if key:
            kf = keycap_font(option.font)
            ks = keycap_size(kf, key)
            kr = QtCore.QRectF(r.left() + 8, r.center().y() - ks.height() / 2, ks.width(), ks.height())
            draw_keycap(p, kr, key, option.palette, kf)
        else:
            p.save()
            p.setPen(option.palette.color(QtGui.QPalette.PlaceholderText))
            p.drawText(r.adjusted(10, 0, 0, 0), Qt.AlignVCenter | Qt.AlignLeft, self.tr("none"))
            p.restore()

    def createEditor(self, parent, option, index):  # noqa: N802
        ed = QtWidgets.QLineEdit(parent)
        ed.setMaxLength(1)
        ed.setAlignment(Qt.AlignCenter)
        ed.setPlaceholderText(self.tr("none"))
        return ed


class MessageBar(QtWidgets.QLabel):
    """One line of feedback inside the dialog: an error, a warning or a note; hidden when empty."""

    _COLORS = {"error": "#d93025", "warning": "#e8a200", "info": "#1e8e3e"}

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.kind = ""
        self.setWordWrap(True)
        self.setContentsMargins(14, 7, 10, 7)
        self.setTextFormat(Qt.PlainText)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setVisible(False)

    def show_message(self, kind: str, text: str) -> None:
        """Show ``text`` as ``kind`` ("error", "warning" or "info")."""
        self.kind = kind
        self.setText(text)
        names = {"error": self.tr("error"), "warning": self.tr("warning"), "info": self.tr("info")}
        self.setAccessibleName(names.get(kind, kind))
        self.setVisible(True)
        self.update()

    def clear_message(self) -> None:
        """Hide the message."""
        self.kind = ""
        self.setText("")
        self.setVisible(False)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802
        pal = self.palette()
        base = pal.color(QtGui.QPalette.Window)
        c = QtGui.QColor(self._COLORS.get(self.kind, "#888888"))
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.Antialiasing)
        r = QtCore.QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QtGui.QPen(mix(base, c, 0.55), 1))
        p.setBrush(mix(base, c, 0.20 if is_dark(pal) else 0.12))
        p.drawRoundedRect(r, 5, 5)
        p.setPen(Qt.NoPen)
        p.setBrush(c)
        p.drawRoundedRect(QtCore.QRectF(r.left() + 4, r.top() + 5, 3, r.height() - 10), 1.5, 1.5)
        p.end()
        super().paintEvent(event)


# --------------------------------------------------------------------------- dialog


class LabelManager(QtWidgets.QDialog):
    """Dialog to add, rename, recolour, re-key and delete labels; each change is saved at once.

    Signals:
        labelsChanged(): after any change to the labels (add, rename, colour, hotkey, delete).
    """

    labelsChanged = Signal()

    def __init__(self, project: Project, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Labels"))
        self.setSizeGripEnabled(True)

        intro = QtWidgets.QLabel(self.tr(
            "Changes are saved at once. Double-click a name or hotkey to change it; "
            "hotkeys are one letter or digit (S and X are taken by the editor)."
        ))
        intro.setWordWrap(True)
        intro.setForegroundRole(QtGui.QPalette.PlaceholderText)

        self.model = LabelTableModel(project, self._edit_cell, self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(
            QtWidgets.QAbstractItemView.DoubleClicked | QtWidgets.QAbstractItemView.EditKeyPressed
        )
        self.table.setItemDelegateForColumn(COL_HOTKEY, HotkeyDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.setIconSize(QtCore.QSize(16, 16))
        fm = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(fm.height() + 14)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionResizeMode(COL_NAME, QtWidgets.QHeaderView.Stretch)
        hh.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.table.setColumnWidth(COL_COLOR, fm.horizontalAdvance("#4e79a7") + 52)
        self.table.setColumnWidth(COL_HOTKEY, max(76, fm.horizontalAdvance(_header(COL_HOTKEY)) + 30))
        self.table.setColumnWidth(COL_COUNT, max(84, fm.horizontalAdvance(_header(COL_COUNT)) + 30))
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.setAccessibleName(self.tr("Labels"))

        self.message = MessageBar()

        def button(text: str, tip: str, slot) -> QtWidgets.QPushButton:
            b = QtWidgets.QPushButton(text)
            b.setAutoDefault(False)
            b.setDefault(False)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.rename_button = button(self.tr("Rename"), self.tr("Edit the name of the selected label (F2)"),
                                    self._on_rename)
        self.color_button = button(self.tr("Colour…"), self.tr("Choose the colour of the selected label"),
                                   self._on_color)
        self.hotkey_button = button(self.tr("Hotkey"), self.tr("Edit the hotkey of the selected label"),
                                    self._on_hotkey)
        self.delete_button = button(self.tr("Delete…"), self.tr("Delete the selected label and its entities (Del)"),
                                    self._on_delete)
        side = QtWidgets.QVBoxLayout()
        side.setSpacing(6)
        for b in (self.rename_button, self.color_button, self.hotkey_button):
            side.addWidget(b)
        side.addSpacing(12)
        side.addWidget(self.delete_button)
        side.addStretch(1)

        self.name_edit = QtWidgets.QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("New label name"))
        self.name_edit.setAccessibleName(self.tr("New label name"))
        self.name_edit.returnPressed.connect(self._on_add)
        self.add_button = button(self.tr("Add"), self.tr("Create a label with this name (Enter)"), self._on_add)
        self.close_button = button(self.tr("Close"), self.tr("Close this window (Esc)"), self.accept)

        add_row = QtWidgets.QHBoxLayout()
        add_row.addWidget(self.name_edit, 1)
        add_row.addWidget(self.add_button)
        add_row.addSpacing(24)
        add_row.addStretch(0)
        add_row.addWidget(self.close_button)

        body = QtWidgets.QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(8)
        lay.addWidget(intro)
        lay.addLayout(body, 1)
        lay.addWidget(self.message)
        lay.addLayout(add_row)

        QtGui.QShortcut(QtGui.QKeySequence.Delete, self.table, self._on_delete, Qt.WidgetShortcut)
        self.resize(600, 460)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    # ------------------------------------------------------------------ public API

    def reload(self) -> None:
        """Re-read the labels and counts (after a change made elsewhere); keeps the selection."""
        keep = self.selected_label()
        self.model.reload()
        if keep is not None and self.model.row_of(keep) >= 0:
            self.select_label(keep)
        elif self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def select_label(self, label_id: int) -> None:
        """Select the row of ``label_id`` (nothing if it does not exist)."""
        row = self.model.row_of(label_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, COL_NAME))

    def selected_label(self) -> int | None:
        """Return the id of the selected label, or ``None``."""
        rows = self.table.selectionModel().selectedRows()
        lab = self.model.label_at(rows[0].row()) if rows else None
        return lab.id if lab else None

    def message_text(self) -> str:
        """Return the message shown in the dialog ("" when none)."""
        return self.message.text() if self.message.isVisible() or self.message.kind else ""

    def message_kind(self) -> str:
        """Return the kind of the message shown: "error", "warning", "info" or ""."""
        return self.message.kind

    def add(self, name: str) -> int | None:
        """Create a label (colour and hotkey picked by the store); return its id, or ``None`` on a user error."""
        try:
            lab = self.project.add_label(name)
        except ProjectError as exc:
            return self._error(exc)
        self.model.reload()
        self.select_label(lab.id)
        if lab.hotkey:
            self._changed(self.tr("Added “{name}”, hotkey {key}.").format(name=lab.name, key=lab.hotkey.upper()))
        else:
            self._changed(self.tr("Added “{name}”.").format(name=lab.name))
        return lab.id

    def rename(self, label_id: int, name: str) -> bool:
        """Rename a label; ``False`` (and a message in the dialog) on an empty or duplicate name."""
        try:
            old = self._label(label_id)
            if " ".join(name.split()) == old.name:
                return True
            self.project.rename_label(label_id, name)
        except ProjectError as exc:
            return bool(self._error(exc))
        self.model.refresh_label(label_id)
        self._changed(self.tr("Renamed “{old}” to “{new}”.").format(old=old.name, new=self._label(label_id).name))
        return True

    def recolor(self, label_id: int, color: str) -> bool:
        """Give a label a new colour; warns in the dialog if it is hard to see on a theme."""
        qc = QtGui.QColor(color)
        if not qc.isValid():
            return bool(self._error(ProjectError(self.tr("{color} is not a colour.").format(color=repr(color)))))
        try:
            self.project.recolor_label(label_id, qc.name())
            name = self._label(label_id).name
        except ProjectError as exc:
            return bool(self._error(exc))
        self.model.refresh_label(label_id)
        warn = theme_warning(qc.name())
        if warn:
            self.message.show_message(
                "warning", self.tr("“{name}” is now {color}. {warning}").format(name=name, color=qc.name(), warning=warn))
            self.labelsChanged.emit()
        else:
            self._changed(self.tr("“{name}” is now {color}.").format(name=name, color=qc.name()))
        return True

    def set_hotkey(self, label_id: int, key: str | None) -> bool:
        """Set (or, with ``""``/``None``, remove) a label's hotkey; ``False`` with a message if it is taken or reserved."""
        try:
            k = clean_hotkey(key)
            old = self._label(label_id)
            if k == old.hotkey:
                return True
            self.project.update_label(label_id, hotkey=k)
        except ProjectError as exc:
            return bool(self._error(exc))
        self.model.refresh_label(label_id)
        self._changed(
            self.tr("“{name}” now has the hotkey {key}.").format(name=old.name, key=k.upper()) if k
            else self.tr("“{name}” has no hotkey now.").format(name=old.name)
        )
        return True

    def delete(self, label_id: int, *, confirm: bool = True) -> bool:
        """Delete a label and its entities, after asking (unless ``confirm`` is false); ``True`` if deleted."""
        try:
            lab = self._label(label_id)
        except ProjectError as exc:
            return bool(self._error(exc))
        n, docs = label_usage(self.project, label_id)
        if confirm and not self._confirm_delete(delete_question(lab.name, n, docs)):
            return False
        row = self.model.row_of(label_id)
        try:
            self.project.delete_label(label_id)
        except ProjectError as exc:
            return bool(self._error(exc))
        self.model.reload()
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        if n:
            self._changed(self.tr("Deleted “{name}” and {entities}.").format(name=lab.name, entities=_entities(n)))
        else:
            self._changed(self.tr("Deleted “{name}”.").format(name=lab.name))
        return True

    # ------------------------------------------------------------------ dialogs (patched in tests)

    def _ask_color(self, label: Label) -> str | None:
        """Ask for a colour (the palette colours are offered as custom colours); ``None`` if cancelled."""
        for i, c in enumerate(PALETTE[: QtWidgets.QColorDialog.customCount()]):
            QtWidgets.QColorDialog.setCustomColor(i, QtGui.QColor(c))
        col = QtWidgets.QColorDialog.getColor(QtGui.QColor(label.color), self,
                                                 self.tr("Colour of “{name}”").format(name=label.name))
        return col.name() if col.isValid() else None

    def _confirm_delete(self, question: str) -> bool:
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Warning, self.tr("Delete label"), question, parent=self)
        yes = box.addButton(self.tr("Delete"), QtWidgets.QMessageBox.DestructiveRole)
        cancel = box.addButton(QtWidgets.QMessageBox.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is yes

    # ------------------------------------------------------------------ internals

    def _label(self, label_id: int) -> Label:
        for l in self.project.labels():
            if l.id == label_id:
                return l
        raise ProjectError(self.tr("There is no label with id {id}; it may have been deleted.").format(id=label_id))

    def _error(self, exc: Exception) -> None:
        self.message.show_message("error", engine_text(exc))
        return None

    def _changed(self, note: str) -> None:
        self.message.show_message("info", note)
        self.labelsChanged.emit()

    def _edit_cell(self, label_id: int, column: int, value: str) -> bool:
        if column == COL_NAME:
            return self.rename(label_id, value)
        if column == COL_HOTKEY:
            return self.set_hotkey(label_id, value)
        return False

    def _update_buttons(self, *_args) -> None:
        on = self.selected_label() is not None
        for b in (self.rename_button, self.color_button, self.hotkey_button, self.delete_button):
            b.setEnabled(on)

    def _edit_selected(self, column: int) -> None:
        lid = self.selected_label()
        if lid is None:
            return
        ix = self.model.index(self.model.row_of(lid), column)
        self.table.setCurrentIndex(ix)
        self.table.edit(ix)

    def _on_add(self) -> None:
        if self.add(self.name_edit.text()) is not None:
            self.name_edit.clear()

    def _on_rename(self) -> None:
        self._edit_selected(COL_NAME)

    def _on_hotkey(self) -> None:
        self._edit_selected(COL_HOTKEY)

    def _on_color(self) -> None:
        lid = self.selected_label()
        if lid is None:
            return
        color = self._ask_color(self._label(lid))
        if color:
            self.recolor(lid, color)

    def _on_delete(self) -> None:
        lid = self.selected_label()
        if lid is not None:
            self.delete(lid)

    def _on_double_click(self, index: QtCore.QModelIndex) -> None:
        if index.column() == COL_COLOR:
            self._on_color()
