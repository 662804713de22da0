"""Classify the texts of a file, and score a classifier against a gold file.

``predict``: CSV/TSV (the text column found as an import finds it), JSONL (``"text"``)
or plain text (one document per line) in; the same rows out with the predicted
``label`` and its ``score`` (``predicted_label``/``predicted_score`` when the input
already has those names; several categories are joined with ``|``). The output format
follows the output file's extension (CSV in, CSV out by default), written to a temp
file and renamed.

``evaluate``: the gold file is read by the project importer (every format and column
detection it knows: CSV label column, Prodigy textcat, doccano, ...) into a scratch
project, so bad input gives the same ``file:line: what is wrong`` messages.
"""
from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np

from engine.errors import FormatError, TesseraError
from engine.events import CancelToken, Progress, Reporter, ignore
from engine.formats.base import atomic_text_file, iter_lines
from engine.messages import msg

BATCH = 256


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".tab"):
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return "text"


def _read_rows(path: Path) -> tuple[str, list[str], Iterator[tuple[int, dict]], str, str]:
    """Return ``(kind, columns, rows, text key, delimiter)``: rows as ``(line, record)``."""
    kind = _kind(path)
    if kind == "csv":
        from engine.formats.csvfmt import guess_text_column, sniff

        delimiter, names, _first = sniff(path)
        text_key = guess_text_column(names) or names[0]

        def rows():
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh, delimiter=delimiter)
                header = None
                for row in reader:
                    if not row or not any(c.strip() for c in row):
                        continue
                    if header is None:
                        header = row
                        continue
                    yield reader.line_num, dict(zip(names, row + [""] * (len(names) - len(row))))
        return kind, names, rows(), text_key, delimiter

    if kind == "jsonl":
        def rows():
            for n, line in iter_lines(str(path)):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    raise FormatError(str(path), n, msg('this line is not valid JSON; each line must be an object '
                                                        'such as {{"text": "..."}}.')) from None
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise FormatError(str(path), n, msg('each line needs a "text" field holding the document text.'))
                yield n, obj
        return kind, [], rows(), "text", ","

    def rows():
        for n, line in iter_lines(str(path)):
            if line.strip():
                yield n, {"text": line.rstrip("\r\n")}
    return kind, ["text"], rows(), "text", "\t"


def predict_file(model_dir: str | Path, input_path: str | Path, output_path: str | Path, *,
                 report: Reporter = ignore, cancel: CancelToken | None = None) -> int:
    """Classify every document of ``input_path``; write them with their categories to
    ``output_path``; return how many.

    Raises:
        ModelSourceError: ``model_dir`` is not a classifier folder.
        FormatError: the input is malformed.
        engine.events.Cancelled: ``cancel`` was set; nothing was written.
    """
    from engine.textcat.predict import load_classifier

    clf = load_classifier(model_dir)
    input_path, output_path = Path(input_path), Path(output_path)
    kind, names, rows, text_key, delimiter = _read_rows(input_path)
    out_kind = _kind(output_path) if output_path.suffix else kind
    if out_kind == "text":
        out_kind = kind if kind != "text" else "csv"
    taken = set(names)
    label_key, score_key = ("label", "score") if not ({"label", "score"} & taken) else \
        ("predicted_label", "predicted_score")
    count = 0
    with atomic_text_file(output_path) as fh:
        writer = None
        batch: list[dict] = []

        def flush() -> None:
            nonlocal writer
            preds = clf.predict([r[text_key] for r in batch])
            for rec, found in zip(batch, preds):
                rec[label_key] = "|".join(n for n, _ in found)
                rec[score_key] = "|".join(f"{p:.4f}" for _, p in found) if out_kind == "csv" else \
                    (round(found[0][1], 4) if len(found) == 1 else [round(p, 4) for _, p in found])
                if out_kind == "csv":
                    if writer is None:
                        cols = names or list(rec)
                        writer = csv.DictWriter(fh, fieldnames=[c for c in cols if c not in (label_key, score_key)]
                                                + [label_key, score_key], delimiter=delimiter
                                                if output_path.suffix.lower() != ".csv" or kind == "csv" else ",",
                                                extrasaction="ignore", lineterminator="\n")
                        writer.writeheader()
                    writer.writerow({k: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                                     for k, v in rec.items()})
                else:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            batch.clear()

        for _line, rec in rows:
            batch.append(rec)
            count += 1
            if len(batch) >= BATCH:
                if cancel is not None:
                    cancel.check()
                flush()
                report(Progress("Classifying", count, 0, "docs"))
        if batch:
            flush()
    report(Progress("Classifying", count, count, "docs"))
    return count


def gold_categories(gold_path: str | Path, **options) -> list[tuple[str, list[str]]]:
    """Return ``(text, categories)`` of each categorized document of a gold file, read by
    the project importer (``options`` go to it, e.g. ``label_column``).

    Raises:
        FormatError: the file is malformed.
        TesseraError: it holds no categorized document.
    """
    from engine.importer import import_file
    from engine.store import Project

    with tempfile.TemporaryDirectory() as tmp:
        with Project.create(Path(tmp) / "gold.tessera") as p:
            import_file(p, gold_path, backup=False, **options)
            cats: dict[int, list[str]] = {}
            for doc_id, name in p.conn.execute(
                    "SELECT c.doc_id, l.name FROM doc_categories c JOIN labels l ON l.id = c.label_id"
                    " WHERE c.source = 'human' ORDER BY c.doc_id, l.id"):
                cats.setdefault(doc_id, []).append(name)
            out = [(text, cats[i]) for i, text in p.conn.execute("SELECT id, text FROM documents ORDER BY id")
                   if i in cats]
    if not out:
        raise TesseraError(msg("{path} has no document with a category, so there is nothing to score. "
                               "It needs a text and a label (a label/category/intent/class column in CSV).",
                               path=gold_path))
    return out


def evaluate_file(model_dir: str | Path, gold_path: str | Path, *, report: Reporter = ignore, **options) -> dict:
    """Score the classifier in ``model_dir`` on ``gold_path``; return
    :mod:`engine.textcat.metrics` scores plus ``documents``. Gold categories the model
    does not know count as missed.

    Raises:
        ModelSourceError, FormatError, TesseraError: see :func:`gold_categories`.
    """
    from engine.textcat.predict import load_classifier
    from engine.textcat.train import score_probabilities

    clf = load_classifier(model_dir)
    gold = gold_categories(gold_path, **options)
    names = list(clf.names)
    for _text, cats in gold:
        names += [c for c in cats if c not in names]
    index = {n: i for i, n in enumerate(names)}
    probs = np.zeros((len(gold), len(names)), dtype=np.float32)
    for a in range(0, len(gold), BATCH):
        probs[a:a + BATCH, :len(clf.names)] = clf.probabilities([t for t, _ in gold[a:a + BATCH]])
        report(Progress("Evaluating", min(a + BATCH, len(gold)), len(gold), "docs"))
    labels = [tuple(index[c] for c in cats) for _t, cats in gold]
    scores = score_probabilities(probs, labels if clf.multi else [x[:1] for x in labels], names, clf.multi,
                                 threshold=clf.threshold if clf.multi else None)
    scores["documents"] = len(gold)
    return scores


def format_report(scores: dict, *, top: int = 10) -> str:
    """Return a plain-text table: accuracy and macro-F1 with intervals, per-category
    P/R/F1/support, and the most frequent confusions."""
    from engine.textcat.metrics import top_confusions

    lo, hi = scores["accuracy_ci"]
    flo, fhi = scores["f1_ci"]
    lines = [f"accuracy {scores['accuracy']:.3f} (95% interval {lo:.3f}-{hi:.3f}); macro-F1 {scores['f1']:.3f} "
             f"({flo:.3f}-{fhi:.3f}); {scores['docs']:,} documents",
             f"{'category':<40} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}"]
    for name, row in scores["per_label"].items():
        if row["support"] or row["precision"]:
            lines.append(f"{name[:40]:<40} {row['precision']:>9.3f} {row['recall']:>9.3f} {row['f1']:>9.3f} "
                         f"{row['support']:>8}")
    if scores.get("confusion"):
        worst = top_confusions(scores["confusion"], list(scores["per_label"]), top)
        if worst:
            lines.append("most frequent confusions (gold -> predicted: count):")
            lines += [f"  {g} -> {p}: {c}" for g, p, c in worst]
    return "\n".join(lines)
