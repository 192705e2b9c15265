"""The drafts of a workspace: listing, resolving ids, reading and saving versions."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forms.draft.io import describe_validation
from forms.draft.model import Draft, DraftStatus
from forms.workspace import locks
from forms.workspace.clients import ClientsMixin
from forms.workspace.editing import EditLocksMixin
from forms.workspace.errors import DataCorruptError, NotFoundError, WorkspaceError
from forms.workspace.records import (
    Action,
    DraftInfo,
    VersionInfo,
    VersionRecord,
    changed_fields,
    same_content,
)
from forms.workspace.vault import DRAFTS, utc_now, version_name, versions_in


class DraftsMixin(ClientsMixin, EditLocksMixin):
    def _draft_dir(self, draft_id: str) -> Path:
        return self.folder / DRAFTS / self._name("draft", draft_id)

    def _record_at(self, folder: Path, version: int) -> VersionRecord:
        path = folder / version_name(version)
        raw = self._read(path, "draft", folder.name, str(version))
        try:
            record = VersionRecord.model_validate_json(raw)
        except ValidationError as exc:
            raise DataCorruptError(describe_validation(path, exc)) from None
        if record.version != version or self._draft_dir(record.draft_id) != folder:
            raise DataCorruptError(f"{path}: 文件与位置不符 / file does not match its place")
        return record

    def _latest_record(self, folder: Path, versions: list[int]) -> VersionRecord | None:
        if not versions:
            return None
        cached = self._latest.get(folder.name)
        if cached is not None and cached.version == versions[-1]:
            return cached
        record = self._record_at(folder, versions[-1])
        self._latest[folder.name] = record
        return record

    def _existing(self, draft_id: str) -> tuple[Path, list[int]]:
        folder = self._draft_dir(draft_id)
        versions = versions_in(folder)
        if not versions:
            raise NotFoundError(f"工作区中没有此草稿 / no draft {draft_id!r} in the workspace")
        return folder, versions

    def has_draft(self, draft_id: str) -> bool:
        return bool(versions_in(self._draft_dir(draft_id)))

    def drafts(
        self, client_id: str | None = None, *, include_deleted: bool = False
    ) -> list[DraftInfo]:
        """Every draft's summary, newest first, from the local cache where it is current."""
        root = self.folder / DRAFTS
        stamps: dict[str, str] = {}
        latest: dict[str, tuple[int, int]] = {}
        for entry in os.scandir(root) if root.is_dir() else []:
            if not entry.is_dir():
                continue
            versions = versions_in(Path(entry.path))
            if not versions:
                continue
            st = (Path(entry.path) / version_name(versions[-1])).stat()
            stamps[entry.name] = f"{versions[-1]}:{len(versions)}:{st.st_size}:{st.st_mtime_ns}"
            latest[entry.name] = (versions[-1], len(versions))
        summaries = self._index.lookup(stamps)
        fresh: dict[str, tuple[str, dict[str, Any]]] = {}
        for name, (version, count) in latest.items():
            if name in summaries:
                continue
            record = self._record_at(root / name, version)
            summary = _summary(record, count)
            summaries[name] = summary
            fresh[name] = (stamps[name], summary)
        if fresh or len(summaries) != len(stamps):
            self._index.store(fresh, keep=set(stamps))
        infos = [_info(s) for s in summaries.values()]
        infos = [
            i
            for i in infos
            if (include_deleted or not i.deleted)
            and (client_id is None or i.client_id == client_id)
        ]
        return sorted(infos, key=lambda i: (i.updated_at, i.id), reverse=True)

    def resolve_draft(self, ref: str) -> str:
        """A draft id from the id itself or an unambiguous prefix of it (as git does)."""
        ids = [i.id for i in self.drafts(include_deleted=True)]
        if ref in ids:
            return ref
        hits = [i for i in ids if ref and i.startswith(ref)]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise NotFoundError(f"工作区中没有草稿“{ref}” / no draft {ref!r} in the workspace")
        raise NotFoundError(
            f"“{ref}”对应多份草稿，请写得更长 / {ref!r} matches several drafts: "
            + ", ".join(sorted(hits)[:5])
        )

    def record(self, draft_id: str, version: int | None = None) -> VersionRecord:
        folder, versions = self._existing(draft_id)
        if version is None:
            latest = self._latest_record(folder, versions)
            assert latest is not None
            return latest
        if version not in versions:
            raise NotFoundError(
                f"草稿没有第{version}版（共{len(versions)}版）/ draft has no version {version}"
            )
        return self._record_at(folder, version)

    def load_draft(self, draft_id: str, version: int | None = None) -> Draft:
        record = self.record(draft_id, version)
        try:
            return Draft.model_validate(record.draft)
        except ValidationError as exc:
            raise WorkspaceError(describe_validation(Path(draft_id), exc)) from None

    def info(self, draft_id: str) -> DraftInfo:
        folder, versions = self._existing(draft_id)
        record = self._latest_record(folder, versions)
        assert record is not None
        return _info(_summary(record, len(versions)))

    def save_draft(
        self, draft: Draft, *, author: str | None = None, client_id: str | None = None
    ) -> VersionInfo:
        """Save `draft` as its next version and return it; if nothing but `updated` changed,
        write nothing and return the current version. A new draft joins `client_id`, or the
        client with its credit code or company name, or a new client made from it."""
        data = draft.model_dump(mode="json")
        return self._commit(draft.id, data, "save", author=author, client_id=client_id)

    def import_draft(
        self, draft: Draft, *, client_id: str, author: str | None = None
    ) -> VersionInfo:
        """Save a draft that came from a bundle: a new version on top if it exists here
        (history is kept, and a deleted draft comes back), else a new draft of `client_id`."""
        data = draft.model_dump(mode="json")
        return self._commit(draft.id, data, "import", author=author, client_id=client_id)

    def _commit(
        self,
        draft_id: str,
        data: dict[str, Any],
        action: Action,
        *,
        author: str | None = None,
        client_id: str | None = None,
        deleted: bool | None = None,
        restored_from: int | None = None,
    ) -> VersionInfo:
        folder = self._draft_dir(draft_id)
        with self._write_lock(folder.name):
            versions = versions_in(folder)
            previous = self._latest_record(folder, versions)
            now_deleted = deleted if deleted is not None else False
            if previous is not None:
                if (
                    same_content(previous.draft, data)
                    and previous.deleted == now_deleted
                    and (client_id is None or client_id == previous.client_id)
                ):
                    return VersionInfo.of(previous)
                owner = client_id or previous.client_id
            else:
                if action == "save":
                    action = "create"
                owner = client_id or self._client_for(Draft.model_validate(data), author)
            if client_id is not None and self._latest_client(self._client_dir(client_id)) is None:
                raise NotFoundError(f"没有此客户 / no client {client_id!r}")
            now = utc_now()
            data = dict(data)
            data["updated"] = now.replace(microsecond=0).isoformat().replace("+00:00", "Z")
            version = versions[-1] + 1 if versions else 1
            # A first version has nothing to compare with: the audit says "create", not
            # every field of the form.
            changed = changed_fields(previous.draft, data) if previous else []
            if previous is not None and owner != previous.client_id:
                changed.append("(client)")
            record = VersionRecord(
                draft_id=draft_id,
                client_id=owner,
                version=version,
                saved_at=now,
                author=author or locks.current_user(),
                action=action,
                changed=changed,
                deleted=now_deleted,
                restored_from=restored_from,
                draft=data,
            )
            folder.mkdir(parents=True, exist_ok=True)
            self._write_version(
                folder,
                version,
                record,
                "draft",
                f"草稿第{version}版刚被另一处写入，请重新打开 / version {version} was just "
                "written elsewhere; reopen the draft",
            )
            self._latest[folder.name] = record
            return VersionInfo.of(record)


def _summary(record: VersionRecord, count: int) -> dict[str, Any]:
    draft = record.draft
    company = draft.get("company") or {}
    return {
        "id": record.draft_id,
        "client_id": record.client_id,
        "company_name": str(company.get("name", "")) if isinstance(company, dict) else "",
        "title": str(draft.get("title", "")),
        "direction": draft.get("direction"),
        "status": str(draft.get("status", DraftStatus.DRAFT.value)),
        "versions": count,
        "updated_at": record.saved_at.isoformat(),
        "deleted": record.deleted,
    }


def _info(summary: dict[str, Any]) -> DraftInfo:
    try:
        status = DraftStatus(summary["status"])
    except ValueError:
        status = DraftStatus.DRAFT
    return DraftInfo(
        id=summary["id"],
        client_id=summary["client_id"],
        company_name=summary["company_name"],
        title=summary["title"],
        direction=summary["direction"],
        status=status,
        versions=int(summary["versions"]),
        updated_at=datetime.fromisoformat(summary["updated_at"]),
        deleted=bool(summary["deleted"]),
    )
