"""Live loss and F1 curves (pyqtgraph), themed from the Qt palette.

:class:`TrainingPlots` draws one run's :class:`~gui.training.live.RunData` — train
loss raw (thin, light) and smoothed (bold), dev loss, dev micro F1 (bold) and one
F1 curve per label in the label's colour — plus, for comparison, the smoothed train
loss and micro F1 of other runs (dashed, one colour per run). :meth:`redraw` only
copies arrays into existing curves; the panel calls it on a timer, not per event.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.label_style import is_dark, label_color, mix
from gui.qt import QtCore, QtGui, QtWidgets, Qt
from gui.training.live import RunData, ema

#: Colours of compared runs (drawn dashed): none is the blue or orange of the live
#: loss curves; lightened on a dark theme.
RUN_COLORS = ("#7b3fb5", "#1a9e77", "#a0522d", "#d62790", "#6b6b6b", "#8a8a00", "#2f4f8f", "#c03030")
LOSS_COLOR = "#3b6fd4"
DEV_LOSS_COLOR = "#e07b00"
#: A classifier with more categories than this gets no per-category F1 curves.
MAX_LABEL_CURVES = 8
FALLBACK_LABEL_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7")

#: pyqtgraph's own text that a plot can show (the scene's right-click "Export..."): listed
#: here so the catalogue carries it under pyqtgraph's context (the plot menus are off)
PYQTGRAPH_TEXT = (QtCore.QT_TRANSLATE_NOOP("GraphicsScene", "Export..."),)


def run_color(index: int) -> str:
    return RUN_COLORS[index % len(RUN_COLORS)]


class _Plot(pg.GraphicsLayoutWidget):
    """One plot with its legend in a column on the right (never over the curves)."""

    def __init__(self, title: str, y_label: str, parent=None):
        super().__init__(parent)
        self.ci.setContentsMargins(4, 4, 4, 4)
        self.ci.setSpacing(0)
        self.plot_item: pg.PlotItem = self.addPlot(row=0, col=0)
        self.legend = pg.LegendItem(horSpacing=6, verSpacing=-4, frame=False, labelTextSize="8pt")
        self.addItem(self.legend, row=0, col=1)
        self.ci.layout.setAlignment(self.legend, Qt.AlignTop | Qt.AlignLeft)
        self.legend.setSizePolicy(QtWidgets.QSizePolicy.Fixed, QtWidgets.QSizePolicy.Fixed)
        self.ci.layout.setColumnStretchFactor(0, 1)
        self.ci.layout.setColumnStretchFactor(1, 0)
        p = self.plot_item
        p.setMenuEnabled(False)
        p.hideButtons()
        p.showGrid(x=True, y=True, alpha=0.12)
        p.setLabel("bottom", self.tr("step"))  # no-tr: an axis side
        p.setTitle(title)
        p.getViewBox().setMouseEnabled(x=True, y=False)
        p.getViewBox().setDefaultPadding(0.03)
        self._title = title
        self.setMinimumSize(160, 160)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.names: dict[str, str | None] = {}  # legend text per curve key

    def curve(self, key: str, name: str | None, pen: QtGui.QPen, symbol: str | None = None,
              symbol_size: int = 5, brush=None) -> pg.PlotDataItem:
        """The curve ``key``, created on first use with a legend entry ``name`` (``None``: no entry)."""
        c = self.curves.get(key)
        if c is None:
            c = pg.PlotDataItem(antialias=True, skipFiniteCheck=False)
            c.setClipToView(True)
            self.plot_item.addItem(c)
            self.curves[key] = c
            self.names[key] = name
        c.setPen(pen)
        if symbol:
            c.setSymbol(symbol)
            c.setSymbolSize(symbol_size)
            c.setSymbolPen(pen.color())
            c.setSymbolBrush(brush if brush is not None else pen.color())
        return c

    def band(self, key: str, lower: str, upper: str, color: QtGui.QColor) -> None:
        """Fill between the curves ``lower`` and ``upper`` (drawn behind the others)."""
        bands = self.__dict__.setdefault("bands", {})
        b = bands.get(key)
        if b is None:
            b = pg.FillBetweenItem(self.curves[lower], self.curves[upper])
            b.setZValue(-10)
            self.plot_item.addItem(b)
            bands[key] = b
        b.setBrush(pg.mkBrush(color))

    def drop(self, keep) -> None:
        """Remove the curves whose key is not in ``keep`` (and bands that lean on them)."""
        gone = [k for k in self.curves if k not in keep]
        if gone:
            for key, b in list(self.__dict__.get("bands", {}).items()):
                self.plot_item.removeItem(b)
                del self.bands[key]
        for key in gone:
            c = self.curves.pop(key)
            self.legend.removeItem(c)
            self.plot_item.removeItem(c)
            self.names.pop(key, None)

    def order_legend(self, keys: list[str], text_color: str) -> None:
        """Make the legend list the curves of ``keys`` in that order (rebuilt only when it differs)."""
        wanted = [k for k in keys if k in self.curves and self.names.get(k)]
        current = [next((k for k, c in self.curves.items() if c is sample.item), None) for sample, _ in self.legend.items]
        if current == wanted:
            return
        self.legend.clear()
        for k in wanted:
            self.legend.addItem(self.curves[k], self.names[k])
        for _sample, label in self.legend.items:
            label.setText(label.text, color=text_color)

    def apply_theme(self, palette: QtGui.QPalette) -> None:
        base = palette.color(QtGui.QPalette.Base)
        text = palette.color(QtGui.QPalette.Text)
        muted = mix(text, base, 0.35)
        self.setBackground(base)
        for name in ("left", "bottom"):
            ax = self.plot_item.getAxis(name)
            ax.setPen(pg.mkPen(mix(text, base, 0.6)))
            ax.setTextPen(pg.mkPen(muted))
            ax.label.setDefaultTextColor(muted)
        self.plot_item.setTitle(self._title, color=text.name(), size="10pt", bold=True)  # no-tr: a font size
        self.legend.setLabelTextColor(text)
        for sample, label in self.legend.items:
            label.setText(label.text, color=text.name())


class TrainingPlots(QtWidgets.QWidget):
    """The loss plot and the F1 plot side by side (a splitter between them); for a chat
    run (:meth:`set_kind`) the loss plot alone. Compared runs of either kind share the loss plot."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.loss = _Plot(self.tr("Loss"), self.tr("loss"))
        self.f1 = _Plot(self.tr("Dev F1"), "F1")
        self.f1.plot_item.getViewBox().setLimits(yMin=-0.02, yMax=1.02)
        self.f1.plot_item.setYRange(0, 1, padding=0.02)
        self.f1.plot_item.getViewBox().enableAutoRange(y=False)
        self.splitter = QtWidgets.QSplitter(Qt.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.loss)
        self.splitter.addWidget(self.f1)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.splitter)
        self.kind = "ner"
        self.data: RunData | None = None
        self.label_colors: dict[str, str] = {}
        self.overlays: dict[int, RunData] = {}
        self._overlay_colors: dict[int, str] = {}
        self._drawn = -1
        self.apply_theme()

    # ---- inputs

    def set_kind(self, kind: str) -> None:
        """``"ner"`` shows the loss and F1 plots; ``"textcat"`` the loss and the dev
        macro-F1 and accuracy (per-category curves only up to :data:`MAX_LABEL_CURVES`
        categories); ``"chat"`` the loss plot alone (a chat run has no F1: its dev score
        is the dev loss, drawn on the loss plot)."""
        if kind == self.kind:
            return
        self.kind = kind
        self.f1.setVisible(kind != "chat")
        self.f1._title = self.tr("Dev macro-F1 and accuracy") if kind == "textcat" else self.tr("Dev F1")
        self.f1.plot_item.setTitle(self.f1._title, color=self.palette().color(QtGui.QPalette.Text).name(),  # no-tr: a font size
                                   size="10pt", bold=True)
        self._drawn = -1

    def set_data(self, data: RunData | None) -> None:
        """Show ``data`` (or nothing); call :meth:`redraw` to draw it."""
        self.data = data
        self._drawn = -1
        for plot in (self.loss, self.f1):
            plot.drop(set())
        self.redraw()

    def set_label_colors(self, colors: dict[str, str]) -> None:
        """Label name -> colour (the project's label colours)."""
        self.label_colors = dict(colors)
        self._drawn = -1

    def set_overlays(self, runs: dict[int, RunData]) -> None:
        """Compare with these runs (id -> data), each in its own colour."""
        self.overlays = dict(runs)
        used = set()
        for rid in sorted(self.overlays):
            if rid in self._overlay_colors:
                used.add(self._overlay_colors[rid])
        for rid in sorted(self.overlays):
            if rid not in self._overlay_colors:
                free = [c for c in RUN_COLORS if c not in used] or list(RUN_COLORS)
                self._overlay_colors[rid] = free[0]
                used.add(free[0])
        self._overlay_colors = {k: v for k, v in self._overlay_colors.items() if k in self.overlays}
        self._drawn = -1
        self.redraw()

    def overlay_color(self, run_id: int) -> str | None:
        return self._overlay_colors.get(run_id)

    # ---- drawing

    def _label_color(self, name: str, index: int) -> QtGui.QColor:
        value = self.label_colors.get(name)
        return label_color(value) if value else QtGui.QColor(FALLBACK_LABEL_COLORS[index % len(FALLBACK_LABEL_COLORS)])

    def redraw(self, force: bool = False) -> bool:
        """Copy the data into the curves if it changed since the last call; return whether it drew."""
        version = (self.data.version if self.data else 0) + sum(d.version for d in self.overlays.values())
        if not force and version == self._drawn:
            return False
        self._drawn = version
        pal = self.palette()
        base = pal.color(QtGui.QPalette.Base)
        text = pal.color(QtGui.QPalette.Text)
        dark = is_dark(pal)
        keep_loss, keep_f1 = set(), set()
        d = self.data
        if d is not None:
            loss = d.get("train/loss")
            if len(loss):
                blue = QtGui.QColor("#7aa2f7" if dark else LOSS_COLOR)
                raw = mix(blue, base, 0.62)
                self.loss.curve("train_raw", self.tr("train (per step)"), pg.mkPen(raw, width=1)).setData(
                    loss.steps, loss.values)
                self.loss.curve("train_ema", self.tr("train (smoothed)"), pg.mkPen(blue, width=2.4)).setData(
                    loss.steps, ema(loss.values))
                keep_loss |= {"train_raw", "train_ema"}
            dev = d.get("dev/loss")
            if len(dev):
                orange = QtGui.QColor("#ff9e3d" if dark else DEV_LOSS_COLOR)
                self.loss.curve("dev_loss", self.tr("dev"), pg.mkPen(orange, width=2), "o", 5).setData(
                    dev.steps, dev.values)
                keep_loss.add("dev_loss")
            f1 = d.get("dev/f1")
            lo, hi = d.get("dev/f1_lo"), d.get("dev/f1_hi")
            if len(lo) and len(lo) == len(hi):  # the 95% interval as a band behind the micro F1
                band = mix(text, base, 0.86)
                self.f1.curve("f1_lo", "", pg.mkPen(band, width=1)).setData(lo.steps, lo.values)
                self.f1.curve("f1_hi", "", pg.mkPen(band, width=1)).setData(hi.steps, hi.values)
                self.f1.band("f1_ci", "f1_lo", "f1_hi", band)
                keep_f1 |= {"f1_lo", "f1_hi"}
            classifier = self.kind == "textcat"
            if len(f1):
                self.f1.curve("f1", self.tr("macro-F1") if classifier else self.tr("micro F1"), pg.mkPen(text, width=2.6), "o",
                              6).setData(f1.steps, f1.values)
                keep_f1.add("f1")
            acc = d.get("dev/accuracy")
            if classifier and len(acc):
                green = QtGui.QColor("#59a14f" if not dark else "#8cd17d")
                self.f1.curve("accuracy", self.tr("accuracy"), pg.mkPen(green, width=2.2, style=Qt.DashLine), "s",
                              5).setData(acc.steps, acc.values)
                keep_f1.add("accuracy")
            names = d.label_names()
            if classifier and len(names) > MAX_LABEL_CURVES:
                names = []  # dozens of categories: their curves would hide the two that matter
            for i, name in enumerate(names):
                s = d.get(f"dev/f1/{name}")
                c = self._label_color(name, i)
                key = f"label:{name}"
                self.f1.curve(key, name, pg.mkPen(c, width=1.5), "o", 3).setData(s.steps, s.values)
                keep_f1.add(key)
        for rid in sorted(self.overlays):
            od = self.overlays[rid]
            c = QtGui.QColor(self._overlay_colors[rid])
            if dark:
                c = mix(c, QtGui.QColor("#ffffff"), 0.35)
            pen = pg.mkPen(c, width=2, style=Qt.DashLine)
            loss = od.get("train/loss")
            if len(loss):
                key = f"run:{rid}"
                self.loss.curve(key, self.tr("run {run}").format(run=rid), pen).setData(loss.steps, ema(loss.values))
                keep_loss.add(key)
            f1 = od.get("dev/f1")
            if len(f1):
                key = f"run:{rid}"
                self.f1.curve(key, self.tr("run {run}").format(run=rid), pen, "t", 6).setData(f1.steps, f1.values)
                keep_f1.add(key)
        self.loss.drop(keep_loss)
        self.f1.drop(keep_f1)
        runs = [f"run:{rid}" for rid in sorted(self.overlays)]
        labels = [f"label:{n}" for n in (d.label_names() if d is not None else [])]
        self.loss.order_legend(["train_raw", "train_ema", "dev_loss", *runs], text.name())
        self.f1.order_legend(["f1", "accuracy", *labels, *runs], text.name())
        self._fit_loss_range()
        return True

    def _fit_loss_range(self) -> None:
        """Fit the loss axis to the smoothed and dev curves and most raw points: one
        spiky batch must not squash the curves that matter into the bottom."""
        top, bottom = [], []
        for key, c in self.loss.curves.items():
            _x, y = c.getData()
            if y is None or not len(y):
                continue
            y = np.asarray(y, dtype=float)
            y = y[np.isfinite(y)]
            if not len(y):
                continue
            top.append(np.quantile(y, 0.98) if key == "train_raw" else y.max())
            bottom.append(y.min())
        vb = self.loss.plot_item.getViewBox()
        if not top:
            vb.enableAutoRange(y=True)
            return
        lo, hi = min(0.0, min(bottom)), max(top)
        if hi <= lo:
            hi = lo + 1.0
        vb.enableAutoRange(y=False)
        self.loss.plot_item.setYRange(lo, hi * 1.05, padding=0.02)

    # ---- theme

    def apply_theme(self) -> None:
        for plot in (self.loss, self.f1):
            plot.apply_theme(self.palette())
        self.redraw(force=True)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() in (QtCore.QEvent.PaletteChange, QtCore.QEvent.ApplicationPaletteChange):
            self.apply_theme()
        super().changeEvent(event)
