"""engine.formats.text: plain text, one document per line or per paragraph."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import FormatError, TesseraError
from engine.formats import text as textfmt
from engine.formats.base import Doc
from tests.conftest import conll_tokens

DATA = Path(__file__).parent / "data"


def wnut_sentences(path: Path = DATA / "dev.conll") -> list[str]:
    """WNUT-17 sentences: the tokens of each blank-line-separated block joined with " "."""
    return [" ".join(tokens) for tokens in conll_tokens(path)]


def dolly_paragraphs() -> list[str]:
    """Dolly open-QA answers as multi-line paragraphs (question line, then answer line)."""
    out = []
    with open(DATA / "chat" / "dolly_open_qa_200.jsonl", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)["text"]
            q, _, a = t.partition(" ### Assistant: ")
            lines = [q.strip()] + [ln.rstrip() for ln in a.split("\n") if ln.strip()]
            out.append("\n".join(lines))
    return out


WNUT = wnut_sentences()
DOLLY = dolly_paragraphs()


def write_file(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def texts(path: Path, mode: str = "line") -> list[str]:
    return [d.text for d in textfmt.read(path, mode=mode)]


# --- reading ------------------------------------------------------------------------------


def test_line_mode_reads_tweets(tmp_path):
    body = "\n".join(WNUT[:100]) + "\n"
    docs = list(textfmt.read(write_file(tmp_path / "t.txt", body)))
    assert [d.text for d in docs] == [s.rstrip() for s in WNUT[:100]]
    assert [d.line for d in docs] == list(range(1, 101))
    assert all(d.spans == [] and d.tokens is None and d.meta is None for d in docs)


def test_line_mode_skips_blank_lines_and_strips_only_trailing_space(tmp_path):
    body = "\n\n  indented tweet @user  \t\n   \n\tsecond\r\nthird\rfourth"
    docs = list(textfmt.read(write_file(tmp_path / "t.txt", body)))
    assert [(d.text, d.line) for d in docs] == [
        ("  indented tweet @user", 3),
        ("\tsecond", 5),
        ("third", 6),
        ("fourth", 7),
    ]


def test_paragraph_mode(tmp_path):
    body = "\n\n" + "\n\n\n".join(DOLLY[:50]) + "\n  \n"
    docs = list(textfmt.read(write_file(tmp_path / "p.txt", body), mode="paragraph"))
    assert [d.text for d in docs] == DOLLY[:50]
    assert docs[0].line == 3
    assert docs[1].line == 3 + 2 + 2  # two lines, then two blank lines
    lines = body.split("\n")
    for d in docs:
        assert lines[d.line - 1] == d.text.split("\n")[0]


def test_paragraph_mode_trailing_whitespace_and_crlf(tmp_path):
    body = "first line  \r\n  second line\t\r\n \t \r\nnext para\r\n"
    docs = list(textfmt.read(write_file(tmp_path / "p.txt", body), mode="paragraph"))
    assert [(d.text, d.line) for d in docs] == [("first line\n  second line", 1), ("next para", 4)]


@pytest.mark.parametrize("mode", ["line", "paragraph"])
def test_empty_file_is_an_error(tmp_path, mode):
    with pytest.raises(FormatError) as info:
        list(textfmt.read(write_file(tmp_path / "e.txt", b""), mode=mode))
    assert "the file is empty" in info.value.message
    with pytest.raises(FormatError) as info:
        list(textfmt.read(write_file(tmp_path / "b.txt", "\n  \n\t\n"), mode=mode))
    assert "only blank lines" in info.value.message


def test_unknown_mode_is_reported_at_once():
    with pytest.raises(FormatError) as info:
        textfmt.read("x.txt", mode="sentence")  # before iterating
    assert "'line'" in info.value.message and "'paragraph'" in info.value.message
    with pytest.raises(TesseraError):
        textfmt.write([], io.StringIO(), mode="sentence")


# --- round trips --------------------------------------------------------------------------


def test_round_trip_line_mode(tmp_path):
    docs = [Doc(text=s) for s in WNUT]
    buf = io.StringIO()
    assert textfmt.write(docs, buf) == len(docs)
    back = texts(write_file(tmp_path / "rt.txt", buf.getvalue()))
    assert back == [s.rstrip() for s in WNUT]


def test_round_trip_paragraph_mode(tmp_path):
    docs = [Doc(text=p) for p in DOLLY]
    buf = io.StringIO()
    assert textfmt.write(docs, buf, mode="paragraph") == len(docs)
    assert texts(write_file(tmp_path / "rt.txt", buf.getvalue()), mode="paragraph") == DOLLY


def test_write_normalises_what_reading_would_change(tmp_path):
    docs = [
        Doc(text="two\nlines"),
        Doc(text="win\r\nbreak \n"),
        Doc(text="   "),
        Doc(text="para\n\n  with gap  \nend"),
    ]
    buf = io.StringIO()
    assert textfmt.write(docs, buf) == 3
    assert buf.getvalue() == "two lines\nwin break\npara    with gap   end\n"
    buf = io.StringIO()
    assert textfmt.write(docs, buf, mode="paragraph") == 3
    assert buf.getvalue() == "two\nlines\n\nwin\nbreak\n\npara\n  with gap\nend\n"
    back = texts(write_file(tmp_path / "p.txt", buf.getvalue()), mode="paragraph")
    assert back == ["two\nlines", "win\nbreak", "para\n  with gap\nend"]


# --- encodings, binary, size --------------------------------------------------------------


def test_utf16_bom_reads(tmp_path):
    emoji = [s for s in WNUT if any(ord(c) > 0xFFFF for c in s)][:20]
    assert emoji
    path = write_file(tmp_path / "u16.txt", "\r\n".join(emoji).encode("utf-16"))
    assert texts(path) == [s.rstrip() for s in emoji]


def test_utf8_bom_reads(tmp_path):
    assert texts(write_file(tmp_path / "b.txt", b"\xef\xbb\xbfhello\n")) == ["hello"]


def test_latin1_is_an_encoding_error(tmp_path):
    with pytest.raises(FormatError) as info:
        list(textfmt.read(write_file(tmp_path / "l.txt", "Café olé\n".encode("latin-1"))))
    assert info.value.line == 1 and "UTF-8" in info.value.message


def test_binary_is_rejected(tmp_path):
    with pytest.raises(FormatError) as info:
        list(textfmt.read(write_file(tmp_path / "b.txt", b"PK\x03\x04" + bytes(range(256)))))
    assert "binary" in info.value.message


def test_one_megabyte_line(tmp_path):
    big = (" ".join(DOLLY).replace("\n", " ") * 10)[: 1 << 20].rstrip()
    assert texts(write_file(tmp_path / "big.txt", big + "\n")) == [big]
    junk = bytes((i * 7919) % 94 + 33 for i in range(1 << 20))
    (doc,) = list(textfmt.read(write_file(tmp_path / "junk.txt", junk)))
    assert len(doc.text) == 1 << 20


# --- fuzz ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _check(path: Path, mode: str) -> None:
    try:
        for doc in textfmt.read(path, mode=mode):
            assert doc.text and doc.text == doc.text.rstrip() and doc.line >= 1
            if mode == "line":
                assert "\n" not in doc.text
    except FormatError as exc:
        assert exc.message


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab \t\n\r\x0c\u2028é😀"), max_size=60)
    | st.text(max_size=60),
    st.sampled_from(["line", "paragraph"]),
)
def test_fuzz_text(fuzz_dir, content, mode):
    path = fuzz_dir / "t.txt"
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    _check(path, mode)


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=200) | st.text(max_size=100).map(lambda t: t.encode("utf-16", "surrogatepass")),
    st.sampled_from(["line", "paragraph"]),
)
def test_fuzz_bytes(fuzz_dir, raw, mode):
    path = fuzz_dir / "b.txt"
    path.write_bytes(raw)
    _check(path, mode)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["line", "paragraph"]),
)
def test_fuzz_write_then_read_is_stable(fuzz_dir, items, mode):
    docs = [Doc(text=t) for t in items]
    first = io.StringIO()
    n = textfmt.write(docs, first, mode=mode)
    path = fuzz_dir / "w.txt"
    path.write_text(first.getvalue(), encoding="utf-8")
    try:
        back = list(textfmt.read(path, mode=mode))
    except FormatError:
        assert n == 0
        return
    assert len(back) == n
    second = io.StringIO()
    textfmt.write(back, second, mode=mode)
    assert second.getvalue() == first.getvalue()
