"""Export a project as a Hugging Face ``datasets``-style Parquet folder.

``export_parquet(project, folder)`` writes::

    folder/
      README.md                              a dataset card: labels, counts per split, source
      data/train-00000-of-00001.parquet      documents of the train split (and those without one)
      data/validation-00000-of-00001.parquet the dev split
      data/test-00000-of-00001.parquet       the test split

one row per ``done`` document (``status=None``: every document) with ``id``, ``text``,
``tokens`` (the words), ``ner_tags`` (one BIO tag id per word; the names are a
``ClassLabel`` in the schema's ``huggingface`` metadata, as ``datasets`` writes it),
``spans`` (character offsets and label names) and, in a project with categories,
``categories`` (names). ``datasets.load_dataset("parquet", data_dir=folder + "/data")``
or pyarrow read it back. The folder is written beside its final place and renamed, so a
failed export leaves nothing half-written.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from engine.errors import TesseraError
from engine.events import CancelToken, Progress, Reporter, ignore
from engine.formats.tags import spans_to_tags
from engine.messages import msg
from engine.store import Project

SPLIT_FILES = {"train": "train", "dev": "validation", "test": "test"}


def _schema(tag_names: list[str], with_categories: bool):
    import pyarrow as pa

    fields = [("id", pa.int64()), ("text", pa.string()), ("tokens", pa.list_(pa.string())),
              ("ner_tags", pa.list_(pa.int64())),
              ("spans", pa.list_(pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string())])))]
    features = {"id": {"dtype": "int64", "_type": "Value"}, "text": {"dtype": "string", "_type": "Value"},
                "tokens": {"feature": {"dtype": "string", "_type": "Value"}, "_type": "Sequence"},
                "ner_tags": {"feature": {"names": tag_names, "_type": "ClassLabel"}, "_type": "Sequence"},
                "spans": {"feature": {"start": {"dtype": "int64", "_type": "Value"},
                                      "end": {"dtype": "int64", "_type": "Value"},
                                      "label": {"dtype": "string", "_type": "Value"}}, "_type": "Sequence"}}
    if with_categories:
        fields.append(("categories", pa.list_(pa.string())))
        features["categories"] = {"feature": {"dtype": "string", "_type": "Value"}, "_type": "Sequence"}
    meta = {b"huggingface": json.dumps({"info": {"features": features}}).encode("utf-8")}
    return pa.schema(fields, metadata=meta)


def export_parquet(project: Project, folder: str | Path, *, status: str | None = "done",
                   report: Reporter = ignore, cancel: CancelToken | None = None) -> dict[str, int]:
    """Write the project's documents (``status``; ``None``: all) as a Parquet dataset
    folder; return the number of documents per split file (``train``/``validation``/``test``).

    Raises:
        TesseraError: pyarrow is missing, or ``folder`` exists and is not empty.
        engine.events.Cancelled: ``cancel`` was set; nothing was written.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise TesseraError(msg("Parquet export needs the pyarrow package: pip install pyarrow")) from None
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise TesseraError(msg("{folder} already exists and is not an empty folder; choose a new folder for the "
                               "dataset.", folder=folder))
    names = {l.id: l.name for l in project.labels()}
    entity_names = [l.name for l in project.labels(kind="entity")]
    tag_names = ["O"] + [f"{p}-{n}" for n in entity_names for p in ("B", "I")]
    tag_id = {t: i for i, t in enumerate(tag_names)}
    with_categories = bool(project.labels(kind="category"))
    cats: dict[int, list[str]] = {}
    for doc_id, label_id in project.conn.execute(
            "SELECT doc_id, label_id FROM doc_categories WHERE source = 'human' ORDER BY doc_id, label_id"):
        cats.setdefault(doc_id, []).append(names[label_id])
    rows: dict[str, list[dict]] = {v: [] for v in SPLIT_FILES.values()}
    total = project.count_documents(status=status)
    for n, (doc, spans) in enumerate(project.iter_documents(status=status), 1):
        if n % 256 == 0:
            if cancel is not None:
                cancel.check()
            report(Progress("Exporting", n, total, "docs"))
        human = [s for s in spans if s.source == "human"]
        tags = spans_to_tags(len(doc.tokens), [(s.token_start, s.token_end, names[s.label_id]) for s in human])
        row = {"id": doc.id, "text": doc.text, "tokens": [doc.text[a:b] for a, b in doc.tokens],
               "ner_tags": [tag_id[t] for t in tags],
               "spans": [{"start": s.start, "end": s.end, "label": names[s.label_id]} for s in human]}
        if with_categories:
            row["categories"] = cats.get(doc.id, [])
        rows[SPLIT_FILES.get(doc.split or "train", "train")].append(row)
    schema = _schema(tag_names, with_categories)
    tmp = folder.with_name(f".{folder.name}.part")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "data").mkdir(parents=True)
    try:
        counts = {}
        for split, items in rows.items():
            if not items:
                continue
            table = pa.Table.from_pylist(items, schema=schema)
            pq.write_table(table, tmp / "data" / f"{split}-00000-of-00001.parquet")
            counts[split] = len(items)
        (tmp / "README.md").write_text(_card(project, counts, entity_names, rows, with_categories), encoding="utf-8")
        if folder.exists():
            folder.rmdir()
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report(Progress("Exporting", total, total, "docs"))
    return counts


def _card(project: Project, counts: dict[str, int], entity_names: list[str], rows: dict[str, list[dict]],
          with_categories: bool) -> str:
    """The dataset card: YAML header (configs, splits) and what a reader needs to know."""
    lines = ["---", "configs:", "- config_name: default", "  data_files:"]
    for split in counts:
        lines += [f"  - split: {split}", f"    path: data/{split}-*.parquet"]
    lines += ["license: other  # fill in the licence of your texts", "---", "",
              f"# {project.path.stem}", "",
              f"Exported from the Tessera project `{project.path.name}`: one row per labeled document.", "",
              "| split | documents | entities |" + (" categorized |" if with_categories else ""),
              "|---|---|---|" + ("---|" if with_categories else "")]
    for split, n in counts.items():
        ents = sum(len(r["spans"]) for r in rows[split])
        cat = f" {sum(1 for r in rows[split] if r.get('categories')):,} |" if with_categories else ""
        lines.append(f"| {split} | {n:,} | {ents:,} |{cat}")
    lines += ["", "Columns: `id` (the document's id in the project), `text`, `tokens` (Tessera's words), "
              "`ner_tags` (one BIO tag per word; names in the features: a `ClassLabel`), `spans` (character "
              "offsets and label)" + (", `categories` (the document's categories)." if with_categories else "."),
              "", "Entity labels: " + (", ".join(f"`{n}`" for n in entity_names) or "none") + ".", "",
              "Licence and source: **fill in** where the texts come from and under which licence they may be shared.",
              ""]
    return "\n".join(lines)
