"""The bench's outside tools: Ghostscript (a peer), poppler's `pdftoppm` (renders pages
for OCR and the crops) and tesseract with `chi_sim` (reads them).

Benchmark tools, not dependencies of shenbao: on a fresh machine the bench installs the
missing ones through apt (root on Debian/Ubuntu) instead of failing halfway through a
twenty-minute run, and elsewhere says which packages to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable

#: Command -> the Debian packages that provide it.
PACKAGES = {
    "gs": ("ghostscript",),
    "pdftoppm": ("poppler-utils",),
    "tesseract": ("tesseract-ocr", "tesseract-ocr-chi-sim"),
}


def ensure(commands: tuple[str, ...], ready: Callable[[], bool] | None = None) -> str | None:
    """None when every command of `commands` is on PATH (and `ready()` holds), after
    installing the missing packages through apt where that is possible; else why not."""

    def present() -> bool:
        found = all(shutil.which(command) for command in commands)
        return found and (ready is None or ready())

    if present():
        return None
    packages = [p for command in commands for p in PACKAGES[command]]
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return f"{', '.join(commands)} missing: apt-get install {' '.join(packages)}"
    subprocess.run(["apt-get", "update"], capture_output=True, check=False)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", *packages],
        capture_output=True,
        check=False,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return None if present() else f"apt-get could not install {' '.join(packages)}"
