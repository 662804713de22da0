"""Engine messages for the user (engine.messages): English text that keeps its template and
arguments, so the interface can show it translated."""
from __future__ import annotations

import importlib.util
import pickle
import string

import pytest

from engine.errors import FormatError, ProjectError
from engine.formats import conll, jsonl
from engine.formats.base import ReadNotes
from engine.messages import Message, msg, render
from tests.conftest import ROOT


def _engine_templates() -> dict[str, str]:
    """``gui.i18n.catalogue.engine_templates``, loaded without the gui package (no Qt)."""
    spec = importlib.util.spec_from_file_location("_catalogue", ROOT / "gui" / "i18n" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.engine_templates()


@pytest.fixture(scope="module")
def templates() -> dict[str, str]:
    return _engine_templates()


ZH = {
    "cannot read {path}: {why}": "无法读取 {path}：{why}",
    "the file is empty": "文件是空的",
    "line {n} of {path}": "{path} 的第 {n} 行",
}


def _zh(template: str) -> str:
    return ZH.get(template, template)


def test_message_keeps_english_template_and_args():
    m = msg("cannot read {path}: {why}", path="a.txt", why="the file is empty")
    assert isinstance(m, str) and isinstance(m, Message)
    assert m == "cannot read a.txt: the file is empty"
    assert str(m) == "cannot read a.txt: the file is empty"
    assert m.template == "cannot read {path}: {why}"
    assert m.args == {"path": "a.txt", "why": "the file is empty"}
    assert f"{m}!" == "cannot read a.txt: the file is empty!"
    with pytest.raises(KeyError):
        msg("cannot read {path}")  # a field without a value is a programming error


def test_message_survives_pickle():
    m = msg("cannot read {path}: {why}", path="a.txt", why=msg("the file is empty"))
    back = pickle.loads(pickle.dumps(m))
    assert type(back) is Message and back == m
    assert back.template == m.template
    assert isinstance(back.args["why"], Message) and back.args["why"].template == "the file is empty"
    err = pickle.loads(pickle.dumps(ProjectError(m)))  # errors cross process boundaries too
    assert isinstance(err.args[0], Message) and err.args[0].template == m.template


def test_render_translates_nested_messages():
    m = msg("cannot read {path}: {why}", path="a.txt", why=msg("the file is empty"))
    assert render(m, _zh) == "无法读取 a.txt：文件是空的"
    assert render(m, lambda t: t) == "cannot read a.txt: the file is empty"
    deeper = msg("line {n} of {path}", n=3, path=m)
    assert render(deeper, _zh) == "无法读取 a.txt：文件是空的 的第 3 行"
    assert render("plain text", _zh) == "plain text"  # not made with msg: unchanged


def test_wrong_translation_falls_back_to_english():
    m = msg("cannot read {path}: {why}", path="a.txt", why=msg("the file is empty"))
    broken = {"cannot read {path}: {why}": "无法读取 {file}", "the file is empty": "文件是空的"}
    # the outer template's translation names a field that does not exist: English, with
    # the (translated) nested message in it
    assert render(m, lambda t: broken.get(t, t)) == "cannot read a.txt: 文件是空的"
    assert render(msg("the file is empty"), lambda t: "{oops}") == "the file is empty"


def test_engine_templates_use_named_fields(templates):
    assert len(templates) > 100
    for template in templates:
        for _, field, spec, conversion in string.Formatter().parse(template):
            if field is not None:
                assert field and not field.isdigit() and not spec and not conversion, template


def test_real_format_error_carries_a_catalogued_message(tmp_path, templates):
    bad = tmp_path / "bad.conll"
    bad.write_text("Paris\tB-LOC\nis\n", encoding="utf-8")
    with pytest.raises(FormatError) as info:
        list(conll.read(bad))
    exc = info.value
    assert str(exc) == (f"{bad}:2: the line has a token ('is') but no tag. Each line needs a token and its tag "
                        "separated by a tab, e.g. 'Paris<TAB>B-location'.")
    assert isinstance(exc.message, Message)
    assert exc.message.template in templates
    assert exc.message.args["token"] == "'is'"
    # a nested message (a bad tag's problem inside the line's error) is catalogued too
    bad.write_text("Paris\tX-LOC\n", encoding="utf-8")
    with pytest.raises(FormatError) as info:
        list(conll.read(bad))
    assert info.value.message.template in templates


def test_import_notes_are_messages(tmp_path, templates):
    f = tmp_path / "overlap.jsonl"
    f.write_text('{"text": "New York City", "spans": [{"start": 0, "end": 8, "label": "LOC"}, '
                 '{"start": 4, "end": 13, "label": "LOC"}]}\n', encoding="utf-8")
    notes = ReadNotes(f.name)
    docs = list(jsonl.read(f, notes=notes))
    assert len(docs) == 1
    [line] = notes.formatted()
    assert line == "overlap.jsonl:1: the entity 0-8 (LOC) overlaps the longer 4-13 (LOC); left out 0-8."
    assert isinstance(line, Message) and line.template in templates
    note = line.args["note"]
    assert isinstance(note, Message) and note.template in templates
