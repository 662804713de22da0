"""Fine-tune a chat model on a project's chat examples with LoRA (supervised fine-tuning).

The whole loop, top to bottom in one file (like ``engine/ner/train.py``, whose
checkpoints, run rows, batching and cancel class it shares)::

    from engine.chat.sft import SftConfig, train, resume, export_merged
    result = train("project.tessera", SftConfig(seed=0))      # -> SftResult
    result = resume("project.tessera", run_id)                 # after a cancel or crash
    chat = load_chat_model("default", adapter=result.best_dir) # engine.chat.model
    export_merged(result.best_dir, "merged-model/")            # a full model folder

What one run does:

1. data: give chat examples without a split a seeded train/dev split (stored),
   render each conversation with the tokenizer's chat template and label only the
   assistant's tokens (:mod:`engine.chat.sft_data`);
2. recipe: fill in what the config left as ``None`` from the data size
   (:func:`resolve_recipe`: at least :data:`MIN_STEPS` optimizer steps, so a few dozen
   examples still teach something) and say what was chosen in ``Log`` events;
3. model: the base model in float32 with LoRA adapters on every linear projection
   of attention and MLP (peft ``target_modules="all-linear"``; the base stays frozen);
4. loop: AdamW (fused where available), linear warm-up then linear decay, gradient
   clipping and accumulation, float32 (bf16 autocast for 1B+ models on a GPU), batches of
   similar length padded to their longest; the loss is the mean cross-entropy over
   assistant tokens, and the vocabulary projection is computed at those positions
   only. A ``Progress`` event each step, ``Metric`` events and ``run_metrics`` rows;
5. dev loss before training (step 0, for reference), every ``eval_every`` steps and
   at the end: the best adapter to ``best/`` (written to a temporary folder, then
   renamed), the resumable state to ``last/``, early stopping after ``patience``
   evaluations without a lower dev loss.

The same seed gives the same batches, dropout masks and losses on CPU; ``resume``
continues from ``last/`` with the same data order, optimizer, schedule and RNG state.
"""
from __future__ import annotations

import contextlib
import json
import math
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from engine.chat import sft_data as SD
from engine.chat.packing import collate_packed, pack
from engine.chat.model import ChatModelError, load_chat_model
from engine.errors import TesseraError
from engine.events import Cancelled, CancelToken, Finished, Log, Metric, Progress, Reporter, ignore
from engine.messages import msg
from engine.ner import checkpoint as ckpt
from engine.ner import data as D
from engine.ner import runs
from engine.ner.model_source import quiet_transformers
from engine.ner.train import (BatchStream, Dist, SpeedMeter, TrainingCancelled, _all_reduce, _barrier, _broadcast,
                              _init_process_group, base_model_line, fast_forward, make_optimizer, optimizer_step, parse_bf16,
                              pause_if_asked, wants_bf16)
from engine.store import Project

KIND = "chat"
FLUSH_ROWS = 2000  # metric rows buffered before a write even between evaluations
MIN_STEPS = 50  # auto recipe: at least this many optimizer steps, however small the data
EVAL_BATCH_TOKENS = 8192

__all__ = ["KIND", "SftConfig", "SftResult", "TrainingCancelled", "train", "resume", "export_merged",
           "check_export_dir", "resolve_recipe", "evaluate"]


# --------------------------------------------------------------------------- config


@dataclass
class SftConfig:
    """What to train and how. ``None`` is chosen from the data (:func:`resolve_recipe`);
    the run's config row stores the chosen values."""

    base_model: str = "default"  # "default" (SmolLM2) or a local causal-LM folder
    epochs: float | None = None  # None = auto from data size
    max_steps: int | None = None  # exact optimizer steps (overrides epochs)
    lr: float | None = None  # None = auto (LoRA: 2e-4, higher on small data)
    batch_size: int | None = None  # None = auto
    max_length: int = 512  # longest example in tokens (longer ones are cut, with a Log line)
    lora_r: int = 16
    lora_alpha: int | None = None  # None = 2 * lora_r
    lora_dropout: float = 0.05
    patience: int = 3  # evaluations without better dev loss before stopping
    eval_every: int | None = None  # None = auto
    seed: int = 0
    warmup_ratio: float = 0.1
    weight_decay: float = 0.0
    grad_accum: int = 1
    clip: float = 1.0
    out_dir: str | None = None  # folder for run folders; default <project>.runs
    bf16: bool | str = "auto"  # auto: float32, except bf16 autocast for 1B+ models on a GPU
    fused_ce: bool = True  # vocabulary projection + loss chunk by chunk (engine.kernels.ops.linear_cross_entropy)
    pack: bool = False  # several short examples per row, each attending to itself (engine.chat.packing)

    @classmethod
    def from_dict(cls, d: dict) -> "SftConfig":
        """Return a config from a dict (unknown keys are ignored)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    @property
    def batch_tokens(self) -> int:
        """Most padded tokens per batch (for :class:`engine.ner.train.BatchStream`): no extra limit."""
        return int(self.batch_size or 1) * int(self.max_length)


@dataclass
class SftResult:
    """What a finished (or early-stopped) run produced."""

    run_id: int
    output_dir: Path  # the run folder
    best_loss: float  # lowest dev loss (mean cross-entropy per assistant token)
    best_step: int
    steps: int  # optimizer steps done in total
    status: str = "finished"
    stopped_early: bool = False

    @property
    def best_dir(self) -> Path:
        """The best adapter: a peft LoRA folder + tokenizer + ``tessera_run.json``."""
        return Path(self.output_dir) / "best"


def resolve_recipe(cfg: SftConfig, n_train: int) -> SftConfig:
    """Return a copy of ``cfg`` with the data-size dependent choices filled in.

    ``n_train`` is the number of training conversations. Batches of 4 (8 from 200
    examples), 3 epochs but never fewer than :data:`MIN_STEPS` steps, learning rate
    2e-4 (3e-4 under 200 examples), LoRA alpha twice the rank.
    """
    c = SftConfig(**asdict(cfg))
    if c.batch_size is None:
        c.batch_size = 4 if n_train < 200 else 8
    if c.lr is None:
        c.lr = 3e-4 if n_train < 200 else 2e-4
    if c.epochs is None:
        c.epochs = 3.0
    if c.lora_alpha is None:
        c.lora_alpha = 2 * c.lora_r
    return c


def _check_config(cfg: SftConfig) -> None:
    """Raise :class:`TesseraError` for values no run can use."""
    checks = [(cfg.max_length >= 16, msg("the maximum length must be at least 16 tokens")),
              (cfg.lora_r >= 1, msg("the LoRA rank must be at least 1")),
              (cfg.batch_size is None or cfg.batch_size >= 1, msg("the batch size must be at least 1")),
              (cfg.max_steps is None or cfg.max_steps >= 1, msg("the number of steps must be at least 1")),
              (cfg.epochs is None or cfg.epochs > 0, msg("the number of epochs must be positive")),
              (cfg.lr is None or cfg.lr > 0, msg("the learning rate must be positive")),
              (cfg.grad_accum >= 1, msg("gradient accumulation must be at least 1")),
              (cfg.patience >= 1, msg("the patience must be at least 1")),
              (cfg.eval_every is None or cfg.eval_every >= 1, msg("evaluate at least every step (eval_every >= 1)")),
              (0 <= cfg.lora_dropout < 1, msg("LoRA dropout must be between 0 and 1"))]
    for ok, why in checks:
        if not ok:
            raise TesseraError(msg("Cannot train: {problem}.", problem=why))


# --------------------------------------------------------------------------- public API


def train(project_path: str | Path, config: SftConfig | None = None, *, report: Reporter = ignore,
          cancel: CancelToken | None = None) -> SftResult:
    """Fine-tune a new LoRA adapter on the project's chat examples; return the run's result.

    Opens its own connection to ``project_path`` (safe to call from a worker thread).

    Raises:
        ChatDataError: no usable chat examples (nothing is recorded).
        ChatModelError: the base model is missing or unusable (nothing is recorded).
        TrainingCancelled: ``cancel`` was set; the run is ``cancelled`` with a
            resumable ``last/`` checkpoint (see :func:`resume`).
        Exception: anything else marks the run ``failed`` and is re-raised.
    """
    config = config or SftConfig()
    _check_config(config)
    dist = Dist.from_env()
    _init_process_group(dist)
    report = report if dist.main else ignore
    project = Project.open(project_path)
    try:
        if dist.main:
            data = SD.load_sft_data(project, seed=config.seed, report=report)
        _barrier(dist)  # splits are stored by rank 0 before the others read them
        if not dist.main:
            data = SD.load_sft_data(project, seed=config.seed, assign=False)
        chat = load_chat_model(config.base_model, report=report) if dist.main else None
        _barrier(dist)  # rank 0 prepared (converted, cached) the model before the others load it
        chat = chat or load_chat_model(config.base_model)
        enc = _encode(chat, data, config.max_length, report)
        run_id = None
        if dist.main:
            run_id = runs.create_run(project, kind=KIND, base_model=str(config.base_model), config=asdict(config))
        run_id = _broadcast(run_id, dist)
        run_dir = Path(config.out_dir or project.runs_dir) / str(run_id)
        return _fit(project, run_id, run_dir, config, data, enc, chat, None, report, cancel, dist)
    finally:
        project.close()


def resume(project_path: str | Path, run_id: int, *, report: Reporter = ignore,
           cancel: CancelToken | None = None) -> SftResult:
    """Continue chat run ``run_id`` from its ``last/`` checkpoint; return the run's result.

    The step count, data order, optimizer, schedule and random state continue where
    they stopped; metric rows after the checkpoint's step are deleted first, so no
    step is recorded twice.

    Raises:
        TesseraError: no such run, not a chat run, already finished, or no ``last/`` checkpoint.
        TrainingCancelled, Exception: as for :func:`train`.
    """
    dist = Dist.from_env()
    _init_process_group(dist)
    report = report if dist.main else ignore
    project = Project.open(project_path)
    try:
        run_dir, last, state = runs.resume_point(project, run_id, KIND, msg("a chat fine-tuning run"))
        config = SftConfig.from_dict(state["config"])
        data = SD.load_sft_data(project, seed=config.seed, assign=False, report=report)
        if not state.get("fallback") and SD.fingerprint(data.train) != state.get("train_fingerprint"):
            report(Log(msg("The chat examples changed since this run was paused; it continues on the current "
                           "examples, so it is no longer an exact continuation."), "warning"))
        chat = load_chat_model(config.base_model, report=report)
        enc = _encode(chat, data, config.max_length, report)
        _barrier(dist)  # every rank read the run's state before rank 0 changes it
        if dist.main:
            runs.delete_metrics_after(project, run_id, state["step"])
            runs.update_run(project, run_id, status="running", finished=None, owner=runs.owner_record())
        if state.get("fallback"):
            report(Log(msg("Run {run} has no saved training state (its process was stopped before writing one); "
                           "it continues from its best adapter at step {step} with a fresh optimizer, "
                           "so it is not an exact continuation.", run=run_id, step=state["step"]), "warning"))
        return _fit(project, run_id, run_dir, config, data, enc, chat, (last, state), report, cancel, dist)
    finally:
        project.close()


def export_merged(adapter_dir: str | Path, out_dir: str | Path, *, report: Reporter = ignore) -> Path:
    """Write the base model with the adapter in ``adapter_dir`` merged in as a full model folder.

    ``out_dir`` gets ``config.json``, ``model.safetensors``, the tokenizer and a
    ``tessera_run.json``; it loads with ``load_chat_model(out_dir)``. The folder is
    written under a temporary name and renamed when complete. Returns ``out_dir``.

    Raises:
        ChatModelError: ``adapter_dir`` is not a chat adapter, or its base model is missing.
        TesseraError: ``out_dir`` exists and holds something other than a model folder.
    """
    adapter_dir = Path(adapter_dir).expanduser()
    out = check_export_dir(out_dir)
    info = _adapter_info(adapter_dir)
    report(Progress("Exporting", 0, 2, "step"))
    chat = load_chat_model(info["base_model"], adapter=adapter_dir, report=report)  # merges the adapter
    report(Progress("Exporting", 1, 2, "step"))
    with ckpt.staging(out) as tmp, quiet_transformers():
        chat.model.save_pretrained(str(tmp), safe_serialization=True)
        chat.tokenizer.save_pretrained(str(tmp))
        (tmp / ckpt.RUN_INFO).write_text(json.dumps(dict(info, merged_from=str(adapter_dir)), indent=2,
                                                    sort_keys=True), encoding="utf-8")
    report(Progress("Exporting", 2, 2, "step"))
    report(Finished(f"Wrote the merged model to {out}."))
    return out


def export_gguf_file(adapter_dir: str | Path, out_file: str | Path, *, quant: str = "f16",
                     report: Reporter = ignore) -> Path:
    """Write the base model with the adapter in ``adapter_dir`` merged in as one GGUF file
    for llama.cpp, LM Studio and Ollama (:func:`engine.chat.gguf_export.export_gguf`);
    return its path.

    Raises:
        ChatModelError: not a chat adapter, its base model is missing, the model is not
            llama-family, or the file cannot be written.
    """
    from engine.chat.gguf_export import export_gguf

    adapter_dir = Path(adapter_dir).expanduser()
    info = _adapter_info(adapter_dir)
    chat = load_chat_model(info["base_model"], adapter=adapter_dir, report=report)  # merges the adapter
    out = export_gguf(chat, out_file, quant=quant, report=report)
    report(Finished(f"Wrote {out} ({quant})."))
    return out


def check_export_dir(out_dir: str | Path) -> Path:
    """Return ``out_dir`` as a path if a merged model may be written there: it does not
    exist, is empty, or holds a model folder (which is replaced).

    Raises:
        TesseraError: it exists and holds something else.
    """
    out = Path(out_dir).expanduser()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "config.json").is_file())):
        raise TesseraError(msg("{folder} already exists and is not a model folder; choose a new folder to export to.",
                               folder=out))
    return out


def _adapter_info(adapter_dir: Path) -> dict:
    """Return the adapter's ``tessera_run.json`` (or, for a plain peft folder, its base model)."""
    if not (adapter_dir / "adapter_config.json").is_file():
        raise ChatModelError(msg("{folder} is not a fine-tuned chat adapter (it has no adapter_config.json). "
                                 "Choose the 'best' or 'last' folder of a chat training run.", folder=adapter_dir))
    try:
        if (adapter_dir / ckpt.RUN_INFO).is_file():
            info = json.loads((adapter_dir / ckpt.RUN_INFO).read_text(encoding="utf-8"))
        else:
            peft_cfg = json.loads((adapter_dir / "adapter_config.json").read_text(encoding="utf-8"))
            info = {"base_model": peft_cfg.get("base_model_name_or_path")}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChatModelError(msg("The adapter files in {folder} cannot be read ({reason}).",
                                 folder=adapter_dir, reason=str(exc))) from None
    if not info.get("base_model"):
        raise ChatModelError(msg("{folder} does not say which base model it was trained on.", folder=adapter_dir))
    return info


def _encode(chat, data: SD.SftData, max_length: int, report: Reporter) -> tuple[list, list]:
    """Return ``(train_enc, dev_enc)``, with Log warnings about cut or dropped examples.

    Raises:
        ChatModelError: the chat template cannot render an example.
        ChatDataError: no training example has an assistant token left.
    """
    stops = SD.end_of_turn_ids(chat.tokenizer, _eos_ids(chat.model))
    out = []
    for split, convs in (("train", data.train), ("dev", data.dev)):
        try:
            enc, stats = SD.encode_all(chat.tokenizer, convs, max_length, stops)
        except Exception as exc:  # jinja errors from the template
            raise ChatModelError(msg("The chat template of {model} cannot render the {split} examples ({reason}).",
                                     model=chat.folder.name, split=split, reason=str(exc))) from None
        for log in SD.describe_stats(stats, split, max_length):
            report(log)
        out.append(enc)
    train_enc, dev_enc = out
    if not train_enc:
        raise SD.ChatDataError(msg("No training example has an answer within {tokens} tokens. "
                                   "Raise the maximum length.", tokens=max_length))
    if not dev_enc:
        report(Log(msg("No dev example is usable; the dev loss is measured on the training examples."), "warning"))
        dev_enc = list(train_enc)
    return train_enc, dev_enc


def _eos_ids(model) -> list[int]:
    eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    if isinstance(eos, int):
        return [eos]
    return [int(e) for e in eos] if isinstance(eos, (list, tuple)) else []


# --------------------------------------------------------------------------- loss


def _base(model):
    """The transformers model under a peft wrapper (or ``model`` itself)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def _loss_sum(model, batch: dict, fast_head: bool, per_row: bool = False, fused: bool = False):
    """Return ``(sum of cross-entropy over labelled next tokens, their count)`` of one batch;
    with ``per_row``, ``(sums per example, counts per example)`` as lists instead.

    ``fast_head``: run the decoder, then the vocabulary projection only at labelled
    positions (the same numbers as the full logits, less time and memory). ``fused``
    (with ``fast_head``, a head without bias, not ``per_row``): the projection and the
    loss chunk by chunk (:func:`engine.kernels.ops.linear_cross_entropy`; on a GPU its
    row step is a CUDA kernel), so the labelled positions' logits are never all held.
    """
    import torch
    import torch.nn.functional as F

    targets = batch["labels"][:, 1:]
    keep = targets != SD.IGNORE_INDEX
    # a packed batch (engine.chat.packing) has position_ids and no mask: transformers
    # then keeps attention within each example
    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch.get("attention_mask"),
              "position_ids": batch.get("position_ids"), "use_cache": False}
    if fast_head:
        base = _base(model)
        hidden = base.get_decoder()(**inputs).last_hidden_state
        head = base.get_output_embeddings()
        if fused and not per_row and head.bias is None:
            from engine.kernels.ops import linear_cross_entropy

            return (linear_cross_entropy(hidden[:, :-1][keep], head.weight, targets[keep], reduction="sum"),
                    int(keep.sum()))
        logits = head(hidden[:, :-1][keep])
    else:
        logits = model(**inputs).logits[:, :-1][keep]
    if per_row:
        losses = F.cross_entropy(logits.float(), targets[keep], reduction="none")
        rows = keep.nonzero()[:, 0]
        sums = torch.zeros(keep.shape[0], dtype=losses.dtype, device=losses.device).index_add_(0, rows, losses)
        return sums.tolist(), keep.sum(1).tolist()
    return F.cross_entropy(logits.float(), targets[keep], reduction="sum"), int(keep.sum())


def _fast_head_ok(model, example: SD.Encoded, device, autocast) -> bool:
    """Return whether the decoder + output projection reproduce the model's own logits
    (false for models with logit soft-capping or scaling, or no ``get_decoder``)."""
    import torch

    base = _base(model)
    try:
        if base.get_decoder() is None or not isinstance(base.get_output_embeddings(), torch.nn.Linear):
            return False
        batch = {k: v.to(device) for k, v in D.collate([example], 0).items()}
        was = model.training
        model.eval()
        with torch.no_grad(), autocast:
            full = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], use_cache=False)
            a, _ = _loss_sum(model, batch, True)
            targets = batch["labels"][:, 1:]
            keep = targets != SD.IGNORE_INDEX
            b = torch.nn.functional.cross_entropy(full.logits[:, :-1][keep].float(), targets[keep], reduction="sum")
        model.train(was)
        tol = 1e-2 if getattr(autocast, "_enabled", False) else 1e-3  # bf16 sums differ a little more
        return bool(torch.isclose(a, b, rtol=tol, atol=tol))
    except (AttributeError, NotImplementedError, TypeError, ValueError):
        return False


def evaluate(model, encoded: list[SD.Encoded], *, device=None, pad_id: int = 0, autocast=None,
             fast_head: bool = False) -> float:
    """Return the mean cross-entropy per assistant token of ``model`` on ``encoded``.

    ``model`` is a causal LM, with or without a peft adapter; its train/eval mode is restored.
    """
    return evaluate_with_interval(model, encoded, device=device, pad_id=pad_id, autocast=autocast,
                                  fast_head=fast_head)[0]


def evaluate_with_interval(model, encoded: list[SD.Encoded], *, device=None, pad_id: int = 0, autocast=None,
                           fast_head: bool = False) -> tuple[float, tuple[float, float]]:
    """Return the mean cross-entropy per assistant token and its 95% interval from a
    bootstrap over the examples (:func:`engine.scores.bootstrap_mean`)."""
    import torch

    from engine.scores import bootstrap_mean

    device = device or next(model.parameters()).device
    was = model.training
    model.eval()
    sums, counts = [], []
    for idx in D.eval_batches([len(e) for e in encoded], batch_size=16, batch_tokens=EVAL_BATCH_TOKENS):
        batch = {k: v.to(device) for k, v in D.collate([encoded[i] for i in idx], pad_id).items()}
        with torch.inference_mode(), (autocast or contextlib.nullcontext()):
            s, k = _loss_sum(model, batch, fast_head, per_row=True)
        sums += s
        counts += k
    model.train(was)
    return sum(sums) / max(1, sum(counts)), bootstrap_mean(sums, counts)


# --------------------------------------------------------------------------- the run


def _device():
    import torch

    return torch.device("cuda", torch.cuda.current_device()) if torch.cuda.is_available() else torch.device("cpu")


def _lora(model, cfg: SftConfig, resume_from: Path | None):
    """Return ``model`` wrapped with trainable LoRA adapters (fresh, or loaded from ``resume_from``)."""
    from peft import LoraConfig, PeftModel, get_peft_model

    with quiet_transformers():
        if resume_from is not None:
            return PeftModel.from_pretrained(model, str(resume_from), is_trainable=True)
        lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                          target_modules="all-linear", bias="none", task_type="CAUSAL_LM")
        return get_peft_model(model, lora)


def _fit(project: Project, run_id: int, run_dir: Path, cfg: SftConfig, data: SD.SftData, enc: tuple[list, list],
         chat, resuming: tuple[Path, dict] | None, report: Reporter, cancel: CancelToken | None,
         dist: Dist = Dist()) -> SftResult:
    """Train (or, with ``resuming = (last_dir, state)``, continue) run ``run_id``; see the module docstring.

    Under torchrun (``dist.world > 1``) every rank takes its own micro-batch of each
    step, the summed LoRA gradients are all-reduced (one flat buffer: the adapters are
    a few MB), so a step equals one process's step over all ranks' batches; only rank 0
    evaluates, writes metrics and checkpoints.
    """
    import torch

    t_start = time.perf_counter()
    device = _device()
    writer = runs.MetricWriter(project if dist.main else None, run_id)
    deterministic = (torch.are_deterministic_algorithms_enabled(),
                     torch.is_deterministic_algorithms_warn_only_enabled())
    state = resuming[1] if resuming else None
    step = 0
    try:
        if device.type == "cpu":
            torch.use_deterministic_algorithms(True, warn_only=True)
        if dist.main:
            run_dir.mkdir(parents=True, exist_ok=True)
            ckpt.clean_run_dir(run_dir)
            runs.update_run(project, run_id, output_dir=str(run_dir))
        train_enc, dev_enc = enc
        tokenizer = chat.tokenizer
        pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        n_examples = len(train_enc)
        collate = D.collate
        if cfg.pack:
            train_enc = pack(train_enc, cfg.max_length)
            collate = collate_packed
        lengths = [len(e) for e in train_enc]

        # ---- 1. recipe
        cfg = resolve_recipe(cfg, n_examples)
        steps_per_epoch = max(1, math.ceil(len(D.plan_batches(lengths, batch_size=cfg.batch_size,
                                                              batch_tokens=cfg.batch_tokens, seed=cfg.seed,
                                                              epoch=0)) / (cfg.grad_accum * dist.world)))
        if state is not None and state.get("total_steps"):
            total_steps = int(state["total_steps"])
        elif cfg.max_steps:
            total_steps = int(cfg.max_steps)
        else:
            total_steps = max(math.ceil(cfg.epochs * steps_per_epoch), MIN_STEPS)
        eval_every = cfg.eval_every or max(math.ceil(total_steps / 8), min(steps_per_epoch, 200))
        warmup = int(cfg.warmup_ratio * total_steps)
        n_params = sum(p.numel() for p in chat.model.parameters())
        setting = parse_bf16(cfg.bf16)
        # "auto": as the tagger on a GPU (bf16 for large models only); float32 on a CPU
        use_bf16 = wants_bf16(setting, device, n_params) and (device.type == "cuda" or setting is True)
        if state is None:
            n_labels = sum(e.n_labels for e in train_enc)
            params = f"{n_params / 1e6:.0f}"
            report(Log(base_model_line(cfg.base_model, params, device, dist.world)))
            data_args = dict(train=n_examples, dev=len(dev_enc), tokens=f"{sum(lengths):,}", learned=f"{n_labels:,}")
            if cfg.pack:
                report(Log(msg("Data: {train} training and {dev} dev conversations ({tokens} tokens, {learned} of "
                               "them assistant tokens learned from), packed into {rows} rows of up to {max_length} "
                               "tokens.", rows=len(train_enc), max_length=cfg.max_length, **data_args)))
            else:
                report(Log(msg("Data: {train} training and {dev} dev conversations ({tokens} tokens, {learned} of "
                               "them assistant tokens learned from).", **data_args)))
            recipe_args = dict(steps=total_steps, epochs=f"{total_steps / steps_per_epoch:.1f}",
                               per_epoch=steps_per_epoch, batch_size=cfg.batch_size, lr=f"{cfg.lr:g}", warmup=warmup,
                               rank=cfg.lora_r, alpha=cfg.lora_alpha, eval_every=eval_every,
                               max_length=cfg.max_length)
            if cfg.grad_accum > 1:
                report(Log(msg("Recipe: {steps} steps (~{epochs} epochs of {per_epoch}), batches of {batch_size} x "
                               "{accum} accumulated, learning rate {lr} (warm-up {warmup} steps, then linear decay), "
                               "LoRA rank {rank} (alpha {alpha}) on all linear layers, evaluation every {eval_every} "
                               "steps, at most {max_length} tokens per example.", accum=cfg.grad_accum,
                               **recipe_args)))
            else:
                report(Log(msg("Recipe: {steps} steps (~{epochs} epochs of {per_epoch}), batches of {batch_size}, "
                               "learning rate {lr} (warm-up {warmup} steps, then linear decay), LoRA rank {rank} "
                               "(alpha {alpha}) on all linear layers, evaluation every {eval_every} steps, at most "
                               "{max_length} tokens per example.", **recipe_args)))
            from engine.kernels.ops import device_note  # torch is loaded by now

            note = device_note(device)
            if note:
                report(Log(msg("{note}.", note=note)))
            if use_bf16:
                report(Log(msg("Precision: bf16 autocast.")))
            elif device.type == "cuda":
                report(Log(msg("Precision: float32 (a model this small trains faster on the GPU without bf16 "
                               "autocast, which adds kernels to every step).")))
            else:
                report(Log(msg("Precision: float32.")))
            if dist.main:
                runs.update_run(project, run_id, config=asdict(cfg))
        else:
            report(Log(msg("Resuming run {run} at step {step} of {total}.", run=run_id, step=state["step"],
                           total=total_steps)))

        # ---- 2. model with LoRA adapters
        torch.manual_seed(cfg.seed)
        model = _lora(chat.model, cfg, resuming[0] if resuming else None)
        model.to(device)
        model.train()
        autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16)
        fast_head = _fast_head_ok(model, enc[0][0], device, autocast)

        # ---- 3. optimizer and schedule
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer, scheduler = make_optimizer(params, cfg.lr, cfg.weight_decay, warmup, total_steps)

        # ---- 4. where we start from
        best = {"loss": math.inf, "step": 0}
        bad_evals = 0
        stream = BatchStream(lengths, cfg)
        best_info = None  # tessera_run.json of best/, also kept in last/ so a kill between them is repaired
        if state is not None:
            step = int(state["step"])
            best = state["best"]
            bad_evals = int(state["bad_evals"])
            best_info = state.get("best_info")
            if state.get("fallback"):  # from best/: fresh optimizer, schedule and data position moved on
                fast_forward(scheduler, stream, step, cfg.grad_accum * dist.world)
                torch.manual_seed(cfg.seed + step)
            else:
                saved = ckpt.load_training_state(resuming[0])
                optimizer.load_state_dict(saved["optimizer"])
                scheduler.load_state_dict(saved["scheduler"])
                ckpt.restore_rng(saved["rng"])
                stream = BatchStream(lengths, cfg, state["epoch"], state["index"])
        start_loss = state.get("start_loss") if state else None
        tokens_total = int(state.get("tokens", 0)) if state else 0  # non-padding tokens trained on so far

        def trainer_state() -> dict:
            return {"step": step, "epoch": stream.epoch, "index": stream.index, "total_steps": total_steps,
                    "best": best, "bad_evals": bad_evals, "config": asdict(cfg), "start_loss": start_loss,
                    "tokens": tokens_total, "world_size": dist.world,
                    "train_fingerprint": SD.fingerprint(data.train), "run_id": run_id, "best_info": best_info}

        def save_last() -> None:
            if dist.main:
                ckpt.save_last(run_dir, model, tokenizer, optimizer=optimizer, scheduler=scheduler,
                               state=trainer_state())

        def metric(name: str, value: float) -> None:
            value = float(value)
            writer.add(step, stream.epoch_float, name, value)
            report(Metric(name, value, step, stream.epoch_float))

        def dev_loss() -> float:
            loss, (lo, hi) = evaluate_with_interval(model, dev_enc, device=device, pad_id=pad_id, autocast=autocast,
                                                    fast_head=fast_head)
            metric("dev/loss_lo", lo)
            metric("dev/loss_hi", hi)
            return loss

        # ---- 5. the loop
        if state is None and dist.main:
            start_loss = dev_loss()
            metric("dev/loss", start_loss)
            report(Log(msg("Dev loss before training: {loss}.", loss=f"{start_loss:.4f}")))
        report(Progress("Training", step, total_steps, "steps"))
        speed = SpeedMeter(metric, device)
        stopped_early = False
        while step < total_steps:
            pause_if_asked(cancel, dist, save_last, writer, report, run_id, step)
            # one micro-batch per rank and accumulation step, in the one-process order
            groups = [[stream.next() for _ in range(dist.world)] for _ in range(cfg.grad_accum)]
            batches = [collate([train_enc[i] for i in g[dist.rank]], pad_id) for g in groups]
            n_labels = sum(int((b["labels"][:, 1:] != SD.IGNORE_INDEX).sum()) for b in batches)
            n_tokens = sum(int(b.pop("n_tokens")) if "n_tokens" in b else int(b["attention_mask"].sum())
                           for b in batches)
            n_labels, n_tokens = (int(v) for v in _all_reduce([float(n_labels), float(n_tokens)], dist))
            n_labels = max(1, n_labels)
            loss_sum = 0.0
            for b in batches:
                b = {k: v.to(device) for k, v in b.items()}
                with autocast:
                    s, _ = _loss_sum(model, b, fast_head, fused=cfg.fused_ce)
                (s / n_labels).backward()
                loss_sum += float(s.detach())
            _sum_gradients(params, dist)
            loss_sum = _all_reduce([loss_sum], dist)[0]
            tokens_total += n_tokens
            lr = optimizer_step(optimizer, scheduler, params, cfg.clip)
            step += 1
            metric("train/loss", loss_sum / n_labels)
            metric("train/lr", lr)
            metric("train/tokens", tokens_total)
            speed.step_done(step, total_steps, n_tokens)
            if len(writer.rows) >= FLUSH_ROWS:
                writer.flush()
            report(Progress("Training", step, total_steps, "steps"))

            if step % eval_every == 0 or step == total_steps:
                stop = 0.0
                if dist.main:
                    loss = dev_loss()
                    metric("dev/loss", loss)
                    improved = loss < best["loss"]
                    if improved:
                        best = {"loss": loss, "step": step, "epoch": stream.epoch_float}
                        bad_evals = 0
                        best_info = _run_info(run_id, chat, cfg, best, data, start_loss)
                    else:
                        bad_evals += 1
                    report(Log(msg("Step {step}: dev loss {loss}; best {best} at step {best_step}.", step=step,
                                   loss=f"{loss:.4f}", best=f"{best['loss']:.4f}", best_step=best["step"])))
                    stop = float(bad_evals >= cfg.patience and step < total_steps)
                    save_last()  # first: it can rebuild best/ (same step) if the process dies before the next line
                    if improved:
                        ckpt.save_best(run_dir, model, tokenizer, best_info)
                    writer.flush(best_metric=best["loss"])
                if _all_reduce([stop], dist, "max")[0]:
                    stopped_early = True
                    report(Log(msg("Stopped early at step {step}: the dev loss has not improved for {patience} "
                                   "evaluations.", step=step, patience=cfg.patience)))
                    break

        best = _broadcast(best, dist)
        writer.flush(status="finished", finished=True, best_metric=best["loss"])
        secs = time.perf_counter() - t_start
        before = f" (before training: {start_loss:.4f})" if start_loss is not None else ""
        report(Finished(f"Trained {step} steps in {secs:.0f} s; best dev loss {best['loss']:.4f}{before} at step "
                        f"{best['step']}; adapter in {run_dir / 'best'}."))
        return SftResult(run_id, run_dir, best["loss"], best["step"], step, "finished", stopped_early)
    except TrainingCancelled:
        raise
    except BaseException as exc:
        cancelled = isinstance(exc, (KeyboardInterrupt, Cancelled))
        with contextlib.suppress(Exception):
            writer.flush(status="cancelled" if cancelled else "failed", finished=True)
        raise
    finally:
        torch.use_deterministic_algorithms(deterministic[0], warn_only=deterministic[1])


def _sum_gradients(params: list, dist: Dist) -> None:
    """Sum the gradients of ``params`` over all ranks, in one flat all-reduce (nothing in
    one process)."""
    if dist.world == 1:
        return
    import torch
    import torch.distributed as tdist
    from torch._utils import _flatten_dense_tensors, _unflatten_dense_tensors

    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
    flat = _flatten_dense_tensors(grads)
    tdist.all_reduce(flat)
    for p, g in zip(params, _unflatten_dense_tensors(flat, grads)):
        if p.grad is None:
            p.grad = g
        else:
            p.grad.copy_(g)


def _run_info(run_id: int, chat, cfg: SftConfig, best: dict, data: SD.SftData, start_loss) -> dict:
    return {"tessera": "chat", "run_id": run_id, "base_model": str(cfg.base_model),
            "base_model_dir": str(chat.folder), "config": asdict(cfg), "best": best,
            "dev_loss_before": start_loss, "train_examples": len(data.train), "dev_examples": len(data.dev),
            "dev_from_train": data.dev_from_train}
