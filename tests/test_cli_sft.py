"""`main.py sft` end to end: a 2-step LoRA run on 6 real Dolly examples, export, and the error paths."""
from __future__ import annotations

import main
from engine.ner import runs
from engine.store import Project
from tests.conftest import DATA


def _dolly(tmp_path, n: int):
    lines = (DATA / "chat" / "dolly_open_qa_200.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / "dolly.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sft_runs_and_exports(tmp_path, capsys, chat_model):
    project = tmp_path / "chat.tessera"
    assert main.main(["init", str(project)]) == 0
    assert main.main(["import-chat", str(project), str(_dolly(tmp_path, 6))]) == 0
    merged = tmp_path / "merged"
    code = main.main(["sft", str(project), "--max-steps", "2", "--batch-size", "2", "--max-length", "96",
                      "--lora-r", "4", "--export-merged", str(merged)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "best dev loss" in out and "before training" in out and "adapter in" in out
    with Project.open(project) as p:
        (run,) = p.conn.execute("SELECT id FROM runs").fetchall()
        row = runs.get_run(p, run[0])
    assert row.kind == "chat" and row.status == "finished"
    assert row.config["lora_r"] == 4 and row.config["max_length"] == 96 and row.config["max_steps"] == 2
    assert (merged / "model.safetensors").is_file() and "Wrote the merged model" in out

    # a finished run cannot be resumed; one line, exit code 1
    assert main.main(["sft", str(project), "--resume", str(run[0])]) == 1
    err = capsys.readouterr().err
    assert "already finished" in err and "Traceback" not in err
    # an export folder that holds something else is refused before training
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    assert main.main(["sft", str(project), "--max-steps", "1", "--export-merged", str(tmp_path / "notes")]) == 1
    assert "not a model folder" in capsys.readouterr().err
    with Project.open(project) as p:
        assert p.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1


def test_sft_without_examples_is_one_line(tmp_path, capsys):
    project = tmp_path / "empty.tessera"
    assert main.main(["init", str(project)]) == 0
    assert main.main(["sft", str(project)]) == 1
    err = capsys.readouterr().err
    assert "no chat examples" in err and "import-chat" in err and "Traceback" not in err


def test_sft_pause_prints_how_to_resume(tmp_path, capsys, monkeypatch):
    import engine.chat.sft as sft

    def paused(*args, **kwargs):
        raise sft.TrainingCancelled(7, 3)

    monkeypatch.setattr(sft, "train", paused)
    assert main.main(["sft", str(tmp_path / "p.tessera")]) == 130
    err = capsys.readouterr().err
    assert "paused at step 3" in err and "main.py sft" in err and "--resume 7" in err
