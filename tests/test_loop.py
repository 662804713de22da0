"""The model in the loop: suggestions (accept, reject, undo, never gold), the
active-learning queue and the review of likely mistakes, on real WNUT-17 data with a
tagger trained briefly from the default model."""
from __future__ import annotations

import json
import random

import pytest

import main
from engine.errors import TesseraError
from engine.exporter import export_file
from engine.importer import import_file
from engine.loop.predict import STRATEGIES, predict_documents
from engine.loop.queue import diverse_order, label_queue, words_of
from engine.loop.review import compare, likely_mistakes
from engine.loop.suggest import latest_tagger_run, run_of_folder, suggest
from engine.ner import data as D
from engine.store import Project
from tests.conftest import DATA
from tests.test_ner_data import conll_slice


@pytest.fixture
def labeled(tmp_path):
    """WNUT-17 dev: the first 30 sentences done, the next 30 new."""
    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "dev.conll", tmp_path / "dev60.conll", 60))
        p.set_status(range(31, 61), "new")
    return path


def test_suggestions_are_kept_apart_from_human_entities(labeled):
    with Project.open(labeled) as p:
        person = p.label_by_name("person").id
        doc = p.document(31)
        human = p.spans(31)
        before = p.stats()
        # one suggestion over a human entity (left out), two free ones
        items = [(0, len(doc.text.split()[0]), person, 0.9)]
        free = [t for t in doc.tokens if not any(s.start < t[1] and t[0] < s.end for s in human)]
        items += [(free[-1][0], free[-1][1], person, 0.7), (free[-2][0], free[-2][1], person, 0.4)]
        if human:
            items.append((human[0].start, human[0].end, person, 0.95))
        ch = p.replace_suggestions(31, 7, items)
        sugg = [s for s in p.spans(31) if s.source == "model"]
        assert {(s.start, s.end) for s in sugg} <= {(a, b) for a, b, _, _ in items}
        assert all(s.run_id == 7 and s.score is not None for s in sugg) and len(ch.spans_added) == len(sugg) >= 2
        assert not any(s.start < h.end and h.start < s.end for s in sugg for h in human)
        # never gold: stats, the document list, training data, export
        assert p.stats() == before
        assert p.list_documents(offset=30, limit=1)[0].n_spans == len(human)
        p.set_status(31, "done")
        p.set_split(range(1, 61), "train")
        out = labeled.parent / "out.jsonl"
        export_file(p, out, "jsonl", status="done")
        rec = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()][30]
        assert len(rec.get("spans", [])) == len(human)
        p.set_status(31, "new")

        # reject: gone, remembered, not suggested again (whatever the run); undo puts it back
        target = sugg[0]
        rej = p.reject_suggestion(target.id)
        assert rej.feedback_added and target.id not in {s.id for s in p.spans(31)}
        fb = p.feedback(31)
        assert [(f.start, f.end, f.answer, f.origin) for f in fb] == [(target.start, target.end, "reject", "run:7")]
        p.replace_suggestions(31, 8, items)
        assert (target.start, target.end) not in {(s.start, s.end) for s in p.spans(31) if s.source == "model"}
        p.undo_reject(rej)
        assert p.feedback(31) == []
        # accept: becomes a human entity (counted), undo (restore the suggestion form) reverts
        sugg = [s for s in p.spans(31) if s.source == "model"]
        acc = p.accept_suggestions([sugg[0].id])
        assert [s.source for s in acc.spans_added] == ["human"] and p.stats().spans == before.spans + 1
        p.restore_spans(acc.spans_removed)
        assert p.stats().spans == before.spans
        # accept all, then done drops nothing human; drop_suggestions removes what is left
        acc = p.accept_suggestions([s.id for s in p.spans(31) if s.source == "model"])
        assert p.stats().spans == before.spans + len(acc.spans_added) and not [
            s for s in p.spans(31) if s.source == "model"]
        p.restore_spans(acc.spans_removed)
        dropped = p.drop_suggestions(31)
        assert dropped.spans_removed and not [s for s in p.spans(31) if s.source == "model"]
        p.restore_spans(dropped.spans_removed)
        assert len([s for s in p.spans(31) if s.source == "model"]) == len(dropped.spans_removed)


def test_training_never_reads_suggestions(tmp_path):
    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "dev.conll", tmp_path / "d.conll", 40), status="done")
        p.set_split(range(1, 31), "train")
        p.set_split(range(31, 41), "dev")
        loc = p.label_by_name("location").id
        before = D.load_training_data(p, assign=False)
        for d in range(1, 41):
            doc = p.document(d)
            p.replace_suggestions(d, None, [(t[0], t[1], loc, 0.99) for t in doc.tokens])
        after = D.load_training_data(p, assign=False)
        assert [e.tags for e in after.train] == [e.tags for e in before.train]
        assert [e.tags for e in after.dev] == [e.tags for e in before.dev]


def test_diversity_guard_holds_back_near_duplicates():
    words = {1: words_of("the cat sat on the mat"), 2: words_of("The cat sat on the mat!"),
             3: words_of("stocks fell sharply in Tokyo"), 4: words_of("a quiet night in Lisbon")}
    assert diverse_order([1, 2, 3, 4], words) == [1, 3, 4, 2]
    assert diverse_order([1, 2], words) == [1, 2]  # nothing else left: the duplicate still comes
    assert diverse_order([2, 3], words, recent=[words[1]]) == [3, 2]  # near a document just finished


# --------------------------------------------------------------------------- with a trained tagger


@pytest.fixture
def tagged(loop_tagger):
    return loop_tagger


def copy_project(tagged, folder):
    """A copy of the tagged project (its runs folder linked, not copied)."""
    import shutil

    path = folder / tagged["path"].name  # run folders are stored relative to it: wnut.runs/N
    shutil.copy(tagged["path"], path)
    path.with_suffix(".runs").symlink_to(tagged["path"].with_suffix(".runs"), target_is_directory=True)
    return path


def test_suggest_stores_scored_suggestions_from_the_run(tagged, tmp_path):
    path = copy_project(tagged, tmp_path)
    with Project.open(path) as p:
        run_id, best = latest_tagger_run(p)
        assert run_id == tagged["run"].run_id and best.resolve() == (tagged["run"].output_dir / "best").resolve()
        assert run_of_folder(p, best) == run_id
        before = p.stats()
        s = suggest(p, tagged["tagger"], run_id=tagged["run"].run_id, status="new")
        assert s.documents == 80 and s.suggestions > 10, s
        sugg = [sp for d in range(301, 381) for sp in p.spans(d) if sp.source == "model"]
        assert len(sugg) == s.suggestions and all(0 < sp.score <= 1 and sp.run_id == tagged["run"].run_id for sp in sugg)
        assert p.stats() == before and len(p.uncertainty()) == 80
        # the second time replaces, never adds up
        again = suggest(p, tagged["tagger"], run_id=tagged["run"].run_id, status="new", min_score=0.6)
        now = [sp for d in range(301, 381) for sp in p.spans(d) if sp.source == "model"]
        assert len(now) == again.suggestions <= s.suggestions and all(sp.score >= 0.6 for sp in now)


def test_queue_orders_by_uncertainty(tagged, tmp_path):
    path = copy_project(tagged, tmp_path)
    with Project.open(path) as p:
        assert label_queue(p, order="uncertainty", n=5) == [301, 302, 303, 304, 305]  # nothing scored: list order
        suggest(p, tagged["tagger"], run_id=None, status="new")
        scores = p.uncertainty()
        q = label_queue(p, order="uncertainty")
        assert sorted(q) == list(range(301, 381))
        # the first picks are among the most uncertain (the guard may swap near-duplicates)
        top = sorted(scores, key=lambda d: -scores[d])[:10]
        assert len(set(q[:10]) & set(top)) >= 8
        assert scores[q[0]] == max(scores.values())
        r1, r2 = label_queue(p, order="random", seed=1), label_queue(p, order="random", seed=1)
        assert r1 == r2 and r1 != q and sorted(r1) == sorted(q)
        docs = [p.document(d) for d in (301, 302)]
        preds = predict_documents(tagged["tagger"], docs)
        assert all(set(pr.uncertainty) == set(STRATEGIES) for pr in preds)


def test_review_finds_planted_mistakes(tagged, tmp_path):
    """Flip the label of, remove, or add entities in 12 finished training documents of
    a copy: most of them must rank among the first 25 likely mistakes."""
    path = copy_project(tagged, tmp_path)
    rng = random.Random(0)
    planted = []
    with Project.open(path) as p:
        labels = {l.name: l.id for l in p.labels()}
        docs = [d for d in range(1, 301) if any(s.source == "human" for s in p.spans(d))]
        for d in rng.sample(docs, 12):
            sp = rng.choice(p.spans(d))
            name = next(n for n, i in labels.items() if i == sp.label_id)
            kind = rng.choice(["label", "extra_removed"])
            if kind == "label":
                other = rng.choice([n for n in labels if n != name])
                p.add_span(d, sp.start, sp.end, labels[other])
            else:
                p.remove_span(sp.id)
            planted.append((d, sp.start, sp.end))
        found = likely_mistakes(p, tagged["tagger"], n=25, min_confidence=0.0, split="train")
    hits = {(m.doc_id, m.start, m.end) for m in found} & set(planted)
    at = [(m.doc_id, m.start, m.end) in set(planted) for m in found]
    print(f"planted 12; {len(hits)} among the first 25 likely mistakes; ranks "
          f"{[i + 1 for i, a in enumerate(at) if a]}")
    assert len(hits) >= 6


def test_compare_kinds():
    from types import SimpleNamespace

    import numpy as np

    doc = SimpleNamespace(id=1, text="Ann met Bob in Paris", tokens=[(0, 3), (4, 7), (8, 11), (12, 14), (15, 20)])
    pred = SimpleNamespace(entities=[(0, 3, "person", 0.9), (15, 20, "location", 0.8)],
                           p_outside=np.array([0.1, 0.9, 0.95, 0.9, 0.2]))
    got = {(m.kind, m.start, m.human_label, m.model_label) for m in compare(
        doc, [(0, 3, "location"), (8, 11, "person")], pred)}
    assert got == {("label", 0, "location", "person"), ("missing", 15, None, "location"), ("extra", 8, "person", None)}


def test_cli_suggest_queue_review(tagged, tmp_path, capsys):
    path = copy_project(tagged, tmp_path)
    best = str(path.with_suffix(".runs") / str(tagged["run"].run_id) / "best")
    assert main.main(["suggest", str(path), best]) == 0
    assert "Suggested" in capsys.readouterr().out
    assert main.main(["queue", str(path), "--n", "5"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5 and all(int(line.split("\t")[0]) in range(301, 381) for line in lines)
    assert main.main(["queue", str(path), "latest", "--n", "3", "--strategy", "random"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 3
    assert main.main(["review", str(path), "latest", "--n", "5", "--min-confidence", "0"]) == 0
    out = capsys.readouterr().out
    assert "likely mistake" in out and out.count("document ") >= 1
    assert main.main(["review", str(path), str(tmp_path / "nowhere")]) == 1


def test_export_writes_suggestions_only_as_label_studio_predictions(labeled, tmp_path):
    with Project.open(labeled) as p:
        person = p.label_by_name("person").id
        doc = p.document(40)
        free = [t for t in doc.tokens if not any(s.start < t[1] and t[0] < s.end for s in p.spans(40))]
        p.replace_suggestions(40, 3, [(free[0][0], free[0][1], person, 0.75)])
        out = tmp_path / "ls.json"
        export_file(p, out, "labelstudio", predictions=True)
        tasks = json.loads(out.read_text(encoding="utf-8"))
        task = tasks[39]
        assert [r["value"]["start"] for r in task["predictions"][0]["result"]] == [free[0][0]]
        assert task["predictions"][0]["model_version"] == "tessera-run-3"
        assert task["predictions"][0]["result"][0]["score"] == 0.75
        gold = [r["value"]["start"] for a in task["annotations"] for r in a["result"]]
        assert free[0][0] not in gold  # never an annotation
        export_file(p, out, "labelstudio")  # without the option: none
        assert json.loads(out.read_text(encoding="utf-8"))[39]["predictions"] == []
        # importing it back: predictions are counted, not entities
        with Project.create(tmp_path / "back.tessera") as q:
            export_file(p, out, "labelstudio", predictions=True)
            s = import_file(q, out)
            assert s.counts.get("predictions") == 1 and q.stats().spans == p.stats().spans


def test_export_writes_suggestions_as_unanswered_prodigy_questions(labeled, tmp_path):
    """Prodigy JSONL: each suggestion follows its document as an unanswered ner.teach
    question (one span, its score); read back, they are counted, never entities, and add
    no documents."""
    with Project.open(labeled) as p:
        person = p.label_by_name("person").id
        doc = p.document(40)
        free = [t for t in doc.tokens if not any(s.start < t[1] and t[0] < s.end for s in p.spans(40))]
        p.replace_suggestions(40, 3, [(free[0][0], free[0][1], person, 0.75), (free[1][0], free[1][1], person, 0.5)])
        out = tmp_path / "prodigy.jsonl"
        n = export_file(p, out, "jsonl", predictions=True)
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert n == p.count_documents() and len(records) == n + 2
        questions = [r for r in records if "answer" not in r and r.get("_view_id") == "ner"]
        assert [(q["spans"][0]["start"], q["spans"][0]["score"], q["meta"]) for q in questions] == [
            (free[0][0], 0.75, {"score": 0.75, "run": 3}), (free[1][0], 0.5, {"score": 0.5, "run": 3})]
        i = records.index(questions[0])
        assert records[i - 1]["text"] == doc.text and "_view_id" not in records[i - 1]  # after its document
        assert all(sp["start"] not in (free[0][0], free[1][0]) for sp in records[i - 1]["spans"])
        with pytest.raises(TesseraError, match="Only Label Studio JSON and Prodigy JSONL"):
            export_file(p, tmp_path / "d.jsonl", "jsonl", style="doccano", predictions=True)
        with Project.create(tmp_path / "back.tessera") as q:
            s = import_file(q, out)
            assert s.counts.get("predictions") == 2 and "2 model predictions not imported" in str(s)
            assert q.count_documents() == p.count_documents() and q.stats().spans == p.stats().spans
            assert sum("unanswered ner.teach question" in note for note in map(str, s.notes)) == 2


def test_a_runs_description_reads_as_before_and_translates_whole():
    from engine.loop.suggest import _run_description
    from engine.messages import render

    d = _run_description(3, "ner", "finished", 0.4712, "2026-12-05T10:12:33")
    assert d == "Run 3 · dev F1 0.47 · finished 2026-12-05 10:12"
    assert _run_description(4, "textcat", "cancelled", 0.71, None) == "Run 4 · classifier · dev macro-F1 0.71 · cancelled"
    import re

    def shout(template):  # a "translation": the words upper case, the {fields} kept
        return re.sub(r"[^{}]+(?=\{|$)", lambda m: m.group(0).upper(), template)

    upper = render(d, shout)  # every piece goes through the translator
    assert upper == "RUN 3 · DEV F1 0.47 · FINISHED 2026-12-05 10:12"
