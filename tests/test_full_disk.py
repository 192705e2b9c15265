"""A full disk on every write path of the command line: a message naming the folder and
the space needed, exit 2 (not 1, which means "the draft has errors"), no traceback, and
nothing half-written. Uses a real 2 MB tmpfs, so it needs root; skipped (saying so)
otherwise."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.disk import fill
from bench.disk import tmpfs as small_disk
from desktop.cli.main import main
from forms.system.atomic import TEMP_PREFIX
from tests.conftest import EXAMPLES
from tests.workspace_helpers import PASSPHRASE, all_files, fast_scrypt

EXAMPLE = EXAMPLES / "drafts" / "content-creation.json"


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "2m") -> Iterator[Path]:
    """A small file system of its own at `where` (root only); unmounted afterwards."""
    with small_disk(where, size) as mounted:
        if mounted is None:
            pytest.skip("a full disk is tested on a small tmpfs, which needs root: run as root")
        yield mounted


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    fast_scrypt(monkeypatch)
    monkeypatch.setenv("SHENBAO_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SHENBAO_BUNDLE_PASSPHRASE", PASSPHRASE)
    with tmpfs(tmp_path / "disk") as mounted:
        yield mounted


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def _full_disk_message(code: int, err: str, folder: Path) -> None:
    assert code == 2, err
    assert "Traceback" not in err and "Errno" not in err
    assert f"{folder}: the disk is full: writing needs about" in err
    assert "nothing was written" in err


def _no_temp(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def test_every_write_path_on_a_full_disk(
    disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = disk / "ws"
    assert run(capsys, "workspace", "init", "--workspace", str(ws))[0] == 0
    assert run(capsys, "draft", "add", str(EXAMPLE), "--workspace", str(ws))[0] == 0
    bundle = tmp_path / "elsewhere.shenbao"
    assert (
        run(capsys, "export", "--draft", "demo", "--out", str(bundle), "--workspace", str(ws))[0]
        == 0
    )
    fill(disk)
    before = all_files(ws)

    # 1. a new workspace
    code, _, err = run(capsys, "workspace", "init", "--workspace", str(disk / "second"))
    _full_disk_message(code, err, disk / "second")
    assert not (disk / "second").exists()
    # 2. a new version of a draft (and its attachment files)
    changed = tmp_path / "changed.json"
    changed.write_text(
        EXAMPLE.read_text("utf-8").replace('"staff": 86', '"staff": 87'), encoding="utf-8"
    )
    shutil.copytree(EXAMPLES / "attachments", tmp_path / "attachments", dirs_exist_ok=True)
    code, _, err = run(capsys, "draft", "add", str(changed), "--workspace", str(ws))
    _full_disk_message(code, err, ws)
    # 3. an import
    code, _, err = run(capsys, "import", str(bundle), "--workspace", str(ws))
    _full_disk_message(code, err, ws)
    # 4. an export
    code, _, err = run(
        capsys,
        "export",
        "--draft",
        "demo",
        "--out",
        str(disk / "b.shenbao"),
        "--workspace",
        str(ws),
    )
    _full_disk_message(code, err, disk)
    assert not (disk / "b.shenbao").exists()
    # 5. the form
    code, _, err = run(
        capsys, "render", "demo", "--workspace", str(ws), "--out", str(disk / "form.pdf")
    )
    _full_disk_message(code, err, disk)
    assert not (disk / "form.pdf").exists()
    # 6. the package
    out = disk / "package"
    code, _, err = run(
        capsys, "package", "demo", "--workspace", str(ws), "--out", str(out), "--quiet", "--force"
    )
    _full_disk_message(code, err, out)
    assert not out.exists() and not list(disk.glob(".package.*"))

    assert all_files(ws) == before, "the workspace is exactly as it was"
    _no_temp(disk)

    # Space freed: everything works again, nothing was left in the way (no stray lock).
    (disk / "filler").unlink()
    assert run(capsys, "draft", "add", str(changed), "--workspace", str(ws))[0] == 0
    code, out_text, err = run(capsys, "drafts", "--workspace", str(ws))
    assert code == 0 and "v2" in out_text and "lock" not in out_text, err


def test_a_save_from_the_app_on_a_full_disk_keeps_the_edits(disk: Path) -> None:
    """The autosaver's save fails with the same message; the edits stay pending."""
    from forms.draft.io import load_draft
    from forms.system.atomic import DiskFullError
    from forms.workspace import Autosaver, Passphrase, Workspace

    ws = Workspace.create(disk / "ws", Passphrase(PASSPHRASE))
    draft = load_draft(EXAMPLE)
    ws.save_draft(draft)
    fill(disk)
    saver = Autosaver(ws, quiet_seconds=0.0)
    draft.title = "typed while the disk was full"
    saver.changed(draft)
    with pytest.raises(DiskFullError) as full:
        saver.flush()
    assert saver.pending and str(disk / "ws") in full.value.message("en")
    assert full.value.errno == 28  # still an OSError for code that handles failed writes
    (disk / "filler").unlink()
    assert saver.flush() is not None and ws.load_draft(draft.id).title == draft.title
