"""Page 1: the applicant: identity, credit code (checked as it is typed), status, contact,
and the financial figures of recent years."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt
from desktop.app.context import AppContext
from desktop.app.session import DraftSession
from desktop.app.widgets.banner import Banner
from desktop.app.widgets.credit_code import show_code
from desktop.app.widgets.field_message import FieldMessage
from desktop.app.widgets.sector_picker import SectorPicker
from desktop.app.wizard.pages.base import WizardPage
from forms.catalog.model import ApplicantType
from forms.draft.districts import DISTRICTS
from forms.draft.flow import StepId
from forms.draft.model import (
    CreditStanding,
    Draft,
    OperatingStatus,
    Ownership,
    Profile,
    YearFinancials,
)
from forms.workspace.clients import company_differences
from validators.findings import Finding

FIN_FIELDS = ("revenue", "profit", "rd_spend", "total_assets", "total_liabilities", "tax_paid")


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


class CompanyPage(WizardPage):
    """Signals: carry_requested(bool): save the company data to the client's profile
    (True: into its other drafts too)."""

    step_id = StepId.COMPANY
    carry_requested = Signal(bool)

    def __init__(self, session: DraftSession, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(session, ctx, parent)
        self.set_header(
            self.tr("1  单位信息"),
            self.tr(
                "按营业执照填写申报单位的基本情况。统一社会信用代码在输入时即核对校验位和登记地。"
            ),
        )
        self._client_profile: Profile | None = None
        self.carry_banner = Banner("info", self.body)
        self.carry_banner.activated.connect(self._ask_carry)
        session.edited.connect(
            lambda path: self._show_carry() if path.startswith(("company", "financials")) else None
        )
        row = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        self.outer.addLayout(row)

        form = self.group(self.tr("基本信息"), left)
        self.name = self.line(
            form, self.tr("单位名称(&M)："), "company.name",
            lambda d: d.company.name, lambda d, v: setattr(d.company, "name", v),
            placeholder=self.tr("与营业执照一致"),
        )  # fmt: skip
        self.credit = self.line(
            form, self.tr("统一社会信用代码(&X)："), "company.credit_code",
            lambda d: d.company.credit_code,
            lambda d, v: setattr(d.company, "credit_code", v),
            placeholder=self.tr("18位，如 91310104MA1FR6K2XF"),
        )  # fmt: skip
        self.credit.setMaxLength(40)  # room for the spaces and hyphens of a pasted code
        self.credit.textEdited.connect(self._check_code_now)
        self.credit_message = self._message_for(self.credit)
        # Checked at every keystroke, with messages of two lines: their room is kept.
        self.credit_message.reserve_lines(2)
        self.legal = self.line(
            form, self.tr("法定代表人(&R)："), "company.legal_representative",
            lambda d: d.company.legal_representative,
            lambda d, v: setattr(d.company, "legal_representative", v),
        )  # fmt: skip
        self.address = self.line(
            form, self.tr("注册地址(&A)："), "company.registered_address",
            lambda d: d.company.registered_address,
            lambda d, v: setattr(d.company, "registered_address", v),
        )  # fmt: skip
        self.district = self.choice(
            form, self.tr("所在区(&D)："), "company.district",
            [(self.tr("请选择"), "")] + [(d, d) for d in DISTRICTS],
            lambda d: d.company.district, lambda d, v: setattr(d.company, "district", v or ""),
        )  # fmt: skip
        self.registered = self.date(
            form, self.tr("成立日期(&T)："), "company.registration_date",
            lambda d: d.company.registration_date,
            lambda d, v: setattr(d.company, "registration_date", v),
        )  # fmt: skip
        self.capital = self.money(
            form, self.tr("注册资本(&P)："), "company.registered_capital",
            lambda d: d.company.registered_capital,
            lambda d, v: setattr(d.company, "registered_capital", v),
        )  # fmt: skip
        self.staff = self._int_line(form, self.tr("职工总数(&Z)："), "company.staff", "staff")
        self.rd_staff = self._int_line(
            form, self.tr("研发人员数(&Y)："), "company.rd_staff", "rd_staff"
        )

        form = self.group(self.tr("主体资格"), right)
        self.applicant = self.choice(
            form, self.tr("单位类型(&U)："), "company.applicant_type",
            self.enum_options(
                [a for a in ApplicantType if a is not ApplicantType.GOVERNMENT], none=False
            ),
            lambda d: d.company.applicant_type,
            lambda d, v: setattr(d.company, "applicant_type", v),
        )  # fmt: skip
        self.ownership = self.choice(
            form, self.tr("所有制(&W)："), "company.ownership", self.enum_options(list(Ownership)),
            lambda d: d.company.ownership, lambda d, v: setattr(d.company, "ownership", v),
        )  # fmt: skip
        self.legal_entity = self.choice(
            form, self.tr("独立法人(&I)："), "company.independent_legal_entity",
            self.yes_no_options(),
            lambda d: d.company.independent_legal_entity,
            lambda d, v: setattr(d.company, "independent_legal_entity", v),
            hint=self.tr("分公司、个体工商户不能作为申报主体"),
        )  # fmt: skip
        self.operating = self.choice(
            form, self.tr("经营状态(&O)："), "company.operating_status",
            self.enum_options(list(OperatingStatus)),
            lambda d: d.company.operating_status,
            lambda d, v: setattr(d.company, "operating_status", v),
        )  # fmt: skip
        self.credit_standing = self.choice(
            form, self.tr("信用记录(&G)："), "company.credit_standing",
            self.enum_options(list(CreditStanding)),
            lambda d: d.company.credit_standing,
            lambda d, v: setattr(d.company, "credit_standing", v),
            hint=self.tr("可在“信用中国（上海）”查询"),
        )  # fmt: skip
        self.sectors = self._sector_field(form)

        form = self.group(self.tr("项目联系人"), right)
        self.contact = self.line(
            form, self.tr("姓名(&C)："), "company.contact.name",
            lambda d: d.company.contact.name,
            lambda d, v: setattr(d.company.contact, "name", v), also=("company.contact",),
        )  # fmt: skip
        self.phone = self.line(
            form, self.tr("电话(&V)："), "company.contact.phone",
            lambda d: d.company.contact.phone, lambda d, v: setattr(d.company.contact, "phone", v),
            placeholder=self.tr("手机或带区号的固定电话"),
        )  # fmt: skip
        self.email = self.line(
            form, self.tr("电子邮箱(&L)："), "company.contact.email",
            lambda d: d.company.contact.email, lambda d, v: setattr(d.company.contact, "email", v),
        )  # fmt: skip
        right.addStretch(1)

        self._build_financials()
        # Last on the page: appearing, it moves no field anyone is typing in.
        self.outer.addWidget(self.carry_banner)
        self.outer.addStretch(1)

    def _sector_field(self, form: QFormLayout) -> SectorPicker:
        """所属行业/业务: the catalog's vocabulary (several allowed) plus free text; the
        policies that address a sector are judged on it."""
        picker = SectorPicker(self.ctx.catalog, self.ctx.lang, self.body)
        message = self.add_field(
            form, self.tr("所属行业/业务(&Q)："), picker, ("company.sectors",),
            hint=self.tr("部分政策只面向特定行业（如数字广告企业、微短剧企业）；不填则相关方向显示“待确认”"),
        )  # fmt: skip
        picker.sectors_edited.connect(
            lambda v: self.apply("company.sectors", lambda d: setattr(d.company, "sectors", v), message)
        )  # fmt: skip
        self._loaders.append(lambda d: picker.set_value(d.company.sectors))
        return picker

    def _message_for(self, widget: QWidget) -> FieldMessage:
        for bound in self._bound:
            if bound.widget is widget:
                return bound.message
        raise KeyError(widget)

    def _int_line(self, form: QFormLayout, label: str, path: str, attr: str) -> QLineEdit:
        edit = self.line(
            form,
            label,
            path,
            lambda d: "" if getattr(d.company, attr) is None else str(getattr(d.company, attr)),
            lambda d, v: setattr(d.company, attr, _int_or_none(v)),
        )
        edit.setValidator(QIntValidator(0, 10_000_000, edit))
        return edit

    # --- financials table ---------------------------------------------------------------
    def _build_financials(self) -> None:
        box = self.group(self.tr("近年财务数据"))
        holder = QWidget(self.body)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self.fin = QTableWidget(0, 1 + len(FIN_FIELDS), holder)
        self.fin.setAccessibleName(self.tr("近年财务数据"))
        self.fin.setMinimumHeight(120)
        self.fin.verticalHeader().setVisible(False)
        self.fin.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.fin)
        buttons = QHBoxLayout()
        self.add_year = QPushButton(self.tr("添加年度(&J)"), holder)
        self.remove_year = QPushButton(self.tr("删除所选年度(&K)"), holder)
        buttons.addWidget(self.add_year)
        buttons.addWidget(self.remove_year)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.fin_message = FieldMessage(self.fin, holder)
        column.addWidget(self.fin_message)
        box.addRow(holder)
        self.register(("financials",), self.fin, self.fin_message)
        self.fin.itemChanged.connect(self._fin_changed)
        self.add_year.clicked.connect(self._add_year)
        self.remove_year.clicked.connect(self._remove_year)
        self._loaders.append(self._load_financials)

    def _fin_headers(self) -> list[str]:
        unit = fmt.unit_label(self.ctx.unit, self.ctx.lang)
        names = [
            self.tr("营业收入"), self.tr("利润"), self.tr("研发投入"),
            self.tr("资产总额"), self.tr("负债总额"), self.tr("纳税额"),
        ]  # fmt: skip
        return [self.tr("年度")] + [f"{n}（{unit}）" for n in names]

    def _load_financials(self, draft: Draft) -> None:
        self.fin.blockSignals(True)
        self.fin.setHorizontalHeaderLabels(self._fin_headers())
        self.fin.setRowCount(len(draft.financials))
        for row, year in enumerate(draft.financials):
            self.fin.setItem(row, 0, QTableWidgetItem(str(year.year)))
            for col, name in enumerate(FIN_FIELDS, start=1):
                value: Decimal | None = getattr(year, name)
                text = "" if value is None else fmt.money_number(value, self.ctx.unit)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.fin.setItem(row, col, item)
        self.fin.resizeColumnsToContents()
        self.fin.blockSignals(False)

    def _fin_changed(self, item: QTableWidgetItem) -> None:
        row, col = item.row(), item.column()
        text = item.text()
        if col == 0:
            try:
                year = int(text)
            except ValueError:
                self.local_problem("financials", self.tr("年度应为四位数字"), self.fin_message)
                return
            self.apply(
                "financials", lambda d: setattr(d.financials[row], "year", year), self.fin_message
            )
            return
        name = FIN_FIELDS[col - 1]
        try:
            value = fmt.parse_money(text, self.ctx.unit)
        except ValueError:
            self.local_problem(
                "financials",
                self.tr("“{text}”不是金额：请填写数字，如 300 或 300万元").format(text=text),
                self.fin_message,
            )
            return
        self.apply(
            "financials", lambda d: setattr(d.financials[row], name, value), self.fin_message
        )

    def _add_year(self) -> None:
        today = self.ctx.today()
        years = [f.year for f in self.session.draft.financials]
        year = max(years) + 1 if years else today.year - 1

        def change(d: Draft) -> None:
            d.financials = [*d.financials, YearFinancials(year=year)]

        self.apply("financials", change, self.fin_message)
        self.load()

    def _remove_year(self) -> None:
        row = self.fin.currentRow()
        if row < 0:
            return

        def change(d: Draft) -> None:
            d.financials = [f for i, f in enumerate(d.financials) if i != row]

        self.apply("financials", change, self.fin_message)
        self.load()

    # --- credit code, live -------------------------------------------------------------
    def _check_code_now(self, text: str) -> None:
        show_code(self.credit_message, text, self.ctx.lang)

    def show_findings(self, findings: Sequence[Finding]) -> None:
        super().show_findings(findings)
        mine = [f for f in findings if f.field == "company.credit_code"]
        if not mine and self.session.draft.company.credit_code:
            show_code(self.credit_message, self.credit.text(), self.ctx.lang)

    # --- the client's profile -------------------------------------------------------------
    def entered(self) -> None:
        self._client_profile = self._read_client()
        super().entered()

    def focus_first(self) -> None:
        self.focus_first_empty()

    def _read_client(self) -> Profile | None:
        client_id = self.session.client_id
        if client_id is None:
            return None
        for client in self.ctx.store.clients():
            if client.id == client_id:
                return client.profile
        return None

    def refresh(self) -> None:
        self._show_carry()

    def _show_carry(self) -> None:
        """Offer to keep edited company data in the client's profile (for its next draft)."""
        profile = self._client_profile
        draft = self.session.draft
        if (
            profile is None
            or not profile.company.name.strip()  # made for this draft: it follows by itself
            or self.session.read_only
            or not company_differences(draft, profile)
        ):
            self.carry_banner.hide()
            return
        self.carry_banner.show_message(
            self.tr(
                "这里的单位信息与单位资料不同。保存到单位资料后，该单位的新草稿会从这些信息开始。"
            ),
            self.tr("保存到单位资料…"),
        )

    def _ask_carry(self) -> None:
        others = self.ctx.store.drafts()
        count = sum(
            1
            for info in others
            if info.client_id == self.session.client_id and info.id != self.session.draft.id
        )
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("保存到单位资料"))
        box.setText(
            self.tr(
                "把本草稿的单位信息（名称、代码、地址、人员、联系人、财务数据）保存为该单位的资料？"
            )
        )
        others_box = QCheckBox(self.tr("同时更新该单位的其他 {n} 份草稿").format(n=count), box)
        others_box.setVisible(count > 0)
        box.setCheckBox(others_box)
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
        if self.run_box(box) != QMessageBox.StandardButton.Save:
            return
        self.carry_requested.emit(others_box.isChecked() and count > 0)

    def run_box(self, box: QMessageBox) -> int:
        """Tests replace this to answer the question."""
        return box.exec()

    def client_changed(self) -> None:
        """The client's profile was saved: read it again."""
        self._client_profile = self._read_client()
        self._show_carry()

    def focus_first_empty(self) -> None:
        """The cursor in the first required field still empty (so typing can begin)."""
        company = self.session.draft.company
        for edit, value in (
            (self.name, company.name),
            (self.credit, company.credit_code),
            (self.legal, company.legal_representative),
            (self.contact, company.contact.name),
            (self.phone, company.contact.phone),
        ):
            if not value.strip():
                edit.setFocus(Qt.FocusReason.OtherFocusReason)
                return
