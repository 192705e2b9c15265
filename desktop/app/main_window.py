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
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QIcon,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.app import file_dialogs, fmt
from desktop.app.context import AppContext
from desktop.app.dialogs import ClientDialog, VersionDialog
from desktop.app.journal import Journal, OpenDraft, read_journal, write_journal
from desktop.app.passphrase import PassphraseDialog
from desktop.app.session import DraftSession
from desktop.app.store import DraftInfo, DraftNotFound
from desktop.app.widgets.banner import Banner
from desktop.app.wizard.editor import DraftEditor
from desktop.app.wizard.pages.company import CompanyPage
from desktop.app.wizard.pages.export import ExportPage
from desktop.app.workspace_view import ALL, WorkspaceView
from forms.draft.flow import StepId
from forms.draft.model import Draft, Profile
from forms.draft.money import MoneyUnit
from forms.system.paths import data_home, documents_home
from forms.system.resources import resource_path
from forms.text import TextError
from forms.workspace import DraftDamagedError, DraftLockedError, EditLock, WorkspaceError
from forms.workspace.calendar import write_calendar
from forms.workspace.clients import CarryResult
from forms.workspace.locks import current_user
from forms.workspace.spreadsheet import write_overview
from validators.overview import (
    OverviewRow,
    deadline_of,
    deadline_order,
    overview_header,
    overview_line,
)

Confirm = Callable[[str, str], bool]
_T = TypeVar("_T")


def _tab_text(title: str) -> str:
    return title if len(title) <= 36 else title[:35] + "…"


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
        # Qt adds the application's name ("— 申报助手") to every window's title itself.
        self.setWindowTitle(self.tr("上海“人工智能+”政策申报"))
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
        self.workspace.draft_menu_requested.connect(self._draft_menu)
        self.workspace.client_menu_requested.connect(self._client_menu)
        #: Fields ticked in each draft's "fill the portal" view (kept while the app runs).
        self.portal_ticks: dict[str, set[str]] = {}
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
        self.new_client_action = self._action(
            self.tr("新建单位(&C)…"), self.new_client, "Ctrl+Shift+N"
        )
        self.edit_client_action = self._action(self.tr("编辑单位(&E)…"), self.edit_client)
        self.delete_client_action = self._action(self.tr("删除单位(&M)…"), self.delete_client)
        self.import_clients_action = self._action(
            self.tr("从 Excel/CSV 导入单位(&I)…"), self.import_clients
        )
        self.export_overview_action = self._action(
            self.tr("导出草稿总览为 Excel(&X)…"), self.export_overview
        )
        self.export_calendar_action = self._action(
            self.tr("导出申报截止日历 (.ics)(&K)…"), self.export_calendar
        )
        self.portal_action = self._action(
            self.tr("填报门户(&F)…"), self.show_portal, "Ctrl+Shift+P"
        )
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
        file_menu.addAction(self.portal_action)
        file_menu.addSeparator()
        file_menu.addAction(self.edit_client_action)
        file_menu.addAction(self.delete_client_action)
        file_menu.addAction(self.import_clients_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_overview_action)
        file_menu.addAction(self.export_calendar_action)
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
        help_menu.addAction(self._action(self.tr("快速入门(&G)"), self._quick_start, "F1"))
        help_menu.addAction(self._action(self.tr("键盘操作(&K)"), self._shortcuts))
        help_menu.addAction(self._action(self.tr("打开申报材料文件夹(&D)"), self._open_documents))
        help_menu.addSeparator()
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
        client = self.workspace.current_client_id() is not None
        self.edit_client_action.setEnabled(client and on_workspace)
        self.delete_client_action.setEnabled(client and on_workspace)
        self.portal_action.setEnabled(
            isinstance(self.tabs.currentWidget(), DraftEditor) or (selected and on_workspace)
        )

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # --- workspace actions ---------------------------------------------------------------
    def new_client(self) -> str | None:
        """A new client from its company profile; it is selected, and (unless the user
        unticked it) its first draft opens, starting from that profile."""
        dialog = ClientDialog(self.ctx, self)
        if not self._run_client_dialog(dialog):
            return None
        info = self._try(lambda: self.ctx.store.add_client(dialog.profile()))
        if info is None:
            return None
        self.workspace.reload()
        self.workspace.select_client(info.id)
        if dialog.first_draft.isChecked():
            self.new_draft()
        return info.id

    def _run_client_dialog(self, dialog: ClientDialog) -> bool:
        """Tests replace this to fill the dialog in."""
        return dialog.exec() == ClientDialog.DialogCode.Accepted

    def edit_client(self) -> None:
        client_id = self.workspace.current_client_id()
        profile = self._profile_of(client_id)
        if client_id is None or profile is None:
            return
        drafts = [i for i in self.ctx.store.drafts() if i.client_id == client_id]
        dialog = ClientDialog(self.ctx, self, profile=profile, drafts=len(drafts))
        if not self._run_client_dialog(dialog):
            return
        if self._try(lambda: self.ctx.store.update_client(client_id, dialog.profile())) is None:
            return
        if drafts and dialog.update_drafts.isChecked():
            self._carry_into(client_id, lambda: self.ctx.store.carry_from_client(client_id))
        self.workspace.reload()

    def _profile_of(self, client_id: str | None) -> Profile | None:
        return next((c.profile for c in self.ctx.store.clients() if c.id == client_id), None)

    def delete_client(self) -> None:
        client_id = self.workspace.current_client_id()
        profile = self._profile_of(client_id)
        if client_id is None or profile is None:
            return
        name = profile.company.name or self.tr("（未填单位）")
        drafts = [i for i in self.ctx.store.drafts() if i.client_id == client_id]
        if drafts:
            text = self.tr(
                "删除单位“{name}”及其 {n} 份草稿吗？草稿可从“文件 → 恢复已删除的草稿”找回。"
            ).format(name=name, n=len(drafts))
        else:
            text = self.tr("删除单位“{name}”吗？").format(name=name)
        if not self.confirm(self.tr("删除单位"), text):
            return
        for info in drafts:
            if info.id in self.editors:
                self.close_tab(self.tabs.indexOf(self.editors[info.id]))
        self._try(lambda: self.ctx.store.delete_client(client_id, with_drafts=True))
        self.workspace.select_client(ALL)
        self.workspace.reload()

    def import_clients(self) -> None:
        from desktop.app.import_dialog import ImportDialog  # the import's own window

        chosen = file_dialogs.open_file(
            self,
            self.tr("导入单位名单"),
            str(Path.home()),
            self.tr("单位名单 (*.xlsx *.xlsm *.csv);;所有文件 (*)"),
        )
        if chosen is None:
            return
        dialog = ImportDialog(self.ctx, chosen, self)
        if dialog.plan is not None and dialog.exec() and dialog.outcome is not None:
            self.workspace.reload()
            self.statusBar().showMessage(
                self.tr("已导入：新增 {added} 个单位，更新 {updated} 个。").format(
                    added=len(dialog.outcome.added), updated=len(dialog.outcome.updated)
                ),
                10_000,
            )

    def _overview_rows(self) -> list[tuple[OverviewRow, str]]:
        names = {c.id: c.profile.company.name for c in self.ctx.store.clients()}
        rows = [(r.overview, names.get(r.client, "")) for r in self.workspace.rows]
        return sorted(rows, key=lambda pair: deadline_order(pair[0]))

    def export_overview(self) -> None:
        default = documents_home() / self.tr("草稿总览.xlsx")
        chosen = file_dialogs.save_file(
            self, self.tr("导出草稿总览"), default, self.tr("Excel 工作簿 (*.xlsx)"), "xlsx"
        )
        if chosen is None:
            return
        path = chosen.with_suffix(".xlsx")
        lang = self.ctx.lang
        lines = [overview_line(row, client, lang) for row, client in self._overview_rows()]
        if self._try(lambda: write_overview(path, overview_header(lang), lines)) is not None:
            self.statusBar().showMessage(self.tr("总览已保存：{path}").format(path=path), 10_000)

    def export_calendar(self) -> None:
        lang = self.ctx.lang
        deadlines = [
            d for row, client in self._overview_rows() if (d := deadline_of(row, client, lang))
        ]
        if not deadlines:
            QMessageBox.information(
                self,
                self.tr("导出申报截止日历"),
                self.tr("没有尚未截止的申报窗口：未结束的草稿所选方向都已截止或没有固定窗口。"),
            )
            return
        default = documents_home() / self.tr("申报截止日期.ics")
        chosen = file_dialogs.save_file(
            self, self.tr("导出申报截止日历"), default, self.tr("日历 (*.ics)"), "ics"
        )
        if chosen is None:
            return
        path = chosen.with_suffix(".ics")
        today = self.ctx.today()
        now = datetime.combine(today, datetime.now().time()).astimezone()
        if self._try(lambda: write_calendar(path, deadlines, lang=lang, now=now)) is not None:
            self.statusBar().showMessage(
                self.tr("已保存 {n} 个申报截止日期：{path}").format(n=len(deadlines), path=path),
                10_000,
            )

    def new_draft(self) -> str:
        """A new draft of the selected client, starting from its company profile (without
        a client selected: an empty draft, which makes its client when it is named)."""
        draft = Draft()
        client_id = self.workspace.current_client_id()
        if client_id is not None and self._profile_of(client_id) is not None:
            draft = self.ctx.store.new_draft_for(client_id)
        else:
            client_id = None
        info = self.ctx.store.save(draft, client_id)
        self.workspace.reload()
        self.workspace.select_draft(info.id)
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
        info = self.ctx.store.load(draft_id)
        draft = info.draft
        title = draft.title or draft.project.name
        company = draft.company.name or self.tr("（未填单位）")
        if not title:
            title = self.tr("{day}新建的草稿").format(day=fmt.day(draft.created, self.ctx.lang))
        if not self.confirm(
            self.tr("删除草稿"),
            self.tr(
                "确定删除单位“{company}”的草稿“{title}”吗？删除后可从“文件 → 恢复已删除的草稿”找回。"
            ).format(company=company, title=title),
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
        folder = file_dialogs.existing_folder(
            self, self.tr("工作区文件夹"), str(self.ctx.store.folder)
        )
        if folder is not None:
            self.ctx.settings.last_workspace = folder
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
        session.client_id = info.client_id
        editor = DraftEditor(self.ctx, session, self.tabs)
        editor.show_holder(holder)
        editor.take_over_requested.connect(lambda e=editor: self.take_over(e))
        editor.carry_requested.connect(lambda others, e=editor: self.carry(e, others))
        export_page = editor.pages[StepId.EXPORT]
        assert isinstance(export_page, ExportPage)
        export_page.portal_requested.connect(lambda e=editor: self.show_portal(e))
        self.editors[draft_id] = editor
        self.undo_group.addStack(session.undo_stack)
        index = self.tabs.addTab(editor, _tab_text(editor.display_title()))
        self.tabs.setTabToolTip(index, editor.display_title())
        self.tabs.setCurrentIndex(index)
        QTimer.singleShot(0, lambda e=editor: e._focus(e.current_page()))
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

    # --- company data and the client ----------------------------------------------------------
    def carry(self, editor: DraftEditor, other_drafts: bool) -> None:
        """Save a draft's company data to its client (and, asked, into its other drafts;
        those open here are saved first and reloaded after)."""
        session = editor.session
        client_id = session.client_id
        if client_id is None:
            return
        session.save_now()
        draft = session.draft
        self._carry_into(
            client_id,
            lambda: self.ctx.store.carry_to_client(draft, client_id, other_drafts=other_drafts),
            skip=draft.id if not other_drafts else None,
        )
        page = editor.pages[StepId.COMPANY]
        assert isinstance(page, CompanyPage)
        page.client_changed()
        self.workspace.reload()

    def _carry_into(
        self, client_id: str, work: Callable[[], CarryResult | None], skip: str | None = None
    ) -> None:
        """Run `work` with the client's open drafts saved before and reloaded after."""
        open_here = [
            e for i, e in self.editors.items() if e.session.client_id == client_id and i != skip
        ]
        for editor in open_here:
            editor.session.save_now()
        result = self._try(work)
        if result is None:
            return
        for editor in open_here:
            draft_id = editor.session.draft.id
            if draft_id in result.updated:
                latest = self._try(partial(self.ctx.store.load, draft_id))
                if latest is not None:
                    editor.session.reload(latest.draft)
        if result.skipped:
            QMessageBox.warning(
                self,
                self.tr("单位资料"),
                self.tr("以下草稿正由他人编辑，未更新：\n{drafts}").format(
                    drafts="\n".join(why for _, why in result.skipped)
                ),
            )
        else:
            self.statusBar().showMessage(
                self.tr("单位资料已保存；更新了 {n} 份草稿。").format(n=len(result.updated)),
                10_000,
            )

    # --- the portal -----------------------------------------------------------------------
    def show_portal(self, editor: DraftEditor | None = None) -> None:
        """The "fill the portal" view of the open draft, or of the selected one."""
        # start-up: the portal view loads when it is first opened
        from desktop.app.portal_view import PortalView
        from forms.documents.portal import BuiltPart

        current = self.tabs.currentWidget()
        editor = editor or (current if isinstance(current, DraftEditor) else None)
        built: list[BuiltPart] = []
        if editor is not None:
            editor.session.save_now()
            draft = editor.session.draft
            page = editor.pages[StepId.EXPORT]
            assert isinstance(page, ExportPage)
            if page.result is not None:
                built = [BuiltPart(p.path, p.size, p.pages, p.item) for p in page.result.parts]
        else:
            draft_id = self.workspace.current_draft_id()
            if draft_id is None:
                return
            draft = self.ctx.store.load(draft_id).draft
        ticks = self.portal_ticks.setdefault(draft.id, set())
        view = PortalView(self.ctx, draft, built, ticks, self)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.portal_view = view
        view.show()

    # --- context menus --------------------------------------------------------------------
    def _draft_menu(self, where: QPoint) -> None:
        menu = QMenu(self)
        if self.workspace.current_draft_id() is not None:
            menu.addActions([self.open_action, self.portal_action])
            menu.addSeparator()
            menu.addActions([self.duplicate_action, self.history_action, self.delete_action])
            menu.addSeparator()
        menu.addAction(self.new_draft_action)
        menu.addAction(self.export_overview_action)
        menu.addAction(self.export_calendar_action)
        menu.exec(where)

    def _client_menu(self, where: QPoint) -> None:
        menu = QMenu(self)
        if self.workspace.current_client_id() is not None:
            menu.addAction(self.new_draft_action)
            menu.addSeparator()
            menu.addActions([self.edit_client_action, self.delete_client_action])
            menu.addSeparator()
        menu.addActions([self.new_client_action, self.import_clients_action])
        menu.exec(where)

    def _retitle(self, editor: DraftEditor, title: str) -> None:
        index = self.tabs.indexOf(editor)
        if index >= 0:
            self.tabs.setTabText(index, _tab_text(title))
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

    def _quick_start(self) -> None:
        QMessageBox.information(
            self,
            self.tr("快速入门"),
            self.tr(
                "从无到有生成一份上传包：\n\n"
                "1. 新建单位（Ctrl+Shift+N）：填单位名称和统一社会信用代码，确定后即开始它的第一份草稿；"
                "名单多时用“文件 → 从 Excel/CSV 导入单位”。\n"
                "2. 单位信息：补齐法定代表人、联系人和电话。改过的单位信息可“保存到单位资料”，"
                "该单位以后的草稿从这里开始。\n"
                "3. 支持方向：在查找框输入方向名称（如“内容创作”）后按回车，即选定并进入下一步。\n"
                "4. 方向指标、项目与预算：按页面提示填写；日期可直接输入 2025-10-01。\n"
                "5. 附件材料：“添加文件”可一次选择多个文件，按文件名归入对应材料；"
                "“项目投资预算明细”按第4步的预算自动生成。\n"
                "6. 检查：勾选信用承诺，按“导出”。\n"
                "7. 导出：申报包保存在“文档/申报材料”下以单位和项目命名的文件夹里；"
                "“填报门户”列出在门户中要填写的各栏和要上传的文件。\n\n"
                "每一步都可用键盘完成：带下划线的字母配合 Alt 键，Alt+N 下一步，Alt+B 上一步。"
            ),
        )

    def _shortcuts(self) -> None:
        QMessageBox.information(
            self,
            self.tr("键盘操作"),
            self.tr(
                "Ctrl+Shift+N  新建单位\n"
                "Ctrl+N  为所选单位新建草稿\n"
                "Ctrl+O / 回车  打开所选草稿\n"
                "Ctrl+D  复制草稿    Del  删除草稿\n"
                "Ctrl+Shift+P  填报门户视图\n"
                "Ctrl+Z / Ctrl+Y  撤销 / 重做\n"
                "Alt+N / Alt+B  下一步 / 上一步\n"
                "Alt+带下划线的字母  跳到该栏\n"
                "日期栏：↑/↓ 加减一天，PgUp/PgDn 加减一月，Alt+↓ 打开日历\n"
                "预览：PgUp/PgDn 翻页，Ctrl+= / Ctrl+- 缩放，Ctrl+0 适合宽度\n"
                "Ctrl+Q  退出"
            ),
        )

    def _open_documents(self) -> None:
        folder = documents_home() / self.tr("申报材料")
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))) is False:
            QMessageBox.information(
                self,
                self.tr("申报材料"),
                self.tr("导出的申报包保存在：\n{folder}").format(folder=folder),
            )

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
