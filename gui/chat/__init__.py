"""The chat pane: talk to a chat model, compare two, keep chats, turn replies into training
examples, and tag text with a trained tagger.

Public: :class:`ChatPane`, :class:`ChatDock`, :func:`make_chat_dock`, :func:`add_chat_dock`.
Nothing here imports torch: models load and write in worker threads (:mod:`gui.chat.worker`).
"""
from gui.chat.dock import ChatDock, add_chat_dock, make_chat_dock
from gui.chat.pane import ChatPane

__all__ = ["ChatDock", "ChatPane", "add_chat_dock", "make_chat_dock"]
