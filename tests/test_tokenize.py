"""Tests for engine.tokenize: one case per rule, real tweets (WNUT-17), properties."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.tokenize import EXTRA_SPACE, is_space, split_sentences, tokenize
from tests.conftest import DATA, read_conll_sentences


def words(text: str, boundaries=()) -> list[str]:
    return [text[s:e] for s, e in tokenize(text, boundaries)]


def sentences(text: str) -> list[str]:
    toks = tokenize(text)
    return [text[toks[a][0] : toks[b - 1][1]] for a, b in split_sentences(text, toks)]


# ---- tokenize: one rule at a time ---------------------------------------------------


def test_returns_offsets():
    assert tokenize("Hello, world!") == [(0, 5), (5, 6), (7, 12), (12, 13)]
    assert tokenize("") == []
    assert tokenize(" \t\n ") == []


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\r\n", "\u00a0", "\u200b", "\u3000", "\u2009", "\ufeff", "\u2060"])
def test_whitespace_separates_and_is_never_in_a_token(space):
    text = f"one{space}two{space}{space}three"
    assert words(text) == ["one", "two", "three"]
    assert is_space(space[0])


def test_is_space():
    assert not is_space("a") and not is_space("\u200d") and not is_space(".")
    assert all(is_space(c) for c in EXTRA_SPACE)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("see http://x.org.", ["see", "http://x.org", "."]),
        ("see https://t.co/AbC123, then", ["see", "https://t.co/AbC123", ",", "then"]),
        ("go to www.example.com/a?b=1&c=2!", ["go", "to", "www.example.com/a?b=1&c=2", "!"]),
        ("HTTPS://EXAMPLE.COM/X", ["HTTPS://EXAMPLE.COM/X"]),
        ("(see http://x.org/page)", ["(", "see", "http://x.org/page", ")"]),
        ('"http://x.org/a"', ['"', "http://x.org/a", '"']),
        ("http://en.wikipedia.org/wiki/Foo_(bar).", ["http://en.wikipedia.org/wiki/Foo_(bar)", "."]),
        ("http://x.org/?q=\u6211 next", ["http://x.org/?q=\u6211", "next"]),
        ("http://", ["http", ":", "//"]),
        ("www.", ["www", "."]),
    ],
)
def test_urls(text, expected):
    assert words(text) == expected


def test_emails_handles_hashtags():
    assert words("mail jane.doe+ner@mail.example.co.uk.") == ["mail", "jane.doe+ner@mail.example.co.uk", "."]
    assert words("a_b@my-host.org") == ["a_b@my-host.org"]
    assert words("@paulwalk It's") == ["@paulwalk", "It's"]
    assert words("RT @user_1: #NLProc #2024 rocks") == ["RT", "@user_1", ":", "#NLProc", "#2024", "rocks"]
    assert words("#café @José") == ["#café", "@José"]
    assert words("a @ b # c") == ["a", "@", "b", "#", "c"]
    assert words("no@domain") == ["no", "@domain"]


def test_numbers():
    assert words("pi is 3.14, not 3,14 or 1,000,000.") == ["pi", "is", "3.14", ",", "not", "3,14", "or", "1,000,000", "."]
    assert words("12 0.5 1.2.3") == ["12", "0.5", "1.2.3"]
    assert words("1. 2, 3.") == ["1", ".", "2", ",", "3", "."]
    assert words("$9.99 50%") == ["$", "9.99", "50", "%"]


def test_words_apostrophes_hyphens():
    assert words("don't O'Neil rock’n’roll") == ["don't", "O'Neil", "rock’n’roll"]
    assert words("state-of-the-art COVID-19") == ["state-of-the-art", "COVID-19"]
    assert words("'quoted' students' -x- a--b") == ["'", "quoted", "'", "students", "'", "-", "x", "-", "a", "--", "b"]
    assert words("snake_case x2 Ünïcödé Привет мир Γειά") == ["snake_case", "x2", "Ünïcödé", "Привет", "мир", "Γειά"]


def test_combining_marks_stay_in_words():
    decomposed = "cafe\u0301 nai\u0308ve"
    assert words(decomposed) == ["cafe\u0301", "nai\u0308ve"]
    assert words("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]  # Devanagari vowel signs and virama
    assert words("می\u200cخواهم") == ["می\u200cخواهم"]  # Persian zero-width non-joiner


def test_punctuation_runs():
    assert words("Wait... what?!!! ok.") == ["Wait", "...", "what", "?", "!!!", "ok", "."]
    assert words("a&b (c) [d] &gt; --") == ["a", "&", "b", "(", "c", ")", "[", "d", "]", "&", "gt", ";", "--"]
    assert words("…… ——") == ["……", "——"]
    assert words(".,;") == [".", ",", ";"]


def test_emoji():
    assert words("I ❤️ NLP😀😀") == ["I", "❤️", "NLP", "😀", "😀"]
    assert words("coder👩‍💻!") == ["coder", "👩‍💻", "!"]  # ZWJ sequence
    assert words("👨‍👩‍👧‍👦👍🏽✌🏿") == ["👨‍👩‍👧‍👦", "👍🏽", "✌🏿"]  # family, skin tones
    assert words("🇫🇷🇩🇪 🏴󠁧󠁢󠁳󠁣󠁴󠁿") == ["🇫🇷", "🇩🇪", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"]  # flag pairs, tag sequence
    assert words("🏳️‍🌈 #️⃣ 1️⃣") == ["🏳️‍🌈", "#️⃣", "1️⃣"]
    assert words("♥♥ ☺︎") == ["♥", "♥", "☺︎"]


def test_cjk_one_token_per_character():
    assert words("我爱北京天安门") == list("我爱北京天安门")
    assert words("我爱Paris。") == ["我", "爱", "Paris", "。"]
    assert words("東京タワーへ行きました！") == list("東京タワーへ行きました！")
    assert words("한국어 텍스트") == ["한", "국", "어", "텍", "스", "트"]
    assert words("（你好），「は」") == list("（你好），「は」")
    assert words("ＡＢＣ１２３") == ["ＡＢＣ１２３"]  # full-width Latin letters/digits form a word
    assert words("\u1112\u1161\u11ab") == ["\u1112\u1161\u11ab"]  # decomposed Hangul syllable


def test_boundaries_split_tokens():
    text = "Parisian state-of-the-art"
    assert words(text, [5]) == ["Paris", "ian", "state-of-the-art"]
    assert words(text, {5, 14, 14, 9}) == ["Paris", "ian", "state", "-of-the-art"]
    assert words("我爱Paris", [4]) == ["我", "爱", "Pa", "ris"]
    assert words("http://x.org/a", [7]) == ["http://", "x.org/a"]
    assert tokenize("abc", [1, 2]) == [(0, 1), (1, 2), (2, 3)]


def test_boundaries_outside_tokens_are_ignored():
    text = "one  two"
    plain = tokenize(text)
    for b in ([3], [4], [0, 8], [-5, 99], [3, 4, 5], [2**70]):
        assert tokenize(text, b) == plain
    assert tokenize("", [0, 1]) == []


# ---- split_sentences ------------------------------------------------------------------


def test_sentence_ranges_are_token_ranges():
    text = "Hello there. How are you? Fine."
    toks = tokenize(text)
    assert split_sentences(text, toks) == [(0, 3), (3, 7), (7, 9)]
    assert split_sentences("", []) == []
    assert split_sentences("   ", tokenize("   ")) == []


def test_sentence_rules():
    assert sentences("It works! 3 tests pass.") == ["It works!", "3 tests pass."]
    assert sentences("Really?! Yes... OK.") == ["Really?!", "Yes...", "OK."]
    assert sentences("Wait... what? no way.") == ["Wait... what? no way."]  # lower case next
    assert sentences('He said "Stop." Then he left.') == ['He said "Stop."', "Then he left."]
    assert sentences('It ended. "Why?" she asked.') == ["It ended.", '"Why?" she asked.']
    assert sentences("Great game. #win @bob 😀") == ["Great game. #win @bob 😀"]
    assert sentences("Use node.js. It is fast.") == ["Use node.js.", "It is fast."]
    assert sentences("Version 3.14. Then 2.0.") == ["Version 3.14.", "Then 2.0."]
    assert sentences("我爱你。你好！ok") == ["我爱你。", "你好！", "ok"]
    assert sentences("See http://x.org. Next one.") == ["See http://x.org.", "Next one."]


def test_newline_always_ends_a_sentence():
    assert sentences("first line\nsecond line\r\n\nthird") == ["first line", "second line", "third"]
    assert sentences("Title\u2028body") == ["Title", "body"]
    assert sentences("\n\nonly\n") == ["only"]


def test_abbreviations_do_not_end_sentences():
    assert sentences("Mr. Smith met Dr. Who vs. Mrs. Jones.") == ["Mr. Smith met Dr. Who vs. Mrs. Jones."]
    assert sentences("Fruit, e.g. Apples, i.e. Food.") == ["Fruit, e.g. Apples, i.e. Food."]
    assert sentences("J. K. Rowling lives in the U.S. Army base.") == ["J. K. Rowling lives in the U.S. Army base."]
    assert sentences("Dogs, cats etc. and more.") == ["Dogs, cats etc. and more."]
    assert sentences("Dogs, cats etc. The end.") == ["Dogs, cats etc.", "The end."]
    assert sentences("So did I. Then we left.") == ["So did I.", "Then we left."]


def test_split_sentences_accepts_foreign_tokens():
    # tokens from a file (CoNLL/Prodigy) need not be ours: "Mr." and "end." are one token each
    text = "Mr. Smith . Ok end. Next"
    toks = [(0, 3), (4, 9), (10, 11), (12, 14), (15, 19), (20, 24)]
    assert split_sentences(text, toks) == [(0, 3), (3, 6)]


# ---- real data: WNUT-17 tweets ----------------------------------------------------------


def test_boundaries_reproduce_conll_token_edges():
    """Tokens joined by spaces, boundaries at every gold edge: every gold edge is a token
    edge and no token crosses one (the tokenizer may still split inside a gold token,
    e.g. "'s" -> "'", "s"), on noisy text with emoji, URLs, &gt; ..."""
    sents = read_conll_sentences(DATA / "train.conll")
    assert len(sents) > 1000
    exact = 0
    for sent in sents:
        text, gold, pos = "", [], 0
        for tok, _tag in sent:
            gold.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        text = " ".join(tok for tok, _ in sent)
        edges = {e for span in gold for e in span}
        toks = tokenize(text, edges)
        got = {e for span in toks for e in span}
        assert edges - got == set(), (text, edges - got)
        # every token lies inside one gold token, and every gold token is fully covered
        inside = {}
        for s, e in toks:
            g = next((g for g in gold if g[0] <= s and e <= g[1]), None)
            assert g is not None, (text, text[s:e])
            inside.setdefault(g, []).append((s, e))
        for g in gold:
            pieces = inside[g]
            assert pieces[0][0] == g[0] and pieces[-1][1] == g[1]
            assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
        exact += toks == gold
        # sentence splitting over the gold tokens covers them all
        ranges = split_sentences(text, gold)
        assert ranges[0][0] == 0 and ranges[-1][1] == len(gold)
    assert exact > len(sents) // 2  # most tweets need no extra split


# ---- properties -----------------------------------------------------------------------


def _check_tokens(text: str, toks: list[tuple[int, int]]) -> None:
    covered = bytearray(len(text))
    prev_end = 0
    for s, e in toks:
        assert 0 <= prev_end <= s < e <= len(text)
        prev_end = e
        for i in range(s, e):
            assert not is_space(text[i]), (text, s, e)
            covered[i] = 1
    for i, c in enumerate(text):
        assert covered[i] or is_space(c), (text, i)


# Text with the characters the tokenizer cares about, on top of arbitrary unicode.
_interesting = st.sampled_from(
    list("aZé0 9.,'’-@#:/()!?…\n\u00a0\u200b\u200d\ufe0f\u0301我。한") + ["http://", "www.", "👩‍💻", "🇫🇷", "🏽", "\U000e0067"]
)
texts = st.one_of(st.text(), st.lists(st.one_of(_interesting, st.text(max_size=3)), max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_tokens_cover_text_without_whitespace(text):
    toks = tokenize(text)
    _check_tokens(text, toks)
    assert all(isinstance(s, int) and isinstance(e, int) for s, e in toks)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_boundaries_become_token_edges(text, data):
    bounds = data.draw(st.lists(st.integers(-2, len(text) + 2), max_size=8))
    toks = tokenize(text, bounds)
    _check_tokens(text, toks)
    edges = {e for span in toks for e in span}
    for b in bounds:
        if 0 < b < len(text) and not is_space(text[b - 1]) and not is_space(text[b]):
            assert b in edges, (text, b, toks)
    # boundaries only ever split tokens: the plain edges are all still there
    assert {e for span in tokenize(text) for e in span} <= edges


@settings(max_examples=300, deadline=None)
@given(texts)
def test_sentences_are_contiguous_and_cover_all_tokens(text):
    toks = tokenize(text)
    ranges = split_sentences(text, toks)
    if not toks:
        assert ranges == []
        return
    assert ranges[0][0] == 0 and ranges[-1][1] == len(toks)
    for (a, b), (c, _d) in zip(ranges, ranges[1:]):
        assert b == c
    assert all(a < b for a, b in ranges)
