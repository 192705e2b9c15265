"""`shenbao --self-test` from the sources: every check passes on a working install, a
missing keyring is a warning unless required, and nothing lands in the user's folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop import launch, selftest
from tests.workspace_helpers import MemoryKeyring, use_keyring


@pytest.fixture(autouse=True)
def offscreen(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


@pytest.mark.slow
def test_every_check_passes_and_no_keyring_is_a_warning(
    capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    assert launch.cli(["--self-test"]) == 0
    out = capsys.readouterr().out
    for name in ("resources", "catalog", "validate", "render", "package", "workspace", "gui"):
        assert f"PASS  {name}" in out
    assert "WARN  keyring" in out and "no usable keyring" in out
    assert "self-test passed: 8 checks" in out
    # The scratch home was used, not the user's: no journal, no window geometry.
    assert not any(isolated_home.iterdir())


@pytest.mark.slow
def test_require_keyring_fails_without_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert launch.cli(["--self-test", "--require-keyring"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  keyring" in out and "self-test FAILED: keyring" in out


@pytest.mark.slow
def test_require_keyring_round_trips_a_secret(capsys: pytest.CaptureFixture[str]) -> None:
    backend = MemoryKeyring()
    with use_keyring(backend):
        assert selftest.run(["--require-keyring"]) == 0
    out = capsys.readouterr().out
    assert "PASS  keyring" in out and "store, read back, delete: ok" in out
    assert backend.secrets == {}


def test_a_failing_check_is_reported_with_its_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    test = selftest.SelfTest(tmp_path, require_keyring=False)

    def broken() -> str:
        raise FileNotFoundError("resources/fonts missing")

    outcome = test.run("fonts", broken)
    assert outcome.status == "FAIL"
    out = capsys.readouterr().out
    assert out.startswith("FAIL  fonts") and "resources/fonts missing" in out


def test_keep_leaves_the_files(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the cheap checks: the flag handling is what is tested here.
    monkeypatch.setattr(selftest.SelfTest, "gui", lambda self: "skipped")
    monkeypatch.setattr(selftest.SelfTest, "workspace", lambda self: "skipped")
    monkeypatch.setattr(selftest.SelfTest, "package", lambda self: "skipped")
    monkeypatch.setattr(selftest.SelfTest, "render", lambda self: "skipped")
    assert selftest.run(["--keep"]) == 0
    kept = capsys.readouterr().out.splitlines()
    folder = Path(
        next(line for line in kept if line.startswith("files kept in")).split(" in ", 1)[1]
    )
    assert folder.is_dir()
    import shutil

    shutil.rmtree(folder)


def test_version_is_pyprojects(capsys: pytest.CaptureFixture[str]) -> None:
    import tomllib

    from tests.conftest import ROOT

    expected = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    with pytest.raises(SystemExit):
        launch.cli(["--version"])
    assert capsys.readouterr().out.strip() == f"shenbao {expected}"
