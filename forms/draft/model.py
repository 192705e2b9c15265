"""The application draft: company, financials, one project, one direction, attachments.

Every field may be empty, because a draft is typed into over days: a half-filled draft
must load, save and round-trip without losing a character. Whether it is *complete* is
the validators' business, which report what is missing instead of refusing to load.

Money is Decimal CNY (JSON: a string, exact); typed amounts may carry their unit
("500万元", "3,000,000元") and are converted here, once.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, field_validator

from forms.catalog.model import ApplicantType, SupportBase
from forms.draft.money import MoneyUnit, to_cny

DRAFT_FORMAT = "shenbao.draft"
PROFILE_FORMAT = "shenbao.profile"
SCHEMA_VERSION = 1

_UNIT_SUFFIX = re.compile(r"^\s*([-+]?[\d,]*\.?\d+)\s*(亿元|亿|万元|万|元)?\s*$")


def _parse_money(value: Any) -> Any:
    """Accept 3000000, "3000000", "300万元", "3,000,000元"; keep None; reject floats' noise."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("an amount must be a number, not true/false")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        if not value.strip():
            return None
        match = _UNIT_SUFFIX.match(value)
        if match is None:
            raise ValueError(f"not an amount: {value!r} (write e.g. 300万元 or 3000000)")
        number, unit = match.groups()
        if unit in ("亿元", "亿"):
            return to_cny(Decimal(number.replace(",", "")) * 10_000, MoneyUnit.WAN_YUAN)
        wan = unit in ("万元", "万")
        return to_cny(number, MoneyUnit.WAN_YUAN if wan else MoneyUnit.YUAN)
    raise ValueError(f"not an amount: {value!r}")


_QUANTITY = re.compile(r"^\s*([-+]?[\d,]*\.?\d+)\s*(亿|万)?\s*(元|人|份|个|%)?\s*$")


def _parse_decimal(value: Any) -> Any:
    """Metric values as people write them: 420000, "42万", "42万人", "800万元", "99.95%"."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        if not value.strip():
            return None
        match = _QUANTITY.match(value)
        if match is None:
            raise ValueError(f"not a number: {value!r} (write e.g. 300000, 30万 or 99.9%)")
        number, scale, _unit = match.groups()
        factor = {"亿": Decimal(100_000_000), "万": Decimal(10_000)}.get(scale or "", Decimal(1))
        return Decimal(number.replace(",", "")) * factor
    return value


#: An amount in CNY. Serialised as a string so JSON keeps every digit.
Money = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
]
Quantity = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
]


_CODE_NOISE = re.compile(r"[\s\-‐‑‒–—―－_·.]+")


def normalise_credit_code(raw: str) -> str:
    """A credit code as typed or pasted, reduced to its characters: full-width (IME) letters
    and digits become ASCII (NFKC), spaces, hyphens and dots between groups go, letters are
    upper case. Whether the result is a valid code is the validators' business."""
    return _CODE_NOISE.sub("", unicodedata.normalize("NFKC", raw)).upper()


class _Model(BaseModel):
    """Draft records: unknown keys are refused so a typo is not silently lost."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Ownership(StrEnum):
    PRIVATE = "private"
    STATE_OWNED = "state_owned"
    FOREIGN = "foreign"
    HONG_KONG_MACAO_TAIWAN = "hk_macao_taiwan"
    MIXED = "mixed"
    COLLECTIVE = "collective"
    OTHER = "other"


class CreditStanding(StrEnum):
    GOOD = "good"
    ORDINARY = "ordinary"
    DISHONEST = "dishonest"  # on a 失信 list


class OperatingStatus(StrEnum):
    NORMAL = "normal"
    ABNORMAL = "abnormal"  # 经营异常名录
    DEREGISTERED = "deregistered"


class Contact(_Model):
    name: str = ""
    phone: str = ""
    email: str = ""


class Company(_Model):
    name: str = ""
    credit_code: str = ""
    registered_address: str = ""
    district: str = ""
    legal_representative: str = ""
    contact: Contact = Field(default_factory=Contact)
    registration_date: date | None = None
    registered_capital: Money | None = None
    staff: int | None = Field(default=None, ge=0)
    rd_staff: int | None = Field(default=None, ge=0)
    ownership: Ownership | None = None
    applicant_type: ApplicantType = ApplicantType.ENTERPRISE
    independent_legal_entity: bool | None = None
    operating_status: OperatingStatus | None = None
    credit_standing: CreditStanding | None = None
    #: Business lines: ids (or labels) of the catalog's sector vocabulary, several
    #: allowed, and free text for lines it does not hold. Policies that address a sector
    #: ("数字广告企业", "微短剧创制主体") are judged on these; empty means "not said".
    sectors: list[str] = Field(default_factory=list)

    @field_validator("sectors", mode="before")
    @classmethod
    def _sector_list(cls, value: Any) -> Any:
        # A hand-written draft may give one line as a string; blanks and repeats go.
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            return value
        seen: list[Any] = []
        for item in items:
            text = item.strip() if isinstance(item, str) else item
            if text and text not in seen:
                seen.append(text)
        return seen

    @field_validator("credit_code", mode="before")
    @classmethod
    def _normalise_code(cls, value: Any) -> Any:
        # Users paste codes with spaces, hyphens, full-width characters and lower case; the
        # check is the validators' job.
        return normalise_credit_code(value) if isinstance(value, str) else value


class YearFinancials(_Model):
    year: int = Field(ge=1900, le=2100)
    revenue: Money | None = None
    profit: Money | None = None
    rd_spend: Money | None = None
    total_assets: Money | None = None
    total_liabilities: Money | None = None
    tax_paid: Money | None = None


class BudgetCategory(StrEnum):
    EQUIPMENT = "equipment"  # 设备购置
    SOFTWARE = "software"  # 软件购置
    RD_LABOUR = "rd_labour"  # 研发人员费用
    COMPUTE = "compute"  # 算力租用
    DATA = "data"  # 语料、数据采购
    TESTING = "testing"  # 测试、中试验证
    SERVICES = "services"  # 外包与技术服务
    PREMISES = "premises"  # 场地
    OTHER = "other"


class BudgetLine(_Model):
    category: BudgetCategory
    amount: Money
    note: str = ""


class Kpi(_Model):
    name: str
    target: str
    unit: str = ""


class Project(_Model):
    name: str = ""
    summary: str = ""
    start_date: date | None = None
    end_date: date | None = None
    total_investment: Money | None = None
    budget: list[BudgetLine] = Field(default_factory=list)
    own_funds: Money | None = None
    other_funding: Money | None = None
    requested_support: Money | None = None
    #: Support bases that the budget does not give (e.g. 核定合同额 of a model contract).
    base_amounts: dict[SupportBase, Money] = Field(default_factory=dict)
    goals: list[str] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    #: Values of the catalog's metrics (copies sold, users, revenue …) that thresholds test.
    metrics: dict[str, Quantity] = Field(default_factory=dict)
    milestones: list[Milestone] = Field(default_factory=list)

    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget), Decimal(0))

    def investment_total(self) -> Decimal | None:
        """The declared total investment, or the budget's sum when none is declared."""
        if self.total_investment is not None:
            return self.total_investment
        return self.budget_total() if self.budget else None


class Milestone(_Model):
    due: date
    text: str


class Declarations(_Model):
    """What the applicant states about itself; `None` means not answered yet."""

    other_municipal_funding: bool | None = None
    builder_and_owner: bool | None = None
    materials_true: bool | None = None
    #: Ids of catalog `declaration` conditions the applicant has confirmed.
    confirmed: list[str] = Field(default_factory=list)
    #: Written reasons for departing from a norm ("一般", "原则上"), by condition id; the
    #: form prints them where the portal expects matters to explain.
    justifications: dict[str, str] = Field(default_factory=dict)


class AttachmentRepair(_Model):
    """The file is a PDF that could only be read after repair (a broken download, a cut
    file): what was recovered, and whether the user compared it with the original."""

    pages: int = Field(ge=0)  # pages recovered
    declared: int | None = Field(default=None, ge=0)  # pages the file says it has
    confirmed: bool = False  # compared with the original: it is right


class Attachment(_Model):
    item: str  # checklist item id from the catalog
    file: str  # path as the user chose it (relative to the draft file, or absolute)
    pages: int | None = Field(default=None, ge=0)
    bytes: int | None = Field(default=None, ge=0)
    sha256: str | None = None
    note: str = ""
    #: Set when the file was added and needed repair to be read; an error until confirmed.
    repair: AttachmentRepair | None = None


class DraftStatus(StrEnum):
    DRAFT = "draft"
    READY = "ready"
    EXPORTED = "exported"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Draft(_Model):
    format: Literal["shenbao.draft"] = "shenbao.draft"
    schema_version: int = SCHEMA_VERSION
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    title: str = ""
    direction: str | None = None  # qualified catalog key: policy/measure/direction
    company: Company = Field(default_factory=Company)
    financials: list[YearFinancials] = Field(default_factory=list)
    project: Project = Field(default_factory=Project)
    declarations: Declarations = Field(default_factory=Declarations)
    attachments: list[Attachment] = Field(default_factory=list)
    status: DraftStatus = DraftStatus.DRAFT
    created: datetime = Field(default_factory=_now)
    updated: datetime = Field(default_factory=_now)

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise ValueError(
                f"this draft was written by a newer shenbao (schema {value}; this one reads "
                f"up to {SCHEMA_VERSION}): update shenbao to open it"
            )
        return value

    def to_profile(self) -> Profile:
        return Profile(
            company=self.company,
            financials=self.financials,
            metrics=dict(self.project.metrics),
            base_amounts=base_amounts(self.project),
            declarations=self.declarations,
        )


class Profile(_Model):
    """What eligibility matching needs to know of a company (no project required)."""

    format: Literal["shenbao.profile"] = "shenbao.profile"
    schema_version: int = SCHEMA_VERSION
    company: Company = Field(default_factory=Company)
    financials: list[YearFinancials] = Field(default_factory=list)
    metrics: dict[str, Quantity] = Field(default_factory=dict)
    base_amounts: dict[SupportBase, Money] = Field(default_factory=dict)
    declarations: Declarations = Field(default_factory=Declarations)

    def base_amount(self, base: SupportBase) -> Decimal | None:
        if base in self.base_amounts:
            return self.base_amounts[base]
        if base is SupportBase.ACTUAL_RD_SPEND:
            latest = latest_year(self.financials)
            return latest.rd_spend if latest is not None else None
        return None


def latest_year(financials: list[YearFinancials]) -> YearFinancials | None:
    return max(financials, key=lambda f: f.year, default=None)


_INVESTMENT_BASES = (
    SupportBase.APPROVED_TOTAL_INVESTMENT,
    SupportBase.ACTUAL_INVESTMENT,
    SupportBase.CONSTRUCTION_INVESTMENT,
)


def base_amounts(project: Project) -> dict[SupportBase, Decimal]:
    """Support bases a project states or implies: its total investment stands for the
    investment bases unless the applicant gave them explicitly."""
    amounts: dict[SupportBase, Decimal] = {}
    total = project.investment_total()
    if total is not None:
        for base in _INVESTMENT_BASES:
            amounts[base] = total
    rd = sum(
        (line.amount for line in project.budget if line.category is BudgetCategory.RD_LABOUR),
        Decimal(0),
    )
    if rd:
        amounts[SupportBase.ACTUAL_RD_SPEND] = rd
    amounts.update(project.base_amounts)
    return amounts


Project.model_rebuild()
