"""`main.py train / predict / evaluate` end to end on real WNUT-17 slices and the default model."""
from __future__ import annotations

import pytest

import main
from engine.importer import import_file
from engine.store import Project
from tests.conftest import DATA, read_conll_sentences
from tests.test_ner_data import conll_slice


@pytest.fixture(scope="module")
def trained_cli(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli_ner")
    path = tmp / "wnut.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "train.conll", tmp / "train.conll", 120), status="done", split="train")
        import_file(p, conll_slice(DATA / "dev.conll", tmp / "dev.conll", 40), status="done", split="dev")
    return tmp, path


def test_train_predict_evaluate(trained_cli, capsys):
    tmp, path = trained_cli
    assert main.main(["train", str(path), "--max-steps", "6", "--batch-size", "8", "--patience", "5"]) == 0
    out = capsys.readouterr().out
    assert "best dev F1" in out and "micro avg" in out
    with Project.open(path) as p:
        run_id, status, out_dir = p.conn.execute("SELECT id, status, output_dir FROM runs").fetchone()
    assert status == "finished"
    best = path.with_suffix(".runs") / str(run_id) / "best"
    assert (best / "model.safetensors").exists()

    gold = conll_slice(DATA / "dev.conll", tmp / "gold.conll", 30)
    pred = tmp / "pred.conll"
    assert main.main(["predict", str(best), str(gold), str(pred)]) == 0
    got, want = read_conll_sentences(pred), read_conll_sentences(gold)
    assert [[t for t, _ in s] for s in got] == [[t for t, _ in s] for s in want]  # tokens kept as given
    for sent in got:  # valid BIO: an I- always continues an entity of the same type
        prev = "O"
        for _, tag in sent:
            assert not (tag.startswith("I-") and prev[2:] != tag[2:]), sent
            prev = tag

    assert main.main(["evaluate", str(best), str(gold)]) == 0
    out = capsys.readouterr().out
    assert "30 sentences" in out and "precision" in out and "macro avg" in out


def test_predict_jsonl_and_errors(trained_cli, tmp_path, capsys):
    _, path = trained_cli
    runs = sorted(path.with_suffix(".runs").iterdir())
    if not runs:
        pytest.skip("needs the run from test_train_predict_evaluate")
    best = runs[0] / "best"
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Watching the Warriors game in Oakland with Steph tonight"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main.main(["predict", str(best), str(src), str(out)]) == 0
    assert out.read_text(encoding="utf-8").count('"text"') == 1
    # a bad model folder and a bad input file: one line, exit code 1
    assert main.main(["predict", str(tmp_path), str(src), str(out)]) == 1
    bad = tmp_path / "bad.conll"
    bad.write_text("Paris\tB-\n", encoding="utf-8")
    assert main.main(["evaluate", str(best), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.conll:1:" in err and "Traceback" not in err
