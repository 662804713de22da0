"""Label colours and hotkeys assigned to new labels.

The colours are mid-saturation hues that keep black text readable on a light theme
and white-ish text readable on a dark theme (chips draw the label colour as a
tinted background and a solid border). Hotkeys: 1-9 first, then letters that the
editor does not use for its own commands.
"""
from __future__ import annotations

PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
    "#edc948", "#76b7b2", "#ff9da7", "#9c755f", "#8cd17d",
    "#d37295", "#a0cbe8", "#ffbe7d", "#86bcb6", "#f1ce63",
    "#bab0ac", "#499894", "#d4a6c8", "#fabfd2", "#b6992d",
)

#: Hotkeys offered to labels in order. Letters the editor binds itself
#: (s = skip, x = delete or reject, a = accept a suggestion, z = undo with Ctrl) are left out.
HOTKEYS: tuple[str, ...] = tuple("123456789") + tuple("qwertyuiopdfghjklcvbnm")

#: Keys the editor and main window bind themselves; a label cannot take them.
RESERVED_HOTKEYS: frozenset[str] = frozenset("sxa")


def next_color(used: set[str]) -> str:
    """Return the first palette colour not in ``used`` (cycling when all are used)."""
    for c in PALETTE:
        if c not in used:
            return c
    return PALETTE[len(used) % len(PALETTE)]


def next_hotkey(used: set[str]) -> str | None:
    """Return the first free hotkey, or ``None`` when all are taken."""
    for k in HOTKEYS:
        if k not in used:
            return k
    return None
