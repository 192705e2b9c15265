"""The one way shenbao writes a file: whole or not at all, durably, user-only by default.

Every writer (drafts and settings as JSON, the workspace's encrypted files and locks,
bundles, the form as PDF and DOCX, the package's manifest) goes through here, so they
all have the strongest guarantee: the data goes to a uniquely named temporary file in
the target's folder, is flushed and fsynced, then renamed over the target (or hard-linked
when the name must not be taken: `exclusive`), and the folder is fsynced so the rename
survives a power cut. A process killed at any moment leaves the old file or the new one,
never half of one, and never a fixed-name temp file another writer could trip over.

Files are created 0600 (mkstemp's mode) and missing folders 0700, whatever the umask:
drafts, keys and decrypted attachments are the user's alone. `shared=True` gives 0644
files (and folders as the umask makes them) for what the user hands on (the package
files, a rendered form), so their other tools and colleagues on the same machine can open
them.

A full disk (or quota) is a `DiskFullError` naming the folder, the space the write needed
and what is free: a message for the user (exit 2 on the command line), never a traceback,
and, as for any failed write, the target is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from forms.text import Text, TextError

#: Prefix of temp files: sweepers recognise (and remove, when old) what a killed writer left.
TEMP_PREFIX = ".tmp-"
SHARED_MODE = 0o644
PRIVATE_DIR_MODE = 0o700
#: The errors a full disk or an exhausted quota gives.
DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def human_bytes(count: int) -> str:
    """1,234,567 -> "1.2 MB": what a user compares with their file manager."""
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"  # pragma: no cover - the loop returns


class DiskFullError(TextError, OSError):
    """No space (or quota) left where a file was being written; nothing was written.

    An `OSError` (errno ENOSPC) so code that already handles failed writes still does,
    and a `TextError` so the user reads which folder and how much space is needed."""

    def __init__(self, folder: Path, needed: int, free: int | None) -> None:
        self.folder = folder
        self.needed = needed
        self.free = free
        TextError.__init__(
            self,
            Text.of(
                "disk.full",
                folder=folder,
                needed=human_bytes(needed),
                free=human_bytes(free) if free is not None else "?",
                free_en=human_bytes(free) if free is not None else "?",
            ),
        )
        self.errno = errno.ENOSPC

    def __str__(self) -> str:
        return TextError.__str__(self)


def free_space(folder: Path) -> int | None:
    """Bytes free for this user at `folder` (its nearest existing parent), None if unknown."""
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def disk_full(exc: OSError, folder: Path, needed: int) -> DiskFullError | None:
    """The user's message for `exc` if it is a full disk, else None; a `DiskFullError`
    told again names `folder` (the one the user knows: the workspace, the package's)."""
    if isinstance(exc, DiskFullError):
        return DiskFullError(folder, max(needed, exc.needed), exc.free)
    if exc.errno not in DISK_FULL:
        return None
    return DiskFullError(folder, max(needed, 1), free_space(folder))


def make_dirs(folder: Path, *, private: bool = True) -> None:
    """`folder` and its missing parents; the ones made here are 0700 when `private`
    (mkdir's mode is cut by the umask, so it is set again after)."""
    folder = Path(folder)
    if folder.is_dir():
        return
    missing = [folder, *(p for p in folder.parents if not p.exists())]
    for level in reversed(missing):
        try:
            level.mkdir(mode=PRIVATE_DIR_MODE if private else 0o777)
        except FileExistsError:
            continue
        if private:
            level.chmod(PRIVATE_DIR_MODE)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable. Windows cannot open folders; its renames are journaled."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _commit(tmp: Path, path: Path, exclusive: bool) -> None:
    if not exclusive:
        tmp.replace(path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno in DISK_FULL:
            raise
        # No hard links on this file system (some network shares): a checked rename;
        # the draft lock is what keeps two writers apart there.
        if path.exists():
            raise FileExistsError(str(path)) from None
        tmp.replace(path)
    else:
        tmp.unlink()


@contextlib.contextmanager
def atomic_file(
    path: Path, *, exclusive: bool = False, shared: bool = False, expected: int = 0
) -> Iterator[BinaryIO]:
    """A file handle whose content appears at `path` only when the block ends without an
    error (for writers that stream: zip archives, reportlab, python-docx).

    `exclusive`: refuse (FileExistsError) if `path` exists, atomically; used for files
    that must never be overwritten (workspace versions, locks). `expected`: about how many
    bytes will be written, for the message when the disk is full.
    """
    with _atomic_file(path, exclusive=exclusive, shared=shared, expected=expected) as handle:
        yield handle


@contextlib.contextmanager
def _atomic_file(path: Path, *, exclusive: bool, shared: bool, expected: int) -> Iterator[BinaryIO]:
    path = Path(path)
    folder = path.parent
    written = 0
    try:
        make_dirs(folder, private=not shared)
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    except OSError as exc:
        full = disk_full(exc, folder, expected)
        if full is None:
            raise
        raise full from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            try:
                yield handle
            finally:
                with contextlib.suppress(OSError, ValueError):
                    written = handle.tell()
            handle.flush()
            os.fsync(handle.fileno())
        if shared:
            tmp.chmod(SHARED_MODE)
        _commit(tmp, path, exclusive)
        fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        full = disk_full(exc, folder, max(expected, written))
        if full is None:
            raise
        raise full from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False, shared: bool = False) -> None:
    """Write `data` at `path` so that a crash leaves the old file or the new one."""
    with _atomic_file(path, exclusive=exclusive, shared=shared, expected=len(data)) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str, *, shared: bool = False) -> None:
    write_atomic(path, text.encode("utf-8"), shared=shared)


def copy_atomic(source: Path, target: Path) -> None:
    """A byte-for-byte copy (a signed PDF passing through), written as every file is."""
    with Path(source).open("rb") as src, atomic_file(target, shared=True) as handle:
        shutil.copyfileobj(src, handle, 1 << 20)
