"""Edit locks of a workspace: who is editing which draft, and the write lock of a save."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from forms.workspace import locks
from forms.workspace.vault import LOCKS, Vault


class EditLocksMixin(Vault):
    def _lock_path(self, name: str) -> Path:
        return self.folder / LOCKS / f"{name}.lock"

    def lock(self, draft_id: str, *, force: bool = False) -> locks.EditLock:
        """Hold the draft for editing until `release()`; raises `DraftLockedError` (holder,
        since, stale) if another instance holds it. `force=True` takes a lock over, only
        after the user confirmed (the holder crashed, or left for the day)."""
        name = self._name("draft", draft_id)
        held = self._held.get(name)
        if held is not None and held.still_held() and not force:
            return held
        with self.whole_disk():
            lock = locks.acquire(self._lock_path(name), force=force, draft=draft_id)
        self._held[name] = lock
        return lock

    def lock_holder(self, draft_id: str) -> locks.LockInfo | None:
        return locks.LockInfo.read(self.lock_file(draft_id))

    def lock_file(self, draft_id: str) -> Path:
        """Where the draft's lock is (its name is keyed: found from the id, not guessed)."""
        return self._lock_path(self._name("draft", draft_id))

    def unlock(self, draft_id: str) -> locks.LockInfo | None:
        """Remove whatever lock the draft has (after the user confirmed the holder is gone,
        or agreed); the lock that was there, None if there was none. The old holder, if it
        still runs, cannot write any more (its token is gone)."""
        path = self.lock_file(draft_id)
        held = locks.LockInfo.read(path)
        if held is None:
            return None
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        self._held.pop(self._name("draft", draft_id), None)
        return held

    @contextmanager
    def _write_lock(self, name: str, draft_id: str = "ID") -> Iterator[None]:
        held = self._held.get(name)
        if held is not None and not held.released:
            held.check()
            yield
            return
        with self.whole_disk():
            lock = locks.acquire(self._lock_path(name), draft=draft_id)
        with lock:
            yield
