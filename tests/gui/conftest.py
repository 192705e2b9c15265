"""Fixtures of the Qt tests (the app on a demo workspace with cheap key derivation, the
main window on it). Everything under tests/gui is marked `gui` (see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app.context import AppContext
from desktop.app.demo import demo_context, seed_workspace
from desktop.app.main_window import MainWindow
from forms.catalog.model import Catalog
from tests.workspace_helpers import fast_scrypt


@pytest.fixture
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_scrypt(monkeypatch)


@pytest.fixture
def ctx(tmp_path: Path, catalog: Catalog, cheap_scrypt: None) -> Iterator[AppContext]:
    context = demo_context(seed_workspace(tmp_path / "ws", drafts=False), catalog=catalog)
    yield context
    context.store.close()


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.shutdown()
