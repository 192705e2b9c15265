"""Where the desktop keeps drafts and clients: the encrypted workspace behind a narrow interface.

The main window, the wizard and autosave talk to `DraftStore` only. `WorkspaceStore` is
that interface over `forms.workspace.Workspace`, the same encrypted folder the command line
works on (`shenbao drafts`, `shenbao draft history` …): every save is a new version (a save
that changes nothing writes nothing), deletion is soft and restorable, and attachment files
are stored once, encrypted, by content hash. Opening the workspace (keyring or passphrase)
is desktop/app/unlock.py's business; a store is made from a workspace that is already open.

An attachment of a workspace draft names its file by `Attachment.file` (the file name the
user chose, for display) and `Attachment.sha256` (which blob holds it). Whatever needs the
bytes as a file (thumbnails, the package builder) gets them decrypted into a private
temporary folder that is deleted afterwards (`materialise`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from forms.draft.model import Attachment, Draft, Profile
from forms.workspace import DraftInfo as Summary
from forms.workspace import EditLock, LockInfo, Workspace, files, spreadsheet
from forms.workspace import clients as client_ops
from forms.workspace.clients import CarryResult
from forms.workspace.drafts import ON_TOP
from forms.workspace.spreadsheet import CodeCheck, ImportOutcome, ImportPlan


class DraftNotFound(KeyError):  # noqa: N818 (reads as what happened)
    """No draft with this id in the store."""


@dataclass(frozen=True)
class DraftInfo:
    id: str
    draft: Draft  # shared with the store's cache: read it, do not change it
    client_id: str
    modified: datetime
    versions: int
    version: int = 0  # the version `draft` is (a save names it as its base)
    #: Newer versions whose files are damaged (`draft` is then the last good version).
    damaged: tuple[int, ...] = ()
    #: Heads of a sync conflict (two copies of the workspace saved this draft apart).
    conflict: tuple[str, ...] = ()
    #: After a save: fields another save changed meanwhile, merged into `draft` (which the
    #: editor must now show), and the version they came from.
    merged: tuple[str, ...] = ()
    merged_with: int | None = None


@dataclass(frozen=True)
class ClientInfo:
    id: str
    profile: Profile


@dataclass(frozen=True)
class Version:
    draft_id: str
    version: int
    saved: datetime
    author: str
    action: str  # create, save, restore, delete, undelete, duplicate, import
    changed: tuple[str, ...]
    deleted: bool  # the draft was deleted by this version
    title: str = ""  # what the draft was called (listing deleted drafts)
    key: str = ""  # tells apart two versions of one number saved in two copies (sync)


class DraftStore(Protocol):
    """What the desktop needs of a workspace."""

    @property
    def folder(self) -> Path: ...

    @property
    def is_demo(self) -> bool:
        """Opened with the public demo passphrase: not for real data."""
        ...

    # drafts and their versions
    def drafts(self) -> list[DraftInfo]: ...

    def load(self, draft_id: str) -> DraftInfo: ...

    def save(
        self, draft: Draft, client_id: str | None = None, base: int | None = None
    ) -> DraftInfo:
        """Store `draft` as a new version based on version `base` (the one the editor
        opened or last saved); a newer version saved meanwhile is merged field by field
        (the result says so) or the save is refused (`SaveConflictError`)."""
        ...

    def delete(self, draft_id: str) -> None: ...

    def duplicate(self, draft_id: str) -> DraftInfo: ...

    def history(self, draft_id: str) -> list[Version]: ...

    def deleted(self) -> list[Version]: ...

    def restore(self, draft_id: str, version: int) -> DraftInfo: ...

    def conflict(self, draft_id: str) -> list[Version]:
        """The heads of a sync conflict (two copies saved the draft apart); [] if none."""
        ...

    def resolve(self, draft_id: str, key: str) -> DraftInfo:
        """Settle a sync conflict by keeping the head `key` (the other stays in history)."""
        ...

    def record_event(self, draft_id: str, action: str, detail: str = "") -> None: ...

    # clients
    def clients(self) -> list[ClientInfo]: ...

    def add_client(self, profile: Profile) -> ClientInfo: ...

    def update_client(self, client_id: str, profile: Profile) -> ClientInfo: ...

    def delete_client(self, client_id: str, *, with_drafts: bool) -> list[str]: ...

    def new_draft_for(self, client_id: str) -> Draft: ...

    def carry_to_client(self, draft: Draft, client_id: str, *, other_drafts: bool) -> CarryResult:
        """The draft's company data to its client (and, asked, to its other drafts)."""
        ...

    def carry_from_client(self, client_id: str) -> CarryResult: ...

    def plan_import(self, path: Path, check_code: CodeCheck) -> ImportPlan: ...

    def apply_import(self, plan: ImportPlan) -> ImportOutcome: ...

    # attachment files
    def store_file(self, item: str, path: Path) -> Attachment: ...

    def has_file(self, attachment: Attachment) -> bool: ...

    def read_file(self, attachment: Attachment) -> bytes: ...

    def materialise(self, draft: Draft, folder: Path) -> Draft: ...

    # editing locks and keys
    def lock(self, draft_id: str, *, force: bool = False) -> EditLock: ...

    def lock_holder(self, draft_id: str) -> LockInfo | None: ...

    def set_passphrase(self, passphrase: str) -> None: ...

    def close(self) -> None: ...


class WorkspaceStore:
    """`DraftStore` over an open `Workspace`. Loaded drafts are cached by version, so
    listing the workspace after an autosave decrypts only what changed."""

    def __init__(self, workspace: Workspace, author: str | None = None) -> None:
        self.workspace = workspace
        self.author = author
        self._cache: dict[str, tuple[str, Draft]] = {}
        self._bases: dict[str, int] = {}  # the version each draft was last opened or saved at

    @property
    def folder(self) -> Path:
        return self.workspace.folder

    @property
    def is_demo(self) -> bool:
        return self.workspace.meta.key.demo

    @property
    def has_passphrase(self) -> bool:
        return self.workspace.meta.key.passphrase is not None

    # --- drafts -----------------------------------------------------------------------
    def _draft(self, summary: Summary) -> Draft:
        """The draft at the version the listing shows (the last good one of a draft whose
        newest file is damaged), decrypted once per version."""
        stamp = f"{summary.version}:{summary.versions}:{summary.updated_at.isoformat()}"
        cached = self._cache.get(summary.id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        record = self.workspace.record(summary.id, summary.version)
        draft = Draft.model_validate(record.draft)
        self._cache[summary.id] = (stamp, draft)
        return draft

    def _info(self, summary: Summary) -> DraftInfo:
        return DraftInfo(
            summary.id,
            self._draft(summary),
            summary.client_id,
            summary.updated_at,
            summary.versions,
            summary.version,
            summary.damaged,
            summary.conflict,
        )

    def drafts(self) -> list[DraftInfo]:
        return [self._info(s) for s in self.workspace.drafts()]

    def load(self, draft_id: str) -> DraftInfo:
        """The draft to edit, at its latest version; `DraftDamagedError` when the newest
        file is damaged (the caller offers the last good version to restore)."""
        if not self.workspace.has_draft(draft_id):
            raise DraftNotFound(draft_id)
        summary = self.workspace.info(draft_id)
        if summary.damaged:
            self.workspace.record(draft_id)  # raises DraftDamagedError with the last good
        info = self._info(summary)
        copy = info.draft.model_copy(deep=True)  # the caller's to change
        self._bases[draft_id] = info.version
        return replace(info, draft=copy)

    def save(
        self, draft: Draft, client_id: str | None = None, base: int | None = None
    ) -> DraftInfo:
        known = base if base is not None else self._bases.get(draft.id, ON_TOP)
        saved = self.workspace.save_draft(
            draft, author=self.author, client_id=client_id, base=known
        )
        record = self.workspace.record(draft.id)
        stored = Draft.model_validate(record.draft) if saved.merged else draft.model_copy(deep=True)
        summary = self.workspace.info(draft.id)
        self._cache[draft.id] = (
            f"{summary.version}:{summary.versions}:{summary.updated_at.isoformat()}",
            stored,
        )
        self._bases[draft.id] = saved.version
        self._name_client(record.client_id, stored)
        return DraftInfo(
            draft.id,
            stored,
            record.client_id,
            saved.saved_at,
            summary.versions,
            saved.version,
            merged=saved.merged,
            merged_with=saved.merged_with,
        )

    def _name_client(self, client_id: str, draft: Draft) -> None:
        """A draft begun without a client made a nameless one; once the draft names its
        company, the client takes the draft's company data (the list shows the name)."""
        if not draft.company.name.strip():
            return
        profile = self.workspace.client_profile(client_id)
        if not profile.company.name.strip():
            self.workspace.update_client(client_id, draft.to_profile(), author=self.author)

    def delete(self, draft_id: str) -> None:
        self.workspace.delete_draft(draft_id, author=self.author)

    def duplicate(self, draft_id: str) -> DraftInfo:
        copy = self.workspace.duplicate_draft(draft_id, author=self.author)
        return self.load(copy.draft_id)

    def history(self, draft_id: str) -> list[Version]:
        """Newest first; versions whose files are damaged are left out (nothing to restore)."""
        return [
            Version(v.draft_id, v.version, v.saved_at, v.author, v.action, v.changed, v.deleted)
            for v in reversed(self.workspace.history(draft_id))
            if not v.damaged
        ]

    def deleted(self) -> list[Version]:
        found = []
        for summary in self.workspace.drafts(include_deleted=True):
            if summary.deleted:
                latest = self.history(summary.id)[0]
                title = summary.title or summary.company_name or summary.id
                found.append(
                    Version(
                        latest.draft_id,
                        latest.version,
                        latest.saved,
                        latest.author,
                        latest.action,
                        latest.changed,
                        True,
                        title,
                    )
                )
        return found

    def restore(self, draft_id: str, version: int) -> DraftInfo:
        self.workspace.restore(draft_id, version, author=self.author)
        return self.load(draft_id)

    def record_event(self, draft_id: str, action: str, detail: str = "") -> None:
        self.workspace.record_event(draft_id, action, detail, author=self.author)

    def conflict(self, draft_id: str) -> list[Version]:
        return [
            Version(
                r.draft_id,
                r.version,
                r.saved_at,
                r.author,
                r.action,
                tuple(r.changed),
                r.deleted,
                str(r.draft.get("title", "")),
                r.key,
            )
            for r in self.workspace.conflict(draft_id)
        ]

    def resolve(self, draft_id: str, key: str) -> DraftInfo:
        self.workspace.resolve_conflict(draft_id, key, author=self.author)
        return self.load(draft_id)

    # --- clients ----------------------------------------------------------------------
    def clients(self) -> list[ClientInfo]:
        return [
            ClientInfo(c.id, self.workspace.client_profile(c.id)) for c in self.workspace.clients()
        ]

    def add_client(self, profile: Profile) -> ClientInfo:
        info = self.workspace.add_client(profile, author=self.author)
        return ClientInfo(info.id, profile)

    def update_client(self, client_id: str, profile: Profile) -> ClientInfo:
        self.workspace.update_client(client_id, profile, author=self.author)
        return ClientInfo(client_id, profile)

    def delete_client(self, client_id: str, *, with_drafts: bool) -> list[str]:
        return client_ops.delete_client(
            self.workspace, client_id, with_drafts=with_drafts, author=self.author
        )

    def new_draft_for(self, client_id: str) -> Draft:
        return self.workspace.new_draft_for(client_id)

    def carry_to_client(self, draft: Draft, client_id: str, *, other_drafts: bool) -> CarryResult:
        return client_ops.carry_to_client(
            self.workspace, draft, client_id, other_drafts=other_drafts, author=self.author
        )

    def carry_from_client(self, client_id: str) -> CarryResult:
        return client_ops.carry_from_client(self.workspace, client_id, author=self.author)

    def plan_import(self, path: Path, check_code: CodeCheck) -> ImportPlan:
        existing = [(c.id, c.profile) for c in self.clients()]
        return spreadsheet.plan_import(path, existing, check_code)

    def apply_import(self, plan: ImportPlan) -> ImportOutcome:
        return spreadsheet.apply_import(self.workspace, plan, author=self.author)

    # --- attachment files -------------------------------------------------------------
    def store_file(self, item: str, path: Path) -> Attachment:
        """Keep the file's content in the workspace (encrypted, once per content)."""
        return files.store_file(self.workspace, item, path)

    def has_file(self, attachment: Attachment) -> bool:
        return files.has_file(self.workspace, attachment)

    def read_file(self, attachment: Attachment) -> bytes:
        return files.read_file(self.workspace, attachment)

    def materialise(self, draft: Draft, folder: Path) -> Draft:
        return files.materialise(self.workspace, draft, folder)

    # --- locks and keys ---------------------------------------------------------------
    def lock(self, draft_id: str, *, force: bool = False) -> EditLock:
        return self.workspace.lock(draft_id, force=force)

    def lock_holder(self, draft_id: str) -> LockInfo | None:
        return self.workspace.lock_holder(draft_id)

    def set_passphrase(self, passphrase: str) -> None:
        self.workspace.set_passphrase(passphrase)

    def close(self) -> None:
        self.workspace.close()


def open_store(workspace: Workspace) -> DraftStore:
    """The desktop's store over an unlocked workspace (see desktop/app/unlock.py)."""
    return WorkspaceStore(workspace)
