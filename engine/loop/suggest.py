"""Store a tagger's predictions as suggestions (``spans.source = 'model'``) and its
uncertainty per document, with progress and cancel (the GUI runs this in a thread
with its own connection; ``main.py suggest`` shows a tqdm bar).

Suggestions never overlap a human entity and never come back once rejected on a
document (:meth:`engine.store.Project.replace_suggestions`). They are never gold:
training, statistics and export read only ``source = 'human'`` spans.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.events import CancelToken, Progress, Reporter, ignore
from engine.loop.predict import DEFAULT_STRATEGY, predict_documents
from engine.store import Project

#: Documents predicted per model call batch (and between two progress reports).
BATCH = 16


@dataclass
class SuggestSummary:
    """What :func:`suggest` stored."""

    documents: int = 0
    suggestions: int = 0
    below_min_score: int = 0
    #: model labels the project does not have (their suggestions were left out)
    unknown_labels: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        s = f"Suggested {self.suggestions:,} entities in {self.documents:,} documents"
        if self.below_min_score:
            s += f"; left out {self.below_min_score:,} below the minimum score"
        if self.unknown_labels:
            s += f"; the model's labels {', '.join(sorted(self.unknown_labels))} are not in the project (left out)"
        return s + "."


def run_of_folder(project: Project, folder: str | Path) -> int | None:
    """Return the id of the project's tagger run whose folder holds ``folder`` (its
    ``best/`` or ``last/``), or ``None`` for a model from elsewhere."""
    from engine.ner.runs import run_folder

    target = Path(folder).absolute().resolve()
    for run_id, out in project.conn.execute("SELECT id, output_dir FROM runs WHERE output_dir IS NOT NULL"):
        d = run_folder(project, out)
        if d is not None and d.absolute().resolve() in (target, *target.parents):
            return int(run_id)
    return None


def store_prediction(project: Project, pred, run_id: int | None, labels: dict[str, int], *,
                     min_score: float = 0.0, strategy: str = DEFAULT_STRATEGY,
                     summary: SuggestSummary | None = None) -> int:
    """Store one :class:`engine.loop.predict.DocPrediction` as the document's suggestions
    (those scoring at least ``min_score``, with a label the project has: ``labels`` maps
    names to ids) and its uncertainty (``strategy``); return how many suggestions were
    stored. ``summary``, if given, counts what was left out."""
    items = []
    for start, end, label, score in pred.entities:
        if label not in labels:
            if summary is not None:
                summary.unknown_labels.add(label)
        elif score < min_score:
            if summary is not None:
                summary.below_min_score += 1
        else:
            items.append((start, end, labels[label], score))
    stored = len(project.replace_suggestions(pred.doc_id, run_id, items).spans_added)
    project.set_uncertainty([(pred.doc_id, run_id, pred.uncertainty[strategy])])
    return stored


def usable_tagger_runs(project: Project) -> list[tuple[int, Path, str]]:
    """Return ``(run id, best folder, description)`` of every tagger run with a usable
    ``best/`` model (finished, or stopped with one), newest first. The description reads
    ``Run 3 · dev F1 0.47 · finished 2026-12-05 10:12``."""
    from engine.ner.checkpoint import is_complete
    from engine.ner.runs import run_folder

    out = []
    for run_id, folder, status, f1, finished in project.conn.execute(
            "SELECT id, output_dir, status, best_metric, coalesce(finished, started) FROM runs"
            " WHERE kind = 'ner' AND output_dir IS NOT NULL ORDER BY id DESC"):
        d = run_folder(project, folder)
        if d is not None and is_complete(d / "best"):
            score = f" · dev F1 {f1:.2f}" if f1 is not None else ""
            when = f" · {status} {str(finished)[:16].replace('T', ' ')}" if finished else f" · {status}"
            out.append((int(run_id), d / "best", f"Run {run_id}{score}{when}"))
    return out


def latest_tagger_run(project: Project) -> tuple[int, Path] | None:
    """Return ``(run id, best folder)`` of the newest tagger run with a usable ``best/``
    model, or ``None``."""
    runs = usable_tagger_runs(project)
    return (runs[0][0], runs[0][1]) if runs else None


def suggest(project: Project, tagger, *, run_id: int | None = None, status: str | None = "new",
            doc_ids: list[int] | None = None, min_score: float = 0.0, strategy: str = DEFAULT_STRATEGY,
            report: Reporter = ignore, cancel: CancelToken | None = None) -> SuggestSummary:
    """Predict documents (``doc_ids``, else every document with ``status``; ``None`` =
    all) and store the entities scoring at least ``min_score`` as suggestions from run
    ``run_id``, replacing earlier ones, plus each document's uncertainty (``strategy``,
    see :mod:`engine.loop.predict`) for the queue.
    Each batch of :data:`BATCH` documents is committed as it is done.

    Raises:
        engine.events.Cancelled: ``cancel`` was set (the batches done so far stay).
    """
    if doc_ids is None:
        where, params = project._doc_filter(status=status)
        doc_ids = [r[0] for r in project.conn.execute(f"SELECT id FROM documents {where} ORDER BY id", params)]
    labels = {l.name: l.id for l in project.labels(kind="entity")}
    summary = SuggestSummary()
    total = len(doc_ids)
    report(Progress("Suggesting", 0, total, "documents"))
    for i in range(0, total, BATCH):
        if cancel is not None:
            cancel.check()
        docs = [project.document(d) for d in doc_ids[i:i + BATCH] if project.has_document(d)]
        for pred in predict_documents(tagger, docs):
            summary.suggestions += store_prediction(project, pred, run_id, labels, min_score=min_score,
                                                    strategy=strategy, summary=summary)
        summary.documents += len(docs)
        report(Progress("Suggesting", min(total, i + BATCH), total, "documents"))
    return summary
