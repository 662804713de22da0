"""Load a document-classifier folder and predict the categories of texts."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from engine.messages import msg
from engine.ner.model_source import ModelSourceError, load_tokenizer, quiet_transformers


def is_classifier_folder(folder: str | Path) -> bool:
    """Return whether ``folder`` holds a sequence-classification model (its config's
    ``architectures`` name one), as opposed to a tagger."""
    try:
        config = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return any(str(a).endswith("ForSequenceClassification") for a in config.get("architectures") or [])


class Classifier:
    """A loaded classifier: ``names`` (its categories), ``multi`` (one sigmoid each,
    decided at ``threshold``), and methods to score texts."""

    def __init__(self, model, tokenizer, *, device, multi: bool, threshold: float = 0.5, batch_size: int = 64):
        from engine.ner.data import model_max_length

        self.model, self.tokenizer, self.device = model, tokenizer, device
        self.names = [str(model.config.id2label[i]) for i in range(model.config.num_labels)]
        self.multi, self.threshold = multi, threshold
        self.max_length = model_max_length(tokenizer, model.config)
        self.batch_size = batch_size

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array texts x categories of probabilities (softmax, or sigmoid each)."""
        from engine.textcat.data import EncodedText
        from engine.textcat.train import probabilities

        ids = self.tokenizer(list(texts), add_special_tokens=True, truncation=True,
                             max_length=self.max_length)["input_ids"] if texts else []
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        probs, _ = probabilities(self.model, [EncodedText(list(x), ()) for x in ids], pad_id=pad,
                                 device=self.device, multi=self.multi)
        return probs

    def predict(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """Return per text its categories with their probabilities, likeliest first: the
        top one (single choice), or all at or above the threshold (multiple choice)."""
        probs = self.probabilities(texts)
        out = []
        for row in probs:
            order = np.argsort(-row, kind="stable")
            if self.multi:
                out.append([(self.names[k], float(row[k])) for k in order if row[k] >= self.threshold])
            else:
                out.append([(self.names[order[0]], float(row[order[0]]))])
        return out

    def top(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """Return the ``k`` likeliest categories of ``text`` with their probabilities."""
        row = self.probabilities([text])[0]
        return [(self.names[i], float(row[i])) for i in np.argsort(-row, kind="stable")[:k]]


def load_classifier(model_dir: str | Path, *, device: str | None = None) -> Classifier:
    """Load a sequence-classification folder (safetensors only, offline) as a :class:`Classifier`.

    Multiple choice and its threshold come from ``tessera_run.json`` when the folder is a
    Tessera run's, else from the config's ``problem_type`` (threshold 0.5).

    Raises:
        ModelSourceError: not a usable classifier folder.
    """
    import torch
    from transformers import AutoModelForSequenceClassification

    from engine.ner.model_source import resolve_base_model

    folder = resolve_base_model(model_dir, head="sequence")
    if not is_classifier_folder(folder):
        raise ModelSourceError(msg("The model in {folder} is not a document classifier (its config names no "
                                   "sequence-classification architecture). Train one with the Document classifier "
                                   "kind.", folder=folder))
    tokenizer = load_tokenizer(folder)
    try:
        with quiet_transformers():
            model = AutoModelForSequenceClassification.from_pretrained(
                str(folder), use_safetensors=True, local_files_only=True, trust_remote_code=False)
    except Exception as exc:
        raise ModelSourceError(msg("The model in {folder} cannot be loaded ({reason}).",
                                   folder=folder, reason=str(exc))) from None
    info: dict = {}
    try:
        info = json.loads((folder / "tessera_run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    multi = bool(info.get("multi", model.config.problem_type == "multi_label_classification"))
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device)
    return Classifier(model, tokenizer, device=torch.device(device), multi=multi,
                      threshold=float(info.get("threshold", 0.5)))
