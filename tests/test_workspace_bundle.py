"""Export and import bundles; every hostile bundle is refused and writes nothing."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from forms.workspace import (
    BundleLimits,
    BundleRejectedError,
    Passphrase,
    Workspace,
    export_bundle,
    import_bundle,
)
from forms.workspace.bundle import BUNDLE_VERSION
from tests.workspace_helpers import (
    PASSPHRASE,
    all_files,
    example_draft,
    fast_scrypt,
    new_workspace,
)


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_scrypt(monkeypatch)


@pytest.fixture
def source(tmp_path: Path) -> Workspace:
    ws = new_workspace(tmp_path / "source")
    draft = example_draft()
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(b"%PDF licence " * 50)
    ws.put_attachment(licence)
    draft.attachments[0].sha256 = hashlib.sha256(licence.read_bytes()).hexdigest()
    ws.save_draft(draft)
    second = example_draft()
    second.id = "second"
    second.title = "第二份"
    ws.save_draft(second)
    return ws


@pytest.fixture
def target(tmp_path: Path) -> Workspace:
    ws = new_workspace(tmp_path / "target")
    ws.save_draft(example_draft().model_copy(update={"id": "already-here"}))
    return ws


@pytest.fixture
def bundle(source: Workspace, tmp_path: Path) -> Path:
    client = source.clients()[0].id
    return export_bundle(source, tmp_path / "client.shenbao", client_id=client, passphrase="pw")


def test_client_bundle_round_trip_with_attachments(
    source: Workspace, target: Workspace, bundle: Path
) -> None:
    result = import_bundle(target, bundle, passphrase="pw")
    assert sorted(result.drafts) == ["demo-content-creation-xingyu", "second"]
    assert result.attachments == 1 and result.kind == "client"
    original = source.load_draft("demo-content-creation-xingyu")
    imported = target.load_draft("demo-content-creation-xingyu")
    assert imported.model_dump(exclude={"updated"}) == original.model_dump(exclude={"updated"})
    sha = imported.attachments[0].sha256
    assert sha is not None
    assert target.read_attachment(target.blob_id(sha)) == b"%PDF licence " * 50
    actions = [e.action for e in source.audit("second")]
    assert actions[-1] == "export"
    assert [e.action for e in target.audit("second")] == ["import", "import"]


def test_reimport_adds_a_version_on_top(
    source: Workspace, target: Workspace, tmp_path: Path
) -> None:
    first = export_bundle(source, tmp_path / "one.shenbao", draft_ids=["second"], passphrase=None)
    import_bundle(target, first)
    draft = source.load_draft("second")
    draft.title = "客户改过"
    source.save_draft(draft)
    again = export_bundle(source, tmp_path / "two.shenbao", draft_ids=["second"])
    result = import_bundle(target, again)
    assert result.new_versions == 1
    assert [v.action for v in target.history("second")] == ["import", "import"]
    assert target.load_draft("second").title == "客户改过"


def test_plain_bundle_needs_no_passphrase_but_protected_one_does(
    source: Workspace, target: Workspace, bundle: Path
) -> None:
    before = all_files(target.folder)
    with pytest.raises(BundleRejectedError, match="needs its passphrase"):
        import_bundle(target, bundle)
    with pytest.raises(BundleRejectedError, match="wrong passphrase"):
        import_bundle(target, bundle, passphrase="nope")
    assert all_files(target.folder) == before


def _rewrite(
    bundle: Path, out: Path, change: Callable[[str, bytes], list[tuple[str, bytes]]]
) -> Path:
    """Copy a bundle member by member, letting `change` replace, drop or add members."""
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            for name, data in change(info.filename, src.read(info)):
                dst.writestr(name, data)
    return out


def _add(extra_name: str, extra: bytes) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        return [(name, data), (extra_name, extra)] if name == "manifest.json" else [(name, data)]

    return change


def _manifest(**fields: object) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name != "manifest.json":
            return [(name, data)]
        manifest = json.loads(data)
        manifest.update(fields)
        return [(name, json.dumps(manifest).encode())]

    return change


def _flip(member: str) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name != member:
            return [(name, data)]
        mutable = bytearray(data)
        mutable[-5] ^= 0x40
        return [(name, bytes(mutable))]

    return change


HOSTILE: dict[str, tuple[Callable[[str, bytes], list[tuple[str, bytes]]], str]] = {
    "zip-slip": (_add("../../evil.enc", b"x"), "path escapes"),
    "zip-slip-inside": (_add("m/../../evil.enc", b"x"), "path escapes"),
    "absolute-path": (_add("/etc/cron.d/evil", b"x"), "absolute path"),
    "windows-drive": (_add("C:/evil.enc", b"x"), "absolute path"),
    "backslash": (_add("m\\..\\evil.enc", b"x"), "absolute path"),
    "unexpected-member": (_add("README.txt", b"hello"), "unexpected member"),
    "extra-encrypted-member": (_add("m/999999.enc", b"SHB1" + b"0" * 40), "do not match"),
    "newer-bundle": (_manifest(bundle_version=BUNDLE_VERSION + 1), "newer shenbao"),
    "unknown-bundle-version": (_manifest(bundle_version="one"), "unknown bundle version"),
    "not-a-bundle": (_manifest(format="something.else"), "not a shenbao bundle"),
    "unknown-protection": (_manifest(protection="rot13"), "unknown protection"),
    "hostile-scrypt-cost": (
        _manifest(kdf={"kdf": "scrypt", "salt": "AAAA", "n": 2**30, "r": 8, "p": 1}),
        "out of range",
    ),
    "tampered-contents": (_flip("contents.enc"), "failed authentication"),
    "tampered-draft": (_flip("m/000001.enc"), "failed authentication"),
    "tampered-attachment": (_flip("m/000002.enc"), "failed authentication"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_bundle_is_refused_and_nothing_written(
    case: str, bundle: Path, target: Workspace, tmp_path: Path
) -> None:
    change, message = HOSTILE[case]
    hostile = _rewrite(bundle, tmp_path / f"{case}.shenbao", change)
    before = all_files(target.folder)
    with pytest.raises(BundleRejectedError, match=message) as info:
        import_bundle(target, hostile, passphrase="pw")
    assert "nothing written" in str(info.value)
    assert all_files(target.folder) == before
    assert not (tmp_path / "evil.enc").exists()


def test_swapped_members_fail_authentication(
    bundle: Path, target: Workspace, tmp_path: Path
) -> None:
    """Each member is bound to its name: swapping two valid members is tampering too."""
    with zipfile.ZipFile(bundle) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    members["m/000001.enc"], members["m/000002.enc"] = (
        members["m/000002.enc"],
        members["m/000001.enc"],
    )
    swapped = tmp_path / "swapped.shenbao"
    with zipfile.ZipFile(swapped, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    with pytest.raises(BundleRejectedError, match="failed authentication"):
        import_bundle(target, swapped, passphrase="pw")


def test_too_many_members(bundle: Path, target: Workspace) -> None:
    before = all_files(target.folder)
    with pytest.raises(BundleRejectedError, match="too many members"):
        import_bundle(target, bundle, passphrase="pw", limits=BundleLimits(max_members=3))
    assert all_files(target.folder) == before


def test_oversized_member_by_declared_size(bundle: Path, target: Workspace) -> None:
    with pytest.raises(BundleRejectedError, match="member too large"):
        import_bundle(target, bundle, passphrase="pw", limits=BundleLimits(max_member_bytes=200))


def _bomb(bundle: Path, out: Path, size: int, lie: bool) -> Path:
    """The bundle with its attachment member replaced by `size` deflated zero bytes (a few
    KB on disk); with `lie`, the zip headers claim the member is 10 bytes."""
    member = "m/000002.enc"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == member:
                dst.writestr(member, b"\0" * size, compress_type=zipfile.ZIP_DEFLATED)
            else:
                dst.writestr(info.filename, src.read(info))
    if lie:
        data = bytearray(out.read_bytes())
        name = member.encode()
        # Uncompressed size: offset 22 in a local header, 24 in a central directory entry.
        for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
            start = 0
            while (start := data.find(signature, start)) != -1:
                if data[start + name_at : start + name_at + len(name)] == name:
                    struct.pack_into("<I", data, start + size_at, 10)
                start += 4
        out.write_bytes(bytes(data))
    return out


LIMITS = BundleLimits(max_member_bytes=1024 * 1024, max_total_bytes=2 * 1024 * 1024)


@pytest.mark.parametrize(
    ("lie", "message"),
    [(False, "member too large"), (True, r"inflates past|damaged member")],
    ids=["honest-headers", "lying-headers"],
)
def test_decompression_bomb_is_refused(
    bundle: Path, target: Workspace, tmp_path: Path, lie: bool, message: str
) -> None:
    bomb = _bomb(bundle, tmp_path / "bomb.shenbao", 64 * 1024 * 1024, lie)
    assert bomb.stat().st_size < 200_000
    with zipfile.ZipFile(bomb) as archive:
        assert (archive.getinfo("m/000002.enc").file_size == 10) is lie
    before = all_files(target.folder)
    with pytest.raises(BundleRejectedError, match=message):
        import_bundle(target, bomb, passphrase="pw", limits=LIMITS)
    assert all_files(target.folder) == before


def test_total_decompressed_bytes_are_capped(bundle: Path, target: Workspace) -> None:
    tight = BundleLimits(max_total_bytes=600)
    with pytest.raises(BundleRejectedError, match=r"contents too large|decompressed size"):
        import_bundle(target, bundle, passphrase="pw", limits=tight)


def test_not_a_zip(target: Workspace, tmp_path: Path) -> None:
    junk = tmp_path / "junk.shenbao"
    junk.write_bytes(b"PK\x03\x04 definitely not a zip")
    with pytest.raises(BundleRejectedError, match="not a valid zip"):
        import_bundle(target, junk)


def test_import_refuses_a_draft_locked_elsewhere(
    source: Workspace, target: Workspace, tmp_path: Path
) -> None:
    one = export_bundle(source, tmp_path / "one.shenbao", draft_ids=["second"])
    import_bundle(target, one)
    other = Workspace.open(target.folder, Passphrase(PASSPHRASE))
    other.lock("second")
    before = all_files(target.folder)
    with pytest.raises(BundleRejectedError, match="being edited"):
        import_bundle(target, one)
    assert all_files(target.folder) == before
    other.close()
