"""Warm start (issue 15): a run that starts from an earlier run's model keeps its head,
label by label, whatever the new run's label order."""
from __future__ import annotations

import json
import shutil

import pytest

from engine.ner.model_source import default_model_dir
from engine.ner.warm_start import base_labels, carry_head, warm_note


def _tagger_with(folder, labels):
    from transformers import AutoModelForTokenClassification

    return AutoModelForTokenClassification.from_pretrained(
        str(folder), num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={t: i for i, t in enumerate(labels)}, ignore_mismatched_sizes=True, use_safetensors=True,
        local_files_only=True)


def test_base_labels_of_a_tagger_and_of_a_plain_encoder(loop_tagger):
    best = loop_tagger["run"].best_dir
    labels = base_labels(best)
    assert labels[0] == "O" and "B-person" in labels and len(labels) == 13
    assert base_labels(default_model_dir()) == []  # no trained head: nothing to carry


def test_carried_head_scores_like_the_base_model_in_any_label_order(loop_tagger):
    import torch

    best = loop_tagger["run"].best_dir
    old = base_labels(best)
    base = _tagger_with(best, old).eval()
    new = list(reversed(old)) + ["B-extra", "I-extra"]  # same labels backwards, two new ones
    model = _tagger_with(best, new).eval()
    fresh_rows = model.classifier.weight[-2:].detach().clone()
    assert carry_head(model, best, new) == len(old)
    tok = loop_tagger["tagger"].tokenizer
    enc = tok("Barack Obama visited Paris with @jack", return_tensors="pt")
    with torch.no_grad():
        a = base(**enc).logits[0]
        b = model(**enc).logits[0]
    for name in old:  # every old label scores the same from its new place
        assert torch.allclose(a[:, old.index(name)], b[:, new.index(name)], atol=1e-5)
    assert torch.equal(model.classifier.weight[-2:], fresh_rows)  # new labels keep their fresh rows


def test_no_warm_start_from_a_head_of_another_width(loop_tagger, tmp_path):
    best = loop_tagger["run"].best_dir
    broken = tmp_path / "other"
    shutil.copytree(best, broken)
    config = json.loads((broken / "config.json").read_text())
    config["id2label"] = {"0": "O", "1": "B-x"}  # says 2 labels; the saved head has 13 rows
    (broken / "config.json").write_text(json.dumps(config))
    model = _tagger_with(best, base_labels(best))
    assert carry_head(model, broken, ["O", "B-x"]) == 0
    assert warm_note(0, 2, "tags") == ""


def test_training_from_a_run_keeps_its_head(loop_tagger, tmp_path):
    """A run whose base model is an earlier run's ``best/`` says it carried the head and
    does not reset it with the small-data prior."""
    from engine.events import Log
    from engine.ner.train import TrainConfig, train
    from engine.store import Project

    path = tmp_path / loop_tagger["path"].name
    shutil.copy(loop_tagger["path"], path)
    logs = []
    result = train(path, TrainConfig(base_model=str(loop_tagger["run"].best_dir), max_steps=2, eval_every=2,
                                     out_dir=str(tmp_path / "runs")),
                   report=lambda e: logs.append(e.message) if isinstance(e, Log) else None)
    recipe = next(t for t in logs if t.startswith("Recipe:"))
    assert "head carried over from the base model for 13 of 13 tags" in recipe
    with Project.open(path) as p:
        config = json.loads(p.conn.execute("SELECT config FROM runs WHERE id = ?", (result.run_id,)).fetchone()[0])
    assert config["head_init"] == "default"
    assert config["min_steps"] == 225  # 300 sentences: half the cold floor of 450


def test_warm_recipe_halves_the_step_floor():
    from engine.ner.train import TrainConfig, resolve_recipe

    for n, cold in ((50, 200), (300, 450), (900, 500)):
        assert resolve_recipe(TrainConfig(), n).min_steps == cold
        assert resolve_recipe(TrainConfig(), n, warm=True).min_steps == cold // 2
    assert resolve_recipe(TrainConfig(min_steps=300), 50, warm=True).min_steps == 300  # a chosen floor stays


@pytest.mark.parametrize("warm, expected", [(False, "centroid"), (True, "default")])
def test_classifier_recipe_keeps_a_carried_head(warm, expected):
    from engine.ner.train import TrainConfig
    from engine.textcat.train import resolve_recipe

    assert resolve_recipe(TrainConfig(), 100, warm=warm).head_init == expected
