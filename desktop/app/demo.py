"""A demo workspace: the example drafts and their attachments, for a first look.

Used by the screenshot script, the benchmark and the tests, so all three show the same
drafts a newcomer gets from `shenbao demo`. It is a real encrypted workspace, created with
the public demo passphrase (and marked demo, so the window asks for a real passphrase)
unless a test gives its own passphrase.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop.app.context import AppContext
from desktop.app.store import open_store
from forms.catalog.loader import load_catalog
from forms.catalog.model import Catalog
from forms.system.resources import examples_dir
from forms.system.settings import Settings
from forms.workspace import DEMO_PASSPHRASE, Passphrase, Workspace
from forms.workspace.seed import add_examples

#: A day inside the 2025 AI+ call's submission window.
IN_WINDOW = date(2025, 9, 10)


def seed_workspace(folder: Path, drafts: bool = True, passphrase: str = DEMO_PASSPHRASE) -> Path:
    """Create the workspace at `folder` (if it is not one yet) and add the example drafts
    with their attachment files (optional)."""
    if (folder / "workspace.json").is_file():
        ws = Workspace.open(folder, Passphrase(passphrase))
    else:
        ws = Workspace.create(folder, Passphrase(passphrase), demo=passphrase == DEMO_PASSPHRASE)
    with ws:
        if drafts:
            add_examples(ws, examples_dir())
    return folder


def example_attachments() -> Path:
    """The example attachment files (to add in tests as a user would)."""
    return examples_dir() / "attachments"


def demo_context(
    folder: Path,
    on: date = IN_WINDOW,
    settings: Settings | None = None,
    catalog: Catalog | None = None,
    passphrase: str = DEMO_PASSPHRASE,
) -> AppContext:
    today: Callable[[], date] = lambda: on  # noqa: E731 (a fixed "today")
    return AppContext(
        catalog or load_catalog(),
        open_store(Workspace.open(folder, Passphrase(passphrase))),
        settings or Settings(),
        today=today,
        persist_settings=False,
    )
