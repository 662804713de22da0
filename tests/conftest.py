"""Shared fixtures. Tests read data from tests/data (copied from the shared data sets, with licences)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    """One folder for converted chat models, shared by the whole test session
    (converting the default GGUF model takes about half a minute)."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def _user_home(tmp_path_factory, monkeypatch, models_dir):
    """Keep per-user files (demo project, settings) out of the real home folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TESSERA_HOME", str(home))
    monkeypatch.setenv("TESSERA_MODELS", str(models_dir))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    if "PySide6.QtCore" in sys.modules:  # Qt caches the settings folder: point it here
        from PySide6.QtCore import QSettings

        for fmt in (QSettings.NativeFormat, QSettings.IniFormat):
            QSettings.setPath(fmt, QSettings.UserScope, str(home / "config"))
    return home


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def project(tmp_path):
    from engine.store import Project

    p = Project.create(tmp_path / "test.tessera")
    yield p
    p.close()


def read_conll_sentences(path: Path) -> list[list[tuple[str, str]]]:
    """Parse a 2-column CoNLL file naively (the test oracle): a list of [(token, tag), ...]."""
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        tok, tag = line.split("\t")
        cur.append((tok, tag))
    if cur:
        sents.append(cur)
    return sents


def conll_tokens(path: Path) -> list[list[str]]:
    """Token lists (no tags) of a 2-column CoNLL file, one list per sentence."""
    return [[tok for tok, _ in sent] for sent in read_conll_sentences(path)]


def join_sentences(sentences: list[list[str]]) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """Join tokens with spaces, one sentence per line; return text, token offsets, sentences."""
    parts, tokens, sents, pos = [], [], [], 0
    for k, toks in enumerate(sentences):
        if k:
            parts.append("\n")
            pos += 1
        first = len(tokens)
        for j, t in enumerate(toks):
            if j:
                parts.append(" ")
                pos += 1
            parts.append(t)
            tokens.append((pos, pos + len(t)))
            pos += len(t)
        sents.append((first, len(tokens)))
    return "".join(parts), tokens, sents


@pytest.fixture(scope="session")
def chat_model(models_dir):
    """The default chat model (SmolLM2-135M-Instruct), loaded once per session, fp32 on CPU.

    Tests must not change its weights (SFT tests load their own copy).
    """
    import os

    os.environ["TESSERA_MODELS"] = str(models_dir)
    from engine.chat.model import load_chat_model

    return load_chat_model("default")


def make_wnut_project(folder: Path, n_train: int, n_dev: int, name: str = "wnut.tessera") -> Path:
    """A project with the first ``n_train`` WNUT-17 train sentences (split train) and
    ``n_dev`` dev sentences (split dev), all done; return its path."""
    from engine.importer import import_file
    from engine.store import Project
    from tests.test_ner_data import conll_slice

    path = folder / name
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "train.conll", folder / "train.conll", n_train), status="done",
                    split="train")
        import_file(p, conll_slice(DATA / "dev.conll", folder / "dev.conll", n_dev), status="done", split="dev")
    return path


@pytest.fixture(scope="session")
def loop_tagger(tmp_path_factory):
    """A tagger trained briefly on 300 WNUT-17 train sentences (+40 dev), and a project
    whose next 80 train sentences are new."""
    from engine.importer import import_file
    from engine.ner.predict import load_tagger
    from engine.ner.train import TrainConfig, train
    from engine.store import Project
    from tests.test_ner_data import conll_slice

    tmp = tmp_path_factory.mktemp("loop")
    path = tmp / "wnut.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "train.conll", tmp / "train.conll", 380), status="done", split="train")
        import_file(p, conll_slice(DATA / "dev.conll", tmp / "dev.conll", 40), status="done", split="dev")
        p.set_status(range(301, 381), "new")
        p.set_split(range(301, 381), None)
        with p.write():  # not labeled yet
            p.conn.execute("DELETE FROM spans WHERE doc_id BETWEEN 301 AND 380")
    result = train(path, TrainConfig(max_steps=200, eval_every=100, batch_size=16, seed=0))
    print(f"loop tagger: dev F1 {result.best_f1:.3f} at step {result.best_step}")
    return dict(path=path, run=result, tagger=load_tagger(result.output_dir / "best", device="cpu"))


def run_torchrun(tmp_path: Path, body: str, port: int, nproc: int = 2) -> list[dict]:
    """Run ``body`` (Python; it calls ``report(obj)`` once with a JSON-able result) in
    ``nproc`` processes under ``torchrun`` (gloo on CPU, one thread each); return the
    results by rank. Each rank writes its own file: two ranks' stdout can interleave
    mid-line.

    Raises:
        AssertionError: torchrun failed (its stderr is in the message), or a rank reported nothing.
    """
    import json
    import os
    import subprocess
    import sys

    script = tmp_path / "torchrun_job.py"
    script.write_text(
        "import json, os, pathlib, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "def report(obj):\n"
        f"    pathlib.Path({str(tmp_path)!r}, 'result-' + os.environ['RANK'] + '.json').write_text(json.dumps(obj))\n"
        + body, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", str(nproc),
                           "--master-port", str(port), str(script)],
                          capture_output=True, text=True, timeout=900, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    files = [tmp_path / f"result-{rank}.json" for rank in range(nproc)]
    assert all(f.is_file() for f in files), proc.stdout[-2000:] + proc.stderr[-2000:]
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]
