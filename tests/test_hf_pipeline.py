"""Models out to transformers (issue 18): a run's ``best/`` folder is a plain Hugging
Face model that ``transformers.pipeline`` runs, and it finds the entities our own
predictor finds."""
from __future__ import annotations

import pytest

from tests.bench.bench_ner_small_data import conll_blocks
from tests.conftest import DATA


def _dev_sentences(n: int) -> list[list[str]]:
    return [[line.split("\t")[0] for line in block] for block in conll_blocks(DATA / "dev.conll")[300:300 + n]]


def _ours(tagger, sentences):
    """Our predictor's entities as (start, end, label) character spans of the words joined by spaces."""
    from engine.ner.decode import bio_spans

    out = []
    for words, tags in zip(sentences, tagger.tag_tokens(sentences)):
        offsets, pos = [], 0
        for w in words:
            offsets.append((pos, pos + len(w)))
            pos += len(w) + 1
        out.append({(offsets[a][0], offsets[b - 1][1], lab) for a, b, lab in bio_spans(tags)})
    return out


@pytest.mark.parametrize("strategy", ["simple", "first"])
def test_pipeline_finds_the_entities_of_main_predict(loop_tagger, strategy):
    """WNUT-17 dev sentences (never trained on): ``pipeline("token-classification",
    model=best_dir, aggregation_strategy=...)`` against ``Tagger.tag_tokens`` (what
    ``main.py predict`` writes).

    Where our decoder's BIO constraint changes nothing (each word's likeliest tag
    already forms a valid path), "first" (a word's first piece decides, as ours) must
    give exactly our entities. Training labels every piece of a word
    (``TrainConfig.label_all_pieces``), so "simple" (every piece votes on its own) joins
    a word's pieces into one entity and mostly agrees too; what is left differs by the
    constraint (the pipeline can start an entity with ``I-``) and by pieces of one word
    that disagree."""
    from transformers import pipeline

    tagger = loop_tagger["tagger"]
    sentences = _dev_sentences(150)
    ours = _ours(tagger, sentences)
    unconstrained = [[tagger.tags[j] for j in lp.argmax(1)] == tagger.decode(lp)[0]
                     for lp in tagger.word_log_probs(sentences)]
    pipe = pipeline("token-classification", model=str(loop_tagger["run"].best_dir), aggregation_strategy=strategy,
                    device="cpu")
    theirs = [{(e["start"], e["end"], e["entity_group"]) for e in pipe(" ".join(words))} for words in sentences]
    n_ours = sum(map(len, ours))
    same = sum(len(a & b) for a, b in zip(ours, theirs))
    free = [k for k, ok in enumerate(unconstrained) if ok]
    free_same = sum(ours[k] == theirs[k] for k in free)
    print(f"\n{strategy}: ours {n_ours} entities, pipeline {sum(map(len, theirs))}, the same {same}; "
          f"{sum(a != b for a, b in zip(ours, theirs))} of {len(sentences)} sentences differ; "
          f"{free_same} of the {len(free)} sentences the constraint does not touch are the same")
    assert n_ours >= 20 and len(free) >= 100
    if strategy == "first":
        assert free_same == len(free)
    else:
        assert free_same >= 0.9 * len(free) and same >= 0.85 * n_ours
