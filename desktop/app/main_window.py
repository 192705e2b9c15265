"""The main window: the workspace overview and a tab per open draft.

Several drafts can be open at once, each with its own wizard, undo history and
autosave. The journal of open drafts is written as tabs open, close and change step, so
after a crash the same drafts reopen where they were. Language and money unit are
switched from the Settings menu; a language switch rebuilds the window (the
application does that, see app.py), a unit switch redraws amounts in place.

Opening a draft takes its edit lock in the workspace. When another instance holds it
the draft opens read-only with a banner naming who and since when; "take over" forces
the lock after the user confirms. A lock left by this user's own crashed instance on
this machine (the process is gone) is taken over without asking: it is certainly ours.
A workspace opened with the public demo passphrase shows a banner until the user sets a
passphrase (File → Set passphrase…).

Signals:
    language_requested(str): the user chose another interface language ("zh" or "en").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt
from desktop.app.context import AppContext
from desktop.app.dialogs import NewClientDialog, VersionDialog
from desktop.app.journal import Journal, OpenDraft, read_journal, write_journal
from desktop.app.passphrase import PassphraseDialog
from desktop.app.session import DraftSession
from desktop.app.store import DraftInfo, DraftNotFound
from desktop.app.widgets.banner import Banner
from desktop.app.wizard.editor import DraftEditor
from desktop.app.workspace_view import ALL, WorkspaceView
from forms.draft.flow import StepId
from forms.draft.model import Draft
from forms.draft.money import MoneyUnit
from forms.system.paths import data_home
from forms.system.resources import resource_path
from forms.text import TextError
from forms.workspace import DraftDamagedError, DraftLockedError, EditLock, WorkspaceError
from forms.workspace.locks import current_user

Confirm = Callable[[str, str], bool]
_T = TypeVar("_T")


def _window_settings() -> QSettings:
    """Window geometry only (house style: everything else is the typed settings model)."""
    return QSettings(str(data_home() / "window.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    language_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editors: dict[str, DraftEditor] = {}
        self.confirm: Confirm = self._ask
        self.undo_group = QUndoGroup(self)
        self.setWindowTitle(self.tr("申报助手 — 上海“人工智能+”政策申报"))
        icon = resource_path("icons", "shenbao.svg")
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))
        self.resize(1280, 820)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setAccessibleName(self.tr("打开的草稿"))
        self.workspace = WorkspaceView(ctx, self.tabs)
        self.tabs.addTab(self.workspace, self.tr("工作区"))
        bar = self.tabs.tabBar()
        if bar is not None:
            bar.setTabButton(0, bar.ButtonPosition.RightSide, None)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.demo_banner = Banner("warning", central)
        self.demo_banner.activated.connect(self.set_passphrase)
        column.addWidget(self.demo_banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.where = QLabel(self)
        self.statusBar().addPermanentWidget(self.where)
        self._actions()
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.workspace.open_requested.connect(self.open_draft)
        self.workspace.selection_changed.connect(self._update_actions)
        self.workspace.reload()
        self.where.setText(self.tr("工作区：{path}").format(path=ctx.store.folder))
        self._show_demo_banner()
        self._restore_geometry()
        self._update_actions()

    # --- actions ----------------------------------------------------------------------
    def _action(
        self, text: str, slot: Callable[[], object], shortcut: str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        return action

    def _actions(self) -> None:
        self.new_client_action = self._action(self.tr("新建单位(&C)…"), self.new_client)
        self.new_draft_action = self._action(self.tr("新建草稿(&N)"), self.new_draft, "Ctrl+N")
        self.open_action = self._action(self.tr("打开草稿(&O)"), self.open_selected, "Ctrl+O")
        self.duplicate_action = self._action(
            self.tr("复制草稿(&D)"), self.duplicate_selected, "Ctrl+D"
        )
        self.delete_action = self._action(self.tr("删除草稿(&L)…"), self.delete_selected, "Del")
        self.history_action = self._action(self.tr("历史版本(&H)…"), self.restore_version)
        self.deleted_action = self._action(self.tr("恢复已删除的草稿(&R)…"), self.restore_deleted)
        self.workspace_action = self._action(
            self.tr("打开工作区文件夹(&W)…"), self.choose_workspace
        )
        self.passphrase_action = self._action(self.tr("设置口令(&P)…"), self.set_passphrase)
        self.quit_action = self._action(self.tr("退出(&X)"), self.close, "Ctrl+Q")
        self.undo_action = self.undo_group.createUndoAction(self, self.tr("撤销(&U)"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("重做(&R)"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)

        # The draft actions stand in the File menu and, the same, in the toolbar.
        draft_actions = (
            self.new_client_action,
            self.new_draft_action,
            self.open_action,
            self.duplicate_action,
            self.delete_action,
        )
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("文件(&F)"))
        file_menu.addActions(draft_actions)
        file_menu.addSeparator()
        file_menu.addAction(self.history_action)
        file_menu.addAction(self.deleted_action)
        file_menu.addSeparator()
        file_menu.addAction(self.workspace_action)
        file_menu.addAction(self.passphrase_action)
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu(self.tr("编辑(&E)"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        settings_menu = menu.addMenu(self.tr("设置(&S)"))
        language_menu = settings_menu.addMenu(self.tr("界面语言(&L)"))
        group = QActionGroup(self)
        for code, text in (("zh", "中文"), ("en", "English")):
            action = QAction(text, self, checkable=True)
            action.setChecked(self.ctx.lang == code)
            action.triggered.connect(lambda _=False, c=code: self._language(c))
            group.addAction(action)
            language_menu.addAction(action)
        unit_menu = settings_menu.addMenu(self.tr("金额单位(&M)"))
        units = QActionGroup(self)
        self.unit_actions: dict[MoneyUnit, QAction] = {}
        for unit, text in ((MoneyUnit.WAN_YUAN, self.tr("万元")), (MoneyUnit.YUAN, self.tr("元"))):
            action = QAction(text, self, checkable=True)
            action.setChecked(self.ctx.unit is unit)
            action.triggered.connect(lambda _=False, u=unit: self.set_unit(u))
            units.addAction(action)
            unit_menu.addAction(action)
            self.unit_actions[unit] = action
        help_menu = menu.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self._action(self.tr("关于(&A)"), self._about))

        toolbar = QToolBar(self.tr("工具栏"), self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addActions(draft_actions)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        self.addToolBar(toolbar)

    def _update_actions(self) -> None:
        selected = self.workspace.current_draft_id() is not None
        on_workspace = self.tabs.currentWidget() is self.workspace
        for action in (
            self.open_action,
            self.duplicate_action,
            self.delete_action,
            self.history_action,
        ):
            action.setEnabled(selected and on_workspace)

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # --- workspace actions ---------------------------------------------------------------
    def new_client(self) -> None:
        dialog = NewClientDialog(self.ctx, self)
        if dialog.exec():
            self.ctx.store.add_client(dialog.profile())
            self.workspace.reload()

    def new_draft(self) -> str:
        """A new draft, prefilled from the selected client when there is one."""
        draft = Draft()
        client_id: str | None = None
        client = self.workspace.current_client()
        if client not in (None, ALL):
            for known in self.ctx.store.clients():
                if (known.profile.company.name or known.id) == client:
                    profile = known.profile
                    draft = Draft(
                        company=profile.company,
                        financials=profile.financials,
                        declarations=profile.declarations,
                    )
                    draft.project.metrics = dict(profile.metrics)
                    client_id = known.id
                    break
        info = self.ctx.store.save(draft, client_id)
        self.workspace.reload()
        self.open_draft(info.id)
        return info.id

    def open_selected(self) -> None:
        draft_id = self.workspace.current_draft_id()
        if draft_id is not None:
            self.open_draft(draft_id)

    def duplicate_selected(self) -> None:
        draft_id = self.workspace.current_draft_id()
        if draft_id is None:
            return
        self._flush(draft_id)
        info = self._try(lambda: self.ctx.store.duplicate(draft_id))
        self.workspace.reload()
        if info is not None:
            self.workspace.select_draft(info.id)

    def delete_selected(self) -> None:
        draft_id = self.workspace.current_draft_id()
        if draft_id is None:
            return
        draft = self.ctx.store.load(draft_id).draft
        name = draft.title or draft.project.name or draft.company.name or draft_id
        if not self.confirm(
            self.tr("删除草稿"),
            self.tr("确定删除“{name}”吗？删除后可从“文件 → 恢复已删除的草稿”找回。").format(
                name=name
            ),
        ):
            return
        if draft_id in self.editors:
            self.close_tab(self.tabs.indexOf(self.editors[draft_id]))
        self._try(lambda: self.ctx.store.delete(draft_id))
        self.workspace.reload()

    def restore_deleted(self) -> None:
        versions = self.ctx.store.deleted()
        names = {v.draft_id: v.title or v.draft_id for v in versions}
        dialog = VersionDialog(self.ctx, self.tr("恢复已删除的草稿"), versions, names, self)
        if dialog.exec() and (version := dialog.chosen()) is not None:
            self._try(lambda: self.ctx.store.restore(version.draft_id, version.version))
            self.workspace.reload()

    def restore_version(self) -> None:
        draft_id = self.workspace.current_draft_id()
        if draft_id is None:
            return
        self._flush(draft_id)
        versions = self.ctx.store.history(draft_id)
        draft = self.ctx.store.load(draft_id).draft
        names = {draft_id: draft.title or draft.project.name or draft_id}
        dialog = VersionDialog(self.ctx, self.tr("历史版本"), versions, names, self)
        if dialog.exec() and (version := dialog.chosen()) is not None:
            info = self._try(lambda: self.ctx.store.restore(draft_id, version.version))
            if info is not None and draft_id in self.editors:
                self.editors[draft_id].session.reload(info.draft)
            self.workspace.reload()

    def _try(self, work: Callable[[], _T]) -> _T | None:
        """Run a workspace operation; a refusal (the draft is locked elsewhere, the disk
        is full) is shown to the user instead of ending the program."""
        try:
            return work()
        except (WorkspaceError, OSError) as exc:
            message = exc.message(self.ctx.lang) if isinstance(exc, TextError) else str(exc)
            QMessageBox.warning(self, self.tr("工作区"), message)
            return None

    # --- passphrase -------------------------------------------------------------------
    def _show_demo_banner(self) -> None:
        if self.ctx.store.is_demo:
            self.demo_banner.show_message(
                self.tr(
                    "这是演示工作区：它用公开的演示口令加密，任何人都能打开。"
                    "录入真实资料之前，请设置您自己的口令。"
                ),
                self.tr("设置口令…"),
            )
        else:
            self.demo_banner.hide()

    def set_passphrase(self) -> bool:
        """Set or change the workspace passphrase (it opens the workspace on any machine)."""
        dialog = PassphraseDialog("create", self.ctx.store.folder, self)
        dialog.setWindowTitle(self.tr("设置口令"))
        dialog.set_intro(
            self.tr(
                "设置后，凭此口令可在任何电脑上打开此工作区（例如换电脑或放在共享盘上）。"
                "口令遗失后资料无法找回，请妥善保管。"
            )
        )
        if not self._run_dialog(dialog):
            return False

        def change() -> bool:
            self.ctx.store.set_passphrase(dialog.passphrase())
            return True

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # scrypt takes a moment
        try:
            done = self._try(change)
        finally:
            QApplication.restoreOverrideCursor()
        if done:
            self._show_demo_banner()
            self.statusBar().showMessage(self.tr("口令已设置。"), 8000)
        return bool(done)

    def _run_dialog(self, dialog: PassphraseDialog) -> bool:
        """Tests replace this to fill the dialog in."""
        return dialog.exec() == PassphraseDialog.DialogCode.Accepted

    def choose_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("工作区文件夹"), str(self.ctx.store.folder)
        )
        if folder:
            self.ctx.settings.last_workspace = Path(folder)
            self.ctx.save_settings()
            QMessageBox.information(
                self, self.tr("工作区"), self.tr("重新启动后打开新的工作区文件夹。")
            )

    def _flush(self, draft_id: str) -> None:
        editor = self.editors.get(draft_id)
        if editor is not None:
            editor.session.save_now()

    # --- drafts in tabs -----------------------------------------------------------------
    def open_draft(self, draft_id: str, step: StepId | None = None) -> DraftEditor | None:
        if draft_id in self.editors:
            editor = self.editors[draft_id]
            self.tabs.setCurrentWidget(editor)
            return editor
        try:
            info = self.ctx.store.load(draft_id)
        except DraftDamagedError as exc:
            return self._offer_restore(exc)
        except (DraftNotFound, OSError, WorkspaceError):
            return None
        if info.conflict:
            resolved = self._offer_resolve(draft_id)
            info = resolved or info
        lock, holder = self._take_lock(draft_id)
        session = DraftSession(
            self.ctx, info.draft, step=step or StepId.COMPANY, lock=lock, base=info.version
        )
        editor = DraftEditor(self.ctx, session, self.tabs)
        editor.show_holder(holder)
        editor.take_over_requested.connect(lambda e=editor: self.take_over(e))
        self.editors[draft_id] = editor
        self.undo_group.addStack(session.undo_stack)
        index = self.tabs.addTab(editor, editor.display_title()[:24])
        self.tabs.setTabToolTip(index, editor.display_title())
        self.tabs.setCurrentIndex(index)
        editor.title_changed.connect(lambda title, e=editor: self._retitle(e, title))
        session.step_changed.connect(lambda _: self.write_journal(clean=False))
        session.saved.connect(lambda _: self.workspace.reload())
        self.write_journal(clean=False)
        return editor

    def _offer_restore(self, exc: DraftDamagedError) -> DraftEditor | None:
        """A draft whose newest file is damaged: say so, and bring back its last good
        version when the user agrees (other drafts are not affected)."""
        versions = ", ".join(str(v) for v in exc.damaged)
        if exc.last_good is None:
            QMessageBox.warning(
                self,
                self.tr("草稿已损坏"),
                self.tr(
                    "此草稿的文件都已损坏，无法读出（其他草稿不受影响）。"
                    "请从备份或同步的另一份工作区中恢复。"
                ),
            )
            return None
        text = self.tr(
            "此草稿第 {versions} 版的文件已损坏（无法解密或校验失败），其他草稿不受影响。"
            "最后完好的是第 {good} 版。\n\n恢复到第 {good} 版吗？（损坏的文件保留，不会被覆盖。）"
        ).format(versions=versions, good=exc.last_good)
        if not self.confirm(self.tr("草稿已损坏"), text):
            return None
        good = exc.last_good
        if self._try(lambda: self.ctx.store.restore(exc.draft_id, good)) is None:
            return None
        self.workspace.reload()
        return self.open_draft(exc.draft_id)

    def _offer_resolve(self, draft_id: str) -> DraftInfo | None:
        """Two copies of the workspace saved this draft while apart (a synced folder):
        both are kept; the user picks the one to go on with (the other stays in the
        history), or decides later."""
        heads = self._try(lambda: self.ctx.store.conflict(draft_id)) or []
        if len(heads) < 2:
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("同步冲突"))
        box.setText(
            self.tr(
                "此草稿在两处分别保存过（例如两台电脑同步同一个工作区文件夹时各自修改），"
                "两份都保留了下来。请选择接着用哪一份；另一份仍可在“历史版本”中找到。"
            )
        )
        choices: dict[QAbstractButton, str] = {}
        for head in heads:
            label = self.tr("用 {when} {author} 保存的（{title}）").format(
                when=fmt.day(head.saved, self.ctx.lang),
                author=head.author,
                title=head.title or head.key,
            )
            choices[box.addButton(label, QMessageBox.ButtonRole.AcceptRole)] = head.key
        box.addButton(self.tr("以后再说"), QMessageBox.ButtonRole.RejectRole)
        self._run_box(box)
        key = choices.get(box.clickedButton())
        if key is None:
            return None
        resolved = self._try(lambda: self.ctx.store.resolve(draft_id, key))
        self.workspace.reload()
        return resolved

    def _run_box(self, box: QMessageBox) -> None:
        """Tests replace this to press a button."""
        box.exec()

    def _take_lock(self, draft_id: str) -> tuple[EditLock | None, DraftLockedError | None]:
        """The draft's edit lock, or None and who holds it (the draft opens read-only)."""
        try:
            return self.ctx.store.lock(draft_id), None
        except DraftLockedError as exc:
            if exc.stale and exc.holder == current_user():
                # Our own instance on this machine crashed: the lock is certainly ours.
                return self.ctx.store.lock(draft_id, force=True), None
            return None, exc
        except (OSError, WorkspaceError) as exc:  # a read-only share: read, do not write
            self.statusBar().showMessage(
                self.tr("无法锁定草稿，只读打开：{error}").format(error=exc), 15000
            )
            return None, None

    def take_over(self, editor: DraftEditor) -> bool:
        """Take a draft's lock from another instance after the user confirmed."""
        session = editor.session
        draft_id = session.draft.id
        holder = editor.holder
        stale = holder is not None and (holder.stale or holder.pid < 0)
        who = holder.holder if holder is not None else "?"
        if stale:
            text = self.tr(
                "{holder} 锁定了此草稿，但其程序已不在运行。接管后由您编辑。确定接管吗？"
            )
        else:
            text = self.tr(
                "{holder} 可能仍在编辑此草稿。接管后，对方将不能再保存，未保存的修改会丢失。"
                "请先与对方确认。确定接管吗？"
            )
        if not self.confirm(self.tr("接管编辑"), text.format(holder=who)):
            return False
        lock = self._try(lambda: self.ctx.store.lock(draft_id, force=True))
        if lock is None:
            return False
        pending = session.dirty  # our own edits the lock loss stopped from being saved
        if not pending:
            latest = self._try(lambda: self.ctx.store.load(draft_id))
            if latest is not None:
                session.reload(latest.draft)
        session.set_lock(lock)
        editor.show_holder(None)
        if pending:
            session.save_now()
        self.workspace.reload()
        return True

    def _retitle(self, editor: DraftEditor, title: str) -> None:
        index = self.tabs.indexOf(editor)
        if index >= 0:
            self.tabs.setTabText(index, title[:24])
            self.tabs.setTabToolTip(index, title)

    def close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if not isinstance(widget, DraftEditor):
            return
        widget.shutdown()
        self.undo_group.removeStack(widget.session.undo_stack)
        self.editors.pop(widget.session.draft.id, None)
        self.tabs.removeTab(index)
        widget.deleteLater()
        self.workspace.reload()
        self.write_journal(clean=False)

    def _tab_changed(self, _index: int) -> None:
        widget = self.tabs.currentWidget()
        if isinstance(widget, DraftEditor):
            self.undo_group.setActiveStack(widget.session.undo_stack)
        else:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
        self._update_actions()
        if widget is not None:
            self.write_journal(clean=False)

    # --- journal and restore ------------------------------------------------------------
    def journal(self, clean: bool) -> Journal:
        current = self.tabs.currentWidget()
        active = current.session.draft.id if isinstance(current, DraftEditor) else None
        return Journal(
            workspace=self.ctx.store.folder,
            open=[OpenDraft(id=i, step=e.current_step()) for i, e in self.editors.items()],
            active=active,
            clean=clean,
        )

    def write_journal(self, clean: bool) -> None:
        write_journal(self.journal(clean))

    def restore_session(self) -> bool:
        """Reopen the drafts of the last run; True when that run did not end cleanly."""
        journal = read_journal()
        if journal.workspace is not None and journal.workspace != self.ctx.store.folder:
            return False
        for entry in journal.open:
            self.open_draft(entry.id, entry.step)
        if journal.active in self.editors:
            self.tabs.setCurrentWidget(self.editors[journal.active])
        crashed = not journal.clean and bool(journal.open)
        if crashed:
            self.statusBar().showMessage(
                self.tr("上次未正常退出：已恢复打开的草稿，内容为最后一次自动保存的状态。"), 15000
            )
        self.write_journal(clean=False)
        return crashed

    # --- settings ---------------------------------------------------------------------
    def set_unit(self, unit: MoneyUnit) -> None:
        self.ctx.set_unit(unit)
        self.unit_actions[unit].setChecked(True)
        self.workspace.reload()

    def _language(self, code: str) -> None:
        if code != self.ctx.lang:
            self.language_requested.emit(code)

    def _about(self) -> None:
        from desktop.app.about import show_about  # version, catalog source, font, keyring

        show_about(
            self.ctx,
            self.tr("关于申报助手"),
            self.tr(
                "申报助手：离线准备上海“人工智能+”支持政策申报材料。\n政策目录版本 {version}"
            ).format(version=self.ctx.catalog.version),
            self,
        )

    def _restore_geometry(self) -> None:
        stored = _window_settings().value("main/geometry")
        if isinstance(stored, QByteArray):
            self.restoreGeometry(stored)

    # --- closing ----------------------------------------------------------------------
    def shutdown(self) -> None:
        for editor in list(self.editors.values()):
            editor.shutdown()
        self.write_journal(clean=True)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.shutdown()
        _window_settings().setValue("main/geometry", self.saveGeometry())
        event.accept()

    def open_editor(self, draft_id: str) -> DraftEditor:
        editor = self.open_draft(draft_id)
        if editor is None:
            raise DraftNotFound(draft_id)
        return editor
