"""Backups of a project, the way Anki keeps them: automatic, kept in the user's data
folder, listed with their time and counts, restored into a copy that then takes the
project's place.

A backup is a consistent copy made with SQLite's online backup API from a connection
of its own (in WAL mode it reads a snapshot, so the editor and other writers go on
while it copies), written under a temporary name and renamed when complete. Beside
each backup a small JSON file says when and why it was made and what it holds.

Backups are made before every destructive operation (deleting a label, deleting
documents, an import, a schema upgrade) and, in the app, every 30 minutes of editing.
The newest ``keep`` (default :data:`KEEP`) are kept.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from engine.errors import ProjectError
from engine.messages import msg
from engine.paths import user_data_dir

#: How many backups of a project are kept (the oldest are deleted).
KEEP = 20
#: Minutes of editing between two automatic backups in the app.
EVERY_MINUTES = 30
_SUFFIX = ".tessera"


@dataclass(frozen=True)
class Backup:
    """One backup: its file, when and why it was made, and what it holds."""

    path: Path
    time: str  # ISO, UTC
    reason: str
    documents: int
    done: int
    entities: int
    labels: int

    @property
    def local_time(self) -> str:
        """``YYYY-MM-DD HH:MM`` in local time."""
        try:
            return datetime.fromisoformat(self.time).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.time

    @property
    def summary(self) -> str:
        """A line for lists: counts and reason."""
        return (f"{self.documents:,} documents ({self.done:,} done), {self.entities:,} entities, "
                f"{self.labels:,} labels · {self.reason}")


def backup_dir(project_path: str | Path) -> Path:
    """The folder holding a project's backups: ``<user data>/backups/<name>-<hash of its path>``."""
    p = Path(project_path).absolute()
    key = hashlib.blake2b(str(p).encode("utf-8"), digest_size=4).hexdigest()
    return user_data_dir() / "backups" / f"{p.stem}-{key}"


def _counts(conn: sqlite3.Connection) -> dict:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "done": one("SELECT count(*) FROM documents WHERE status='done'"),
        "entities": one("SELECT count(*) FROM spans WHERE source='human'"),
        "labels": one("SELECT count(*) FROM labels"),
    }


def make_backup(project_path: str | Path, reason: str, *, keep: int = KEEP, pages_per_step: int = 1024) -> Backup:
    """Copy the project into its backup folder and return the new backup; older ones
    beyond ``keep`` are deleted.

    Uses a connection of its own (safe from a worker thread while the app edits). The
    copy is checked (``PRAGMA integrity_check``) before it is renamed into place.

    Raises:
        ProjectError: the project cannot be read or the backup cannot be written.
    """
    src_path = Path(project_path).absolute()
    folder = backup_dir(src_path)
    stamp = datetime.now(timezone.utc)
    name = stamp.strftime("%Y%m%d-%H%M%S-%f") + f"-{_slug(reason)}"
    target = folder / (name + _SUFFIX)
    tmp = folder / f".{name}.{secrets.token_hex(3)}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".*.part*"):  # left by a killed backup (and its journal); 10 minutes: not running
            if time.time() - stale.stat().st_mtime > 600:
                stale.unlink(missing_ok=True)
        src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst, pages=pages_per_step, sleep=0.001)
                dst.execute("PRAGMA journal_mode = DELETE")
                if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise sqlite3.DatabaseError(msg("the copy did not pass SQLite's integrity check"))
                counts = _counts(dst)
            finally:
                dst.close()
        finally:
            src.close()
        n = 1
        while target.exists():
            target = folder / f"{name}-{n}{_SUFFIX}"
            n += 1
        os.replace(tmp, target)
        info = {"time": stamp.isoformat(timespec="microseconds"), "reason": reason, "project": str(src_path), **counts}
        target.with_suffix(".json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectError(msg("{project}: the backup could not be made ({reason}).",
                               project=src_path.name, reason=_reason(exc))) from None
    prune(src_path, keep)
    return Backup(target, info["time"], reason, **counts)


def _reason(exc: Exception):
    """What went wrong, keeping a message of ours (:func:`engine.messages.msg`) translatable."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "backup"


def list_backups(project_path: str | Path) -> list[Backup]:
    """The project's backups, newest first (files without their JSON are listed with zero counts)."""
    out = []
    for f in backup_dir(project_path).glob(f"*{_SUFFIX}"):
        try:
            info = json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {"time": datetime.fromtimestamp(f.stat().st_mtime, timezone.utc).isoformat(timespec="seconds"),
                    "reason": "backup"}
        out.append(Backup(f, info.get("time", ""), info.get("reason", ""), int(info.get("documents", 0)),
                          int(info.get("done", 0)), int(info.get("entities", 0)), int(info.get("labels", 0))))
    return sorted(out, key=lambda b: (b.time, b.path.name), reverse=True)


def prune(project_path: str | Path, keep: int = KEEP) -> list[Path]:
    """Delete the oldest backups beyond ``keep``; return what was deleted."""
    gone = []
    for b in list_backups(project_path)[max(keep, 1):]:
        b.path.unlink(missing_ok=True)
        b.path.with_suffix(".json").unlink(missing_ok=True)
        gone.append(b.path)
    return gone


def restore(backup: Backup | str | Path, project_path: str | Path, *, keep: int = KEEP) -> Path:
    """Put a backup in the project's place and return the project's path.

    The backup is first copied beside the project and checked; the project as it is now
    is backed up (reason "before restoring"), then the copy is renamed over the project
    file and the project's old WAL files are removed. Every connection to the project
    must be closed first (the app closes its window).

    Raises:
        ProjectError: the backup is missing or damaged, or the project cannot be replaced.
    """
    src = Path(backup.path if isinstance(backup, Backup) else backup)
    project_path = Path(project_path).absolute()
    tmp = project_path.with_name(f".{project_path.name}.restoring-{secrets.token_hex(3)}")
    try:
        shutil.copyfile(src, tmp)
        conn = sqlite3.connect(str(tmp))
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError(msg("the backup is damaged"))
        finally:
            conn.close()
        if project_path.exists():
            make_backup(project_path, "before restoring", keep=keep + 1)
            # fold the WAL into the file so nothing of the replaced state is left behind in it
            conn = sqlite3.connect(str(project_path))
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        os.replace(tmp, project_path)
        for side in ("-wal", "-shm"):
            Path(str(project_path) + side).unlink(missing_ok=True)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectError(msg("{project}: the backup {backup} could not be restored ({reason}).",
                               project=project_path.name, backup=src.name, reason=_reason(exc))) from None
    return project_path


class AutoBackup:
    """Decides when the app makes its timed backup: after ``minutes`` of editing since
    the last one (an edit is anything that marks the project changed)."""

    def __init__(self, minutes: float = EVERY_MINUTES, clock=time.monotonic):
        self.minutes = minutes
        self.clock = clock
        self.last = clock()
        self.dirty = False

    def edited(self) -> None:
        """Note that the project changed."""
        self.dirty = True

    def due(self) -> bool:
        """True when there were edits and ``minutes`` passed since the last backup."""
        return self.dirty and (self.clock() - self.last) >= self.minutes * 60

    def done(self) -> None:
        """Note that a backup was just made."""
        self.last = self.clock()
        self.dirty = False
