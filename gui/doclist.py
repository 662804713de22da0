"""Document list: a table model that fetches rows from the project in pages.

The model never loads all documents: Qt asks for more rows as the user scrolls
(``canFetchMore``/``fetchMore``), and a jump to a row far down loads only the page
it falls in.
"""
from __future__ import annotations

from engine.store import DocumentRow, Project
from gui.qt import QtCore, QtGui, Qt

PAGE = 256
#: column headers (English; shown translated, see :func:`column_title`)
COLUMNS = (
    "#",
    QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "Status"),
    QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "Split"),
    QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "Entities"),
    QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "Unsure"),
    QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "Category"),
    QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "Text"),
)
COL_ID, COL_STATUS, COL_SPLIT, COL_ENTS, COL_SCORE, COL_CATEGORY, COL_TEXT = range(len(COLUMNS))
STATUS_COLORS = {"done": "#59a14f", "new": "#9aa0a6", "skipped": "#e8a33d"}
#: the statuses and splits as shown (the stored values stay English: see :func:`status_text`)
STATUS_NAMES = {
    "new": QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "new"),
    "done": QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "done"),
    "skipped": QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "skipped"),
}
SPLIT_NAMES = {
    "train": QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "train"),
    "dev": QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "dev"),
    "test": QtCore.QT_TRANSLATE_NOOP("DocumentListModel", "test"),
}
#: Data role: True where a cell shows a placeholder value (no split, no entity) to draw muted.
MutedRole = int(Qt.UserRole) + 1
#: Data role: the stored (English) status of a row, whatever the language shown.
StatusRole = int(Qt.UserRole) + 2


def _translate(text: str) -> str:
    return QtCore.QCoreApplication.translate("DocumentListModel", text)


def column_title(col: int) -> str:
    """The header of column ``col`` in the interface's language."""
    return _translate(COLUMNS[col])


def status_text(status: str) -> str:
    """A document status (``new``, ``done``, ``skipped``) in the interface's language."""
    return _translate(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def split_text(split: str | None) -> str:
    """A split (``train``, ``dev``, ``test``; ``None``: assigned when training) as shown."""
    if not split:
        return QtCore.QCoreApplication.translate("DocumentListModel", "auto")
    return _translate(SPLIT_NAMES[split]) if split in SPLIT_NAMES else split

# Roles as plain ints: data() runs for every role of every painted cell, and comparing
# an int with a Qt enum member costs microseconds each in PySide6.
_DISPLAY, _FOREGROUND, _ALIGN, _TOOLTIP, _USER = (
    int(r) for r in (Qt.DisplayRole, Qt.ForegroundRole, Qt.TextAlignmentRole, Qt.ToolTipRole, Qt.UserRole)
)
_RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
_STATUS_QCOLORS: dict[str, QtGui.QColor] = {}


class DocumentListModel(QtCore.QAbstractTableModel):
    """Rows of :class:`engine.store.DocumentRow` for a filter, loaded page by page."""

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.filters: dict = {}
        self.order = "id"  # or "uncertainty": the least certain first (engine.store.LIST_ORDERS)
        self._total = 0
        self._pages: dict[int, list[DocumentRow]] = {}
        self._loaded = 0
        self.fetches = 0  # pages read from the store (diagnostics and tests)
        self._names: dict[str, str] = {}  # stored status/split -> as shown (data() runs per painted cell)
        self.refresh()

    # ---- filtering and refresh

    def set_filters(self, **filters) -> None:
        """Show only documents matching ``status``, ``split``, ``label_id``, ``query`` (None = any)."""
        self.filters = {k: v for k, v in filters.items() if v}
        self.refresh()

    def set_order(self, order: str) -> None:
        """List by id, or (``"uncertainty"``) the documents the model is least sure about first."""
        if order != self.order:
            self.order = order
            self.refresh()

    def refresh(self) -> None:
        """Reload counts and drop cached pages (after an import or a filter change)."""
        self.beginResetModel()
        self._names = {**{s: status_text(s) for s in STATUS_NAMES}, **{s: split_text(s) for s in SPLIT_NAMES},
                       "": split_text(None)}
        self._pages.clear()
        self._total = self._count()
        self._loaded = min(self._total, PAGE)
        self.endResetModel()

    def _count(self) -> int:
        return self.project.count_filtered(**self.filters)

    def _row(self, row: int) -> DocumentRow | None:
        page = row // PAGE
        if page not in self._pages:
            self._pages[page] = self.project.list_documents(page * PAGE, PAGE, order=self.order, **self.filters)
            self.fetches += 1
            if len(self._pages) > 64:  # bound memory on huge projects
                self._pages.pop(next(iter(self._pages)))
        rows = self._pages[page]
        i = row - page * PAGE
        return rows[i] if i < len(rows) else None

    def doc_id(self, row: int) -> int | None:
        """Return the document id shown at ``row``."""
        r = self._row(row) if 0 <= row < self._total else None
        return r.id if r else None

    def row_of(self, doc_id: int) -> int | None:
        """Return the row of ``doc_id`` under the current filter (``None`` if filtered out); loads no page."""
        return self.project.row_of(doc_id, order=self.order, **self.filters)

    def update_rows(self, doc_ids) -> None:
        """Re-read the rows of ``doc_ids`` (after an edit) without resetting the view.

        Rows are re-read by id and stay where they are, even when the edit means the
        filter would now leave them out (a document marked done under "New"): the list
        does not jump under the user; :meth:`refresh` applies the filter again.
        """
        ids = set(doc_ids)
        cached = [(page, i) for page, rows in self._pages.items() for i, r in enumerate(rows) if r.id in ids]
        if not cached:
            return
        fresh = {r.id: r for r in self.project.document_rows(ids)}
        for page, i in cached:
            rows = self._pages[page]
            new = fresh.get(rows[i].id)
            if new is not None:
                rows[i] = new
                row = page * PAGE + i
                if row < self._loaded:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def ensure_loaded(self, row: int) -> None:
        """Make ``row`` available to the view (used to jump far down a long list)."""
        if row >= self._loaded and row < self._total:
            self.beginInsertRows(QtCore.QModelIndex(), self._loaded, row)
            self._loaded = row + 1
            self.endInsertRows()

    # ---- Qt model API

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent=QtCore.QModelIndex()) -> bool:
        return not parent.isValid() and self._loaded < self._total

    def fetchMore(self, parent=QtCore.QModelIndex()) -> None:
        n = min(PAGE, self._total - self._loaded)
        if n <= 0:
            return
        self.beginInsertRows(QtCore.QModelIndex(), self._loaded, self._loaded + n - 1)
        self._loaded += n
        self.endInsertRows()

    def total(self) -> int:
        """Return the number of documents matching the filter (loaded or not)."""
        return self._total

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation != Qt.Horizontal:
            return None
        if role == Qt.DisplayRole:
            return column_title(section)
        if role == Qt.TextAlignmentRole:
            return int((Qt.AlignRight if section in (COL_ID, COL_ENTS, COL_SCORE) else Qt.AlignLeft) | Qt.AlignVCenter)
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self._row(index.row())
        if r is None:
            return None
        col = index.column()
        if role == _DISPLAY:
            if col == COL_TEXT:
                return " ".join(r.preview.split())
            if col == COL_SCORE:
                return f"{r.score:.2f}" if r.score is not None else "–"
            if col == COL_CATEGORY:
                return r.categories or "–"
            if col == COL_STATUS:
                return self._names.get(r.status, r.status)
            if col == COL_SPLIT:
                return self._names.get(r.split or "", r.split)
            return r.id if col == COL_ID else r.n_spans
        if role == _ALIGN:
            return _RIGHT if col in (COL_ID, COL_ENTS, COL_SCORE) else None
        if role == _FOREGROUND:
            if col != COL_STATUS:
                return None
            c = _STATUS_QCOLORS.get(r.status)
            if c is None:
                c = _STATUS_QCOLORS[r.status] = QtGui.QColor(STATUS_COLORS.get(r.status, "#888"))
            return c
        if role == StatusRole:
            return r.status
        if role == MutedRole:
            return ((col == COL_SPLIT and not r.split) or (col == COL_ENTS and r.n_spans == 0)
                    or (col == COL_SCORE and r.score is None) or (col == COL_CATEGORY and not r.categories))
        if role == _TOOLTIP:
            if col == COL_SCORE:
                if r.score is None:
                    return QtCore.QCoreApplication.translate(
                        "DocumentListModel", "Not scored yet: choose a model under Model ▸ Suggest with…")
                return QtCore.QCoreApplication.translate(
                    "DocumentListModel",
                    "How unsure the model is about this document (1 minus the smallest gap between a word's "
                    "two likeliest tags; higher = less sure). Sort by it with the list's order switch.")
            if col == COL_TEXT:
                return " ".join(r.preview.split()) + ("…" if len(r.preview) >= 120 else "")
            if col == COL_CATEGORY:
                return r.categories or QtCore.QCoreApplication.translate("DocumentListModel", "No category yet")
            if col == COL_SPLIT and not r.split:
                return QtCore.QCoreApplication.translate(
                    "DocumentListModel", "No split set: assigned automatically when training")
            return None
        if role == _USER:
            return r.id
        return None
