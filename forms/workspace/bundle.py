"""Bundles: one client, or some drafts, as a single file to hand to a client or colleague.

A bundle is a zip holding `manifest.json` (plain: format, version, how the bundle key is
protected), `contents.enc` (the table of contents and client profiles) and members
`m/000001.enc` … (one draft or one attachment each), all AES-GCM under a random bundle
key bound to the bundle id and member name. With a passphrase the bundle key is wrapped
with scrypt; without one it sits in the manifest, so the file is then readable by anyone
who has it (the command line asks for `--plain` to do that, and says so).

Importing reads untrusted input. Nothing is extracted by name and nothing is written until
every member has been read (decompressed bytes counted as they come, against caps that do
not trust the sizes the zip declares), decrypted, authenticated and validated as a draft
or attachment. Only then are the clients, drafts (a new version on top if the draft exists)
and attachments saved through the normal workspace API.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from forms.draft.model import Draft, Profile
from forms.system.atomic import DiskFullError, atomic_file, free_space
from forms.text import Text
from forms.workspace import crypto
from forms.workspace.errors import (
    BundleRejectedError,
    DataCorruptError,
    NotFoundError,
    WorkspaceError,
)
from forms.workspace.locks import current_user
from forms.workspace.store import Workspace

FORMAT = "shenbao.bundle"
BUNDLE_VERSION = 1
MANIFEST = "manifest.json"
CONTENTS = "contents.enc"
_MEMBER = re.compile(r"^m/\d{6}\.enc$")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class BundleLimits:
    """Caps on what an import will read; a bundle over any of them is refused."""

    max_members: int = 10_000
    max_member_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_manifest_bytes: int = 64 * 1024


@dataclass(frozen=True)
class ImportResult:
    kind: str
    clients: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    new_versions: int = 0
    attachments: int = 0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ClientEntry(_Strict):
    id: str
    profile: dict[str, Any]


class _DraftEntry(_Strict):
    id: str
    client_id: str
    member: str


class _BlobEntry(_Strict):
    sha256: str
    member: str


class _Contents(_Strict):
    kind: Literal["client", "drafts"]
    exported_by: str
    exported_at: datetime
    clients: list[_ClientEntry]
    drafts: list[_DraftEntry]
    blobs: list[_BlobEntry]


def _member_aad(bundle_id: str, name: str) -> bytes:
    return crypto.aad("bundle", bundle_id, name)


def export_bundle(
    workspace: Workspace,
    target: Path,
    *,
    client_id: str | None = None,
    draft_ids: list[str] | None = None,
    passphrase: str | None = None,
    author: str | None = None,
) -> Path:
    """Write a bundle of one client (with its drafts) or of the given drafts to `target`."""
    if (client_id is None) == (not draft_ids):
        raise WorkspaceError.of("bundle.give_client_or_drafts")
    if client_id is not None:
        workspace.client_profile(client_id)  # NotFoundError for an unknown client
        ids = [d.id for d in workspace.drafts(client_id)]
        kind: Literal["client", "drafts"] = "client"
    else:
        ids = list(draft_ids or [])
        kind = "drafts"
    key = crypto.new_key()
    bundle_id = uuid.uuid4().hex
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "bundle_version": BUNDLE_VERSION,
        "id": bundle_id,
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    if passphrase is not None:
        params = crypto.ScryptParams.fresh()
        wrapped = crypto.seal(
            crypto.passphrase_key(passphrase, params), key, crypto.aad("bundle-key", bundle_id)
        )
        manifest |= {
            "protection": "passphrase",
            "kdf": params.to_json(),
            "wrapped_key": crypto.b64(wrapped),
        }
    else:
        manifest |= {"protection": "none", "key": crypto.b64(key)}

    members: dict[str, bytes] = {}

    def add(payload: bytes) -> str:
        name = f"m/{len(members) + 1:06d}.enc"
        members[name] = crypto.seal(key, payload, _member_aad(bundle_id, name))
        return name

    client_ids: list[str] = [client_id] if client_id else []
    drafts: list[_DraftEntry] = []
    blobs: dict[str, str] = {}
    for draft_id in ids:
        record = workspace.record(draft_id)
        drafts.append(
            _DraftEntry(
                id=draft_id,
                client_id=record.client_id,
                member=add(json.dumps(record.draft, ensure_ascii=False).encode("utf-8")),
            )
        )
        if record.client_id not in client_ids:
            client_ids.append(record.client_id)
        for attachment in Draft.model_validate(record.draft).attachments:
            sha = attachment.sha256
            if sha and sha not in blobs:
                blob_id = workspace.blob_id(sha)
                if workspace.has_attachment(blob_id):
                    blobs[sha] = add(workspace.read_attachment(blob_id))
    contents = _Contents(
        kind=kind,
        exported_by=author or current_user(),
        exported_at=datetime.now(UTC),
        clients=[
            _ClientEntry(id=c, profile=workspace.client_profile(c).model_dump(mode="json"))
            for c in client_ids
        ],
        drafts=drafts,
        blobs=[_BlobEntry(sha256=s, member=m) for s, m in blobs.items()],
    )
    sealed_contents = crypto.seal(
        key, contents.model_dump_json().encode("utf-8"), _member_aad(bundle_id, CONTENTS)
    )
    target = Path(target)
    expected = sum(len(m) for m in members.values()) + len(sealed_contents) + 4096
    with (
        atomic_file(target, expected=expected) as handle,
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive,
    ):
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
        archive.writestr(CONTENTS, sealed_contents)
        for name, data in members.items():
            archive.writestr(name, data)
    protection = "passphrase" if passphrase is not None else "no passphrase"
    for draft_id in ids:
        workspace.record_event(draft_id, "export", f"{target.name} ({protection})", author=author)
    return target


def _reject(path: Path, code: str, /, **params: object) -> BundleRejectedError:
    """The refusal of an import: the bundle's name, "nothing written", and the reason
    (`code`, a `bundle.*` text) in both languages."""
    reason = Text.of(code, **params)
    return BundleRejectedError(
        Text.of(
            "bundle.rejected",
            file=path.name,
            reason=reason.render("zh"),
            reason_en=reason.render("en"),
        )
    )


class _Reader:
    """Reads members of an untrusted zip within the limits, counting real bytes."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, limits: BundleLimits) -> None:
        self.path = path
        self.archive = archive
        self.limits = limits
        self.total = 0
        self.infos: dict[str, zipfile.ZipInfo] = {}
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise _reject(
                path, "bundle.too_many_members", count=len(infos), limit=limits.max_members
            )
        declared = 0
        for info in infos:
            name = info.filename
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\\" in name:
                raise _reject(path, "bundle.absolute_path", name=name)
            if any(part in ("..", ".", "") for part in name.split("/")):
                raise _reject(path, "bundle.path_escapes", name=name)
            if name not in (MANIFEST, CONTENTS) and not _MEMBER.match(name):
                raise _reject(path, "bundle.unexpected_member", name=name)
            if name in self.infos:
                raise _reject(path, "bundle.duplicate_member", name=name)
            if info.flag_bits & 0x1:
                raise _reject(path, "bundle.zip_encryption", name=name)
            if info.file_size > limits.max_member_bytes:
                raise _reject(path, "bundle.member_too_large", name=name, size=info.file_size)
            declared += info.file_size
            self.infos[name] = info
        if declared > limits.max_total_bytes:
            raise _reject(path, "bundle.contents_too_large", size=declared)

    def read(self, name: str, cap: int | None = None) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise _reject(self.path, "bundle.missing_member", name=name)
        cap = min(cap or self.limits.max_member_bytes, self.limits.max_member_bytes)
        chunks: list[bytes] = []
        size = 0
        try:
            with self.archive.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > cap:
                        raise _reject(self.path, "bundle.member_inflates", name=name, cap=cap)
                    if self.total > self.limits.max_total_bytes:
                        raise _reject(self.path, "bundle.bomb", limit=self.limits.max_total_bytes)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
            raise _reject(self.path, "bundle.damaged_member", name=name) from None
        return b"".join(chunks)


@dataclass
class _Validated:
    kind: str
    clients: list[tuple[str, Profile]]
    drafts: list[tuple[str, Draft]]
    blobs: list[bytes]


def _bundle_key(path: Path, manifest: dict[str, Any], passphrase: str | None) -> bytes:
    bundle_id = manifest.get("id")
    if not isinstance(bundle_id, str) or not bundle_id:
        raise _reject(path, "bundle.no_id")
    protection = manifest.get("protection")
    try:
        if protection == "none":
            key = crypto.unb64(manifest.get("key"), MANIFEST)
        elif protection == "passphrase":
            if passphrase is None:
                raise _reject(path, "bundle.needs_passphrase")
            params = crypto.ScryptParams.from_json(manifest.get("kdf"), MANIFEST)
            wrapped = crypto.unb64(manifest.get("wrapped_key"), MANIFEST)
            try:
                key = crypto.unseal(
                    crypto.passphrase_key(passphrase, params),
                    wrapped,
                    crypto.aad("bundle-key", bundle_id),
                    MANIFEST,
                )
            except DataCorruptError:
                raise _reject(path, "workspace.wrong_passphrase") from None
        else:
            raise _reject(path, "bundle.unknown_protection", value=protection)
    except DataCorruptError:
        raise _reject(path, "bundle.bad_key_wrap") from None
    if len(key) != crypto.KEY_BYTES:
        raise _reject(path, "bundle.bad_key_wrap")
    return key


def read_bundle(
    path: Path, *, passphrase: str | None = None, limits: BundleLimits | None = None
) -> _Validated:
    """Read, decrypt and validate a whole bundle in memory; raise `BundleRejectedError` at the
    first problem. Writes nothing."""
    limits = limits or BundleLimits()
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _reject(
            path, "bundle.unreadable", detail=exc.strerror or type(exc).__name__
        ) from None
    if size > limits.max_total_bytes + limits.max_manifest_bytes:
        raise _reject(path, "bundle.file_too_large", size=size)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _reject(path, "bundle.not_a_zip") from None
    with archive:
        reader = _Reader(path, archive, limits)
        try:
            manifest = json.loads(reader.read(MANIFEST, limits.max_manifest_bytes))
        except (ValueError, UnicodeDecodeError):
            raise _reject(path, "bundle.manifest_not_json") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise _reject(path, "bundle.not_a_bundle")
        version = manifest.get("bundle_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise _reject(path, "bundle.unknown_version", found="?")
        if version > BUNDLE_VERSION:
            raise _reject(path, "bundle.too_new", found=version, known=BUNDLE_VERSION)
        if version != BUNDLE_VERSION:
            raise _reject(path, "bundle.unknown_version", found=version)
        key = _bundle_key(path, manifest, passphrase)
        bundle_id = str(manifest["id"])

        def open_member(name: str) -> bytes:
            try:
                return crypto.unseal(key, reader.read(name), _member_aad(bundle_id, name), name)
            except DataCorruptError:
                raise _reject(path, "bundle.member_tampered", name=name) from None

        try:
            contents = _Contents.model_validate_json(open_member(CONTENTS))
        except ValidationError as exc:
            raise _reject(path, "bundle.malformed_contents", count=exc.error_count()) from None
        referenced = {d.member for d in contents.drafts} | {b.member for b in contents.blobs}
        unreferenced = set(reader.infos) - referenced - {MANIFEST, CONTENTS}
        if unreferenced or len(referenced) != len(contents.drafts) + len(contents.blobs):
            raise _reject(path, "bundle.members_mismatch")
        clients: list[tuple[str, Profile]] = []
        for entry in contents.clients:
            try:
                clients.append((entry.id, Profile.model_validate(entry.profile)))
            except ValidationError as exc:
                raise _reject(
                    path, "bundle.invalid_client", detail=exc.errors()[0]["msg"]
                ) from None
        known_clients = {c for c, _ in clients}
        drafts: list[tuple[str, Draft]] = []
        for draft_entry in contents.drafts:
            try:
                draft = Draft.model_validate_json(open_member(draft_entry.member))
            except ValidationError as exc:
                raise _reject(path, "bundle.invalid_draft", detail=exc.errors()[0]["msg"]) from None
            if draft.id != draft_entry.id or draft_entry.client_id not in known_clients:
                raise _reject(path, "bundle.drafts_mismatch")
            drafts.append((draft_entry.client_id, draft))
        blobs = []
        for blob in contents.blobs:
            data = open_member(blob.member)
            if hashlib.sha256(data).hexdigest() != blob.sha256:
                raise _reject(path, "bundle.hash_mismatch")
            blobs.append(data)
    return _Validated(contents.kind, clients, [(c, d) for c, d in drafts], blobs)


def import_bundle(
    workspace: Workspace,
    path: Path,
    *,
    passphrase: str | None = None,
    limits: BundleLimits | None = None,
    author: str | None = None,
) -> ImportResult:
    """Import a bundle into `workspace`: validated completely first, then written."""
    bundle = read_bundle(path, passphrase=passphrase, limits=limits)
    # Every file is written whole, but an import is many files: refuse one that cannot fit
    # before the first is written, rather than stop halfway through a full disk.
    needed = (
        sum(len(b) for b in bundle.blobs)
        + sum(len(d.model_dump_json()) for _, d in bundle.drafts) * 2
        + sum(len(p.model_dump_json()) for _, p in bundle.clients)
        + 64 * 1024
    )
    free = free_space(workspace.folder)
    if free is not None and free < needed:
        raise DiskFullError(workspace.folder, needed, free)
    for _client, draft in bundle.drafts:
        holder = workspace.lock_holder(draft.id)
        if holder is not None:
            locked = holder.error(draft.id).text
            assert locked is not None
            raise BundleRejectedError(
                Text.of(
                    "bundle.rejected",
                    file=Path(path).name,
                    reason=locked.render("zh"),
                    reason_en=locked.render("en"),
                )
            )
    existing = {c.id for c in workspace.clients()}
    for client_id, profile in bundle.clients:
        if client_id in existing:
            workspace.update_client(client_id, profile, author=author)
        else:
            workspace.add_client(profile, author=author, client_id=client_id)
    blobs = [workspace.put_attachment(data) for data in bundle.blobs]
    new_versions = 0
    for client_id, draft in bundle.drafts:
        before = workspace.record(draft.id).version if workspace.has_draft(draft.id) else 0
        try:
            saved = workspace.import_draft(draft, client_id=client_id, author=author)
        except NotFoundError:  # pragma: no cover - clients were written just above
            raise
        new_versions += saved.version != before
        workspace.record_event(draft.id, "import", Path(path).name, author=author)
    return ImportResult(
        kind=bundle.kind,
        clients=[c for c, _ in bundle.clients],
        drafts=[d.id for _, d in bundle.drafts],
        new_versions=new_versions,
        attachments=len(blobs),
    )
