"""What can go wrong with a workspace, as exceptions the command line and GUI can show.

Every error is a `forms.draft.io.InputError`, so the command line prints its bilingual message
and exits 2 instead of printing a traceback; the GUI shows the message as it is.
"""

from __future__ import annotations

from datetime import datetime

from forms.draft.io import InputError


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


class DataCorruptError(WorkspaceError):
    """A stored file failed authentication or does not parse: tampered, truncated or foreign."""


class NotFoundError(WorkspaceError):
    """No draft, client, version or attachment with that id."""


class ConcurrentWriteError(WorkspaceError):
    """Another instance wrote the same version at the same moment; reload and try again."""


class BundleRejectedError(WorkspaceError):
    """An import was refused; nothing was written."""


class DraftLockedError(WorkspaceError):
    """The draft is open for editing elsewhere: it may be read here, not changed."""

    def __init__(self, holder: str, since: datetime, pid: int, stale: bool) -> None:
        self.holder = holder
        self.since = since
        self.pid = pid
        self.stale = stale
        local = since.astimezone().strftime("%Y-%m-%d %H:%M")
        hint = (
            "；该进程已不存在，可确认后接管 / the holding process is gone: it can be taken over"
            if stale
            else ""
        )
        super().__init__(
            f"草稿正由 {holder} 编辑（自 {local} 起），此处只读 / the draft is being edited by "
            f"{holder} since {local}; read-only here{hint}"
        )
