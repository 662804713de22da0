"""Generate replies in a worker thread and hand them to the UI in throttled batches.

:class:`ReplyRunner` runs one job at a time: one or two :class:`Target` s (the main
model, then the compare model: sequentially, so they do not fight over the CPU).
Each target loads its model through :data:`gui.chat.models.CACHE` if needed, then
calls ``engine.chat.generate.stream``. The worker thread only appends to a queue;
a UI timer drains it at most :data:`FRAME_MS` apart, so a fast model never floods
the UI. ``engine.chat.generate`` is imported inside the job (it runs torch).
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from engine.events import Cancelled, Log, Metric, Progress
from gui.chat.models import CACHE, MAIN, COMPARE, ModelChoice
from gui.i18n import engine_text
from gui.qt import QtCore, Qt, Signal
from gui.training import gc_guard
from gui.workers import progress_word, pump_until_idle, start_worker, wait_for_thread

#: Shortest time between two redraws of a streaming reply (20 frames a second).
FRAME_MS = 50
#: the stages engine progress events name while a chat model loads (``Progress.what``)
def writing_text() -> str:
    """The status of a reply whose model is loaded and writing (the pane tells it from loading)."""
    return QtCore.QCoreApplication.translate("ReplyRunner", "Writing…")


@dataclass
class Target:
    """One reply to write: which side of the pane (0 main, 1 compare), with which model and settings.

    ``settings`` holds the keyword arguments of ``engine.chat.generate.GenerationSettings``;
    ``messages``, when set, is this target's own history (else the job's shared one).
    """

    side: int
    choice: ModelChoice
    settings: dict = field(default_factory=dict)
    messages: list[dict] | None = None


@dataclass
class ReplyDone:
    """A reply that ended (finished, stopped, or cut at the length limit)."""

    side: int
    text: str
    details: dict  # model, ttft_ms, tokens_per_s, tokens, stopped, stopped_by


def reply_job(targets: list[Target], messages: list[dict], inbox: deque, cache=CACHE):
    """The worker function writing a reply for each target in turn; events go to ``inbox``.

    Queue items: ``("status", side, text)``, ``("piece", side, text)``,
    ``("ttft", side, ms)``, ``("done", side, ReplyDone)``. Returns the list of
    :class:`ReplyDone`. A cancel stops the current reply (kept, marked stopped) and
    skips the next target.
    """

    def job(report, cancel):
        from engine.chat.generate import GenerationSettings, _Run, stream

        done = []
        for t in targets:
            if cancel.cancelled:
                break
            side = t.side

            def relay(event, side=side):
                if isinstance(event, Metric) and event.name == "chat/ttft_ms":
                    inbox.append(("ttft", side, float(event.value)))
                elif isinstance(event, Progress):
                    what = progress_word(event.what)
                    text = QtCore.QCoreApplication.translate("ReplyRunner", "{what} ({done} of {total})…").format(
                        what=what, done=event.done, total=event.total) if event.total else f"{what}…"
                    inbox.append(("status", side, text))
                elif isinstance(event, Log):
                    inbox.append(("status", side, engine_text(event.message)))

            if not cache.has(t.choice):
                inbox.append(("status", side, QtCore.QCoreApplication.translate(
                    "ReplyRunner", "Loading {model}…").format(model=t.choice.short)))
            chat = cache.get(MAIN if side == 0 else COMPARE, t.choice, report=relay)
            if cancel.cancelled:
                break
            inbox.append(("status", side, writing_text()))
            run = _Run()
            history = t.messages if t.messages is not None else messages
            for piece in stream(chat, history, GenerationSettings(**t.settings), cancel=cancel, report=relay,
                                result=run):
                inbox.append(("piece", side, piece))
            r = run.reply
            details = {
                "model": t.choice.short,
                "ttft_ms": round(r.ttft_s * 1000.0, 1),
                "tokens_per_s": round(r.tokens_per_s, 2),
                "tokens": r.tokens,
                "stopped": r.stopped_by == "cancel",
                "stopped_by": r.stopped_by,
            }
            if t.choice.run_id is not None:
                details["run_id"] = t.choice.run_id
            if getattr(chat, "quantize", None):
                details["weights"] = chat.quantize  # the footer says the reply came from int8 weights
            if r.decoder in ("kernels", "cuda-graph"):  # on a GPU: whether Tessera's kernels ran
                details["kernels"] = r.decoder == "kernels"
            item = ReplyDone(side, r.text, details)
            done.append(item)
            inbox.append(("done", side, item))
        if cancel.cancelled and not done:
            raise Cancelled()  # stopped while the model was loading
        return done

    return job


class ReplyRunner(QtCore.QObject):
    """Runs :func:`reply_job` in a worker thread and re-emits its queue as signals.

    Signals (UI thread): ``status(int side, str)``, ``pieces(int side, str text)``
    (new text since the last frame), ``ttft(int side, float ms)``,
    ``replyDone(object ReplyDone)``, ``ended(str outcome, str message)`` with
    outcome ``"ok"``, ``"cancelled"`` (stopped before any reply ended) or
    ``"failed"`` (``message`` says why, in plain words).
    """

    status = Signal(int, str)
    pieces = Signal(int, str)
    ttft = Signal(int, float)
    replyDone = Signal(object)
    ended = Signal(str, str)

    def __init__(self, parent=None, cache=CACHE):
        super().__init__(parent)
        self.cache = cache
        self.thread: QtCore.QThread | None = None
        self.worker = None
        self._inbox: deque = deque()
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.drain)
        self.frames = 0  # batches of pieces emitted (the redraws a reply caused)

    def is_running(self) -> bool:
        return self.worker is not None

    def start(self, targets: list[Target], messages: list[dict]) -> bool:
        """Start writing replies to ``messages`` (plain ``{role, content}`` dicts); False if busy."""
        if self.is_running():
            return False
        inbox = self._inbox = deque()
        app = QtCore.QCoreApplication.instance()
        # The thread belongs to the application: a pane closed mid-reply must not destroy
        # a running thread (shutdown() cancels and waits first).
        self.thread, self.worker = start_worker(app, reply_job(targets, messages, inbox, self.cache), start=False)
        # bound methods of this UI-thread object: queued into the UI thread
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        for sig in (self.worker.finished, self.worker.failed, self.worker.cancelled):
            sig.connect(self.thread.quit, Qt.DirectConnection)
        token = self.worker.cancel_token
        self.destroyed.connect(lambda *_: token.cancel())  # a pane deleted mid-reply stops it
        gc_guard.hold()
        self.thread.start()
        self._timer.start()
        return True

    def stop(self) -> None:
        """Ask the running job to stop after the current token."""
        if self.worker is not None:
            self.worker.cancel_token.cancel()

    def shutdown(self, wait_ms: int = 30_000) -> None:
        """Cancel the job and wait (up to ``wait_ms``) for its thread to end."""
        thread = self.thread
        self.stop()
        wait_for_thread(thread, wait_ms)

    def drain(self) -> None:
        """Emit what the worker queued since the last frame (pieces joined per side)."""
        inbox = self._inbox
        text: dict[int, str] = {}

        def flush():
            for side, t in text.items():
                if t:
                    self.pieces.emit(side, t)
            if text:
                self.frames += 1
            text.clear()

        while inbox:
            kind, side, value = inbox.popleft()
            if kind == "piece":
                text[side] = text.get(side, "") + value
                continue
            flush()
            if kind == "status":
                self.status.emit(side, value)
            elif kind == "ttft":
                self.ttft.emit(side, value)
            elif kind == "done":
                self.replyDone.emit(value)
        flush()

    @QtCore.Slot(object)
    def _on_finished(self, _result) -> None:
        self._end("ok", "")

    @QtCore.Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end("failed", message)

    @QtCore.Slot()
    def _on_cancelled(self) -> None:
        self._end("cancelled", "")

    def _end(self, outcome: str, message: str) -> None:
        self._timer.stop()
        self.drain()
        wait_for_thread(self.thread)  # it is quitting; see wait_for_thread
        self.thread = self.worker = None
        gc_guard.release()
        self.ended.emit(outcome, message)

    def wait(self, ms: int = 60_000) -> bool:
        """Process events until the job ends (tests, screenshots); return whether it ended in time."""
        return pump_until_idle(self.is_running, ms)
