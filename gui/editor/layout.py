"""Pure layout of a tokenized document into wrapped lines of token boxes.

No painting and no widgets here: given the text, its tokens ``[(start, end), ...]``,
a :class:`QFontMetricsF` and the available width, :func:`layout_tokens` returns where
each token's text goes. The token view paints from this and hit-tests against it.

Rules:

* tokens separated by whitespace in the text get a word gap; tokens that touch in
  the text ("view" ".") get none, and such a glued run is kept together on wrap
  when it is short (so a line never starts with the period of the previous word);
* a newline between two tokens starts a new line (CoNLL documents put each sentence
  on its own line); a blank line between them adds a paragraph gap;
* every line leaves room for a chip's padding around the text and, below it, for
  the small caption that names an entity's label;
* ``groups`` (the entity spans) get a little extra room at their edges so that
  neighbouring chips never touch, and are widened to at least their caption width.

Token widths are cached per distinct token string, so a 5,000-token document lays
out in a few milliseconds.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Sequence

from gui.qt import QtCore, QtGui


@dataclass(frozen=True)
class Geometry:
    """Vertical and horizontal metrics of one line of chips (all in pixels)."""

    text_height: float  #: height of the text font (``fm.height()``)
    ascent: float  #: ascent of the text font
    pad_x: float  #: chip padding left and right of the token text
    pad_y: float  #: chip padding above and below the token text
    caption_height: float  #: height of the caption band under the chip
    line_gap: float  #: empty space after the caption band, before the next line
    paragraph_gap: float  #: extra space for a blank line in the text
    word_gap: float  #: gap between tokens separated by whitespace
    edge_gap: float  #: minimum gap at the edge of an entity chip
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float

    @property
    def chip_height(self) -> float:
        return self.text_height + 2 * self.pad_y

    @property
    def line_height(self) -> float:
        """Distance from one line top to the next (without paragraph gaps)."""
        return self.chip_height + self.caption_height + self.line_gap

    @property
    def baseline(self) -> float:
        """Offset of the text baseline from the line top."""
        return self.pad_y + self.ascent

    @property
    def caption_top(self) -> float:
        """Offset of the caption band from the line top."""
        return self.chip_height + 1.0

    @classmethod
    def for_fonts(cls, fm: QtGui.QFontMetricsF, caption_fm: QtGui.QFontMetricsF | None = None) -> "Geometry":
        """Derive pleasant metrics from the text font (and the caption font)."""
        h = fm.height()
        cap = caption_fm.height() if caption_fm is not None else round(h * 0.75)
        space = fm.horizontalAdvance(" ")
        pad_x = max(3.0, round(h * 0.22))
        return cls(
            text_height=h,
            ascent=fm.ascent(),
            pad_x=pad_x,
            pad_y=max(2.0, round(h * 0.16)),
            caption_height=cap + 1.0,
            line_gap=max(4.0, round(h * 0.45)),
            paragraph_gap=max(4.0, round(h * 0.5)),
            word_gap=max(space * 1.35, 4.0),
            edge_gap=2 * pad_x + 3.0,
            margin_left=max(12.0, round(h * 0.9)),
            margin_right=max(12.0, round(h * 0.9)),
            margin_top=max(10.0, round(h * 0.7)),
            margin_bottom=max(10.0, round(h * 0.7)),
        )


@dataclass
class Layout:
    """Result of :func:`layout_tokens`.

    ``rects[i]`` is the box of token ``i``'s text in widget coordinates;
    line ``k`` starts at ``line_tops[k]`` and holds tokens
    ``line_first_token[k] .. line_first_token[k+1]-1`` (the last line ends at
    ``len(rects)``). ``height`` is the total height including margins.
    """

    rects: list[QtCore.QRectF]
    line_tops: list[float]
    line_first_token: list[int]
    height: float
    width: float = 0.0
    geometry: Geometry | None = None
    xs: list[float] = field(default_factory=list)  #: token left edges (same as rects[i].x())
    ws: list[float] = field(default_factory=list)  #: token widths
    line_of: list[int] = field(default_factory=list)  #: line index of each token

    def __len__(self) -> int:
        return len(self.rects)

    @property
    def n_lines(self) -> int:
        return len(self.line_tops)

    def line_range(self, line: int) -> tuple[int, int]:
        """Tokens ``[first, end)`` on ``line``."""
        first = self.line_first_token[line]
        end = self.line_first_token[line + 1] if line + 1 < len(self.line_first_token) else len(self.rects)
        return first, end

    def lines_in(self, top: float, bottom: float) -> tuple[int, int]:
        """Lines ``[first, end)`` whose band intersects ``[top, bottom]`` (binary search)."""
        if not self.line_tops:
            return 0, 0
        lh = self.geometry.line_height if self.geometry else 0.0
        slack = 4.0  # selection halos reach a little outside a line's band
        first = bisect_left(self.line_tops, top - lh - slack)
        end = bisect_right(self.line_tops, bottom + slack)
        return first, max(first, end)

    def line_at(self, y: float, *, strict: bool = True) -> int | None:
        """The line whose band (top to next line's top) contains ``y``.

        With ``strict`` a point above the first line, in the caption-free gap after
        the last line, or outside the document returns ``None``; otherwise the
        nearest line.
        """
        if not self.line_tops:
            return None
        k = bisect_right(self.line_tops, y) - 1
        if k < 0:
            if strict and y < self.line_tops[0] - 4:
                return None
            return 0
        if strict and self.geometry is not None and y > self.line_tops[k] + self.geometry.line_height:
            return None  # below the last line or inside a paragraph gap
        return k

    def token_at(self, x: float, y: float, *, strict: bool = True) -> int | None:
        """Token under the point ``(x, y)``: line by binary search on tops, then on x.

        A point in the gap between two tokens goes to the nearer one. With
        ``strict`` a point beyond either end of a line (more than a chip's padding
        away) returns ``None``; otherwise the nearest token of the nearest line.
        """
        k = self.line_at(y, strict=strict)
        if k is None:
            return None
        first, end = self.line_range(k)
        if first >= end:
            return None
        xs, ws = self.xs, self.ws
        slack = self.geometry.pad_x + 1 if self.geometry else 3.0
        i = bisect_right(xs, x, first, end) - 1
        if i < first:
            if strict and x < xs[first] - slack:
                return None
            return first
        if x <= xs[i] + ws[i]:
            return i
        if i + 1 < end:
            # in the gap between i and i+1: nearer edge wins
            return i if (x - (xs[i] + ws[i])) <= (xs[i + 1] - x) else i + 1
        if strict and x > xs[i] + ws[i] + slack:
            return None
        return i

    def nearest_on_line(self, line: int, x: float) -> int:
        """Token on ``line`` whose centre is nearest to ``x`` (for Up/Down keys)."""
        first, end = self.line_range(line)
        best, dist = first, float("inf")
        i = max(first, bisect_right(self.xs, x, first, end) - 1)
        for j in (i - 1, i, i + 1):
            if first <= j < end:
                d = abs(self.xs[j] + self.ws[j] / 2 - x)
                if d < dist:
                    best, dist = j, d
        return best


def _gap_kind(text: str, prev_end: int, start: int) -> int:
    """0 = tokens touch, 1 = whitespace, 2 = newline, 3+ = blank line(s) (2 + extra newlines)."""
    if start <= prev_end:
        return 0
    between = text[prev_end:start]
    n = between.count("\n")
    if n == 0:
        return 1
    return 1 + n


def layout_tokens(
    text: str,
    tokens: Sequence[tuple[int, int]],
    fm: QtGui.QFontMetricsF,
    width: float,
    *,
    geometry: Geometry | None = None,
    groups: Sequence[tuple[int, int, float]] = (),
    width_cache: dict[str, float] | None = None,
    max_glue_rewind: int = 8,
) -> Layout:
    """Lay the tokens out in lines no wider than ``width`` and return a :class:`Layout`.

    ``groups`` are ``(token_start, token_end, min_width)`` of entity chips: the gap
    before and after a group is at least ``geometry.edge_gap``, and a group that
    sits on one line is widened to ``min_width`` (its caption). ``width_cache``
    maps token strings to advances and may be shared between calls with the same
    font.
    """
    g = geometry or Geometry.for_fonts(fm)
    cache = width_cache if width_cache is not None else {}
    n = len(tokens)
    left = g.margin_left
    right_limit = max(left + 1.0, width - g.margin_right)
    lh = g.line_height
    pad_y = g.pad_y
    th = g.text_height
    word_gap = g.word_gap
    edge_gap = g.edge_gap

    # gaps forced by chip edges, and the groups whose width must reach their caption
    min_gap_before: dict[int, float] = {}
    group_end: dict[int, tuple[int, float]] = {}
    for ts, te, min_w in groups:
        if not (0 <= ts < te <= n):
            continue
        min_gap_before[ts] = edge_gap
        if te < n:
            min_gap_before[te] = edge_gap
        if min_w > 0:
            group_end[te - 1] = (ts, min_w)

    xs = [0.0] * n
    ws = [0.0] * n
    line_of = [0] * n
    line_tops: list[float] = []
    line_first: list[int] = []
    measure = fm.horizontalAdvance

    y = g.margin_top
    x = left
    line = -1
    run_start = 0  # first token of the current glued run on this line
    rewound_at = -1  # token before which we already rewound (never twice)
    prev_end = 0
    i = 0
    while i < n:
        s, e = tokens[i]
        tok = text[s:e]
        w = cache.get(tok)
        if w is None:
            w = measure(tok)
            cache[tok] = w
        if i == 0:
            kind = 2
        else:
            kind = _gap_kind(text, prev_end, s)
        if kind >= 2:
            if line >= 0:
                y += lh + (g.paragraph_gap if kind >= 3 else 0.0)
            line += 1
            line_tops.append(y)
            line_first.append(i)
            x = left
            run_start = i
        else:
            gap = word_gap if kind == 1 else 0.0
            mg = min_gap_before.get(i)
            if mg is not None and gap < mg:
                gap = mg
            if kind == 1:
                run_start = i
            if x + gap + w > right_limit and i > line_first[-1]:
                # wrap; keep a short glued run ("U.S." / "view" ".") together
                if (
                    kind == 0
                    and run_start > line_first[-1]
                    and i - run_start <= max_glue_rewind
                    and rewound_at != run_start
                ):
                    rewound_at = run_start
                    i = run_start
                    s, e = tokens[i]
                    tok = text[s:e]
                    w = cache[tok]
                y += lh
                line += 1
                line_tops.append(y)
                line_first.append(i)
                x = left
                run_start = i
            else:
                x += gap
        xs[i] = x
        ws[i] = w
        line_of[i] = line
        x += w
        ge = group_end.get(i)
        if ge is not None:
            ts, min_w = ge
            if line_of[ts] == line and ts <= i:
                have = x - xs[ts]
                if have < min_w:
                    x += min_w - have
        prev_end = e
        i += 1

    height = (y + lh if n else g.margin_top) + g.margin_bottom
    rect = QtCore.QRectF
    rects = [rect(xs[k], line_tops[line_of[k]] + pad_y, ws[k], th) for k in range(n)]
    return Layout(
        rects=rects,
        line_tops=line_tops,
        line_first_token=line_first,
        height=height,
        width=width,
        geometry=g,
        xs=xs,
        ws=ws,
        line_of=line_of,
    )
