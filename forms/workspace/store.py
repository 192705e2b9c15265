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

import hashlib
import hmac
import os
import re
import secrets
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel, ValidationError

from forms.draft.io import describe_validation
from forms.draft.model import Draft, DraftStatus, Profile
from forms.system.paths import data_home
from forms.workspace import crypto, locks
from forms.workspace.errors import (
    ConcurrentWriteError,
    DataCorruptError,
    KeyUnavailableError,
    NotFoundError,
    WorkspaceError,
)
from forms.workspace.index import SummaryIndex, index_path
from forms.workspace.keys import KeySource, KeyStore, Passphrase, UseKeyring
from forms.workspace.meta import (
    WorkspaceMeta,
    new_meta,
    read_meta,
    unlock,
    wrap_key,
    write_meta,
)
from forms.workspace.records import (
    Action,
    AuditEntry,
    ClientInfo,
    ClientRecord,
    DraftInfo,
    EventRecord,
    VersionInfo,
    VersionRecord,
    changed_fields,
    same_content,
)

DRAFTS, CLIENTS, BLOBS, LOCKS, EVENTS = "drafts", "clients", "blobs", "locks", "events"
_VERSION_FILE = re.compile(r"^v(\d{6,})\.enc$")
_BLOB_ID = re.compile(r"^[0-9a-f]{64}$")
#: A temp file this old was left by a killed writer; younger ones may still be written.
_STALE_TEMP_SECONDS = 3600


def _now() -> datetime:
    return datetime.now(UTC)


def _version_name(version: int) -> str:
    return f"v{version:06d}.enc"


def _versions_in(folder: Path) -> list[int]:
    """Version numbers present in `folder`, ascending; stray temp files of killed writers
    older than an hour are removed on the way."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    for entry in entries:
        match = _VERSION_FILE.match(entry.name)
        if match:
            found.append(int(match.group(1)))
        elif entry.name.startswith(crypto.TEMP_PREFIX):
            try:
                if time.time() - entry.stat().st_mtime > _STALE_TEMP_SECONDS:
                    Path(entry.path).unlink()
            except OSError:
                pass
    found.sort()
    return found


class Workspace:
    """An unlocked workspace. Use `Workspace.create` or `Workspace.open`; `close()` (or a
    `with` block) releases the edit locks this instance holds."""

    def __init__(
        self, folder: Path, meta: WorkspaceMeta, key: bytes, cache_dir: Path | None = None
    ) -> None:
        self.folder = folder
        self.meta = meta
        self._key = key
        self._enc = crypto.subkey(key, "shenbao encryption v1")
        self._names = crypto.subkey(key, "shenbao file names v1")
        self._blob_names = crypto.subkey(key, "shenbao blob ids v1")
        cache = cache_dir if cache_dir is not None else data_home() / "cache"
        self._index = SummaryIndex(
            index_path(cache, meta.id, folder), crypto.subkey(key, "shenbao index v1"), meta.id
        )
        self._held: dict[str, locks.EditLock] = {}
        self._latest: dict[str, VersionRecord] = {}

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
            raise WorkspaceError(
                f"{folder}: 文件夹不是空的，不能在此新建工作区 / the folder is not empty: "
                "choose an empty or new folder"
            )
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
        for sub in (CLIENTS, DRAFTS, BLOBS, LOCKS):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        write_meta(folder, meta)
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

    # -- encrypted files -----------------------------------------------------------------

    def _name(self, kind: str, ident: str) -> str:
        return crypto.keyed_name(self._names, f"{kind}\x1f{ident}")

    def _write(self, path: Path, payload: bytes, role: str, *parts: str, exclusive: bool) -> None:
        blob = crypto.seal(self._enc, payload, crypto.aad(role, self.meta.id, *parts))
        crypto.write_atomic(path, blob, exclusive=exclusive)

    def _write_version(
        self, folder: Path, version: int, record: BaseModel, role: str, clash: str
    ) -> None:
        """A new version file, never overwriting one: a writer that lost the race gets
        `clash` (a version number taken elsewhere means another instance saved)."""
        try:
            self._write(
                folder / _version_name(version),
                record.model_dump_json().encode("utf-8"),
                role,
                folder.name,
                str(version),
                exclusive=True,
            )
        except FileExistsError:
            raise ConcurrentWriteError(clash) from None

    def _read(self, path: Path, role: str, *parts: str) -> bytes:
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"{path.name}: 文件不存在 / not found") from None
        return crypto.unseal(self._enc, blob, crypto.aad(role, self.meta.id, *parts), str(path))

    # -- clients -------------------------------------------------------------------------

    def _client_dir(self, client_id: str) -> Path:
        return self.folder / CLIENTS / self._name("client", client_id)

    def _client_record(self, folder: Path, version: int) -> ClientRecord:
        raw = self._read(folder / _version_name(version), "client", folder.name, str(version))
        try:
            record = ClientRecord.model_validate_json(raw)
        except ValidationError as exc:
            raise DataCorruptError(
                describe_validation(folder / _version_name(version), exc)
            ) from None
        if record.version != version or self._client_dir(record.client_id) != folder:
            raise DataCorruptError(f"{folder}: 文件与位置不符 / file does not match its place")
        return record

    def _latest_client(self, folder: Path) -> tuple[ClientRecord, int] | None:
        versions = _versions_in(folder)
        return (self._client_record(folder, versions[-1]), len(versions)) if versions else None

    def clients(self) -> list[ClientInfo]:
        infos = []
        root = self.folder / CLIENTS
        for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
            found = self._latest_client(folder)
            if found is None:
                continue
            record, count = found
            company = record.profile.get("company", {})
            infos.append(
                ClientInfo(
                    id=record.client_id,
                    name=str(company.get("name", "")),
                    credit_code=str(company.get("credit_code", "")),
                    versions=count,
                    updated_at=record.saved_at,
                )
            )
        return sorted(infos, key=lambda c: (c.name, c.id))

    def client_profile(self, client_id: str) -> Profile:
        found = self._latest_client(self._client_dir(client_id))
        if found is None:
            raise NotFoundError(f"没有此客户 / no client {client_id!r}")
        try:
            return Profile.model_validate(found[0].profile)
        except ValidationError as exc:
            raise DataCorruptError(describe_validation(Path(client_id), exc)) from None

    def add_client(
        self, profile: Profile, *, author: str | None = None, client_id: str | None = None
    ) -> ClientInfo:
        return self._save_client(client_id or uuid.uuid4().hex, profile, author)

    def update_client(
        self, client_id: str, profile: Profile, *, author: str | None = None
    ) -> ClientInfo:
        if self._latest_client(self._client_dir(client_id)) is None:
            raise NotFoundError(f"没有此客户 / no client {client_id!r}")
        return self._save_client(client_id, profile, author)

    def _save_client(self, client_id: str, profile: Profile, author: str | None) -> ClientInfo:
        folder = self._client_dir(client_id)
        folder.mkdir(parents=True, exist_ok=True)
        found = self._latest_client(folder)
        data = profile.model_dump(mode="json")
        if found is None or found[0].profile != data:
            version = found[0].version + 1 if found else 1
            record = ClientRecord(
                client_id=client_id,
                version=version,
                saved_at=_now(),
                author=author or locks.current_user(),
                profile=data,
            )
            self._write_version(
                folder,
                version,
                record,
                "client",
                "客户资料刚被另一处修改，请重试 / the client was just changed elsewhere; retry",
            )
        info = next(c for c in self.clients() if c.id == client_id)
        return info

    def _client_for(self, draft: Draft, author: str | None) -> str:
        """The client a new draft belongs to: same credit code, else same company name,
        else a new client made from the draft's company data."""
        code, name = draft.company.credit_code, draft.company.name.strip()
        known = self.clients()
        for info in known:
            if code and info.credit_code == code:
                return info.id
        for info in known:
            if name and info.name.strip() == name:
                return info.id
        return self.add_client(draft.to_profile(), author=author).id

    # -- drafts --------------------------------------------------------------------------

    def _draft_dir(self, draft_id: str) -> Path:
        return self.folder / DRAFTS / self._name("draft", draft_id)

    def _record_at(self, folder: Path, version: int) -> VersionRecord:
        path = folder / _version_name(version)
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
        versions = _versions_in(folder)
        if not versions:
            raise NotFoundError(f"工作区中没有此草稿 / no draft {draft_id!r} in the workspace")
        return folder, versions

    def has_draft(self, draft_id: str) -> bool:
        return bool(_versions_in(self._draft_dir(draft_id)))

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
            versions = _versions_in(Path(entry.path))
            if not versions:
                continue
            st = (Path(entry.path) / _version_name(versions[-1])).stat()
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
            versions = _versions_in(folder)
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
            now = _now()
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

    def history(self, draft_id: str) -> list[VersionInfo]:
        folder, versions = self._existing(draft_id)
        return [VersionInfo.of(self._record_at(folder, v)) for v in versions]

    def diff(self, draft_id: str, old: int, new: int) -> list[str]:
        """Field paths that differ between two versions (`updated` left out)."""
        return changed_fields(self.record(draft_id, old).draft, self.record(draft_id, new).draft)

    def restore(self, draft_id: str, version: int, *, author: str | None = None) -> VersionInfo:
        """A new version with the content of `version` (history is never rewritten)."""
        old = self.record(draft_id, version)
        return self._commit(
            draft_id, old.draft, "restore", author=author, deleted=False, restored_from=version
        )

    def delete_draft(self, draft_id: str, *, author: str | None = None) -> VersionInfo:
        """Soft delete: a version marked deleted; `undelete_draft` or `restore` brings it back."""
        return self._commit(
            draft_id, self.record(draft_id).draft, "delete", author=author, deleted=True
        )

    def undelete_draft(self, draft_id: str, *, author: str | None = None) -> VersionInfo:
        return self._commit(
            draft_id, self.record(draft_id).draft, "undelete", author=author, deleted=False
        )

    def duplicate_draft(self, draft_id: str, *, author: str | None = None) -> VersionInfo:
        """A new draft (new id, status draft) with the same content and client."""
        source = self.record(draft_id)
        copy = Draft.model_validate(source.draft)
        now = _now().replace(microsecond=0)
        copy = copy.model_copy(
            update={
                "id": uuid.uuid4().hex,
                "title": f"{copy.title}（副本）" if copy.title else "（副本）",
                "status": DraftStatus.DRAFT,
                "created": now,
                "updated": now,
            }
        )
        return self._commit(
            copy.id,
            copy.model_dump(mode="json"),
            "duplicate",
            author=author,
            client_id=source.client_id,
        )

    # -- locks ---------------------------------------------------------------------------

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
        lock = locks.acquire(self._lock_path(name), force=force)
        self._held[name] = lock
        return lock

    def lock_holder(self, draft_id: str) -> locks.LockInfo | None:
        return locks.LockInfo.read(self._lock_path(self._name("draft", draft_id)))

    @contextmanager
    def _write_lock(self, name: str) -> Iterator[None]:
        held = self._held.get(name)
        if held is not None and not held.released:
            held.check()
            yield
            return
        with locks.acquire(self._lock_path(name)):
            yield

    # -- attachments ---------------------------------------------------------------------

    def blob_id(self, sha256_hex: str) -> str:
        """The blob id of content with this SHA-256 (as recorded in `Attachment.sha256`)."""
        try:
            digest = bytes.fromhex(sha256_hex)
        except ValueError:
            raise NotFoundError(f"不是SHA-256 / not a SHA-256: {sha256_hex!r}") from None
        return hmac.new(self._blob_names, digest, hashlib.sha256).hexdigest()

    def _blob_path(self, blob_id: str) -> Path:
        if not _BLOB_ID.match(blob_id):
            raise NotFoundError(f"附件编号无效 / not an attachment id: {blob_id!r}")
        return self.folder / BLOBS / blob_id[:2] / f"{blob_id}.enc"

    def put_attachment(self, source: Path | bytes) -> str:
        """Store a file's content once, encrypted; returns its blob id."""
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        blob_id = self.blob_id(hashlib.sha256(data).hexdigest())
        path = self._blob_path(blob_id)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            self._write(path, data, "blob", blob_id, exclusive=False)
        return blob_id

    def has_attachment(self, blob_id: str) -> bool:
        return self._blob_path(blob_id).is_file()

    def read_attachment(self, blob_id: str) -> bytes:
        data = self._read(self._blob_path(blob_id), "blob", blob_id)
        if self.blob_id(hashlib.sha256(data).hexdigest()) != blob_id:
            raise DataCorruptError(f"{blob_id}: 内容与编号不符 / content does not match its id")
        return data

    # -- audit ---------------------------------------------------------------------------

    def record_event(
        self, draft_id: str, action: str, detail: str = "", *, author: str | None = None
    ) -> None:
        """Note something done with a draft that is not a new version (an export)."""
        folder, _ = self._existing(draft_id)
        now = _now()
        event = EventRecord(
            draft_id=draft_id,
            at=now,
            author=author or locks.current_user(),
            action=action,
            detail=detail,
        )
        events = folder / EVENTS
        events.mkdir(exist_ok=True)
        name = f"{now.strftime('%Y%m%dT%H%M%S%f')}-{secrets.token_hex(4)}.enc"
        self._write(
            events / name,
            event.model_dump_json().encode("utf-8"),
            "event",
            folder.name,
            name,
            exclusive=True,
        )

    def audit(self, draft_id: str) -> list[AuditEntry]:
        """Who changed which fields when (from the versions), and exports and imports."""
        folder, versions = self._existing(draft_id)
        entries = [
            AuditEntry(
                at=r.saved_at,
                author=r.author,
                action=r.action,
                version=r.version,
                fields=tuple(r.changed),
                detail=f"restored from version {r.restored_from}" if r.restored_from else "",
            )
            for r in (self._record_at(folder, v) for v in versions)
        ]
        events = folder / EVENTS
        for path in sorted(events.glob("*.enc")) if events.is_dir() else []:
            raw = self._read(path, "event", folder.name, path.name)
            try:
                event = EventRecord.model_validate_json(raw)
            except ValidationError as exc:
                raise DataCorruptError(describe_validation(path, exc)) from None
            entries.append(AuditEntry(event.at, event.author, event.action, None, (), event.detail))
        return sorted(entries, key=lambda e: e.at)


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
