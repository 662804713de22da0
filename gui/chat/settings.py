"""The system prompt and sampling controls of the chat pane.

:meth:`ChatSettings.generation_kwargs` returns the keyword arguments of
``engine.chat.generate.GenerationSettings``; :meth:`ChatSettings.to_dict` /
:meth:`ChatSettings.load` store them with a conversation. Every control has a
tooltip in plain words.
"""
from __future__ import annotations

from gui.qt import QtCore, QtGui, QtWidgets, Signal

QUANTIZE_SETTING = "chat/quantize"  # app-wide: "int8" or ""

#: Below this width the controls stack in one column.
NARROW = 440

#: Defaults of the controls (a balanced chat setting, not the engine's greedy default).
DEFAULTS = {"temperature": 0.7, "top_p": 0.9, "top_k": 0, "repetition_penalty": 1.1, "max_new_tokens": 256,
            "seed": None}

TIPS = {
    "system": QtCore.QT_TRANSLATE_NOOP(
        "ChatSettings",
        "Instructions the model reads before the conversation, for example:\n"
        "'You are a careful legal assistant. Answer in plain English and say when you are unsure.'\n"
        "Leave empty to use the model's own default."
    ),
    "temperature": QtCore.QT_TRANSLATE_NOOP(
        "ChatSettings",
        "How adventurous the wording is.\n"
        "0 always picks the most likely next word, so the same question gets the same answer. "
        "0.7 is a good balance; above 1 the model gets creative and less reliable."
    ),
    "top_p": QtCore.QT_TRANSLATE_NOOP(
        "ChatSettings",
        "Only consider the most likely next words that together make up this share of the chances.\n"
        "Lower values give safer, more predictable wording. 1 means no limit."
    ),
    "top_k": QtCore.QT_TRANSLATE_NOOP(
        "ChatSettings",
        "Only consider this many of the most likely next words.\n"
        "Off means no limit; 40 is a common choice."
    ),
    "repetition_penalty": QtCore.QT_TRANSLATE_NOOP(
        "ChatSettings",
        "Discourages repeating words that are already in the conversation.\n"
        "1 is off; 1.1 to 1.3 helps when the model goes round in circles."
    ),
    "max_new_tokens": QtCore.QT_TRANSLATE_NOOP(
        "ChatSettings",
        "The longest reply, in tokens (a token is about three quarters of a word).\n"
        "A reply that reaches it is cut off there."
    ),
    "seed": QtCore.QT_TRANSLATE_NOOP(
        "ChatSettings",
        "Fixes the dice the model rolls when temperature is above 0, so the same settings give "
        "the same reply again.\nRandom gives a different reply each time."
    ),
}


def _spin(lo: float, hi: float, step: float, decimals: int, tip: str, special: str | None = None):
    box = QtWidgets.QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setToolTip(QtCore.QCoreApplication.translate("ChatSettings", tip))
    if special:
        box.setSpecialValueText(special)
    box.setAccelerated(True)
    return box


class ChatSettings(QtWidgets.QWidget):
    """System prompt over a two-column grid of sampling controls.

    Signals: ``changed()`` when any value changes (by the user or by :meth:`load`).
    """

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.system = QtWidgets.QPlainTextEdit()
        self.system.setPlaceholderText(self.tr("System prompt (optional): how the model should behave…"))
        self.system.setToolTip(QtCore.QCoreApplication.translate("ChatSettings", TIPS["system"]))
        self.system.setTabChangesFocus(True)
        fm = self.system.fontMetrics()
        self.system.setFixedHeight(int(fm.lineSpacing() * 3.4 + 10))
        self.temperature = _spin(0.0, 2.0, 0.05, 2, TIPS["temperature"], self.tr("0 (always the likeliest)"))
        self.top_p = _spin(0.05, 1.0, 0.05, 2, TIPS["top_p"])
        self.top_k = QtWidgets.QSpinBox()
        self.top_k.setRange(0, 1000)
        self.top_k.setSpecialValueText(self.tr("Off"))
        self.top_k.setToolTip(QtCore.QCoreApplication.translate("ChatSettings", TIPS["top_k"]))
        self.repetition_penalty = _spin(1.0, 2.0, 0.05, 2, TIPS["repetition_penalty"], self.tr("Off"))
        self.max_new_tokens = QtWidgets.QSpinBox()
        self.max_new_tokens.setRange(1, 8192)
        self.max_new_tokens.setSingleStep(64)
        self.max_new_tokens.setToolTip(QtCore.QCoreApplication.translate("ChatSettings", TIPS["max_new_tokens"]))
        self.max_new_tokens.setAccelerated(True)
        self.seed = QtWidgets.QSpinBox()
        self.seed.setRange(-1, 2**31 - 1)
        self.seed.setSpecialValueText(self.tr("Random"))
        self.seed.setToolTip(QtCore.QCoreApplication.translate("ChatSettings", TIPS["seed"]))
        self.int8 = QtWidgets.QCheckBox(self.tr("Int8 weights"))
        self.int8.setToolTip(self.tr(
            "Keep the model's weights as 8-bit integers: a quarter of the memory, and about 1.5x faster replies on "
            "this kind of processor. Answers can differ slightly from full precision.\n"
            "Applies to every chat model from the next reply on (the model is prepared again once)."))
        self.reset_button = QtWidgets.QPushButton(self.tr("Defaults"))
        self.reset_button.setToolTip(self.tr("Put the sampling controls back to their defaults (the system prompt stays)"))
        self.reset_button.setAutoDefault(False)

        self.grid = grid = QtWidgets.QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        self._pairs = []
        for name, w in ((self.tr("Temperature"), self.temperature), (self.tr("Top-p"), self.top_p),
                        (self.tr("Top-k"), self.top_k), (self.tr("Repetition penalty"), self.repetition_penalty),
                        (self.tr("Max new tokens"), self.max_new_tokens), (self.tr("Seed"), self.seed)):
            lab = QtWidgets.QLabel(name)
            lab.setToolTip(w.toolTip())
            lab.setBuddy(w)
            w.setMinimumWidth(70)
            self._pairs.append((lab, w))
        self._columns = 0
        self._place(2)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.system)
        lay.addLayout(grid)
        foot = QtWidgets.QHBoxLayout()
        hint = QtWidgets.QLabel(self.tr("Hover over a setting to see what it does."))
        hint.setForegroundRole(QtGui.QPalette.PlaceholderText)
        foot.addWidget(hint, 1)
        foot.addWidget(self.int8)
        foot.addWidget(self.reset_button)
        lay.addLayout(foot)

        self.load({})
        self.system.textChanged.connect(self.changed)
        for w in (self.temperature, self.top_p, self.repetition_penalty):
            w.valueChanged.connect(self._on_value)
        for w in (self.top_k, self.max_new_tokens, self.seed):
            w.valueChanged.connect(self._on_value)
        self.reset_button.clicked.connect(self.reset)
        from gui.main_window import settings  # the app's QSettings (imported late: main_window imports us)

        self.int8.setChecked(str(settings().value(QUANTIZE_SETTING, "")) == "int8")
        self.int8.toggled.connect(self._on_int8)

    def quantize(self) -> str | None:
        """``"int8"`` when the Int8 weights box is ticked, else None (for ``ModelCache.set_quantize``)."""
        return "int8" if self.int8.isChecked() else None

    def _on_int8(self, on: bool) -> None:
        """Remember the choice for every pane and window (the pane applies it to its models)."""
        from gui.main_window import settings

        settings().setValue(QUANTIZE_SETTING, "int8" if on else "")

    def _place(self, columns: int) -> None:
        """Lay the controls out in ``columns`` label/field pairs per row (1 in a narrow pane)."""
        if columns == self._columns:
            return
        self._columns = columns
        for lab, w in self._pairs:
            self.grid.removeWidget(lab)
            self.grid.removeWidget(w)
        for i, (lab, w) in enumerate(self._pairs):
            r, c = divmod(i, columns)
            self.grid.addWidget(lab, r, 2 * c)
            self.grid.addWidget(w, r, 2 * c + 1)
        for c in range(4):
            self.grid.setColumnStretch(c, 1 if c % 2 and c < 2 * columns else 0)

    def resizeEvent(self, event) -> None:
        self._place(1 if event.size().width() < NARROW else 2)
        super().resizeEvent(event)

    def _on_value(self, *_):
        self._update_enabled()
        self.changed.emit()

    def _update_enabled(self) -> None:
        sampling = self.temperature.value() > 0
        for w in (self.top_p, self.top_k, self.seed):
            w.setEnabled(sampling)

    def reset(self) -> None:
        """Put the sampling controls back to :data:`DEFAULTS` (the system prompt is kept)."""
        self.load({"system": self.system_prompt()})

    def load(self, values: dict) -> None:
        """Show ``values`` (a dict from :meth:`to_dict`; missing keys take :data:`DEFAULTS`)."""
        v = {**DEFAULTS, **{k: values[k] for k in values if k in DEFAULTS or k == "system"}}
        blocked = [w.blockSignals(True) for w in (self.temperature, self.top_p, self.top_k,
                                                   self.repetition_penalty, self.max_new_tokens, self.seed)]
        try:
            self.temperature.setValue(float(v["temperature"]))
            self.top_p.setValue(float(v["top_p"]))
            self.top_k.setValue(int(v["top_k"] or 0))
            self.repetition_penalty.setValue(float(v["repetition_penalty"]))
            self.max_new_tokens.setValue(int(v["max_new_tokens"]))
            self.seed.setValue(-1 if v["seed"] is None else int(v["seed"]))
        finally:
            for w, b in zip((self.temperature, self.top_p, self.top_k, self.repetition_penalty,
                             self.max_new_tokens, self.seed), blocked):
                w.blockSignals(b)
        if "system" in values and values["system"] != self.system.toPlainText():
            self.system.setPlainText(values["system"] or "")
        self._update_enabled()
        self.changed.emit()

    def system_prompt(self) -> str:
        return self.system.toPlainText().strip()

    def to_dict(self) -> dict:
        """The sampling values (JSON-ready; the system prompt is not included)."""
        seed = self.seed.value()
        return {
            "temperature": round(self.temperature.value(), 4),
            "top_p": round(self.top_p.value(), 4),
            "top_k": self.top_k.value(),
            "repetition_penalty": round(self.repetition_penalty.value(), 4),
            "max_new_tokens": self.max_new_tokens.value(),
            "seed": None if seed < 0 else seed,
        }

    def generation_kwargs(self) -> dict:
        """Keyword arguments of ``engine.chat.generate.GenerationSettings`` for these controls."""
        return dict(self.to_dict())

    def summary(self) -> str:
        """A one-line description of the sampling, e.g. ``temperature 0.7 · top-p 0.9 · max 256``."""
        d = self.to_dict()
        parts = [self.tr("greedy") if d["temperature"] <= 0
                 else self.tr("temperature {value}").format(value=f"{d['temperature']:g}")]
        if d["temperature"] > 0 and d["top_p"] < 1:
            parts.append(self.tr("top-p {value}").format(value=f"{d['top_p']:g}"))
        if d["temperature"] > 0 and d["top_k"]:
            parts.append(self.tr("top-k {value}").format(value=d["top_k"]))
        if d["repetition_penalty"] != 1:
            parts.append(self.tr("repetition {value}").format(value=f"{d['repetition_penalty']:g}"))
        parts.append(self.tr("max {n} tokens").format(n=d["max_new_tokens"]))
        if self.system_prompt():
            parts.append(self.tr("system prompt"))
        return " · ".join(parts)

    def set_values(self, **values) -> None:
        """Set some controls by name (scripts and tests): ``set_values(temperature=0, max_new_tokens=8)``."""
        self.load({**self.to_dict(), "system": self.system.toPlainText(), **values})
