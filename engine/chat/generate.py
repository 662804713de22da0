"""Streaming text generation for a :class:`~engine.chat.model.ChatModel`.

:func:`stream` yields the reply piece by piece as tokens are decoded; it reports the
time to first token and the decode speed as :class:`~engine.events.Metric` events
(``chat/ttft_ms``, ``chat/tokens_per_s``) and checks ``cancel`` before every token.
:func:`generate` collects a whole :class:`Reply`.

Llama-family models (SmolLM2, Llama, Qwen2, Mistral) run through the lean decoder in
:mod:`engine.chat.fast_llama` (same greedy tokens as transformers, a fraction of the
per-token overhead); other causal LMs run through their transformers forward with a
key/value cache. Text is detokenized incrementally: each token decodes only a short
window, and a piece ending in an incomplete UTF-8 character is held back until the
character is complete.
"""
from __future__ import annotations

import inspect
import os
import time
from dataclasses import dataclass, field
from typing import Iterator

from engine.chat.model import ChatModel
from engine.messages import msg
from engine.events import CancelToken, Log, Metric, Reporter, ignore


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
    # how the tokens were computed: "kernels" (Tessera's CUDA kernels), "cuda-graph" (the
    # torch step replayed as a CUDA graph), "fast" (the lean llama decoder), "transformers"
    decoder: str = ""


#: :attr:`Reply.decoder` by the class of the stepper that ran
_DECODERS = {"KernelStep": "kernels", "GraphStep": "cuda-graph", "_FastStepper": "fast", "_HFStepper": "transformers"}


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


class _FastStepper:
    """Prompt then one token at a time through :class:`engine.chat.fast_llama.FastLlama`."""

    def __init__(self, fast, capacity: int) -> None:
        self.fast = fast
        self.cache = fast.new_cache(capacity)
        self.device = fast.device

    def prefill(self, ids: list[int]):
        return self.fast.prefill(ids, self.cache)

    def step(self, token: int):
        return self.fast.step(token, self.cache)


class _HFStepper:
    """Prompt then one token at a time through the transformers forward, with a growing cache."""

    def __init__(self, model) -> None:
        import torch
        from transformers import DynamicCache

        self.model = model
        self.device = next(model.parameters()).device
        base = model.get_base_model() if hasattr(model, "get_base_model") else model  # a peft wrapper
        params = inspect.signature(base.forward).parameters
        # transformers 5 renamed ``past_key_values`` to ``cache``; pass what this version takes
        self.kwargs = {"use_cache": True}
        if "logits_to_keep" in params:
            self.kwargs["logits_to_keep"] = 1
        try:
            cache = DynamicCache(config=model.config)
        except TypeError:  # older transformers
            cache = DynamicCache()
        self.kwargs["cache" if "cache" in params else "past_key_values"] = cache
        self.torch = torch

    def _run(self, ids: list[int]):
        x = self.torch.tensor([ids], device=self.device)
        return self.model(input_ids=x, **self.kwargs).logits[0, -1].float()

    def prefill(self, ids: list[int]):
        return self._run(ids)

    def step(self, token: int):
        return self._run([token])


def prepare(chat: ChatModel) -> bool:
    """Build the fast decoder of ``chat`` now (otherwise its first reply does, which adds
    about a second to that reply's time to first token).

    Returns True when replies will use the fast llama path, False when they use the
    transformers forward (see :func:`engine.chat.fast_llama.unsupported_reason`).
    """
    from engine.chat.fast_llama import fast_decoder

    return fast_decoder(chat) is not None


def _use_cuda_graphs() -> bool:
    """Whether decode steps on a GPU replay CUDA graphs (default yes; ``TESSERA_CUDA_GRAPHS=0`` turns them off)."""
    return os.environ.get("TESSERA_CUDA_GRAPHS", "1").strip().lower() not in ("0", "false", "no", "off")


def _stepper(chat: ChatModel, capacity: int, report: Reporter = ignore):
    """Return the fastest exact way to run ``chat``'s model for ``capacity`` positions.

    On a GPU that is the lean llama decoder with its steps replayed as a CUDA graph
    (:mod:`engine.chat.cuda_graph`); when capturing fails, the same decoder eagerly.
    """
    from engine.chat.fast_llama import fast_decoder

    fast = fast_decoder(chat)
    if fast is None or not fast.fits(capacity):
        return _HFStepper(chat.model)
    kind = None
    if fast.device.type == "cuda":
        from engine.chat import kernel_decode
        from engine.kernels import ops

        if kernel_decode.supports(fast) and ops.use_kernel(fast.embed, "llama_decode"):
            kind = kernel_decode.KernelStep  # Tessera's decode-step kernels (cuda/llama_decode.cu)
    graphs = fast.device.type == "cuda" and _use_cuda_graphs()
    from engine.chat import cuda_graph

    if kind is not None:
        try:
            if graphs:
                return cuda_graph.take(fast, capacity, kind)
            step = kind(fast, capacity, graph=False)
            step.prefill([0])  # one trial step through the kernels before the reply depends on them
            step.step(0)
            return step
        except Exception as exc:  # a kernel that cannot compile, load or launch here: torch's step
            report(Log(msg("CUDA kernels failed ({reason}); decoding with the torch step.", reason=str(exc)),
                       level="warning"))
    if graphs:
        try:
            return cuda_graph.take(fast, capacity)
        except RuntimeError as exc:  # capture is not possible here: eager steps give the same tokens
            report(Log(msg("CUDA graphs unavailable ({reason}); decoding without them.", reason=str(exc))))
    return _FastStepper(fast, capacity)


class _Detokenizer:
    """Turns token ids into text one token at a time, decoding only a short window.

    The window starts at the last point where the text was complete, so a token that
    carries only part of a UTF-8 character (its text ends in U+FFFD) yields nothing
    until the character is complete, and tokenizers that strip a leading space treat
    both decodes of the window alike. Joined, the pieces equal ``decode(ids)``.
    """

    def __init__(self, tokenizer) -> None:
        self.tok = tokenizer
        self.ids: list[int] = []
        self.prefix = 0  # the window starts here
        self.read = 0  # text of ids[:read] was already returned

    def _decode(self, ids: list[int]) -> str:
        return self.tok.decode(ids, skip_special_tokens=True) if ids else ""

    def add(self, token: int) -> str:
        """Return the new text that ``token`` completes ("" while a character is incomplete)."""
        self.ids.append(token)
        return self._advance(final=False)

    def flush(self) -> str:
        """Return whatever text is still held back (an incomplete character shows as U+FFFD)."""
        return self._advance(final=True)

    def _advance(self, final: bool) -> str:
        if self.read == len(self.ids):
            return ""
        before = self._decode(self.ids[self.prefix:self.read])
        now = self._decode(self.ids[self.prefix:])
        if len(now) > len(before) and (final or not now.endswith("\ufffd")):
            self.prefix, self.read = self.read, len(self.ids)
            return now[len(before):]
        return ""


def stream_ids(chat: ChatModel, prompt_ids: list[int], settings: GenerationSettings, *,
               cancel: CancelToken | None = None, report: Reporter = ignore,
               result: _Run | None = None) -> Iterator[str]:
    """Like :func:`stream`, from prompt token ids."""
    import torch

    from engine.chat.sampling import pick_token

    t0 = time.perf_counter()
    budget = max(0, int(settings.max_new_tokens))
    stops = chat.stop_token_ids()
    penalize = settings.repetition_penalty != 1.0
    longest_stop = max((len(s) for s in settings.stop if s), default=0)
    out: list[int] = []
    text, emitted = "", 0
    stopped_by = "length"
    t_first = None
    detok = _Detokenizer(chat.tokenizer)
    # inference mode only around the tensor work: never while suspended at a yield
    with torch.inference_mode():
        runner = _stepper(chat, len(prompt_ids) + budget, report)
        gen = torch.Generator(device=runner.device)
        if settings.seed is not None:
            gen.manual_seed(settings.seed)
        else:
            gen.seed()
        seen = None
        if penalize:  # every id in the context, written in place (no growing tensor)
            seen = torch.empty(len(prompt_ids) + budget, dtype=torch.long, device=runner.device)
            seen[: len(prompt_ids)] = torch.tensor(prompt_ids, dtype=torch.long)
    try:
        n_seen = len(prompt_ids)
        for i in range(budget):
            if cancel is not None and cancel.cancelled:
                stopped_by = "cancel"
                break
            with torch.inference_mode():
                logits = runner.prefill(prompt_ids) if i == 0 else runner.step(out[-1])
                nxt = pick_token(logits, settings, seen[:n_seen] if penalize else None, gen)
                if penalize:
                    seen[n_seen] = nxt
            if t_first is None:
                t_first = time.perf_counter()
                report(Metric("chat/ttft_ms", (t_first - t0) * 1000.0))
            if nxt in stops:
                stopped_by = "eos"
                break
            out.append(nxt)
            n_seen += 1
            piece = detok.add(nxt)
            if not piece:
                continue
            old = len(text)
            text += piece
            cut = _stop_at(text, settings.stop, max(0, old - longest_stop + 1))
            if cut is not None:
                text = text[:cut]
                stopped_by = "stop"
            safe = len(text) if stopped_by == "stop" else len(_stable_prefix(text, settings.stop))
            if safe > emitted:
                yield text[emitted:safe]
                emitted = safe
            if stopped_by == "stop":
                break
        if stopped_by != "stop":
            old = len(text)
            text += detok.flush()
            cut = _stop_at(text, settings.stop, max(0, old - longest_stop + 1))
            if cut is not None:
                text, stopped_by = text[:cut], "stop"
        if len(text) > emitted:
            yield text[emitted:]
        t_end = time.perf_counter()
        rate = (len(out) - 1) / (t_end - t_first) if t_first is not None and len(out) > 1 and t_end > t_first else 0.0
        report(Metric("chat/tokens_per_s", rate))
        if result is not None:
            result.reply = Reply(text, len(out), (t_first or t_end) - t0, rate, stopped_by, out,
                                 _DECODERS.get(type(runner).__name__, ""))
    finally:
        release = getattr(runner, "release", None)
        if release is not None:  # a captured CUDA graph: kept for the next reply
            release()


def _stop_at(text: str, stops: tuple[str, ...], start: int = 0) -> int | None:
    """Return where the first stop string found at or after ``start`` begins in ``text``, or ``None``."""
    hits = [i for i in (text.find(s, start) for s in stops if s) if i >= 0]
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
