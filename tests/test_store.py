"""The project store: schema, labels, documents, spans, search, counts, errors on open."""
from __future__ import annotations

import sqlite3

import pytest

from engine.errors import ProjectError
from engine.store import SCHEMA_VERSION, Project, token_range
from tests.conftest import read_conll_sentences


def _add_sentence(project, tokens):
    text = " ".join(tokens)
    offs, pos = [], 0
    for t in tokens:
        offs.append((pos, pos + len(t)))
        pos += len(t) + 1
    return project.add_document(text, offs, [(0, len(offs))]), text, offs


def test_create_sets_wal_foreign_keys_and_schema(tmp_path):
    path = tmp_path / "p.tessera"
    Project.create(path).close()
    with Project.open(path) as p:
        assert p.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert p.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert p.get_setting("schema_version") == str(SCHEMA_VERSION)
        tables = set(p.db.table_names())
    assert {"meta", "labels", "documents", "spans", "runs", "run_metrics", "chat_examples"} <= tables


def test_create_refuses_existing_file(tmp_path):
    path = tmp_path / "p.tessera"
    Project.create(path).close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)


def test_open_rejects_non_project_files(tmp_path):
    text = tmp_path / "notes.tessera"
    text.write_text("hello, this is not a database\n")
    with pytest.raises(ProjectError, match="not a Tessera project"):
        Project.open(text)
    other = tmp_path / "other.db"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE x(a)")
    c.commit()
    c.close()
    with pytest.raises(ProjectError, match="not a Tessera project"):
        Project.open(other)
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(tmp_path / "missing.tessera")


def test_open_rejects_newer_schema(tmp_path):
    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        p.conn.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('tessera', 'm999_future', 'x')"
        )
        p.set_setting("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(ProjectError, match="newer version of Tessera"):
        Project.open(path)


def test_labels_add_rename_recolor_delete(project):
    per = project.add_label("person")
    loc = project.add_label("location")
    assert (per.hotkey, loc.hotkey) == ("1", "2")
    assert per.color != loc.color
    with pytest.raises(ProjectError, match="already exists"):
        project.add_label("person")
    with pytest.raises(ProjectError, match="needs a name"):
        project.add_label("   ")
    project.rename_label(per.id, "PER")
    project.recolor_label(per.id, "#123456")
    assert project.label_by_name("PER").color == "#123456"
    with pytest.raises(ProjectError, match="already exists"):
        project.rename_label(loc.id, "PER")
    with pytest.raises(ProjectError, match="already used"):
        project.update_label(loc.id, hotkey="1")
    doc_id, text, offs = _add_sentence(project, ["Paris", "is", "in", "France"])
    project.add_token_span(doc_id, 0, 1, loc.id)
    project.add_token_span(doc_id, 3, 4, loc.id)
    assert project.label_span_count(loc.id) == 2
    ch = project.delete_label(loc.id)
    assert len(ch.spans_removed) == 2 and ch.labels
    assert project.spans(doc_id) == []
    assert [l.name for l in project.labels()] == ["PER"]


def test_documents_dedup_by_content(project):
    a, _, _ = _add_sentence(project, ["@paulwalk", "It", "'s", "the", "view"])
    b, _, _ = _add_sentence(project, ["@paulwalk", "It", "'s", "the", "view"])
    assert a is not None and b is None
    assert project.count_documents() == 1


def test_new_span_replaces_overlapping_spans(project):
    lab = project.add_label("product")
    grp = project.add_label("group")
    doc_id, text, offs = _add_sentence(project, ["the", "new", "Empire", "State", "Building", "opened"])
    project.add_token_span(doc_id, 2, 3, lab.id)
    project.add_token_span(doc_id, 4, 5, lab.id)
    ch = project.add_token_span(doc_id, 2, 5, grp.id)
    assert len(ch.spans_removed) == 2
    spans = project.spans(doc_id)
    assert [(s.token_start, s.token_end, s.label_id) for s in spans] == [(2, 5, grp.id)]
    assert text[spans[0].start:spans[0].end] == "Empire State Building"
    # undo: remove the new span and restore the old ones
    project.remove_span(ch.spans_added[0].id)
    project.restore_spans(ch.spans_removed)
    assert [(s.token_start, s.token_end) for s in project.spans(doc_id)] == [(2, 3), (4, 5)]


def test_span_errors(project):
    lab = project.add_label("person")
    doc_id, text, _ = _add_sentence(project, ["hi", "there"])
    with pytest.raises(ProjectError, match="outside"):
        project.add_span(doc_id, 0, 99, lab.id)
    with pytest.raises(ProjectError, match="no label"):
        project.add_span(doc_id, 0, 2, 999)
    with pytest.raises(ProjectError, match="no document"):
        project.add_span(999, 0, 2, lab.id)
    assert project.spans(doc_id) == []


def test_status_split_and_counts(project, data_dir):
    sents = read_conll_sentences(data_dir / "dev.conll")[:50]
    ids = [_add_sentence(project, [t for t, _ in s])[0] for s in sents]
    ids = [i for i in ids if i]
    project.set_status(ids[:10], "done")
    project.set_status(ids[10], "skipped")
    project.set_split(ids[:5], "dev")
    with pytest.raises(ProjectError):
        project.set_status(ids[0], "finished")
    with pytest.raises(ProjectError):
        project.set_split(ids[0], "holdout")
    s = project.stats()
    assert s.documents == len(ids)
    assert s.by_status == {"new": len(ids) - 11, "done": 10, "skipped": 1}
    assert s.by_split["dev"] == 5
    assert project.count_documents(status="done") == 10
    assert project.count_documents(status="done", split="dev") == 5


def test_search_finds_substrings_in_any_script(project, data_dir):
    sents = read_conll_sentences(data_dir / "dev.conll")[:200]
    for s in sents:
        _add_sentence(project, [t for t, _ in s])
    cjk = project.add_document("我爱北京天安门")
    expected = [r[0] for r in project.conn.execute("SELECT id FROM documents WHERE text LIKE '%Battlefield%' ORDER BY id")]
    assert expected and project.search("battlefield") == expected
    assert project.search("北京") == [cjk]  # 2 characters: LIKE fallback
    assert project.search("天安门") == [cjk]  # trigram index
    assert project.search('"quoted" OR x') == []  # FTS syntax is escaped, not interpreted
    rows = project.list_documents(0, 10, query="Battlefield")
    assert [r.id for r in rows] == expected[:10]


def test_pages_iterate_all_documents_in_order(project, data_dir):
    sents = read_conll_sentences(data_dir / "dev.conll")[:120]
    for s in sents:
        _add_sentence(project, [t for t, _ in s])
    n = project.count_documents()
    ids = [d.id for d, _ in project.iter_documents(page_size=7)]
    assert ids == sorted(ids) and len(ids) == n
    page = project.list_documents(100, 50)
    assert [r.id for r in page] == ids[100:150]


def test_token_range_maps_char_offsets_to_tokens():
    toks = [(0, 5), (6, 8), (9, 11), (12, 18)]
    assert token_range(toks, 0, 5) == (0, 1)
    assert token_range(toks, 6, 11) == (1, 3)
    assert token_range(toks, 7, 13) == (1, 4)  # partial overlap snaps outward
    assert token_range(toks, 5, 6) == (1, 1)  # whitespace only: empty


# --------------------------------------------------------------------------- document-list navigation


def _dev_project(project, data_dir):
    from engine.importer import import_file

    import_file(project, data_dir / "dev.conll")
    ids = [r[0] for r in project.conn.execute("SELECT id FROM documents ORDER BY id")]
    project.set_status(ids[::4], "new")
    project.set_split(ids[::3], "test")
    return ids


def test_count_filtered_matches_list_documents(project, data_dir):
    ids = _dev_project(project, data_dir)
    person = project.label_by_name("person").id
    for f in [{}, {"status": "new"}, {"split": "test"}, {"split": "none"}, {"label_id": person},
              {"query": "trump"}, {"query": "lo"}, {"status": "new", "split": "test", "label_id": person}]:
        listed = project.list_documents(0, 10_000, **f)
        assert project.count_filtered(**f) == len(listed), f
    assert project.count_filtered() == len(ids) == project.count_documents()
    assert project.count_filtered(status="new") == project.count_documents(status="new")


def test_row_of_counts_rows_before_in_list_order(project, data_dir):
    ids = _dev_project(project, data_dir)
    person = project.label_by_name("person").id
    for f in [{}, {"status": "new"}, {"split": "test"}, {"label_id": person}, {"query": "the"}]:
        listed = [r.id for r in project.list_documents(0, 10_000, **f)]
        for row in (0, 1, len(listed) // 2, len(listed) - 1):
            assert project.row_of(listed[row], **f) == row, (f, row)
        outside = next(i for i in ids if i not in set(listed)) if len(listed) < len(ids) else None
        if outside is not None:
            assert project.row_of(outside, **f) is None
    assert project.row_of(10**9) is None


def test_next_unfinished_after_wraps_and_skips_itself(project, data_dir):
    ids = _dev_project(project, data_dir)
    new = [r[0] for r in project.conn.execute("SELECT id FROM documents WHERE status='new' ORDER BY id")]
    assert project.next_unfinished_after(new[0]) == new[1]
    assert project.next_unfinished_after(new[0] + 1) == new[1]  # from a finished document
    assert project.next_unfinished_after(new[-1]) == new[0]  # wraps to the top
    assert project.next_unfinished_after(None) == new[0]
    test_new = [r[0] for r in project.conn.execute(
        "SELECT id FROM documents WHERE status='new' AND split='test' ORDER BY id")]
    assert project.next_unfinished_after(test_new[-1], split="test") == test_new[0]
    project.set_status(new[1:], "done")
    assert project.next_unfinished_after(new[0]) is None  # itself is the only one left
    assert project.next_unfinished_after(ids[-1]) == new[0]
    project.set_status(new[0], "skipped")
    assert project.next_unfinished_after(None) is None


def test_document_rows_reads_rows_by_id(project, data_dir):
    ids = _dev_project(project, data_dir)
    picked = [ids[5], ids[0], ids[900]]
    rows = project.document_rows(picked + [10**9])
    assert [r.id for r in rows] == sorted(picked)
    page = {r.id: r for r in project.list_documents(0, 10_000)}
    assert all(r == page[r.id] for r in rows)
    lab = project.labels()[0].id
    doc = project.document(ids[0])
    before = project.document_rows([ids[0]])[0].n_spans
    taken = {t for s in project.spans(ids[0]) for t in range(s.token_start, s.token_end)}
    free = next(i for i in range(len(doc.tokens)) if i not in taken)
    project.add_token_span(ids[0], free, free + 1, lab)
    assert project.document_rows([ids[0]])[0].n_spans == before + 1
    assert len(project.document_rows(ids)) == len(ids)  # more ids than one IN (...) chunk
