"""Turn chat messages into what a bubble shows: HTML for the text, colours, the footer line.

Replies are Markdown (rendered by Qt's own Markdown reader, with raw HTML in the
reply shown as text, never interpreted); what the user typed is shown as typed.
"""
from __future__ import annotations

import html

from gui.label_style import is_dark, mix, readable_on
from gui.qt import QtCore, QtGui

_FEATURES = None


def _markdown_features():
    global _FEATURES
    if _FEATURES is None:
        F = QtGui.QTextDocument.MarkdownFeature
        _FEATURES = F.MarkdownDialectGitHub | F.MarkdownNoHTML
    return _FEATURES


def markdown_html(text: str, font: QtGui.QFont | None = None) -> str:
    """Return ``text`` (Markdown, GitHub dialect, raw HTML not interpreted) as Qt rich text."""
    doc = QtGui.QTextDocument()
    if font is not None:
        doc.setDefaultFont(font)
    doc.setMarkdown(text, _markdown_features())
    return doc.toHtml()


def plain_html(text: str) -> str:
    """Return ``text`` as rich text that shows it exactly as typed (line breaks and spaces kept)."""
    return f'<div style="white-space:pre-wrap">{html.escape(text)}</div>'


def bubble_colors(palette: QtGui.QPalette, role: str) -> tuple[QtGui.QColor, QtGui.QColor]:
    """Return ``(background, text)`` of a bubble of ``role`` (``user``, ``assistant``, ``error``,
    ``info``) on ``palette``: readable (4.5:1) in light and dark themes."""
    base = palette.color(QtGui.QPalette.Base)
    text = palette.color(QtGui.QPalette.Text)
    dark = is_dark(palette)
    if role == "user":
        bg = mix(base, palette.color(QtGui.QPalette.Highlight), 0.30 if dark else 0.13)
    elif role == "error":
        bg = mix(base, QtGui.QColor("#d64545"), 0.22 if dark else 0.10)
    elif role == "info":
        bg = mix(base, QtGui.QColor("#3d8b37"), 0.22 if dark else 0.10)
    else:
        bg = mix(base, text, 0.08 if dark else 0.045)
    return bg, readable_on(bg, text)


def muted_color(palette: QtGui.QPalette, bg: QtGui.QColor) -> QtGui.QColor:
    """A quieter text colour for footers that still reads on ``bg`` (4.5:1 when possible)."""
    text = palette.color(QtGui.QPalette.Text)
    c = mix(bg, text, 0.62)
    t = 0.62
    from gui.label_style import contrast

    while contrast(c, bg) < 4.5 and t < 1.0:
        t += 0.06
        c = mix(bg, text, min(t, 1.0))
    return c


def stop_note(details: dict) -> str:
    """Why a reply ended, when it did not end by itself (``""`` otherwise)."""
    by = details.get("stopped_by")
    if details.get("stopped") or by == "cancel":
        return QtCore.QCoreApplication.translate("ChatRender", "stopped")
    if by == "length":
        return QtCore.QCoreApplication.translate("ChatRender", "cut at the length limit")
    return ""


def footer_text(details: dict) -> str:
    """The line under a reply: model, time to first token, speed, tokens, how it ended."""
    return " · ".join(footer_parts(details))


def footer_html(details: dict) -> str:
    """:func:`footer_text` as rich text that wraps only between its parts."""
    return " · ".join(f'<span style="white-space:nowrap">{html.escape(p)}</span>' for p in footer_parts(details))


def footer_parts(details: dict) -> list[str]:
    """The pieces of :func:`footer_text`."""
    parts = []
    if details.get("model"):
        parts.append(str(details["model"]))
    if details.get("weights"):
        parts.append(QtCore.QCoreApplication.translate("ChatRender", "{weights} weights").format(
            weights=details["weights"]))
    if details.get("kernels") is not None:  # a reply decoded on a GPU
        parts.append(QtCore.QCoreApplication.translate("ChatRender", "CUDA kernels") if details["kernels"] else
                     QtCore.QCoreApplication.translate("ChatRender", "CUDA kernels off"))
    ttft = details.get("ttft_ms")
    if ttft is not None:
        parts.append(QtCore.QCoreApplication.translate("ChatRender", "{seconds} s to first token").format(
            seconds=f"{ttft / 1000:.2f}"))
    tps = details.get("tokens_per_s")
    if tps is not None and details.get("tokens", 2) > 1:
        parts.append(QtCore.QCoreApplication.translate("ChatRender", "{speed} tokens/s").format(speed=f"{tps:.1f}"))
    if details.get("tokens") is not None:
        n = details["tokens"]
        parts.append(QtCore.QCoreApplication.translate("ChatRender", "1 token") if n == 1 else
                     QtCore.QCoreApplication.translate("ChatRender", "{n} tokens").format(n=n))
    note = stop_note(details)
    if note:
        parts.append(note)
    return parts


FOOTER_TIP = QtCore.QT_TRANSLATE_NOOP(
    "ChatRender",
    "Which model wrote this reply; how long it took before the first word appeared "
    "(time to first token: mostly reading the conversation); how fast it wrote afterwards "
    "(tokens per second; a token is about three quarters of a word); and how long the reply is."
)
