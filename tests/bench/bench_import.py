"""Import throughput and memory, next to a plain-Python baseline of the same run.

Run: ``python tests/bench/bench_import.py``. Prints tokens/s of
(a) the baseline: a plain Python loop that reads the CoNLL file and splits each
    line into token and tag (no project, no tokenizing, no database), and
(b) ``engine.importer.import_file`` into a fresh project (parse, offsets, spans,
    labels, dedup hash, SQLite insert with the full-text index, one transaction),
for WNUT-17 train (62k tokens) and a synthetic 1M-token file built from it, plus
the peak Python heap during each import (tracemalloc) to show it does not grow
with the file. Goal: (b) within 3x of (a); bounded memory.
"""
from __future__ import annotations

import gc
import random
import re
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.formats import conll  # noqa: E402
from engine.importer import import_file  # noqa: E402
from engine.store import Project  # noqa: E402

TRAIN = ROOT / "tests" / "data" / "train.conll"


def baseline(path: Path) -> int:
    """Read and split every line; return the token count."""
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line:
                token, tag = line.split("\t")
                n += 1
    return n


def parse_only(path: Path) -> int:
    """Run only the CoNLL reader (no project): the parsing share of an import."""
    return sum(len(d.tokens) for d in conll.read(path))


def ours(path: Path, workdir: Path) -> int:
    proj = workdir / f"p{time.perf_counter_ns()}.tessera"
    with Project.create(proj) as p:
        s = import_file(p, path)
    return s.tokens


def synthetic(path: Path, target_tokens: int = 1_000_000) -> Path:
    """Write a file of ~target_tokens tokens from shuffled WNUT-17 train sentences (each made unique)."""
    # WNUT-17 separates some sentences with a line holding only a tab: split on every
    # blank or whitespace-only line, so the "#i" token really makes each sentence unique.
    sents = [s for s in re.split(r"\n[ \t]*\n", TRAIN.read_text(encoding="utf-8")) if s.strip()]
    rng = random.Random(0)
    n = 0
    out = path / "synthetic_1m.conll"
    with open(out, "w", encoding="utf-8") as fh:
        i = 0
        while n < target_tokens:
            s = rng.choice(sents)
            fh.write(s.strip("\n") + f"\n#{i}\tO\n\n")
            n += s.count("\n") + 2
            i += 1
    return out


def best_of(fn, repeat: int) -> tuple[float, int]:
    best, result = float("inf"), 0
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def peak_heap(fn) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        big = synthetic(work)
        print(
            f"{'file':<22}{'tokens':>10}{'baseline tok/s':>16}{'parse tok/s':>13}{'import tok/s':>14}"
            f"{'import/baseline':>17}{'peak heap':>11}{'file size':>11}"
        )
        for name, path, repeat in (("WNUT-17 train", TRAIN, 5), ("synthetic 1M tokens", big, 2)):
            tb, n = best_of(lambda: baseline(path), repeat)
            tp, _ = best_of(lambda: parse_only(path), repeat)
            ti, _ = best_of(lambda: ours(path, work), repeat)
            peak = peak_heap(lambda: ours(path, work))
            print(
                f"{name:<22}{n:>10,}{n / tb:>16,.0f}{n / tp:>13,.0f}{n / ti:>14,.0f}{ti / tb:>16.2f}x"
                f"{peak / 2**20:>9.1f}MB{path.stat().st_size / 2**20:>9.1f}MB"
            )


if __name__ == "__main__":
    main()
