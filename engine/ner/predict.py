"""Tag words or raw text with a trained model folder.

:func:`load_tagger` opens any token-classification folder with safetensors weights
(a run's ``best/`` or ``last/``, or one that ``transformers.pipeline(
"token-classification", model=folder)`` loads) and returns a :class:`Tagger`:

* ``tag_tokens([["Empire", "State", "Building"], ...])`` -> BIO tags per word;
* ``tag_text("...")`` -> ``[(start, end, label, score), ...]`` character spans, using
  :func:`engine.tokenize.tokenize` and :func:`engine.tokenize.split_sentences`.

Each word is scored on its first sub-word piece; tags are decoded with constrained
Viterbi (:mod:`engine.ner.decode`), so the output is always valid BIO. Sentences
longer than the model's limit are tagged in consecutive chunks (nothing is dropped).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from engine.ner import data as D
from engine.ner.decode import NEG, bio_spans, transition_masks, viterbi
from engine.ner.model_source import ModelSourceError, load_tokenizer, quiet_transformers


def rows_at_words(log_probs: np.ndarray, word_starts: Sequence[int]) -> np.ndarray:
    """Return the ``[words, tags]`` rows of one sentence's piece log-probabilities
    (``[pieces, tags]``) at each word's first piece. A word cut off by truncation
    (start ``-1``) gets certainty for tag 0 (``O``)."""
    starts = np.asarray(word_starts, dtype=np.int64)
    if not len(starts):
        return np.zeros((0, log_probs.shape[-1]), dtype=log_probs.dtype)
    rows = log_probs[np.clip(starts, 0, None)]
    if (starts < 0).any():
        rows[starts < 0] = NEG
        rows[starts < 0, 0] = 0.0
    return rows


def word_log_probs(model, items: Sequence[D.Encoded], *, pad_id: int, device, autocast=None) -> list[np.ndarray]:
    """Run ``model`` on one batch of encoded sentences; return a ``[words, tags]``
    array of log-probabilities per item (see :func:`rows_at_words`)."""
    import contextlib

    import torch

    batch = D.collate(items, pad_id)
    with torch.inference_mode(), (autocast or contextlib.nullcontext()):
        logits = model(input_ids=batch["input_ids"].to(device), attention_mask=batch["attention_mask"].to(device)).logits
    lp = torch.log_softmax(logits.float(), dim=-1).cpu().numpy()
    return [rows_at_words(lp[r], item.word_starts) for r, item in enumerate(items)]


class Tagger:
    """A loaded model that tags words (:meth:`tag_tokens`) or text (:meth:`tag_text`)."""

    def __init__(self, model, tokenizer, *, device: str = "cpu", batch_size: int = 32, batch_tokens: int = 4096):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.device = device
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        id2label = {int(k): v for k, v in model.config.id2label.items()}
        self.tags = [id2label[i] for i in range(len(id2label))]
        self.max_length = D.model_max_length(tokenizer, model.config)
        self._start, self._trans = transition_masks(self.tags)
        self._specials = tokenizer.num_special_tokens_to_add(pair=False)
        self._pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0

    # ---- words

    def _chunks(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """Return word ranges whose pieces fit the model (one range if the sentence does)."""
        if not words:
            return []
        enc = self.tokenizer([list(words)], is_split_into_words=True, add_special_tokens=False)
        counts = [0] * len(words)
        for w in enc.word_ids(0):
            if w is not None:
                counts[w] += 1
        room = max(1, self.max_length - self._specials)
        if sum(counts) <= room:
            return [(0, len(words))]
        out, a, used = [], 0, 0
        for k, c in enumerate(counts):
            if k > a and used + max(c, 1) > room:
                out.append((a, k))
                a, used = k, 0
            used += max(c, 1)
        out.append((a, len(words)))
        return out

    def word_log_probs(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Return a ``[words, tags]`` array of log-probabilities (tags in :attr:`tags`
        order) per sentence of words; long sentences are run in chunks and joined."""
        pieces: list[tuple[int, int, int]] = []  # (sentence, first word, end word)
        for s, words in enumerate(sentences):
            pieces += [(s, a, b) for a, b in self._chunks(words)]
        chunk_words = [list(sentences[s][a:b]) for s, a, b in pieces]
        ids, starts, _ = D.encode_words(self.tokenizer, chunk_words, self.max_length)
        items = [D.Encoded(i, [D.IGNORE_INDEX] * len(i), ws) for i, ws in zip(ids, starts)]
        lps: list[np.ndarray | None] = [None] * len(items)
        for batch in D.eval_batches([len(x) for x in items], batch_size=self.batch_size, batch_tokens=self.batch_tokens):
            for k, lp in zip(batch, word_log_probs(self.model, [items[k] for k in batch], pad_id=self._pad,
                                                  device=self.device)):
                lps[k] = lp
        per_sentence: list[list[np.ndarray]] = [[] for _ in sentences]
        for (s, _, _), lp in zip(pieces, lps):
            per_sentence[s].append(lp)
        n_tags = len(self.tags)
        return [np.concatenate(parts, axis=0) if parts else np.zeros((0, n_tags), dtype=np.float32)
                for parts in per_sentence]

    def decode(self, lp: np.ndarray) -> tuple[list[str], list[float]]:
        """Return the constrained-Viterbi BIO tags of one sentence's ``[words, tags]``
        log-probabilities and each chosen tag's probability."""
        if not len(lp):
            return [], []
        path = viterbi(lp, self._start, self._trans)
        return [self.tags[j] for j in path], [float(np.exp(lp[t, j])) for t, j in enumerate(path)]

    def tag_tokens_scored(self, sentences: Sequence[Sequence[str]]) -> list[tuple[list[str], list[float]]]:
        """Return ``(tags, probabilities)`` per sentence: valid BIO tags and each chosen tag's probability."""
        lps = self.word_log_probs(sentences)
        paths = self._gpu_paths(lps)
        if paths is None:
            return [self.decode(lp) for lp in lps]
        return [([self.tags[j] for j in path], [float(np.exp(lp[t, j])) for t, j in enumerate(path)])
                for lp, path in zip(lps, paths)]

    def _gpu_paths(self, lps: list[np.ndarray]) -> list[list[int]] | None:
        """The Viterbi paths of all sentences at once by ``cuda/bio_viterbi.cu`` when the
        tagger runs on a GPU where the kernels run; None otherwise (then :meth:`decode`
        runs per sentence on the CPU: same paths, tested)."""
        import torch

        from engine.kernels import ops

        if not lps or torch.device(self.device).type != "cuda" or not ops.use_kernel(torch.device(self.device),
                                                                                   "bio_viterbi"):
            return None
        lengths = [len(lp) for lp in lps]
        emit = np.zeros((len(lps), max(1, max(lengths)), len(self.tags)), dtype=np.float32)
        for b, lp in enumerate(lps):
            emit[b, : len(lp)] = lp
        out = ops.bio_viterbi(torch.from_numpy(emit).to(self.device), torch.from_numpy(self._start).float(),
                              torch.from_numpy(self._trans).float(), torch.tensor(lengths)).cpu().numpy()
        return [out[b, :n].tolist() for b, n in enumerate(lengths)]

    def tag_tokens(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Return valid BIO tags, one list per sentence of words."""
        return [tags for tags, _ in self.tag_tokens_scored(sentences)]

    # ---- text

    def tag_text(self, text: str) -> list[tuple[int, int, str, float]]:
        """Return the entities of ``text`` as ``(start, end, label, score)`` character spans.

        ``score`` is the mean probability of the entity's tags (0..1).
        """
        from engine.tokenize import split_sentences, tokenize

        tokens = tokenize(text)
        sentences = split_sentences(text, tokens)
        words = [[text[s:e] for s, e in tokens[a:b]] for a, b in sentences]
        out = []
        for (a, _), (tags, probs) in zip(sentences, self.tag_tokens_scored(words)):
            for first, last, label in bio_spans(tags):
                score = float(np.mean(probs[first:last]))
                out.append((tokens[a + first][0], tokens[a + last - 1][1], label, score))
        return out


def load_tagger(model_dir: str | Path, *, device: str | None = None, batch_size: int = 32) -> Tagger:
    """Load a token-classification model folder (safetensors only, offline) as a :class:`Tagger`.

    ``device`` defaults to ``"cuda"`` when available, else ``"cpu"``.

    Raises:
        ModelSourceError: the folder is missing, has no safetensors weights, no fast
            tokenizer, or no label names in its config.
    """
    from engine.ner.model_source import resolve_base_model

    folder = resolve_base_model(model_dir)
    import torch
    from transformers import AutoModelForTokenClassification

    tokenizer = load_tokenizer(folder)
    try:
        with quiet_transformers():
            model = AutoModelForTokenClassification.from_pretrained(
                str(folder), use_safetensors=True, local_files_only=True, trust_remote_code=False)
    except Exception as exc:
        raise ModelSourceError(f"The model in {folder} cannot be loaded ({exc}).") from None
    labels = [str(v) for v in model.config.id2label.values()]
    if not all(t == "O" or t[:2] in ("B-", "I-") for t in labels):
        raise ModelSourceError(
            f"The model in {folder} has no BIO entity tags in its config (id2label is {labels[:6]}); "
            "it was not trained for entity tagging."
        )
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device)
    return Tagger(model, tokenizer, device=device, batch_size=batch_size)
