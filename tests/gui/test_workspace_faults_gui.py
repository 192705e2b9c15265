"""Faults in the app (issue 13): a damaged draft in the overview, a save merged with one
made elsewhere, a refused conflicting save, a lock taken and released, a sync conflict."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop.app.context import AppContext
from desktop.app.demo import demo_context, seed_workspace
from desktop.app.main_window import MainWindow
from desktop.app.workspace_view import ID_ROLE
from forms.catalog.model import Catalog
from forms.workspace import Passphrase, Workspace
from tests.workspace_helpers import PASSPHRASE

pytestmark = pytest.mark.usefixtures("cheap_scrypt")
CONTENT_ID = "demo-content-creation-xingyu"
GAME_ID = "demo-game-nanxiang"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return seed_workspace(tmp_path / "ws", passphrase=PASSPHRASE)


@pytest.fixture
def ctx(folder: Path, catalog: Catalog) -> AppContext:
    return demo_context(folder, catalog=catalog, passphrase=PASSPHRASE)


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def _status(window: MainWindow) -> dict[str, str]:
    """Each draft's status cell in the overview."""
    model = window.workspace.model
    return {
        str(model.item(r, 0).data(ID_ROLE)): model.item(r, 3).text()
        for r in range(model.rowCount())
    }


def _damage_latest(folder: Path, draft_id: str) -> None:
    ws = Workspace.open(folder, Passphrase(PASSPHRASE))
    draft = ws.load_draft(draft_id)
    draft.title = "第二版"
    ws.save_draft(draft)
    latest = sorted((folder / "drafts" / ws._name("draft", draft_id)).glob("v*.enc"))[-1]
    data = bytearray(latest.read_bytes())
    data[len(data) // 2] ^= 1
    latest.write_bytes(bytes(data))


def test_a_damaged_draft_is_marked_the_others_work_and_its_last_good_version_restores(
    qtbot: QtBot, folder: Path, ctx: AppContext
) -> None:
    _damage_latest(folder, CONTENT_ID)
    window = _window(qtbot, ctx)
    status = _status(window)
    assert "已损坏" in status[CONTENT_ID] and "1" in status[CONTENT_ID]
    assert "已损坏" not in status[GAME_ID]
    assert window.open_draft(GAME_ID) is not None  # another draft opens as ever
    asked: list[str] = []

    def agree(title: str, text: str) -> bool:
        asked.append(text)
        return True

    window.confirm = agree
    editor = window.open_draft(CONTENT_ID)
    assert asked and "shenbao" not in asked[0] and "第 1 版" in asked[0] and "第 2 版" in asked[0]
    assert editor is not None and CONTENT_ID in window.editors
    assert "已损坏" not in _status(window)[CONTENT_ID]
    assert editor.session.draft.title != "第二版"  # the last good version, restored on top
    window.shutdown()
    ctx.store.close()


def test_a_save_merges_with_one_made_elsewhere_and_the_editor_shows_it(
    qtbot: QtBot, folder: Path, ctx: AppContext
) -> None:
    window = _window(qtbot, ctx)
    editor = window.open_draft(CONTENT_ID)
    assert editor is not None
    # The command line (no edit lock needed to read; it takes the lock to write, so the
    # other writer here is one that ignored the lock: an older shenbao, a share without it).
    other = Workspace.open(folder, Passphrase(PASSPHRASE))
    theirs = other.load_draft(CONTENT_ID)
    theirs.company.staff = 321
    window.ctx.store.lock(CONTENT_ID).release()  # let the other writer in for a moment
    other.save_draft(theirs)
    editor.session.set_lock(window.ctx.store.lock(CONTENT_ID))
    editor.session.edit("project.summary", lambda d: setattr(d.project, "summary", "我的摘要"))
    assert editor.session.save_now()
    assert editor.session.draft.company.staff == 321, "the other save's change is shown"
    assert editor.session.draft.project.summary == "我的摘要"
    assert "company.staff" in editor.save_state.text() and "合并" in editor.save_state.text()
    stored = ctx.store.load(CONTENT_ID).draft
    assert stored.company.staff == 321 and stored.project.summary == "我的摘要"

    # The same field changed on both sides: refused, the edits stay on screen.
    window.ctx.store.lock(CONTENT_ID).release()
    theirs = other.load_draft(CONTENT_ID)
    theirs.title = "别处的标题"
    other.save_draft(theirs)
    editor.session.set_lock(window.ctx.store.lock(CONTENT_ID))
    editor.session.edit("title", lambda d: setattr(d, "title", "我的标题"))
    assert not editor.session.save_now()
    assert "未保存" in editor.save_state.text() and "title" in editor.save_state.text()
    assert editor.session.draft.title == "我的标题"
    assert ctx.store.load(CONTENT_ID).draft.title == "别处的标题"
    window.shutdown()
    ctx.store.close()


def test_after_a_takeover_and_release_the_banner_does_not_blame_ourselves(
    qtbot: QtBot, folder: Path, ctx: AppContext
) -> None:
    window = _window(qtbot, ctx)
    editor = window.open_draft(CONTENT_ID)
    assert editor is not None
    other = Workspace.open(folder, Passphrase(PASSPHRASE))
    other.lock(CONTENT_ID, force=True)
    other.close()  # took it over, and released it
    editor.session.edit("title", lambda d: setattr(d, "title", "我的修改"))
    assert not editor.session.save_now()
    text = editor.banner.label.text()
    assert editor.banner.isVisible() and "接管" in text
    assert "正在编辑" not in text and "?" not in text
    window.shutdown()
    ctx.store.close()


def test_a_sync_conflict_asks_which_copy_to_keep(
    qtbot: QtBot, folder: Path, ctx: AppContext, tmp_path: Path
) -> None:
    import shutil
    import subprocess

    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed")
    laptop = tmp_path / "laptop"
    shutil.copytree(folder, laptop)
    there = Workspace.open(laptop, Passphrase(PASSPHRASE), cache_dir=tmp_path / "laptop-cache")
    draft = there.load_draft(CONTENT_ID)
    draft.title = "笔记本上改的"
    there.save_draft(draft)
    here = Workspace.open(folder, Passphrase(PASSPHRASE))
    draft = here.load_draft(CONTENT_ID)
    draft.title = "办公室改的"
    here.save_draft(draft)
    for source, target in ((laptop, folder), (folder, laptop)):
        subprocess.run(["rsync", "-a", f"{source}/", f"{target}/"], check=True)

    window = _window(qtbot, ctx)
    assert "同步冲突" in _status(window)[CONTENT_ID]
    offered: list[str] = []

    def keep_the_laptops(box: QMessageBox) -> None:
        buttons = [b for b in box.buttons() if "笔记本上改的" in b.text()]
        offered.extend(b.text() for b in box.buttons())
        buttons[0].click()

    window._run_box = keep_the_laptops  # type: ignore[method-assign]
    editor = window.open_draft(CONTENT_ID)
    assert editor is not None and editor.session.draft.title == "笔记本上改的"
    assert any("办公室改的" in text for text in offered)
    assert "同步冲突" not in _status(window)[CONTENT_ID]
    window.shutdown()
    ctx.store.close()


def test_a_repaired_pdf_is_an_error_on_the_attachments_page_until_confirmed(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    from desktop.app.wizard.pages.attachments import AttachmentsPage
    from forms.draft.flow import StepId
    from tests.test_pdf_repair import cut_scan

    download = cut_scan(tmp_path)
    window = _window(qtbot, ctx)
    editor = window.open_draft(CONTENT_ID)
    assert editor is not None
    editor.go(StepId.ATTACHMENTS)
    page = editor.pages[StepId.ATTACHMENTS]
    assert isinstance(page, AttachmentsPage)
    page.add_files("audit_report", [download])
    qtbot.waitUntil(lambda: not page.storing, timeout=20_000)
    row = next(i for i, a in enumerate(editor.session.draft.attachments) if a.file == download.name)

    def check() -> str:
        cell = page.files.item(row, 5)
        return cell.text() if cell is not None else ""

    qtbot.waitUntil(lambda: "只读出 4 页" in check(), timeout=20_000)
    assert "声明 8 页" in check() and "✔" not in check()
    codes = {f.code for f in editor.session.check_now()}
    assert "attachment.repaired_unconfirmed_of" in codes  # an error: export stays disabled
    page.files.selectRow(row)
    assert page.confirm_button.isEnabled()
    page.confirm_button.click()
    qtbot.waitUntil(lambda: "已与原件核对" in check(), timeout=10_000)
    assert not page.confirm_button.isEnabled()  # nothing left to confirm
    assert "attachment.repaired_unconfirmed_of" not in {f.code for f in editor.session.check_now()}
    repair = editor.session.draft.attachments[row].repair
    assert repair is not None and repair.confirmed
    window.shutdown()
    ctx.store.close()
