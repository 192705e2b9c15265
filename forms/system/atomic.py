"""The one way shenbao writes a file: whole or not at all, durably, user-only by default.

Every writer (drafts and settings as JSON, the workspace's encrypted files and locks,
bundles, the form as PDF and DOCX, the package's manifest) goes through here, so they
all have the strongest guarantee: the data goes to a uniquely named temporary file in
the target's folder, is flushed and fsynced, then renamed over the target (or hard-linked
when the name must not be taken: `exclusive`), and the folder is fsynced so the rename
survives a power cut. A process killed at any moment leaves the old file or the new one,
never half of one, and never a fixed-name temp file another writer could trip over.

Files are created 0600 (mkstemp's mode): drafts, keys and decrypted attachments are the
user's alone. `shared=True` gives 0644 for what the user hands on (the package files, a
rendered form), so their other tools and colleagues on the same machine can open them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

#: Prefix of temp files: sweepers recognise (and remove, when old) what a killed writer left.
TEMP_PREFIX = ".tmp-"
SHARED_MODE = 0o644


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
    except OSError:
        # No hard links on this file system (some network shares): a checked rename;
        # the draft lock is what keeps two writers apart there.
        if path.exists():
            raise FileExistsError(str(path)) from None
        tmp.replace(path)
    else:
        tmp.unlink()


@contextlib.contextmanager
def atomic_file(path: Path, *, exclusive: bool = False, shared: bool = False) -> Iterator[BinaryIO]:
    """A file handle whose content appears at `path` only when the block ends without an
    error (for writers that stream: zip archives, reportlab, python-docx).

    `exclusive`: refuse (FileExistsError) if `path` exists, atomically; used for files
    that must never be overwritten (workspace versions, locks).
    """
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if shared:
            tmp.chmod(SHARED_MODE)
        _commit(tmp, path, exclusive)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(folder)


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False, shared: bool = False) -> None:
    """Write `data` at `path` so that a crash leaves the old file or the new one."""
    with atomic_file(path, exclusive=exclusive, shared=shared) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str, *, shared: bool = False) -> None:
    write_atomic(path, text.encode("utf-8"), shared=shared)


def copy_atomic(source: Path, target: Path) -> None:
    """A byte-for-byte copy (a signed PDF passing through), written as every file is."""
    with Path(source).open("rb") as src, atomic_file(target, shared=True) as handle:
        shutil.copyfileobj(src, handle, 1 << 20)
