"""The per-label table: precision, recall, F1 and support of one evaluation."""
from __future__ import annotations

from gui.label_style import swatch_icon
from gui.qt import QtCore, QtGui, QtWidgets, Qt
from gui.training.live import Evaluation

_CTX = "LabelMetricsTable"
COLUMNS = (QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "Label"),
           QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "Precision"),
           QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "Recall"), "F1",
           QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "Support"))
TIPS = (
    QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "The entity type"),
    QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "Of the entities the model found, the share that are right"),
    QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "Of the entities in the held-out documents, the share the model found"),
    QtCore.QT_TRANSLATE_NOOP(
        "LabelMetricsTable",
        "The balance of precision and recall (higher is better); in brackets its 95% interval: the range the score "
        "would likely fall in on other documents like the dev ones"),
    QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "How many entities of this type the held-out documents contain"),
)
#: the overall row's titles (English keys; shown translated)
ALL_MICRO = QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "All (micro)")
ALL_MACRO = QtCore.QT_TRANSLATE_NOOP("LabelMetricsTable", "All (macro)")


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def fmt_ci(value: float | None, ci: tuple[float, float] | None) -> str:
    """``"0.40 (0.00-0.80)"``: a score with its 95% interval (just the score without one)."""
    from engine.scores import interval_text

    if value is None:
        return "–"
    return interval_text(value, ci) if ci else f"{value:.3f}"


def setup_table(table: QtWidgets.QTableWidget, columns, tips, *, stretch: int, context: str = _CTX) -> None:
    """Make ``table`` a read-only score table: headers ``columns`` with tooltips ``tips``
    (English, shown translated in the Qt context ``context``), no row numbers or grid,
    alternating rows, column ``stretch`` taking the spare width."""
    def tr(text: str) -> str:
        return QtCore.QCoreApplication.translate(context, text) if text else text

    table.setHorizontalHeaderLabels([tr(c) for c in columns])
    for i, tip in enumerate(tips):
        table.horizontalHeaderItem(i).setToolTip(tr(tip))
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
    table.setSelectionMode(QtWidgets.QAbstractItemView.NoSelection)
    table.setFocusPolicy(Qt.NoFocus)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    h = table.horizontalHeader()
    for i in range(len(columns)):
        h.setSectionResizeMode(i, QtWidgets.QHeaderView.Stretch if i == stretch
                               else QtWidgets.QHeaderView.ResizeToContents)
    h.setHighlightSections(False)


def _ci(ev: Evaluation, name: str) -> tuple[float, float] | None:
    lo, hi = ev.overall.get(f"{name}_lo"), ev.overall.get(f"{name}_hi")
    return None if lo is None or hi is None else (lo, hi)


class LabelMetricsTable(QtWidgets.QTableWidget):
    """Rows per label plus a bold "All (micro)" row (``overall_title``: "All (macro)" for a
    document classifier, whose overall scores are macro averages); sortable; numbers right-aligned."""

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        setup_table(self, COLUMNS, TIPS, stretch=0)
        self.label_colors: dict[str, str] = {}
        self._key = None
        self.overall_title = ALL_MICRO  # the English key: ALL_MICRO or ALL_MACRO

    def set_label_colors(self, colors: dict[str, str]) -> None:
        self.label_colors = dict(colors)
        self._key = None

    def set_evaluation(self, ev: Evaluation | None) -> None:
        """Show ``ev`` (``None``: empty table)."""
        key = None if ev is None else (ev.step, repr(ev.overall), repr(ev.labels), self.overall_title)
        if key == self._key:
            return
        self._key = key
        self.setSortingEnabled(False)
        rows = [] if ev is None else ev.rows()
        self.setRowCount(len(rows) + (1 if ev is not None else 0))
        for r, (name, p, rec, f1, sup) in enumerate(rows):
            item = QtWidgets.QTableWidgetItem(name)
            color = self.label_colors.get(name)
            if color:
                item.setIcon(swatch_icon(color, 12))
            self.setItem(r, 0, item)
            for c, (v, digits) in enumerate(((p, 3), (rec, 3), (f1, 3), (sup, 0)), start=1):
                cell = QtWidgets.QTableWidgetItem(fmt_ci(v, ev.label_ci(name)) if c == 3 else fmt(v, digits))
                cell.setData(Qt.UserRole, v)
                cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.setItem(r, c, cell)
        if ev is not None:
            r = len(rows)
            total = sum(v for *_, v in rows if v is not None) if rows else None
            values = (ev.overall.get("precision"), ev.overall.get("recall"), ev.overall.get("f1"), total)
            font = QtGui.QFont(self.font())
            font.setBold(True)
            item = QtWidgets.QTableWidgetItem(QtCore.QCoreApplication.translate(_CTX, self.overall_title))
            item.setFont(font)
            if self.overall_title == ALL_MICRO:
                item.setToolTip(self.tr("Macro F1 (every label counts the same): {f1}").format(
                    f1=fmt(ev.overall.get('f1_macro'))))
            else:
                item.setToolTip(self.tr("Averages over the categories (each counts the same). Accuracy: {accuracy}")
                                .format(accuracy=fmt_ci(ev.overall.get('accuracy'), _ci(ev, 'accuracy'))))
            self.setItem(r, 0, item)
            for c, (v, digits) in enumerate(zip(values, (3, 3, 3, 0)), start=1):
                cell = QtWidgets.QTableWidgetItem(fmt_ci(v, ev.f1_ci) if c == 3 else fmt(v, digits))
                cell.setFont(font)
                cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.setItem(r, c, cell)

    def cell_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item else ""

    def row_of(self, label: str) -> int:
        """Row index of ``label`` (-1 when absent)."""
        for r in range(self.rowCount()):
            if self.cell_text(r, 0) == label:
                return r
        return -1

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(320, 160)
