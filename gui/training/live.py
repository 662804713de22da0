"""What one training run has reported so far, as plain Python (no Qt, no torch).

:class:`RunData` collects :class:`~engine.events.Metric` values into per-name
:class:`Series` (step -> value) and per-step evaluations, and answers what the
panel shows: the curves, the per-label table of the latest and of the best
evaluation, and the figures of the stats line. The same object is filled live from
events and, for a finished run, from its ``run_metrics`` rows, so both paths draw
the same way.
"""
from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

#: Weight of the past in the smoothed train-loss curve (TensorBoard's default 0.6 is
#: too jumpy for per-step losses of small batches; 0.9 averages about 10 steps).
EMA_WEIGHT = 0.9

#: Per-label metrics the engine reports as ``dev/<metric>/<LABEL>``.
LABEL_METRICS = ("precision", "recall", "f1", "support", "f1_lo", "f1_hi")


class Series:
    """Points ``(step, value)`` of one metric, steps increasing.

    A point at a step at or before the last one (a resumed run repeating steps
    after its checkpoint) replaces the points from that step on.
    """

    __slots__ = ("steps", "values")

    def __init__(self) -> None:
        self.steps: list[int] = []
        self.values: list[float] = []

    def add(self, step: int, value: float) -> None:
        """Append ``value`` at ``step`` (see the class docstring for repeated steps)."""
        if self.steps and step <= self.steps[-1]:
            k = len(self.steps)
            while k and self.steps[k - 1] >= step:
                k -= 1
            del self.steps[k:]
            del self.values[k:]
        self.steps.append(int(step))
        self.values.append(float(value))

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def last(self) -> float | None:
        """The latest value, or ``None`` when empty."""
        return self.values[-1] if self.values else None


def ema(values: list[float], weight: float = EMA_WEIGHT) -> list[float]:
    """Return the debiased exponential moving average of ``values``.

    Debiased (as TensorBoard does) so the first points are not pulled towards 0;
    NaN and infinite values are skipped (the previous smoothed value is repeated).
    """
    out: list[float] = []
    acc, norm = 0.0, 0.0
    for v in values:
        if math.isfinite(v):
            acc = weight * acc + (1 - weight) * v
            norm = weight * norm + (1 - weight)
        out.append(acc / norm if norm else float("nan"))
    return out


@dataclass
class Evaluation:
    """The dev metrics measured at one step: overall and per label."""

    step: int
    epoch: float = 0.0
    overall: dict[str, float] = field(default_factory=dict)  # f1, f1_macro, precision, recall, loss
    labels: dict[str, dict[str, float]] = field(default_factory=dict)  # label -> {precision, recall, f1, support}

    @property
    def f1(self) -> float | None:
        return self.overall.get("f1")

    @property
    def loss(self) -> float | None:
        """The dev loss (lower is better), or ``None`` when not measured."""
        return self.overall.get("loss")

    @property
    def perplexity(self) -> float | None:
        """``exp(dev loss)``: roughly how many tokens the model hesitates between (``None``
        without a loss, ``inf`` when it overflows)."""
        loss = self.loss
        if loss is None or not math.isfinite(loss):
            return None
        return math.exp(loss) if loss < 700 else math.inf

    @property
    def f1_ci(self) -> tuple[float, float] | None:
        """The 95% interval of the micro F1 (``None`` when the run did not report one)."""
        lo, hi = self.overall.get("f1_lo"), self.overall.get("f1_hi")
        return None if lo is None or hi is None else (lo, hi)

    def label_ci(self, name: str) -> tuple[float, float] | None:
        """The 95% interval of a label's F1, or ``None``."""
        m = self.labels.get(name, {})
        lo, hi = m.get("f1_lo"), m.get("f1_hi")
        return None if lo is None or hi is None else (lo, hi)

    @property
    def support(self) -> int:
        """Gold entities in the dev set of this evaluation."""
        return int(sum(m.get("support") or 0 for m in self.labels.values()))

    def rows(self) -> list[tuple[str, float | None, float | None, float | None, float | None]]:
        """``(label, precision, recall, f1, support)`` per label, labels sorted by name."""
        return [
            (name, m.get("precision"), m.get("recall"), m.get("f1"), m.get("support"))
            for name, m in sorted(self.labels.items(), key=lambda kv: kv[0].lower())
        ]


class RateMeter:
    """Steps per second over the last ``window`` seconds of progress reports."""

    def __init__(self, window: float = 30.0) -> None:
        self.window = window
        self._points: deque[tuple[float, int]] = deque()

    def add(self, t: float, step: int) -> None:
        if self._points and step < self._points[-1][1]:
            self._points.clear()
        self._points.append((t, step))
        while len(self._points) > 2 and t - self._points[0][0] > self.window:
            self._points.popleft()

    def rate(self) -> float:
        """Steps per second, 0.0 until two reports at different times arrived."""
        if len(self._points) < 2:
            return 0.0
        (t0, s0), (t1, s1) = self._points[0], self._points[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0

    def clear(self) -> None:
        self._points.clear()


class RunData:
    """Everything reported by one run, fed by :meth:`add_metric` and :meth:`set_progress`."""

    def __init__(self, run_id: int | None = None) -> None:
        self.run_id = run_id
        self.series: dict[str, Series] = {}
        self.evaluations: dict[int, Evaluation] = {}
        self.step = 0
        self.total_steps = 0
        self.epoch = 0.0
        self.stage = ""
        self.started = time.monotonic()
        self.rate = RateMeter()
        self.version = 0  # bumped on every change: views redraw when it moved

    # ---- feeding

    def add_metric(self, name: str, value: float, step: int, epoch: float = 0.0) -> None:
        """Record one metric value (the engine's :class:`~engine.events.Metric` fields)."""
        step = int(step)
        value = float(value)
        self.series.setdefault(name, Series()).add(step, value)
        if step >= self.step:
            self.epoch = float(epoch or 0.0)
        self.step = max(self.step, step)
        if name.startswith("dev/"):
            ev = self.evaluations.get(step)
            if ev is None:
                # a resumed run repeats steps: drop evaluations from this step on
                for s in [s for s in self.evaluations if s > step]:
                    del self.evaluations[s]
                ev = self.evaluations[step] = Evaluation(step, float(epoch))
            parts = name.split("/", 2)
            if len(parts) == 3 and parts[1] in LABEL_METRICS:
                ev.labels.setdefault(parts[2], {})[parts[1]] = value
            elif len(parts) == 2:
                ev.overall[parts[1]] = value
        self.version += 1

    def set_progress(self, stage: str, done: int, total: int, t: float | None = None) -> None:
        """Record a progress report; training steps feed the step rate."""
        self.stage = stage
        if stage == "Training":
            self.step = int(done)
            self.total_steps = int(total)
            self.rate.add(time.monotonic() if t is None else t, int(done))
        self.version += 1

    @classmethod
    def from_rows(cls, run_id: int | None, rows) -> "RunData":
        """Build from ``(step, epoch, name, value)`` rows (``run_metrics`` order: by step)."""
        data = cls(run_id)
        for step, epoch, name, value in rows:
            data.add_metric(name, value, step, epoch or 0.0)
        return data

    # ---- reading

    def get(self, name: str) -> Series:
        """The series called ``name`` (empty when never reported)."""
        return self.series.get(name) or Series()

    def last(self, name: str) -> float | None:
        """Latest value of ``name`` or ``None``."""
        s = self.series.get(name)
        return s.last if s else None

    def label_names(self) -> list[str]:
        """Labels with a per-label F1 curve, sorted by name."""
        return sorted((n[len("dev/f1/"):] for n in self.series if n.startswith("dev/f1/")), key=str.lower)

    def latest_evaluation(self) -> Evaluation | None:
        return self.evaluations[max(self.evaluations)] if self.evaluations else None

    def best_evaluation(self, rule: str = "auto") -> Evaluation | None:
        """The evaluation the engine keeps as ``best/``: :func:`engine.scores.choose_best`
        over the evaluations so far (highest micro F1, ties by lower dev loss; or, while
        the dev set is small, the best mean of three evaluations in a row)."""
        from engine.scores import choose_best

        evs = [self.evaluations[s] for s in sorted(self.evaluations) if self.evaluations[s].f1 is not None]
        if not evs:
            return None
        i = choose_best([e.f1 for e in evs], [e.overall.get("loss", math.inf) for e in evs], evs[-1].support
                        if evs[-1].labels else 10**9, rule)
        return evs[i]

    def loss_evaluations(self) -> list[Evaluation]:
        """The evaluations that measured a dev loss, by step."""
        return [self.evaluations[s] for s in sorted(self.evaluations) if self.evaluations[s].loss is not None]

    def best_loss_evaluation(self) -> Evaluation | None:
        """The evaluation a chat run keeps as ``best/``: the LOWEST dev loss (the earliest of
        equals). The evaluation before training (step 0) is no candidate: nothing was saved then."""
        best = None
        for ev in self.loss_evaluations():
            if ev.step > 0 and math.isfinite(ev.loss) and (best is None or ev.loss < best.loss):
                best = ev
        return best

    def steps_per_second(self) -> float:
        return self.rate.rate()

    def eta_seconds(self) -> float | None:
        """Seconds left at the recent step rate, or ``None`` when unknown."""
        r = self.rate.rate()
        if r <= 0 or self.total_steps <= 0:
            return None
        return max(0.0, (self.total_steps - self.step) / r)

    def elapsed(self) -> float:
        return time.monotonic() - self.started
