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
from gui.i18n import engine_text
from gui.workers import hand_back
from gui.qt import QtCore, QtWidgets, Qt

#: Why a backup was made, as the callers of ``make_backup`` word it (kept in English in
#: the backup's JSON; translated where shown). Reasons naming a file, document or label.
_REASONS = (
    QtCore.QT_TRANSLATE_NOOP("Backups", "made by hand"),
    QtCore.QT_TRANSLATE_NOOP("Backups", "every 30 minutes of editing"),
    QtCore.QT_TRANSLATE_NOOP("Backups", "before upgrading the project"),
    QtCore.QT_TRANSLATE_NOOP("Backups", "before restoring"),
    QtCore.QT_TRANSLATE_NOOP("Backups", "backup"),
)
_NAMED_REASONS = (
    ("before importing ", QtCore.QT_TRANSLATE_NOOP("Backups", "before importing {name}")),
    ("before deleting document ", QtCore.QT_TRANSLATE_NOOP("Backups", "before deleting document {name}")),
    ("before deleting the label ", QtCore.QT_TRANSLATE_NOOP("Backups", "before deleting the label {name}")),
)


def reason_text(reason: str) -> str:
    """Return why a backup was made in the interface's language (unknown reasons as they are)."""
    if reason in _REASONS:
        return QtCore.QCoreApplication.translate("Backups", reason)
    for prefix, template in _NAMED_REASONS:
        if reason.startswith(prefix):
            return QtCore.QCoreApplication.translate("Backups", template).format(name=reason[len(prefix):])
    return reason


def backup_counts(b: bk.Backup) -> str:
    """Return what a backup holds (documents, done, entities, labels) in words."""
    return QtCore.QCoreApplication.translate(
        "Backups", "{documents} documents ({done} done), {entities} entities, {labels} labels",
    ).format(documents=f"{b.documents:,}", done=f"{b.done:,}", entities=f"{b.entities:,}", labels=f"{b.labels:,}")


def backup_summary(b: bk.Backup) -> str:
    """Return :attr:`engine.backup.Backup.summary` (counts and reason) in the interface's language."""
    return f"{backup_counts(b)} · {reason_text(b.reason)}"


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
            self.finished.emit(self.tr("Backed up {name} ({summary}).").format(
                name=self.project_path.name, summary=backup_summary(b)))
        except TesseraError as exc:
            self.finished.emit(self.tr("The backup failed: {error}").format(error=engine_text(exc)))
        finally:
            hand_back(self)


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
        self.setWindowTitle(self.tr("Backups of {name}").format(name=self.project_path.name))
        self.setMinimumSize(720, 380)
        intro = QtWidgets.QLabel(self.tr(
            "Tessera backs the project up before every import, label deletion and upgrade, and every "
            "{minutes} minutes of editing. Restoring puts a backup in the project's place; the project "
            "as it is now is backed up first, so a restore can be undone by restoring that backup."
        ).format(minutes=bk.EVERY_MINUTES))
        intro.setWordWrap(True)
        self.table = QtWidgets.QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("What it holds"), self.tr("Why")])
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection)
        self.keep_spin = QtWidgets.QSpinBox()
        self.keep_spin.setRange(1, 500)
        self.keep_spin.setValue(keep_setting())
        self.keep_spin.setSuffix(self.tr(" backups"))
        self.keep_spin.valueChanged.connect(
            lambda v: QtCore.QSettings("Tessera", "Tessera").setValue("backups/keep", int(v)))
        self.folder = QtWidgets.QLabel(self.tr("Kept in {folder}").format(folder=bk.backup_dir(self.project_path)))
        self.folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.folder.setStyleSheet("color: palette(mid);")
        self.message = QtWidgets.QLabel("")
        self.message.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Close)
        self.backup_button = buttons.addButton(self.tr("Back up now"), QtWidgets.QDialogButtonBox.ActionRole)
        self.restore_button = buttons.addButton(self.tr("Restore…"), QtWidgets.QDialogButtonBox.ActionRole)
        self.restore_button.setEnabled(False)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        keep_row = QtWidgets.QHBoxLayout()
        keep_row.addWidget(QtWidgets.QLabel(self.tr("Keep the newest")))
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
            for col, text in enumerate((b.local_time, backup_counts(b), reason_text(b.reason))):
                self.table.setItem(row, col, QtWidgets.QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if not self.backups:
            self.message.setText(self.tr("No backups yet."))
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
            self.message.setText(self.tr("Backed up: {summary}.").format(summary=backup_summary(b)))
        except TesseraError as exc:
            self.message.setText(engine_text(exc))
        self.reload()

    def restore_selected(self, confirm: bool = True) -> None:
        """Ask, then restore the selected backup in the project's place."""
        b = self.selected()
        if b is None:
            return
        if confirm and QtWidgets.QMessageBox.question(
            self, self.tr("Restore backup"),
            self.tr("Put the backup of {time} ({summary}) in the place of {name}?\n\n"
                    "The project as it is now is backed up first.").format(
                time=b.local_time, summary=backup_summary(b), name=self.project_path.name),
        ) != QtWidgets.QMessageBox.Yes:
            return
        if self.close_project is not None:
            self.close_project()
        try:
            bk.restore(b, self.project_path, keep=keep_setting())
        except TesseraError as exc:
            self.message.setText(engine_text(exc))
            return
        self.restored = True
        self.accept()
