"""engine.ner.decode: tags are always valid BIO; spans come out right."""
from __future__ import annotations

import numpy as np

from engine.ner.decode import bio_spans, repair_bio, transition_masks, viterbi
from engine.ner.metrics import entity_scores

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def is_valid_bio(tags) -> bool:
    prev = "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            return False
        prev = t
    return True


def test_repair_turns_an_orphan_i_into_b():
    assert repair_bio(["I-PER", "I-PER", "O"]) == ["B-PER", "I-PER", "O"]
    assert repair_bio(["O", "I-LOC"]) == ["O", "B-LOC"]
    assert repair_bio(["B-PER", "I-LOC", "I-LOC"]) == ["B-PER", "B-LOC", "I-LOC"]
    assert repair_bio(["B-PER", "I-PER", "X"]) == ["B-PER", "I-PER", "O"]


def test_spans_from_tags():
    assert bio_spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 6, "LOC")]
    assert bio_spans(["I-PER", "O"]) == [(0, 1, "PER")]
    assert bio_spans([]) == []


def test_viterbi_never_outputs_invalid_bio():
    rng = np.random.default_rng(0)
    start, trans = transition_masks(TAGS)
    for _ in range(300):
        n = int(rng.integers(0, 12))
        logits = rng.normal(size=(n, len(TAGS))) * 3
        lp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
        path = [TAGS[j] for j in viterbi(lp, start, trans)]
        assert len(path) == n and is_valid_bio(path)


def test_viterbi_picks_the_best_valid_reading():
    start, trans = transition_masks(TAGS)
    # greedy would say O I-PER (invalid): the best valid path is B-PER I-PER
    lp = np.log(np.array([[0.55, 0.40, 0.01, 0.02, 0.02], [0.05, 0.02, 0.90, 0.02, 0.01]]))
    assert [TAGS[j] for j in viterbi(lp, start, trans)] == ["B-PER", "I-PER"]
    # a confident plain sequence is kept as is
    lp = np.log(np.array([[0.9, 0.05, 0.01, 0.02, 0.02], [0.02, 0.9, 0.04, 0.02, 0.02]]))
    assert [TAGS[j] for j in viterbi(lp, start, trans)] == ["O", "B-PER"]


def test_entity_scores_micro_macro_and_per_label():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-LOC", "O"]]
    pred = [["B-PER", "I-PER", "O", "O"], ["B-LOC", "O"]]
    s = entity_scores(gold, pred, ["PER", "LOC", "ORG"])
    assert s["precision"] == 1.0 and abs(s["recall"] - 2 / 3) < 1e-9
    assert s["per_label"]["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert s["per_label"]["LOC"]["support"] == 2 and s["per_label"]["ORG"]["support"] == 0
    assert abs(s["f1_macro"] - (1.0 + 2 / 3) / 2) < 1e-9
    assert entity_scores([["O"]], [["O"]])["f1"] == 0.0
