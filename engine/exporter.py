"""Export a project (or the documents with one status) to a file.

The file is written to a temporary name in the same folder and renamed when
complete, so a cancelled or failed export never leaves a half-written file.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from engine import formats
from engine.errors import TesseraError
from engine.events import CancelToken, Progress, Reporter, ignore
from engine.formats.base import Doc, Entity, Feedback, atomic_text_file
from engine.messages import msg
from engine.store import Project

_SUFFIX_FORMAT = {".conll": "conll", ".jsonl": "jsonl", ".json": "labelstudio", ".txt": "text", ".csv": "csv", ".tsv": "csv"}


def format_for_path(path: str | Path) -> str:
    """Return the export format implied by the file extension.

    Raises:
        TesseraError: the extension does not name a format.
    """
    fmt = _SUFFIX_FORMAT.get(Path(path).suffix.lower())
    if fmt is None:
        raise TesseraError(msg(
            "{path}: cannot tell which format to write from the extension. "
            "Choose one with --format ({choices}).", path=path, choices=", ".join(formats.FORMATS)
        ))
    return fmt


def default_docstart(project: Project) -> bool:
    """Return whether a CoNLL export writes ``-DOCSTART-`` lines by default: when some
    document has several sentences (otherwise each sentence is its own document)."""
    return project.conn.execute(
        f"SELECT 1 FROM documents WHERE json_array_length(sentences) > 1 AND {project.visible()} LIMIT 1"
    ).fetchone() is not None


def import_origins(project: Project) -> dict[int, dict]:
    """Return ``{import id: origin}``: what each import learned about its file (scheme,
    columns, Label Studio names, CSV column and delimiter)."""
    return {imp["id"]: imp["origin"] for imp in project.imports()}


def common_columns(project: Project, status: str | None, origins: dict[int, dict]) -> list[str] | None:
    """The CoNLL column roles shared by every exported document's import, when they have
    columns beyond token and tag (otherwise ``None``: write token and tag)."""
    where = f"WHERE {project.visible()}" + (" AND status = ?" if status else "")
    ids = [r[0] for r in project.conn.execute(f"SELECT DISTINCT import_id FROM documents {where}", [status] if status else [])]
    layouts = {json.dumps((origins.get(i) or {}).get("columns")) if i is not None else "null" for i in ids}
    if len(layouts) != 1:
        return None
    columns = json.loads(layouts.pop())
    return columns if columns and len(columns) > 2 else None


def project_docs(project: Project, *, status: str | None = None, cancel: CancelToken | None = None,
                 report: Reporter = ignore, total: int = 0, origins: dict[int, dict] | None = None,
                 predictions: bool = False) -> Iterator[Doc]:
    """Yield the project's documents as :class:`Doc` records with label names, in id order,
    each with its rejected/ignored spans (``feedback``) and its import's ``origin``; with
    ``predictions``, also its model suggestions (never as entities)."""
    names = {l.id: l.name for l in project.labels()}
    origins = import_origins(project) if origins is None else origins
    feedback_of = project.feedback_by_document()
    categories_of: dict[int, list[str]] = {}
    for doc_id, name in project.conn.execute(
            "SELECT c.doc_id, l.name FROM doc_categories c JOIN labels l ON l.id = c.label_id WHERE c.source = 'human'"
            " ORDER BY c.doc_id, l.id"):
        categories_of.setdefault(doc_id, []).append(name)
    for n, (doc, spans) in enumerate(project.iter_documents(status=status), 1):
        if n % 256 == 0:
            if cancel is not None:
                cancel.check()
            report(Progress("Exporting", n, total, "docs"))
        feedback = [Feedback(f.start, f.end, names[f.label_id], f.answer) for f in feedback_of.get(doc.id, ())]
        yield Doc(
            text=doc.text,
            spans=[Entity(s.start, s.end, names[s.label_id]) for s in spans if s.source == "human"],
            tokens=doc.tokens,
            sentences=doc.sentences,
            meta=doc.meta,
            status=doc.status,
            feedback=feedback,
            origin=origins.get(doc.import_id) if doc.import_id is not None else None,
            categories=categories_of.get(doc.id, []),
            predictions=[(s.start, s.end, names[s.label_id], s.score, s.run_id) for s in spans
                         if s.source == "model"] if predictions else [],
        )


def export_file(
    project: Project,
    path: str | Path,
    fmt: str = "auto",
    *,
    status: str | None = None,
    predictions: bool = False,
    report: Reporter = ignore,
    cancel: CancelToken | None = None,
    **options,
) -> int:
    """Write the project's documents (only ``status`` ones if given) to ``path``; return how many.

    ``predictions``: also write the model suggestions, with their scores: as Label
    Studio ``predictions`` (labelstudio) or as unanswered Prodigy ``ner.teach``
    questions after each document (jsonl, Prodigy style); never as entities. Other
    formats have no place for them: :class:`TesseraError`.

    ``options`` go to the format writer: ``scheme`` (conll: bio, iob1, iobes, bmes;
    default: the scheme each document was imported with, else bio), ``docstart``
    (conll; default: when a document has several sentences), ``columns`` (conll: the
    column roles of the file the documents came from, when they all came from files
    with the same extra columns),
    ``style`` (jsonl: prodigy, doccano or spacy), ``mode`` (text: line or paragraph).

    Raises:
        TesseraError: unknown format, or the folder cannot be written.
        engine.events.Cancelled: ``cancel`` was set; no file was written.
    """
    path = Path(path)
    fmt = format_for_path(path) if fmt in (None, "auto") else fmt
    writer = formats.module(fmt).write
    if predictions and not (fmt == "labelstudio" or (fmt == "jsonl" and (options.get("style") or "prodigy") == "prodigy")):
        raise TesseraError(msg("Only Label Studio JSON and Prodigy JSONL have a place for the model's suggestions; "
                               "choose one of them, or export without suggestions."))
    origins = import_origins(project)
    if fmt == "conll" and options.get("docstart") is None:
        options["docstart"] = default_docstart(project)
    if fmt == "conll" and options.get("columns") is None:
        options["columns"] = common_columns(project, status, origins)
    if fmt == "csv" and options.get("label_column") is None and project.labels(kind="category"):
        names = {o.get("label_column") for o in origins.values() if o.get("label_column")}
        options["label_column"] = names.pop() if len(names) == 1 else "category"
    if fmt == "jsonl" and options.get("style") == "spacy":
        options["category_names"] = [l.name for l in project.labels(kind="category")]
    if fmt == "csv" and path.suffix.lower() in (".tsv", ".tab") and options.get("delimiter") is None:
        options["delimiter"] = "\t"
    options, _ = formats.split_options(writer, options)
    total = project.count_documents(status=status)
    with atomic_text_file(path) as fh:
        docs = project_docs(project, status=status, cancel=cancel, report=report, total=total, origins=origins,
                            predictions=predictions)
        n = writer(docs, fh, **options)
    report(Progress("Exporting", total, total, "docs"))
    return n
