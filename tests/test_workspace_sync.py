"""A workspace in a synced folder (NAS, 坚果云, OneDrive) edited on two laptops apart.

Two copies of one workspace each save versions of the same draft while apart, then are
merged by rsync both ways (a sync tool without conflict handling: the worst case). Both
versions survive, shown as a conflict to resolve; nothing silently wins. Conflict copies a
sync tool makes of a file are read as what they hold, not reported as damage.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.cli.main import main
from forms.workspace import Passphrase, SyncConflictError, Workspace
from tests.workspace_helpers import PASSPHRASE, example_draft, fast_scrypt, new_workspace

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_scrypt(monkeypatch)
    monkeypatch.setenv("SHENBAO_PASSPHRASE", PASSPHRASE)


def rsync(source: Path, target: Path) -> None:
    """What a simple sync does: copy every file that differs, delete nothing."""
    subprocess.run(["rsync", "-a", f"{source}/", f"{target}/"], check=True)


def _laptops(tmp_path: Path) -> tuple[Path, Path]:
    """One workspace with drafts x and y, copied to a second laptop."""
    office = tmp_path / "office"
    ws = new_workspace(office)
    for name in ("x", "y"):
        draft = example_draft()
        draft.id = name
        ws.save_draft(draft)
    home = tmp_path / "home"
    shutil.copytree(office, home)
    return office, home


def _open(folder: Path, machine: Path) -> Workspace:
    """The workspace as one machine sees it: its own local cache (and writer id)."""
    return Workspace.open(folder, Passphrase(PASSPHRASE), cache_dir=machine)


def test_two_laptops_saving_one_draft_apart_keep_both_after_rsync(tmp_path: Path) -> None:
    office, home = _laptops(tmp_path)
    at_office = _open(office, tmp_path / "cache-office")
    at_home = _open(home, tmp_path / "cache-home")
    assert at_office.origin != at_home.origin

    draft = at_office.load_draft("x")
    draft.title = "office morning"
    at_office.save_draft(draft)
    draft.company.staff = 120
    at_office.save_draft(draft)
    theirs = at_home.load_draft("x")
    theirs.title = "written at home"
    at_home.save_draft(theirs)
    other = at_home.load_draft("y")
    other.title = "only at home"
    at_home.save_draft(other)

    rsync(office, home)
    rsync(home, office)

    for folder, machine in ((office, "cache-office"), (home, "cache-home")):
        ws = _open(folder, tmp_path / machine)
        listed = {d.id: d for d in ws.drafts()}
        assert listed["y"].title == "only at home" and listed["y"].conflict == ()
        assert len(listed["x"].conflict) == 2, "both copies' versions are kept"
        heads = ws.conflict("x")
        assert sorted(h.draft["title"] for h in heads) == ["office morning", "written at home"]
        titles = {ws.record("x", v.key).draft["title"] for v in ws.history("x")}
        assert {"office morning", "written at home"} <= titles

    ws = _open(office, tmp_path / "cache-office")
    home_head = next(h for h in ws.conflict("x") if h.draft["title"] == "written at home")
    with pytest.raises(SyncConflictError, match="same fields"):
        ws.resolve_conflict("x")  # both changed the title: the user must choose
    resolved = ws.resolve_conflict("x", home_head.key)
    assert ws.load_draft("x").title == "written at home"
    assert ws.conflict("x") == [] and resolved.action == "resolve"
    rsync(office, home)
    assert _open(home, tmp_path / "cache-home").conflict("x") == []


def test_heads_that_changed_different_fields_merge_when_resolved(tmp_path: Path) -> None:
    office, home = _laptops(tmp_path)
    at_office = _open(office, tmp_path / "cache-office")
    at_home = _open(home, tmp_path / "cache-home")
    mine = at_office.load_draft("x")
    mine.project.summary = "from the office"
    at_office.save_draft(mine)
    theirs = at_home.load_draft("x")
    theirs.company.staff = 7
    at_home.save_draft(theirs)
    rsync(office, home)
    rsync(home, office)
    ws = _open(home, tmp_path / "cache-home")
    assert len(ws.conflict("x")) == 2
    ws.resolve_conflict("x")
    merged = ws.load_draft("x")
    assert merged.project.summary == "from the office" and merged.company.staff == 7


def test_the_command_line_shows_and_resolves_the_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    office, home = _laptops(tmp_path)
    for folder, machine, title in ((office, "a", "A"), (home, "b", "B")):
        ws = _open(folder, tmp_path / machine)
        draft = ws.load_draft("x")
        draft.title = title
        ws.save_draft(draft)
    rsync(office, home)
    rsync(home, office)
    # The command line uses the machine's own cache folder under SHENBAO_HOME.
    where = ("--workspace", str(office), "--lang", "en")
    main(["drafts", *where])
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("x "))
    assert "sync conflict" in line and "shenbao draft resolve x" in line
    main(["draft", "history", "x", *where])
    history = capsys.readouterr().out
    keys = [row.split()[0][1:] for row in history.splitlines() if row.startswith("v2-")]
    assert len(keys) == 2
    assert main(["draft", "resolve", "x", "--keep", keys[0], *where]) == 0
    assert "sync conflict resolved" in capsys.readouterr().out
    main(["drafts", *where])
    assert "sync conflict" not in capsys.readouterr().out


CONFLICT_COPIES = [
    "{stem} (1).enc",  # Dropbox, 坚果云
    "{stem} (conflicted copy 2025-09-01).enc",  # Dropbox, Nextcloud
    "{stem}.sync-conflict-20250901-101500-ABCDEFG.enc",  # Syncthing
    "{stem}-DESKTOP-7QK2.enc",  # OneDrive
    "{stem}.enc.conflict-20250901",  # tools that append to the whole name
]


@pytest.mark.parametrize("pattern", CONFLICT_COPIES)
def test_a_sync_tools_conflict_copy_is_a_version_not_damage(
    pattern: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two laptops on an older workspace (version files without a writer id) both wrote
    version 2; the sync tool kept one under the name and renamed the other."""
    office, home = _laptops(tmp_path)
    copies = []
    for folder, machine, title in ((office, "a", "office"), (home, "b", "home")):
        ws = _open(folder, tmp_path / machine)
        draft = ws.load_draft("x")
        draft.title = title
        ws.save_draft(draft)
        (written,) = (ws.folder / "drafts").rglob("v000002-*.enc")
        legacy = written.with_name("v000002.enc")
        written.rename(legacy)
        copies.append(legacy)
    office_file, home_file = copies
    renamed = office_file.with_name(pattern.format(stem="v000002"))
    shutil.copyfile(home_file, renamed)  # the tool's copy of the other laptop's version
    ws = _open(office, tmp_path / "a")
    listed = {d.id: d for d in ws.drafts()}
    assert listed["x"].damaged == () and len(listed["x"].conflict) == 2
    assert sorted(h.draft["title"] for h in ws.conflict("x")) == ["home", "office"]
    main(["drafts", "--workspace", str(office), "--lang", "en"])
    assert "damaged" not in capsys.readouterr().out


def test_a_second_copy_of_the_same_version_is_no_conflict(tmp_path: Path) -> None:
    office, _home = _laptops(tmp_path)
    ws = _open(office, tmp_path / "a")
    (only,) = (office / "drafts").glob(f"{ws._name('draft', 'x')}/v000001*.enc")
    shutil.copyfile(only, only.with_name("v000001 (1).enc"))
    fresh = _open(office, tmp_path / "a")
    assert fresh.conflict("x") == [] and fresh.drafts()[0].conflict == ()
