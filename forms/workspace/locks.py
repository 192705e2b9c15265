"""Edit locks: a draft open for editing in one instance is read-only in every other one.

A lock is a small plain file `locks/<name>.lock` created with O_CREAT | O_EXCL, which is
atomic on local disks and on SMB/NFS shares alike (unlike SQLite's or fcntl locking on a
share). It records who holds it (user@host, pid), since when, and a random token: the
holder checks the token before every write, so a lock taken over by someone else after
confirmation stops the old holder from writing instead of letting both write.

A lock left by a crashed instance stays until someone takes it over with `force=True`
(the GUI asks first, `shenbao draft unlock ID` too). On the holder's own machine we can
tell the process is gone and say so (`stale`); on another machine we cannot, so we only
show who and since when. A lock file that cannot be read (left empty by a full disk
before locks were written whole) is reported as such, with its file time, and can be
taken over the same way.
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
from forms.system.processes import pid_alive
from forms.workspace.errors import DraftLockedError, LockLostError


def current_user() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers and services
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


@dataclass(frozen=True)
class LockInfo:
    holder: str
    host: str
    pid: int
    since: datetime
    token: str

    @property
    def unreadable(self) -> bool:
        """The lock file could not be parsed: nobody can say who holds it."""
        return self.pid < 0

    @property
    def stale(self) -> bool:
        """Held by a process of this machine that no longer runs."""
        return self.host == socket.gethostname() and pid_alive(self.pid) is False

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
            try:
                mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except FileNotFoundError:
                return None
            return cls("?", socket.gethostname(), -1, mtime, "")

    def error(self, draft: str = "ID") -> DraftLockedError:
        return DraftLockedError(
            self.holder,
            self.since,
            self.pid,
            self.stale,
            draft=draft,
            unreadable=self.unreadable,
        )


class EditLock:
    """A held lock; release it (or leave the `with` block) when the editor closes."""

    def __init__(self, path: Path, info: LockInfo, draft: str = "ID") -> None:
        self.path = path
        self.info = info
        self.draft = draft
        self.released = False

    def still_held(self) -> bool:
        """Ours and not taken over: the lock file still carries our token."""
        current = LockInfo.read(self.path)
        return not self.released and current is not None and current.token == self.info.token

    def check(self) -> None:
        """Before a write: raise `LockLostError` if someone took the lock over meanwhile
        (naming them while they hold it; after they released it, saying only that it was
        taken: never that the draft is being edited by ourselves)."""
        current = LockInfo.read(self.path)
        if current is not None and current.token != self.info.token:
            taker = None if current.unreadable else current
            raise LockLostError(
                self.info.since,
                taker.holder if taker else None,
                taker.since if taker else None,
                current.pid,
                draft=self.draft,
            )
        if self.released or current is None:
            raise LockLostError(self.info.since, None, None, self.info.pid, draft=self.draft)

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


def acquire(path: Path, *, force: bool = False, draft: str = "ID") -> EditLock:
    """Take the lock at `path`, or raise `DraftLockedError` naming the holder (`draft`:
    the draft's id, for the message's `shenbao draft unlock` hint).

    `force=True` replaces whatever lock is there: only after the user confirmed that the
    holder is gone. Two instances forcing at once: the last rename wins and the other sees
    its token replaced at its first write.
    """
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
            return acquire(path, force=False, draft=draft)
        raise existing.error(draft) from None
    return EditLock(path, info, draft)
