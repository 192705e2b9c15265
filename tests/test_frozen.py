"""The frozen build: PyInstaller builds build.spec, and the bundle passes its self-test
in a clean environment (no checkout, no venv on PATH, an empty home).

About half a minute (a build takes ~20 s here), so it runs only when asked:
SHENBAO_FROZEN_TEST=1 (CI sets it; see .ci/run). Needs PyInstaller (the dev extra).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [
    pytest.mark.frozen,
    pytest.mark.skipif(
        os.environ.get("SHENBAO_FROZEN_TEST") != "1",
        reason="builds the PyInstaller bundle; set SHENBAO_FROZEN_TEST=1",
    ),
]

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Asked for (SHENBAO_FROZEN_TEST=1) but not installed is a failure, not a skip.
    import PyInstaller  # type: ignore[import-untyped]  # noqa: F401

    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        check=True,
        timeout=900,
    )
    folder = work / "dist" / "shenbao"
    assert (folder / "shenbao").exists() or (folder / "shenbao.exe").exists()
    return folder


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin" if sys.platform != "win32" else os.environ["PATH"],
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "SHENBAO_HOME": str(home / "data"),
        "SHENBAO_SETTINGS": "",
        "TMPDIR": str(home),
    }
    if sys.platform == "win32":
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
    return {**env, **extra}


def test_the_bundle_passes_its_self_test(bundle: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [str(bundle / "shenbao"), "--self-test"],
        cwd=tmp_path,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(run.stdout, run.stderr)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "frozen build" in run.stdout and "FAIL" not in run.stdout


def test_the_bundle_reports_pyprojects_version(bundle: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [str(bundle / "shenbao"), "--version"],
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stdout.strip() == f"shenbao {VERSION}"


def test_the_gui_reaches_its_main_window(bundle: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [str(bundle / "shenbao-gui")],
        env=clean_env(tmp_path, SHENBAO_STARTUP_PROBE="1", SHENBAO_PASSPHRASE="frozen-test-pass"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "to main window" in run.stdout


def test_a_dropped_catalog_update_reaches_the_frozen_cli(bundle: Path, tmp_path: Path) -> None:
    import shutil

    update = tmp_path / "data" / "catalog-updates" / "next"
    shutil.copytree(ROOT / "resources" / "catalog", update)
    manifest = update / "catalog.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace('version: "', 'version: "9999.', 1), "utf-8"
    )
    run = subprocess.run(
        [str(bundle / "shenbao"), "catalog", "--json"],
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert '"9999.' in run.stdout


def test_the_bundle_judges_passphrases_with_zxcvbn(bundle: Path, tmp_path: Path) -> None:
    """zxcvbn's dictionaries are in the bundle: a weak passphrase is refused with the
    reason, a strong one makes the workspace."""
    weak = subprocess.run(
        [str(bundle / "shenbao"), "workspace", "init", "--key", "passphrase", "--lang", "en",
         "--workspace", str(tmp_path / "weak")],
        env=clean_env(tmp_path, SHENBAO_PASSPHRASE="Password123!"),
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert weak.returncode == 2 and "too easy to guess" in weak.stderr, weak.stderr
    strong = subprocess.run(
        [str(bundle / "shenbao"), "workspace", "init", "--key", "passphrase",
         "--workspace", str(tmp_path / "strong")],
        env=clean_env(tmp_path, SHENBAO_PASSPHRASE="correct horse battery staple"),
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert strong.returncode == 0, strong.stderr
