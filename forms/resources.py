"""The one place that knows where `resources/` lives.

A source checkout, an installed wheel and a frozen PyInstaller build put the folder
in different places; every other module asks here instead of guessing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Environment variable that points the catalog loader at another catalog folder
#: (next year's call, a test fixture) without a code change.
CATALOG_ENV = "SHENBAO_CATALOG"


def resources_root() -> Path:
    """Folder holding catalog data, templates, translations and icons."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def default_catalog_dir() -> Path:
    override = os.environ.get(CATALOG_ENV)
    if override:
        return Path(override)
    return resource_path("catalog")


def examples_dir() -> Path:
    """Demo data shipped beside the sources (and inside frozen builds)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "examples"
    return Path(__file__).resolve().parent.parent / "examples"
