"""The ``chat_examples`` table: conversations the chat model is fine-tuned on.

A chat example is a list of messages ``{"role": "system"|"user"|"assistant",
"content": str}`` that contains at least one user message and ends with an
assistant message (the answer the model should learn). Examples are deduplicated
by a hash of their messages, so importing a file twice adds nothing.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from typing import Iterable

from engine.messages import msg
from engine.store import Project, now

ROLES = ("system", "user", "assistant")
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class ChatExample:
    """One row of ``chat_examples`` with ``messages`` decoded."""

    id: int
    messages: list[dict]
    source: str | None
    split: str | None
    created: str


@dataclass(frozen=True)
class AddSummary:
    """How many examples were added and how many were already in the project."""

    added: int
    skipped: int


def problem(messages: object) -> str | None:
    """Return what is wrong with ``messages`` as a chat example, or ``None`` if it is valid."""
    if not isinstance(messages, list) or not messages:
        return msg("a chat example needs a non-empty list of messages")
    for i, m in enumerate(messages, 1):
        if not isinstance(m, dict):
            return msg("message {i} is not an object with 'role' and 'content'", i=i)
        role, content = m.get("role"), m.get("content")
        if role not in ROLES:
            return msg("message {i} has role {role}; use one of {choices}", i=i, role=repr(role), choices=", ".join(ROLES))
        if not isinstance(content, str) or not content.strip():
            return msg("message {i} ({role}) has no text", i=i, role=role)
        if role == "system" and i != 1:
            return msg("message {i}: a system message may only come first", i=i)
    if not any(m["role"] == "user" for m in messages):
        return msg("the conversation has no user message")
    if messages[-1]["role"] != "assistant":
        return msg("the conversation must end with the assistant's answer")
    return None


def example_hash(messages: list[dict]) -> str:
    """Return the dedup hash of ``messages`` (roles and contents only)."""
    canon = json.dumps([[m["role"], m["content"]] for m in messages], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def _clean(messages: list[dict]) -> list[dict]:
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def add_examples(project: Project, examples: Iterable[list[dict]], *, source: str | None = None,
                 split: str | None = None) -> AddSummary:
    """Add ``examples`` in one transaction; return how many were added and skipped as duplicates.

    Raises:
        ValueError: an example is invalid (see :func:`problem`) or ``split`` is unknown;
            nothing is added then.
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    added = skipped = 0
    stamp = now()
    with project.write():
        for messages in examples:
            why = problem(messages)
            if why:
                raise ValueError(why)
            cur = project.conn.execute(
                "INSERT OR IGNORE INTO chat_examples(messages, source, split, created, hash) VALUES (?, ?, ?, ?, ?)",
                (json.dumps(_clean(messages), ensure_ascii=False), source, split, stamp, example_hash(messages)),
            )
            if cur.rowcount:
                added += 1
            else:
                skipped += 1
    return AddSummary(added, skipped)


def add_example(project: Project, messages: list[dict], *, source: str = "chat", split: str | None = None) -> int | None:
    """Add one example (committed at once); return its id, or ``None`` if the same example exists.

    Raises:
        ValueError: the example is invalid (see :func:`problem`).
    """
    summary = add_examples(project, [messages], source=source, split=split)
    if not summary.added:
        return None
    return int(project.conn.execute("SELECT id FROM chat_examples WHERE hash=?", (example_hash(messages),)).fetchone()[0])


def _row(r) -> ChatExample:
    return ChatExample(int(r[0]), json.loads(r[1]), r[2], r[3], r[4])


def list_examples(project: Project, *, split: str | None = None, limit: int | None = None,
                  offset: int = 0) -> list[ChatExample]:
    """Return examples in id order, optionally only those of ``split``."""
    sql = "SELECT id, messages, source, split, created FROM chat_examples"
    args: list = []
    if split is not None:
        sql += " WHERE split=?"
        args.append(split)
    sql += " ORDER BY id LIMIT ? OFFSET ?"
    args += [-1 if limit is None else limit, offset]
    return [_row(r) for r in project.conn.execute(sql, args)]


def count_examples(project: Project, *, split: str | None = None) -> int:
    """Return the number of examples (of ``split`` when given)."""
    if split is None:
        return int(project.conn.execute("SELECT count(*) FROM chat_examples").fetchone()[0])
    return int(project.conn.execute("SELECT count(*) FROM chat_examples WHERE split=?", (split,)).fetchone()[0])


def split_counts(project: Project) -> dict[str | None, int]:
    """Return the number of examples per split (``None`` = not split yet); splits without examples are left out."""
    return {split: int(n) for split, n in
            project.conn.execute("SELECT split, COUNT(*) FROM chat_examples GROUP BY split")}


def delete_example(project: Project, example_id: int) -> None:
    """Delete example ``example_id`` (committed at once)."""
    with project.write():
        project.conn.execute("DELETE FROM chat_examples WHERE id=?", (example_id,))


def assign_splits(project: Project, *, seed: int = 0, dev_fraction: float = 0.1, min_dev: int = 1) -> int:
    """Give every example without a split ``train`` or ``dev`` (seeded), and store it.

    At least ``min_dev`` examples go to dev when there are two or more examples and
    none is in dev yet. Returns how many examples got a split.
    """
    ids = [int(r[0]) for r in project.conn.execute("SELECT id FROM chat_examples WHERE split IS NULL ORDER BY id")]
    if not ids:
        return 0
    total = count_examples(project)
    have_dev = count_examples(project, split="dev")
    rng = random.Random(seed)
    order = ids[:]
    rng.shuffle(order)
    want_dev = max(round(total * dev_fraction) - have_dev, 0)
    if have_dev == 0 and total >= 2:
        want_dev = max(want_dev, min_dev)
    dev = set(order[: min(want_dev, len(order) - (1 if count_examples(project, split="train") == 0 else 0))])
    with project.write():
        project.conn.executemany(
            "UPDATE chat_examples SET split=? WHERE id=?",
            [("dev" if i in dev else "train", i) for i in ids],
        )
    return len(ids)
