"""The main window: a thin assembler of the document list, the editor, the label bar
and the docks. Behaviour lives in those widgets and in the engine; this module wires
their signals together and owns the menus, the undo stack and the status bar.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from engine.backup import AutoBackup, list_backups, make_backup
from engine.errors import ForeignSchemaError, TesseraError
from engine.store import Project
from gui import file_actions
from gui.backups import BackupsDialog, backup_in_background
from gui.chat import add_chat_dock
from gui.doc_panel import DocumentPanel
from gui.doclist import split_text, status_text
from gui.i18n import engine_text
from gui.category_bar import CategoryBar
from gui.editor.commands import DeleteDocumentCommand, SetCategoryCommand, SetStatusCommand
from gui.editor.token_view import TokenView
from gui.label_bar import LabelBar
from gui.label_manager import LabelManager
from gui.label_palette import LabelPalette
from gui.qt import QtCore, QtGui, QtWidgets, Qt
from gui.suggestions import SuggestionToolBar
from gui.training import make_training_dock

SETTINGS = ("Tessera", "Tessera")
#: Version of the saved toolbar and dock layout: a layout saved before the Suggestions
#: toolbar existed (version 0) is not restored, so the toolbar gets its own row.
STATE_VERSION = 1
MAX_RECENT = 8


def settings() -> QtCore.QSettings:
    """The application's QSettings (window geometry, recent projects)."""
    return QtCore.QSettings(*SETTINGS)


#: the Model ▸ Use CUDA kernels setting (default on)
KERNELS_SETTING = "engine/cuda_kernels"


def apply_kernel_setting(on: bool | None = None) -> bool:
    """Pass the Model ▸ Use CUDA kernels choice (``on``, or the saved one when None) to the
    engine (its switch is an environment variable, read at each kernel call); return it."""
    from engine.kernels.gpu import OFF_ENV

    if on is None:
        on = settings().value(KERNELS_SETTING, True, type=bool)
    if on:
        os.environ.pop(OFF_ENV, None)
    else:
        os.environ[OFF_ENV] = "1"
    return on


def remember_project(path: Path) -> list[str]:
    """Put ``path`` first in the recent-projects list (and make it the last project); return the list."""
    s = settings()
    path = str(Path(path).resolve())
    recent = [p for p in (s.value("recent_projects") or []) if p != path]
    recent = [path, *recent][:MAX_RECENT]
    s.setValue("recent_projects", recent)
    s.setValue("last_project", path)
    return recent


class MainWindow(QtWidgets.QMainWindow):
    """Window for one open project.

    Left: the document list (:class:`DocumentPanel`); middle: the token view in a
    scroll area under a header that names the document; top: the label bar; right
    and bottom: dock areas for the training panel and the chat pane. Every edit is
    committed to the project when made, so closing never asks to save.

    Raises:
        TesseraError: the project cannot be opened (not a project, newer schema, ...).
    """

    def __init__(self, project_path: str | Path):
        super().__init__()
        self.project_path = Path(project_path)
        self.project = Project.open(self.project_path)
        self.setWindowTitle(self.tr("{project} — Tessera").format(project=self.project_path.stem))
        self.setDockNestingEnabled(True)
        self.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        self.resize(1280, 800)

        self.undo_stack = QtGui.QUndoStack(self)
        self.doc_panel = DocumentPanel(self.project, self)
        self.model = self.doc_panel.model
        self.editor = TokenView(self.project, self.undo_stack, shortcuts=False)  # the Edit menu owns Ctrl+Z
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.editor)
        self.scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.scroll.setBackgroundRole(QtGui.QPalette.Base)

        self.header = QtWidgets.QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.header.setContentsMargins(12, 8, 12, 4)
        self.done_button = QtWidgets.QPushButton(self.tr("Done && next"))
        self.done_button.setToolTip(self.tr("Mark this document done and open the next unfinished one (Ctrl+Enter)"))
        self.skip_button = QtWidgets.QPushButton(self.tr("Skip"))
        self.skip_button.setToolTip(self.tr("Mark this document skipped and move on (S)"))
        head = QtWidgets.QHBoxLayout()
        head.setContentsMargins(0, 0, 12, 0)
        head.addWidget(self.header, 1)
        head.addWidget(self.skip_button)
        head.addWidget(self.done_button)
        middle = QtWidgets.QWidget()
        col = QtWidgets.QVBoxLayout(middle)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addLayout(head)
        self.category_bar = CategoryBar(self.project)
        col.addWidget(self.category_bar)
        col.addWidget(self.scroll, 1)

        self.splitter = QtWidgets.QSplitter()
        self.splitter.addWidget(self.doc_panel)
        self.splitter.addWidget(middle)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([400, 880])
        self.setCentralWidget(self.splitter)

        self.label_bar = LabelBar(self.project)
        bar = QtWidgets.QToolBar(self.tr("Labels"))
        bar.setObjectName("labels_toolbar")
        bar.setMovable(False)
        bar.addWidget(self.label_bar)
        self.addToolBar(Qt.TopToolBarArea, bar)

        self.progress_label = QtWidgets.QLabel()
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.progress_bar)
        self._status_timer = QtCore.QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(120)
        self._status_timer.timeout.connect(self._update_status)
        self._status_timer.timeout.connect(self.auto_backup_edited)
        # the timed backup (every 30 minutes of editing, in a worker thread)
        self.auto_backup = AutoBackup()
        self._backup_timer = QtCore.QTimer(self)
        self._backup_timer.setInterval(60_000)
        self._backup_timer.timeout.connect(self._timed_backup)
        self._backup_timer.start()

        self.suggestion_bar = SuggestionToolBar(self)
        self.addToolBarBreak(Qt.TopToolBarArea)  # a row of its own: the label bar keeps the full width
        self.addToolBar(Qt.TopToolBarArea, self.suggestion_bar)
        self._build_menus()
        self.training_dock = make_training_dock(self.project_path, self)
        self.addDockWidget(Qt.BottomDockWidgetArea, self.training_dock)
        self.training_dock.hide()  # shown by Model ▸ Train; its place is remembered afterwards
        toggle = self.training_dock.toggleViewAction()
        toggle.setText(self.tr("&Training panel"))
        toggle.setShortcut(QtGui.QKeySequence("Ctrl+T"))
        toggle.setStatusTip(self.tr("Train a tagger on the done documents, with live curves; try the result"))
        self.view_menu.addAction(toggle)
        self.model_menu.addAction(toggle)
        self.chat_dock = add_chat_dock(self, self.project_path, (self.model_menu, self.view_menu))
        self.training_dock.widget().openChatRequested.connect(self.chat_dock.open_run)
        self.training_dock.widget().runFinished.connect(self.suggestion_bar.on_run_finished)
        self.chat_dock.exampleSaved.connect(lambda _id: self.training_dock.widget().update_data_summary())
        self._connect()
        self._restore_settings()
        self._update_status()
        remember_project(self.project_path)
        if not self.doc_panel.select_row(0):
            self._show_document(None)
        self._suggest_timer = QtCore.QTimer(self)  # the newest tagger suggests, once the window is up
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(800)
        self._suggest_timer.timeout.connect(self.suggestion_bar.use_latest)
        if settings().value("suggestions/auto", True, type=bool):
            self._suggest_timer.start()

    # ------------------------------------------------------------------ building

    def _action(self, menu: QtWidgets.QMenu, text: str, slot, shortcut=None, tip: str = "") -> QtGui.QAction:
        act = QtGui.QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                act.setShortcuts([QtGui.QKeySequence(k) for k in shortcut])
            else:
                act.setShortcut(QtGui.QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        # triggered(bool) would pass ``checked`` as the slot's first argument (e.g. a
        # file path parameter): call the slot with no arguments instead.
        act.triggered.connect(lambda _checked=False: slot())
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu(self.tr("&File"))
        self._action(m, self.tr("&New project…"), self.new_project, QtGui.QKeySequence.New)
        self._action(m, self.tr("&Open project…"), self.open_project, QtGui.QKeySequence.Open)
        self.recent_menu = m.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        self._action(m, self.tr("&Import documents…"), self.import_documents, "Ctrl+I",
                     self.tr("Import CoNLL, JSONL (Prodigy, doccano), Label Studio JSON, text or CSV/TSV"))
        self._action(m, self.tr("Import &chat examples…"), self.import_chat_examples, None,
                     self.tr("Import conversations to fine-tune the chat model on: JSONL with messages (OpenAI, ShareGPT), Alpaca, or ### Human: / ### Assistant: text"))
        self._action(m, self.tr("&Backups…"), self.show_backups, None,
                     self.tr("The project's backups (made before imports and deletions and every 30 minutes of editing): restore one, or back up now"))
        self._action(m, self.tr("&Export…"), self.export_documents, "Ctrl+E",
                     self.tr("Export all documents as CoNLL, JSONL, Label Studio JSON, text or CSV/TSV"))
        m.addSeparator()
        self._action(m, self.tr("&Quit"), self.close, QtGui.QKeySequence.Quit)

        e = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts(QtGui.QKeySequence.keyBindings(QtGui.QKeySequence.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QtGui.QKeySequence("Ctrl+Shift+Z"), QtGui.QKeySequence("Ctrl+Y")])
        e.addAction(self.undo_action)
        e.addAction(self.redo_action)
        e.addSeparator()
        self._action(e, self.tr("Search &labels…"), self.search_labels, "Ctrl+K", self.tr("Find a label by name and use it"))
        self._action(e, self.tr("Find &category…"), self.search_categories, "Ctrl+Shift+K",
                     self.tr("Find a document category by name and give it to this document"))
        self._action(e, self.tr("&Manage labels…"), self.manage_labels, "Ctrl+L", self.tr("Add, rename, recolour or delete labels"))
        e.addSeparator()
        self._action(e, self.tr("&Find documents"), self.doc_panel.focus_search, QtGui.QKeySequence.Find)

        d = bar.addMenu(self.tr("&Document"))
        self._action(d, self.tr("Mark &done and open next"), self.done_and_next, ["Ctrl+Return", "Ctrl+Enter"])
        self._action(d, self.tr("&Skip"), self.skip, "S", self.tr("Mark this document skipped and move on"))
        self._action(d, self.tr("&Reopen"), self.reopen, None, self.tr("Set this document back to new"))
        self._action(d, self.tr("De&lete document"), self.delete_document, "Ctrl+Del",
                     self.tr("Delete this document and its entities (Undo brings it back): e.g. the wrong copy of a conflict"))
        d.addSeparator()
        self._action(d, self.tr("&Next document"), self.doc_panel.go_next, "Ctrl+Right")
        self._action(d, self.tr("&Previous document"), self.doc_panel.go_previous, "Ctrl+Left")

        self.model_menu = bar.addMenu(self.tr("&Model"))
        self._action(self.model_menu, self.tr("&Suggest with…"), self.suggestion_bar.choose_model, "Ctrl+Shift+M",
                     self.tr("Choose the trained tagger that suggests entities in new documents (or turn suggestions off)"))
        self._action(self.model_menu, self.tr("Review likely &mistakes…"), self.review_mistakes, "Ctrl+Shift+R",
                     self.tr("Finished documents where the model confidently disagrees with the labels: keep yours or take the model's"))
        self.model_menu.addSeparator()
        self.kernels_action = self._action(
            self.model_menu, self.tr("Use &CUDA kernels on a GPU"), lambda: None, None,
            self.tr("Run Tessera's own GPU kernels for chat, fine-tuning and tagging where they help; off runs the "
                    "plain torch code (for comparing, or if a kernel misbehaves). No effect without a GPU."))
        self.kernels_action.setCheckable(True)
        self.kernels_action.setChecked(apply_kernel_setting())
        self.kernels_action.toggled.connect(self._set_kernels)
        self.model_menu.addSeparator()
        self.view_menu = bar.addMenu(self.tr("&View"))
        self._build_language_menu()

    def _set_kernels(self, on: bool) -> None:
        settings().setValue(KERNELS_SETTING, bool(on))
        apply_kernel_setting(on)
        self.statusBar().showMessage(self.tr("CUDA kernels on: used where a GPU allows.") if on else
                                     self.tr("CUDA kernels off: the plain torch code runs."), 6000)

    def _build_language_menu(self) -> None:
        """View ▸ Language: the system's language or a chosen one, remembered; shown from
        the next start."""
        from gui import i18n

        self.language_menu = self.view_menu.addMenu(self.tr("&Language"))
        group = QtGui.QActionGroup(self)
        saved = str(settings().value(i18n.SETTING, "") or "")
        for code, name in (("", self.tr("System language")), *i18n.LANGUAGES.items()):
            act = self.language_menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(code == saved)
            act.setData(code)
            group.addAction(act)
            act.triggered.connect(lambda _checked=False, code=code: self.set_language(code))
        self.view_menu.addSeparator()

    def set_language(self, code: str) -> None:
        """Remember the interface language (``""``: the system's); it applies at the next start."""
        from gui import i18n

        settings().setValue(i18n.SETTING, code)
        self.statusBar().showMessage(self.tr("The new language is used the next time Tessera starts."), 8000)

    def _connect(self) -> None:
        self.doc_panel.documentActivated.connect(self._show_document)
        self.doc_panel.table.clicked.connect(lambda _i: self.editor.setFocus())
        self.editor.spansChanged.connect(self._on_doc_changed)
        self.editor.statusMessage.connect(lambda t: self.statusBar().showMessage(t, 4000))
        self.editor.activeLabelChanged.connect(lambda i: self.label_bar.set_active(None if i < 0 else i))
        self.label_bar.labelActivated.connect(self._on_label_bar)
        self.label_bar.addRequested.connect(self.add_label)
        self.label_bar.manageRequested.connect(self.manage_labels)
        self.editor.categoryKeyPressed.connect(self.press_category)
        self.category_bar.categoryClicked.connect(self._on_category_chip)
        self.category_bar.findRequested.connect(self.search_categories)
        self.done_button.clicked.connect(self.done_and_next)
        self.skip_button.clicked.connect(self.skip)

    # ------------------------------------------------------------------ documents

    def current_doc_id(self) -> int | None:
        """Id of the document in the editor, or ``None``."""
        return self.editor.document_id()

    def _show_document(self, doc_id: int | None) -> None:
        if doc_id is not None and doc_id == self.editor.document_id():
            return
        self.editor.set_document(doc_id)
        self.category_bar.set_document(doc_id)
        self._update_header()
        self.announce_category_suggestion()

    def announce_category_suggestion(self) -> None:
        """Say in the status bar which category the model suggests for the shown document."""
        suggested = self.category_bar.suggested()
        if not suggested:
            return
        names = []
        for lid, score in sorted(suggested.items(), key=lambda kv: -kv[1]):
            lab = self.project.label(lid)
            key = self.tr(" (key {key})").format(key=lab.hotkey.upper()) if lab.hotkey else ""
            names.append(f"{lab.name} {score:.0%}{key}")
        self.statusBar().showMessage(
            self.tr("The model suggests: {names}. Press its key or click its chip to accept.").format(
                names=self.tr(", ").join(names)), 6000)

    def _update_header(self) -> None:
        doc_id = self.editor.document_id()
        if doc_id is None:
            n = self.project.count_documents()
            self.header.setText(
                self.tr("<b>No documents yet.</b> Use File ▸ Import documents… (Ctrl+I).") if n == 0
                else self.tr("<b>No document selected.</b>")
            )
            self.done_button.setEnabled(False)
            self.skip_button.setEnabled(False)
            return
        doc = self.project.document(doc_id)
        colour = {"done": "#3d8b37", "skipped": "#b7791f"}.get(doc.status, "#7a7f87")
        where = f" · {split_text(doc.split)}" if doc.split else ""
        src = f" · {doc.source}" if doc.source else ""
        twins = self.project.same_text_as(doc_id)
        conflict = ""
        if twins:
            warning = self.tr("⚠ conflict with {documents}").format(documents="#" + ", #".join(map(str, twins)))
            conflict = f" &nbsp;<span style='color:#c05621'>{warning}</span>"
        self.header.setToolTip(
            self.tr("Document {documents} has the same text with other entities. Keep the right copy and "
                    "delete the other (Document ▸ Delete document, Ctrl+Del; Undo brings it back).").format(
                documents=", ".join(map(str, twins))) if twins else ""
        )
        title = self.tr("<b>Document {id}</b>").format(id=doc_id)
        tokens = self.tr("{n} tokens").format(n=f"{len(doc.tokens):,}")
        self.header.setText(  # no-tr: markup around translated parts
            f"{title} &nbsp;<span style='color:{colour}'>● {status_text(doc.status)}</span>"
            f"<span style='color:#7a7f87'>{where}{src} · {tokens}</span>{conflict}"
        )
        self.done_button.setEnabled(True)
        self.skip_button.setEnabled(True)

    def _on_doc_changed(self, doc_id: int) -> None:
        """A command changed ``doc_id`` (an edit, undo or redo): show it and refresh counts."""
        self.doc_panel.refresh_rows([doc_id])
        if doc_id != self.editor.document_id():
            self.doc_panel.select_doc(doc_id)  # undo of an edit made in another document
        if doc_id == self.editor.document_id():
            self.category_bar.set_document(doc_id)
        self._status_timer.start()

    # ------------------------------------------------------------------ categories

    def press_category(self, label_id: int) -> None:
        """A category's hotkey or chip: give the shown document that category (single
        choice: instead of its other one), or take it away when it has it already; undoable."""
        doc_id = self.editor.document_id()
        if doc_id is None:
            return
        on = label_id not in {c.label_id for c in self.project.categories(doc_id)}
        self.undo_stack.push(SetCategoryCommand(self.project, doc_id, label_id, on, self._on_doc_changed))
        name = self.project.label(label_id).name
        text = (self.tr("Category {name} set; Ctrl+Enter marks the document done and opens the next.") if on
                else self.tr("Category {name} removed; Ctrl+Enter marks the document done and opens the next."))
        self.statusBar().showMessage(text.format(name=name), 4000)

    def _on_category_chip(self, label_id: int) -> None:
        self.press_category(label_id)
        self.editor.setFocus()

    def search_categories(self) -> None:
        """Ctrl+Shift+K: find a category by typing part of its name (or create it) and give
        it to the shown document (one it has already stays)."""
        label_id = LabelPalette.pick(self.project, self, kind="category")
        if label_id is not None and self.category_bar.chip(label_id) is None:
            self._labels_changed(keep_undo=True)  # created from the palette
        doc_id = self.editor.document_id()
        if label_id is not None and doc_id is not None and \
                label_id not in {c.label_id for c in self.project.categories(doc_id)}:
            self.press_category(label_id)
        self.editor.setFocus()

    def _set_status(self, status: str) -> int | None:
        doc_id = self.editor.document_id()
        if doc_id is None:
            return None
        self.undo_stack.push(SetStatusCommand(self.project, doc_id, status, self._on_status_changed))
        return doc_id

    def _on_status_changed(self, doc_id: int) -> None:
        self.doc_panel.refresh_rows([doc_id])
        if doc_id == self.editor.document_id():
            self.editor.refresh()  # done drops the suggestions nobody accepted (undo brings them back)
        self.training_dock.widget().update_data_summary()
        if doc_id == self.editor.document_id():
            self._update_header()
        self._status_timer.start()

    def done_and_next(self) -> None:
        """Mark the document done (undoable) and open the next unfinished one."""
        doc_id = self._set_status("done")
        if doc_id is None:
            return
        self.suggestion_bar.document_done()  # retrains in the background every N, if set
        nxt = self.doc_panel.next_unfinished_after(doc_id)
        if nxt is None:
            self.statusBar().showMessage(self.tr("All documents are done. 🎉"), 6000)
        else:
            self.doc_panel.select_doc(nxt)
        self.editor.setFocus()

    def skip(self) -> None:
        """Mark the document skipped (undoable) and move to the next one."""
        if self._set_status("skipped") is not None:
            self.doc_panel.go_next()
            self.editor.setFocus()

    def reopen(self) -> None:
        """Set the document back to new (undoable)."""
        self._set_status("new")

    def review_mistakes(self) -> None:
        """Model ▸ Review likely mistakes…"""
        from gui.review import ReviewDialog

        service = self.suggestion_bar.service
        if not service.active() and not self.suggestion_bar.use_latest():
            QtWidgets.QMessageBox.information(
                self, self.tr("Review likely mistakes"),
                self.tr("The review needs a trained tagger: train one in the training panel (Ctrl+T) first."))
            return
        dialog = ReviewDialog(self.project, service, self.undo_stack, self._on_review_edit, self)
        dialog.openDocument.connect(self.doc_panel.select_doc)
        dialog.exec()
        dialog.deleteLater()

    def _on_review_edit(self, doc_id: int) -> None:
        if doc_id == self.editor.document_id():
            self.editor.refresh()
        self.doc_panel.refresh_rows([doc_id])
        self._status_timer.start()

    def auto_backup_edited(self) -> None:
        self.auto_backup.edited()

    def _timed_backup(self) -> None:
        if self.auto_backup.due():
            self.auto_backup.done()
            backup_in_background(self, self.project_path, "every 30 minutes of editing",
                                 lambda msg: self.statusBar().showMessage(msg, 6000))

    def show_backups(self) -> None:
        """File ▸ Backups: list, restore, back up now."""
        dialog = BackupsDialog(self.project_path, self, close_project=self._close_for_restore)
        dialog.exec()
        if dialog.restored:
            win = MainWindow(self.project_path)
            win.restoreGeometry(self.saveGeometry())
            win.show()
            QtWidgets.QApplication.instance().setQuitOnLastWindowClosed(True)
            win.statusBar().showMessage(
                self.tr("Backup restored. The project as it was before is the newest backup."), 10000)
            self.restored_window = win
        dialog.deleteLater()

    def _close_for_restore(self) -> None:
        """Close this window (and every connection it holds) before a backup replaces the file."""
        QtWidgets.QApplication.instance().setQuitOnLastWindowClosed(False)
        self.close()

    def delete_document(self) -> None:
        """Delete the shown document (undoable); the next one in the list is shown. The
        project is backed up first unless a backup is less than 10 minutes old."""
        doc_id = self.editor.document_id()
        if doc_id is None:
            return
        recent = list_backups(self.project_path)[:1]
        if not recent or (datetime.now(timezone.utc) - datetime.fromisoformat(recent[0].time)).total_seconds() > 600:
            try:
                make_backup(self.project_path, f"before deleting document {doc_id}")
            except TesseraError as exc:
                self.statusBar().showMessage(engine_text(exc), 8000)
        self.undo_stack.push(DeleteDocumentCommand(self.project, doc_id, self._on_document_deleted))
        self.statusBar().showMessage(
            self.tr("Deleted document #{id}. Undo (Ctrl+Z) brings it back.").format(id=doc_id), 8000)

    def _on_document_deleted(self, doc_id: int) -> None:
        """After a deletion (or its undo): refresh the list; show the restored document."""
        restored = self.project.has_document(doc_id)
        if not restored and self.editor.document_id() == doc_id:
            self.editor.set_document(None)
        self.doc_panel.reload()
        if restored:
            self.doc_panel.select_doc(doc_id)
        self.training_dock.widget().update_data_summary()
        self._update_header()
        self._status_timer.start()

    # ------------------------------------------------------------------ labels

    def _on_label_bar(self, label_id: int) -> None:
        if label_id < 0:
            self.editor.set_active_label(None)
        else:
            self.editor.press_label(label_id)
        self.editor.setFocus()

    def search_labels(self) -> None:
        """Ctrl+K: pick a label by typing part of its name (or create it); in a project with
        categories and no entity labels, a category (as Ctrl+Shift+K)."""
        if self.project.labels(kind="category") and not self.project.labels(kind="entity"):
            self.search_categories()
            return
        label_id = LabelPalette.pick(self.project, self)
        self._labels_changed(keep_undo=True)
        if label_id is not None:
            self.editor.press_label(label_id)
        self.editor.setFocus()

    def add_label(self) -> None:
        """Ask for a new label name and create it with the next colour and hotkey."""
        name, ok = QtWidgets.QInputDialog.getText(self, self.tr("New label"),
                                                  self.tr("Label name (e.g. person, drug, court):"))
        if not ok or not name.strip():
            return
        try:
            label = self.project.add_label(name.strip())
        except TesseraError as exc:
            QtWidgets.QMessageBox.warning(self, self.tr("New label"), engine_text(exc))
            return
        self._labels_changed(keep_undo=True)
        self.editor.set_active_label(label.id)

    def manage_labels(self) -> None:
        """Open the label manager; refresh everything that shows labels afterwards."""
        dialog = LabelManager(self.project, self)
        changed = []
        dialog.labelsChanged.connect(lambda: changed.append(True))
        dialog.exec()
        if changed:
            self._labels_changed(keep_undo=False)

    def _labels_changed(self, *, keep_undo: bool) -> None:
        # Deleting a label deletes its spans: undo entries that would restore them
        # refer to a label that no longer exists, so the stack starts afresh.
        if not keep_undo:
            self.undo_stack.clear()
        self.editor.reload_labels()
        self.label_bar.reload()
        self.label_bar.set_active(self.editor.active_label())
        self.category_bar.reload()
        self.doc_panel.reload_labels()
        self.training_dock.widget().refresh()
        if not keep_undo:
            self.doc_panel.reload()
        self._status_timer.start()

    # ------------------------------------------------------------------ files

    def new_project(self) -> None:
        """File ▸ New: create a project and open it in this window."""
        path = file_actions.ask_new_project(self)
        if path is not None:
            self.switch_project(path)

    def open_project(self) -> None:
        """File ▸ Open: choose a project file and open it in this window."""
        path = file_actions.ask_open_project(self)
        if path is not None:
            self.switch_project(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in (settings().value("recent_projects") or []) if Path(p).exists()]
        for p in recent:
            act = self.recent_menu.addAction(f"{Path(p).stem}   ({p})")
            act.triggered.connect(lambda _=False, p=p: self.switch_project(Path(p)))
        if not recent:
            self.recent_menu.addAction(self.tr("No recent projects")).setEnabled(False)

    def switch_project(self, path: Path) -> "MainWindow | None":
        """Open ``path`` in a new window that takes this one's place; return it (``None`` on error)."""
        if Path(path).resolve() == self.project_path.resolve():
            return self
        try:
            try:
                win = MainWindow(path)
            except ForeignSchemaError as exc:
                from gui.app import offer_clean_copy

                copy = offer_clean_copy(self, Path(path), exc)
                if copy is None:
                    return None
                win = MainWindow(copy)
        except TesseraError as exc:
            QtWidgets.QMessageBox.warning(self, self.tr("Open project"), engine_text(exc))
            return None
        win.restoreGeometry(self.saveGeometry())
        win.show()
        self.close()
        return win

    def import_documents(self, file_path: Path | None = None) -> None:
        """File ▸ Import: pick a file, import it with a progress dialog, refresh the lists."""
        if file_actions.import_into(self, self.project_path, file_path, on_show_conflicts=self.doc_panel.show_conflicts):
            self.undo_stack.clear()  # spans may have been replaced by the import
            self._labels_changed(keep_undo=True)
            self.doc_panel.reload()
            if self.editor.document_id() is None:
                self.doc_panel.select_row(0)

    def import_chat_examples(self, file_path: Path | None = None) -> None:
        """File ▸ Import chat examples: pick a file, add its conversations to the chat examples."""
        if file_actions.import_chat_into(self, self.project_path, file_path):
            self.training_dock.widget().update_data_summary()  # the chat example count

    def export_documents(self) -> None:
        """File ▸ Export: pick a file and format, export with a progress dialog."""
        file_actions.export_from(self, self.project_path)

    # ------------------------------------------------------------------ status and settings

    def _update_status(self) -> None:
        s = self.project.stats(tokens=False)
        done = s.by_status.get("done", 0)
        used = sum(1 for n in s.spans_by_label.values() if n)
        parts = [self.tr("{done} / {total} documents done").format(done=f"{done:,}", total=f"{s.documents:,}")]
        if s.spans_by_label or not self.category_bar.isVisibleTo(self):
            parts.append(self.tr("{entities} entities · {used} of {labels} labels used").format(
                entities=f"{s.spans:,}", used=used, labels=len(s.spans_by_label)))
        if self.category_bar.isVisibleTo(self):
            counts = self.project.category_counts()
            parts.append(self.tr("{documents} categorized · {used} of {categories} categories used").format(
                documents=f"{sum(counts.values()):,}", used=sum(1 for n in counts.values() if n),
                categories=len(counts)))
        self.progress_label.setText(" · ".join(parts))
        self.progress_bar.setMaximum(max(1, s.documents))
        self.progress_bar.setValue(done)

    def _restore_settings(self) -> None:
        s = settings()
        geo = s.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state, STATE_VERSION)
        sizes = s.value("window/splitter")
        if sizes is not None:
            self.splitter.restoreState(sizes)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState(STATE_VERSION))
        s.setValue("window/splitter", self.splitter.saveState())
        self._status_timer.stop()
        self._suggest_timer.stop()
        self.suggestion_bar.shutdown()
        self.training_dock.widget().shutdown()  # stops a running training, keeps its checkpoint
        self.chat_dock.shutdown()  # stops a reply being written (what it wrote is kept)
        self.undo_stack.clear()
        self.project.close()
        super().closeEvent(event)

