"""Backups (issue 13): made before destructive operations, listed with counts, pruned,
restored into the project's place with the state before the restore kept."""
from __future__ import annotations

import sqlite3

import pytest

from engine import backup as bk
from engine.importer import import_file
from engine.store import Project
from tests.conftest import DATA


@pytest.fixture
def wnut(tmp_path):
    path = tmp_path / "wnut.tessera"
    with Project.create(path) as p:
        import_file(p, DATA / "dev.conll")
    return path


def test_backup_before_import_and_label_deletion(wnut):
    assert bk.list_backups(wnut) == []  # the first import into an empty project needs none
    with Project.open(wnut) as p:
        import_file(p, DATA / "foreign" / "doccano_seq.jsonl")
        (b,) = bk.list_backups(wnut)
        assert b.reason == "before importing doccano_seq.jsonl" and (b.documents, b.done, b.entities) == (1007, 1007, 835)
        person = p.label_by_name("person")
        p.delete_label(person.id)
        newest = bk.list_backups(wnut)[0]
        assert newest.reason == "before deleting the label person" and newest.entities == 839
    # the backup is a whole, openable project
    with Project.open(newest.path) as copy:
        assert copy.label_by_name("person") is not None and copy.stats().spans == 839


def test_restore_puts_the_backup_back_and_keeps_the_present(wnut):
    with Project.open(wnut) as p:
        b = bk.make_backup(wnut, "made by hand")
        p.delete_label(p.label_by_name("person").id, backup=False)
        assert p.stats().spans == 835 - 469
    bk.restore(b, wnut)
    with Project.open(wnut) as p:
        assert p.stats().spans == 835 and p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    before = bk.list_backups(wnut)[0]
    assert before.reason == "before restoring" and before.entities == 835 - 469


def test_prune_keeps_the_newest(wnut):
    for i in range(5):
        bk.make_backup(wnut, f"n{i}", keep=3)
    assert [b.reason for b in bk.list_backups(wnut)] == ["n4", "n3", "n2"]
    assert not list(bk.backup_dir(wnut).glob("*.part"))


def test_upgrade_is_backed_up(tmp_path):
    from engine.store import migrations

    path = tmp_path / "old.tessera"
    conn = sqlite3.connect(path, isolation_level=None)
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    migrations.apply(db, stop_before="m003_import_fidelity")
    db["meta"].upsert({"key": "schema_version", "value": "2"}, pk="key")
    conn.close()
    with Project.open(path) as p:
        assert p.count_documents() == 0
    (b,) = bk.list_backups(path)
    assert b.reason == "before upgrading the project"


def test_auto_backup_timing():
    now = [0.0]
    a = bk.AutoBackup(minutes=30, clock=lambda: now[0])
    now[0] = 3600
    assert not a.due()  # nothing edited
    a.edited()
    assert a.due()
    a.done()
    a.edited()
    now[0] += 29 * 60
    assert not a.due()
    now[0] += 60
    assert a.due()
