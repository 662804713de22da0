"""The command line: every subcommand works, bad input gives one line and exit code 1."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import main
from tests.conftest import read_conll_sentences

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None):
    """Run ``python main.py ARGS`` in a subprocess; return (exit code, stdout, stderr)."""
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
                       cwd=cwd, timeout=120)
    return p.returncode, p.stdout, p.stderr


def test_every_subcommand_has_help(capsys):
    parser = main.build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in commands:
        with pytest.raises(SystemExit) as exc:
            main.main([name, "--help"])
        assert exc.value.code == 0
        assert "usage:" in capsys.readouterr().out


def test_init_import_stats_export_round_trip(tmp_path, data_dir):
    proj = tmp_path / "wnut.tessera"
    assert main.main(["init", str(proj)]) == 0
    assert main.main(["import", str(proj), str(data_dir / "dev.conll"), "--split", "dev"]) == 0
    assert main.main(["stats", str(proj)]) == 0
    out = tmp_path / "out.conll"
    assert main.main(["export", str(proj), str(out), "--status", "done"]) == 0
    gold, seen = [], set()
    for sent in read_conll_sentences(data_dir / "dev.conll"):  # one copy of a repeat (same tags)
        if (key := tuple(sent)) not in seen:
            seen.add(key)
            gold.append(sent)
    assert read_conll_sentences(out) == gold
    # importing the same file again adds nothing
    assert main.main(["import", str(proj), str(data_dir / "dev.conll")]) == 0
    from engine.store import Project

    with Project.open(proj) as p:
        assert p.count_documents() == len(gold)


def test_subprocess_errors_are_one_line_without_traceback(tmp_path, data_dir):
    proj = tmp_path / "p.tessera"
    code, out, err = run_cli("init", proj)
    assert code == 0 and "Created" in out
    bad = tmp_path / "bad.conll"
    bad.write_text("Paris\tB-location\nis\nnice\tO\n", encoding="utf-8")
    code, out, err = run_cli("import", proj, bad)
    assert code == 1
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0
    assert f"{bad}:2:" in err
    code, out, err = run_cli("stats", tmp_path / "missing.tessera")
    assert code == 1 and "no such project" in err and "Traceback" not in err
    code, out, err = run_cli("import", proj, data_dir / "dev.conll", "--text-column", "x")
    assert code == 1 and "does not apply" in err


def test_export_formats_by_extension(tmp_path, data_dir):
    proj = tmp_path / "p.tessera"
    main.main(["init", str(proj)])
    main.main(["import", str(proj), str(data_dir / "dev.conll")])
    for name in ("out.jsonl", "out.json", "out.txt", "out.csv", "out.tsv", "out.conll"):
        assert main.main(["export", str(proj), str(tmp_path / name)]) == 0
        assert (tmp_path / name).stat().st_size > 0
    assert main.main(["export", str(proj), str(tmp_path / "out.xyz")]) == 1
    leftovers = [p.name for p in tmp_path.iterdir() if p.suffix == ".part"]
    assert leftovers == []


def test_split_assigns_only_documents_without_one(tmp_path, data_dir, capsys):
    from tests.test_ner_data import conll_slice

    proj = tmp_path / "s.tessera"
    assert main.main(["init", str(proj)]) == 0
    assert main.main(["import", str(proj), str(conll_slice(data_dir / "train.conll", tmp_path / "a.conll", 60))]) == 0
    capsys.readouterr()
    assert main.main(["split", str(proj)]) == 0
    out = capsys.readouterr().out
    assert "6 to dev, 6 to test, 48 to train" in out and "scores will be rough" in out
    from engine.store import Project

    with Project.open(proj) as p:
        before = dict(p.conn.execute("SELECT id, split FROM documents"))
    assert main.main(["split", str(proj), "--seed", "9"]) == 0
    assert "nothing was moved" in capsys.readouterr().out
    with Project.open(proj) as p:
        assert dict(p.conn.execute("SELECT id, split FROM documents")) == before
