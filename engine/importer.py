"""Import a file into a project, all or nothing.

:func:`import_file` streams documents from a format reader, tokenizes what needs it,
creates labels it has not seen, skips repeats (same text, same entities), keeps
conflicting copies (same text, other entities), merges Prodigy binary answers, and
writes into a scratch database (:class:`Stage`) without locking the project. The stage
is then copied in short transactions whose documents stay hidden until one small final
transaction shows them (:meth:`_Writer.publish`): a malformed line anywhere, a cancel or
a kill leaves the project as the user had it; recoverable problems are repaired and
listed (``file:line: what was done``) in the summary and a report file.
"""
from __future__ import annotations

import bisect
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from engine import formats
from engine.errors import FormatError, ProjectError
from engine.events import CancelToken, Progress, Reporter, ignore
from engine.formats.base import ReadNotes, atomic_text_file
from engine.formats.jsonl import BINARY_VIEWS
from engine.messages import msg
from engine.procs import pid_alive
from engine.store import SPLITS, STATUSES, Project, now, text_hash
from engine.tokenize import split_sentences, tokenize

#: The longest document an import takes by default (characters): longer ones refuse the
#: file with their line (the editor and training work document by document).
MAX_DOC_CHARS = 1_000_000

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
    categories: int = 0
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
        return self.message()

    def message(self, notes: bool = True) -> str:
        """The summary as a :class:`engine.messages.Message` (``str(summary)``); with
        ``notes=False`` without the closing count of lines repaired or set aside."""
        def n(k: int) -> str:
            return f"{k:,}"

        args = dict(count=n(self.added), tokens=n(self.tokens), entities=n(self.spans), file=Path(self.path).name)
        if self.categories:
            s = msg("Imported {count} documents ({tokens} tokens, {entities} entities, {categories} categories) "
                    "from {file}", categories=n(self.categories), **args)
        else:
            s = msg("Imported {count} documents ({tokens} tokens, {entities} entities) from {file}", **args)
        parts = []
        if self.repeats_in_file:
            parts.append(msg("skipped {count} repeated in this file (same text, same entities)",
                             count=n(self.repeats_in_file)))
        if self.already_in_project:
            parts.append(msg("skipped {count} already in the project", count=n(self.already_in_project)))
        if self.conflicts == 1:
            parts.append(msg("kept {count} conflicting copy (same text as another document, different entities: "
                             "filter the document list by Conflicts to resolve them)", count=n(self.conflicts)))
        elif self.conflicts:
            parts.append(msg("kept {count} conflicting copies (same text as another document, different entities: "
                             "filter the document list by Conflicts to resolve them)", count=n(self.conflicts)))
        if self.merged:
            parts.append(msg("merged {count} answers into documents of the same text", count=n(self.merged)))
        if self.feedback:
            parts.append(msg("kept {count} rejected or ignored spans as negative examples", count=n(self.feedback)))
        if self.counts.get("set_aside"):
            parts.append(msg("set aside {count} record(s) that could not be imported (listed below)",
                             count=n(self.counts["set_aside"])))
        if self.counts.get("predictions"):
            parts.append(msg("{count} model predictions not imported as entities", count=n(self.counts["predictions"])))
        if self.labels_created:
            parts.append(msg("new labels: {labels}", labels=", ".join(self.labels_created)))
        for part in parts:
            s = msg("{summary}; {more}", summary=s, more=part)
        if notes and self.notes and self.report_path:
            return msg("{summary}. {count} line(s) repaired or set aside, listed in {path}.",
                       summary=s, count=n(len(self.notes)), path=self.report_path)
        if notes and self.notes:
            return msg("{summary}. {count} line(s) repaired or set aside.", summary=s, count=n(len(self.notes)))
        return msg("{summary}.", summary=s)

    def to_json(self) -> dict:
        """The counts (no notes), for the project's import history."""
        keys = ("added", "repeats_in_file", "already_in_project", "conflicts", "merged", "feedback", "spans", "tokens",
                "categories")
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
    max_doc_chars: int = MAX_DOC_CHARS,
    backup: bool = True,
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
    refuses overlapping spans instead. A document longer than ``max_doc_chars``
    characters refuses the file (with its line): nothing is ever cut silently.
    With ``backup`` a project that already holds documents is backed up first
    (:mod:`engine.backup`; File ▸ Backups restores it).

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
        raise FormatError(path, 0, msg("the option {options} does not apply to the {format} format.",
                                       options=names, format=fmt))
    if status is not None and status not in ("new", "done", "skipped"):
        raise FormatError(path, 0, msg("unknown status {status}; use done or new.", status=repr(status)))
    summary = ImportSummary(str(path), fmt)
    notes = ReadNotes(path.name, strict=strict)
    total = count_lines(path)
    report(Progress("Importing", 0, total, "lines"))
    if split is not None and split not in SPLITS:
        bad_split = ProjectError(msg("Unknown split {split}; use one of {choices}.",
                                     split=repr(split), choices=", ".join(SPLITS)))
    else:
        bad_split = None
    fully_tagged = fmt in _FULLY_TAGGED
    project.index_pending()  # what an interrupted earlier import left to index
    if backup and project.count_documents():
        from engine.backup import make_backup

        make_backup(project.path, f"before importing {path.name}")
    import_id = project.begin_import(str(path), fmt, now())
    published = False
    stage = Stage(project, path)
    try:
        writer = _Writer(project, summary, split, path.name, notes)
        batch = writer.batch
        for n, doc in enumerate(reader(path, notes=notes, **options), 1):
            text = doc.text
            if len(text) > max_doc_chars:
                raise FormatError(
                    path, doc.line,
                    msg("the document here has {chars} characters; Tessera takes documents of up to "
                        "{limit} (choose more with --max-doc-chars). Split it into smaller documents "
                        "and import again; nothing was imported.", chars=f"{len(text):,}", limit=f"{max_doc_chars:,}"))
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
            st = status or doc.status or ("done" if (fully_tagged or doc.spans or doc.categories) else "new")
            if st not in STATUSES:
                raise ProjectError(msg("Unknown status {status}; use one of {choices}.",
                                       status=repr(st), choices=", ".join(STATUSES)))
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
            raise FormatError(path, 0, msg("the file has no documents to import."))
        if cancel is not None:
            cancel.check()
        writer.publish(import_id, notes, cancel=cancel, report=report)
        published = True
    finally:
        stage.close()
        if not published:
            _abandon(project, import_id)
    project.index_pending()  # search index, in short transactions (a kill here is finished next time)
    if summary.notes:
        try:
            summary.report_path = str(write_report(project, summary))
            with project.write():
                project.conn.execute("UPDATE imports SET report=? WHERE id=?", (summary.report_path, summary.import_id))
        except (OSError, ProjectError):
            summary.report_path = None  # the import itself is committed; the notes are in the summary
    report(Progress("Importing", total, total, "lines"))
    return summary


def _abandon(project: Project, import_id: int) -> None:
    """Delete what a failed or cancelled import wrote (hidden documents); if the project
    cannot be written now, mark it abandoned so the next import deletes it."""
    try:
        with project.write():
            project.conn.execute("UPDATE imports SET state = 'abandoned' WHERE id = ? AND state IS NOT NULL",
                                 (import_id,))
        project.drop_import(import_id)
    except (ProjectError, sqlite3.Error):
        pass  # still hidden; begin_import of the next import drops it


#: Inputs up to this size are staged in memory; larger ones in a temporary file.
STAGE_IN_MEMORY_MAX = 64 << 20


class Stage:
    """A scratch database attached to the project's connection as ``stage``: the import
    writes there while it reads the file (taking no lock on the project), and
    :meth:`_Writer.commit` copies it into the project in one short transaction. In memory
    for files up to 64 MB, else a temporary file beside the project (deleted on close;
    one left by a killed import is deleted by the next import).
    """

    def __init__(self, project: Project, source: Path):
        self.conn = project.conn
        self.file: Path | None = None
        for old in project.path.parent.glob(f".{project.path.name}.import-*.tmp"):
            try:
                pid = int(old.name.rsplit(".import-", 1)[1].split("-", 1)[0])
            except ValueError:
                continue
            if pid != os.getpid() and not pid_alive(pid):
                old.unlink(missing_ok=True)
        if source.stat().st_size > STAGE_IN_MEMORY_MAX:
            self.file = project.path.parent / f".{project.path.name}.import-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        self.conn.execute("ATTACH DATABASE ? AS stage", (str(self.file) if self.file else ":memory:",))
        c = self.conn
        c.execute("PRAGMA stage.journal_mode = OFF")
        c.execute("PRAGMA stage.synchronous = OFF")
        c.execute("CREATE TABLE stage.documents (id INTEGER PRIMARY KEY, text TEXT, tokens TEXT, sentences TEXT,"
                  " status TEXT, split TEXT, source TEXT, hash TEXT, meta TEXT, line INTEGER)")
        c.execute("CREATE INDEX stage.documents_hash ON documents(hash)")
        # doc_id: a stage document, or (in_project = 1) a project document an answer merges into
        c.execute('CREATE TABLE stage.spans (doc_id INTEGER, in_project INTEGER, start INTEGER, "end" INTEGER,'
                  " token_start INTEGER, token_end INTEGER, label TEXT)")
        c.execute("CREATE INDEX stage.spans_doc ON spans(doc_id)")
        c.execute('CREATE TABLE stage.feedback (doc_id INTEGER, in_project INTEGER, start INTEGER, "end" INTEGER,'
                  " label TEXT, answer TEXT)")
        c.execute("CREATE INDEX stage.feedback_doc ON feedback(doc_id)")
        c.execute("CREATE TABLE stage.status (doc_id INTEGER PRIMARY KEY, status TEXT)")  # project docs reopened
        c.execute("CREATE TABLE stage.categories (doc_id INTEGER, label TEXT)")
        c.execute("CREATE INDEX stage.categories_doc ON categories(doc_id)")

    def close(self) -> None:
        """Detach and delete the scratch database."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        try:
            self.conn.execute("DETACH DATABASE stage")
        except Exception:
            pass
        if self.file is not None:
            self.file.unlink(missing_ok=True)


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

#: Documents copied from the stage into the project per transaction (about 20 ms of
#: write lock each for WNUT-sized sentences; see :meth:`_Writer.publish`).
_COPY_CHUNK = 4000


def _pairs_json(pairs) -> str:
    """``json.dumps(pairs, separators=(",", ":"))`` for pairs of ints, about 2x faster."""
    return "[" + ",".join(["[%d,%d]" % p for p in pairs]) + "]"


class _Writer:
    """Writes batches of documents and their spans into the :class:`Stage` with one
    ``executemany`` each, then copies the stage into the project (:meth:`commit`).

    A document whose text is new gets the next stage id. A document whose text is
    already in the project or earlier in the file (rare) is resolved on its own
    (:meth:`resolve`): a repeat (same entities) is skipped and counted, Prodigy binary
    answers merge into the document they answer, different entities make a conflict
    copy. Labels are kept by name until the commit.
    """

    def __init__(self, project: Project, summary: ImportSummary, split: str | None, source: str,
                 notes: ReadNotes | None = None):
        self.project = project
        self.conn = project.conn
        self.summary = summary
        self.split = split
        self.source = source
        self.notes = notes
        self.stamp = now()
        self.next_id = 1
        #: (doc, tokens, sentences, status, hash) read but not written yet
        self.batch: list[tuple] = []
        self.doc_rows: list[tuple] = []
        self.span_rows: list[tuple] = []
        self.feedback_rows: list[tuple] = []
        self.category_rows: list[tuple] = []
        self.multi_category = False  # a document of the file has several categories
        self.pending: set[str] = set()  # hashes of documents in doc_rows
        #: notes naming documents by stage id: (line, make(*ids) -> the note, stage ids); made at commit,
        #: when the documents' project ids are known
        self.id_notes: list[tuple[int, object, tuple]] = []
        self.new_labels: list[tuple[str, str]] = []  # (name, kind)
        self._known = {l.name: l.kind for l in project.labels()}

    def label(self, name: str, kind: str = "entity") -> str:
        """Register a label name the file uses (created at publish); return it.

        Raises:
            FormatError: the name is already a label of the other kind.
        """
        known = self._known.get(name)
        if known is None:
            self._known[name] = kind
            self.new_labels.append((name, kind))
        elif known != kind:
            what = {"entity": msg("an entity label"), "category": msg("a category")}
            raise FormatError(Path(self.summary.path), 0,
                              msg("{name} is used as {kind} here but is {known} in the project. Rename "
                                  "one of them (Labels… in the window) and import again; nothing was imported.",
                                  name=repr(name), kind=what[kind], known=what[known]))
        return name

    def flush(self) -> None:
        batch = self.batch
        if not batch:
            return
        conn = self.conn
        hashes = [b[4] for b in batch]
        marks = ",".join("?" * len(hashes))
        seen = {r[0] for r in conn.execute(f"SELECT hash FROM main.documents WHERE hash IN ({marks})", hashes)}
        seen.update(r[0] for r in conn.execute(f"SELECT hash FROM stage.documents WHERE hash IN ({marks})", hashes))
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
        """Queue a new document (and its spans and feedback); return its stage id."""
        doc_id = self.next_id
        self.next_id += 1
        meta = doc.meta
        self.doc_rows.append((
            doc_id, doc.text, _pairs_json(tokens),
            "[[%d,%d]]" % sentences[0] if len(sentences) == 1 else _pairs_json(sentences),
            st, self.split, self.source, h, json.dumps(meta, ensure_ascii=False) if meta else None, doc.line,
        ))
        self.pending.add(h)
        summary = self.summary
        summary.added += 1
        summary.tokens += len(tokens)
        for cat in doc.categories:
            self.category_rows.append((doc_id, self.label(cat, "category")))
        summary.categories += len(doc.categories)
        if len(doc.categories) > 1:
            self.multi_category = True
        if doc.spans or doc.feedback:
            starts = [t[0] for t in tokens]
            ends = [t[1] for t in tokens]
            for sp in doc.spans:
                first = bisect.bisect_right(ends, sp.start)
                last = max(first, bisect.bisect_left(starts, sp.end))
                self.span_rows.append((doc_id, 0, sp.start, sp.end, first, last, self.label(sp.label)))
            summary.spans += len(doc.spans)
            for f in doc.feedback:
                self.feedback_rows.append((doc_id, 0, f.start, f.end, self.label(f.label), f.answer))
            summary.feedback += len(doc.feedback)
        return doc_id

    def _entities(self, where: str, doc_id: int) -> tuple[set, set, set]:
        """(spans, feedback, categories) of a project (``main``) or stage document, labels by name."""
        c = self.conn
        if where == "main":
            cats = {r[0] for r in c.execute("SELECT l.name FROM main.doc_categories d JOIN main.labels l ON"
                                            " l.id = d.label_id WHERE d.doc_id=? AND d.source='human'", (doc_id,))}
        else:
            cats = {r[0] for r in c.execute("SELECT label FROM stage.categories WHERE doc_id=?", (doc_id,))}
        if where == "main":
            spans = set(c.execute('SELECT s.start, s."end", l.name FROM main.spans s JOIN main.labels l'
                                  " ON l.id = s.label_id WHERE s.doc_id=? AND s.source='human'", (doc_id,)))
            fb = set(c.execute('SELECT f.start, f."end", l.name, f.answer FROM main.span_feedback f JOIN main.labels l'
                               " ON l.id = f.label_id WHERE f.doc_id=?", (doc_id,)))
        else:
            spans = set(c.execute('SELECT start, "end", label FROM stage.spans WHERE doc_id=? AND in_project=0',
                                  (doc_id,)))
            fb = set(c.execute('SELECT start, "end", label, answer FROM stage.feedback WHERE doc_id=? AND in_project=0',
                               (doc_id,)))
        return spans, fb, cats

    def resolve(self, doc, tokens, sentences, st, h) -> None:
        """A document whose text is already stored: repeat, merge or conflict copy."""
        conn = self.conn
        summary = self.summary
        cands = [("main", r[0]) for r in conn.execute("SELECT id FROM main.documents WHERE hash=? ORDER BY id", (h,))]
        cands += [("stage", r[0]) for r in conn.execute("SELECT id FROM stage.documents WHERE hash=? ORDER BY id", (h,))]
        if doc.partial:
            views = sorted(BINARY_VIEWS)
            q = f"json_extract(meta, '$._view_id') IN ({','.join('?' * len(views))})"
            for where in ("main", "stage"):
                r = conn.execute(f"SELECT id, status FROM {where}.documents WHERE hash=? AND {q} ORDER BY id LIMIT 1",
                                 (h, *views)).fetchone()
                if r is not None:
                    self.merge(where, r[0], r[1], doc, tokens, st)
                    return
        mine = {(sp.start, sp.end, sp.label) for sp in doc.spans}
        mine_fb = {(f.start, f.end, f.label, f.answer) for f in doc.feedback}
        mine_cats = set(doc.categories)
        for where, other in cands:
            theirs, theirs_fb, theirs_cats = self._entities(where, other)
            if mine == theirs and mine_fb <= theirs_fb and mine_cats == theirs_cats:
                if where == "stage":
                    summary.repeats_in_file += 1
                else:
                    summary.already_in_project += 1
                return
        new_id = self.add(doc, tokens, sentences, st, h)
        summary.conflicts += 1
        where, first = cands[0]
        self.id_notes.append((
            doc.line, lambda a, b: msg("same text as document {document} but different entities; kept both as "
                                       "document {document} and {new} (a conflict: filter the document list by "
                                       "Conflicts).", document=a, new=b),
            ((where, first), ("stage", new_id))))

    def merge(self, where: str, target: int, target_status: str, doc, tokens, st: str) -> None:
        """Add a binary record's accepted spans and answers to document ``target`` (of the
        project, ``where="main"``, or of this import, ``"stage"``)."""
        conn = self.conn
        summary = self.summary
        have_spans, have_fb, _cats = self._entities(where, target)
        if where == "main":
            have_spans |= set(conn.execute('SELECT start, "end", label FROM stage.spans WHERE doc_id=? AND in_project=1',
                                           (target,)))
            have_fb |= set(conn.execute('SELECT start, "end", label, answer FROM stage.feedback WHERE doc_id=? AND '
                                        "in_project=1", (target,)))
            tokens = self.project._text_len_and_tokens(target)[1]
        else:
            self.write_rows()
        in_project = int(where == "main")
        starts = [t[0] for t in tokens]
        ends = [t[1] for t in tokens]
        changed = False
        for sp in doc.spans:
            key = (sp.start, sp.end, sp.label)
            if key in have_spans:
                continue
            if any(x[0] < sp.end and sp.start < x[1] for x in have_spans):
                if self.notes is not None:
                    self.id_notes.append((
                        doc.line, lambda d, s=sp.start, e=sp.end, lab=sp.label: msg(
                            "the accepted entity {start}-{end} ({label}) overlaps an entity already on document "
                            "{document}; kept the one already there.", start=s, end=e, label=lab, document=d),
                        ((where, target),)))
                continue
            first = bisect.bisect_right(ends, sp.start)
            last = max(first, bisect.bisect_left(starts, sp.end))
            conn.execute('INSERT INTO stage.spans VALUES (?,?,?,?,?,?,?)',
                         (target, in_project, sp.start, sp.end, first, last, self.label(sp.label)))
            have_spans.add(key)
            summary.spans += 1
            changed = True
        for f in doc.feedback:
            key = (f.start, f.end, f.label, f.answer)
            if key in have_fb:
                continue
            conn.execute("INSERT INTO stage.feedback VALUES (?,?,?,?,?,?)",
                         (target, in_project, f.start, f.end, self.label(f.label), f.answer))
            have_fb.add(key)
            summary.feedback += 1
            changed = True
        if target_status == "skipped" and st != "skipped":
            if where == "main":
                conn.execute("INSERT OR REPLACE INTO stage.status VALUES (?, ?)", (target, st))
            else:
                conn.execute("UPDATE stage.documents SET status=? WHERE id=?", (st, target))
            changed = True
        if changed:
            summary.merged += 1
        elif where == "stage":
            summary.repeats_in_file += 1
        else:
            summary.already_in_project += 1

    def write_rows(self) -> None:
        """Write the queued document, span and feedback rows into the stage."""
        conn = self.conn
        if self.doc_rows:
            conn.executemany("INSERT INTO stage.documents VALUES (?,?,?,?,?,?,?,?,?,?)", self.doc_rows)
            self.doc_rows = []
            self.pending = set()
        if self.span_rows:
            conn.executemany("INSERT INTO stage.spans VALUES (?,?,?,?,?,?,?)", self.span_rows)
            self.span_rows = []
        if self.feedback_rows:
            conn.executemany("INSERT INTO stage.feedback VALUES (?,?,?,?,?,?)", self.feedback_rows)
            self.feedback_rows = []
        if self.category_rows:
            conn.executemany("INSERT INTO stage.categories VALUES (?,?)", self.category_rows)
            self.category_rows = []

    def publish(self, import_id: int, notes: ReadNotes, *, cancel: CancelToken | None = None,
                report: Reporter = ignore) -> None:
        """Copy the stage into the project as import ``import_id`` (see
        :meth:`Project.begin_import`): the documents in transactions of :data:`_COPY_CHUNK`
        (hidden until the end, so a kill or a cancel between two leaves the user's
        project as it was), then spans, answers and the import's record in one short
        final transaction that shows them all. The write lock is never held for long,
        so the GUI can keep labeling the same project meanwhile.

        Raises:
            engine.events.Cancelled: ``cancel`` was set between two chunks.
        """
        self.write_rows()
        project = self.project
        conn = self.conn
        summary = self.summary
        stamp = self.stamp
        summary.import_id = import_id
        conn.execute("CREATE TABLE stage.chunks (lo INTEGER, hi INTEGER, delta INTEGER)")
        top = conn.execute("SELECT coalesce(max(id), 0) FROM stage.documents").fetchone()[0]
        shown: list[tuple[int, int]] = []  # project ids of the copied documents
        deltas: list[tuple[int, int, int]] = []
        for lo in range(1, top + 1, _COPY_CHUNK):
            hi = min(top, lo + _COPY_CHUNK - 1)
            if cancel is not None:
                cancel.check()
            report(Progress("Saving", lo - 1, top, "documents"))
            with project.write(), project.without_trigger("documents_ai"):
                delta = conn.execute("SELECT coalesce(max(id), 0) FROM main.documents").fetchone()[0] + 1 - lo
                conn.execute(
                    "INSERT INTO main.documents(id, text, tokens, sentences, status, split, source, hash, meta,"
                    " created, updated, import_id) SELECT id + ?, text, tokens, sentences, status, split, source,"
                    " hash, meta, ?, ?, ? FROM stage.documents WHERE id BETWEEN ? AND ? ORDER BY id",
                    (delta, stamp, stamp, import_id, lo, hi))
            conn.execute("INSERT INTO stage.chunks VALUES (?, ?, ?)", (lo, hi, delta))
            deltas.append((lo, hi, delta))
            shown.append((lo + delta, hi + delta))
        conn.execute("CREATE INDEX stage.chunks_lo ON chunks(lo)")
        project_id = "CASE {t}.in_project WHEN 1 THEN {t}.doc_id ELSE {t}.doc_id + (SELECT c.delta FROM stage.chunks c" \
                     " WHERE c.lo <= {t}.doc_id ORDER BY c.lo DESC LIMIT 1) END"
        with project.write():
            for name, kind in self.new_labels:
                if project.label_by_name(name) is None:
                    project._add_label(name, kind=kind)
                    summary.labels_created.append(name)
            # project documents an answer merges into must still be there (another window may have deleted one)
            conn.execute(
                'INSERT INTO main.spans(doc_id, start, "end", token_start, token_end, label_id, source, created)'
                f" SELECT {project_id.format(t='s')}, s.start, s.\"end\", s.token_start, s.token_end, l.id, 'human', ?"
                " FROM stage.spans s JOIN main.labels l ON l.name = s.label"
                " WHERE s.in_project = 0 OR s.doc_id IN (SELECT id FROM main.documents)", (stamp,))
            conn.execute(
                'INSERT INTO main.span_feedback(doc_id, start, "end", label_id, answer, origin, created)'
                f" SELECT {project_id.format(t='f')}, f.start, f.\"end\", l.id, f.answer, ?, ?"
                " FROM stage.feedback f JOIN main.labels l ON l.name = f.label"
                " WHERE f.in_project = 0 OR f.doc_id IN (SELECT id FROM main.documents)",
                (f"import:{import_id}", stamp))
            if self.multi_category and project.category_choice() != "multiple":
                # documents of the file have several categories: the project takes several from now on
                project.set_category_choice("multiple")
                notes.add(0, msg("some documents have several categories, so the project now takes several "
                                 "categories per document (the switch beside the category chips)"))
            conn.execute(
                "INSERT INTO main.doc_categories(doc_id, label_id, source, created)"
                " SELECT c.doc_id + (SELECT k.delta FROM stage.chunks k WHERE k.lo <= c.doc_id ORDER BY k.lo DESC"
                " LIMIT 1), l.id, 'human', ? FROM stage.categories c JOIN main.labels l ON l.name = c.label"
                " AND l.kind = 'category'", (stamp,))
            conn.execute("UPDATE main.documents SET status = (SELECT status FROM stage.status s WHERE s.doc_id ="
                         " main.documents.id), updated = ? WHERE id IN (SELECT doc_id FROM stage.status)", (stamp,))

            def shown_id(where: str, i: int) -> int:
                if where != "stage":
                    return i
                return i + next(d for lo, hi, d in deltas if lo <= i <= hi)

            for line, make, ids in self.id_notes:
                notes.add(line, make(*(shown_id(where, i) for where, i in ids)))
            summary.notes = notes.formatted()
            summary.counts = dict(notes.counts)
            conn.execute("UPDATE imports SET origin=?, summary=? WHERE id=?",
                         (json.dumps(notes.origin, ensure_ascii=False), json.dumps(summary.to_json()), import_id))
            project.defer_text_index(shown)
            project.finish_import(import_id)
