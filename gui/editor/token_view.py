"""The click-to-label token view: the heart of the annotation editor.

A custom-painted widget (not a text edit) that shows one document as wrapped
tokens and its entity spans as tinted chips with the label name underneath. Every
action is one gesture or one key, tokens snap, and every edit is saved at once
through undoable commands (:mod:`gui.editor.commands`).

Mouse
    click a token: label it with the active label · click inside an entity: select
    it · drag across tokens, or shift-click: one entity over the range · right-click
    an entity: Relabel as ▸ / Remove.
Keys
    label hotkeys: make that label active (and relabel the selected entity, or label
    a multi-token keyboard selection) · ←/→ move the token cursor, ↑/↓ to the
    nearest token on the line above/below, Shift extends · Enter: label the cursor
    selection · Delete/Backspace: remove the selected entity · Esc: clear the
    selection · Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y): undo / redo.

The view is meant to sit in a :class:`QScrollArea` with ``widgetResizable`` on: its
width follows the viewport and it sets its own minimum height from the layout.
Painting touches only the lines inside the exposed rectangle (binary search on line
tops), so documents of many thousands of tokens stay smooth.
"""
from __future__ import annotations

import math
from bisect import bisect_right

from engine.errors import ProjectError
from engine.store import Document, Label, Project, Span
from gui.editor.commands import (
    AcceptSuggestionsCommand,
    ApplySpanCommand,
    RejectSuggestionCommand,
    RemoveSpanCommand,
)
from gui.editor.layout import Geometry, Layout, gap_kinds, layout_tokens
from gui.label_style import contrast, mix
from gui.qt import QtCore, QtGui, QtWidgets, Qt, Signal

_NO_LABEL_TIP = QtCore.QT_TRANSLATE_NOOP(
    "TokenView", "Pick a label first: press its key (1, 2, …) or choose it in the label bar.")


class _LabelStyle:
    """Pens and brushes of one label, derived for the current palette."""

    __slots__ = ("label", "color", "fill", "fill_model", "border", "border_model", "border_selected", "caption", "key")

    def __init__(self, label: Label, base: QtGui.QColor, text: QtGui.QColor):
        self.label = label
        c = QtGui.QColor(label.color)
        if not c.isValid():
            c = QtGui.QColor("#888888")
        self.color = c
        dark = base.lightnessF() < 0.5
        fill = QtGui.QColor(c)
        fill.setAlphaF(0.30 if dark else 0.25)
        self.fill = QtGui.QBrush(fill)
        fm = QtGui.QColor(c)
        fm.setAlphaF(0.12)
        self.fill_model = QtGui.QBrush(fm)
        self.border = QtGui.QPen(c, 1.5)
        self.border.setJoinStyle(Qt.RoundJoin)
        self.border_model = QtGui.QPen(c, 1.5, Qt.CustomDashLine)
        self.border_model.setDashPattern([3.0, 2.5])
        self.border_model.setJoinStyle(Qt.RoundJoin)
        self.border_selected = QtGui.QPen(c, 2.75)
        self.border_selected.setJoinStyle(Qt.RoundJoin)
        # caption: the label colour pulled towards the text colour until it reads well
        cap = QtGui.QColor(c)
        t = 0.0
        while contrast(cap, base) < 4.5 and t < 1.0:
            t += 0.1
            cap = mix(c, text, t)
        self.caption = cap
        self.key = (label.hotkey or "").strip()


class TokenView(QtWidgets.QWidget):
    """Shows one document as tokens and entity chips; click or type to label.

    Signals:
        spansChanged(int doc_id): spans of a document changed (an edit, undo or redo).
        activeLabelChanged(int label_id): the active label changed (``-1`` for none).
        selectionChanged(): the selected entity or the token cursor changed.
        statusMessage(str): a hint for the status bar (also sent as a status tip).
        categoryKeyPressed(int label_id): the hotkey of a document category was pressed
            (the window gives the document that category, see ``gui.category_bar``).
    """

    spansChanged = Signal(int)
    activeLabelChanged = Signal(int)
    selectionChanged = Signal()
    statusMessage = Signal(str)
    categoryKeyPressed = Signal(int)

    def __init__(
        self,
        project: Project,
        undo_stack: QtGui.QUndoStack,
        parent: QtWidgets.QWidget | None = None,
        *,
        shortcuts: bool = True,
    ):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(self.tr("Document"))
        self.setAccessibleDescription(self.tr(
            "Click a word to label it, drag or shift-click for several words; "
            "number and letter keys pick labels; Delete removes the selected entity."
        ))
        self.setAttribute(Qt.WA_OpaquePaintEvent, True)
        self.setBackgroundRole(QtGui.QPalette.Base)
        self.setAutoFillBackground(False)
        self.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Preferred)
        font = QtGui.QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        else:
            font.setPixelSize(round(font.pixelSize() * 1.2))
        self.setFont(font)

        self._doc: Document | None = None
        self._tok_text: list[str] = []
        self._gaps: list[int] = []
        self._spans: list[Span] = []
        self._span_starts: list[int] = []
        self._span_ends: list[int] = []
        self._span_at: list[int] = []
        self._labels: dict[int, Label] = {}
        self._styles: dict[int, _LabelStyle] = {}
        self._hotkeys: dict[str, int] = {}
        self._category_keys: dict[str, int] = {}  # hotkeys of document categories (categoryKeyPressed)
        self._active: int | None = None
        self._selected: int | None = None  # span id
        self._anchor = 0
        self._pos = 0
        self._anchor_set = False  # has the user put the cursor anywhere yet (for shift-click)?
        self._cursor_shown = False
        self._pending = False  # a click/drag without a label: the next label key applies it
        self._press_token: int | None = None
        self._press_point = QtCore.QPointF()
        self._press_shift = False
        self._dragging = False
        self._drag_range: tuple[int, int] | None = None
        self._hover: int | None = None
        self._layout: Layout | None = None
        self._layout_width = -1.0
        self._doc_width: float | None = None
        self._width_cache: dict[str, float] = {}
        self._caption_width_cache: dict[str, float] = {}
        self.last_status = ""
        self._min_score = 0.0  # suggestions scored lower are hidden
        self._update_fonts()
        self._update_colors()
        self.reload_labels()

        self.undo_action = undo_stack.createUndoAction(self, self.tr("Undo"))
        self.redo_action = undo_stack.createRedoAction(self, self.tr("Redo"))
        if shortcuts:
            self.undo_action.setShortcuts(QtGui.QKeySequence.keyBindings(QtGui.QKeySequence.Undo))
            redo_keys = list(QtGui.QKeySequence.keyBindings(QtGui.QKeySequence.Redo))
            for extra in ("Ctrl+Shift+Z", "Ctrl+Y"):
                ks = QtGui.QKeySequence(extra)
                if ks not in redo_keys:
                    redo_keys.append(ks)
            self.redo_action.setShortcuts(redo_keys)
            for a in (self.undo_action, self.redo_action):
                a.setShortcutContext(Qt.WidgetWithChildrenShortcut)
                self.addAction(a)

    # ------------------------------------------------------------------ public API

    def document_id(self) -> int | None:
        """Id of the document shown, or ``None``."""
        return self._doc.id if self._doc is not None else None

    def set_document(self, doc_id: int | None) -> None:
        """Show a document (``None`` clears the view); resets selection and cursor."""
        doc = None
        if doc_id is not None:
            try:
                doc = self.project.document(doc_id)
            except ProjectError:
                doc = None
        self._doc = doc
        text = doc.text if doc is not None else ""
        self._tok_text = [text[s:e] for s, e in doc.tokens] if doc is not None else []
        self._gaps = gap_kinds(text, doc.tokens) if doc is not None else []
        self._selected = None
        self._anchor = self._pos = 0
        self._anchor_set = False
        self._cursor_shown = False
        self._pending = False
        self._cancel_drag()
        self._hover = None
        self._load_spans()
        self._relayout(force=True)
        self._scroll_to(QtCore.QRectF(0, 0, 1, 1))
        self.update()
        self.selectionChanged.emit()

    def refresh(self) -> None:
        """Re-read the spans of the shown document (after an outside change, e.g. model suggestions)."""
        if self._doc is None:
            return
        self._reload_spans_and_layout()

    def set_min_score(self, score: float) -> None:
        """Hide model suggestions scored below ``score`` (0..1)."""
        if score != self._min_score:
            self._min_score = score
            self.refresh()

    def min_score(self) -> float:
        """Suggestions scored below this are hidden."""
        return self._min_score

    def suggestions(self) -> list[Span]:
        """The model suggestions shown (above the threshold), in text order."""
        return [s for s in self._spans if s.source == "model"]

    def accept_suggestion(self, span: Span | None = None) -> bool:
        """Accept ``span``, or the suggestion that is selected, under the cursor or next
        after it (undoable); then select the next suggestion. ``False`` when there is none."""
        if span is None:
            span = self._suggestion_at_cursor(forward=True)
        if span is None or span.source != "model":
            self.statusMessage.emit(self.tr("No suggestion to accept here."))
            return False
        self.undo_stack.push(AcceptSuggestionsCommand(self.project, [span], self._after_edit,
                                                      preview=self._span_words(span)))
        self._select_after(span)
        return True

    def accept_all_suggestions(self) -> int:
        """Accept every suggestion shown in the document (one undo step); return how many."""
        shown = self.suggestions()
        if shown:
            self.undo_stack.push(AcceptSuggestionsCommand(self.project, shown, self._after_edit))
            self.statusMessage.emit(self.tr("Accepted 1 suggestion.") if len(shown) == 1
                                    else self.tr("Accepted {n} suggestions.").format(n=len(shown)))
        return len(shown)

    def reject_suggestion(self, span: Span | None = None) -> bool:
        """Reject ``span`` or the suggestion selected / under the cursor (undoable); it does
        not come back. Then select the next suggestion. ``False`` when there is none."""
        if span is None:
            span = self._suggestion_at_cursor(forward=False)
        if span is None or span.source != "model":
            return False
        self.undo_stack.push(RejectSuggestionCommand(self.project, span, self._after_edit,
                                                     preview=self._span_words(span)))
        self._select_after(span)
        return True

    def select_next_suggestion(self, backwards: bool = False) -> bool:
        """Select the next (or previous) suggestion after the selection or cursor, wrapping
        around; ``False`` when the document shows none."""
        shown = self.suggestions()
        if not shown:
            return False
        sel = self.selected_span()
        here = sel.token_start if sel is not None else (self._pos if self._anchor_set else -1)
        if backwards:
            before = [s for s in shown if s.token_start < here]
            target = before[-1] if before else shown[-1]
        else:
            after = [s for s in shown if s.token_start > here]
            target = after[0] if after else shown[0]
        self.select_span(target.id)
        self._pos = self._anchor = target.token_start
        self._anchor_set = True
        return True

    def _suggestion_at_cursor(self, *, forward: bool) -> Span | None:
        sel = self.selected_span()
        if sel is not None:
            if sel.source == "model":
                return sel
            if not forward:
                return None
            return next((s for s in self.suggestions() if s.token_start >= sel.token_end), None)
        sp = self._span_at_token(self._pos if self._anchor_set else None)
        if sp is not None and sp.source == "model":
            return sp
        if forward:
            start = self._pos if self._anchor_set else -1
            return next((s for s in self.suggestions() if s.token_start >= start), None)
        return None

    def _select_after(self, span: Span) -> None:
        """After accepting or rejecting ``span``: select the next suggestion, if any."""
        after = [s for s in self.suggestions() if s.token_start >= span.token_end and s.id != span.id]
        if after:
            self.select_span(after[0].id)
            self._pos = self._anchor = after[0].token_start
        else:
            self._selected = None
            self._pos = self._anchor = max(0, span.token_end - 1)
            self.selectionChanged.emit()
            self.update()

    def set_active_label(self, label_id: int | None) -> None:
        """Make ``label_id`` the label that clicks apply (``None`` for none)."""
        if label_id is not None and label_id not in self._labels:
            self.reload_labels()
            if label_id not in self._labels:
                label_id = None
        if label_id == self._active:
            return
        self._active = label_id
        self.update()
        self.activeLabelChanged.emit(-1 if label_id is None else label_id)

    def press_label(self, label_id: int) -> None:
        """Do what the label's hotkey does: relabel the selected entity, label the
        pending or cursor range, or else make ``label_id`` the active label."""
        self._on_hotkey(label_id)

    def active_label(self) -> int | None:
        """Id of the active label, or ``None``."""
        return self._active

    def reload_labels(self) -> None:
        """Re-read labels (names, colours, hotkeys) from the project and repaint."""
        labels = self.project.labels(kind="entity")
        self._labels = {l.id: l for l in labels}
        self._hotkeys = {}
        for l in labels:
            k = (l.hotkey or "").strip().lower()
            if len(k) == 1 and k not in self._hotkeys:
                self._hotkeys[k] = l.id
        self._category_keys = {}
        for l in self.project.labels(kind="category"):
            k = (l.hotkey or "").strip().lower()
            if len(k) == 1 and k not in self._hotkeys and k not in self._category_keys:
                self._category_keys[k] = l.id
        self._caption_width_cache.clear()
        self._update_colors()
        if self._active is not None and self._active not in self._labels:
            self._active = None
            self.activeLabelChanged.emit(-1)
        if self._doc is not None:
            self._load_spans()
            self._relayout(force=True)
        self.update()

    def token_rect(self, index: int) -> QtCore.QRectF:
        """The box of token ``index``'s text, in widget coordinates."""
        if self._layout is None or not (0 <= index < len(self._layout)):
            return QtCore.QRectF()
        return self._layout.rect(index)

    def token_at(self, pos: QtCore.QPointF | QtCore.QPoint, *, strict: bool = True) -> int | None:
        """Token under a widget point, or ``None`` (see :meth:`Layout.token_at`)."""
        if self._layout is None:
            return None
        return self._layout.token_at(float(pos.x()), float(pos.y()), strict=strict)

    def text_layout(self) -> Layout | None:
        """The current :class:`Layout` (read-only)."""
        return self._layout

    def spans(self) -> list[Span]:
        """Spans of the shown document, by position."""
        return list(self._spans)

    def selected_span(self) -> Span | None:
        """The selected entity, or ``None``."""
        return self._span_by_id(self._selected) if self._selected is not None else None

    def select_span(self, span_id: int | None) -> None:
        """Select an entity of the shown document (``None`` clears)."""
        sp = self._span_by_id(span_id) if span_id is not None else None
        self._selected = sp.id if sp else None
        if sp:
            self._anchor, self._pos = sp.token_start, sp.token_end - 1
            self._anchor_set = True
            self._scroll_to(self._range_rect(sp.token_start, sp.token_end))
        self.update()
        self.selectionChanged.emit()

    def cursor(self) -> tuple[int, int]:
        """The token-cursor selection ``[first, last+1)`` (empty for an empty document)."""
        if not self._tok_text:
            return (0, 0)
        a, b = sorted((self._anchor, self._pos))
        return (a, b + 1)

    def set_cursor(self, first: int, last_plus_one: int | None = None) -> None:
        """Put the token cursor on ``[first, last_plus_one)`` (one token by default)."""
        n = len(self._tok_text)
        if not n:
            return
        end = first + 1 if last_plus_one is None else last_plus_one
        self._anchor = max(0, min(first, n - 1))
        self._pos = max(0, min(end - 1, n - 1))
        self._anchor_set = True
        self._cursor_shown = True
        self.update()
        self.selectionChanged.emit()

    def setDocumentWidth(self, width: float) -> None:  # noqa: N802 (Qt naming)
        """Lay out for ``width`` px and resize to it (for a scroll area without ``widgetResizable``)."""
        self._doc_width = float(width)
        self._relayout(force=True)
        self.resize(int(width), self._wanted_height())

    def apply_label(self, token_start: int, token_end: int, label_id: int | None = None) -> bool:
        """Label tokens ``[token_start, token_end)`` (undoable); ``False`` if nothing was done."""
        label_id = self._active if label_id is None else label_id
        if self._doc is None or not self._tok_text:
            return False
        if label_id is None:
            self._tip(self.tr(_NO_LABEL_TIP))
            return False
        if label_id not in self._labels:
            return False
        n = len(self._tok_text)
        token_start = max(0, min(token_start, n - 1))
        token_end = max(token_start + 1, min(token_end, n))
        same = [s for s in self._spans if s.token_start == token_start and s.token_end == token_end]
        if same and same[0].label_id == label_id and same[0].source == "human":
            return False  # already exactly so
        self.undo_stack.push(
            ApplySpanCommand(
                self.project, self._doc.id, token_start, token_end, label_id, self._after_edit,
                preview=self._words(token_start, token_end),
            )
        )
        return True

    def remove_span(self, span: Span) -> None:
        """Remove an entity (undoable)."""
        self.undo_stack.push(RemoveSpanCommand(self.project, span, self._after_edit, preview=self._span_words(span)))

    def relabel_span(self, span: Span, label_id: int) -> None:
        """Give an entity another label (undoable); it stays selected."""
        if span.label_id == label_id and span.source == "human":
            return
        was_selected = self._selected == span.id
        self.undo_stack.push(
            ApplySpanCommand(
                self.project, span.doc_id, span.token_start, span.token_end, label_id, self._after_edit,
                preview=self._span_words(span),
            )
        )
        if was_selected:
            new = next(
                (s for s in self._spans if (s.token_start, s.token_end) == (span.token_start, span.token_end)), None
            )
            self._selected = new.id if new else None
            self.selectionChanged.emit()
            self.update()

    def context_menu_for(self, span: Span) -> QtWidgets.QMenu:
        """The right-click menu of an entity: Relabel as ▸ <labels>, Accept (suggestions), Remove."""
        menu = QtWidgets.QMenu(self)
        sub = menu.addMenu(self.tr("Relabel as"))
        for lab in self._labels.values():
            text = lab.name + (f"\t{lab.hotkey}" if lab.hotkey else "")
            act = sub.addAction(self._swatch(lab.color), text)
            act.setData(lab.id)
            if lab.id == span.label_id and span.source == "human":
                act.setEnabled(False)
            act.triggered.connect(lambda _=False, lid=lab.id, sp=span: self.relabel_span(sp, lid))
        if span.source == "model":
            acc = menu.addAction(self.tr("Accept suggestion\tEnter"))
            acc.triggered.connect(lambda _=False, sp=span: self.relabel_span(sp, sp.label_id))
        menu.addSeparator()
        rm = menu.addAction(self.tr("Remove\tDel"))
        rm.triggered.connect(lambda _=False, sp=span: self.remove_span(sp))
        return menu

    # ------------------------------------------------------------------ model

    def _load_spans(self) -> None:
        n = len(self._tok_text)
        self._span_at = [-1] * n
        if self._doc is None:
            self._spans = []
        else:
            lo = self._min_score
            self._spans = sorted((s for s in self.project.spans(self._doc.id)
                                  if s.source != "model" or s.score is None or s.score >= lo),
                                 key=lambda s: (s.token_start, s.token_end))
        self._span_starts = [s.token_start for s in self._spans]
        self._span_ends = [s.token_end for s in self._spans]
        at = self._span_at
        for k, s in enumerate(self._spans):
            for t in range(max(0, s.token_start), min(n, s.token_end)):
                at[t] = k

    def _words(self, token_start: int, token_end: int) -> str | None:
        doc = self._doc
        if doc is None or not (0 <= token_start < token_end <= len(doc.tokens)):
            return None
        return doc.text[doc.tokens[token_start][0] : doc.tokens[token_end - 1][1]]

    def _span_words(self, span: Span) -> str | None:
        doc = self._doc
        if doc is None or span.doc_id != doc.id:
            return None
        return doc.text[span.start : span.end]

    def _span_by_id(self, span_id: int | None) -> Span | None:
        for s in self._spans:
            if s.id == span_id:
                return s
        return None

    def _span_at_token(self, t: int | None) -> Span | None:
        if t is None or not (0 <= t < len(self._span_at)):
            return None
        k = self._span_at[t]
        return self._spans[k] if k >= 0 else None

    def _after_edit(self, doc_id: int) -> None:
        """Called by commands after every redo and undo."""
        if self._doc is not None and doc_id == self._doc.id:
            self._reload_spans_and_layout()
        self.spansChanged.emit(doc_id)

    def _reload_spans_and_layout(self) -> None:
        """Re-read spans; re-lay only the lines around the spans that changed."""
        def key(s: Span):
            return (s.token_start, s.token_end, self._caption_text(s))

        old = {key(s) for s in self._spans}
        self._load_spans()
        new = {key(s) for s in self._spans}
        diff = old ^ new
        if self._selected is not None and self._span_by_id(self._selected) is None:
            self._selected = None
            self.selectionChanged.emit()
        if diff:
            changed = (min(k[0] for k in diff), max(k[1] for k in diff))
            self._relayout(changed=changed)
        self.update()

    # ------------------------------------------------------------------ layout

    def _update_fonts(self) -> None:
        self._fm = QtGui.QFontMetricsF(self.font())
        cap = QtGui.QFont(self.font())
        size = self.font().pointSizeF()
        if size > 0:
            cap.setPointSizeF(max(7.0, size * 0.66))
        else:
            cap.setPixelSize(max(9, round(self.font().pixelSize() * 0.66)))
        cap.setWeight(QtGui.QFont.DemiBold)
        cap.setLetterSpacing(QtGui.QFont.PercentageSpacing, 104)
        self._caption_font = cap
        self._caption_fm = QtGui.QFontMetricsF(cap)
        self._geometry = Geometry.for_fonts(self._fm, self._caption_fm)
        self._width_cache = {}
        self._caption_width_cache = {}

    def _caption_text(self, span: Span) -> str:
        lab = self._labels.get(span.label_id)
        name = lab.name if lab else "?"
        if span.source == "model" and span.score is not None:
            return f"{name} {span.score:.0%}"
        return name

    def _caption_width(self, text: str) -> float:
        w = self._caption_width_cache.get(text)
        if w is None:
            w = self._caption_fm.horizontalAdvance(text)
            self._caption_width_cache[text] = w
        return w

    def _available_width(self) -> float:
        if self._doc_width is not None:
            return self._doc_width
        w = self.width()
        parent = self.parentWidget()
        if isinstance(parent, QtWidgets.QWidget) and parent.objectName() == "qt_scrollarea_viewport":
            w = parent.width()  # the viewport, before the scroll area has resized us
        return float(max(w, 120))

    def _relayout(self, force: bool = False, changed: tuple[int, int] | None = None) -> None:
        """Lay the document out again; ``changed`` (a token range whose spans changed)
        lets the layout redo only the lines around it."""
        width = self._available_width()
        doc = self._doc
        g = self._geometry
        if doc is None:
            self._layout = layout_tokens("", [], self._fm, width, geometry=g)
        else:
            groups = [(s.token_start, s.token_end, self._caption_width(self._caption_text(s))) for s in self._spans]
            self._layout = layout_tokens(
                doc.text,
                doc.tokens,
                self._fm,
                width,
                geometry=g,
                groups=groups,
                width_cache=self._width_cache,
                texts=self._tok_text,
                gaps=self._gaps,
                previous=None if force else self._layout,
                changed=None if force else changed,
            )
        self._layout_width = width
        h = self._wanted_height()
        if self.minimumHeight() != h:
            self.setMinimumHeight(h)
            self.updateGeometry()

    def _wanted_height(self) -> int:
        return int(math.ceil(self._layout.height)) if self._layout else 0

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(640, max(120, self._wanted_height()))

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(160, self._wanted_height())

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._doc_width is None and abs(self._available_width() - self._layout_width) > 0.5:
            self._relayout()
            self.update()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802
        et = event.type()
        if et == QtCore.QEvent.FontChange:
            self._update_fonts()
            if hasattr(self, "_labels"):
                self._relayout(force=True)
            self.update()
        elif et in (QtCore.QEvent.PaletteChange, QtCore.QEvent.StyleChange):
            self._update_colors()
            self.update()
        super().changeEvent(event)

    def _update_colors(self) -> None:
        pal = self.palette()
        base = pal.color(QtGui.QPalette.Base)
        text = pal.color(QtGui.QPalette.Text)
        self._base = base
        self._text_pen = QtGui.QPen(text)
        self._dark = base.lightnessF() < 0.5
        hl = pal.color(QtGui.QPalette.Highlight)
        self._highlight = hl
        halo = QtGui.QColor(hl)
        halo.setAlphaF(0.55)
        self._halo_pen = QtGui.QPen(halo, 2.0)
        cur = QtGui.QPen(hl, 2.0)
        cur.setCapStyle(Qt.FlatCap)
        self._cursor_pen = cur
        hover = QtGui.QColor(text)
        hover.setAlphaF(0.08 if not self._dark else 0.14)
        self._hover_brush = QtGui.QBrush(hover)
        neutral = QtGui.QColor(text)
        neutral.setAlphaF(0.55)
        self._neutral = neutral
        self._styles = {lid: _LabelStyle(l, base, text) for lid, l in getattr(self, "_labels", {}).items()}

    # ------------------------------------------------------------------ geometry helpers

    def _chip_rect(self, a: int, b: int) -> QtCore.QRectF:
        """Chip box around tokens ``a..b`` (inclusive), which are on one line."""
        lay, g = self._layout, self._geometry
        top = lay.line_tops[lay.line_of[a]]
        left = lay.xs[a] - g.pad_x
        right = lay.xs[b] + lay.ws[b] + g.pad_x
        return QtCore.QRectF(left, top, right - left, g.chip_height)

    def _segments(self, ts: int, te: int, line_lo: int = 0, line_hi: int | None = None):
        """Yield ``(first, last, line)`` per line of tokens ``[ts, te)`` within lines ``[lo, hi)``."""
        lay = self._layout
        if lay is None or ts >= te or te > len(lay):
            return
        l0, l1 = lay.line_of[ts], lay.line_of[te - 1]
        hi = lay.n_lines if line_hi is None else line_hi
        for line in range(max(l0, line_lo), min(l1 + 1, hi)):
            first, end = lay.line_range(line)
            yield max(ts, first), min(te, end) - 1, line

    def _range_rect(self, ts: int, te: int) -> QtCore.QRectF:
        r = QtCore.QRectF()
        for a, b, _line in self._segments(ts, te):
            r = r.united(self._chip_rect(a, b))
        if not r.isNull():
            r.setBottom(r.bottom() + self._geometry.caption_height)
        return r

    def _scroll_to(self, rect: QtCore.QRectF) -> None:
        w = self.parentWidget()
        while w is not None:
            if isinstance(w, QtWidgets.QScrollArea):
                if w.widget() is self and not rect.isNull():
                    c = rect.center()
                    w.ensureVisible(
                        int(c.x()), int(c.y()), int(rect.width() / 2 + 24), int(rect.height() / 2 + 24)
                    )
                return
            w = w.parentWidget()

    def _swatch(self, color: str) -> QtGui.QIcon:
        pm = QtGui.QPixmap(14, 14)
        pm.fill(Qt.transparent)
        p = QtGui.QPainter(pm)
        p.setRenderHint(QtGui.QPainter.Antialiasing)
        c = QtGui.QColor(color)
        fill = QtGui.QColor(c)
        fill.setAlphaF(0.35)
        p.setBrush(fill)
        p.setPen(QtGui.QPen(c, 1.5))
        p.drawRoundedRect(QtCore.QRectF(1.5, 1.5, 11, 11), 3, 3)
        p.end()
        return QtGui.QIcon(pm)

    def _tip(self, text: str, at: QtCore.QPointF | None = None) -> None:
        self.last_status = text
        self.statusMessage.emit(text)
        QtWidgets.QApplication.sendEvent(self, QtGui.QStatusTipEvent(text))
        if at is not None and self.isVisible():
            QtWidgets.QToolTip.showText(self.mapToGlobal(at.toPoint()), text, self)

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802
        p = QtGui.QPainter(self)
        rect = event.rect()
        p.fillRect(rect, self._base)
        lay = self._layout
        if lay is None or not len(lay):
            if self._doc is not None:
                p.setPen(self._neutral)
                p.drawText(self.rect(), Qt.AlignCenter, self.tr("This document is empty."))
            p.end()
            return
        p.setRenderHint(QtGui.QPainter.Antialiasing, True)
        p.setRenderHint(QtGui.QPainter.TextAntialiasing, True)
        g = self._geometry
        line_lo, line_hi = lay.lines_in(rect.top(), rect.bottom())
        if line_lo >= line_hi:
            p.end()
            return
        t0 = lay.line_first_token[line_lo]
        t1 = lay.line_first_token[line_hi] if line_hi < lay.n_lines else len(lay)
        radius = min(6.0, g.chip_height * 0.28)

        # hover (under everything)
        if self._hover is not None and not self._dragging and t0 <= self._hover < t1:
            hr = self._chip_rect(self._hover, self._hover)
            p.setPen(Qt.NoPen)
            p.setBrush(self._hover_brush)
            p.drawRoundedRect(hr, radius, radius)

        # entity chips
        selected = self._selected
        captions: list[tuple[int, float, float, str, QtGui.QColor]] = []  # line, left, limit, text, colour
        k = bisect_right(self._span_ends, t0)
        spans = self._spans
        sel_rects: list[tuple[QtCore.QRectF, bool, bool]] = []
        while k < len(spans) and spans[k].token_start < t1:
            sp = spans[k]
            k += 1
            st = self._styles.get(sp.label_id)
            if st is None:
                continue
            model = sp.source == "model"
            is_sel = sp.id == selected
            brush = st.fill_model if model else st.fill
            if is_sel:
                pen = QtGui.QPen(st.border_selected)
                if model:
                    pen.setStyle(Qt.CustomDashLine)
                    pen.setDashPattern([2.5, 1.8])
            else:
                pen = st.border_model if model else st.border
            p.setBrush(brush)
            p.setPen(pen)
            for a, b, line in self._segments(sp.token_start, sp.token_end, line_lo, line_hi):
                r = self._chip_rect(a, b)
                open_l, open_r = a > sp.token_start, b < sp.token_end - 1
                if open_l or open_r:
                    self._draw_open_chip(p, r, radius, open_l, open_r, pen, brush)
                    p.setBrush(brush)
                    p.setPen(pen)
                else:
                    p.drawRoundedRect(r, radius, radius)
                if is_sel:
                    sel_rects.append((r, open_l, open_r))
                if a == sp.token_start:
                    limit = self._layout_width - 4.0
                    if k < len(spans):
                        nxt = spans[k].token_start
                        if nxt < len(lay.line_of) and lay.line_of[nxt] == line:
                            limit = lay.xs[nxt] - g.pad_x - 4.0
                    captions.append((line, r.left() + 1.0, limit, self._caption_text(sp), st.caption))
        if sel_rects:
            for r, open_l, open_r in sel_rects:
                halo = r.adjusted(-3, -3, 3, 3)
                if open_l or open_r:
                    self._draw_open_chip(p, halo, radius + 2.5, open_l, open_r, self._halo_pen, Qt.NoBrush)
                else:
                    p.setBrush(Qt.NoBrush)
                    p.setPen(self._halo_pen)
                    p.drawRoundedRect(halo, radius + 2.5, radius + 2.5)

        # drag / pending preview: the tokens the drag snaps to, in the active label's colour
        preview = self._drag_range if self._dragging else None
        if preview is None and self._pending and self._cursor_shown:
            preview = self.cursor()
        if preview is not None:
            st = self._styles.get(self._active) if self._active is not None else None
            color = QtGui.QColor(st.color) if st else QtGui.QColor(self._highlight)
            fill = QtGui.QColor(color)
            fill.setAlphaF(0.16)
            pen = QtGui.QPen(color, 1.75, Qt.DotLine)
            p.setPen(pen)
            p.setBrush(fill)
            for a, b, _line in self._segments(preview[0], preview[1], line_lo, line_hi):
                p.drawRoundedRect(self._chip_rect(a, b), radius, radius)

        # tokens
        p.setRenderHint(QtGui.QPainter.Antialiasing, False)
        p.setFont(self.font())
        p.setPen(self._text_pen)
        xs, tops, line_of, texts = lay.xs, lay.line_tops, lay.line_of, self._tok_text
        base = g.baseline
        point = QtCore.QPointF
        draw = p.drawText
        for i in range(t0, t1):
            draw(point(xs[i], tops[line_of[i]] + base), texts[i])

        # captions: under the chip, left-aligned; shifted left at the right edge if
        # there is room, elided before the next chip's caption
        if captions:
            p.setRenderHint(QtGui.QPainter.Antialiasing, True)
            p.setFont(self._caption_font)
            fm = self._caption_fm
            prev_line, prev_right = -1, 0.0
            for line, left, limit, text, color in captions:
                if line != prev_line:
                    prev_line, prev_right = line, g.margin_left - g.pad_x
                w = self._caption_width(text)
                if left + w > limit and limit >= self._layout_width - 4.5:
                    left = max(prev_right + 6.0, limit - w)
                avail = limit - left
                if w > avail:
                    text = fm.elidedText(text, Qt.ElideRight, max(avail, fm.horizontalAdvance("…") + 1))
                    w = min(w, avail)
                p.setPen(color)
                p.drawText(QtCore.QRectF(left, tops[line] + g.caption_top, w + 2, g.caption_height), Qt.AlignLeft | Qt.AlignTop, text)
                prev_right = left + w

        # token cursor (keyboard): an underline under the selected tokens
        if self._cursor_shown and not self._pending:
            a, b = self.cursor()
            p.setPen(self._cursor_pen)
            for x0, x1, line in self._segments(a, b, line_lo, line_hi):
                y = tops[line] + g.pad_y + g.text_height + 0.5
                p.drawLine(point(xs[x0] - 1, y), point(xs[x1] + lay.ws[x1] + 1, y))
        p.end()

    @staticmethod
    def _draw_open_chip(p, r: QtCore.QRectF, radius: float, open_l: bool, open_r: bool, pen, brush) -> None:
        """A chip segment of an entity that continues on another line: square, unbordered open ends."""
        L, T, R, B = r.left(), r.top(), r.right(), r.bottom()
        d = 2 * radius
        path = QtGui.QPainterPath()
        if open_l:
            path.moveTo(L, T)
        else:
            path.moveTo(L + radius, T)
        if open_r:
            path.lineTo(R, T)
            path.lineTo(R, B)
        else:
            path.lineTo(R - radius, T)
            path.arcTo(R - d, T, d, d, 90, -90)
            path.lineTo(R, B - radius)
            path.arcTo(R - d, B - d, d, d, 0, -90)
        if open_l:
            path.lineTo(L, B)
        else:
            path.lineTo(L + radius, B)
            path.arcTo(L, B - d, d, d, 270, -90)
            path.lineTo(L, T + radius)
            path.arcTo(L, T, d, d, 180, -90)
        path.closeSubpath()
        p.fillPath(path, QtGui.QBrush(brush))
        p.save()
        clip = r.adjusted(1.5 if open_l else -4, -4, -1.5 if open_r else 4, 4)
        p.setClipRect(clip, Qt.IntersectClip)
        p.strokePath(path, pen)
        p.restore()

    # ------------------------------------------------------------------ mouse

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.LeftButton:
            if event.button() == Qt.RightButton:
                event.accept()  # handled by contextMenuEvent
                return
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.MouseFocusReason)
        pos = event.position()
        t = self.token_at(pos)
        self._press_token = t
        self._press_point = QtCore.QPointF(pos)
        self._press_shift = bool(event.modifiers() & Qt.ShiftModifier)
        self._dragging = False
        self._drag_range = None
        if t is None:
            changed = self._selected is not None or self._cursor_shown
            self._selected = None
            self._cursor_shown = False
            self._pending = False
            if changed:
                self.update()
                self.selectionChanged.emit()
        event.accept()

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if event.buttons() & Qt.LeftButton and self._press_token is not None:
            t = self.token_at(pos, strict=False)
            if t is None:
                return
            if not self._dragging:
                far = (pos - self._press_point).manhattanLength() >= QtWidgets.QApplication.startDragDistance()
                if t == self._press_token and not far:
                    return
                self._dragging = True
                self._set_hover(None)
            rng = (min(t, self._press_token), max(t, self._press_token) + 1)
            if rng != self._drag_range:
                self._drag_range = rng
                self.update()
            self._scroll_to(QtCore.QRectF(pos.x(), pos.y(), 1, 1))
            return
        self._set_hover(self.token_at(pos))

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.LeftButton:
            super().mouseReleaseEvent(event)
            return
        pressed = self._press_token
        self._press_token = None
        if pressed is None:
            self._cancel_drag()
            return
        at = event.position()
        if self._dragging and self._drag_range is not None:
            a, b = self._drag_range
            self._cancel_drag()
            self._label_range(a, b, at)
        elif self._press_shift and self._anchor_set:
            anchor = self._anchor
            self._label_range(min(anchor, pressed), max(anchor, pressed) + 1, at)
        else:
            sp = self._span_at_token(pressed)
            if sp is not None:
                self._pending = False
                self._cursor_shown = False
                self.select_span(sp.id)
            else:
                self._label_range(pressed, pressed + 1, at)
        self._cancel_drag()
        event.accept()

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        # the second click of a double click behaves as a click (selects what the first made)
        self.mousePressEvent(event)

    def leaveEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802
        self._set_hover(None)
        super().leaveEvent(event)

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:  # noqa: N802
        event.accept()
        sp = self._span_at_token(self.token_at(QtCore.QPointF(event.pos())))
        if sp is None:
            return
        self.select_span(sp.id)
        menu = self.context_menu_for(sp)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt naming)
        """Tab / Shift+Tab move between suggestions while the document shows some."""
        if self.suggestions():
            return False  # keyPressEvent gets the Tab
        return super().focusNextPrevChild(next)

    def event(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.ToolTip:
            sp = self._span_at_token(self.token_at(QtCore.QPointF(event.pos())))
            if sp is None:
                QtWidgets.QToolTip.hideText()
                event.ignore()
                return True
            lab = self._labels.get(sp.label_id)
            tip = lab.name if lab else "?"
            if sp.source == "model" and sp.score is not None:
                tip = self.tr("{name} · model suggestion, score {score} (A or Enter accepts, X rejects, "
                              "Tab goes to the next)").format(name=tip, score=f"{sp.score:.0%}")
            elif sp.source == "model":
                tip = self.tr("{name} · model suggestion (A or Enter accepts, X rejects, "
                              "Tab goes to the next)").format(name=tip)
            QtWidgets.QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)

    def _set_hover(self, t: int | None) -> None:
        if t == self._hover:
            return
        old, self._hover = self._hover, t
        lay = self._layout
        for tok in (old, t):
            if tok is not None and lay is not None and tok < len(lay):
                self.update(self._chip_rect(tok, tok).adjusted(-2, -2, 2, 2).toAlignedRect())
        self.setCursor(Qt.PointingHandCursor if t is not None else Qt.ArrowCursor)

    def _cancel_drag(self) -> None:
        if self._dragging or self._drag_range is not None:
            self._dragging = False
            self._drag_range = None
            self.update()

    def _label_range(self, a: int, b: int, at: QtCore.QPointF | None = None) -> None:
        """Label tokens ``[a, b)`` with the active label; without one, remember the range."""
        self._anchor_set = True
        if self._active is None:
            self._anchor, self._pos = a, b - 1
            self._selected = None
            self._pending = True
            self._cursor_shown = True
            self.update()
            self.selectionChanged.emit()
            self._tip(self.tr(_NO_LABEL_TIP), at)
            return
        self._pending = False
        self._cursor_shown = False
        self._selected = None
        self._anchor = self._pos = b - 1
        self.apply_label(a, b)
        self.update()
        self.selectionChanged.emit()

    # ------------------------------------------------------------------ keys

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802
        if event.matches(QtGui.QKeySequence.Undo):
            self.undo_stack.undo()
            return
        if event.matches(QtGui.QKeySequence.Redo) or (
            event.key() in (Qt.Key_Y, Qt.Key_Z)
            and event.modifiers() & Qt.ControlModifier
            and (event.key() == Qt.Key_Y or event.modifiers() & Qt.ShiftModifier)
        ):
            self.undo_stack.redo()
            return
        if self._doc is None or not self._tok_text:
            super().keyPressEvent(event)
            return
        key = event.key()
        mods = event.modifiers()
        shift = bool(mods & Qt.ShiftModifier)
        plain = not (mods & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier))
        n = len(self._tok_text)
        lay = self._layout

        if key in (Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down, Qt.Key_Home, Qt.Key_End) and not (
            mods & (Qt.AltModifier | Qt.MetaModifier)
        ):
            sel = self.selected_span()
            pos = self._pos
            if not self._cursor_shown and sel is None and not self._anchor_set:
                new = 0  # the first arrow shows the cursor at the start
            elif sel is not None and not shift and key == Qt.Key_Left:
                new = max(0, sel.token_start - 1)
            elif sel is not None and not shift and key == Qt.Key_Right:
                new = min(n - 1, sel.token_end)
            elif key == Qt.Key_Left:
                new = max(0, pos - 1)
            elif key == Qt.Key_Right:
                new = min(n - 1, pos + 1)
            elif key in (Qt.Key_Up, Qt.Key_Down):
                line = lay.line_of[pos] + (-1 if key == Qt.Key_Up else 1)
                if 0 <= line < lay.n_lines:
                    new = lay.nearest_on_line(line, lay.xs[pos] + lay.ws[pos] / 2)
                else:
                    new = 0 if key == Qt.Key_Up else n - 1
            elif key == Qt.Key_Home:
                new = 0 if mods & Qt.ControlModifier else lay.line_first_token[lay.line_of[pos]]
            else:
                new = n - 1 if mods & Qt.ControlModifier else lay.line_range(lay.line_of[pos])[1] - 1
            self._pos = new
            if not shift:
                self._anchor = new
            self._anchor_set = True
            self._selected = None
            self._pending = False
            self._cursor_shown = True
            self._scroll_to(self._chip_rect(new, new).adjusted(0, 0, 0, self._geometry.caption_height))
            self.update()
            self.selectionChanged.emit()
            return

        if key in (Qt.Key_Return, Qt.Key_Enter):
            sp = self.selected_span()
            if sp is not None and sp.source == "model" and self._active is None:
                self.accept_suggestion(sp)  # accept the suggestion as it is
                return
            a, b = (sp.token_start, sp.token_end) if sp is not None else self.cursor()
            if self._active is None:
                self._tip(self.tr(_NO_LABEL_TIP), self.token_rect(self._pos).bottomLeft())
                return
            if sp is not None:
                self.relabel_span(sp, self._active)
                return
            self._pending = False
            self.apply_label(a, b)
            self._anchor = self._pos = b - 1
            self.update()
            self.selectionChanged.emit()
            return

        if key == Qt.Key_Escape:
            had = self._selected is not None or self._cursor_shown or self._dragging or self._pending
            self._selected = None
            self._anchor = self._pos
            self._pending = False
            self._cursor_shown = False
            self._press_token = None
            self._cancel_drag()
            if had:
                self.update()
                self.selectionChanged.emit()
            return

        text_key = self._key_char(event)
        if key in (Qt.Key_Tab, Qt.Key_Backtab) and not (mods & (Qt.ControlModifier | Qt.AltModifier)):
            if self.select_next_suggestion(backwards=key == Qt.Key_Backtab or shift):
                return
        if text_key == "a" and "a" not in self._hotkeys and not (mods & (Qt.ControlModifier | Qt.AltModifier
                                                                           | Qt.MetaModifier)):
            if shift:
                self.accept_all_suggestions()
            else:
                self.accept_suggestion()
            return
        if plain and text_key == "x" and "x" not in self._hotkeys:
            sel = self.selected_span()
            if (sel is None or sel.source == "model") and self.reject_suggestion():
                return
        if key in (Qt.Key_Delete, Qt.Key_Backspace) or (plain and text_key == "x" and "x" not in self._hotkeys):
            sel = self.selected_span()
            if sel is not None and sel.source == "model":
                self.reject_suggestion(sel)
                return
            self._delete_selection()
            return

        if plain and text_key is not None and text_key in self._hotkeys:
            self._on_hotkey(self._hotkeys[text_key])
            return
        if plain and text_key is not None and text_key in self._category_keys:
            self.categoryKeyPressed.emit(self._category_keys[text_key])
            return

        super().keyPressEvent(event)

    @staticmethod
    def _key_char(event: QtGui.QKeyEvent) -> str | None:
        key = event.key()
        if Qt.Key_0 <= key <= Qt.Key_9:
            return chr(ord("0") + key - Qt.Key_0)
        if Qt.Key_A <= key <= Qt.Key_Z:
            return chr(ord("a") + key - Qt.Key_A)
        t = event.text()
        return t.lower() if len(t) == 1 and t.isprintable() else None

    def _on_hotkey(self, label_id: int) -> None:
        self.set_active_label(label_id)
        sp = self.selected_span()
        if sp is not None:
            self.relabel_span(sp, label_id)
            return
        a, b = self.cursor()
        if self._pending or (self._cursor_shown and b - a > 1):
            self._pending = False
            self._cursor_shown = False
            self.apply_label(a, b, label_id)
            self._anchor = self._pos = b - 1
            self.update()
            self.selectionChanged.emit()

    def _delete_selection(self) -> None:
        sp = self.selected_span()
        if sp is not None:
            self.remove_span(sp)
            return
        if not self._cursor_shown:
            return
        a, b = self.cursor()
        victims = [s for s in self._spans if s.token_start < b and s.token_end > a]
        if not victims:
            return
        if len(victims) == 1:
            self.remove_span(victims[0])
            return
        self.undo_stack.beginMacro(self.tr("Remove {n} entities").format(n=len(victims)))
        for s in victims:
            self.undo_stack.push(RemoveSpanCommand(self.project, s, self._after_edit, preview=self._span_words(s)))
        self.undo_stack.endMacro()
