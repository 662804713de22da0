"""Tessera's Qt widgets. Talks to the engine only through its public functions and workers; never imports torch."""
