"""`shenbao --self-test` from the sources: every check passes on a working install, a
missing keyring is a warning unless required, and nothing lands in the user's folders."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop import launch, selftest, startup
from desktop.app import startup_probe
from tests.conftest import ROOT
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
    for name in ("preview", "excel"):  # PASS where the library is installed, else SKIP
        assert f"PASS  {name}" in out or f"SKIP  {name}" in out
    # Start-up: the figures either way (a loaded machine is slower, never a failure).
    assert ("PASS  startup" in out or "WARN  startup" in out) and "shenbao check" in out
    assert "WARN  keyring" in out and "no usable keyring" in out
    assert f"self-test passed: {len(selftest.CHECKS)} checks" in out
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
    for cheap in ("preview", "excel", "startup"):
        monkeypatch.setattr(selftest.SelfTest, cheap, lambda self: "skipped")
    assert selftest.run(["--keep"]) == 0
    kept = capsys.readouterr().out.splitlines()
    folder = Path(
        next(line for line in kept if line.startswith("files kept in")).split(" in ", 1)[1]
    )
    assert folder.is_dir()
    shutil.rmtree(folder)


def test_version_is_pyprojects(capsys: pytest.CaptureFixture[str]) -> None:
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert launch.cli(["--version"]) == 0  # answered before the parser
    assert capsys.readouterr().out.strip() == f"shenbao {expected}"
    with pytest.raises(SystemExit):  # the parser's --version says the same
        launch.cli(["--version", "--help"])


def test_an_optional_library_is_skipped_unless_the_version_depends_on_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selftest, "dependencies", lambda: set())
    with pytest.raises(selftest.Skip, match="not part of this version"):
        selftest.optional("no_such_library_here")
    monkeypatch.setattr(selftest, "dependencies", lambda: {"no-such-library-here"})
    with pytest.raises(ImportError):  # a dependency the build lost: the check fails
        selftest.optional("no_such_library_here")


def test_a_new_check_is_one_entry_in_the_list(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake(self: selftest.SelfTest) -> str:
        return "the new check ran"

    monkeypatch.setattr(selftest.SelfTest, "fake", fake, raising=False)
    monkeypatch.setattr(selftest, "CHECKS", [selftest.Check("fake", "fake")])
    assert selftest.run([]) == 0
    out = capsys.readouterr().out
    assert "PASS  fake" in out and "the new check ran" in out and "1 checks" in out


def test_slow_start_up_is_a_warning_and_a_failed_start_a_failure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    slow = [startup.Figure("src-catalog", [0.9, 0.8, 1.0])]
    monkeypatch.setattr(selftest, "measure", lambda *a, **k: slow)
    test = selftest.SelfTest(tmp_path, require_keyring=False)
    assert test.run("startup", test.startup).status == "WARN"

    def broken(*args: object, **kwargs: object) -> list[startup.Figure]:
        raise startup.StartupError("shenbao-gui exited 1 without showing its main window")

    monkeypatch.setattr(selftest, "measure", broken)
    assert test.run("startup", test.startup).status == "FAIL"


def test_the_probe_answers_the_passphrase_dialog_and_reports_the_main_window(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHENBAO_PASSPHRASE", "probe passphrase")
    report = tmp_path / "probe.json"
    probe = startup_probe.StartupProbe(qapp, str(report))
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    try:
        dialog = QDialog()
        field = QLineEdit(dialog)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
        assert field.text() == "probe passphrase"

        class MainWindow(QWidget):  # the probe knows the main window by its class name
            pass

        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: len(probe.records) == 2)
    finally:
        probe._give_up.stop()
        qapp.removeEventFilter(probe)
    events = [(r["event"], r["window"]) for r in probe.records]
    assert events == [(startup.FIRST_WINDOW, "QDialog"), (startup.MAIN_WINDOW, "MainWindow")]
    assert '"main-window"' in report.read_text("utf-8")
