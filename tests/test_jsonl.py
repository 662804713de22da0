"""engine.formats.jsonl: Prodigy / doccano / plain JSONL reading and writing."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import FormatError, TesseraError
from engine.formats import jsonl
from engine.formats.base import Doc, Entity

DATA = Path(__file__).parent / "data"


# --- real data: WNUT-17 sentences as (text, tokens, spans) -------------------------------


def load_wnut(path: Path = DATA / "dev.conll") -> list[tuple[str, list[tuple[int, int]], list[Entity]]]:
    """Sentences of a token<TAB>BIO-tag file: tokens joined with " ", BIO tags as char spans."""
    out = []
    sent: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in [*fh, "\n"]:
            line = line.rstrip("\n")
            if line.strip():
                tok, tag = line.split("\t")
                sent.append((tok, tag))
                continue
            if not sent:
                continue
            text, offsets, spans, pos = [], [], [], 0
            open_span: list | None = None
            for tok, tag in sent:
                offsets.append((pos, pos + len(tok)))
                text.append(tok)
                kind, _, label = tag.partition("-")
                if kind == "I" and open_span and open_span[2] == label:
                    open_span[1] = pos + len(tok)
                else:
                    if open_span:
                        spans.append(Entity(*open_span))
                    open_span = [pos, pos + len(tok), label] if kind in ("B", "I") else None
                pos += len(tok) + 1
            if open_span:
                spans.append(Entity(*open_span))
            out.append((" ".join(text), offsets, spans))
            sent = []
    return out


WNUT = load_wnut()


def dolly_texts() -> list[str]:
    with open(DATA / "chat" / "dolly_open_qa_200.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def write_file(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_all(path: Path, **opts) -> list[Doc]:
    return list(jsonl.read(path, **opts))


def spans_of(doc: Doc) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in doc.spans]


def test_wnut_helper_builds_sane_spans():
    assert len(WNUT) > 900
    text, offsets, spans = WNUT[1]
    assert [(text[s.start : s.end], s.label) for s in spans][:2] == [
        ("Redondo Beach Blvd", "location"),
        ("Gardena", "location"),
    ]
    for text, offsets, spans in WNUT:
        for s, e in offsets:
            assert 0 <= s < e <= len(text)


# --- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["prodigy", "doccano"])
def test_round_trip_wnut(tmp_path, style):
    docs = []
    for i, (text, offsets, spans) in enumerate(WNUT):
        docs.append(
            Doc(
                text=text,
                spans=spans,
                tokens=offsets if style == "prodigy" else None,
                meta={"source": "wnut17-dev", "n": i} if i % 3 else None,
                status="done" if style == "prodigy" and i % 2 else None,
            )
        )
    buf = io.StringIO()
    assert jsonl.write(docs, buf, style=style) == len(docs)
    path = write_file(tmp_path / "out.jsonl", buf.getvalue())
    back = read_all(path)
    assert len(back) == len(docs)
    for i, (a, b) in enumerate(zip(docs, back)):
        assert b.text == a.text
        assert spans_of(b) == spans_of(a)
        assert b.line == i + 1
        assert b.meta == a.meta
        if style == "prodigy":
            assert b.tokens == a.tokens
            assert b.status == a.status
        else:
            assert b.tokens is None and b.status is None


def test_round_trip_long_dolly_paragraphs(tmp_path):
    texts = dolly_texts()
    docs = []
    for text in texts:
        # label every "Human"/"Assistant" speaker tag as a span
        spans, start = [], 0
        for word in ("Human", "Assistant"):
            k = text.find(word, start)
            if k >= 0:
                spans.append(Entity(k, k + len(word), "SPEAKER"))
                start = k + len(word)
        docs.append(Doc(text=text, spans=spans))
    for style in ("prodigy", "doccano"):
        buf = io.StringIO()
        jsonl.write(docs, buf, style=style)
        assert "\\u2019" not in buf.getvalue()  # ensure_ascii=False
        back = read_all(write_file(tmp_path / f"{style}.jsonl", buf.getvalue()))
        assert [d.text for d in back] == texts
        assert [spans_of(d) for d in back] == [spans_of(d) for d in docs]


def test_doccano_meta_that_clashes_with_reserved_keys_survives(tmp_path):
    doc = Doc(text="Paris is nice", spans=[Entity(0, 5, "LOC")], meta={"label": ["travel"], "id": 7})
    buf = io.StringIO()
    jsonl.write([doc], buf, style="doccano")
    rec = json.loads(buf.getvalue())
    assert rec["label"] == [[0, 5, "LOC"]] and rec["id"] == 7 and rec["meta"] == {"label": ["travel"]}
    (back,) = read_all(write_file(tmp_path / "a.jsonl", buf.getvalue()))
    assert spans_of(back) == [(0, 5, "LOC")]
    assert back.meta == {"label": ["travel"], "id": 7}


def test_prodigy_writer_shape():
    text, offsets, spans = WNUT[1]
    buf = io.StringIO()
    jsonl.write([Doc(text=text, spans=spans, tokens=offsets, meta={"a": 1}, status="done")], buf)
    rec = json.loads(buf.getvalue())
    assert set(rec) == {"text", "spans", "tokens", "meta", "answer"}
    assert rec["answer"] == "accept"
    assert rec["tokens"][0] == {"text": "You", "start": 0, "end": 3, "id": 0, "ws": True}
    sp = rec["spans"][0]
    assert text[sp["start"] : sp["end"]] == "Redondo Beach Blvd"
    assert (sp["token_start"], sp["token_end"]) == (6, 8)
    with pytest.raises(TesseraError):
        jsonl.write([], io.StringIO(), style="brat")


# --- reading each flavour -----------------------------------------------------------------


def test_reads_prodigy_task_with_tokens_and_answers(tmp_path):
    text = "Stuck on Redondo Beach Blvd again"
    toks = []
    pos = 0
    for i, w in enumerate(text.split(" ")):
        toks.append({"text": w, "start": pos, "end": pos + len(w), "id": i, "ws": True})
        pos += len(w) + 1
    base = {
        "text": text,
        "_input_hash": 12,
        "_task_hash": -3,
        "spans": [{"start": 9, "end": 27, "label": "location", "token_start": 2, "token_end": 4, "text": "x"}],
        "tokens": toks,
        "meta": {"source": "twitter"},
    }
    lines = [
        dict(base, answer="accept"),
        dict(base, answer="reject"),
        dict(base, answer="ignore"),
        dict(base, tokens=[{"text": "nope", "start": 0, "end": 4, "id": 0}]),  # inconsistent
        {"text": text, "spans": []},
    ]
    path = write_file(tmp_path / "p.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n   \n")
    docs = read_all(path)
    assert len(docs) == 5
    acc, rej, ign, bad_tokens, plain = docs
    assert acc.status == "done" and acc.meta == {"_input_hash": 12, "_task_hash": -3, "source": "twitter"}
    assert spans_of(acc) == [(9, 27, "location")]
    assert acc.tokens == [(t["start"], t["end"]) for t in toks]
    # a manual record answered reject / ignore: skipped, spans kept (never gold: not done)
    assert rej.status == "skipped" and rej.meta["answer"] == "reject" and spans_of(rej) == [(9, 27, "location")]
    assert ign.status == "skipped" and ign.meta["answer"] == "ignore"
    assert bad_tokens.tokens is None and bad_tokens.status is None
    assert plain.spans == [] and plain.meta is None and plain.line == 5


def test_reads_doccano_both_exports_and_plain(tmp_path):
    lines = [
        {"id": 1, "text": "Gardena is in LA", "label": [[0, 7, "location"], [14, 16, "location"]]},
        {
            "id": 2,
            "text": "Gardena is in LA",
            "entities": [{"id": 5, "label": "location", "start_offset": 0, "end_offset": 7}],
            "relations": [],
        },
        {"text": "nice weather", "label": ["positive"]},  # classification, not spans
        {"text": "nice weather", "label": "positive"},
        {"text": "no labels at all", "label": []},
        {"text": "just text"},
    ]
    path = write_file(tmp_path / "d.jsonl", "\n".join(json.dumps(x) for x in lines))
    d1, d2, d3, d4, d5, d6 = read_all(path)
    assert spans_of(d1) == [(0, 7, "location"), (14, 16, "location")] and d1.meta == {"id": 1}
    assert spans_of(d2) == [(0, 7, "location")] and d2.meta == {"id": 2, "relations": []}
    # a document label (text classification) is the document's category, not an entity
    assert d3.spans == [] and d3.meta is None and d3.categories == ["positive"]
    assert d4.spans == [] and d4.meta is None and d4.categories == ["positive"]
    assert d5.spans == [] and d5.meta is None and d5.categories == []
    assert d6.text == "just text" and d6.spans == [] and d6.tokens is None and d6.line == 6


def test_non_object_meta_is_kept(tmp_path):
    path = write_file(tmp_path / "m.jsonl", '{"text": "a", "meta": "x", "k": 1}\n')
    (doc,) = read_all(path)
    assert doc.meta == {"k": 1, "meta": "x"}


# --- errors: line number and a readable message ------------------------------------------


GOOD = '{"text": "Gardena is in LA", "spans": [{"start": 0, "end": 7, "label": "location"}]}'

ERRORS = [
    ('{"text": "unterminated', "not valid JSON"),
    ("{'text': 'single quotes'}", "not valid JSON"),
    ('["text", "a list"]', "must be a JSON object"),
    ('"just a string"', "must be a JSON object"),
    ('{"body": "no text key"}', 'no "text" field'),
    ('{"text": 42}', '"text" must be a string'),
    ('{"text": null}', '"text" must be a string'),
    ('{"text": "abc", "spans": {"start": 0}}', '"spans" must be a list'),
    ('{"text": "abc", "entities": "PER"}', '"entities" must be a list'),
    ('{"text": "abc", "spans": [{"end": 2, "label": "X"}]}', 'has no "start"'),
    ('{"text": "abc", "spans": [{"start": 0, "label": "X"}]}', 'has no "end"'),
    ('{"text": "abc", "spans": [{"start": 0, "end": 2}]}', 'has no "label"'),
    ('{"text": "abc", "spans": [{"start": 0, "end": 2, "label": 5}]}', "label must be text"),
    ('{"text": "abc", "spans": [7]}', "should be an object"),
    ('{"text": "abc", "label": [[0, 2]]}', 'should be [start, end, "LABEL"]'),
    ('{"text": "abc", "label": [[0, 2, "X"], "Y"]}', "should be an object"),
    ('{"text": "abc", "spans": [{"start": "0", "end": 2, "label": "X"}]}', "whole numbers"),
    ('{"text": "abc", "spans": [{"start": 0.5, "end": 2, "label": "X"}]}', "whole numbers"),
    ('{"text": "abc", "spans": [{"start": true, "end": 2, "label": "X"}]}', "whole numbers"),
    ('{"text": "abc", "spans": [{"start": 1, "end": 9, "label": "X"}]}', "outside the text"),
    ('{"text": "abc", "spans": [{"start": -1, "end": 2, "label": "X"}]}', "outside the text"),
    ('{"text": "abc", "spans": [{"start": 2, "end": 2, "label": "X"}]}', "outside the text"),
    ('{"text": "abc", "spans": [{"start": 0, "end": 2, "label": " "}]}', "empty label"),
    ('{"text": "abcdef", "label": [[0, 3, "A"], [2, 5, "B"]]}', "overlap"),
    (
        '{"text": "abcdef", "entities": [{"start_offset": 0, "end_offset": 3, "label": "A"},'
        ' {"start_offset": 1, "end_offset": 2, "label": "B"}]}',
        "overlap",
    ),
    ("[[[[[[[[[[" * 10000, "nested too deeply"),
]


@pytest.mark.parametrize("bad, expect", ERRORS, ids=[e for _, e in ERRORS])
def test_errors_report_line_and_reason(tmp_path, bad, expect):
    # bad line is the 4th physical line (after two good lines and a blank one)
    path = write_file(tmp_path / "e.jsonl", f"{GOOD}\n{GOOD}\n\n{bad}\n{GOOD}\n")
    docs = []
    with pytest.raises(FormatError) as info:
        for d in jsonl.read(path):
            docs.append(d)
    err = info.value
    assert len(docs) == 2  # the good lines before the error were streamed
    assert err.line == 4, str(err)
    assert expect in err.message, err.message
    assert str(err).startswith(f"{path}:4: ")


def test_invalid_json_message_tells_what_to_do(tmp_path):
    path = write_file(tmp_path / "e.jsonl", '{"text": "a",}\n')
    with pytest.raises(FormatError) as info:
        read_all(path)
    assert "each line must be one complete JSON object" in info.value.message


def test_pretty_printed_json_is_read_whole(tmp_path):
    """Issue 12 defect 4: a multi-line JSON document given as JSONL is read by content
    (it used to be refused with a hint that led to losing its entities)."""
    path = write_file(tmp_path / "p.json", json.dumps({"id": 1, "data": {"text": "a"}}, indent=2))
    (doc,) = read_all(path)
    assert doc.text == "a" and doc.meta == {"ls_id": 1}
    doccano = [{"id": 7, "text": "Gardena is in LA", "label": [[0, 7, "location"], [14, 16, "location"]]}]
    path = write_file(tmp_path / "d.jsonl", json.dumps(doccano, indent=2))
    (doc,) = read_all(path)
    assert spans_of(doc) == [(0, 7, "location"), (14, 16, "location")]


# --- encodings, binary, size --------------------------------------------------------------


def test_empty_and_blank_files_give_no_docs(tmp_path):
    assert read_all(write_file(tmp_path / "e.jsonl", b"")) == []
    assert read_all(write_file(tmp_path / "b.jsonl", b"\n \n\t\n")) == []


def test_utf16_with_bom_reads(tmp_path):
    text, _, spans = next(w for w in WNUT if any(ord(c) > 0xFFFF for c in w[0]))
    rec = {"text": text, "label": [[s.start, s.end, s.label] for s in spans]}
    raw = (json.dumps(rec, ensure_ascii=False) + "\r\n").encode("utf-16")
    (doc,) = read_all(write_file(tmp_path / "u16.jsonl", raw))
    assert doc.text == text and spans_of(doc) == [(s.start, s.end, s.label) for s in spans]


def test_utf8_bom_reads(tmp_path):
    (doc,) = read_all(write_file(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + GOOD.encode()))
    assert doc.text == "Gardena is in LA"


def test_latin1_file_is_an_encoding_error(tmp_path):
    path = write_file(tmp_path / "l1.jsonl", '{"text": "Café au lait"}\n'.encode("latin-1"))
    with pytest.raises(FormatError) as info:
        read_all(path)
    assert info.value.line == 1 and "UTF-8" in info.value.message


def test_latin1_error_names_the_bad_line(tmp_path):
    body = (GOOD + "\n") * 3 + '{"text": "Café"}\n'
    path = write_file(tmp_path / "l1.jsonl", body.encode("latin-1"))
    with pytest.raises(FormatError) as info:
        read_all(path)
    assert info.value.line == 4


def test_binary_file_is_rejected(tmp_path):
    path = write_file(tmp_path / "x.jsonl", bytes(range(256)) * 4)
    with pytest.raises(FormatError) as info:
        read_all(path)
    assert "binary" in info.value.message


def test_one_megabyte_line(tmp_path):
    big = " ".join(dolly_texts()) * 8
    big = big[: 1 << 20]
    rec = {"text": big, "spans": [{"start": 4, "end": 9, "label": "SPEAKER"}]}
    (doc,) = read_all(write_file(tmp_path / "big.jsonl", json.dumps(rec, ensure_ascii=False)))
    assert doc.text == big and spans_of(doc) == [(4, 9, "SPEAKER")]
    garbage = ('{"text": "' + "x" * (1 << 20) + "\n").encode()
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "garbage.jsonl", garbage))
    assert info.value.line == 1


def test_reading_many_lines_is_fast(tmp_path):
    import time

    buf = io.StringIO()
    docs = [Doc(text=t, spans=s, tokens=o) for t, o, s in WNUT] * 10
    jsonl.write(docs, buf)
    path = write_file(tmp_path / "many.jsonl", buf.getvalue())
    t0 = time.perf_counter()
    n = sum(1 for _ in jsonl.read(path))
    assert n == len(docs)
    assert time.perf_counter() - t0 < 5


# --- fuzz ---------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers(-5, 40) | st.floats(allow_nan=False) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
span_like = st.one_of(
    st.fixed_dictionaries(
        {"start": st.integers(-2, 30) | json_scalars, "end": st.integers(-2, 30), "label": st.sampled_from(["PER", "", 3])}
    ),
    st.tuples(st.integers(-2, 30), st.integers(-2, 30), st.sampled_from(["LOC", None])).map(list),
    json_values,
)
records = st.fixed_dictionaries(
    {"text": st.text(max_size=30) | json_scalars},
    optional={
        "spans": st.lists(span_like, max_size=4) | json_values,
        "label": st.lists(span_like, max_size=4) | json_values,
        "entities": st.lists(span_like, max_size=3),
        "tokens": st.lists(json_values, max_size=3),
        "answer": st.sampled_from(["accept", "reject", "ignore", 1]),
        "meta": json_values,
    },
)
lines = st.one_of(records.map(json.dumps), json_values.map(json.dumps), st.text(max_size=40))


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _only_docs_or_format_error(path: Path) -> None:
    try:
        for doc in jsonl.read(path):
            assert isinstance(doc, Doc) and isinstance(doc.text, str)
            for sp in doc.spans:
                assert 0 <= sp.start < sp.end <= len(doc.text)
    except FormatError as exc:
        assert exc.message and exc.line >= 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, max_size=6))
def test_fuzz_json_lines(fuzz_dir, content):
    path = fuzz_dir / "f.jsonl"
    path.write_text("\n".join(content), encoding="utf-8")
    _only_docs_or_format_error(path)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=100).map(lambda t: t.encode("utf-16")))
def test_fuzz_bytes(fuzz_dir, raw):
    path = fuzz_dir / "b.jsonl"
    path.write_bytes(raw)
    _only_docs_or_format_error(path)


def test_unanswered_ner_teach_questions_are_suggestions_not_entities(tmp_path):
    """A stream of unanswered binary questions (as Tessera writes model suggestions): the
    text is read once, as a new document without entities; each question is counted and
    listed with its line."""
    from engine.formats.base import ReadNotes

    text = "Shares of Apple rose in Cupertino ."
    q = {"text": text, "_view_id": "ner", "meta": {"score": 0.9, "run": 2, "source": "feed"}}
    path = tmp_path / "teach.jsonl"
    path.write_text("\n".join(json.dumps(dict(q, spans=[sp])) for sp in (
        {"start": 10, "end": 15, "label": "ORG", "score": 0.9},
        {"start": 24, "end": 33, "label": "LOC", "score": 0.6})) + "\n", encoding="utf-8")
    notes = ReadNotes(str(path))
    docs = list(jsonl.read(path, notes=notes))
    assert [(d.text, d.spans, d.status, d.meta) for d in docs] == [(text, [], None, {"source": "feed"})]
    assert notes.counts["predictions"] == 2
    assert [n for n, _msg in notes.lines] == [1, 2]
