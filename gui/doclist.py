"""Document list: a table model that fetches rows from the project in pages.

The model never loads all documents: Qt asks for more rows as the user scrolls
(``canFetchMore``/``fetchMore``), and a jump to a row far down loads only the page
it falls in.
"""
from __future__ import annotations

from engine.store import DocumentRow, Project
from gui.qt import QtCore, QtGui, Qt

PAGE = 256
COLUMNS = ("#", "Status", "Split", "Entities", "Text")
_STATUS_COLORS = {"done": "#59a14f", "new": "#9aa0a6", "skipped": "#e8a33d"}


class DocumentListModel(QtCore.QAbstractTableModel):
    """Rows of :class:`engine.store.DocumentRow` for a filter, loaded page by page."""

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.filters: dict = {}
        self._total = 0
        self._pages: dict[int, list[DocumentRow]] = {}
        self._loaded = 0
        self.refresh()

    # ---- filtering and refresh

    def set_filters(self, **filters) -> None:
        """Show only documents matching ``status``, ``split``, ``label_id``, ``query`` (None = any)."""
        self.filters = {k: v for k, v in filters.items() if v}
        self.refresh()

    def refresh(self) -> None:
        """Reload counts and drop cached pages (after an import or a filter change)."""
        self.beginResetModel()
        self._pages.clear()
        self._total = self._count()
        self._loaded = min(self._total, PAGE)
        self.endResetModel()

    def _count(self) -> int:
        f = self.filters
        if set(f) <= {"status", "split"}:
            return self.project.count_documents(status=f.get("status"), split=f.get("split"))
        where, params = self.project._doc_filter(**f)
        return self.project.conn.execute(f"SELECT count(*) FROM documents {where}", params).fetchone()[0]

    def _row(self, row: int) -> DocumentRow | None:
        page = row // PAGE
        if page not in self._pages:
            self._pages[page] = self.project.list_documents(page * PAGE, PAGE, **self.filters)
            if len(self._pages) > 64:  # bound memory on huge projects
                self._pages.pop(next(iter(self._pages)))
        rows = self._pages[page]
        i = row - page * PAGE
        return rows[i] if i < len(rows) else None

    def doc_id(self, row: int) -> int | None:
        """Return the document id shown at ``row``."""
        r = self._row(row) if 0 <= row < self._total else None
        return r.id if r else None

    def update_rows(self, doc_ids) -> None:
        """Re-read the rows of ``doc_ids`` (after an edit) without resetting the view."""
        ids = set(doc_ids)
        for page, rows in list(self._pages.items()):
            if any(r.id in ids for r in rows):
                self._pages[page] = self.project.list_documents(page * PAGE, PAGE, **self.filters)
                self.dataChanged.emit(self.index(page * PAGE, 0), self.index(page * PAGE + len(rows) - 1, len(COLUMNS) - 1))

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
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self._row(index.row())
        if r is None:
            return None
        col = index.column()
        if role == Qt.DisplayRole:
            return (r.id, r.status, r.split or "auto", r.n_spans, " ".join(r.preview.split()))[col]
        if role == Qt.ForegroundRole and col == 1:
            return QtGui.QColor(_STATUS_COLORS.get(r.status, "#888"))
        if role == Qt.TextAlignmentRole and col in (0, 3):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return r.id
        return None
