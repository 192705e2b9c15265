"""Edit locks: a draft open for editing in one instance is read-only in every other one.

A lock is a small plain file `locks/<name>.lock` created with O_CREAT | O_EXCL, which is
atomic on local disks and on SMB/NFS shares alike (unlike SQLite's or fcntl locking on a
share). It records who holds it (user@host, pid), since when, and a random token: the
holder checks the token before every write, so a lock taken over by someone else after
confirmation stops the old holder from writing instead of letting both write.

A lock left by a crashed instance stays until someone takes it over with `force=True`
(the GUI asks first). On the holder's own machine we can tell the process is gone and say
so (`stale`); on another machine we cannot, so we only show who and since when.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from forms.system.atomic import write_atomic
from forms.workspace.errors import DraftLockedError


def current_user() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers and services
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def _pid_alive(pid: int) -> bool | None:
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


@dataclass(frozen=True)
class LockInfo:
    holder: str
    host: str
    pid: int
    since: datetime
    token: str

    @property
    def stale(self) -> bool:
        """Held by a process of this machine that no longer runs."""
        return self.host == socket.gethostname() and _pid_alive(self.pid) is False

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "holder": self.holder,
                "host": self.host,
                "pid": self.pid,
                "since": self.since.isoformat(),
                "token": self.token,
            }
        ).encode("utf-8")

    @classmethod
    def read(cls, path: Path) -> LockInfo | None:
        """The lock at `path`, None if there is none. A lock file that cannot be parsed
        (its writer died between create and write) counts as held by an unknown, stale
        holder: it still blocks, and can be taken over."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = json.loads(raw)
            return cls(
                holder=str(data["holder"]),
                host=str(data["host"]),
                pid=int(data["pid"]),
                since=datetime.fromisoformat(str(data["since"])),
                token=str(data["token"]),
            )
        except (ValueError, KeyError, TypeError):
            mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            return cls("?", socket.gethostname(), -1, mtime, "")

    def error(self) -> DraftLockedError:
        stale = self.stale or self.pid < 0
        return DraftLockedError(self.holder, self.since, self.pid, stale)


class EditLock:
    """A held lock; release it (or leave the `with` block) when the editor closes."""

    def __init__(self, path: Path, info: LockInfo) -> None:
        self.path = path
        self.info = info
        self.released = False

    def still_held(self) -> bool:
        """Ours and not taken over: the lock file still carries our token."""
        current = LockInfo.read(self.path)
        return not self.released and current is not None and current.token == self.info.token

    def check(self) -> None:
        """Before a write: raise `DraftLockedError` if someone took the lock over meanwhile."""
        current = LockInfo.read(self.path)
        if current is not None and current.token != self.info.token:
            raise current.error()
        if self.released or current is None:
            raise DraftLockedError(self.info.holder, self.info.since, self.info.pid, True)

    def release(self) -> None:
        """Remove the lock file, unless it was taken over (then it is not ours to remove)."""
        if self.released:
            return
        held = self.still_held()
        self.released = True
        if held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __enter__(self) -> EditLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def acquire(path: Path, *, force: bool = False) -> EditLock:
    """Take the lock at `path`, or raise `DraftLockedError` naming the holder.

    `force=True` replaces whatever lock is there: only after the user confirmed that the
    holder is gone. Two instances forcing at once: the last rename wins and the other sees
    its token replaced at its first write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    info = LockInfo(
        holder=current_user(),
        host=socket.gethostname(),
        pid=os.getpid(),
        since=datetime.now(UTC).replace(microsecond=0),
        token=secrets.token_hex(16),
    )
    # Written whole, then linked into place: a lock exists complete or not at all (a full
    # disk fails the write, not the link, and leaves no empty lock behind).
    try:
        write_atomic(path, info.to_json(), exclusive=not force)
    except FileExistsError:
        existing = LockInfo.read(path)
        if existing is None:  # released between our attempt and the read: try once more
            return acquire(path, force=False)
        raise existing.error() from None
    return EditLock(path, info)
