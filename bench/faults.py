"""Fault script (issue 13): the workspace and the attachment reader under the faults that
trusted storage and document tools are tested with, one summary line per part.

Run from the project folder (root for the full-disk part, which mounts a 2 MB tmpfs):

    .venv/bin/python -m bench.faults [--kills 120] [--drafts 2000] [--only kill-save,sync]

Parts: a writer killed with SIGKILL while saving (`--kills` times), `shenbao package`
killed while it has attachments decrypted, a full disk on the six write paths, damaged
draft files, locks left behind, two writers without the edit lock (three ways), two
creators of one new client, two workspace copies merged by rsync both ways (and sync
tools' conflict copies), hostile bundles, odd PDFs and images, and `shenbao check` of
`--drafts` drafts. Each line says how many cases were tried, how many were handled (kept,
refused with a message, or told), and how many lost something (a completed save, an
update, a version, a file left in clear, a damaged file passed as sound). Exit 1 if any
case was not handled or lost something.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.disk import fill, tmpfs

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "correct horse battery staple"
EXAMPLE = ROOT / "examples" / "drafts" / "content-creation.json"
#: py-pdf/sample-files 017 (CC-BY-SA-4.0), if a copy is at hand (SHENBAO_SAMPLE_017).
SAMPLE_017 = Path(os.environ.get("SHENBAO_SAMPLE_017", "/nonexistent"))


@dataclass
class Result:
    tried: int = 0
    handled: int = 0
    lost: int = 0
    notes: list[str] = field(default_factory=list)
    skipped: str = ""

    def case(self, handled: bool, lost: int = 0, note: str = "") -> None:
        self.tried += 1
        self.handled += handled
        self.lost += lost
        if note and (not handled or lost):
            self.notes.append(note)


def cli(*argv: str) -> tuple[int, str, str]:
    """`shenbao ARGV` in this process: exit code, standard output, standard error."""
    from desktop.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv, "--lang", "en"])
    return code, out.getvalue(), err.getvalue()


def all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def child(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.faults", *argv],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def example_draft(draft_id: str, title: str | None = None) -> Any:
    from forms.draft.io import load_draft

    draft = load_draft(EXAMPLE)
    draft.id = draft_id
    draft.title = title or f"title {draft_id}"
    return draft


def new_workspace(folder: Path, cache: Path | None = None) -> Any:
    from forms.workspace import Passphrase, Workspace

    return Workspace.create(folder, Passphrase(PASSPHRASE), cache_dir=cache)


def open_workspace(folder: Path, cache: Path | None = None) -> Any:
    from forms.workspace import Passphrase, Workspace

    return Workspace.open(folder, Passphrase(PASSPHRASE), cache_dir=cache)


def three_drafts(folder: Path) -> Any:
    """Drafts a (two versions), b and c."""
    ws = new_workspace(folder)
    for name in "abc":
        ws.save_draft(example_draft(f"draft-{name}"))
    draft = ws.load_draft("draft-a")
    draft.title = "title a, second"
    ws.save_draft(draft)
    return ws


def latest_file(ws: Any, draft_id: str) -> Path:
    name: str = ws._name("draft", draft_id)
    folder: Path = ws.folder / "drafts" / name
    return sorted(folder.glob("v*.enc"))[-1]


# -- 1. a writer killed while it saves ---------------------------------------------------


def part_kill_save(tmp: Path, args: argparse.Namespace) -> Result:
    """SIGKILL a process that saves three drafts round-robin, at a random moment, again
    and again: every completed save is there afterwards, and the next writer carries on."""
    result = Result()
    folder = tmp / "ws"
    ws = new_workspace(folder)
    ids = []
    for n in range(3):
        draft = example_draft(f"draft-{n}")
        draft.project.summary = "save 1"
        ws.save_draft(draft)
        ids.append(draft.id)
    completed = dict.fromkeys(ids, 1)
    rng = random.Random(13)
    saves = 0
    for _ in range(args.kills):
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.workspace_helpers", "writer", str(folder)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stderr is not None
        ready = writer.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        for line in writer.stdout.read().splitlines():
            draft_id, version = line.split()
            completed[draft_id] = int(version)
            saves += 1
        stderr = writer.stderr.read()
        writer.stdout.close()
        writer.stderr.close()
        lost = 0
        try:
            ws = open_workspace(folder)
            for draft_id in ids:
                latest = ws.record(draft_id).version
                good = latest in (completed[draft_id], completed[draft_id] + 1)
                good = good and ws.load_draft(draft_id).project.summary == f"save {latest}"
                lost += max(0, completed[draft_id] - latest) or (not good)
                completed[draft_id] = latest
            listed = len(ws.drafts()) == len(ids)
        except Exception as exc:
            lost, listed, stderr = len(ids), False, f"{stderr}\n{exc!r}"
        result.case(ready and listed, lost, stderr.strip().splitlines()[-1] if stderr else "")
    result.notes.append(f"{saves} saves completed between the kills")
    return result


# -- 2. `shenbao package` killed with attachments decrypted -------------------------------


def part_kill_package(tmp: Path, args: argparse.Namespace) -> Result:
    """SIGKILL `shenbao package` while it builds: decrypted attachments only ever in a
    0700 folder under the data folder (never $TMPDIR), swept at the next start."""
    from forms.system.paths import data_home
    from forms.workspace.files import store_file
    from tests.pdf_factory import scan_pdf

    result = Result()
    ws = three_drafts(tmp / "ws")
    draft = ws.load_draft("draft-b")
    draft.attachments = [store_file(ws, "business_licence", scan_pdf(tmp / "l.pdf", pages=12))]
    ws.save_draft(draft)
    shared = Path(tempfile.gettempdir())
    before_shared = set(shared.glob("shenbao-*"))
    scratch = data_home() / "tmp"
    out = tmp / "out"
    rng = random.Random(3)
    for _ in range(args.package_kills):
        argv = ["package", "draft-b", "--workspace", str(ws.folder), "--out", str(out)]
        run = child("_cli", *argv, "--force", "--quiet", "--date", "2025-09-10")
        seen: list[Path] = []
        deadline = time.monotonic() + rng.uniform(0.3, 4.0)
        private = True
        while time.monotonic() < deadline and run.poll() is None:
            for folder in scratch.glob("*.*"):
                with contextlib.suppress(OSError):
                    files = list(folder.iterdir())
                    seen.append(folder)
                    modes = [folder.stat().st_mode & 0o777] + [
                        f.stat().st_mode & 0o777 for f in files
                    ]
                    private &= modes[0] == 0o700 and all(m == 0o600 for m in modes[1:])
            time.sleep(0.01)
        run.send_signal(signal.SIGKILL)
        run.wait()
        for stream in (run.stdin, run.stdout, run.stderr):
            if stream is not None:
                stream.close()
        staging = list(tmp.glob(".out.building-*"))
        private &= all(p.stat().st_mode & 0o777 == 0o700 for p in staging)
        cli("drafts", "--workspace", str(ws.folder))  # the next start sweeps
        left = [p for p in set(seen) if p.exists()]
        left += [p for p in shared.glob("shenbao-*") if p not in before_shared]
        result.case(private and not left, len(left), f"left in clear: {left}")
    code, _, err = cli(
        *("package", "draft-b", "--workspace", str(ws.folder), "--out", str(out)),
        *("--force", "--quiet", "--date", "2025-09-10"),
    )
    staging = list(tmp.glob(".out.building-*"))
    result.case(code in (0, 1) and not staging and (out / "manifest.json").is_file(), 0, err)
    result.notes.append("then a full build: no staging folder left")
    return result


# -- 3. a full disk ---------------------------------------------------------------------


def part_full_disk(tmp: Path, args: argparse.Namespace) -> Result:
    """The six write paths on a full disk: exit 2, the folder and the space needed named,
    no traceback, nothing half-written; everything works again once space is freed."""
    result = Result()
    with tmpfs(tmp / "disk") as disk:
        if disk is None:
            result.skipped = "needs root to mount a small tmpfs; run as root"
            return result
        ws = disk / "ws"
        where = ("--workspace", str(ws))
        cli("workspace", "init", *where)
        cli("draft", "add", str(EXAMPLE), *where)
        bundle = tmp / "elsewhere.shenbao"
        cli("export", "--draft", "demo", "--out", str(bundle), *where)
        changed = tmp / "changed.json"
        changed.write_text(
            EXAMPLE.read_text("utf-8").replace('"staff": 86', '"staff": 87'), encoding="utf-8"
        )
        shutil.copytree(ROOT / "examples" / "attachments", tmp / "attachments")
        fill(disk)
        before = all_files(ws)
        paths: list[tuple[str, tuple[str, ...], Path, Path]] = [
            ("workspace init", ("workspace", "init", "--workspace", str(disk / "w2")), disk / "w2", disk / "w2"),
            ("draft add", ("draft", "add", str(changed), *where), ws, ws),
            ("import", ("import", str(bundle), *where), ws, ws),
            ("export", ("export", "--draft", "demo", "--out", str(disk / "b.shenbao"), *where), disk, disk / "b.shenbao"),
            ("render", ("render", "demo", *where, "--out", str(disk / "form.pdf")), disk, disk / "form.pdf"),
            ("package", ("package", "demo", *where, "--out", str(disk / "pkg"), "--quiet", "--force"), disk / "pkg", disk / "pkg"),
        ]  # fmt: skip
        for name, argv, folder, target in paths:
            code, _, err = cli(*argv)
            said = f"{folder}: the disk is full: writing needs about" in err
            clean = "Traceback" not in err and "nothing was written" in err
            new = target not in (ws,) and target.exists()
            result.case(code == 2 and said and clean and not new, int(new), f"{name}: {err!r}")
        changed_files = sum(1 for k, v in all_files(ws).items() if before.get(k) != v)
        temp = [p for p in disk.rglob("*") if p.name.startswith(".shenbao-tmp")]
        result.lost += changed_files + len(temp)
        (disk / "filler").unlink()
        code, _, err = cli("draft", "add", str(changed), *where)
        code2, out, _ = cli("drafts", *where)
        result.case(code == 0 and code2 == 0 and "v2" in out, 0, f"after freeing: {err}")
        result.notes.append("then space freed: the save works, no stray lock")
    return result


# -- 4. damaged draft files -------------------------------------------------------------


def _flip(path: Path, other: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path, Path], object]] = {
    "byte-flipped": _flip,
    "truncated": lambda p, o: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "emptied": lambda p, o: p.write_bytes(b""),
    "swapped": lambda p, o: p.write_bytes(o.read_bytes()),
    "random bytes": lambda p, o: p.write_bytes(os.urandom(p.stat().st_size)),
}


def part_damaged_drafts(tmp: Path, args: argparse.Namespace) -> Result:
    """One draft's latest version file damaged: every command on the other drafts works;
    the damaged one is said to be damaged, with its last good version to restore."""
    result = Result()
    for how, damage in DAMAGE.items():
        folder = tmp / how.replace(" ", "-")
        ws = three_drafts(folder)
        damage(latest_file(ws, "draft-a"), latest_file(ws, "draft-b"))
        where = ("--workspace", str(folder))
        steps = [
            cli("drafts", *where)[0] == 0,
            cli("draft", "show", "draft-b", *where)[0] == 0,
            cli("draft", "show", "draft-c", *where, "--json")[0] == 0,
            cli("check", "draft-b", "draft-c", *where, "--date", "2025-09-10")[0] in (0, 1),
        ]
        code, _, err = cli("draft", "show", "draft-a", *where)
        steps.append(code == 2 and "draft restore draft-a 1" in err and "Traceback" not in err)
        steps.append(cli("draft", "restore", "draft-a", "1", *where)[0] == 0)
        code, out, _ = cli("draft", "show", "draft-a", *where, "--json")
        steps.append(code == 0 and json.loads(out)["title"] == "title draft-a")
        result.case(all(steps), 3 - sum(steps[1:4]), f"{how}: steps {steps}")
    return result


# -- 5. locks left behind ----------------------------------------------------------------


def part_locks(tmp: Path, args: argparse.Namespace) -> Result:
    """Locks a full disk or a killed writer left: reported (who and when, or unreadable),
    refused writes say how to take over, `shenbao draft unlock ID --yes` takes over."""
    result = Result()
    cases = ["empty", "garbage", "killed holder", "live holder"]
    for case in cases:
        folder = tmp / case.replace(" ", "-")
        ws = three_drafts(folder)
        holder = None
        if case == "empty":
            ws.lock_file("draft-a").write_bytes(b"")
        elif case == "garbage":
            ws.lock_file("draft-a").write_bytes(os.urandom(100))
        else:
            holder = child("_hold", str(folder), "draft-a")
            assert holder.stdout is not None
            holder.stdout.readline()
            if case == "killed holder":
                holder.send_signal(signal.SIGKILL)
                holder.wait()
        where = ("--workspace", str(folder))
        _, out, _ = cli("drafts", *where)
        line = next((ln for ln in out.splitlines() if ln.startswith("draft-a")), "")
        reported = "shenbao draft unlock draft-a" in line or (case == "live holder" and "@" in line)
        code, _, err = cli("draft", "restore", "draft-a", "1", *where)
        refused = code == 2 and "Traceback" not in err
        if case != "live holder":
            refused &= "draft unlock draft-a" in err
        code, out, _ = cli("draft", "unlock", "draft-a", "--yes", *where)
        taken = code == 0 and ws.lock_holder("draft-a") is None
        works = cli("draft", "restore", "draft-a", "1", *where)[0] == 0
        if holder is not None:
            holder.kill()
            holder.wait()
            for stream in (holder.stdin, holder.stdout, holder.stderr):
                if stream is not None:
                    stream.close()
        result.case(reported and refused and taken and works, 0, f"{case}: {line!r} {err!r}")
    return result


# -- 6. two writers without the edit lock -------------------------------------------------


def part_two_writers(tmp: Path, args: argparse.Namespace, fields: tuple[str, str], pause: float) -> Result:  # fmt: skip
    """Two processes load and save one draft 120 times each without the edit lock. Every
    save names the version it was based on: merged when the other changed other fields,
    refused (the writer told) when it changed the same one; no update silently undone."""
    from forms.draft.model import Draft

    result = Result()
    ws = three_drafts(tmp / "ws")
    start = time.time() + 3.0
    writers = [
        child("_save", str(ws.folder), "draft-b", name, tag, str(args.saves), str(pause), str(start))
        for tag, name in zip("AB", fields, strict=True)
    ]  # fmt: skip
    acks: list[tuple[str, str, int, int, int]] = []  # tag, field, n, base, version
    refused = 0
    for tag, name, writer in zip("AB", fields, writers, strict=True):
        out, err = writer.communicate()
        for line in out.splitlines():
            kind, number, based, saved_as = line.split()
            if kind == "ok":
                acks.append((tag, name, int(number), int(based), int(saved_as)))
            else:
                refused += 1
        if writer.returncode != 0:
            result.notes.append(err.strip().splitlines()[-1])
    contents = {}
    for info in open_workspace(ws.folder).history("draft-b"):
        draft = Draft.model_validate(open_workspace(ws.folder).record("draft-b", info.key).draft)
        contents[info.version] = {
            "summary": draft.project.summary,
            "name": draft.project.name,
        }
    lost: set[tuple[str, int]] = set()
    by_version = {a[4]: a for a in acks}
    for tag, name, n, base, version in acks:
        cur, prev = contents.get(version), contents.get(version - 1)
        if cur is None or prev is None or cur[name] != f"{tag} {n}":
            lost.add((tag, n))
            continue
        for other in {"summary", "name"} - {name}:  # a field this save did not change
            if cur[other] != prev[other] and (version - 1) in by_version:
                undone = by_version[version - 1]
                lost.add((undone[0], undone[2]))
        for s_tag, s_name, s_n, _b, s_version in acks:  # overwrote a save it never saw
            if s_name == name and s_tag != tag and base < s_version < version:
                lost.add((s_tag, s_n))
    tries = 2 * args.saves
    result.tried, result.handled, result.lost = tries, len(acks) + refused, len(lost)
    merged = sum(1 for a in acks if a[3] != a[4] - 1)
    result.notes.append(f"{len(acks)} saved ({merged} merged onto a newer version), {refused} refused and told")  # fmt: skip
    return result


def part_two_writers_fast(tmp: Path, args: argparse.Namespace) -> Result:
    return part_two_writers(tmp, args, ("summary", "name"), 0.0)


def part_two_writers_slow(tmp: Path, args: argparse.Namespace) -> Result:
    return part_two_writers(tmp, args, ("summary", "name"), 0.005)


def part_two_writers_same(tmp: Path, args: argparse.Namespace) -> Result:
    return part_two_writers(tmp, args, ("summary", "summary"), 0.005)


# -- 7. two creators of one client --------------------------------------------------------


def part_two_creators(tmp: Path, args: argparse.Namespace) -> Result:
    """Two processes create a draft for the same new company at the same moment: one
    client per credit code."""
    from validators.credit_code import complete_code

    result = Result()
    ws = new_workspace(tmp / "ws")
    ws.save_draft(example_draft("seed"))
    for round_ in range(8):
        code = complete_code(f"91310115{round_:08d}")
        start = time.time() + 2.0
        runs = [
            child("_create", str(ws.folder), f"r{round_}-{n}", f"新公司{round_}", code, str(start))
            for n in range(2)
        ]
        for run in runs:
            run.communicate()
        fresh = open_workspace(ws.folder)
        clients = [c for c in fresh.clients() if c.name == f"新公司{round_}"]
        mine = [d for d in fresh.drafts() if d.id.startswith(f"r{round_}-")]
        one = len(clients) == 1 and len(mine) == 2 and len({d.client_id for d in mine}) == 1
        result.case(one, max(0, len(clients) - 1), f"round {round_}: {len(clients)} clients")
    return result


# -- 8. a workspace in a synced folder ----------------------------------------------------


def _rsync(source: Path, target: Path) -> None:
    subprocess.run(["rsync", "-a", f"{source}/", f"{target}/"], check=True)


def _laptops(tmp: Path) -> tuple[Path, Path]:
    office = tmp / "office"
    ws = new_workspace(office, tmp / "c-office")
    for name in ("x", "y"):
        ws.save_draft(example_draft(name))
    home = tmp / "home"
    shutil.copytree(office, home)
    return office, home


CONFLICT_COPIES = [
    "{stem} (1).enc",
    "{stem} (conflicted copy 2025-09-01).enc",
    "{stem}.sync-conflict-20250901-101500-ABCDEFG.enc",
    "{stem}-DESKTOP-7QK2.enc",
    "{stem}.enc.conflict-20250901",
]


def part_sync(tmp: Path, args: argparse.Namespace) -> Result:
    """Two copies that each saved versions of one draft apart, merged by rsync both ways:
    both kept as a conflict in both copies; sync tools' conflict copies are versions."""
    result = Result()
    if shutil.which("rsync") is None:
        result.skipped = "rsync is not installed (apt-get install rsync)"
        return result
    for round_ in range(5):
        base = tmp / f"apart-{round_}"
        office, home = _laptops(base)
        titles = []
        for folder, machine in ((office, "c-office"), (home, "c-home")):
            ws = open_workspace(folder, base / machine)
            for n in range(round_ + 1):
                draft = ws.load_draft("x")
                draft.title = f"{machine} {n}"
                ws.save_draft(draft)
                titles.append(draft.title)
        _rsync(office, home)
        _rsync(home, office)
        lost = 0
        kept = True
        for folder, machine in ((office, "c-office"), (home, "c-home")):
            ws = open_workspace(folder, base / machine)
            have = {ws.record("x", v.key).draft["title"] for v in ws.history("x")}
            lost += len(set(titles) - have)
            listed = {d.id: d for d in ws.drafts()}
            kept &= len(listed["x"].conflict) == 2 and listed["x"].damaged == ()
        result.case(kept and not lost, lost, f"apart round {round_}")
    for pattern in CONFLICT_COPIES:
        base = tmp / f"copy-{len(result.notes)}-{abs(hash(pattern))}"
        office, home = _laptops(base)
        copies = []
        for folder, machine, title in ((office, "a", "office"), (home, "b", "home")):
            ws = open_workspace(folder, base / machine)
            draft = ws.load_draft("x")
            draft.title = title
            ws.save_draft(draft)
            (written,) = (ws.folder / "drafts").rglob("v000002-*.enc")
            legacy = written.with_name("v000002.enc")  # an older workspace: no writer id
            written.rename(legacy)
            copies.append(legacy)
        shutil.copyfile(copies[1], copies[0].with_name(pattern.format(stem="v000002")))
        ws = open_workspace(office, base / "a")
        listed = {d.id: d for d in ws.drafts()}
        heads = sorted(h.draft["title"] for h in ws.conflict("x"))
        _, out, _ = cli("drafts", "--workspace", str(office))
        good = listed["x"].damaged == () and heads == ["home", "office"] and "damaged" not in out
        result.case(good, 2 - len(heads), f"{pattern}: heads {heads}")
    return result


# -- 9. hostile bundles -------------------------------------------------------------------


def part_bundles(tmp: Path, args: argparse.Namespace) -> Result:
    """Every hostile bundle refused with nothing written; an imported draft naming a file
    outside the workspace never pulls it into a package."""
    from forms.draft.model import Attachment
    from forms.workspace import BundleLimits, export_bundle, import_bundle
    from tests.pdf_factory import scan_pdf
    from tests.test_workspace_bundle import HOSTILE, LIMITS, _bomb, _rewrite

    result = Result()
    source = new_workspace(tmp / "source")
    licence = tmp / "licence.pdf"
    licence.write_bytes(b"%PDF licence " * 50)
    source.put_attachment(licence)
    draft = example_draft("first")
    import hashlib

    draft.attachments[0].sha256 = hashlib.sha256(licence.read_bytes()).hexdigest()
    source.save_draft(draft)
    bundle = export_bundle(source, tmp / "b.shenbao", client_id=source.clients()[0].id, passphrase="pw")  # fmt: skip
    target = new_workspace(tmp / "target")
    target.save_draft(example_draft("already-here"))
    before = all_files(target.folder)
    cases: list[tuple[str, Path, BundleLimits | None]] = [
        (name, _rewrite(bundle, tmp / f"{n}.shenbao", change), None)
        for n, (name, (change, _msg)) in enumerate(sorted(HOSTILE.items()))
    ]
    cases.append(("bomb", _bomb(bundle, tmp / "bomb.shenbao", 64 << 20, False), LIMITS))
    cases.append(("lying bomb", _bomb(bundle, tmp / "lie.shenbao", 64 << 20, True), LIMITS))
    junk = tmp / "junk.shenbao"
    junk.write_bytes(b"PK\x03\x04 definitely not a zip")
    cases.append(("not a zip", junk, None))
    with zipfile.ZipFile(bundle) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    members["m/000001.enc"], members["m/000002.enc"] = members["m/000002.enc"], members["m/000001.enc"]  # fmt: skip
    swapped = tmp / "swapped.shenbao"
    with zipfile.ZipFile(swapped, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    cases.append(("swapped members", swapped, None))
    for name, path, limits in cases:
        try:
            kwargs: dict[str, Any] = {"limits": limits} if limits is not None else {}
            import_bundle(target, path, passphrase="pw", **kwargs)
            refused = False
        except Exception as exc:
            refused = type(exc).__name__ == "BundleRejectedError"
        written = all_files(target.folder) != before
        result.case(refused and not written, int(written), name)
        before = all_files(target.folder)
    # An absolute path without a hash, imported: the package refuses it.
    secret = scan_pdf(tmp / "importers-own-secret.pdf", pages=2)
    hostile = example_draft("hostile")
    hostile.attachments = [Attachment(item="ip_certificates", file=str(secret))]
    source.save_draft(hostile)
    gift = export_bundle(source, tmp / "gift.shenbao", draft_ids=["hostile"])
    import_bundle(target, gift)
    out = tmp / "package"
    _code, _, err = cli(
        *("package", "hostile", "--workspace", str(target.folder), "--out", str(out)),
        *("--force", "--quiet", "--date", "2025-09-10"),
    )
    pulled = any(p.name.startswith("03_") for p in (out / "upload").glob("*"))
    result.case("outside the workspace" in err and not pulled, int(pulled), "absolute path")
    return result


# -- 10. odd PDFs and images --------------------------------------------------------------


def _odd_files(folder: Path) -> list[tuple[str, Path, str]]:
    """(name, file, what a careful reader does: "ok", "repair" or "refuse")."""
    import pikepdf
    from PIL import Image

    from tests.pdf_factory import noisy_page, scan_pdf, text_pdf
    from tests.test_pdf_repair import cut_scan, lost_page_tree

    folder.mkdir(parents=True)
    cases: list[tuple[str, Path, str]] = []

    def put(name: str, data: bytes, expect: str) -> None:
        path = folder / name
        path.write_bytes(data)
        cases.append((name, path, expect))

    whole = scan_pdf(folder / "whole.pdf", pages=8, size=(620, 877))
    data = whole.read_bytes()
    cases.append(("whole.pdf", whole, "ok"))
    for tenth in range(1, 10):
        # A cut file: repaired (pages recovered, said) or refused, never "sound".
        put(f"cut-{tenth * 10}pc.pdf", data[: len(data) * tenth // 10], "repair|refuse")
    (folder / "c").mkdir()
    cases.append(("cut-between-objects.pdf", cut_scan(folder / "c"), "repair"))
    cases.append(("lost-page-tree.pdf", lost_page_tree(folder / "tree.pdf"), "repair"))
    if SAMPLE_017.is_file():
        cases.append(("py-pdf-017.pdf", SAMPLE_017, "repair"))
    text = text_pdf(folder / "text.pdf", pages=3).read_bytes()
    put("no-eof.pdf", text.rsplit(b"%%EOF", 1)[0], "ok|repair")
    put("bad-startxref.pdf", re.sub(rb"startxref\s+\d+", b"startxref\n99", text), "ok|repair")
    flipped = bytearray(text)
    xref = text.rfind(b"xref")
    flipped[xref + 30 : xref + 60] = b"x" * 30
    put("mangled-xref.pdf", bytes(flipped), "ok|repair")
    put("empty.pdf", b"", "refuse")
    put("garbage.pdf", b"%PDF-1.4\n" + b"garbage " * 40, "refuse")
    put("text-named.pdf", "这不是PDF，只是文字。".encode() * 20, "refuse")
    put("error-page.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "refuse")
    put("random.pdf", random.Random(1).randbytes(5000), "refuse")
    with pikepdf.open(whole) as pdf:
        pdf.save(folder / "locked.pdf", encryption=pikepdf.Encryption(user="u", owner="o"))
        pdf.save(folder / "owner-only.pdf", encryption=pikepdf.Encryption(user="", owner="o"))
    cases.append(("password.pdf", folder / "locked.pdf", "refuse"))
    cases.append(("owner-password-only.pdf", folder / "owner-only.pdf", "ok"))
    empty = pikepdf.new()
    empty.save(folder / "no-pages.pdf")
    cases.append(("no-pages.pdf", folder / "no-pages.pdf", "refuse"))
    page = noisy_page((400, 560))
    jpeg, png = io.BytesIO(), io.BytesIO()
    page.save(jpeg, "JPEG", quality=80)
    page.save(png, "PNG")
    put("scan.jpg", jpeg.getvalue(), "ok")
    put("scan.png", png.getvalue(), "ok")
    put("pdf-named.jpg", data, "ok")
    put("jpeg-named.pdf", jpeg.getvalue(), "ok")
    put("cut.jpg", jpeg.getvalue()[: len(jpeg.getvalue()) // 2], "ok|refuse")
    put("cut.png", png.getvalue()[: len(png.getvalue()) // 2], "refuse")
    put("empty.jpg", b"", "refuse")
    bad_crc = bytearray(png.getvalue())
    bad_crc[40] ^= 0xFF
    put("bad-crc.png", bytes(bad_crc), "ok|refuse")
    header = bytearray(png.getvalue()[:33])
    header[16:24] = (60000).to_bytes(4, "big") * 2  # claims 3.6 gigapixels
    put("bomb-header.png", bytes(header) + png.getvalue()[33:], "refuse")
    variants: dict[str, tuple[Image.Image, str, dict[str, Any]]] = {
        "cmyk.jpg": (page.convert("CMYK"), "JPEG", {}),
        "progressive.jpg": (page.convert("RGB"), "JPEG", {"progressive": True}),
        "alpha.png": (page.convert("RGBA"), "PNG", {}),
        "palette.png": (page.convert("P"), "PNG", {}),
        "16bit.png": (page.convert("I;16"), "PNG", {}),
        "one-pixel.png": (Image.new("L", (1, 1), 255), "PNG", {}),
        "g4.tif": (page.convert("1"), "TIFF", {"compression": "group4"}),
        "lzw.tif": (page.convert("RGB"), "TIFF", {"compression": "tiff_lzw"}),
        "gif-named.png": (page.convert("P"), "GIF", {}),
        "webp-named.jpg": (page.convert("RGB"), "WEBP", {}),
    }
    for name, (image, kind, options) in variants.items():
        buffer = io.BytesIO()
        image.save(buffer, kind, **options)
        odd_kind = name.startswith(("gif", "webp"))
        put(name, buffer.getvalue(), "refuse" if odd_kind else "ok")
    pages = io.BytesIO()
    page.save(pages, "TIFF", save_all=True, append_images=[page, page])
    put("three-pages.tif", pages.getvalue(), "ok")
    put("not-a-zip.docx", b"PK\x03\x04 not really", "refuse")
    return cases


def part_odd_files(tmp: Path, args: argparse.Namespace) -> Result:
    """Each file read as the attachments page, `check` and the package read it: a sound
    file is usable, a damaged one that could be read is marked as repaired (pages
    recovered, to confirm), anything else refused with a message that names no temp path
    and cuts no library error off; never a traceback, never a damaged file as sound."""
    from forms.package.attachments import inspect_file

    result = Result()
    refused_texts = []
    for name, path, expect in _odd_files(tmp / "odd"):
        try:
            info = inspect_file(path)
        except Exception as exc:
            result.case(False, 1, f"{name}: {exc!r}")
            continue
        if info.problem is not None:
            verdict = "refuse"
            texts = [info.problem.message(lang) for lang in ("zh", "en")]
            refused_texts.append(texts[1])
            tidy = all(t and str(tmp) not in t and "Traceback" not in t for t in texts)
        else:
            verdict = "repair" if info.repair is not None else "ok"
            tidy = info.pages > 0
        passed_as_sound = verdict == "ok" and "ok" not in expect
        result.case(verdict in expect.split("|") and tidy, int(passed_as_sound), f"{name}: {verdict} ({expect})")  # fmt: skip
    return result


# -- 11. many drafts ----------------------------------------------------------------------


def part_many_drafts(tmp: Path, args: argparse.Namespace) -> Result:
    """`shenbao check ID1 … IDn` in one process over a workspace of `--drafts` drafts:
    linear in n, all of them in under 10 s."""
    from bench.check_bench import PASSPHRASE as BENCH_PASSPHRASE
    from bench.check_bench import build

    result = Result()
    home = tmp / "home"
    ids = build(tmp / "ws", args.drafts, home)
    env = {**os.environ, "SHENBAO_HOME": str(home), "SHENBAO_PASSPHRASE": BENCH_PASSPHRASE}
    timings = []
    for n in (len(ids) // 4, len(ids)):
        argv = [sys.executable, "-m", "desktop.cli.main", "check", *ids[:n]]
        argv += ["--workspace", str(tmp / "ws"), "--date", "2025-09-10", "--json"]
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        timings.append((n, elapsed))
        checked = len(json.loads(done.stdout)) if done.returncode in (0, 1) else 0
        result.tried += n
        result.handled += checked
    (n1, t1), (n2, t2) = timings
    result.notes.append(
        f"check of {n1} ids {t1:.2f} s ({t1 / n1 * 1000:.2f} ms each), "
        f"of {n2} ids {t2:.2f} s ({t2 / n2 * 1000:.2f} ms each)"
    )
    if t2 >= 10:
        result.lost += 1
        result.notes.append("over the 10 s target")
    return result


PARTS: dict[str, Callable[[Path, argparse.Namespace], Result]] = {
    "kill-save": part_kill_save,
    "kill-package": part_kill_package,
    "full-disk": part_full_disk,
    "damaged-drafts": part_damaged_drafts,
    "locks": part_locks,
    "two-writers": part_two_writers_fast,
    "two-writers-5ms": part_two_writers_slow,
    "two-writers-same-field": part_two_writers_same,
    "two-creators": part_two_creators,
    "sync": part_sync,
    "bundles": part_bundles,
    "odd-files": part_odd_files,
    "many-drafts": part_many_drafts,
}


# -- child processes ----------------------------------------------------------------------


def _child(argv: list[str]) -> int:
    from forms.draft.model import Draft
    from forms.workspace import ConcurrentWriteError, DraftLockedError, SaveConflictError

    command = argv[0]
    if command == "_cli":
        from desktop.cli.main import main

        return main(argv[1:])
    ws = open_workspace(Path(argv[1]))
    if command == "_hold":
        with ws.lock(argv[2]):
            print("locked", flush=True)
            sys.stdin.readline()
        return 0
    if command == "_create":
        draft_id, name, code, start = argv[2], argv[3], argv[4], float(argv[5])
        draft = example_draft(draft_id)
        draft.company.name, draft.company.credit_code = name, code
        time.sleep(max(0.0, start - time.time()))
        ws.save_draft(draft)
        return 0
    if command == "_save":
        draft_id, name, tag = argv[2], argv[3], argv[4]
        count, pause, start = int(argv[5]), float(argv[6]), float(argv[7])
        time.sleep(max(0.0, start - time.time()))
        for n in range(1, count + 1):
            while True:
                record = ws.record(draft_id)
                draft = Draft.model_validate(record.draft)
                if pause:
                    time.sleep(pause)
                setattr(draft.project, name, f"{tag} {n}")
                try:
                    saved = ws.save_draft(draft, base=record.version)
                except SaveConflictError:
                    print(f"refused {n} {record.version} 0", flush=True)
                    break
                except (ConcurrentWriteError, DraftLockedError):
                    continue  # the other is writing this very moment: load again
                print(f"ok {n} {record.version} {saved.version}", flush=True)
                break
        return 0
    raise SystemExit(f"unknown command {command!r}")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        return _child(sys.argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=120, help="SIGKILLs of a saving writer")
    parser.add_argument("--package-kills", type=int, default=10)
    parser.add_argument("--saves", type=int, default=120, help="saves of each of two writers")
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--only", help="comma-separated parts: " + ",".join(PARTS))
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(PARTS)
    failed = False
    with tempfile.TemporaryDirectory(prefix="shenbao-faults-") as tmp:
        os.environ.update(
            SHENBAO_HOME=str(Path(tmp) / "home"),
            SHENBAO_PASSPHRASE=PASSPHRASE,
            SHENBAO_BUNDLE_PASSPHRASE=PASSPHRASE,
        )
        from forms.workspace import crypto

        crypto.SCRYPT_N = 2**10  # stored in every file: the children use it too
        print(f"{'part':<24} {'tried':>6} {'handled':>8} {'lost':>5}  notes")
        for name in chosen:
            folder = Path(tmp) / name
            folder.mkdir()
            started = time.perf_counter()
            result = PARTS[name](folder, args)
            seconds = time.perf_counter() - started
            if result.skipped:
                print(f"{name:<24} {'-':>6} {'-':>8} {'-':>5}  skipped: {result.skipped}")
                continue
            failed |= result.lost > 0 or result.handled < result.tried
            notes = "; ".join(result.notes[:4])
            print(
                f"{name:<24} {result.tried:>6} {result.handled:>8} {result.lost:>5}  "
                f"{seconds:.0f} s; {notes}",
                flush=True,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
