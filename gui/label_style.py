"""Colour arithmetic and small painters shared by the label bar, palette and manager.

Everything here is pure drawing help: WCAG contrast, the tint a label colour gets
on the current palette, a colour swatch icon and a keyboard key-cap. No widget
state, no store access.
"""
from __future__ import annotations

from gui.qt import QtCore, QtGui, Qt

#: Theme bases the label manager checks a colour against (light and dark theme).
LIGHT_BASE = "#ffffff"
DARK_BASE = "#1e1e1e"

#: Below this WCAG contrast against the theme base a label colour (chip border,
#: swatch, tint) fades into the background. The built-in palette's palest colour
#: is 1.53:1 on white, so the default colours never trigger the warning.
MIN_CONTRAST = 1.5


def label_color(value: str | None) -> QtGui.QColor:
    """Return ``value`` as a valid :class:`QColor` (grey when it is missing or invalid)."""
    c = QtGui.QColor(value or "")
    return c if c.isValid() else QtGui.QColor("#888888")


def mix(a: QtGui.QColor, b: QtGui.QColor, t: float) -> QtGui.QColor:
    """Return ``a`` moved a fraction ``t`` of the way towards ``b`` (opaque)."""
    return QtGui.QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def luminance(c: QtGui.QColor) -> float:
    """Return the WCAG relative luminance of ``c`` (0 black … 1 white)."""

    def ch(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())


def contrast(a: QtGui.QColor | str, b: QtGui.QColor | str) -> float:
    """Return the WCAG contrast ratio of two colours (1.0 … 21.0)."""
    la, lb = luminance(QtGui.QColor(a)), luminance(QtGui.QColor(b))
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def is_dark(palette: QtGui.QPalette) -> bool:
    """Return whether ``palette`` is a dark theme (its window colour is dark)."""
    return palette.color(QtGui.QPalette.Window).lightnessF() < 0.5


def readable_on(bg: QtGui.QColor, preferred: QtGui.QColor) -> QtGui.QColor:
    """Return ``preferred`` if it reads on ``bg`` (4.5:1), else black or white, whichever reads better."""
    if contrast(preferred, bg) >= 4.5:
        return QtGui.QColor(preferred)
    black, white = QtGui.QColor("#000000"), QtGui.QColor("#ffffff")
    return black if contrast(black, bg) >= contrast(white, bg) else white


def theme_warning(color: str) -> str | None:
    """Return a plain sentence if ``color`` is hard to see on the light or dark theme, else ``None``.

    The check is the WCAG contrast of the colour against white (light theme) and
    against #1e1e1e (dark theme), with :data:`MIN_CONTRAST` as the limit.
    """
    c = label_color(color)
    light, dark = contrast(c, LIGHT_BASE), contrast(c, DARK_BASE)
    bad_light, bad_dark = light < MIN_CONTRAST, dark < MIN_CONTRAST
    if bad_light and bad_dark:
        template = QtCore.QT_TRANSLATE_NOOP(
            "LabelStyle", "This colour is hard to see on the light theme (contrast {light}:1 against white) and on "
            "the dark theme (contrast {dark}:1 against {base}); {min}:1 or more is needed. "
            "Consider a more saturated colour.")
    elif bad_light:
        template = QtCore.QT_TRANSLATE_NOOP(
            "LabelStyle", "This colour is hard to see on the light theme (contrast {light}:1 against white); "
            "{min}:1 or more is needed. Consider a darker colour.")
    elif bad_dark:
        template = QtCore.QT_TRANSLATE_NOOP(
            "LabelStyle", "This colour is hard to see on the dark theme (contrast {dark}:1 against {base}); "
            "{min}:1 or more is needed. Consider a lighter colour.")
    else:
        return None
    return QtCore.QCoreApplication.translate("LabelStyle", template).format(
        light=f"{light:.1f}", dark=f"{dark:.1f}", base=DARK_BASE, min=f"{MIN_CONTRAST:g}")


def tint(color: QtGui.QColor, base: QtGui.QColor, strength: float) -> QtGui.QColor:
    """Return the opaque colour of ``color`` laid at opacity ``strength`` over ``base``."""
    return mix(base, color, strength)


def swatch_pixmap(color: str, size: int = 14, *, dpr: float = 1.0, round_: bool = False) -> QtGui.QPixmap:
    """Return a small filled swatch of ``color`` with a darker rim (a rounded square or a dot)."""
    pm = QtGui.QPixmap(round(size * dpr), round(size * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.transparent)
    p = QtGui.QPainter(pm)
    p.setRenderHint(QtGui.QPainter.Antialiasing)
    c = label_color(color)
    p.setBrush(c)
    p.setPen(QtGui.QPen(c.darker(135), 1.0))
    r = QtCore.QRectF(1, 1, size - 2, size - 2)
    if round_:
        p.drawEllipse(r)
    else:
        p.drawRoundedRect(r, 3, 3)
    p.end()
    return pm


def swatch_icon(color: str, size: int = 14) -> QtGui.QIcon:
    """Return :func:`swatch_pixmap` as an icon (crisp at 1x and 2x)."""
    icon = QtGui.QIcon()
    for dpr in (1.0, 2.0):
        icon.addPixmap(swatch_pixmap(color, size, dpr=dpr))
    return icon


def keycap_font(base: QtGui.QFont) -> QtGui.QFont:
    """Return the small bold font key-caps are drawn in, derived from ``base``."""
    f = QtGui.QFont(base)
    if f.pointSizeF() > 0:
        f.setPointSizeF(max(7.0, f.pointSizeF() * 0.82))
    else:
        f.setPixelSize(max(9, round(f.pixelSize() * 0.82)))
    f.setBold(True)
    return f


def keycap_size(font: QtGui.QFont, key: str) -> QtCore.QSizeF:
    """Return the size of a key-cap showing ``key`` in ``font`` (see :func:`keycap_font`)."""
    fm = QtGui.QFontMetricsF(font)
    h = fm.height() + 2
    w = max(h, fm.horizontalAdvance(key) + 8)
    return QtCore.QSizeF(w, h)


def draw_keycap(
    p: QtGui.QPainter, rect: QtCore.QRectF, key: str, palette: QtGui.QPalette, font: QtGui.QFont
) -> None:
    """Paint ``key`` as a small keyboard key (raised box with a bottom lip) into ``rect``."""
    dark = is_dark(palette)
    base = palette.color(QtGui.QPalette.Base)
    text = palette.color(QtGui.QPalette.Text)
    face = mix(base, text, 0.10 if dark else 0.0)
    rim = mix(base, text, 0.45 if dark else 0.35)
    p.save()
    p.setRenderHint(QtGui.QPainter.Antialiasing)
    lip = QtCore.QRectF(rect)
    p.setPen(Qt.NoPen)
    p.setBrush(rim)
    p.drawRoundedRect(lip, 3.5, 3.5)
    top = rect.adjusted(1, 1, -1, -2)
    p.setBrush(face)
    p.drawRoundedRect(top, 2.5, 2.5)
    p.setFont(font)
    p.setPen(readable_on(face, text))
    p.drawText(top.adjusted(0, 0, 0, 1), Qt.AlignCenter, key.upper() if key.isalpha() else key)
    p.restore()


def drawn_icon(size: int, draw) -> QtGui.QIcon:
    """Return an icon drawn by ``draw(painter, size)`` at 1x and 2x pixel ratios."""
    icon = QtGui.QIcon()
    for dpr in (1.0, 2.0):
        pm = QtGui.QPixmap(round(size * dpr), round(size * dpr))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.transparent)
        p = QtGui.QPainter(pm)
        p.setRenderHint(QtGui.QPainter.Antialiasing)
        draw(p, size)
        p.end()
        icon.addPixmap(pm)
    return icon
