"""The one place that knows where shenbao's own files live, and whether it runs frozen.

A source checkout, an installed wheel and a frozen PyInstaller build put `resources/` and
`examples/` in different places; every other module asks here instead of guessing, and
nothing else looks at `sys.frozen` or `sys._MEIPASS`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Environment variable that points the catalog loader at another catalog folder
#: (next year's call, a test fixture) without a code change.
CATALOG_ENV = "SHENBAO_CATALOG"


def is_frozen() -> bool:
    """Running from a PyInstaller bundle (one folder, or a macOS .app)."""
    return getattr(sys, "frozen", False) is True or hasattr(sys, "_MEIPASS")


def bundle_root() -> Path:
    """The folder holding `resources/` and `examples/`: the bundle's data folder when
    frozen, else the checkout (or site-packages) above the `forms` package."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root)
    return Path(__file__).resolve().parents[2]


def install_dir() -> Path | None:
    """The folder of the installed program (where an installer writes its presets);
    None when running from source."""
    return Path(sys.executable).resolve().parent if is_frozen() else None


def resources_root() -> Path:
    """Folder holding catalog data, templates, translations and icons."""
    return bundle_root() / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def default_catalog_dir() -> Path:
    override = os.environ.get(CATALOG_ENV)
    if override:
        return Path(override)
    return resource_path("catalog")


def examples_dir() -> Path:
    """Demo data shipped beside the sources (and inside frozen builds)."""
    return bundle_root() / "examples"
