"""``python main.py chat``: one question, a conversation on stdin, bad input."""
from __future__ import annotations

import io

import main


def test_one_shot_prompt_prints_the_reply_and_its_speed(chat_model, capsys):
    code = main.main(["chat", "--model", str(chat_model.folder), "--prompt", "What is the capital of France?",
                      "--max-new-tokens", "12"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "Paris" in out and "tok/s" not in out  # stdout carries only the reply
    assert "12 tokens" in err or " tokens, " in err
    assert "tok/s, first token after" in err


def test_conversation_from_stdin_keeps_the_history(chat_model, capsys, monkeypatch):
    import engine.chat.generate as gen

    seen = []
    real = gen.stream

    def spy(chat, messages, settings=None, **kw):
        seen.append([m["role"] for m in messages])
        return real(chat, messages, settings, **kw)

    monkeypatch.setattr(gen, "stream", spy)
    lines = "What is the capital of France?\n\nAnd of Italy?\n/exit\nNever read\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    code = main.main(["chat", "--model", str(chat_model.folder), "--system", "Answer briefly.",
                      "--max-new-tokens", "8"])
    out, err = capsys.readouterr()
    assert code == 0
    assert seen == [["system", "user"], ["system", "user", "assistant", "user"]]
    assert err.count("tok/s, first token after") == 2
    assert len([line for line in out.splitlines() if line.strip()]) >= 2


def test_bad_model_folder_or_setting_is_one_line_and_exit_1(tmp_path, capsys):
    assert main.main(["chat", "--model", str(tmp_path / "missing"), "--prompt", "Hi"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]  # after the "Loading ..." line
    assert last.startswith("error:") and "does not exist" in last
    assert main.main(["chat", "--top-p", "0", "--prompt", "Hi"]) == 1
    assert "--top-p" in capsys.readouterr().err
