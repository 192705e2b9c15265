"""The encrypted files of a workspace folder: keyed names, sealed writes, version files."""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from forms.system.atomic import TEMP_PREFIX, write_atomic
from forms.system.paths import data_home
from forms.workspace import crypto, locks
from forms.workspace.errors import ConcurrentWriteError, NotFoundError
from forms.workspace.index import SummaryIndex, index_path
from forms.workspace.meta import WorkspaceMeta
from forms.workspace.records import VersionRecord

DRAFTS, CLIENTS, BLOBS, LOCKS, EVENTS = "drafts", "clients", "blobs", "locks", "events"
VERSION_FILE = re.compile(r"^v(\d{6,})\.enc$")
BLOB_ID = re.compile(r"^[0-9a-f]{64}$")
#: A temp file this old was left by a killed writer; younger ones may still be written.
STALE_TEMP_SECONDS = 3600


def utc_now() -> datetime:
    return datetime.now(UTC)


def version_name(version: int) -> str:
    return f"v{version:06d}.enc"


def versions_in(folder: Path) -> list[int]:
    """Version numbers present in `folder`, ascending; stray temp files of killed writers
    older than an hour are removed on the way."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    for entry in entries:
        match = VERSION_FILE.match(entry.name)
        if match:
            found.append(int(match.group(1)))
        elif entry.name.startswith(TEMP_PREFIX):
            try:
                if time.time() - entry.stat().st_mtime > STALE_TEMP_SECONDS:
                    Path(entry.path).unlink()
            except OSError:
                pass
    found.sort()
    return found


class Vault:
    """The unlocked folder: keys, keyed file names, and encrypted reads and writes. The
    workspace's concerns (clients, drafts, versions, locks, blobs, audit) build on it."""

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

    # -- encrypted files -----------------------------------------------------------------

    def _name(self, kind: str, ident: str) -> str:
        return crypto.keyed_name(self._names, f"{kind}\x1f{ident}")

    def _write(self, path: Path, payload: bytes, role: str, *parts: str, exclusive: bool) -> None:
        blob = crypto.seal(self._enc, payload, crypto.aad(role, self.meta.id, *parts))
        write_atomic(path, blob, exclusive=exclusive)

    def _write_version(
        self, folder: Path, version: int, record: BaseModel, role: str, clash: str
    ) -> None:
        """A new version file, never overwriting one: a writer that lost the race gets
        `clash` (a version number taken elsewhere means another instance saved)."""
        try:
            self._write(
                folder / version_name(version),
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
