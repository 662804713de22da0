"""The project file: one SQLite database per project, opened with sqlite-utils.

A project is a ``*.tessera`` file (WAL journal, foreign keys on). Schema versions are
applied on open through sqlite-utils' :class:`~sqlite_utils.migrations.Migrations`.
Every mutating method commits its own transaction before it returns, and returns a
:class:`Changes` that says what it changed, so views refresh only what they show.

Character offsets are the truth for spans; token indices are a cache derived from
the document's tokens. A connection belongs to the thread that opened it: a worker
thread opens its own :class:`Project` on the same path.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import sqlite_utils
from sqlite_utils.migrations import Migrations

from engine.errors import ForeignSchemaError, ProjectBusy, ProjectError
from engine.messages import msg
from engine.palette import RESERVED_HOTKEYS, next_color, next_hotkey
from engine.procs import owner_alive, owner_record
from engine.tokenize import split_sentences, tokenize

APPLICATION = "tessera"
STATUSES = ("new", "done", "skipped")
SPLITS = ("train", "dev", "test")
SPAN_SOURCES = ("human", "model")

migrations = Migrations("tessera")

#: How long a write waits for another writer (an import, a training run's metrics)
#: before giving up with :class:`ProjectBusy`.
BUSY_TIMEOUT_MS = 30_000


#: The per-row full-text trigger, as m001 creates it (Project.without_trigger
#: drops and re-creates it around bulk imports). Never edit: migrations are frozen.
FTS_INSERT_TRIGGER = """CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
          INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text);
        END"""


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """Tables of DESIGN.md: meta, labels, documents, spans, runs, run_metrics, chat_examples."""
    db.execute(
        """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)"""
    )
    db.execute(
        """CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            color TEXT NOT NULL,
            hotkey TEXT,
            kind TEXT NOT NULL DEFAULT 'entity' CHECK (kind IN ('entity', 'category'))
        )"""
    )
    db.execute(
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            tokens TEXT NOT NULL,
            sentences TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done', 'skipped')),
            split TEXT CHECK (split IN ('train', 'dev', 'test')),
            source TEXT,
            hash TEXT NOT NULL UNIQUE,
            meta TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX documents_status ON documents(status)")
    db.execute("CREATE INDEX documents_split ON documents(split)")
    db.execute(
        """CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            token_start INTEGER NOT NULL,
            token_end INTEGER NOT NULL,
            label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
            source TEXT NOT NULL DEFAULT 'human' CHECK (source IN ('human', 'model')),
            score REAL,
            created TEXT NOT NULL,
            CHECK (start < "end")
        )"""
    )
    db.execute("CREATE INDEX spans_doc ON spans(doc_id, start)")
    db.execute("CREATE INDEX spans_label ON spans(label_id)")
    db.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            base_model TEXT,
            config TEXT,
            status TEXT,
            output_dir TEXT,
            best_metric REAL,
            started TEXT,
            finished TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE run_metrics (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            epoch REAL,
            name TEXT NOT NULL,
            value REAL NOT NULL,
            time TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX run_metrics_run ON run_metrics(run_id, name, step)")
    db.execute(
        """CREATE TABLE chat_examples (
            id INTEGER PRIMARY KEY,
            messages TEXT NOT NULL,
            source TEXT,
            split TEXT CHECK (split IN ('train', 'dev', 'test')),
            created TEXT NOT NULL
        )"""
    )
    # Full-text search over document text. The trigram tokenizer finds any
    # substring of 3+ characters in any script (CJK included); shorter queries
    # fall back to LIKE (see Project.search).
    db.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5("
        "text, content='documents', content_rowid='id', tokenize='trigram')"
    )
    db.execute(FTS_INSERT_TRIGGER)
    db.execute(
        """CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
          INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END"""
    )
    db.execute(
        """CREATE TRIGGER documents_au AFTER UPDATE OF text ON documents BEGIN
          INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
          INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text);
        END"""
    )
    db["meta"].insert_all(
        [{"key": "application", "value": APPLICATION}], replace=True
    )


@migrations()
def m002_chat(db: sqlite_utils.Database) -> None:
    """Chat: ``chat_examples.hash`` (so importing a file twice adds nothing) and the
    ``conversations`` the chat pane keeps (messages JSON with per-reply details)."""
    db.execute("ALTER TABLE chat_examples ADD COLUMN hash TEXT")
    db.execute("CREATE UNIQUE INDEX chat_examples_hash ON chat_examples(hash)")
    db.execute("CREATE INDEX chat_examples_split ON chat_examples(split)")
    db.execute(
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            system TEXT NOT NULL DEFAULT '',
            messages TEXT NOT NULL DEFAULT '[]',
            settings TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )"""
    )


@migrations()
def m003_import_fidelity(db: sqlite_utils.Database) -> None:
    """Imports that lose nothing.

    * ``imports``: one row per import (file, format, what the reader learned about the
      file so export can write it back the same way, counts, report file).
    * ``documents`` rebuilt without ``UNIQUE`` on ``hash`` (same text with different
      entities is kept twice: a *conflict* the user resolves) and with ``import_id``.
    * ``span_feedback``: spans an annotator answered ``reject`` or ``ignore`` (Prodigy
      binary answers; later rejected suggestions): never entities.

    Needs foreign keys off while ``documents`` is rebuilt (see ``Project._connect``).
    """
    db.execute(
        """CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            format TEXT NOT NULL,
            origin TEXT,
            summary TEXT,
            report TEXT,
            created TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE documents_new (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            tokens TEXT NOT NULL,
            sentences TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done', 'skipped')),
            split TEXT CHECK (split IN ('train', 'dev', 'test')),
            source TEXT,
            hash TEXT NOT NULL,
            meta TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL
        )"""
    )
    db.execute(
        "INSERT INTO documents_new(id, text, tokens, sentences, status, split, source, hash, meta, created, updated)"
        " SELECT id, text, tokens, sentences, status, split, source, hash, meta, created, updated FROM documents"
    )
    db.execute("DROP TABLE documents")
    db.execute("ALTER TABLE documents_new RENAME TO documents")
    db.execute("CREATE INDEX documents_status ON documents(status)")
    db.execute("CREATE INDEX documents_split ON documents(split)")
    db.execute("CREATE INDEX documents_hash ON documents(hash)")
    db.execute(FTS_INSERT_TRIGGER)
    db.execute(
        """CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
          INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END"""
    )
    db.execute(
        """CREATE TRIGGER documents_au AFTER UPDATE OF text ON documents BEGIN
          INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
          INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text);
        END"""
    )
    db.execute(
        """CREATE TABLE span_feedback (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
            answer TEXT NOT NULL CHECK (answer IN ('reject', 'ignore')),
            origin TEXT,
            score REAL,
            created TEXT NOT NULL,
            CHECK (start < "end")
        )"""
    )
    db.execute("CREATE INDEX span_feedback_doc ON span_feedback(doc_id, start)")


@migrations()
def m004_run_owner(db: sqlite_utils.Database) -> None:
    """``runs.owner``: the process that trains a run (JSON: pid, host, process start
    time), so a run whose process was killed can be told from one still training."""
    db.execute("ALTER TABLE runs ADD COLUMN owner TEXT")


@migrations()
def m005_import_state(db: sqlite_utils.Database) -> None:
    """``imports.state`` and ``imports.owner``: a large import writes its documents in
    short transactions while they stay hidden (``state`` ``writing``, or ``abandoned``
    when it failed or its process, ``owner``, was killed), then shows them all in one
    tiny final transaction (``state`` NULL). See :meth:`Project.visible`."""
    db.execute("ALTER TABLE imports ADD COLUMN state TEXT")
    db.execute("ALTER TABLE imports ADD COLUMN owner TEXT")


@migrations()
def m006_suggestions(db: sqlite_utils.Database) -> None:
    """Model in the loop. ``spans.run_id``: the training run that suggested a span
    (``source = 'model'``; a suggestion is never gold until accepted, which makes it
    ``human``). ``doc_scores``: per document, the latest model's uncertainty (the
    active-learning queue's order) and the run that measured it."""
    db.execute("ALTER TABLE spans ADD COLUMN run_id INTEGER")
    db.execute(
        """CREATE TABLE doc_scores (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            run_id INTEGER,
            uncertainty REAL NOT NULL,
            updated TEXT
        )"""
    )
    db.execute("CREATE INDEX doc_scores_uncertainty ON doc_scores(uncertainty)")


@migrations()
def m007_document_categories(db: sqlite_utils.Database) -> None:
    """Document categories (labels of kind ``category``): ``doc_categories`` holds a
    document's categories with their source (``human``, or ``model`` for a suggestion),
    score and time. ``meta.category_choice`` says whether a document takes one category
    (``single``, the default) or several (``multiple``)."""
    db.execute(
        """CREATE TABLE doc_categories (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
            source TEXT NOT NULL DEFAULT 'human' CHECK (source IN ('human', 'model')),
            score REAL,
            created TEXT NOT NULL,
            UNIQUE (doc_id, label_id, source)
        )"""
    )
    db.execute("CREATE INDEX doc_categories_label ON doc_categories(label_id)")


#: Every table, index and trigger the migrations create (any version). Opening a
#: project refuses anything else in its schema (see :func:`schema_problems`).
KNOWN_TABLES = frozenset((
    "meta", "labels", "documents", "spans", "runs", "run_metrics", "chat_examples", "conversations", "imports",
    "span_feedback", "doc_scores", "doc_categories", "_sqlite_migrations", "documents_fts", "documents_fts_config", "documents_fts_data",
    "documents_fts_docsize", "documents_fts_idx",
))
KNOWN_INDEXES = frozenset((
    "documents_status", "documents_split", "documents_hash", "spans_doc", "spans_label", "run_metrics_run",
    "chat_examples_hash", "chat_examples_split", "span_feedback_doc", "doc_scores_uncertainty", "doc_categories_label", "idx__sqlite_migrations_migration_set_name",
))
KNOWN_TRIGGERS = {
    "documents_ai": FTS_INSERT_TRIGGER,
    "documents_ad": """CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
          INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
    "documents_au": """CREATE TRIGGER documents_au AFTER UPDATE OF text ON documents BEGIN
          INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
          INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text);
        END""",
}


def _norm_sql(sql: str | None) -> str:
    return " ".join((sql or "").replace(";", " ").split()).lower()


def schema_problems(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """Return ``(type, name, what)`` for each schema object Tessera did not create: views,
    unknown tables or indexes, and triggers that are unknown or whose code differs from
    Tessera's own. Such objects could change or delete data whenever the project is used
    (a trigger runs on every insert), so a project holding them is not opened. Reads only."""
    out = []
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        if name.startswith("sqlite_"):
            continue  # SQLite's own (autoindexes, statistics)
        if kind == "view":
            out.append((kind, name, msg("a view '{name}'", name=name)))
        elif kind == "table" and name not in KNOWN_TABLES:
            out.append((kind, name, msg("a table '{name}'", name=name)))
        elif kind == "index" and name not in KNOWN_INDEXES:
            out.append((kind, name, msg("an index '{name}' on {table}", name=name, table=table)))
        elif kind == "trigger":
            known = KNOWN_TRIGGERS.get(name)
            if known is None:
                out.append((kind, name, msg("a trigger '{name}' on {table}", name=name, table=table)))
            elif _norm_sql(sql) != _norm_sql(known):
                out.append((kind, name, msg("a changed trigger '{name}' on {table}", name=name, table=table)))
    return out


def _reason(exc: Exception):
    """What went wrong, keeping a message of ours (:func:`engine.messages.msg`) translatable."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)


def repair_copy(path: str | Path) -> Path:
    """Write a copy of the project at ``path`` without the schema objects Tessera did not
    create (Tessera's own triggers are put back as they should be); return the copy's
    path (``<name>-cleaned.tessera``, numbered if taken). The original is not changed.

    Raises:
        ProjectError: the file cannot be read or the copy cannot be written.
    """
    path = Path(path)
    target = path.with_name(f"{path.stem}-cleaned{path.suffix}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.stem}-cleaned-{n}{path.suffix}")
        n += 1
    tmp = target.with_name(f".{target.name}.part")
    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                src.backup(dst)
                dst.execute("PRAGMA trusted_schema = OFF")
                for kind, name, _what in schema_problems(dst):
                    dst.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
                    if kind == "trigger" and name in KNOWN_TRIGGERS:
                        dst.execute(KNOWN_TRIGGERS[name])
                if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise sqlite3.DatabaseError(msg("the copy is damaged"))
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ProjectError(msg("{path}: cannot write a cleaned copy ({reason}).", path=path, reason=_reason(exc))) from None
    return target


#: Number of schema versions this code knows; stored in meta.schema_version.
SCHEMA_VERSION = len(migrations._migrations)


def now() -> str:
    """Return the current UTC time as an ISO-8601 string (seconds precision)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    """Return the content hash used to find duplicate documents (hex BLAKE2b-128)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Label:
    id: int
    name: str
    color: str
    hotkey: str | None
    kind: str = "entity"


@dataclass(frozen=True)
class Span:
    """An entity: ``text[start:end]`` labeled ``label_id``; tokens ``[token_start, token_end)``."""

    id: int
    doc_id: int
    start: int
    end: int
    token_start: int
    token_end: int
    label_id: int
    source: str = "human"
    score: float | None = None
    run_id: int | None = None  # the run that suggested it (source "model"; kept when accepted)


@dataclass(frozen=True)
class DocCategory:
    """A document's category: label ``label_id`` (kind ``category``), by a person or a model."""

    id: int
    doc_id: int
    label_id: int
    source: str = "human"
    score: float | None = None


@dataclass(frozen=True)
class Document:
    id: int
    text: str
    tokens: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    status: str
    split: str | None
    source: str | None
    meta: dict | None
    import_id: int | None = None


@dataclass(frozen=True)
class Feedback:
    """A span answered ``reject`` or ``ignore`` (never an entity): a negative example."""

    id: int
    doc_id: int
    start: int
    end: int
    label_id: int
    answer: str
    origin: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class DocumentRow:
    """One line of the document list: no tokens, only what the list shows."""

    id: int
    status: str
    split: str | None
    n_spans: int
    preview: str
    score: float | None = None  # the model's uncertainty (active-learning queue), if measured
    categories: str = ""  # the document's categories (by a person), joined with ", "


#: SQL for a document-list row's categories (``d``: the document), names joined with ", ".
_ROW_CATEGORIES = ("coalesce((SELECT group_concat(l.name, ', ') FROM doc_categories c JOIN labels l"
                   " ON l.id = c.label_id WHERE c.doc_id = d.id AND c.source = 'human'), '')")

#: Orders of the document list: by id, or the documents the model is least sure about first.
LIST_ORDERS = ("id", "uncertainty")
@dataclass(frozen=True)
class Changes:
    """What a mutation changed, so views can refresh only what they show."""

    documents: frozenset[int] = frozenset()
    labels: bool = False
    spans_added: tuple[Span, ...] = ()
    spans_removed: tuple[Span, ...] = ()
    statuses: bool = False
    feedback_added: tuple[int, ...] = ()  # span_feedback ids (a rejected suggestion)
    categories_added: tuple[DocCategory, ...] = ()
    categories_removed: tuple[DocCategory, ...] = ()

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(
            self.documents | other.documents,
            self.labels or other.labels,
            self.spans_added + other.spans_added,
            self.spans_removed + other.spans_removed,
            self.statuses or other.statuses,
            self.feedback_added + other.feedback_added,
            self.categories_added + other.categories_added,
            self.categories_removed + other.categories_removed,
        )


@dataclass(frozen=True)
class Stats:
    """Counts for the status bar and ``tessera stats``."""

    documents: int
    by_status: dict[str, int]
    by_split: dict[str, int]
    spans: int
    spans_by_label: dict[str, int] = field(default_factory=dict)
    tokens: int = 0


# --------------------------------------------------------------------------- helpers


def token_range(
    tokens: Sequence[tuple[int, int]],
    start: int,
    end: int,
    *,
    starts: Sequence[int] | None = None,
    ends: Sequence[int] | None = None,
) -> tuple[int, int]:
    """Return ``[first, last+1)`` of the tokens that overlap characters ``[start, end)``.

    ``starts``/``ends`` may be passed precomputed (token start and end offsets) when
    many spans of one document are mapped. If no token overlaps (a span over
    whitespace only), returns an empty range at the insertion point.
    """
    if ends is None:
        ends = [t[1] for t in tokens]
    if starts is None:
        starts = [t[0] for t in tokens]
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end)
    return first, max(first, last)


def _row_to_span(r: sqlite3.Row | tuple) -> Span:
    return Span(*r)


_SPAN_COLS = 'id, doc_id, start, "end", token_start, token_end, label_id, source, score, run_id'
#: Documents of an import still being written (or abandoned): hidden everywhere.
HIDDEN_IMPORTS = "SELECT id FROM imports WHERE state IS NOT NULL"


# --------------------------------------------------------------------------- project


class Project:
    """An open project file. Use :meth:`create` or :meth:`open`; close with :meth:`close`.

    Raises on open:
        ProjectError: the file is missing, is not a Tessera project, or was written
            by a newer Tessera.
    """

    def __init__(self, path: Path, db: sqlite_utils.Database):
        self.path = Path(path).absolute()  # run folders and reports are found from it
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        # doc id -> (text length, tokens) of recently edited documents: a document's
        # text and tokens never change after import, and decoding a long document's
        # token JSON on every click would cost milliseconds.
        self._tokens_cache: dict[int, tuple[int, list[tuple[int, int]]]] = {}

    # ---- opening

    @classmethod
    def create(cls, path: str | Path) -> "Project":
        """Create a new, empty project at ``path`` and return it open.

        Raises:
            ProjectError: ``path`` already exists or its folder cannot be written.
        """
        path = Path(path)
        if path.exists():
            raise ProjectError(msg("{path}: a file with this name already exists. Choose another name.", path=path))
        if not path.parent.exists():
            raise ProjectError(msg("{path}: the folder {folder} does not exist.", path=path, folder=path.parent))
        return cls._connect(path, create=True)

    @classmethod
    def open(cls, path: str | Path) -> "Project":
        """Open an existing project, applying any pending schema migrations.

        Raises:
            ProjectError: see the class docstring.
        """
        path = Path(path)
        if not path.exists():
            raise ProjectError(msg("{path}: no such project file. Check the path, or create it with 'init'.", path=path))
        if path.is_dir():
            raise ProjectError(msg("{path}: this is a folder. Choose a .tessera project file.", path=path))
        # The file is checked through SQLite, never with a plain open(): closing any file
        # handle on the database drops every POSIX lock this process holds on it, so
        # another process could then take a connection of ours for the last one and
        # delete the WAL under it ("disk I/O error", lost commits).
        return cls._connect(path, create=False)

    @classmethod
    def _connect(cls, path: Path, create: bool) -> "Project":
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
            db = sqlite_utils.Database(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not create:
                try:
                    conn.execute("PRAGMA schema_version").fetchone()
                except sqlite3.DatabaseError:
                    conn.close()
                    raise ProjectError(msg("{path}: this is not a Tessera project (it is not a database file).",
                                           path=path)) from None
                cls._check_is_project(path, db)
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.enable_wal()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA recursive_triggers = OFF")
            if migrations.pending(db):
                if not create:  # an upgrade rewrites tables: keep the project as it was
                    from engine.backup import make_backup

                    make_backup(path, "before upgrading the project")
                # m003 rebuilds the documents table: with foreign keys on, dropping the
                # old table would delete every span. The pragma only works outside a
                # transaction, so it is set around the migrations, then checked.
                conn.execute("PRAGMA foreign_keys = OFF")
                try:
                    migrations.apply(db)
                    if conn.execute("PRAGMA foreign_key_check").fetchone():
                        raise sqlite3.DatabaseError(msg("a reference between tables is broken after the upgrade"))
                finally:
                    conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("SELECT value FROM meta WHERE key='durability'").fetchone() == ("full",):
                conn.execute("PRAGMA synchronous = FULL")  # every commit survives a power cut too
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if not row or row[0] != str(SCHEMA_VERSION):  # write only when it changes
                db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
        except sqlite3.DatabaseError as exc:
            raise ProjectError(msg("{path}: cannot open the project ({reason}).", path=path, reason=_reason(exc))) from None
        return cls(path, db)

    @staticmethod
    def _check_is_project(path: Path, db: sqlite_utils.Database) -> None:
        names = set(db.table_names())
        if "meta" not in names or "_sqlite_migrations" not in names:
            raise ProjectError(msg(
                "{path}: this database is not a Tessera project. Open a .tessera file, "
                "or create a new project and import your data into it.", path=path
            ))
        problems = schema_problems(db.conn)
        if problems:
            listed = problems[0][2]
            for p in problems[1:5]:
                listed = msg("{items}, {item}", items=listed, item=p[2])
            if len(problems) > 5:
                listed = msg("{items} and {count} more", items=listed, count=len(problems) - 5)
            problem = msg("{path}: this project file holds database code Tessera did not write ({objects}). Such "
                          "code can change or delete your labels whenever the project is used, so it was not "
                          "opened.", path=path, objects=listed)
            remedy = msg("Make a cleaned copy without it: open it in the Tessera window and choose 'Clean copy', "
                         "or run 'python main.py repair {path}'.", path=path)
            err = ForeignSchemaError(msg("{problem} {remedy}", problem=problem, remedy=remedy))
            err.problem = problem  # the window says what to do with a button instead
            raise err
        row = db.execute("SELECT value FROM meta WHERE key='application'").fetchone()
        if not row or row[0] != APPLICATION:
            raise ProjectError(msg("{path}: this database is not a Tessera project.", path=path))
        applied = {m.name for m in migrations.applied(db)}
        known = {m.name for m in migrations._migrations}
        unknown = applied - known
        row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        version = int(row[0]) if row and str(row[0]).isdigit() else 0
        if unknown or version > SCHEMA_VERSION:
            raise ProjectError(msg(
                "{path}: this project was saved by a newer version of Tessera "
                "(schema {schema}; this version reads up to {supported}). "
                "Update Tessera to open it.", path=path, schema=max(version, len(applied)), supported=SCHEMA_VERSION
            ))

    @contextmanager
    def write(self) -> Iterator["Project"]:
        """A write transaction: ``BEGIN IMMEDIATE`` (the write lock is taken at once, so a
        second writer waits for it in SQLite's busy handler instead of failing half-way),
        committed on success, rolled back on error; nested, a savepoint.

        Raises:
            ProjectBusy: another program held the project's write lock for longer than
                the busy timeout.
        """
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():  # a savepoint inside the caller's transaction
                yield self
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise ProjectBusy(msg(
                    "{project}: the project is busy: another program (perhaps an import or a training "
                    "run) is writing to it. Nothing was changed; try again in a moment.", project=self.path.name
                )) from None
            raise
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the connection (every edit is already committed)."""
        self.conn.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def runs_dir(self) -> Path:
        """Folder beside the project where model checkpoints live (``<name>.runs``)."""
        return self.path.with_suffix(".runs")

    # ---- meta

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """Return a project setting from the meta table, or ``default``."""
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a project setting in the meta table."""
        with self.write():
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )

    def set_durability(self, level: str) -> None:
        """``"normal"`` (default: WAL with ``synchronous=NORMAL``; a process kill loses
        nothing committed, a power cut may lose the last commits) or ``"full"`` (every
        commit is flushed to disk before it returns; slower writes).

        Raises:
            ProjectError: another level.
        """
        if level not in ("normal", "full"):
            raise ProjectError(msg("Unknown durability {level}; use normal or full.", level=repr(level)))
        self.set_setting("durability", level)
        self.conn.execute(f"PRAGMA synchronous = {level.upper()}")

    # ---- labels

    def labels(self, kind: str | None = None) -> list[Label]:
        """Return all labels (or those of ``kind``: ``entity``, ``category``) ordered by id."""
        where, params = ("WHERE kind=?", (kind,)) if kind else ("", ())
        return [Label(*r) for r in self.conn.execute(
            f"SELECT id, name, color, hotkey, kind FROM labels {where} ORDER BY id", params)]

    def label_by_name(self, name: str) -> Label | None:
        """Return the label called ``name`` or ``None``."""
        r = self.conn.execute("SELECT id, name, color, hotkey, kind FROM labels WHERE name=?", (name,)).fetchone()
        return Label(*r) if r else None

    def label(self, label_id: int) -> Label:
        """Return the label with id ``label_id``.

        Raises:
            ProjectError: there is no such label.
        """
        return self._get_label(label_id)

    def _get_label(self, label_id: int) -> Label:
        r = self.conn.execute("SELECT id, name, color, hotkey, kind FROM labels WHERE id=?", (label_id,)).fetchone()
        if not r:
            raise ProjectError(msg("There is no label with id {id}.", id=label_id))
        return Label(*r)

    @staticmethod
    def _clean_label_name(name: str) -> str:
        clean = " ".join(str(name).split())
        if not clean:
            raise ProjectError(msg("A label needs a name."))
        if len(clean) > 100:
            raise ProjectError(msg("A label name can have at most 100 characters."))
        return clean

    def add_label(self, name: str, color: str | None = None, hotkey: str | None = None, kind: str = "entity") -> Label:
        """Create a label and return it; colour and hotkey are picked if not given.

        Raises:
            ProjectError: empty name, or a label with this name exists.
        """
        with self.write():
            return self._add_label(name, color, hotkey, kind)

    def _add_label(self, name: str, color: str | None = None, hotkey: str | None = None, kind: str = "entity") -> Label:
        name = self._clean_label_name(name)
        if self.label_by_name(name):
            raise ProjectError(msg("A label called {name} already exists.", name=repr(name)))
        existing = self.labels()
        color = color or next_color({l.color for l in existing})
        if hotkey is None:
            hotkey = next_hotkey({l.hotkey for l in existing if l.hotkey})
        elif hotkey:
            self._check_hotkey(hotkey, None)
        cur = self.conn.execute(
            "INSERT INTO labels(name, color, hotkey, kind) VALUES (?, ?, ?, ?)", (name, color, hotkey or None, kind)
        )
        return Label(cur.lastrowid, name, color, hotkey or None, kind)

    def ensure_labels(self, names: Iterable[str]) -> dict[str, int]:
        """Return ``{name: id}`` for ``names``, creating the missing ones (inside the caller's transaction)."""
        have = {l.name: l.id for l in self.labels()}
        for n in names:
            if n not in have:
                have[n] = self._add_label(n).id
        return have

    def _check_hotkey(self, hotkey: str, label_id: int | None) -> None:
        if len(hotkey) != 1 or not hotkey.isalnum():
            raise ProjectError(msg("A hotkey is one letter or digit."))
        if hotkey.lower() in RESERVED_HOTKEYS:
            raise ProjectError(msg(
                "The key {key} is taken by the editor (S skips a document, X removes an entity); "
                "choose another letter or digit.", key=hotkey.upper()
            ))
        r = self.conn.execute("SELECT name FROM labels WHERE hotkey=? AND id IS NOT ?", (hotkey, label_id)).fetchone()
        if r:
            raise ProjectError(msg("The hotkey {key} is already used by the label {label}.",
                                   key=repr(hotkey), label=repr(r[0])))

    def update_label(
        self, label_id: int, *, name: str | None = None, color: str | None = None, hotkey: str | None = ...
    ) -> Changes:
        """Rename, recolour or re-key a label (``hotkey=None`` removes the hotkey).

        Raises:
            ProjectError: unknown label, empty or duplicate name, hotkey in use.
        """
        with self.write():
            label = self._get_label(label_id)
            if name is not None:
                name = self._clean_label_name(name)
                other = self.label_by_name(name)
                if other and other.id != label_id:
                    raise ProjectError(msg("A label called {name} already exists.", name=repr(name)))
                self.conn.execute("UPDATE labels SET name=? WHERE id=?", (name, label_id))
            if color is not None:
                self.conn.execute("UPDATE labels SET color=? WHERE id=?", (color, label_id))
            if hotkey is not ...:
                if hotkey:
                    self._check_hotkey(hotkey, label.id)
                self.conn.execute("UPDATE labels SET hotkey=? WHERE id=?", (hotkey or None, label_id))
        return Changes(labels=True)

    def rename_label(self, label_id: int, name: str) -> Changes:
        """Rename a label. Raises ProjectError on an empty or duplicate name."""
        return self.update_label(label_id, name=name)

    def recolor_label(self, label_id: int, color: str) -> Changes:
        """Give a label a new colour (``#rrggbb``)."""
        return self.update_label(label_id, color=color)

    def label_span_count(self, label_id: int) -> int:
        """Return how many spans use the label (shown before deleting it)."""
        return self.conn.execute("SELECT count(*) FROM spans WHERE label_id=? AND source='human'", (label_id,)).fetchone()[0]

    def delete_label(self, label_id: int, *, backup: bool = True) -> Changes:
        """Delete a label and every span that uses it; returns the removed spans. With
        ``backup`` (when the label is in use) the project is backed up first
        (:mod:`engine.backup`)."""
        if backup and self.label_span_count(label_id):
            from engine.backup import make_backup

            name = self._get_label(label_id).name
            make_backup(self.path, f"before deleting the label {name}")
        with self.write():
            self._get_label(label_id)
            removed = tuple(
                _row_to_span(r)
                for r in self.conn.execute(f"SELECT {_SPAN_COLS} FROM spans WHERE label_id=?", (label_id,))
            )
            self.conn.execute("DELETE FROM labels WHERE id=?", (label_id,))
        return Changes(documents=frozenset(s.doc_id for s in removed), labels=True, spans_removed=removed)

    # ---- documents

    def add_document(
        self,
        text: str,
        tokens: Sequence[tuple[int, int]] | None = None,
        sentences: Sequence[tuple[int, int]] | None = None,
        *,
        status: str = "new",
        split: str | None = None,
        source: str | None = None,
        meta: dict | None = None,
    ) -> int | None:
        """Add one document; returns its id, or ``None`` if the same text is already in the project.

        ``tokens`` default to :func:`engine.tokenize.tokenize`; ``sentences`` to
        :func:`engine.tokenize.split_sentences`.
        """
        if tokens is None:
            tokens = tokenize(text)
        if sentences is None:
            sentences = split_sentences(text, list(tokens))
        with self.write():
            return self._insert_document(text, tokens, sentences, status, split, source, meta)

    @contextmanager
    def without_trigger(self, name: str) -> Iterator[None]:
        """Inside the caller's transaction: run the block without Tessera's trigger
        ``name`` (``documents_ai``: add rows without indexing each for search;
        ``documents_ad``: delete rows that were never indexed). The trigger is put back
        on exit; on an exception the caller's transaction rolls back, trigger included."""
        self.conn.execute(f"DROP TRIGGER {name}")
        try:
            yield
        finally:
            self.conn.execute(KNOWN_TRIGGERS[name])

    def defer_text_index(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Inside the caller's transaction: record documents with ids in ``ranges``
        (``(first, last)``, added without the search trigger) as waiting for
        :meth:`index_pending`, which indexes them in short transactions (until then
        :meth:`search` finds them with ``LIKE``)."""
        ranges = [[int(a), int(b)] for a, b in ranges if b >= a]
        if ranges:
            conn = self.conn
            conn.execute("INSERT INTO meta(key, value) VALUES('fts_pending', ?) ON CONFLICT(key) DO UPDATE "
                         "SET value=excluded.value", (json.dumps(self._pending_text_index() + ranges),))

    def begin_import(self, path: str, fmt: str, stamp: str) -> int:
        """Record an import that is about to write (``imports.state = 'writing'``, owned by
        this process) and return its id; its documents stay hidden (:meth:`visible`) until
        :meth:`finish_import`. First removes what failed or killed imports left
        (:meth:`drop_abandoned_imports`).

        Raises:
            ProjectBusy: another process is importing into this project right now (one
                import at a time keeps "already in the project" exact).
        """
        self.drop_abandoned_imports()
        with self.write():
            for imp_id, imp_path, owner in self.conn.execute(
                    "SELECT id, path, owner FROM imports WHERE state = 'writing'").fetchall():
                if owner_alive(owner):
                    raise ProjectBusy(msg(
                        "{project}: another import ({file}) is running into this project. "
                        "Nothing was changed; import again when it has finished.",
                        project=self.path.name, file=Path(imp_path).name))
            return int(self.conn.execute(
                "INSERT INTO imports(path, format, created, state, owner) VALUES (?, ?, ?, 'writing', ?)",
                (path, fmt, stamp, owner_record())).lastrowid)

    def finish_import(self, import_id: int) -> None:
        """Inside the caller's transaction: show the documents of import ``import_id``."""
        self.conn.execute("UPDATE imports SET state = NULL, owner = NULL WHERE id = ?", (import_id,))

    def drop_import(self, import_id: int, chunk: int = 2000) -> int:
        """Delete a hidden import (one that failed, was cancelled or whose process was
        killed) with its documents, ``chunk`` documents per transaction; return how many
        documents were deleted. Its documents were never indexed for search nor given
        spans (those come with :meth:`finish_import`'s transaction)."""
        done = 0
        while True:
            with self.write():
                state = self.conn.execute("SELECT state FROM imports WHERE id = ?", (import_id,)).fetchone()
                if state is None or state[0] is None:
                    return done  # gone already, or shown: nothing hidden to drop
                ids = [r[0] for r in self.conn.execute(
                    "SELECT id FROM documents WHERE import_id = ? LIMIT ?", (import_id, chunk))]
                if not ids:
                    self.conn.execute("DELETE FROM imports WHERE id = ?", (import_id,))
                    return done
                with self.without_trigger("documents_ad"):
                    self.conn.execute(f"DELETE FROM documents WHERE id IN ({','.join('?' * len(ids))})", ids)
                done += len(ids)

    def drop_abandoned_imports(self) -> int:
        """Delete the hidden documents of imports that failed or whose process is gone
        (:meth:`drop_import`); return how many documents were deleted. A no-op (no write)
        when there are none."""
        rows = self.conn.execute("SELECT id, state, owner FROM imports WHERE state IS NOT NULL").fetchall()
        return sum(self.drop_import(i) for i, state, owner in rows if state != "writing" or not owner_alive(owner))

    def _pending_text_index(self) -> list[list[int]]:
        """Id ranges ``[first, last]`` of documents not in the full-text index yet."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='fts_pending'").fetchone()
        try:
            return [list(map(int, r)) for r in json.loads(row[0])] if row else []
        except (ValueError, TypeError):
            return []

    def index_pending(self, chunk: int = 2000) -> int:
        """Add documents waiting for the full-text index (see :meth:`deferred_text_index`)
        to it, ``chunk`` documents per transaction (about 40 ms each); return how many
        were indexed. Safe to call any time; an interrupted run continues next time."""
        done = 0
        while True:
            with self.write():
                ranges = self._pending_text_index()
                if not ranges:
                    return done
                a, b = ranges[0]
                upto = min(b, a + chunk - 1)
                cur = self.conn.execute(
                    "INSERT INTO documents_fts(rowid, text) SELECT id, text FROM documents WHERE id BETWEEN ? AND ?",
                    (a, upto))
                done += max(cur.rowcount, 0)
                ranges = ([[upto + 1, b]] if upto < b else []) + ranges[1:]
                if ranges:
                    self.conn.execute("UPDATE meta SET value=? WHERE key='fts_pending'", (json.dumps(ranges),))
                else:
                    self.conn.execute("DELETE FROM meta WHERE key='fts_pending'")

    def _insert_document(self, text, tokens, sentences, status, split, source, meta, hash_=None, stamp=None) -> int | None:
        """Insert inside the caller's transaction; ``None`` if the hash exists already."""
        if status not in STATUSES:
            raise ProjectError(msg("Unknown status {status}; use one of {choices}.",
                                   status=repr(status), choices=", ".join(STATUSES)))
        if split is not None and split not in SPLITS:
            raise ProjectError(msg("Unknown split {split}; use one of {choices}.",
                                   split=repr(split), choices=", ".join(SPLITS)))
        stamp = stamp or now()
        hash_ = hash_ or text_hash(text)
        if self.conn.execute("SELECT 1 FROM documents WHERE hash=? LIMIT 1", (hash_,)).fetchone():
            return None
        cur = self.conn.execute(
            "INSERT INTO documents(text, tokens, sentences, status, split, source, hash, meta, created, updated)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                text,
                json.dumps(tokens, separators=(",", ":")),
                json.dumps(sentences, separators=(",", ":")),
                status,
                split,
                source,
                hash_,
                json.dumps(meta, ensure_ascii=False) if meta else None,
                stamp,
                stamp,
            ),
        )
        return cur.lastrowid if cur.rowcount else None

    def document(self, doc_id: int) -> Document:
        """Return one document with its tokens and sentences.

        Raises:
            ProjectError: no document with this id.
        """
        r = self.conn.execute(
            "SELECT id, text, tokens, sentences, status, split, source, meta, import_id FROM documents WHERE id=?",
            (doc_id,),
        ).fetchone()
        if not r:
            raise ProjectError(msg("There is no document with id {id}.", id=doc_id))
        return Document(
            r[0],
            r[1],
            [tuple(t) for t in json.loads(r[2])],
            [tuple(s) for s in json.loads(r[3])],
            r[4],
            r[5],
            r[6],
            json.loads(r[7]) if r[7] else None,
            r[8],
        )

    def _text_len_and_tokens(self, doc_id: int) -> tuple[int, list[tuple[int, int]]]:
        """Return ``(len(text), tokens)`` of a document, cached for the last few used.

        Raises:
            ProjectError: no document with this id.
        """
        hit = self._tokens_cache.get(doc_id)
        if hit is None:
            r = self.conn.execute("SELECT length(text), tokens FROM documents WHERE id=?", (doc_id,)).fetchone()
            if not r:
                raise ProjectError(msg("There is no document with id {id}.", id=doc_id))
            hit = (r[0], [tuple(t) for t in json.loads(r[1])])
            if len(self._tokens_cache) >= 8:
                self._tokens_cache.pop(next(iter(self._tokens_cache)))
            self._tokens_cache[doc_id] = hit
        return hit

    def delete_document(self, doc_id: int) -> Changes:
        """Delete a document and its spans."""
        self._tokens_cache.pop(doc_id, None)
        if self._pending_text_index():
            self.index_pending()  # the delete trigger removes the document from the index: it must be there
        with self.write():
            self.conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        return Changes(documents=frozenset([doc_id]), statuses=True)

    def same_text_as(self, doc_id: int) -> list[int]:
        """Return the ids of the other documents with the same text (a conflict when not empty)."""
        return [r[0] for r in self.conn.execute(
            f"SELECT id FROM documents WHERE hash = (SELECT hash FROM documents WHERE id=?) AND id != ? AND {self.visible()}"
            " ORDER BY id",
            (doc_id, doc_id))]

    def has_document(self, doc_id: int) -> bool:
        """True when a document with this id exists."""
        return self.conn.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None

    def snapshot_document(self, doc_id: int) -> dict:
        """Return everything stored for a document (its row, spans and feedback), for
        :meth:`restore_document` (undo of a deletion).

        Raises:
            ProjectError: no document with this id.
        """
        c = self.conn
        row = c.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        if not row:
            raise ProjectError(msg("There is no document with id {id}.", id=doc_id))
        cols = [d[1] for d in c.execute("PRAGMA table_info(documents)")]
        return {
            "document": dict(zip(cols, row)),
            "spans": [tuple(r) for r in c.execute("SELECT * FROM spans WHERE doc_id=?", (doc_id,))],
            "feedback": [tuple(r) for r in c.execute("SELECT * FROM span_feedback WHERE doc_id=?", (doc_id,))],
        }

    def restore_document(self, snapshot: dict) -> Changes:
        """Put back a document deleted after :meth:`snapshot_document`, with the same id,
        spans and feedback (labels deleted since are left out)."""
        doc = snapshot["document"]
        labels = {r[0] for r in self.conn.execute("SELECT id FROM labels")}
        with self.write():
            cols = ", ".join(f'"{k}"' for k in doc)
            self.conn.execute(f"INSERT INTO documents({cols}) VALUES ({','.join('?' * len(doc))})", tuple(doc.values()))
            spans = [r for r in snapshot["spans"] if r[6] in labels]
            if spans:
                self.conn.executemany(f"INSERT INTO spans VALUES ({','.join('?' * len(spans[0]))})", spans)
            feedback = [r for r in snapshot["feedback"] if r[4] in labels]
            if feedback:
                self.conn.executemany(f"INSERT INTO span_feedback VALUES ({','.join('?' * len(feedback[0]))})", feedback)
        return Changes(documents=frozenset([doc["id"]]), statuses=True)

    def set_status(self, doc_ids: int | Iterable[int], status: str) -> Changes:
        """Set ``new``/``done``/``skipped`` on one or more documents.

        Raises:
            ProjectError: unknown status.
        """
        if status not in STATUSES:
            raise ProjectError(msg("Unknown status {status}; use one of {choices}.",
                                   status=repr(status), choices=", ".join(STATUSES)))
        ids = [doc_ids] if isinstance(doc_ids, int) else list(doc_ids)
        with self.write():
            stamp = now()
            self.conn.executemany(
                "UPDATE documents SET status=?, updated=? WHERE id=?", [(status, stamp, i) for i in ids]
            )
        return Changes(documents=frozenset(ids), statuses=True)

    def set_split(self, doc_ids: int | Iterable[int], split: str | None) -> Changes:
        """Set ``train``/``dev``/``test`` (or ``None`` = automatic) on documents.

        Raises:
            ProjectError: unknown split.
        """
        if split is not None and split not in SPLITS:
            raise ProjectError(msg("Unknown split {split}; use one of {choices} or none.",
                                   split=repr(split), choices=", ".join(SPLITS)))
        ids = [doc_ids] if isinstance(doc_ids, int) else list(doc_ids)
        with self.write():
            stamp = now()
            self.conn.executemany("UPDATE documents SET split=?, updated=? WHERE id=?", [(split, stamp, i) for i in ids])
        return Changes(documents=frozenset(ids), statuses=True)

    # ---- spans

    def spans(self, doc_id: int) -> list[Span]:
        """Return the spans of a document ordered by start offset."""
        return [
            _row_to_span(r)
            for r in self.conn.execute(f"SELECT {_SPAN_COLS} FROM spans WHERE doc_id=? ORDER BY start", (doc_id,))
        ]

    def add_span(
        self,
        doc_id: int,
        start: int,
        end: int,
        label_id: int,
        *,
        source: str = "human",
        score: float | None = None,
    ) -> Changes:
        """Label characters ``[start, end)``; spans it overlaps are removed first.

        Returns the added span and the removed ones (for undo).

        Raises:
            ProjectError: unknown document or label, or offsets outside the text.
        """
        with self.write():
            n_chars, tokens = self._text_len_and_tokens(doc_id)
            self._get_label(label_id)
            if not (0 <= start < end <= n_chars):
                raise ProjectError(msg(
                    "Span {start}-{end} is outside document {id}, which has {n} characters.",
                    start=start, end=end, id=doc_id, n=n_chars
                ))
            ts, te = token_range(tokens, start, end)
            removed = tuple(
                _row_to_span(r)
                for r in self.conn.execute(
                    f'SELECT {_SPAN_COLS} FROM spans WHERE doc_id=? AND start < ? AND "end" > ?', (doc_id, end, start)
                )
            )
            if removed:
                self.conn.executemany("DELETE FROM spans WHERE id=?", [(s.id,) for s in removed])
            cur = self.conn.execute(
                'INSERT INTO spans(doc_id, start, "end", token_start, token_end, label_id, source, score, created)'
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (doc_id, start, end, ts, te, label_id, source, score, now()),
            )
            added = Span(cur.lastrowid, doc_id, start, end, ts, te, label_id, source, score)
        return Changes(documents=frozenset([doc_id]), spans_added=(added,), spans_removed=removed)

    def add_token_span(self, doc_id: int, token_start: int, token_end: int, label_id: int, **kw) -> Changes:
        """Label tokens ``[token_start, token_end)``; see :meth:`add_span`.

        Raises:
            ProjectError: token range empty or outside the document.
        """
        tokens = self._text_len_and_tokens(doc_id)[1]
        if not (0 <= token_start < token_end <= len(tokens)):
            raise ProjectError(msg("Tokens {start}-{end} are outside document {id}.",
                                   start=token_start, end=token_end, id=doc_id))
        return self.add_span(doc_id, tokens[token_start][0], tokens[token_end - 1][1], label_id, **kw)

    def remove_span(self, span_id: int) -> Changes:
        """Delete one span; returns it as removed (for undo). Unknown ids change nothing."""
        with self.write():
            span = self._delete_span(span_id)
        return Changes(documents=frozenset([span.doc_id]), spans_removed=(span,)) if span else Changes()

    def _delete_span(self, span_id: int, source: str | None = None) -> Span | None:
        """Inside the caller's transaction: delete span ``span_id`` (only if its source is
        ``source``, when given) and return it, or ``None`` when there is no such span."""
        where = "id=?" + (" AND source=?" if source else "")
        r = self.conn.execute(f"SELECT {_SPAN_COLS} FROM spans WHERE {where}",
                              (span_id, source) if source else (span_id,)).fetchone()
        if not r:
            return None
        self.conn.execute("DELETE FROM spans WHERE id=?", (span_id,))
        return _row_to_span(r)

    def restore_spans(self, spans: Iterable[Span]) -> Changes:
        """Put back spans exactly as they were (same ids), e.g. for undo of a removal."""
        spans = tuple(spans)
        with self.write():
            stamp = now()
            self.conn.executemany(
                'INSERT OR REPLACE INTO spans(id, doc_id, start, "end", token_start, token_end, label_id, source, score,'
                " run_id, created) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(*(getattr(s, f) for f in ("id", "doc_id", "start", "end", "token_start", "token_end", "label_id",
                                            "source", "score", "run_id")), stamp) for s in spans],
            )
        return Changes(documents=frozenset(s.doc_id for s in spans), spans_added=spans)

    # ---- document categories

    CATEGORY_CHOICES = ("single", "multiple")

    def category_choice(self) -> str:
        """``single`` (a document takes one category; the default) or ``multiple``."""
        r = self.conn.execute("SELECT value FROM meta WHERE key='category_choice'").fetchone()
        return r[0] if r and r[0] in self.CATEGORY_CHOICES else "single"

    def set_category_choice(self, choice: str) -> None:
        """Say whether documents take one category or several.

        Raises:
            ProjectError: unknown choice.
        """
        if choice not in self.CATEGORY_CHOICES:
            raise ProjectError(msg("Unknown category choice {choice}; use single or multiple.", choice=repr(choice)))
        with self.write():
            self.conn.execute("INSERT INTO meta(key, value) VALUES ('category_choice', ?) ON CONFLICT(key) DO UPDATE"
                              " SET value=excluded.value", (choice,))

    def categories(self, doc_id: int, *, source: str | None = "human") -> list[DocCategory]:
        """Return a document's categories (by label id; ``source=None``: also suggestions)."""
        where, params = ("AND source=?", (doc_id, source)) if source else ("", (doc_id,))
        return [DocCategory(*r) for r in self.conn.execute(
            f"SELECT id, doc_id, label_id, source, score FROM doc_categories WHERE doc_id=? {where} ORDER BY label_id",
            params)]

    def set_category(self, doc_id: int, label_id: int, on: bool = True, *, source: str = "human",
                     score: float | None = None) -> Changes:
        """Give a document a category (``on``) or take it away. With single choice a new
        human category replaces the document's other ones. A person's category also
        settles the model's suggestions: a suggestion of the same category (or, with
        single choice, any) is removed. Returns what was added and removed (undo:
        :meth:`restore_categories`).

        Raises:
            ProjectError: unknown document, or the label is not a category.
        """
        with self.write():
            self._text_len_and_tokens(doc_id)
            if self._get_label(label_id).kind != "category":
                raise ProjectError(msg("The label {label} is an entity label, not a category.",
                                       label=repr(self._get_label(label_id).name)))
            c = self.conn
            have = self.categories(doc_id, source=source)
            removed = [h for h in have if h.label_id == label_id] if not on else (
                [h for h in have if h.label_id != label_id]
                if source == "human" and self.category_choice() == "single" else [])
            if on and source == "human":  # the person decided: suggestions it settles go
                single = self.category_choice() == "single"
                removed += [m for m in self.categories(doc_id, source="model") if single or m.label_id == label_id]
            if removed:
                c.executemany("DELETE FROM doc_categories WHERE id=?", [(h.id,) for h in removed])
            added = []
            if on and not any(h.label_id == label_id for h in have):
                cur = c.execute("INSERT INTO doc_categories(doc_id, label_id, source, score, created) VALUES"
                                " (?,?,?,?,?)", (doc_id, label_id, source, score, now()))
                added.append(DocCategory(cur.lastrowid, doc_id, label_id, source, score))
        return Changes(documents=frozenset([doc_id]), categories_added=tuple(added), categories_removed=tuple(removed))

    def restore_categories(self, changes: Changes) -> Changes:
        """Undo :meth:`set_category`: remove what it added, put back what it removed (same ids)."""
        with self.write():
            self.conn.executemany("DELETE FROM doc_categories WHERE id=?", [(a.id,) for a in changes.categories_added])
            self.conn.executemany(
                "INSERT OR REPLACE INTO doc_categories(id, doc_id, label_id, source, score, created) VALUES (?,?,?,?,?,?)",
                [(r.id, r.doc_id, r.label_id, r.source, r.score, now()) for r in changes.categories_removed])
        return Changes(documents=changes.documents, categories_added=changes.categories_removed,
                       categories_removed=changes.categories_added)

    def category_counts(self) -> dict[str, int]:
        """Documents per category (human), by label id order; categories without any included."""
        return dict(self.conn.execute(
            "SELECT l.name, count(c.id) FROM labels l LEFT JOIN doc_categories c ON c.label_id = l.id AND"
            " c.source = 'human' WHERE l.kind = 'category' GROUP BY l.id ORDER BY l.id"))

    # ---- suggestions (spans a model proposed: source "model", never gold until accepted)

    def replace_suggestions(self, doc_id: int, run_id: int | None,
                            items: Iterable[tuple[int, int, int, float]]) -> Changes:
        """Replace a document's suggestions with ``items`` (``(start, end, label_id,
        score)`` character spans from run ``run_id``), leaving out any that overlaps a
        human entity or that was rejected before on this document (same place and label,
        whichever run it came from). Returns the added and removed suggestions.

        Raises:
            ProjectError: unknown document.
        """
        with self.write():
            n_chars, tokens = self._text_len_and_tokens(doc_id)
            c = self.conn
            removed = tuple(_row_to_span(r) for r in c.execute(
                f"SELECT {_SPAN_COLS} FROM spans WHERE doc_id=? AND source='model'", (doc_id,)))
            if removed:
                c.execute("DELETE FROM spans WHERE doc_id=? AND source='model'", (doc_id,))
            human = [(a, b) for a, b in c.execute('SELECT start, "end" FROM spans WHERE doc_id=?', (doc_id,))]
            rejected = set(c.execute('SELECT start, "end", label_id FROM span_feedback WHERE doc_id=? AND answer=?',
                                     (doc_id, "reject")))
            labels = {r[0] for r in c.execute("SELECT id FROM labels")}
            starts = [t[0] for t in tokens]
            ends = [t[1] for t in tokens]
            added = []
            stamp = now()
            for start, end, label_id, score in items:
                if (label_id not in labels or not (0 <= start < end <= n_chars) or (start, end, label_id) in rejected
                        or any(a < end and start < b for a, b in human)):
                    continue
                ts, te = token_range(tokens, start, end, starts=starts, ends=ends)
                cur = c.execute(
                    'INSERT INTO spans(doc_id, start, "end", token_start, token_end, label_id, source, score, run_id,'
                    " created) VALUES (?,?,?,?,?,?,'model',?,?,?)", (doc_id, start, end, ts, te, label_id, score,
                                                                     run_id, stamp))
                added.append(Span(cur.lastrowid, doc_id, start, end, ts, te, label_id, "model", score, run_id))
                human.append((start, end))  # suggestions do not overlap each other either
        return Changes(documents=frozenset([doc_id]), spans_added=tuple(added), spans_removed=removed)

    def accept_suggestions(self, span_ids: Iterable[int]) -> Changes:
        """Make suggestions entities (``source`` becomes ``human``; score and run kept).
        Returns the accepted spans as added and their suggestion form as removed (the
        same ids: :meth:`restore_spans` of the removed ones undoes it). Ids that are not
        suggestions change nothing."""
        ids = list(span_ids)
        with self.write():
            old = []
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                old += [_row_to_span(r) for r in self.conn.execute(
                    f"SELECT {_SPAN_COLS} FROM spans WHERE source='model' AND id IN ({','.join('?' * len(chunk))})",
                    chunk)]
            self.conn.executemany("UPDATE spans SET source='human' WHERE id=?", [(s.id,) for s in old])
        new = tuple(Span(**{**s.__dict__, "source": "human"}) for s in old)
        return Changes(documents=frozenset(s.doc_id for s in old), spans_added=new, spans_removed=tuple(old))

    def reject_suggestion(self, span_id: int) -> Changes:
        """Delete a suggestion and remember it as rejected (``span_feedback``, answer
        ``reject``, origin ``run:N``), so no later suggestion puts it back. Returns the
        removed span and the feedback id (undo: :meth:`undo_reject`). An id that is not a
        suggestion changes nothing."""
        with self.write():
            span = self._delete_span(span_id, "model")
            if span is None:
                return Changes()
            fid = self.conn.execute(
                'INSERT INTO span_feedback(doc_id, start, "end", label_id, answer, origin, score, created)'
                " VALUES (?,?,?,?,'reject',?,?,?)",
                (span.doc_id, span.start, span.end, span.label_id,
                 f"run:{span.run_id}" if span.run_id is not None else "model", span.score, now())).lastrowid
        return Changes(documents=frozenset([span.doc_id]), spans_removed=(span,), feedback_added=(fid,))

    def undo_reject(self, changes: Changes) -> Changes:
        """Undo :meth:`reject_suggestion`: forget the rejection and put the suggestion back."""
        with self.write():
            self.conn.executemany("DELETE FROM span_feedback WHERE id=?", [(i,) for i in changes.feedback_added])
            self.restore_spans(changes.spans_removed)
        return Changes(documents=changes.documents, spans_added=changes.spans_removed)

    def drop_suggestions(self, doc_ids: int | Iterable[int]) -> Changes:
        """Delete the suggestions left on documents, entities and categories (done keeps
        only a person's); returns them as removed (undo: :meth:`restore_spans` and
        :meth:`restore_categories`)."""
        ids = [doc_ids] if isinstance(doc_ids, int) else list(doc_ids)
        with self.write():
            removed, cats = [], []
            for i in ids:
                removed += [_row_to_span(r) for r in self.conn.execute(
                    f"SELECT {_SPAN_COLS} FROM spans WHERE doc_id=? AND source='model'", (i,))]
                cats += self.categories(i, source="model")
            self.conn.executemany("DELETE FROM spans WHERE id=?", [(s.id,) for s in removed])
            self.conn.executemany("DELETE FROM doc_categories WHERE id=?", [(c.id,) for c in cats])
        return Changes(documents=frozenset(ids), spans_removed=tuple(removed), categories_removed=tuple(cats))

    def replace_category_suggestions(self, doc_id: int, items: Iterable[tuple[int, float]]) -> Changes:
        """Make ``items`` (``(category label id, score)``) the document's suggested
        categories, replacing the model's earlier ones; categories the document already
        has (by a person) are not suggested again. Returns what changed. Unknown
        documents are skipped (deleted meanwhile)."""
        with self.write():
            c = self.conn
            if not self.has_document(doc_id):
                return Changes()
            old = self.categories(doc_id, source="model")
            c.execute("DELETE FROM doc_categories WHERE doc_id=? AND source='model'", (doc_id,))
            human = {h.label_id for h in self.categories(doc_id)}
            added, stamp = [], now()
            for label_id, score in items:
                if label_id in human:
                    continue
                cur = c.execute("INSERT INTO doc_categories(doc_id, label_id, source, score, created) VALUES"
                                " (?,?,'model',?,?)", (doc_id, label_id, float(score), stamp))
                added.append(DocCategory(cur.lastrowid, doc_id, label_id, "model", float(score)))
        return Changes(documents=frozenset([doc_id]), categories_added=tuple(added), categories_removed=tuple(old))

    def set_uncertainty(self, rows: Iterable[tuple[int, int | None, float]]) -> None:
        """Store ``(doc_id, run_id, uncertainty)`` for the active-learning queue (one
        transaction; documents deleted meanwhile are skipped)."""
        stamp = now()
        with self.write():
            self.conn.executemany(
                "INSERT INTO doc_scores(doc_id, run_id, uncertainty, updated) SELECT ?, ?, ?, ?"
                " WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?) ON CONFLICT(doc_id) DO UPDATE SET"
                " run_id=excluded.run_id, uncertainty=excluded.uncertainty, updated=excluded.updated",
                [(d, r, float(u), stamp, d) for d, r, u in rows])

    def unscored_new_documents(self, run_id: int | None) -> list[int]:
        """Ids of ``new`` documents whose uncertainty was not measured by run ``run_id``
        (all new ones for ``None``: a model from elsewhere), by id."""
        return [r[0] for r in self.conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN doc_scores s ON s.doc_id = d.id WHERE d.status = 'new'"
            f" AND {self.visible('d')} AND (s.run_id IS NULL OR s.run_id IS NOT ?) ORDER BY d.id", (run_id,))]

    def scored_by(self, doc_id: int) -> tuple[str, int | None] | None:
        """``(status, run id whose uncertainty is stored or None)`` of a document, or ``None``
        when there is no such document."""
        r = self.conn.execute("SELECT d.status, s.run_id FROM documents d LEFT JOIN doc_scores s ON s.doc_id = d.id"
                              " WHERE d.id = ?", (doc_id,)).fetchone()
        return (r[0], r[1]) if r else None

    def has_scores(self) -> bool:
        """True when some document has an uncertainty (the list's Unsure column)."""
        return self.conn.execute("SELECT 1 FROM doc_scores LIMIT 1").fetchone() is not None

    def uncertainty(self, doc_ids: Iterable[int] | None = None) -> dict[int, float]:
        """Return ``{doc_id: uncertainty}`` of the scored documents (all, or those in ``doc_ids``)."""
        if doc_ids is None:
            return dict(self.conn.execute("SELECT doc_id, uncertainty FROM doc_scores"))
        ids = list(doc_ids)
        out: dict[int, float] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update(self.conn.execute(
                f"SELECT doc_id, uncertainty FROM doc_scores WHERE doc_id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    # ---- feedback (rejected / ignored spans: never entities)

    def feedback(self, doc_id: int) -> list[Feedback]:
        """Return the spans answered reject/ignore on a document, by start offset."""
        return [
            Feedback(*r) for r in self.conn.execute(
                'SELECT id, doc_id, start, "end", label_id, answer, origin, score FROM span_feedback'
                " WHERE doc_id=? ORDER BY start, id", (doc_id,))
        ]

    def feedback_by_document(self) -> dict[int, list[Feedback]]:
        """Every rejected/ignored span, by document (one query; there are few)."""
        out: dict[int, list[Feedback]] = {}
        for r in self.conn.execute('SELECT id, doc_id, start, "end", label_id, answer, origin, score FROM span_feedback'
                                   " ORDER BY doc_id, start, id"):
            out.setdefault(r[1], []).append(Feedback(*r))
        return out

    def imports(self) -> list[dict]:
        """Return the import history, oldest first: ``{"id", "path", "format", "origin",
        "summary", "report", "created"}`` (``origin``/``summary`` decoded)."""
        out = []
        for r in self.conn.execute("SELECT id, path, format, origin, summary, report, created FROM imports"
                                   " WHERE state IS NULL ORDER BY id"):
            out.append({"id": r[0], "path": r[1], "format": r[2], "origin": json.loads(r[3]) if r[3] else {},
                        "summary": json.loads(r[4]) if r[4] else {}, "report": r[5], "created": r[6]})
        return out

    def count_conflicts(self) -> int:
        """Return how many documents share their text with another document (conflicting copies)."""
        return self.conn.execute(f"SELECT count(*) FROM documents WHERE {self.visible()} AND {self._conflict()}"
                                 ).fetchone()[0]

    def visible(self, alias: str = "") -> str:
        """Return an SQL condition on ``documents`` that is true for the documents a user
        sees: all but those of an import still being written in short transactions, or
        abandoned by a failed or killed one (``imports.state``, migration m005). ``"1"``
        when no import is hidden (the usual case, so queries keep their plans); ``alias``
        qualifies the column (``"d"`` gives ``d.import_id``)."""
        if self.conn.execute("SELECT 1 FROM imports WHERE state IS NOT NULL LIMIT 1").fetchone() is None:
            return "1"
        return f"coalesce({alias + '.' if alias else ''}import_id, 0) NOT IN ({HIDDEN_IMPORTS})"

    def _conflict(self) -> str:
        """SQL condition: a document whose text another visible document has too (a conflict)."""
        return f"hash IN (SELECT hash FROM documents WHERE {self.visible()} GROUP BY hash HAVING count(*) > 1)"

    # ---- queries

    def count_documents(self, *, status: str | None = None, split: str | None = None) -> int:
        """Return how many documents match the filters."""
        where, params = self._doc_filter(status=status, split=split)
        return self.conn.execute(f"SELECT count(*) FROM documents {where}", params).fetchone()[0]

    def _doc_filter(self, *, status=None, split=None, label_id=None, query=None) -> tuple[str, list]:
        clauses, params = [], []
        visible = self.visible()
        if visible != "1":
            clauses.append(visible)
        if status == "conflict":
            clauses.append(self._conflict())
        elif status:
            clauses.append("status = ?")
            params.append(status)
        if split:
            if split == "none":
                clauses.append("split IS NULL")
            else:
                clauses.append("split = ?")
                params.append(split)
        if label_id:  # an entity label, or a category
            clauses.append("id IN (SELECT doc_id FROM spans WHERE label_id = ? AND source = 'human'"
                           " UNION ALL SELECT doc_id FROM doc_categories WHERE label_id = ? AND source = 'human')")
            params += [label_id, label_id]
        if query:
            if len(query) >= 3:
                fts = "id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
                params.append('"' + query.replace('"', '""') + '"')
                pending = self._pending_text_index()
                if pending:  # documents an import added but not yet indexed (index_pending) are read with LIKE
                    ranges = " OR ".join("id BETWEEN ? AND ?" for _ in pending)
                    fts = f"({fts} OR (({ranges}) AND text LIKE ? ESCAPE '\\'))"
                    params += [x for r in pending for x in r]
                    params.append("%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                clauses.append(fts)
            else:
                clauses.append("text LIKE ? ESCAPE '\\'")
                params.append("%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def search(self, query: str, limit: int = 100) -> list[int]:
        """Return ids of documents whose text contains ``query`` (case-insensitive), by id.

        Uses the FTS5 trigram index for queries of 3+ characters, LIKE for shorter ones.
        """
        query = query.strip()
        if not query:
            return []
        where, params = self._doc_filter(query=query)
        return [r[0] for r in self.conn.execute(f"SELECT id FROM documents {where} ORDER BY id LIMIT ?", (*params, limit))]

    def list_documents(
        self,
        offset: int = 0,
        limit: int = 200,
        *,
        status: str | None = None,
        split: str | None = None,
        label_id: int | None = None,
        query: str | None = None,
        order: str = "id",
    ) -> list[DocumentRow]:
        """Return one page of document-list rows (no tokens are loaded), by id or (``order
        = "uncertainty"``) the least certain first, unscored ones last."""
        where, params = self._doc_filter(status=status, split=split, label_id=label_id, query=query)
        order_by = "coalesce(sc.uncertainty, -1) DESC, d.id" if order == "uncertainty" else "d.id"
        sql = (
            "SELECT d.id, d.status, d.split, (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND s.source = 'human'),"
            f" substr(d.text, 1, 120), sc.uncertainty, {_ROW_CATEGORIES}"
            f" FROM documents d LEFT JOIN doc_scores sc ON sc.doc_id = d.id {where.replace('id IN', 'd.id IN')}"
            f" ORDER BY {order_by} LIMIT ? OFFSET ?"
        )
        return [DocumentRow(*r) for r in self.conn.execute(sql, (*params, limit, offset))]

    def iter_documents(
        self, *, status: str | None = None, split: str | None = None, page_size: int = 500
    ) -> Iterator[tuple[Document, list[Span]]]:
        """Yield ``(document, spans)`` in id order, fetching ``page_size`` documents at a time."""
        where, params = self._doc_filter(status=status, split=split)
        where = (where + " AND" if where else "WHERE") + " id > ?"
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT id, text, tokens, sentences, status, split, source, meta, import_id FROM documents {where}"
                " ORDER BY id LIMIT ?",
                (*params, last, page_size),
            ).fetchall()
            if not rows:
                return
            ids = [r[0] for r in rows]
            by_doc: dict[int, list[Span]] = {i: [] for i in ids}
            marks = ",".join("?" * len(ids))
            for r in self.conn.execute(
                f"SELECT {_SPAN_COLS} FROM spans WHERE doc_id IN ({marks}) ORDER BY doc_id, start", ids
            ):
                by_doc[r[1]].append(_row_to_span(r))
            for r in rows:
                doc = Document(
                    r[0], r[1], [tuple(t) for t in json.loads(r[2])], [tuple(s) for s in json.loads(r[3])],
                    r[4], r[5], r[6], json.loads(r[7]) if r[7] else None, r[8],
                )
                yield doc, by_doc[r[0]]
            last = ids[-1]

    def stats(self, *, tokens: bool = True) -> Stats:
        """Return document counts per status and split, and span counts per label.

        ``tokens=False`` skips the token total (0), which reads every document and
        is the slow part on large projects.
        """
        c = self.conn
        where = "WHERE " + self.visible()
        by_status = {s: 0 for s in STATUSES}
        by_status.update(dict(c.execute(f"SELECT status, count(*) FROM documents {where} GROUP BY status").fetchall()))
        by_split = {str(k): v for k, v in c.execute(
            f"SELECT coalesce(split, 'auto'), count(*) FROM documents {where} GROUP BY split")}
        by_label = dict(
            c.execute(
                "SELECT l.name, count(s.id) FROM labels l LEFT JOIN spans s ON s.label_id = l.id AND s.source = 'human'"
                " WHERE l.kind = 'entity' GROUP BY l.id ORDER BY l.id"
            ).fetchall()
        )
        n_tokens = (
            c.execute(f"SELECT coalesce(sum(json_array_length(tokens)), 0) FROM documents {where}").fetchone()[0] if tokens else 0
        )
        return Stats(
            documents=sum(by_status.values()),
            by_status=by_status,
            by_split=by_split,
            spans=sum(by_label.values()),
            spans_by_label=by_label,
            tokens=n_tokens,
        )

    # ---- document list navigation (filters as in list_documents; list order is by id)

    def count_filtered(
        self,
        *,
        status: str | None = None,
        split: str | None = None,
        label_id: int | None = None,
        query: str | None = None,
    ) -> int:
        """Return how many documents :meth:`list_documents` lists for the same filters.

        ``split="none"`` means documents with no split (automatic); ``label_id``: at
        least one entity of that label; ``query``: text contains it (see :meth:`search`).
        """
        where, params = self._doc_filter(status=status, split=split, label_id=label_id, query=query)
        return self.conn.execute(f"SELECT count(*) FROM documents {where}", params).fetchone()[0]

    def row_of(
        self,
        doc_id: int,
        *,
        status: str | None = None,
        split: str | None = None,
        label_id: int | None = None,
        query: str | None = None,
        order: str = "id",
    ) -> int | None:
        """Return the 0-based position of ``doc_id`` in :meth:`list_documents` for these filters
        and ``order``.

        ``None`` when the document does not exist or the filters leave it out. Counts
        the matching documents ordered before it (``ORDER BY id``, as the list does), so
        nothing else is loaded.
        """
        where, params = self._doc_filter(status=status, split=split, label_id=label_id, query=query)
        where = (where + " AND" if where else "WHERE")
        if not self.conn.execute(f"SELECT 1 FROM documents {where} id = ?", (*params, doc_id)).fetchone():
            return None
        if order == "uncertainty":
            key = "coalesce((SELECT uncertainty FROM doc_scores WHERE doc_id = documents.id), -1)"
            mine = self.conn.execute("SELECT coalesce(uncertainty, -1) FROM documents LEFT JOIN doc_scores ON "
                                     "doc_scores.doc_id = documents.id WHERE documents.id = ?", (doc_id,)).fetchone()[0]
            return self.conn.execute(f"SELECT count(*) FROM documents {where} ({key} > ? OR ({key} = ? AND id < ?))",
                                     (*params, mine, mine, doc_id)).fetchone()[0]
        return self.conn.execute(f"SELECT count(*) FROM documents {where} id < ?", (*params, doc_id)).fetchone()[0]

    def next_unfinished_after(
        self,
        doc_id: int | None,
        *,
        split: str | None = None,
        label_id: int | None = None,
        query: str | None = None,
    ) -> int | None:
        """Return the first ``new`` document after ``doc_id`` in list order, wrapping around.

        ``doc_id`` itself is never returned (``None`` when no other ``new`` document
        matches the filters); ``doc_id=None`` starts from the top of the list.
        """
        where, params = self._doc_filter(status="new", split=split, label_id=label_id, query=query)
        if doc_id is None:
            r = self.conn.execute(f"SELECT id FROM documents {where} ORDER BY id LIMIT 1", params).fetchone()
            return r[0] if r else None
        for cmp in (">", "<"):
            r = self.conn.execute(
                f"SELECT id FROM documents {where} AND id {cmp} ? ORDER BY id LIMIT 1", (*params, doc_id)
            ).fetchone()
            if r:
                return r[0]
        return None

    def document_rows(self, doc_ids: Iterable[int]) -> list[DocumentRow]:
        """Return the document-list rows of ``doc_ids`` (any filter ignored), by id; unknown ids are left out."""
        ids = sorted(set(doc_ids))
        out: list[DocumentRow] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out += [
                DocumentRow(*r)
                for r in self.conn.execute(
                    "SELECT d.id, d.status, d.split, (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND"
                    " s.source = 'human'), substr(d.text, 1, 120), (SELECT uncertainty FROM doc_scores WHERE doc_id"
                    f" = d.id), {_ROW_CATEGORIES} FROM documents d WHERE d.id IN ({','.join('?' * len(chunk))}) ORDER BY d.id",
                    chunk,
                )
            ]
        return out
