"""Whether a process still runs: how a lock or a scratch folder is known to be left over."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool | None:
    """None when we cannot tell. Never os.kill on Windows: signal 0 is CTRL_C_EVENT there."""
    if os.name == "nt" or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
