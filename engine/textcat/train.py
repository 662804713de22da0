"""Fine-tune a document classifier on the project's categorized ``done`` documents.

::

    from engine.textcat.train import train, resume
    result = train("project.tessera", TrainConfig(seed=0))   # -> RunResult (best_f1: dev macro-F1)
    result = resume("project.tessera", run_id)

The loop is the tagger's (:func:`engine.ner.train.fit`: length-grouped token-budget
batches, small-data defaults, early stopping, ``best/`` and ``last/`` written
atomically, exact resume, cancel, DDP under ``torchrun``); :class:`TextcatTask` gives it
what differs: ``AutoModelForSequenceClassification`` with a head over the categories,
one example per document, cross-entropy (single choice) or one sigmoid per category
(multiple choice, with the decision threshold tuned on dev at each evaluation), and
dev accuracy / macro-F1 (:mod:`engine.textcat.metrics`). The ``best/`` folder loads
with ``transformers.pipeline("text-classification")``.
"""
from __future__ import annotations

import contextlib
from dataclasses import asdict
from pathlib import Path

import numpy as np

from engine.events import CancelToken, Log, Reporter, ignore
from engine.messages import msg
from engine.ner.model_source import ModelSourceError, load_tokenizer, quiet_transformers
from engine.ner.train import RunResult, TrainConfig, continue_run, start_run
from engine.ner.warm_start import carry_head, warm_note
from engine.textcat import data as T
from engine.textcat import metrics as M

KIND = "textcat"
#: ``head_init="centroid"``: a category's logit rises by this much from the mean feature
#: to the category's mean (a typical document's distance from the mean = 1).
CENTROID_SCALE = 8.0


def resolve_recipe(cfg: TrainConfig, n_train: int, warm: bool = False) -> TrainConfig:
    """Return a copy of ``cfg`` with the data-size dependent choices filled in for
    ``n_train`` training documents (measured by ``tests/bench/bench_classify_train.py``);
    ``warm``: the base model's trained head was carried over, so it is kept."""
    c = TrainConfig(**asdict(cfg))
    small = n_train < 1000
    if c.batch_size is None:
        c.batch_size = 16 if n_train < 2000 else 32
    if c.batch_tokens is None:
        c.batch_tokens = 128 * c.batch_size
    if c.lr is None:
        c.lr = 1e-4 if n_train < 2000 else 5e-5
    if c.epochs is None:
        c.epochs = 4
    if c.min_steps is None:
        c.min_steps = int(min(500, max(200, round(0.7 * n_train))))
    if c.freeze_embeddings == "auto":
        c.freeze_embeddings = small
    if c.head_init == "auto":
        c.head_init = "default" if warm else "centroid"
    return c


class TextcatTask:
    """The document-classifier side of :func:`engine.ner.train.fit`."""

    kind = KIND
    unit = msg("documents")
    score_name = msg("dev macro-F1")

    def __init__(self, data: T.ClassData):
        self.data = data
        self.labels = data.names
        self.threshold = 0.5  # multiple choice: tuned on dev at each evaluation
        self.train_enc: list[T.EncodedText] = []
        self.dev_enc: list[T.EncodedText] = []
        self.carried = 0  # categories whose head row came from the base model (warm start)

    def load(self, model_dir: Path, cfg: TrainConfig, report: Reporter):
        """Return ``(model, tokenizer)`` with a fresh head over the categories.

        Raises:
            ModelSourceError: the model cannot be loaded.
        """
        import torch
        from transformers import AutoModelForSequenceClassification

        from engine.ner.data import model_max_length

        names = self.data.names
        tokenizer = load_tokenizer(model_dir)
        torch.manual_seed(cfg.seed)
        try:
            with quiet_transformers():
                model = AutoModelForSequenceClassification.from_pretrained(
                    str(model_dir), num_labels=len(names), id2label=dict(enumerate(names)),
                    label2id={n: i for i, n in enumerate(names)},
                    problem_type="multi_label_classification" if self.data.multi else "single_label_classification",
                    use_safetensors=True, local_files_only=True, trust_remote_code=False,
                    ignore_mismatched_sizes=True)
        except Exception as exc:
            raise ModelSourceError(msg("The model in {folder} cannot be loaded ({reason}).",
                                       folder=model_dir, reason=str(exc))) from None
        self.carried = carry_head(model, model_dir, names)
        max_len = model_max_length(tokenizer, model.config)
        self.train_enc, n_cut = T.encode(tokenizer, self.data.train, max_len)
        self.dev_enc, n_cut_dev = T.encode(tokenizer, self.data.dev, max_len)
        if n_cut or n_cut_dev:
            report(Log(msg("{count} documents are longer than the model's limit of {limit} pieces "
                           "({train} in train, {dev} in dev); the classifier reads only their beginning.",
                           count=n_cut + n_cut_dev, limit=max_len, train=n_cut, dev=n_cut_dev), "warning"))
        self.lengths = [len(e) for e in self.train_enc]
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        return model, tokenizer

    def resolve(self, cfg: TrainConfig) -> TrainConfig:
        return resolve_recipe(cfg, len(self.train_enc), warm=self.carried > 0)

    def data_line(self) -> str:
        names = self.data.names
        shown = ", ".join(names[:12])
        if len(names) > 12:
            shown = msg("{names}, ... ({count} more)", names=shown, count=len(names) - 12)
        choice = msg("several per document") if self.data.multi else msg("one per document")
        return msg("Data: {train} training and {dev} dev documents; {count} categories ({choice}): {names}.",
                   train=len(self.train_enc), dev=len(self.dev_enc), count=len(names), choice=choice, names=shown)

    def _counts(self) -> np.ndarray:
        c = np.zeros(len(self.data.names))
        for e in self.train_enc:
            c[list(e.labels)] += 1
        return c

    def init_head(self, model, cfg: TrainConfig) -> str:
        """Start the head from the data; return what was done, for the recipe line.

        ``head_init="centroid"``: each category's weights point from the mean feature
        (what the head reads, for the training documents, before any training) to that
        category's mean, so the first step already ranks categories by similarity;
        ``"prior"``: small random weights; both set the bias to the log prior of each
        category (single choice) or the log-odds of its frequency (multiple choice).
        """
        import torch

        head = getattr(model, "classifier", None)
        if isinstance(head, torch.nn.Module) and not isinstance(head, torch.nn.Linear):
            head = getattr(head, "out_proj", None)  # RoBERTa-style heads
        if cfg.head_init not in ("prior", "centroid") or not isinstance(head, torch.nn.Linear):
            return warm_note(self.carried, len(self.data.names), "categories")
        counts = self._counts() + 1  # add-one smoothing
        if self.data.multi:
            share = counts / (len(self.train_enc) + 2)
            bias = np.log(share / (1 - share))
        else:
            bias = np.log(counts / counts.sum())
        gen = torch.Generator().manual_seed(cfg.seed)
        std = getattr(model.config, "initializer_range", 0.02)
        weight = torch.randn(head.weight.shape, generator=gen) * std
        if cfg.head_init == "centroid":
            x = self._head_inputs(model, head).double()
            mu = x.mean(0)
            z = x - mu
            spread = z.norm(dim=1).mean().clamp_min(1e-6)
            members: dict[int, list[int]] = {}
            for i, e in enumerate(self.train_enc):
                for k in e.labels:
                    members.setdefault(k, []).append(i)
            for k, rows in members.items():
                c = z[rows].mean(0)
                weight[k] = (CENTROID_SCALE * c / c.norm().clamp_min(1e-6) / spread).float()
            bias = bias - (weight.double() @ mu).numpy()
        with torch.no_grad():
            head.weight.copy_(weight.to(head.weight.dtype))
            head.bias.copy_(torch.tensor(bias, dtype=head.bias.dtype))
        return (msg("head from category means") if cfg.head_init == "centroid"
                else msg("head bias from category frequencies"))

    def _head_inputs(self, model, head):
        """Return what ``head`` reads for each training document (one forward pass, no grad)."""
        import torch

        from engine.ner.data import eval_batches

        got: dict[int, torch.Tensor] = {}
        order: list[list[int]] = eval_batches(self.lengths)
        current: list[int] = []
        hook = head.register_forward_hook(lambda _m, inp, _out: got.update(zip(current, inp[0].detach().float())))
        was_training = model.training
        model.eval()
        try:
            for idx in order:
                current[:] = idx
                batch = T.collate([self.train_enc[i] for i in idx], self.pad_id, len(self.data.names),
                                  self.data.multi)
                with torch.inference_mode():
                    model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
        finally:
            hook.remove()
            model.train(was_training)
        return torch.stack([got[i] for i in range(len(self.train_enc))])

    def loss_scale(self, micro_per_epoch: int) -> float:
        # summed loss x (batches per epoch / documents): each document weighs the same
        return micro_per_epoch / max(1, len(self.train_enc))

    def collate(self, idx: list[int], pad_id: int) -> dict:
        return T.collate([self.train_enc[i] for i in idx], pad_id, len(self.data.names), self.data.multi)

    def loss(self, logits, labels, cpu_labels):
        """Return ``(summed loss, documents)`` of a batch (multiple choice: summed over categories)."""
        import torch.nn.functional as F

        logits = logits.float()
        if self.data.multi:
            loss = F.binary_cross_entropy_with_logits(logits, labels, reduction="sum")
        else:
            loss = F.cross_entropy(logits, labels, reduction="sum")
        return loss, max(1, cpu_labels.shape[0])

    def state(self) -> dict:
        return {"categories": self.data.names, "multi": self.data.multi,
                "train_fingerprint": T.fingerprint(self.data.train)}

    def evaluate(self, model, *, device, pad_id: int, autocast) -> dict:
        """Dev scores (:mod:`engine.textcat.metrics`) plus ``loss``; multiple choice also
        tunes and returns ``threshold``."""
        probs, loss = probabilities(model, self.dev_enc, pad_id=pad_id, device=device, multi=self.data.multi,
                                    autocast=autocast, labels=[e.labels for e in self.dev_enc])
        scores = score_probabilities(probs, [e.labels for e in self.dev_enc], self.data.names, self.data.multi)
        scores["loss"] = loss
        self.threshold = scores.get("threshold", 0.5)
        return scores

    def log_scores(self, metric, scores: dict) -> None:
        metric("dev/loss", scores["loss"])
        for k in ("f1", "accuracy", "precision", "recall", "f1_micro"):
            metric(f"dev/{k}", scores[k])
        metric("dev/f1_lo", scores["f1_ci"][0])
        metric("dev/f1_hi", scores["f1_ci"][1])
        metric("dev/accuracy_lo", scores["accuracy_ci"][0])
        metric("dev/accuracy_hi", scores["accuracy_ci"][1])
        for name, row in scores["per_label"].items():
            for k in ("f1", "precision", "recall", "support"):
                metric(f"dev/{k}/{name}", row[k])

    def eval_line(self, step: int, scores: dict, best: dict) -> str:
        args = dict(step=step, f1=f"{scores['f1']:.3f}", accuracy=f"{scores['accuracy']:.3f}",
                    best=f"{best['f1']:.3f}", best_step=best["step"])
        if "threshold" in scores:
            return msg("Step {step}: dev macro-F1 {f1}, accuracy {accuracy}, threshold {threshold}; best {best} at "
                       "step {best_step}.", threshold=f"{scores['threshold']:.2f}", **args)
        return msg("Step {step}: dev macro-F1 {f1}, accuracy {accuracy}; best {best} at step {best_step}.", **args)

    def round_scores(self, scores: dict) -> dict:
        keep = ("f1", "f1_macro", "f1_micro", "accuracy", "precision", "recall", "loss", "threshold", "support", "docs")
        out = {k: (round(scores[k], 6) if isinstance(scores[k], float) else scores[k]) for k in keep if k in scores}
        for k in ("f1_ci", "accuracy_ci"):
            out[k] = [round(x, 6) for x in scores[k]]
        out["per_label"] = {n: {k: (v if k == "support" else [round(x, 6) for x in v] if k == "ci" else round(v, 6))
                                for k, v in row.items()} for n, row in scores["per_label"].items()}
        if "confusion" in scores:
            out["confusion"] = scores["confusion"]
        return out

    def run_info(self, run_id: int, cfg: TrainConfig, best: dict) -> dict:
        return {"tessera": KIND, "run_id": run_id, "config": asdict(cfg), "categories": self.data.names,
                "multi": self.data.multi, "threshold": self.threshold, "best": best,
                "train_documents": len(self.data.train), "dev_documents": len(self.data.dev),
                "dev_from_train": self.data.dev_from_train}


def probabilities(model, encoded, *, pad_id: int, device, multi: bool, autocast=None,
                  labels=None) -> tuple[np.ndarray, float]:
    """Return ``(probs, loss)``: per item the categories' probabilities (softmax, or a
    sigmoid each with ``multi``) and, given ``labels``, the mean loss per item."""
    import torch
    import torch.nn.functional as F

    from engine.ner.data import eval_batches

    was_training = model.training
    model.eval()
    n_classes = model.config.num_labels
    out = np.zeros((len(encoded), n_classes), dtype=np.float32)
    loss_sum = 0.0
    for idx in eval_batches([len(e) for e in encoded]):
        batch = T.collate([encoded[i] for i in idx], pad_id, n_classes, multi) if labels is not None else \
            T.collate([T.EncodedText(encoded[i].input_ids, (0,)) for i in idx], pad_id, n_classes, False)
        with torch.inference_mode(), (autocast or contextlib.nullcontext()):
            logits = model(input_ids=batch["input_ids"].to(device),
                           attention_mask=batch["attention_mask"].to(device)).logits.float()
        if labels is not None:
            y = batch["labels"].to(device)
            loss_sum += float(F.binary_cross_entropy_with_logits(logits, y, reduction="sum") if multi
                              else F.cross_entropy(logits, y, reduction="sum"))
        p = torch.sigmoid(logits) if multi else torch.softmax(logits, -1)
        out[idx] = p.cpu().numpy()
    model.train(was_training)
    return out, loss_sum / max(1, len(encoded))


def score_probabilities(probs: np.ndarray, gold: list[tuple[int, ...]], names: list[str], multi: bool,
                        threshold: float | None = None) -> dict:
    """Scores of ``probs`` against gold category indices. Multiple choice: at
    ``threshold``, or the best one on this data (returned as ``scores["threshold"]``)."""
    if not multi:
        return M.single_label_scores([g[0] for g in gold], probs.argmax(1).tolist(), names)
    y = np.zeros(probs.shape, dtype=bool)
    for r, g in enumerate(gold):
        y[r, list(g)] = True
    t = M.best_threshold(probs, y) if threshold is None else threshold
    scores = M.multi_label_scores(y, probs >= t, names)
    scores["threshold"] = t
    return scores


def train(project_path: str | Path, config: TrainConfig | None = None, *, report: Reporter = ignore,
          cancel: CancelToken | None = None, on_eval=None) -> RunResult:
    """Train a new document classifier; return the run's result (``best_f1``: dev macro-F1).

    Raises:
        ModelSourceError: the base model is missing or unusable (nothing is recorded).
        DataError: nothing to train on (nothing is recorded).
        TrainingCancelled: ``cancel`` was set; the run can be resumed.
        Exception: anything else marks the run ``failed`` and is re-raised.
    """
    def task_of(project, config, assign, report):
        return TextcatTask(T.load_class_data(project, seed=config.seed, assign=assign, report=report))

    return start_run(project_path, config or TrainConfig(), task_of, kind=KIND, head="sequence", report=report,
                     cancel=cancel, on_eval=on_eval)


def resume(project_path: str | Path, run_id: int, *, report: Reporter = ignore,
           cancel: CancelToken | None = None) -> RunResult:
    """Continue classifier run ``run_id`` from its ``last/`` checkpoint; return its result.

    Raises:
        TesseraError: no such run, another kind, finished, or no checkpoint.
        TrainingCancelled, Exception: as for :func:`train`.
    """
    def task_of(project, config, state, report):
        info = state.get("best_info") or {}
        names = state.get("categories") or info.get("categories")
        multi = state.get("multi", info.get("multi"))
        return TextcatTask(T.load_class_data(project, seed=config.seed, names=names, multi=multi, assign=False,
                                             report=report))

    return continue_run(project_path, run_id, task_of, kind=KIND, what=msg("a document-classifier run"), report=report,
                        cancel=cancel)
