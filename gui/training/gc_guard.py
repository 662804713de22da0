"""Keep Python's cyclic garbage collector on the UI thread while engine work runs.

A collection runs in whichever thread happens to allocate when a threshold is
crossed. Training allocates heavily in its worker thread, so a collection there
would destroy unreachable Qt wrappers (widgets, graphics items) off the UI thread,
which crashes Qt at random. While any :func:`hold` is active, automatic collection
is off and a UI-thread timer collects instead (pyqtgraph's ``GarbageCollector``
recipe); the last :func:`release` restores the previous setting.
"""
from __future__ import annotations

import gc

from gui.qt import QtCore

INTERVAL_MS = 1000
_holds = 0
_timer: QtCore.QTimer | None = None
_was_enabled = True


def _collect() -> None:
    t0, t1, t2 = gc.get_threshold()
    c0, c1, c2 = gc.get_count()
    if c0 > t0:
        gc.collect(2 if c2 > t2 else 1 if c1 > t1 else 0)


def hold() -> None:
    """Start collecting on the UI thread only (call from the UI thread; pair with :func:`release`)."""
    global _holds, _timer, _was_enabled
    if _holds == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
        _timer = QtCore.QTimer()
        _timer.setInterval(INTERVAL_MS)
        _timer.timeout.connect(_collect)
        _timer.start()
    _holds += 1


def release() -> None:
    """End one :func:`hold`; the last one collects once and restores automatic collection."""
    global _holds, _timer
    if _holds == 0:
        return
    _holds -= 1
    if _holds == 0:
        if _timer is not None:
            _timer.stop()
            _timer = None
        gc.collect()
        if _was_enabled:
            gc.enable()


def active() -> bool:
    """Whether automatic collection is held off now."""
    return _holds > 0
