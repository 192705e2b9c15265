"""The one file writer: whole or nothing, user-only unless shared, and the only one."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from forms.system.atomic import TEMP_PREFIX, atomic_file, copy_atomic, write_atomic
from forms.workspace import locks
from tests.conftest import ROOT


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "draft.json"
    write_atomic(target, b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write(b"half of the new")
        raise RuntimeError("killed mid-write")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["draft.json"]


def test_exclusive_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "v000001.enc"
    write_atomic(target, b"one", exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomic(target, b"two", exclusive=True)
    assert target.read_bytes() == b"one"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_private_by_default_shared_on_request(tmp_path: Path) -> None:
    write_atomic(tmp_path / "secret", b"x")
    write_atomic(tmp_path / "package.pdf", b"x", shared=True)
    copy_atomic(tmp_path / "package.pdf", tmp_path / "copy.pdf")
    assert stat.S_IMODE((tmp_path / "secret").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "package.pdf").stat().st_mode) == 0o644
    assert (tmp_path / "copy.pdf").read_bytes() == b"x"


def test_a_lock_is_complete_or_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that fills while the lock is written leaves no (empty) lock behind."""
    path = tmp_path / "locks" / "draft.lock"
    real_fsync = __import__("os").fsync

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full_disk)
    with pytest.raises(OSError, match="disk is full"):
        locks.acquire(path)
    monkeypatch.setattr("os.fsync", real_fsync)
    assert not path.exists()
    assert not list(path.parent.iterdir())
    held = locks.acquire(path)
    assert locks.LockInfo.read(path) is not None
    held.release()


#: Writing a file by hand instead of through forms.system.atomic.
_HAND_WRITES = re.compile(
    r"\.write_(bytes|text)\(|os\.fsync\(|mkstemp\(|os\.O_CREAT|shutil\.copy2?\(|open\([^)]*['\"][wa]b?['\"]"
)


#: Appending, not replacing: the GUI's log file (a stream, read only by a person).
_APPENDS = {"desktop/runtime.py"}


def test_every_file_is_written_through_the_one_writer() -> None:
    offenders = []
    for package in ("forms", "validators", "desktop"):
        for path in (ROOT / package).rglob("*.py"):
            where = str(path.relative_to(ROOT))
            if where == "forms/system/atomic.py" or where in _APPENDS:
                continue
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                if _HAND_WRITES.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
