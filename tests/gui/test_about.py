"""About and the status bar: where the catalog in use came from, and refused updates."""

from __future__ import annotations

from pathlib import Path

from forms.catalog.source import UPDATES_FOLDER
from forms.system.settings import Settings
from tests.test_catalog_source import make_catalog


def test_about_shows_the_source_and_the_refused_update(
    isolated_home: Path, qtbot: object, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMainWindow

    from desktop.app import about
    from desktop.app.demo import demo_context, seed_workspace

    make_catalog(isolated_home / UPDATES_FOLDER / "2027", "2027.1.0")
    broken = make_catalog(isolated_home / UPDATES_FOLDER / "2028", "2028.1.0")
    next((broken / "policies").glob("*.yaml")).write_text("- not a mapping\n", "utf-8")
    catalog = about.start_catalog(Settings())
    ctx = demo_context(seed_workspace(tmp_path / "ws"), catalog=catalog)
    text = about.about_text(ctx)
    assert "2027.1.0" in text and "更新" in text and "2028" in text
    assert "shenbao " in text and "密钥环" in text
    ctx.settings.language = "en"
    assert "Update not used" in about.about_text(ctx)
    dialog = about.AboutDialog(ctx, "About", "intro", None)
    dialog.copy()
    dialog.deleteLater()
    window = QMainWindow()
    about.announce_refused_updates(window)
    assert "2028" in window.statusBar().currentMessage()
    window.deleteLater()
