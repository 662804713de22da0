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
from dataclasses import dataclass
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
    #: room always kept for a caption before the next chip; longer captions are
    #: elided when the next chip follows closely (so adjacent entities stay close)
    min_caption: float = 56.0

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
        return self.chip_height + 2.0

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
            caption_height=cap + 2.0,
            line_gap=max(4.0, round(h * 0.3)),
            paragraph_gap=max(4.0, round(h * 0.5)),
            word_gap=max(space * 1.35, 4.0),
            edge_gap=2 * pad_x + 3.0,
            margin_left=max(12.0, round(h * 0.9)),
            margin_right=max(12.0, round(h * 0.9)),
            margin_top=max(10.0, round(h * 0.7)),
            margin_bottom=max(10.0, round(h * 0.7)),
            min_caption=round(cap * 5.0),
        )


class Layout:
    """Result of :func:`layout_tokens`.

    ``rects[i]`` is the box of token ``i``'s text in widget coordinates;
    line ``k`` starts at ``line_tops[k]`` and holds tokens
    ``line_first_token[k] .. line_first_token[k+1]-1`` (the last line ends at
    ``len(rects)``). ``height`` is the total height including margins.
    ``xs``/``ws``/``line_of`` hold the same boxes as plain numbers (left edge, width,
    line of each token) for fast painting and hit testing; ``rects`` is built from
    them on first use.
    """

    __slots__ = ("line_tops", "line_first_token", "height", "width", "geometry", "xs", "ws", "line_of", "_rects")

    def __init__(
        self,
        line_tops: list[float],
        line_first_token: list[int],
        height: float,
        width: float,
        geometry: Geometry,
        xs: list[float],
        ws: list[float],
        line_of: list[int],
    ):
        self.line_tops = line_tops
        self.line_first_token = line_first_token
        self.height = height
        self.width = width
        self.geometry = geometry
        self.xs = xs
        self.ws = ws
        self.line_of = line_of
        self._rects: list[QtCore.QRectF] | None = None

    @property
    def rects(self) -> list[QtCore.QRectF]:
        if self._rects is None:
            rect = QtCore.QRectF
            tops, line_of, xs, ws = self.line_tops, self.line_of, self.xs, self.ws
            pad_y, th = self.geometry.pad_y, self.geometry.text_height
            self._rects = [rect(xs[k], tops[line_of[k]] + pad_y, ws[k], th) for k in range(len(xs))]
        return self._rects

    def rect(self, i: int) -> QtCore.QRectF:
        """Box of token ``i`` (without building every rect)."""
        g = self.geometry
        return QtCore.QRectF(self.xs[i], self.line_tops[self.line_of[i]] + g.pad_y, self.ws[i], g.text_height)

    def __len__(self) -> int:
        return len(self.xs)

    @property
    def n_lines(self) -> int:
        return len(self.line_tops)

    def line_range(self, line: int) -> tuple[int, int]:
        """Tokens ``[first, end)`` on ``line``."""
        first = self.line_first_token[line]
        end = self.line_first_token[line + 1] if line + 1 < len(self.line_first_token) else len(self.xs)
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


def gap_kinds(text: str, tokens: Sequence[tuple[int, int]]) -> list[int]:
    """What lies before each token: 0 = it touches the previous one, 1 = whitespace,
    2 = a newline, 3 or more = blank line(s) (2 + extra newlines). Token 0 gets 2.

    Depends only on the document, so callers compute it once per document.
    """
    kinds = [2] * len(tokens)
    prev_end = None
    for i, (s, e) in enumerate(tokens):
        if prev_end is not None:
            if s <= prev_end:
                kinds[i] = 0
            else:
                n = text.count("\n", prev_end, s)
                kinds[i] = 1 + n if n else 1
        prev_end = e
    return kinds


def layout_tokens(
    text: str,
    tokens: Sequence[tuple[int, int]],
    fm: QtGui.QFontMetricsF,
    width: float,
    *,
    geometry: Geometry | None = None,
    groups: Sequence[tuple[int, int, float]] = (),
    width_cache: dict[str, float] | None = None,
    texts: Sequence[str] | None = None,
    gaps: Sequence[int] | None = None,
    previous: Layout | None = None,
    changed: tuple[int, int] | None = None,
    max_glue_rewind: int = 8,
) -> Layout:
    """Lay the tokens out in lines no wider than ``width`` and return a :class:`Layout`.

    ``groups`` are ``(token_start, token_end, caption_width)`` of entity chips: the
    gap before and after a group is at least ``geometry.edge_gap``, and a group
    starts right of the caption of the group before it on the same line (captions
    sit under the chip, left-aligned, and may run on under plain words); only
    ``geometry.min_caption`` px of a caption are kept clear when the next chip
    follows at once, the painter elides the rest.

    Speed-ups: ``width_cache`` maps token strings to advances (share it between
    calls with the same font); ``texts`` (the token strings) and ``gaps`` (from
    :func:`gap_kinds`) may be passed precomputed. With ``previous`` (a layout of the
    same document, width and geometry) and ``changed`` (the token range whose
    groups changed), only the lines from the one before ``changed`` on are redone,
    until a line starts at the same token as before: an edit re-lays a few lines,
    not the whole document.
    """
    g = geometry or Geometry.for_fonts(fm)
    cache = width_cache if width_cache is not None else {}
    n = len(tokens)
    if texts is None:
        texts = [text[s:e] for s, e in tokens]
    if gaps is None:
        gaps = gap_kinds(text, tokens)
    left = g.margin_left
    right_limit = max(left + 1.0, width - g.margin_right)
    lh = g.line_height
    word_gap = g.word_gap
    edge_gap = g.edge_gap
    pad_x = g.pad_x
    min_caption = g.min_caption
    cap_gap = pad_x + 4.0
    pgap = g.paragraph_gap

    # gaps forced by chip edges, and the caption width of each group (by first token)
    min_gap_before: dict[int, float] = {}
    caption_of: dict[int, float] = {}
    for ts, te, cap_w in groups:
        if not (0 <= ts < te <= n):
            continue
        min_gap_before[ts] = edge_gap
        if te < n:
            min_gap_before[te] = edge_gap
        caption_of[ts] = cap_w

    start_token = 0
    resync_from = n + 1  # never
    prev_first: list[int] = []
    if (
        previous is not None
        and changed is not None
        and len(previous.xs) == n
        and previous.width == width
        and previous.geometry == g
        and previous.line_tops
    ):
        lo = max(0, min(changed[0], n - 1)) if n else 0
        start_line = max(0, previous.line_of[lo] - 1) if n else 0
        start_token = previous.line_first_token[start_line]
        resync_from = max(changed[1], lo) + 1
        prev_first = previous.line_first_token
        xs = previous.xs[:]
        ws = previous.ws[:]
        line_of = previous.line_of[:]
        line_tops = previous.line_tops[:start_line]
        line_first = previous.line_first_token[:start_line]
        line = start_line - 1
        y = previous.line_tops[start_line] - lh  # the loop adds lh when it opens the line
        if start_token < n and gaps[start_token] >= 3 and start_line > 0:
            y -= pgap
    else:
        xs = [0.0] * n
        ws = [0.0] * n
        line_of = [0] * n
        line_tops = []
        line_first = []
        line = -1
        y = g.margin_top - lh
    measure = fm.horizontalAdvance

    x = left
    run_start = start_token  # first token of the current glued run on this line
    cap_end = -1.0  # right end of the last caption (the part kept clear) on this line
    cap_start = -1  # the group whose caption that is
    rewound_at = -1  # token before which we already rewound (never twice)
    i = start_token
    while i < n:
        tok = texts[i]
        w = cache.get(tok)
        if w is None:
            w = measure(tok)
            cache[tok] = w
        kind = gaps[i]
        if i == start_token:
            kind = max(kind, 2)  # the first token laid out opens a line
        new_line = kind >= 2
        if not new_line:
            gap = word_gap if kind == 1 else 0.0
            mg = min_gap_before.get(i)
            if mg is not None and gap < mg:
                gap = mg
            if kind == 1:
                run_start = i
            if cap_start >= 0 and i in caption_of and x + gap < cap_end + cap_gap:
                gap = cap_end + cap_gap - x
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
                    tok = texts[i]
                    w = cache[tok]
                new_line = True
                kind = 2
            else:
                x += gap
        if new_line:
            line += 1
            y += lh + (pgap if kind >= 3 and line > 0 else 0.0)
            if (
                i >= resync_from
                and line < len(prev_first)
                and prev_first[line] == i
                and abs(previous.line_tops[line] - y) < 0.5
            ):
                # from here on the old layout holds: same lines, same boxes
                line_tops.extend(previous.line_tops[line:])
                line_first.extend(prev_first[line:])
                break
            line_tops.append(y)
            line_first.append(i)
            x = left
            run_start = i
            cap_end = -1.0
            cap_start = -1
        xs[i] = x
        ws[i] = w
        line_of[i] = line
        x += w
        cw = caption_of.get(i)
        if cw is not None:
            cap_start = i
            cap_end = x - w - pad_x + 1.0 + (cw if cw < min_caption else min_caption)
        elif cap_start >= 0:
            # plain words after a chip: its caption may run on under them, in full
            cw0 = caption_of[cap_start]
            chip_left = xs[cap_start] - pad_x
            room = x + pad_x - chip_left
            cap_end = chip_left + 1.0 + min(cw0, max(min_caption, room))
        i += 1

    height = (line_tops[-1] + lh if line_tops else g.margin_top) + g.margin_bottom
    return Layout(line_tops, line_first, height, width, g, xs, ws, line_of)
