"""engine.ner.train on the real default model and real WNUT-17 data, with few steps.

One uninterrupted run (A) and one run cancelled part-way and resumed (B) share a
project and a seed: B's losses must equal A's step for step, before and after the
pause, which checks seeding, the stored data order and the resumable state at once.
"""
from __future__ import annotations

import json
import sqlite3

import pytest
import torch

from engine.events import CancelToken, Log, Metric, Progress
from engine.importer import import_file
from engine.ner import runs
from engine.ner.model_source import ModelSourceError
from engine.ner.train import TrainConfig, TrainingCancelled, resume, train
from engine.store import Project
from tests.test_ner_data import conll_slice

STEPS, EVAL_EVERY, PAUSE_AT = 24, 12, 8
CONFIG = dict(max_steps=STEPS, eval_every=EVAL_EVERY, seed=0, batch_size=8)


def _losses(events) -> dict[int, float]:
    return {e.step: e.value for e in events if isinstance(e, Metric) and e.name == "train/loss"}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Project with 160 training and 40 dev sentences; run A (whole) and run B (paused, resumed)."""
    from tests.conftest import DATA

    tmp = tmp_path_factory.mktemp("ner")
    path = tmp / "wnut.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "train.conll", tmp / "train.conll", 160), status="done", split="train")
        import_file(p, conll_slice(DATA / "dev.conll", tmp / "dev.conll", 40), status="done", split="dev")
    a_events: list = []
    a = train(path, TrainConfig(**CONFIG), report=a_events.append)

    b_events: list = []
    token = CancelToken()

    def report_b(e):
        b_events.append(e)
        if isinstance(e, Progress) and e.done == PAUSE_AT:
            token.cancel()

    with pytest.raises(TrainingCancelled) as exc:
        train(path, TrainConfig(**CONFIG), report=report_b, cancel=token)
    b_id = exc.value.run_id
    import shutil

    paused_last = tmp / "paused_last"
    shutil.copytree(path.with_suffix(".runs") / str(b_id) / "last", paused_last)
    with Project.open(path) as p:
        paused = runs.get_run(p, b_id)
        paused_metrics = runs.metrics(p, b_id)
    c_events: list = []
    c = resume(path, b_id, report=c_events.append)
    return dict(path=path, a=a, a_events=a_events, b_id=b_id, b_events=b_events, paused=paused,
                paused_metrics=paused_metrics, paused_last=paused_last, c=c, c_events=c_events, exc=exc.value)


def test_a_short_real_run_lowers_the_training_loss(trained):
    losses = _losses(trained["a_events"])
    assert sorted(losses) == list(range(1, STEPS + 1))
    first, last = [losses[s] for s in range(1, 7)], [losses[s] for s in range(STEPS - 5, STEPS + 1)]
    assert sum(last) / 6 < 0.8 * sum(first) / 6
    r = trained["a"]
    assert r.steps == STEPS and r.best_step in (EVAL_EVERY, STEPS) and 0.0 <= r.best_f1 <= 1.0
    assert set(r.report) >= {"f1", "precision", "recall", "f1_macro", "per_label"}
    assert "location" in r.report["per_label"]


def test_run_row_metrics_and_events(trained):
    r = trained["a"]
    with Project.open(trained["path"]) as p:
        row = runs.get_run(p, r.run_id)
        names = {m[2] for m in runs.metrics(p, r.run_id)}
    assert row.status == "finished" and row.kind == "ner" and row.base_model == "default"
    assert row.output_dir == str(r.output_dir) and row.best_metric == pytest.approx(r.best_f1)
    assert row.started and row.finished
    assert row.config["max_steps"] == STEPS and row.config["lr"] and row.config["batch_tokens"]  # resolved values
    assert {"train/loss", "train/lr", "train/tokens_per_s", "mem/rss_mb", "dev/loss", "dev/f1", "dev/f1_macro",
            "dev/precision", "dev/recall", "dev/f1/person", "dev/precision/person", "dev/recall/person",
            "dev/support/person"} <= names
    ev = trained["a_events"]
    assert [e.done for e in ev if isinstance(e, Progress)] == list(range(0, STEPS + 1))
    assert all(e.total == STEPS for e in ev if isinstance(e, Progress))
    assert any(isinstance(e, Log) and "Recipe" in e.message for e in ev)
    metric_steps = {(e.name, e.step) for e in ev if isinstance(e, Metric)}
    assert ("dev/f1", EVAL_EVERY) in metric_steps and ("dev/f1", STEPS) in metric_steps


def test_best_checkpoint_is_a_hf_folder_that_pipeline_loads(trained):
    from transformers import pipeline

    from engine.ner.model_source import quiet_transformers

    best = trained["a"].best_dir
    assert {"model.safetensors", "config.json", "tokenizer.json", "tessera_run.json"} <= {f.name for f in best.iterdir()}
    cfg = json.loads((best / "config.json").read_text())
    assert cfg["id2label"]["0"] == "O" and cfg["label2id"]["B-location"] >= 1
    info = json.loads((best / "tessera_run.json").read_text())
    assert info["run_id"] == trained["a"].run_id and info["tags"][0] == "O" and "f1" in info["best"]
    assert not [f for f in best.parent.iterdir() if f.name.startswith(".")]  # no temp folders left
    with quiet_transformers():
        pipe = pipeline("token-classification", model=str(best), device="cpu")
    out = pipe("I love the Empire State Building in New York")
    assert isinstance(out, list)
    from engine.ner.predict import load_tagger

    assert len(load_tagger(best).tag_tokens([["New", "York"]])[0]) == 2


def test_same_seed_gives_the_same_losses(trained):
    a, b = _losses(trained["a_events"]), _losses(trained["b_events"])
    assert sorted(b) == list(range(1, PAUSE_AT + 1))
    assert [b[s] for s in sorted(b)] == [a[s] for s in sorted(b)]


def test_cancel_leaves_a_cancelled_run_with_a_resumable_last_checkpoint(trained):
    row = trained["paused"]
    assert row.status == "cancelled" and row.finished
    assert trained["exc"].step == PAUSE_AT
    assert {m[0] for m in trained["paused_metrics"]} == set(range(1, PAUSE_AT + 1))  # flushed on cancel


def test_resume_continues_from_the_saved_step_exactly(trained):
    c, a = trained["c"], trained["a"]
    assert c.run_id == trained["b_id"] and c.steps == STEPS
    resumed = _losses(trained["c_events"])
    assert sorted(resumed) == list(range(PAUSE_AT + 1, STEPS + 1))  # step numbers continue
    expected = _losses(trained["a_events"])
    assert [resumed[s] for s in sorted(resumed)] == [expected[s] for s in sorted(resumed)]
    assert c.best_f1 == a.best_f1 and c.best_step == a.best_step
    with Project.open(trained["path"]) as p:
        assert runs.get_run(p, c.run_id).status == "finished"
        rows = runs.metrics(p, c.run_id)
    keys = [(m[0], m[2]) for m in rows]
    assert len(keys) == len(set(keys))  # nothing recorded twice
    assert {m[0] for m in rows if m[2] == "train/loss"} == set(range(1, STEPS + 1))


def test_resume_after_a_crash_drops_metrics_past_the_checkpoint(trained, tmp_path):
    """A crash leaves rows after last/'s step; resume deletes them before writing again."""
    import shutil

    path = tmp_path / "copy.tessera"
    src, dst = sqlite3.connect(trained["path"]), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    b_id = trained["b_id"]
    run_dir = tmp_path / "elsewhere" / str(b_id)
    shutil.copytree(trained["paused_last"], run_dir / "last")  # the state saved at the pause (step 8)
    with Project.open(path) as p:  # pretend the run crashed later, at step 11
        runs.update_run(p, b_id, status="failed", output_dir=str(run_dir))
        with p.db.atomic():
            p.conn.execute("DELETE FROM run_metrics WHERE run_id=? AND step>11", (b_id,))
        assert max(m[0] for m in runs.metrics(p, b_id)) == 11
    token = CancelToken()
    token.cancel()  # stop before the first step: only the clean-up runs
    with pytest.raises(TrainingCancelled) as exc:
        resume(path, b_id, cancel=token)
    assert exc.value.step == PAUSE_AT
    with Project.open(path) as p:
        assert max(m[0] for m in runs.metrics(p, b_id)) == PAUSE_AT
        assert runs.get_run(p, b_id).status == "cancelled"
    assert (run_dir / "last" / "trainer_state.json").is_file()  # written where the run lives


def test_missing_base_model_is_a_plain_error_and_records_nothing(trained, tmp_path):
    with pytest.raises(ModelSourceError, match="does not exist") as exc:
        train(trained["path"], TrainConfig(base_model=str(tmp_path / "no-model")))
    assert "\n" not in str(exc.value)
    with Project.open(trained["path"]) as p:
        assert p.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def test_resume_refuses_a_finished_run(trained):
    from engine.errors import TesseraError

    with pytest.raises(TesseraError, match="already finished"):
        resume(trained["path"], trained["a"].run_id)


@pytest.mark.slow
def test_ddp_two_processes_on_gloo(trained, tmp_path):
    """torchrun --nproc-per-node 2: both ranks train, only rank 0 writes; one run row."""
    from tests.conftest import run_torchrun

    with Project.open(trained["path"]) as p:
        before = p.conn.execute("SELECT count(*) FROM runs").fetchone()[0]
    results = run_torchrun(tmp_path, (
        "from engine.ner.train import TrainConfig, train\n"
        f"r = train({str(trained['path'])!r}, TrainConfig(max_steps=6, eval_every=3, batch_size=4))\n"
        "report({'run': r.run_id, 'steps': r.steps, 'f1': r.best_f1})\n"), port=29531)
    assert len(results) == 2 and len({r["run"] for r in results}) == 1
    assert all(r["steps"] == 6 for r in results) and results[0]["f1"] == results[1]["f1"]
    with Project.open(trained["path"]) as p:
        assert p.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == before + 1
        row = runs.get_run(p, results[0]["run"])
        keys = [(m[0], m[2]) for m in runs.metrics(p, row.id)]
    assert row.status == "finished" and len(keys) == len(set(keys))
    assert {m[0] for m in keys if m[1] == "train/loss"} == set(range(1, 7))


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_bf16_run_is_finite(trained):
    import math

    events: list = []
    r = train(trained["path"], TrainConfig(max_steps=6, eval_every=6, bf16=True), report=events.append)
    assert r.steps == 6 and all(math.isfinite(v) for v in _losses(events).values())


def test_bf16_setting_from_a_command_line_or_a_stored_config():
    from engine.ner import train as T

    assert [T.parse_bf16(v) for v in ("auto", "AUTO", "true", "On", "1", "false", "no", True, False, None)] == [
        "auto", "auto", True, True, True, False, False, True, False, False]


def test_bf16_auto_follows_the_hardware_and_on_gpus_the_model_size(monkeypatch):
    from engine.ner import train as T

    cpu, gpu = torch.device("cpu"), torch.device("cuda")
    assert T.wants_bf16(True, cpu, 1) and not T.wants_bf16(False, gpu, 10**9)
    monkeypatch.setattr(T, "bf16_native", lambda device: False)
    assert not T.wants_bf16("auto", cpu, 10**9) and not T.wants_bf16("auto", gpu, 10**9)
    monkeypatch.setattr(T, "bf16_native", lambda device: True)
    assert T.wants_bf16("auto", cpu, 1)
    assert not T.wants_bf16("auto", gpu, T.CUDA_BF16_MIN_PARAMS - 1)
    assert T.wants_bf16("auto", gpu, T.CUDA_BF16_MIN_PARAMS)


def test_recipe_starts_the_head_from_tag_frequencies_on_small_data_only():
    from engine.ner.train import TrainConfig, resolve_recipe

    assert resolve_recipe(TrainConfig(), 200).head_init == "prior"
    assert resolve_recipe(TrainConfig(), 3000).head_init == "default"
    assert resolve_recipe(TrainConfig(head_init="prior"), 3000).head_init == "prior"
