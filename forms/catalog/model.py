"""Typed model of the policy catalog (the data under `resources/catalog/`).

The catalog is data, not code: every support measure of every policy document is a
YAML record checked by these models when loaded. Each number carries the source words
it was read from, and every reading of ambiguous wording ("超", "十万级", "10%—50%",
"原则上") is itself data, so a reviewer can check the reading against the text.

Hierarchy: Catalog → Policy (one document) → Measure (one numbered clause or task)
→ Direction (one thing a company can apply for, with its support and thresholds).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator


class _Data(BaseModel):
    """Catalog records: immutable, and a misspelt key is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Comparison(StrEnum):
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"

    @property
    def symbol(self) -> str:
        return {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}[self.value]

    def holds(self, actual: Decimal, limit: Decimal) -> bool:
        if self is Comparison.GT:
            return actual > limit
        if self is Comparison.GE:
            return actual >= limit
        if self is Comparison.LT:
            return actual < limit
        return actual <= limit


class MetricKind(StrEnum):
    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"


class SupportForm(StrEnum):
    RATE_OF_BASE = "rate_of_base"  # a share of a base, usually capped
    FIXED_AWARD = "fixed_award"  # a one-off award up to an amount
    VOUCHER = "voucher"  # 算力券 / 模型券 / 语料券
    LOAN_INTEREST_SUBSIDY = "loan_interest_subsidy"
    RENT_RELIEF = "rent_relief"
    NON_MONETARY = "non_monetary"  # services, fast tracks, guidance
    UNSPECIFIED = "unspecified"  # the text promises support without a number


class SupportBase(StrEnum):
    APPROVED_CONTRACT_AMOUNT = "approved_contract_amount"  # 核定合同额
    APPROVED_TOTAL_INVESTMENT = "approved_total_investment"  # 核定(项目)总投资
    ACTUAL_RD_SPEND = "actual_rd_spend"  # 研发费用投入 / 实际研发投入
    ACTUAL_INVESTMENT = "actual_investment"  # 实际投入
    RENT = "rent"  # 租金
    LPR = "lpr"  # 同期贷款市场报价利率
    CONSTRUCTION_INVESTMENT = "construction_investment"  # 建设投入


class ApplicantType(StrEnum):
    ENTERPRISE = "enterprise"
    INSTITUTION = "institution"  # 科研院所、高校、事业单位
    SOCIAL_ORGANISATION = "social_organisation"  # 协会、联盟、社会组织
    INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户
    INDIVIDUAL = "individual"  # 人才个人
    TEAM = "team"  # 人才创业团队
    GOVERNMENT = "government"  # a task for public bodies; companies do not apply


class PolicyKind(StrEnum):
    MEASURES = "measures"  # 若干措施
    ACTION_PLAN = "action_plan"  # 行动方案
    CALL = "call"  # 申报通知: has a submission window


class PolicyLevel(StrEnum):
    MUNICIPAL = "municipal"
    DISTRICT = "district"


class Status(StrEnum):
    ACTIVE = "active"
    NOT_YET_OPEN = "not_yet_open"
    WINDOW_CLOSED = "window_closed"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"

    @property
    def open_for_applications(self) -> bool:
        return self in (Status.ACTIVE, Status.NOT_YET_OPEN)


class ConditionKind(StrEnum):
    """The vocabulary of checks the validators know; data chooses and parameterises them."""

    REGISTERED_IN_REGION = "registered_in_region"
    INDEPENDENT_LEGAL_ENTITY = "independent_legal_entity"
    OPERATING_NORMALLY = "operating_normally"
    GOOD_CREDIT = "good_credit"
    BUILDER_AND_OWNER = "builder_and_owner"
    ONE_PROJECT_PER_COMPANY = "one_project_per_company"
    MAX_DURATION_MONTHS = "max_duration_months"
    LATEST_END = "latest_end"
    NOT_COMPLETED = "not_completed"
    NO_OTHER_MUNICIPAL_FUNDING = "no_other_municipal_funding"
    DECLARATION = "declaration"  # the applicant confirms a statement; not checkable offline


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Reading(_Data):
    """How ambiguous source wording is read, with the words beside the reading."""

    words: str
    meaning: str
    meaning_en: str = ""


Percent = Annotated[Decimal, Field(ge=0, le=100)]
NonNegative = Annotated[Decimal, Field(ge=0)]


class Metric(_Data):
    """A measurable quantity that thresholds compare and the wizard asks for."""

    id: str
    label: str
    label_en: str
    kind: MetricKind
    unit: str  # display unit: 份, 人, %, 元
    unit_en: str
    help: str = ""
    help_en: str = ""


class ChecklistItem(_Data):
    """A kind of attachment the portal expects (business licence, audit report, …)."""

    id: str
    title: str
    title_en: str
    description: str = ""
    description_en: str = ""
    basis: str  # the clause or practice that asks for it
    generated: bool = False  # produced by shenbao from the draft, not uploaded by the user


class Threshold(_Data):
    metric: str
    op: Comparison
    value: Decimal
    words: str  # the source words, e.g. "买断制游戏销售量超5万份"
    reading: Reading | None = None

    def met_by(self, metrics: Mapping[str, Decimal]) -> bool | None:
        """Whether the metric values meet it; None when its metric has no value yet."""
        actual = metrics.get(self.metric)
        return None if actual is None else self.op.holds(actual, self.value)


class Support(_Data):
    form: SupportForm
    words: str
    base: SupportBase | None = None
    rate_min_pct: Percent | None = None
    rate_max_pct: Percent | None = None
    cap_cny: NonNegative | None = None
    cap_scope: str = ""  # e.g. "单个主体年度", "每个课程"
    max_duration_months: int | None = None
    funded_by: str = ""  # e.g. "市、区两级", "有条件的区"
    support_ref: str | None = None  # qualified direction id whose support level applies
    readings: tuple[Reading, ...] = ()
    note: str = ""
    note_en: str = ""

    @model_validator(mode="after")
    def _coherent(self) -> Support:
        if self.form is SupportForm.RATE_OF_BASE and self.base is None:
            raise ValueError("a rate_of_base support needs a base")
        if self.rate_min_pct is not None and self.rate_max_pct is None:
            raise ValueError("rate_min_pct given without rate_max_pct")
        if (
            self.rate_min_pct is not None
            and self.rate_max_pct is not None
            and self.rate_min_pct > self.rate_max_pct
        ):
            raise ValueError("rate_min_pct is larger than rate_max_pct")
        if self.base is not None and self.rate_max_pct is None:
            raise ValueError("a base is given but no rate_max_pct to apply to it")
        return self

    @property
    def monetary(self) -> bool:
        return self.form not in (SupportForm.NON_MONETARY, SupportForm.UNSPECIFIED)

    def rate_limit(self, base_amount: Decimal) -> Decimal | None:
        """rate_max x base, before the cap; None when the support has no rate."""
        if self.rate_max_pct is None or self.base is None:
            return None
        return (base_amount * self.rate_max_pct / Decimal(100)).quantize(Decimal("0.01"))

    def maximum(self, base_amount: Decimal | None) -> Decimal | None:
        """Largest support the text allows: rate x base, capped; None when not computable."""
        if self.rate_max_pct is None or self.base is None:
            return self.cap_cny
        limit = self.rate_limit(base_amount) if base_amount is not None else None
        if limit is None:
            return None
        return limit if self.cap_cny is None else min(limit, self.cap_cny)


class Condition(_Data):
    id: str
    kind: ConditionKind
    words: str
    clause: str
    severity: Severity = Severity.ERROR
    reading: Reading | None = None
    region_prefix: str | None = None  # REGISTERED_IN_REGION: "31" Shanghai, "310114" Jiading
    months: int | None = None  # MAX_DURATION_MONTHS
    latest: date | None = None  # LATEST_END
    text_en: str = ""

    @model_validator(mode="after")
    def _parameters(self) -> Condition:
        needed = {
            ConditionKind.REGISTERED_IN_REGION: self.region_prefix,
            ConditionKind.MAX_DURATION_MONTHS: self.months,
            ConditionKind.LATEST_END: self.latest,
        }
        if self.kind in needed and needed[self.kind] is None:
            raise ValueError(f"condition kind {self.kind.value} needs its parameter")
        return self


class Submission(_Data):
    """How and when the portal accepts applications (only calls have one)."""

    portal: str
    portal_url: str
    opens: datetime
    closes: datetime
    window_words: str
    clause: str  # where the submission rules stand, e.g. "四、(二)"
    file_format: str = "pdf"
    max_file_bytes: int = Field(gt=0)  # read from the words, see `readings`
    multiple_files: bool = True
    e_seal_required: bool = False
    words: str
    readings: tuple[Reading, ...] = ()
    latest_project_end: date | None = None


class ChecklistRef(_Data):
    item: str
    required: bool = True
    note: str = ""


class Direction(_Data):
    """One thing an applicant can apply for."""

    id: str
    title: str
    title_en: str
    clause: str
    words: str
    applicants: tuple[ApplicantType, ...]
    support: Support
    thresholds: tuple[Threshold, ...] = ()
    conditions: tuple[Condition, ...] = ()  # in addition to the policy's conditions
    checklist: tuple[ChecklistRef, ...] = ()
    responsible_units: tuple[str, ...] = ()
    group: str = ""  # siblings that are alternatives (e.g. buyout / non-buyout game)
    note: str = ""

    @property
    def applyable(self) -> bool:
        """Whether a company files for this through an application."""
        return ApplicantType.GOVERNMENT not in self.applicants or len(self.applicants) > 1


class Measure(_Data):
    id: str
    number: str
    title: str
    title_en: str
    clause: str
    directions: tuple[Direction, ...]
    responsible_units: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unique_directions(self) -> Measure:
        _require_unique((d.id for d in self.directions), "direction id")
        return self


class Policy(_Data):
    id: str
    title: str
    title_en: str
    issuer: str
    issuer_en: str
    doc_number: str | None
    issued: date | None
    kind: PolicyKind
    level: PolicyLevel
    region_code: str  # 310000 Shanghai, 310114 Jiading
    source: str  # the seed file or publication it was read from
    revision: int = 1
    effective_from: date | None = None
    effective_until: date | None = None
    validity_words: str = ""
    superseded_by: str | None = None
    superseded_on: date | None = None
    supersedes: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()  # documents the policy rests on (funds' management rules)
    summary: str = ""
    submission: Submission | None = None
    conditions: tuple[Condition, ...] = ()
    measures: tuple[Measure, ...] = ()
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        _require_unique((m.id for m in self.measures), "measure id")
        _require_unique((c.id for c in self.conditions), "condition id")
        if (
            self.effective_from is not None
            and self.effective_until is not None
            and self.effective_until < self.effective_from
        ):
            raise ValueError("effective_until is before effective_from")
        if self.submission is not None and self.submission.closes <= self.submission.opens:
            raise ValueError("submission closes before it opens")
        if (self.superseded_by is None) != (self.superseded_on is None):
            raise ValueError("superseded_by and superseded_on go together")
        return self

    def status_on(self, day: date | datetime) -> Status:
        """Status of the policy on a day (or at an instant, for submission windows)."""
        moment = day if isinstance(day, datetime) else None
        the_day = day.date() if isinstance(day, datetime) else day
        if self.superseded_on is not None and the_day >= self.superseded_on:
            return Status.SUPERSEDED
        if self.effective_until is not None and the_day > self.effective_until:
            return Status.EXPIRED
        if self.submission is not None:
            opens, closes = self.submission.opens, self.submission.closes
            if moment is not None and moment.tzinfo is not None:
                if moment < opens:
                    return Status.NOT_YET_OPEN
                if moment >= closes:
                    return Status.WINDOW_CLOSED
            else:
                if the_day < opens.date():
                    return Status.NOT_YET_OPEN
                if the_day > closes.date():
                    return Status.WINDOW_CLOSED
        if self.effective_from is not None and the_day < self.effective_from:
            return Status.NOT_YET_OPEN
        return Status.ACTIVE


@dataclass(frozen=True, slots=True)
class QualifiedDirection:
    """A direction with the policy and measure it belongs to."""

    policy: Policy
    measure: Measure
    direction: Direction

    @property
    def key(self) -> str:
        return f"{self.policy.id}/{self.measure.id}/{self.direction.id}"

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return self.policy.conditions + self.direction.conditions


class UploadDefault(_Data):
    """Whose submission rules (file format, size per file) apply to a direction whose own
    document states none: the portal's, as the call names them."""

    policy: str
    note: str
    note_en: str = ""


class Catalog(_Data):
    schema_version: int
    version: str
    published: date
    upload_default: UploadDefault
    metrics: tuple[Metric, ...]
    checklist: tuple[ChecklistItem, ...]
    policies: tuple[Policy, ...]

    _by_key: dict[str, QualifiedDirection] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._by_key = {q.key: q for q in self.directions()}

    @model_validator(mode="after")
    def _cross_references(self) -> Catalog:
        _require_unique((p.id for p in self.policies), "policy id")
        _require_unique((m.id for m in self.metrics), "metric id")
        _require_unique((c.id for c in self.checklist), "checklist item id")
        metric_ids = {m.id for m in self.metrics}
        item_ids = {c.id for c in self.checklist}
        policy_ids = {p.id for p in self.policies}
        keys = {q.key for q in self.directions()}
        for q in self.directions():
            for t in q.direction.thresholds:
                if t.metric not in metric_ids:
                    raise ValueError(
                        f"{q.key}: threshold metric {t.metric!r} is not a known metric"
                    )
            for ref in q.direction.checklist:
                if ref.item not in item_ids:
                    raise ValueError(f"{q.key}: checklist item {ref.item!r} is not defined")
            target = q.direction.support.support_ref
            if target is not None and target not in keys:
                raise ValueError(f"{q.key}: support_ref {target!r} names no direction")
        default = next((p for p in self.policies if p.id == self.upload_default.policy), None)
        if default is None or default.submission is None:
            raise ValueError(
                f"upload_default.policy {self.upload_default.policy!r} names no policy with "
                "submission rules"
            )
        for p in self.policies:
            for other in (*p.supersedes, *([p.superseded_by] if p.superseded_by else [])):
                if other not in policy_ids:
                    raise ValueError(f"{p.id}: refers to unknown policy {other!r}")
        return self

    def directions(self) -> Iterator[QualifiedDirection]:
        for policy in self.policies:
            for measure in policy.measures:
                for direction in measure.directions:
                    yield QualifiedDirection(policy=policy, measure=measure, direction=direction)

    def direction(self, key: str) -> QualifiedDirection:
        return self._by_key[key]

    def lookup(self, key: str | None) -> QualifiedDirection | None:
        """The direction a draft applies for (its `direction` key): None when the draft
        names none, or one this catalog does not hold (an older or newer catalog's)."""
        return self._by_key.get(key) if key else None

    def policy(self, policy_id: str) -> Policy:
        for p in self.policies:
            if p.id == policy_id:
                return p
        raise KeyError(policy_id)

    def metric(self, metric_id: str) -> Metric:
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise KeyError(metric_id)

    def checklist_item(self, item_id: str) -> ChecklistItem:
        for c in self.checklist:
            if c.id == item_id:
                return c
        raise KeyError(item_id)

    def submission_for(self, q: QualifiedDirection | None) -> tuple[Policy, Submission]:
        """The submission rules a direction's files must meet, and the policy stating them:
        its own document's, else those `upload_default` names."""
        if q is not None and q.policy.submission is not None:
            return q.policy, q.policy.submission
        policy = self.policy(self.upload_default.policy)
        assert policy.submission is not None  # checked when loaded
        return policy, policy.submission

    def effective_support(self, q: QualifiedDirection) -> Support:
        """The support that applies, following `support_ref` to the measure that sets it."""
        ref = q.direction.support.support_ref
        return self.direction(ref).direction.support if ref else q.direction.support


def _require_unique(values: Iterator[str] | tuple[str, ...], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
