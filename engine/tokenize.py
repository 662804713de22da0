"""Word tokenizer with character offsets, and a sentence splitter over its tokens.

:func:`tokenize` turns a text into ``[start, end)`` character offsets, one pair per
token, with one compiled regular expression (no per-character Python loop), so it is
fast enough for the import path. What counts as a token, tried in this order at each
position:

* whitespace separates tokens and is never inside one: every character for which
  ``str.isspace()`` is true (``\\u00a0`` and ``\\u3000`` included) plus the zero-width
  space ``\\u200b``, the word joiner ``\\u2060`` and the BOM ``\\ufeff``
  (:data:`EXTRA_SPACE`; :func:`is_space` says whether one character is whitespace);
* a URL, ``http://``, ``https://`` or ``www.`` (any case) up to the next whitespace,
  without trailing ``. , ; : ! ? " ' ’ ” ] >`` and without a ``)`` that has no ``(``
  inside the URL, so ``see http://x.org.`` gives the URL and ``.``;
* an e-mail address (``jane.doe+tag@mail.example.com``, local part up to 64 characters);
* a keycap emoji (``#️⃣``, ``1️⃣``);
* an ``@handle`` or a ``#hashtag`` (``@`` or ``#`` followed by a word);
* an emoji with everything that belongs to it: variation selectors (``\\ufe0f``),
  skin tones, tag characters (subdivision flags) and zero-width-joiner sequences
  (``👩‍💻``); a pair of regional indicators is one flag (``🇫🇷``);
* a number with inner ``.`` or ``,`` between digits (``3.14``, ``1,000``, ``1.000.000``);
* a word: a run of letters, digits, ``_`` and combining marks (the zero-width
  (non-)joiners ``\\u200c``/``\\u200d`` too when a letter follows them); an apostrophe
  (``'`` or ``’``) or a hyphen (``-``, ``‐``, ``‑``) between two word characters stays
  inside the word, so ``don't``, ``O'Neil``, ``state-of-the-art``, ``COVID-19`` and
  ``2024-05-01`` are one token each. Scripts written without spaces other than
  Chinese/Japanese/Korean (Thai, Lao, Khmer, ...) come out as one token per run;
* Chinese, Japanese and Korean (Han, Hiragana, Katakana, Bopomofo, Hangul, CJK and
  full-width punctuation): one token per character (with any combining mark that
  follows it; a decomposed Hangul syllable, conjoining jamo, is one token);
* anything else (punctuation, symbols): one token per character, except that a run of
  the same character (``...``, ``!!!``, ``--``) is one token.

``boundaries`` forces extra token edges: a boundary strictly inside a token splits it
there; boundaries on a token edge, in whitespace or outside ``[0, len(text)]`` change
nothing. The importer passes entity edges here, so an entity edge is always a token
edge.

:func:`split_sentences` groups tokens into sentences (ranges of token indices); see
its docstring for the rules.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from operator import itemgetter

__all__ = ["ABBREVIATIONS", "EXTRA_SPACE", "is_space", "split_sentences", "tokenize"]

#: Characters treated as whitespace besides those for which ``str.isspace()`` is true.
EXTRA_SPACE = "\u200b\u2060\ufeff"

# Combining marks (Unicode categories Mn, Mc, Me; generated from unicodedata 14.0 with
# unassigned gaps merged):
#   [c for c in range(0x110000) if unicodedata.category(chr(c))[0] == "M"]
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8"
    "\u06ea-\u06ed\u0711\u0730-\u074a\u07a6-\u07b0\u07eb-\u07f3\u07fd\u0816-\u0819"
    "\u081b-\u0823\u0825-\u0827\u0829-\u082d\u0859-\u085b\u0898-\u089f\u08ca-\u08e1"
    "\u08e3-\u0903\u093a-\u093c\u093e-\u094f\u0951-\u0957\u0962-\u0963\u0981-\u0983"
    "\u09bc\u09be-\u09cd\u09d7\u09e2-\u09e3\u09fe-\u0a03\u0a3c-\u0a51\u0a70-\u0a71"
    "\u0a75\u0a81-\u0a83\u0abc\u0abe-\u0acd\u0ae2-\u0ae3\u0afa-\u0b03\u0b3c"
    "\u0b3e-\u0b57\u0b62-\u0b63\u0b82\u0bbe-\u0bcd\u0bd7\u0c00-\u0c04\u0c3c"
    "\u0c3e-\u0c56\u0c62-\u0c63\u0c81-\u0c83\u0cbc\u0cbe-\u0cd6\u0ce2-\u0ce3"
    "\u0d00-\u0d03\u0d3b-\u0d3c\u0d3e-\u0d4d\u0d57\u0d62-\u0d63\u0d81-\u0d83"
    "\u0dca-\u0ddf\u0df2-\u0df3\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc"
    "\u0ec8-\u0ecd\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f3e-\u0f3f\u0f71-\u0f84"
    "\u0f86-\u0f87\u0f8d-\u0fbc\u0fc6\u102b-\u103e\u1056-\u1059\u105e-\u1060"
    "\u1062-\u1064\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f\u109a-\u109d"
    "\u135d-\u135f\u1712-\u1715\u1732-\u1734\u1752-\u1753\u1772-\u1773\u17b4-\u17d3"
    "\u17dd\u180b-\u180d\u180f\u1885-\u1886\u18a9\u1920-\u193b\u1a17-\u1a1b"
    "\u1a55-\u1a7f\u1ab0-\u1b04\u1b34-\u1b44\u1b6b-\u1b73\u1b80-\u1b82\u1ba1-\u1bad"
    "\u1be6-\u1bf3\u1c24-\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce8\u1ced\u1cf4\u1cf7-\u1cf9"
    "\u1dc0-\u1dff\u20d0-\u20f0\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f"
    "\u3099-\u309a\ua66f-\ua672\ua674-\ua67d\ua69e-\ua69f\ua6f0-\ua6f1\ua802\ua806"
    "\ua80b\ua823-\ua827\ua82c\ua880-\ua881\ua8b4-\ua8c5\ua8e0-\ua8f1\ua8ff"
    "\ua926-\ua92d\ua947-\ua953\ua980-\ua983\ua9b3-\ua9c0\ua9e5\uaa29-\uaa36\uaa43"
    "\uaa4c-\uaa4d\uaa7b-\uaa7d\uaab0\uaab2-\uaab4\uaab7-\uaab8\uaabe-\uaabf\uaac1"
    "\uaaeb-\uaaef\uaaf5-\uaaf6\uabe3-\uabea\uabec-\uabed\ufb1e\ufe00-\ufe0f"
    "\ufe20-\ufe2f\U000101fd\U000102e0\U00010376-\U0001037a\U00010a01-\U00010a0f"
    "\U00010a38-\U00010a3f\U00010ae5-\U00010ae6\U00010d24-\U00010d27"
    "\U00010eab-\U00010eac\U00010f46-\U00010f50\U00010f82-\U00010f85"
    "\U00011000-\U00011002\U00011038-\U00011046\U00011070\U00011073-\U00011074"
    "\U0001107f-\U00011082\U000110b0-\U000110ba\U000110c2\U00011100-\U00011102"
    "\U00011127-\U00011134\U00011145-\U00011146\U00011173\U00011180-\U00011182"
    "\U000111b3-\U000111c0\U000111c9-\U000111cc\U000111ce-\U000111cf"
    "\U0001122c-\U00011237\U0001123e\U000112df-\U000112ea\U00011300-\U00011303"
    "\U0001133b-\U0001133c\U0001133e-\U0001134d\U00011357\U00011362-\U00011374"
    "\U00011435-\U00011446\U0001145e\U000114b0-\U000114c3\U000115af-\U000115c0"
    "\U000115dc-\U000115dd\U00011630-\U00011640\U000116ab-\U000116b7"
    "\U0001171d-\U0001172b\U0001182c-\U0001183a\U00011930-\U0001193e\U00011940"
    "\U00011942-\U00011943\U000119d1-\U000119e0\U000119e4\U00011a01-\U00011a0a"
    "\U00011a33-\U00011a39\U00011a3b-\U00011a3e\U00011a47\U00011a51-\U00011a5b"
    "\U00011a8a-\U00011a99\U00011c2f-\U00011c3f\U00011c92-\U00011cb6"
    "\U00011d31-\U00011d45\U00011d47\U00011d8a-\U00011d97\U00011ef3-\U00011ef6"
    "\U00016af0-\U00016af4\U00016b30-\U00016b36\U00016f4f\U00016f51-\U00016f92"
    "\U00016fe4-\U00016ff1\U0001bc9d-\U0001bc9e\U0001cf00-\U0001cf46"
    "\U0001d165-\U0001d169\U0001d16d-\U0001d172\U0001d17b-\U0001d182"
    "\U0001d185-\U0001d18b\U0001d1aa-\U0001d1ad\U0001d242-\U0001d244"
    "\U0001da00-\U0001da36\U0001da3b-\U0001da6c\U0001da75\U0001da84"
    "\U0001da9b-\U0001daaf\U0001e000-\U0001e02a\U0001e130-\U0001e136\U0001e2ae"
    "\U0001e2ec-\U0001e2ef\U0001e8d0-\U0001e8d6\U0001e944-\U0001e94a"
    "\U000e0100-\U000e01ef"
)

# Chinese/Japanese/Korean characters, one token each. Ideographic space \u3000 is
# whitespace and left out; fullwidth Latin letters and digits (\uff10-\uff19,
# \uff21-\uff3a, \uff41-\uff5a) are word characters and left out too.
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u32ff"
    "\u3300-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
    "\ufe10-\ufe1f\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef"
    "\U00016fe0-\U00016fff\U0001b000-\U0001b16f\U00020000-\U0003ffff"
)
# Characters that start an emoji (pictographs, dingbats, arrows, geometric shapes, ...).
_EMOJI = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2190-\u21ff\u2300-\u23ff\u24c2"
    "\u25a0-\u27bf\u2934\u2935\u2b00-\u2bff\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001faff"
)
# What may follow an emoji inside the same token: variation selectors, the keycap
# mark, skin tones, tag characters.
_EMOJI_MOD = "\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
_RI = "\U0001f1e6-\U0001f1ff"  # regional indicators; two make a flag

_S = r"\s" + EXTRA_SPACE  # whitespace, for use inside a character class
_W = rf"[^\W{_CJK}]"  # word character that is not CJK
_CORE = rf"{_W}+(?:[{_MARKS}\u200c\u200d]+{_W}+)*[{_MARKS}]*"  # letters + marks
_WORD = rf"{_CORE}(?:['’\-‐‑]{_CORE})*"
_EMOJI_ONE = rf"[{_EMOJI}][{_EMOJI_MOD}]*"
_URL_END = rf"[^{_S}().,;:!?\"'’”\]>]"

_TOKEN = re.compile(
    # URL: balanced (...) groups allowed, trailing punctuation left out
    rf"(?i:https?://|www\.)(?:[^{_S}()]|\([^{_S}()]*\))*(?:{_URL_END}|\([^{_S}()]*\))"
    # e-mail (the look-ahead bounds the work done where there is no @)
    rf"|(?=[\w.+\-]{{1,64}}@){_W}+(?:[.+\-]+{_W}+)*@{_W}+(?:-+{_W}+)*(?:\.{_W}+(?:-+{_W}+)*)+"
    # keycap emoji, @handle, #hashtag
    r"|[#*0-9]\ufe0f?\u20e3"
    rf"|[@#]{_CORE}"
    # emoji: flag pair, or emoji + modifiers + zero-width-joiner sequence
    rf"|[{_RI}]{{2}}|{_EMOJI_ONE}(?:\u200d{_EMOJI_ONE})*|[{_RI}][{_EMOJI_MOD}]*"
    # number, word
    r"|\d+(?:[.,]\d+)+"
    rf"|{_WORD}"
    # CJK: conjoining jamo syllable, or one character with its combining marks
    r"|[\u1100-\u115f\ua960-\ua97f]+[\u1160-\u11a7\ud7b0-\ud7c6]*[\u11a8-\u11ff\ud7cb-\ud7ff]*"
    rf"|[{_CJK}][{_MARKS}]*"
    # anything else: a run of one punctuation/symbol character
    rf"|([^{_S}])\1*"
)
_START = itemgetter(0)
_END = itemgetter(1)


def is_space(ch: str) -> bool:
    """Return whether the character ``ch`` separates tokens (never part of a token)."""
    return ch.isspace() or ch in EXTRA_SPACE


def tokenize(text: str, boundaries: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Return the tokens of ``text`` as ``[start, end)`` character offsets, in order.

    Tokens are non-empty, sorted, do not overlap, contain no whitespace, and together
    hold every non-whitespace character of ``text`` (see the module docstring for what
    makes a token). Each offset in ``boundaries`` that falls strictly inside a token
    splits that token there; other boundaries are ignored.
    """
    spans = [m.span() for m in _TOKEN.finditer(text)]
    if not spans:
        return spans
    n = len(spans)
    cuts: dict[int, list[int]] = {}
    for b in sorted({int(b) for b in boundaries}):
        k = bisect_right(spans, b, key=_END)  # first token ending after b
        if k < n and spans[k][0] < b:
            cuts.setdefault(k, []).append(b)
    if not cuts:
        return spans
    out: list[tuple[int, int]] = []
    prev = 0
    for k in sorted(cuts):
        out.extend(spans[prev:k])
        s, e = spans[k]
        for b in cuts[k]:
            out.append((s, b))
            s = b
        out.append((s, e))
        prev = k + 1
    out.extend(spans[prev:])
    return out


# ---- sentences

_TERMINAL_RUN = re.compile(r"[.!?…。！？｡]+")
_CJK_TERMINALS = frozenset("。！？｡")
_CLOSERS = frozenset("\"'’”»›)]}」』】）〕》〉")
_OPENERS = "\"'“‘«‹([{¿¡「『【（〔《〈"
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Abbreviations after which a "." does not end a sentence (compared lower-cased, with
# the dot): titles and the like, which are usually followed by a capitalised name.
ABBREVIATIONS = frozenset(
    "mr. mrs. ms. mx. dr. prof. sr. jr. st. mt. ft. gen. col. capt. lt. sgt. cpt. rev. "
    "hon. gov. sen. rep. pres. fig. figs. vol. pp. vs. e.g. i.e. cf. "
    "approx. ca. al. viz. dept. univ. est. inc. ltd. corp. co. jan. feb. mar. apr. "
    "jun. jul. aug. sep. sept. oct. nov. dec.".split()
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")  # "J.", "U.S.", "e.g."


def _starts_sentence(ch: str) -> bool:
    """Whether a token starting with ``ch`` can open a sentence after a ``.``, ``!``, ``?``."""
    if ch.isupper() or ch.istitle() or ch.isdigit() or ch in _OPENERS:
        return True
    # letters of scripts without case (CJK, Arabic, Devanagari, ...)
    return ch.isalpha() and not ch.islower()


def split_sentences(text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Group ``tokens`` (offsets into ``text``) into sentences.

    Returns ``[first_token, last_token + 1)`` index ranges, in order, that cover all
    tokens contiguously: the first starts at 0, each starts where the previous ended,
    the last ends at ``len(tokens)``; ``[]`` when there are no tokens.

    A sentence ends:

    * between two tokens with a line break (``\\n``, ``\\r``, ``\\u2028``, ... as in
      ``str.splitlines``) between them, always, so line structure is kept;
    * after a token made only of ``. ! ? …`` (``...``, ``?!`` in one or several tokens
      count as one ending), plus any closing quotes/brackets right after it, when
      whitespace follows and the next token starts with an upper-case or title-case
      letter, a digit, a letter of a script without case (CJK, Arabic, Devanagari,
      ...) or an opening quote/bracket (``"``, ``'``, ``“``, ``(``, ``¿``, ...). A
      lower-case word, an ``@handle``, a ``#tag``, an emoji or punctuation next does not
      start a new sentence ("Great game. #win" stays one);
    * after a full-width ``。 ！ ？`` (and closers right after it) whatever follows.

    A single ``.`` does not end a sentence when the characters attached to it form an
    abbreviation from :data:`ABBREVIATIONS` (``Mr.``, ``Dr.``, ``vs.``, ``e.g.``,
    ``No.``, month names, ... compared case-insensitively) or initials (``J.``,
    ``U.S.``; but ``I.`` does end one). "etc." is not in the list: it ends a sentence
    when a capitalised word follows, like any other word.
    """
    n = len(tokens)
    if n == 0:
        return []
    breaks: set[int] = set()
    for m in _LINE_BREAK.finditer(text):
        k = bisect_left(tokens, m.start(), key=_START)  # first token after the break
        if 0 < k < n:
            breaks.add(k)
    for m in _TERMINAL_RUN.finditer(text):
        a, b = m.span()
        k0 = bisect_left(tokens, a, key=_START)
        if k0 >= n or tokens[k0][0] != a:
            continue  # the run starts inside a token (3.14, a URL, ...)
        k = bisect_left(tokens, b, key=_END)
        if k >= n or tokens[k][1] != b:
            continue  # the run ends inside a token
        cjk = text[b - 1] in _CJK_TERMINALS
        if not cjk and b - a == 1 and text[a] == "." and _is_abbreviation(text, tokens, k0):
            continue
        # closing quotes and brackets right after the terminal belong to the sentence
        while k + 1 < n and tokens[k + 1][0] == tokens[k][1] and _all_in(text, tokens[k + 1], _CLOSERS):
            k += 1
        j = k + 1
        if j >= n:
            continue
        if cjk:
            breaks.add(j)
            continue
        end, start = tokens[k][1], tokens[j][0]
        if start > end and _starts_sentence(text[start]):
            breaks.add(j)
    edges = [0, *sorted(breaks), n]
    return list(zip(edges, edges[1:]))


def _all_in(text: str, token: tuple[int, int], chars: frozenset[str]) -> bool:
    s, e = token
    return e > s and all(c in chars for c in text[s:e])


def _is_abbreviation(text: str, tokens: Sequence[tuple[int, int]], k: int) -> bool:
    """Whether the "." token ``k`` ends an abbreviation (the tokens glued to it before)."""
    first = k
    while first > 0 and k - first < 8 and tokens[first - 1][1] == tokens[first][0]:
        first -= 1
    if first == k:
        return False
    chunk = text[tokens[first][0] : tokens[k][1]].lstrip(_OPENERS).lower()
    if chunk in ABBREVIATIONS:
        return True
    return chunk != "i." and _INITIALS.fullmatch(chunk) is not None
