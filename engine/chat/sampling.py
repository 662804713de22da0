"""Choosing the next token from logits: greedy, temperature, top-k, top-p, repetition penalty."""
from __future__ import annotations


def pick_token(logits, settings, seen=None, generator=None) -> int:
    """Return the id of the next token from 1-D ``logits`` under ``settings``.

    ``seen`` (1-D tensor of ids already in the context) is penalised when
    ``settings.repetition_penalty`` is not 1 (the CTRL rule: positive logits are
    divided by the penalty, negative ones multiplied). ``settings.temperature`` 0
    picks the most likely token; otherwise the logits are scaled, cut to the
    ``top_k`` best and to the smallest set whose probability reaches ``top_p``, and
    one token is drawn with ``generator``. On a GPU the draw is ``cuda/sampling.cu``
    (:func:`engine.kernels.ops.sample_token`: the same distribution, no sort) where the
    kernels run.
    """
    import torch

    # top-p 0 keeps no token's mass: its limit is the most likely token, as greedy
    greedy = settings.temperature <= 0 or settings.top_p <= 0
    if logits.is_cuda and not greedy:
        from engine.kernels import ops

        if ops.use_kernel(logits, "sampling"):  # one kernel: penalty, temperature, top-k/p and the draw
            u = torch.rand(1, generator=generator, device=logits.device)
            ids = seen.view(1, -1) if seen is not None and settings.repetition_penalty != 1.0 else None
            return int(ops.sample_token(logits.view(1, -1), ids, u, temperature=settings.temperature,
                                        top_k=int(settings.top_k or 0), top_p=float(settings.top_p),
                                        penalty=float(settings.repetition_penalty))[0])
    if seen is not None and settings.repetition_penalty != 1.0 and seen.numel():
        picked = logits.index_select(0, seen)
        picked = torch.where(picked > 0, picked / settings.repetition_penalty, picked * settings.repetition_penalty)
        logits = logits.clone()
        logits.index_copy_(0, seen, picked)
    if greedy:
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
