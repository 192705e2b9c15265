"""Fault script (issue 13): the workspace and the document tools tried the way trusted
storage is tried. One summary line per part: tried / handled / lost.

Run: python bench/faults.py [--kills 120] [--saves 120] [--drafts 2000] [--quick]

Parts:
  kill loop      a writer saving three drafts round-robin, killed with SIGKILL at random
                 moments; after each kill every save it reported must be there, whole
                 (lost = a reported save missing or unreadable).
  full disk      the six write paths of the command line on a 2 MB tmpfs filled up
                 (root only; skipped with a message otherwise): handled = exit 2, a
                 message naming the folder and the space, nothing changed, no temp file.
  two writers    two processes saving one draft without the edit lock, no pause between
                 load and save, each changing its own field (lost = a later version
                 undoing a reported save's change).
  one client     two processes creating a draft for the same new company at once
                 (lost = a second client for one credit code).
  sync merge     two copies of a workspace edited apart and merged by rsync both ways
                 (lost = a version saved in one copy missing from the merged ones).
  damaged drafts one draft's newest file byte-flipped, truncated, emptied or swapped:
                 handled = every other draft listed, shown and checked, and the damaged
                 one reported with its last good version.
  bundles        hostile bundles (zip slip, absolute paths, bombs, tampering, foreign
                 paths in a draft): handled = refused, or imported without reading a file
                 outside the workspace; lost = anything written by a refused import.
  odd files      odd PDFs and images as attachments: handled = a clear message, or read
                 with its repair reported; lost = a traceback, or a damaged PDF passed as
                 whole.
  many drafts    `shenbao check` of n of 2,000 drafts in a fresh process (seconds).

Scrypt runs at a low cost in the throw-away workspaces (the cost is stored in each
workspace, so child processes use it too); everything else is as shipped.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "fault script passphrase, not a secret"
EXAMPLE = ROOT / "examples" / "drafts" / "content-creation.json"


def line(part: str, tried: int, handled: int, lost: int, note: str = "") -> None:
    print(f"{part:<15} tried {tried:>4} / handled {handled:>4} / lost {lost:>3}  {note}".rstrip())
    sys.stdout.flush()


def _cheap_scrypt() -> None:
    from forms.workspace import crypto

    crypto.SCRYPT_N = 2**10


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SHENBAO_HOME": str(home),
        "SHENBAO_PASSPHRASE": PASSPHRASE,
        "PYTHONPATH": str(ROOT),
    }


def _cli(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", *argv, "--lang", "en"],
        cwd=ROOT,
        env=_env(home),
        capture_output=True,
        text=True,
        check=False,
    )


def _child(*argv: str, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(Path(__file__)), "--child", *argv],
        cwd=ROOT,
        env=_env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _example(draft_id: str | None = None) -> object:
    from forms.draft.io import load_draft

    draft = load_draft(EXAMPLE)
    if draft_id:
        draft.id = draft_id
    return draft


# -- children ------------------------------------------------------------------------------


def child_writer(folder: Path) -> None:
    """Save three drafts round-robin forever, printing each completed save."""
    from forms.workspace import DraftLockedError, Passphrase, Workspace

    ws = Workspace.open(folder, Passphrase(PASSPHRASE))
    drafts = [ws.load_draft(f"kill-{n}") for n in range(3)]
    for draft in drafts:
        try:
            ws.lock(draft.id)
        except DraftLockedError as exc:
            if not exc.stale:
                raise
            ws.lock(draft.id, force=True)  # what a killed predecessor left
    print("ready", flush=True)
    while True:
        for draft in drafts:
            draft.project.summary = f"save {ws.record(draft.id).version + 1}"
            saved = ws.save_draft(draft, author="writer")
            print(f"{draft.id} {saved.version}", flush=True)


def child_editor(folder: Path, field: str, rounds: int) -> None:
    """Load, change one's own field, save at once, `rounds` times; no edit lock held."""
    from forms.workspace import ConcurrentWriteError, DraftLockedError, Passphrase, Workspace

    ws = Workspace.open(folder, Passphrase(PASSPHRASE))
    for n in range(1, rounds + 1):
        while True:
            draft = ws.load_draft("shared")
            if field == "summary":
                draft.project.summary = f"summary {n}"
            else:
                draft.project.name = f"name {n}"
            try:
                saved = ws.save_draft(draft)
            except (ConcurrentWriteError, DraftLockedError) as exc:
                if "both changed" in exc.message("en"):
                    print(f"refused {n}", flush=True)
                    break
                continue  # the other one is writing this very moment: load again
            print(f"saved {n} {saved.version} {len(saved.merged)}", flush=True)
            break


def child_creator(folder: Path, draft_id: str, code: str, go: float) -> None:
    from forms.workspace import Passphrase, Workspace

    ws = Workspace.open(folder, Passphrase(PASSPHRASE))
    draft = _example(draft_id)
    draft.company.credit_code = code  # type: ignore[attr-defined]
    draft.company.name = f"新公司 {code}"  # type: ignore[attr-defined]
    while time.time() < go:
        time.sleep(0.0005)
    ws.save_draft(draft)  # type: ignore[arg-type]
    print("saved", flush=True)


# -- parts ---------------------------------------------------------------------------------


def part_kill_loop(tmp: Path, kills: int) -> None:
    from forms.workspace import Passphrase, Workspace

    folder, home = tmp / "kill", tmp / "kill-home"
    ws = Workspace.create(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
    completed: dict[str, int] = {}
    for n in range(3):
        draft = _example(f"kill-{n}")
        draft.project.summary = "save 1"  # type: ignore[attr-defined]
        ws.save_draft(draft)  # type: ignore[arg-type]
        completed[f"kill-{n}"] = 1
    rng = random.Random(13)
    lost = handled = 0
    for _ in range(kills):
        writer = _child("writer", str(folder), home=home)
        assert writer.stdout is not None and writer.stderr is not None
        if writer.stdout.readline() != "ready\n":
            raise SystemExit(writer.stderr.read())
        time.sleep(rng.uniform(0.0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        for row in writer.stdout.read().splitlines():
            name, number = row.split()
            completed[name] = int(number)
        writer.stdout.close()
        writer.stderr.close()
        fresh = Workspace.open(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
        ok = True
        for draft_id, version in completed.items():
            try:
                latest = fresh.record(draft_id).version
                whole = fresh.load_draft(draft_id).project.summary == f"save {latest}"
            except Exception:
                latest, whole = -1, False
            if latest < version or not whole:
                ok = False
            completed[draft_id] = max(version, latest)
        handled += ok
        lost += not ok
    saves = sum(completed.values()) - 3
    line("kill loop", kills, handled, lost, f"{saves} saves completed between the kills")


@contextlib.contextmanager
def _tmpfs(where: Path) -> Iterator[Path | None]:
    if os.name == "nt" or os.geteuid() != 0 or shutil.which("mount") is None:
        yield None
        return
    where.mkdir(parents=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        yield None
        return
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def part_full_disk(tmp: Path) -> None:
    home = tmp / "disk-home"
    with _tmpfs(tmp / "disk") as disk:
        if disk is None:
            line("full disk", 0, 0, 0, "skipped: a small tmpfs needs root (run as root)")
            return
        ws = disk / "ws"
        _cli(home, "workspace", "init", "--workspace", str(ws))
        _cli(home, "draft", "add", str(EXAMPLE), "--workspace", str(ws))
        bundle = tmp / "disk.shenbao"
        _cli(
            home,
            "export",
            "--draft",
            "demo",
            "--out",
            str(bundle),
            "--plain",
            "--workspace",
            str(ws),
        )
        changed = tmp / "disk-changed.json"
        changed.write_text(
            EXAMPLE.read_text("utf-8").replace('"staff": 86', '"staff": 87'), "utf-8"
        )
        with contextlib.suppress(OSError), (disk / "filler").open("ab", buffering=0) as handle:
            while True:
                handle.write(b"\0" * 4096)
        before = _snapshot(ws)
        paths: list[tuple[str, Path, list[str]]] = [
            ("init", disk / "second", ["workspace", "init", "--workspace", str(disk / "second")]),
            ("draft add", ws, ["draft", "add", str(changed), "--workspace", str(ws)]),
            ("import", ws, ["import", str(bundle), "--workspace", str(ws)]),
            (
                "export",
                disk,
                [
                    "export",
                    "--draft",
                    "demo",
                    "--plain",
                    "--out",
                    str(disk / "b"),
                    "--workspace",
                    str(ws),
                ],
            ),
            (
                "render",
                disk,
                ["render", "demo", "--out", str(disk / "f.pdf"), "--workspace", str(ws)],
            ),
            (
                "package",
                disk / "p",
                [
                    "package",
                    "demo",
                    "--out",
                    str(disk / "p"),
                    "--quiet",
                    "--force",
                    "--workspace",
                    str(ws),
                ],
            ),
        ]
        handled = lost = 0
        notes = []
        for name, folder, argv in paths:
            done = _cli(home, *argv)
            ok = (
                done.returncode == 2
                and f"{folder}: the disk is full: writing needs about" in done.stderr
                and "Traceback" not in done.stderr
            )
            handled += ok
            if not ok:
                notes.append(f"{name}: exit {done.returncode}")
        if _snapshot(ws) != before or [p for p in disk.rglob(".tmp-*")]:
            lost += 1
        (disk / "filler").unlink()
        again = _cli(home, "draft", "add", str(changed), "--workspace", str(ws))
        if again.returncode != 0:
            notes.append("a write failed after space was freed")
            lost += 1
        line("full disk", len(paths), handled, lost, "; ".join(notes) or "six write paths, exit 2")


def part_two_writers(tmp: Path, saves: int) -> None:
    from forms.workspace import Passphrase, Workspace

    folder, home = tmp / "two", tmp / "two-home"
    ws = Workspace.create(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
    ws.save_draft(_example("shared"))  # type: ignore[arg-type]
    children = [
        _child("editor", str(folder), field, str(saves), home=home) for field in ("summary", "name")
    ]
    outputs = []
    for child in children:
        out, err = child.communicate()
        if child.returncode != 0:
            raise SystemExit(err)
        outputs.append(out.splitlines())
    reported = sum(1 for rows in outputs for r in rows if r.startswith("saved"))
    merged = sum(
        1 for rows in outputs for r in rows if r.startswith("saved") and r.split()[3] != "0"
    )
    refused = sum(1 for rows in outputs for r in rows if r.startswith("refused"))
    fresh = Workspace.open(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
    last = {"summary": 0, "name": 0}
    undone = 0
    for version in fresh.history("shared")[1:]:
        project = fresh.record("shared", version.key).draft["project"]
        seen = {
            "summary": int(project["summary"].split()[-1])
            if project["summary"].startswith("summary")
            else 0,
            "name": int(project["name"].split()[-1]) if project["name"].startswith("name") else 0,
        }
        for key in last:
            if seen[key] < last[key]:
                undone += 1
            last[key] = max(last[key], seen[key])
    lost = undone + (last != {"summary": saves, "name": saves})
    line(
        "two writers",
        2 * saves,
        reported,
        lost,
        f"{merged} saves merged with the other's, {refused} refused, no lock held",
    )


def part_one_client(tmp: Path, rounds: int = 8) -> None:
    from forms.workspace import Passphrase, Workspace
    from validators.credit_code import complete_code

    folder, home = tmp / "clients", tmp / "clients-home"
    Workspace.create(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
    for n in range(rounds):
        code = complete_code(f"91310115{n:08d}")
        go = time.time() + 1.5
        pair = [
            _child("creator", str(folder), f"c{n}-{k}", code, str(go), home=home) for k in range(2)
        ]
        for child in pair:
            child.communicate()
    ws = Workspace.open(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
    codes = [c.credit_code for c in ws.clients()]
    doubles = len(codes) - len(set(codes))
    line(
        "one client",
        rounds,
        rounds - doubles,
        doubles,
        f"{len(codes)} clients for {rounds} companies",
    )


def _rsync(source: Path, target: Path) -> None:
    subprocess.run(["rsync", "-a", f"{source}/", f"{target}/"], check=True)


def part_sync(tmp: Path, drafts: int = 10) -> None:
    from forms.workspace import Passphrase, Workspace

    if shutil.which("rsync") is None:
        line("sync merge", 0, 0, 0, "skipped: rsync is not installed")
        return
    office = tmp / "office"
    ws = Workspace.create(office, Passphrase(PASSPHRASE), cache_dir=tmp / "office-cache")
    for n in range(drafts):
        ws.save_draft(_example(f"sync-{n}"))  # type: ignore[arg-type]
    laptop = tmp / "laptop"
    shutil.copytree(office, laptop)
    saved: list[tuple[str, str]] = []
    for where, cache in ((office, "office-cache"), (laptop, "laptop-cache")):
        copy = Workspace.open(where, Passphrase(PASSPHRASE), cache_dir=tmp / cache)
        for n in range(drafts):
            if where == laptop and n % 2:  # odd drafts: edited on both, even: only here
                continue
            draft = copy.load_draft(f"sync-{n}")
            draft.title = f"{where.name} {n}"
            copy.save_draft(draft)
            saved.append((f"sync-{n}", draft.title))
    _rsync(office, laptop)
    _rsync(laptop, office)
    lost = 0
    conflicts = 0
    for where, cache in ((office, "office-cache"), (laptop, "laptop-cache")):
        copy = Workspace.open(where, Passphrase(PASSPHRASE), cache_dir=tmp / cache)
        listed = {d.id: d for d in copy.drafts()}
        for draft_id, title in saved:
            titles = {copy.record(draft_id, v.key).draft["title"] for v in copy.history(draft_id)}
            lost += title not in titles
        conflicts += sum(1 for d in listed.values() if d.conflict)
    kept = len(saved) - lost // 2
    line(
        "sync merge",
        len(saved),
        kept,
        lost,
        f"rsync both ways; {conflicts // 2} drafts shown as conflicts (edited on both laptops)",
    )


def part_damaged_drafts(tmp: Path) -> None:
    from forms.workspace import Passphrase, Workspace

    kinds: dict[str, Callable[[Path, Path], object]] = {
        "byte-flipped": lambda p, o: p.write_bytes(
            bytes([*p.read_bytes()[:60], p.read_bytes()[60] ^ 1, *p.read_bytes()[61:]])
        ),
        "truncated": lambda p, o: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
        "emptied": lambda p, o: p.write_bytes(b""),
        "swapped": lambda p, o: p.write_bytes(o.read_bytes()),
    }
    handled = 0
    notes = []
    for kind, damage in kinds.items():
        folder, home = tmp / f"damaged-{kind}", tmp / f"damaged-{kind}-home"
        ws = Workspace.create(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
        for name in ("a", "b", "c"):
            ws.save_draft(_example(f"d-{name}"))  # type: ignore[arg-type]
        draft = ws.load_draft("d-a")
        draft.title = "second"
        ws.save_draft(draft)
        newest = sorted((folder / "drafts" / ws._name("draft", "d-a")).glob("v*.enc"))[-1]
        other = next((folder / "drafts" / ws._name("draft", "d-b")).glob("v*.enc"))
        damage(newest, other)
        where = ("--workspace", str(folder))
        listed = _cli(home, "drafts", *where)
        shown = _cli(home, "draft", "show", "d-b", *where)
        checked = _cli(home, "check", "d-b", "d-c", *where, "--date", "2025-09-10")
        damaged = _cli(home, "draft", "show", "d-a", *where)
        ok = (
            listed.returncode == 0
            and "d-b" in listed.stdout
            and "version 2 damaged" in listed.stdout
            and shown.returncode == 0
            and checked.returncode in (0, 1)
            and damaged.returncode == 2
            and "draft restore d-a 1" in damaged.stderr
        )
        handled += ok
        if not ok:
            notes.append(kind)
    line(
        "damaged drafts",
        len(kinds),
        handled,
        len(kinds) - handled,
        ", ".join(notes) or "flip, cut, empty, swap",
    )


def _rewrite(
    bundle: Path, out: Path, change: Callable[[str, bytes], list[tuple[str, bytes]]]
) -> Path:
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            for name, data in change(info.filename, src.read(info)):
                dst.writestr(name, data)
    return out


def part_bundles(tmp: Path) -> None:
    from forms.draft.model import Attachment
    from forms.workspace import (
        BundleRejectedError,
        Passphrase,
        Workspace,
        export_bundle,
        import_bundle,
    )

    source = Workspace.create(tmp / "b-source", Passphrase(PASSPHRASE), cache_dir=tmp / "b-cache")
    source.save_draft(_example())  # type: ignore[arg-type]
    bundle = export_bundle(source, tmp / "good.shenbao", draft_ids=["demo-content-creation-xingyu"])

    def add(name: str, data: bytes) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
        return lambda n, d: [(n, d), (name, data)] if n == "manifest.json" else [(n, d)]

    def manifest(**fields: object) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
        def change(n: str, d: bytes) -> list[tuple[str, bytes]]:
            if n != "manifest.json":
                return [(n, d)]
            return [(n, json.dumps({**json.loads(d), **fields}).encode())]

        return change

    def flip(member: str) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
        return lambda n, d: (
            [(n, d[:-5] + bytes([d[-5] ^ 64]) + d[-4:])] if n == member else [(n, d)]
        )

    hostile = {
        "zip slip": add("../../evil.enc", b"x"),
        "zip slip inside": add("m/../../evil.enc", b"x"),
        "absolute path": add("/etc/cron.d/evil", b"x"),
        "drive path": add("C:/evil.enc", b"x"),
        "backslash": add("m\\..\\evil.enc", b"x"),
        "unexpected member": add("README.txt", b"x"),
        "extra member": add("m/999999.enc", b"SHB1" + b"0" * 40),
        "bomb": add("m/000009.enc", b"\0" * (300 * 1024 * 1024)),
        "newer version": manifest(bundle_version=99),
        "not a bundle": manifest(format="else"),
        "unknown protection": manifest(protection="rot13"),
        "scrypt cost": manifest(
            protection="passphrase",
            kdf={"kdf": "scrypt", "salt": "AAAA", "n": 2**30, "r": 8, "p": 1},
            wrapped_key="AAAA",
        ),
        "tampered contents": flip("contents.enc"),
        "tampered draft": flip("m/000001.enc"),
    }
    target = Workspace.create(tmp / "b-target", Passphrase(PASSPHRASE), cache_dir=tmp / "b-cache2")
    refused = lost = 0
    for name, change in hostile.items():
        path = _rewrite(bundle, tmp / f"hostile-{len(name)}-{refused}.shenbao", change)
        before = _snapshot(target.folder)
        try:
            import_bundle(target, path)
        except BundleRejectedError:
            refused += 1
        lost += _snapshot(target.folder) != before
        path.unlink()
    # A draft whose attachment names a file on the importer's disk, without a hash.
    secret = tmp / "importers-secret.pdf"
    secret.write_bytes(b"%PDF-1.4 importer's own file\n%%EOF\n")
    foreign = _example("foreign")
    foreign.attachments = [Attachment(item="ip_certificates", file=str(secret))]  # type: ignore[attr-defined]
    source.save_draft(foreign)  # type: ignore[arg-type]
    gift = export_bundle(source, tmp / "gift.shenbao", draft_ids=["foreign"])
    import_bundle(target, gift)
    home = tmp / "b-home"
    target.close()
    out = tmp / "b-package"
    _cli(
        home,
        "package",
        "foreign",
        "--workspace",
        str(target.folder),
        "--out",
        str(out),
        "--force",
        "--quiet",
    )
    leaked = any(b"importer's own file" in p.read_bytes() for p in out.rglob("*.pdf"))
    lost += leaked
    tried = len(hostile) + 1
    line(
        "bundles",
        tried,
        refused + (not leaked),
        lost,
        f"{refused} refused, 1 foreign path not read",
    )


def _odd_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, what must happen): "refused", "repaired" or "read"."""
    import pikepdf
    import pypdf
    from PIL import Image

    from forms.package.attachments import add_image_page

    folder.mkdir()
    files: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes, expect: str) -> None:
        path = folder / name
        path.write_bytes(data)
        files[name] = (path, expect)

    page = Image.new("L", (620, 877), 240)
    pdf = pikepdf.new()
    for _ in range(8):
        buffer = io.BytesIO()
        page.save(buffer, "JPEG", quality=80)
        add_image_page(pdf, page, buffer.getvalue(), (75, 75))
    whole_buffer = io.BytesIO()
    pdf.save(whole_buffer)
    whole = whole_buffer.getvalue()
    rewritten = io.BytesIO()
    pypdf.PdfWriter(clone_from=io.BytesIO(whole)).write(rewritten)
    layout = rewritten.getvalue()
    put("whole.pdf", whole, "read")
    import re

    from forms.package.attachments import AttachmentError, read_pdf

    starts = [m.start() for m in re.finditer(rb"(?<![0-9])\d+ 0 obj", layout)]
    probe = folder / "probe.pdf"
    half = 0
    for start in sorted(starts, key=lambda s: abs(s - len(layout) // 2)):
        probe.write_bytes(layout[:start])
        with contextlib.suppress(AttachmentError):
            opened, repair = read_pdf(probe)
            opened.close()
            if repair is not None:
                half = start  # a cut between two pages: every page left is whole
                break
    probe.unlink()
    put("cut-at-half-between-pages.pdf", layout[:half], "repaired")
    put("cut-mid-page.pdf", layout[: half + 300], "refused")
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        put(
            f"cut-{int(fraction * 100)}pct-qpdf-layout.pdf",
            whole[: int(len(whole) * fraction)],
            "refused-or-repaired",
        )
    put("no-startxref.pdf", whole.replace(b"startxref", b"startxreF"), "repaired")
    put("empty.pdf", b"", "refused")
    put("header-only.pdf", b"%PDF-1.7\n", "refused")
    put("garbage.pdf", b"%PDF-1.4\n" + os.urandom(5000), "refused")
    put("text-named-pdf.pdf", b"just some notes\n" * 50, "refused")
    put("html-download.pdf", b"<html><body>404 Not Found</body></html>", "refused")
    locked = io.BytesIO()
    pikepdf.open(io.BytesIO(whole)).save(locked, encryption=pikepdf.Encryption(user="u", owner="o"))
    put("password.pdf", locked.getvalue(), "refused")
    owner_only = io.BytesIO()
    pikepdf.open(io.BytesIO(whole)).save(
        owner_only, encryption=pikepdf.Encryption(user="", owner="o")
    )
    put("owner-password-only.pdf", owner_only.getvalue(), "read")
    xref = layout.rindex(b"\nxref")
    flipped = bytearray(layout)
    for k in range(20, 200, 7):
        flipped[xref + k] ^= 0x11
    put("xref-bytes-flipped.pdf", bytes(flipped), "refused-or-repaired")
    noisy = bytearray(whole)
    for k in range(50):  # inside a scan's JPEG data: no PDF reader can tell
        noisy[len(noisy) // 3 + k * 97] ^= 0xFF
    put("image-bytes-flipped.pdf", bytes(noisy), "read")
    png = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(png, "PNG")
    put("image.png", png.getvalue(), "read")
    put("png-cut.png", png.getvalue()[:200], "refused")
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(jpeg, "JPEG")
    put("photo.jpg", jpeg.getvalue(), "read")
    put("jpeg-cut.jpg", jpeg.getvalue()[: len(jpeg.getvalue()) // 3], "refused-or-read")
    put("png-named-pdf.pdf", png.getvalue(), "read")
    put("zip-named-docx.docx", b"PK\x03\x04" + b"\0" * 100, "refused")
    sample = Path(os.environ.get("SHENBAO_SAMPLE_017", "/work/.mirror/none"))
    if sample.is_file():
        files["py-pdf sample 017"] = (sample, "repaired")
    return files


def part_odd_files(tmp: Path) -> None:
    from forms.package.attachments import AttachmentError, inspect_file, load_source

    files = _odd_files(tmp / "odd")
    handled = lost = repaired = 0
    notes = []
    for name, (path, expect) in files.items():
        try:
            info = inspect_file(path)
            pdf, _kind, repair = load_source(path) if info.problem is None else (None, None, None)
            if pdf is not None:
                pdf.close()
        except AttachmentError:
            info, repair = None, None
        except Exception as exc:  # a traceback would reach the user
            lost += 1
            notes.append(f"{name}: {type(exc).__name__}")
            continue
        refused = info is None or info.problem is not None
        message = info.problem.message("en") if info is not None and info.problem else ""
        if refused and (str(tmp) in message or "Traceback" in message):
            lost += 1
            notes.append(f"{name}: message shows a path")
            continue
        outcome = "refused" if refused else "repaired" if repair is not None else "read"
        repaired += outcome == "repaired"
        ok = outcome in expect.split("-or-") or (
            expect == "refused-or-repaired" and outcome != "read"
        )
        if expect in ("repaired", "refused-or-repaired") and outcome == "read":
            lost += 1  # a damaged PDF passed as whole
            notes.append(f"{name}: passed as whole")
        elif ok:
            handled += 1
        else:
            notes.append(f"{name}: {outcome}, expected {expect}")
    refusals = sum(1 for p, e in files.values() if e == "refused")
    note = "; ".join(notes) or (
        f"{repaired} read after repair and reported with the pages recovered, "
        f"the rest refused with a message or read as whole ({refusals} must be refused)"
    )
    line("odd files", len(files), handled, lost, note)


def part_many_drafts(tmp: Path, count: int) -> None:
    from forms.workspace import Passphrase, Workspace
    from validators.credit_code import complete_code

    folder, home = tmp / "many", tmp / "many-home"
    ws = Workspace.create(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
    template = _example()
    ids = []
    for n in range(count):
        draft = template.model_copy(deep=True)  # type: ignore[attr-defined]
        draft.id = f"many-{n:05d}"
        draft.company.credit_code = complete_code(f"9131011{n // 4:09d}")
        draft.company.name = f"公司{n // 4}"
        ws.save_draft(draft)
        ids.append(draft.id)
    timings = []
    for n in sorted({count // 8, count // 2, count}):
        start = time.perf_counter()
        done = _cli(
            home, "check", *ids[:n], "--workspace", str(folder), "--date", "2025-09-10", "--json"
        )
        elapsed = time.perf_counter() - start
        assert done.returncode in (0, 1), done.stderr
        assert len(json.loads(done.stdout)) == n
        timings.append(f"{n}: {elapsed:.1f} s ({elapsed / n * 1000:.1f} ms/draft)")
    line("many drafts", count, count, 0, "check " + ", ".join(timings))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=120)
    parser.add_argument("--saves", type=int, default=120)
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="fewer kills, saves and drafts")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        command, *rest = args.child
        if command == "writer":
            child_writer(Path(rest[0]))
        elif command == "editor":
            child_editor(Path(rest[0]), rest[1], int(rest[2]))
        elif command == "creator":
            child_creator(Path(rest[0]), rest[1], rest[2], float(rest[3]))
        os._exit(0)
    if args.quick:
        args.kills, args.saves, args.drafts = 12, 20, 200
    _cheap_scrypt()
    with tempfile.TemporaryDirectory(prefix="shenbao-faults-") as scratch:
        tmp = Path(scratch)
        os.environ["SHENBAO_HOME"] = str(tmp / "home")
        part_kill_loop(tmp, args.kills)
        part_full_disk(tmp)
        part_two_writers(tmp, args.saves)
        part_one_client(tmp)
        part_sync(tmp)
        part_damaged_drafts(tmp)
        part_bundles(tmp)
        part_odd_files(tmp)
        part_many_drafts(tmp, args.drafts)


if __name__ == "__main__":
    main()
