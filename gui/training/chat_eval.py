"""What a chat fine-tuning run's evaluations say: dev loss, perplexity, and the best step.

A chat run has no labels to score: after each evaluation the engine reports the loss
on the held-out (dev) examples, ``dev/loss`` — LOWER is better — and keeps the adapter
of the lowest one as ``best/``. :class:`ChatEvalView` shows a two-line summary (best
and latest evaluation) over a table of every evaluation, the best row in bold.
"""
from __future__ import annotations

import math

from gui.qt import QtCore, QtGui, QtWidgets, Qt
from gui.training.live import Evaluation, RunData
from gui.training.tables import fmt, setup_table

_CTX = "ChatEvalTable"
COLUMNS = (QtCore.QT_TRANSLATE_NOOP("ChatEvalTable", "Step"), QtCore.QT_TRANSLATE_NOOP("ChatEvalTable", "Epoch"),
           QtCore.QT_TRANSLATE_NOOP("ChatEvalTable", "Dev loss"),
           QtCore.QT_TRANSLATE_NOOP("ChatEvalTable", "Perplexity"), "")
TIPS = (
    QtCore.QT_TRANSLATE_NOOP("ChatEvalTable", "The training step the held-out examples were scored at"),
    QtCore.QT_TRANSLATE_NOOP("ChatEvalTable", "How many passes over the chat examples training had made by then"),
    QtCore.QT_TRANSLATE_NOOP("ChatEvalTable", "How surprised the model is by the answers of the held-out examples "
                                              "(lower is better)"),
    QtCore.QT_TRANSLATE_NOOP("ChatEvalTable", "e to the power of the dev loss: roughly how many tokens the model "
                                              "hesitates between at each word of an answer (lower is better; 1 would "
                                              "be certain)"),
    "",
)


def fmt_perplexity(value: float | None) -> str:
    """``6.85``, ``1,234`` for large values, ``–`` for none, ``∞`` when it overflowed."""
    if value is None:
        return "–"
    if not math.isfinite(value):
        return "∞"
    return f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"


def describe(ev: Evaluation | None, *, at_step: bool = True) -> str:
    """``dev loss 1.924 (perplexity 6.85) at step 40`` (without `` at step 40`` when not
    ``at_step``), or an empty string for none."""
    if ev is None or ev.loss is None:
        return ""
    lo, hi = ev.overall.get("loss_lo"), ev.overall.get("loss_hi")
    loss, perplexity = fmt(ev.loss), fmt_perplexity(ev.perplexity)
    if lo is not None and hi is not None:
        text = QtCore.QCoreApplication.translate(
            "ChatEvalView", "dev loss {loss} (perplexity {perplexity}, 95% interval {lo}-{hi})").format(
            loss=loss, perplexity=perplexity, lo=f"{lo:.3f}", hi=f"{hi:.3f}")
    else:
        text = QtCore.QCoreApplication.translate("ChatEvalView", "dev loss {loss} (perplexity {perplexity})").format(
            loss=loss, perplexity=perplexity)
    if not at_step:
        return text
    return QtCore.QCoreApplication.translate("ChatEvalView", "{score} at step {step}").format(
        score=text, step=f"{ev.step:,}")


class ChatEvalTable(QtWidgets.QTableWidget):
    """One row per evaluation (newest first): step, epoch, dev loss, perplexity; the best in bold."""

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        setup_table(self, COLUMNS, TIPS, stretch=len(COLUMNS) - 1, context=_CTX)
        self._key = None

    def set_evaluations(self, evaluations: list[Evaluation], best: Evaluation | None) -> None:
        """Show ``evaluations`` (oldest first, as :meth:`RunData.loss_evaluations` gives them)."""
        key = (tuple((e.step, e.loss) for e in evaluations), best.step if best else None)
        if key == self._key:
            return
        self._key = key
        rows = list(reversed(evaluations))
        self.setRowCount(len(rows))
        bold = QtGui.QFont(self.font())
        bold.setBold(True)
        for r, ev in enumerate(rows):
            is_best = best is not None and ev.step == best.step
            note = self.tr("best: kept as the model") if is_best else self.tr("before training") if ev.step == 0 else ""
            lo, hi = ev.overall.get("loss_lo"), ev.overall.get("loss_hi")
            loss = fmt(ev.loss) + (f" ({lo:.2f}-{hi:.2f})" if lo is not None and hi is not None else "")
            texts = (f"{ev.step:,}", f"{ev.epoch:.2f}", loss, fmt_perplexity(ev.perplexity), note)
            for c, text in enumerate(texts):
                item = QtWidgets.QTableWidgetItem(text)
                if c < len(COLUMNS) - 1:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if is_best:
                    item.setFont(bold)
                self.setItem(r, c, item)

    def cell_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item else ""

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(320, 160)


class ChatEvalView(QtWidgets.QWidget):
    """The summary of a chat run's evaluations (best and latest) over :class:`ChatEvalTable`."""

    EMPTY = QtCore.QT_TRANSLATE_NOOP(
        "ChatEvalView", "No evaluation yet. Training scores the model on the held-out (dev) chat examples "
                        "every few steps: the lower the dev loss, the better it answers like your examples.")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary = QtWidgets.QLabel()
        self.summary.setTextFormat(Qt.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.table = ChatEvalTable()
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        self.best: Evaluation | None = None
        self.latest: Evaluation | None = None
        self.set_data(None)

    def set_data(self, data: RunData | None) -> None:
        """Show the evaluations of ``data`` (``None``: nothing yet)."""
        evaluations = data.loss_evaluations() if data is not None else []
        best = data.best_loss_evaluation() if data is not None else None
        latest = evaluations[-1] if evaluations else None
        self.best, self.latest = best, latest
        self.table.set_evaluations(evaluations, best)
        if best is None:
            before = evaluations[0] if evaluations and evaluations[0].step == 0 else None
            self.summary.setText(
                QtCore.QCoreApplication.translate("ChatEvalView", self.EMPTY) if before is None else
                self.tr("Before training: {score}. Training scores the model again every few steps: "
                        "lower is better.").format(score=describe(before, at_step=False)))
            return
        first = evaluations[0]
        lines = [self.tr("<b>Best</b>: {score}").format(score=describe(best))]
        if latest is not None and latest.step != best.step:
            lines.append(self.tr("Latest: {score}").format(score=describe(latest)))
        if first.step != best.step and first.loss is not None and best.loss is not None:
            change = first.loss - best.loss
            size, step = fmt(abs(change)), f"{first.step:,}"
            if first.step == 0:
                line = (self.tr("Down {change} from before training. Lower is better.") if change >= 0 else
                        self.tr("Up {change} from before training. Lower is better."))
            else:
                line = (self.tr("Down {change} from the first evaluation (step {step}). Lower is better.")
                        if change >= 0 else
                        self.tr("Up {change} from the first evaluation (step {step}). Lower is better."))
            lines.append(line.format(change=size, step=step))
        else:
            lines.append(self.tr("Lower is better."))
        self.summary.setText("<br>".join(lines))
