"""The workspace commands end to end, and `check`/`match`/`demo` on workspace drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms.workspace import Passphrase, Workspace
from tests.workspace_helpers import (
    EXAMPLE,
    MemoryKeyring,
    run_cli,
    use_keyring,
)

pytestmark = pytest.mark.usefixtures("cli_env")
run = run_cli


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "ws"
    assert run(capsys, "workspace", "init", "--workspace", str(folder))[0] == 0
    code, out, _ = run(capsys, "draft", "add", str(EXAMPLE), "--workspace", str(folder))
    assert code == 0 and "v1" in out
    return folder


def test_init_info_clients_drafts(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "workspace", "info", "--workspace", str(ws), "--json")
    info = json.loads(out)
    assert code == 0 and info["key_source"] == "passphrase" and info["drafts"] == 1
    code, out, _ = run(capsys, "clients", "--workspace", str(ws), "--json")
    assert json.loads(out)[0]["name"] == "上海星语智创文化科技有限公司"
    code, out, _ = run(capsys, "drafts", "--workspace", str(ws))
    assert code == 0 and "demo-content-creation-xingyu" in out and "v1" in out


def test_show_history_diff_restore_audit(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["company"]["staff"] = 99
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run(capsys, "draft", "add", str(changed), "--workspace", str(ws))[0] == 0
    code, out, _ = run(capsys, "draft", "show", "demo-content", "--workspace", str(ws), "--json")
    assert code == 0 and json.loads(out)["company"]["staff"] == 99
    code, out, _ = run(capsys, "draft", "history", "demo", "--workspace", str(ws), "--json")
    assert [v["version"] for v in json.loads(out)] == [1, 2]
    code, out, _ = run(capsys, "draft", "diff", "demo", "1", "2", "--workspace", str(ws))
    assert out.strip() == "company.staff"
    code, out, _ = run(capsys, "draft", "restore", "demo", "1", "--workspace", str(ws))
    assert code == 0 and "version 3" in out
    code, out, _ = run(capsys, "draft", "audit", "demo", "--workspace", str(ws), "--json")
    assert [e["action"] for e in json.loads(out)] == ["create", "save", "restore"]


def test_check_and_match_take_a_workspace_draft(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "check", "demo-content", "--workspace", str(ws), "--date", "2025-09-10"
    )
    assert code == 0, out
    assert "workspace:demo-content-creation-xingyu" in out and "可以导出" in out
    code, out, _ = run(
        capsys, "match", "demo-content", "--workspace", str(ws), "--date", "2025-09-10", "--json"
    )
    assert code == 0 and json.loads(out)["company"] == "上海星语智创文化科技有限公司"


def test_unknown_draft_and_missing_workspace_exit_two(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "draft", "show", "nope", "--workspace", str(ws), "--lang", "en")
    assert code == 2 and "no draft 'nope'" in err
    code, _, err = run(capsys, "check", "nope", "--workspace", str(tmp_path / "none"))
    assert code == 2 and "file not found" in err and "Traceback" not in err
    code, _, err = run(capsys, "drafts", "--workspace", str(tmp_path / "none"), "--lang", "en")
    assert code == 2 and "workspace init" in err


def test_wrong_or_missing_passphrase(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHENBAO_PASSPHRASE", "wrong")
    code, _, err = run(capsys, "drafts", "--workspace", str(ws), "--lang", "en")
    assert code == 2 and "wrong passphrase" in err
    monkeypatch.delenv("SHENBAO_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(capsys, "drafts", "--workspace", str(ws))
    assert code == 2 and "SHENBAO_PASSPHRASE" in err


def test_init_without_keyring_or_passphrase_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backends import fail

    monkeypatch.delenv("SHENBAO_PASSPHRASE")
    no_keyring: object = fail.Keyring  # untyped constructor
    with use_keyring(no_keyring()):  # type: ignore[operator]
        code, _, err = run(capsys, "workspace", "init", "--workspace", str(tmp_path / "w"))
    assert code == 2 and "no usable OS keyring" in err
    assert not (tmp_path / "w").exists()


def test_keyring_init_then_commands_need_no_passphrase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHENBAO_PASSPHRASE")
    folder = tmp_path / "k"
    with use_keyring(MemoryKeyring()):
        assert run(capsys, "workspace", "init", "--workspace", str(folder))[0] == 0
        assert run(capsys, "draft", "add", str(EXAMPLE), "--workspace", str(folder))[0] == 0
        monkeypatch.setenv("SHENBAO_NEW_PASSPHRASE", "moving day: the blue van left at dawn")
        assert run(capsys, "workspace", "passphrase", "--workspace", str(folder))[0] == 0
    moved = Workspace.open(folder, Passphrase("moving day: the blue van left at dawn"))
    assert len(moved.drafts()) == 1


def test_export_import_round_trip(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "client.shenbao"
    monkeypatch.setenv("SHENBAO_BUNDLE_PASSPHRASE", "a bundle for the tax office, April")
    code, out, _ = run(
        capsys, "export", "--draft", "demo", "--out", str(bundle), "--workspace", str(ws)
    )
    assert code == 0 and bundle.is_file()
    other = tmp_path / "other"
    assert run(capsys, "workspace", "init", "--workspace", str(other))[0] == 0
    code, out, _ = run(capsys, "import", str(bundle), "--workspace", str(other))
    assert code == 0 and "1 份草稿" in out
    monkeypatch.setenv("SHENBAO_BUNDLE_PASSPHRASE", "not it")
    code, _, err = run(capsys, "import", str(bundle), "--workspace", str(other), "--lang", "en")
    assert code == 2 and "wrong passphrase" in err and "nothing written" in err


def test_demo_seeds_the_encrypted_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`shenbao demo` on a machine with no keyring and no passphrase set: the public demo
    passphrase, a warning, and no plain-text draft anywhere in the folder."""
    from keyring.backends import fail

    monkeypatch.delenv("SHENBAO_PASSPHRASE")
    workspace = tmp_path / "ws"
    no_keyring: object = fail.Keyring
    with use_keyring(no_keyring()):  # type: ignore[operator]
        code, out, err = run(capsys, "demo", "--workspace", str(workspace), "--date", "2025-09-10")
        assert code == 0, err
        assert "新增 3 份" in out and "内容创作产品" in out and "可以导出" in out
        assert "校验位不符" in out and "demo passphrase" in err
        code, out, err = run(capsys, "demo", "--workspace", str(workspace))
        assert "新增 0 份" in out
        code, out, err = run(capsys, "drafts", "--workspace", str(workspace), "--json")
        assert len(json.loads(out)) == 3 and "demo workspace" in err
    assert not list(workspace.rglob("*.json"))[1:]  # workspace.json only
    for path in workspace.rglob("*"):
        if path.is_file():
            assert "星语".encode() not in path.read_bytes()
    ws = Workspace.open(workspace, Passphrase("shenbao-demo"))
    draft = ws.load_draft("demo-content-creation-xingyu")
    sha = draft.attachments[0].sha256
    assert sha is not None and ws.read_attachment(ws.blob_id(sha)).startswith(b"%PDF")
