"""Store a model's predictions as suggestions and its uncertainty per document, with
progress and cancel (the GUI runs this in a thread with its own connection; ``main.py
suggest`` shows a tqdm bar).

A tagger suggests entities (``spans.source = 'model'``): they never overlap a human
entity and never come back once rejected on a document
(:meth:`engine.store.Project.replace_suggestions`). A document classifier suggests
categories (``doc_categories.source = 'model'``: its top category, or with several
per document those at or above its threshold), never one the document has already;
its uncertainty is 1 minus the gap between its two likeliest categories (least margin,
as for the tagger). Suggestions are never gold: training, statistics and export read
only what a person made or accepted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.events import CancelToken, Progress, Reporter, ignore
from engine.loop.predict import DEFAULT_STRATEGY, predict_documents
from engine.messages import Message, msg
from engine.store import Project

#: Documents predicted per model call batch (and between two progress reports).
BATCH = 16


@dataclass
class SuggestSummary:
    """What :func:`suggest` stored."""

    documents: int = 0
    suggestions: int = 0
    below_min_score: int = 0
    what: str = "entities"  # or "categories" (a classifier's suggestions)
    #: model labels the project does not have (their suggestions were left out)
    unknown_labels: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        s = f"Suggested {self.suggestions:,} {self.what} in {self.documents:,} documents"
        if self.below_min_score:
            s += f"; left out {self.below_min_score:,} below the minimum score"
        if self.unknown_labels:
            s += (f"; the model's {'categories' if self.what == 'categories' else 'labels'} "
                  f"{', '.join(sorted(self.unknown_labels))} are not in the project (left out)")
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


def _kept(label: str, score: float, labels: dict[str, int], min_score: float, summary: SuggestSummary | None) -> bool:
    """Whether a suggestion is stored: its label is the project's and it scores at least
    ``min_score``; what is left out is counted in ``summary``."""
    if label not in labels:
        if summary is not None:
            summary.unknown_labels.add(label)
        return False
    if score < min_score:
        if summary is not None:
            summary.below_min_score += 1
        return False
    return True


def store_prediction(project: Project, pred, run_id: int | None, labels: dict[str, int], *,
                     min_score: float = 0.0, strategy: str = DEFAULT_STRATEGY,
                     summary: SuggestSummary | None = None) -> tuple[int, float]:
    """Store one :class:`engine.loop.predict.DocPrediction` as the document's suggestions
    (those scoring at least ``min_score``, with a label the project has: ``labels`` maps
    names to ids); return ``(how many were stored, the document's uncertainty)``
    (``strategy``; the caller stores it with :meth:`Project.set_uncertainty`, a batch at
    a time). ``summary``, if given, counts what was left out."""
    items = [(start, end, labels[label], score) for start, end, label, score in pred.entities
             if _kept(label, score, labels, min_score, summary)]
    stored = len(project.replace_suggestions(pred.doc_id, run_id, items).spans_added)
    return stored, pred.uncertainty[strategy]


def usable_tagger_runs(project: Project, kinds: tuple[str, ...] = ("ner",)) -> list[tuple[int, Path, str]]:
    """Return ``(run id, best folder, description)`` of every run of ``kinds`` (taggers
    by default; ``"textcat"``: document classifiers) with a usable ``best/`` model
    (finished, or stopped with one), newest first. The description reads ``Run 3 · dev
    F1 0.47 · finished 2026-12-05 10:12`` (``Run 4 · classifier · dev macro-F1 0.71 · ...``)."""
    from engine.ner.checkpoint import is_complete
    from engine.ner.runs import run_folder

    out = []
    marks = ",".join("?" * len(kinds))
    for run_id, kind, folder, status, f1, finished in project.conn.execute(
            "SELECT id, kind, output_dir, status, best_metric, coalesce(finished, started) FROM runs"
            f" WHERE kind IN ({marks}) AND output_dir IS NOT NULL ORDER BY id DESC", kinds):
        d = run_folder(project, folder)
        if d is not None and is_complete(d / "best"):
            out.append((int(run_id), d / "best", _run_description(run_id, kind, status, f1, finished)))
    return out


def _run_description(run_id: int, kind: str, status: str, f1: float | None, finished) -> Message:
    """``Run 3 · dev F1 0.47 · finished 2026-12-05 10:12`` as a translatable message."""
    text = msg("Run {run}", run=run_id)
    if kind == "textcat":
        text = msg("{before} · classifier", before=text)
    if f1 is not None:
        name = msg("dev macro-F1") if kind == "textcat" else msg("dev F1")
        text = msg("{before} · {name} {score}", before=text, name=name, score=f"{f1:.2f}")
    status_text = _STATUS.get(status, status)
    if finished:
        return msg("{before} · {status} {time}", before=text, status=status_text,
                   time=str(finished)[:16].replace("T", " "))
    return msg("{before} · {status}", before=text, status=status_text)


#: run statuses as the description words them
_STATUS = {"finished": msg("finished"), "cancelled": msg("cancelled"), "failed": msg("failed"),
           "running": msg("running"), "interrupted": msg("interrupted")}


def usable_model_runs(project: Project) -> list[tuple[int, Path, str]]:
    """:func:`usable_tagger_runs` of taggers and document classifiers, newest first."""
    return usable_tagger_runs(project, ("ner", "textcat"))


def latest_model_run(project: Project) -> tuple[int, Path, str] | None:
    """The run to suggest with when a project opens: the newest tagger when the project
    has entity labels, else the newest classifier; ``None`` when there is none."""
    kinds = ("ner",) if project.labels(kind="entity") or not project.labels(kind="category") else ("textcat",)
    runs = usable_tagger_runs(project, kinds)
    return runs[0] if runs else None


def load_model(folder: str | Path):
    """Load a model folder for suggestions: a :class:`~engine.textcat.predict.Classifier`
    for a sequence-classification folder, else a :class:`~engine.ner.predict.Tagger`.

    Raises:
        ModelSourceError: not a usable model folder.
    """
    from engine.textcat.predict import is_classifier_folder, load_classifier

    if is_classifier_folder(folder):
        return load_classifier(folder)
    from engine.ner.predict import load_tagger

    return load_tagger(folder)


def is_classifier(model) -> bool:
    """Whether ``model`` (from :func:`load_model`) suggests categories rather than entities."""
    return hasattr(model, "names") and hasattr(model, "probabilities")


def store_category_prediction(project: Project, doc_id: int, probs, names: list[str], run_id: int | None,
                              labels: dict[str, int], *, multi: bool, threshold: float = 0.5,
                              min_score: float = 0.0, summary: SuggestSummary | None = None) -> tuple[int, float]:
    """Store a classifier's probabilities for one document (``probs``: one per name in
    ``names``) as its suggested categories; return ``(how many were stored, its
    uncertainty)`` (least margin; the caller stores it, as for :func:`store_prediction`)."""
    import numpy as np

    order = np.argsort(-probs, kind="stable")
    picked = [int(k) for k in order if probs[k] >= threshold] if multi else [int(order[0])]
    items = [(labels[names[k]], float(probs[k])) for k in picked
             if _kept(names[k], float(probs[k]), labels, min_score, summary)]
    stored = len(project.replace_category_suggestions(doc_id, items).categories_added)
    gap = float(probs[order[0]] - (probs[order[1]] if len(order) > 1 else 0.0))
    return stored, 1.0 - gap


def suggest_one(project: Project, model, doc_id: int, run_id: int | None) -> int:
    """Predict one document with a tagger or a classifier (:func:`load_model`) and store
    its suggestions and uncertainty; return how many suggestions were stored (0 for a
    document deleted meanwhile)."""
    if not project.has_document(doc_id):
        return 0
    if is_classifier(model):
        labels = {l.name: l.id for l in project.labels(kind="category")}
        probs = model.probabilities([project.document(doc_id).text])[0]
        stored, u = store_category_prediction(project, doc_id, probs, model.names, run_id, labels,
                                              multi=model.multi, threshold=model.threshold)
    else:
        labels = {l.name: l.id for l in project.labels(kind="entity")}
        pred = predict_documents(model, [project.document(doc_id)])[0]
        stored, u = store_prediction(project, pred, run_id, labels)
    project.set_uncertainty([(doc_id, run_id, u)])
    return stored


def latest_tagger_run(project: Project) -> tuple[int, Path] | None:
    """Return ``(run id, best folder)`` of the newest tagger run with a usable ``best/``
    model, or ``None``."""
    runs = usable_tagger_runs(project)
    return (runs[0][0], runs[0][1]) if runs else None


def suggest(project: Project, tagger, *, run_id: int | None = None, status: str | None = "new",
            doc_ids: list[int] | None = None, min_score: float = 0.0, strategy: str = DEFAULT_STRATEGY,
            report: Reporter = ignore, cancel: CancelToken | None = None) -> SuggestSummary:
    """Predict documents (``doc_ids``, else every document with ``status``; ``None`` =
    all) with ``tagger`` (or a document classifier: categories instead of entities) and
    store what scores at least ``min_score`` as suggestions from run ``run_id``,
    replacing earlier ones, plus each document's uncertainty (``strategy``, see
    :mod:`engine.loop.predict`; a classifier's is always least margin) for the queue.
    Each batch of :data:`BATCH` documents is committed as it is done.

    Raises:
        engine.events.Cancelled: ``cancel`` was set (the batches done so far stay).
    """
    if doc_ids is None:
        where, params = project._doc_filter(status=status)
        doc_ids = [r[0] for r in project.conn.execute(f"SELECT id FROM documents {where} ORDER BY id", params)]
    classifier = is_classifier(tagger)
    labels = {l.name: l.id for l in project.labels(kind="category" if classifier else "entity")}
    summary = SuggestSummary(what="categories" if classifier else "entities")
    total = len(doc_ids)
    report(Progress("Suggesting", 0, total, "documents"))
    for i in range(0, total, BATCH):
        if cancel is not None:
            cancel.check()
        docs = [project.document(d) for d in doc_ids[i:i + BATCH] if project.has_document(d)]
        scored = []  # (doc id, stored, uncertainty)
        if classifier:
            probs = tagger.probabilities([d.text for d in docs]) if docs else []
            for doc, row in zip(docs, probs):
                scored.append((doc.id, *store_category_prediction(
                    project, doc.id, row, tagger.names, run_id, labels, multi=tagger.multi,
                    threshold=tagger.threshold, min_score=min_score, summary=summary)))
        else:
            for pred in predict_documents(tagger, docs):
                scored.append((pred.doc_id, *store_prediction(project, pred, run_id, labels, min_score=min_score,
                                                              strategy=strategy, summary=summary)))
        project.set_uncertainty([(d, run_id, u) for d, _n, u in scored])  # one write per batch
        summary.suggestions += sum(n for _d, n, _u in scored)
        summary.documents += len(docs)
        report(Progress("Suggesting", min(total, i + BATCH), total, "documents"))
    return summary
