"""Start the Qt application on a project (the last one, or the demo on first launch)."""
from __future__ import annotations

import sys
from pathlib import Path

from engine.demo import build_demo
from engine.errors import ForeignSchemaError, TesseraError
from engine.store import repair_copy
from engine.paths import demo_project_path
from gui.i18n import engine_text
from gui.qt import QtCore, QtWidgets


def resolve_project(path: str | None) -> Path:
    """Return the project to open: ``path``, else the last opened one, else the demo (built if missing)."""
    if path:
        return Path(path)
    last = QtCore.QSettings("Tessera", "Tessera").value("last_project")
    if last and Path(str(last)).exists():
        return Path(str(last))
    demo = demo_project_path()
    if not demo.exists():
        build_demo(demo)
    return demo


def offer_clean_copy(parent, path: Path, exc: ForeignSchemaError) -> Path | None:
    """Say why ``path`` was not opened and offer a cleaned copy; return the copy's path
    when the user agreed and it was written, else ``None``.

    Raises:
        TesseraError: the copy could not be written.
    """
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Warning)
    box.setWindowTitle(QtCore.QCoreApplication.translate("App", "Open project"))
    box.setText(engine_text(getattr(exc, "problem", exc)))  # the remedy is the button below
    box.setInformativeText(QtCore.QCoreApplication.translate(
        "App", "Tessera can write a copy without that code and open the copy; the file itself is left as it is."))
    clean = box.addButton(QtCore.QCoreApplication.translate("App", "Clean copy"), QtWidgets.QMessageBox.AcceptRole)
    box.addButton(QtWidgets.QMessageBox.Cancel)
    box.exec()
    if box.clickedButton() is not clean:
        return None
    return repair_copy(path)


def show_error(exc: BaseException) -> None:
    """Say what went wrong in a dialog, in words: a :class:`TesseraError`'s own message (e.g.
    "the project is busy"), otherwise one line naming the error. Never a traceback."""
    parent = QtWidgets.QApplication.activeWindow()
    if isinstance(exc, TesseraError):
        QtWidgets.QMessageBox.warning(parent, "Tessera", engine_text(exc))  # no-tr (the app's name)
        return
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    text = QtCore.QCoreApplication.translate(
        "App", "Something went wrong ({error}: {detail}).\n\nEvery edit made so far is saved in the project. "
        "If this keeps happening, please report it with the steps that led to it.",
    ).format(error=type(exc).__name__, detail=first)
    QtWidgets.QMessageBox.critical(parent, "Tessera", text)  # no-tr (the app's name)


def install_error_dialogs() -> None:
    """Route exceptions that escape Qt slots to :func:`show_error` (the traceback still goes
    to stderr for a bug report) instead of a silent console message."""
    previous = sys.excepthook

    def hook(kind, exc, tb):
        previous(kind, exc, tb)
        if QtWidgets.QApplication.instance() is not None and not issubclass(kind, (KeyboardInterrupt, SystemExit)):
            show_error(exc)

    sys.excepthook = hook


def run(path: str | None = None) -> int:
    """Open the main window and run the event loop; return the exit code."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    app.setApplicationName("Tessera")
    app.setOrganizationName("Tessera")
    install_error_dialogs()
    from gui import i18n
    from gui.main_window import MainWindow, settings

    i18n.install(app, str(settings().value(i18n.SETTING, "") or ""))

    try:
        project = resolve_project(path)
        try:
            win = MainWindow(project)
        except ForeignSchemaError as exc:
            project = offer_clean_copy(None, project, exc)
            if project is None:
                return 1
            win = MainWindow(project)
    except TesseraError as exc:
        QtWidgets.QMessageBox.critical(None, "Tessera", engine_text(exc))  # no-tr (the app's name)
        return 1
    QtCore.QSettings("Tessera", "Tessera").setValue("last_project", str(project))
    win.show()
    return app.exec()
