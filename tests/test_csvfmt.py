"""engine.formats.csvfmt: CSV/TSV with a header row, one document per row."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import FormatError
from engine.formats import csvfmt
from engine.formats.base import Doc

DATA = Path(__file__).parent / "data"


def wnut_rows(path: Path = DATA / "dev.conll") -> list[dict]:
    """WNUT-17 sentences as rows: text (tokens joined with " "), entity count, entity types."""
    out, sent = [], []
    with open(path, encoding="utf-8") as fh:
        for line in [*fh, "\n"]:
            line = line.rstrip("\n")
            if line.strip():
                sent.append(line.split("\t"))
            elif sent:
                types = sorted({t[2:] for _, t in sent if t.startswith("B-")})
                out.append(
                    {
                        "id": str(len(out) + 1),
                        "text": " ".join(w for w, _ in sent),
                        "entities": str(sum(t.startswith("B-") for _, t in sent)),
                        "label": "|".join(types),
                    }
                )
                sent = []
    return out


def dolly_rows() -> list[dict]:
    """Dolly open-QA: long multi-line texts with quotes and commas."""
    rows = []
    with open(DATA / "chat" / "dolly_open_qa_200.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            t = json.loads(line)["text"]
            q, _, a = t.partition(" ### Assistant: ")
            rows.append({"question": q.replace("### Human: ", ""), "Content": a, "source": "dolly, open_qa"})
    return rows


WNUT = wnut_rows()
DOLLY = dolly_rows()


def to_csv(rows: list[dict], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write_file(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def read_all(path: Path, **opts) -> list[Doc]:
    return list(csvfmt.read(path, **opts))


# --- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter, ext", [(",", "csv"), (";", "csv"), ("\t", "tsv"), ("\t", "txt"), ("|", "psv")])
def test_reads_wnut_with_each_delimiter(tmp_path, delimiter, ext):
    path = write_file(tmp_path / f"wnut.{ext}", to_csv(WNUT, delimiter))
    docs = read_all(path)
    assert [d.text for d in docs] == [r["text"] for r in WNUT]
    assert docs[0].meta == {"id": "1", "entities": WNUT[0]["entities"]}  # the label column is the category
    assert [d.categories for d in docs] == [[c for c in r["label"].split("|") if c] for r in WNUT]
    assert [d.line for d in docs[:3]] == [2, 3, 4]
    assert all(d.spans == [] and d.tokens is None for d in docs)


def test_multiline_quoted_fields_and_line_numbers(tmp_path):
    path = write_file(tmp_path / "dolly.csv", to_csv(DOLLY))
    docs = read_all(path)
    assert [d.text for d in docs] == [r["Content"] for r in DOLLY]  # "Content" found case-insensitively
    assert docs[0].meta == {"question": DOLLY[0]["question"], "source": "dolly, open_qa"}
    physical = path.read_text(encoding="utf-8").split("\n")
    for d, r in zip(docs, DOLLY):
        first = physical[d.line - 1]
        assert first.startswith(r["question"][:20].replace('"', '""')) or first.startswith('"')
    # line numbers advance by the number of physical lines each row spans
    expected, line = [], 2
    for r in DOLLY:
        expected.append(line)
        line += sum(v.count("\n") for v in r.values()) + 1
    assert [d.line for d in docs] == expected


def test_text_column_choice(tmp_path):
    rows = [{"tweet_id": r["id"], "body": r["text"], "Sentence": "x"} for r in WNUT[:5]]
    path = write_file(tmp_path / "t.csv", to_csv(rows))
    assert [d.text for d in read_all(path)] == ["x"] * 5  # "Sentence" is a default name
    assert [d.text for d in read_all(path, text_column="body")] == [r["text"] for r in WNUT[:5]]
    assert [d.text for d in read_all(path, text_column="BODY")] == [r["text"] for r in WNUT[:5]]
    with pytest.raises(FormatError) as info:
        read_all(path, text_column="tweet")
    assert info.value.line == 1
    assert 'no column "tweet"' in info.value.message
    assert '"tweet_id", "body", "Sentence"' in info.value.message and "--text-column" in info.value.message


def test_no_text_column_lists_columns(tmp_path):
    rows = [{"tweet_id": r["id"], "body": r["text"]} for r in WNUT[:5]]
    path = write_file(tmp_path / "t.csv", "\n\n" + to_csv(rows))
    with pytest.raises(FormatError) as info:
        read_all(path)
    assert info.value.line == 3
    assert '"tweet_id", "body"' in info.value.message and "--text-column" in info.value.message


def test_headerless_file_is_explained(tmp_path):
    path = write_file(tmp_path / "n.csv", "\n".join(r["text"].replace(",", "") for r in WNUT[:20]))
    with pytest.raises(FormatError) as info:
        read_all(path)
    assert info.value.line == 1 and "header" in info.value.message


def test_short_rows_blank_rows_and_explicit_delimiter(tmp_path):
    body = "id;text;label\n1;Gardena is in LA;loc\n\n;;\n2;Compton\n"
    docs = read_all(write_file(tmp_path / "s.txt", body), delimiter=";")
    assert [(d.text, d.meta, d.categories, d.line) for d in docs] == [
        ("Gardena is in LA", {"id": "1"}, ["loc"], 2),
        ("Compton", {"id": "2"}, [], 5),
    ]
    docs = read_all(write_file(tmp_path / "s.txt", body), delimiter=";", label_column="none")
    assert docs[0].meta == {"id": "1", "label": "loc"} and docs[0].categories == []
    with pytest.raises(FormatError, match='no column "intent"'):
        read_all(write_file(tmp_path / "s.txt", body), delimiter=";", label_column="intent")


def test_delimiter_aliases_and_bad_delimiter(tmp_path):
    path = write_file(tmp_path / "t.txt", "id\ttext\n1\tGardena, CA\n")
    for d in ("\t", "\\t", "tab", "TAB"):
        assert [x.text for x in read_all(path, delimiter=d)] == ["Gardena, CA"]
    for d in ("", "::", '"'):
        with pytest.raises(FormatError) as info:
            read_all(path, delimiter=d)
        assert "one character" in info.value.message


def test_single_column_file_has_no_meta(tmp_path):
    body = to_csv([{"text": r["text"]} for r in WNUT[:30]])
    docs = read_all(write_file(tmp_path / "one.csv", body))
    assert [d.text for d in docs] == [r["text"] for r in WNUT[:30]] and all(d.meta is None for d in docs)


def test_duplicate_and_empty_header_names(tmp_path):
    docs = read_all(write_file(tmp_path / "d.csv", "text,a,a,\nhello,1,2,3\n"))
    assert docs[0].meta == {"a": "1", "a (2)": "2", "column 4": "3"}


# --- errors -------------------------------------------------------------------------------

ERRORS = [
    ("too many values", "id,text\n1,fine\n2,Gardena, CA is nice\n3,ok\n", 3, "has 3 values but the header has 2"),
    ("missing text", "id,text,label\n1,fine,x\n2\n", 3, 'no text in the "text" column'),
    ("empty text", "id,text,label\n1,fine,x\n2,  ,y\n", 3, 'no text in the "text" column'),
    ("stray quote after", 'id,text\n1,fine\n2,"quoted" then more\n', 3, "quoted value is followed"),
    ("never closed", 'id,text\n1,fine\n2,"opens here\n3,and never\n4,closes\n', 3, "never closed"),
    ("multi-line then bad", 'id,text\n1,"two\nlines"\n2,"x"y\n', 4, "quoted value is followed"),
]


@pytest.mark.parametrize("name, body, line, expect", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(tmp_path, name, body, line, expect):
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "e.csv", body))
    assert info.value.line == line, str(info.value)
    assert expect in info.value.message, info.value.message


def test_empty_file(tmp_path):
    for body in (b"", b"\n\n", b" , \n"):
        with pytest.raises(FormatError) as info:
            read_all(write_file(tmp_path / "e.csv", body))
        assert "the file is empty" in info.value.message


def test_header_only_gives_no_docs(tmp_path):
    assert read_all(write_file(tmp_path / "h.csv", "id,text\n")) == []


# --- round trips --------------------------------------------------------------------------


def test_round_trip_csv_with_comma_quote_newline(tmp_path):
    docs = [Doc(text=r["text"], meta={"id": r["id"]}, categories=[c for c in r["label"].split("|") if c])
            for r in WNUT]
    docs += [
        Doc(text='She said "Gardena, CA"\nthen left', meta={"id": "x", "note": "a,b"}, categories=["a,b"]),
        Doc(text=DOLLY[3]["Content"], meta={"id": "y"}),  # missing key -> ""
    ]
    buf = io.StringIO(newline="")
    assert csvfmt.write(docs, buf, label_column="category") == len(docs)
    assert buf.getvalue().startswith("text,category,id\n")
    back = read_all(write_file(tmp_path / "rt.csv", buf.getvalue()))
    assert [d.text for d in back] == [d.text for d in docs]
    assert [d.categories for d in back] == [d.categories for d in docs]
    assert [d.meta for d in back[:-2]] == [d.meta for d in docs[:-2]]
    assert back[-2].meta == {"id": "x"} and back[-1].meta == {"id": "y"}


def test_round_trip_tsv(tmp_path):
    docs = [Doc(text=r["Content"], meta={"question": r["question"], "n": i}) for i, r in enumerate(DOLLY)]
    docs.append(Doc(text='tab\there "quoted"', meta={"question": "q", "n": None}))
    buf = io.StringIO(newline="")
    csvfmt.write(docs, buf, delimiter="\t")
    assert buf.getvalue().startswith("text\tquestion\tn\n")
    back = read_all(write_file(tmp_path / "rt.tsv", buf.getvalue()))
    assert [d.text for d in back] == [d.text for d in docs]
    assert [d.meta for d in back] == [
        {"question": d.meta["question"], "n": "" if d.meta["n"] is None else str(d.meta["n"])} for d in docs
    ]


def test_write_non_string_meta_as_json():
    buf = io.StringIO(newline="")
    csvfmt.write([Doc(text="a", meta={"tags": ["x", "y"], "ok": True})], buf)
    assert buf.getvalue() == 'text,tags,ok\na,"[""x"", ""y""]",true\n'
    buf = io.StringIO(newline="")
    assert csvfmt.write([], buf) == 0 and buf.getvalue() == "text\n"


# --- encodings, binary, size --------------------------------------------------------------


def test_utf16_bom_reads(tmp_path):
    raw = to_csv(WNUT[:200], "\t").encode("utf-16")
    docs = read_all(write_file(tmp_path / "u16.tsv", raw))
    assert [d.text for d in docs] == [r["text"] for r in WNUT[:200]]


def test_utf16_bom_csv_sniffs(tmp_path):
    raw = to_csv(WNUT[:200], ";").encode("utf-16")
    docs = read_all(write_file(tmp_path / "u16.csv", raw))
    assert [d.text for d in docs] == [r["text"] for r in WNUT[:200]]


def test_latin1_is_an_encoding_error(tmp_path):
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "l.csv", "text\nCafé\n".encode("latin-1")))
    assert "UTF-8" in info.value.message and info.value.line == 2


def test_binary_is_rejected(tmp_path):
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "b.csv", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256))))
    assert "binary" in info.value.message


def test_one_megabyte_field(tmp_path):
    big = (" ".join(r["Content"] for r in DOLLY) * 20)[: 1 << 20]
    body = to_csv([{"id": "1", "text": big}, {"id": "2", "text": "after"}])
    docs = read_all(write_file(tmp_path / "big.csv", body))
    assert [d.text for d in docs] == [big, "after"]
    junk = "text\n" + '"' + "x" * (1 << 20)
    with pytest.raises(FormatError) as info:
        read_all(write_file(tmp_path / "junk.csv", junk))
    assert info.value.line == 2


# --- fuzz ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _check(path: Path, **opts) -> None:
    try:
        for doc in csvfmt.read(path, **opts):
            assert doc.text.strip() and doc.line >= 2
    except FormatError as exc:
        assert exc.message


cells = st.text(alphabet=st.sampled_from('ab ,;\t|"\'\n\r\\é😀'), max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(cells, max_size=4), max_size=6),
    st.sampled_from([None, "text", "a"]),
    st.sampled_from(["x.csv", "x.tsv", "x.txt"]),
)
def test_fuzz_tables(fuzz_dir, rows, text_column, name):
    body = "\n".join(",".join(r) for r in ([["text", "a"]] + rows))
    path = fuzz_dir / name
    path.write_text(body, encoding="utf-8")
    _check(path, text_column=text_column)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.sampled_from(["x.csv", "x.tsv"]))
def test_fuzz_text(fuzz_dir, content, name):
    path = fuzz_dir / name
    path.write_text(content, encoding="utf-8")
    _check(path)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=100).map(lambda t: t.encode("utf-16")))
def test_fuzz_bytes(fuzz_dir, raw):
    path = fuzz_dir / "b.csv"
    path.write_bytes(raw)
    _check(path)


def test_delimiter_guess_is_fast_on_hostile_input(tmp_path):
    import time

    # csv.Sniffer needs over a minute on this; the guess must not.
    path = write_file(tmp_path / "h.csv", "text\n" + '\n"' * 32768)
    t0 = time.perf_counter()
    _check(path)
    assert time.perf_counter() - t0 < 2
