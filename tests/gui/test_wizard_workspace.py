"""The desktop on the encrypted workspace: unlocking (keyring, passphrase dialog, wrong
passphrase, demo banner), edit locks between processes, and the command line seeing what
the GUI saved. No real keyring is touched: the conftest installs keyring's failing
backend, and the keyring tests an in-memory one."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.app.context import AppContext
from desktop.app.demo import demo_context, seed_workspace
from desktop.app.main import build_context
from desktop.app.main_window import MainWindow
from desktop.app.passphrase import PassphraseDialog
from desktop.app.unlock import Mode, open_or_create
from desktop.app.wizard.pages.company import CompanyPage
from forms.catalog.model import Catalog
from forms.draft.flow import StepId
from forms.workspace import (
    DEMO_PASSPHRASE,
    KeyUnavailableError,
    Passphrase,
    UseKeyring,
    Workspace,
)
from tests.conftest import ROOT
from tests.workspace_helpers import (
    PASSPHRASE,
    MemoryKeyring,
    MemoryStore,
    all_files,
    use_keyring,
)

pytestmark = pytest.mark.usefixtures("cheap_scrypt")
CONTENT_ID = "demo-content-creation-xingyu"


class Answers:
    """An `unlock.Ask` that gives prepared answers and records what it was asked."""

    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[Mode, bool]] = []

    def __call__(self, mode: Mode, wrong: bool) -> str | None:
        self.asked.append((mode, wrong))
        return self.answers.pop(0)


# --- unlocking --------------------------------------------------------------------------


def test_with_a_keyring_a_new_workspace_asks_nothing(tmp_path: Path) -> None:
    store = MemoryStore()
    never = Answers()
    ws = open_or_create(tmp_path / "ws", never, key_store=store)
    assert ws is not None and ws.meta.key.source == "keyring" and never.asked == []
    assert store.keys == {ws.meta.id: store.keys[ws.meta.id]}
    ws.close()
    again = open_or_create(tmp_path / "ws", never, key_store=store)
    assert again is not None and never.asked == []
    again.close()


def test_the_os_keyring_through_keyring_package(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    with use_keyring(backend):
        ctx = build_context(tmp_path / "ws", None, ask=Answers())
    assert ctx is not None and not ctx.store.is_demo
    assert [service for service, _ in backend.secrets] == ["shenbao"]
    ctx.store.close()


def test_without_a_keyring_a_new_workspace_needs_a_passphrase(tmp_path: Path) -> None:
    """The conftest's failing keyring stands for a machine without one: the user chooses
    a passphrase (never a plain-text fallback), and a cancel creates nothing."""
    cancel = Answers(None)
    assert open_or_create(tmp_path / "ws", cancel) is None
    assert cancel.asked == [("create", False)]
    assert not (tmp_path / "ws" / "workspace.json").exists()
    ws = open_or_create(tmp_path / "ws", Answers(PASSPHRASE))
    assert ws is not None and ws.meta.key.source == "passphrase"
    ws.close()
    Workspace.open(tmp_path / "ws", Passphrase(PASSPHRASE)).close()


def test_a_wrong_passphrase_is_refused_and_asked_again(tmp_path: Path) -> None:
    seed_workspace(tmp_path / "ws", passphrase=PASSPHRASE)
    answers = Answers("not the passphrase", "also wrong", PASSPHRASE)
    ws = open_or_create(tmp_path / "ws", answers)
    assert ws is not None
    assert answers.asked == [("unlock", False), ("unlock", True), ("unlock", True)]
    assert any(info.id == CONTENT_ID for info in ws.drafts())
    ws.close()
    giving_up = Answers("wrong", None)
    assert open_or_create(tmp_path / "ws", giving_up) is None


def test_a_keyring_only_workspace_on_a_machine_without_the_key_says_so(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "ws", UseKeyring(MemoryStore())).close()
    never = Answers()
    with pytest.raises(KeyUnavailableError, match="keyring"):
        open_or_create(tmp_path / "ws", never, key_store=MemoryStore())
    assert never.asked == []  # no passphrase exists: asking for one would be a lie


def test_a_folder_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception, match=r"neither empty"):
        open_or_create(tmp_path / "ws", Answers())
    assert (tmp_path / "ws" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_passphrase_dialog_path(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build_context with its real dialog: create (twice, with a strength hint), then
    unlock, where a wrong passphrase is refused with a message and the dialog stays."""
    typed = iter(
        [
            ("create", ["correct horse battery staple", "correct horse battery staple"]),
            ("unlock", ["wrong horse"]),
            ("unlock", ["correct horse battery staple"]),
        ]
    )
    seen: list[str] = []

    def fill_in(dialog: PassphraseDialog) -> int:
        mode, texts = next(typed)
        assert dialog.mode == mode
        seen.append(dialog.hint.text())
        QTest.keyClicks(dialog.first, texts[0])
        if mode == "create":
            ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
            assert ok is not None and not ok.isEnabled()  # not typed twice yet
            QTest.keyClicks(dialog.second, texts[1])
            assert ok.isEnabled() and "强" in dialog.hint.text()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(PassphraseDialog, "exec", fill_in)
    created = build_context(tmp_path / "ws", None)
    assert created is not None and created.store.folder == tmp_path / "ws"
    assert not created.store.is_demo
    created.store.close()
    opened = build_context(tmp_path / "ws", None)
    assert opened is not None
    assert "不正确" in seen[-1]  # the second unlock dialog said why it came back
    opened.store.close()


def test_the_create_dialog_wants_two_equal_passphrases_of_eight_characters(qtbot: QtBot) -> None:
    dialog = PassphraseDialog("create")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    QTest.keyClicks(dialog.first, "short")
    assert not ok.isEnabled() and "太短" in dialog.hint.text()
    dialog.first.clear()
    QTest.keyClicks(dialog.first, "abcdefgh")
    QTest.keyClicks(dialog.second, "abcdefgh")
    assert not ok.isEnabled() and "太容易猜" in dialog.hint.text()
    dialog.first.clear()
    dialog.second.clear()
    QTest.keyClicks(dialog.first, "our own long passphrase")
    QTest.keyClicks(dialog.second, "our own long passphrasX")
    assert not ok.isEnabled() and "不一致" in dialog.hint.text()
    dialog.second.clear()
    QTest.keyClicks(dialog.second, "our own long passphrase")
    assert ok.isEnabled() and "足够" in dialog.hint.text()


@pytest.mark.parametrize(
    ("passphrase", "strong"),
    [
        ("Password123!", False),  # the old meter said 强 (78.7 bits)
        ("Tr0ub4dor&3", False),
        ("shanghai2025", False),
        ("correct horse battery staple", True),
        ("申报助手：四月交给经信委的材料", True),
    ],
)
def test_the_create_dialog_requires_a_passphrase_that_resists_offline_guessing(
    qtbot: QtBot, passphrase: str, strong: bool
) -> None:
    dialog = PassphraseDialog("create")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    dialog.first.setText(passphrase)
    dialog.second.setText(passphrase)
    assert ok.isEnabled() is strong
    hint = dialog.hint.text()
    assert ("足够" in hint) is strong
    if not strong:
        assert "不限次数" in hint and "10^12" in hint  # the dialog says why


# --- the demo workspace -----------------------------------------------------------------


def test_a_demo_workspace_shows_a_banner_until_a_passphrase_is_set(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog
) -> None:
    folder = seed_workspace(tmp_path / "ws")  # the public demo passphrase
    ctx = build_context(folder, None, ask=Answers())  # opens without asking
    assert ctx is not None and ctx.store.is_demo
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.demo_banner.isVisible() and "演示" in window.demo_banner.label.text()

    def fill(dialog: PassphraseDialog) -> bool:
        dialog.first.setText("our own long passphrase")
        dialog.second.setText("our own long passphrase")
        return True

    window._run_dialog = fill  # type: ignore[method-assign]
    window.demo_banner.button.click()
    assert not window.demo_banner.isVisible()
    assert not Workspace.read_meta(folder).key.demo
    window.shutdown()
    ctx.store.close()
    with pytest.raises(Exception, match="wrong passphrase"):
        Workspace.open(folder, Passphrase(DEMO_PASSPHRASE))
    Workspace.open(folder, Passphrase("our own long passphrase")).close()


# --- locks ------------------------------------------------------------------------------


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A workspace whose content draft is held open by another process."""
    folder = seed_workspace(tmp_path / "ws", passphrase=PASSPHRASE)
    with subprocess.Popen(
        [sys.executable, "-m", "tests.workspace_helpers", "holder", str(folder), CONTENT_ID],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        try:
            yield folder, holder
        finally:
            holder.kill()
            holder.wait()


def test_a_draft_locked_by_another_process_opens_read_only(
    qtbot: QtBot, locked: tuple[Path, subprocess.Popen[str]], catalog: Catalog
) -> None:
    folder, holder = locked
    ctx = demo_context(folder, catalog=catalog, passphrase=PASSPHRASE)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    editor = window.open_draft(CONTENT_ID)
    assert editor is not None and editor.session.read_only
    banner = editor.banner.label.text()
    assert editor.banner.isVisible() and "只读" in banner
    info = ctx.store.lock_holder(CONTENT_ID)
    assert info is not None and info.holder in banner and info.pid == holder.pid
    page = editor.pages[StepId.COMPANY]
    assert isinstance(page, CompanyPage)
    assert not page.body.isEnabled()
    before = ctx.store.history(CONTENT_ID)
    assert editor.session.edit("title", lambda d: setattr(d, "title", "x")) is not None
    assert not editor.session.dirty
    editor.session.save_now()
    assert ctx.store.history(CONTENT_ID) == before  # nothing written

    asked: list[str] = []

    def decline(title: str, text: str) -> bool:
        asked.append(text)
        return False

    window.confirm = decline
    editor.banner.button.click()  # "take over", declined
    assert asked and info.holder in asked[0] and editor.session.read_only

    window.confirm = lambda title, text: True
    editor.banner.button.click()  # confirmed: force the lock
    assert not editor.session.read_only and not editor.banner.isVisible()
    assert page.body.isEnabled()
    assert editor.session.edit("title", lambda d: setattr(d, "title", "接管后")) is None
    assert editor.session.save_now()
    assert ctx.store.load(CONTENT_ID).draft.title == "接管后"
    holder_now = ctx.store.lock_holder(CONTENT_ID)
    assert holder_now is not None and holder_now.pid != holder.pid
    window.shutdown()
    ctx.store.close()


def test_a_lock_taken_over_elsewhere_turns_the_editor_read_only(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog
) -> None:
    folder = seed_workspace(tmp_path / "ws", passphrase=PASSPHRASE)
    ctx = demo_context(folder, catalog=catalog, passphrase=PASSPHRASE)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    editor = window.open_draft(CONTENT_ID)
    assert editor is not None and not editor.session.read_only
    other = Workspace.open(folder, Passphrase(PASSPHRASE))
    other.lock(CONTENT_ID, force=True)  # a colleague took it over after confirming
    editor.session.edit("title", lambda d: setattr(d, "title", "我的修改"))
    assert not editor.session.save_now()
    assert editor.session.read_only and editor.banner.isVisible()
    assert editor.session.draft.title == "我的修改"  # kept in memory, not lost
    other.close()
    window.shutdown()
    ctx.store.close()


# --- one workspace for the GUI and the command line -------------------------------------


def test_the_command_line_sees_what_the_gui_saved(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = seed_workspace(tmp_path / "ws", drafts=False, passphrase=PASSPHRASE)
    ctx: AppContext = demo_context(folder, catalog=catalog, passphrase=PASSPHRASE)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    draft_id = window.new_draft()
    editor = window.editors[draft_id]
    editor.session.edit("title", lambda d: setattr(d, "title", "命令行可见"))
    editor.session.save_now()
    window.shutdown()
    ctx.store.close()
    before = all_files(folder)
    assert not any("命令行可见".encode() in data for data in before.values())

    monkeypatch.setenv("SHENBAO_PASSPHRASE", PASSPHRASE)
    run = [sys.executable, "-m", "desktop.cli.main", "--workspace", str(folder)]
    env = {"SHENBAO_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    listed = _cli([*run[:3], "drafts", "--workspace", str(folder), "--json"], env)
    assert [(d["id"], d["title"]) for d in json.loads(listed)] == [(draft_id, "命令行可见")]
    history = _cli([*run[:3], "draft", "history", draft_id, "--workspace", str(folder)], env)
    assert "create" in history and "save" in history


def _cli(argv: list[str], env: dict[str, str]) -> str:
    import os

    done = subprocess.run(
        argv, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
