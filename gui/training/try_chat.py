""""Try it" for a chat fine-tuning run: ask one question, read the fine-tuned model's answer.

The answer comes from the run's base model with its ``best/`` LoRA adapter
(``engine.chat.model.load_chat_model(base, adapter=best)`` then
``engine.chat.generate.generate``, greedy and short), in a worker thread: the
engine is imported there, never at module level (it pulls in torch). The last
loaded model is cached, so only the first question after choosing a run waits for
loading. For a real conversation, "Open in Chat pane" emits :attr:`ChatTryBox.openInChat`.
"""
from __future__ import annotations

import threading
from pathlib import Path

from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal
from gui.training import gc_guard
from gui.workers import start_worker, wait_for_thread

#: Answers here are a quick check, not a conversation: keep them short on a CPU.
MAX_NEW_TOKENS = 64

_CACHE: dict[tuple[str, str], object] = {}
_CACHE_LOCK = threading.Lock()


def cached_chat_model(base_model: str, adapter: str):
    """Return ``load_chat_model(base_model, adapter=adapter)``, keeping the last one loaded (thread-safe).

    Raises:
        engine.chat.model.ChatModelError: the model or the adapter cannot be loaded.
    """
    key = (base_model, adapter)
    with _CACHE_LOCK:
        chat = _CACHE.get(key)
        if chat is not None:
            return chat
    from engine.chat.model import load_chat_model

    chat = load_chat_model(base_model, adapter=adapter)
    with _CACHE_LOCK:
        _CACHE.clear()  # one fine-tuned copy of a model in memory is enough
        _CACHE[key] = chat
    return chat


def forget_chat_model(adapter: str | Path) -> None:
    """Drop a cached model whose adapter is ``adapter`` (its run was deleted)."""
    with _CACHE_LOCK:
        for key in [k for k in _CACHE if k[1] == str(adapter)]:
            del _CACHE[key]


def is_cached(base_model: str, adapter: str) -> bool:
    with _CACHE_LOCK:
        return (base_model, adapter) in _CACHE


def answer(base_model: str, adapter: str, prompt: str, *, max_new_tokens: int | None = None, cancel=None):
    """Return the fine-tuned model's :class:`~engine.chat.generate.Reply` to one user message
    (greedy, at most ``max_new_tokens``, default :data:`MAX_NEW_TOKENS`; call it in a worker thread).

    Raises:
        engine.chat.model.ChatModelError: the model or the adapter cannot be loaded.
    """
    from engine.chat.generate import GenerationSettings, generate

    chat = cached_chat_model(base_model, adapter)
    return generate(chat, [{"role": "user", "content": prompt}],
                    GenerationSettings(max_new_tokens=max_new_tokens or MAX_NEW_TOKENS), cancel=cancel)


class ChatTryBox(QtWidgets.QWidget):
    """A one-line question answered by the best adapter of the chosen chat run.

    Signals:
        answered(str): the answer to the question asked last.
        openInChat(int, str, str): run id, base model (``"default"`` or a folder) and
            adapter folder, when the user asks to talk to this model in the Chat pane.
    """

    answered = Signal(str)
    openInChat = Signal(int, str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QtGui.QPalette.PlaceholderText)
        self.input = QtWidgets.QLineEdit()
        self.input.setPlaceholderText(self.tr("Ask the fine-tuned model something, then press Enter…"))
        self.input.setClearButtonEnabled(True)
        self.ask_button = QtWidgets.QPushButton(self.tr("Ask"))
        self.ask_button.setToolTip(self.tr("Answer with the run's best model (at most {n} tokens)").format(
            n=MAX_NEW_TOKENS))
        self.output = QtWidgets.QTextBrowser()
        self.output.setOpenLinks(False)
        self.output.setPlaceholderText(self.tr("The answer appears here."))
        self.chat_button = QtWidgets.QPushButton(self.tr("Open in Chat pane"))
        self.chat_button.setToolTip(self.tr("Talk to this fine-tuned model in the Chat pane, with longer answers and "
                                            "your own generation settings"))
        hint = QtWidgets.QLabel(self.tr("Open the Chat pane to talk to this model."))
        hint.setForegroundRole(QtGui.QPalette.PlaceholderText)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.ask_button)
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.chat_button)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.status)
        lay.addLayout(row)
        lay.addWidget(self.output, 1)
        lay.addLayout(bottom)
        self.run_id: int | None = None
        self.base_model: str | None = None
        self.adapter: str | None = None
        self.reply = None
        self._busy = False
        self._thread = None
        self.worker = None
        self.input.returnPressed.connect(self.ask)
        self.ask_button.clicked.connect(self.ask)
        self.chat_button.clicked.connect(self._open_in_chat)
        self.input.textChanged.connect(lambda _t: self._update_enabled())
        self.set_model(None, None, None)

    def set_model(self, run_id: int | None, base_model: str | None, adapter: str | Path | None) -> None:
        """Answer with ``base_model`` plus the adapter folder ``adapter`` (run ``run_id``'s best);
        ``None``: no model."""
        adapter = str(adapter) if adapter else None
        if (run_id, base_model, adapter) == (self.run_id, self.base_model, self.adapter) and run_id is not None:
            return
        self.run_id, self.base_model, self.adapter = run_id, base_model or "default", adapter
        if adapter is None:
            self.run_id = None
            self.status.setText(self.tr("No fine-tuned chat model yet: train one, or select a chat run that "
                                        "kept a best model, to try it here."))
            self.output.clear()
        else:
            self.status.setText(self.tr("Answering with the best model of run {run}.").format(run=run_id))
        self._update_enabled()

    def _update_enabled(self) -> None:
        has = self.adapter is not None
        self.input.setEnabled(has)
        self.chat_button.setEnabled(has)
        self.ask_button.setEnabled(has and not self._busy and bool(self.input.text().strip()))

    def ask(self) -> bool:
        """Answer the question in the box; return whether a request started."""
        prompt = self.input.text().strip()
        if self.adapter is None or not prompt or self._busy:
            return False
        self._busy = True
        base, adapter, run_id = self.base_model, self.adapter, self.run_id

        def work(report, cancel):
            return run_id, prompt, answer(base, adapter, prompt, cancel=cancel)

        loading = not is_cached(base, adapter)
        app = QtCore.QCoreApplication.instance()
        self._thread, self.worker = start_worker(app, work, start=False)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        for sig in (self.worker.finished, self.worker.failed, self.worker.cancelled):
            sig.connect(self._thread.quit, Qt.DirectConnection)
        gc_guard.hold()
        self._thread.start()
        self.status.setText(self.tr("Loading the fine-tuned model…") if loading else self.tr("Thinking…"))
        self._update_enabled()
        return True

    def _job_ended(self) -> None:
        self._busy = False
        wait_for_thread(self._thread)  # before dropping the worker: see wait_for_thread
        self.worker = None
        gc_guard.release()
        self._update_enabled()

    def _on_finished(self, result) -> None:
        self._job_ended()
        run_id, prompt, reply = result
        if run_id != self.run_id:
            return  # another run was chosen meanwhile
        self.reply = reply
        text = reply.text.strip() or self.tr("(the model answered nothing)")
        self.output.setPlainText(text)
        fields = dict(run=run_id, n=reply.tokens, speed=f"{reply.tokens_per_s:.0f}")
        if reply.tokens > 1 and reply.tokens_per_s > 0:
            status = self.tr("Answered by the best model of run {run}: {n} tokens, {speed} tokens/s.")
        elif reply.tokens == 1:
            status = self.tr("Answered by the best model of run {run}: 1 token.")
        else:
            status = self.tr("Answered by the best model of run {run}: {n} tokens.")
        status = status.format(**fields)
        if reply.stopped_by == "length":
            status = self.tr("{status} It stopped at the length limit: the Chat pane gives longer answers.").format(
                status=status)
        self.status.setText(status)
        self.answered.emit(reply.text)

    def _on_failed(self, message: str) -> None:
        self._job_ended()
        self.status.setText(message)

    def _on_cancelled(self) -> None:
        self._job_ended()
        self.status.setText(self.tr("Stopped."))

    def _open_in_chat(self) -> None:
        if self.adapter is not None and self.run_id is not None:
            self.openInChat.emit(self.run_id, self.base_model or "default", self.adapter)

    def stop(self) -> None:
        """Stop an answer being generated (it ends after the current token)."""
        if self.worker is not None:
            self.worker.cancel_token.cancel()

    def wait(self, ms: int = 30000) -> None:
        """Wait for an answer still being generated (closing, tests)."""
        wait_for_thread(self._thread, ms)
