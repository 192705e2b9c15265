"""Shared fixtures: the bundled catalog (loaded once), example files, an isolated home.

No Qt here: the domain tests run where PySide6 is not even installed (`scripts/test.sh`
runs them so). The Qt fixtures are in `tests/gui/conftest.py`; every test under
`tests/gui/`, or using `qtbot`/`qapp`, is marked `gui` by the hook below, so
`pytest -m "not gui"` is always the whole headless suite.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from forms.catalog.loader import load_catalog
from forms.catalog.model import Catalog
from forms.draft.io import load_draft
from forms.draft.model import Draft

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT / "resources" / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
#: A day inside the 2025 call's submission window.
IN_WINDOW = date(2025, 9, 10)

#: Where Qt's test plugin is not installed (the domain run of scripts/test.sh) the Qt tests
#: are not even collected; their run (`-m gui`) fails when it finds none.
collect_ignore = [] if importlib.util.find_spec("pytestqt") else ["gui"]

#: Tests that take seconds (kill loops, big scans, the self-test): `-m "not slow"` skips them.
SLOW = "slow"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    gui_folder = Path(__file__).resolve().parent / "gui"
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if gui_folder in Path(item.path).resolve().parents or fixtures & {"qtbot", "qapp"}:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """No test touches the real user data folder."""
    import keyring
    from keyring.backends import fail

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SHENBAO_HOME", str(home))
    monkeypatch.delenv("SHENBAO_CATALOG", raising=False)
    monkeypatch.delenv("SHENBAO_PASSPHRASE", raising=False)
    # No test may read or write the developer's real keyring; tests that need one
    # install an in-memory backend themselves.
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield home
    keyring.set_keyring(previous)


@pytest.fixture
def clean_draft() -> Draft:
    """The example content-creation draft: complete and eligible."""
    return load_draft(EXAMPLES / "drafts" / "content-creation.json")


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's passphrase from the environment, and a fast key derivation
    (`pytestmark = pytest.mark.usefixtures("cli_env")` in the command-line tests)."""
    # the workspace helpers load keyring: only for the tests that use them
    from tests.workspace_helpers import PASSPHRASE, fast_scrypt

    fast_scrypt(monkeypatch)
    monkeypatch.setenv("SHENBAO_PASSPHRASE", PASSPHRASE)
