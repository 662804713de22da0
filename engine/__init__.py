"""Tessera engine: everything that is not pixels. Never imports Qt."""
