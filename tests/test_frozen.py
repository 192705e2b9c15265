"""The frozen build: PyInstaller builds build.spec, and the bundle passes its self-test
in a clean environment (no checkout, no venv on PATH, an empty home); so does the
AppImage made from it.

About a minute, two with the AppImage (the steps' times are in docs/it-deployment.md),
so it runs only when asked: SHENBAO_FROZEN_TEST=1 (CI sets it; see .ci/run). Needs
PyInstaller (the dev extra).
"""

from __future__ import annotations

import os
import shutil
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
    assert "startup-probe: first-window PassphraseDialog" in run.stdout
    assert "startup-probe: main-window MainWindow" in run.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux layout")
def test_the_bundle_leaves_out_what_the_app_never_loads(bundle: Path) -> None:
    assert (bundle / "shenbao-gui").is_symlink()  # one executable, one Python archive
    internal = bundle / "_internal"
    names = {p.name for p in internal.rglob("*")}
    unused = {
        "libgtk-3.so.0",
        "libQt6Network.so.6",
        "libqgtk3.so",
        "libQt6EglFSDeviceIntegration.so.6",
    }
    assert names & unused == set()
    system = {"libfontconfig.so.1", "libX11.so.6", "libglib-2.0.so.0", "libstdc++.so.6"}
    assert names & system == set()  # the session's own (build.spec says why)
    icu = next(internal.rglob("libicudata.so.*"))
    assert icu.stat().st_size < 12_000_000  # Chinese and English data only
    assert (internal / "resources" / "fonts" / "wqy-microhei.ttc").is_file()


def test_a_dropped_catalog_update_reaches_the_frozen_cli(bundle: Path, tmp_path: Path) -> None:
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


APPIMAGE_TOOLS = ("mksquashfs", "gcc")
#: Debian packages the AppImage runtime is built from (installer/linux/appimage-runtime/).
RUNTIME_PACKAGES = ("libsquashfuse-dev", "libfuse3-dev")


def _not_installed(package: str) -> bool:
    run = subprocess.run(["dpkg", "-s", package], capture_output=True, check=False)
    return run.returncode != 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="AppImages are Linux only")
def test_the_appimage_of_the_bundle_passes_its_self_test(bundle: Path, tmp_path: Path) -> None:
    """installer/linux/build_appimage.sh: the AppDir self-tested, the runtime built from
    its sources, the AppImage assembled and self-tested (--appimage-extract-and-run).
    .ci/run installs what it needs; elsewhere a machine without it skips, CI fails."""
    lacking = [tool for tool in APPIMAGE_TOOLS if shutil.which(tool) is None]
    if shutil.which("dpkg") is None:
        lacking.append("dpkg (a Debian build machine)")
    else:
        lacking += [p for p in RUNTIME_PACKAGES if _not_installed(p)]
    if lacking:
        message = f"the AppImage build needs {', '.join(lacking)} (.ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path / "appimage"
    run = subprocess.run(
        [str(ROOT / "installer" / "linux" / "build_appimage.sh"), str(bundle), VERSION, str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(run.stdout, run.stderr)
    assert run.returncode == 0, run.stdout + run.stderr
    image = out / f"shenbao-{VERSION}-{os.uname().machine}.AppImage"
    assert image.is_file(), run.stdout + run.stderr  # the runtime was built and prepended
    assert run.stdout.count("self-test passed") == 2  # the AppDir, then the AppImage
    with image.open("rb") as head:
        assert head.read(11)[8:] == b"AI\x02"  # a type-2 AppImage


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
