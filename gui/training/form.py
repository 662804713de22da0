"""The base-model picker and the training settings forms.

:class:`TrainingForm` produces the keyword arguments of ``engine.ner.train.TrainConfig``
(:meth:`TrainingForm.config_kwargs`), :class:`ChatTrainingForm` those of
``engine.chat.sft.SftConfig``; :func:`make_train_config` and :func:`make_sft_config`
build the dataclasses, importing the engine only when called (it pulls in torch).
"""
from __future__ import annotations

from pathlib import Path

from gui.qt import QtCore, QtWidgets, Signal
from gui.training.runs import DEFAULT_CHAT_MODEL_TITLE, DEFAULT_MODEL, DEFAULT_MODEL_TITLE, translated

RECENT_KEY = "training/recent_models"
CHAT_RECENT_KEY = "training/recent_chat_models"
MAX_RECENT = 6
CHOOSE = "__choose__"

#: Learning rates offered in the list; any other number can be typed.
LEARNING_RATES = ("1e-5", "2e-5", "3e-5", "5e-5", "1e-4", "2e-4")

TIPS = {
    "model": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "The model training starts from.\n"
        "The default is small and quick and works for most projects. Choose a folder to start from "
        "another Hugging Face model (for example a model for your language), or from the 'best' folder "
        "of an earlier run to keep teaching it."
    ),
    "epochs": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "How many times training reads all your finished documents.\n"
        "Auto picks a number from how much you have labelled. Training also stops by itself when the "
        "score on the held-out documents stops improving."
    ),
    "batch": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "How many sentences the model learns from at once.\n"
        "Auto picks 8 to 32 from how much you have labelled. Larger is faster on a GPU but needs "
        "more memory: lower it if training stops with an out-of-memory message."
    ),
    "lr": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "How big each learning step is.\n"
        "Auto picks one from how much you have labelled (larger on small projects). Try a smaller value (2e-5) if the loss jumps around or "
        "goes up, a larger one (1e-4) if it falls very slowly."
    ),
    "max_steps": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "Stop after this many steps even if epochs remain.\n"
        "Useful for a quick trial run. 'No limit' lets the epochs decide."
    ),
    "patience": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "Stop early after this many evaluations without a better score.\n"
        "Raise it if training stops too soon on a small project; lower it to save time."
    ),
    "seed": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "Starting point of the random choices (shuffling, initial weights).\n"
        "Keep it fixed to get the same result twice; change it to see how much results vary."
    ),
    "bf16": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "Compute in 16-bit numbers on a GPU that supports it: faster and uses less memory, "
        "with practically the same result.\n"
        "Auto uses it when the GPU supports it. Turn it off if the loss becomes 'nan'."
    ),
}


def _tip(text: str) -> str:
    """One of :data:`TIPS` / :data:`CHAT_TIPS` in the user's language."""
    return QtCore.QCoreApplication.translate("TrainingForm", text)


def settings() -> QtCore.QSettings:
    return QtCore.QSettings("Tessera", "Tessera")


def recent_models(key: str = RECENT_KEY) -> list[str]:
    """Model folders chosen before (most recent first) that still exist."""
    value = settings().value(key) or []
    if isinstance(value, str):
        value = [value]
    return [p for p in value if Path(p).is_dir()]


def remember_model(folder: str, key: str = RECENT_KEY) -> None:
    s = settings()
    old = s.value(key) or []
    if isinstance(old, str):
        old = [old]
    s.setValue(key, [folder, *[p for p in old if p != folder]][:MAX_RECENT])


def looks_like_model(folder: str | Path) -> bool:
    """Whether ``folder`` holds a Hugging Face model (a ``config.json``)."""
    return (Path(folder) / "config.json").is_file()


class ModelPicker(QtWidgets.QComboBox):
    """Default model, recent folders, and "Choose folder…".

    Signals: ``modelChanged(str)`` with ``"default"`` or a folder path.
    """

    modelChanged = Signal(str)

    def __init__(self, parent=None, *, default_title: str = DEFAULT_MODEL_TITLE, recent_key: str = RECENT_KEY,
                 tip: str = TIPS["model"]):
        super().__init__(parent)
        self.default_title = translated(default_title)
        self.recent_key = recent_key
        self.setToolTip(_tip(tip))
        self.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self._last = DEFAULT_MODEL
        self._fill()
        self.activated.connect(self._on_activated)

    def _fill(self, current: str = DEFAULT_MODEL) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(self.default_title, DEFAULT_MODEL)
        folders = recent_models(self.recent_key)
        if current != DEFAULT_MODEL and current not in folders:
            folders.insert(0, current)
        for f in folders:
            self.addItem(Path(f).name or f, f)
            self.setItemData(self.count() - 1, f, QtCore.Qt.ToolTipRole)
        self.insertSeparator(self.count())
        self.addItem(self.tr("Choose folder…"), CHOOSE)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)

    def model(self) -> str:  # noqa: D401 - the chosen base model
        """``"default"`` or the chosen folder."""
        value = self.currentData()
        return self._last if value in (None, CHOOSE) else value

    def set_model(self, value: str) -> None:
        """Select ``value`` (``"default"`` or a folder, added to the list when missing)."""
        self._last = value or DEFAULT_MODEL
        self._fill(self._last)

    def choose_folder(self) -> str | None:
        """Ask for a model folder; return it, or ``None`` when the user cancelled."""
        start = self._last if self._last != DEFAULT_MODEL else str(Path.home())
        return QtWidgets.QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"), start) or None

    def _on_activated(self, index: int) -> None:
        if self.itemData(index) == CHOOSE:
            folder = self.choose_folder()
            if not folder:
                self.set_model(self._last)
                return
            if not looks_like_model(folder):
                QtWidgets.QMessageBox.warning(
                    self, self.tr("Not a model folder"),
                    self.tr("{folder} has no config.json, so it does not look like a Hugging Face model. "
                            "Choose the folder that holds config.json and the weights.").format(folder=folder),
                )
                self.set_model(self._last)
                return
            remember_model(folder, self.recent_key)
            self.set_model(folder)
        else:
            self._last = self.itemData(index)
        self.modelChanged.emit(self._last)


class _SpecialSpin(QtWidgets.QSpinBox):
    """A spin box whose minimum shows a word ("Auto", "No limit")."""

    def __init__(self, special: str, lo: int, hi: int, value: int, step: int = 1):
        super().__init__()
        self.setRange(lo, hi)
        self.setSingleStep(step)
        self.setSpecialValueText(special)
        self.setValue(value)
        self.setAccelerated(True)


def parse_learning_rate(text: str) -> float | None:
    """The learning rate typed as ``text``; ``None`` for empty or "Auto" (in English or translated).

    Raises:
        ValueError: the text is not a positive number below 1.
    """
    text = text.strip()
    if not text or text.lower() == "auto" or text == QtCore.QCoreApplication.translate("LearningRateBox", "Auto"):
        return None
    value = float(text)
    if not (0 < value < 1):
        raise ValueError(text)
    return value


class LearningRateBox(QtWidgets.QComboBox):
    """An editable list of learning rates with "Auto" first; any other number can be typed.

    Signals: ``validityChanged(bool)`` when the text becomes a valid rate or stops being one.
    """

    validityChanged = Signal(bool)

    def __init__(self, rates: tuple[str, ...], tip: str, parent=None):
        super().__init__(parent)
        self.tip = _tip(tip)
        self.setEditable(True)
        self.addItem(self.tr("Auto"))
        self.addItems(rates)
        self.setInsertPolicy(QtWidgets.QComboBox.NoInsert)
        self.setToolTip(self.tip)
        self.lineEdit().setPlaceholderText(self.tr("Auto"))
        self._valid = True
        self.editTextChanged.connect(self._check)

    def value(self) -> float | None:
        """The rate, ``None`` for Auto (raises ``ValueError`` like :func:`parse_learning_rate`)."""
        return parse_learning_rate(self.currentText())

    def set_value(self, value) -> None:
        self.setEditText(self.tr("Auto") if value in (None, "auto") else f"{float(value):g}")

    def is_valid(self) -> bool:
        return self._valid

    def _check(self) -> None:
        try:
            self.value()
            ok = True
        except ValueError:
            ok = False
        self.setStyleSheet("" if ok else "QComboBox { border: 1px solid #d64545; }")
        self.setToolTip(self.tip if ok else self.tr("Type a number such as 3e-5 or 0.00003, or choose Auto."))
        if ok != self._valid:
            self._valid = ok
            self.validityChanged.emit(ok)


def _form_layout(widget: QtWidgets.QWidget, rows) -> QtWidgets.QFormLayout:
    """A form of ``(label text, field)`` rows, each label carrying its field's tooltip."""
    form = QtWidgets.QFormLayout(widget)
    form.setContentsMargins(0, 0, 0, 0)
    form.setFieldGrowthPolicy(QtWidgets.QFormLayout.AllNonFixedFieldsGrow)
    form.setLabelAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
    for text, w in rows:
        label = QtWidgets.QLabel(text)
        label.setToolTip(w.toolTip())
        form.addRow(label, w)
    return form


class TrainingForm(QtWidgets.QWidget):
    """Base model and settings; :meth:`config_kwargs` maps them to ``TrainConfig`` fields.

    Signals: ``validityChanged(bool)`` when the typed values become valid or invalid.
    """

    validityChanged = Signal(bool)

    DEFAULTS = {"epochs": None, "batch_size": None, "lr": None, "max_steps": None,
                "patience": 3, "seed": 0, "bf16": "auto", "base_model": DEFAULT_MODEL}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model_picker = ModelPicker()
        self.epochs = _SpecialSpin(self.tr("Auto"), 0, 1000, 0)
        self.epochs.setToolTip(_tip(TIPS["epochs"]))
        self.batch_size = _SpecialSpin(self.tr("Auto"), 0, 1024, 0)
        self.batch_size.setToolTip(_tip(TIPS["batch"]))
        self.lr = LearningRateBox(LEARNING_RATES, TIPS["lr"])
        self.max_steps = _SpecialSpin(self.tr("No limit"), 0, 10_000_000, 0, 50)
        self.max_steps.setToolTip(_tip(TIPS["max_steps"]))
        self.patience = QtWidgets.QSpinBox()
        self.patience.setRange(1, 1000)
        self.patience.setValue(3)
        self.patience.setSuffix(self.tr(" evaluations"))
        self.patience.setToolTip(_tip(TIPS["patience"]))
        self.seed = QtWidgets.QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip(_tip(TIPS["seed"]))
        self.bf16 = QtWidgets.QComboBox()
        for text, value in ((self.tr("Auto"), "auto"), (self.tr("On"), True), (self.tr("Off"), False)):
            self.bf16.addItem(text, value)
        self.bf16.setToolTip(_tip(TIPS["bf16"]))
        _form_layout(self, (
            (self.tr("Base model"), self.model_picker), (self.tr("Epochs"), self.epochs),
            (self.tr("Batch size"), self.batch_size), (self.tr("Learning rate"), self.lr),
            (self.tr("Max steps"), self.max_steps), (self.tr("Early stop after"), self.patience),
            (self.tr("Seed"), self.seed), ("bf16", self.bf16),  # no-tr: a number format's name
        ))
        self.lr.validityChanged.connect(self.validityChanged)

    # ---- values

    def learning_rate(self) -> float | None:
        """The typed learning rate, ``None`` for Auto.

        Raises:
            ValueError: the text is not a positive number below 1.
        """
        return self.lr.value()

    def is_valid(self) -> bool:
        return self.lr.is_valid()

    def config_kwargs(self) -> dict:
        """The ``TrainConfig`` keyword arguments the form shows.

        Raises:
            ValueError: the learning rate is not a number (see :meth:`learning_rate`).
        """
        return {
            "base_model": self.model_picker.model(),
            "epochs": self.epochs.value() or None,
            "batch_size": self.batch_size.value() or None,
            "lr": self.learning_rate(),
            "max_steps": self.max_steps.value() or None,
            "patience": self.patience.value(),
            "seed": self.seed.value(),
            "bf16": self.bf16.currentData(),
        }

    def set_config(self, config: dict) -> None:
        """Show ``config`` (a run's saved config, or :data:`DEFAULTS`); unknown keys are ignored."""
        c = {**self.DEFAULTS, **{k: v for k, v in config.items() if k in self.DEFAULTS}}
        self.model_picker.set_model(str(c["base_model"] or DEFAULT_MODEL))
        self.epochs.setValue(int(c["epochs"] or 0))
        self.batch_size.setValue(int(c["batch_size"] or 0))
        self.lr.set_value(c["lr"])
        self.max_steps.setValue(int(c["max_steps"] or 0))
        self.patience.setValue(int(c["patience"] or 3))
        self.seed.setValue(int(c["seed"] or 0))
        bf16 = c["bf16"]
        if isinstance(bf16, str) and bf16.lower() in ("on", "true"):
            bf16 = True
        elif isinstance(bf16, str) and bf16.lower() in ("off", "false"):
            bf16 = False
        self.bf16.setCurrentIndex({"auto": 0, True: 1, False: 2}.get(bf16, 0))


#: Learning rates offered for LoRA fine-tuning (adapters learn with larger steps).
CHAT_LEARNING_RATES = ("5e-5", "1e-4", "2e-4", "3e-4", "5e-4", "1e-3")

CHAT_TIPS = {
    "model": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "The chat model the fine-tune starts from; it is not changed: training adds a small "
        "adapter beside it.\n"
        "The default (SmolLM2-135M) is small and quick. Choose a folder to start from another "
        "Hugging Face chat model saved on this computer."
    ),
    "epochs": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "How many times training reads all your chat examples.\n"
        "Auto picks a number from how many examples you have (more passes over a few examples). "
        "Training also stops by itself when the loss on the held-out examples stops falling."
    ),
    "batch": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "How many examples the model learns from at once.\n"
        "Auto picks a small number that fits in memory. Lower it if training stops with an "
        "out-of-memory message; raise it on a large GPU to train faster."
    ),
    "lr": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "How big each learning step is.\n"
        "Auto picks one from how many examples you have (about 2e-4). Try a smaller value (1e-4) if "
        "the loss jumps around or goes up, a larger one (5e-4) if it falls very slowly."
    ),
    "max_steps": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "Stop after this many steps even if epochs remain.\n"
        "Useful for a quick trial run. 'No limit' lets the epochs decide."
    ),
    "lora_r": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "How many new numbers the fine-tune may learn per layer; higher learns more but needs "
        "more examples.\n"
        "16 suits a few hundred examples. Lower it (4 or 8) for a handful of examples, raise it "
        "(32 or 64) for thousands."
    ),
    "max_length": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "The longest example, in tokens (about three quarters of a word each), the model reads; "
        "longer examples are cut at the end.\n"
        "Longer takes more memory and time. Raise it if your answers are long and the log says "
        "examples were cut."
    ),
    "patience": QtCore.QT_TRANSLATE_NOOP(
        "TrainingForm",
        "Stop early after this many evaluations without a lower loss on the held-out examples.\n"
        "Raise it if training stops too soon; lower it to save time."
    ),
    "seed": TIPS["seed"],
}


class ChatTrainingForm(QtWidgets.QWidget):
    """Base chat model and LoRA settings; :meth:`config_kwargs` maps them to ``SftConfig`` fields.

    Signals: ``validityChanged(bool)`` when the typed values become valid or invalid.
    """

    validityChanged = Signal(bool)

    DEFAULTS = {"base_model": DEFAULT_MODEL, "epochs": None, "max_steps": None, "lr": None, "batch_size": None,
                "lora_r": 16, "max_length": 512, "patience": 3, "seed": 0}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model_picker = ModelPicker(default_title=DEFAULT_CHAT_MODEL_TITLE, recent_key=CHAT_RECENT_KEY,
                                        tip=CHAT_TIPS["model"])
        self.epochs = _SpecialSpin(self.tr("Auto"), 0, 1000, 0)
        self.epochs.setToolTip(_tip(CHAT_TIPS["epochs"]))
        self.max_steps = _SpecialSpin(self.tr("No limit"), 0, 10_000_000, 0, 10)
        self.max_steps.setToolTip(_tip(CHAT_TIPS["max_steps"]))
        self.lr = LearningRateBox(CHAT_LEARNING_RATES, CHAT_TIPS["lr"])
        self.batch_size = _SpecialSpin(self.tr("Auto"), 0, 1024, 0)
        self.batch_size.setToolTip(_tip(CHAT_TIPS["batch"]))
        self.lora_r = QtWidgets.QSpinBox()
        self.lora_r.setRange(1, 256)
        self.lora_r.setValue(16)
        self.lora_r.setToolTip(_tip(CHAT_TIPS["lora_r"]))
        self.max_length = QtWidgets.QSpinBox()
        self.max_length.setRange(32, 32_768)
        self.max_length.setSingleStep(64)
        self.max_length.setValue(512)
        self.max_length.setSuffix(self.tr(" tokens"))
        self.max_length.setToolTip(_tip(CHAT_TIPS["max_length"]))
        self.patience = QtWidgets.QSpinBox()
        self.patience.setRange(1, 1000)
        self.patience.setValue(3)
        self.patience.setSuffix(self.tr(" evaluations"))
        self.patience.setToolTip(_tip(CHAT_TIPS["patience"]))
        self.seed = QtWidgets.QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip(_tip(CHAT_TIPS["seed"]))
        _form_layout(self, (
            (self.tr("Base chat model"), self.model_picker), (self.tr("Epochs"), self.epochs),
            (self.tr("Max steps"), self.max_steps), (self.tr("Learning rate"), self.lr),
            (self.tr("Batch size"), self.batch_size), (self.tr("LoRA rank"), self.lora_r),
            (self.tr("Max length"), self.max_length), (self.tr("Early stop after"), self.patience),
            (self.tr("Seed"), self.seed),
        ))
        self.lr.validityChanged.connect(self.validityChanged)

    def fields(self) -> tuple[QtWidgets.QWidget, ...]:
        """The setting widgets, top to bottom."""
        return (self.model_picker, self.epochs, self.max_steps, self.lr, self.batch_size, self.lora_r,
                self.max_length, self.patience, self.seed)

    def is_valid(self) -> bool:
        return self.lr.is_valid()

    def config_kwargs(self) -> dict:
        """The ``SftConfig`` fields the form shows (``None`` = automatic).

        Raises:
            ValueError: the learning rate is not a number.
        """
        return {
            "base_model": self.model_picker.model(),
            "epochs": self.epochs.value() or None,
            "max_steps": self.max_steps.value() or None,
            "lr": self.lr.value(),
            "batch_size": self.batch_size.value() or None,
            "lora_r": self.lora_r.value(),
            "max_length": self.max_length.value(),
            "patience": self.patience.value(),
            "seed": self.seed.value(),
        }

    def set_config(self, config: dict) -> None:
        """Show ``config`` (a chat run's saved config, or :data:`DEFAULTS`); unknown keys are ignored."""
        c = {**self.DEFAULTS, **{k: v for k, v in config.items() if k in self.DEFAULTS}}
        self.model_picker.set_model(str(c["base_model"] or DEFAULT_MODEL))
        self.epochs.setValue(int(float(c["epochs"] or 0)))
        self.max_steps.setValue(int(c["max_steps"] or 0))
        self.lr.set_value(c["lr"])
        self.batch_size.setValue(int(c["batch_size"] or 0))
        self.lora_r.setValue(int(c["lora_r"] or 16))
        self.max_length.setValue(int(c["max_length"] or 512))
        self.patience.setValue(int(c["patience"] or 3))
        self.seed.setValue(int(c["seed"] or 0))


def make_train_config(kwargs: dict):
    """Return ``engine.ner.train.TrainConfig(**kwargs)`` (imports the engine: call it off the UI thread)."""
    from engine.ner.train import TrainConfig

    return TrainConfig(**kwargs)


def make_sft_config(kwargs: dict):
    """Return ``engine.chat.sft.SftConfig.from_dict(kwargs)`` (imports the engine: call it off the UI thread)."""
    from engine.chat.sft import SftConfig

    return SftConfig.from_dict(kwargs)
