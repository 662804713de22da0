"""Fine-tune a token-classification model on a project's ``done`` documents.

The whole training loop, top to bottom in one file. On one device (CPU or one GPU)::

    from engine.ner.train import TrainConfig, train, resume
    result = train("project.tessera", TrainConfig(seed=0))     # -> RunResult
    result = resume("project.tessera", run_id)                  # after a cancel or crash

Across processes (DistributedDataParallel; gloo on CPU, nccl on GPU), the same
call runs in every process started by ``torchrun``, which sets ``RANK``,
``WORLD_SIZE`` and ``LOCAL_RANK``::

    torchrun --nproc-per-node 2 -m <a module that calls train(...)>

Every rank trains on its share of each step's batches; only rank 0 writes to the
project (run row, metrics, splits) and to the run folder (checkpoints), and
evaluates; its decisions (stop, cancel) reach the other ranks by all-reduce.

What one run does:

1. data: assign stored splits to documents without one, build sentence examples
   and the tag list (``engine.ner.data``), align them to sub-word pieces;
2. recipe: fill in what the config left as ``None``/``"auto"`` from the data size
   (:func:`resolve_recipe`; the small-data defaults are measured by
   ``tests/bench/bench_ner_small_data.py``) and say what was chosen in ``Log`` events;
3. model: load the base model with a fresh head over our tags (bias = log prior of
   each tag, so the first steps are not spent learning that most words are ``O``);
4. loop: AdamW, linear warm-up then linear decay, gradient clipping and
   accumulation, bf16 autocast where the hardware does bf16 natively (on a GPU, for models of
   1B+ parameters: smaller ones are launch-bound and train faster in float32, see wants_bf16); a
   ``Progress`` event each step, ``Metric`` events and ``run_metrics`` rows (written in
   batches);
5. every ``eval_every`` steps (about once an epoch; more often on long epochs,
   at most ~8 times on tiny data) and at the end: dev scores with seqeval, the
   best model to ``best/``, the resumable state to ``last/``, early stopping after
   ``patience`` evaluations without a better dev F1 (never before ``min_steps``).

The same seed gives the same batches, dropout masks and losses on CPU; ``resume``
continues from ``last/`` with the same data order, optimizer, schedule and RNG
state, so its losses are those the uninterrupted run would have had.
"""
from __future__ import annotations

import contextlib
import math
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from engine.events import Cancelled, CancelToken, Finished, Log, Metric, Progress, Reporter, ignore
from engine.messages import msg
from engine.ner import checkpoint as ckpt
from engine.ner import data as D
from engine.ner import runs
from engine.ner.model_source import ModelSourceError, load_tokenizer, quiet_transformers, resolve_base_model
from engine.ner.warm_start import carry_head, warm_note
from engine.scores import choose_best
from engine.store import Project

KIND = "ner"
LOG_EVERY = 10  # steps between tokens/s and memory metrics
FLUSH_ROWS = 2000  # metric rows buffered before a write even between evaluations


# --------------------------------------------------------------------------- config


@dataclass
class TrainConfig:
    """What to train and how. ``None`` and ``"auto"`` are chosen from the data
    (see :func:`resolve_recipe`); the run's config row stores the chosen values."""

    base_model: str = "default"  # "default" or a model folder
    epochs: float | None = None  # auto: 4 (more on small data, through min_steps)
    batch_size: int | None = None  # most sentences per batch; auto from data size
    batch_tokens: int | None = None  # most padded pieces per batch; auto
    lr: float | None = None  # peak learning rate; auto (higher on small data)
    max_steps: int | None = None  # exact number of optimizer steps (overrides epochs)
    min_steps: int | None = None  # floor on steps, also no early stop before; auto: 200..500
    patience: int = 3  # evaluations without a better dev F1 before stopping
    select: str = "auto"  # best checkpoint: "f1", "smooth" (mean of 3 evaluations), "auto" (smooth on a small dev set)
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    grad_accum: int = 1
    clip: float = 1.0  # gradient norm clip (0 = off)
    seed: int = 0
    eval_every: int | None = None  # steps between evaluations; auto
    bf16: bool | str = "auto"  # auto: see wants_bf16 (native bf16; on a GPU, large models only)
    out_dir: str | None = None  # folder for run folders; default <project>.runs
    head_init: str = "auto"  # "prior": bias = log tag prior; "default": transformers init; auto: prior on small data
    freeze_embeddings: bool | str = "auto"  # freeze the word-embedding matrix; auto: small data
    label_all_pieces: bool = True  # train every piece of a word, not only its first (data.encode)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        """Return a config from a dict (unknown keys are ignored)."""
        names = {f.name for f in fields(cls)}
        d = {k: v for k, v in d.items() if k in names}
        d.setdefault("label_all_pieces", False)  # a run stored before the option trained first pieces only
        return cls(**d)


@dataclass
class RunResult:
    """What a finished (or early-stopped) run produced."""

    run_id: int
    output_dir: Path  # the run folder; the model is in output_dir / "best"
    best_f1: float
    best_step: int
    steps: int  # optimizer steps done in total
    report: dict = field(default_factory=dict)  # per-label P/R/F1/support + micro/macro of the best evaluation
    status: str = "finished"
    stopped_early: bool = False

    @property
    def best_dir(self) -> Path:
        return Path(self.output_dir) / "best"


class TrainingCancelled(Cancelled):
    """Training stopped because its CancelToken was set; ``last/`` holds a resumable state."""

    def __init__(self, run_id: int, step: int):
        super().__init__(f"Training run {run_id} was paused at step {step}; it can be resumed.")
        self.run_id = run_id
        self.step = step


def resolve_recipe(cfg: TrainConfig, n_train: int, warm: bool = False) -> TrainConfig:
    """Return a copy of ``cfg`` with the data-size dependent choices filled in.

    ``n_train`` is the number of training sentences; ``warm``: the base model's trained
    head was carried over (:func:`engine.ner.warm_start.carry_head`), so it is kept and
    the step floor that a cold start on small data needs is halved. Small data needs many more
    optimizer steps than a few epochs give and a higher learning rate, or the
    model never gets past predicting ``O`` for every word (measured in
    ``tests/bench/bench_ner_small_data.py``).
    """
    c = TrainConfig(**asdict(cfg))
    small = n_train < 1000
    if c.batch_size is None:
        c.batch_size = 8 if n_train < 500 else 16 if n_train < 2000 else 32
    if c.batch_tokens is None:
        c.batch_tokens = 64 * c.batch_size
    if c.lr is None:
        c.lr = 1.5e-4 if n_train < 500 else 1e-4 if n_train < 2000 else 5e-5
    if c.epochs is None:
        c.epochs = 4
    if c.min_steps is None:  # 200 steps up to ~130 sentences, then 1.5 per sentence, at most 500
        c.min_steps = int(min(500, max(200, round(1.5 * n_train))))
        if warm:  # half the floor: as good on held-out data in half the time (bench_warm_start.py)
            c.min_steps //= 2
    if c.freeze_embeddings == "auto":
        c.freeze_embeddings = small
    if c.head_init == "auto":
        # the prior bias helps small data (+0.03 F1 at 50-100 sentences) but holds back a
        # short run at lr 5e-5 on the full WNUT-17 train (0.457 vs 0.481 after 2 epochs)
        c.head_init = "default" if warm else "prior" if small else "default"
    return c


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Dist:
    """This process's place under torchrun (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``)."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0

    @classmethod
    def from_env(cls) -> "Dist":
        env = os.environ
        return cls(int(env.get("RANK", 0)), int(env.get("WORLD_SIZE", 1)), int(env.get("LOCAL_RANK", 0)))


def _device(dist: Dist):
    import torch

    if torch.cuda.is_available():
        return torch.device("cuda", dist.local_rank if dist.world > 1 else torch.cuda.current_device())
    return torch.device("cpu")


def bf16_native(device) -> bool:
    """Return whether ``device`` runs bf16 matrix products natively (then autocast speeds up).

    CUDA: ``torch.cuda.is_bf16_supported()``. CPU: AMX tiles or AVX-512 BF16; without
    them PyTorch emulates bf16 and autocast makes training several times slower.
    """
    import torch

    if device.type == "cuda":
        return bool(torch.cuda.is_bf16_supported())
    cpu = torch.cpu
    for probe in ("_is_amx_tile_supported", "_is_avx512_bf16_supported"):
        fn = getattr(cpu, probe, None)
        if fn is not None and fn():
            return True
    return False


#: On a GPU, ``bf16="auto"`` turns autocast on only for models at least this large. Smaller
#: models are bound by kernel launches, and autocast adds cast kernels. Measured on an
#: H200: the 22.6M-parameter default encoder trained 2.3x faster in float32 than with
#: bf16 autocast, at the same dev F1; LoRA on the 135M chat model 1.8x faster
#: (docs/benchmarks/h200/). From about a billion parameters the matrix products dominate
#: and bf16 also halves the activations' memory.
CUDA_BF16_MIN_PARAMS = 1_000_000_000


def parse_bf16(value) -> bool | str:
    """Return a config's ``bf16`` value as ``"auto"``, True or False (a command line or a
    stored config gives strings such as ``"true"``/``"off"``)."""
    if isinstance(value, str):
        value = value.lower()
        return "auto" if value == "auto" else value in ("1", "true", "yes", "on")
    return bool(value)


def base_model_line(model: str, params: str, device, processes: int):
    """The log line naming the base model, its size (``params`` millions, formatted),
    the device and, when more than one, the number of processes (a ``msg``)."""
    if processes > 1:
        return msg("Base model: {model} ({params}M parameters) on {device}, {processes} processes.",
                   model=model, params=params, device=device.type, processes=processes)
    return msg("Base model: {model} ({params}M parameters) on {device}.", model=model, params=params,
               device=device.type)


def wants_bf16(setting, device, n_params: int) -> bool:
    """Return whether to train with bf16 autocast: ``setting`` True/False as given; ``"auto"``
    when ``device`` does bf16 natively, and on a GPU only for models of at least
    :data:`CUDA_BF16_MIN_PARAMS` parameters."""
    if setting != "auto":
        return bool(setting)
    if not bf16_native(device):
        return False
    return device.type != "cuda" or n_params >= CUDA_BF16_MIN_PARAMS


def make_optimizer(params: list, lr: float, weight_decay: float, warmup: int, total_steps: int):
    """Return ``(optimizer, scheduler)``: AdamW (fused where available) with weight decay on
    matrices only, and a linear warm-up over ``warmup`` steps then linear decay to 0 at
    ``total_steps``."""
    import torch

    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    try:
        optimizer = torch.optim.AdamW(groups, lr=lr, fused=True)
    except (RuntimeError, TypeError, ValueError):
        optimizer = torch.optim.AdamW(groups, lr=lr, foreach=True)

    def lr_factor(s: int) -> float:  # s: index of the step about to be taken
        if s < warmup:
            return (s + 1) / warmup
        return max(0.0, (total_steps - s) / max(1, total_steps - warmup))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)


def fast_forward(scheduler, stream, step: int, micro_per_step: int) -> None:
    """Move a fresh learning-rate schedule and batch stream on to ``step`` (resuming from
    ``best/`` when no optimizer state was saved): the same learning rate and data order
    as an uninterrupted run from there on, only the optimizer's moments start anew."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "scheduler.step() before optimizer.step()": on purpose
        for _ in range(step):
            scheduler.step()
    for _ in range(step * micro_per_step):
        stream.next()


def optimizer_step(optimizer, scheduler, params: list, clip: float) -> float:
    """Clip the gradients to norm ``clip`` (0: no clipping), take one optimizer and schedule
    step and clear the gradients; return the learning rate that step used."""
    import torch

    if clip:
        torch.nn.utils.clip_grad_norm_(params, clip)
    lr = scheduler.get_last_lr()[0]
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    return lr


class SpeedMeter:
    """Counts trained tokens and, every :data:`LOG_EVERY` steps (and at the last), reports
    ``train/tokens_per_s``, ``mem/rss_mb`` and on CUDA ``mem/cuda_mb`` through ``metric``."""

    def __init__(self, metric, device):
        self.metric, self.device = metric, device
        self.tokens, self.since = 0, time.perf_counter()

    def step_done(self, step: int, total_steps: int, tokens: int) -> None:
        """Add the ``tokens`` of the step just taken; report if it is a logging step."""
        self.tokens += tokens
        if step % LOG_EVERY and step != total_steps:
            return
        now = time.perf_counter()
        self.metric("train/tokens_per_s", self.tokens / max(1e-9, now - self.since))
        self.metric("mem/rss_mb", rss_mb())
        if self.device.type == "cuda":
            import torch

            self.metric("mem/cuda_mb", torch.cuda.max_memory_allocated(self.device) / 2**20)
        self.tokens, self.since = 0, now


def _all_reduce(values: list[float], dist: Dist, op: str = "sum") -> list[float]:
    """Sum (or max) ``values`` over all ranks; returns them unchanged in one process."""
    if dist.world == 1:
        return values
    import torch
    import torch.distributed as tdist

    t = torch.tensor(values, dtype=torch.float64)
    tdist.all_reduce(t, op=tdist.ReduceOp.MAX if op == "max" else tdist.ReduceOp.SUM)
    return t.tolist()


def _broadcast(obj, dist: Dist):
    """Return rank 0's ``obj`` on every rank."""
    if dist.world == 1:
        return obj
    import torch.distributed as tdist

    box = [obj]
    tdist.broadcast_object_list(box, src=0)
    return box[0]


# --------------------------------------------------------------------------- public API


def train(project_path: str | Path, config: TrainConfig | None = None, *, report: Reporter = ignore,
          cancel: CancelToken | None = None, on_eval=None) -> RunResult:
    """Train a new tagger on the project's ``done`` documents; return the run's result.

    Opens its own connection to ``project_path`` (safe to call from a worker thread).

    Raises:
        ModelSourceError: the base model is missing or unusable (nothing is recorded).
        DataError: nothing to train on (nothing is recorded).
        TrainingCancelled: ``cancel`` was set; the run is ``cancelled`` with a
            resumable ``last/`` checkpoint (see :func:`resume`).
        Exception: anything else marks the run ``failed`` and is re-raised.

    ``on_eval(step, model, scores, tags)`` (optional) runs after every dev evaluation on
    rank 0 (benchmarks score other data with the model of that step).
    """
    def task_of(project, config, assign, report):
        return NerTask(D.load_training_data(project, seed=config.seed, assign=assign, report=report))

    return start_run(project_path, config or TrainConfig(), task_of, kind=KIND, head="token", report=report,
                     cancel=cancel, on_eval=on_eval)


def resume(project_path: str | Path, run_id: int, *, report: Reporter = ignore,
           cancel: CancelToken | None = None) -> RunResult:
    """Continue run ``run_id`` from its ``last/`` checkpoint; return the run's result.

    The step count, data order, optimizer, schedule and random state continue where
    they stopped; metric rows after the checkpoint's step (written after it by a
    crashed run) are deleted first, so no step is recorded twice.

    Raises:
        TesseraError: no such run, it already finished, or it has no ``last/`` checkpoint.
        TrainingCancelled, Exception: as for :func:`train`.
    """
    def task_of(project, config, state, report):
        return NerTask(D.load_training_data(project, seed=config.seed, tags=state["tags"], assign=False,
                                            report=report))

    return continue_run(project_path, run_id, task_of, kind=KIND, what=msg("an entity-tagger run"), report=report,
                        cancel=cancel)


def start_run(project_path: str | Path, config: TrainConfig, task_of, *, kind: str, head: str,
              report: Reporter = ignore, cancel: CancelToken | None = None, on_eval=None) -> RunResult:
    """Start a new run of ``kind`` and train it (:func:`fit`); return its result.

    ``task_of(project, config, assign, report)`` loads the data and returns the task
    (:class:`NerTask` or the like); rank 0 calls it with ``assign=True`` (splits are
    stored) before the other ranks read them. ``head`` is the base model's head
    (:func:`~engine.ner.model_source.resolve_base_model`).

    Raises:
        As :func:`train`.
    """
    dist = Dist.from_env()
    _init_process_group(dist)
    report = report if dist.main else ignore
    project = Project.open(project_path)
    try:
        base_dir = resolve_base_model(config.base_model, head=head)
        if dist.main:
            task = task_of(project, config, True, report)
        _barrier(dist)  # splits are stored by rank 0 before the others read them
        if not dist.main:
            task = task_of(project, config, False, ignore)
        run_id = None
        if dist.main:
            run_id = runs.create_run(project, kind=kind, base_model=str(config.base_model), config=asdict(config))
        run_id = _broadcast(run_id, dist)
        run_dir = Path(config.out_dir or project.runs_dir) / str(run_id)
        return fit(project, run_id, run_dir, config, task, base_dir, None, report, cancel, dist, on_eval)
    finally:
        project.close()


def continue_run(project_path: str | Path, run_id: int, task_of, *, kind: str, what: str,
                 report: Reporter = ignore, cancel: CancelToken | None = None) -> RunResult:
    """Continue run ``run_id`` of ``kind`` from its checkpoint (:func:`fit`); return its result.

    ``task_of(project, config, trainer_state, report)`` loads the data the way the run
    saw it (its tag or category list) and returns the task; a changed training set is
    reported (``train_fingerprint``). ``what`` names the kind in messages.

    Raises:
        As :func:`resume`.
    """
    dist = Dist.from_env()
    _init_process_group(dist)
    report = report if dist.main else ignore
    project = Project.open(project_path)
    try:
        run_dir, last, state = runs.resume_point(project, run_id, kind, what)
        config = TrainConfig.from_dict(state["config"])
        task = task_of(project, config, state, report)
        if not state.get("fallback") and task.state().get("train_fingerprint") != state.get("train_fingerprint"):
            report(Log(msg("The labeled data changed since this run was paused; it continues on the current data, "
                           "so it is no longer an exact continuation."), "warning"))
        if dist.main:
            runs.delete_metrics_after(project, run_id, state["step"])
            runs.update_run(project, run_id, status="running", finished=None, owner=runs.owner_record())
        if state.get("fallback"):
            report(Log(msg("Run {run} has no saved training state (its process was stopped before writing one); "
                           "it continues from its best checkpoint at step {step} with a fresh optimizer, "
                           "so it is not an exact continuation.", run=run_id, step=state["step"]), "warning"))
        return fit(project, run_id, run_dir, config, task, last, state, report, cancel, dist)
    finally:
        project.close()


def pause_if_asked(cancel: CancelToken | None, dist: Dist, save_last, writer, report: Reporter, run_id: int,
                   step: int) -> None:
    """Between steps: when ``cancel`` is set in any rank, save the resumable state
    (``save_last()``), mark the run cancelled and raise :class:`TrainingCancelled`.

    Raises:
        TrainingCancelled: the run was asked to pause.
    """
    stop_now = 1.0 if (cancel is not None and cancel.cancelled) else 0.0
    if _all_reduce([stop_now], dist, "max")[0]:
        save_last()
        writer.flush(status="cancelled", finished=True)
        report(Log(msg("Paused at step {step}; resume run {run} to continue.", step=step, run=run_id)))
        raise TrainingCancelled(run_id, step)


def _init_process_group(dist: Dist) -> None:
    if dist.world > 1:
        import torch
        import torch.distributed as tdist

        if not tdist.is_initialized():
            if torch.cuda.is_available():
                torch.cuda.set_device(dist.local_rank)
            tdist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")


def _barrier(dist: Dist) -> None:
    if dist.world > 1:
        import torch.distributed as tdist

        tdist.barrier()


# --------------------------------------------------------------------------- the run


class BatchStream:
    """Endless micro-batches over epochs; ``(epoch, index)`` is the resumable position.

    ``cfg`` is any config with ``batch_size``, ``batch_tokens`` and ``seed`` (batches
    come from :func:`engine.ner.data.plan_batches`: length-grouped, seeded per epoch).
    """

    def __init__(self, lengths, cfg: TrainConfig, epoch: int = 0, index: int = 0):
        self.lengths, self.cfg = lengths, cfg
        self.epoch, self.index = epoch, index
        self.plan = self._plan(epoch)

    def _plan(self, epoch: int) -> list[list[int]]:
        return D.plan_batches(self.lengths, batch_size=self.cfg.batch_size, batch_tokens=self.cfg.batch_tokens,
                              seed=self.cfg.seed, epoch=epoch)

    def next(self) -> list[int]:
        if self.index >= len(self.plan):
            self.epoch, self.index = self.epoch + 1, 0
            self.plan = self._plan(self.epoch)
        self.index += 1
        return self.plan[self.index - 1]

    @property
    def epoch_float(self) -> float:
        return self.epoch + self.index / max(1, len(self.plan))


def rss_mb() -> float:
    """Return this process's resident memory in MiB (its peak, where psutil is missing)."""
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # peak, not current, but better than nothing
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class NerTask:
    """What :func:`fit` needs to know about entity tagging: the model head over BIO tags,
    sentence examples in pieces, the token-level loss, seqeval dev scores. Another kind
    of model (``engine.textcat.train.TextcatTask``) supplies the same methods."""

    kind = KIND
    unit = msg("sentences")  # what one training example is, in log lines
    score_name = msg("dev F1")  # what the best-model score is called

    def __init__(self, data: D.TrainingData):
        self.data = data
        self.labels = data.tags  # handed to ``on_eval``
        self.train_enc: list[D.Encoded] = []
        self.dev_enc: list[D.Encoded] = []
        self.carried = 0  # tags whose head row came from the base model (warm start)

    def load(self, model_dir: Path, cfg: TrainConfig, report: Reporter):
        """Return ``(model, tokenizer)``: the model in ``model_dir`` with a head over the
        tags; encode the examples (``self.lengths``: pieces per training example).

        Raises:
            ModelSourceError: the model cannot be loaded.
        """
        import torch
        from transformers import AutoModelForTokenClassification

        tags = self.data.tags
        tag_to_id = {t: i for i, t in enumerate(tags)}
        tokenizer = load_tokenizer(model_dir)
        torch.manual_seed(cfg.seed)
        try:
            with quiet_transformers():
                model = AutoModelForTokenClassification.from_pretrained(
                    str(model_dir), num_labels=len(tags), id2label=dict(enumerate(tags)), label2id=tag_to_id,
                    use_safetensors=True, local_files_only=True, trust_remote_code=False,
                    ignore_mismatched_sizes=True)
        except Exception as exc:
            raise ModelSourceError(msg("The model in {folder} cannot be loaded ({reason}).",
                                       folder=model_dir, reason=str(exc))) from None
        self.carried = carry_head(model, model_dir, tags)
        max_len = D.model_max_length(tokenizer, model.config)
        self.train_enc, n_cut = D.encode(tokenizer, self.data.train, tag_to_id, max_len,
                                         all_pieces=cfg.label_all_pieces)
        self.dev_enc, n_cut_dev = D.encode(tokenizer, self.data.dev, tag_to_id, max_len,
                                           all_pieces=cfg.label_all_pieces)
        if n_cut or n_cut_dev:
            report(Log(msg("{count} sentences are longer than the model's limit of {limit} pieces "
                           "({train} in train, {dev} in dev) and were cut there; their last words are not "
                           "learned from, and count as missed in the dev scores.",
                           count=n_cut + n_cut_dev, limit=max_len, train=n_cut, dev=n_cut_dev), "warning"))
        if self.data.ignored_spans:
            report(Log(msg("{count} entities have labels this run does not know and are ignored.",
                           count=self.data.ignored_spans), "warning"))
        self.lengths = [len(e) for e in self.train_enc]
        return model, tokenizer

    def resolve(self, cfg: TrainConfig) -> TrainConfig:
        return resolve_recipe(cfg, len(self.train_enc), warm=self.carried > 0)

    def data_line(self) -> str:
        names = [t[2:] for t in self.data.tags if t.startswith("B-")]
        return msg("Data: {train} training and {dev} dev sentences; {count} labels: {labels}.",
                   train=len(self.train_enc), dev=len(self.dev_enc), count=len(names), labels=", ".join(names))

    def init_head(self, model, cfg: TrainConfig) -> str:
        """Set the head's bias to the log prior of each tag (``head_init="prior"``); return
        what was done, for the recipe line."""
        import torch

        head = getattr(model, "classifier", None)
        if cfg.head_init != "prior" or not isinstance(head, torch.nn.Linear):
            return warm_note(self.carried, len(self.data.tags), "tags")
        labels = torch.tensor([lab for e in self.train_enc for lab in e.labels if lab >= 0], dtype=torch.long)
        counts = torch.bincount(labels, minlength=len(self.data.tags)).double() + 1  # add-one smoothing
        gen = torch.Generator().manual_seed(cfg.seed)
        with torch.no_grad():
            std = getattr(model.config, "initializer_range", 0.02)
            head.weight.copy_(torch.randn(head.weight.shape, generator=gen) * std)
            head.bias.copy_((counts / counts.sum()).log().to(head.bias.dtype))
        return msg("head bias from tag frequencies")

    def loss_scale(self, micro_per_epoch: int) -> float:
        return D.loss_scale(self.train_enc, micro_per_epoch)

    def collate(self, idx: list[int], pad_id: int) -> dict:
        return D.collate([self.train_enc[i] for i in idx], pad_id)

    def loss(self, logits, labels, cpu_labels):
        """Return ``(summed loss, labeled pieces)`` of a batch (counted on ``cpu_labels``: no GPU sync)."""
        import torch.nn.functional as F

        loss = F.cross_entropy(logits.float().view(-1, logits.shape[-1]), labels.view(-1),
                               ignore_index=D.IGNORE_INDEX, reduction="sum")
        return loss, max(1, int((cpu_labels != D.IGNORE_INDEX).sum()))

    def state(self) -> dict:
        """What ``trainer_state.json`` holds besides the loop's position."""
        return {"tags": self.data.tags, "train_fingerprint": D.fingerprint(self.data.train)}

    def evaluate(self, model, *, device, pad_id: int, autocast) -> dict:
        return evaluate(model, self.dev_enc, self.data.dev, self.data.tags, device=device, pad_id=pad_id,
                        autocast=autocast)

    def log_scores(self, metric, scores: dict) -> None:
        metric("dev/loss", scores["loss"])
        for k in ("f1", "f1_macro", "precision", "recall"):
            metric(f"dev/{k}", scores[k])
        metric("dev/f1_lo", scores["f1_ci"][0])
        metric("dev/f1_hi", scores["f1_ci"][1])
        for name, row in scores["per_label"].items():
            for k in ("f1", "precision", "recall", "support"):
                metric(f"dev/{k}/{name}", row[k])
            if "ci" in row:
                metric(f"dev/f1_lo/{name}", row["ci"][0])
                metric(f"dev/f1_hi/{name}", row["ci"][1])

    def eval_line(self, step: int, scores: dict, best: dict) -> str:
        return msg("Step {step}: dev F1 {f1} (precision {precision}, recall {recall}); best {best} at step "
                   "{best_step}.", step=step, f1=f"{scores['f1']:.3f}", precision=f"{scores['precision']:.3f}",
                   recall=f"{scores['recall']:.3f}", best=f"{best['f1']:.3f}", best_step=best["step"])

    def round_scores(self, scores: dict) -> dict:
        return _round_scores(scores)

    def run_info(self, run_id: int, cfg: TrainConfig, best: dict) -> dict:
        return _run_info(run_id, cfg, self.data.tags, best, self.data)


def fit(project: Project, run_id: int, run_dir: Path, cfg: TrainConfig, task, model_dir: Path,
        state: dict | None, report: Reporter, cancel: CancelToken | None, dist: Dist, on_eval=None) -> RunResult:
    """Train (or, with ``state``, continue) run ``run_id`` of ``task`` (:class:`NerTask` or
    a task with the same methods); see the module docstring. The best model is the one
    with the best ``scores["f1"]`` (by :func:`engine.scores.choose_best`)."""
    import torch

    t_start = time.perf_counter()
    device = _device(dist)
    writer = runs.MetricWriter(project if dist.main else None, run_id)
    resuming = state is not None
    deterministic = (torch.are_deterministic_algorithms_enabled(),
                     torch.is_deterministic_algorithms_warn_only_enabled())
    step = 0
    try:
        if device.type == "cpu":
            torch.use_deterministic_algorithms(True, warn_only=True)
        if dist.main:
            run_dir.mkdir(parents=True, exist_ok=True)
            ckpt.clean_run_dir(run_dir)
            runs.update_run(project, run_id, output_dir=str(run_dir))

        # ---- 1. tokenizer, model, pieces
        model, tokenizer = task.load(model_dir, cfg, report)
        lengths = task.lengths

        # ---- 2. recipe
        cfg = task.resolve(cfg)
        cfg.bf16 = parse_bf16(cfg.bf16)
        micro_per_epoch = len(D.plan_batches(lengths, batch_size=cfg.batch_size, batch_tokens=cfg.batch_tokens,
                                             seed=cfg.seed, epoch=0))
        steps_per_epoch = max(1, micro_per_epoch // (cfg.grad_accum * dist.world))
        if state is not None and state.get("total_steps"):
            total_steps = state["total_steps"]
        elif cfg.max_steps:
            total_steps = int(cfg.max_steps)
        else:
            total_steps = max(math.ceil(cfg.epochs * steps_per_epoch), int(cfg.min_steps))
        eval_every = cfg.eval_every or max(math.ceil(total_steps / 8), min(steps_per_epoch, 1000))
        warmup = int(cfg.warmup_ratio * total_steps)
        n_params = sum(p.numel() for p in model.parameters())
        use_bf16 = wants_bf16(cfg.bf16, device, n_params)
        # ---- 3. model head and trainable parameters
        head_note = "" if resuming else task.init_head(model, cfg)
        if not resuming:
            params = f"{n_params / 1e6:.1f}"
            report(Log(base_model_line(cfg.base_model, params, device, dist.world)))
            report(Log(task.data_line()))
            extras = ""
            if cfg.freeze_embeddings:
                extras = msg("{before}, word embeddings frozen", before=extras)
            if head_note:
                extras = msg("{before}, {note}", before=extras, note=head_note)
            report(Log(msg("Recipe: {steps} steps (~{epochs} epochs of {per_epoch}), batches of up to {batch_size} "
                           "{unit} / {batch_tokens} pieces, learning rate {lr} (warm-up {warmup} steps, then linear "
                           "decay), evaluation every {eval_every} steps{extras}.",
                           steps=total_steps, epochs=f"{total_steps / steps_per_epoch:.1f}", per_epoch=steps_per_epoch,
                           batch_size=cfg.batch_size, unit=task.unit, batch_tokens=cfg.batch_tokens,
                           lr=f"{cfg.lr:g}", warmup=warmup, eval_every=eval_every, extras=extras)))
            from engine.kernels.ops import device_note  # torch is loaded by now

            note = device_note(device)
            if note:
                report(Log(msg("{note}.", note=note)))
            if use_bf16 and not bf16_native(device):
                report(Log(msg("bf16 was asked for, but this processor has no native bf16: training will be slower "
                               "than in float32."), "warning"))
            elif use_bf16:
                report(Log(msg("Precision: bf16 autocast.")))
            elif cfg.bf16 == "auto" and device.type == "cpu":
                report(Log(msg("Precision: float32 (this processor has no native bf16, which would be slower).")))
            elif cfg.bf16 == "auto":
                report(Log(msg("Precision: float32 (a model this small trains faster on the GPU without bf16 "
                               "autocast, which adds kernels to every step).")))
        else:
            report(Log(msg("Resuming run {run} at step {step} of {total}.", run=run_id, step=state["step"],
                           total=total_steps)))
        if dist.main and not resuming:
            runs.update_run(project, run_id, config=asdict(cfg))
        if cfg.freeze_embeddings:
            model.get_input_embeddings().weight.requires_grad_(False)
        model.to(device)
        raw_model = model
        if dist.world > 1:
            from torch.nn.parallel import DistributedDataParallel as DDP

            model = DDP(model, device_ids=[device.index] if device.type == "cuda" else None)

        # ---- 4. optimizer and schedule
        params = [p for p in raw_model.parameters() if p.requires_grad]
        optimizer, scheduler = make_optimizer(params, cfg.lr, cfg.weight_decay, warmup, total_steps)
        autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16)
        scale = task.loss_scale(micro_per_epoch)  # summed loss x scale: each labeled unit weighs the same

        # ---- 5. where we start from
        best = {"f1": -1.0, "loss": math.inf, "step": 0, "scores": {}}
        bad_evals = 0
        stream = BatchStream(lengths, cfg)
        best_info = None  # tessera_run.json of best/, also kept in last/ so a kill between them is repaired
        history: list[tuple[float, float]] = []  # (dev F1, dev loss) of every evaluation, for choose_best
        if resuming:
            step = int(state["step"])
            best = state["best"]
            bad_evals = int(state["bad_evals"])
            best_info = state.get("best_info")
            history = [tuple(h) for h in state.get("history", [])]
            if state.get("fallback"):  # from best/: fresh optimizer, schedule and data position moved on
                fast_forward(scheduler, stream, step, cfg.grad_accum * dist.world)
                torch.manual_seed(cfg.seed + step)
            else:
                saved = ckpt.load_training_state(model_dir)
                optimizer.load_state_dict(saved["optimizer"])
                scheduler.load_state_dict(saved["scheduler"])
                ckpt.restore_rng(saved["rng"])
                stream = BatchStream(lengths, cfg, state["epoch"], state["index"])
        else:
            torch.manual_seed(cfg.seed)

        def trainer_state() -> dict:
            return {"step": step, "epoch": stream.epoch, "index": stream.index, "total_steps": total_steps,
                    "best": best, "bad_evals": bad_evals, "config": asdict(cfg), **task.state(),
                    "run_id": run_id, "world_size": dist.world,
                    "best_info": best_info, "history": [list(h) for h in history]}

        def save_last() -> None:
            if dist.main:
                ckpt.save_last(run_dir, raw_model, tokenizer, optimizer=optimizer, scheduler=scheduler,
                               state=trainer_state())

        def metric(name: str, value: float) -> None:
            value = float(value)
            writer.add(step, stream.epoch_float, name, value)
            report(Metric(name, value, step, stream.epoch_float))

        # ---- 6. the loop
        pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        report(Progress("Training", step, total_steps, "steps"))
        speed = SpeedMeter(metric, device)
        stopped_early = False
        while step < total_steps:
            pause_if_asked(cancel, dist, save_last, writer, report, run_id, step)
            model.train()
            loss_sum, n_tokens = 0.0, 0
            for micro in range(cfg.grad_accum):
                group = [stream.next() for _ in range(dist.world)]  # one micro-batch per rank
                cpu_batch = task.collate(group[dist.rank], pad_id)
                n_tokens += int(cpu_batch["attention_mask"].sum())  # counted on the host: no GPU sync
                batch = {k: v.to(device, non_blocking=True) for k, v in cpu_batch.items()}
                sync = micro == cfg.grad_accum - 1 or dist.world == 1
                with (contextlib.nullcontext() if sync else model.no_sync()), autocast:
                    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
                loss, n_labeled = task.loss(logits, batch["labels"], cpu_batch["labels"])
                (loss * (scale / cfg.grad_accum)).backward()
                loss_sum += loss.item() / n_labeled / cfg.grad_accum  # reported: mean per labeled unit
            lr = optimizer_step(optimizer, scheduler, params, cfg.clip)
            step += 1
            loss_sum, n_tokens = _all_reduce([loss_sum, float(n_tokens)], dist)
            loss_sum /= dist.world
            metric("train/loss", loss_sum)
            metric("train/lr", lr)
            speed.step_done(step, total_steps, n_tokens)
            if len(writer.rows) >= FLUSH_ROWS:
                writer.flush()
            report(Progress("Training", step, total_steps, "steps"))

            if step % eval_every == 0 or step == total_steps:
                stop = 0.0
                if dist.main:
                    scores = task.evaluate(raw_model, device=device, pad_id=pad_id, autocast=autocast)
                    task.log_scores(metric, scores)
                    if on_eval is not None:
                        on_eval(step, raw_model, scores, task.labels)
                    history.append((scores["f1"], scores["loss"]))
                    pick = choose_best([h[0] for h in history], [h[1] for h in history], scores["support"],
                                       cfg.select)
                    improved = pick == len(history) - 1
                    if improved:
                        best = {"f1": scores["f1"], "loss": scores["loss"], "step": step,
                                "epoch": stream.epoch_float, "scores": task.round_scores(scores)}
                        bad_evals = 0
                        best_info = task.run_info(run_id, cfg, best)
                    else:
                        bad_evals += 1
                    report(Log(task.eval_line(step, scores, best)))
                    stop = float(bad_evals >= cfg.patience and step >= cfg.min_steps and step < total_steps)
                    save_last()  # first: it can rebuild best/ (same step) if the process dies before the next line
                    if improved:
                        ckpt.save_best(run_dir, raw_model, tokenizer, best_info)
                    writer.flush(best_metric=best["f1"])
                if _all_reduce([stop], dist, "max")[0]:
                    stopped_early = True
                    report(Log(msg("Stopped early at step {step}: the {score} has not improved for {patience} "
                                   "evaluations.", step=step, score=task.score_name, patience=cfg.patience)))
                    break

        best = _broadcast(best, dist)
        writer.flush(status="finished", finished=True, best_metric=best["f1"])
        secs = time.perf_counter() - t_start
        report(Finished(f"Trained {step} steps in {secs:.0f} s; best {task.score_name} {best['f1']:.3f} "
                        f"at step {best['step']}."))
        return RunResult(run_id, run_dir, best["f1"], best["step"], step, best.get("scores", {}),
                         "finished", stopped_early)
    except TrainingCancelled:
        raise
    except BaseException as exc:
        cancelled = isinstance(exc, (KeyboardInterrupt, Cancelled))
        with contextlib.suppress(Exception):
            writer.flush(status="cancelled" if cancelled else "failed", finished=True)
        raise
    finally:
        torch.use_deterministic_algorithms(deterministic[0], warn_only=deterministic[1])


def _round_scores(scores: dict) -> dict:
    """Scores as stored in checkpoints and the result: micro/macro and per label, rounded."""
    out = {k: round(scores[k], 6) for k in ("f1", "f1_macro", "precision", "recall", "loss")}
    out["per_label"] = {n: {k: (v if k == "support" else [round(x, 6) for x in v] if k == "ci" else round(v, 6))
                            for k, v in row.items()}
                        for n, row in scores["per_label"].items()}
    if "f1_ci" in scores:
        out["f1_ci"] = [round(x, 6) for x in scores["f1_ci"]]
        out["support"] = scores["support"]
        out["docs"] = scores["docs"]
    return out


def _run_info(run_id: int, cfg: TrainConfig, tags: list[str], best: dict, data: D.TrainingData) -> dict:
    return {"tessera": "ner", "run_id": run_id, "config": asdict(cfg), "tags": tags, "best": best,
            "train_sentences": len(data.train), "dev_sentences": len(data.dev),
            "dev_from_train": data.dev_from_train}


def evaluate(model, dev_enc: list[D.Encoded], dev: list[D.Example], tags: list[str], *, device, pad_id: int,
             autocast=None) -> dict:
    """Return dev scores: :func:`engine.ner.metrics.entity_scores` of the Viterbi-decoded
    predictions, plus ``loss`` (mean cross-entropy over labeled pieces)."""
    import torch
    import torch.nn.functional as F

    from engine.ner.decode import transition_masks, viterbi
    from engine.scores import add_intervals
    from engine.ner.metrics import entity_scores
    from engine.ner.predict import rows_at_words

    start, trans = transition_masks(tags)
    was_training = model.training
    model.eval()
    preds: list[list[str]] = [[] for _ in dev]
    loss_sum, n = 0.0, 0
    for idx in D.eval_batches([len(e) for e in dev_enc]):
        batch = D.collate([dev_enc[i] for i in idx], pad_id)
        with torch.inference_mode(), (autocast or contextlib.nullcontext()):
            logits = model(input_ids=batch["input_ids"].to(device),
                           attention_mask=batch["attention_mask"].to(device)).logits
        logits = logits.float()
        labels = batch["labels"].to(device)
        loss_sum += float(F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1),
                                          ignore_index=D.IGNORE_INDEX, reduction="sum"))
        n += int((labels != D.IGNORE_INDEX).sum())
        lp = torch.log_softmax(logits, dim=-1).cpu().numpy()
        for r, i in enumerate(idx):
            path = viterbi(rows_at_words(lp[r], dev_enc[i].word_starts), start, trans)
            preds[i] = [tags[j] for j in path]
    model.train(was_training)
    labels = [t[2:] for t in tags if t.startswith("B-")]
    gold = [list(e.tags) for e in dev]
    scores = entity_scores(gold, preds, labels)
    scores["loss"] = loss_sum / max(1, n)
    add_intervals(scores, gold, preds, [e.doc_id for e in dev], labels)
    return scores
