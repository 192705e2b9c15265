"""A demo workspace: the example drafts and their attachments, for a first look.

Used by the screenshot script, the benchmark and the tests, so all three show the same
drafts a newcomer gets from `shenbao demo`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop.context import AppContext
from desktop.store import open_store
from forms.catalog import Catalog
from forms.catalog_loader import load_catalog
from forms.resources import examples_dir
from forms.settings import Settings

#: A day inside the 2025 AI+ call's submission window.
IN_WINDOW = date(2025, 9, 10)


def seed_workspace(folder: Path, drafts: bool = True) -> Path:
    """Copy the example drafts (optional) and attachments into `folder`."""
    source = examples_dir()
    (folder / "drafts").mkdir(parents=True, exist_ok=True)
    if drafts:
        for path in sorted((source / "drafts").glob("*.json")):
            target = folder / "drafts" / path.name
            if not target.exists():
                shutil.copy2(path, target)
    shutil.copytree(source / "attachments", folder / "attachments", dirs_exist_ok=True)
    return folder


def demo_context(
    folder: Path,
    on: date = IN_WINDOW,
    settings: Settings | None = None,
    catalog: Catalog | None = None,
) -> AppContext:
    today: Callable[[], date] = lambda: on  # noqa: E731 (a fixed "today")
    return AppContext(
        catalog or load_catalog(),
        open_store(folder),
        settings or Settings(),
        today=today,
        persist_settings=False,
    )
