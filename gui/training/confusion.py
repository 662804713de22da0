"""The confusion view of a document classifier: which categories the model mixes up.

Up to :data:`HEATMAP_MAX` categories it is a heat map (rows: the category a document
has, columns: the one the model gave it; each row shaded by its share of that row, the
diagonal in blue, mistakes in orange; counts in the cells; a tooltip names both
categories). With more categories a heat map is unreadable, so it is a table of the
most frequent confusions instead. The numbers come from the run's best checkpoint
(``best/tessera_run.json``: the dev confusion matrix at the best step).
"""
from __future__ import annotations

import json
from pathlib import Path

from gui.label_style import is_dark, mix
from gui.qt import QtCore, QtGui, QtWidgets, Qt
from gui.training.tables import setup_table

#: Most categories drawn as a heat map.
HEATMAP_MAX = 30
#: Rows of the confusion list (more categories than HEATMAP_MAX).
TOP_CONFUSIONS = 50


def read_confusion(best_dir: str | Path | None) -> tuple[list[str], list[list[int]], int] | None:
    """Return ``(categories, confusion, step)`` from a classifier run's ``best/``, or ``None``."""
    if best_dir is None:
        return None
    try:
        info = json.loads((Path(best_dir) / "tessera_run.json").read_text(encoding="utf-8"))
        names = list(info["categories"])
        matrix = info["best"]["scores"]["confusion"]
        step = int(info["best"].get("step", 0))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if len(matrix) != len(names):
        return None
    return names, matrix, step


class HeatMap(QtWidgets.QWidget):
    """The confusion matrix drawn as shaded cells with counts."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.names: list[str] = []
        self.matrix: list[list[int]] = []
        self.setMouseTracking(True)
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Expanding)

    def set_matrix(self, names: list[str], matrix: list[list[int]]) -> None:
        self.names, self.matrix = list(names), [list(r) for r in matrix]
        left, top, _cell = self._geometry()
        n, cell = len(self.names), self._min_cell()
        self.setMinimumSize(int(left + n * cell + 8), int(top + n * cell + 8))  # a scroll area shows the rest
        self.update()

    def _min_cell(self) -> float:
        """The smallest cell: a line of text high, so names and counts never overlap."""
        return float(self.fontMetrics().height() + 6)

    def _geometry(self) -> tuple[float, float, float]:
        """``(left margin, top margin, cell size)``."""
        fm = self.fontMetrics()
        n = max(1, len(self.names))
        label_w = min(180, max((fm.horizontalAdvance(x) for x in self.names), default=40) + 10)
        top = label_w * 0.8
        cell = max(self._min_cell(), min((self.width() - label_w - 8) / n, (self.height() - top - 8) / n, 48.0))
        return label_w, top, cell

    def cell_at(self, pos: QtCore.QPointF) -> tuple[int, int] | None:
        """Return ``(row, column)`` of the cell under ``pos``, or ``None``."""
        left, top, cell = self._geometry()
        r, c = int((pos.y() - top) // cell), int((pos.x() - left) // cell)
        n = len(self.names)
        return (r, c) if 0 <= r < n and 0 <= c < n and pos.x() >= left and pos.y() >= top else None

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.Antialiasing)
        pal = self.palette()
        base, text = pal.color(QtGui.QPalette.Base), pal.color(QtGui.QPalette.Text)
        p.fillRect(self.rect(), base)
        if not self.names:
            p.end()
            return
        dark = is_dark(pal)
        good, bad = QtGui.QColor("#4e79a7" if not dark else "#7aa2f7"), QtGui.QColor("#e8743b")
        left, top, cell = self._geometry()
        fm = self.fontMetrics()
        small = QtGui.QFont(self.font())
        small.setPointSizeF(max(6.0, min(small.pointSizeF(), cell * 0.45)))
        p.setFont(small)
        sfm = QtGui.QFontMetricsF(small)
        n = len(self.names)
        for r in range(n):
            total = sum(self.matrix[r]) or 1
            for c in range(n):
                v = self.matrix[r][c]
                rect = QtCore.QRectF(left + c * cell, top + r * cell, cell - 1, cell - 1)
                share = v / total
                fill = mix(base, good if r == c else bad, 0.08 + 0.92 * share) if v else mix(base, text, 0.04)
                p.fillRect(rect, fill)
                if v and cell >= 14:
                    p.setPen(text if share < 0.55 else base)
                    p.drawText(rect, Qt.AlignCenter, str(v) if sfm.horizontalAdvance(str(v)) < cell else "")
        p.setFont(self.font())
        p.setPen(text)
        for i, name in enumerate(self.names):
            shown = fm.elidedText(name, Qt.ElideRight, int(left - 10))
            p.drawText(QtCore.QRectF(0, top + i * cell, left - 6, cell), Qt.AlignRight | Qt.AlignVCenter, shown)
            p.save()
            p.translate(left + i * cell + cell / 2 + fm.ascent() / 2 - 2, top - 4)  # no-tr: a painter move
            p.rotate(-65)
            p.drawText(QtCore.QPointF(0, 0), fm.elidedText(name, Qt.ElideRight, int(top * 1.05)))
            p.restore()
        p.end()

    def event(self, e: QtCore.QEvent) -> bool:
        if e.type() == QtCore.QEvent.ToolTip:
            hit = self.cell_at(QtCore.QPointF(e.pos()))
            if hit is None:
                QtWidgets.QToolTip.hideText()
                return True
            r, c = hit
            v, total = self.matrix[r][c], sum(self.matrix[r]) or 1
            fields = dict(category=self.names[r], count=v, total=sum(self.matrix[r]), other=self.names[c],
                          share=f"{v / total:.0%}")
            tip = (self.tr("{category}: {count} of {total} dev documents right ({share})") if r == c else
                   self.tr("{category}: {count} of {total} dev documents called {other} ({share})"))
            QtWidgets.QToolTip.showText(e.globalPos(), tip.format(**fields), self)
            return True
        return super().event(e)


class ConfusionView(QtWidgets.QWidget):
    """A caption and either the heat map or the list of the most frequent confusions."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        self.heat = HeatMap()
        self.table = QtWidgets.QTableWidget(0, 4)
        setup_table(self.table, (QtCore.QT_TRANSLATE_NOOP("ConfusionView", "Category"),
                                 QtCore.QT_TRANSLATE_NOOP("ConfusionView", "Taken for"),
                                 QtCore.QT_TRANSLATE_NOOP("ConfusionView", "Documents"),
                                 QtCore.QT_TRANSLATE_NOOP("ConfusionView", "Of its dev documents")),
                    (QtCore.QT_TRANSLATE_NOOP("ConfusionView", "The category the documents have"),
                     QtCore.QT_TRANSLATE_NOOP("ConfusionView", "What the model said they are"),
                     QtCore.QT_TRANSLATE_NOOP("ConfusionView", "How many dev documents"),
                     QtCore.QT_TRANSLATE_NOOP("ConfusionView", "The share of that category's dev documents")),
                    stretch=1, context="ConfusionView")
        self.heat_scroll = QtWidgets.QScrollArea()
        self.heat_scroll.setWidget(self.heat)
        self.heat_scroll.setWidgetResizable(True)
        self.heat_scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.heat_scroll)
        self.stack.addWidget(self.table)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.caption)
        lay.addWidget(self.stack, 1)
        self.set_confusion(None)

    def set_confusion(self, found: tuple[list[str], list[list[int]], int] | None, run_id: int | None = None) -> None:
        """Show :func:`read_confusion`'s result (``None``: a sentence saying there is none yet)."""
        if found is None:
            self.caption.setText(self.tr("No confusion matrix yet: it appears when a document classifier has a best "
                                         "checkpoint (after its first evaluation)."))
            self.heat.set_matrix([], [])
            self.table.setRowCount(0)
            self.stack.setCurrentIndex(0)
            return
        names, matrix, step = found
        total = sum(map(sum, matrix))
        right = sum(matrix[i][i] for i in range(len(names)))
        fields = dict(run=run_id, step=f"{step:,}", right=f"{right:,}", total=f"{total:,}",
                      share=f"{right / max(1, total):.0%}")
        summary = (self.tr("Run {run}, best step {step}: {right} of {total} dev documents right ({share}).")
                   if run_id is not None else
                   self.tr("Best step {step}: {right} of {total} dev documents right ({share}).")).format(**fields)
        self.caption.setText(summary)
        if len(names) <= HEATMAP_MAX:
            self.caption.setText(self.tr("{summary} Rows: the category a document has; columns: what the "
                                         "model said.").format(summary=summary))
            self.heat.set_matrix(names, matrix)
            self.stack.setCurrentIndex(0)
            return
        from engine.textcat.metrics import top_confusions  # numpy only, no torch

        worst = top_confusions(matrix, names, TOP_CONFUSIONS)
        self.caption.setText(self.tr("{summary} The {count} most frequent mistakes ({categories} "
                                     "categories are too many for a readable grid):").format(
            summary=summary, count=len(worst), categories=len(names)))
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(worst))
        index = {n: i for i, n in enumerate(names)}
        for r, (gold, pred, count) in enumerate(worst):
            of = sum(matrix[index[gold]]) or 1
            for c, value in enumerate((gold, pred, str(count), f"{count / of:.0%}")):
                item = QtWidgets.QTableWidgetItem(value)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        self.stack.setCurrentIndex(1)
