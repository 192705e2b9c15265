"""Regenerate docs/screenshots/: the main window and every wizard page, Chinese and English.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
Uses a temporary data folder and an encrypted workspace holding the example drafts and
attachments (with its own passphrase, so no demo banner), "today" inside the 2025 AI+
call's window, and QWidget.grab() for each picture. The export page is shown after a
real package build, followed by the "fill the portal" view and a page preview of the
form; the project page twice (its top, and scrolled to the goals and milestones). Also
the client dialog (with a code registered outside Shanghai) and the passphrase dialog of
a machine without a keyring. The
bundled Chinese font is registered first where the machine has none, as the app does.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZE = (1360, 860)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="shenbao-shots-"))
    os.environ["SHENBAO_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from desktop.app import i18n
    from desktop.app.cjk_font import ensure_chinese_font
    from desktop.app.demo import demo_context, seed_workspace
    from desktop.app.dialogs import ClientDialog
    from desktop.app.main_window import MainWindow
    from desktop.app.passphrase import PassphraseDialog
    from desktop.app.wizard.pages.export import ExportPage
    from desktop.app.wizard.pages.project import ProjectPage
    from forms.catalog.loader import load_catalog
    from forms.draft.flow import StepId
    from forms.system.settings import Settings
    from validators.credit_code import complete_code

    app = QApplication.instance() or QApplication(sys.argv)
    ensure_chinese_font()
    catalog = load_catalog()
    passphrase = "screenshots only, not a secret"
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in ("zh", "en"):
        workspace = seed_workspace(home / f"ws-{lang}", passphrase=passphrase)
        settings = Settings(language="en" if lang == "en" else "zh")
        ctx = demo_context(workspace, settings=settings, catalog=catalog, passphrase=passphrase)
        i18n.install(app, ctx.lang)
        window = MainWindow(ctx)
        window.resize(*SIZE)
        window.show()
        window.workspace.select_draft("demo-content-creation-xingyu")
        _settle(app)
        written.append(_grab(window, f"{lang}-0-main.png"))
        editor = window.open_draft("demo-content-creation-xingyu")
        assert editor is not None
        for number, step in enumerate(StepId, start=1):
            editor.go(step)
            if step is StepId.EXPORT:
                page = editor.pages[step]
                assert isinstance(page, ExportPage)
                page.run()
                deadline = time.monotonic() + 120
                while page.job is not None and time.monotonic() < deadline:
                    _settle(app, 0.05)
            _settle(app, 0.4)
            written.append(_grab(window, f"{lang}-{number}-{step.value}.png"))
            if step is StepId.EXPORT:
                window.show_portal(editor)
                portal = window.portal_view
                portal.resize(1100, 760)
                _settle(app, 0.4)
                written.append(_grab(portal, f"{lang}-8-portal.png"))
                portal.tabs.setCurrentIndex(1)
                _settle(app, 0.2)
                written.append(_grab(portal, f"{lang}-8b-portal-uploads.png"))
                portal.close()
                assert isinstance(page, ExportPage)
                page.parts.selectRow(0)
                page._preview()
                preview = page.preview_dialog
                preview.resize(900, 900)
                deadline = time.monotonic() + 30
                while (preview.path is None or preview._busy) and time.monotonic() < deadline:
                    _settle(app, 0.05)
                _settle(app, 0.3)
                written.append(_grab(preview, f"{lang}-9-preview.png"))
                preview.close()
            if step is StepId.PROJECT:  # goals and milestones are further down the page
                project = editor.pages[step]
                assert isinstance(project, ProjectPage)
                project.ensureWidgetVisible(project.plan.goals, 0, 300)
                _settle(app, 0.2)
                written.append(_grab(window, f"{lang}-{number}b-{step.value}-goals.png"))
                project.verticalScrollBar().setValue(0)
        client = ClientDialog(ctx, window)
        client.show()
        client.name.setText("北京某某科技有限公司")
        client.code.setText(complete_code("91110108MA01ABCD"))
        client.legal.setText("张三")
        _settle(app)
        written.append(_grab(client, f"{lang}-client-dialog.png"))
        client.close()
        window.shutdown()
        window.close()
        ctx.store.close()
        dialog = PassphraseDialog("create", home / "workspace")
        dialog.first.setText("申报助手的口令要长一些")
        dialog.second.setText("申报助手的口令要长一些")
        dialog.show()
        _settle(app)
        written.append(_grab(dialog, f"{lang}-passphrase.png"))
        dialog.close()
    i18n.install(app, "zh")
    for path in written:
        print(path.relative_to(ROOT))
    return 0


def _settle(app: object, seconds: float = 0.2) -> None:
    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def _grab(window: object, name: str) -> Path:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    path = OUT / name
    window.grab().save(str(path))
    return path


if __name__ == "__main__":
    sys.exit(main())
