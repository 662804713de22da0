"""Import a file into a project in one transaction.

:func:`import_file` streams documents from a format reader, tokenizes what needs it,
creates labels it has not seen, skips repeats (same text, same entities), keeps
conflicting copies (same text, other entities), merges Prodigy binary answers, and
writes everything inside one transaction: a malformed line anywhere rejects the whole
file and leaves the project exactly as it was; recoverable problems are repaired and
listed (``file:line: what was done``) in the summary and a report file.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from pathlib import Path

from engine import formats
from engine.errors import FormatError, ProjectError
from engine.events import CancelToken, Progress, Reporter, ignore
from engine.formats.base import ReadNotes, atomic_text_file
from engine.formats.jsonl import BINARY_VIEWS
from engine.store import SPLITS, STATUSES, Project, now, text_hash
from engine.tokenize import split_sentences, tokenize

#: Formats whose files tag every token (so a document with no entity is still labeled).
_FULLY_TAGGED = {"conll"}


@dataclass
class ImportSummary:
    """What an import did (shown in the CLI and the import dialog).

    ``notes`` lists every line that was repaired or set aside as ``file:line: what was
    done``; ``report_path`` is the file beside the project where they are written.
    """

    path: str
    format: str
    added: int = 0
    repeats_in_file: int = 0
    already_in_project: int = 0
    conflicts: int = 0
    merged: int = 0
    feedback: int = 0
    spans: int = 0
    tokens: int = 0
    labels_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    report_path: str | None = None
    import_id: int | None = None

    @property
    def duplicates(self) -> int:
        """Documents skipped because the same text with the same entities was already there."""
        return self.repeats_in_file + self.already_in_project

    def __str__(self) -> str:
        s = f"Imported {self.added:,} documents ({self.tokens:,} tokens, {self.spans:,} entities) from {Path(self.path).name}"
        if self.repeats_in_file:
            s += f"; skipped {self.repeats_in_file:,} repeated in this file (same text, same entities)"
        if self.already_in_project:
            s += f"; skipped {self.already_in_project:,} already in the project"
        if self.conflicts:
            s += (f"; kept {self.conflicts:,} conflicting cop{'y' if self.conflicts == 1 else 'ies'} (same text as "
                  "another document, different entities: filter the document list by Conflicts to resolve them)")
        if self.merged:
            s += f"; merged {self.merged:,} answers into documents of the same text"
        if self.feedback:
            s += f"; kept {self.feedback:,} rejected or ignored spans as negative examples"
        if self.counts.get("set_aside"):
            s += f"; set aside {self.counts['set_aside']:,} record(s) that could not be imported (listed below)"
        if self.counts.get("predictions"):
            s += f"; {self.counts['predictions']:,} predictions not imported (kept with their tasks for export)"
        if self.labels_created:
            s += f"; new labels: {', '.join(self.labels_created)}"
        s += "."
        if self.notes:
            s += f" {len(self.notes):,} line(s) repaired or set aside"
            s += f", listed in {self.report_path}." if self.report_path else "."
        return s

    def to_json(self) -> dict:
        """The counts (no notes), for the project's import history."""
        keys = ("added", "repeats_in_file", "already_in_project", "conflicts", "merged", "feedback", "spans", "tokens")
        return {**{k: getattr(self, k) for k in keys}, "labels_created": self.labels_created,
                "counts": self.counts, "notes": len(self.notes)}


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
    strict: bool = False,
    report: Reporter = ignore,
    cancel: CancelToken | None = None,
    **options,
) -> ImportSummary:
    """Import ``path`` into ``project`` and return what was added.

    ``status``: ``done``/``new`` for every imported document; by default a document is
    ``done`` when the file marks it so (Prodigy ``accept`` on a manual record), when the
    format tags every token (CoNLL), or when it has entities; otherwise ``new``
    (Prodigy binary answers say nothing about the rest of the text: ``new``).
    ``options`` go to the format reader (e.g. ``scheme``, ``text_column``, ``mode``).

    Nothing labeled is dropped: a document whose text is already in the project (or
    earlier in the file) is skipped only when its entities are the same; with other
    entities both are kept (a conflict, counted). Prodigy binary answers on the same
    text merge into one document. Recoverable problems (identical duplicate spans,
    overlapping spans, stray byte-order marks, comment lines) are repaired or set aside
    and listed in ``summary.notes`` and a report file beside the project; ``strict``
    refuses overlapping spans instead.

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
    notes = ReadNotes(path.name, strict=strict)
    total = count_lines(path)
    report(Progress("Importing", 0, total, "lines"))
    if split is not None and split not in SPLITS:
        bad_split = ProjectError(f"Unknown split {split!r}; use one of {', '.join(SPLITS)}.")
    else:
        bad_split = None
    fully_tagged = fmt in _FULLY_TAGGED
    report_file = None
    try:
        with project.db.atomic(), project.deferred_text_index():
            import_id = project.conn.execute(
                "INSERT INTO imports(path, format, created) VALUES (?, ?, ?)", (str(path), fmt, now())
            ).lastrowid
            summary.import_id = import_id
            writer = _Writer(project, summary, split, path.name, import_id, notes)
            batch = writer.batch
            for n, doc in enumerate(reader(path, notes=notes, **options), 1):
                text = doc.text
                if doc.tokens is None:
                    edges = {e for sp in doc.spans for e in (sp.start, sp.end)}
                    edges.update(e for f in doc.feedback for e in (f.start, f.end))
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
            if summary.added == 0 and summary.duplicates == 0 and summary.merged == 0:
                raise FormatError(path, 0, "the file has no documents to import.")
            summary.notes = notes.formatted()
            summary.counts = dict(notes.counts)
            if summary.notes:
                report_file = write_report(project, summary)
                summary.report_path = str(report_file)
            project.conn.execute(
                "UPDATE imports SET origin=?, summary=?, report=? WHERE id=?",
                (json.dumps(notes.origin, ensure_ascii=False), json.dumps(summary.to_json()),
                 summary.report_path, import_id),
            )
    except BaseException:
        if report_file is not None:
            report_file.unlink(missing_ok=True)
        raise
    report(Progress("Importing", total, total, "lines"))
    return summary


def reports_dir(project: Project) -> Path:
    """Folder beside the project where import reports are written (``<name>.reports``)."""
    return project.path.with_suffix(".reports")


def write_report(project: Project, summary: ImportSummary) -> Path:
    """Write ``summary`` and its notes (one ``file:line: what was done`` per line) to a
    text file in :func:`reports_dir`; return its path.

    Raises:
        OSError: the folder cannot be written.
    """
    folder = reports_dir(project)
    folder.mkdir(exist_ok=True)
    name = Path(summary.path).name
    target = folder / f"import-{summary.import_id}-{name}.txt"
    with atomic_text_file(target) as fh:
        fh.write(f"Import of {summary.path} ({summary.format}) into {project.path.name}, {now()}\n")
        fh.write(str(summary) + "\n\n")
        fh.write("\n".join(summary.notes) + "\n")
    return target


#: Documents read between two writes (and between two progress reports / cancel checks).
_BATCH = 512


def _pairs_json(pairs) -> str:
    """``json.dumps(pairs, separators=(",", ":"))`` for pairs of ints, about 2x faster."""
    return "[" + ",".join(["[%d,%d]" % p for p in pairs]) + "]"


class _Writer:
    """Writes batches of documents and their spans with one ``executemany`` each,
    inside the import's transaction.

    A document whose text is new gets the id SQLite would give it (one more than the
    largest id), so its spans can be written in the same batch. A document whose text
    is already in the project or earlier in the file (rare) is resolved on its own
    (:meth:`resolve`): a repeat (same entities) is skipped and counted, Prodigy binary
    answers merge into the document they answer, different entities make a conflict
    copy.
    """

    def __init__(self, project: Project, summary: ImportSummary, split: str | None, source: str,
                 import_id: int | None = None, notes: ReadNotes | None = None):
        self.project = project
        self.conn = project.conn
        self.summary = summary
        self.split = split
        self.source = source
        self.import_id = import_id
        self.notes = notes
        self.stamp = now()
        self.labels = {l.name: l.id for l in project.labels()}
        self.next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
        self.first_id = self.next_id  # documents from this import have ids >= first_id
        #: (doc, tokens, sentences, status, hash) read but not written yet
        self.batch: list[tuple] = []
        self.doc_rows: list[tuple] = []
        self.span_rows: list[tuple] = []
        self.feedback_rows: list[tuple] = []
        self.pending: set[str] = set()  # hashes of documents in doc_rows

    def label_id(self, name: str) -> int:
        label_id = self.labels.get(name)
        if label_id is None:
            label_id = self.labels[name] = self.project._add_label(name).id
            self.summary.labels_created.append(name)
        return label_id

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
        for item in batch:
            h = item[4]
            if h in seen:
                if h in self.pending:
                    self.write_rows()
                self.resolve(*item)
                continue
            seen.add(h)
            self.add(*item)
        batch.clear()
        self.write_rows()

    def add(self, doc, tokens, sentences, st, h) -> int:
        """Queue a new document (and its spans and feedback) for writing; return its id."""
        doc_id = self.next_id
        self.next_id += 1
        meta = doc.meta
        self.doc_rows.append((
            doc_id, doc.text, _pairs_json(tokens),
            "[[%d,%d]]" % sentences[0] if len(sentences) == 1 else _pairs_json(sentences),
            st, self.split, self.source, h, json.dumps(meta, ensure_ascii=False) if meta else None,
            self.stamp, self.stamp, self.import_id,
        ))
        self.pending.add(h)
        summary = self.summary
        summary.added += 1
        summary.tokens += len(tokens)
        if doc.spans or doc.feedback:
            starts = [t[0] for t in tokens]
            ends = [t[1] for t in tokens]
            stamp = self.stamp
            for sp in doc.spans:
                first = bisect.bisect_right(ends, sp.start)
                last = max(first, bisect.bisect_left(starts, sp.end))
                self.span_rows.append((doc_id, sp.start, sp.end, first, last, self.label_id(sp.label), stamp))
            summary.spans += len(doc.spans)
            for f in doc.feedback:
                self.feedback_rows.append((doc_id, f.start, f.end, self.label_id(f.label), f.answer,
                                           f"import:{self.import_id}", stamp))
            summary.feedback += len(doc.feedback)
        return doc_id

    def resolve(self, doc, tokens, sentences, st, h) -> None:
        """A document whose text is already stored: repeat, merge or conflict copy."""
        conn = self.conn
        summary = self.summary
        ids = [r[0] for r in conn.execute("SELECT id FROM documents WHERE hash=? ORDER BY id", (h,))]
        where = f"{self.source}:{doc.line}" if doc.line else self.source
        if doc.partial:
            target = conn.execute(
                f"SELECT id, status FROM documents WHERE hash=? AND json_extract(meta, '$._view_id') IN "
                f"({','.join('?' * len(BINARY_VIEWS))}) ORDER BY id LIMIT 1", (h, *sorted(BINARY_VIEWS)),
            ).fetchone()
            if target is not None:
                self.merge(target[0], target[1], doc, st)
                return
        mine = {(sp.start, sp.end, self.label_id(sp.label)) for sp in doc.spans}
        mine_fb = {(f.start, f.end, self.label_id(f.label), f.answer) for f in doc.feedback}
        for other in ids:
            theirs = set(conn.execute(
                'SELECT start, "end", label_id FROM spans WHERE doc_id=? AND source=\'human\'', (other,)))
            theirs_fb = set(conn.execute(
                'SELECT start, "end", label_id, answer FROM span_feedback WHERE doc_id=?', (other,)))
            if mine == theirs and mine_fb <= theirs_fb:
                if other >= self.first_id:
                    summary.repeats_in_file += 1
                else:
                    summary.already_in_project += 1
                return
        new_id = self.add(doc, tokens, sentences, st, h)
        summary.conflicts += 1
        if self.notes is not None:
            self.notes.add(doc.line, f"same text as document {ids[0]} but different entities; kept both as document "
                                     f"{ids[0]} and {new_id} (a conflict: filter the document list by Conflicts).")

    def merge(self, target: int, target_status: str, doc, st: str) -> None:
        """Add a binary record's accepted spans and answers to document ``target``."""
        conn = self.conn
        summary = self.summary
        stamp = self.stamp
        have = list(conn.execute('SELECT start, "end", label_id FROM spans WHERE doc_id=?', (target,)))
        have_fb = set(conn.execute('SELECT start, "end", label_id, answer FROM span_feedback WHERE doc_id=?', (target,)))
        changed = False
        tokens = self.project._text_len_and_tokens(target)[1]
        starts = [t[0] for t in tokens]
        ends = [t[1] for t in tokens]
        for sp in doc.spans:
            key = (sp.start, sp.end, self.label_id(sp.label))
            if key in have:
                continue
            clash = [x for x in have if x[0] < sp.end and sp.start < x[1]]
            if clash:
                if self.notes is not None:
                    self.notes.add(doc.line, f"the accepted entity {sp.start}-{sp.end} ({sp.label}) overlaps an entity "
                                             f"already on document {target}; kept the one already there.")
                continue
            first = bisect.bisect_right(ends, sp.start)
            last = max(first, bisect.bisect_left(starts, sp.end))
            conn.execute('INSERT INTO spans(doc_id, start, "end", token_start, token_end, label_id, source, created)'
                         " VALUES (?,?,?,?,?,?,'human',?)", (target, *key[:2], first, last, key[2], stamp))
            have.append(key)
            summary.spans += 1
            changed = True
        for f in doc.feedback:
            key = (f.start, f.end, self.label_id(f.label), f.answer)
            if key in have_fb:
                continue
            conn.execute('INSERT INTO span_feedback(doc_id, start, "end", label_id, answer, origin, created)'
                         " VALUES (?,?,?,?,?,?,?)", (target, *key, f"import:{self.import_id}", stamp))
            have_fb.add(key)
            summary.feedback += 1
            changed = True
        if target_status == "skipped" and st != "skipped":
            conn.execute("UPDATE documents SET status=?, updated=? WHERE id=?", (st, stamp, target))
            changed = True
        if changed:
            summary.merged += 1
        elif target >= self.first_id:
            summary.repeats_in_file += 1
        else:
            summary.already_in_project += 1

    def write_rows(self) -> None:
        """Write the queued document, span and feedback rows."""
        conn = self.conn
        if self.doc_rows:
            conn.executemany(
                "INSERT INTO documents(id, text, tokens, sentences, status, split, source, hash, meta, created, updated,"
                " import_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                self.doc_rows,
            )
            self.doc_rows = []
            self.pending = set()
        if self.span_rows:
            conn.executemany(
                'INSERT INTO spans(doc_id, start, "end", token_start, token_end, label_id, source, created)'
                " VALUES (?,?,?,?,?,?,'human',?)",
                self.span_rows,
            )
            self.span_rows = []
        if self.feedback_rows:
            conn.executemany(
                'INSERT INTO span_feedback(doc_id, start, "end", label_id, answer, origin, created)'
                " VALUES (?,?,?,?,?,?,?)",
                self.feedback_rows,
            )
            self.feedback_rows = []
