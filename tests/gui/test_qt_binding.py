"""Guard against the Qt binding bug that made PySide6 6.12.0 crash on Python 3.11.

Qt calls that return nothing dropped a reference to ``None`` each time; after a few
thousand repaints CPython aborted with ``none_dealloc``. pyproject excludes that
release; this test fails if an installed binding has the bug again.
"""
from __future__ import annotations

import sys


def test_qt_calls_do_not_leak_none_references(qtbot):
    from gui.qt import QtWidgets

    w = QtWidgets.QWidget()
    qtbot.addWidget(w)
    before = sys.getrefcount(None)
    for _ in range(2000):
        w.update()
    assert sys.getrefcount(None) - before > -100
