"""Scores a domain expert can trust (issue 14): bootstrap intervals, dev split sizing."""
from __future__ import annotations

import numpy as np
import pytest

from engine import scores as S
from engine.importer import import_file
from engine.ner.data import assign_splits
from engine.store import Project
from tests.conftest import DATA
from tests.test_ner_data import conll_slice


def test_interval_of_a_hand_computed_case():
    # doc A: one entity found (tp); doc B: one entity missed (fn). Resamples of 2 documents:
    # AA -> F1 1, AB/BA -> 2/3, BB -> 0 (probabilities 1/4, 1/2, 1/4): the 95% interval is 0-1.
    counts = np.array([[[1, 0, 0]], [[0, 0, 1]]])
    ci = S.bootstrap_f1(counts, ["PER"], resamples=4000, seed=1)
    assert ci["f1"] == (0.0, 1.0) and ci["per_label"]["PER"] == (0.0, 1.0) and ci["support"] == 2
    # one document: nothing varies
    assert S.bootstrap_f1(counts[:1], ["PER"])["f1"] == (1.0, 1.0)


def test_interval_of_a_known_binomial_case():
    # 200 documents with one entity each, 120 right (tp) and 80 wrong (fp + fn): F1 is then the
    # share of right ones, a binomial proportion: 0.6 +- 1.96 * sqrt(0.6 * 0.4 / 200) = 0.532-0.668
    counts = np.array([[[1, 0, 0]]] * 120 + [[[0, 1, 1]]] * 80)
    lo, hi = S.bootstrap_f1(counts, ["X"], seed=3)["f1"]
    half = 1.96 * (0.6 * 0.4 / 200) ** 0.5
    assert lo == pytest.approx(0.6 - half, abs=0.015) and hi == pytest.approx(0.6 + half, abs=0.015)


def test_entity_counts_use_strict_entities_per_document():
    gold = [["B-PER", "I-PER", "O"], ["B-LOC", "O"], ["B-PER", "O"]]
    pred = [["B-PER", "I-PER", "O"], ["O", "B-LOC"], ["B-PER", "O"]]
    docs, counts = S.entity_counts(gold, pred, [7, 7, 9], ["LOC", "PER"])
    assert docs == [7, 9]
    assert counts[0].tolist() == [[0, 1, 1], [1, 0, 0]] and counts[1].tolist() == [[0, 0, 0], [1, 0, 0]]


def test_mean_interval_and_notes():
    lo, hi = S.bootstrap_mean([2.0] * 50, [1.0] * 50)
    assert lo == hi == 2.0
    assert S.uncertainty_note(3, (0.0, 0.8)) == (
        "The dev set has 3 entities: this score can move by ±0.40. Label more documents for a steadier "
        "number (about 50 entities in dev).")
    assert S.uncertainty_note(80, (0.4, 0.5)) == ""
    assert S.interval_text(0.4, (0.0, 0.8)) == "0.40 (0.00-0.80)"


def test_dev_share_rule():
    # sized up to 25% for ~50 entities when asked (hi), else the measured default of 10%
    assert S.dev_share(100, 60, hi=0.25) == 0.25 and S.dev_share(1000, 300, hi=0.25) == pytest.approx(50 / 300)
    assert S.dev_share(10_000, 6000, hi=0.25) == 0.10
    assert S.dev_share(100, 60) == 0.10 and S.dev_share(0, 0) == 0.10


@pytest.mark.parametrize("docs", [50, 120, 500, 3000])
def test_dev_split_on_wnut(tmp_path, docs):
    """On real data: dev and test 10% each; a small dev set is then reported in words."""
    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "train.conll", tmp_path / "t.conll", docs), status="done")
        total_docs = p.count_documents()
        parts = assign_splits(p, seed=0)
        dev_entities = p.conn.execute(
            "SELECT count(*) FROM spans WHERE doc_id IN (SELECT id FROM documents WHERE split='dev')").fetchone()[0]
    assert parts["dev"] == round(total_docs * 0.10) and parts["test"] == round(total_docs * 0.10)
    note = S.uncertainty_note(dev_entities, (0.2, 0.6))
    assert bool(note) == (dev_entities < S.DEV_TARGET)
    if docs == 3000:
        assert dev_entities >= S.DEV_TARGET


def test_stored_splits_never_move(tmp_path):
    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "train.conll", tmp_path / "a.conll", 100), status="done")
        assign_splits(p, seed=0)
        before = dict(p.conn.execute("SELECT id, split FROM documents"))
        import_file(p, conll_slice(DATA / "dev.conll", tmp_path / "b.conll", 100), status="done")
        assign_splits(p, seed=5)
        after = dict(p.conn.execute("SELECT id, split FROM documents"))
    assert all(after[i] == s for i, s in before.items()) and all(after.values())


def test_checkpoint_rules():
    f1 = [0.0, 0.5, 0.0, 0.0, 0.33, 0.33, 0.33, 0.33]  # a 3-entity dev set: one lucky 0.5
    loss = [0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2]
    assert S.choose_best(f1, loss, support=80, rule="f1") == 1
    assert S.choose_best(f1, loss, support=3, rule="smooth") == 7  # the steadiest stretch, latest of equals
    assert S.choose_best(f1, loss, support=3) == 7 and S.choose_best(f1, loss, support=80) == 1  # auto
    assert S.choose_best([0.0, 0.0, 0.0], [0.3, 0.1, 0.2], support=80, rule="f1") == 1  # tie: lower loss
    assert S.choose_best([], [], support=3) is None


def test_checkpoint_choice_never_looks_ahead():
    """Chosen after every evaluation (as the trainer does), the rule moves to the newest
    evaluation exactly when it will keep it: the last move equals the choice over all."""
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(1, 12))
        f1 = list(np.round(rng.random(n), 1))
        loss = list(np.round(rng.random(n), 1))
        for support, rule in ((3, "smooth"), (80, "f1"), (10, "auto")):
            moves = [i for i in range(n) if S.choose_best(f1[:i + 1], loss[:i + 1], support, rule) == i]
            assert moves and moves[-1] == S.choose_best(f1, loss, support, rule)
