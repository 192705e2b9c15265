"""Where the desktop keeps drafts and clients: a narrow interface and a folder backend.

The main window and autosave talk to `DraftStore` only. `FolderDraftStore` keeps plain
JSON files (<workspace>/drafts/*.json, as `shenbao demo` writes them) so everything works
before the encrypted workspace lands; that workspace becomes another implementation of
the same protocol (one line in `open_store`). Every save goes through
`save_json_atomic`, and the previous version is kept under history/ so a deletion or a
bad edit can be undone from the history.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from forms.draft import Draft, DraftStatus, Profile
from forms.io import InputError, load_draft, load_profile_or_draft, save_json_atomic

HISTORY_KEEP = 30


class DraftNotFound(KeyError):  # noqa: N818 (reads as what happened)
    """No draft with this id in the store."""


@dataclass(frozen=True)
class DraftInfo:
    id: str
    draft: Draft
    path: Path  # where relative attachment paths are resolved from (its folder)
    modified: datetime


@dataclass(frozen=True)
class ClientInfo:
    id: str
    profile: Profile


@dataclass(frozen=True)
class Version:
    draft_id: str
    version: str  # sortable timestamp
    saved: datetime
    deleted: bool  # this version was the last one before the draft was deleted


class DraftStore(Protocol):
    """What the desktop needs of a workspace."""

    @property
    def folder(self) -> Path: ...

    def drafts(self) -> list[DraftInfo]: ...

    def load(self, draft_id: str) -> DraftInfo: ...

    def save(self, draft: Draft) -> DraftInfo: ...

    def delete(self, draft_id: str) -> None: ...

    def duplicate(self, draft_id: str) -> DraftInfo: ...

    def history(self, draft_id: str) -> list[Version]: ...

    def deleted(self) -> list[Version]: ...

    def restore(self, draft_id: str, version: str) -> DraftInfo: ...

    def clients(self) -> list[ClientInfo]: ...

    def add_client(self, profile: Profile) -> ClientInfo: ...


_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _parse_stamp(text: str) -> datetime:
    return datetime.strptime(text.removesuffix(".deleted"), "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


class FolderDraftStore:
    """Drafts as JSON files in <folder>/drafts, clients in <folder>/clients."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._paths: dict[str, Path] = {}
        for sub in ("drafts", "clients", "history"):
            (folder / sub).mkdir(parents=True, exist_ok=True)

    @property
    def folder(self) -> Path:
        return self._folder

    # --- drafts ---------------------------------------------------------------------
    def drafts(self) -> list[DraftInfo]:
        infos = []
        self._paths.clear()
        for path in sorted((self._folder / "drafts").glob("*.json")):
            try:
                draft = load_draft(path)
            except InputError:
                continue  # a damaged file is not the whole workspace's problem
            self._paths[draft.id] = path
            infos.append(self._info(draft, path))
        return infos

    def _info(self, draft: Draft, path: Path) -> DraftInfo:
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        return DraftInfo(draft.id, draft, path, modified)

    def _path(self, draft_id: str) -> Path:
        if draft_id not in self._paths:
            self.drafts()
        if draft_id not in self._paths:
            raise DraftNotFound(draft_id)
        return self._paths[draft_id]

    def load(self, draft_id: str) -> DraftInfo:
        path = self._path(draft_id)
        return self._info(load_draft(path), path)

    def save(self, draft: Draft) -> DraftInfo:
        path = self._paths.get(draft.id)
        if path is None or not path.exists():
            path = self._folder / "drafts" / f"{_SAFE.sub('_', draft.id)}.json"
        elif path.exists():
            self._keep_version(draft.id, path)
        draft.updated = datetime.now(UTC).replace(microsecond=0)
        save_json_atomic(path, draft)
        self._paths[draft.id] = path
        return self._info(draft, path)

    def _history_dir(self, draft_id: str) -> Path:
        return self._folder / "history" / _SAFE.sub("_", draft_id)

    def _keep_version(self, draft_id: str, path: Path, suffix: str = "") -> None:
        folder = self._history_dir(draft_id)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{_stamp()}{suffix}.json").write_bytes(path.read_bytes())
        versions = sorted(folder.glob("*.json"))
        for old in versions[:-HISTORY_KEEP]:
            old.unlink(missing_ok=True)

    def delete(self, draft_id: str) -> None:
        path = self._path(draft_id)
        self._keep_version(draft_id, path, ".deleted")
        path.unlink()
        self._paths.pop(draft_id, None)

    def duplicate(self, draft_id: str) -> DraftInfo:
        source = self.load(draft_id).draft
        now = datetime.now(UTC).replace(microsecond=0)
        copy = source.model_copy(
            update={"id": uuid.uuid4().hex, "created": now, "status": DraftStatus.DRAFT}, deep=True
        )
        copy.title = f"{source.title or source.project.name}（副本）"
        info = self.save(copy)
        return info

    def history(self, draft_id: str) -> list[Version]:
        folder = self._history_dir(draft_id)
        return [
            Version(draft_id, p.stem, _parse_stamp(p.stem), p.stem.endswith(".deleted"))
            for p in sorted(folder.glob("*.json"), reverse=True)
        ]

    def deleted(self) -> list[Version]:
        live = {info.id for info in self.drafts()}
        found = []
        for folder in sorted((self._folder / "history").iterdir()):
            versions = sorted(folder.glob("*.deleted.json"), reverse=True)
            if versions:
                draft_id = load_draft(versions[0]).id
                if draft_id not in live:
                    found.append(
                        Version(draft_id, versions[0].stem, _parse_stamp(versions[0].stem), True)
                    )
        return found

    def restore(self, draft_id: str, version: str) -> DraftInfo:
        source = self._history_dir(draft_id) / f"{version}.json"
        if not source.is_file():
            raise DraftNotFound(f"{draft_id}@{version}")
        return self.save(load_draft(source))

    # --- clients --------------------------------------------------------------------
    def clients(self) -> list[ClientInfo]:
        found = []
        for path in sorted((self._folder / "clients").glob("*.json")):
            try:
                found.append(ClientInfo(path.stem, load_profile_or_draft(path)))
            except InputError:
                continue
        return found

    def add_client(self, profile: Profile) -> ClientInfo:
        key = profile.company.credit_code or uuid.uuid4().hex[:12]
        client_id = _SAFE.sub("_", key)
        save_json_atomic(self._folder / "clients" / f"{client_id}.json", profile)
        return ClientInfo(client_id, profile)


def open_store(folder: Path) -> DraftStore:
    """The store for a workspace folder (the encrypted workspace will plug in here)."""
    return FolderDraftStore(folder)
