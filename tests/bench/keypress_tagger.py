"""Train the stronger tagger for the scripted key-press session
(``tests/gui/test_suggestions.py::test_key_presses_per_entity_with_suggestions_and_by_hand``).

The session labels WNUT-17 train sentences 301-320; this tagger learns from sentences
401-2400 (none of those 20) with the app's defaults, and its dev F1 is printed.

    python tests/bench/keypress_tagger.py /tmp/kp
    TESSERA_KEYPRESS_TAGGER=/tmp/kp/runs/1/best QT_QPA_PLATFORM=offscreen \\
        python -m pytest -s tests/gui/test_suggestions.py -k key_presses
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.importer import import_file  # noqa: E402
from engine.ner.train import TrainConfig, train  # noqa: E402
from engine.store import Project  # noqa: E402
from tests.bench.bench_ner_small_data import conll_blocks, write_blocks  # noqa: E402

DATA = ROOT / "tests" / "data"


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "keypress_tagger")
    out.mkdir(parents=True, exist_ok=True)
    train_blocks = conll_blocks(DATA / "train.conll")[400:2400]
    dev_blocks = conll_blocks(DATA / "dev.conll")[:300]
    path = out / "kp.tessera"
    with Project.create(path) as p:
        import_file(p, write_blocks(train_blocks, out / "train.conll"), status="done", split="train", backup=False)
        import_file(p, write_blocks(dev_blocks, out / "dev.conll"), status="done", split="dev", backup=False)
    r = train(path, TrainConfig(out_dir=str(out / "runs")))
    print(f"tagger: {r.best_dir} (dev F1 {r.best_f1:.3f} at step {r.best_step} of {r.steps})")


if __name__ == "__main__":
    main()
