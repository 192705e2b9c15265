"""Key sources: OS keyring (fake backend), no keyring, passphrase, moving, migrations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail, null

from forms.workspace import (
    KeyringOrPassphrase,
    KeyringStore,
    KeyUnavailableError,
    NotAWorkspaceError,
    Passphrase,
    UseKeyring,
    Workspace,
    WorkspaceTooNewError,
    WrongKeyError,
    meta,
)
from tests.workspace_helpers import (
    PASSPHRASE,
    MemoryKeyring,
    MemoryStore,
    all_files,
    example_draft,
    fast_scrypt,
    new_workspace,
    use_keyring,
)


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_scrypt(monkeypatch)


def test_keyring_round_trip_through_the_keyring_package(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    with use_keyring(backend):
        ws = Workspace.create(tmp_path / "ws", UseKeyring())
        ws.save_draft(example_draft())
        assert list(backend.secrets) == [("shenbao", ws.meta.id)]
        reopened = Workspace.open(tmp_path / "ws", UseKeyring())
        assert reopened.drafts()[0].company_name == example_draft().company.name
    assert ws.meta.key.passphrase is None
    written = json.loads((tmp_path / "ws" / "workspace.json").read_text(encoding="utf-8"))
    assert written["key"]["source"] == "keyring" and written["key"]["passphrase"] is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])  # type: ignore[no-untyped-call]
def test_no_keyring_demands_a_passphrase_and_writes_nothing(tmp_path: Path, backend: Any) -> None:
    with use_keyring(backend), pytest.raises(KeyUnavailableError, match="SHENBAO_PASSPHRASE"):
        Workspace.create(tmp_path / "ws", UseKeyring())
    assert not (tmp_path / "ws").exists()
    with use_keyring(backend):
        ws = Workspace.create(tmp_path / "ws", KeyringOrPassphrase(ask=lambda: PASSPHRASE))
        assert ws.meta.key.source == "passphrase"
        ws.save_draft(example_draft())
        again = Workspace.open(tmp_path / "ws", KeyringOrPassphrase(ask=lambda: PASSPHRASE))
        assert len(again.drafts()) == 1


def test_missing_keyring_entry_never_makes_a_new_key(tmp_path: Path) -> None:
    store = MemoryStore()
    ws = Workspace.create(tmp_path / "ws", UseKeyring(store))
    ws.save_draft(example_draft())
    store.keys.clear()  # another machine, or the entry was deleted
    before = all_files(tmp_path / "ws")
    with pytest.raises(KeyUnavailableError, match="key not found in keyring"):
        Workspace.open(tmp_path / "ws", UseKeyring(store))
    asked: list[bool] = []

    def ask() -> str:
        asked.append(True)
        return "x"

    with pytest.raises(KeyUnavailableError, match="key not found in keyring"):
        Workspace.open(tmp_path / "ws", KeyringOrPassphrase(ask=ask, store=store))
    assert asked == []  # no passphrase is set, so none is asked for
    assert store.keys == {} and all_files(tmp_path / "ws") == before


def test_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    new_workspace(tmp_path / "ws").save_draft(example_draft())
    with pytest.raises(WrongKeyError, match="wrong passphrase"):
        Workspace.open(tmp_path / "ws", Passphrase("not it"))


def test_a_foreign_key_is_refused_by_the_check_value(tmp_path: Path) -> None:
    store = MemoryStore()
    ws = Workspace.create(tmp_path / "ws", UseKeyring(store))
    store.keys[ws.meta.id] = "A" * 43 + "="  # 32 bytes, but not this workspace's key
    with pytest.raises(WrongKeyError, match="does not open"):
        Workspace.open(tmp_path / "ws", UseKeyring(store))


def test_change_passphrase_rewraps_only_the_key(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    ws.save_draft(example_draft())
    versions_before = {k: v for k, v in all_files(tmp_path / "ws").items() if k != "workspace.json"}
    ws.set_passphrase("new secret")
    after = {k: v for k, v in all_files(tmp_path / "ws").items() if k != "workspace.json"}
    assert after == versions_before
    with pytest.raises(WrongKeyError):
        Workspace.open(tmp_path / "ws", Passphrase(PASSPHRASE))
    assert len(Workspace.open(tmp_path / "ws", Passphrase("new secret")).drafts()) == 1


def test_move_to_another_machine_with_the_passphrase(tmp_path: Path) -> None:
    """Made with the keyring on machine A; a passphrase set; copied to machine B, opened
    with the passphrase and remembered in B's keyring."""
    machine_a, machine_b = MemoryStore(), MemoryStore()
    ws = Workspace.create(tmp_path / "a", UseKeyring(machine_a))
    draft = example_draft()
    ws.save_draft(draft)
    ws.set_passphrase("for the move")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    with pytest.raises(KeyUnavailableError):
        Workspace.open(tmp_path / "b", UseKeyring(machine_b))
    moved = Workspace.open(
        tmp_path / "b", KeyringOrPassphrase(ask=lambda: "for the move", store=machine_b)
    )
    assert moved.load_draft(draft.id) == ws.load_draft(draft.id)
    moved.remember_key(machine_b)
    assert Workspace.open(tmp_path / "b", UseKeyring(machine_b)).drafts()[0].id == draft.id


def test_keyring_store_reports_no_backend() -> None:
    with (
        use_keyring(fail.Keyring()),  # type: ignore[no-untyped-call]
        pytest.raises(KeyUnavailableError, match="no usable OS keyring"),
    ):
        KeyringStore().get_key("x")


def test_create_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception, match="not empty"):
        new_workspace(tmp_path / "ws")


def test_open_a_folder_that_is_no_workspace(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkspaceError, match="workspace init"):
        Workspace.open(tmp_path, Passphrase(PASSPHRASE))


def test_newer_workspace_is_refused_before_anything_is_touched(tmp_path: Path) -> None:
    new_workspace(tmp_path / "ws").save_draft(example_draft())
    path = tmp_path / "ws" / "workspace.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema_version"] = meta.SCHEMA_VERSION + 1
    path.write_text(json.dumps(data), encoding="utf-8")
    before = all_files(tmp_path / "ws")
    with pytest.raises(WorkspaceTooNewError, match="newer shenbao"):
        Workspace.open(tmp_path / "ws", Passphrase(PASSPHRASE))
    assert all_files(tmp_path / "ws") == before


def test_older_workspace_is_migrated_step_by_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pretend this build writes schema 3 and workspaces of schema 1 exist: 1 -> 2 renames
    a field, 2 -> 3 adds a folder; the old workspace opens and is saved as schema 3."""
    ws = new_workspace(tmp_path / "ws")
    draft = example_draft()
    ws.save_draft(draft)
    path = tmp_path / "ws" / "workspace.json"
    old = json.loads(path.read_text(encoding="utf-8"))
    old["workspace_id"] = old.pop("id")  # what the fake schema 1 called it
    path.write_text(json.dumps(old), encoding="utf-8")
    calls: list[int] = []

    def one_to_two(folder: Path, data: dict[str, Any]) -> dict[str, Any]:
        calls.append(1)
        data = dict(data)
        data["id"] = data.pop("workspace_id")
        return data

    def two_to_three(folder: Path, data: dict[str, Any]) -> dict[str, Any]:
        calls.append(2)
        (folder / "exports").mkdir(exist_ok=True)
        return data

    monkeypatch.setattr(meta, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(meta, "MIGRATIONS", {1: one_to_two, 2: two_to_three})
    opened = Workspace.open(tmp_path / "ws", Passphrase(PASSPHRASE))
    assert calls == [1, 2] and (tmp_path / "ws" / "exports").is_dir()
    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == 3
    assert opened.load_draft(draft.id).title == draft.title
    Workspace.open(tmp_path / "ws", Passphrase(PASSPHRASE))
    assert calls == [1, 2]  # nothing left to migrate


def test_no_migration_path_is_a_clear_error(tmp_path: Path) -> None:
    new_workspace(tmp_path / "ws")
    path = tmp_path / "ws" / "workspace.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema_version"] = 0
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Exception, match="no migration from schema 0"):
        Workspace.open(tmp_path / "ws", Passphrase(PASSPHRASE))


def test_passphrase_is_not_in_repr() -> None:
    assert "secret" not in repr(Passphrase("secret")) and "secret" not in str(Passphrase("secret"))
