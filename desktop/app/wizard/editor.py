"""The wizard for one draft: a step list, one page per step, Back and Next.

Which page follows which is asked of `forms.draft.flow` (the Qt-free table); this
widget only binds a page to each step id. Moving between pages is never blocked by
findings, except that export opens only without errors. The step list shows each page's
error count, and any page can be opened from it. While another instance holds the
draft, a banner above the pages says who and since when, and offers to take it over.

Signals:
    title_changed(str): the draft's display title changed (for the tab).
    take_over_requested(): the user pressed "take over" on the read-only banner.
    carry_requested(bool): save the company data to the client (True: and its other drafts).
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt, labels
from desktop.app.context import AppContext
from desktop.app.session import DraftSession
from desktop.app.widgets.banner import Banner
from desktop.app.wizard.pages.attachments import AttachmentsPage
from desktop.app.wizard.pages.base import WizardPage
from desktop.app.wizard.pages.company import CompanyPage
from desktop.app.wizard.pages.direction import DirectionPage
from desktop.app.wizard.pages.direction_data import DirectionDataPage
from desktop.app.wizard.pages.export import ExportPage
from desktop.app.wizard.pages.project import ProjectPage
from desktop.app.wizard.pages.review import ReviewPage
from forms.catalog.model import Severity
from forms.draft.flow import FLOW, StepId, advance, back, can_enter, next_step, step_for_field
from forms.workspace import DraftLockedError, LockInfo, LockLostError
from validators.findings import Finding

PAGES: dict[StepId, type[WizardPage]] = {
    StepId.COMPANY: CompanyPage,
    StepId.DIRECTION: DirectionPage,
    StepId.DIRECTION_DATA: DirectionDataPage,
    StepId.PROJECT: ProjectPage,
    StepId.ATTACHMENTS: AttachmentsPage,
    StepId.REVIEW: ReviewPage,
    StepId.EXPORT: ExportPage,
}
STEP_ROLE = Qt.ItemDataRole.UserRole


class DraftEditor(QWidget):
    title_changed = Signal(str)
    take_over_requested = Signal()
    carry_requested = Signal(bool)

    def __init__(self, ctx: AppContext, session: DraftSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        session.setParent(self)
        self.pages: dict[StepId, WizardPage] = {}
        self._pending_focus: WizardPage | None = None  # the page _show will focus
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.steps = QListWidget(self)
        self.steps.setAccessibleName(self.tr("步骤"))
        self.steps.setFixedWidth(190)
        self.steps.setStyleSheet(
            "QListWidget { border: none; background: #f3f5f8; font-size: 11pt; }"
            "QListWidget::item { padding: 10px 8px; }"
            "QListWidget::item:selected { background: #dbe7f6; color: #0b3d73; }"
        )
        for index, step in enumerate(FLOW, start=1):
            item = QListWidgetItem(f"{index}  {labels.name(step.id)}")
            item.setData(STEP_ROLE, step.id.value)
            self.steps.addItem(item)
        outer.addWidget(self.steps)
        right = QVBoxLayout()
        outer.addLayout(right, 1)
        self.banner = Banner("warning", self)
        right.addWidget(self.banner)
        self.banner.activated.connect(self.take_over_requested.emit)
        self.holder: LockInfo | DraftLockedError | None = None
        self.stack = QStackedWidget(self)
        right.addWidget(self.stack, 1)
        for step in FLOW:
            page = PAGES[step.id](session, ctx, self.stack)
            self.pages[step.id] = page
            self.stack.addWidget(page)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 6, 16, 10)
        self.save_state = QLabel(self)
        self.save_state.setStyleSheet("color: #666;")
        self.back_button = QPushButton(self.tr("上一步(&B)"), self)
        self.next_button = QPushButton(self.tr("下一步(&N)"), self)
        self.next_button.setDefault(False)
        self.next_button.setMinimumWidth(120)
        self.back_button.setMinimumWidth(120)
        bar.addWidget(self.save_state, 1)
        bar.addWidget(self.back_button)
        bar.addWidget(self.next_button)
        right.addLayout(bar)

        review = self.pages[StepId.REVIEW]
        assert isinstance(review, ReviewPage)
        review.go_to_field.connect(self.go_to_field)
        review.export_requested.connect(self.export)
        company = self.pages[StepId.COMPANY]
        assert isinstance(company, CompanyPage)
        company.carry_requested.connect(self.carry_requested.emit)
        direction = self.pages[StepId.DIRECTION]
        assert isinstance(direction, DirectionPage)
        direction.advance_requested.connect(self.go_next)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.steps.currentItemChanged.connect(self._step_clicked)
        session.findings_changed.connect(self._findings)
        session.replaced.connect(self._replaced)
        session.edited.connect(self._edited)
        session.saved.connect(self._saved)
        session.save_failed.connect(self._save_failed)
        session.read_only_changed.connect(self._read_only_changed)
        session.lock_lost.connect(self.show_holder)
        session.notice.connect(self._notice)
        session.local_changed.connect(lambda: self._findings(session.findings))
        ctx.signals.money_unit_changed.connect(lambda: self.current_page().load())
        self._show(session.state.step)
        self._findings(session.findings)
        if session.read_only:
            self._read_only_changed(True)

    # --- read-only ----------------------------------------------------------------------
    def show_holder(self, holder: LockInfo | DraftLockedError | None) -> None:
        """Say who holds the draft (the session is read-only while they do)."""
        self.holder = holder
        if holder is None or not self.session.read_only:
            self.banner.hide()
            return
        if isinstance(holder, LockLostError):
            # Our own lock was taken over: say that, never "being edited by" ourselves.
            self.banner.show_message(holder.message(self.ctx.lang), self.tr("接管编辑…"))
            return
        name = holder.holder
        since = fmt.day(holder.since, self.ctx.lang)
        if isinstance(holder, DraftLockedError) and holder.unreadable:
            text = self.tr(
                "只读：此草稿的锁文件无法读取（自 {since} 起，可能是磁盘写满时留下的）。"
                "确认没有人在编辑后，可以接管。"
            )
        elif _is_stale(holder):
            text = self.tr(
                "只读：此草稿被 {holder} 锁定（自 {since} 起），但该程序已不在运行。"
                "确认对方没有在编辑后，可以接管。"
            )
        else:
            text = self.tr(
                "只读：{holder} 正在编辑此草稿（自 {since} 起）。您可以查看和导出，但不能修改。"
            )
        self.banner.show_message(text.format(holder=name, since=since), self.tr("接管编辑…"))

    def _read_only_changed(self, read_only: bool) -> None:
        for page in self.pages.values():
            page.set_read_only(read_only)
        if read_only:
            self.save_state.setText(self.tr("只读"))
        else:
            self.banner.hide()
            self.save_state.setText("")
            self.save_state.setStyleSheet("color: #666;")

    # --- navigation ---------------------------------------------------------------------
    def current_step(self) -> StepId:
        return self.session.state.step

    def current_page(self) -> WizardPage:
        return self.pages[self.current_step()]

    def go(self, target: StepId) -> bool:
        if not can_enter(target, self.session.state, self.ctx.catalog):
            self._select_in_list(self.current_step())
            return False
        if target is not self.current_step():
            self.session.go(target)
        self._show(target)
        return True

    def go_next(self) -> None:
        if self.current_step() is StepId.REVIEW:
            self.export()  # on the review page, Next reads "Export" and does it
            return
        state = advance(self.session.state, self.ctx.catalog)
        if state is not None:
            self.session.move_to(state)
            self._show(state.step)

    def export(self) -> None:
        """Open the export page and build the package there (the user asked to export)."""
        if self.go(StepId.EXPORT):
            page = self.pages[StepId.EXPORT]
            assert isinstance(page, ExportPage)
            page.run()

    def go_back(self) -> None:
        state = back(self.session.state)
        if state is not None:
            self.session.move_to(state)
            self._show(state.step)

    def go_to_field(self, path: str) -> None:
        step = step_for_field(path)
        if self.go(step) and self.pages[step].focus_field(path):
            self._pending_focus = None  # the field has the cursor: no first-field focus

    def _show(self, step: StepId) -> None:
        page = self.pages[step]
        self.stack.setCurrentWidget(page)
        page.entered()
        # Once the page is on screen (its tab may only now become current).
        self._pending_focus = page
        QTimer.singleShot(0, lambda: self._focus(page))
        self._select_in_list(step)
        self._update_buttons()

    def _focus(self, page: WizardPage) -> None:
        if self._pending_focus is not page:
            return  # a later page, or a field chosen meanwhile, owns the cursor
        self._pending_focus = None
        focused = QApplication.focusWidget()
        if focused is not None and focused.window() is not self.window():
            return  # a dialog or another window holds the keyboard
        owner = focused.parentWidget() if focused is not None else None
        while owner is not None:
            if isinstance(owner, QAbstractItemView):
                return  # a cell is being edited: never pull the cursor out of it
            owner = owner.parentWidget()
        if self.stack.currentWidget() is page and page.isVisible():
            page.focus_first()

    def _select_in_list(self, step: StepId) -> None:
        for row in range(self.steps.count()):
            item = self.steps.item(row)
            if item is not None and item.data(STEP_ROLE) == step.value:
                self.steps.blockSignals(True)
                self.steps.setCurrentItem(item)
                self.steps.blockSignals(False)

    def _step_clicked(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.go(StepId(item.data(STEP_ROLE)))

    def _update_buttons(self) -> None:
        state = self.session.state
        self.back_button.setEnabled(bool(state.history))
        following = next_step(state, self.ctx.catalog)
        self.next_button.setEnabled(following is not None)
        if state.step is StepId.REVIEW:
            self.next_button.setText(self.tr("导出(&N)"))
        else:
            self.next_button.setText(self.tr("下一步(&N)"))
        if following is None and state.step is StepId.REVIEW:
            self.next_button.setToolTip(self.tr("还有错误，修改后才能导出"))
        else:
            self.next_button.setToolTip("")
        for row, step in enumerate(FLOW):
            item = self.steps.item(row)
            if item is None:
                continue
            enabled = can_enter(step.id, state, self.ctx.catalog)
            flags = item.flags()
            if enabled:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)

    # --- model events -------------------------------------------------------------------
    def _findings(self, findings: list[Finding]) -> None:
        errors: dict[StepId, int] = {}
        for f in findings:
            if f.severity is Severity.ERROR:
                step = step_for_field(f.field)
                errors[step] = errors.get(step, 0) + 1
        for path in self.session.local:  # typed text that is not a value yet
            step = step_for_field(path)
            errors[step] = errors.get(step, 0) + 1
        for row, flow_step in enumerate(FLOW, start=1):
            item = self.steps.item(row - 1)
            if item is None:
                continue
            count = errors.get(flow_step.id, 0)
            text = f"{row}  {labels.name(flow_step.id)}"
            item.setText(f"{text}  ✖{count}" if count else text)
            item.setToolTip(self.tr("{n} 个错误").format(n=count) if count else self.tr("没有错误"))
        self.current_page().show_findings(findings)
        self._update_buttons()

    def _replaced(self) -> None:
        self.current_page().load()
        self._update_buttons()
        self.title_changed.emit(self.display_title())

    def _edited(self, path: str) -> None:
        self.save_state.setText(self.tr("有未保存的修改…"))
        if path in ("direction", "title", "project.name", "company.name"):
            self.title_changed.emit(self.display_title())
            self._update_buttons()

    def _saved(self, _info: object) -> None:
        stamp = QDateTime.currentDateTime().toString("HH:mm:ss")
        self.save_state.setText(self.tr("已自动保存 {time}").format(time=stamp))
        self.save_state.setStyleSheet("color: #666;")

    def _notice(self, message: str) -> None:
        self.save_state.setText(message)
        self.save_state.setStyleSheet("color: #a15c00;")
        self.save_state.setToolTip(message)

    def _save_failed(self, message: str) -> None:
        self.save_state.setText(self.tr("保存失败：{message}").format(message=message))
        self.save_state.setStyleSheet("color: #c62828;")

    def display_title(self) -> str:
        """The company, then the draft's own title or its project (a direction chosen
        never renames the draft)."""
        d = self.session.draft
        project = d.title or d.project.name
        company = d.company.name.strip()
        if company and project:
            return f"{company} · {project}"
        return company or project or self.tr("新草稿")

    def shutdown(self) -> None:
        """Save now, wait for this editor's workers and give the edit lock back (closing the
        tab or the window)."""
        self.session.save_now()
        for page in self.pages.values():
            runner = getattr(page, "jobs", None)
            if runner is not None:
                runner.cancel_all()
                runner.wait()
        self.session.release()


def _is_stale(holder: LockInfo | DraftLockedError) -> bool:
    return holder.stale or holder.pid < 0
