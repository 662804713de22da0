"""Crash safety (issue 13): real subprocesses killed with SIGKILL at random moments, hostile
project files, two writers at once. Small sizes so CI runs it; the figures in README's
"What is safe" come from ``python tests/test_crash.py --trials N`` (more trials).

Each trial asserts: the project opens, ``PRAGMA integrity_check`` is ok, an import is
all or nothing, every edit reported as committed is there, no run is stuck
``running``, resume works, no temporary folders are left.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

if __name__ == "__main__":  # run by hand: the project's root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.errors import FormatError, ForeignSchemaError, ProjectBusy, TesseraError
from engine.importer import import_file
from engine.store import Project
from tests.conftest import DATA, make_wnut_project

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def seeded(default: int) -> random.Random:
    """Kill timings: fixed in the suite, varied by the harness (``TESSERA_CRASH_SEED``)."""
    return random.Random(int(os.environ.get("TESSERA_CRASH_SEED", default)))


def python(*args, cwd=None, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", HF_HUB_OFFLINE="1")
    return subprocess.Popen([sys.executable, *map(str, args)], cwd=cwd or ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def cli(*args, cwd=None, timeout=300) -> tuple[int, str, str]:
    p = python(ROOT / "main.py", *args, cwd=cwd)
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def healthy(path: Path) -> Project:
    """Open the project and check SQLite's integrity; return it open."""
    p = Project.open(path)
    assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert p.conn.execute("PRAGMA foreign_key_check").fetchone() is None
    return p


def synthetic_conll(path: Path, sentences: int) -> Path:
    """Unique WNUT-17 train sentences (each made unique by a counter token)."""
    import re

    blocks = [b for b in re.split(r"\n[ \t]*\n", (DATA / "train.conll").read_text(encoding="utf-8")) if b.strip()]
    out = []
    for i in range(sentences):
        out.append(f"#{i}\tO\n" + blocks[i % len(blocks)].strip("\n"))
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- imports killed


def test_killed_imports_are_all_or_nothing(tmp_path):
    """SIGKILL at random moments of an import: the project always opens whole, with
    either everything from the file or nothing."""
    src = synthetic_conll(tmp_path / "big.conll", 6000)
    rng = seeded(13)
    proj = tmp_path / "p.tessera"
    Project.create(proj).close()
    with Project.open(proj) as p:
        import_file(p, DATA / "dev.conll")
        base = p.count_documents()
    outcomes = []
    for trial in range(4):
        proc = python(ROOT / "main.py", "import", proj, src)
        time.sleep(rng.uniform(0.6, 2.5))
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        with healthy(proj) as p:
            n = p.count_documents()
            imported = p.conn.execute("SELECT count(*) FROM imports WHERE path=?", (str(src),)).fetchone()[0]
        assert n in (base, base + 6000) and (n > base) == (imported > 0), (trial, n, base)
        outcomes.append(("killed" if killed else "done", n > base))
        if n > base:
            break
    assert outcomes  # at least one trial ran


# --------------------------------------------------------------------------- labeling killed

_LABELER = r"""
import random, sys
from engine.store import Project
p = Project.open(sys.argv[1])
ids = [r[0] for r in p.conn.execute("SELECT id FROM documents ORDER BY id")]
label = p.label_by_name("person").id
rng = random.Random(int(sys.argv[2]))
while True:
    d = rng.choice(ids)
    toks = p.document(d).tokens
    i = rng.randrange(len(toks))
    ch = p.add_token_span(d, i, i + 1, label)
    s = ch.spans_added[0]
    print(s.id, s.doc_id, s.start, s.end, flush=True)   # reported only after the commit
"""


def test_every_reported_edit_survives_a_kill(tmp_path):
    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, DATA / "dev.conll", status="new")
    script = tmp_path / "labeler.py"
    script.write_text(_LABELER, encoding="utf-8")
    rng = seeded(7)
    total = 0
    for trial in range(3):
        proc = python(script, proj, trial)
        time.sleep(rng.uniform(1.0, 2.0))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        # the kill may cut the last line short: keep whole ones (each printed after its commit)
        reported = [tuple(map(int, line.split())) for line in out.splitlines() if len(line.split()) == 4]
        assert reported, "the labeler wrote nothing"
        with healthy(proj) as p:
            for span_id, doc_id, start, end in reported[-200:]:
                got = p.conn.execute('SELECT doc_id, start, "end" FROM spans WHERE id=?', (span_id,)).fetchone()
                # a later edit in the same place may have replaced it: then another span covers it
                if got is None:
                    assert p.conn.execute('SELECT 1 FROM spans WHERE doc_id=? AND start<? AND "end">?',
                                          (doc_id, end, start)).fetchone(), (span_id, doc_id)
                else:
                    assert got == (doc_id, start, end)
        total += len(reported)
    assert total > 50


# --------------------------------------------------------------------------- two writers


def test_labeling_while_another_process_imports(tmp_path):
    """The GUI's edits (the same store calls) while the CLI imports a large file into the
    same project: every edit succeeds (it waits for the import's write lock instead of
    failing at once) and the import finishes."""
    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, DATA / "dev.conll", status="new")
    src = synthetic_conll(tmp_path / "big.conll", 8000)
    proc = python(ROOT / "main.py", "import", proj, src)
    waits = []
    with Project.open(proj) as p:
        label = p.add_label("tmp").id
        docs = [r[0] for r in p.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 300")]
        t_end = time.time() + 60
        i = 0
        while proc.poll() is None and time.time() < t_end:
            t = time.perf_counter()
            p.add_token_span(docs[i % len(docs)], 0, 1, label)
            waits.append(time.perf_counter() - t)
            i += 1
            time.sleep(0.01)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert waits, "the import ended before any edit"
    print(f"{len(waits)} edits during the import; longest wait {max(waits) * 1000:.0f} ms, "
          f"median {sorted(waits)[len(waits) // 2] * 1000:.1f} ms")
    with healthy(proj) as p:
        assert p.count_documents() == 1007 + 8000


_KILLED_WHILE_SAVING = r"""
import os, signal, sys
import engine.importer as importer
from engine.events import Progress
from engine.store import Project
importer._COPY_CHUNK = 500
def report(ev):
    if isinstance(ev, Progress) and ev.what == "Saving" and ev.done >= 1000:   # after two chunks
        os.kill(os.getpid(), signal.SIGKILL)
with Project.open(sys.argv[1]) as p:
    importer.import_file(p, sys.argv[2], report=report)
"""


def test_import_killed_between_its_short_transactions_shows_nothing(tmp_path):
    """A large import copies its documents in short transactions (so the GUI can write
    between them) that stay hidden until a final one: killed half-way, the user sees
    the project as it was, and the next import deletes the hidden rows."""
    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, DATA / "dev.conll")
        before, conflicts = p.stats(), p.count_conflicts()  # WNUT-17 dev has one conflicting pair
    src = synthetic_conll(tmp_path / "big.conll", 2000)
    script = tmp_path / "kill_saving.py"
    script.write_text(_KILLED_WHILE_SAVING, encoding="utf-8")
    proc = python(script, proj, src)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    with healthy(proj) as p:
        hidden = p.conn.execute("SELECT count(*) FROM documents").fetchone()[0] - before.documents
        assert hidden == 1000  # two chunks were written, hidden
        assert p.stats() == before and p.count_documents() == before.documents
        assert p.list_documents(offset=before.documents) == [] and p.count_conflicts() == conflicts
        assert not p.search("#1500") and [i["path"] for i in p.imports()] == [str(DATA / "dev.conll")]
        s = import_file(p, src)  # the next import drops what the killed one left
        assert s.added == 2000 and s.already_in_project == 0
        assert p.count_documents() == before.documents + 2000
        assert p.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == before.documents + 2000
        assert p.conn.execute("SELECT count(*) FROM imports WHERE state IS NOT NULL").fetchone()[0] == 0
        p.conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        assert p.search("#1500 ")


def test_another_writer_gets_in_between_an_imports_chunks(tmp_path, monkeypatch):
    """While an import saves, another connection (the GUI) can write between two of its
    transactions and sees none of the import's documents until the last one; a
    cancel during saving leaves nothing behind, hidden or not."""
    import engine.importer as importer
    from engine.events import CancelToken, Cancelled, Progress

    monkeypatch.setattr(importer, "_COPY_CHUNK", 300)
    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, DATA / "dev.conll")
        base = p.count_documents()
    src = synthetic_conll(tmp_path / "big.conll", 1500)
    seen = []
    cancel = CancelToken()
    with Project.open(proj) as gui, Project.open(proj) as cli_side:
        def report(ev):
            if isinstance(ev, Progress) and ev.what == "Saving" and ev.done:
                gui.add_span(1, 0, 3, gui.labels()[0].id)  # would wait 30 s and fail if the lock were held
                seen.append(gui.count_documents())
                if cancel_now:
                    cancel.cancel()

        cancel_now = False
        s = import_file(cli_side, src, report=report)
        assert s.added == 1500 and len(seen) == 4 and set(seen) == {base}
        assert gui.count_documents() == base + 1500
        seen.clear()
        cancel_now = True
        with pytest.raises(Cancelled):
            more = tmp_path / "more.conll"
            more.write_text(src.read_text(encoding="utf-8").replace("#", "@"), encoding="utf-8")
            import_file(cli_side, more, report=report, cancel=cancel)
        assert seen == [base + 1500]
        assert gui.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == base + 1500  # dropped at once
        assert gui.conn.execute("SELECT count(*) FROM imports WHERE state IS NOT NULL").fetchone()[0] == 0


def test_one_import_at_a_time(tmp_path):
    from engine.procs import owner_record

    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        with p.write():  # an import this (live) process is writing
            p.conn.execute("INSERT INTO imports(path, format, created, state, owner) VALUES ('a.conll', 'conll', '',"
                           " 'writing', ?)", (owner_record(),))
        with pytest.raises(ProjectBusy, match="another import .a.conll. is running"):
            import_file(p, DATA / "dev.conll")
        assert p.count_documents() == 0
        gone = json.loads(owner_record())
        gone["pid"] = 999_999_999
        p.conn.execute("UPDATE imports SET owner = ?", (json.dumps(gone),))  # its process is gone
        assert import_file(p, DATA / "dev.conll").added == 1007
        assert len(p.imports()) == 1


def test_search_index_catches_up_after_an_interrupted_import(tmp_path):
    """An import indexes its documents for search in short transactions after it commits;
    killed in between, search still finds them (LIKE) and the next import finishes it."""
    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, DATA / "dev.conll")
        with p.write():  # as if killed before the index caught up
            p.conn.execute("DELETE FROM documents_fts WHERE rowid > 500")
            p.conn.execute("INSERT INTO meta VALUES ('fts_pending', '[[501, 1007]]')")
    with Project.open(proj) as p:
        assert p.search("Kishan") == [206, 680, 926]
        import_file(p, DATA / "foreign" / "doccano_seq.jsonl")
        assert p._pending_text_index() == []
        p.conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        assert p.search("Kishan") == [206, 680, 926] and p.search("Obama")


def test_busy_project_says_so_in_words(tmp_path, monkeypatch):

    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        p.add_document("Ann met Bob")
    blocker = sqlite3.connect(str(proj), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Project.open(proj) as p:
            p.conn.execute("PRAGMA busy_timeout = 200")
            with pytest.raises(ProjectBusy, match="the project is busy"):
                p.add_label("PER")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


# --------------------------------------------------------------------------- hostile files


@pytest.mark.parametrize("sql", [
    "CREATE TRIGGER wipe AFTER INSERT ON meta BEGIN DELETE FROM spans; DELETE FROM labels; END",
    "CREATE TRIGGER loop AFTER UPDATE ON meta BEGIN UPDATE meta SET value = value || 'x'; END",
    "CREATE TRIGGER rewrite AFTER INSERT ON spans BEGIN UPDATE documents SET text = 'pwned' WHERE id = new.doc_id; END",
    "CREATE VIEW peek AS SELECT * FROM documents",
    "DROP TRIGGER documents_ai; CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN DELETE FROM labels; END",
])
def test_foreign_schema_objects_refuse_the_project(tmp_path, sql):
    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, DATA / "dev.conll")
        spans = p.stats().spans
    raw = sqlite3.connect(str(proj))
    raw.executescript(sql)
    raw.close()
    with pytest.raises(ForeignSchemaError) as exc:
        Project.open(proj)
    assert "did not write" in str(exc.value)
    code, _, err = cli("stats", proj)
    assert code == 1 and "Traceback" not in err and "repair" in err
    code, out, err = cli("repair", proj)
    assert code == 0, err
    copy = proj.with_name("p-cleaned.tessera")
    with healthy(copy) as p:
        assert p.stats().spans == spans
        p.add_span(1, 0, 3, p.labels()[0].id)  # the app's own triggers work again
        assert p.document(1).text != "pwned" and p.labels()
        assert p.search("Kishan")


def test_opening_a_project_writes_nothing(tmp_path):
    import hashlib

    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, DATA / "dev.conll")
    before = hashlib.sha256(proj.read_bytes()).hexdigest()
    assert cli("stats", proj)[0] == 0
    with Project.open(proj) as p:
        p.stats()
        p.list_documents()
    assert hashlib.sha256(proj.read_bytes()).hexdigest() == before


# --------------------------------------------------------------------------- long lines


def test_long_line_is_refused_with_its_line_never_split(tmp_path, monkeypatch):
    import engine.formats.base as base

    monkeypatch.setattr(base, "MAX_LINE_BYTES", 1 << 20)
    path = tmp_path / "long.txt"
    path.write_text("fine\n" + "word " * 400_000 + "\nafter\n", encoding="utf-8")
    with Project.create(tmp_path / "p.tessera") as p:
        with pytest.raises(FormatError) as exc:
            import_file(p, path)
        assert exc.value.line == 2 and "longer than 1 MB" in exc.value.message
        assert p.count_documents() == 0
    monkeypatch.setattr(base, "MAX_LINE_BYTES", 4 << 20)
    path.write_text("fine\n" + "word " * 300_000 + "\n", encoding="utf-8")  # under the line limit, over 1M chars
    with Project.create(tmp_path / "q.tessera") as p:
        with pytest.raises(FormatError) as exc:
            import_file(p, path)
        assert exc.value.line == 2 and "1,499,999 characters" in exc.value.message  # trailing space stripped
        s = import_file(p, path, max_doc_chars=2_000_000)
        assert s.added == 2


# --------------------------------------------------------------------------- checkpoints


def test_checkpoint_folders_after_interrupted_writes(tmp_path):
    from engine.ner import checkpoint as ckpt

    run = tmp_path / "run"
    run.mkdir()

    def last_copy(name: str, step: int, complete: bool = True) -> Path:
        d = run / name
        d.mkdir()
        (d / "model.safetensors").write_bytes(b"x")
        (d / ckpt.TRAINER_STATE).write_text(json.dumps({"step": step}))
        if complete:
            (d / ckpt.TRAINING_STATE).write_bytes(b"x")
        return d

    old1 = last_copy(".last.old-aaaa", 10)
    time.sleep(0.05)
    old2 = last_copy(".last.old-zzzz", 20, complete=False)  # newer but half-written
    time.sleep(0.05)
    old3 = last_copy(".last.old-bbbb", 30)
    os.utime(old1, (time.time() - 100, time.time() - 100))
    os.utime(old2, (time.time() + 100, time.time() + 100))  # the newest of all, but half-written
    assert ckpt.find_dir(run, "last") == old3  # newest complete, not alphabetically last
    tmp = run / ".best.tmp-99999999-abcd"
    tmp.mkdir()
    (tmp / "model.safetensors").write_bytes(b"x" * 1000)
    mine = run / f".last.tmp-{os.getpid()}-abcd"
    mine.mkdir()
    gone = ckpt.clean_run_dir(run)
    assert tmp in gone and not tmp.exists() and mine.exists()  # a live writer's folder is kept


@pytest.fixture(scope="module")
def small_project(tmp_path_factory):
    return make_wnut_project(tmp_path_factory.mktemp("crash_train"), 60, 20)


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 240) -> bool:
    t = time.time() + timeout
    while time.time() < t and proc.poll() is None:
        if path.exists():
            return True
        time.sleep(0.05)
    return path.exists()


def test_killed_training_is_interrupted_and_resumes_from_elsewhere(small_project, tmp_path):
    """kill -9 during `train`: the run becomes `interrupted` (not `running` forever), its
    best model is listed, and `--resume` works from another working directory."""
    from gui.training.runs import list_runs

    proj = small_project
    proc = python(ROOT / "main.py", "train", proj.name, "--max-steps", "16", "--batch-size", "8",
                  "--patience", "9", cwd=proj.parent)
    with Project.open(proj) as p:
        run_id = None
        for _ in range(600):
            r = p.conn.execute("SELECT id, output_dir FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            if r and r[1]:
                run_id = r[0]
                break
            time.sleep(0.1)
    assert run_id is not None
    run_dir = proj.with_suffix(".runs") / str(run_id)
    assert _wait_for(run_dir / "last" / "trainer_state.json", proc)
    time.sleep(seeded(0).uniform(0, 0.5))  # somewhere after the first checkpoint
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with healthy(proj) as p:
        stored = p.conn.execute("SELECT output_dir FROM runs WHERE id=?", (run_id,)).fetchone()[0]
        assert not Path(stored).is_absolute()  # relative to the project, not to where train ran
        run = next(r for r in list_runs(p) if r.id == run_id)
        assert run.status == "interrupted" and run.can_resume and run.best_dir is not None
    other = tmp_path / "elsewhere"
    other.mkdir()
    code, out, err = cli("train", proj, "--resume", str(run_id), cwd=other)
    assert code == 0, err
    with Project.open(proj) as p:
        assert p.conn.execute("SELECT status FROM runs WHERE id=?", (run_id,)).fetchone()[0] == "finished"
    assert not list(run_dir.glob(".*.tmp-*")) and not list(run_dir.glob(".*.old-*"))


def test_killed_chat_fine_tune_resumes(tmp_path, chat_model, models_dir):
    """kill -9 during `sft` (the issue saw 4 of 4 such runs stuck and unresumable)."""
    lines = (DATA / "chat" / "dolly_open_qa_200.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    src = tmp_path / "dolly.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proj = tmp_path / "chat.tessera"
    assert cli("init", proj)[0] == 0 and cli("import-chat", proj, src)[0] == 0
    env_models = dict(TESSERA_MODELS=str(models_dir))
    os.environ.update(env_models)  # the subprocess uses the model converted for this session
    proc = python(ROOT / "main.py", "sft", proj, "--max-steps", "6", "--batch-size", "2", "--max-length", "96",
                  "--lora-r", "4", "--patience", "9")
    run_dir = proj.with_suffix(".runs") / "1"
    assert _wait_for(run_dir / "last" / "trainer_state.json", proc, timeout=300)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with healthy(proj) as p:
        from engine.ner.runs import reap_interrupted

        assert reap_interrupted(p) == [1]
        assert p.conn.execute("SELECT status FROM runs WHERE id=1").fetchone()[0] == "interrupted"
    code, out, err = cli("sft", proj, "--resume", "1")
    assert code == 0, err
    with Project.open(proj) as p:
        assert p.conn.execute("SELECT status FROM runs WHERE id=1").fetchone()[0] == "finished"
    assert not list(run_dir.glob(".*.tmp-*"))


def test_resume_repairs_best_and_falls_back_to_it(small_project, tmp_path):
    """A kill between writing last/ and best/ (best/ missing or older) is repaired from
    last/; with no last/ at all, the run continues from best/ with a fresh optimizer;
    a damaged training state is refused in one plain sentence."""
    import shutil

    from engine.ner import checkpoint as ckpt
    from engine.ner import runs
    from engine.ner.train import TrainConfig, TrainingCancelled, resume, train
    from engine.events import CancelToken

    cancel = CancelToken()
    steps = []

    def report(ev):
        if getattr(ev, "name", "") == "dev/f1":
            steps.append(ev.step)
            cancel.cancel()  # pause right after the first evaluation (last/ and best/ written)

    with pytest.raises(TrainingCancelled) as stop:
        train(small_project, TrainConfig(max_steps=10, batch_size=8, eval_every=2, patience=9), report=report,
              cancel=cancel)
    run_id = stop.value.run_id
    with Project.open(small_project) as p:
        run_dir = Path(runs.get_run(p, run_id).output_dir)
    shutil.rmtree(run_dir / "best")  # as if killed between save_last and save_best
    with Project.open(small_project) as p:
        _, folder, state = runs.resume_point(p, run_id, "ner", "a tagger run")
    assert folder.name == "last" and (run_dir / "best" / "model.safetensors").exists()
    assert json.loads((run_dir / "best" / ckpt.RUN_INFO).read_text())["best"]["step"] == state["best"]["step"]

    # damaged training state: one sentence, no traceback
    good = (run_dir / "last" / ckpt.TRAINING_STATE).read_bytes()
    (run_dir / "last" / ckpt.TRAINING_STATE).write_bytes(b"not a torch file")
    with pytest.raises(TesseraError, match="damaged or was not written by Tessera"):
        resume(small_project, run_id)
    code, _, err = cli("train", small_project, "--resume", str(run_id))
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
    (run_dir / "last" / ckpt.TRAINING_STATE).write_bytes(good)

    # no last/ at all: continue from best/
    shutil.rmtree(run_dir / "last")
    logs = []
    result = resume(small_project, run_id, report=lambda ev: logs.append(getattr(ev, "message", "")))
    assert result.status == "finished" and result.steps == 10
    assert any("continues from its best checkpoint" in m for m in logs)


# --------------------------------------------------------------------------- export and backup killed


def test_killed_export_and_backup_leave_no_half_file(tmp_path):
    from engine.backup import backup_dir, list_backups

    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, synthetic_conll(tmp_path / "big.conll", 6000))
    rng = seeded(3)
    out = tmp_path / "out.jsonl"
    for trial in range(3):
        proc = python(ROOT / "main.py", "export", proj, out)
        time.sleep(rng.uniform(0.3, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if out.exists():  # renamed into place only when complete
            assert out.read_text(encoding="utf-8").count("\n") == 6000
    code = "import sys; from engine.backup import make_backup; make_backup(sys.argv[1], 'harness', pages_per_step=8)"
    for trial in range(3):
        proc = python("-c", code, proj)
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for b in list_backups(proj):  # a listed backup is always whole
            with healthy(b.path) as p:
                assert p.count_documents() == 6000
    # what a killed backup leaves is hidden, never listed, and deleted by a later backup
    assert all(f.suffix in (".tessera", ".json") for f in backup_dir(proj).iterdir() if not f.name.startswith("."))


# --------------------------------------------------------------------------- the harness, by hand


def _harness(trials: int) -> None:  # pragma: no cover - run by hand for README's figures
    """``python tests/test_crash.py --trials N``: N kill trials of each kind; prints violations."""
    import tempfile

    rows = []
    for name, fn in (("import", test_killed_imports_are_all_or_nothing),
                     ("labeling", test_every_reported_edit_survives_a_kill),
                     ("export + backup", test_killed_export_and_backup_leave_no_half_file)):
        bad = 0
        t = time.time()
        for i in range(trials):
            os.environ["TESSERA_CRASH_SEED"] = str(1000 + i)
            try:
                fn(Path(tempfile.mkdtemp()))
            except AssertionError as exc:
                bad += 1
                print(f"{name} trial {i}: {exc}")
        rows.append((name, trials, bad, time.time() - t))
    bad, t, n = 0, time.time(), max(1, trials // 4)
    for i in range(n):  # training: a kill at a random step, then resume from another folder
        tmp = Path(tempfile.mkdtemp())
        try:
            test_killed_training_is_interrupted_and_resumes_from_elsewhere(make_wnut_project(tmp, 60, 20), tmp)
        except AssertionError as exc:
            bad += 1
            print(f"training trial {i}: {exc}")
    rows.append(("training", n, bad, time.time() - t))
    for name, n, bad, secs in rows:
        print(f"{name:16s} {n:4d} runs  {bad} violations  {secs:6.0f} s")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=5)
    _harness(ap.parse_args().trials)


def test_opening_twice_in_one_process_keeps_the_wal_safe(tmp_path):
    """Opening a second connection used to read the file's header with a plain open()/close(),
    which drops every POSIX lock the process holds on the database; a writer in another
    process could then take itself for the last connection at exit and delete the WAL
    under our open connections ("disk I/O error"). This sequence did not trigger it here;
    tests/gui/test_main_window.py::test_labeling_in_the_window_while_the_cli_imports did
    (it failed with the old code and passes now)."""
    proj = tmp_path / "p.tessera"
    with Project.create(proj) as p:
        import_file(p, DATA / "dev.conll")
    held = Project.open(proj)
    try:
        held.add_span(1, 0, 3, held.labels()[0].id)
        Project.open(proj).close()  # e.g. a worker thread's own connection
        code, _, err = cli("import", proj, DATA / "foreign" / "doccano_seq.jsonl")
        assert code == 0, err
        assert held.count_documents() == 1010 and held.spans(1) is not None
        with Project.open(proj) as again:  # a new connection beside the held one
            assert again.count_documents() == 1010 and again.spans(1) is not None
        held.add_span(1, 0, 3, held.labels()[0].id)
    finally:
        held.close()
