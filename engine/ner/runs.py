"""The ``runs`` and ``run_metrics`` rows of a training run (schema: ``engine.store`` m001).

A run is one row in ``runs`` (``kind``, ``base_model``, ``config`` JSON, ``status``
``running``/``finished``/``cancelled``/``failed``/``interrupted``, ``output_dir`` (relative
to the project's folder when inside it), ``best_metric``, ``started``, ``finished``,
``owner``: the process training it); every measured value is one row in ``run_metrics``
(``run_id``, ``step``, ``epoch``, ``name``, ``value``, ``time``). Metrics are buffered
and written in one transaction per :meth:`MetricWriter.flush`, not one per step.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ProjectError, TesseraError
from engine.messages import msg
from engine.procs import owner_alive, owner_record  # noqa: F401 (re-exported)
from engine.store import Project, now

STATUSES = ("running", "finished", "cancelled", "failed", "interrupted")
#: Statuses a run can be continued from (``interrupted``: its process was killed).
RESUMABLE = ("cancelled", "failed", "interrupted")


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


def reap_interrupted(project: Project) -> list[int]:
    """Mark ``running`` runs whose process is gone (killed, crashed, power lost) as
    ``interrupted`` and clean their folders of half-written checkpoints; return their ids.

    They can be resumed from their last complete checkpoint (:func:`resume_point`) and
    their ``best/`` model is usable like any other run's.
    """
    from engine.ner import checkpoint as ckpt

    gone = []
    for run_id, owner, out in project.conn.execute("SELECT id, owner, output_dir FROM runs WHERE status='running'"):
        if not owner_alive(owner):
            gone.append(run_id)
            if out:
                folder = run_folder(project, out)
                ckpt.clean_run_dir(folder)
                try:
                    repair_best(folder)
                except TesseraError:
                    pass  # a damaged last/: resume says so
    if gone:
        with project.write():
            project.conn.executemany("UPDATE runs SET status='interrupted' WHERE id=? AND status='running'",
                                     [(i,) for i in gone])
    return gone


def run_folder(project: Project, stored: str | None) -> Path | None:
    """The absolute run folder for a stored ``output_dir`` (relative ones are relative to the
    project's folder)."""
    if not stored:
        return None
    p = Path(stored)
    return p if p.is_absolute() else project.path.parent / p


def stored_folder(project: Project, run_dir: Path) -> str:
    """How ``run_dir`` is stored: relative to the project's folder when inside it (so the
    project and its runs can move together, and resuming works from any directory)."""
    run_dir = Path(run_dir).absolute()
    try:
        return run_dir.relative_to(project.path.parent.absolute()).as_posix()
    except ValueError:
        return str(run_dir)


def create_run(project: Project, *, kind: str, base_model: str, config: dict) -> int:
    """Insert a ``running`` run started now, owned by this process, and return its id."""
    with project.write():
        cur = project.conn.execute(
            "INSERT INTO runs(kind, base_model, config, status, started, owner) VALUES (?, ?, ?, 'running', ?, ?)",
            (kind, base_model, json.dumps(config, sort_keys=True), now(), owner_record()),
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
        raise ProjectError(msg("There is no training run {run} in this project.", run=run_id))
    out = run_folder(project, r[5])
    return RunRow(r[0], r[1], r[2], json.loads(r[3]) if r[3] else {}, r[4], str(out) if out else None, *r[6:])


def update_run(project: Project, run_id: int, **fields) -> None:
    """Set columns of a run: ``status``, ``output_dir``, ``best_metric``, ``config`` (a
    dict), ``finished`` (``True`` = now, ``None`` = clear), ``base_model``."""
    allowed = {"status", "output_dir", "best_metric", "config", "finished", "base_model", "owner"}
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"unknown run fields {sorted(bad)}")
    if "status" in fields and fields["status"] not in STATUSES:
        raise ValueError(f"unknown run status {fields['status']!r}")
    if "config" in fields:
        fields["config"] = json.dumps(fields["config"], sort_keys=True)
    if fields.get("finished") is True:
        fields["finished"] = now()
    if "output_dir" in fields and fields["output_dir"] is not None:
        fields["output_dir"] = stored_folder(project, Path(fields["output_dir"]))
    if not fields:
        return
    cols = ", ".join(f"{k}=?" for k in fields)
    with project.write():
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
    with project.write():
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
        with self.project.write():
            if self.rows:
                self.project.conn.executemany(
                    "INSERT INTO run_metrics(run_id, step, epoch, name, value, time) VALUES (?,?,?,?,?,?)", self.rows
                )
            if run_fields:
                update_run(self.project, self.run_id, **run_fields)  # nested: joins this transaction
        self.rows.clear()


def resume_point(project: Project, run_id: int, kind: str, what: str) -> tuple[Path, Path, dict]:
    """Return ``(run_dir, folder, trainer_state)`` of run ``run_id`` to resume it from.

    ``folder`` is the newest complete ``last/`` checkpoint; the state's ``best`` is made
    true on disk first (a run killed after writing ``last/`` but before ``best/`` gets
    ``best/`` rebuilt from ``last/``). Without a ``last/`` checkpoint the run continues
    from ``best/`` at its step, with a fresh optimizer (the state then has
    ``"fallback": True``). Half-written checkpoint folders are deleted first.

    ``kind`` is the run kind the caller trains (``"ner"``, ``"chat"``); ``what`` names
    it in messages (``"an entity-tagger run"``).

    Raises:
        ProjectError: there is no such run.
        TesseraError: the run is of another kind, already finished, still training in
            another process, or has no checkpoint at all.
    """
    from engine.ner import checkpoint as ckpt

    reap_interrupted(project)
    row = get_run(project, run_id)
    if row.kind != kind:
        raise TesseraError(msg("Run {run} is a {kind} run, not {what}.", run=run_id, kind=row.kind, what=what))
    if row.status == "finished":
        raise TesseraError(msg("Run {run} already finished; start a new run to train more.", run=run_id))
    if row.status == "running":
        raise TesseraError(msg("Run {run} is still training in another window or process; stop it there first.",
                               run=run_id))
    run_dir = Path(row.output_dir) if row.output_dir else None
    if run_dir is not None:
        ckpt.clean_run_dir(run_dir)
    last = repair_best(run_dir) if run_dir else None
    if last is not None:
        return run_dir, last, _read_json(last / ckpt.TRAINER_STATE)
    best = ckpt.find_dir(run_dir, "best") if run_dir else None
    if best is not None:
        info = _read_json(best / ckpt.RUN_INFO)
        if isinstance(info.get("config"), dict) and isinstance(info.get("best"), dict):
            state = {"step": int(info["best"].get("step", 0)), "best": info["best"], "bad_evals": 0,
                     "config": info["config"], "tags": info.get("tags"), "best_info": info,
                     "start_loss": info.get("dev_loss_before"), "fallback": True}
            return run_dir, best, state
    raise TesseraError(msg(
        "Run {run} has no saved state to continue from (it stopped before its first checkpoint). "
        "Start a new run.", run=run_id))


def repair_best(run_dir: Path) -> Path | None:
    """Make ``best/`` match the run's newest complete ``last/`` checkpoint when the process
    died between writing the two (``last/`` is written first, with the ``best/`` it is
    about to write); return that ``last/`` folder, or ``None`` when there is none.

    Raises:
        TesseraError: ``last/``'s state file is damaged.
    """
    from engine.ner import checkpoint as ckpt

    last = ckpt.find_dir(run_dir, "last")
    if last is None:
        return None
    state = _read_json(last / ckpt.TRAINER_STATE)
    info = state.get("best_info")
    best = ckpt.find_dir(run_dir, "best")
    best_step = (_read_json(best / ckpt.RUN_INFO).get("best") or {}).get("step") if best else None
    want = (state.get("best") or {}).get("step")
    if info and want == state.get("step") and best_step != want:
        ckpt.best_from_last(run_dir, last, info)
    return last


def _read_json(path: Path) -> dict:
    """A checkpoint's JSON file as a dict.

    Raises:
        TesseraError: missing, damaged, or not an object.
    """
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(value, dict):
            raise ValueError
    except (OSError, ValueError):
        raise TesseraError(msg("The checkpoint file {path} is damaged or missing; the run cannot continue from it. "
                               "Start a new run.", path=path)) from None
    return value
