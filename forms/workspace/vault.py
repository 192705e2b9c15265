"""The encrypted files of a workspace folder: keyed names, sealed writes, version files.

Version files are named `v000004-<origin>.enc`: the version number and the copy of the
workspace that wrote it (an id kept in this machine's cache folder). On one machine two
writers of the same number collide on one name, and the no-overwrite link refuses the
second; two machines editing a synced folder while apart write different names, so the
sync keeps both and the workspace shows a conflict instead of one silently winning.
Older versions are named `v000004.enc`; sync tools' conflict copies of either
(`v000004 (1).enc`, `v000004.sync-conflict-….enc`, `v000004-LAPTOP.enc`, `….enc.conflict-…`)
are version files too: what a file holds is decided by decrypting it, not by its name.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from forms.system.atomic import TEMP_PREFIX, DiskFullError, write_atomic
from forms.system.paths import data_home
from forms.text import Text
from forms.workspace import crypto, locks
from forms.workspace.errors import ConcurrentWriteError, NotFoundError
from forms.workspace.index import SummaryIndex, index_path
from forms.workspace.meta import WorkspaceMeta

DRAFTS, CLIENTS, BLOBS, LOCKS, EVENTS = "drafts", "clients", "blobs", "locks", "events"
#: Any name a version file may have: ours, older ones, and sync tools' conflict copies.
VERSION_FILE = re.compile(r"^v(\d{6,})(?![0-9])(?P<rest>.*)$")
#: What sync tools call files they are still downloading: not a version yet.
_PARTIAL = (".part", ".partial", ".tmp", ".!sync", ".crdownload", ".download", "~")
BLOB_ID = re.compile(r"^[0-9a-f]{64}$")
ORIGIN = re.compile(r"^[0-9a-f]{8}$")
#: A temp file this old was left by a killed writer; younger ones may still be written.
STALE_TEMP_SECONDS = 3600


def utc_now() -> datetime:
    return datetime.now(UTC)


def version_name(version: int, origin: str = "") -> str:
    return f"v{version:06d}-{origin}.enc" if origin else f"v{version:06d}.enc"


@dataclass(frozen=True, order=True)
class VersionFile:
    number: int
    name: str

    @property
    def ours(self) -> bool:
        """Named as shenbao names it (not a sync tool's copy)."""
        match = VERSION_FILE.match(self.name)
        rest = match.group("rest") if match else ""
        return rest == ".enc" or (
            rest.startswith("-") and rest.endswith(".enc") and bool(ORIGIN.match(rest[1:-4]))
        )


def _is_version_file(name: str) -> int | None:
    match = VERSION_FILE.match(name)
    if match is None or ".enc" not in match.group("rest"):
        return None
    if name.lower().endswith(_PARTIAL):
        return None
    return int(match.group(1))


def version_files(folder: Path) -> list[VersionFile]:
    """The version files in `folder`, by number then name; stray temp files of killed
    writers older than an hour are removed on the way."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        number = _is_version_file(entry.name)
        if number is not None:
            found.append(VersionFile(number, entry.name))
        elif entry.name.startswith(TEMP_PREFIX):
            with contextlib.suppress(OSError):
                if time.time() - entry.stat().st_mtime > STALE_TEMP_SECONDS:
                    Path(entry.path).unlink()
    found.sort()
    return found


def versions_in(folder: Path) -> list[int]:
    """Version numbers present in `folder`, ascending, each once."""
    return sorted({f.number for f in version_files(folder)})


def origin_of(cache: Path) -> str:
    """This machine's id as a writer of workspaces: 8 random hex digits kept in the local
    cache folder (never in the shared workspace). Without a writable cache, one per
    process: two processes then write different names, which shows as a conflict, never
    as a lost save."""
    path = cache / "origin"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = path.read_text("ascii").strip()
        if ORIGIN.match(text):
            return text
    made = secrets.token_hex(4)
    try:
        write_atomic(path, made.encode("ascii"), exclusive=True)
    except FileExistsError:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = path.read_text("ascii").strip()
            if ORIGIN.match(text):
                return text
    except OSError:
        pass
    return made


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
        self.origin = origin_of(cache)
        self._held: dict[str, locks.EditLock] = {}
        #: folder -> (which file with which bytes, the record it holds): see `_readable`.
        self._latest: dict[str, tuple[str, BaseModel]] = {}
        #: The version of each draft this object last loaded or saved: a save's default base.
        self._seen: dict[str, int] = {}

    # -- encrypted files -----------------------------------------------------------------

    def _name(self, kind: str, ident: str) -> str:
        return crypto.keyed_name(self._names, f"{kind}\x1f{ident}")

    def _write(self, path: Path, payload: bytes, role: str, *parts: str, exclusive: bool) -> None:
        blob = crypto.seal(self._enc, payload, crypto.aad(role, self.meta.id, *parts))
        with self.whole_disk():
            write_atomic(path, blob, exclusive=exclusive)

    @contextlib.contextmanager
    def whole_disk(self) -> Iterator[None]:
        """A full disk while writing any of the workspace's files names the workspace."""
        try:
            yield
        except DiskFullError as exc:
            raise DiskFullError(self.folder, exc.needed, exc.free) from None

    def _write_version(
        self, folder: Path, version: int, record: BaseModel, role: str, clash: Text
    ) -> str:
        """A new version file, never overwriting one, named with this copy's origin; its
        name. A writer that lost the race gets `clash` (the number was taken here)."""
        name = version_name(version, self.origin)
        try:
            self._write(
                folder / name,
                record.model_dump_json().encode("utf-8"),
                role,
                folder.name,
                str(version),
                exclusive=True,
            )
        except FileExistsError:
            raise ConcurrentWriteError(clash) from None
        return name

    def _read(self, path: Path, role: str, *parts: str) -> bytes:
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError.of("workspace.file_missing", name=path.name) from None
        return crypto.unseal(self._enc, blob, crypto.aad(role, self.meta.id, *parts), path.name)
