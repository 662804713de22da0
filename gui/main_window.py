"""The main window: a thin assembler of the document list, the document view and the docks."""
from __future__ import annotations

import html
from pathlib import Path

from engine.store import Project
from gui.doclist import DocumentListModel
from gui.qt import QtCore, QtGui, QtWidgets, Qt


class MainWindow(QtWidgets.QMainWindow):
    """Window for one open project: document list on the left, the document in the middle."""

    def __init__(self, project_path: str | Path):
        super().__init__()
        self.project = Project.open(project_path)
        self.setWindowTitle(f"{Path(project_path).stem} — Tessera")
        self.resize(1200, 760)

        self.model = DocumentListModel(self.project, self)
        self.list = QtWidgets.QTableView()
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.list.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.list.verticalHeader().hide()
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.setShowGrid(False)
        self.list.setWordWrap(False)
        for col, w in enumerate((48, 64, 52, 64)):
            self.list.setColumnWidth(col, w)
        self.list.selectionModel().currentRowChanged.connect(self._on_row)

        self.view = QtWidgets.QTextBrowser()
        self.view.setOpenLinks(False)
        font = self.view.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.view.setFont(font)

        split = QtWidgets.QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.view)
        split.setSizes([420, 780])
        self.setCentralWidget(split)

        menu = self.menuBar().addMenu("&File")
        menu.addAction("&Quit", QtGui.QKeySequence.Quit, self.close)
        self._update_status()
        if self.model.rowCount():
            self.list.selectRow(0)

    def _update_status(self) -> None:
        s = self.project.stats()
        self.statusBar().showMessage(
            f"{s.by_status.get('done', 0):,} / {s.documents:,} documents done · {s.spans:,} entities"
        )

    def _on_row(self, current: QtCore.QModelIndex, _previous=None) -> None:
        doc_id = self.model.doc_id(current.row())
        if doc_id is not None:
            self.show_document(doc_id)

    def show_document(self, doc_id: int) -> None:
        """Show one document with its entities highlighted in their label colours."""
        doc = self.project.document(doc_id)
        labels = {l.id: l for l in self.project.labels()}
        parts, pos = [], 0
        for sp in self.project.spans(doc_id):
            parts.append(html.escape(doc.text[pos:sp.start]))
            lab = labels[sp.label_id]
            parts.append(
                f'<span style="background:{lab.color}40; border-bottom:2px solid {lab.color}">'
                f"{html.escape(doc.text[sp.start:sp.end])}"
                f'<sub style="color:{lab.color}"> {html.escape(lab.name)}</sub></span>'
            )
            pos = sp.end
        parts.append(html.escape(doc.text[pos:]))
        self.view.setHtml("<div style='line-height:160%'>" + "".join(parts).replace("\n", "<br>") + "</div>")

    def closeEvent(self, event) -> None:
        self.project.close()
        super().closeEvent(event)
