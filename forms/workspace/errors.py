"""What can go wrong with a workspace, as exceptions the command line and GUI can show.

Every error is a `forms.draft.io.InputError` (a `forms.text.TextError`) carrying a code of
`forms.text.workspace`: the command line prints `message(lang)` and exits 2 instead of
printing a traceback, the GUI shows `message(lang)` in its interface language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from forms.draft.io import InputError
from forms.text import Text


def clock_time(when: datetime) -> str:
    """A moment as this machine's clock shows it, to the minute: who holds a lock and
    since when is the user's own time. (A policy's deadlines are Shanghai's time:
    `forms.catalog.figures.local_time`.)"""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


class WorkspaceError(InputError):
    """Base of everything below."""


class NotAWorkspaceError(WorkspaceError):
    """The folder holds no `workspace.json` (or something that is not one)."""


class WorkspaceTooNewError(WorkspaceError):
    """Written by a newer shenbao: opening it could lose what this version does not know."""


class KeyUnavailableError(WorkspaceError):
    """No key source could give the workspace key (no keyring, key not stored, no passphrase)."""


class WrongKeyError(WorkspaceError):
    """A key or passphrase was given but does not open this workspace (or bundle)."""


class WeakPassphraseError(WorkspaceError):
    """A new passphrase too easy to guess offline once the folder is copied."""


class DataCorruptError(WorkspaceError):
    """A stored file failed authentication or does not parse: tampered, truncated or foreign."""


class DraftDamagedError(DataCorruptError):
    """The latest version(s) of one draft cannot be read; the others are fine, and the last
    good version (if any) can be restored."""

    def __init__(self, draft_id: str, damaged: Sequence[int], last_good: int | None) -> None:
        self.draft_id = draft_id
        self.damaged = tuple(damaged)
        self.last_good = last_good
        versions = ", ".join(str(v) for v in self.damaged)
        if last_good is None:
            text = Text.of(
                "workspace.draft_unreadable", name=draft_id, count=len(self.damaged) or "?"
            )
        else:
            text = Text.of(
                "workspace.draft_damaged", draft=draft_id, versions=versions, good=last_good
            )
        super().__init__(text)


class NotFoundError(WorkspaceError):
    """No draft, client, version or attachment with that id."""


class ConcurrentWriteError(WorkspaceError):
    """Another instance wrote the same version at the same moment; reload and try again."""


class SaveConflictError(ConcurrentWriteError):
    """The save was based on an older version and both changed the same fields: refused."""

    def __init__(
        self,
        draft_id: str,
        base: int,
        latest: int,
        author: str,
        when: datetime,
        fields: Sequence[str],
    ) -> None:
        self.draft_id = draft_id
        self.base = base
        self.latest = latest
        self.fields = tuple(fields)
        shown = ", ".join(self.fields[:8]) + (" …" if len(self.fields) > 8 else "")
        super().__init__(
            Text.of(
                "workspace.save_conflict",
                draft=draft_id,
                base=base,
                latest=latest,
                author=author,
                when=clock_time(when),
                fields=shown,
            )
        )


class SyncConflictError(WorkspaceError):
    """Two copies of the workspace saved the same draft while apart; the user chooses."""


class BundleRejectedError(WorkspaceError):
    """An import was refused; nothing was written."""


class DraftLockedError(WorkspaceError):
    """The draft is open for editing elsewhere: it may be read here, not changed.

    `stale`: the holder's process is gone (on this machine), or the lock file cannot be
    read at all (`unreadable`: a full disk left it empty): it can be taken over after the
    user confirms (`shenbao draft unlock ID`, or the app's "Take over…")."""

    def __init__(
        self,
        holder: str,
        since: datetime,
        pid: int,
        stale: bool,
        *,
        draft: str = "ID",
        unreadable: bool = False,
        text: Text | None = None,
    ) -> None:
        self.holder = holder
        self.since = since
        self.pid = pid
        self.stale = stale or unreadable
        self.unreadable = unreadable
        self.draft = draft
        when = clock_time(since)
        if text is None:
            if unreadable:
                text = Text.of("workspace.locked_unreadable", since=when, draft=draft)
            elif stale:
                text = Text.of("workspace.locked_stale", holder=holder, since=when, draft=draft)
            else:
                text = Text.of("workspace.locked_elsewhere", holder=holder, since=when, draft=draft)
        super().__init__(text)


class LockLostError(DraftLockedError):
    """Our own edit lock was taken over by another instance (and perhaps released since):
    this instance may not write any more. Never told as "being edited by yourself"."""

    def __init__(
        self,
        mine_since: datetime,
        holder: str | None,
        since: datetime | None,
        pid: int,
        *,
        draft: str = "ID",
    ) -> None:
        if holder is not None and since is not None:
            text = Text.of("workspace.lock_lost_to", holder=holder, since=clock_time(since))
        else:
            text = Text.of("workspace.lock_lost", when=clock_time(mine_since))
        super().__init__(
            holder or "?",
            since or mine_since,
            pid,
            holder is None,
            draft=draft,
            text=text,
        )
