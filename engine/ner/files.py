"""Tag a file with a trained model, and score a model against a gold CoNLL file.

Both stream their input through the format readers of :mod:`engine.formats`, so a
bad input file gives the same ``path:line: what is wrong`` messages as an import.
"""
from __future__ import annotations

import bisect
from pathlib import Path
from typing import Iterator

from engine import formats
from engine.events import CancelToken, Progress, Reporter, ignore
from engine.formats.base import Doc, Entity, atomic_text_file, iter_line_blocks
from engine.formats.tags import tags_to_spans

BATCH_DOCS = 64


def _count_docs(path: Path) -> int:
    """Return a quick estimate of how many documents a file holds (for the progress bar)."""
    blank = lines = 0
    for block in iter_line_blocks(path):
        lines += len(block.lines)
        blank += sum(1 for line in block.lines if not line.strip())
    return blank or lines


def _tag_docs(tagger, docs: list[Doc]) -> list[Doc]:
    """Return ``docs`` with their spans replaced by the model's (tokens kept as given)."""
    out = []
    for doc in docs:
        if doc.tokens is None:
            ents = [Entity(s, e, label) for s, e, label, _ in tagger.tag_text(doc.text)]
            out.append(Doc(doc.text, ents, None, None, doc.line, doc.meta, doc.status))
            continue
        sentences = doc.sentences or [(0, len(doc.tokens))]
        words = [[doc.text[s:e] for s, e in doc.tokens[a:b]] for a, b in sentences]
        ents = []
        for (a, _), tags in zip(sentences, tagger.tag_tokens(words)):
            for first, last, label in tags_to_spans(tags):
                ents.append(Entity(doc.tokens[a + first][0], doc.tokens[a + last - 1][1], label))
        out.append(Doc(doc.text, ents, doc.tokens, doc.sentences, doc.line, doc.meta, doc.status))
    return out


def predict_file(model_dir: str | Path, input_path: str | Path, output_path: str | Path, fmt: str = "auto", *,
                 report: Reporter = ignore, cancel: CancelToken | None = None) -> int:
    """Tag every document of ``input_path`` and write them to ``output_path``; return how many.

    ``fmt`` is the format of both files (``auto``: from the input's name and
    content). CoNLL tokens and sentences are kept exactly as given; JSONL and text
    documents are tokenized by Tessera's tokenizer. The output is written to a temp
    file and renamed, so a failure leaves no half-written file.

    Raises:
        ModelSourceError: ``model_dir`` is not a usable model folder.
        FormatError: the input is malformed.
        engine.events.Cancelled: ``cancel`` was set; nothing was written.
    """
    from engine.ner.predict import load_tagger

    input_path, output_path = Path(input_path), Path(output_path)
    fmt = formats.detect_format(input_path) if fmt in (None, "auto") else fmt
    module = formats.module(fmt)
    tagger = load_tagger(model_dir)
    total = _count_docs(input_path)
    article = fmt == "conll" and _first_token(input_path) == "-DOCSTART-"

    def tagged() -> Iterator[Doc]:
        batch: list[Doc] = []
        done = 0
        for doc in module.read(input_path):
            batch.append(doc)
            if len(batch) == BATCH_DOCS:
                yield from _tag_docs(tagger, batch)
                done += len(batch)
                batch = []
                if cancel is not None:
                    cancel.check()
                report(Progress("Tagging", done, max(total, done), "docs"))
        if batch:
            yield from _tag_docs(tagger, batch)

    with atomic_text_file(output_path) as fh:
        options = {"docstart": article} if fmt == "conll" else {}
        n = module.write(tagged(), fh, **options)
    report(Progress("Tagging", n, n, "docs"))
    return n


def _first_token(path: Path) -> str | None:
    for block in iter_line_blocks(path):
        for line in block.lines:
            if line.strip():
                return line.split()[0]
    return None


def evaluate_file(model_dir: str | Path, gold_path: str | Path, *, report: Reporter = ignore,
                  cancel: CancelToken | None = None) -> dict:
    """Score the model on a gold CoNLL file; return :func:`engine.ner.metrics.entity_scores`' dict
    (micro P/R/F1, macro F1, per-label P/R/F1/support), plus ``sentences``.

    Raises:
        ModelSourceError: ``model_dir`` is not a usable model folder.
        FormatError: the gold file is malformed.
    """
    from engine.formats import conll
    from engine.formats.tags import spans_to_tags
    from engine.ner.metrics import entity_scores
    from engine.ner.predict import load_tagger

    tagger = load_tagger(model_dir)
    gold, words, doc_of = [], [], []
    for k, doc in enumerate(conll.read(gold_path)):
        starts = [s for s, _ in doc.tokens]
        spans = [(bisect.bisect_left(starts, sp.start), bisect.bisect_left(starts, sp.end), sp.label)
                 for sp in doc.spans]
        for a, b in doc.sentences or [(0, len(doc.tokens))]:
            inside = [(max(s, a) - a, min(e, b) - a, lab) for s, e, lab in spans if s < b and e > a]
            gold.append(spans_to_tags(b - a, inside))
            words.append([doc.text[s:e] for s, e in doc.tokens[a:b]])
            doc_of.append(k)
    pred = []
    for i in range(0, len(words), BATCH_DOCS * 4):
        pred += tagger.tag_tokens(words[i : i + BATCH_DOCS * 4])
        if cancel is not None:
            cancel.check()
        report(Progress("Evaluating", min(i + BATCH_DOCS * 4, len(words)), len(words), "sentences"))
    labels = sorted({t[2:] for t in tagger.tags if t != "O"})
    scores = entity_scores(gold, pred, labels)
    from engine.scores import add_intervals

    add_intervals(scores, gold, pred, doc_of, sorted(scores["per_label"]))  # resampling the file's documents
    scores["sentences"] = len(words)
    return scores


def format_report(scores: dict) -> str:
    """Return a per-label table (P, R, F1 with its 95% interval where known, support) with
    micro and macro rows, and a sentence when the gold set is too small to trust, as text."""
    from engine.scores import uncertainty_note

    def ci(row) -> str:
        c = row.get("ci") if isinstance(row, dict) else None
        return f"{c[0]:.2f}-{c[1]:.2f}" if c else ""

    rows = [f"{'label':<24}{'precision':>10}{'recall':>10}{'f1':>10}{'95% interval':>14}{'support':>10}"]
    per = scores.get("per_label", {})
    for name in sorted(per):
        r = per[name]
        rows.append(f"{name:<24}{r['precision']:>10.3f}{r['recall']:>10.3f}{r['f1']:>10.3f}{ci(r):>14}"
                    f"{int(r['support']):>10,}")
    support = sum(int(r["support"]) for r in per.values())
    micro_ci = scores.get("f1_ci")
    rows.append(f"{'micro avg':<24}{scores.get('precision', 0):>10.3f}{scores.get('recall', 0):>10.3f}"
                f"{scores.get('f1', 0):>10.3f}{ci({'ci': micro_ci}):>14}{support:>10,}")
    rows.append(f"{'macro avg':<24}{'':>10}{'':>10}{scores.get('f1_macro', 0):>10.3f}{'':>14}{support:>10,}")
    note = uncertainty_note(support, tuple(micro_ci) if micro_ci else None)
    if micro_ci:
        rows.append(f"95% intervals: bootstrap over the {scores.get('docs', 0):,} documents scored (1,000 resamples).")
    if note:
        rows.append(note)
    return "\n".join(rows)
