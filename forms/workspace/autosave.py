"""Debounced autosave for the editor: save after each burst of edits, not each keystroke.

The GUI calls `changed(draft)` on every edit and `poll()` from a timer (a QTimer every
few hundred ms); `flush()` when the page changes or the window closes. A save happens
once the draft has been quiet for `quiet_seconds`, and at least every `max_wait_seconds`
while someone keeps typing, so a long burst is not lost either. Qt-free and thread-free on
purpose: the draft object belongs to the GUI thread, and a save costs a few ms (see
bench/autosave_bench.py), so no worker is needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from forms.draft.model import Draft
from forms.workspace.records import VersionInfo
from forms.workspace.store import Workspace


class Autosaver:
    def __init__(
        self,
        workspace: Workspace,
        *,
        quiet_seconds: float = 1.0,
        max_wait_seconds: float = 10.0,
        author: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.workspace = workspace
        self.quiet_seconds = quiet_seconds
        self.max_wait_seconds = max_wait_seconds
        self.author = author
        self._clock = clock
        self._pending: Draft | None = None
        self._first_change = 0.0
        self._last_change = 0.0
        self.last_saved: VersionInfo | None = None

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def changed(self, draft: Draft) -> None:
        """Note an edit. Another draft's unsaved edits are saved first."""
        if self._pending is not None and self._pending.id != draft.id:
            self.flush()
        now = self._clock()
        if self._pending is None:
            self._first_change = now
        self._pending = draft
        self._last_change = now

    def due(self) -> bool:
        if self._pending is None:
            return False
        now = self._clock()
        return (
            now - self._last_change >= self.quiet_seconds
            or now - self._first_change >= self.max_wait_seconds
        )

    def poll(self) -> VersionInfo | None:
        """Save if the edits have settled; the timer's slot."""
        return self.flush() if self.due() else None

    def flush(self) -> VersionInfo | None:
        """Save pending edits now. If the save fails (lock taken over, disk full) the edits
        stay pending and the error goes to the caller, who must tell the user."""
        draft = self._pending
        if draft is None:
            return None
        saved = self.workspace.save_draft(draft, author=self.author)
        if self._pending is draft:
            self._pending = None
        self.last_saved = saved
        return saved
