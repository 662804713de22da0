"""Is a process still there? Used to tell a run or an import whose process was killed
from one that is still working (no Qt, no torch)."""
from __future__ import annotations

import json
import os
import socket


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (also one of another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by another user
    return True


def process_start(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot, from /proc; psutil's
    creation time elsewhere), or ``None``: with the pid it tells a process from a later
    one that reused its id."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        try:
            import psutil

            return str(psutil.Process(pid).create_time())
        except Exception:
            return None


def owner_record() -> str:
    """JSON naming this process (pid, host, start time): the owner of a
    training run or an import it writes."""
    pid = os.getpid()
    return json.dumps({"pid": pid, "host": socket.gethostname(), "start": process_start(pid)})


def owner_alive(owner: str | None) -> bool:
    """Whether the process in ``owner`` (see :func:`owner_record`) still runs. A process on
    another computer counts as alive (it cannot be checked from here); a record without an
    owner (written by an older Tessera) as gone."""
    try:
        o = json.loads(owner) if owner else None
        pid = int(o["pid"])
    except (ValueError, TypeError, KeyError):
        return False
    if o.get("host") != socket.gethostname():
        return True
    if not pid_alive(pid):
        return False
    start = process_start(pid)
    return not (start and o.get("start") and start != o["start"])  # pid reused by another process
