"""Page 7: write the application form and the upload package, off the GUI thread.

A progress bar and a cancel button while it runs (a cancelled run leaves no files);
then the parts with their sizes against the portal's per-file limit, a real preview of
each part (pages and zoom), "open folder", and the "fill the portal" view. The package
goes to the user's Documents folder, in a folder named by company and project; a folder
that already holds something is never overwritten without asking.

The attachment files live encrypted in the workspace: the worker decrypts them into a
private temporary folder for the package builder and deletes that folder when it is done
(or cancelled, or failed). Each export is noted in the draft's audit log.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.app import export_backend, file_dialogs, fmt
from desktop.app.context import AppContext
from desktop.app.export_backend import ExportResult
from desktop.app.preview import PreviewDialog, file_source
from desktop.app.session import DraftSession
from desktop.app.widgets.field_message import COLOURS
from desktop.app.wizard.pages.base import WizardPage
from desktop.app.workers import Job, JobRunner, Reporter
from forms.catalog.model import Severity
from forms.draft.flow import StepId
from forms.draft.model import DraftStatus
from forms.system.naming import next_free, package_folder_name
from forms.system.paths import documents_home
from forms.system.scratch import private_folder
from forms.workspace import WorkspaceError


class ExportPage(WizardPage):
    """Signals: portal_requested(): show the "fill the portal" view of this draft."""

    step_id = StepId.EXPORT
    portal_requested = Signal()

    def __init__(self, session: DraftSession, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(session, ctx, parent)
        self.set_header(
            self.tr("7  导出申报包"),
            self.tr(
                "生成申报书（PDF 供上传，DOCX 供修改）并按门户要求把附件整理成上传包。"
                "生成在后台进行，可随时取消；取消后不留下不完整的文件。"
            ),
        )
        self.jobs = JobRunner(self)
        self.job: Job | None = None
        self.result: ExportResult | None = None
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl

        form = self.group(self.tr("输出"))
        row = QWidget(self.body)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.folder = QLineEdit(row)
        self.browse = QPushButton(self.tr("选择(&W)…"), row)
        line.addWidget(self.folder, 1)
        line.addWidget(self.browse)
        self.add_field(form, self.tr("保存到(&D)："), row, ("export.folder",))
        self.folder.setAccessibleName(self.tr("保存到"))
        self.limit = QLabel(self.body)
        self.limit.setWordWrap(True)
        form.addRow(self.tr("单个文件上限："), self.limit)
        self.min_dpi = QSpinBox(self.body)
        self.min_dpi.setRange(50, 600)
        self.min_dpi.setSingleStep(25)
        self.min_dpi.setSuffix(" dpi")
        self.min_dpi.setAccessibleName(self.tr("扫描件最低分辨率"))
        self.min_dpi.setToolTip(
            self.tr("压缩扫描件时不低于此分辨率；某页在此分辨率下仍超过上限时可调低。")
        )
        self.add_field(form, self.tr("扫描件最低分辨率(&R)："), self.min_dpi, ("export.min_dpi",))
        self.min_dpi.valueChanged.connect(self._set_min_dpi)
        self.availability = QLabel(self.body)
        self.availability.setWordWrap(True)
        form.addRow("", self.availability)

        buttons = QHBoxLayout()
        self.start = QPushButton(self.tr("生成申报包(&G)"), self.body)
        self.start.setMinimumWidth(150)
        self.cancel = QPushButton(self.tr("取消(&C)"), self.body)
        self.cancel.setEnabled(False)
        buttons.addWidget(self.start)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        self.outer.addLayout(buttons)
        self.progress = QProgressBar(self.body)
        self.progress.setAccessibleName(self.tr("生成进度"))
        self.progress.setValue(0)
        self.stage = QLabel(self.body)
        self.stage.setWordWrap(True)
        self.outer.addWidget(self.progress)
        self.outer.addWidget(self.stage)

        self.parts = QTableWidget(0, 5, self.body)
        self.parts.setAccessibleName(self.tr("申报包文件"))
        self.parts.verticalHeader().setVisible(False)
        self.parts.setMinimumHeight(220)
        self.parts.horizontalHeader().setStretchLastSection(True)
        self.parts.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.parts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.outer.addWidget(self.parts, 1)
        self.problems = QLabel(self.body)
        self.problems.setWordWrap(True)
        self.outer.addWidget(self.problems)
        after = QHBoxLayout()
        self.preview = QPushButton(self.tr("预览所选文件(&P)"), self.body)
        self.open_folder = QPushButton(self.tr("打开文件夹(&O)"), self.body)
        self.portal = QPushButton(self.tr("填报门户(&L)…"), self.body)
        self.portal.setToolTip(
            self.tr("申报书各栏的内容（一键复制）和上传材料清单，照着填写门户。")
        )
        self.preview.setEnabled(False)
        self.open_folder.setEnabled(False)
        after.addWidget(self.preview)
        after.addWidget(self.open_folder)
        after.addStretch(1)
        after.addWidget(self.portal)
        self.outer.addLayout(after)
        self._folder_is_default = True

        self.browse.clicked.connect(self._browse)
        self.start.clicked.connect(self.run)
        self.cancel.clicked.connect(self.cancel_run)
        self.open_folder.clicked.connect(self._open_folder)
        self.preview.clicked.connect(self._preview)
        self.parts.doubleClicked.connect(lambda _: self._preview())
        self.portal.clicked.connect(self.portal_requested.emit)
        self.folder.textEdited.connect(lambda _: setattr(self, "_folder_is_default", False))
        self._headers()

    def _headers(self) -> None:
        self.parts.setHorizontalHeaderLabels(
            [
                self.tr("文件"),
                self.tr("材料"),
                self.tr("页数"),
                self.tr("大小"),
                self.tr("是否在上限内"),
            ]
        )
        self.parts.setColumnWidth(0, 320)
        self.parts.setColumnWidth(1, 200)
        self.parts.setColumnWidth(2, 60)
        self.parts.setColumnWidth(3, 100)

    def default_folder(self) -> Path:
        """Documents/申报材料/<company>-<project>: visible, one per client and project.
        Never inside the workspace folder: that may be a shared drive, and these are clear."""
        draft = self.session.draft
        name = package_folder_name(
            draft.company.name, draft.project.name or draft.title, draft.id[:12]
        )
        return documents_home() / self.tr("申报材料") / name

    def refresh(self) -> None:
        if not self.folder.text() or self._folder_is_default:
            self.folder.setText(str(self.default_folder()))
            self._folder_is_default = True
        limit = self.ctx.upload_limit(self.session.draft)
        self.limit.setText(
            self.tr("{mb}（{basis}）").format(
                mb=fmt.size(limit.bytes, self.ctx.lang), basis=limit.describe(self.ctx.lang)
            )
        )
        self.min_dpi.blockSignals(True)
        self.min_dpi.setValue(round(self.ctx.settings.package_min_dpi))
        self.min_dpi.blockSignals(False)
        errors = self.session.state.errors
        if errors:
            self.availability.setText(
                self.tr("还有 {n} 个错误：请先在“检查”页修改。").format(n=errors)
            )
            self.availability.setStyleSheet(f"color: {COLOURS[Severity.ERROR]};")
        else:
            self.availability.setText("")
        running = self.job is not None
        self.start.setEnabled(errors == 0 and not running)

    def _set_min_dpi(self, value: int) -> None:
        self.ctx.settings.package_min_dpi = float(value)
        self.ctx.save_settings()

    def set_read_only(self, read_only: bool) -> None:
        pass  # exporting only reads the draft: allowed while someone else edits it

    def _browse(self) -> None:
        folder = file_dialogs.existing_folder(self, self.tr("保存到"), self.folder.text())
        if folder is not None:
            self.folder.setText(str(folder))
            self._folder_is_default = False

    def _target(self) -> Path | None:
        """Where to write: the folder shown, unless it holds something and the user does
        not want it replaced (then a new folder beside it, or nothing at all)."""
        out_dir = Path(self.folder.text() or self.default_folder())
        if not out_dir.exists() or not any(out_dir.iterdir()):
            return out_dir
        beside = next_free(out_dir)
        package = (out_dir / "manifest.json").is_file()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("文件夹已有内容"))
        if package:
            box.setText(
                self.tr("“{folder}”里已有一个申报包。要用新生成的替换它吗？").format(folder=out_dir)
            )
            replace = box.addButton(self.tr("替换(&R)"), QMessageBox.ButtonRole.DestructiveRole)
        else:
            box.setText(self.tr("“{folder}”里有其他文件，不能放入申报包。").format(folder=out_dir))
            replace = None
        new = box.addButton(
            self.tr("另存到“{name}”(&S)").format(name=beside.name),
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(new)
        self.ask(box)
        clicked = box.clickedButton()
        if replace is not None and clicked is replace:
            return out_dir
        if clicked is new:
            self.folder.setText(str(beside))
            return beside
        return None

    def ask(self, box: QMessageBox) -> None:
        """Tests replace this to answer the question."""
        box.exec()

    # --- running ----------------------------------------------------------------------
    def run(self) -> None:
        if self.job is not None or self.session.state.errors:
            return
        self.session.save_now()
        target = self._target()
        if target is None:
            return
        out_dir = target
        today = self.ctx.today()
        draft = self.session.draft.model_copy(deep=True)
        catalog, lang = self.ctx.catalog, self.ctx.lang
        store = self.ctx.store
        limit = self.ctx.settings.package_limit_bytes
        min_dpi = self.ctx.settings.package_min_dpi

        def work(reporter: Reporter) -> ExportResult:
            # Decrypted attachments live in a 0700 folder of shenbao's own, swept at the
            # next start if this process is killed meanwhile (never the shared temp).
            with private_folder("export") as files:
                return export_backend.export(
                    store.materialise(draft, files),
                    catalog,
                    out_dir,
                    base_dir=files,
                    limit_bytes=limit,
                    min_dpi=min_dpi,
                    lang=lang,
                    progress=reporter.progress,
                    cancelled=reporter.cancelled,
                    on=today,
                )

        job = Job(work)
        job.signals.progress.connect(self._progress)
        job.signals.succeeded.connect(self._done)
        job.signals.failed.connect(self._failed)
        job.signals.cancelled.connect(self._cancelled)
        job.signals.finished.connect(self._finished)
        self.job = job
        self.result = None
        self.parts.setRowCount(0)
        self.problems.setText("")
        self.progress.setRange(0, 0)
        self.stage.setText(self.tr("正在准备…"))
        self.start.setEnabled(False)
        self.cancel.setEnabled(True)
        self.open_folder.setEnabled(False)
        self.preview.setEnabled(False)
        self.jobs.start(job)

    def cancel_run(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel.setEnabled(False)
            self.stage.setText(self.tr("正在取消…"))

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.stage.setText(message)

    def _done(self, result: ExportResult) -> None:
        self.result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if result.ok:
            self.stage.setText(
                self.tr("已生成 {n} 个文件，保存在 {folder}").format(
                    n=len(result.parts), folder=result.out_dir
                )
            )
            self.stage.setStyleSheet("")
        else:
            self.stage.setText(
                self.tr(
                    "申报包不完整（{n} 个问题，见下方），尚不能上传；已生成的 {parts} 个文件保存在 {folder}"
                ).format(n=len(result.errors), parts=len(result.parts), folder=result.out_dir)
            )
            self.stage.setStyleSheet(f"color: {COLOURS[Severity.ERROR]};")
        self._show_parts(result)
        self.open_folder.setEnabled(True)
        self.preview.setEnabled(bool(result.parts))
        # The audit note must not turn a finished export into an error.
        with contextlib.suppress(OSError, WorkspaceError):
            self.ctx.store.record_event(
                self.session.draft.id, "export", f"{len(result.parts)} files -> {result.out_dir}"
            )
        if (
            result.ok
            and self.session.draft.status is not DraftStatus.EXPORTED
            and not self.session.read_only
        ):
            self.session.edit("status", lambda d: setattr(d, "status", DraftStatus.EXPORTED))

    def _failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.stage.setText(self.tr("生成失败：{message}").format(message=message))
        self.stage.setStyleSheet("color: #c62828;")

    def _cancelled(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.stage.setText(self.tr("已取消，未留下任何文件。"))

    def _finished(self) -> None:
        self.job = None
        self.cancel.setEnabled(False)
        self.refresh()

    def _show_parts(self, result: ExportResult) -> None:
        limit = result.limit.bytes
        self.parts.setRowCount(len(result.parts))
        for row, part in enumerate(result.parts):
            try:
                title = self.ctx.catalog.checklist_item(part.item)
                item = title.title_en if self.ctx.lang == "en" else title.title
            except KeyError:
                item = part.item
            within = part.size <= limit
            cells = [
                part.path.name,
                item,
                str(part.pages) if part.pages else "—",
                fmt.size(part.size, self.ctx.lang),
                ("✔ " + self.tr("在上限内")) if within else ("✖ " + self.tr("超过上限")),
            ]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if col == 4:
                    cell.setForeground(QBrush(QColor("#2e7d32" if within else "#c62828")))
                self.parts.setItem(row, col, cell)
        if self.parts.rowCount():
            self.parts.selectRow(0)
        self.problems.setText(
            "\n".join(
                ("✖ " if p.severity is Severity.ERROR else "⚠ ") + p.message
                for p in result.problems
            )
        )

    def _open_folder(self) -> None:
        if self.result is not None and (
            self.open_url(QUrl.fromLocalFile(str(self.result.out_dir))) is False
        ):
            QMessageBox.information(
                self,
                self.tr("打开文件夹"),
                self.tr("无法打开文件管理器；申报包在：\n{folder}").format(
                    folder=self.result.out_dir
                ),
            )

    def _preview(self) -> None:
        if self.result is None:
            return
        row = self.parts.currentRow()
        if row < 0 or row >= len(self.result.parts):
            return
        part = self.result.parts[row]
        dialog = PreviewDialog(part.path.name, file_source(part.path), self)
        dialog.open_url = self.open_url
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog = dialog
        dialog.show()
