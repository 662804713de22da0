"""File menu work: new/open project, import and export with progress and cancel.

Each function asks what it needs with a dialog (the file chooser, then
:class:`gui.import_dialog.ImportDialog` or :class:`gui.import_dialog.ExportDialog`),
runs the engine function in a worker thread behind a progress dialog, and reports the
outcome in plain words.
"""
from __future__ import annotations

from pathlib import Path

from engine import formats
from engine.exporter import export_file
from engine.importer import import_file
from engine.store import Project
from gui.i18n import engine_text
from gui.import_dialog import ExportDialog, ImportDialog, ImportResultDialog
from gui.qt import QtCore, QtWidgets
from gui.workers import run_with_progress

#: The import file chooser's filter (English; translated where shown).
IMPORT_FILTER = QtCore.QT_TRANSLATE_NOOP(
    "FileActions",
    "All supported files (*.conll *.iob *.bio *.txt *.jsonl *.json *.csv *.tsv);;"
    "CoNLL (*.conll *.iob *.bio *.txt);;JSON Lines (*.jsonl);;Label Studio JSON (*.json);;"
    "Text (*.txt);;CSV / TSV (*.csv *.tsv);;All files (*)",
)


def ask_new_project(parent) -> Path | None:
    """Ask for a new project file name, create it, and return its path (``None`` if cancelled)."""
    name, _ = QtWidgets.QFileDialog.getSaveFileName(
        parent, QtCore.QCoreApplication.translate("FileActions", "New project"), "",
        QtCore.QCoreApplication.translate("FileActions", "Tessera project (*.tessera)"))
    if not name:
        return None
    path = Path(name if name.endswith(".tessera") else name + ".tessera")
    try:
        Project.create(path).close()
    except Exception as exc:  # ProjectError or OS error: say it plainly
        QtWidgets.QMessageBox.warning(
            parent, QtCore.QCoreApplication.translate("FileActions", "New project"), engine_text(exc))
        return None
    return path


def ask_open_project(parent) -> Path | None:
    """Ask for a project file to open; return its path or ``None``."""
    name, _ = QtWidgets.QFileDialog.getOpenFileName(
        parent, QtCore.QCoreApplication.translate("FileActions", "Open project"), "",
        QtCore.QCoreApplication.translate("FileActions", "Tessera project (*.tessera);;All files (*)"))
    return Path(name) if name else None


def import_into(parent, project_path: Path, file_path: Path | None = None, fmt: str | None = None,
                on_show_conflicts=None, **options) -> bool:
    """Ask for a file (unless given) and import it into the project; return True if documents were added.

    The result dialog lists what the reader repaired or set aside; when conflicting
    copies were kept its "Show conflicts" button calls ``on_show_conflicts()``.

    With ``fmt`` left ``None`` the import dialog asks for the format, status, split and
    the format's options; otherwise ``fmt`` (``"auto"`` to detect) and ``options`` (the
    keyword arguments of :func:`engine.importer.import_file`) are used as given.
    """
    if file_path is None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            parent, QtCore.QCoreApplication.translate("FileActions", "Import documents"), "",
            QtCore.QCoreApplication.translate("FileActions", IMPORT_FILTER))
        if not name:
            return False
        file_path = Path(name)
    file_path = Path(file_path)
    if fmt is None:
        dialog = ImportDialog(file_path, parent)
        try:
            if dialog.exec() != QtWidgets.QDialog.Accepted:
                return False
            fmt, chosen = dialog.options()
        finally:
            dialog.deleteLater()
        options = {**chosen, **options}

    def work(report, cancel):
        with Project.open(project_path) as project:
            return import_file(project, file_path, fmt, report=report, cancel=cancel, **options)

    title = QtCore.QCoreApplication.translate("FileActions", "Importing {name}").format(name=file_path.name)
    kind, value = run_with_progress(parent, title, work)
    if kind == "ok":
        result = ImportResultDialog(value, parent)
        try:
            result.exec()
            if result.show_conflicts and on_show_conflicts is not None:
                on_show_conflicts()
        finally:
            result.deleteLater()
        return value.added > 0 or value.merged > 0
    if kind == "failed":
        QtWidgets.QMessageBox.warning(
            parent, QtCore.QCoreApplication.translate("FileActions", "Import failed"),
            QtCore.QCoreApplication.translate(
                "FileActions", "{error}\n\nNothing was imported; the project is unchanged.").format(error=value),
        )
    return False


CHAT_FILTER = QtCore.QT_TRANSLATE_NOOP("FileActions", "Chat examples (*.jsonl *.json *.txt);;All files (*)")


def import_chat_into(parent, project_path: Path, file_path: Path | None = None, fmt: str = "auto") -> bool:
    """Ask for a chat-data file (unless given) and add its conversations to the project's
    chat examples; return True if any were added.

    Formats (detected with ``fmt="auto"``): JSONL with ``messages`` (OpenAI) or
    ``conversations`` (ShareGPT), Alpaca / Self-Instruct, ``### Human: … ### Assistant: …`` text.
    """
    if file_path is None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            parent, QtCore.QCoreApplication.translate("FileActions", "Import chat examples"), "",
            QtCore.QCoreApplication.translate("FileActions", CHAT_FILTER))
        if not name:
            return False
        file_path = Path(name)
    file_path = Path(file_path)

    def work(report, cancel):
        from engine.chat.importer import import_chat_file

        with Project.open(project_path) as project:
            return import_chat_file(project, file_path, format=fmt, report=report, cancel=cancel)

    title = QtCore.QCoreApplication.translate("FileActions", "Importing {name}").format(name=file_path.name)
    kind, value = run_with_progress(parent, title, work)
    if kind == "ok":
        if value.skipped:
            text = QtCore.QCoreApplication.translate(
                "FileActions",
                "Added {added} chat examples from {name} ({skipped} were already in the project).\n\n"
                "Fine-tune the chat model on them in the Training panel (Chat model).",
            ).format(added=f"{value.added:,}", name=file_path.name, skipped=f"{value.skipped:,}")
        else:
            text = QtCore.QCoreApplication.translate(
                "FileActions",
                "Added {added} chat examples from {name}.\n\n"
                "Fine-tune the chat model on them in the Training panel (Chat model).",
            ).format(added=f"{value.added:,}", name=file_path.name)
        QtWidgets.QMessageBox.information(
            parent, QtCore.QCoreApplication.translate("FileActions", "Import finished"), text)
        return value.added > 0
    if kind == "failed":
        QtWidgets.QMessageBox.warning(
            parent, QtCore.QCoreApplication.translate("FileActions", "Import failed"),
            QtCore.QCoreApplication.translate(
                "FileActions", "{error}\n\nNothing was imported; the project is unchanged.").format(error=value))
    return False


def export_from(parent, project_path: Path, status: str | None = None, path: Path | None = None,
                fmt: str | None = None, **options) -> bool:
    """Ask for the format, options, documents and file name, then export; return True when written.

    With ``fmt`` left ``None`` the export dialog asks (``status`` preselects which
    documents); otherwise ``path``, ``fmt``, ``status`` and ``options`` (the writer's
    keyword arguments) go to :func:`engine.exporter.export_file` as given.
    """
    if fmt is None:
        with Project.open(project_path) as project:
            dialog = ExportDialog(project, parent, status=status)
            try:
                if dialog.exec() != QtWidgets.QDialog.Accepted:
                    return False
                path, fmt, chosen = dialog.options()
            finally:
                dialog.deleteLater()
        status = chosen.pop("status", None)
        options = {**chosen, **options}
    elif path is None:
        raise ValueError("export_from: give path together with fmt")
    path = Path(path)

    def work(report, cancel):
        with Project.open(project_path) as project:
            if fmt == "parquet":
                from engine.dataset_export import export_parquet

                counts = export_parquet(project, path, status=status, report=report, cancel=cancel)
                return sum(counts.values())
            return export_file(project, path, fmt, status=status, report=report, cancel=cancel, **options)

    title = QtCore.QCoreApplication.translate("FileActions", "Exporting to {name}").format(name=path.name)
    kind, value = run_with_progress(parent, title, work)
    if kind == "ok":
        if fmt == "parquet":
            what = QtCore.QCoreApplication.translate(
                "FileActions",
                "Wrote a dataset of {count} documents to the folder {path} (train, validation and test Parquet "
                "files and a README dataset card).",
            ).format(count=f"{value:,}", path=path)
        else:
            what = QtCore.QCoreApplication.translate(
                "FileActions", "Wrote {count} documents to {path}.").format(count=f"{value:,}", path=path)
        QtWidgets.QMessageBox.information(
            parent, QtCore.QCoreApplication.translate("FileActions", "Export finished"), what)
        return True
    if kind == "failed":
        QtWidgets.QMessageBox.warning(
            parent, QtCore.QCoreApplication.translate("FileActions", "Export failed"),
            QtCore.QCoreApplication.translate("FileActions", "{error}\n\nNo file was written.").format(error=value))
    return False


def format_names() -> list[str]:
    """Return ``auto`` and every format name, for a format chooser."""
    return ["auto", *formats.FORMATS]
