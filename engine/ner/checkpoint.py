"""Checkpoint folders of a run, written so a crash never leaves a half-written one.

A run folder ``<project>.runs/<run_id>/`` holds:

``best/``  the best model so far as a Hugging Face folder (``model.safetensors``,
           ``config.json`` with ``id2label``/``label2id``, tokenizer files) plus
           ``tessera_run.json`` (run config, tag list, best scores). It loads with
           ``transformers.pipeline("token-classification", model=...)``.
``last/``  the newest state for resuming: the same model files plus
           ``trainer_state.json`` (step, data position, early-stopping counters, ...)
           and ``training_state.pt`` (optimizer, LR scheduler and RNG states; tensors
           and plain values only, read back with ``torch.load(weights_only=True)``).

Each folder is written to a temporary sibling and then swapped in with
:func:`os.replace` (:func:`replace_dir`).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

RUN_INFO = "tessera_run.json"
TRAINER_STATE = "trainer_state.json"
TRAINING_STATE = "training_state.pt"


def replace_dir(tmp: Path, final: Path) -> None:
    """Move the finished folder ``tmp`` to ``final``, replacing what was there.

    :func:`os.replace` cannot replace a non-empty folder, so an existing ``final`` is
    first renamed to ``.<name>.old-*`` and deleted after the swap; if the process dies
    between the two renames, :func:`find_dir` still finds the old copy.
    """
    if final.exists():
        old = final.with_name(f".{final.name}.old-{secrets.token_hex(4)}")
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)
    for stale in final.parent.glob(f".{final.name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def staging(final: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``final``; on success swap it in with
    :func:`replace_dir`, on error delete it (``final`` is left as it was)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_dir(tmp, final)


def find_dir(run_dir: Path, name: str) -> Path | None:
    """Return ``run_dir/name`` if it exists, else the copy left by an interrupted swap, else ``None``."""
    final = Path(run_dir) / name
    if final.is_dir():
        return final
    old = sorted(Path(run_dir).glob(f".{name}.old-*"))
    return old[-1] if old else None


def _save_model(folder: Path, model, tokenizer) -> None:
    from engine.ner.model_source import quiet_transformers

    with quiet_transformers():
        model.save_pretrained(str(folder))
        tokenizer.save_pretrained(str(folder))


def save_best(run_dir: Path, model, tokenizer, info: dict) -> Path:
    """Write ``run_dir/best`` (model, tokenizer, ``tessera_run.json`` = ``info``); return its path."""
    final = Path(run_dir) / "best"
    with staging(final) as tmp:
        _save_model(tmp, model, tokenizer)
        (tmp / RUN_INFO).write_text(json.dumps(info, indent=2, sort_keys=True), encoding="utf-8")
    return final


def save_last(run_dir: Path, model, tokenizer, *, optimizer, scheduler, state: dict) -> Path:
    """Write ``run_dir/last`` (model, tokenizer, optimizer/scheduler/RNG, ``state``); return its path."""
    import torch

    final = Path(run_dir) / "last"
    rng = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    with staging(final) as tmp:
        _save_model(tmp, model, tokenizer)
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "rng": rng},
                   tmp / TRAINING_STATE)
        (tmp / TRAINER_STATE).write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
    return final


def read_state(folder: Path) -> dict:
    """Return ``trainer_state.json`` of a ``last/`` folder."""
    return json.loads((Path(folder) / TRAINER_STATE).read_text(encoding="utf-8"))


def load_training_state(folder: Path) -> dict:
    """Return ``{"optimizer", "scheduler", "rng"}`` of a ``last/`` folder (tensors loaded on CPU)."""
    import torch

    return torch.load(Path(folder) / TRAINING_STATE, map_location="cpu", weights_only=True)


def restore_rng(rng: dict) -> None:
    """Put back the random-number generator states saved by :func:`save_last`."""
    import torch

    torch.set_rng_state(rng["torch"])
    if "cuda" in rng and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])
