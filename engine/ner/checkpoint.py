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

from engine.procs import pid_alive

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


def is_complete(folder: Path, name: str | None = None) -> bool:
    """True when ``folder`` holds a whole checkpoint: weights (``*.safetensors``) and, for
    ``last`` (``name`` or the folder's name), the trainer and training state; for
    ``best``, ``tessera_run.json``."""
    folder = Path(folder)
    name = name or folder.name
    if not folder.is_dir() or not any(folder.glob("*.safetensors")):
        return False
    if name == "last" or (folder / TRAINER_STATE).exists():
        return (folder / TRAINER_STATE).is_file() and (folder / TRAINING_STATE).is_file()
    return (folder / RUN_INFO).is_file()


def find_dir(run_dir: Path, name: str) -> Path | None:
    """Return ``run_dir/name`` if it is a complete checkpoint, else the newest complete
    copy left by an interrupted swap (``.name.old-*``, by modification time), else ``None``."""
    final = Path(run_dir) / name
    if is_complete(final, name):
        return final
    old = sorted(Path(run_dir).glob(f".{name}.old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    return next((p for p in old if is_complete(p, name)), None)


def clean_run_dir(run_dir: Path) -> list[Path]:
    """Delete what interrupted writes left in a run folder: temporary checkpoint folders
    (``.best.tmp-<pid>-*``, ``.last.tmp-*``) of processes that are gone, and
    ``.<name>.old-*`` copies once ``<name>`` is complete. Returns what was deleted."""
    run_dir = Path(run_dir)
    gone: list[Path] = []
    if not run_dir.is_dir():
        return gone
    for tmp in run_dir.glob(".*.tmp-*"):
        try:
            pid = int(tmp.name.split(".tmp-", 1)[1].split("-", 1)[0])
        except ValueError:
            pid = -1
        if pid == os.getpid() or pid_alive(pid):
            continue  # being written now
        shutil.rmtree(tmp, ignore_errors=True)
        gone.append(tmp)
    for name in ("best", "last"):
        if is_complete(run_dir / name, name):
            for old in run_dir.glob(f".{name}.old-*"):
                shutil.rmtree(old, ignore_errors=True)
                gone.append(old)
    return gone


def best_from_last(run_dir: Path, last: Path, info: dict) -> Path:
    """Write ``run_dir/best`` from the model in ``last`` (saved at the same step) with
    ``tessera_run.json`` = ``info``: repairs a run killed between writing ``last/`` and
    ``best/``. Returns the ``best`` folder."""
    final = Path(run_dir) / "best"
    with staging(final) as tmp:
        for f in Path(last).iterdir():
            if f.name not in (TRAINER_STATE, TRAINING_STATE) and f.is_file():
                shutil.copy2(f, tmp / f.name)
        (tmp / RUN_INFO).write_text(json.dumps(info, indent=2, sort_keys=True), encoding="utf-8")
    return final


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
    """Return ``{"optimizer", "scheduler", "rng"}`` of a ``last/`` folder (tensors loaded on
    CPU; only tensors and plain values are read, never code).

    Raises:
        TesseraError: the file is missing, damaged or not one Tessera wrote.
    """
    import torch

    from engine.errors import TesseraError
    from engine.messages import msg

    path = Path(folder) / TRAINING_STATE
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        if not (isinstance(state, dict) and {"optimizer", "scheduler", "rng"} <= set(state)):
            raise ValueError("not a training state")
    except Exception:
        raise TesseraError(msg(
            "The saved training state {path} is damaged or was not written by Tessera, so the run cannot "
            "continue exactly from it. Delete the run's 'last' folder to continue from its best checkpoint "
            "instead, or start a new run.", path=path
        )) from None
    return state


def restore_rng(rng: dict) -> None:
    """Put back the random-number generator states saved by :func:`save_last`."""
    import torch

    torch.set_rng_state(rng["torch"])
    if "cuda" in rng and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])
