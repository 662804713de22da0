"""Choosing the next token from logits: greedy, temperature, top-k, top-p, repetition penalty."""
from __future__ import annotations


def pick_token(logits, settings, seen=None, generator=None) -> int:
    """Return the id of the next token from 1-D ``logits`` under ``settings``.

    ``seen`` (1-D tensor of ids already in the context) is penalised when
    ``settings.repetition_penalty`` is not 1 (the CTRL rule: positive logits are
    divided by the penalty, negative ones multiplied). ``settings.temperature`` 0
    picks the most likely token; otherwise the logits are scaled, cut to the
    ``top_k`` best and to the smallest set whose probability reaches ``top_p``, and
    one token is drawn with ``generator``.
    """
    import torch

    if seen is not None and settings.repetition_penalty != 1.0 and seen.numel():
        picked = logits.index_select(0, seen)
        picked = torch.where(picked > 0, picked / settings.repetition_penalty, picked * settings.repetition_penalty)
        logits = logits.clone()
        logits.index_copy_(0, seen, picked)
    if settings.temperature <= 0:
        return int(torch.argmax(logits))
    logits = logits / settings.temperature
    if settings.top_k and settings.top_k < logits.numel():
        kth = torch.topk(logits, settings.top_k).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if settings.top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True)
        probs = torch.softmax(sorted_logits, dim=-1)
        # keep a token while the mass before it is below top_p (the first always stays)
        drop = (probs.cumsum(-1) - probs) >= settings.top_p
        sorted_logits = sorted_logits.masked_fill(drop, float("-inf"))
        logits = torch.full_like(logits, float("-inf")).scatter(0, order, sorted_logits)
    probs = torch.softmax(logits, dim=-1)
    return int(torch.multinomial(probs, 1, generator=generator))
