"""engine.ner.data: examples from done documents, stored splits, label map, alignment, batches."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.events import Log
from engine.importer import import_file
from engine.ner import data as D
from engine.ner.model_source import load_tokenizer, resolve_base_model
from engine.store import Project


def conll_slice(src: Path, dst: Path, n: int, skip: int = 0) -> Path:
    """Write sentences ``skip..skip+n`` of a CoNLL file to ``dst``."""
    blocks, cur = [], []
    for line in src.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                blocks.append(cur)
                cur = []
        else:
            cur.append(line)
    if cur:
        blocks.append(cur)
    dst.write_text("\n\n".join("\n".join(b) for b in blocks[skip:skip + n]) + "\n", encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(resolve_base_model("default"))


def test_splits_are_assigned_once_stored_and_stable(tmp_path, data_dir):
    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(data_dir / "train.conll", tmp_path / "t.conll", 60), status="done")
        assert p.count_documents(split="none") == 60
        counts = D.assign_splits(p, seed=3)
        assert counts == {"dev": 6, "test": 6, "train": 48}
        assert p.count_documents(split="none") == 0
        before = {r.id: r.split for r in p.list_documents(limit=1000)}
        assert D.assign_splits(p, seed=99) == {}  # nothing left without a split
    with Project.open(path) as p:  # stored, and a later run sees the same split
        first = D.load_training_data(p, seed=123)
        again = D.load_training_data(p, seed=7)
        assert {r.id: r.split for r in p.list_documents(limit=1000)} == before
    assert first.new_splits == {} and [e.doc_id for e in first.dev] == [e.doc_id for e in again.dev]
    assert {e.doc_id for e in first.dev} == {i for i, s in before.items() if s == "dev"}


def test_user_splits_are_kept_and_only_null_ones_assigned(project, tmp_path, data_dir):
    import_file(project, conll_slice(data_dir / "train.conll", tmp_path / "a.conll", 20), status="done", split="train")
    import_file(project, conll_slice(data_dir / "train.conll", tmp_path / "b.conll", 10, skip=20), status="done")
    counts = D.assign_splits(project, seed=0)
    assert sum(counts.values()) == 10
    assert project.count_documents(split="train") == 20 + counts.get("train", 0)


def test_empty_dev_is_taken_from_train_and_logged(project, tmp_path, data_dir):
    import_file(project, conll_slice(data_dir / "train.conll", tmp_path / "a.conll", 30), status="done", split="train")
    logs = []
    d = D.load_training_data(project, seed=0, report=logs.append)
    again = D.load_training_data(project, seed=0)
    assert d.dev_from_train and len(d.dev) == 3 and len(d.train) == 27
    assert [e.doc_id for e in d.dev] == [e.doc_id for e in again.dev]  # deterministic
    assert not {e.doc_id for e in d.dev} & {e.doc_id for e in d.train}
    assert any(isinstance(e, Log) and "dev" in e.message and e.level == "warning" for e in logs)
    assert project.count_documents(split="dev") == 0  # nothing stored


def test_label_map_is_o_then_bio_by_label_id_for_used_labels(project):
    b = project.add_label("Zeta")
    project.add_label("Unused")
    a = project.add_label("Alpha")
    doc = project.add_document("Ann met Bob in Paris today.", status="done", split="train")
    project.add_span(doc, 0, 3, a.id)
    project.add_span(doc, 8, 11, b.id)
    d = D.load_training_data(project)
    assert d.tags == ["O", "B-Zeta", "I-Zeta", "B-Alpha", "I-Alpha"]


def test_no_entities_is_a_plain_error(project):
    project.add_document("Nothing here.", status="done", split="train")
    with pytest.raises(D.DataError, match="no labeled entities"):
        D.load_training_data(project)


def test_examples_are_sentences_with_bio_tags_even_across_sentence_edges(project):
    lab = project.add_label("PER")
    doc = project.add_document("Mr Ann Lee left. Bob Ray came.", status="done", split="train")
    # tokens: Mr Ann Lee left . | Bob Ray came .
    project.add_span(doc, 3, 10, lab.id)  # Ann Lee
    project.add_span(doc, 17, 24, lab.id)  # Bob Ray
    d = project.document(doc)
    assert len(d.sentences) == 2
    ex, ignored = D.sentence_examples(d, project.spans(doc), {lab.id: "PER"})
    assert ignored == 0
    assert [e.tags for e in ex] == [("O", "B-PER", "I-PER", "O", "O"), ("B-PER", "I-PER", "O", "O")]
    assert ex[1].words == ("Bob", "Ray", "came", ".")
    # an entity crossing the sentence edge (not made by the editor, but be robust): each part starts with B-
    from engine.store import Span

    crossing = Span(0, doc, 11, 20, 3, 6, lab.id)  # "left. Bob"
    ex, _ = D.sentence_examples(d, [crossing], {lab.id: "PER"})
    assert ex[0].tags[-2:] == ("B-PER", "I-PER") and ex[1].tags[0] == "B-PER"


def test_alignment_labels_only_the_first_piece(tokenizer):
    words = ("Empire", "worldwideweb", "is", "unbelievably", "big")
    ex = D.Example(1, 0, words, ("B-loc", "I-loc", "O", "O", "O"))
    tag_to_id = {"O": 0, "B-loc": 1, "I-loc": 2}
    (enc,), cut = D.encode(tokenizer, [ex], tag_to_id, 512)
    assert cut == 0
    pieces = tokenizer.convert_ids_to_tokens(enc.input_ids)
    assert pieces[0] == "[CLS]" and pieces[-1] == "[SEP]"
    labeled = [(p, lab) for p, lab in zip(pieces, enc.labels) if lab != D.IGNORE_INDEX]
    assert [lab for _, lab in labeled] == [1, 2, 0, 0, 0]
    assert not any(p.startswith("##") for p, _ in labeled)  # continuation pieces are ignored
    assert len(pieces) > len(words) + 2  # some word did split
    assert [pieces[i] for i in enc.word_starts] == [p for p, _ in labeled]


def test_truncation_is_counted_and_cut_words_marked(tokenizer):
    ex = D.Example(1, 0, tuple(["word"] * 30), tuple(["O"] * 30))
    (enc,), cut = D.encode(tokenizer, [ex], {"O": 0}, 12)
    assert cut == 1 and len(enc.input_ids) == 12
    assert enc.word_starts[:10] == list(range(1, 11)) and set(enc.word_starts[10:]) == {-1}


def test_words_without_pieces_become_unknown(tokenizer):
    ex = D.Example(1, 0, ("a", "\u200b", "b"), ("O", "O", "O"))  # zero-width space: no piece
    (enc,), _ = D.encode(tokenizer, [ex], {"O": 0}, 512)
    assert all(s > 0 for s in enc.word_starts)
    assert tokenizer.convert_ids_to_tokens([enc.input_ids[enc.word_starts[1]]]) == [tokenizer.unk_token]


def test_loss_scale_is_one_over_the_labeled_pieces_of_an_average_batch():
    # pieces labeled: 2, 1, 3 (-100 ignored): 6 in all
    enc = [D.Encoded([0, 1, 2, 3], [D.IGNORE_INDEX, 4, 0, D.IGNORE_INDEX], []),
           D.Encoded([0, 1], [D.IGNORE_INDEX, 0], []),
           D.Encoded([0, 1, 2, 3, 4], [D.IGNORE_INDEX, 1, 2, D.IGNORE_INDEX, 0], [])]
    scale = D.loss_scale(enc, n_batches=2)
    assert scale == pytest.approx(2 / 6)
    # summed over an epoch the weights equal n_batches: the same as a per-batch mean on average
    assert 6 * scale == pytest.approx(2)
    assert D.loss_scale([], 3) == 3  # no labels: no division by zero


def test_batches_are_deterministic_within_budget_and_cover_every_example():
    lengths = [5 + (i * 37) % 60 for i in range(500)]
    a = D.plan_batches(lengths, batch_size=16, batch_tokens=512, seed=1, epoch=0)
    assert a == D.plan_batches(lengths, batch_size=16, batch_tokens=512, seed=1, epoch=0)
    assert a != D.plan_batches(lengths, batch_size=16, batch_tokens=512, seed=1, epoch=1)
    assert sorted(i for b in a for i in b) == list(range(500))
    for b in a:
        assert len(b) <= 16 and len(b) * max(lengths[i] for i in b) <= 512
    # grouped by length: far less padding than random batches of the same sizes
    pad = sum(len(b) * max(lengths[i] for i in b) - sum(lengths[i] for i in b) for b in a)
    assert pad < 0.2 * sum(lengths)
