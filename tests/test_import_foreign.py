"""Files written by other tools (tests/data/foreign, see its README for sources and
licences): import what they mean, lose nothing, list what was repaired or set aside.

One test (or more) per defect of issue 12; each failed before the fix.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from engine.errors import FormatError
from engine.exporter import export_file
from engine.formats import detect_format
from engine.importer import import_file
from engine.store import Project
from tests.conftest import read_conll_sentences

FOREIGN = Path(__file__).resolve().parent / "data" / "foreign"


def entities(project: Project, doc_id: int) -> list[tuple[str, str]]:
    """``(surface text, label)`` of a document's entities, in order."""
    doc = project.document(doc_id)
    names = {l.id: l.name for l in project.labels()}
    return [(doc.text[s.start:s.end], names[s.label_id]) for s in project.spans(doc_id)]


def all_docs(project: Project) -> list:
    return [d for d, _ in project.iter_documents()]


def jsonl_records(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


# --- defect 1: Prodigy answers --------------------------------------------------------------


def test_prodigy_manual_answers_keep_their_meaning(project, tmp_path):
    s = import_file(project, FOREIGN / "prodigy_ner_manual.jsonl")
    docs = all_docs(project)
    assert s.added == 7 and [d.status for d in docs] == ["done"] * 6 + ["skipped"]  # 6 accept, 1 ignore
    assert entities(project, docs[0].id) == [("Uber", "ORG"), ("Silicon Valley", "LOCATION")]
    out = tmp_path / "out.jsonl"
    export_file(project, out)
    recs = jsonl_records(out)
    assert [r["answer"] for r in recs] == ["accept"] * 6 + ["ignore"]
    assert all(r["_view_id"] == "ner_manual" and "_input_hash" in r for r in recs)


def test_prodigy_manual_reject_is_never_gold(project, tmp_path):
    rec = {"text": "Paris is nice", "spans": [{"start": 0, "end": 5, "label": "LOC"}], "answer": "reject",
           "_view_id": "ner_manual", "_input_hash": 1, "_task_hash": 2}
    path = tmp_path / "rej.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    import_file(project, path)
    (doc,) = all_docs(project)
    assert doc.status == "skipped"  # training reads done documents only
    assert project.count_documents(status="done") == 0
    out = tmp_path / "out.jsonl"
    export_file(project, out)
    (back,) = jsonl_records(out)
    assert back["answer"] == "reject" and back["spans"][0]["label"] == "LOC"


def test_prodigy_binary_answers_merge_into_partial_documents(project, tmp_path):
    s = import_file(project, FOREIGN / "prodigy_ner_teach.jsonl")
    docs = all_docs(project)
    # 9 records about 3 texts: 3 documents, not 9 done ones
    assert len(docs) == 3 and s.added == 3
    assert all(d.status == "new" for d in docs)  # a binary answer says nothing about the rest
    first, second, third = docs
    assert entities(project, first.id) == []  # everything on the first text was rejected/ignored
    fb = Counter(f.answer for f in project.feedback(first.id))
    assert fb == {"reject": 4, "ignore": 1}
    assert entities(project, second.id) == [(second.text[61:68], "PRODUCT")]
    assert [(f.start, f.answer) for f in project.feedback(second.id)] == [(252, "reject")]
    assert len(entities(project, third.id)) == 3
    stats = project.stats()
    assert stats.spans == 4 and stats.by_status["done"] == 0
    # export writes each answer back as it was
    out = tmp_path / "out.jsonl"
    export_file(project, out)
    recs = jsonl_records(out)
    answers = Counter((r["text"][:10], r["answer"], r["spans"][0]["start"]) for r in recs)
    assert len(recs) == 5 + 2 + 3 and all(len(r["spans"]) == 1 for r in recs)
    assert Counter(r["answer"] for r in recs) == {"reject": 5, "ignore": 1, "accept": 4}
    assert len(answers) == len(recs)
    # importing the same file again changes nothing
    again = import_file(project, FOREIGN / "prodigy_ner_teach.jsonl")
    assert again.added == 0 and again.merged == 0 and project.count_documents() == 3


def test_prodigy_binary_with_status_done(project):
    import_file(project, FOREIGN / "prodigy_ner_teach.jsonl", status="done")
    assert project.count_documents(status="done") == 3


# --- defect 2: same text, different entities ------------------------------------------------


def test_same_text_other_entities_is_a_conflict_not_a_loss(project):
    s = import_file(project, FOREIGN / "lener_br_pt_dups.conll")
    assert s.added == 2 and s.conflicts == 1 and s.duplicates == 0
    assert project.count_conflicts() == 2
    rows = project.list_documents(status="conflict")
    assert [r.id for r in rows] == [1, 2]
    a, b = (entities(project, i) for i in (1, 2))
    assert a != b and len(b) == len(a) + 1  # "... LTDA" and "GRANCURSOS ..." are two entities in copy 2
    assert ("GRANCURSOS ESCOLA PARA CONCURSOS PUBLICOS LTDA", "ORGANIZACAO") in b
    assert any("conflict" in n for n in s.notes)


def test_repeats_in_one_file_are_not_called_already_in_the_project(project, tmp_path):
    line = "Paris\tB-LOC\nis\tO\n\n"
    path = tmp_path / "rep.conll"
    path.write_text(line * 3, encoding="utf-8")
    s = import_file(project, path)
    assert (s.added, s.repeats_in_file, s.already_in_project) == (1, 2, 0)
    assert "repeated in this file" in str(s) and "already in the project" not in str(s)
    s2 = import_file(project, path)
    assert (s2.added, s2.already_in_project) == (0, 3)


def test_conflict_with_a_document_from_an_earlier_import(project, tmp_path):
    (tmp_path / "a.conll").write_text("Paris\tB-LOC\nis\tO\n", encoding="utf-8")
    (tmp_path / "b.conll").write_text("Paris\tB-PER\nis\tO\n", encoding="utf-8")
    import_file(project, tmp_path / "a.conll")
    s = import_file(project, tmp_path / "b.conll")
    assert s.added == 1 and s.conflicts == 1 and project.count_conflicts() == 2


# --- defect 3: CoNLL variants ------------------------------------------------------------


def test_germeval_columns_found_by_content(project, tmp_path):
    s = import_file(project, FOREIGN / "germeval2014_sample.tsv")
    assert s.format == "conll" and s.added == 4
    docs = all_docs(project)
    assert docs[0].text.startswith("– 4:26 # Sometime Ago/La Fiesta")  # tokens, not "1 2 3"
    assert ("Sometime Ago/La Fiesta", "OTH") in entities(project, docs[0].id)
    assert ("Corea", "PER") in entities(project, docs[0].id)
    notes = "\n".join(s.notes)
    assert "comment line" in notes and "second layer" in notes and "1 = index" in notes
    # export writes the columns back: index, token, tag, nested tag
    out = tmp_path / "out.tsv"
    export_file(project, out, fmt="conll")
    want = [l for l in (FOREIGN / "germeval2014_sample.tsv").read_text(encoding="utf-8").splitlines()
            if l.strip() and not l.startswith("#\t")]
    got = [l for l in out.read_text(encoding="utf-8").splitlines() if l.strip()]
    assert got == want


def test_tag_column_can_be_chosen(project):
    s = import_file(project, FOREIGN / "germeval2014_sample.tsv", tag_column=4)
    names = {l.name for l in project.labels()}
    assert names == {"LOC"} and s.spans == 2  # the nested layer: "Wißgoldingen", "Dortmund"


def test_conll2003_extra_columns_round_trip(project, tmp_path):
    src = tmp_path / "c03.conll"
    src.write_text(
        "-DOCSTART-\t-X-\t-X-\tO\n\nEU\tNNP\tB-NP\tB-ORG\nrejects\tVBZ\tB-VP\tO\nGerman\tJJ\tB-NP\tB-MISC\n"
        "call\tNN\tI-NP\tO\n.\t.\tO\tO\n\nPeter\tNNP\tB-NP\tB-PER\nBlackburn\tNNP\tI-NP\tI-PER\n\n",
        encoding="utf-8",
    )
    import_file(project, src)
    assert entities(project, 1) == [("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER")]
    out = tmp_path / "out.conll"
    export_file(project, out)
    assert out.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")


def test_spacy_sentence_per_line_iob(project):
    path = FOREIGN / "spacy_iob_sentence_per_line.iob"
    assert detect_format(path) == "iob"
    s = import_file(project, path)
    assert s.added == 2
    assert ("Sebastian Thrun", "PERSON") in entities(project, 1) and ("Google", "ORG") in entities(project, 1)
    s2 = import_file(project, FOREIGN / "spacy_iob_word_tag.iob")
    assert s2.added == 1 and entities(project, 3) == [("London", "GPE"), ("New York City", "GPE")]


def test_almost_no_tags_gets_a_warning(project, tmp_path):
    path = tmp_path / "pos.conll"
    words = (["The", "cat", "sat", "on", "the", "mat", "."] * 40)
    path.write_text("".join(f"{w}\tO\n" + ("\n" if w == "." else "") for w in words), encoding="utf-8")
    s = import_file(project, path)
    assert any("warning: only 0 of 280 tokens" in n for n in s.notes)


def test_chinese_bmes(project, tmp_path):
    s = import_file(project, FOREIGN / "zh_bmes_ours.txt", fmt="conll")
    assert entities(project, 2) == [("李", "NAME"), ("清 华 大 学", "ORG")]  # CoNLL tokens are joined by spaces
    out = tmp_path / "out.conll"
    export_file(project, out)  # written back in BMES, the scheme it came in
    src = (FOREIGN / "zh_bmes_ours.txt").read_text(encoding="utf-8").split()
    assert out.read_text(encoding="utf-8").split() == src
    assert s.added == 2


# --- defect 4 and 5: JSON documents by content ---------------------------------------------


def test_pretty_printed_doccano_keeps_its_entities(project, tmp_path):
    for fmt in ("auto", "labelstudio", "jsonl"):
        with Project.create(tmp_path / f"{fmt}.tessera") as p:
            s = import_file(p, FOREIGN / "doccano_pretty.json", fmt=fmt)
            assert (s.added, s.spans) == (3, 4), fmt


def test_old_doccano_labels_key_and_spacy_ents(project, tmp_path):
    s = import_file(project, FOREIGN / "doccano_pr777_labeling.json")
    assert s.added == 3 and s.conflicts == 2 and s.spans == 3
    path = tmp_path / "spacy.jsonl"
    path.write_text(json.dumps({"text": "Ann met Bob", "ents": [{"start": 0, "end": 3, "label": "PER"}]}) + "\n",
                    encoding="utf-8")
    import_file(project, path)
    assert entities(project, 4) == [("Ann", "PER")]


def test_entity_like_fields_we_do_not_read_are_refused(project, tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps({"text": "Ann met Bob", "mentions": [{"begin": 0, "end": 3, "type": "PER"}]}) + "\n",
                    encoding="utf-8")
    with pytest.raises(FormatError, match='"mentions" looks like entity annotations'):
        import_file(project, path)
    assert project.count_documents() == 0


def test_one_label_studio_task_object(project, tmp_path):
    path = FOREIGN / "labelstudio_task.json"
    assert detect_format(path) == "labelstudio"
    s = import_file(project, path)
    assert s.added == 1 and entities(project, 1) == [("February 22", "Date")]
    out = tmp_path / "out.json"
    export_file(project, out)
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    region = task["annotations"][0]["result"][0]
    assert (region["from_name"], region["to_name"]) == ("ner", "text") and "text" in task["data"]


# --- defect 6: repaired or set aside, never silently ----------------------------------------


def test_stray_bom_line_is_repaired_and_listed(project):
    s = import_file(project, FOREIGN / "conll_with_bom_line.conll")
    assert s.added == 2
    assert s.notes == ["conll_with_bom_line.conll:15: a line holding only a stray byte-order mark (U+FEFF) "
                       "or zero-width space was read as a blank line."]
    report = Path(s.report_path)
    assert report.parent == project.path.with_suffix(".reports") and "conll_with_bom_line.conll:15" in report.read_text()


def test_duplicate_identical_spans_are_merged(project):
    s = import_file(project, FOREIGN / "doccano_dup_spans.jsonl")
    assert s.spans == 1 and "listed twice" in s.notes[0]


def test_record_without_text_is_set_aside(project):
    s = import_file(project, FOREIGN / "doccano_seq_missing_text.jsonl")
    assert s.added == 2 and s.counts["set_aside"] == 1 and s.notes[0].startswith("doccano_seq_missing_text.jsonl:3:")
    with Project.create(project.path.with_name("strict.tessera")) as p, pytest.raises(FormatError):
        import_file(p, FOREIGN / "doccano_seq_missing_text.jsonl", strict=True)


def test_one_overlap_in_a_thousand_line_prodigy_file(project, tmp_path, data_dir):
    from engine.formats import conll

    docs = list(conll.read(data_dir / "train.conll"))[:1000]
    lines = [json.dumps({"text": d.text, "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in d.spans],
                         "answer": "accept", "_view_id": "ner_manual"}) for d in docs]
    bad = json.loads(lines[499])
    bad["text"] = "Ann Lee lives in Leeds"
    bad["spans"] = [{"start": 0, "end": 7, "label": "person"}, {"start": 4, "end": 7, "label": "location"}]
    lines[499] = json.dumps(bad)
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Project.create(tmp_path / "strict.tessera") as p:
        with pytest.raises(FormatError) as exc:
            import_file(p, path, strict=True)
        assert exc.value.line == 500 and p.count_documents() == 0
    s = import_file(project, path)
    assert s.added + s.duplicates == 1000
    assert any(n.startswith("big.jsonl:500:") and "left out 4-7" in n for n in s.notes)
    doc_id = project.search("Ann Lee lives")[0]
    assert entities(project, doc_id) == [("Ann Lee", "person")]


# --- defect 7: export fidelity ---------------------------------------------------------------


def test_label_studio_predictions_counted_and_written_back(project, tmp_path):
    s = import_file(project, FOREIGN / "labelstudio_predictions.json")
    assert s.counts["predictions"] == 4 and "4 model predictions not imported" in str(s)
    assert project.stats().spans == 0  # predictions are never gold
    out = tmp_path / "out.json"
    export_file(project, out)
    src = json.loads((FOREIGN / "labelstudio_predictions.json").read_text(encoding="utf-8"))
    back = json.loads(out.read_text(encoding="utf-8"))
    assert [t["predictions"] for t in back] == [t["predictions"] for t in src]
    assert [t["data"] for t in back] == [t["data"] for t in src]


def test_csv_export_keeps_column_name_order_and_delimiter(project, tmp_path):
    src = tmp_path / "sätze.csv"
    src.write_text("id;Satz;quelle\n1;Der Hund bellt.;a\n2;Die Katze schläft.;b\n", encoding="utf-8")
    import_file(project, src, text_column="Satz")
    out = tmp_path / "out.csv"
    export_file(project, out)
    assert out.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")


# --- defect 8: what the bytes are --------------------------------------------------------------


def test_surrogate_escaped_emoji_is_not_called_latin1(project, tmp_path):
    path = tmp_path / "emoji.txt"
    path.write_bytes("ok line\nsmile \ud83d\ude00 here\n".encode("utf-8", "surrogatepass"))
    with pytest.raises(FormatError) as exc:
        import_file(project, path)
    assert exc.value.line == 2 and "CESU-8" in exc.value.message and "Latin-1" not in exc.value.message
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café\n".encode("latin-1"))
    with pytest.raises(FormatError, match="Latin-1"):
        import_file(project, latin)


# --- round trip over every format with conflicting repeats ------------------------------------


@pytest.mark.parametrize("fmt,name,opts", [
    ("conll", "x.conll", {}), ("iob", "x.iob", {}), ("jsonl", "x.jsonl", {"style": "prodigy"}),
    ("jsonl", "x.jsonl", {"style": "doccano"}), ("labelstudio", "x.json", {}),
])
def test_round_trip_keeps_conflicting_repeats(tmp_path, data_dir, fmt, name, opts):
    sents = read_conll_sentences(data_dir / "dev.conll")[:30]
    # three sentences come back later with other labels, one comes back the same
    flipped = []
    for sent in sents[:3]:
        flipped.append([(w, "O" if t != "O" else ("B-person" if i == 0 else "O")) for i, (w, t) in enumerate(sent)])
    rows = sents + flipped + [sents[5]]
    src = tmp_path / "src.conll"
    src.write_text("".join("".join(f"{w}\t{t}\n" for w, t in s) + "\n" for s in rows), encoding="utf-8")

    def content(p: Project) -> Counter:
        names = {l.id: l.name for l in p.labels()}
        return Counter((d.text.replace("\n", " "), tuple((d.text[s.start:s.end], names[s.label_id]) for s in spans))
                       for d, spans in p.iter_documents())

    with Project.create(tmp_path / "a.tessera") as a:
        s = import_file(a, src)
        assert s.conflicts == 3 and s.repeats_in_file == 1 and s.added == len(rows) - 1
        mid = tmp_path / name
        export_file(a, mid, fmt=fmt, **opts)
        want = content(a)
    with Project.create(tmp_path / "b.tessera") as b:
        s = import_file(b, mid, fmt=fmt, status="done")
        assert s.conflicts == 3 and s.added == len(rows) - 1  # nothing labeled is lost
        assert content(b) == want
