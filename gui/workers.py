"""Run long engine work off the UI thread and turn its events into Qt signals.

:class:`EngineWorker` calls ``fn(report, cancel)`` in a ``QThread``; each engine event
becomes a signal. :func:`run_with_progress` wraps that in a progress dialog with a
bar, rate, ETA and a Cancel button, and returns the result (or ``None`` when
cancelled or failed — a failure is shown as a plain message, never a traceback).
"""
from __future__ import annotations

import time
import traceback
from typing import Any, Callable

from engine.errors import TesseraError
from engine.events import Cancelled, CancelToken, Event, Log, Metric, Progress
from gui.i18n import engine_text
from gui.qt import QtCore, QtWidgets, Signal

#: The stages and units that engine progress events name (``Progress.what`` / ``.unit``),
#: translated where the progress dialog shows them.
_PROGRESS_WORDS = (
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Classifying"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Evaluating"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Exporting"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Importing"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Importing chat examples"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Preparing chat model"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Reviewing"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Saving"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Suggesting"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Tagging"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Training"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "Writing GGUF"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "docs"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "documents"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "lines"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "sentences"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "step"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "steps"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "tensors"),
    QtCore.QT_TRANSLATE_NOOP("ProgressDialog", "it"),
)


def progress_word(text: str) -> str:
    """Return an engine progress stage or unit (plain strings: they cross Qt signals) in
    the interface's language."""
    return QtCore.QCoreApplication.translate("ProgressDialog", text)


class EngineWorker(QtCore.QObject):
    """Runs ``fn(report, cancel)`` once; lives in its own thread.

    Signals: ``progress(str what, int done, int total, str unit)``, ``metric(object)``,
    ``log(str)``, ``finished(object result)``, ``failed(str message)``, ``cancelled()``.
    """

    progress = Signal(str, int, int, str)
    metric = Signal(object)
    log = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: Callable[[Callable[[Event], None], CancelToken], Any]):
        super().__init__()
        self.fn = fn
        self.cancel_token = CancelToken()

    def _report(self, event: Event) -> None:
        if isinstance(event, Progress):
            self.progress.emit(event.what, int(event.done), int(event.total), event.unit)
        elif isinstance(event, Metric):
            self.metric.emit(event)
        elif isinstance(event, Log):
            self.log.emit(event.message)

    @QtCore.Slot()
    def run(self) -> None:
        try:
            self._run()
        finally:
            hand_back(self)

    def _run(self) -> None:
        try:
            result = self.fn(self._report, self.cancel_token)
        except Cancelled:
            self.cancelled.emit()
        except TesseraError as exc:
            self.failed.emit(engine_text(exc))
        except Exception as exc:  # an engine bug: say what happened, keep the details in the log
            traceback.print_exc()
            self.failed.emit(self.tr("Something went wrong: {error}. Nothing was changed.").format(error=exc))
        else:
            self.finished.emit(result)


def hand_back(worker: QtCore.QObject) -> None:
    """Move ``worker`` back to the GUI thread as its work ends (call it from the worker's
    own thread, last thing), so that its ``deleteLater`` runs there.

    Deleting a Python-backed QObject in the worker thread locks Qt's connection mutexes
    and then waits for Python's GIL, while the GUI thread may hold the GIL and wait for
    one of those mutexes (Qt shares a small pool of them among all objects): the suite
    hung once that way at the end of a classifier run."""
    app = QtCore.QCoreApplication.instance()
    if app is not None and worker.thread() is not app.thread():
        worker.moveToThread(app.thread())


def start_worker(parent: QtCore.QObject, fn, start: bool = True) -> tuple[QtCore.QThread, EngineWorker]:
    """Prepare ``fn`` in a new thread owned by ``parent`` and start it unless ``start`` is
    false (connect signals first, then ``thread.start()``); return ``(thread, worker)``.

    The thread quits and both objects are deleted when the work ends.
    """
    thread = QtCore.QThread(parent)
    worker = EngineWorker(fn)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for sig in (worker.finished, worker.failed, worker.cancelled):
        sig.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    if start:
        thread.start()
    return thread, worker


def wait_for_thread(thread, ms: int = 5000) -> None:
    """Wait up to ``ms`` for ``thread`` (a QThread from :func:`start_worker`, or ``None``) to end.

    Call it before dropping the last Python reference to that thread's worker: Qt deletes
    the worker when the thread finishes (``deleteLater``), and Python deleting it too
    from another thread before then is a double delete that corrupts the heap (it crashed
    later inside unrelated code). A thread object Qt already deleted counts as ended.
    """
    if thread is None:
        return
    try:
        thread.wait(ms)
    except RuntimeError:  # the C++ thread object is already deleted
        pass


def pump_until_idle(is_running, ms: int) -> bool:
    """Process Qt events until ``is_running()`` is false or ``ms`` have passed (tests,
    screenshots, closing); return whether the work ended in time."""
    deadline = time.monotonic() + ms / 1000
    while is_running() and time.monotonic() < deadline:
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.AllEvents, 30)
        time.sleep(0.005)
    return not is_running()


def format_eta(seconds: float) -> str:
    """Return ``1:05`` / ``1:02:03`` for a number of seconds."""
    seconds = int(max(0, seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ProgressDialog(QtWidgets.QDialog):
    """Modal bar with rate, ETA and Cancel for one :class:`EngineWorker`."""

    def __init__(self, parent, title: str, worker: EngineWorker):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(460)
        self.worker = worker
        self.label = QtWidgets.QLabel(title + "…")
        self.bar = QtWidgets.QProgressBar()
        self.bar.setRange(0, 0)
        self.detail = QtWidgets.QLabel(" ")
        self.detail.setStyleSheet("color: palette(mid)")
        self.cancel_button = QtWidgets.QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.detail)
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        lay.addLayout(row)
        self._t0 = time.monotonic()
        self.outcome: tuple[str, Any] = ("failed", self.tr("The work stopped unexpectedly."))
        # Slots of this dialog run in the UI thread (queued from the worker thread).
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)

    @QtCore.Slot(object)
    def _on_finished(self, result) -> None:
        self.outcome = ("ok", result)
        self.done(0)

    @QtCore.Slot(str)
    def _on_failed(self, message: str) -> None:
        self.outcome = ("failed", message)
        self.done(0)

    @QtCore.Slot()
    def _on_cancelled(self) -> None:
        self.outcome = ("cancelled", None)
        self.done(0)

    @QtCore.Slot(str, int, int, str)
    def _on_progress(self, what: str, done: int, total: int, unit: str) -> None:
        self.label.setText(progress_word(what) + "…")
        unit = progress_word(unit)
        elapsed = time.monotonic() - self._t0
        rate = done / elapsed if elapsed > 0 else 0.0
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))
            eta = (total - done) / rate if rate > 0 else 0
            self.detail.setText(self.tr("{done} of {total} {unit} · {rate} {unit}/s · about {eta} left").format(
                done=f"{done:,}", total=f"{total:,}", unit=unit, rate=f"{rate:,.0f}", eta=format_eta(eta)))
        else:
            self.detail.setText(self.tr("{done} {unit} · {rate} {unit}/s").format(
                done=f"{done:,}", unit=unit, rate=f"{rate:,.0f}"))

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancelling…"))
        self.worker.cancel_token.cancel()

    def reject(self) -> None:  # Esc / window close = Cancel
        self._cancel()


def run_with_progress(parent: QtWidgets.QWidget, title: str, fn) -> tuple[str, Any]:
    """Run ``fn(report, cancel)`` in a worker thread behind a modal progress dialog.

    Returns ``("ok", result)``, ``("cancelled", None)`` or ``("failed", message)``;
    the caller shows the outcome.
    """
    thread, worker = start_worker(parent, fn, start=False)
    dialog = ProgressDialog(parent, title, worker)
    thread.start()
    dialog.exec()
    thread.wait()
    return dialog.outcome
