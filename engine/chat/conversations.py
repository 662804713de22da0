"""The ``conversations`` table: chats kept in the project by the chat pane.

A conversation has a title, a system prompt, sampling settings (JSON) and a list of
messages ``{"role", "content"}``; assistant messages may carry details of how they
were made (``model``, ``ttft_ms``, ``tokens_per_s``). Every save is committed at once.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from engine.errors import ProjectError
from engine.messages import msg
from engine.store import Project, now


@dataclass
class Conversation:
    """One row of ``conversations`` with JSON columns decoded."""

    id: int
    title: str
    system: str = ""
    messages: list[dict] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    created: str = ""
    updated: str = ""


def title_from(text: str, width: int = 48) -> str:
    """Return a one-line title made from the first words of ``text``."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def create_conversation(project: Project, *, title: str = "New chat", system: str = "",
                        settings: dict | None = None) -> int:
    """Insert an empty conversation; return its id."""
    stamp = now()
    with project.write():
        cur = project.conn.execute(
            "INSERT INTO conversations(title, system, messages, settings, created, updated) VALUES (?, ?, '[]', ?, ?, ?)",
            (title, system, json.dumps(settings or {}), stamp, stamp),
        )
    return int(cur.lastrowid)


def save_conversation(project: Project, conv: Conversation) -> None:
    """Write ``conv``'s title, system prompt, messages and settings (committed at once)."""
    with project.write():
        project.conn.execute(
            "UPDATE conversations SET title=?, system=?, messages=?, settings=?, updated=? WHERE id=?",
            (conv.title, conv.system, json.dumps(conv.messages, ensure_ascii=False), json.dumps(conv.settings),
             now(), conv.id),
        )


def get_conversation(project: Project, conv_id: int) -> Conversation:
    """Return conversation ``conv_id``.

    Raises:
        ProjectError: there is no such conversation.
    """
    r = project.conn.execute(
        "SELECT id, title, system, messages, settings, created, updated FROM conversations WHERE id=?", (conv_id,)
    ).fetchone()
    if not r:
        raise ProjectError(msg("There is no conversation {id} in this project.", id=conv_id))
    return Conversation(int(r[0]), r[1], r[2], json.loads(r[3]), json.loads(r[4]) if r[4] else {}, r[5], r[6])


def list_conversations(project: Project) -> list[tuple[int, str, str]]:
    """Return ``(id, title, updated)`` of every conversation, newest first."""
    return [(int(r[0]), r[1], r[2]) for r in project.conn.execute(
        "SELECT id, title, updated FROM conversations ORDER BY updated DESC, id DESC")]


def delete_conversation(project: Project, conv_id: int) -> None:
    """Delete conversation ``conv_id`` (committed at once)."""
    with project.write():
        project.conn.execute("DELETE FROM conversations WHERE id=?", (conv_id,))
