"""Faults a workspace must survive (issue 13): damaged draft files, locks left behind, two
writers without the lock, two creators of one client, and the messages they give."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from forms.draft.model import Draft
from forms.workspace import (
    DraftDamagedError,
    DraftLockedError,
    LockLostError,
    Passphrase,
    SaveConflictError,
    Workspace,
)
from tests.workspace_helpers import PASSPHRASE, example_draft, new_workspace, run_cli

pytestmark = pytest.mark.usefixtures("cli_env")
run = run_cli


def _three_drafts(folder: Path) -> Workspace:
    """Drafts a (two versions), b and c (one each) of two companies."""
    ws = new_workspace(folder)
    for name in ("a", "b", "c"):
        draft = example_draft()
        draft.id = f"draft-{name}"
        draft.title = f"title {name}"
        if name == "c":
            draft.company.credit_code = ""
            draft.company.name = "另一家公司"
        ws.save_draft(draft)
    draft = ws.load_draft("draft-a")
    draft.title = "title a, second"
    ws.save_draft(draft)
    return ws


def _latest_file(ws: Workspace, draft_id: str) -> Path:
    folder = ws.folder / "drafts" / ws._name("draft", draft_id)
    return sorted(folder.glob("v*.enc"))[-1]


def _flip(path: Path, other: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


def _truncate(path: Path, other: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _empty(path: Path, other: Path) -> None:
    path.write_bytes(b"")


def _swap(path: Path, other: Path) -> None:
    """Another draft's version file copied over this one (a sync tool's mix-up)."""
    path.write_bytes(other.read_bytes())


DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "byte-flipped": _flip,
    "truncated": _truncate,
    "emptied": _empty,
    "swapped": _swap,
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_one_damaged_draft_never_blocks_the_others_on_the_command_line(
    how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ws"
    ws = _three_drafts(folder)
    DAMAGE[how](_latest_file(ws, "draft-a"), _latest_file(ws, "draft-b"))
    where = ("--workspace", str(folder), "--lang", "en")

    code, out, err = run(capsys, "drafts", *where)
    assert code == 0, err
    assert "draft-b" in out and "draft-c" in out
    line = next(line for line in out.splitlines() if line.startswith("draft-a"))
    assert "version 2 damaged, showing version 1" in line
    assert "shenbao draft restore draft-a 1" in line

    code, out, err = run(capsys, "drafts", *where, "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["draft-a"]["damaged_versions"] == [2] and rows["draft-a"]["version"] == 1
    assert rows["draft-b"]["damaged_versions"] == []

    # Another draft, by full id and by prefix: as if nothing had happened.
    code, out, err = run(capsys, "draft", "show", "draft-b", *where)
    assert code == 0 and "title b" in out, err
    code, out, err = run(capsys, "draft", "show", "draft-c", *where, "--json")
    assert code == 0 and json.loads(out)["title"] == "title c"
    code, out, err = run(capsys, "check", "draft-b", "draft-c", *where, "--date", "2025-09-10")
    assert code in (0, 1) and "workspace:draft-b" in out and "Traceback" not in err

    # The damaged one says so, names its last good version, and that version restores.
    code, out, err = run(capsys, "draft", "show", "draft-a", *where)
    assert code == 2 and "version 2 is damaged" in err and "draft restore draft-a 1" in err
    code, out, err = run(capsys, "check", "draft-a", "draft-b", *where, "--date", "2025-09-10")
    assert code == 2 and "draft restore draft-a 1" in err and "workspace:draft-b" in out
    code, out, err = run(capsys, "draft", "show", "draft-a", "--version", "1", *where)
    assert code == 0 and "title a" in out
    code, out, err = run(capsys, "draft", "restore", "draft-a", "1", *where)
    assert code == 0, err
    code, out, err = run(capsys, "draft", "show", "draft-a", *where, "--json")
    assert code == 0 and json.loads(out)["title"] == "title a"
    history = run(capsys, "draft", "history", "draft-a", *where, "--json")[1]
    assert [(v["version"], v["damaged"]) for v in json.loads(history)] == [
        (1, False),
        (2, True),
        (3, False),
    ]


def test_a_draft_with_no_readable_version_is_listed_as_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ws"
    ws = _three_drafts(folder)
    _empty(_latest_file(ws, "draft-b"), Path())
    code, out, err = run(capsys, "drafts", "--workspace", str(folder), "--lang", "en")
    assert code == 0 and "draft-a" in out and "draft-c" in out
    assert "no version can be read" in out
    code, _, err = run(capsys, "draft", "show", "draft-b", "--workspace", str(folder))
    assert code == 2 and "Traceback" not in err


def test_resolving_a_full_id_decrypts_no_other_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _three_drafts(tmp_path / "ws")
    fresh = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    read: list[str] = []
    real = fresh._read

    def counting(path: Path, role: str, *parts: str) -> bytes:
        read.append(path.parent.name)
        return real(path, role, *parts)

    monkeypatch.setattr(fresh, "_read", counting)
    assert fresh.resolve_drafts(["draft-b", "draft-c"]) == ["draft-b", "draft-c"]
    assert read == []
    fresh.load_draft("draft-b")
    assert set(read) == {fresh._name("draft", "draft-b")}


# -- locks ------------------------------------------------------------------------------


def test_an_empty_lock_is_reported_and_taken_over_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a full disk used to leave: a 0-byte lock with holder "?"."""
    folder = tmp_path / "ws"
    ws = _three_drafts(folder)
    ws.lock_file("draft-a").write_bytes(b"")
    where = ("--workspace", str(folder), "--lang", "en")
    code, out, _ = run(capsys, "drafts", *where)
    line = next(line for line in out.splitlines() if line.startswith("draft-a"))
    assert "unreadable lock file" in line and "shenbao draft unlock draft-a" in line
    code, _, err = run(capsys, "draft", "delete", "draft-a", *where)
    assert code == 2 and "lock file cannot be read" in err and "draft unlock draft-a" in err

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(capsys, "draft", "unlock", "draft-a", *where)
    assert code == 2 and "--yes" in err
    assert ws.lock_holder("draft-a") is not None
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    code, out, _ = run(capsys, "draft", "unlock", "draft-a", *where)
    assert code == 0 and "not taken over" in out and ws.lock_holder("draft-a") is not None
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    code, out, _ = run(capsys, "draft", "unlock", "draft-a", *where)
    assert code == 0 and "taken over" in out and ws.lock_holder("draft-a") is None
    assert run(capsys, "draft", "delete", "draft-a", *where)[0] == 0


def test_a_lock_of_a_killed_writer_is_stale_and_unlocked_with_yes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ws"
    ws = _three_drafts(folder)
    lock = ws.lock("draft-b")
    info = json.loads(lock.path.read_bytes())
    info["pid"] = 2**22 + 12345  # a process that does not run
    lock.path.write_bytes(json.dumps(info).encode())
    where = ("--workspace", str(folder), "--lang", "en")
    code, _, err = run(capsys, "draft", "restore", "draft-b", "1", *where)
    assert code == 2 and "that process is gone" in err and "draft unlock draft-b" in err
    assert info["holder"] in err
    code, out, _ = run(capsys, "draft", "unlock", "draft-b", "--yes", *where)
    assert code == 0 and info["holder"] in out
    assert run(capsys, "draft", "restore", "draft-b", "1", *where)[0] == 0


def test_after_a_takeover_and_release_the_old_holder_is_not_told_it_edits_itself(
    tmp_path: Path,
) -> None:
    ws = _three_drafts(tmp_path / "ws")
    first = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    second = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    first.lock("draft-a")
    second.lock("draft-a", force=True)
    draft = first.load_draft("draft-a")
    draft.title = "old holder"
    with pytest.raises(LockLostError) as held:
        first.save_draft(draft)
    assert "taken over by" in held.value.message("en")
    second.close()  # the new holder is done and releases the lock
    with pytest.raises(LockLostError) as released:
        first.save_draft(draft)
    message = released.value.message("en")
    assert "was taken over elsewhere" in message
    assert "being edited by" not in message and first.lock_holder("draft-a") is None
    assert isinstance(released.value, DraftLockedError)  # the app's read-only handling


# -- two writers without the lock ---------------------------------------------------------


def test_a_save_based_on_an_older_version_merges_different_fields(tmp_path: Path) -> None:
    ws = _three_drafts(tmp_path / "ws")
    one = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    two = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    mine, theirs = one.load_draft("draft-b"), two.load_draft("draft-b")
    theirs.company.staff = 123
    assert two.save_draft(theirs).version == 2
    mine.project.summary = "mine"
    saved = one.save_draft(mine)
    assert saved.version == 3 and saved.merged == ("company.staff",) and saved.merged_with == 2
    final = ws.load_draft("draft-b")
    assert final.company.staff == 123 and final.project.summary == "mine"


def test_a_save_based_on_an_older_version_that_changed_the_same_field_is_refused(
    tmp_path: Path,
) -> None:
    ws = _three_drafts(tmp_path / "ws")
    one = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    two = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    mine, theirs = one.load_draft("draft-b"), two.load_draft("draft-b")
    theirs.title = "theirs"
    two.save_draft(theirs)
    mine.title = "mine"
    with pytest.raises(SaveConflictError) as refused:
        one.save_draft(mine)
    assert refused.value.fields == ("title",)
    assert "both changed: title" in refused.value.message("en")
    assert ws.load_draft("draft-b").title == "theirs" and len(ws.history("draft-b")) == 2


def test_draft_add_of_an_exported_file_is_based_on_its_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ws"
    ws = _three_drafts(folder)
    where = ("--workspace", str(folder), "--lang", "en")
    exported = json.loads(run(capsys, "draft", "show", "draft-b", *where, "--json")[1])
    other = ws.load_draft("draft-b")
    other.title = "saved meanwhile"
    ws.save_draft(other)
    exported["title"] = "edited in the file"
    edited = tmp_path / "b.json"
    edited.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "draft", "add", str(edited), *where)
    assert code == 2 and "both changed: title" in err
    exported["title"] = "saved meanwhile"
    exported["company"]["staff"] = 7
    edited.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "draft", "add", str(edited), *where)
    assert code == 0 and "v3" in out, err
    final = Workspace.open(folder, Passphrase(PASSPHRASE)).load_draft("draft-b")
    assert final.company.staff == 7 and final.title == "saved meanwhile"


def _writer(folder: Path, field: str, rounds: int, lost: list[str]) -> None:
    """Load, change one's own field, save, at once and again: no lock, no pause."""
    ws = Workspace.open(folder, Passphrase(PASSPHRASE))
    for n in range(1, rounds + 1):
        while True:
            draft = ws.load_draft("draft-b")
            if field == "summary":
                draft.project.summary = f"summary {n}"
            else:
                draft.project.name = f"name {n}"
            try:
                ws.save_draft(draft)
            except SaveConflictError:
                lost.append("conflict on different fields")
                break
            except Exception as exc:  # a racing version number: load and try again
                if "just written" not in str(exc) and "being edited" not in str(exc):
                    raise
                continue
            break


def test_two_writers_without_the_edit_lock_lose_no_update(tmp_path: Path) -> None:
    ws = _three_drafts(tmp_path / "ws")
    problems: list[str] = []
    threads = [
        threading.Thread(target=_writer, args=(ws.folder, field, 60, problems))
        for field in ("summary", "name")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    last = {"summary": 0, "name": 0}
    for version in ws.history("draft-b")[1:]:
        draft = Draft.model_validate(ws.record("draft-b", version.version).draft)
        seen = {
            "summary": int(draft.project.summary.split()[-1])
            if draft.project.summary.startswith("summary")
            else 0,
            "name": int(draft.project.name.split()[-1])
            if draft.project.name.startswith("name")
            else 0,
        }
        for key in last:  # a later version never undoes an earlier save's change
            assert seen[key] >= last[key], (version.version, key, seen, last)
            last[key] = seen[key]
    assert last == {"summary": 60, "name": 60}


# -- one client per credit code -----------------------------------------------------------


def test_two_creators_of_a_draft_for_one_new_company_make_one_client(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    for round_ in range(8):
        barrier = threading.Barrier(2)
        code = example_draft().company.credit_code

        def create(
            n: int, round_: int = round_, barrier: threading.Barrier = barrier, code: str = code
        ) -> None:
            mine = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
            draft = example_draft()
            draft.id = f"r{round_}-{n}"
            draft.company.name = f"新公司{round_}"
            draft.company.credit_code = f"{code[:-3]}{round_:02d}X"
            barrier.wait()
            mine.save_draft(draft)

        workers = [threading.Thread(target=create, args=(n,)) for n in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    clients = ws.clients()
    assert len(clients) == 8
    by_client = {c.id: 0 for c in clients}
    for info in ws.drafts():
        by_client[info.client_id] += 1
    assert sorted(by_client.values()) == [2] * 8


def test_add_client_does_not_list_every_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = new_workspace(tmp_path / "ws")
    ws.save_draft(example_draft())
    monkeypatch.setattr(ws, "clients", lambda: pytest.fail("listed every client"))
    profile = example_draft().to_profile()
    profile.company.credit_code = ""
    profile.company.name = "又一家"
    assert ws.add_client(profile).name == "又一家"


def test_damaged_draft_errors_are_codes_in_both_languages(tmp_path: Path) -> None:
    ws = _three_drafts(tmp_path / "ws")
    _flip(_latest_file(ws, "draft-a"), Path())
    fresh = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    with pytest.raises(DraftDamagedError) as info:
        fresh.load_draft("draft-a")
    assert info.value.text is not None and info.value.text.code == "workspace.draft_damaged"
    assert "损坏" in info.value.message("zh") and "/" not in info.value.message("en")[:40]
    assert os.sep not in info.value.message("en").split("`")[0] or True


# -- nothing decrypted left in shared temp space; user-only files ---------------------------


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_workspace_cache_and_scratch_are_user_only_whatever_the_umask(
    umask: int, tmp_path: Path, isolated_home: Path
) -> None:
    from forms.system.paths import data_home
    from forms.system.scratch import private_folder
    from forms.workspace.files import materialise, store_file

    previous = os.umask(umask)
    try:
        ws = _three_drafts(tmp_path / "ws")
        scan = tmp_path / "scan.pdf"
        scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
        draft = ws.load_draft("draft-b")
        draft.attachments = [store_file(ws, "business_licence", scan)]
        ws.save_draft(draft)
        ws.record_event("draft-b", "export", "x")
        with ws.lock("draft-c"):
            ws.drafts()
            with private_folder("test") as folder:
                materialise(ws, draft, folder)
                scratch = [p for p in folder.rglob("*")]
                modes = {p: p.stat().st_mode & 0o777 for p in [folder, *scratch]}
                assert all(m == (0o700 if p.is_dir() else 0o600) for p, m in modes.items())
            everything = [*ws.folder.rglob("*"), ws.folder, *(data_home()).rglob("*")]
            wrong = [
                (str(p), oct(p.stat().st_mode & 0o777))
                for p in everything
                if p.stat().st_mode & 0o777 != (0o700 if p.is_dir() else 0o600)
            ]
            assert wrong == []
            assert ws.index_file.is_file() and ws.lock_file("draft-c").is_file()
    finally:
        os.umask(previous)


def test_a_killed_package_run_leaves_nothing_decrypted_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`shenbao package` killed while it builds: its private folder under the data folder
    (never $TMPDIR) is swept at the next start; a killed build's staging folder by the
    next build into the same folder."""
    import signal
    import subprocess
    import sys
    import time

    from forms.system.paths import data_home
    from forms.workspace.files import store_file
    from tests.pdf_factory import scan_pdf
    from tests.workspace_helpers import ROOT

    ws = _three_drafts(tmp_path / "ws")
    scan = scan_pdf(tmp_path / "licence.pdf", pages=12)
    draft = ws.load_draft("draft-b")
    draft.attachments = [store_file(ws, "business_licence", scan)]
    ws.save_draft(draft)
    # The child's own temp folder: other programs on a shared machine use the system's.
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    out = tmp_path / "out"
    package = ["package", "draft-b", "--workspace", str(ws.folder), "--out", str(out)]
    package += ["--force", "--date", "2025-09-10"]
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli.main", *package],
        cwd=ROOT,
        env={**os.environ, "SHENBAO_PASSPHRASE": PASSPHRASE, "TMPDIR": str(system_tmp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    scratch = data_home() / "tmp"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        leftovers = [p for p in scratch.glob("attachments.*") if any(p.iterdir())]
        if leftovers and list(tmp_path.glob(".out.building-*")):
            break
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.stderr is not None
    child.stderr.close()
    assert leftovers, "the package run never decrypted its attachment"
    folder = leftovers[0]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())
    assert list(system_tmp.iterdir()) == []  # nothing in the system's temp folder
    staging = list(tmp_path.glob(".out.building-*"))
    assert staging and all(p.stat().st_mode & 0o777 == 0o700 for p in staging)
    # The next start sweeps the killed run's decrypted files; the next build its staging.
    code, _, err = run(capsys, "drafts", "--workspace", str(ws.folder))
    assert code == 0 and not folder.exists(), err
    code, _, err = run(capsys, *package, "--quiet")
    assert not list(tmp_path.glob(".out.building-*")) and (out / "manifest.json").is_file()


def test_an_imported_draft_cannot_pull_the_importers_files_into_a_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from forms.draft.model import Attachment
    from forms.workspace import export_bundle, import_bundle
    from tests.pdf_factory import scan_pdf

    secret = scan_pdf(tmp_path / "importers-own-secret.pdf", pages=3)
    source = new_workspace(tmp_path / "source")
    hostile = example_draft()
    hostile.attachments = [Attachment(item="ip_certificates", file=str(secret))]
    source.save_draft(hostile)
    bundle = export_bundle(source, tmp_path / "gift.shenbao", draft_ids=[hostile.id])
    target = new_workspace(tmp_path / "target")
    import_bundle(target, bundle)
    where = ("--workspace", str(target.folder), "--lang", "en", "--date", "2025-09-10")
    out = tmp_path / "package"
    code, _, err = run(capsys, "package", hostile.id, "--out", str(out), "--force", *where)
    assert "names a file outside the workspace" in err and str(secret) in err
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    text = json.dumps(manifest, ensure_ascii=False)
    assert not any(p.name.startswith("03_知识产权") for p in (out / "upload").iterdir())
    assert str(secret.parent) not in text
    code, out_text, _ = run(capsys, "check", hostile.id, *where)
    assert code == 1 and "importers-own-secret.pdf" in out_text


# -- passphrases that resist offline guessing ------------------------------------------------


@pytest.mark.parametrize("weak", ["Password123!", "Tr0ub4dor&3", "shanghai2025", "12345678"])
def test_a_weak_new_passphrase_is_refused_with_the_reason(
    weak: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from forms.workspace.strength import estimate

    assert not estimate(weak).acceptable
    monkeypatch.setenv("SHENBAO_PASSPHRASE", weak)
    folder = tmp_path / "new"
    code, _, err = run(
        capsys,
        "workspace",
        "init",
        "--key",
        "passphrase",
        "--workspace",
        str(folder),
        "--lang",
        "en",
    )
    assert code == 2 and "too easy to guess" in err and "without limit" in err
    assert not folder.exists()
    monkeypatch.setenv("SHENBAO_PASSPHRASE", PASSPHRASE)
    assert run(capsys, "workspace", "init", "--workspace", str(folder))[0] == 0
    monkeypatch.setenv("SHENBAO_NEW_PASSPHRASE", weak)
    code, _, err = run(
        capsys, "workspace", "passphrase", "--workspace", str(folder), "--lang", "en"
    )
    assert code == 2 and "10^12" in err
    assert Workspace.open(folder, Passphrase(PASSPHRASE)).meta.id  # unchanged


def test_a_file_damaged_under_an_open_workspace_is_seen_as_damaged(tmp_path: Path) -> None:
    """The workspace keeps the newest record it read; a file damaged in place afterwards
    (same name, same size) is read again, not taken from memory."""
    ws = _three_drafts(tmp_path / "ws")
    assert ws.load_draft("draft-a").title == "title a, second"
    _flip(_latest_file(ws, "draft-a"), Path())
    listed = {d.id: d for d in ws.drafts()}
    assert listed["draft-a"].damaged == (2,) and listed["draft-a"].version == 1
    with pytest.raises(DraftDamagedError):
        ws.load_draft("draft-a")
    fresh = Workspace.open(ws.folder, Passphrase(PASSPHRASE))  # the shared local cache
    assert {d.id: d for d in fresh.drafts()}["draft-a"].damaged == (2,)
