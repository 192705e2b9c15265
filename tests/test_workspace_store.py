"""Workspace round trips: versions, diff, restore, soft delete, clients, attachments, audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms.draft.model import Draft, DraftStatus
from forms.workspace import (
    Autosaver,
    ConcurrentWriteError,
    DataCorruptError,
    DraftDamagedError,
    NotFoundError,
    Passphrase,
    Workspace,
)
from tests.workspace_helpers import PASSPHRASE, example_draft, fast_scrypt, new_workspace


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_scrypt(monkeypatch)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return new_workspace(tmp_path / "ws")


def test_save_and_load_round_trip_every_field(ws: Workspace, tmp_path: Path) -> None:
    draft = example_draft()
    ws.save_draft(draft)
    reopened = Workspace.open(tmp_path / "ws", Passphrase(PASSPHRASE))
    loaded = reopened.load_draft(draft.id)
    assert loaded.model_dump(exclude={"updated"}) == draft.model_dump(exclude={"updated"})


def test_every_save_is_a_version_and_unchanged_saves_write_nothing(ws: Workspace) -> None:
    draft = example_draft()
    assert ws.save_draft(draft).version == 1
    assert ws.save_draft(draft).version == 1
    draft.updated = draft.updated.replace(year=2030)  # bookkeeping only: still no new version
    assert ws.save_draft(draft).version == 1
    draft.company.staff = 90
    second = ws.save_draft(draft)
    assert second.version == 2 and second.changed == ("company.staff",)
    assert [v.version for v in ws.history(draft.id)] == [1, 2]
    assert ws.load_draft(draft.id, 1).company.staff == 86
    assert ws.load_draft(draft.id).company.staff == 90


def test_diff_names_changed_field_paths(ws: Workspace) -> None:
    draft = example_draft()
    ws.save_draft(draft)
    draft.title = "新标题"
    draft.project.budget[2].amount = draft.project.budget[2].amount + 1
    draft.project.goals.append("第四个目标")
    ws.save_draft(draft)
    assert ws.diff(draft.id, 1, 2) == [
        "title",
        "project.budget[2].amount",
        "project.goals[3]",
    ]
    assert ws.diff(draft.id, 2, 2) == []


def test_restore_makes_a_new_version_equal_to_the_old_one(ws: Workspace) -> None:
    draft = example_draft()
    ws.save_draft(draft)
    draft.company.name = "改过的名字"
    ws.save_draft(draft)
    restored = ws.restore(draft.id, 1, author="alice")
    assert restored.version == 3 and restored.restored_from == 1
    assert ws.load_draft(draft.id).company.name == example_draft().company.name
    assert ws.diff(draft.id, 1, 3) == []
    with pytest.raises(NotFoundError, match="no version 9"):
        ws.restore(draft.id, 9)


def test_soft_delete_hides_and_undelete_brings_back(ws: Workspace) -> None:
    draft = example_draft()
    ws.save_draft(draft)
    ws.delete_draft(draft.id)
    assert ws.drafts() == []
    assert [d.id for d in ws.drafts(include_deleted=True)] == [draft.id]
    assert ws.load_draft(draft.id).title == draft.title  # still readable
    ws.undelete_draft(draft.id)
    assert [d.id for d in ws.drafts()] == [draft.id]
    assert [v.action for v in ws.history(draft.id)] == ["create", "delete", "undelete"]


def test_duplicate_gets_new_id_same_client(ws: Workspace) -> None:
    draft = example_draft()
    draft.status = DraftStatus.READY
    ws.save_draft(draft)
    copy = ws.duplicate_draft(draft.id)
    duplicate = ws.load_draft(copy.draft_id)
    assert copy.draft_id != draft.id and duplicate.status is DraftStatus.DRAFT
    assert duplicate.title.endswith("（副本）")
    infos = {d.id: d for d in ws.drafts()}
    assert infos[copy.draft_id].client_id == infos[draft.id].client_id


def test_three_clients_with_several_drafts(ws: Workspace) -> None:
    made: dict[str, set[str]] = {}
    for n in range(3):
        for m in range(3):
            draft = example_draft()
            draft.id = f"d{n}{m}"
            draft.company.name = f"客户{n}有限公司"
            draft.company.credit_code = f"9131000000000000{n}X"
            draft.title = f"项目{m}"
            ws.save_draft(draft)
            made.setdefault(draft.company.name, set()).add(draft.id)
    clients = ws.clients()
    assert sorted(c.name for c in clients) == sorted(made)
    for client in clients:
        assert {d.id for d in ws.drafts(client.id)} == made[client.name]
        assert all(d.company_name == client.name for d in ws.drafts(client.id))


def test_add_and_update_client(ws: Workspace) -> None:
    profile = example_draft().to_profile()
    info = ws.add_client(profile)
    profile.company.staff = 100
    updated = ws.update_client(info.id, profile)
    assert updated.versions == 2 and ws.client_profile(info.id).company.staff == 100
    draft = Draft(title="新项目")
    ws.save_draft(draft, client_id=info.id)
    assert ws.drafts(info.id)[0].id == draft.id
    with pytest.raises(NotFoundError):
        ws.save_draft(Draft(), client_id="nobody")


def test_resolve_by_prefix(ws: Workspace) -> None:
    for draft_id in ("abc123", "abd456"):
        ws.save_draft(Draft(id=draft_id, company={"name": "甲"}))
    assert ws.resolve_draft("abc") == "abc123"
    assert ws.resolve_draft("abd456") == "abd456"
    with pytest.raises(NotFoundError, match="several"):
        ws.resolve_draft("ab")
    with pytest.raises(NotFoundError, match="no draft"):
        ws.resolve_draft("zzz")


def test_attachments_are_deduplicated_and_read_back(ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "licence.pdf"
    source.write_bytes(b"%PDF-1.7 licence " * 100)
    first = ws.put_attachment(source)
    assert ws.put_attachment(source.read_bytes()) == first
    assert len(list((ws.folder / "blobs").rglob("*.enc"))) == 1
    assert ws.read_attachment(first) == source.read_bytes()
    with pytest.raises(NotFoundError):
        ws.read_attachment("../../etc/passwd")


def test_audit_lists_who_changed_what_and_exports(ws: Workspace) -> None:
    draft = example_draft()
    ws.save_draft(draft, author="alice@pc1")
    draft.company.district = "浦东新区"
    ws.save_draft(draft, author="bob@pc2")
    ws.record_event(draft.id, "export", "x.shenbao", author="bob@pc2")
    entries = ws.audit(draft.id)
    assert [(e.author, e.action) for e in entries] == [
        ("alice@pc1", "create"),
        ("bob@pc2", "save"),
        ("bob@pc2", "export"),
    ]
    assert entries[1].fields == ("company.district",)


def test_a_version_file_moved_to_another_draft_is_refused(ws: Workspace) -> None:
    one, two = example_draft(), example_draft()
    two.id = "other"
    ws.save_draft(one)
    ws.save_draft(two)
    two.title = "v2"
    ws.save_draft(two)
    folders = {p.name: p for p in (ws.folder / "drafts").iterdir()}
    one_dir = next(p for p in folders.values() if len(list(p.glob("v*.enc"))) == 1)
    two_dir = next(p for p in folders.values() if p != one_dir)
    (one_dir / "v000002.enc").write_bytes(next(two_dir.glob("v000002*.enc")).read_bytes())
    fresh = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    with pytest.raises(DraftDamagedError, match="version 2 is damaged") as info:
        fresh.load_draft(one.id)
    assert info.value.last_good == 1 and fresh.load_draft(one.id, 1).id == one.id


def test_flipped_byte_is_detected(ws: Workspace) -> None:
    draft = example_draft()
    ws.save_draft(draft)
    path = next((ws.folder / "drafts").rglob("v000001*.enc"))
    data = bytearray(path.read_bytes())
    data[40] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(DataCorruptError):
        Workspace.open(ws.folder, Passphrase(PASSPHRASE)).load_draft(draft.id)


def test_a_racing_writer_cannot_overwrite_a_version(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two instances that both list version 1 as latest and both write version 2: the
    second write is refused instead of replacing the first (no-overwrite link)."""
    from forms.workspace import drafts, vault

    draft = example_draft()
    ws.save_draft(draft)
    other = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    other.load_draft(draft.id)
    draft.title = "here"
    ws.save_draft(draft)
    listed = vault.version_files(next((ws.folder / "drafts").iterdir()))[:1]
    monkeypatch.setattr(drafts, "version_files", lambda folder: listed)  # before ws wrote
    theirs = example_draft()
    theirs.title = "there"
    with pytest.raises(ConcurrentWriteError, match="version 2 was just written"):
        other.save_draft(theirs)
    monkeypatch.undo()
    assert ws.load_draft(draft.id, 2).title == "here"
    assert not list((ws.folder / "drafts").rglob(".tmp-*"))


def test_exclusive_write_refuses_existing_file(ws: Workspace) -> None:
    from forms.system.atomic import write_atomic

    target = ws.folder / "x.enc"
    write_atomic(target, b"one", exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomic(target, b"two", exclusive=True)
    assert target.read_bytes() == b"one"
    assert not [p for p in ws.folder.iterdir() if p.name.startswith(".tmp-")]


def test_index_is_only_a_cache(ws: Workspace) -> None:
    draft = example_draft()
    ws.save_draft(draft)
    assert ws.drafts()[0].company_name == draft.company.name
    assert ws.index_file.is_file()
    ws.index_file.write_bytes(b"this is not a database" * 100)
    assert ws.drafts()[0].company_name == draft.company.name  # rebuilt from the files
    ws.index_file.unlink()
    draft.company.name = "新名字"
    ws.save_draft(draft)
    assert ws.drafts()[0].company_name == "新名字"


def test_stale_index_rows_are_refreshed_from_files(ws: Workspace, tmp_path: Path) -> None:
    draft = example_draft()
    ws.save_draft(draft)
    assert ws.drafts()[0].versions == 1
    other = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
    draft.title = "另一处改的"
    other.save_draft(draft)
    listed = ws.drafts()[0]
    assert listed.title == "另一处改的" and listed.versions == 2


def test_autosaver_debounces(ws: Workspace) -> None:
    now = [0.0]
    saver = Autosaver(ws, quiet_seconds=1.0, max_wait_seconds=5.0, clock=lambda: now[0])
    draft = example_draft()
    for step in range(4):
        draft.project.summary = f"typing {step}"
        saver.changed(draft)
        now[0] += 0.3
        assert saver.poll() is None  # still typing
    now[0] += 1.0
    saved = saver.poll()
    assert saved is not None and saved.version == 1
    assert ws.load_draft(draft.id).project.summary == "typing 3"
    assert saver.poll() is None and not saver.pending
    for _ in range(20):  # a long burst is saved at least every max_wait
        draft.project.summary += "x"
        saver.changed(draft)
        now[0] += 0.5
        saver.poll()
    assert ws.record(draft.id).version >= 2
    draft.project.summary = "last words"
    saver.changed(draft)
    assert saver.flush() is not None
    assert ws.load_draft(draft.id).project.summary == "last words"


def test_version_file_holds_no_readable_json(ws: Workspace) -> None:
    ws.save_draft(example_draft())
    raw = next((ws.folder / "drafts").rglob("v000001*.enc")).read_bytes()
    assert raw.startswith(b"SHB1")
    with pytest.raises(ValueError):
        json.loads(raw)
