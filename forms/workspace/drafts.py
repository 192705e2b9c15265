"""The drafts of a workspace: listing, resolving ids, reading and saving versions.

Three promises shape this module. One damaged draft never blocks another: listing reads
each draft's latest readable version and reports the unreadable ones (with the last good
version to restore), and an id is resolved by its keyed folder name, not by decrypting
every draft. A save names the version it was based on: when another save came in
between, the two are merged field by field, or refused when both changed the same field.
And two copies of a synced workspace that saved the same draft while apart keep both
versions as heads of a conflict (`conflict`), which the user resolves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forms.draft.model import Draft, DraftStatus
from forms.text import Text
from forms.workspace import locks
from forms.workspace.clients import ClientsMixin
from forms.workspace.editing import EditLocksMixin
from forms.workspace.errors import (
    DataCorruptError,
    DraftDamagedError,
    NotFoundError,
    SaveConflictError,
)
from forms.workspace.records import (
    Action,
    DraftInfo,
    UnreadableDraft,
    VersionInfo,
    VersionRecord,
    changed_fields,
    merge,
    same_content,
)
from forms.workspace.vault import DRAFTS, VersionFile, utc_now, version_files

#: `save_draft(base=ON_TOP)`: no base on purpose (an import, a restore): a new version on
#: top of whatever is latest.
ON_TOP = -1


@dataclass
class DraftState:
    """What a draft's folder holds, read as far as needed."""

    files: list[VersionFile]
    latest: VersionRecord | None = None  # the version shown: newest readable head
    damaged: list[int] = field(default_factory=list)  # numbers above it, unreadable
    heads: list[VersionRecord] = field(default_factory=list)  # >= 2: a sync conflict

    @property
    def top(self) -> int:
        return self.files[-1].number if self.files else 0


def _dedupe(records: Iterable[VersionRecord]) -> list[VersionRecord]:
    """One record per version: a sync tool's copy of the same file is not a second one."""
    seen: dict[tuple[int, str, str], VersionRecord] = {}
    for record in records:
        seen.setdefault((record.version, record.origin, record.saved_at.isoformat()), record)
    return sorted(seen.values(), key=lambda r: (r.version, r.saved_at, r.origin))


class DraftsMixin(ClientsMixin, EditLocksMixin):
    def _draft_dir(self, draft_id: str) -> Path:
        return self.folder / DRAFTS / self._name("draft", draft_id)

    # -- reading version files -----------------------------------------------------------

    def _read_version(self, folder: Path, file: VersionFile) -> VersionRecord:
        path = folder / file.name
        raw = self._read(path, "draft", folder.name, str(file.number))
        try:
            record = VersionRecord.model_validate_json(raw)
        except ValidationError:
            raise DataCorruptError.of("workspace.record_malformed", what=file.name) from None
        if record.version != file.number or self._draft_dir(record.draft_id) != folder:
            raise DataCorruptError.of("workspace.file_misplaced", what=file.name)
        return record

    def _readable(self, folder: Path, files: Sequence[VersionFile]) -> list[VersionRecord]:
        """The records `files` hold, one per version; unreadable files are skipped."""
        found = []
        cached = self._latest.get(folder.name)
        for file in files:
            # The newest record read is kept (a save reads it back at once), but only for
            # the very file it came from: a file damaged since is read again.
            stamp = _file_stamp(folder / file.name)
            if cached is not None and cached[0] == stamp:
                assert isinstance(cached[1], VersionRecord)
                found.append(cached[1])
                continue
            try:
                record = self._read_version(folder, file)
            except (DataCorruptError, NotFoundError):
                continue
            if file.ours:
                self._latest[folder.name] = (stamp, record)
                cached = self._latest[folder.name]
            found.append(record)
        return _dedupe(found)

    def _state(self, folder: Path, files: list[VersionFile] | None = None) -> DraftState:
        """The newest readable version, the unreadable ones above it, and the heads when
        two copies of the workspace saved this draft apart."""
        files = version_files(folder) if files is None else files
        state = DraftState(files)
        for number in sorted({f.number for f in files}, reverse=True):
            records = self._readable(folder, [f for f in files if f.number == number])
            if records:
                state.latest = records[-1]
                break
            state.damaged.append(number)
        state.damaged.reverse()
        if state.latest is None:
            return state
        state.heads = [state.latest]
        counts: dict[int, int] = {}
        for f in files:
            counts[f.number] = counts.get(f.number, 0) + 1
        shared = [n for n, c in counts.items() if c > 1]
        if shared:
            heads = self._heads(folder, [f for f in files if f.number >= min(shared)])
            if heads:
                state.heads = heads
                state.latest = max(heads, key=lambda r: (r.version, r.saved_at))
        return state

    def _heads(self, folder: Path, files: list[VersionFile]) -> list[VersionRecord]:
        """Versions no later version builds on (by `parent` or `resolves`)."""
        records = self._readable(folder, files)
        by_number: dict[int, list[str]] = {}
        for r in records:
            by_number.setdefault(r.version, []).append(r.key)
        referenced: set[str] = set()
        for r in records:
            if r.parent is not None:
                referenced.add(r.parent)
            else:  # written before parents were recorded: built on what came before
                referenced.update(by_number.get(r.version - 1, []))
            referenced.update(r.resolves)
        return [r for r in records if r.key not in referenced]

    def _existing(self, draft_id: str) -> tuple[Path, list[VersionFile]]:
        folder = self._draft_dir(draft_id)
        files = version_files(folder)
        if not files:
            raise NotFoundError.of("workspace.no_draft", ref=draft_id)
        return folder, files

    def has_draft(self, draft_id: str) -> bool:
        return bool(draft_id) and bool(version_files(self._draft_dir(draft_id)))

    # -- listing -------------------------------------------------------------------------

    def drafts(
        self, client_id: str | None = None, *, include_deleted: bool = False
    ) -> list[DraftInfo]:
        """Every draft's summary, newest first, from the local cache where it is current.
        A draft whose newest files are damaged is listed at its last good version with
        `damaged` set; one with no readable version at all is in `unreadable_drafts()`."""
        root = self.folder / DRAFTS
        stamps: dict[str, str] = {}
        listed: dict[str, list[VersionFile]] = {}
        for name, files in self._draft_folders(root):
            stamps[name] = self._stamp(root / name, files)
            listed[name] = files
        summaries = self._index.lookup(stamps)
        fresh: dict[str, tuple[str, dict[str, Any]]] = {}
        for name, files in listed.items():
            if name in summaries:
                continue
            summary = self._summarise(root / name, files)
            summaries[name] = summary
            fresh[name] = (stamps[name], summary)
        if fresh or len(summaries) != len(stamps):
            self._index.store(fresh, keep=set(stamps))
        self.unreadable = [
            UnreadableDraft(name, int(s.get("files", 0)))
            for name, s in sorted(summaries.items())
            if s.get("unreadable")
        ]
        infos = [_info(s) for s in summaries.values() if not s.get("unreadable")]
        infos = [
            i
            for i in infos
            if (include_deleted or not i.deleted)
            and (client_id is None or i.client_id == client_id)
        ]
        return sorted(infos, key=lambda i: (i.updated_at, i.id), reverse=True)

    def unreadable_drafts(self) -> list[UnreadableDraft]:
        """Draft folders none of whose versions can be read (after `drafts()`)."""
        if not hasattr(self, "unreadable"):
            self.drafts(include_deleted=True)
        return list(self.unreadable)

    @staticmethod
    def _draft_folders(root: Path) -> Iterable[tuple[str, list[VersionFile]]]:
        try:
            entries = sorted(p for p in root.iterdir() if p.is_dir())
        except FileNotFoundError:
            return []
        return [(p.name, files) for p in entries if (files := version_files(p))]

    @staticmethod
    def _stamp(folder: Path, files: list[VersionFile]) -> str:
        """Changes whenever what the summary says could change: a new file anywhere (a
        synced version), or the newest file's bytes."""
        top = files[-1].number
        parts = [f"{top}:{len(files)}"]
        for f in files:
            if f.number == top:
                try:
                    st = (folder / f.name).stat()
                except FileNotFoundError:
                    continue
                parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
        return "|".join(parts)

    def _summarise(self, folder: Path, files: list[VersionFile]) -> dict[str, Any]:
        state = self._state(folder, files)
        if state.latest is None:
            return {"unreadable": True, "files": len(files)}
        numbers = {f.number for f in files}
        return _summary(
            state.latest,
            len(numbers),
            damaged=state.damaged,
            conflict=[h.key for h in state.heads] if len(state.heads) > 1 else [],
        )

    def resolve_draft(self, ref: str) -> str:
        """A draft id from the id itself (no listing, no decryption) or an unambiguous
        prefix of it (as git does), against one listing that tolerates damaged drafts."""
        return self.resolve_drafts([ref])[0]

    def resolve_drafts(self, refs: Sequence[str]) -> list[str]:
        """Each ref's draft id, in order: whole ids straight from their keyed folder
        names, prefixes against a single listing (so checking n drafts is linear in n)."""
        resolved: list[str | None] = [ref if self.has_draft(ref) else None for ref in refs]
        if all(r is not None for r in resolved):
            return [r for r in resolved if r is not None]
        ids = [i.id for i in self.drafts(include_deleted=True)]
        out = []
        for ref, known in zip(refs, resolved, strict=True):
            if known is not None:
                out.append(known)
                continue
            hits = [i for i in ids if ref and i.startswith(ref)]
            if len(hits) == 1:
                out.append(hits[0])
            elif not hits:
                raise NotFoundError.of("workspace.no_draft", ref=ref)
            else:
                raise NotFoundError.of(
                    "workspace.ambiguous_draft", ref=ref, matches=", ".join(sorted(hits)[:5])
                )
        return out

    # -- reading -------------------------------------------------------------------------

    def record(self, draft_id: str, version: int | str | None = None) -> VersionRecord:
        """The latest version (the newest head in a sync conflict), or version `version`
        (a number, or a head's key "4-1a2b3c4d"). A damaged latest version raises
        `DraftDamagedError` naming the last good one."""
        folder, files = self._existing(draft_id)
        if version is None:
            state = self._state(folder, files)
            if state.latest is None or state.damaged:
                good = state.latest.version if state.latest is not None else None
                raise DraftDamagedError(draft_id, state.damaged or [state.top], good)
            return state.latest
        number = int(str(version).split("-")[0]) if str(version).split("-")[0].isdigit() else 0
        candidates = [f for f in files if f.number == number]
        if not candidates:
            raise NotFoundError.of(
                "workspace.no_version", version=version, count=len({f.number for f in files})
            )
        records = self._readable(folder, candidates)
        if isinstance(version, str) and "-" in version:
            records = [r for r in records if r.key == version]
        if not records:
            if isinstance(version, str) and "-" in version:
                raise NotFoundError.of("workspace.no_version", version=version, count=len(files))
            raise DataCorruptError.of("workspace.version_damaged", draft=draft_id, version=version)
        return records[-1]

    def load_draft(self, draft_id: str, version: int | str | None = None) -> Draft:
        record = self.record(draft_id, version)
        if version is None:
            self._seen[draft_id] = record.version
        try:
            return Draft.model_validate(record.draft)
        except ValidationError:
            raise DataCorruptError.of(
                "workspace.version_damaged", draft=draft_id, version=record.version
            ) from None

    def info(self, draft_id: str) -> DraftInfo:
        folder, files = self._existing(draft_id)
        summary = self._summarise(folder, files)
        if summary.get("unreadable"):
            raise DraftDamagedError(draft_id, sorted({f.number for f in files}), None)
        return _info(summary)

    # -- saving --------------------------------------------------------------------------

    def save_draft(
        self,
        draft: Draft,
        *,
        base: int | None = None,
        author: str | None = None,
        client_id: str | None = None,
    ) -> VersionInfo:
        """Save `draft` as its next version and return it; if nothing but `updated` changed,
        write nothing and return the current version. A new draft joins `client_id`, or the
        client with its credit code or company name, or a new client made from it.

        `base` is the version the edits started from (default: the one this workspace
        object last loaded or saved). If a newer version was saved meanwhile, the edits
        are merged into it field by field (`VersionInfo.merged` says what came from the
        other save: show the merged draft), or refused with `SaveConflictError` when both
        changed the same field."""
        data = draft.model_dump(mode="json")
        if base is None:
            base = self._seen.get(draft.id, ON_TOP)
        return self._commit(draft.id, data, "save", author=author, client_id=client_id, base=base)

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
        data: dict[str, Any] | None,
        action: Action,
        *,
        author: str | None = None,
        client_id: str | None = None,
        deleted: bool | None = None,
        restored_from: int | None = None,
        base: int = ON_TOP,
        parent: VersionRecord | None = None,
        resolves: Sequence[str] = (),
    ) -> VersionInfo:
        """Write the next version. `data` None: the latest content (delete, undelete),
        read under the write lock so nothing saved meanwhile is undone."""
        folder = self._draft_dir(draft_id)
        with self._write_lock(folder.name, draft_id):
            state = self._state(folder)
            previous = parent or state.latest
            if data is None:
                if previous is None:
                    raise DraftDamagedError(draft_id, state.damaged or [state.top], None)
                data = previous.draft
            now_deleted = deleted if deleted is not None else False
            merged: list[str] = []
            if previous is not None and base not in (ON_TOP, previous.version):
                data, merged = self._merge_onto(draft_id, previous, base, data)
            if previous is not None:
                if (
                    same_content(previous.draft, data)
                    and previous.deleted == now_deleted
                    and (client_id is None or client_id == previous.client_id)
                    and not resolves
                    and not state.damaged  # a damaged newest file: write the good one on top
                ):
                    self._seen[draft_id] = previous.version
                    return _with_merge(VersionInfo.of(previous), merged, previous.version)
                owner = client_id or previous.client_id
            else:
                if action == "save":
                    action = "create"
                owner = client_id or self._client_for(Draft.model_validate(data), author)
            if client_id is not None and self._latest_client(self._client_dir(client_id)) is None:
                raise NotFoundError.of("workspace.no_client", client=client_id)
            now = utc_now()
            data = dict(data)
            data["updated"] = now.replace(microsecond=0).isoformat().replace("+00:00", "Z")
            version = state.top + 1
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
                origin=self.origin,
                parent=previous.key if previous is not None else None,
                resolves=list(resolves),
                merged=merged,
                draft=data,
            )
            name = self._write_version(
                folder,
                version,
                record,
                "draft",
                Text.of("workspace.version_taken", version=version),
            )
            self._latest[folder.name] = (_file_stamp(folder / name), record)
            self._seen[draft_id] = version
            merged_with = previous.version if merged and previous is not None else None
            return _with_merge(VersionInfo.of(record), merged, merged_with)

    def _merge_onto(
        self, draft_id: str, latest: VersionRecord, base: int, mine: dict[str, Any]
    ) -> tuple[dict[str, Any], list[str]]:
        """My edits (made on version `base`) applied to `latest`, which another save wrote
        meanwhile; `SaveConflictError` when both changed a field differently."""
        try:
            start = self.record(draft_id, base).draft if base > 0 else None
        except (DataCorruptError, NotFoundError):
            start = None
        if start is None:
            fields = changed_fields(latest.draft, mine)
            raise SaveConflictError(
                draft_id, base, latest.version, latest.author, latest.saved_at, fields or ["?"]
            )
        merged, conflicts, theirs = merge(start, mine, latest.draft)
        if latest.deleted:
            conflicts.append("(deleted)")
        if conflicts:
            raise SaveConflictError(
                draft_id, base, latest.version, latest.author, latest.saved_at, conflicts
            )
        return merged, sorted(set(theirs))


def _file_stamp(path: Path) -> str:
    """Which file, with which bytes: name, size and modification time."""
    try:
        st = path.stat()
    except OSError:
        return f"{path.name}:gone"
    return f"{path.name}:{st.st_size}:{st.st_mtime_ns}"


def _with_merge(info: VersionInfo, merged: list[str], merged_with: int | None) -> VersionInfo:
    if not merged:
        return info
    return replace(info, merged=tuple(merged), merged_with=merged_with)


def _summary(
    record: VersionRecord, count: int, *, damaged: Sequence[int] = (), conflict: Sequence[str] = ()
) -> dict[str, Any]:
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
        "version": record.version,
        "updated_at": record.saved_at.isoformat(),
        "deleted": record.deleted,
        "damaged": list(damaged),
        "conflict": list(conflict),
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
        version=int(summary.get("version", summary["versions"])),
        damaged=tuple(int(v) for v in summary.get("damaged", [])),
        conflict=tuple(str(k) for k in summary.get("conflict", [])),
    )
