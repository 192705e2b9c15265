"""The workspace: clients, drafts with every saved version, attachments, locks, audit.

Layout of a workspace folder (only `workspace.json` is plain text, and it names no client):

    workspace.json                     format, schema version, id, key descriptor
    clients/<name>/v000001.enc         one file per saved version of a client's profile
    drafts/<name>/v000001.enc          one file per saved version of a draft
    drafts/<name>/events/<t>-<r>.enc   audit events that are not versions (exports)
    blobs/<xx>/<blob id>.enc           attachment contents, deduplicated
    locks/<name>.lock                  who is editing which draft (plain: user@host, pid)

`<name>` is an HMAC of the draft or client id under a key derived from the workspace key,
and a blob id an HMAC of the content's SHA-256, so no file name tells a company, a draft
title or which public document was attached.

Why files and not one database: the folder may sit on a shared drive, where SQLite's
locking cannot be trusted. Every save writes a *new* file (temp file, fsync, link/rename,
fsync of the folder) and never touches an old one, so a crash leaves at worst a stray temp
file, and two instances can only collide on the same new file name, which the atomic
no-overwrite link refuses. The draft lock keeps a second editor out in the first place.
SQLite appears only as a local, rebuildable cache of summaries (see `index`).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import TracebackType

from forms.system.atomic import make_dirs
from forms.workspace import crypto
from forms.workspace.audit import AuditMixin
from forms.workspace.blobs import BlobsMixin
from forms.workspace.errors import KeyUnavailableError, WorkspaceError
from forms.workspace.keys import KeySource, KeyStore, Passphrase, UseKeyring
from forms.workspace.meta import WorkspaceMeta, new_meta, read_meta, unlock, wrap_key, write_meta
from forms.workspace.vault import BLOBS, CLIENTS, DRAFTS, LOCKS
from forms.workspace.versions import VersionsMixin


class Workspace(VersionsMixin, AuditMixin, BlobsMixin):
    """An unlocked workspace. Use `Workspace.create` or `Workspace.open`; `close()` (or a
    `with` block) releases the edit locks this instance holds."""

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: Path,
        key_source: KeySource,
        *,
        cache_dir: Path | None = None,
        demo: bool = False,
    ) -> Workspace:
        """A new, empty workspace in `folder` (which must not exist or be empty).

        `demo` marks a workspace made by `shenbao demo` with the public demo passphrase,
        so every command warns until a real passphrase replaces it.

        With a keyring source the key is stored (and read back) *before* any file is
        written, so a keyring that cannot keep it fails here and leaves nothing behind.
        """
        folder = Path(folder)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise WorkspaceError.of("workspace.not_empty", folder=folder)
        key = crypto.new_key()
        if isinstance(key_source, Passphrase):
            meta = new_meta(key, "passphrase")
            meta.key.passphrase = wrap_key(key, key_source.secret, meta.id)
        elif isinstance(key_source, UseKeyring):
            meta = new_meta(key, "keyring")
            key_source.key_store().set_key(meta.id, crypto.b64(key))
        else:
            meta = new_meta(key, "keyring")
            try:
                key_source.key_store().set_key(meta.id, crypto.b64(key))
            except KeyUnavailableError:
                meta.key.source = "passphrase"
                meta.key.passphrase = wrap_key(key, key_source.ask(), meta.id)
        meta.key.demo = demo
        made = not folder.exists()
        try:
            for sub in (CLIENTS, DRAFTS, BLOBS, LOCKS):
                make_dirs(folder / sub)
            write_meta(folder, meta)
        except OSError:
            # A full disk halfway: leave no half-made workspace (a folder the user gave
            # stays, empty, as it was).
            for sub in (CLIENTS, DRAFTS, BLOBS, LOCKS):
                with contextlib.suppress(OSError):
                    (folder / sub).rmdir()
            if made:
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        return cls(folder, meta, key, cache_dir)

    @classmethod
    def open(
        cls, folder: Path, key_source: KeySource, *, cache_dir: Path | None = None
    ) -> Workspace:
        folder = Path(folder)
        meta = read_meta(folder)
        return cls(folder, meta, unlock(meta, key_source), cache_dir)

    @staticmethod
    def read_meta(folder: Path) -> WorkspaceMeta:
        """What `workspace.json` says, without unlocking (for `workspace info`)."""
        return read_meta(Path(folder))

    def close(self) -> None:
        for held in list(self._held.values()):
            held.release()
        self._held.clear()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- keys ----------------------------------------------------------------------------

    def set_passphrase(self, passphrase: str) -> None:
        """Set or change the passphrase: re-wraps the 32-byte key, no file is re-encrypted."""
        meta = self.meta.model_copy(deep=True)
        meta.key.passphrase = wrap_key(self._key, passphrase, meta.id)
        meta.key.demo = False
        write_meta(self.folder, meta)
        self.meta = meta

    def remember_key(self, store: KeyStore | None = None) -> None:
        """Keep the key in this machine's keyring (after opening a moved workspace with
        its passphrase), so it opens without the passphrase here from now on."""
        UseKeyring(store).key_store().set_key(self.meta.id, crypto.b64(self._key))

    @property
    def index_file(self) -> Path:
        return self._index.path
