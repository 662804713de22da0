"""Token tagging schemes: turn per-token tags into entity spans and back.

A tag is ``O`` (outside any entity; ``o`` too) or ``<position>-<label>``, where the
position is one letter and the label is everything after the *first* hyphen
(``B-creative-work`` has the label ``creative-work``):

====  ===========================  ===================================
B-    begins an entity             bio, iob1, iobes, bmes
I-    inside (continues) an entity bio, iob1, iobes
M-    middle, same as I-           bmes
E-    ends an entity               iobes, bmes
S-    single-token entity          iobes, bmes
L-    last, same as E-             BILOU
U-    unit, same as S-             BILOU
====  ===========================  ===================================

Positions are read case-insensitively (``b-PER`` is ``B-PER``); labels are kept as
written. A tag without a position (``PER``, ``date-time``) is a bare label and
counts as ``I-PER``; a single letter before the hyphen must be a known position
(``X-PER`` is an error).

Decoding (:func:`tags_to_spans`) does not need to be told the scheme: ``B-``/``S-``
always start a new entity; ``I-``/``M-``/``E-`` continue the open entity when it has
the same label, otherwise they start one (which repairs a BIO ``I-`` without ``B-``
and decodes IOB1); ``E-``/``S-`` close the entity. So every scheme in
:data:`SCHEMES` decodes correctly with the same function.
"""
from __future__ import annotations

from typing import Iterable

from engine.messages import msg

__all__ = ["SCHEMES", "tags_to_spans", "spans_to_tags", "detect_scheme", "scheme_of", "validate_tag"]

#: Tagging schemes :func:`spans_to_tags` writes. ``bio`` is IOB2; ``bmes`` is also BMESO.
SCHEMES = ("bio", "iob1", "iobes", "bmes")

# position letter -> (starts a new entity, closes the entity)
_POSITIONS = {
    "B": (True, False),
    "I": (False, False),
    "M": (False, False),
    "E": (False, True),
    "L": (False, True),
    "S": (True, True),
    "U": (True, True),
}
_POSITIONS.update({k.lower(): v for k, v in list(_POSITIONS.items())})
_OUTSIDE = frozenset(("O", "o"))


class BadTag(ValueError):
    """A malformed tag; ``index`` is its position in the sequence being decoded."""

    def __init__(self, index: int, tag: str, message: str):
        super().__init__(message)
        self.index = index
        self.tag = tag
        self.message = message


def _check(tag: str) -> tuple[str | None, str | None, str | None]:
    """Split a tag into ``(position letter or None, label or None, error or None)``.

    ``O`` gives ``(None, None, None)``; a bare label gives ``(None, label, None)``.
    """
    if not isinstance(tag, str):
        return None, None, msg("the tag {tag} is not text.", tag=repr(tag))
    if not tag:
        return None, None, msg("the tag is empty. Write tags like B-PER, I-PER or O.")
    if tag in _OUTSIDE:
        return None, None, None
    if len(tag.split()) != 1 or tag.strip() != tag:
        return None, None, msg("the tag {tag} contains a space; a tag is one word. Write tags like B-PER, "
                               "I-PER or O.", tag=repr(tag))
    if tag in ("_", "-"):
        return None, None, msg(
            "{tag} is not an entity tag (Tessera reads the tag from the last column). "
            "Use O for tokens outside any entity.", tag=repr(tag)
        )
    head, sep, label = tag.partition("-")
    if not sep:
        if tag in _POSITIONS:
            return None, None, msg(
                "the tag {tag} has a position ({position}) but no entity type. "
                "Write it as {position}-PER, {position}-LOC and so on.", tag=repr(tag), position=tag.upper()
            )
        return None, tag, None  # bare label
    if not head:
        return None, None, msg("the tag {tag} starts with a hyphen. Write tags like B-PER, I-PER or O.",
                               tag=repr(tag))
    if len(head) == 1:
        if head not in _POSITIONS:
            return None, None, msg(
                "the tag {tag} starts with the unknown position {position}; use B-, I-, E-, S- or M- "
                "(also L- and U-), or O for tokens outside any entity.", tag=repr(tag), position=repr(head + "-")
            )
        if not label:
            return None, None, msg(
                "the tag {tag} has a position ({position}-) but no entity type after it. "
                "Write it as {position}-PER, {position}-LOC and so on.", tag=repr(tag), position=head.upper()
            )
        return head.upper(), label, None
    if tag.endswith("-"):
        return None, None, msg("the tag {tag} ends with a hyphen. Write tags like B-PER, I-PER or O.",
                               tag=repr(tag))
    return None, tag, None  # bare label with a hyphen, e.g. "date-time"


def validate_tag(tag: str) -> str | None:
    """Return what is wrong with ``tag`` (a sentence for the user), or ``None`` if it is valid.

    Valid: ``O``/``o``, ``<B|I|E|S|M|L|U>-<label>`` (position case-insensitive) and a
    bare label such as ``PER``. Invalid: empty, containing spaces, ``_``/``-``,
    a position without a label (``B-``, ``B``), an unknown one-letter position
    (``X-PER``), a leading or trailing hyphen.
    """
    return _check(tag)[2]


# raw tag -> (starts, closes, label), or None for O. Only valid tags are cached.
_CACHE: dict[str, tuple[bool, bool, str] | None] = {"O": None, "o": None}
_CACHE_MAX = 10_000


def _parse(tag: str, index: int) -> tuple[bool, bool, str] | None:
    """Parse (and cache) a tag not yet in ``_CACHE``; raise :class:`BadTag` if malformed."""
    pos, label, err = _check(tag)
    if err is not None:
        raise BadTag(index, tag, err)
    value = None if label is None else (*_POSITIONS[pos or "I"], label)
    if len(_CACHE) < _CACHE_MAX:
        _CACHE[tag] = value
    return value


def tags_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Decode per-token tags of any scheme into ``[(start, end, label), ...]`` token spans.

    ``end`` is exclusive; spans come out in order and never overlap. Lenient: an
    ``I-``/``E-``/``M-`` that cannot continue an entity starts a new one.

    Raises:
        ValueError (:class:`BadTag`): a malformed tag (see :func:`validate_tag`);
            ``.index`` says which.
    """
    spans: list[tuple[int, int, str]] = []
    append = spans.append
    cache = _CACHE
    miss = _CACHE  # sentinel: never a cached value
    cur = -1
    cur_label = None
    for i, tag in enumerate(tags):
        p = cache.get(tag, miss)
        if p is miss:
            p = _parse(tag, i)
        if p is None:
            if cur >= 0:
                append((cur, i, cur_label))
                cur = -1
            continue
        starts, closes, label = p
        if starts or cur < 0 or label != cur_label:
            if cur >= 0:
                append((cur, i, cur_label))
            cur = i
            cur_label = label
        if closes:
            append((cur, i + 1, label))
            cur = -1
    if cur >= 0:
        append((cur, len(tags), cur_label))
    return spans


def spans_to_tags(n: int, spans: list[tuple[int, int, str]], scheme: str = "bio") -> list[str]:
    """Encode token spans ``[(start, end, label), ...]`` as ``n`` tags in ``scheme``.

    * ``bio`` (IOB2): ``B-`` on the first token, ``I-`` on the rest.
    * ``iob1``: ``I-`` everywhere, ``B-`` only on the first token of an entity that
      directly follows another entity with the same label.
    * ``iobes``: ``S-`` for one-token entities, else ``B-`` ``I-``... ``E-``.
    * ``bmes``: ``S-`` for one-token entities, else ``B-`` ``M-``... ``E-``.

    Raises:
        ValueError: unknown scheme, or spans that are empty, out of range or overlapping.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tagging scheme {scheme!r}; choose one of: {', '.join(SCHEMES)}.")
    tags = ["O"] * n
    prev_end, prev_label = -1, None
    for start, end, label in sorted(spans, key=lambda s: (s[0], s[1])):
        if not (0 <= start < end <= n):
            raise ValueError(f"span {start}-{end} ({label}) is empty or outside the {n} tokens.")
        if start < prev_end:
            raise ValueError(f"span {start}-{end} ({label}) overlaps the span before it.")
        if scheme == "bio":
            tags[start] = "B-" + label
            inner = "I-" + label
            for i in range(start + 1, end):
                tags[i] = inner
        elif scheme == "iob1":
            inner = "I-" + label
            for i in range(start, end):
                tags[i] = inner
            if start == prev_end and label == prev_label:
                tags[start] = "B-" + label
        else:
            if end - start == 1:
                tags[start] = "S-" + label
            else:
                inner = ("I-" if scheme == "iobes" else "M-") + label
                tags[start] = "B-" + label
                for i in range(start + 1, end - 1):
                    tags[i] = inner
                tags[end - 1] = "E-" + label
        prev_end, prev_label = end, label
    return tags


def scheme_of(tagset: Iterable[str], iob1: bool = False) -> str:
    """The scheme a file's distinct tags say it uses: ``bmes``/``iobes`` when E-/S- (or
    L-/U-) tags occur (with M- for bmes), else ``iob1`` when the caller saw entities start
    with I- (``iob1``), else ``bio``. Cheap: it looks at the set of tags, not the sequence."""
    positions = {t[0].upper() for t in tagset if len(t) > 2 and t[1] == "-"}
    if positions & set("ESLU"):
        return "bmes" if "M" in positions else "iobes"
    return "iob1" if iob1 else "bio"


def detect_scheme(tags_iterable: Iterable) -> str:
    """Tell which scheme a tag sequence uses: ``bmes``, ``iobes``, ``iob1`` or ``bio``.

    ``tags_iterable`` yields tags, or lists of tags (one per sentence; an entity
    never continues across them). Rules: ``E-``/``S-`` (or ``L-``/``U-``) with ``M-``
    -> ``bmes``; ``E-``/``S-`` -> ``iobes``; an ``I-`` that starts an entity and no
    ``B-`` except right after the same label -> ``iob1``; otherwise ``bio`` (also
    for no entities at all). Malformed tags are ignored.
    """
    has_m = has_es = i_starts = b_other = False

    def scan(seq: Iterable[str]) -> None:
        nonlocal has_m, has_es, i_starts, b_other
        prev = None  # label of the previous token's entity (None after O / E- / S-)
        for tag in seq:
            pos, label, err = _check(tag) if isinstance(tag, str) else (None, None, "")
            if err is not None or label is None:
                prev = None
                continue
            pos = pos or "I"
            if pos in "ML":
                has_m = has_m or pos == "M"
            if pos in "ESLU":
                has_es = True
            if pos in "IM" and prev != label:
                i_starts = True
            if pos == "B" and prev != label:
                b_other = True
            prev = None if pos in "ESLU" else label

    flat: list[str] = []
    for item in tags_iterable:
        if isinstance(item, str):
            flat.append(item)
        else:
            scan(item)
    scan(flat)
    if has_es and has_m:
        return "bmes"
    if has_es:
        return "iobes"
    if i_starts and not b_other:
        return "iob1"
    return "bio"
