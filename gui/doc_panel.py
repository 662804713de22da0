"""The document list panel: search box, status/split/label filters, the paged list, a count.

::

    [🔍 Search text…  (Ctrl+F)                  ✕]
    [All statuses ▾] [All splits ▾] [All labels ▾]
       #  Status     Split  Entities  Text
      12  ● done     dev           2  Stabilized approach …
      …
    1,234 of 100,000 documents          Clear filters

The list is a :class:`gui.doclist.DocumentListModel`: it never loads all documents,
only the pages the view paints, so jumping to row 90,000 of 100,000 reads one or two
pages (the row's position comes from :meth:`engine.store.Project.row_of`, a count).

Signals:
    documentActivated(int): the current document changed (click, keys, a filter
        change, :meth:`DocumentPanel.select_doc`, :meth:`DocumentPanel.go_next` …).
        It fires once per change of document: re-selecting the document already shown
        (after :meth:`DocumentPanel.reload` or a filter change that keeps it) is silent.

Filter changes keep the shown document selected when the new filter still lists it;
otherwise the first row becomes current (and is activated). Edits do not re-filter:
:meth:`DocumentPanel.refresh_rows` updates rows in place, so a document marked done
under the "New" filter stays in the list until the filter changes or
:meth:`DocumentPanel.reload` runs.
"""
from __future__ import annotations

from engine.store import SPLITS, STATUSES, Project
from gui.doclist import (COL_CATEGORY as _COL_CATEGORY, COL_ENTS as _COL_ENTS, COL_ID as _COL_ID,
                         COL_SCORE as _COL_SCORE, COL_SPLIT as _COL_SPLIT, COL_STATUS as _COL_STATUS,
                         STATUS_COLORS, STATUS_NAMES, DocumentListModel, MutedRole, StatusRole, column_title,
                         split_text, status_text)
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

SEARCH_DELAY_MS = 200
#: the statuses as the status filter lists them
STATUS_TITLES = {
    "new": QtCore.QT_TRANSLATE_NOOP("DocumentPanel", "New"),
    "done": QtCore.QT_TRANSLATE_NOOP("DocumentPanel", "Done"),
    "skipped": QtCore.QT_TRANSLATE_NOOP("DocumentPanel", "Skipped"),
}


def _muted(palette: QtGui.QPalette) -> QtGui.QColor:
    """A text colour for secondary information that still reads on the base colour."""
    text, base = palette.color(QtGui.QPalette.Text), palette.color(QtGui.QPalette.Base)
    return QtGui.QColor.fromRgbF(*(t * 0.55 + b * 0.45 for t, b in zip(text.getRgbF()[:3], base.getRgbF()[:3])), 1.0)


def _swatch(color: str, size: int = 12) -> QtGui.QIcon:
    pm = QtGui.QPixmap(size, size)
    pm.fill(Qt.transparent)
    p = QtGui.QPainter(pm)
    p.setRenderHint(QtGui.QPainter.Antialiasing)
    c = QtGui.QColor(color)
    p.setPen(QtGui.QPen(c.darker(130), 1))
    p.setBrush(c)
    p.drawRoundedRect(QtCore.QRectF(1.5, 1.5, size - 3, size - 3), 3, 3)
    p.end()
    return QtGui.QIcon(pm)


def _search_icon(color: QtGui.QColor, size: int = 16) -> QtGui.QIcon:
    pm = QtGui.QPixmap(size * 2, size * 2)
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.transparent)
    p = QtGui.QPainter(pm)
    p.setRenderHint(QtGui.QPainter.Antialiasing)
    p.setPen(QtGui.QPen(color, 1.6, Qt.SolidLine, Qt.RoundCap))
    r = size * 0.3
    c = QtCore.QPointF(size * 0.43, size * 0.43)
    p.drawEllipse(c, r, r)
    p.drawLine(QtCore.QPointF(c.x() + r * 0.72, c.y() + r * 0.72), QtCore.QPointF(size * 0.82, size * 0.82))
    p.end()
    return QtGui.QIcon(pm)


_SELECTED = QtWidgets.QStyle.State_Selected
_ACTIVE = QtWidgets.QStyle.State_Active
_CE_ITEM = QtWidgets.QStyle.CE_ItemViewItem
_LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)
_ELIDE = Qt.ElideRight
_G_ACTIVE, _G_INACTIVE = QtGui.QPalette.Active, QtGui.QPalette.Inactive
_R_TEXT, _R_HTEXT = QtGui.QPalette.Text, QtGui.QPalette.HighlightedText


class _RowDelegate(QtWidgets.QStyledItemDelegate):
    """Paints every cell with even padding; the status as a coloured dot and word, placeholders muted.

    It runs for every painted cell, so enum members are looked up once (module constants)
    and the muted colour is cached per palette.
    """

    PAD = 6

    def __init__(self, parent=None):
        super().__init__(parent)
        self._muted_key = None
        self._muted = QtGui.QColor()
        self._dots = {s: (QtGui.QColor(c), QtGui.QColor(c).darker(120)) for s, c in STATUS_COLORS.items()}

    def muted(self, palette: QtGui.QPalette) -> QtGui.QColor:
        key = palette.cacheKey()
        if key != self._muted_key:
            self._muted_key, self._muted = key, _muted(palette)
        return self._muted

    def paint(self, painter, option, index) -> None:
        opt = QtWidgets.QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        (widget.style() if widget else QtWidgets.QApplication.style()).drawControl(_CE_ITEM, opt, painter, widget)

        state = opt.state
        selected = bool(state & _SELECTED)
        col = index.column()
        status = index.data(StatusRole) if col == _COL_STATUS else None
        pal = option.palette  # the view's colours (``opt`` carries the status colour as its text colour)
        if selected:
            fg = pal.color(_G_ACTIVE if state & _ACTIVE else _G_INACTIVE, _R_HTEXT)
        elif (col == _COL_STATUS and status == "new") or (col in (_COL_SPLIT, _COL_ENTS, _COL_SCORE, _COL_CATEGORY)
                                                        and index.data(MutedRole)):
            fg = self.muted(pal)
        else:
            fg = pal.color(_G_ACTIVE if state & _ACTIVE else _G_INACTIVE, _R_TEXT)
        rect = opt.rect.adjusted(self.PAD, 0, -self.PAD, 0)
        fm = opt.fontMetrics
        painter.save()
        if col == _COL_STATUS:
            painter.setRenderHint(QtGui.QPainter.Antialiasing)
            d = max(7.0, round(fm.height() * 0.5))
            dot = QtCore.QRectF(rect.left(), rect.center().y() - d / 2 + 1, d, d)
            fill, edge = self._dots.get(status) or (QtGui.QColor("#888888"), QtGui.QColor("#666666"))
            painter.setPen(QtGui.QPen(fg if selected else edge, 1))
            painter.setBrush(fill)
            painter.drawEllipse(dot)
            rect.setLeft(int(dot.right()) + 5)
        painter.setPen(fg)
        painter.setFont(opt.font)
        align = int(opt.displayAlignment) if col in (_COL_ID, _COL_ENTS, _COL_SCORE) else _LEFT
        painter.drawText(rect, align, fm.elidedText(text, _ELIDE, rect.width()))
        painter.restore()


class DocumentPanel(QtWidgets.QWidget):
    """Search, filters and the paged document list of one project.

    Public API: :attr:`documentActivated`, :meth:`current_doc_id`, :meth:`select_doc`,
    :meth:`select_row`, :meth:`go_next`, :meth:`go_previous`,
    :meth:`next_unfinished_after`, :meth:`refresh_rows`, :meth:`reload`,
    :meth:`reload_labels`, :meth:`focus_search`, :meth:`clear_filters`, :meth:`filters`;
    attributes :attr:`table` (the ``QTableView``), :attr:`model`, :attr:`search`.

    No row is current after construction: connect :attr:`documentActivated`, then call
    ``select_row(0)`` (or :meth:`select_doc`). The panel defines no shortcut of its own:
    the window's Find action (Ctrl+F) calls :meth:`focus_search`, and Ctrl+Right/Left
    call :meth:`go_next`/:meth:`go_previous`.
    """

    documentActivated = Signal(int)

    def __init__(self, project: Project, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self._shown_id: int | None = None  # the document last announced by documentActivated
        self._all_count = 0

        # ---- search and filters
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText(self.tr("Search text…  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search documents"))
        self._search_action = self.search.addAction(QtGui.QIcon(), QtWidgets.QLineEdit.LeadingPosition)
        self.search.installEventFilter(self)
        self._search_timer = QtCore.QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)

        self.status_combo = QtWidgets.QComboBox()
        self.status_combo.setAccessibleName(self.tr("Status filter"))
        self.status_combo.addItem(self.tr("All statuses"), None)
        for s in STATUSES:
            dot = QtGui.QPixmap(12, 12)
            dot.fill(Qt.transparent)
            p = QtGui.QPainter(dot)
            p.setRenderHint(QtGui.QPainter.Antialiasing)
            p.setPen(Qt.NoPen)
            p.setBrush(QtGui.QColor(STATUS_COLORS[s]))
            p.drawEllipse(QtCore.QRectF(2, 2, 8, 8))
            p.end()
            title = STATUS_TITLES.get(s)
            title = QtCore.QCoreApplication.translate("DocumentPanel", title) if title else s.capitalize()
            self.status_combo.addItem(QtGui.QIcon(dot), title, s)
        self.status_combo.addItem(self.tr("Conflicts"), "conflict")  # no-tr: the data value
        self.status_combo.setItemData(
            self.status_combo.count() - 1,
            self.tr("Documents whose text is in the project more than once with different entities: "
                    "keep the right copy"),
            Qt.ToolTipRole,
        )

        self.split_combo = QtWidgets.QComboBox()
        self.split_combo.setAccessibleName(self.tr("Split filter"))
        self.split_combo.addItem(self.tr("All splits"), None)
        for s in SPLITS:
            self.split_combo.addItem(split_text(s), s)
        self.split_combo.addItem(self.tr("none (auto)"), "none")  # no-tr: the data value
        self.split_combo.setItemData(
            self.split_combo.count() - 1, self.tr("Documents with no split set (assigned automatically)"),
            Qt.ToolTipRole
        )

        self.label_combo = QtWidgets.QComboBox()
        self.label_combo.setAccessibleName(self.tr("Label filter"))
        self.label_combo.setToolTip(self.tr("Documents with at least one entity of this label, or of this category"))

        self.order_combo = QtWidgets.QComboBox()
        self.order_combo.setAccessibleName(self.tr("Order"))
        self.order_combo.addItem(self.tr("In list order"), "id")  # no-tr: the data value
        self.order_combo.addItem(self.tr("Least sure first"), "uncertainty")  # no-tr: the data value
        self.order_combo.setToolTip(self.tr(
            "Which document Done && next opens: the next in the list, or the one the model is least sure about "
            "(active learning: those teach it most). Least sure first also sorts the list by the Unsure column."))
        self.order_combo.currentIndexChanged.connect(lambda _i: self.set_order(self.order_combo.currentData()))

        for combo in (self.status_combo, self.split_combo, self.label_combo):
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Fixed)
            combo.currentIndexChanged.connect(self._apply_filters)

        # ---- the list
        self.model = DocumentListModel(project, self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Documents"))
        self.table.setItemDelegate(_RowDelegate(self.table))
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.setCornerButtonEnabled(False)
        self.table.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollPerPixel)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QtWidgets.QHeaderView.Fixed)  # uniform rows: far jumps need no measuring
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionsClickable(False)
        hh.setStretchLastSection(True)
        hh.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)

        self.empty = QtWidgets.QLabel(self.table.viewport())
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()

        # ---- footer
        self.count_label = QtWidgets.QLabel()
        self.count_label.setAccessibleName(self.tr("Document count"))
        self.clear_link = QtWidgets.QLabel('<a href="clear">{text}</a>'.format(text=self.tr("Clear filters")))
        self.clear_link.setTextInteractionFlags(Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
        self.clear_link.linkActivated.connect(lambda _l: self.clear_filters())
        self.clear_link.hide()

        filters = QtWidgets.QHBoxLayout()
        filters.setSpacing(4)
        for combo in (self.status_combo, self.split_combo, self.label_combo):
            filters.addWidget(combo, 1)
        footer = QtWidgets.QHBoxLayout()
        footer.setContentsMargins(4, 0, 4, 0)
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        footer.addWidget(self.clear_link)
        footer.addWidget(self.order_combo)

        top = QtWidgets.QVBoxLayout()
        top.setContentsMargins(6, 6, 6, 0)
        top.setSpacing(4)
        top.addWidget(self.search)
        top.addLayout(filters)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 4)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(footer)

        self.table.viewport().installEventFilter(self)

        self._restyle()
        self.update_score_column()
        self.reload_labels(apply=False)
        self._update_footer()  # no row is current yet: the host connects documentActivated, then selects

    # ------------------------------------------------------------------ public API

    def current_doc_id(self) -> int | None:
        """Return the id of the document on the current row, or ``None`` when no row is current."""
        idx = self.table.currentIndex()
        return self.model.doc_id(idx.row()) if idx.isValid() else None

    def select_row(self, row: int, *, center: bool = False) -> bool:
        """Make ``row`` (under the current filter) current and scroll to it; ``False`` if out of range.

        Only the page of ``row`` (and those the view paints) is read, however far down it is.
        """
        if not 0 <= row < self.model.total():
            return False
        self.model.ensure_loaded(row)
        idx = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            idx, QtCore.QItemSelectionModel.ClearAndSelect | QtCore.QItemSelectionModel.Rows
        )
        self.table.scrollTo(idx, QtWidgets.QAbstractItemView.PositionAtCenter if center else QtWidgets.QAbstractItemView.EnsureVisible)
        return True

    def select_doc(self, doc_id: int, *, clear_filters: bool = True) -> bool:
        """Select document ``doc_id`` and scroll to it.

        When the current filters leave it out, they are cleared first (search, status,
        split, label) if ``clear_filters`` (the default), so the document can always be
        shown; with ``clear_filters=False`` nothing changes and ``False`` is returned.
        ``False`` also when no such document exists. Its row comes from a count query:
        no rows before it are loaded.
        """
        row = self.model.row_of(doc_id)
        if row is None:
            if not clear_filters or not self.model.filters:
                return False
            if self.project.row_of(doc_id) is None:  # no such document: keep the filters
                return False
            self._reset_filter_widgets()
            self.model.set_filters()
            row = self.model.row_of(doc_id)
            self._update_footer()
            if row is None:
                return False
        if self.model.doc_id(row) != doc_id:
            # Cached pages went stale (an edit moved documents in or out of a status or
            # label filter): apply the filter afresh and find the row again.
            self.model.refresh()
            self._update_footer()
            row = self.model.row_of(doc_id)
            if row is None:
                return False
        return self.select_row(row, center=True)

    def go_next(self) -> bool:
        """Move to the next row (the first one when none is current); ``False`` at the end."""
        idx = self.table.currentIndex()
        return self.select_row(idx.row() + 1 if idx.isValid() else 0)

    def go_previous(self) -> bool:
        """Move to the previous row (the first one when none is current); ``False`` at the top."""
        idx = self.table.currentIndex()
        if not idx.isValid():
            return self.select_row(0)
        return idx.row() > 0 and self.select_row(idx.row() - 1)

    def next_unfinished_after(self, doc_id: int | None) -> int | None:
        """Return the first ``new`` document after ``doc_id`` in list order, wrapping around.

        The split, label and search filters apply; the status filter does not (it may
        be "Done", which lists no unfinished document), so the result may be outside
        the current list: :meth:`select_doc` then clears the filters. ``None`` when no
        other document is unfinished.
        """
        f = {k: v for k, v in self.model.filters.items() if k != "status"}
        if self.model.order == "uncertainty":
            from engine.loop.queue import label_queue

            nxt = label_queue(self.project, order="uncertainty", n=1, exclude=[doc_id] if doc_id is not None else [])
            return nxt[0] if nxt else None
        return self.project.next_unfinished_after(doc_id, **f)

    def order(self) -> str:
        """``"id"`` (list order) or ``"uncertainty"`` (least sure first; Done && next follows it)."""
        return self.model.order

    def set_order(self, order: str) -> None:
        """List (and pick the next document) by id or by the model's uncertainty."""
        i = self.order_combo.findData(order)
        if i >= 0 and i != self.order_combo.currentIndex():
            self.order_combo.setCurrentIndex(i)  # comes back here through the signal
            return
        if order != self.model.order:
            self.model.set_order(order)
            self.update_score_column()
            self._after_reset(self._shown_id)

    def update_score_column(self) -> None:
        """Show the Unsure column once some document has a score (after suggestions), the
        Category column when the project has categories, and Entities when it has entity
        labels (or no labels at all)."""
        self.table.setColumnHidden(_COL_SCORE, not self.project.has_scores())
        fm = self.table.fontMetrics()
        self.table.setColumnWidth(_COL_SCORE, fm.horizontalAdvance(column_title(_COL_SCORE)) + 2 * _RowDelegate.PAD + 4)
        categories = bool(self.project.labels(kind="category"))
        was_hidden = self.table.isColumnHidden(_COL_CATEGORY)
        self.table.setColumnHidden(_COL_CATEGORY, not categories)
        self.table.setColumnHidden(_COL_ENTS, categories and not self.project.labels(kind="entity"))
        if categories and was_hidden:
            self.table.setColumnWidth(_COL_CATEGORY, fm.horizontalAdvance("card_payment_not_recognised") // 2
                                      + 2 * _RowDelegate.PAD)

    def refresh_rows(self, doc_ids) -> None:
        """Re-read the rows of ``doc_ids`` after an edit (entity count, status, split), in place."""
        self.model.update_rows(doc_ids)

    def reload(self) -> None:
        """Re-read everything (after an import, a deletion or label changes), keeping the shown document selected.

        When that document is gone or filtered out, the row at the same position (or
        the last one) becomes current.
        """
        idx = self.table.currentIndex()
        old_row = idx.row() if idx.isValid() else 0
        self.reload_labels(apply=False)
        self.model.set_filters(**self._filters())
        self.update_score_column()
        self._after_reset(self._shown_id, old_row)

    def reload_labels(self, *, apply: bool = True) -> None:
        """Refill the label filter from the project; a deleted label's filter falls back to all labels."""
        keep = self.label_combo.currentData()
        self.label_combo.blockSignals(True)
        self.label_combo.clear()
        self.label_combo.addItem(self.tr("All labels"), None)
        for lab in self.project.labels(kind="entity"):
            self.label_combo.addItem(_swatch(lab.color), lab.name, lab.id)
        categories = self.project.labels(kind="category")
        if categories:
            self.label_combo.insertSeparator(self.label_combo.count())
            for lab in categories:
                self.label_combo.addItem(_swatch(lab.color), lab.name, lab.id)
                self.label_combo.setItemData(self.label_combo.count() - 1, self.tr("Documents of this category"),
                                             Qt.ToolTipRole)
        i = self.label_combo.findData(keep) if keep is not None else 0
        self.label_combo.setCurrentIndex(max(i, 0))
        self.label_combo.blockSignals(False)
        if apply and self.model.filters.get("label_id") != self.label_combo.currentData():
            self._apply_filters()

    def focus_search(self) -> None:
        """Put the keyboard focus in the search box with its text selected (Ctrl+F)."""
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    def clear_filters(self) -> None:
        """Show all documents (empty search, all statuses, splits and labels)."""
        self._reset_filter_widgets()
        self._apply_filters()

    def filters(self) -> dict:
        """Return the filters in effect (``status``, ``split``, ``label_id``, ``query``; absent = any)."""
        return dict(self.model.filters)

    # ------------------------------------------------------------------ internals

    def _filters(self) -> dict:
        return {
            "status": self.status_combo.currentData(),
            "split": self.split_combo.currentData(),
            "label_id": self.label_combo.currentData(),
            "query": self.search.text().strip() or None,
        }

    def _reset_filter_widgets(self) -> None:
        self._search_timer.stop()
        for w in (self.search, self.status_combo, self.split_combo, self.label_combo):
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.status_combo, self.split_combo, self.label_combo):
            combo.setCurrentIndex(0)
        for w in (self.search, self.status_combo, self.split_combo, self.label_combo):
            w.blockSignals(False)

    def _search_now(self) -> None:
        self._search_timer.stop()
        self._apply_filters()
        if self.model.total():
            self.table.setFocus(Qt.OtherFocusReason)

    def show_conflicts(self) -> None:
        """Filter the list to conflicting copies (same text as another document)."""
        self.status_combo.setCurrentIndex(self.status_combo.findData("conflict"))

    def _apply_filters(self, *_args) -> None:
        self._search_timer.stop()
        f = {k: v for k, v in self._filters().items() if v}
        if f == self.model.filters:
            return
        self.model.set_filters(**f)
        self._after_reset(self._shown_id)

    def _after_reset(self, prefer: int | None, fallback_row: int = 0) -> None:
        """After the model was reset: select ``prefer`` if listed, else ``fallback_row`` (clamped)."""
        row = self.model.row_of(prefer) if prefer is not None else None
        if row is not None:
            self.select_row(row, center=True)
        elif self.model.total():
            self.select_row(min(max(fallback_row, 0), self.model.total() - 1), center=True)
        self._update_footer()

    def _update_footer(self) -> None:
        self._all_count = self.project.count_documents()
        shown = self.model.total()
        filtered = bool(self.model.filters)
        one = self._all_count == 1
        if filtered:
            text = self.tr("{shown} of {total} document") if one else self.tr("{shown} of {total} documents")
        else:
            text = self.tr("{total} document") if one else self.tr("{total} documents")
        self.count_label.setText(text.format(shown=f"{shown:,}", total=f"{self._all_count:,}"))
        self.clear_link.setVisible(filtered)
        if shown == 0:
            self.empty.setText(
                self.tr("No document matches these filters.") if filtered
                else self.tr("No documents yet.\nImport a file to start labelling.")
            )
            self.empty.show()
            self._place_empty()
        else:
            self.empty.hide()
        digits = len(f"{max(self._all_count, 1) * 10:,}".replace(",", ""))
        fm = self.table.fontMetrics()
        self.table.setColumnWidth(_COL_ID, max(fm.horizontalAdvance("9" * digits), fm.horizontalAdvance("#")) + 2 * _RowDelegate.PAD)

    def _place_empty(self) -> None:
        vp = self.table.viewport().rect()
        self.empty.setGeometry(vp.adjusted(16, 0, -16, 0))

    def _on_current_row(self, current: QtCore.QModelIndex, _previous=None) -> None:
        if not current.isValid():
            return
        doc_id = self.model.doc_id(current.row())
        if doc_id is not None and doc_id != self._shown_id:
            self._shown_id = doc_id
            self.documentActivated.emit(doc_id)

    def _restyle(self) -> None:
        pal = self.palette()
        muted = _muted(pal)
        self._search_action.setIcon(_search_icon(muted))
        self.count_label.setStyleSheet(f"color: {muted.name()}")
        self.empty.setStyleSheet(f"color: {muted.name()}")
        fm = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(fm.height() + 8)
        pad = 2 * _RowDelegate.PAD
        widest = max(fm.horizontalAdvance(status_text(s)) for s in STATUS_NAMES)
        self.table.setColumnWidth(_COL_STATUS, widest + round(fm.height() * 0.5) + 5 + pad + 2)
        self.table.setColumnWidth(_COL_SPLIT, fm.horizontalAdvance(split_text("train")) + pad + 4)
        self.table.setColumnWidth(_COL_ENTS, fm.horizontalAdvance(column_title(_COL_ENTS)) + pad + 4)

    # ------------------------------------------------------------------ Qt events

    def eventFilter(self, obj, event) -> bool:
        if obj is self.table.viewport() and event.type() == QtCore.QEvent.Resize:
            if self.empty.isVisible():
                self._place_empty()
            return False
        if obj is self.search and event.type() == QtCore.QEvent.KeyPress:
            key = event.key()
            if key in (Qt.Key_Down, Qt.Key_PageDown):
                self._search_now()
                self.table.setFocus(Qt.OtherFocusReason)
                return True
            if key == Qt.Key_Escape:
                if self.search.text():
                    self.search.clear()
                    self._apply_filters()
                else:
                    self.table.setFocus(Qt.OtherFocusReason)
                return True
        return super().eventFilter(obj, event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QtCore.QEvent.PaletteChange, QtCore.QEvent.FontChange, QtCore.QEvent.StyleChange):
            if hasattr(self, "count_label"):
                self._restyle()
