"""Document categories (issue 16, first slice): the store (single and multiple choice,
undo, cascade), CSV import of BANKING77 with its category column, repeats and conflicts
by category, export back to CSV, and that categories never mix with entities."""
from __future__ import annotations

import csv

import pytest

import main
from engine.errors import FormatError, ProjectError
from engine.exporter import export_file
from engine.importer import import_file
from engine.store import Project
from tests.conftest import DATA

SAMPLE = DATA / "banking77" / "sample.csv"


def rows():
    with open(SAMPLE, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_banking77_imports_with_its_categories_and_exports_back(tmp_path):
    with Project.create(tmp_path / "b.tessera") as p:
        s = import_file(p, SAMPLE)
        want = rows()
        assert s.added == len(want) == 308 and s.categories == 308
        assert len(p.labels(kind="category")) == 77 and p.labels(kind="entity") == []
        assert p.count_documents(status="done") == 308  # a category makes a document done
        counts = p.category_counts()
        assert len(counts) == 77 and set(counts.values()) == {4}
        names = {l.id: l.name for l in p.labels()}
        got = [(p.document(d).text, [names[c.label_id] for c in p.categories(d)]) for d in range(1, 309)]
        assert got == [(r["text"], [r["category"]]) for r in want]
        assert p.stats().spans == 0 and p.stats().spans_by_label == {}
        out = tmp_path / "out.csv"
        export_file(p, out)
        assert out.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")  # byte for byte
        # the same file again: repeats; with another category: a conflict kept
        assert import_file(p, SAMPLE).already_in_project == 308
        changed = tmp_path / "changed.csv"
        text = SAMPLE.read_text(encoding="utf-8").splitlines()
        first = text[1].rsplit(",", 1)[0] + ",card_arrival_other"
        changed.write_text("\n".join([text[0], first]) + "\n", encoding="utf-8")
        s = import_file(p, changed)
        assert s.conflicts == 1 and "card_arrival_other" in s.labels_created


def test_label_column_option_and_cli(tmp_path, capsys):
    path = tmp_path / "b.tessera"
    assert main.main(["init", str(path)]) == 0
    capsys.readouterr()
    assert main.main(["import", str(path), str(SAMPLE), "--label-column", "none"]) == 0
    with Project.open(path) as p:
        assert p.labels(kind="category") == [] and p.document(1).meta == {"category": rows()[0]["category"]}
    path2 = tmp_path / "c.tessera"
    main.main(["init", str(path2)])
    assert main.main(["import", str(path2), str(SAMPLE), "--label-column", "category"]) == 0
    assert "308 categories" in capsys.readouterr().out
    assert main.main(["stats", str(path2)]) == 0
    out = capsys.readouterr().out
    assert "categories       308" in out and "card_arrival" in out
    assert main.main(["import", str(path2), str(SAMPLE), "--label-column", "intent"]) == 1
    assert 'no column "intent"' in capsys.readouterr().err


def test_single_and_multiple_choice_with_undo(tmp_path):
    with Project.create(tmp_path / "p.tessera") as p:
        d = p.add_document("I lost my card yesterday")
        lost = p.add_label("lost_card", kind="category").id
        urgent = p.add_label("urgent", kind="category").id
        person = p.add_label("person").id
        assert p.category_choice() == "single"
        a = p.set_category(d, lost)
        assert [c.label_id for c in p.categories(d)] == [lost] and a.categories_added
        b = p.set_category(d, urgent)  # single choice: replaces
        assert [c.label_id for c in p.categories(d)] == [urgent] and [c.label_id for c in b.categories_removed] == [lost]
        p.restore_categories(b)
        assert [c.label_id for c in p.categories(d)] == [lost]
        p.set_category_choice("multiple")
        p.set_category(d, urgent)
        assert [c.label_id for c in p.categories(d)] == [lost, urgent]
        off = p.set_category(d, lost, on=False)
        assert [c.label_id for c in p.categories(d)] == [urgent]
        p.restore_categories(off)
        assert [c.label_id for c in p.categories(d)] == [lost, urgent]
        # suggestions are kept apart and never counted
        p.set_category(d, lost, source="model", score=0.8)
        assert len(p.categories(d)) == 2 and len(p.categories(d, source=None)) == 3
        assert p.category_counts() == {"lost_card": 1, "urgent": 1}
        with pytest.raises(ProjectError, match="entity label"):
            p.set_category(d, person)
        with pytest.raises(ProjectError):
            p.set_category_choice("some")
        p.delete_label(urgent, backup=False)
        assert [c.label_id for c in p.categories(d)] == [lost]
        p.delete_document(d)
        assert p.conn.execute("SELECT count(*) FROM doc_categories").fetchone()[0] == 0


def test_a_name_cannot_be_an_entity_label_and_a_category(tmp_path):
    with Project.create(tmp_path / "p.tessera") as p:
        p.add_label("card_arrival")
        with pytest.raises(FormatError, match="is an entity label in the project"):
            import_file(p, SAMPLE)
        assert p.count_documents() == 0


# --------------------------------------------------------------------------- other tools' formats

FOREIGN = DATA / "foreign"


def categories_by_text(p: Project) -> dict[str, list[str]]:
    names = {l.id: l.name for l in p.labels()}
    return {d.text: sorted(names[c.label_id] for c in p.categories(d.id)) for d, _ in p.iter_documents()}


def records(path) -> list[dict]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_prodigy_textcat_teach_answers(tmp_path):
    """Prodigy's own textcat.teach output (prodigy-recipes example data): accept = the
    category, reject = not it (kept, never a category), ignore = skipped; back out as it came."""
    with Project.create(tmp_path / "p.tessera") as p:
        s = import_file(p, FOREIGN / "prodigy_textcat_binary.jsonl")
        assert s.added == 9 and s.categories == 3 and s.spans == 0
        assert [l.name for l in p.labels(kind="category")] == ["DOCUMENTATION"] and not p.labels(kind="entity")
        docs = [d for d, _ in p.iter_documents()]
        by_answer = {d.text: (d.status, [c.label_id for c in p.categories(d.id)]) for d in docs}
        assert by_answer["Describe streaming arguments in docs"][0] == "done"
        assert by_answer["Describe streaming arguments in docs"][1] == [p.label_by_name("DOCUMENTATION").id]
        assert by_answer["Salesforce connector"] == ("skipped", [])  # rejected: not documentation
        assert p.document(docs[-1].id).meta["answer"] == "ignore"
        out = tmp_path / "out.jsonl"
        export_file(p, out)
    src, back = records(FOREIGN / "prodigy_textcat_binary.jsonl"), records(out)
    assert [(r["text"], r["label"], r["answer"], r["_task_hash"], r["priority"]) for r in back] == \
        [(r["text"], r["label"], r["answer"], r["_task_hash"], r["priority"]) for r in src]
    assert all("spans" not in r for r in back) and back[0]["meta"]["url"] == src[0]["meta"]["url"]


def test_prodigy_choice_answers_round_trip(tmp_path):
    with Project.create(tmp_path / "p.tessera") as p:
        s = import_file(p, FOREIGN / "prodigy_textcat_choice.jsonl")
        assert s.categories == 3 and p.category_choice() == "multiple"  # a record has two: several per document
        assert "several categories" in " ".join(s.notes)
        got = categories_by_text(p)
        assert got["The striker scored twice in the second half."] == ["SPORTS"]
        assert got["Parliament passed the budget after a long night."] == ["BUSINESS", "POLITICS"]
        assert got["Unclear what this is about."] == []
        out = tmp_path / "out.jsonl"
        export_file(p, out)
    src, back = records(FOREIGN / "prodigy_textcat_choice.jsonl"), records(out)
    assert [(r["text"], sorted(r["accept"]), r["options"], r["answer"], r["_view_id"]) for r in back] == \
        [(r["text"], sorted(r["accept"]), r["options"], r["answer"], r["_view_id"]) for r in src]


def test_doccano_classification_round_trip(tmp_path):
    with Project.create(tmp_path / "p.tessera") as p:
        s = import_file(p, FOREIGN / "doccano_classification.jsonl")
        assert s.added == 3 and s.categories == 3 and p.count_documents(status="done") == 3
        assert categories_by_text(p)["Terrible customer service."] == ["negative"]
        assert p.category_choice() == "single"
        out = tmp_path / "out.jsonl"
        export_file(p, out, "jsonl", style="doccano")
    assert records(out) == records(FOREIGN / "doccano_classification.jsonl")  # exactly


def test_spacy_cats_round_trip(tmp_path):
    with Project.create(tmp_path / "p.tessera") as p:
        import_file(p, FOREIGN / "spacy_cats.jsonl")
        got = categories_by_text(p)
        assert got == {"The striker scored twice in the second half.": ["SPORTS"],
                       "Parliament passed the budget after a long night.": ["BUSINESS", "POLITICS"],
                       "Nothing to see here.": []}
        assert p.category_choice() == "multiple"
        out = tmp_path / "out.jsonl"
        export_file(p, out, "jsonl", style="spacy")
    assert [(r["text"], r["cats"], r["ents"]) for r in records(out)] == \
        [(r["text"], r["cats"], []) for r in records(FOREIGN / "spacy_cats.jsonl")]  # every category, 1.0 or 0.0


def test_label_studio_choices_round_trip(tmp_path):
    """Choices results (several controls on one task, one on another) are categories; the
    export puts each back under its control; predictions are counted, never categories."""
    import json

    with Project.create(tmp_path / "p.tessera") as p:
        s = import_file(p, FOREIGN / "labelstudio_choices.json")
        assert s.added == 3 and s.categories == 4 and s.counts.get("predictions") == 1
        got = categories_by_text(p)
        assert got["The delivery was two days late but the support team sorted it out."] == ["0", "No", "Other"]
        assert got["It arrived."] == ["Neutral"] and got["Nobody answered my emails."] == []
        out = tmp_path / "out.json"
        export_file(p, out, "labelstudio")
        back = json.loads(out.read_text(encoding="utf-8"))
    src = json.loads((FOREIGN / "labelstudio_choices.json").read_text(encoding="utf-8"))

    def controls(task):
        return [(r["from_name"], r["to_name"], r["value"]["choices"]) for a in task["annotations"]
                for r in a["result"] if r["type"] == "choices"]

    assert [controls(t) for t in back] == [controls(t) for t in src]
    assert back[2]["predictions"] == src[2]["predictions"]


def test_csv_categories_round_trip_through_every_format(tmp_path):
    """BANKING77 categories out through JSONL (Prodigy, doccano) and Label Studio, and back:
    the same category on every message."""
    with Project.create(tmp_path / "a.tessera") as p:
        import_file(p, SAMPLE)
        want = categories_by_text(p)
        for name, fmt, opts in (("p.jsonl", "jsonl", {}), ("d.jsonl", "jsonl", {"style": "doccano"}),
                                ("s.jsonl", "jsonl", {"style": "spacy"}), ("ls.json", "labelstudio", {})):
            export_file(p, tmp_path / name, fmt, **opts)
            with Project.create(tmp_path / f"{name}.tessera") as q:
                import_file(q, tmp_path / name)
                assert categories_by_text(q) == want, name
