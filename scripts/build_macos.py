"""Build shenbao.app (and a .dmg) on macOS: PyInstaller's BUNDLE step, self-test, signing.

    python scripts/build_macos.py                 -> dist/shenbao.app, dist/shenbao-<v>.dmg
    CODESIGN_IDENTITY="Developer ID Application: …" NOTARY_PROFILE=shenbao \\
        python scripts/build_macos.py             ... signed, notarised and stapled

Without an identity the app is ad-hoc signed (PyInstaller does that): fine on the
build machine, blocked by Gatekeeper elsewhere. See installer/macos/README.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def main() -> int:
    if sys.platform != "darwin":
        raise SystemExit("build_macos.py runs on macOS (PyInstaller does not cross-build)")
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    version = str(data["project"]["version"])
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "build.spec")
    app = ROOT / "dist" / "shenbao.app"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHENBAO_SETTINGS": ""}
    subprocess.run(
        [str(app / "Contents" / "MacOS" / "shenbao"), "--self-test"], env=env, check=True
    )
    identity = os.environ.get("CODESIGN_IDENTITY")
    if identity:
        entitlements = ROOT / "installer" / "macos" / "entitlements.plist"
        run(
            "codesign", "--force", "--deep", "--options", "runtime", "--timestamp",
            "--entitlements", str(entitlements), "--sign", identity, str(app),
        )  # fmt: skip
        run("codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app))
    dmg = ROOT / "dist" / f"shenbao-{version}.dmg"
    dmg.unlink(missing_ok=True)
    run(
        "hdiutil", "create", "-volname", f"shenbao {version}", "-srcfolder", str(app),
        "-ov", "-format", "UDZO", str(dmg),
    )  # fmt: skip
    profile = os.environ.get("NOTARY_PROFILE")
    if identity and profile:
        run("codesign", "--sign", identity, "--timestamp", str(dmg))
        run("xcrun", "notarytool", "submit", str(dmg), "--keychain-profile", profile, "--wait")
        run("xcrun", "stapler", "staple", str(dmg))
    print(f"app: {app}\ndmg: {dmg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
