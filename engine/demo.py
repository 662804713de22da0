"""The demo project a first launch opens: real WNUT-17 sentences, a few labeled.

The first :data:`LABELED` documents keep their gold entities and are marked done;
the rest are new and unlabeled, ready to be labeled in the editor.
"""
from __future__ import annotations

from pathlib import Path

from engine.importer import import_file
from engine.store import Project

DEMO_FILE = Path(__file__).resolve().parent.parent / "resources" / "demo" / "wnut17_sample.conll"
LABELED = 120


def build_demo(path: str | Path, source: Path = DEMO_FILE, labeled: int = LABELED) -> Path:
    """Create the demo project at ``path`` (written to a temp name, then renamed); return ``path``.

    Raises:
        engine.errors.ProjectError: ``path`` exists already.
        engine.errors.FormatError: the demo data is missing or damaged.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".building")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    with Project.create(tmp) as project:
        import_file(project, source, "conll", status="done")
        with project.write():
            cut = project.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 1 OFFSET ?", (labeled,)).fetchone()
            if cut:
                project.conn.execute("DELETE FROM spans WHERE doc_id >= ?", (cut[0],))
                project.conn.execute("UPDATE documents SET status='new' WHERE id >= ?", (cut[0],))
        project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if path.exists():
        tmp.unlink()
        raise FileExistsError(path)
    tmp.rename(path)
    return path
