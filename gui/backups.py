"""File ▸ Backups: the project's backups (time, counts, why), restore one, back up now,
how many to keep. And the timed backup every 30 minutes of editing (Anki's habit).

Backups run in a worker thread (:func:`gui.workers.run_with_progress`); the editor is
never blocked. Restoring closes the project's window, puts the backup in the project's
place (after backing up the current state) and opens it again.
"""
from __future__ import annotations

from pathlib import Path

from engine import backup as bk
from engine.errors import TesseraError
from gui.qt import QtCore, QtWidgets, Qt


def keep_setting() -> int:
    """How many backups to keep (File ▸ Backups; default :data:`engine.backup.KEEP`)."""
    value = QtCore.QSettings("Tessera", "Tessera").value("backups/keep", bk.KEEP)
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return bk.KEEP


class BackupWorker(QtCore.QObject):
    """Makes one backup in a thread of its own; ``finished(message)`` says how it went."""

    finished = QtCore.Signal(str)

    def __init__(self, project_path: Path, reason: str):
        super().__init__()
        self.project_path = Path(project_path)
        self.reason = reason

    def run(self) -> None:
        try:
            b = bk.make_backup(self.project_path, self.reason, keep=keep_setting())
            self.finished.emit(f"Backed up {self.project_path.name} ({b.summary}).")
        except TesseraError as exc:
            self.finished.emit(f"The backup failed: {exc}")


def backup_in_background(parent: QtCore.QObject, project_path: Path, reason: str, on_done=None) -> QtCore.QThread:
    """Start a backup in a worker thread; ``on_done(message)`` runs in the GUI thread after it."""
    thread = QtCore.QThread(parent)
    worker = BackupWorker(project_path, reason)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    if on_done is not None:
        worker.finished.connect(on_done)
    thread.finished.connect(thread.deleteLater)
    thread._worker = worker  # keep the worker alive as long as its thread
    thread.start()
    return thread


class BackupsDialog(QtWidgets.QDialog):
    """The list of a project's backups, newest first, with Restore, Back up now and how
    many to keep. After :meth:`exec`, :attr:`restored` is true when a backup replaced the
    project (the caller reopens it).

    Public widgets (for tests): ``table``, ``restore_button``, ``backup_button``,
    ``keep_spin``, ``message``.
    """

    def __init__(self, project_path: Path, parent: QtWidgets.QWidget | None = None, close_project=None):
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.close_project = close_project  # called before a restore: closes every connection
        self.restored = False
        self.setWindowTitle(f"Backups of {self.project_path.name}")
        self.setMinimumSize(720, 380)
        intro = QtWidgets.QLabel(
            "Tessera backs the project up before every import, label deletion and upgrade, and every "
            f"{bk.EVERY_MINUTES} minutes of editing. Restoring puts a backup in the project's place; the project "
            "as it is now is backed up first, so a restore can be undone by restoring that backup."
        )
        intro.setWordWrap(True)
        self.table = QtWidgets.QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["When", "What it holds", "Why"])
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection)
        self.keep_spin = QtWidgets.QSpinBox()
        self.keep_spin.setRange(1, 500)
        self.keep_spin.setValue(keep_setting())
        self.keep_spin.setSuffix(" backups")
        self.keep_spin.valueChanged.connect(
            lambda v: QtCore.QSettings("Tessera", "Tessera").setValue("backups/keep", int(v)))
        self.folder = QtWidgets.QLabel(f"Kept in {bk.backup_dir(self.project_path)}")
        self.folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.folder.setStyleSheet("color: palette(mid);")
        self.message = QtWidgets.QLabel("")
        self.message.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Close)
        self.backup_button = buttons.addButton("Back up now", QtWidgets.QDialogButtonBox.ActionRole)
        self.restore_button = buttons.addButton("Restore…", QtWidgets.QDialogButtonBox.ActionRole)
        self.restore_button.setEnabled(False)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        keep_row = QtWidgets.QHBoxLayout()
        keep_row.addWidget(QtWidgets.QLabel("Keep the newest"))
        keep_row.addWidget(self.keep_spin)
        keep_row.addStretch(1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addLayout(keep_row)
        lay.addWidget(self.folder)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Re-read the backup folder."""
        self.backups = bk.list_backups(self.project_path)
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            for col, text in enumerate((b.local_time, f"{b.documents:,} documents ({b.done:,} done), "
                                        f"{b.entities:,} entities, {b.labels:,} labels", b.reason)):
                self.table.setItem(row, col, QtWidgets.QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if not self.backups:
            self.message.setText("No backups yet.")
        self._selection()

    def _selection(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def selected(self) -> bk.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def backup_now(self) -> None:
        """Make a backup now (in this thread: the dialog waits a moment for it)."""
        try:
            b = bk.make_backup(self.project_path, "made by hand", keep=keep_setting())
            self.message.setText(f"Backed up: {b.summary}.")
        except TesseraError as exc:
            self.message.setText(str(exc))
        self.reload()

    def restore_selected(self, confirm: bool = True) -> None:
        """Ask, then restore the selected backup in the project's place."""
        b = self.selected()
        if b is None:
            return
        if confirm and QtWidgets.QMessageBox.question(
            self, "Restore backup",
            f"Put the backup of {b.local_time} ({b.summary}) in the place of {self.project_path.name}?\n\n"
            "The project as it is now is backed up first.",
        ) != QtWidgets.QMessageBox.Yes:
            return
        if self.close_project is not None:
            self.close_project()
        try:
            bk.restore(b, self.project_path, keep=keep_setting())
        except TesseraError as exc:
            self.message.setText(str(exc))
            return
        self.restored = True
        self.accept()
