"""A small disk of its own, for full-disk faults: the fault script (bench/faults.py) and
the full-disk tests (tests/test_full_disk.py) fill the same kind of tmpfs."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "2m") -> Iterator[Path | None]:
    """A tmpfs of `size` mounted at `where`, unmounted afterwards; None where it cannot
    be mounted (not root, no `mount`, Windows)."""
    if os.name == "nt" or os.geteuid() != 0 or shutil.which("mount") is None:
        yield None
        return
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> None:
    """Take every free byte (a file that grows until the disk refuses)."""
    block = b"\0" * 4096
    with contextlib.suppress(OSError), (disk / "filler").open("ab", buffering=0) as handle:
        while True:
            handle.write(block)
