"""Issue 18 (datasets out to the ML stack): the Parquet dataset folder reads back with
pyarrow with the same entities, tags as a ClassLabel, categories and a dataset card."""
from __future__ import annotations

import json

import pytest

import main
from engine.errors import TesseraError
from engine.formats.tags import tags_to_spans
from engine.importer import import_file
from engine.store import Project
from tests.conftest import DATA
from tests.test_ner_data import conll_slice

pq = pytest.importorskip("pyarrow.parquet")


def test_parquet_dataset_reads_back_with_the_same_entities(tmp_path, capsys):
    path = tmp_path / "w.tessera"
    with Project.create(path) as p:
        import_file(p, conll_slice(DATA / "train.conll", tmp_path / "t.conll", 80), status="done", split="train")
        import_file(p, conll_slice(DATA / "dev.conll", tmp_path / "d.conll", 30), status="done", split="dev")
        import_file(p, DATA / "banking77" / "sample.csv")  # categories too (no split: train)
        names = {l.id: l.name for l in p.labels()}
        want = {d.id: sorted((s.start, s.end, names[s.label_id]) for s in spans) for d, spans in p.iter_documents()}
        cats = {d.id: sorted(names[c.label_id] for c in p.categories(d.id)) for d, _ in p.iter_documents()}
    out = tmp_path / "dataset"
    assert main.main(["export", str(path), str(out), "--format", "parquet"]) == 0
    assert "Wrote 418 documents" in capsys.readouterr().out
    files = sorted(f.name for f in (out / "data").iterdir())
    assert files == ["train-00000-of-00001.parquet", "validation-00000-of-00001.parquet"]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "path: data/train-*.parquet" in card and "| validation | 30 |" in card and "licence" in card.lower()
    seen = 0
    for f in files:
        table = pq.read_table(out / "data" / f)
        features = json.loads(table.schema.metadata[b"huggingface"])["info"]["features"]
        tag_names = features["ner_tags"]["feature"]["names"]
        assert tag_names[0] == "O" and "B-person" in tag_names and features["ner_tags"]["feature"]["_type"] == \
            "ClassLabel"
        for row in table.to_pylist():
            seen += 1
            got = sorted((s["start"], s["end"], s["label"]) for s in row["spans"])
            assert got == want[row["id"]]
            assert sorted(row["categories"]) == cats[row["id"]]
            # the tag column says the same as the spans
            words = [tag_names[t] for t in row["ner_tags"]]
            assert len(words) == len(row["tokens"]) and len(tags_to_spans(words)) == len(got)
    assert seen == 418
    from engine.dataset_export import export_parquet

    with Project.open(path) as p, pytest.raises(TesseraError, match="not an empty folder"):
        export_parquet(p, out)  # never over an existing dataset
