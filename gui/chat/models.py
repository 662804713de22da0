"""Which chat models the pane offers, and the loaded ones it keeps.

:class:`ModelChoice` names a model (the default model, a folder, or a fine-tuning
run's adapter); :func:`run_choices` lists the project's chat fine-tuning runs;
:class:`ModelCache` holds at most one loaded model per slot (the main model and the
compare model) and loads a missing one with ``engine.chat.model.load_chat_model`` —
imported when a worker thread calls :meth:`ModelCache.get`, never at module level
(it pulls in torch). No Qt widgets here: titles go through Qt's translation only.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from engine.store import Project
from gui.qt import QtCore
from gui.training import runs as runstore

#: ``runs.kind`` of chat fine-tuning runs (``engine.chat.sft.KIND``) and of taggers.
CHAT_KIND = "chat"
TAGGER_KIND = "ner"
MAIN, COMPARE = "main", "compare"
#: how a run that did not finish is named in its title (the run's status is the key)
STATUS_NAMES = {
    "cancelled": QtCore.QT_TRANSLATE_NOOP("ModelChoice", "cancelled"),
    "failed": QtCore.QT_TRANSLATE_NOOP("ModelChoice", "failed"),
    "interrupted": QtCore.QT_TRANSLATE_NOOP("ModelChoice", "interrupted"),
}


@dataclass(frozen=True)
class ModelChoice:
    """A model the pane can load: ``load_chat_model(base, adapter=adapter)``.

    ``title`` is what the picker shows, ``short`` what a reply's footer shows.
    """

    title: str
    short: str
    base: str = "default"
    adapter: str | None = None
    run_id: int | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        """What identifies the loaded model (two choices with one key share it)."""
        return (self.base, self.adapter)


DEFAULT_CHOICE = ModelChoice(QtCore.QT_TRANSLATE_NOOP("ModelChoice", "Default chat model (SmolLM2-135M)"),
                             "SmolLM2-135M")


def shown_title(choice: ModelChoice) -> str:
    """``choice.title`` as the picker shows it (the default model's in the user's language;
    other titles are made in it)."""
    return QtCore.QCoreApplication.translate("ModelChoice", choice.title) if choice == DEFAULT_CHOICE else choice.title


def folder_choice(folder: str | Path) -> ModelChoice:
    """A model folder the user chose (a Hugging Face causal-LM folder)."""
    folder = str(Path(folder).expanduser())
    name = Path(folder).name or folder
    return ModelChoice(QtCore.QCoreApplication.translate("ModelChoice", "Folder: {name}").format(name=name), name, folder)


def run_choice(run: runstore.RunInfo) -> ModelChoice | None:
    """The adapter of chat run ``run`` (its ``best/`` folder), or ``None`` when it has none yet."""
    best = run.best_dir
    if best is None:
        return None
    base = run.base_model or "default"
    short = QtCore.QCoreApplication.translate("ModelChoice", "Fine-tuned run {id}").format(id=run.id)
    name = short if base == "default" else QtCore.QCoreApplication.translate(
        "ModelChoice", "Fine-tuned run {id} on {base}").format(id=run.id, base=Path(base).name)
    parts = [name, run.date]
    if run.best_metric is not None:
        parts.append(QtCore.QCoreApplication.translate("ModelChoice", "dev loss {loss}").format(
            loss=f"{run.best_metric:.3f}"))
    if run.status != "finished":
        parts.append(QtCore.QCoreApplication.translate("ModelChoice", STATUS_NAMES.get(run.status, run.status)))
    return ModelChoice(" · ".join(parts), short, base, str(best), run.id)


def run_choices(project: Project) -> list[ModelChoice]:
    """Every chat fine-tuning run of ``project`` with a ``best/`` adapter, newest first."""
    out = []
    for run in runstore.list_runs(project, CHAT_KIND):
        if run.status == "running":
            continue  # its best/ may be rewritten while we load it
        c = run_choice(run)
        if c is not None:
            out.append(c)
    return out


def tagger_runs(project: Project) -> list[runstore.RunInfo]:
    """Tagger runs of ``project`` whose best model exists, newest first."""
    return [r for r in runstore.list_runs(project, TAGGER_KIND) if r.best_dir is not None and r.status != "running"]


class ModelCache:
    """Loaded chat models, one per slot (``"main"``, ``"compare"``); thread-safe.

    A slot asked for a model another slot holds shares that object. Loading a new
    model into a slot drops the slot's old one first, so at most two models are in
    memory.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, tuple[tuple, object]] = {}
        self.quantize: str | None = None  # "int8": models decode with int8 weights (the chat settings' box)

    def set_quantize(self, quantize: str | None) -> None:
        """Decode every loaded and later loaded model with ``quantize`` weights (``"int8"``
        or None); a loaded model rebuilds its decoder at its next reply."""
        with self._lock:
            self.quantize = quantize
            for _key, model in self._slots.values():
                model.quantize = quantize

    def get(self, slot: str, choice: ModelChoice, *, report=None):
        """Return the loaded :class:`engine.chat.model.ChatModel` for ``choice`` in ``slot``,
        loading it (in the calling thread) when no slot holds it.

        Raises:
            engine.chat.model.ChatModelError: the model or adapter cannot be loaded.
        """
        with self._lock:
            for key, model in self._slots.values():
                if key == choice.key:
                    self._slots[slot] = (key, model)
                    return model
            self._slots.pop(slot, None)
        from engine.chat.generate import prepare
        from engine.chat.model import load_chat_model
        from engine.events import ignore

        model = load_chat_model(choice.base, adapter=choice.adapter, report=report or ignore)
        model.quantize = self.quantize
        prepare(model)  # build the fast decoder now, not inside the first reply's time to first token
        with self._lock:
            self._slots[slot] = (choice.key, model)
        return model

    def put(self, slot: str, choice: ModelChoice, model) -> None:
        """Hold the already loaded ``model`` for ``choice`` in ``slot``."""
        with self._lock:
            model.quantize = self.quantize
            self._slots[slot] = (choice.key, model)

    def has(self, choice: ModelChoice) -> bool:
        """Whether ``choice`` is loaded in some slot."""
        with self._lock:
            return any(key == choice.key for key, _ in self._slots.values())

    def forget(self, choice: ModelChoice | None = None) -> None:
        """Drop ``choice`` from every slot (all models when ``None``)."""
        with self._lock:
            for slot, (key, _) in list(self._slots.items()):
                if choice is None or key == choice.key:
                    del self._slots[slot]


#: The application's model cache (shared by every chat pane).
CACHE = ModelCache()
