"""Chat data import: every format reads real files, bad files are rejected whole with
``path:line``, importing twice adds nothing, and the CLI ``import-chat`` works."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import main
from engine.chat.examples import add_example, count_examples, list_examples, problem
from engine.chat.formats import detect_chat_format, read_chat_file
from engine.chat.importer import import_chat_file
from engine.errors import FormatError
from engine.events import Cancelled, CancelToken, Progress
from engine.store import Project

ROOT = Path(__file__).resolve().parent.parent


def user_assistant(user: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]


def write_jsonl(path: Path, objects, encoding: str = "utf-8") -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding=encoding)
    return path


# ---------------------------------------------------------------- the real test data

def test_dolly_human_assistant_lines(project, data_dir):
    path = data_dir / "chat" / "dolly_open_qa_200.jsonl"
    expected = []  # naive oracle: one "### Human: q ### Assistant: a" per line
    for line in path.read_text(encoding="utf-8").splitlines():
        human, answer = json.loads(line)["text"].split("### Assistant:")
        expected.append(user_assistant(human.replace("### Human:", "").strip(), answer.strip()))
    unique = {json.dumps(m) for m in expected}
    assert detect_chat_format(path) == "human-assistant"
    summary = import_chat_file(project, path)
    assert (summary.added, summary.skipped) == (len(unique), len(expected) - len(unique))
    assert len(expected) == 200 and summary.added <= 200
    rows = list_examples(project)
    assert [r.messages for r in rows][:5] == expected[:5]
    assert {json.dumps(r.messages) for r in rows} == unique
    assert {r.source for r in rows} == {"dolly_open_qa_200.jsonl"} and {r.split for r in rows} == {None}
    again = import_chat_file(project, path)
    assert (again.added, again.skipped) == (0, len(expected))
    assert count_examples(project) == len(unique)


def test_self_instruct_seed_tasks_give_one_example_per_instance(project, data_dir):
    path = data_dir / "chat" / "self_instruct_seed_tasks.jsonl"
    expected = []
    for line in path.read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        for inst in task["instances"]:
            user = task["instruction"].strip() + (f"\n\n{inst['input'].strip()}" if inst["input"].strip() else "")
            expected.append(user_assistant(user, inst["output"].strip()))
    assert detect_chat_format(path) == "alpaca"
    summary = import_chat_file(project, path, format="alpaca", split="train")
    assert summary.added + summary.skipped == len(expected) == 175
    assert summary.added == len({json.dumps(m) for m in expected})
    rows = list_examples(project)
    assert rows[0].messages == expected[0]
    assert rows[1].messages[0]["content"] == "What is the relation between the given pairs?\n\nNight : Day :: Right : Left"
    assert count_examples(project, split="train") == summary.added
    assert import_chat_file(project, path).added == 0


# ---------------------------------------------------------------- each format

def test_openai_messages_and_sharegpt(tmp_path, project):
    path = write_jsonl(tmp_path / "chats.jsonl", [
        {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                      {"role": "assistant", "content": " Hello! "}], "weight": 1},
        {"messages": [{"role": "Human", "content": "2+2?"}, {"role": "gpt", "content": "4"},
                      {"role": "user", "content": "and 3+3?"}, {"role": "model", "content": "6"}]},
        {"conversations": [{"from": "system", "value": "Pirate."}, {"from": "human", "value": "Ahoy"},
                           {"from": "gpt", "value": "Arr"}]},
        {"messages": [{"role": "user", "content": [{"type": "text", "text": "Part one."},
                                                   {"type": "text", "text": "Part two."}]},
                      {"role": "bot", "content": "Both."}]},
    ])
    got = list(read_chat_file(path))
    assert [n for n, _ in got] == [1, 2, 3, 4]
    assert got[0][1] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                         {"role": "assistant", "content": " Hello! "}]  # contents kept as written
    assert [m["role"] for m in got[1][1]] == ["user", "assistant", "user", "assistant"]
    assert got[2][1] == [{"role": "system", "content": "Pirate."}, *user_assistant("Ahoy", "Arr")]
    assert got[3][1] == user_assistant("Part one.\nPart two.", "Both.")
    assert import_chat_file(project, path, format="messages").added == 4
    assert list_examples(project)[2].source == "chats.jsonl"


def test_alpaca_jsonl_dolly15k_keys_and_json_array(tmp_path):
    path = write_jsonl(tmp_path / "alpaca.jsonl", [
        {"instruction": "Add the numbers.", "input": "2 and 3", "output": "5"},
        {"instruction": "Say hello.", "input": "", "output": "Hello."},
        {"instruction": "Summarise.", "context": "A long text.", "response": "Short.", "category": "summarization"},
        {"instruction": "Greet.", "input": None, "output": "Hi.", "system": "You are polite."},
    ])
    assert [m for _, m in read_chat_file(path)] == [
        user_assistant("Add the numbers.\n\n2 and 3", "5"),
        user_assistant("Say hello.", "Hello."),
        user_assistant("Summarise.\n\nA long text.", "Short."),
        [{"role": "system", "content": "You are polite."}, *user_assistant("Greet.", "Hi.")],
    ]
    items = [{"instruction": f"Task {i}", "input": "", "output": f"Answer {i}"} for i in range(3)]
    pretty = tmp_path / "alpaca_data.json"
    pretty.write_text(json.dumps(items, indent=4), encoding="utf-8")
    got = list(read_chat_file(pretty))
    assert [m for _, m in got] == [user_assistant(f"Task {i}", f"Answer {i}") for i in range(3)]
    assert [n for n, _ in got] == [2, 7, 12]  # the line where each object starts
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(items), encoding="utf-8")
    assert [n for n, _ in read_chat_file(compact, "alpaca")] == [1, 1, 1]


def test_human_assistant_multi_turn_jsonl_and_text(tmp_path):
    path = write_jsonl(tmp_path / "guanaco.jsonl", [
        {"text": "### Human: a ### Assistant: b ### Human: c ### Assistant: d"},
        {"text": "### System: Be kind. ### Human: hi ### Assistant: hello"},
    ])
    got = [m for _, m in read_chat_file(path, "human-assistant")]
    assert got[0] == [*user_assistant("a", "b"), *user_assistant("c", "d")]
    assert got[1] == [{"role": "system", "content": "Be kind."}, *user_assistant("hi", "hello")]
    blocks = tmp_path / "blocks.txt"
    blocks.write_text("### Human: What is 2+2?\n### Assistant: 4.\nReally.\n### Human: Sure?\n### Assistant: Yes.\n"
                      "\n\n### Human: Name a colour.\n### Assistant: Red.\n", encoding="utf-8")
    got = list(read_chat_file(blocks))
    assert got == [(1, [*user_assistant("What is 2+2?", "4.\nReally."), *user_assistant("Sure?", "Yes.")]),
                   (8, user_assistant("Name a colour.", "Red."))]
    per_line = tmp_path / "lines.txt"
    per_line.write_text("### Human: one ### Assistant: 1\n### Human: two ### Assistant: 2\n", encoding="utf-8")
    assert list(read_chat_file(per_line)) == [(1, user_assistant("one", "1")), (2, user_assistant("two", "2"))]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings(tmp_path, encoding):
    path = write_jsonl(tmp_path / "bom.jsonl", [{"messages": user_assistant("Café?", "Oui.")}] * 2, encoding)
    assert list(read_chat_file(path)) == [(1, user_assistant("Café?", "Oui.")), (2, user_assistant("Café?", "Oui."))]
    txt = tmp_path / "bom.txt"
    txt.write_text("### Human: Grüß ### Assistant: Hallo\r\n", encoding=encoding)
    assert list(read_chat_file(txt)) == [(1, user_assistant("Grüß", "Hallo"))]


def test_reading_streams(tmp_path):
    """The first conversation comes out before a later broken line is even read."""
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text('{"instruction": "a", "output": "b"}\n{"instruction": \n', encoding="utf-8")
    it = read_chat_file(jsonl)
    assert next(it) == (1, user_assistant("a", "b"))
    with pytest.raises(FormatError):
        next(it)
    array = tmp_path / "s.json"
    array.write_text('[\n{"instruction": "a", "output": "b"},\n{"instruction": "c", "output": "d"},\n{oops\n',
                     encoding="utf-8")
    it = read_chat_file(array)
    assert [next(it), next(it)] == [(2, user_assistant("a", "b")), (3, user_assistant("c", "d"))]
    with pytest.raises(FormatError) as exc:
        next(it)
    assert exc.value.line == 4


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_json_spanning_lines_reads_the_same_whatever_the_chunk_size(tmp_path, monkeypatch, encoding):
    """JSON arrays are read in chunks: values, escapes, multi-byte characters and CR LF
    cut at any place give the same result and the same errors."""
    import engine.chat.formats as formats

    items = [{"instruction": f"Tâche {i} 😀 \"q\" \\", "input": "x" * i, "output": f"Out {i}", "n": [1.5e3, True, None]}
             for i in range(4)]
    compact = json.dumps(items, ensure_ascii=False)
    texts = {
        "pretty": json.dumps(items, indent=2, ensure_ascii=False).replace("\n", "\r\n"),
        "compact": compact,
        "escaped": json.dumps(items),
        "objects": "\n".join(json.dumps(o, indent=1) for o in items) + "\n\n",
        "bad_key": compact.replace('"output"', 'output', 1),
        "truncated": compact[:-5],
        "bad_value": json.dumps(items, indent=2).replace('"Out 2"', "Out 2"),
    }
    read = formats._text_chunks
    for name, text in texts.items():
        path = tmp_path / f"{name}.json"
        path.write_text(text, encoding=encoding, newline="")
        results = set()
        for size in (1, 2, 3, 5, 13, 1 << 20):
            monkeypatch.setattr(formats, "_text_chunks", lambda p, size=size: read(p, size))
            try:
                results.add(json.dumps(list(read_chat_file(path))))
            except FormatError as exc:
                results.add(str(exc))
        assert len(results) == 1, (name, results)
        (result,) = results
        if name in ("bad_key", "truncated", "bad_value"):
            line = 1 + text.count("\n", 0, text.find("Out 2")) if name == "bad_value" else 1
            assert result.startswith(f"{path}:{line}: ")
            assert ("does not end" in result) == (name == "truncated")
        else:
            start = text.rfind("{", 0, text.find("che 3"))  # where the 4th object starts
            assert json.loads(result)[3] == [1 + text.count("\n", 0, start),
                                             user_assistant("Tâche 3 😀 \"q\" \\\n\nxxx", "Out 3")]


# ---------------------------------------------------------------- bad files: rejected whole

GOOD = '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'
GOOD_ALPACA = '{"instruction": "Say hi.", "output": "Hi."}\n'
BAD = [
    # (file name, content, line, words in the message)
    ("broken.jsonl", GOOD + GOOD.replace("hello", "bye") + '{"messages": [{"role": "user"\n', 3, "not valid JSON"),
    ("no_output.jsonl", GOOD_ALPACA + '{"instruction": "Say bye."}\n', 2, '"output" is missing'),
    ("empty_output.jsonl", GOOD_ALPACA + GOOD_ALPACA + '{"instruction": "x", "output": "  "}\n', 3, '"output" is empty'),
    ("wizard.jsonl", GOOD + '{"messages": [{"role": "user", "content": "hi"}, {"role": "wizard", "content": "x"}]}\n',
     2, "role 'wizard'"),
    ("ends_user.jsonl", GOOD + '\n{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": '
     '"b"}, {"role": "user", "content": "c"}]}\n', 3, "must end with the assistant"),
    ("empty_content.jsonl", '{"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "b"}]}\n',
     1, "has no text"),
    ("no_user.jsonl", '{"messages": [{"role": "system", "content": "s"}, {"role": "assistant", "content": "b"}]}\n',
     1, "no user message"),
    ("string_messages.jsonl", GOOD + '{"messages": "hello"}\n', 2, "must be a list"),
    ("number_content.jsonl", '{"messages": [{"role": "user", "content": 5}, {"role": "assistant", "content": "b"}]}\n',
     1, "must be text"),
    ("no_role.jsonl", '{"conversations": [{"value": "a"}, {"from": "gpt", "value": "b"}]}\n', 1, 'no "role"'),
    ("list_line.jsonl", GOOD + '["hi", "hello"]\n', 2, "a list"),
    ("unknown.jsonl", '{"question": "a", "answer": "b"}\n', 1, "cannot tell the chat format"),
    ("mixed.jsonl", GOOD_ALPACA + GOOD, 2, 'no "instruction"'),
    ("instances.jsonl", '{"instruction": "x", "instances": []}\n', 1, '"instances"'),
    ("array.json", '[\n  {"instruction": "a", "output": "b"},\n  {"instruction": "c", "output": "d"}\n', 3, "does not end"),
    ("array_item.json", '[\n  {"instruction": "a", "output": "b"},\n  42\n]\n', 3, "a number"),
    ("two_arrays.json", '[{"instruction": "a", "output": "b"}]\n[]\n', 2, "more text after"),
    ("before.txt", "### Human: a ### Assistant: b\n\nSome note\n### Human: c ### Assistant: d\n", 3, "before the first"),
    ("blank_inside.txt", "### Human: a\n### Assistant: b\n\n### Human: c\n\n### Assistant: d\n", 4, "blank line"),
    ("no_markers.jsonl", '{"text": "### Human: a ### Assistant: b"}\n{"text": "just text"}\n', 2, "no ### Human:"),
    ("prose.txt", "Dear diary,\ntoday I trained a model.\n", 1, "cannot tell"),
    ("empty.jsonl", "", 0, "empty"),
    ("blank.txt", "\n   \n\n", 0, "only blank lines"),
    ("empty_array.json", "[]\n", 0, "no chat examples"),
]


@pytest.mark.parametrize("name,content,line,words", BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_rejected_whole(tmp_path, name, content, line, words):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as exc:
        list(read_chat_file(path))
    assert exc.value.line == line, str(exc.value)
    assert words in exc.value.message
    assert str(exc.value).startswith(f"{path}:{line}: " if line else f"{path}: ")
    with Project.create(tmp_path / "p.tessera") as project:
        with pytest.raises(FormatError):
            import_chat_file(project, path)
        assert count_examples(project) == 0


@pytest.mark.parametrize("data,words", [
    ('{"text": "### Human: café ### Assistant: oui"}\n'.encode("latin-1"), "not valid UTF-8"),
    (b"\x00\x01\x02PK\x03\x04", "binary"),
    ("\ufeff".encode("utf-32")[:4] + "{}".encode("utf-32-le"), "UTF-32"),
    ('{"text": "### Human: \\ud800 ### Assistant: b"}\n'.encode(), "invalid character"),
    (b"[" * 100_000, "nested too deeply"),
])
def test_bad_bytes(tmp_path, data, words):
    path = tmp_path / "x.jsonl"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=words) as exc:
        list(read_chat_file(path))
    assert exc.value.line == 1


def test_failed_import_leaves_the_project_as_it_was(tmp_path, project):
    add_example(project, user_assistant("kept", "yes"))
    path = tmp_path / "late_error.jsonl"
    path.write_text("".join(json.dumps({"instruction": f"q{i}", "output": f"a{i}"}) + "\n" for i in range(700))
                    + '{"instruction": "x"}\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"late_error\.jsonl:701: "):
        import_chat_file(project, path)
    assert [r.messages for r in list_examples(project)] == [user_assistant("kept", "yes")]


def test_wrong_explicit_format_says_which_to_choose(tmp_path, data_dir):
    with pytest.raises(FormatError, match="looks like the alpaca format") as exc:
        list(read_chat_file(data_dir / "chat" / "self_instruct_seed_tasks.jsonl", "messages"))
    assert exc.value.line == 1
    with pytest.raises(FormatError, match="not JSON"):
        list(read_chat_file(write_text(tmp_path / "t.txt", "### Human: a ### Assistant: b\n"), "alpaca"))
    with pytest.raises(FormatError, match="unknown chat format"):
        read_chat_file(data_dir / "chat" / "self_instruct_seed_tasks.jsonl", "csv")
    with Project.create(tmp_path / "p.tessera") as project, pytest.raises(FormatError, match="unknown split"):
        import_chat_file(project, data_dir / "chat" / "self_instruct_seed_tasks.jsonl", split="holdout")


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- progress and cancel

def many(tmp_path: Path, n: int) -> Path:
    return write_jsonl(tmp_path / "many.jsonl", ({"instruction": f"Question {i}?", "output": f"Answer {i}."}
                                                 for i in range(n)))


def test_progress_reaches_the_total(tmp_path, project):
    events = []
    summary = import_chat_file(project, many(tmp_path, 600), report=events.append)
    assert summary.added == 600
    progress = [e for e in events if isinstance(e, Progress)]
    assert len(progress) >= 3 and all(e.unit == "lines" for e in progress)
    assert [e.done for e in progress] == sorted(e.done for e in progress)
    assert progress[-1].done == progress[-1].total == 600


def test_cancel_adds_nothing(tmp_path, project):
    cancel = CancelToken()

    def report(event):
        if isinstance(event, Progress) and event.done:  # the first report from inside the file
            cancel.cancel()

    with pytest.raises(Cancelled):
        import_chat_file(project, many(tmp_path, 1000), report=report, cancel=cancel)
    assert count_examples(project) == 0
    with pytest.raises(Cancelled):  # cancelled before it starts: still nothing
        import_chat_file(project, many(tmp_path, 5), cancel=cancel)
    assert count_examples(project) == 0


# ---------------------------------------------------------------- fuzz: only FormatError

_words = st.lists(st.sampled_from(list("ab #:\n\t{}[]\",é\ud800") + ["### Human:", "### Assistant:", "\\u"]),
                 max_size=12).map("".join)
_roles = st.sampled_from(["user", "assistant", "system", "human", "gpt", "wizard", "", 3, None])
_values = st.recursive(st.none() | st.booleans() | st.integers() | _words,
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_words, inner, max_size=3),
                       max_leaves=6)
_message = st.fixed_dictionaries({"role": _roles, "content": _words | _values})
_plain = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)
_odd = st.builds(str.__add__, _plain, st.sampled_from(["\x00", "\r", "\u2028", "\ufeff"]))
_text = st.one_of(*[_plain] * 8, _odd, st.builds(str.__add__, _plain, st.just("\ud800")))
_good = [  # valid conversations of each format, so the import path is exercised too
    st.builds(lambda turns: {"messages": [{"role": r, "content": c} for q, a in turns
                                          for r, c in (("user", q), ("assistant", a))]},
              st.lists(st.tuples(_text, _text), min_size=1, max_size=3)),
    st.builds(lambda q, a: {"instruction": q, "output": a}, _text, _text),
    st.builds(lambda q, a: {"text": f"### Human: {q} ### Assistant: {a}"}, _text, _text),
]
_objects = st.one_of(
    *_good,
    st.builds(lambda ms: {"messages": ms}, st.lists(_message, max_size=4) | _values),
    st.builds(lambda ms: {"conversations": [{"from": m["role"], "value": m["content"]} for m in ms]},
              st.lists(_message, max_size=4)),
    st.fixed_dictionaries({"instruction": _words | _values}, optional={"input": _words | _values,
                                                                       "output": _words | _values,
                                                                       "instances": _values}),
    st.fixed_dictionaries({"text": _words | _values}),
    st.dictionaries(_words, _values, max_size=3),
)


def _as_file(objs: list, how: str) -> bytes:
    if how == "jsonl":
        return "".join(json.dumps(o) + "\n" for o in objs).encode()
    if how == "array":
        return json.dumps(objs, indent=1).encode()
    return "\n\n".join(o["text"] for o in objs if isinstance(o.get("text"), str)).encode("utf-8", "surrogatepass")


_good_file = st.sampled_from([(0, "jsonl"), (0, "array"), (1, "jsonl"), (1, "array"), (2, "jsonl"), (2, "text")]).flatmap(
    lambda kind_how: st.builds(_as_file, st.lists(_good[kind_how[0]], min_size=1, max_size=4), st.just(kind_how[1])))
_files = st.one_of(
    _good_file, _good_file, _good_file,
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    _words.map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.builds(_as_file, st.lists(_objects, max_size=4), st.sampled_from(["jsonl", "array", "text"])),
    st.builds(lambda data, cut: data[:cut],  # a valid file cut short
              st.builds(_as_file, st.lists(_objects, min_size=1, max_size=3), st.sampled_from(["jsonl", "array"])),
              st.integers(0, 200)),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(data=_files, fmt=st.sampled_from(["auto", "auto", "messages", "alpaca", "human-assistant"]),
       suffix=st.sampled_from([".jsonl", ".json", ".txt"]))
def test_fuzz_only_format_errors(tmp_path_factory, data, fmt, suffix):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"x{suffix}"
    path.write_bytes(data)
    try:
        got = list(read_chat_file(path, fmt))
    except FormatError as exc:
        assert exc.path == str(path) and exc.message
        event("rejected")
        return
    event("read")
    assert got
    for line, messages in got:
        assert line >= 1 and problem(messages) is None
    with Project.create(folder / "p.tessera") as project:
        summary = import_chat_file(project, path, format=fmt)
        assert summary.added + summary.skipped == len(got)
        assert count_examples(project) == summary.added == len({json.dumps(m) for _, m in got})


# ---------------------------------------------------------------- CLI

def test_cli_import_chat_and_stats(tmp_path, data_dir, capsys):
    proj = tmp_path / "p.tessera"
    assert main.main(["init", str(proj)]) == 0
    dolly = data_dir / "chat" / "dolly_open_qa_200.jsonl"
    assert main.main(["import-chat", str(proj), str(dolly)]) == 0
    assert "Added 200 chat examples (0 already in the project)." in capsys.readouterr().out
    assert main.main(["import-chat", str(proj), str(dolly), "--format", "human-assistant"]) == 0
    assert "Added 0 chat examples (200 already in the project)." in capsys.readouterr().out
    seeds = data_dir / "chat" / "self_instruct_seed_tasks.jsonl"
    assert main.main(["import-chat", str(proj), str(seeds), "--split", "dev"]) == 0
    capsys.readouterr()
    assert main.main(["stats", str(proj)]) == 0
    assert "Chat examples: 375 (train 0, dev 175, unsplit 200)" in capsys.readouterr().out


def test_cli_bad_chat_file_is_one_line_exit_1(tmp_path):
    proj = tmp_path / "p.tessera"
    assert main.main(["init", str(proj)]) == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text(GOOD + GOOD_ALPACA, encoding="utf-8")
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), "import-chat", str(proj), str(bad)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr and p.stderr.strip().count("\n") == 0
    assert f"{bad}:2:" in p.stderr
    with Project.open(proj) as project:
        assert count_examples(project) == 0
