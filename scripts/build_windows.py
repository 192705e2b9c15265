"""Build the Windows installer: PyInstaller folder, self-test, then Inno Setup.

    py scripts\\build_windows.py            -> dist\\shenbao\\ and dist\\shenbao-<version>-setup.exe
    py scripts\\build_windows.py --no-installer

The version comes from pyproject.toml (the one source) and reaches the installer as
/DAppVersion. ISCC.exe is found through the ISCC environment variable or Inno Setup 6's
default folders. Run from the project's venv with the dev extra installed (PyInstaller).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project_version() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def find_iscc() -> Path:
    candidates = [os.environ.get("ISCC", "")]
    for base in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        folder = os.environ.get(base)
        if folder:
            candidates.append(str(Path(folder) / "Inno Setup 6" / "ISCC.exe"))
            candidates.append(str(Path(folder) / "Programs" / "Inno Setup 6" / "ISCC.exe"))
    candidates.append(shutil.which("ISCC") or "")
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit("ISCC.exe not found: install Inno Setup 6 or set ISCC=path\\to\\ISCC.exe")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-installer", action="store_true", help="stop after the self-test")
    args = parser.parse_args()
    version = project_version()
    print(f"building shenbao {version}", flush=True)
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "build.spec"],
        cwd=ROOT,
        check=True,
    )
    dist = ROOT / "dist" / "shenbao"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHENBAO_SETTINGS": ""}
    subprocess.run([str(dist / "shenbao.exe"), "--self-test"], env=env, check=True)
    if args.no_installer:
        return 0
    subprocess.run(
        [
            str(find_iscc()),
            f"/DAppVersion={version}",
            f"/DDistDir={dist}",
            f"/DIconFile={ROOT / 'build' / 'icons' / 'shenbao.ico'}",
            str(ROOT / "installer" / "windows" / "shenbao.iss"),
        ],
        cwd=ROOT,
        check=True,
    )
    print(f"installer: {ROOT / 'dist' / f'shenbao-{version}-setup.exe'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
