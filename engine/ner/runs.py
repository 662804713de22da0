"""The ``runs`` and ``run_metrics`` rows of a training run (schema: ``engine.store`` m001).

A run is one row in ``runs`` (``kind``, ``base_model``, ``config`` JSON, ``status``
``running``/``finished``/``cancelled``/``failed``, ``output_dir``, ``best_metric``,
``started``, ``finished``); every measured value is one row in ``run_metrics``
(``run_id``, ``step``, ``epoch``, ``name``, ``value``, ``time``). Metrics are buffered
and written in one transaction per :meth:`MetricWriter.flush`, not one per step.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from pathlib import Path

from engine.errors import ProjectError, TesseraError
from engine.store import Project, now

STATUSES = ("running", "finished", "cancelled", "failed")


@dataclass(frozen=True)
class RunRow:
    """One row of the ``runs`` table, with ``config`` decoded from JSON."""

    id: int
    kind: str
    base_model: str | None
    config: dict
    status: str | None
    output_dir: str | None
    best_metric: float | None
    started: str | None
    finished: str | None


def create_run(project: Project, *, kind: str, base_model: str, config: dict) -> int:
    """Insert a ``running`` run started now and return its id."""
    with project.db.atomic():
        cur = project.conn.execute(
            "INSERT INTO runs(kind, base_model, config, status, started) VALUES (?, ?, ?, 'running', ?)",
            (kind, base_model, json.dumps(config, sort_keys=True), now()),
        )
    return int(cur.lastrowid)


def get_run(project: Project, run_id: int) -> RunRow:
    """Return the run ``run_id``.

    Raises:
        ProjectError: there is no such run.
    """
    r = project.conn.execute(
        "SELECT id, kind, base_model, config, status, output_dir, best_metric, started, finished FROM runs WHERE id=?",
        (run_id,),
    ).fetchone()
    if not r:
        raise ProjectError(f"There is no training run {run_id} in this project.")
    return RunRow(r[0], r[1], r[2], json.loads(r[3]) if r[3] else {}, *r[4:])


def update_run(project: Project, run_id: int, **fields) -> None:
    """Set columns of a run: ``status``, ``output_dir``, ``best_metric``, ``config`` (a
    dict), ``finished`` (``True`` = now, ``None`` = clear), ``base_model``."""
    allowed = {"status", "output_dir", "best_metric", "config", "finished", "base_model"}
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"unknown run fields {sorted(bad)}")
    if "status" in fields and fields["status"] not in STATUSES:
        raise ValueError(f"unknown run status {fields['status']!r}")
    if "config" in fields:
        fields["config"] = json.dumps(fields["config"], sort_keys=True)
    if fields.get("finished") is True:
        fields["finished"] = now()
    if not fields:
        return
    cols = ", ".join(f"{k}=?" for k in fields)
    with project.db.atomic():
        project.conn.execute(f"UPDATE runs SET {cols} WHERE id=?", (*fields.values(), run_id))


def metrics(project: Project, run_id: int, name: str | None = None) -> list[tuple[int, float | None, str, float]]:
    """Return ``(step, epoch, name, value)`` rows of a run, by step (and name)."""
    sql = "SELECT step, epoch, name, value FROM run_metrics WHERE run_id=?"
    params: tuple = (run_id,)
    if name is not None:
        sql += " AND name=?"
        params += (name,)
    return [tuple(r) for r in project.conn.execute(sql + " ORDER BY step, name, rowid", params)]


def delete_metrics_after(project: Project, run_id: int, step: int) -> int:
    """Delete the metric rows of a run with a step after ``step`` (a resumed run writes
    them again); return how many were deleted."""
    with project.db.atomic():
        cur = project.conn.execute("DELETE FROM run_metrics WHERE run_id=? AND step>?", (run_id, step))
    return cur.rowcount


class MetricWriter:
    """Buffers metric rows of one run and writes them in one transaction per flush."""

    def __init__(self, project: Project | None, run_id: int):
        self.project = project  # None: a non-zero rank under DDP, which writes nothing
        self.run_id = run_id
        self.rows: list[tuple] = []

    def add(self, step: int, epoch: float, name: str, value: float) -> None:
        """Queue one value (written at the next :meth:`flush`)."""
        if self.project is not None:
            self.rows.append((self.run_id, int(step), float(epoch), name, float(value), now()))

    def flush(self, **run_fields) -> None:
        """Write the queued rows, and ``run_fields`` (see :func:`update_run`), in one transaction."""
        if self.project is None or not (self.rows or run_fields):
            return
        with self.project.db.atomic():
            if self.rows:
                self.project.conn.executemany(
                    "INSERT INTO run_metrics(run_id, step, epoch, name, value, time) VALUES (?,?,?,?,?,?)", self.rows
                )
            if run_fields:
                update_run(self.project, self.run_id, **run_fields)  # nested: joins this transaction
        self.rows.clear()


def resume_point(project: Project, run_id: int, kind: str, what: str) -> tuple[Path, Path, dict]:
    """Return ``(run_dir, last_dir, trainer_state)`` of run ``run_id`` to resume it from.

    ``kind`` is the run kind the caller trains (``"ner"``, ``"chat"``); ``what`` names
    it in messages (``"an entity-tagger run"``).

    Raises:
        ProjectError: there is no such run.
        TesseraError: the run is of another kind, already finished, or has no ``last/``
            checkpoint yet.
    """
    from engine.ner import checkpoint as ckpt

    row = get_run(project, run_id)
    if row.kind != kind:
        raise TesseraError(f"Run {run_id} is a {row.kind} run, not {what}.")
    if row.status == "finished":
        raise TesseraError(f"Run {run_id} already finished; start a new run to train more.")
    run_dir = Path(row.output_dir) if row.output_dir else None
    last = ckpt.find_dir(run_dir, "last") if run_dir else None
    if last is None or not (last / ckpt.TRAINER_STATE).is_file():
        raise TesseraError(
            f"Run {run_id} has no saved state to continue from (it stopped before its first checkpoint). "
            "Start a new run.")
    return run_dir, last, ckpt.read_state(last)
