"""Small dialogs of the main window: a new client, choosing a version to restore."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt
from desktop.app.context import AppContext
from desktop.app.store import Version
from desktop.app.widgets.field_message import FieldMessage
from desktop.app.wizard.pages.company import DISTRICTS
from forms.draft.model import Company, Profile
from validators.check import credit_code_rules


class NewClientDialog(QDialog):
    """Name, credit code (checked as typed) and district of a new client."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("新建单位"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("单位名称"))
        name_label = QLabel(self.tr("单位名称(&M)："), self)
        name_label.setBuddy(self.name)
        form.addRow(name_label, self.name)
        self.code = QLineEdit(self)
        self.code.setAccessibleName(self.tr("统一社会信用代码"))
        code_label = QLabel(self.tr("统一社会信用代码(&X)："), self)
        code_label.setBuddy(self.code)
        form.addRow(code_label, self.code)
        self.code_message = FieldMessage(self.code, self)
        form.addRow("", self.code_message)
        self.district = QComboBox(self)
        self.district.setAccessibleName(self.tr("所在区"))
        self.district.addItem(self.tr("请选择"), "")
        for name in DISTRICTS:
            self.district.addItem(name, name)
        district_label = QLabel(self.tr("所在区(&D)："), self)
        district_label.setBuddy(self.district)
        form.addRow(district_label, self.district)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(lambda _: self._update())
        self.code.textChanged.connect(lambda _: self._update())
        self._update()

    def _update(self) -> None:
        problems = list(credit_code_rules(self.code.text())) if self.code.text().strip() else []
        if problems:
            self.code_message.show_findings(problems, self.ctx.lang)
        elif self.code.text().strip():
            self.code_message.show_text(None, self.tr("校验通过"))
        else:
            self.code_message.clear_message()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(self.name.text().strip()))

    def profile(self) -> Profile:
        company = Company(
            name=self.name.text().strip(),
            credit_code=self.code.text(),
            district=self.district.currentData() or "",
        )
        return Profile(company=company)


class VersionDialog(QDialog):
    """Pick one stored version (of one draft, or among deleted drafts): each line says
    which version, when, who, what was done and how many fields it changed."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        versions: list[Version],
        names: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumSize(520, 360)
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        actions = {
            "create": self.tr("新建"),
            "save": self.tr("保存"),
            "restore": self.tr("恢复"),
            "delete": self.tr("删除"),
            "undelete": self.tr("撤销删除"),
            "duplicate": self.tr("复制"),
            "import": self.tr("导入"),
        }
        for version in versions:
            when = fmt.day(version.saved, ctx.lang)
            what = actions.get(version.action, version.action)
            if version.changed:
                what += self.tr("（{n} 处修改）").format(n=len(version.changed))
            item = QListWidgetItem(
                f"{names.get(version.draft_id, version.draft_id)} · v{version.version} · "
                f"{when} · {version.author} · {what}"
            )
            if version.changed:
                item.setToolTip("\n".join(version.changed[:30]))
            item.setData(256, version)
            self.list.addItem(item)
        if versions:
            self.list.setCurrentRow(0)
        else:
            self.list.addItem(self.tr("没有可恢复的版本"))
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(self.tr("恢复(&R)"))
            ok.setEnabled(bool(versions))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> Version | None:
        item = self.list.currentItem()
        value = item.data(256) if item is not None else None
        return value if isinstance(value, Version) else None
