"""The chat pane (offscreen), with the real default chat model.

Replies are real: the session's ``chat_model`` (SmolLM2-135M) writes them greedily,
a few tokens each, through the pane's worker thread. Conversations that a test only
reads or edits are written to the project directly. The tagger test uses a stand-in
tagger (the real one is trained in tests/gui/test_training_panel.py).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from engine.chat.conversations import create_conversation, get_conversation, list_conversations, save_conversation  # noqa: E402
from engine.chat.examples import count_examples, list_examples, problem  # noqa: E402
from engine.store import Project, now  # noqa: E402
from gui.chat import ChatPane  # noqa: E402
from gui.chat.models import DEFAULT_CHOICE, MAIN, ModelCache  # noqa: E402
from gui.chat.worker import ReplyRunner  # noqa: E402
from gui.qt import QtGui, QtWidgets, Qt  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WAIT = 180_000  # ms; generous: the machine may be busy with other work


@pytest.fixture
def cache(chat_model):
    c = ModelCache()
    c.put(MAIN, DEFAULT_CHOICE, chat_model)
    return c


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "chat.tessera"
    Project.create(p).close()
    return p


def make_pane(qtbot, path, cache, tokens=6) -> ChatPane:
    pane = ChatPane(path, cache=cache)
    qtbot.addWidget(pane)
    pane.resize(560, 760)
    pane.show()
    pane.settings.set_values(temperature=0.0, max_new_tokens=tokens, repetition_penalty=1.0)
    return pane


def seed(path, messages, *, title="Seeded chat", system="") -> int:
    with Project.open(path) as p:
        cid = create_conversation(p, title=title, system=system)
        conv = get_conversation(p, cid)
        conv.messages = messages
        save_conversation(p, conv)
    return cid


def stored(path, cid):
    with Project.open(path) as p:
        return get_conversation(p, cid)


def reply_of(pane, qtbot, action, timeout=WAIT) -> str:
    with qtbot.waitSignal(pane.replyFinished, timeout=timeout) as sig:
        action()
    return sig.args[0]


# --------------------------------------------------------------------------- chatting


def test_enter_sends_and_the_reply_streams_with_its_figures(qtbot, path, cache):
    pane = make_pane(qtbot, path, cache)
    edit = pane.composer.edit
    qtbot.keyClicks(edit, "What is a noun?")
    pieces = []
    pane.runner.pieces.connect(lambda side, text: pieces.append(text))
    outcome = reply_of(pane, qtbot, lambda: qtbot.keyClick(edit, Qt.Key_Return))
    assert outcome == "ok"
    assert edit.toPlainText() == ""
    msgs = pane.messages()
    assert [m["role"] for m in msgs] == ["user", "assistant"]
    assert msgs[0]["content"] == "What is a noun?"
    reply = msgs[1]
    assert reply["content"].strip() and "".join(pieces) == reply["content"]
    assert reply["model"] == "SmolLM2-135M" and reply["tokens"] == 6 and reply["stopped"] is False
    assert reply["ttft_ms"] > 0 and reply["tokens_per_s"] > 0
    bubble = pane.list.last_reply_bubbles()[0]
    footer = bubble.footer.text()
    assert "SmolLM2-135M" in footer and "tokens/s" in footer and "to first token" in footer
    assert "cut at the length limit" in footer  # 6 tokens: the reply hit max new tokens
    # saved at once, titled from the first message
    conv = stored(path, pane.conv.id)
    assert conv.title == "What is a noun?" and conv.messages == msgs
    assert conv.settings["max_new_tokens"] == 6 and conv.settings["temperature"] == 0


def test_shift_enter_inserts_a_newline_and_enter_sends(qtbot):
    from gui.chat.composer import Composer

    box = Composer()
    qtbot.addWidget(box)
    sent = []
    box.sendRequested.connect(sent.append)
    qtbot.keyClicks(box.edit, "line one")
    qtbot.keyClick(box.edit, Qt.Key_Return, Qt.ShiftModifier)
    qtbot.keyClicks(box.edit, "line two")
    assert box.text() == "line one\nline two" and sent == []
    qtbot.keyClick(box.edit, Qt.Key_Enter)  # the keypad's Enter too
    assert sent == ["line one\nline two"] and box.text() == ""
    qtbot.keyClicks(box.edit, "   ")
    qtbot.keyClick(box.edit, Qt.Key_Return)  # blank: nothing is sent
    assert sent == ["line one\nline two"]
    box.set_busy(True)  # while a reply is written Enter does not send
    box.set_text("next")
    qtbot.keyClick(box.edit, Qt.Key_Return)
    assert sent == ["line one\nline two"] and box.send_button.isHidden() and not box.stop_button.isHidden()


def test_int8_box_switches_the_models_weights_and_is_remembered(qtbot, path, cache, chat_model):
    """The Int8 weights box (chat settings) gives the pane's models int8 weights from the
    next reply on, the reply still streams, and a new pane starts with the box ticked."""
    pane = make_pane(qtbot, path, cache)
    assert not pane.settings.int8.isChecked() and chat_model.quantize is None
    try:
        pane.settings.int8.setChecked(True)
        assert cache.quantize == "int8" and chat_model.quantize == "int8"
        edit = pane.composer.edit
        qtbot.keyClicks(edit, "What is the capital of France?")
        assert reply_of(pane, qtbot, lambda: qtbot.keyClick(edit, Qt.Key_Return)) == "ok"
        assert pane.messages()[-1]["content"].strip() and pane.messages()[-1]["weights"] == "int8"
        assert "int8 weights" in pane.list.last_reply_bubbles()[0].footer.text()
        from engine.chat.fast_llama import fast_decoder

        assert fast_decoder(chat_model).quantize == "int8"
        again = make_pane(qtbot, path, ModelCache())
        assert again.settings.int8.isChecked()
        again.settings.int8.setChecked(False)
    finally:
        pane.settings.int8.setChecked(False)
    assert chat_model.quantize is None


def test_stop_keeps_the_partial_reply_marked_stopped(qtbot, path, cache):
    pane = make_pane(qtbot, path, cache, tokens=200)
    first = []

    def on_piece(side, text):
        if not first:
            first.append(text)
            qtbot.mouseClick(pane.composer.stop_button, Qt.LeftButton)

    pane.runner.pieces.connect(on_piece)
    assert pane.composer.stop_button.isHidden()
    outcome = reply_of(pane, qtbot, lambda: pane.send("Tell me a long story about a court case."))
    assert outcome == "stopped"
    reply = pane.messages()[-1]
    assert reply["role"] == "assistant" and reply["stopped"] is True and reply["stopped_by"] == "cancel"
    assert reply["content"].startswith(first[0]) and 0 < reply["tokens"] < 200
    assert "stopped" in pane.list.last_reply_bubbles()[0].footer.text()
    assert stored(path, pane.conv.id).messages[-1]["stopped"] is True
    assert not pane.composer.send_button.isHidden() and pane.composer.stop_button.isHidden()


def test_regenerate_replaces_the_last_reply(qtbot, path, cache):
    cid = seed(path, [{"role": "user", "content": "Name a colour."},
                      {"role": "assistant", "content": "OLD REPLY", "model": "x"}])
    pane = make_pane(qtbot, path, cache)
    assert pane.conv.id == cid  # the newest chat opens
    bubble = pane.list.last_reply_bubbles()[0]
    assert bubble.buttons["regenerate"].isVisibleTo(pane)
    reply_of(pane, qtbot, lambda: qtbot.mouseClick(bubble.buttons["regenerate"], Qt.LeftButton))
    msgs = stored(path, cid).messages
    assert [m["role"] for m in msgs] == ["user", "assistant"]
    assert msgs[1]["content"] != "OLD REPLY" and msgs[1]["content"].strip() and msgs[1]["model"] == "SmolLM2-135M"


def test_edit_and_resend_drops_the_later_turns(qtbot, path, cache):
    cid = seed(path, [{"role": "user", "content": "first question"}, {"role": "assistant", "content": "a1"},
                      {"role": "user", "content": "second question"}, {"role": "assistant", "content": "a2"}],
               title="first question")
    pane = make_pane(qtbot, path, cache)
    first = pane.list.bubbles("user")[0]
    qtbot.mouseClick(first.buttons["edit"], Qt.LeftButton)
    assert first.editor.isVisibleTo(pane) and first.editor.toPlainText() == "first question"
    qtbot.keyClick(first.editor, Qt.Key_Escape)  # Esc cancels the edit
    assert not first.editor.isVisibleTo(pane) and first.body.isVisibleTo(pane)
    qtbot.mouseClick(first.buttons["edit"], Qt.LeftButton)
    first.editor.setPlainText("What is a verb?")
    reply_of(pane, qtbot, lambda: qtbot.keyClick(first.editor, Qt.Key_Return))  # Enter sends it again
    conv = stored(path, cid)
    assert [m["role"] for m in conv.messages] == ["user", "assistant"]
    assert conv.messages[0]["content"] == "What is a verb?" and conv.messages[1]["content"] not in ("a1", "a2")
    assert conv.title == "What is a verb?"
    assert len(pane.list.bubbles()) == 2


def test_copy_puts_the_message_on_the_clipboard(qtbot, path, cache):
    seed(path, [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "**Hello** there"}])
    pane = make_pane(qtbot, path, cache)
    bubble = pane.list.last_reply_bubbles()[0]
    qtbot.mouseClick(bubble.buttons["copy"], Qt.LeftButton)
    assert QtGui.QGuiApplication.clipboard().text() == "**Hello** there"
    assert "<b>" not in bubble.text() and "Hello" in bubble.body.text()  # Markdown rendered, source copied


def test_markdown_is_rendered_and_raw_html_is_not(qtbot, path, cache):
    seed(path, [{"role": "user", "content": "<b>typed</b>"},
                {"role": "assistant", "content": "# Title\n\n- one\n- `two`\n\n<img src='x.png'>"}])
    pane = make_pane(qtbot, path, cache)
    reply = pane.list.last_reply_bubbles()[0].body.text()
    assert "<li" in reply and "Title" in reply and "<img" not in reply and "&lt;img" in reply
    user = pane.list.bubbles("user")[0].body.text()
    assert "&lt;b&gt;typed&lt;/b&gt;" in user  # what the user typed is shown as typed


# --------------------------------------------------------------------------- conversations


def test_conversations_are_listed_newest_first_reloaded_and_deleted(qtbot, path, cache, monkeypatch):
    old = seed(path, [{"role": "user", "content": "old chat"}, {"role": "assistant", "content": "old reply"}],
               title="old chat", system="Answer briefly.")
    with Project.open(path) as p:
        conv = get_conversation(p, old)
        conv.settings = {"temperature": 0.3, "max_new_tokens": 99}
        save_conversation(p, conv)
        p.conn.execute("UPDATE conversations SET updated='2000-01-01T00:00:00' WHERE id=?", (old,))
        p.conn.commit()
    new = seed(path, [{"role": "user", "content": "new chat"}], title="new chat")
    pane = make_pane(qtbot, path, cache)
    assert pane.conv.id == new and pane.history.ids() == [new, old]
    pane.history.chosen.emit(old)
    assert pane.conv.id == old and [b.text() for b in pane.list.bubbles()] == ["old chat", "old reply"]
    assert pane.settings.system_prompt() == "Answer briefly."
    assert pane.settings.to_dict()["max_new_tokens"] == 99 and pane.settings.to_dict()["temperature"] == 0.3
    qtbot.mouseClick(pane.history.new_button, Qt.LeftButton)
    assert pane.conv is None and pane.list.bubbles() == [] and pane.history.ids()[0] == -1
    pane.history.chosen.emit(new)
    monkeypatch.setattr(pane, "confirm_delete", lambda title: True)
    qtbot.mouseClick(pane.history.delete_button, Qt.LeftButton)
    with Project.open(path) as p:
        assert [r[0] for r in list_conversations(p)] == [old]
    assert pane.conv.id == old


# --------------------------------------------------------------------------- training examples


def test_save_as_example_stores_the_corrected_answer(qtbot, path, cache):
    seed(path, [{"role": "user", "content": "Define tort."},
                {"role": "assistant", "content": "A tort is a cake.", "model": "SmolLM2-135M", "ttft_ms": 5.0}],
         system="You are a careful legal assistant.")
    pane = make_pane(qtbot, path, cache)
    bubble = pane.list.last_reply_bubbles()[0]
    qtbot.mouseClick(bubble.buttons["save"], Qt.LeftButton)
    dlg = pane.findChild(QtWidgets.QDialog)
    assert dlg is not None and dlg.answer.toPlainText() == "A tort is a cake."
    assert "careful legal assistant" in dlg.preview.toPlainText() and "Define tort." in dlg.preview.toPlainText()
    dlg.answer.setPlainText("A tort is a civil wrong that causes harm.")
    with qtbot.waitSignal(pane.exampleSaved) as sig:
        dlg.accept()
    assert sig.args[0] == 1
    with Project.open(path) as p:
        (ex,) = list_examples(p)
    assert ex.source == "chat" and problem(ex.messages) is None
    assert ex.messages == [{"role": "system", "content": "You are a careful legal assistant."},
                           {"role": "user", "content": "Define tort."},
                           {"role": "assistant", "content": "A tort is a civil wrong that causes harm."}]
    assert "1 chat example" in pane.message.text()
    again = pane.open_example_editor(1)
    again.answer.setPlainText("A tort is a civil wrong that causes harm.")
    again.accept()
    assert "already saved" in pane.message.text()
    with Project.open(path) as p:
        assert count_examples(p) == 1


# --------------------------------------------------------------------------- compare, tagger, errors


def test_compare_answers_with_two_models_side_by_side(qtbot, path, cache):
    pane = make_pane(qtbot, path, cache, tokens=4)
    pane.compare.set_on(True)
    assert pane.compare.row.isVisibleTo(pane)
    assert pane.compare.choice() == DEFAULT_CHOICE  # no fine-tuned run in this project: the default model
    waiting = []

    def on_piece(side, text):
        if side == 0 and not waiting:
            waiting.append(pane.live[1].footer.text())

    pane.runner.pieces.connect(on_piece)
    reply_of(pane, qtbot, lambda: pane.send("Say hello."))
    assert waiting and waiting[0].startswith("Waiting for A")
    reply = pane.messages()[-1]
    assert reply["content"].strip() and reply["compare"]["content"].strip()
    assert reply["compare"]["tokens_per_s"] > 0 and reply["compare"]["model"] == "SmolLM2-135M"
    a, b = pane.list.last_reply_bubbles()
    assert a.header.text().startswith("A · ") and b.header.text().startswith("B · ")
    assert "tokens/s" in a.footer.text() and "tokens/s" in b.footer.text()
    assert "compare" in stored(path, pane.conv.id).messages[-1]


def test_in_compare_mode_each_model_reads_its_own_earlier_replies(qtbot, path, cache, monkeypatch):
    cid = seed(path, [{"role": "user", "content": "Name a colour."},
                      {"role": "assistant", "content": "Blue (A).", "compare": {"content": "Red (B).", "model": "B"}}])
    pane = make_pane(qtbot, path, cache)
    pane.open_conversation(cid)
    pane.compare.set_on(True)
    started = []
    monkeypatch.setattr(pane.runner, "start", lambda targets, history: started.append((targets, history)))
    pane.send("Another one?")
    (targets, history), = started
    assert [m["content"] for m in history] == ["Name a colour.", "Blue (A).", "Another one?"]
    assert targets[0].messages is None  # side A reads the shared history
    assert [m["content"] for m in targets[1].messages] == ["Name a colour.", "Red (B).", "Another one?"]
    pane.runner.ended.emit("cancelled", "")  # leave the pane idle for teardown


def test_tagger_mode_shows_entities_in_label_colours(qtbot, path, cache, monkeypatch):
    with Project.open(path) as p:
        p.add_label("location")
        color = p.label_by_name("location").color
        cur = p.conn.execute(
            "INSERT INTO runs(kind, base_model, config, status, output_dir, best_metric, started, finished)"
            " VALUES ('ner', 'default', '{}', 'finished', ?, 0.5, ?, ?)", (str(path.parent / "r"), now(), now()))
        p.conn.commit()
        rid = cur.lastrowid
    (path.parent / "r" / "best").mkdir(parents=True)

    class StandInTagger:
        def tag_text(self, text):
            i = text.find("Paris")
            return [(i, i + 5, "location", 0.9)] if i >= 0 else []

    import gui.training.try_it as try_it

    monkeypatch.setattr(try_it, "cached_tagger", lambda folder: StandInTagger())
    pane = make_pane(qtbot, path, cache)
    qtbot.mouseClick(pane.mode_tag, Qt.LeftButton)
    assert pane.pages.currentIndex() == 1
    box = pane.tagger.try_it
    assert pane.tagger.run_picker.currentText().startswith(f"Run {rid}")
    assert box.model_dir == str(path.parent / "r" / "best")
    with qtbot.waitSignal(pane.tagger.tagged, timeout=10_000) as sig:
        box.input.setPlainText("Alice flew to Paris")
    assert sig.args[0] == [(14, 19, "location", 0.9)]
    html = box.output.toHtml()
    assert "Paris" in html and "location" in html
    from gui.label_style import label_color, mix

    assert mix(box.palette().color(QtGui.QPalette.Base), label_color(color), 0.26).name() in html
    box.wait()
    qtbot.mouseClick(pane.mode_chat, Qt.LeftButton)
    assert pane.pages.currentIndex() == 0


def test_a_model_that_cannot_load_is_a_plain_message(qtbot, path, cache, tmp_path):
    pane = make_pane(qtbot, path, cache)
    missing = tmp_path / "no-such-model"
    pane.picker.ask_folder = lambda: str(missing)
    pane.picker.choose_folder()
    assert pane.picker.current_choice().base == str(missing)
    assert reply_of(pane, qtbot, lambda: pane.send("Hello?")) == "failed"
    notice = pane.list.bubbles("error")[-1].text()
    assert "does not exist" in notice and "Traceback" not in notice
    assert [m["role"] for m in pane.messages()] == ["user"]  # the message is kept; Regenerate retries
    assert not pane.is_busy() and pane.composer.send_button.isVisible()


# --------------------------------------------------------------------------- plumbing


def test_streamed_pieces_reach_the_ui_in_one_batch_per_frame(qtbot):
    runner = ReplyRunner()
    got = []
    runner.pieces.connect(lambda side, text: got.append((side, text)))
    for i in range(500):
        runner._inbox.append(("piece", 0, f"{i} "))
    runner._inbox.append(("piece", 1, "b"))
    runner.drain()
    assert got == [(0, "".join(f"{i} " for i in range(500))), (1, "b")] and runner.frames == 1


def test_main_window_chat_dock_opens_with_its_shortcut_and_closing_stops_a_reply(qtbot, tmp_path, chat_model):
    from gui.chat.models import CACHE
    from gui.main_window import MainWindow

    path = tmp_path / "win.tessera"
    Project.create(path).close()
    win = MainWindow(path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    dock = win.chat_dock
    assert not dock.isVisible() and not dock.has_pane()
    actions = [a for a in win.model_menu.actions() if a.text() == "&Chat pane"]
    assert actions and actions[0].shortcut().toString() == "Ctrl+Shift+C"
    actions[0].trigger()
    assert dock.isVisible() and dock.has_pane()
    pane = dock.pane()
    CACHE.put(MAIN, DEFAULT_CHOICE, chat_model)
    try:
        pane.settings.set_values(temperature=0.0, max_new_tokens=300)
        with qtbot.waitSignal(pane.runner.pieces, timeout=WAIT):
            pane.send("Write a long essay about contracts.")
        cid = pane.conv.id
        win.close()  # stops the reply and saves what it wrote
        assert not pane.is_busy()
    finally:
        CACHE.forget()
    conv = stored(path, cid)
    assert conv.messages[-1]["role"] == "assistant" and conv.messages[-1]["stopped"] is True


def test_gui_chat_imports_no_torch():
    code = ("import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen'; import gui.chat, gui.main_window; "
            "bad=[m for m in ('torch', 'transformers', 'peft') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_setting_has_a_plain_tooltip_and_sane_defaults(qtbot, path):
    pane = ChatPane(path, cache=ModelCache())
    qtbot.addWidget(pane)
    s = pane.settings
    for w in (s.system, s.temperature, s.top_p, s.top_k, s.repetition_penalty, s.max_new_tokens, s.seed,
              pane.picker, pane.compare.check):
        assert len(w.toolTip()) > 30, w
    assert s.to_dict() == {"temperature": 0.7, "top_p": 0.9, "top_k": 0, "repetition_penalty": 1.1,
                           "max_new_tokens": 256, "seed": None}
    s.set_values(temperature=0.0)
    assert not s.top_p.isEnabled() and s.summary().startswith("greedy")
    from engine.chat.generate import GenerationSettings

    assert GenerationSettings(**s.generation_kwargs()).temperature == 0.0


def test_fine_tuned_chat_runs_are_offered_and_open_from_the_training_panel(qtbot, tmp_path):
    from gui.chat import make_chat_dock

    path = tmp_path / "runs.tessera"
    out = tmp_path / "runs" / "1"
    with Project.create(path) as p:
        from engine.ner.runs import owner_record

        for status, folder in (("finished", out), ("running", tmp_path / "runs" / "2"), ("failed", None)):
            p.conn.execute(  # the running run is owned by this (live) process
                "INSERT INTO runs(kind, base_model, config, status, output_dir, best_metric, started, finished, owner)"
                " VALUES ('chat', 'default', '{}', ?, ?, 1.5, ?, ?, ?)",
                (status, str(folder) if folder else None, now(), now(), owner_record()))
        p.conn.commit()
    (out / "best").mkdir(parents=True)
    (tmp_path / "runs" / "2" / "best").mkdir(parents=True)
    win = QtWidgets.QMainWindow()
    qtbot.addWidget(win)
    dock = make_chat_dock(path, win)
    win.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.open_run(1, "default", str(out / "best"))
    pane = dock.pane()
    titles = [c.title for c in pane.picker.choices()]
    assert titles[0] == DEFAULT_CHOICE.title and len(titles) == 2  # the running and the failed run have no usable best/
    choice = pane.picker.current_choice()
    assert choice.run_id == 1 and choice.adapter == str(out / "best") and choice.short == "Fine-tuned run 1"
    assert titles[1].startswith("Fine-tuned run 1") and "dev loss 1.500" in titles[1]
    pane.compare.set_on(True)
    assert pane.compare.choice().run_id == 1 and pane.model_label.text() == "Model A"


def test_the_footer_says_whether_the_cuda_kernels_ran():
    from gui.chat.render import footer_parts

    assert "CUDA kernels" in footer_parts({"model": "m", "kernels": True})
    assert "CUDA kernels off" in footer_parts({"model": "m", "kernels": False})
    assert not any("CUDA" in p for p in footer_parts({"model": "m"}))  # a CPU reply says nothing of it
