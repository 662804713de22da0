"""Where Tessera keeps per-user files (demo project, converted models, caches).

``TESSERA_HOME`` overrides the location (tests point it at a temp folder);
otherwise the platform's user data folder is used.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def user_data_dir() -> Path:
    """Return (and create) the per-user data folder."""
    env = os.environ.get("TESSERA_HOME")
    if env:
        base = Path(env)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "Tessera"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Tessera"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "tessera"
    base.mkdir(parents=True, exist_ok=True)
    return base


def demo_project_path() -> Path:
    """Return the path of the demo project (it may not exist yet)."""
    return user_data_dir() / "demo.tessera"
