"""Events that long engine functions report, and the cancel flag they check.

Long work (import, export, train, predict, generate) takes ``report`` (a callable
receiving one of these frozen dataclasses) and ``cancel`` (a :class:`CancelToken`).
The GUI turns events into Qt signals; the CLI turns them into a tqdm bar.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Union


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` units (``total`` 0 = unknown) of the stage ``what``."""

    what: str
    done: int
    total: int
    unit: str = "it"


@dataclass(frozen=True)
class Metric:
    """One measured value, e.g. ``train/loss`` at a step."""

    name: str
    value: float
    step: int = 0
    epoch: float = 0.0


@dataclass(frozen=True)
class Log:
    """A line of text for the user."""

    message: str
    level: str = "info"


@dataclass(frozen=True)
class Finished:
    """The work ended normally; ``summary`` is a short human sentence."""

    summary: str


@dataclass(frozen=True)
class Failed:
    """The work stopped on an error the user can act on."""

    message: str


Event = Union[Progress, Metric, Log, Finished, Failed]
Reporter = Callable[[Event], None]


def ignore(event: Event) -> None:
    """A reporter that drops every event."""


class Cancelled(Exception):
    """Raised inside long work when its :class:`CancelToken` was set."""


class CancelToken:
    """A thread-safe flag: the caller sets it, the worker checks it between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled()
