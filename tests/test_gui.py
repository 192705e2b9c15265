"""The placeholder window: the catalog tree, expired policies greyed with why."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import CatalogWindow
from forms.catalog import Catalog

pytestmark = pytest.mark.gui


def test_catalog_window_lists_every_policy(qtbot: QtBot, catalog: Catalog) -> None:
    window = CatalogWindow(catalog, date(2026, 11, 23))
    qtbot.addWidget(window)
    tree = window.tree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]  # type: ignore[union-attr]
    assert len(titles) == len(catalog.policies)
    jiading = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if "嘉定区" in tree.topLevelItem(i).text(0)  # type: ignore[union-attr]
    )
    assert jiading is not None
    assert jiading.text(1) == "已过期"
    assert jiading.foreground(0).color().name() == "#8a8a8a"
    assert jiading.toolTip(1)
    assert not jiading.isExpanded()


def test_window_renders(qtbot: QtBot, catalog: Catalog) -> None:
    window = CatalogWindow(catalog, date(2025, 9, 10))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    image = window.grab()
    assert image.width() > 800 and image.height() > 600
