"""The main window: workspace table, actions with confirmation, several drafts, crash restore.

All through the encrypted workspace (passphrase: CI has no keyring). The crash test kills
a real GUI process with SIGKILL after an autosave and reopens its workspace here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.app.context import AppContext
from desktop.app.demo import demo_context, seed_workspace
from desktop.app.journal import read_journal
from desktop.app.main_window import MainWindow
from forms.catalog.model import Catalog
from forms.draft.flow import StepId
from tests.conftest import ROOT

pytestmark = pytest.mark.usefixtures("cheap_scrypt")
CONTENT_ID = "demo-content-creation-xingyu"
GAME_ID = "demo-game-nanxiang"


def type_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return seed_workspace(tmp_path / "ws")


@pytest.fixture
def ctx(folder: Path, catalog: Catalog) -> Iterator[AppContext]:
    context = demo_context(folder, catalog=catalog)
    yield context
    context.store.close()


def make_window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def rows(window: MainWindow) -> list[str]:
    proxy = window.workspace.proxy
    return [proxy.index(r, 1).data() for r in range(proxy.rowCount())]


def test_workspace_lists_drafts_with_status_completeness_and_window(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = make_window(qtbot, ctx)
    view = window.workspace
    assert view.proxy.rowCount() == 3
    by_title = {
        view.proxy.index(r, 1).data(): [view.proxy.index(r, c).data() for c in range(7)]
        for r in range(3)
    }
    content = next(v for k, v in by_title.items() if k.startswith("星语剧场"))
    assert content[2] == "内容创作产品"
    assert content[3] == "可导出" and content[4] == "100%"
    assert "剩 12 天" in content[5]  # 2025-09-10 to the 22 September close
    game = next(v for k, v in by_title.items() if k.startswith("像素纪元"))
    assert game[3] == "草稿" and "✖2" in game[4]
    window.shutdown()


def test_search_and_status_filter(qtbot: QtBot, ctx: AppContext) -> None:
    window = make_window(qtbot, ctx)
    view = window.workspace
    view.search.setText("游戏")
    assert len(rows(window)) == 1 and rows(window)[0].startswith("像素纪元")
    view.search.setText("91310104MA1FR6K2XF")  # credit codes are searchable too
    assert len(rows(window)) == 1 and rows(window)[0].startswith("星语剧场")
    view.search.clear()
    view.status_filter.setCurrentIndex(view.status_filter.findData("ready"))
    assert len(rows(window)) == 1
    view.status_filter.setCurrentIndex(0)
    assert len(rows(window)) == 3
    window.shutdown()


def test_delete_asks_and_can_be_restored(qtbot: QtBot, ctx: AppContext) -> None:
    window = make_window(qtbot, ctx)
    asked: list[str] = []

    def decline(title: str, text: str) -> bool:
        asked.append(text)
        return False

    window.confirm = decline
    window.workspace.select_draft(GAME_ID)
    window.delete_selected()
    assert asked and "像素纪元" in asked[0]
    assert window.workspace.proxy.rowCount() == 3  # declined: nothing happened
    window.confirm = lambda title, text: True
    window.workspace.select_draft(GAME_ID)
    window.delete_selected()
    assert window.workspace.proxy.rowCount() == 2
    deleted = ctx.store.deleted()
    assert [v.draft_id for v in deleted] == [GAME_ID]
    ctx.store.restore(GAME_ID, deleted[0].version)
    window.workspace.reload()
    assert window.workspace.proxy.rowCount() == 3
    window.shutdown()


def test_duplicate_and_several_drafts_open_at_once(qtbot: QtBot, ctx: AppContext) -> None:
    window = make_window(qtbot, ctx)
    window.workspace.select_draft(CONTENT_ID)
    window.duplicate_selected()
    assert window.workspace.proxy.rowCount() == 4
    assert any("副本" in title for title in rows(window))
    first = window.open_draft(CONTENT_ID)
    second = window.open_draft(GAME_ID)
    assert first is not None and second is not None
    assert window.tabs.count() == 3
    assert window.open_draft(CONTENT_ID) is first  # opening again switches to its tab
    assert window.tabs.currentWidget() is first
    window.close_tab(window.tabs.indexOf(second))
    assert window.tabs.count() == 2 and GAME_ID not in window.editors
    window.shutdown()


def test_a_new_draft_is_prefilled_from_the_selected_client(qtbot: QtBot, ctx: AppContext) -> None:
    from forms.draft.model import Company, Profile, YearFinancials

    profile = Profile(
        company=Company(name="上海甲乙科技有限公司", district="闵行区", legal_representative="甲"),
        financials=[YearFinancials(year=2024, revenue=1_000_000)],
    )
    client = ctx.store.add_client(profile)
    window = make_window(qtbot, ctx)
    window.workspace.select_client(client.id)
    draft_id = window.new_draft()
    draft = window.editors[draft_id].session.draft
    assert draft.company == profile.company and draft.financials == profile.financials
    assert ctx.store.load(draft_id).client_id == client.id
    window.shutdown()


_CRASHING_GUI = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from desktop.app.demo import demo_context
from desktop.app.main_window import MainWindow
from forms.draft.flow import StepId

app = QApplication(sys.argv[:1])
window = MainWindow(demo_context(Path(sys.argv[1])))
window.show()
editor = window.open_draft("demo-content-creation-xingyu")
page = editor.pages[StepId.COMPANY]
page.legal.clear()
page.legal.setFocus()
for char in "王五":
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        app.sendEvent(page.legal, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
editor.go(StepId.PROJECT)
deadline = time.monotonic() + 30
while editor.session.dirty and time.monotonic() < deadline:  # the autosave timer's save
    app.processEvents()
    time.sleep(0.01)
print("saved" if not editor.session.dirty else "not saved", flush=True)
time.sleep(120)
"""


@pytest.mark.slow
def test_crash_reopen_restores_the_draft_where_it_was(
    qtbot: QtBot, folder: Path, catalog: Catalog
) -> None:
    """A real GUI process autosaves an edit and is killed (SIGKILL: no close event, no
    flush, its edit lock left behind); the next start restores the draft from the
    workspace, on the same step, and takes the dead process's lock over by itself."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    with subprocess.Popen(
        [sys.executable, "-c", _CRASHING_GUI, str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "saved"
            assert not read_journal().clean
        finally:
            child.kill()  # SIGKILL
            child.wait()
    held = list((folder / "locks").glob("*.lock"))
    assert len(held) == 1  # the dead process's lock is still there

    ctx2 = demo_context(folder, catalog=catalog)
    reopened = make_window(qtbot, ctx2)
    assert reopened.restore_session() is True
    assert CONTENT_ID in reopened.editors
    restored = reopened.editors[CONTENT_ID]
    assert restored.current_step() is StepId.PROJECT
    assert restored.session.draft.company.legal_representative == "王五"
    assert not restored.session.read_only  # our own crashed instance: taken over
    assert reopened.tabs.currentWidget() is restored
    assert "上次未正常退出" in reopened.statusBar().currentMessage()
    reopened.shutdown()
    assert read_journal().clean
    assert list((folder / "locks").glob("*.lock")) == []  # released on close
    ctx2.store.close()


def test_a_clean_exit_reopens_without_the_crash_notice(
    qtbot: QtBot, ctx: AppContext, folder: Path, catalog: Catalog
) -> None:
    window = make_window(qtbot, ctx)
    window.open_draft(GAME_ID)
    assert list((folder / "locks").glob("*.lock"))
    window.close()
    assert list((folder / "locks").glob("*.lock")) == []  # locks given back on close
    ctx2 = demo_context(folder, catalog=catalog)
    reopened = make_window(qtbot, ctx2)
    assert reopened.restore_session() is False
    assert GAME_ID in reopened.editors
    assert not reopened.editors[GAME_ID].session.read_only
    reopened.shutdown()
    ctx2.store.close()


def test_overview_and_wizard_agree_on_a_missing_attachment_file(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """A draft whose attached file is not stored in the workspace is not "可导出" in the
    overview while the wizard reports the file missing: both judge it in one context."""
    from desktop.app.session import DraftSession

    info = next(i for i in ctx.store.drafts() if i.draft.id == CONTENT_ID)
    draft = info.draft.model_copy(deep=True)
    draft.attachments[0].sha256 = "0" * 64  # names content the workspace does not hold
    ctx.store.save(draft)
    window = make_window(qtbot, ctx)
    view = window.workspace
    row = next(r for r in view.rows if r.info.draft.id == CONTENT_ID)
    assert row.errors > 0 and row.shown_status.value != "ready"
    session = DraftSession(ctx, ctx.store.load(CONTENT_ID).draft)
    codes = {f.code for f in session.check_now()}
    assert "attachment.file_missing" in codes
