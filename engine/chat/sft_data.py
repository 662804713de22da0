"""Training data for chat fine-tuning: ``chat_examples`` -> token ids with assistant-only labels.

* Examples without a split get a seeded train/dev split stored in the project
  (:func:`engine.chat.examples.assign_splits`), so later runs see the same split;
  ``test`` examples are never trained on. When dev is empty, about 10% of the
  training examples are held out as dev for this run only (nothing is stored).
* Each conversation is rendered with the tokenizer's chat template. Only the
  assistant's words are learned from: for assistant turn ``i`` the prefix
  ``messages[:i]`` is rendered with ``add_generation_prompt=True`` and the
  conversation up to and including turn ``i`` without it; the tokens between the
  two are labelled (up to and including the end-of-turn token, so the model learns
  to stop; whitespace the template writes after that token is not), every other
  position carries ``-100``. When a template renders earlier turns differently
  once later ones follow (so the prefix tokens are not a prefix of the whole), the
  turn is found by its text instead (:func:`encode_conversation`, ``fallback``).
* Conversations longer than ``max_length`` tokens are cut there; one with no
  assistant token left is dropped.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from engine.chat import examples as E
from engine.errors import TesseraError
from engine.events import Log, Reporter, ignore
from engine.messages import msg
from engine.store import Project

IGNORE_INDEX = -100
DEV_FRACTION = 0.1
#: Tokens that end a turn in common chat templates (besides the tokenizer's EOS).
END_OF_TURN_TOKENS = ("<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>")

NO_EXAMPLES_HELP = msg(
    "Add chat examples first: import a file with File \u25b8 Import chat examples (or "
    "'python main.py import-chat PROJECT FILE'), or use 'Save as training example' in the chat pane."
)


class ChatDataError(TesseraError):
    """The project has no chat examples (or none usable) to fine-tune on."""


@dataclass
class SftData:
    """What :func:`load_sft_data` returns: the conversations of each split and notes."""

    train: list[list[dict]]
    dev: list[list[dict]]
    dev_from_train: bool = False
    invalid: int = 0  # stored examples that are not valid conversations (skipped)
    new_splits: int = 0  # examples that got a split now


@dataclass
class Encoded:
    """One conversation in tokens; ``labels`` is ``-100`` except on assistant tokens."""

    input_ids: list[int]
    labels: list[int]
    fallback: bool = False  # turn boundaries found by text search (template re-renders turns)
    cut: bool = False  # longer than max_length and cut there

    def __len__(self) -> int:
        return len(self.input_ids)

    @property
    def n_labels(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE_INDEX)


@dataclass
class EncodeStats:
    """Counts from :func:`encode_all` worth telling the user."""

    cut: int = 0
    dropped: int = 0
    fallback: int = 0
    skipped_turns: int = 0
    dropped_ids: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------- examples


def load_sft_data(project: Project, *, seed: int = 0, assign: bool = True, report: Reporter = ignore) -> SftData:
    """Return the train and dev conversations of ``project``.

    ``assign``: first give examples without a split one (stored in the project).

    Raises:
        ChatDataError: no valid chat examples, or none in the train split.
    """
    new = E.assign_splits(project, seed=seed, dev_fraction=DEV_FRACTION) if assign else 0
    if new:
        report(Log(msg("Split the {count} chat examples that had no split into train and dev (stored in the "
                       "project).", count=new)))
    train: list[list[dict]] = []
    dev: list[list[dict]] = []
    invalid = 0
    for split, bucket in (("train", train), ("dev", dev)):
        for ex in E.list_examples(project, split=split):
            if E.problem(ex.messages):
                invalid += 1
            else:
                bucket.append(ex.messages)
    if invalid:
        report(Log(msg("{count} stored chat examples are not valid conversations and are skipped.", count=invalid),
                   "warning"))
    if not train and not dev:
        if invalid:
            raise ChatDataError(msg("None of this project's chat examples is a valid conversation. {help}",
                                    help=NO_EXAMPLES_HELP))
        if E.count_examples(project, split="test"):
            raise ChatDataError(msg("All chat examples are in the test split, which is never trained on. Move some "
                                    "to the train split, or add more examples. {help}", help=NO_EXAMPLES_HELP))
        raise ChatDataError(msg("This project has no chat examples to fine-tune on. {help}", help=NO_EXAMPLES_HELP))
    if not train:
        raise ChatDataError(msg(
            "No chat examples are in the train split (they are all in dev or test). Move some to the train "
            "split, or add more examples. {help}", help=NO_EXAMPLES_HELP))
    dev_from_train = False
    if not dev:
        dev_from_train = True
        if len(train) == 1:
            dev = list(train)
            report(Log(msg("There is no dev data and only one training example: the dev loss is measured on that "
                           "same example and says little. Add more examples."), "warning"))
        else:
            n = max(1, round(len(train) * DEV_FRACTION))
            picked = set(random.Random(seed).sample(range(len(train)), n))
            dev = [m for i, m in enumerate(train) if i in picked]
            train = [m for i, m in enumerate(train) if i not in picked]
            report(Log(msg("The dev split is empty, so {count} of the training examples are held out as dev data for "
                           "this run (nothing is stored).", count=n), "warning"))
    return SftData(train, dev, dev_from_train, invalid, new)


def fingerprint(conversations: Iterable[list[dict]]) -> str:
    """Return a short hash of conversations, to notice changed data on resume."""
    h = hashlib.blake2b(digest_size=8)
    for m in conversations:
        h.update(json.dumps([[x["role"], x["content"]] for x in m], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


# --------------------------------------------------------------------------- tokens


def end_of_turn_ids(tokenizer, extra: Iterable[int] = ()) -> set[int]:
    """Return the token ids that end an assistant turn: EOS and known end-of-turn markers (and ``extra``)."""
    ids = {int(i) for i in extra}
    vocab = tokenizer.get_vocab()
    for tok in (tokenizer.eos_token, *END_OF_TURN_TOKENS):
        if tok is not None and tok in vocab:
            ids.add(int(vocab[tok]))
    return ids


def _render(tokenizer, messages: list[dict], generation_prompt: bool) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


def _ids(tokenizer, text: str) -> list[int]:
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def _label_until_stop(ids: list[int], labels: list[int], start: int, end: int, stops: set[int]) -> None:
    """Label ``ids[start:end]`` up to and including the first end-of-turn token (all of it if none)."""
    for p in range(start, end):
        labels[p] = ids[p]
        if ids[p] in stops:
            break


def encode_conversation(tokenizer, messages: list[dict], stops: set[int], max_length: int | None = None
                        ) -> tuple[Encoded, int]:
    """Return ``(encoded, skipped_turns)`` for one conversation.

    The template's token boundaries are checked: the prefix before each assistant
    turn must tokenize to a prefix of the conversation up to that turn, and that to a
    prefix of the whole. Where not (a template that re-renders earlier turns, or
    tokens merging across the boundary), the turn's content is looked up in the
    rendered text and the tokens that overlap it, plus a directly following
    end-of-turn token, are labelled (``encoded.fallback``); a turn whose content
    cannot be found is not learned from and counted in ``skipped_turns``.

    Raises:
        jinja2 / ValueError: the chat template cannot render the conversation.
    """
    full_text = _render(tokenizer, messages, False)
    full_ids = _ids(tokenizer, full_text)
    labels = [IGNORE_INDEX] * len(full_ids)
    fallback_turns: list[int] = []
    for i, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        prefix_ids = _ids(tokenizer, _render(tokenizer, messages[:i], True))
        upto_ids = (full_ids if i == len(messages) - 1
                    else _ids(tokenizer, _render(tokenizer, messages[:i + 1], False)))
        if (len(prefix_ids) < len(upto_ids) and upto_ids[:len(prefix_ids)] == prefix_ids
                and full_ids[:len(upto_ids)] == upto_ids):
            _label_until_stop(full_ids, labels, len(prefix_ids), len(upto_ids), stops)
        else:
            fallback_turns.append(i)
    skipped = 0
    if fallback_turns:
        enc = tokenizer(full_text, add_special_tokens=False, return_offsets_mapping=True)
        offsets = enc["offset_mapping"]
        wanted = set(fallback_turns)
        cursor = 0  # walk the turns in order, so a repeated text is found at its own place
        for i, m in enumerate(messages):
            content = m["content"].strip()
            at = full_text.find(content, cursor)
            if at >= 0:
                cursor = at + len(content)
            if i not in wanted:
                continue
            inside = [p for p, (a, b) in enumerate(offsets) if at >= 0 and a < cursor and b > at and b > a]
            if not inside:
                skipped += 1
                continue
            for p in inside:
                labels[p] = full_ids[p]
            nxt = inside[-1] + 1
            while (nxt < len(full_ids) and full_ids[nxt] not in stops
                   and not full_text[offsets[nxt][0]:offsets[nxt][1]].strip()):
                nxt += 1  # whitespace between the content and the end-of-turn token
            if nxt < len(full_ids) and full_ids[nxt] in stops:
                for p in range(inside[-1] + 1, nxt + 1):
                    labels[p] = full_ids[p]
    cut = max_length is not None and len(full_ids) > max_length
    if cut:
        full_ids, labels = full_ids[:max_length], labels[:max_length]
    return Encoded(full_ids, labels, bool(fallback_turns), cut), skipped


def encode_all(tokenizer, conversations: Sequence[list[dict]], max_length: int, stops: set[int]
               ) -> tuple[list[Encoded], EncodeStats]:
    """Encode conversations (see :func:`encode_conversation`); drop those with no label left.

    Returns ``(encoded, stats)``; ``stats.dropped_ids`` are the indices of dropped ones.
    """
    out: list[Encoded] = []
    stats = EncodeStats()
    for k, messages in enumerate(conversations):
        enc, skipped = encode_conversation(tokenizer, messages, stops, max_length)
        stats.skipped_turns += skipped
        stats.cut += enc.cut
        stats.fallback += enc.fallback
        if enc.n_labels == 0:
            stats.dropped += 1
            stats.dropped_ids.append(k)
            continue
        out.append(enc)
    return out, stats


def describe_stats(stats: EncodeStats, split: str, max_length: int) -> list[Log]:
    """Return the warnings a user should see about how ``split`` was encoded."""
    logs = []
    # "train examples" / "dev examples", in the user's language
    examples = {"train": msg("train examples"), "dev": msg("dev examples")}.get(split) or msg(
        "{split} examples", split=split)
    if stats.cut and stats.dropped:
        logs.append(Log(msg("{cut} {examples} are longer than {max_length} tokens and were cut there; {dropped} of "
                            "them had no answer left and are not used. Raise the maximum length to learn from all "
                            "of them.", cut=stats.cut, examples=examples, max_length=max_length,
                            dropped=stats.dropped), "warning"))
    elif stats.cut:
        logs.append(Log(msg("{cut} {examples} are longer than {max_length} tokens and were cut there. Raise the "
                            "maximum length to learn from all of them.", cut=stats.cut, examples=examples,
                            max_length=max_length), "warning"))
    elif stats.dropped:
        logs.append(Log(msg("{dropped} {examples} have no assistant answer the template renders and are not used.",
                            dropped=stats.dropped, examples=examples), "warning"))
    if stats.fallback:
        logs.append(Log(msg("The chat template renders earlier turns differently in {count} {examples}; their "
                            "answers were found by their text instead.", count=stats.fallback, examples=examples),
                        "warning"))
    if stats.skipped_turns:
        logs.append(Log(msg("{turns} assistant turns in {examples} could not be found in the rendered conversation "
                            "and are not learned from.", turns=stats.skipped_turns, examples=examples), "warning"))
    return logs
