"""The "fill the portal" view: the 申报书's values to paste into the online form, and the
files to upload, in the portal's order.

The portal has the user fill in the 申报书 online and upload the other materials, and
e-seals both on submission. This window lists every value of the draft's 申报书 in the
form's section order (`forms.documents.portal`: the form's own section builders, so the
two never disagree), amounts as a bare number in the unit the field asks for, dates as
2025-10-01. Enter, a double click or "Copy" puts the value on the clipboard, ticks the
field and moves to the next one, so the online form can be filled top to bottom with
Enter and Ctrl+V. The upload list names each file to upload with its size and pages
(the built package's, after an export) and marks what the portal e-seals. It reads the
draft alone: no network, no portal account.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt
from desktop.app.context import AppContext
from forms.documents.portal import BuiltPart, PortalField, portal_fields, portal_uploads
from forms.draft.model import Draft
from forms.text import render

DONE = "✔"


class PortalView(QDialog):
    """One draft's values and uploads. `copied` holds the labels ticked so far (kept by
    the caller per draft, so reopening the view keeps the ticks)."""

    def __init__(
        self,
        ctx: AppContext,
        draft: Draft,
        built: Sequence[BuiltPart] = (),
        copied: set[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.draft = draft
        self.copied = copied if copied is not None else set()
        name = draft.company.name or draft.project.name or draft.title
        self.setWindowTitle(
            self.tr("填报门户：{name}").format(name=name) if name else self.tr("填报门户")
        )
        self.resize(1000, 760)
        self.fields: list[PortalField] = portal_fields(
            draft, ctx.catalog, lang=ctx.lang, on=ctx.today()
        )
        column = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "按门户的顺序逐项复制：选中一行按回车（或双击、点“复制”）即复制该值并跳到下一项，"
                "在门户里按 Ctrl+V 粘贴。金额按万元填写，日期写作 2025-10-01。"
            ),
            self,
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.tabs = QTabWidget(self)
        column.addWidget(self.tabs, 1)

        # --- the form's fields ---------------------------------------------------------
        page = QWidget(self.tabs)
        inner = QVBoxLayout(page)
        self.table = QTableWidget(0, 4, page)
        self.table.setAccessibleName(self.tr("申报书各栏"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("已复制"), self.tr("栏目"), self.tr("填写内容"), self.tr("单位")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Rows sized while the dialog was still narrow wrap long values into tall rows:
        # size them again whenever the value column gets its real width.
        header.sectionResized.connect(self._value_column_resized)
        inner.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("复制并到下一项(&C)"), page)
        self.copy_button.setDefault(True)
        self.reset = QPushButton(self.tr("清除勾选(&R)"), page)
        self.progress = QLabel(page)
        row.addWidget(self.copy_button)
        row.addWidget(self.reset)
        row.addStretch(1)
        row.addWidget(self.progress)
        inner.addLayout(row)
        self.tabs.addTab(page, self.tr("申报书各栏(&1)"))

        # --- the uploads ---------------------------------------------------------------
        page = QWidget(self.tabs)
        inner = QVBoxLayout(page)
        self.uploads = portal_uploads(draft, ctx.catalog, built, lang=ctx.lang)
        note = QLabel(page)
        note.setWordWrap(True)
        note.setText(
            self.tr(
                "按此顺序上传。“须在门户加盖电子签章”的文件在提交时于门户内签章，不必事先盖章打印。"
            )
            if built
            else render("portal.not_built", None, ctx.lang)
        )
        inner.addWidget(note)
        self.upload_table = QTableWidget(0, 6, page)
        self.upload_table.setAccessibleName(self.tr("上传材料"))
        self.upload_table.setHorizontalHeaderLabels(
            [
                self.tr("序号"),
                self.tr("材料"),
                self.tr("上传文件"),
                self.tr("大小"),
                self.tr("页数"),
                self.tr("电子签章"),
            ]
        )
        self.upload_table.verticalHeader().setVisible(False)
        self.upload_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.upload_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.upload_table.horizontalHeader().setStretchLastSection(True)
        inner.addWidget(self.upload_table, 1)
        row = QHBoxLayout()
        self.copy_name = QPushButton(self.tr("复制文件名(&N)"), page)
        self.show_file = QPushButton(self.tr("打开所在文件夹(&O)"), page)
        self.show_file.setEnabled(bool(built))
        row.addWidget(self.copy_name)
        row.addWidget(self.show_file)
        row.addStretch(1)
        inner.addLayout(row)
        self.tabs.addTab(page, self.tr("上传材料(&2)"))

        self.table.activated.connect(lambda _: self.copy_current())
        self.table.doubleClicked.connect(lambda _: self.copy_current())
        self.copy_button.clicked.connect(self.copy_current)
        self.reset.clicked.connect(self._reset)
        self.copy_name.clicked.connect(self._copy_name)
        self.show_file.clicked.connect(self._show_folder)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_current)
        self._fill_fields()
        self._fill_uploads()
        first = next(
            (
                i
                for i, f in enumerate(self.rows)
                if f and f.value and self._key(f) not in self.copied
            ),
            None,
        )
        if first is not None:
            self.table.selectRow(first)
        self.table.setFocus()

    # --- fields ---------------------------------------------------------------------------
    def _key(self, field: PortalField) -> str:
        return f"{field.section}\x1f{field.label}"

    def _fill_fields(self) -> None:
        """One heading row per section of the form, then its fields."""
        table = self.table
        self.rows: list[PortalField | None] = []
        headings: list[tuple[int, str]] = []
        section = None
        for field in self.fields:
            if field.section != section:
                section = field.section
                headings.append((len(self.rows), section))
                self.rows.append(None)
            self.rows.append(field)
        table.clearSpans()
        table.setRowCount(len(self.rows))
        empty = QBrush(QColor("#8a8a8a"))
        titles = dict(headings)
        for row, entry in enumerate(self.rows):
            if entry is None:
                heading = QTableWidgetItem(titles[row])
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                heading.setBackground(QBrush(QColor("#e8eef5")))
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                table.setItem(row, 0, heading)
                table.setSpan(row, 0, 1, 4)
                continue
            field = entry
            tick = QTableWidgetItem(DONE if self._key(field) in self.copied else "")
            tick.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            tick.setForeground(QBrush(QColor("#2e7d32")))
            value = QTableWidgetItem(field.value or self.tr("（未填写）"))
            value.setToolTip(field.value)
            if not field.value:
                value.setForeground(empty)
            for col, cell in enumerate(
                (tick, QTableWidgetItem(field.label), value, QTableWidgetItem(field.unit))
            ):
                table.setItem(row, col, cell)
        table.setColumnWidth(0, 56)
        table.setColumnWidth(1, 260)
        table.setColumnWidth(3, 70)
        table.resizeRowsToContents()
        self._count()

    def _value_column_resized(self, column: int, _old: int, _new: int) -> None:
        if column == 2:
            self.table.resizeRowsToContents()

    def _count(self) -> None:
        filled = [f for f in self.fields if f.value]
        done = sum(1 for f in filled if self._key(f) in self.copied)
        self.progress.setText(
            self.tr("已复制 {done} / {total} 项").format(done=done, total=len(filled))
        )

    def _next_value(self, after: int) -> int | None:
        return next(
            (i for i in range(after + 1, len(self.rows)) if (f := self.rows[i]) and f.value), None
        )

    def copy_current(self) -> None:
        """Copy the selected value, tick it, and select the next field that has a value."""
        row = self.table.currentRow()
        field = self.rows[row] if 0 <= row < len(self.rows) else None
        if field is not None and field.value:
            clipboard = QGuiApplication.clipboard()
            if clipboard is not None:
                clipboard.setText(field.value)
            self.copied.add(self._key(field))
            cell = self.table.item(row, 0)
            if cell is not None:
                cell.setText(DONE)
            self._count()
        following = self._next_value(row)
        if following is not None:
            self.table.selectRow(following)
            item = self.table.item(following, 2)
            if item is not None:
                self.table.scrollToItem(item)

    def _reset(self) -> None:
        self.copied.clear()
        self._fill_fields()

    # --- uploads --------------------------------------------------------------------------
    def _fill_uploads(self) -> None:
        table = self.upload_table
        table.setRowCount(len(self.uploads))
        lang = self.ctx.lang
        for row, upload in enumerate(self.uploads):
            size = "—" if upload.size is None else fmt.size(upload.size, lang)
            pages = "—" if upload.pages is None else str(upload.pages)
            seal = render("portal.e_seal" if upload.e_seal else "portal.no_e_seal", None, lang)
            source = (
                render("portal.generated", None, lang)
                if upload.generated
                else render("portal.files", {"files": "、".join(upload.sources)}, lang)
            )
            cells = [str(upload.sequence), upload.title, upload.name, size, pages, seal]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if col == 2:
                    cell.setToolTip(source)
                if col == 5 and upload.e_seal:
                    cell.setForeground(QBrush(QColor("#a15c00")))
                table.setItem(row, col, cell)
        table.setColumnWidth(0, 48)
        table.setColumnWidth(1, 200)
        table.setColumnWidth(2, 300)
        table.setColumnWidth(3, 90)
        table.setColumnWidth(4, 60)
        if self.uploads:
            table.selectRow(0)

    def _copy_name(self) -> None:
        row = self.upload_table.currentRow()
        clipboard = QGuiApplication.clipboard()
        if 0 <= row < len(self.uploads) and clipboard is not None:
            clipboard.setText(self.uploads[row].name)

    def _show_folder(self) -> None:
        row = self.upload_table.currentRow()
        path: Path | None = self.uploads[row].path if 0 <= row < len(self.uploads) else None
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
