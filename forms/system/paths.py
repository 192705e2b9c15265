"""Where shenbao keeps its data on this machine.

One environment variable, SHENBAO_HOME, redirects every folder at once (tests, portable
installs); otherwise the platform's user data folder is used, never the install folder,
so a per-user install needs no administrator rights.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_documents_path

HOME_ENV = "SHENBAO_HOME"


def data_home() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override)
    return user_data_path("shenbao", appauthor=False)


def default_workspace() -> Path:
    return data_home() / "workspace"


def documents_home() -> Path:
    """The user's visible Documents folder (where exported packages go by default);
    under SHENBAO_HOME when that redirects everything (tests, portable installs)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override) / "Documents"
    return user_documents_path()
