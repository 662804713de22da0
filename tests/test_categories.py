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
