"""The category bar: the project's document categories as chips above the text.

A chip is drawn filled when the shown document has that category. Clicking a chip
(or pressing its hotkey in the editor) gives the document that category: with single
choice it replaces the one it had, with multiple choice it toggles. The switch at the
end says which (it is the project's setting). "Find…" (Ctrl+Shift+K) searches the
categories by name, for projects with more categories than keys (BANKING77 has 77).
The bar hides itself in projects without categories.

Signals:
    categoryClicked(int label_id): a chip was clicked.
    findRequested(): "Find…" was clicked.
    choiceChanged(str): the user switched single/multiple choice (already stored).
"""
from __future__ import annotations

from engine.store import Project
from gui.label_bar import ChipStrip, LabelChip, _esc
from gui.qt import QtGui, QtWidgets, Qt, Signal

#: Rows of chips shown before the strip scrolls.
MAX_ROWS = 2


class CategoryBar(QtWidgets.QWidget):
    """Chips of the project's categories, the shown document's filled in."""

    categoryClicked = Signal(int)
    findRequested = Signal()
    choiceChanged = Signal(str)

    def __init__(self, project: Project, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self._doc: int | None = None
        self._chips: dict[int, LabelChip] = {}
        self.setAccessibleName(self.tr("Document categories"))
        self.setSizePolicy(QtWidgets.QSizePolicy.Preferred, QtWidgets.QSizePolicy.Fixed)

        self.title = QtWidgets.QLabel(self.tr("Category"))
        self.title.setForegroundRole(QtGui.QPalette.PlaceholderText)
        self._scroll = ChipStrip(MAX_ROWS, 5)
        self._host, self._flow = self._scroll.host, self._scroll.flow

        self.choice_combo = QtWidgets.QComboBox()
        self.choice_combo.addItem(self.tr("One per document"), "single")  # no-tr: stored value
        self.choice_combo.addItem(self.tr("Several per document"), "multiple")  # no-tr: stored value
        self.choice_combo.setAccessibleName(self.tr("Categories per document"))
        self.choice_combo.setToolTip(self.tr("One per document: a category key replaces the document's category. "
                                             "Several: each key turns its category on or off."))
        self.choice_combo.currentIndexChanged.connect(self._on_choice)
        self.find_button = QtWidgets.QToolButton()
        self.find_button.setText(self.tr("Find…"))
        self.find_button.setAutoRaise(True)
        self.find_button.setToolTip(self.tr("Find a category by typing part of its name (Ctrl+Shift+K)"))
        self.find_button.clicked.connect(self.findRequested)

        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(12, 2, 12, 6)
        lay.setSpacing(8)
        lay.addWidget(self.title, 0, Qt.AlignTop)
        lay.addWidget(self._scroll, 1)
        side = QtWidgets.QHBoxLayout()
        side.setSpacing(2)
        side.addWidget(self.find_button)
        side.addWidget(self.choice_combo)
        lay.addLayout(side)
        lay.setAlignment(side, Qt.AlignTop)
        self.reload()

    # ------------------------------------------------------------------ public API

    def reload(self) -> None:
        """Re-read the categories (names, colours, hotkeys) and the choice setting."""
        while self._flow.count():
            w = self._flow.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self._chips = {}
        for lab in self.project.labels(kind="category"):
            chip = LabelChip(lab, self._host)  # its tooltip is set by set_document (it names a suggestion)
            chip.clicked.connect(lambda _=False, lid=lab.id: self.categoryClicked.emit(lid))
            self._chips[lab.id] = chip
            self._flow.addWidget(chip)
            chip.show()
        self.choice_combo.blockSignals(True)
        self.choice_combo.setCurrentIndex(max(0, self.choice_combo.findData(self.project.category_choice())))
        self.choice_combo.blockSignals(False)
        self.setVisible(bool(self._chips))
        self._flow.invalidate()
        self._update_height()
        self.set_document(self._doc)

    def set_document(self, doc_id: int | None) -> None:
        """Fill in the chips of ``doc_id``'s categories and outline (dashed) the ones a
        model suggests (``None``: no document)."""
        self._doc = doc_id
        rows = self.project.categories(doc_id, source=None) if doc_id is not None else []
        have = {c.label_id for c in rows if c.source == "human"}
        suggested = {c.label_id: (c.score or 0.0) for c in rows if c.source == "model"}
        for lid, chip in self._chips.items():
            chip.set_active(lid in have)
            chip.set_suggested(suggested.get(lid))
            chip.setEnabled(doc_id is not None)
            lab = chip.label
            lines = [self.tr("<b>{name}</b> — press <b>{key}</b>").format(name=_esc(lab.name), key=_esc(lab.hotkey.upper()))
                     if lab.hotkey else f"<b>{_esc(lab.name)}</b>"]
            if lid in suggested:
                lines.append(self.tr("Suggested by the model ({score}): press its key or click to accept").format(
                    score=f"{suggested[lid]:.0%}"))
            lines.append(self.tr("Ctrl+Shift+K to find a category"))
            chip.setToolTip("<br>".join(lines))
        first = next((self._chips[lid] for lid in self._chips if lid in have or lid in suggested), None)
        if first is not None:
            self._scroll.ensureWidgetVisible(first, 0, 0)

    def chip(self, label_id: int) -> LabelChip | None:
        """Return the chip of a category (for tests), or ``None``."""
        return self._chips.get(label_id)

    def assigned(self) -> list[int]:
        """Return the ids of the categories drawn as the document's."""
        return [lid for lid, chip in self._chips.items() if chip.is_active()]

    def suggested(self) -> dict[int, float]:
        """Return the categories drawn as the model's suggestions, with their probabilities."""
        return {lid: chip.suggested() for lid, chip in self._chips.items() if chip.suggested() is not None}

    # ------------------------------------------------------------------ internals

    def _on_choice(self, _index: int) -> None:
        choice = self.choice_combo.currentData()
        self.project.set_category_choice(choice)
        self.choiceChanged.emit(choice)

    def _update_height(self) -> None:
        self._scroll.fit_height()
