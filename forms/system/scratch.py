"""Private scratch folders for decrypted attachments, and the sweep of what killed runs left.

Building a package or rendering a form needs a workspace draft's attachments as files.
They are decrypted into `<data home>/tmp/<purpose>.<pid>.<host>.<random>/`, 0700, never
into the shared temp folder (where other users may list them and nothing cleans up), and
removed when the work ends. A process killed in between leaves its folder behind; the
next start of shenbao (command line or app) removes every such folder whose process no
longer runs on this machine (`sweep`), and older shenbao's `$TMPDIR/shenbao-*` folders
once they are an hour old.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from forms.system.atomic import make_dirs
from forms.system.paths import data_home
from forms.system.processes import pid_alive

_NAME = re.compile(r"^(?P<purpose>[a-z-]+)\.(?P<pid>\d+)\.(?P<host>[0-9a-f]{8})\.[0-9a-f]+$")
#: Folders older shenbao versions made in the shared temp folder.
_LEGACY = ("shenbao-attachments-", "shenbao-export-", "shenbao-inspect-")
_LEGACY_AGE = 3600


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def scratch_root() -> Path:
    return data_home() / "tmp"


@contextlib.contextmanager
def private_folder(purpose: str, root: Path | None = None) -> Iterator[Path]:
    """A new 0700 folder for decrypted material, deleted when the block ends."""
    base = root if root is not None else scratch_root()
    sweep(base)
    folder = base / f"{purpose}.{os.getpid()}.{_host()}.{secrets.token_hex(6)}"
    make_dirs(folder)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep(root: Path | None = None) -> list[Path]:
    """Remove scratch folders left by processes of this machine that no longer run (and
    old `$TMPDIR/shenbao-*` folders of this user); the folders removed."""
    base = root if root is not None else scratch_root()
    removed: list[Path] = []
    host = _host()
    try:
        entries = list(base.iterdir())
    except OSError:
        entries = []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None or match.group("host") != host:
            continue
        if pid_alive(int(match.group("pid"))) is False:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    if root is None:
        removed += _sweep_legacy(Path(tempfile.gettempdir()))
    return removed


def _sweep_legacy(shared: Path) -> list[Path]:
    removed: list[Path] = []
    now = time.time()
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        entries = [e for e in shared.iterdir() if e.name.startswith(_LEGACY)]
    except OSError:
        return removed
    for entry in entries:
        with contextlib.suppress(OSError):
            st = entry.lstat()
            if (uid is not None and st.st_uid != uid) or now - st.st_mtime < _LEGACY_AGE:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed
