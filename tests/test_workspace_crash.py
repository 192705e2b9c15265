"""kill -9 at random moments, and two processes on one workspace."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forms.workspace import DraftLockedError, Passphrase, Workspace
from tests.workspace_helpers import PASSPHRASE, ROOT, example_draft, fast_scrypt, new_workspace

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and fork-free pids: POSIX")


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workspace_helpers", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )


def _seed(folder: Path, count: int) -> list[str]:
    ws = new_workspace(folder)
    ids = []
    for n in range(count):
        draft = example_draft()
        draft.id = f"draft-{n}"
        draft.project.summary = "save 1"
        ws.save_draft(draft)
        ids.append(draft.id)
    return ids


@pytest.mark.slow
def test_kill_9_in_a_loop_never_loses_a_completed_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_scrypt(monkeypatch)
    folder = tmp_path / "ws"
    ids = _seed(folder, 3)
    rng = random.Random(6)
    completed = dict.fromkeys(ids, 1)
    kills = 0
    for _ in range(24):
        writer = _spawn("writer", str(folder))
        assert writer.stdout is not None and writer.stderr is not None
        line = writer.stdout.readline()
        assert line == "ready\n", writer.stderr.read()
        time.sleep(rng.uniform(0.0, 0.03))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        kills += 1
        for line in writer.stdout.read().splitlines():
            draft_id, version = line.split()
            completed[draft_id] = int(version)
        writer.stdout.close()
        writer.stderr.close()
        writer.stdin.close()  # type: ignore[union-attr]
        ws = Workspace.open(folder, Passphrase(PASSPHRASE))
        for draft_id in ids:
            latest = ws.record(draft_id).version
            # Killed after the rename but before the print: one more than reported.
            assert latest in (completed[draft_id], completed[draft_id] + 1)
            assert ws.load_draft(draft_id).project.summary == f"save {latest}"
            completed[draft_id] = latest
        assert len(ws.drafts()) == 3
    assert kills == 24
    assert sum(completed.values()) > 3 + 24, "the writer hardly saved: the test proved nothing"


def test_lock_contention_between_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_scrypt(monkeypatch)
    folder = tmp_path / "ws"
    (draft_id,) = _seed(folder, 1)
    holder = _spawn("holder", str(folder), draft_id)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline() == "locked\n"
        ws = Workspace.open(folder, Passphrase(PASSPHRASE))
        with pytest.raises(DraftLockedError) as info:
            ws.lock(draft_id)
        assert info.value.pid == holder.pid and not info.value.stale
        assert "@" in info.value.holder and "read-only here" in str(info.value)
        assert abs(time.time() - info.value.since.timestamp()) < 60
        draft = ws.load_draft(draft_id)  # reading is fine
        draft.title = "changed here"
        with pytest.raises(DraftLockedError):
            ws.save_draft(draft)
        assert ws.record(draft_id).version == 1
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline() == "released\n"
        with ws.lock(draft_id):
            assert ws.save_draft(draft).version == 2
    finally:
        holder.kill()
        holder.wait()
        for stream in (holder.stdin, holder.stdout, holder.stderr):
            if stream is not None:
                stream.close()


def test_lock_of_a_crashed_instance_is_taken_over_only_when_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_scrypt(monkeypatch)
    folder = tmp_path / "ws"
    (draft_id,) = _seed(folder, 1)
    holder = _spawn("holder", str(folder), draft_id)
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    for stream in (holder.stdin, holder.stdout, holder.stderr):
        if stream is not None:
            stream.close()
    ws = Workspace.open(folder, Passphrase(PASSPHRASE))
    with pytest.raises(DraftLockedError) as info:
        ws.lock(draft_id)
    assert info.value.stale and "take it over" in str(info.value)
    lock = ws.lock(draft_id, force=True)
    draft = ws.load_draft(draft_id)
    draft.title = "after takeover"
    assert ws.save_draft(draft).version == 2
    lock.release()
    assert ws.lock_holder(draft_id) is None


def test_a_lock_taken_over_stops_the_old_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_scrypt(monkeypatch)
    folder = tmp_path / "ws"
    (draft_id,) = _seed(folder, 1)
    first = Workspace.open(folder, Passphrase(PASSPHRASE))
    second = Workspace.open(folder, Passphrase(PASSPHRASE))
    first.lock(draft_id)
    second.lock(draft_id, force=True)
    draft = first.load_draft(draft_id)
    draft.title = "old holder"
    with pytest.raises(DraftLockedError):
        first.save_draft(draft)
    first.close()  # must not remove the new holder's lock
    assert second.lock_holder(draft_id) is not None
    draft.title = "new holder"
    assert second.save_draft(draft).version == 2
    second.close()
    assert second.lock_holder(draft_id) is None
