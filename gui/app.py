"""Start the Qt application on a project (the last one, or the demo on first launch)."""
from __future__ import annotations

import sys
from pathlib import Path

from engine.demo import build_demo
from engine.errors import TesseraError
from engine.paths import demo_project_path
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


def run(path: str | None = None) -> int:
    """Open the main window and run the event loop; return the exit code."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    app.setApplicationName("Tessera")
    app.setOrganizationName("Tessera")
    from gui.main_window import MainWindow

    try:
        project = resolve_project(path)
        win = MainWindow(project)
    except TesseraError as exc:
        QtWidgets.QMessageBox.critical(None, "Tessera", str(exc))
        return 1
    QtCore.QSettings("Tessera", "Tessera").setValue("last_project", str(project))
    win.show()
    return app.exec()
