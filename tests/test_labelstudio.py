"""engine.formats.labelstudio: Label Studio JSON / JSON-MIN reading and writing."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import FormatError
from engine.formats import labelstudio
from engine.formats.base import Doc, Entity

DATA = Path(__file__).parent / "data"


def load_wnut(path: Path = DATA / "dev.conll") -> list[tuple[str, list[Entity]]]:
    """Sentences of a token<TAB>BIO-tag file: tokens joined with " ", BIO tags as char spans."""
    out = []
    sent: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in [*fh, "\n"]:
            line = line.rstrip("\n")
            if line.strip():
                sent.append(tuple(line.split("\t")))
                continue
            if not sent:
                continue
            words, spans, pos, cur = [], [], 0, None
            for tok, tag in sent:
                kind, _, label = tag.partition("-")
                if kind == "I" and cur and cur[2] == label:
                    cur[1] = pos + len(tok)
                else:
                    if cur:
                        spans.append(Entity(*cur))
                    cur = [pos, pos + len(tok), label] if kind in ("B", "I") else None
                words.append(tok)
                pos += len(tok) + 1
            if cur:
                spans.append(Entity(*cur))
            out.append((" ".join(words), spans))
            sent = []
    return out


WNUT = load_wnut()


def spans_of(doc: Doc) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in doc.spans]


def region(text: str, s: Entity, rid: str = "a1") -> dict:
    return {
        "value": {"start": s.start, "end": s.end, "text": text[s.start : s.end], "labels": [s.label]},
        "id": rid,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
    }


def ls_task(i: int, text: str, spans: list[Entity]) -> dict:
    """A task shaped like a real Label Studio 1.x JSON export."""
    return {
        "id": 1000 + i,
        "annotations": [
            {"id": 1, "completed_by": 1, "result": [], "was_cancelled": True, "lead_time": 3.1},
            {
                "id": 2,
                "completed_by": 1,
                "result": [region(text, s, f"r{i}_{k}") for k, s in enumerate(spans)]
                + [{"value": {"choices": ["tweet"]}, "from_name": "kind", "to_name": "text", "type": "choices"}]
                + ([{"from_id": f"r{i}_0", "to_id": f"r{i}_0", "type": "relation", "direction": "right"}] if spans else []),
                "was_cancelled": False,
                "ground_truth": False,
                "created_at": "2024-03-01T10:00:00.000000Z",
                "lead_time": 12.5,
            },
        ],
        "file_upload": "wnut.json",
        "drafts": [],
        "predictions": [{"result": [region(text, Entity(0, 1, "bogus"))], "model_version": "v1"}],
        "data": {"text": text},
        "meta": {},
        "created_at": "2024-03-01T09:00:00.000000Z",
        "project": 3,
    }


def write_file(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def read_all(path: Path, **opts) -> list[Doc]:
    return list(labelstudio.read(path, **opts))


# --- reading real-looking exports ---------------------------------------------------------


def test_reads_label_studio_export(tmp_path):
    sample = WNUT[:300]
    tasks = [ls_task(i, t, s) for i, (t, s) in enumerate(sample)]
    tasks.append({"id": 5000, "data": {"text": "never labeled"}, "annotations": [], "predictions": []})
    tasks.append(
        {
            "id": 5001,
            "data": {"text": "only cancelled"},
            "annotations": [{"result": [], "was_cancelled": True}],
        }
    )
    path = write_file(tmp_path / "export.json", json.dumps(tasks, indent=2, ensure_ascii=False))
    docs = read_all(path)
    assert len(docs) == len(tasks)
    for i, (doc, (text, spans)) in enumerate(zip(docs, sample)):
        assert doc.text == text
        assert spans_of(doc) == [(s.start, s.end, s.label) for s in spans]
        assert doc.meta["ls_id"] == 1000 + i
        assert doc.meta.get("ls_predictions") == tasks[i].get("predictions") or None
        assert doc.status == "done"
        assert doc.tokens is None
    assert docs[-2].spans == [] and docs[-2].status is None and docs[-2].meta == {"ls_id": 5000}
    assert docs[-1].spans == [] and docs[-1].status is None
    # each doc knows the line where its task starts
    lines = path.read_text(encoding="utf-8").split("\n")
    for doc in docs:
        assert lines[doc.line - 1] == "  {"
        assert f'"id": {doc.meta["ls_id"]},' in "\n".join(lines[doc.line : doc.line + 40])


def test_reads_json_min(tmp_path):
    text, spans = next((t, s) for t, s in WNUT if len(s) >= 2)
    tasks = [
        {
            "id": 7,
            "text": text,
            "label": [
                {"start": s.start, "end": s.end, "text": text[s.start : s.end], "labels": [s.label]}
                for s in spans
            ],
            "annotator": "a@b.c",
            "annotation_id": 3,
            "created_at": "2024-03-01T10:00:00Z",
            "lead_time": 4.2,
        },
        {"id": 8, "text": "not labeled yet"},
    ]
    docs = read_all(write_file(tmp_path / "min.json", json.dumps(tasks, indent=2)))
    assert spans_of(docs[0]) == [(s.start, s.end, s.label) for s in spans]
    assert docs[0].meta == {"ls_id": 7} and docs[0].status == "done"
    assert docs[1].text == "not labeled yet" and docs[1].spans == [] and docs[1].status is None


def test_text_key_choice(tmp_path):
    one = [{"id": 1, "data": {"tweet": "Gardena is in LA", "likes": 3}}]
    (doc,) = read_all(write_file(tmp_path / "one.json", json.dumps(one)))
    assert doc.text == "Gardena is in LA"

    two = [{"id": 1, "data": {"tweet": "Gardena is in LA", "url": "https://t.co/x"}}]
    path = write_file(tmp_path / "two.json", json.dumps(two))
    with pytest.raises(FormatError) as info:
        read_all(path)
    assert "--text-key" in info.value.message and '"tweet"' in info.value.message
    assert [d.text for d in read_all(path, text_key="tweet")] == ["Gardena is in LA"]
    with pytest.raises(FormatError) as info:
        read_all(path, text_key="body")
    assert 'no field "body"' in info.value.message and '"url"' in info.value.message


def test_single_task_object_is_accepted(tmp_path):
    text, spans = WNUT[1]
    (doc,) = read_all(write_file(tmp_path / "t.json", json.dumps(ls_task(0, text, spans))))
    assert doc.text == text and spans_of(doc) == [(s.start, s.end, s.label) for s in spans]


def test_old_utf16_offsets_are_converted(tmp_path):
    text = "Going to 🏖️🌊 Redondo Beach today"
    start = text.index("Redondo")
    end = start + len("Redondo Beach")
    astral = sum(1 for c in text[:start] if ord(c) > 0xFFFF)
    value = {"start": start + astral, "end": end + astral, "text": "Redondo Beach", "labels": ["location"]}
    task = {"id": 1, "data": {"text": text}, "annotations": [{"result": [{"value": value, "type": "labels"}]}]}
    (doc,) = read_all(write_file(tmp_path / "u.json", json.dumps([task], ensure_ascii=False)))
    assert spans_of(doc) == [(start, end, "location")]


def test_empty_list_and_empty_file(tmp_path):
    assert read_all(write_file(tmp_path / "e.json", "[ \n ]\n")) == []
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "z.json", "  \n"))
    assert "empty" in info.value.message


# --- round trip ---------------------------------------------------------------------------


def test_round_trip(tmp_path):
    docs = [
        Doc(text=t, spans=s, meta={"ls_id": 10 + i} if i % 2 else {"source": "wnut"}, status="done" if i % 3 else None)
        for i, (t, s) in enumerate(WNUT)
    ]
    docs.append(Doc(text="nothing here"))
    buf = io.StringIO()
    assert labelstudio.write(docs, buf) == len(docs)
    raw = buf.getvalue()
    tasks = json.loads(raw)
    assert tasks[1]["id"] == 11 and tasks[0]["id"] == 1 and tasks[0]["meta"] == {"source": "wnut"}
    res = tasks[1]["annotations"][0]["result"]
    assert all(r["type"] == "labels" and r["from_name"] == "label" and r["to_name"] == "text" for r in res)
    assert tasks[-1]["annotations"] == []
    back = read_all(write_file(tmp_path / "rt.json", raw))
    assert [d.text for d in back] == [d.text for d in docs]
    assert [spans_of(d) for d in back] == [spans_of(d) for d in docs]
    for a, b in zip(docs, back):
        assert b.status == ("done" if (a.status == "done" or a.spans) else None)
    assert back[0].meta == {"ls_id": 1, "source": "wnut"} and back[1].meta == {"ls_id": 11}
    # writing what was read gives the same file
    buf2 = io.StringIO()
    labelstudio.write(back, buf2)
    assert json.loads(buf2.getvalue())[1:] == tasks[1:]


def test_write_empty_is_valid_json():
    buf = io.StringIO()
    assert labelstudio.write([], buf) == 0
    assert json.loads(buf.getvalue()) == []


# --- errors -------------------------------------------------------------------------------


def _export_with_bad_task(bad_index: int, bad: object) -> tuple[str, int]:
    """An indent=2 export of 60 WNUT tasks with task ``bad_index`` (1-based) replaced;
    returns the JSON text and the line where that task starts."""
    tasks: list[object] = [ls_task(i, t, s) for i, (t, s) in enumerate(WNUT[:60])]
    tasks[bad_index - 1] = bad
    raw = json.dumps(tasks, indent=2, ensure_ascii=False)
    marker = f'"__bad__": {bad_index}' if isinstance(bad, dict) and "__bad__" in bad else None
    if marker:
        pos = raw.index(marker)
        line = raw.count("\n", 0, raw.rindex("\n  {", 0, pos) + 1) + 1
    else:
        line = 0
    return raw, line


def _bad_task(**changes) -> dict:
    text, spans = WNUT[1]
    task = {"__bad__": 57, **ls_task(56, text, spans)}
    task.update(changes)
    return task


def _with_regions(*values) -> dict:
    text = WNUT[1][0]
    return _bad_task(
        data={"text": text},
        annotations=[{"result": [{"value": v, "type": "labels", "from_name": "label"} for v in values]}],
    )


TASK_ERRORS = [
    ("data not object", _bad_task(data="just text"), '"data" must be an object'),
    ("no text field", _bad_task(data={"n": 3}), '"data" has no text field'),
    ("text not string", _bad_task(data={"text": 5}), '"data"/"text" must be text'),
    ("annotations not list", _bad_task(annotations={"result": []}), '"annotations" must be a list'),
    ("result not list", _bad_task(annotations=[{"result": 3}]), '"result" must be a list'),
    ("region no start", _with_regions({"end": 3, "labels": ["X"]}), 'no "start"'),
    ("region no labels", _with_regions({"start": 0, "end": 3}), 'no "labels"'),
    ("labels not list", _with_regions({"start": 0, "end": 3, "labels": "X"}), '"labels" must be a list'),
    ("two labels", _with_regions({"start": 0, "end": 3, "labels": ["A", "B"]}), "several labels (A, B)"),
    ("float offset", _with_regions({"start": 0.5, "end": 3, "labels": ["X"]}), "whole numbers"),
    ("outside", _with_regions({"start": 0, "end": 999, "labels": ["X"]}), "outside the text"),
    (
        "overlap",
        _with_regions({"start": 0, "end": 10, "labels": ["X"]}, {"start": 5, "end": 12, "labels": ["Y"]}),
        "overlap",
    ),
]


@pytest.mark.parametrize("name, bad, expect", TASK_ERRORS, ids=[t[0] for t in TASK_ERRORS])
def test_bad_task_reports_line_where_task_starts(tmp_path, name, bad, expect):
    raw, line = _export_with_bad_task(57, bad)
    assert line > 57 * 10
    path = write_file(tmp_path / "bad.json", raw)
    seen = []
    with pytest.raises(FormatError) as info:
        for d in labelstudio.read(path):
            seen.append(d)
    assert len(seen) == 56
    assert info.value.line == line, str(info.value)
    assert info.value.message.startswith("task 57: ")
    assert expect in info.value.message, info.value.message


def test_non_object_task(tmp_path):
    raw, _ = _export_with_bad_task(3, "a string")
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "b.json", raw))
    expected = raw.count("\n", 0, raw.index('"a string"')) + 1
    assert info.value.line == expected and "must be a JSON object" in info.value.message


def test_json_syntax_error_reports_its_line(tmp_path):
    raw, line = _export_with_bad_task(57, _bad_task())
    # drop the comma after "id": ... inside task 57
    pos = raw.index('"id": 1056,')
    broken = raw[:pos] + '"id": 1056' + raw[pos + len('"id": 1056,') :]
    err_line = raw.count("\n", 0, pos) + 2  # the next key, on the following line
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "s.json", broken))
    assert info.value.line == err_line
    assert "not valid JSON" in info.value.message and "Expecting ','" in info.value.message


STRUCTURE_ERRORS = [
    ('"just a string"', 1, "should start with '['"),
    ('\n\n{"id": 1, "data": {"text": "a"}}\n{"id": 2, "data": {"text": "b"}}\n', 4, "import it as JSONL"),
    ('[{"data": {"text": "a"}}\n{"data": {"text": "b"}}]', 2, "expected ','"),
    ('[{"data": {"text": "a"}},\n {"data": {"text": "b"}}', 2, "missing ']'"),
    ('[{"data": {"text": "a"}},\n', 1, "missing ']'"),
    ('[{"data": {"text": "a"}}]\n\n[]', 3, "more text after the end"),
    ('[{"data": {"text": "a"}},\n {"data": {"text": "b}}]', 2, "not valid JSON"),
    ('[\n\n {"text": 3}]', 3, '"text" must be text'),
    ('[\n {"other": "x"}]', 2, 'neither "data" nor "text"'),
    ("[" * 100000, 1, "nested too deeply"),
]


@pytest.mark.parametrize("raw, line, expect", STRUCTURE_ERRORS, ids=[s[2] for s in STRUCTURE_ERRORS])
def test_file_structure_errors(tmp_path, raw, line, expect):
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "x.json", raw))
    assert info.value.line == line, str(info.value)
    assert expect in info.value.message, info.value.message


# --- encodings, binary, size --------------------------------------------------------------


def test_utf16_bom_export_reads(tmp_path):
    tasks = [ls_task(i, t, s) for i, (t, s) in enumerate(WNUT[:50])]
    raw = json.dumps(tasks, indent=2, ensure_ascii=False).replace("\n", "\r\n").encode("utf-16")
    docs = read_all(write_file(tmp_path / "u16.json", raw))
    assert [d.text for d in docs] == [t for t, _ in WNUT[:50]]
    assert [spans_of(d) for d in docs] == [[(x.start, x.end, x.label) for x in s] for _, s in WNUT[:50]]
    text = raw.decode("utf-16")
    assert docs[1].line == text.count("\n", 0, text.index('"id": 1001'))  # the "{" line above it


def test_latin1_is_an_encoding_error(tmp_path):
    path = write_file(tmp_path / "l.json", '[{"data": {"text": "Café"}}]'.encode("latin-1"))
    with pytest.raises(FormatError) as info:
        read_all(path)
    assert info.value.line == 1 and "UTF-8" in info.value.message


def test_binary_is_rejected(tmp_path):
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "b.json", bytes(range(256))))
    assert "binary" in info.value.message


def test_one_megabyte_line(tmp_path):
    with open(DATA / "chat" / "dolly_open_qa_200.jsonl", encoding="utf-8") as fh:
        long_text = " ".join(json.loads(x)["text"] for x in fh)
    big = (long_text * (1 + (1 << 20) // len(long_text)))[: 1 << 20]
    tasks = [{"id": 1, "data": {"text": big}, "annotations": [{"result": [region(big, Entity(4, 9, "SPEAKER"))]}]}]
    (doc,) = read_all(write_file(tmp_path / "big.json", json.dumps(tasks, ensure_ascii=False)))
    assert doc.text == big and spans_of(doc) == [(4, 9, "SPEAKER")]
    with pytest.raises(FormatError):
        read_all(write_file(tmp_path / "junk.json", '[{"data": {"text": "' + "x" * (1 << 20)))


# --- fuzz ---------------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers(-3, 40) | st.floats(allow_nan=False) | st.text(max_size=8)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=10
)
region_values = st.fixed_dictionaries(
    {},
    optional={
        "start": st.integers(-2, 30) | scalars,
        "end": st.integers(-2, 30) | scalars,
        "labels": st.lists(st.sampled_from(["PER", "LOC", ""]), max_size=2) | scalars,
        "text": st.text(max_size=5),
    },
)
regions = st.fixed_dictionaries(
    {"value": region_values | values}, optional={"type": st.sampled_from(["labels", "choices", "relation"])}
)
tasks = st.one_of(
    st.fixed_dictionaries(
        {"data": st.dictionaries(st.sampled_from(["text", "t2", "n"]), scalars, max_size=3) | values},
        optional={
            "id": scalars,
            "annotations": st.lists(
                st.fixed_dictionaries(
                    {"result": st.lists(regions, max_size=3) | values},
                    optional={"was_cancelled": st.booleans()},
                ),
                max_size=2,
            )
            | values,
            "meta": values,
        },
    ),
    st.fixed_dictionaries({"text": st.text(max_size=20) | scalars}, optional={"label": st.lists(region_values, max_size=3)}),
    values,
)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _only_docs_or_format_error(path: Path) -> None:
    try:
        for doc in labelstudio.read(path):
            assert isinstance(doc.text, str)
            for sp in doc.spans:
                assert 0 <= sp.start < sp.end <= len(doc.text)
    except FormatError as exc:
        assert exc.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tasks, max_size=4), st.sampled_from([None, 1, 2]), st.text(alphabet="[]{},: \n\"", max_size=3))
def test_fuzz_exports(fuzz_dir, items, indent, junk):
    path = fuzz_dir / "f.json"
    raw = json.dumps(items, indent=indent)
    path.write_text(raw + junk if junk else raw, encoding="utf-8")
    _only_docs_or_format_error(path)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=100).map(lambda t: t.encode("utf-16")) | st.text(max_size=60).map(str.encode))
def test_fuzz_bytes(fuzz_dir, raw):
    path = fuzz_dir / "b.json"
    path.write_bytes(raw)
    _only_docs_or_format_error(path)
