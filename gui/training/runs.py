"""Past training runs, read from the project's ``runs`` and ``run_metrics`` tables.

Plain SQL over the public schema (DESIGN.md); no widgets, no torch (QtCore only, to
translate the texts shown). Functions take an open :class:`~engine.store.Project`
belonging to the calling thread.
"""
from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engine.store import Project
from gui.qt import QtCore
from gui.training.live import RunData

#: the Qt translation context of this module's texts
CONTEXT = "TrainingRuns"
DEFAULT_MODEL = "default"
#: the default models' names in the pickers (English; :func:`translated` translates them)
DEFAULT_MODEL_TITLE = QtCore.QT_TRANSLATE_NOOP("TrainingRuns", "Default (all-MiniLM-L6-v2, 22.6M)")
DEFAULT_CHAT_MODEL_TITLE = QtCore.QT_TRANSLATE_NOOP("TrainingRuns", "Default chat model (SmolLM2-135M)")
#: ``runs.kind`` of tagger runs (``engine.ner.train``) and of chat fine-tuning runs
#: (``engine.chat.sft.KIND``; repeated here so listing runs never imports the trainer).
TAGGER, CHAT = "ner", "chat"
#: ``runs.kind`` of document-classifier runs (``engine.textcat.train.KIND``).
TEXTCAT = "textcat"
#: The kinds the panel trains and lists, and how it names them.
KINDS = (TAGGER, TEXTCAT, CHAT)
KIND_TITLES = {TAGGER: QtCore.QT_TRANSLATE_NOOP("TrainingRuns", "Tagger"),
               TEXTCAT: QtCore.QT_TRANSLATE_NOOP("TrainingRuns", "Classifier"),
               CHAT: QtCore.QT_TRANSLATE_NOOP("TrainingRuns", "Chat")}
#: The resumable checkpoint inside a run folder, and the file that makes it resumable
#: (``engine.ner.checkpoint``: ``last/trainer_state.json``).
CHECKPOINT_NAME = "last"
TRAINER_STATE = "trainer_state.json"


def translated(text: str) -> str:
    """``text`` (one of this module's English constants) in the user's language."""
    return QtCore.QCoreApplication.translate(CONTEXT, text)


@dataclass(frozen=True)
class RunInfo:
    """One row of the run history."""

    id: int
    kind: str
    base_model: str | None
    config: dict
    status: str
    output_dir: str | None
    best_metric: float | None
    started: str | None
    finished: str | None
    steps: int

    @property
    def best_dir(self) -> Path | None:
        """``<output_dir>/best`` when it exists (the model to try), else ``None``."""
        if not self.output_dir:
            return None
        p = Path(self.output_dir) / "best"
        return p if p.is_dir() else None

    @property
    def checkpoint_dir(self) -> Path | None:
        """The run's resumable ``last/`` checkpoint (with its trainer state), or ``None``.

        Mirrors ``engine.ner.checkpoint.find_dir``: a ``.last.old-*`` copy left by an
        interrupted swap counts too (the engine is not imported here: it is for workers).
        """
        if not self.output_dir:
            return None
        out = Path(self.output_dir)
        candidates = [out / CHECKPOINT_NAME, *sorted(out.glob(f".{CHECKPOINT_NAME}.old-*"), reverse=True)]
        for p in candidates:
            if (p / TRAINER_STATE).is_file():
                return p
        return None

    @property
    def can_resume(self) -> bool:
        """A stopped, failed or interrupted run that left a checkpoint to continue from
        (``last/``, or else ``best/``: ``engine.ner.runs.resume_point``)."""
        from engine.ner.runs import RESUMABLE  # engine.ner is imported only when used

        return self.status in RESUMABLE and (self.checkpoint_dir is not None or self.best_dir is not None)

    @property
    def model_title(self) -> str:
        """Short name of the base model for lists (folder name for a folder)."""
        return model_title(self.base_model, self.kind)

    @property
    def is_chat(self) -> bool:
        """A chat fine-tuning run (its best model is a LoRA adapter; its metric a dev loss)."""
        return self.kind == CHAT

    @property
    def is_classifier(self) -> bool:
        """A document-classifier run (its metric is the dev macro-F1; it has a confusion matrix)."""
        return self.kind == TEXTCAT

    @property
    def kind_title(self) -> str:
        """``"Tagger"`` or ``"Chat"`` (the kind itself for an unknown kind), translated."""
        return translated(KIND_TITLES[self.kind]) if self.kind in KIND_TITLES else self.kind or "?"

    @property
    def metric_text(self) -> str:
        """The best score, named: ``"F1 0.480"`` (higher is better) or ``"dev loss 1.920"``
        (lower is better); ``"–"`` before the first evaluation."""
        return metric_text(self.kind, self.best_metric)

    @property
    def date(self) -> str:
        """Start time in local time, ``YYYY-MM-DD HH:MM``."""
        return local_time(self.started)


def model_title(base_model: str | None, kind: str = TAGGER) -> str:
    """Short name of a base model for lists: the default model's short name, or the folder name."""
    if not base_model or base_model == DEFAULT_MODEL:
        return (QtCore.QCoreApplication.translate("TrainingRuns", "Default (SmolLM2)") if kind == CHAT else
                QtCore.QCoreApplication.translate("TrainingRuns", "Default (MiniLM)"))
    return Path(base_model).name or base_model


def metric_text(kind: str, value: float | None) -> str:
    """A run's best metric with its name: ``"F1 0.480"`` for a tagger, ``"macro-F1 0.480"``
    for a classifier, ``"dev loss 1.920"`` for a chat run (lower is better there); ``"–"``
    when there is none."""
    if value is None or not math.isfinite(value):
        return "–"
    if kind == CHAT:
        return QtCore.QCoreApplication.translate("TrainingRuns", "dev loss {loss}").format(loss=f"{value:.3f}")
    if kind == TEXTCAT:
        return QtCore.QCoreApplication.translate("TrainingRuns", "macro-F1 {f1}").format(f1=f"{value:.3f}")
    return f"F1 {value:.3f}"


def local_time(stamp: str | None) -> str:
    """An ISO time from the store as local ``YYYY-MM-DD HH:MM`` (the text itself if unparsable)."""
    if not stamp:
        return ""
    try:
        t = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if t.tzinfo is not None:
        t = t.astimezone()
    return t.strftime("%Y-%m-%d %H:%M")


def _config(text: str | None) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


_RUN_SQL = """
SELECT r.id, r.kind, r.base_model, r.config, r.status, r.output_dir, r.best_metric, r.started, r.finished,
       COALESCE((SELECT MAX(step) FROM run_metrics m WHERE m.run_id = r.id), 0)
FROM runs r
"""


def _row(project: Project, r) -> RunInfo:
    from engine.ner.runs import run_folder  # engine.ner is imported only when used

    out = run_folder(project, r[5])
    return RunInfo(r[0], r[1], r[2], _config(r[3]), r[4] or "", str(out) if out else None, r[6], r[7], r[8],
                   int(r[9] or 0))


def list_runs(project: Project, kind: str | tuple[str, ...] = TAGGER) -> list[RunInfo]:
    """All runs of ``kind`` (one kind, or a tuple of kinds such as :data:`KINDS`), newest first.

    Runs left ``running`` by a process that is gone are marked ``interrupted`` first.
    """
    from engine.ner.runs import reap_interrupted  # engine.ner is imported only when used

    reap_interrupted(project)
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    marks = ", ".join("?" * len(kinds))
    rows = project.conn.execute(_RUN_SQL + f" WHERE r.kind IN ({marks}) ORDER BY r.id DESC", kinds).fetchall()
    return [_row(project, r) for r in rows]


def get_run(project: Project, run_id: int) -> RunInfo | None:
    r = project.conn.execute(_RUN_SQL + " WHERE r.id = ?", (run_id,)).fetchone()
    return _row(project, r) if r else None


def max_run_id(project: Project) -> int:
    return project.conn.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()[0]


def run_data(project: Project, run_id: int) -> RunData:
    """Everything ``run_metrics`` holds for the run, as a :class:`RunData`."""
    rows = project.conn.execute(
        "SELECT step, epoch, name, value FROM run_metrics WHERE run_id = ? ORDER BY step, rowid", (run_id,)
    ).fetchall()
    return RunData.from_rows(run_id, rows)


def run_series(project: Project, run_id: int, name: str) -> tuple[list[int], list[float]]:
    """Steps and values of one metric of a run."""
    rows = project.conn.execute(
        "SELECT step, value FROM run_metrics WHERE run_id = ? AND name = ? ORDER BY step, rowid", (run_id, name)
    ).fetchall()
    data = RunData()
    for step, value in rows:
        data.add_metric(name, value, step)
    s = data.get(name)
    return s.steps, s.values


def delete_run(project: Project, run_id: int) -> Path | None:
    """Delete the run and its metrics; delete its folder when it lies in the project's runs folder.

    Returns the folder that was kept because it lies elsewhere (the user chose it), or ``None``.
    """
    run = get_run(project, run_id)
    if run is None:
        return None
    with project.write():
        project.conn.execute("DELETE FROM run_metrics WHERE run_id = ?", (run_id,))
        project.conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))
    if not run.output_dir:
        return None
    out = Path(run.output_dir)
    if not out.exists():
        return None
    if is_inside(out, project.runs_dir):
        shutil.rmtree(out, ignore_errors=True)
        return None
    return out


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies strictly inside ``folder`` (after resolving links)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return path.resolve() != folder.resolve()


@dataclass(frozen=True)
class DataSummary:
    """What a new run would train on: the project's ``done`` documents."""

    documents: int
    entities: int
    by_split: dict  # "train"/"dev"/"test"/None -> documents
    entities_by_split: dict = None  # "train"/"dev"/"test"/None -> entities


def data_summary(project: Project) -> DataSummary:
    """Count the finished documents (by split) and their entities."""
    by_split = {s: n for s, n in project.conn.execute(
        f"SELECT split, COUNT(*) FROM documents WHERE status = 'done' AND {project.visible()} GROUP BY split")}
    ents = {s: n for s, n in project.conn.execute(
        "SELECT d.split, COUNT(*) FROM spans s JOIN documents d ON d.id = s.doc_id "
        "WHERE d.status = 'done' AND s.source = 'human' GROUP BY d.split")}
    return DataSummary(sum(by_split.values()), sum(ents.values()), by_split, ents)


def join_sentences(*parts: str) -> str:
    """Join sentences with a space (none after a full-width stop: Chinese needs none)."""
    text = ""
    for part in parts:
        if part:
            text += part if not text or text.endswith(("。", "！", "？", "）", "：")) else " " + part
    return text


def _describe_splits(by_split: dict, entities: dict | None = None) -> list[str]:
    """``["Held out for scoring: 12 dev (9 entities: under 50, scores will be rough), 3 test.",
    "40 without a split will be split automatically."]`` (each part only when it applies)."""
    from engine.scores import DEV_TARGET

    entities = entities or {}
    dev = test = ""
    if by_split.get("dev"):
        n = f"{by_split['dev']:,}"
        if "dev" not in entities:
            dev = QtCore.QCoreApplication.translate("TrainingRuns", "{n} dev").format(n=n)
        elif entities["dev"] < DEV_TARGET:
            dev = QtCore.QCoreApplication.translate(
                "TrainingRuns", "{n} dev ({entities} entities: under {target}, scores will be rough)").format(
                n=n, entities=f"{entities['dev']:,}", target=DEV_TARGET)
        else:
            dev = QtCore.QCoreApplication.translate("TrainingRuns", "{n} dev ({entities} entities)").format(
                n=n, entities=f"{entities['dev']:,}")
    if by_split.get("test"):
        test = QtCore.QCoreApplication.translate("TrainingRuns", "{n} test").format(n=f"{by_split['test']:,}")
    held = QtCore.QCoreApplication.translate("TrainingRuns", "{dev}, {test}").format(dev=dev, test=test) \
        if dev and test else dev or test
    out = [QtCore.QCoreApplication.translate("TrainingRuns", "Held out for scoring: {splits}.").format(splits=held)
           if held else ""]
    if by_split.get(None):
        out.append(QtCore.QCoreApplication.translate(
            "TrainingRuns", "{n} without a split will be split automatically.").format(n=f"{by_split[None]:,}"))
    return out


def describe_data(summary: DataSummary) -> str:
    """One or two plain sentences about :func:`data_summary`."""
    n = summary.documents
    if n == 0:
        return QtCore.QCoreApplication.translate(
            "TrainingRuns", "No finished documents yet. Training learns from documents marked done "
                            "(Done && next, Ctrl+Enter).").replace("&&", "&")
    text = (QtCore.QCoreApplication.translate("TrainingRuns", "1 finished document with {entities} entities.")
            if n == 1 else
            QtCore.QCoreApplication.translate("TrainingRuns", "{n} finished documents with {entities} entities.")
            ).format(n=f"{n:,}", entities=f"{summary.entities:,}")
    return join_sentences(text, *_describe_splits(summary.by_split, summary.entities_by_split))


@dataclass(frozen=True)
class CategoryDataSummary:
    """What a new document classifier would learn from: finished documents with a category."""

    documents: int
    categories: int  # categories given to finished documents
    by_split: dict  # "train"/"dev"/"test"/None -> documents


def category_data_summary(project: Project) -> CategoryDataSummary:
    """Count the finished documents that have a category (by split) and the categories used."""
    rows = project.conn.execute(
        "SELECT d.split, COUNT(DISTINCT d.id), COUNT(DISTINCT c.label_id) FROM documents d JOIN doc_categories c"
        f" ON c.doc_id = d.id AND c.source = 'human' WHERE d.status = 'done' AND {project.visible('d')}"
        " GROUP BY d.split").fetchall()
    used = project.conn.execute(
        "SELECT COUNT(DISTINCT c.label_id) FROM doc_categories c JOIN documents d ON d.id = c.doc_id"
        " WHERE d.status = 'done' AND c.source = 'human'").fetchone()[0]
    by_split = {s: n for s, n, _ in rows}
    return CategoryDataSummary(sum(by_split.values()), used, by_split)


#: What to do when no finished document has a category (the Start button is off then).
NO_CATEGORIES = QtCore.QT_TRANSLATE_NOOP(
    "TrainingRuns", "No finished document has a category yet. Give documents their category (the chips above "
                    "the text, or their keys), mark them done, then train; or import a CSV with a label column.")


def describe_category_data(summary: CategoryDataSummary) -> str:
    """One or two plain sentences about :func:`category_data_summary`."""
    n = summary.documents
    if n == 0:
        return translated(NO_CATEGORIES)
    c = summary.categories
    if n == 1:
        text = (QtCore.QCoreApplication.translate("TrainingRuns", "1 finished document in 1 category.") if c == 1
                else QtCore.QCoreApplication.translate("TrainingRuns", "1 finished document in {c} categories."))
    else:
        text = (QtCore.QCoreApplication.translate("TrainingRuns", "{n} finished documents in 1 category.") if c == 1
                else QtCore.QCoreApplication.translate("TrainingRuns", "{n} finished documents in {c} categories."))
    text = text.format(n=f"{n:,}", c=f"{c:,}")
    return join_sentences(text, *_describe_splits(summary.by_split))


@dataclass(frozen=True)
class ChatDataSummary:
    """What a new chat fine-tune would learn from: the project's chat examples."""

    examples: int
    by_split: dict  # "train"/"dev"/"test"/None -> examples


def chat_data_summary(project: Project) -> ChatDataSummary:
    """Count the project's chat examples, by split (``engine.chat.examples``, no torch)."""
    from engine.chat.examples import split_counts

    by_split = split_counts(project)
    return ChatDataSummary(sum(by_split.values()), by_split)


#: What to do when the project has no chat examples (the Start button is off then).
NO_CHAT_EXAMPLES = QtCore.QT_TRANSLATE_NOOP(
    "TrainingRuns", "No chat examples yet. Import chat examples (File ▸ Import chat examples) "
                    "or save replies from the chat pane (Save as training example).")


def describe_chat_data(summary: ChatDataSummary) -> str:
    """One or two plain sentences about :func:`chat_data_summary`."""
    n = summary.examples
    if n == 0:
        return translated(NO_CHAT_EXAMPLES)
    text = (QtCore.QCoreApplication.translate("TrainingRuns", "1 chat example.") if n == 1 else
            QtCore.QCoreApplication.translate("TrainingRuns", "{n} chat examples.").format(n=f"{n:,}"))
    return join_sentences(text, *_describe_splits(summary.by_split))
