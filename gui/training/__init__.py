"""The training dock: settings, live curves, per-label scores, run history and "Try it".

Public: :class:`TrainingPanel`, :func:`make_training_dock`. Nothing here imports
torch or ``engine.ner`` at module level; the engine is imported inside worker functions.
"""
from gui.training.panel import TrainingPanel, make_training_dock

__all__ = ["TrainingPanel", "make_training_dock"]
