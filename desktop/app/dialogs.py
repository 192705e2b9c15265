"""Small dialogs of the main window: a client's profile, choosing a version to restore."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
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
from desktop.app.widgets.credit_code import show_code
from desktop.app.widgets.field_message import FieldMessage
from forms.draft.districts import DISTRICTS
from forms.draft.model import Company, Contact, Profile


class ClientDialog(QDialog):
    """A client's company profile: new (and then, by default, its first draft) or edited
    (and then, on request, its drafts too). The credit code is checked as it is typed; a
    valid code registered outside Shanghai is a warning, said there."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        profile: Profile | None = None,
        drafts: int = 0,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.original = profile or Profile()
        self.editing = profile is not None
        self.setWindowTitle(self.tr("编辑单位") if self.editing else self.tr("新建单位"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        company = self.original.company
        self.name = self._line(form, self.tr("单位名称(&M)："), company.name)
        self.name.setPlaceholderText(self.tr("与营业执照一致"))
        self.code = self._line(form, self.tr("统一社会信用代码(&X)："), company.credit_code)
        self.code.setPlaceholderText(self.tr("18位，如 91310104MA1FR6K2XF"))
        self.code_message = FieldMessage(self.code, self, lines=2)
        form.addRow("", self.code_message)
        self.legal = self._line(form, self.tr("法定代表人(&R)："), company.legal_representative)
        self.address = self._line(form, self.tr("注册地址(&A)："), company.registered_address)
        self.district = QComboBox(self)
        self.district.setAccessibleName(self.tr("所在区"))
        self.district.addItem(self.tr("请选择"), "")
        for name in DISTRICTS:
            self.district.addItem(name, name)
        self.district.setCurrentIndex(max(0, self.district.findData(company.district)))
        district_label = QLabel(self.tr("所在区(&D)："), self)
        district_label.setBuddy(self.district)
        form.addRow(district_label, self.district)
        self.contact = self._line(form, self.tr("联系人(&C)："), company.contact.name)
        self.phone = self._line(form, self.tr("联系电话(&V)："), company.contact.phone)
        self.email = self._line(form, self.tr("电子邮箱(&L)："), company.contact.email)
        self.first_draft = QCheckBox(self.tr("创建后开始填写第一份申报草稿(&F)"), self)
        self.first_draft.setChecked(True)
        self.update_drafts = QCheckBox(
            self.tr("同时更新该单位的 {n} 份草稿(&U)").format(n=drafts), self
        )
        self.update_drafts.setChecked(drafts > 0)
        if self.editing:
            self.first_draft.hide()
            self.update_drafts.setVisible(drafts > 0)
        else:
            self.update_drafts.hide()
        layout.addWidget(self.first_draft)
        layout.addWidget(self.update_drafts)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(lambda _: self._update())
        self.code.textChanged.connect(lambda _: self._update())
        self._update()

    def _line(self, form: QFormLayout, label: str, text: str) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setAccessibleName(label.split("(")[0].rstrip("：:"))
        caption = QLabel(label, self)
        caption.setBuddy(edit)
        form.addRow(caption, edit)
        return edit

    def _update(self) -> None:
        show_code(self.code_message, self.code.text(), self.ctx.lang)
        layout = self.layout()
        if layout is not None and self.isVisible():
            # A message longer than its room makes the dialog taller, never clipped.
            layout.activate()
            wanted = layout.totalHeightForWidth(self.width())
            if wanted > self.height():
                self.resize(self.width(), wanted)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(self.name.text().strip()))

    def profile(self) -> Profile:
        """The profile as edited (what the dialog does not show is kept)."""
        company = self.original.company.model_copy(
            update={
                "name": self.name.text().strip(),
                "credit_code": self.code.text(),
                "legal_representative": self.legal.text().strip(),
                "registered_address": self.address.text().strip(),
                "district": self.district.currentData() or "",
                "contact": Contact(
                    name=self.contact.text().strip(),
                    phone=self.phone.text().strip(),
                    email=self.email.text().strip(),
                ),
            }
        )
        # Through the model's own validation (the credit code is normalised there).
        company = Company.model_validate(company.model_dump())
        return self.original.model_copy(update={"company": company})


#: The dialog's former name.
NewClientDialog = ClientDialog


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
