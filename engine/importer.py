"""Import a file into a project in one transaction.

:func:`import_file` streams documents from a format reader, tokenizes what needs it,
creates labels it has not seen, skips documents already in the project (same text)
and writes everything inside one transaction: a bad line anywhere rejects the whole
file and leaves the project exactly as it was.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from pathlib import Path

from engine import formats
from engine.errors import FormatError, ProjectError
from engine.events import CancelToken, Progress, Reporter, ignore
from engine.store import SPLITS, STATUSES, Project, now, text_hash
from engine.tokenize import split_sentences, tokenize

#: Formats whose files tag every token (so a document with no entity is still labeled).
_FULLY_TAGGED = {"conll"}


@dataclass
class ImportSummary:
    """What an import did (shown in the CLI and the import dialog)."""

    path: str
    format: str
    added: int = 0
    duplicates: int = 0
    spans: int = 0
    tokens: int = 0
    labels_created: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        s = f"Imported {self.added:,} documents ({self.tokens:,} tokens, {self.spans:,} entities) from {Path(self.path).name}"
        if self.duplicates:
            s += f"; skipped {self.duplicates:,} already in the project"
        if self.labels_created:
            s += f"; new labels: {', '.join(self.labels_created)}"
        return s + "."


def count_lines(path: str | Path) -> int:
    """Return the number of lines of a file (fast, binary scan); used as the progress total."""
    n = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def join_split_entities(sentences: list[tuple[int, int]], tokens: list[tuple[int, int]],
                        spans) -> list[tuple[int, int]]:
    """Return ``sentences`` with the boundaries that fall inside an entity removed.

    The sentence splitter sees only text ("Mrs . Doubtfire" ends at "."), while an
    entity must stay inside one sentence for CoNLL export and for training.
    """
    starts = [a for a, _ in tokens]
    inside: set[int] = set()  # token indexes that continue an entity
    for sp in spans:
        k = bisect.bisect_right(starts, sp.start)
        while k < len(tokens) and tokens[k][0] < sp.end:
            inside.add(k)
            k += 1
    out: list[tuple[int, int]] = []
    for a, b in sentences:
        if out and a in inside:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def import_file(
    project: Project,
    path: str | Path,
    fmt: str = "auto",
    *,
    status: str | None = None,
    split: str | None = None,
    report: Reporter = ignore,
    cancel: CancelToken | None = None,
    **options,
) -> ImportSummary:
    """Import ``path`` into ``project`` and return what was added.

    ``status``: ``done``/``new`` for every imported document; by default a document is
    ``done`` when the file marks it so (Prodigy ``accept``), when the format tags
    every token (CoNLL), or when it has entities; otherwise ``new``.
    ``options`` go to the format reader (e.g. ``scheme``, ``text_column``, ``mode``).

    Raises:
        FormatError: the file is unreadable or malformed (``path:line: what is wrong``);
            nothing was written.
        engine.events.Cancelled: ``cancel`` was set; nothing was written.
    """
    path = Path(path)
    fmt = formats.detect_format(path) if fmt in (None, "auto") else fmt
    reader = formats.module(fmt).read
    options, rejected = formats.split_options(reader, options)
    if rejected:
        names = ", ".join("--" + r.replace("_", "-") for r in rejected)
        raise FormatError(path, 0, f"the option {names} does not apply to the {fmt} format.")
    if status is not None and status not in ("new", "done", "skipped"):
        raise FormatError(path, 0, f"unknown status {status!r}; use done or new.")
    summary = ImportSummary(str(path), fmt)
    total = count_lines(path)
    report(Progress("Importing", 0, total, "lines"))
    if split is not None and split not in SPLITS:
        bad_split = ProjectError(f"Unknown split {split!r}; use one of {', '.join(SPLITS)}.")
    else:
        bad_split = None
    fully_tagged = fmt in _FULLY_TAGGED
    with project.db.atomic(), project.deferred_text_index():
        writer = _Writer(project, summary, split, path.name)
        batch = writer.batch
        for n, doc in enumerate(reader(path, **options), 1):
            text = doc.text
            if doc.tokens is None:
                edges = {e for sp in doc.spans for e in (sp.start, sp.end)}
                tokens = tokenize(text, edges)
            else:
                tokens = doc.tokens
            if doc.sentences is not None:
                sentences = doc.sentences
            elif doc.tokens is None:
                sentences = split_sentences(text, tokens)
                if doc.spans and len(sentences) > 1:
                    sentences = join_split_entities(sentences, tokens, doc.spans)
            else:  # pre-tokenized without sentence marks: the source's unit is one sentence
                sentences = [(0, len(tokens))] if tokens else []
            st = status or doc.status or ("done" if (fully_tagged or doc.spans) else "new")
            if st not in STATUSES:
                raise ProjectError(f"Unknown status {st!r}; use one of {', '.join(STATUSES)}.")
            if bad_split is not None:
                raise bad_split
            batch.append((doc, tokens, sentences, st, text_hash(text)))
            if n % _BATCH == 0:
                writer.flush()
                if cancel is not None:
                    cancel.check()
                report(Progress("Importing", doc.line, total, "lines"))
        writer.flush()
        if summary.added == 0 and summary.duplicates == 0:
            raise FormatError(path, 0, "the file has no documents to import.")
    report(Progress("Importing", total, total, "lines"))
    return summary


#: Documents read between two writes (and between two progress reports / cancel checks).
_BATCH = 512


def _pairs_json(pairs) -> str:
    """``json.dumps(pairs, separators=(",", ":"))`` for pairs of ints, about 2x faster."""
    return "[" + ",".join(["[%d,%d]" % p for p in pairs]) + "]"


class _Writer:
    """Writes batches of documents and their spans with one ``executemany`` each,
    inside the import's transaction.

    A document whose text is already in the project (or earlier in the file) is
    skipped and counted; the others get the ids SQLite would give them (one more
    than the largest id), so their spans can be written in the same batch.
    """

    def __init__(self, project: Project, summary: ImportSummary, split: str | None, source: str):
        self.project = project
        self.conn = project.conn
        self.summary = summary
        self.split = split
        self.source = source
        self.stamp = now()
        self.labels = {l.name: l.id for l in project.labels()}
        self.next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
        #: (doc, tokens, sentences, status, hash) read but not written yet
        self.batch: list[tuple] = []

    def flush(self) -> None:
        batch = self.batch
        if not batch:
            return
        conn = self.conn
        summary = self.summary
        hashes = [b[4] for b in batch]
        seen = {
            r[0] for r in conn.execute(
                f"SELECT hash FROM documents WHERE hash IN ({','.join('?' * len(hashes))})", hashes
            )
        }
        doc_rows: list[tuple] = []
        span_rows: list[tuple] = []
        split, source, stamp, labels = self.split, self.source, self.stamp, self.labels
        doc_id = self.next_id
        added = n_tokens = n_spans = 0
        for doc, tokens, sentences, st, h in batch:
            if h in seen:
                summary.duplicates += 1
                continue
            seen.add(h)
            meta = doc.meta
            doc_rows.append((
                doc_id, doc.text, _pairs_json(tokens),
                "[[%d,%d]]" % sentences[0] if len(sentences) == 1 else _pairs_json(sentences),
                st, split, source, h, json.dumps(meta, ensure_ascii=False) if meta else None, stamp, stamp,
            ))
            added += 1
            n_tokens += len(tokens)
            if doc.spans:
                starts = [t[0] for t in tokens]
                ends = [t[1] for t in tokens]
                for sp in doc.spans:
                    label_id = labels.get(sp.label)
                    if label_id is None:
                        label_id = labels[sp.label] = self.project._add_label(sp.label).id
                        summary.labels_created.append(sp.label)
                    first = bisect.bisect_right(ends, sp.start)
                    last = max(first, bisect.bisect_left(starts, sp.end))
                    span_rows.append((doc_id, sp.start, sp.end, first, last, label_id, stamp))
                n_spans += len(doc.spans)
            doc_id += 1
        summary.added += added
        summary.tokens += n_tokens
        summary.spans += n_spans
        self.next_id = doc_id
        batch.clear()
        if doc_rows:
            conn.executemany(
                "INSERT INTO documents(id, text, tokens, sentences, status, split, source, hash, meta, created, updated)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                doc_rows,
            )
        if span_rows:
            conn.executemany(
                'INSERT INTO spans(doc_id, start, "end", token_start, token_end, label_id, source, created)'
                " VALUES (?,?,?,?,?,?,'human',?)",
                span_rows,
            )
