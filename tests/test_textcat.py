"""Document classifier (issue 16): data, metrics against scikit-learn, a short real run
on the BANKING77 sample with cancel and exact resume, pipeline loading, the CLI."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

import main
from engine.events import CancelToken, Metric, Progress
from engine.importer import import_file
from engine.ner import runs
from engine.ner.data import DataError
from engine.ner.train import TrainConfig, TrainingCancelled
from engine.store import Project
from engine.textcat import metrics as M
from engine.textcat.data import load_class_data
from engine.textcat.train import resume, train
from tests.conftest import DATA

SAMPLE = DATA / "banking77" / "sample.csv"
STEPS, EVAL_EVERY, PAUSE_AT = 16, 8, 6
CONFIG = dict(max_steps=STEPS, eval_every=EVAL_EVERY, seed=0, batch_size=16)


def _losses(events) -> dict[int, float]:
    return {e.step: e.value for e in events if isinstance(e, Metric) and e.name == "train/loss"}


# --------------------------------------------------------------------------- metrics


def test_single_label_scores_match_scikit_learn():
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    names = ["a", "b", "c", "d"]
    gold = [0, 0, 1, 1, 1, 2, 2, 0, 1, 2]
    pred = [0, 1, 1, 1, 0, 2, 1, 0, 3, 2]  # "d" only predicted, never gold
    s = M.single_label_scores(gold, pred, names)
    assert s["accuracy"] == pytest.approx(accuracy_score(gold, pred))
    assert s["f1"] == pytest.approx(f1_score(gold, pred, average="macro"))
    p, r, f, sup = precision_recall_fscore_support(gold, pred, labels=[0, 1, 2, 3], zero_division=0)
    for k, n in enumerate(names):
        row = s["per_label"][n]
        assert (row["precision"], row["recall"], row["f1"], row["support"]) == pytest.approx((p[k], r[k], f[k], sup[k]))
    assert s["confusion"] == confusion_matrix(gold, pred, labels=[0, 1, 2, 3]).tolist()
    assert s["f1_ci"][0] <= s["f1"] <= s["f1_ci"][1] and s["accuracy_ci"][0] <= s["accuracy"] <= s["accuracy_ci"][1]
    assert M.top_confusions(s["confusion"], names, 2) == [("a", "b", 1), ("b", "a", 1)]


def test_multi_label_scores_match_scikit_learn():
    from sklearn.metrics import accuracy_score, f1_score

    gold = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 0], [0, 0, 1]], dtype=bool)
    pred = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=bool)
    s = M.multi_label_scores(gold, pred, ["x", "y", "z"])
    assert s["accuracy"] == pytest.approx(accuracy_score(gold, pred))  # exact match
    assert s["f1"] == pytest.approx(f1_score(gold, pred, average="macro"))
    assert s["f1_micro"] == pytest.approx(f1_score(gold, pred, average="micro"))
    probs = np.array([[0.9, 0.2, 0.4], [0.1, 0.8, 0.3], [0.7, 0.35, 0.1], [0.2, 0.1, 0.1], [0.3, 0.1, 0.6]])
    assert M.best_threshold(probs, gold) == pytest.approx(0.35)  # the one that finds y in row 3 and z in row 1


# --------------------------------------------------------------------------- data


def test_class_data_single_choice_leaves_out_uncategorized_documents(tmp_path):
    with Project.create(tmp_path / "b.tessera") as p:
        import_file(p, SAMPLE)
        d = p.add_document("a done document without a category", status="done", split="train")
        data = load_class_data(p)
        assert data.uncategorized == 1 and d not in {e.doc_id for e in data.train + data.dev}
        assert len(data.names) == 77 and not data.multi and all(len(e.labels) == 1 for e in data.train)
        assert len(data.train) + len(data.dev) == 277  # test split (31) kept out
        p.set_category_choice("multiple")
        data = load_class_data(p)
        assert data.multi and d in {e.doc_id for e in data.train} and data.uncategorized == 0
    with Project.create(tmp_path / "empty.tessera") as p:
        p.add_document("nothing here", status="done")
        with pytest.raises(DataError, match="No finished document has a category"):
            load_class_data(p)


# --------------------------------------------------------------------------- a real run


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """BANKING77 sample (77 intents x 4): run A whole; run B paused at step 6, then resumed."""
    tmp = tmp_path_factory.mktemp("textcat")
    path = tmp / "b.tessera"
    with Project.create(path) as p:
        import_file(p, SAMPLE)
    a_events: list = []
    a = train(path, TrainConfig(**CONFIG), report=a_events.append)
    b_events: list = []
    token = CancelToken()

    def report_b(e):
        b_events.append(e)
        if isinstance(e, Progress) and e.done == PAUSE_AT:
            token.cancel()

    with pytest.raises(TrainingCancelled) as exc:
        train(path, TrainConfig(**CONFIG), report=report_b, cancel=token)
    c_events: list = []
    c = resume(path, exc.value.run_id, report=c_events.append)
    return dict(path=path, a=a, a_events=a_events, b_events=b_events, c=c, c_events=c_events, b_id=exc.value.run_id)


def test_a_short_run_learns_and_records_its_scores(trained):
    a = trained["a"]
    losses = _losses(trained["a_events"])
    assert sorted(losses) == list(range(1, STEPS + 1))
    assert sum(losses[s] for s in range(STEPS - 3, STEPS + 1)) < sum(losses[s] for s in range(1, 5))
    assert {"accuracy", "f1", "per_label", "confusion", "f1_ci", "accuracy_ci"} <= set(a.report)
    assert len(a.report["confusion"]) == 77
    with Project.open(trained["path"]) as p:
        row = runs.get_run(p, a.run_id)
        names = {m[2] for m in runs.metrics(p, a.run_id)}
    assert row.kind == "textcat" and row.status == "finished" and row.best_metric == pytest.approx(a.best_f1)
    assert {"train/loss", "dev/loss", "dev/f1", "dev/accuracy", "dev/f1_lo", "dev/accuracy_hi",
            "dev/f1/card_arrival"} <= names


def test_cancel_and_resume_continue_exactly(trained):
    a, b, c = _losses(trained["a_events"]), _losses(trained["b_events"]), _losses(trained["c_events"])
    assert sorted(b) == list(range(1, PAUSE_AT + 1)) and [b[s] for s in b] == [a[s] for s in b]
    assert sorted(c) == list(range(PAUSE_AT + 1, STEPS + 1)) and [c[s] for s in sorted(c)] == [a[s] for s in sorted(c)]
    assert trained["c"].best_f1 == trained["a"].best_f1
    with Project.open(trained["path"]) as p:
        assert runs.get_run(p, trained["b_id"]).status == "finished"
    with pytest.raises(Exception, match="already finished"):
        resume(trained["path"], trained["b_id"])


def test_best_folder_loads_with_the_transformers_pipeline(trained):
    from transformers import pipeline

    from engine.ner.model_source import quiet_transformers
    from engine.textcat.predict import is_classifier_folder, load_classifier

    best = trained["a"].best_dir
    info = json.loads((best / "tessera_run.json").read_text())
    assert info["tessera"] == "textcat" and len(info["categories"]) == 77 and is_classifier_folder(best)
    texts = [r["text"] for r in csv.DictReader(open(SAMPLE, encoding="utf-8"))][:6]
    with quiet_transformers():
        pipe = pipeline("text-classification", model=str(best), device="cpu")
    ours = load_classifier(best, device="cpu").predict(texts)
    theirs = pipe(texts)
    assert [o[0][0] for o in ours] == [t["label"] for t in theirs]
    assert [o[0][1] for o in ours] == pytest.approx([t["score"] for t in theirs], abs=1e-4)


def test_cli_predict_and_evaluate_a_classifier(trained, tmp_path, capsys):
    best = str(trained["a"].best_dir)
    out = tmp_path / "out.csv"
    assert main.main(["predict", best, str(SAMPLE), str(out)]) == 0
    assert "Classified 308 documents" in capsys.readouterr().out
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert len(rows) == 308 and list(rows[0]) == ["text", "category", "label", "score"]
    assert rows[0]["text"] == "how do I speed up identity verification?" and 0 < float(rows[0]["score"]) <= 1
    lines = tmp_path / "in.txt"
    lines.write_text("I still have not received my card\nHow do I change my PIN?\n", encoding="utf-8")
    assert main.main(["predict", best, str(lines), str(tmp_path / "o.jsonl")]) == 0
    recs = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in recs] == ["I still have not received my card", "How do I change my PIN?"]
    assert all(isinstance(r["label"], str) and isinstance(r["score"], float) for r in recs)
    capsys.readouterr()
    assert main.main(["evaluate", best, str(SAMPLE)]) == 0
    report = capsys.readouterr().out
    assert "accuracy" in report and "macro-F1" in report and "308 documents" in report
    from engine.textcat.files import evaluate_file

    s = evaluate_file(best, SAMPLE)
    assert s["documents"] == 308 and 0.0 <= s["accuracy"] <= 1.0


def test_cli_train_categories(tmp_path, capsys):
    path = tmp_path / "b.tessera"
    with Project.create(path) as p:
        import_file(p, SAMPLE)
    assert main.main(["train", str(path), "--task", "categories", "--max-steps", "2"]) == 0
    out = capsys.readouterr().out
    assert "best dev macro-F1" in out and "accuracy" in out


@pytest.mark.slow
def test_ddp_two_processes_on_gloo(trained, tmp_path):
    """torchrun --nproc-per-node 2: a classifier trains in both ranks, only rank 0 writes."""
    from tests.conftest import run_torchrun

    results = run_torchrun(tmp_path, (
        "from engine.ner.train import TrainConfig\n"
        "from engine.textcat.train import train\n"
        f"r = train({str(trained['path'])!r}, TrainConfig(max_steps=4, eval_every=2, batch_size=8))\n"
        "report({'run': r.run_id, 'steps': r.steps, 'f1': r.best_f1})\n"), port=29532)
    assert len(results) == 2 and len({r["run"] for r in results}) == 1 and results[0]["f1"] == results[1]["f1"]
    with Project.open(trained["path"]) as p:
        row = runs.get_run(p, results[0]["run"])
        keys = [(m[0], m[2]) for m in runs.metrics(p, row.id)]
    assert row.kind == "textcat" and row.status == "finished" and len(keys) == len(set(keys))


def test_classifier_suggests_categories_never_gold(trained, tmp_path, capsys):
    """A classifier's categories as suggestions (source model, with probability) and its
    uncertainty for the queue; accepting settles them; done drops the rest; never gold."""
    from engine.exporter import export_file
    from engine.loop.queue import label_queue
    from engine.loop.suggest import load_model, suggest

    best = trained["a"].best_dir
    rows = list(csv.DictReader(open(SAMPLE, encoding="utf-8")))[:12]
    path = tmp_path / "new.tessera"
    with Project.create(path) as p:
        for name in sorted({r["category"] for r in csv.DictReader(open(SAMPLE, encoding="utf-8"))}):
            p.add_label(name, kind="category")
        ids = [p.add_document(r["text"]) for r in rows]
        clf = load_model(best)
        s = suggest(p, clf, run_id=None)
        assert s.documents == 12 and s.suggestions == 12 and "12 categories" in str(s)
        sug = p.categories(ids[0], source="model")
        assert len(sug) == 1 and 0 < sug[0].score <= 1 and p.categories(ids[0]) == []  # not the person's
        assert p.category_counts() == {n: 0 for n in p.category_counts()}  # stats read a person's only
        scores = p.uncertainty(ids)
        assert set(scores) == set(ids) and all(0 <= v <= 1 for v in scores.values())
        assert label_queue(p, order="uncertainty", n=3) == sorted(ids, key=lambda d: (-scores[d], d))[:3]
        # accepting (a person gives the suggested category) removes the suggestion; undo puts it back
        ch = p.set_category(ids[0], sug[0].label_id)
        assert p.categories(ids[0], source="model") == [] and [c.label_id for c in p.categories(ids[0])] == \
            [sug[0].label_id]
        p.restore_categories(ch)
        assert [c.id for c in p.categories(ids[0], source="model")] == [sug[0].id]
        # a person's other category replaces the suggestion too (single choice)
        other = next(l.id for l in p.labels(kind="category") if l.id != sug[0].label_id)
        p.set_category(ids[1], other)
        assert p.categories(ids[1], source="model") == []
        # done drops what nobody accepted; undo data comes back with restore_categories
        dropped = p.drop_suggestions(ids[2])
        assert len(dropped.categories_removed) == 1 and p.categories(ids[2], source=None) == []
        p.restore_categories(dropped)
        assert len(p.categories(ids[2], source="model")) == 1
        out = tmp_path / "out.csv"
        export_file(p, out)
        exported = {r["text"]: r.get("category", "") for r in csv.DictReader(open(out, encoding="utf-8"))}
        assert exported[rows[2]["text"]] == "" and exported[rows[0]["text"]] == ""
    capsys.readouterr()
    assert main.main(["suggest", str(path), str(best), "--status", "all"]) == 0
    assert "categories in 12 documents" in capsys.readouterr().out


def test_several_categories_train_one_sigmoid_each_with_a_tuned_threshold(tmp_path):
    """Multiple choice: BCE over one sigmoid per category, the decision threshold tuned on
    dev and kept with the model; the pipeline sees a multi-label model."""
    from engine.textcat.predict import load_classifier

    rows = list(csv.DictReader(open(SAMPLE, encoding="utf-8")))
    keep = [r for r in rows if r["category"] in ("card_arrival", "change_pin", "lost_or_stolen_card",
                                                  "card_not_working")]
    path = tmp_path / "m.tessera"
    with Project.create(path) as p:
        p.set_category_choice("multiple")
        ids = {}
        for name in ("card_arrival", "change_pin", "lost_or_stolen_card", "card_not_working", "card"):
            ids[name] = p.add_label(name, kind="category").id
        for r in keep:
            d = p.add_document(r["text"], status="done")
            p.set_category(d, ids[r["category"]])
            if "card" in r["category"]:
                p.set_category(d, ids["card"])  # a second category on the card messages
        assert sum(len(p.categories(d.id)) > 1 for d, _ in p.iter_documents()) >= 8
    r = train(path, TrainConfig(max_steps=6, eval_every=3, seed=0, batch_size=8))
    info = json.loads((r.best_dir / "tessera_run.json").read_text())
    assert info["multi"] is True and 0.05 <= info["threshold"] <= 0.95
    assert {"accuracy", "f1", "f1_micro", "threshold"} <= set(r.report) and "confusion" not in r.report
    cfg = json.loads((r.best_dir / "config.json").read_text())
    assert cfg["problem_type"] == "multi_label_classification"
    clf = load_classifier(r.best_dir, device="cpu")
    assert clf.multi and clf.threshold == info["threshold"]
    probs = clf.probabilities(["My new card has not arrived yet"])
    assert probs.shape == (1, 5) and ((0 <= probs) & (probs <= 1)).all()  # one sigmoid each
