"""Streaming text generation for a :class:`~engine.chat.model.ChatModel`.

:func:`stream` yields the reply piece by piece as tokens are decoded; it reports the
time to first token and the decode speed as :class:`~engine.events.Metric` events
(``chat/ttft_ms``, ``chat/tokens_per_s``) and checks ``cancel`` before every token.
:func:`generate` collects a whole :class:`Reply`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterator

from engine.chat.model import ChatModel
from engine.events import CancelToken, Metric, Reporter, ignore


@dataclass(frozen=True)
class GenerationSettings:
    """How to pick tokens. ``temperature`` 0 means greedy (the other sampling knobs are then unused)."""

    max_new_tokens: int = 256
    temperature: float = 0.0
    top_k: int = 0  # 0 = off
    top_p: float = 1.0  # 1 = off
    repetition_penalty: float = 1.0  # 1 = off
    stop: tuple[str, ...] = ()  # extra stop strings (end-of-turn tokens always stop)
    seed: int | None = None


@dataclass
class Reply:
    """A finished reply and how it was made."""

    text: str
    tokens: int  # new tokens generated (the stop token excluded)
    ttft_s: float  # seconds from the call to the first new token
    tokens_per_s: float  # decode speed after the first token
    stopped_by: str  # "eos", "stop", "length" or "cancel"
    token_ids: list[int] = field(default_factory=list)


class _Run:
    """State of one generation, shared by :func:`stream` and its caller through :attr:`reply`."""

    def __init__(self) -> None:
        self.reply: Reply | None = None


def stream(chat: ChatModel, messages: list[dict], settings: GenerationSettings | None = None, *,
           cancel: CancelToken | None = None, report: Reporter = ignore, result: _Run | None = None) -> Iterator[str]:
    """Yield the assistant's reply to ``messages`` as text pieces, as tokens are generated.

    When ``result`` is given, ``result.reply`` holds the :class:`Reply` at the end.

    Raises:
        ChatModelError: the chat template cannot render ``messages``.
    """
    settings = settings or GenerationSettings()
    ids = chat.prompt_ids(messages)
    yield from stream_ids(chat, ids, settings, cancel=cancel, report=report, result=result)


def stream_ids(chat: ChatModel, prompt_ids: list[int], settings: GenerationSettings, *,
               cancel: CancelToken | None = None, report: Reporter = ignore,
               result: _Run | None = None) -> Iterator[str]:
    """Like :func:`stream`, from prompt token ids."""
    import torch

    from engine.chat.sampling import pick_token

    model, tok = chat.model, chat.tokenizer
    device = next(model.parameters()).device
    stops = chat.stop_token_ids()
    gen = torch.Generator(device="cpu")
    if settings.seed is not None:
        gen.manual_seed(settings.seed)
    else:
        gen.seed()
    t0 = time.perf_counter()
    t_first = None
    out: list[int] = []
    emitted = ""
    stopped_by = "length"
    text = ""
    with torch.inference_mode():
        input_ids = torch.tensor([prompt_ids], device=device)
        past = None
        seen = torch.tensor(prompt_ids, device=device)
        for _ in range(settings.max_new_tokens):
            if cancel is not None and cancel.cancelled:
                stopped_by = "cancel"
                break
            o = model(input_ids=input_ids, past_key_values=past, use_cache=True, logits_to_keep=1)
            past = o.past_key_values
            logits = o.logits[0, -1].float()
            nxt = pick_token(logits, settings, seen if settings.repetition_penalty != 1.0 else None, gen)
            if t_first is None:
                t_first = time.perf_counter()
                report(Metric("chat/ttft_ms", (t_first - t0) * 1000.0))
            if nxt in stops:
                stopped_by = "eos"
                break
            out.append(nxt)
            if settings.repetition_penalty != 1.0:
                seen = torch.cat([seen, torch.tensor([nxt], device=device)])
            input_ids = torch.tensor([[nxt]], device=device)
            text = tok.decode(out, skip_special_tokens=True)
            cut = _stop_at(text, settings.stop)
            if cut is not None:
                text = text[:cut]
                stopped_by = "stop"
            safe = _stable_prefix(text, settings.stop) if stopped_by != "stop" else text
            if len(safe) > len(emitted) and not safe.endswith("\ufffd"):
                yield safe[len(emitted):]
                emitted = safe
            if stopped_by == "stop":
                break
    if stopped_by != "stop":
        text = tok.decode(out, skip_special_tokens=True)
    if len(text) > len(emitted):
        yield text[len(emitted):]
    t_end = time.perf_counter()
    rate = (len(out) - 1) / (t_end - t_first) if t_first is not None and len(out) > 1 and t_end > t_first else 0.0
    report(Metric("chat/tokens_per_s", rate))
    if result is not None:
        result.reply = Reply(text, len(out), (t_first or t_end) - t0, rate, stopped_by, out)


def _stop_at(text: str, stops: tuple[str, ...]) -> int | None:
    """Return where the first stop string starts in ``text``, or ``None``."""
    hits = [text.find(s) for s in stops if s and s in text]
    return min(hits) if hits else None


def _stable_prefix(text: str, stops: tuple[str, ...]) -> str:
    """Return ``text`` without a tail that could still grow into a stop string."""
    hold = 0
    for s in stops:
        for k in range(min(len(s) - 1, len(text)), 0, -1):
            if text.endswith(s[:k]):
                hold = max(hold, k)
                break
    return text[: len(text) - hold] if hold else text


def generate(chat: ChatModel, messages: list[dict], settings: GenerationSettings | None = None, *,
             cancel: CancelToken | None = None, report: Reporter = ignore) -> Reply:
    """Return the whole reply to ``messages`` (see :func:`stream`)."""
    run = _Run()
    for _ in stream(chat, messages, settings, cancel=cancel, report=report, result=run):
        pass
    assert run.reply is not None
    return run.reply
