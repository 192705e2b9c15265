"""The encrypted multi-client workspace (issue 6): every draft version kept, nothing in clear.

Import from here; the submodules are small and named for what they hold:
`store` (the `Workspace`), `crypto` (AES-GCM files, scrypt, atomic writes), `keys` (key
sources, keyring), `meta` (`workspace.json`, migrations), `locks`, `index` (local SQLite
cache), `records` (what the files hold), `bundle` (export/import), `autosave`.
See docs/workspace.md for the layout and the reasons behind it.
"""

from __future__ import annotations

from forms.workspace.autosave import Autosaver
from forms.workspace.bundle import BundleLimits, ImportResult, export_bundle, import_bundle
from forms.workspace.errors import (
    BundleRejectedError,
    ConcurrentWriteError,
    DataCorruptError,
    DraftDamagedError,
    DraftLockedError,
    KeyUnavailableError,
    LockLostError,
    NotAWorkspaceError,
    NotFoundError,
    SaveConflictError,
    SyncConflictError,
    WeakPassphraseError,
    WorkspaceError,
    WorkspaceTooNewError,
    WrongKeyError,
)
from forms.workspace.keys import (
    KeyringOrPassphrase,
    KeyringStore,
    KeySource,
    KeyStore,
    Passphrase,
    UseKeyring,
)
from forms.workspace.locks import EditLock, LockInfo
from forms.workspace.meta import DEMO_PASSPHRASE, SCHEMA_VERSION, WorkspaceMeta
from forms.workspace.records import (
    AuditEntry,
    ClientInfo,
    DraftInfo,
    UnreadableDraft,
    VersionInfo,
    VersionRecord,
)
from forms.workspace.store import Workspace

__all__ = [
    "DEMO_PASSPHRASE",
    "SCHEMA_VERSION",
    "AuditEntry",
    "Autosaver",
    "BundleLimits",
    "BundleRejectedError",
    "ClientInfo",
    "ConcurrentWriteError",
    "DataCorruptError",
    "DraftDamagedError",
    "DraftInfo",
    "DraftLockedError",
    "EditLock",
    "ImportResult",
    "KeySource",
    "KeyStore",
    "KeyUnavailableError",
    "KeyringOrPassphrase",
    "KeyringStore",
    "LockInfo",
    "LockLostError",
    "NotAWorkspaceError",
    "NotFoundError",
    "Passphrase",
    "SaveConflictError",
    "SyncConflictError",
    "UnreadableDraft",
    "UseKeyring",
    "VersionInfo",
    "VersionRecord",
    "WeakPassphraseError",
    "Workspace",
    "WorkspaceError",
    "WorkspaceMeta",
    "WorkspaceTooNewError",
    "WrongKeyError",
    "export_bundle",
    "import_bundle",
]
