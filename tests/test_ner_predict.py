"""engine.ner.predict: a checkpoint folder tags words and text with valid BIO.

Uses an untrained head over the real default model (fast); a trained checkpoint is
checked in tests/test_ner_train.py.
"""
from __future__ import annotations

import pytest

from engine.ner.model_source import ModelSourceError, load_tokenizer, quiet_transformers, resolve_base_model
from engine.ner.predict import load_tagger
from engine.tokenize import tokenize
from tests.test_ner_decode import is_valid_bio

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    import torch
    from transformers import AutoModelForTokenClassification

    base = resolve_base_model("default")
    folder = tmp_path_factory.mktemp("ckpt")
    torch.manual_seed(0)
    with quiet_transformers():
        model = AutoModelForTokenClassification.from_pretrained(
            base, num_labels=len(TAGS), id2label=dict(enumerate(TAGS)), label2id={t: i for i, t in enumerate(TAGS)},
            use_safetensors=True)
    with torch.no_grad():  # make every tag likely somewhere, including orphan I- tags
        model.classifier.weight.mul_(50)
    model.save_pretrained(folder)
    load_tokenizer(base).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tagger(checkpoint):
    return load_tagger(checkpoint, device="cpu")


def test_tag_tokens_gives_one_valid_tag_per_word(tagger):
    sents = [["Empire", "State", "Building", "is", "in", "NYC"], [], ["@paulwalk", "hi"] * 20]
    out = tagger.tag_tokens(sents)
    assert [len(t) for t in out] == [len(s) for s in sents]
    assert all(set(t) <= set(TAGS) and is_valid_bio(t) for t in out)
    assert any(t != "O" for seq in out for t in seq)  # the inflated head predicts entities


def test_long_sentences_are_tagged_in_chunks_not_cut(tagger):
    words = ["unbelievably", "worldwideweb"] * 400  # far over 512 pieces
    (tags,) = tagger.tag_tokens([words])
    assert len(tags) == len(words) and is_valid_bio(tags)
    assert tagger.tag_tokens([words[:6]])[0] == tags[:6]


def test_tag_text_returns_char_spans_on_token_edges(tagger):
    text = "Ann Lee flew to Paris. Then she met Bob in New York City!"
    spans = tagger.tag_text(text)
    assert spans
    edges = {e for t in tokenize(text) for e in t}
    for start, end, label, score in spans:
        assert start in edges and end in edges and start < end
        assert label in ("PER", "LOC") and 0.0 < score <= 1.0
    assert spans == sorted(spans)


def test_same_folder_loads_in_transformers_pipeline(checkpoint):
    from transformers import pipeline

    with quiet_transformers():
        pipe = pipeline("token-classification", model=str(checkpoint), device="cpu")
    assert pipe("Ann Lee flew to Paris") is not None


def test_folder_without_bio_tags_is_refused(tmp_path, checkpoint):
    import json
    import shutil

    for f in checkpoint.iterdir():
        shutil.copy(f, tmp_path / f.name)
    cfg = json.loads((tmp_path / "config.json").read_text())
    cfg["id2label"] = {str(i): f"LABEL_{i}" for i in range(len(TAGS))}
    cfg["label2id"] = {f"LABEL_{i}": i for i in range(len(TAGS))}
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelSourceError, match="not trained for entity tagging"):
        load_tagger(tmp_path)
