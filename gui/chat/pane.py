"""The chat pane: talk to the default model or a fine-tuned one, compare two, tag text.

:class:`ChatPane` assembles the conversation bar, the model pickers, the settings,
the message list and the composer, and owns the conversation being shown: every
message sent, every reply that ends (finished or stopped) and every edit is saved
to the project's ``conversations`` table at once. Replies are written by a
:class:`~gui.chat.worker.ReplyRunner` in a worker thread. The main window holds it in a
:class:`~gui.chat.dock.ChatDock`.
"""
from __future__ import annotations

from pathlib import Path

from engine.chat.conversations import (Conversation, create_conversation, delete_conversation, get_conversation,
                                       list_conversations, save_conversation, title_from)
from engine.chat.examples import add_example, count_examples
from engine.errors import TesseraError
from engine.store import Project
from gui.chat.compare import CompareBar
from gui.chat.composer import Composer
from gui.chat.example_dialog import ExampleDialog
from gui.chat.history import ConversationBar
from gui.chat.messages import Bubble, MessageList
from gui.chat.models import CACHE, ModelChoice, run_choices
from gui.chat.picker import ModelPicker
from gui.chat.settings import ChatSettings
from gui.chat.tagger import TaggerPage
from gui.chat.worker import ReplyDone, ReplyRunner, Target, writing_text
from gui.i18n import engine_text
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

EMPTY_HTML = QtCore.QT_TRANSLATE_NOOP(
    "ChatPane",
    "<p style='font-size:large'><b>Ask the model anything.</b></p>"
    "<p>Replies appear as they are written. Turn a good, or corrected, reply into a training "
    "example with <i>Save as example…</i>; Model ▸ Training panel fine-tunes on those.</p>"
)
CHAT, TAG = 0, 1


def _plain(m: dict, side: int = 0) -> dict:
    """``m`` as the model of ``side`` reads it: in compare mode (side 1) an assistant turn is
    model B's own reply when B answered it, so each model continues its own conversation."""
    content = m["content"]
    if side == 1 and m["role"] == "assistant" and isinstance(m.get("compare"), dict):
        content = m["compare"].get("content", content)
    return {"role": m["role"], "content": content}


class ChatPane(QtWidgets.QWidget):
    """Chat with a model about anything, keep the chats in the project, turn replies into
    training examples, compare two models, or tag text with a trained tagger.

    Call :meth:`shutdown` before the window closes (it stops a reply and waits briefly).

    Signals: ``replyFinished(str outcome)`` after each reply (``ok``, ``stopped``,
    ``cancelled``, ``failed``), ``exampleSaved(int count)``.
    """

    replyFinished = Signal(str)
    exampleSaved = Signal(int)

    def __init__(self, project_path: str | Path, parent=None, *, cache=CACHE):
        super().__init__(parent)
        self.project_path = Path(project_path)
        self._project: Project | None = None
        self.conv: Conversation | None = None
        self.live: list[Bubble] = []
        self._done: dict[int, ReplyDone] = {}
        self._targets: list[Target] = []
        self._loading = False

        # ---- widgets
        self.mode_chat = QtWidgets.QToolButton()
        self.mode_chat.setText(self.tr("Chat"))
        self.mode_chat.setToolTip(self.tr("Talk to a chat model"))
        self.mode_tag = QtWidgets.QToolButton()
        self.mode_tag.setText(self.tr("Tag entities"))
        self.mode_tag.setToolTip(self.tr("Run a trained tagger on text you type and see the entities it finds"))
        self.modes = QtWidgets.QButtonGroup(self)
        for i, b in enumerate((self.mode_chat, self.mode_tag)):
            b.setCheckable(True)
            b.setToolButtonStyle(Qt.ToolButtonTextOnly)
            b.setAutoRaise(True)
            self.modes.addButton(b, i)
        self.mode_chat.setChecked(True)

        self.history = ConversationBar()
        self.picker = ModelPicker(self._run_choices)
        self.compare = CompareBar(self._run_choices)
        self.settings = ChatSettings()
        self.settings_toggle = QtWidgets.QToolButton()
        self.settings_toggle.setText(self.tr("Settings"))
        self.settings_toggle.setCheckable(True)
        self.settings_toggle.setAutoRaise(True)
        self.settings_toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.settings_toggle.setArrowType(Qt.RightArrow)
        self.settings_toggle.setToolTip(self.tr("System prompt and how the model picks its words"))
        self.settings_summary = QtWidgets.QLabel()
        self.settings_summary.setForegroundRole(QtGui.QPalette.PlaceholderText)
        self.settings_summary.setMinimumWidth(10)
        self.settings.setVisible(False)
        self.list = MessageList()
        self.list.set_empty_text(QtCore.QCoreApplication.translate("ChatPane", EMPTY_HTML))
        self.busy_bar = QtWidgets.QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(4)
        self.busy_bar.setVisible(False)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message.setVisible(False)
        self.composer = Composer()
        self.tagger = TaggerPage(lambda: self.project)
        self.runner = ReplyRunner(self, cache=cache)

        # ---- layout
        modes = QtWidgets.QHBoxLayout()
        modes.setContentsMargins(0, 0, 0, 0)
        modes.setSpacing(2)
        modes.addWidget(self.mode_chat)
        modes.addWidget(self.mode_tag)
        modes.addStretch(1)

        model_row = QtWidgets.QHBoxLayout()
        model_row.setContentsMargins(0, 0, 0, 0)
        self.model_label = QtWidgets.QLabel(self.tr("Model"))
        self.model_label.setToolTip(self.picker.toolTip())
        model_row.addWidget(self.model_label)
        model_row.addWidget(self.picker, 1)
        model_row.addWidget(self.compare.check)
        settings_row = QtWidgets.QHBoxLayout()
        settings_row.setContentsMargins(0, 0, 0, 0)
        settings_row.addWidget(self.settings_toggle)
        settings_row.addWidget(self.settings_summary, 1)
        settings_row.addStretch(0)

        top = QtWidgets.QWidget()
        tl = QtWidgets.QVBoxLayout(top)
        tl.setContentsMargins(8, 4, 8, 6)
        tl.setSpacing(5)
        tl.addWidget(self.history)
        tl.addLayout(model_row)
        tl.addWidget(self.compare.row)
        tl.addLayout(settings_row)
        tl.addWidget(self.settings)
        bottom = QtWidgets.QWidget()
        bl = QtWidgets.QVBoxLayout(bottom)
        bl.setContentsMargins(8, 0, 8, 6)
        bl.setSpacing(4)
        bl.addWidget(self.busy_bar)
        bl.addWidget(self.message)
        bl.addWidget(self.composer)
        line = QtWidgets.QFrame()
        line.setFrameShape(QtWidgets.QFrame.HLine)
        line.setFrameShadow(QtWidgets.QFrame.Sunken)
        chat_page = QtWidgets.QWidget()
        cl = QtWidgets.QVBoxLayout(chat_page)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(top)
        cl.addWidget(line)
        cl.addWidget(self.list, 1)
        cl.addWidget(bottom)
        tag_page = QtWidgets.QWidget()
        gl = QtWidgets.QVBoxLayout(tag_page)
        gl.setContentsMargins(8, 4, 8, 8)
        gl.addWidget(self.tagger)
        self.pages = QtWidgets.QStackedWidget()
        self.pages.addWidget(chat_page)
        self.pages.addWidget(tag_page)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(0)
        ml = QtWidgets.QWidget()
        ml.setLayout(modes)
        modes.setContentsMargins(6, 0, 8, 2)
        lay.addWidget(ml)
        lay.addWidget(self.pages, 1)

        # ---- signals
        self.modes.idClicked.connect(self.set_mode)
        self.history.chosen.connect(self._on_chosen)
        self.history.newRequested.connect(self.new_chat)
        self.history.deleteRequested.connect(self.delete_chat)
        self.settings_toggle.toggled.connect(self._toggle_settings)
        self.settings.changed.connect(self._update_summary)
        cache.set_quantize(self.settings.quantize())
        self.settings.int8.toggled.connect(lambda _on: cache.set_quantize(self.settings.quantize()))
        self.compare.toggled.connect(
            lambda on: self.model_label.setText(self.tr("Model A") if on else self.tr("Model")))
        label_w = max(self.fontMetrics().horizontalAdvance(t)
                      for t in (self.tr("Model"), self.tr("Model A"), self.compare.with_label.text())) + 6
        self.model_label.setFixedWidth(label_w)
        self.compare.with_label.setFixedWidth(label_w)
        self.composer.sendRequested.connect(self.send)
        self.composer.stopRequested.connect(self.stop)
        self.list.copyRequested.connect(self.copy_text)
        self.list.editSubmitted.connect(self.edit_and_resend)
        self.list.regenerateRequested.connect(self.regenerate)
        self.list.saveRequested.connect(self.open_example_editor)
        self.runner.status.connect(self._on_status)
        self.runner.pieces.connect(self._on_pieces)
        self.runner.ttft.connect(self._on_ttft)
        self.runner.replyDone.connect(self._on_reply_done)
        self.runner.ended.connect(self._on_ended)
        stop = QtGui.QShortcut(QtGui.QKeySequence(Qt.Key_Escape), self)
        stop.setContext(Qt.WidgetWithChildrenShortcut)
        stop.activated.connect(self.stop)
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

        rows = list_conversations(self.project)
        if rows:
            self.open_conversation(rows[0][0])
        else:
            self.new_chat()
        self._update_summary()

    # ------------------------------------------------------------------ store

    @property
    def project(self) -> Project:
        """The pane's own connection to the project (UI thread only)."""
        if self._project is None:
            self._project = Project.open(self.project_path)
        return self._project

    def _run_choices(self) -> list[ModelChoice]:
        try:
            return run_choices(self.project)
        except Exception:  # noqa: BLE001  (a damaged runs row must not break the picker)
            return []

    def messages(self) -> list[dict]:
        """The shown conversation's messages (user and assistant dicts with reply details)."""
        return self.conv.messages if self.conv is not None else []

    def model_messages(self, messages: list[dict] | None = None, side: int = 0) -> list[dict]:
        """What the model of ``side`` (0 main, 1 compare) reads: the system prompt (if any) and
        the turns, roles and text only; the compare model reads its own earlier replies."""
        msgs = self.messages() if messages is None else messages
        system = self.settings.system_prompt()
        return ([{"role": "system", "content": system}] if system else []) + [_plain(m, side) for m in msgs]

    def _save(self) -> None:
        """Write the conversation (messages, system prompt, settings) to the project now."""
        if self.conv is None:
            return
        self.conv.system = self.settings.system_prompt()
        self.conv.settings = self.settings.to_dict()
        save_conversation(self.project, self.conv)

    def _save_if_changed(self) -> None:
        """Save the system prompt and settings when they changed since the conversation was saved."""
        if self.conv is not None and (self.conv.system != self.settings.system_prompt()
                                      or self.conv.settings != self.settings.to_dict()):
            self._save()

    def _ensure_conversation(self, first_text: str) -> None:
        if self.conv is None:
            cid = create_conversation(self.project, title=title_from(first_text),
                                      system=self.settings.system_prompt(), settings=self.settings.to_dict())
            self.conv = get_conversation(self.project, cid)
            self._refresh_history()

    def _refresh_history(self) -> None:
        self.history.set_conversations(list_conversations(self.project), self.conv.id if self.conv else None)
        self.history.set_busy(self.is_busy())

    def use_model(self, choice: ModelChoice) -> None:
        """Answer with ``choice`` from now on (it is added to the picker when not listed)."""
        if not self.is_busy():
            self.picker.refresh()
            self.picker.set_choice(choice)
            self.set_mode(CHAT)

    # ------------------------------------------------------------------ conversations

    def new_chat(self) -> None:
        """Show an empty chat (saved when its first message is sent)."""
        if self.is_busy():
            return
        self._save_if_changed()
        self.conv = None
        self.list.set_messages([])
        self._refresh_history()
        self.show_message("")
        self.composer.focus()

    def open_conversation(self, conv_id: int) -> None:
        """Show saved conversation ``conv_id`` with its system prompt and settings."""
        if self.is_busy():
            return
        if self.conv is not None and self.conv.id != conv_id:
            self._save_if_changed()
        try:
            self.conv = get_conversation(self.project, conv_id)
        except TesseraError as exc:
            self.show_message(engine_text(exc), error=True)
            self.conv = None
        if self.conv is not None:
            self.settings.load({**self.conv.settings, "system": self.conv.system})
        self.list.set_messages(self.messages())
        self._refresh_history()
        self.show_message("")

    def _on_chosen(self, conv_id: int) -> None:
        if conv_id < 0:
            self.new_chat()
        else:
            self.open_conversation(conv_id)

    def confirm_delete(self, title: str) -> bool:
        """Ask before deleting a chat (tests replace this)."""
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Question, self.tr("Delete chat"),
                                    self.tr("Delete the chat “{title}”? This cannot be undone.").format(title=title),
                                    QtWidgets.QMessageBox.Cancel, self)
        delete = box.addButton(self.tr("Delete chat"), QtWidgets.QMessageBox.DestructiveRole)
        box.setDefaultButton(QtWidgets.QMessageBox.Cancel)
        box.exec()
        return box.clickedButton() is delete

    def delete_chat(self, conv_id: int) -> bool:
        """Delete conversation ``conv_id`` after confirmation; show the newest one left."""
        if self.is_busy() or conv_id < 0:
            return False
        title = self.conv.title if self.conv is not None and self.conv.id == conv_id else self.tr("this chat")
        if not self.confirm_delete(title):
            return False
        delete_conversation(self.project, conv_id)
        if self.conv is not None and self.conv.id == conv_id:
            self.conv = None
        rows = list_conversations(self.project)
        if rows:
            self.open_conversation(rows[0][0])
        else:
            self.new_chat()
        self.show_message(self.tr("Chat deleted."))
        return True

    # ------------------------------------------------------------------ replies

    def is_busy(self) -> bool:
        return self.runner.is_running()

    def send(self, text: str) -> bool:
        """Send ``text`` as the user's next message and start the reply; False if a reply is being written."""
        if self.is_busy() or not text.strip():
            return False
        self._ensure_conversation(text)
        self.conv.messages.append({"role": "user", "content": text})
        self._save()
        self._start_reply()
        return True

    def regenerate(self) -> bool:
        """Write the last reply again (or answer the last message if its reply failed)."""
        msgs = self.messages()
        if self.is_busy() or not msgs:
            return False
        if msgs[-1]["role"] == "assistant":
            msgs.pop()
            self._save()
        self._start_reply()
        return True

    def edit_and_resend(self, index: int, text: str) -> bool:
        """Replace user message ``index`` with ``text``, drop everything after it, and answer again."""
        msgs = self.messages()
        if self.is_busy() or not (0 <= index < len(msgs)) or msgs[index]["role"] != "user" or not text.strip():
            return False
        del msgs[index:]
        msgs.append({"role": "user", "content": text})
        if index == 0:
            self.conv.title = title_from(text)
        self._save()
        self._refresh_history()
        self._start_reply()
        return True

    def targets(self) -> list[Target]:
        """What the next reply needs: the main model, and the compare model when Compare is on."""
        kw = self.settings.generation_kwargs()
        out = [Target(0, self.picker.current_choice(), kw)]
        if self.compare.is_on():
            out.append(Target(1, self.compare.choice(), dict(kw)))
        return out

    def _start_reply(self, targets: list[Target] | None = None) -> None:
        targets = targets or self.targets()
        history = self.model_messages()
        for t in targets:
            if t.side == 1:
                t.messages = self.model_messages(side=1)
        self.list.set_messages(self.messages())
        titles = (f"A · {targets[0].choice.short}", f"B · {targets[1].choice.short}") if len(targets) > 1 else None
        self.live = self.list.add_reply(len(self.messages()), titles=titles)
        for b, t in zip(self.live, targets):
            b.set_live(True)
            b.set_status(self.tr("Waiting…"))
        if len(self.live) > 1:
            self.live[1].set_status(
                self.tr("Waiting for A ({model}) to finish…").format(model=targets[0].choice.short))
        self.list.scroll_to_end()
        self._done = {}
        self._targets = targets
        self.show_message("")
        self.runner.start(targets, history)
        self._set_busy(True)

    def stop(self) -> None:
        """Stop the reply being written (what it wrote so far is kept, marked stopped)."""
        if self.is_busy():
            self.composer.set_stopping()
            self.runner.stop()

    def _set_busy(self, busy: bool) -> None:
        self.composer.set_busy(busy)
        self.history.set_busy(busy)
        self.list.set_busy(busy)
        self.picker.setEnabled(not busy)
        self.compare.check.setEnabled(not busy)
        self.compare.picker.setEnabled(not busy)
        if not busy:
            self._loading = False
            self.busy_bar.setVisible(False)

    def _on_status(self, side: int, text: str) -> None:
        if side < len(self.live):
            self.live[side].set_status(text)
        self._loading = text != writing_text()
        self.busy_bar.setVisible(self._loading)

    def _on_ttft(self, side: int, ms: float) -> None:
        if side < len(self.live):
            self.live[side].set_status(
                self.tr("Writing… {seconds} s to first token").format(seconds=f"{ms / 1000:.2f}"))

    def _on_pieces(self, side: int, text: str) -> None:
        if side < len(self.live):
            self.live[side].append(text)

    def _on_reply_done(self, done: ReplyDone) -> None:
        self._done[done.side] = done
        if done.side < len(self.live):
            self.live[done.side].set_text(done.text)
            self.live[done.side].set_details(done.details)

    def _on_ended(self, outcome: str, message: str) -> None:
        self._set_busy(False)
        main = self._done.get(0)
        if main is not None and (main.text.strip() or not main.details.get("stopped")):
            reply = {"role": "assistant", "content": main.text, **main.details}
            if len(self._targets) > 1:
                other = self._done.get(1)
                if other is not None:
                    reply["compare"] = {"content": other.text, **other.details}
                else:
                    short = self._targets[1].choice.short
                    reply["compare"] = {"content": "", "model": short, "stopped": True, "stopped_by": "cancel"}
            self.conv.messages.append(reply)
            self._save()
            self._refresh_history()
        self.live = []
        self.list.set_messages(self.messages())
        if outcome == "failed":
            self.list.add_notice(self.tr("The model could not answer. {reason}").format(reason=message), "error")
            result = "failed"
        elif main is None or (main.details.get("stopped") and not main.text.strip()):
            self.list.add_notice(self.tr("Stopped before the model wrote anything."), "info")
            result = "cancelled"
        else:
            result = "stopped" if main.details.get("stopped") or (
                self._done.get(1) is not None and self._done[1].details.get("stopped")) else "ok"
        self.list.scroll_to_end()
        self.replyFinished.emit(result)

    # ------------------------------------------------------------------ message actions

    def copy_text(self, text: str) -> None:
        """Put ``text`` on the clipboard."""
        QtGui.QGuiApplication.clipboard().setText(text)
        self.show_message(self.tr("Copied to the clipboard."))

    def open_example_editor(self, index: int, side: int = 0) -> ExampleDialog | None:
        """Open the dialog that saves the conversation up to reply ``index`` (its ``side``) as a
        training example; return it (it is shown, not run: saving happens when it is accepted)."""
        msgs = self.messages()
        if not (0 <= index < len(msgs)) or msgs[index]["role"] != "assistant":
            return None
        reply = msgs[index] if side == 0 else msgs[index].get("compare") or {}
        context = self.model_messages(msgs[:index])
        dlg = ExampleDialog(context, reply.get("content", ""), count_examples(self.project), self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.save_example(dlg.messages()))
        dlg.open()
        return dlg

    def save_example(self, messages: list[dict]) -> int | None:
        """Add ``messages`` to the project's chat examples (source ``chat``); return the new id,
        or ``None`` when it was already saved or is not a valid example. Says so in the pane."""
        try:
            new_id = add_example(self.project, messages, source="chat")
        except ValueError as exc:
            self.show_message(self.tr("Not saved: {reason}.").format(reason=engine_text(exc)), error=True)
            return None
        n = count_examples(self.project)
        total = self.tr("1 chat example") if n == 1 else self.tr("{n} chat examples").format(n=f"{n:,}")
        if new_id is None:
            self.show_message(self.tr("This example is already saved ({total} in this project).").format(total=total),
                              warning=True)
        else:
            self.show_message(self.tr("Saved as a training example. This project now has {total}; "
                                      "fine-tune on them in Model ▸ Training panel.").format(total=total))
            self.exampleSaved.emit(n)
        return new_id

    # ------------------------------------------------------------------ display

    def show_message(self, text: str, error: bool = False, warning: bool = False) -> None:
        """A plain sentence above the message box (red for errors, amber for warnings); empty hides it."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setStyleSheet("color: #d64545;" if error else "color: #b7791f;" if warning else "")

    def _toggle_settings(self, on: bool) -> None:
        self.settings.setVisible(on)
        self.settings_toggle.setArrowType(Qt.DownArrow if on else Qt.RightArrow)
        self.settings_summary.setVisible(not on)

    def _update_summary(self) -> None:
        self.settings_summary.setText(self.settings.summary())
        self.settings_summary.setToolTip(self.settings.summary())

    def set_mode(self, mode: int) -> None:
        """Show the chat (0) or the tagger (1)."""
        self.modes.button(mode).setChecked(True)
        self.pages.setCurrentIndex(mode)
        if mode == TAG:
            self.tagger.refresh()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if not self.is_busy():
            self.picker.refresh()  # a fine-tuning run may have finished meanwhile
        super().showEvent(event)

    # ------------------------------------------------------------------ closing

    def shutdown(self, wait_ms: int = 30_000) -> None:
        """Stop a reply being written and wait (up to ``wait_ms``) for its thread; wait for the tagger."""
        busy = self.is_busy()
        self.runner.shutdown(wait_ms)
        if busy:  # deliver the reply's end now (it is queued), so what it wrote is saved
            QtCore.QCoreApplication.sendPostedEvents(self.runner, 0)
        self.tagger.wait(wait_ms)
        if self._project is not None and not self.is_busy():
            self._save_if_changed()
            self._project.close()
            self._project = None

    def wait(self, ms: int = 60_000) -> bool:
        """Process events until no reply is being written (tests, screenshots)."""
        return self.runner.wait(ms)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
