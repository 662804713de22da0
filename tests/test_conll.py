"""CoNLL reading and writing, and the tagging schemes."""
from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import FormatError
from engine.formats import conll
from engine.formats.tags import SCHEMES, detect_scheme, spans_to_tags, tags_to_spans, validate_tag
from tests.conftest import read_conll_sentences


def _write(docs, **kw) -> str:
    buf = io.StringIO()
    conll.write(docs, buf, **kw)
    return buf.getvalue()


def test_wnut_dev_round_trip(data_dir, tmp_path):
    docs = list(conll.read(data_dir / "dev.conll"))
    gold = read_conll_sentences(data_dir / "dev.conll")
    assert len(docs) == len(gold) == 1009
    out = tmp_path / "out.conll"
    out.write_text(_write(docs), encoding="utf-8")
    assert read_conll_sentences(out) == gold
    # offsets point at the tokens
    d = docs[0]
    assert [d.text[s:e] for s, e in d.tokens] == [t for t, _ in gold[0]]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_conversion_keeps_entities(data_dir, tmp_path, scheme):
    docs = list(conll.read(data_dir / "dev.conll"))
    f = tmp_path / f"dev.{scheme}"
    f.write_text(_write(docs, scheme=scheme), encoding="utf-8")
    back = list(conll.read(f))
    assert [(d.text, [(s.start, s.end, s.label) for s in d.spans]) for d in back] == [
        (d.text, [(s.start, s.end, s.label) for s in d.spans]) for d in docs
    ]
    tags = [t for sent in read_conll_sentences(f) for _, t in sent]
    if scheme in ("iobes", "bmes"):
        assert detect_scheme(tags) == scheme
    assert detect_scheme([t for s in read_conll_sentences(data_dir / "dev.conll") for _, t in s]) == "bio"


@st.composite
def token_spans(draw):
    n = draw(st.integers(0, 30))
    spans, i = [], 0
    while i < n:
        if draw(st.booleans()):
            length = draw(st.integers(1, min(4, n - i)))
            spans.append((i, i + length, draw(st.sampled_from(["person", "creative-work", "LOC"]))))
            i += length
        else:
            i += draw(st.integers(1, 3))
    return n, spans


@settings(max_examples=300, deadline=None)
@given(token_spans(), st.sampled_from(SCHEMES))
def test_encode_decode_identity(ns, scheme):
    n, spans = ns
    assert tags_to_spans(spans_to_tags(n, spans, scheme)) == spans


def test_lenient_decoding():
    assert tags_to_spans(["I-PER", "I-PER", "B-PER", "O"]) == [(0, 2, "PER"), (2, 3, "PER")]  # IOB1
    assert tags_to_spans(["O", "I-LOC", "I-ORG"]) == [(1, 2, "LOC"), (2, 3, "ORG")]  # repaired
    assert tags_to_spans(["S-X", "B-X", "E-X", "B-Y", "M-Y", "E-Y"]) == [(0, 1, "X"), (1, 3, "X"), (3, 6, "Y")]
    assert tags_to_spans(["PER", "PER", "O"]) == [(0, 2, "PER")]
    assert validate_tag("B-") and validate_tag("X-PER") and validate_tag("") and validate_tag("B-creative-work") is None


def test_conll2003_four_columns_with_docstart(tmp_path):
    f = tmp_path / "c03.txt"
    f.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n. . O O\n\n"
        "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n"
        "-DOCSTART- -X- -X- O\n\n"
        "BRUSSELS NNP B-NP B-LOC\n1996-08-22 CD I-NP O\n",
        encoding="utf-8",
    )
    docs = list(conll.read(f))
    assert len(docs) == 2
    a, b = docs
    assert a.text == "EU rejects German call .\nPeter Blackburn"
    assert a.sentences == [(0, 5), (5, 7)]
    assert [(a.text[s.start:s.end], s.label) for s in a.spans] == [("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER")]
    assert b.text == "BRUSSELS 1996-08-22" and b.line == 14
    out = _write(docs, docstart=True)
    assert out.count("-DOCSTART-") == 2 and "Blackburn\tI-PER" in out


@pytest.mark.parametrize(
    "content,line,words",
    [
        ("Paris\tB-location\nis\nnice\tO\n", 2, "no tag"),
        ("Paris\tB-\n", 1, "no entity type"),
        ("Paris\tX-loc\n", 1, "unknown position"),
        ("Paris\tB-loc\n\nRome\tNNP\tB-loc\n", 3, "columns"),
        ('{"text": "Paris"}\n', 1, "JSON"),
        ("\n\n\n", 0, "no tokens"),
    ],
)
def test_errors_name_the_line(tmp_path, content, line, words):
    f = tmp_path / "bad.conll"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as exc:
        list(conll.read(f))
    assert exc.value.line == line and words in exc.value.message


def test_encodings(tmp_path):
    (tmp_path / "u16.conll").write_text("Café\tB-loc\n", encoding="utf-16")
    assert list(conll.read(tmp_path / "u16.conll"))[0].text == "Café"
    (tmp_path / "l1.conll").write_bytes("Paris\tO\n\nCafé\tO\n".encode("latin-1"))
    with pytest.raises(FormatError) as exc:
        list(conll.read(tmp_path / "l1.conll"))
    assert exc.value.line == 3
    (tmp_path / "bin.conll").write_bytes(b"\x00\x01\x02PK\x03\x04")
    with pytest.raises(FormatError, match="binary"):
        list(conll.read(tmp_path / "bin.conll"))


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_fuzz_only_format_errors(tmp_path_factory, data):
    f = tmp_path_factory.mktemp("c") / "x.conll"
    f.write_bytes(data)
    try:
        docs = list(conll.read(f))
    except FormatError:
        return
    for d in docs:
        for s in d.spans:
            assert 0 <= s.start < s.end <= len(d.text)


def _read_both(path, block_size):
    """Documents (or the error) from the bulk reader and from the line-by-line one."""
    import engine.formats.base as base

    out = []
    for bulk in (True, False):
        reader = conll._Reader(path, bulk=bulk)
        docs, err = [], None
        old = base.iter_text_blocks.__defaults__
        base.iter_text_blocks.__defaults__ = (block_size, None)
        try:
            for d in reader.docs():
                docs.append((d.text, [(s.start, s.end, s.label) for s in d.spans], d.tokens, d.sentences, d.line))
        except FormatError as exc:
            err = str(exc)
        finally:
            base.iter_text_blocks.__defaults__ = old
        out.append((docs, err))
    return out


_GOOD_LINE = st.tuples(
    st.sampled_from(["w", "Paris", "#x", "O", "é", "-DOCSTART-"]), st.just("\t"),
    st.sampled_from(["O", "O", "O", "B-PER", "I-PER", "S-loc", "E-loc", "o", "PER"]),
).map("".join)
_ODD_LINE = st.one_of(
    st.tuples(st.sampled_from(["w", "a b", "x\u00a0y", "{", "# c", "#", ""]), st.sampled_from(["\t", " ", "\t\t", "\tNN\t"]),
              st.sampled_from(["O", "B-PER", "X-PER", "B-", "-"])).map("".join),
    st.sampled_from(["", "", "\t", "  ", "# comment", "-DOCSTART-\tO", "-DOCSTART-", "token"]),
)
_BAD_TAG_LINE = st.sampled_from(["w\tX-PER", "w\tB-", "w\t-", "w\tI-x-"])
_LINES = st.one_of(_GOOD_LINE, _GOOD_LINE, _GOOD_LINE, _GOOD_LINE, st.just(""), _ODD_LINE, _BAD_TAG_LINE)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=60), st.sampled_from(["\n", "\r\n"]), st.booleans(), st.sampled_from([7, 64, 1 << 18]))
def test_bulk_reading_matches_line_by_line(tmp_path_factory, lines, eol, final_eol, block_size):
    """Runs of plain token<TAB>tag lines are read in bulk; documents, offsets, line
    numbers and errors must be exactly those of reading every line on its own."""
    f = tmp_path_factory.mktemp("c") / "x.conll"
    f.write_bytes((eol.join(lines) + (eol if final_eol else "")).encode("utf-8"))
    bulk, by_line = _read_both(f, block_size)
    assert bulk == by_line


def test_bulk_reading_matches_line_by_line_on_wnut(data_dir):
    bulk, by_line = _read_both(data_dir / "train.conll", 1 << 18)
    assert bulk == by_line and len(bulk[0]) == 3394 and bulk[1] is None
