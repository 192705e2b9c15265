"""Typed model of the policy catalog (the data under `resources/catalog/`).

The catalog is data, not code: every support measure of every policy document is a
YAML record checked by these models when loaded. Each number carries the source words
it was read from, and every reading of ambiguous wording ("超", "十万级", "10%—50%",
"原则上") is itself data, so a reviewer can check the reading against the text.

Hierarchy: Catalog → Policy (one document) → Measure (one numbered clause or task)
→ Direction (one thing a company can apply for, with its support and thresholds).

What the source texts do not say but the tool needs (a document's in-force dates where it
states none, which 489号 clause an annex-1 estimate follows) is an `Inference`: the value
with the tool's reasoning beside it, so every output can say "the tool's inference" rather
than pass it off as the text's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from forms.text import Text

#: Beijing time has had no daylight saving since 1991; a fixed offset needs no tz database
#: (Windows ships none). Policy dates are Shanghai days; a naive instant is Shanghai time.
SHANGHAI = timezone(timedelta(hours=8), "CST")


def shanghai_day(when: date | datetime) -> date:
    """The Shanghai calendar day of a date or an instant."""
    if isinstance(when, datetime):
        return when.astimezone(SHANGHAI).date() if when.tzinfo is not None else when.date()
    return when


def shanghai_instant(when: datetime) -> datetime:
    """An instant with its zone: a naive one is read as Shanghai time."""
    return when if when.tzinfo is not None else when.replace(tzinfo=SHANGHAI)


class CatalogRuleError(ValueError):
    """A cross-check of the catalog data failed; the message is domain text (the loader
    shows it to policy staff in their language, with the file and the path)."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.text = Text.of(code, **params)
        super().__init__(self.text.render("en"))


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
    """A document's standing on a day: only ACTIVE means "a company can apply now"."""

    ACTIVE = "active"
    NOT_YET_IN_FORCE = "not_yet_in_force"  # before its in-force date
    NOT_YET_OPEN = "not_yet_open"  # in force, its submission window not yet open
    WINDOW_CLOSED = "window_closed"  # in force, its submission window closed
    EXPIRED = "expired"
    SUPERSEDED = "superseded"

    @property
    def open_for_applications(self) -> bool:
        """Applications can be made now or later under this document (not a dead one)."""
        return self in (Status.ACTIVE, Status.NOT_YET_OPEN, Status.NOT_YET_IN_FORCE)

    @property
    def in_force(self) -> bool:
        return self in (Status.ACTIVE, Status.NOT_YET_OPEN, Status.WINDOW_CLOSED)


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
    APPLICANT_SECTOR = "applicant_sector"  # the text addresses companies of a sector
    DECLARATION = "declaration"  # the applicant confirms a statement; not checkable offline


class Strength(StrEnum):
    """How binding a condition's words are.

    A RULE ("须", "最迟不超过") is a hard limit: not meeting it is an error. A NORM ("一般",
    "原则上") states the rule with room for exceptions: a departure blocks nothing, but
    the draft must say why in writing before it is exported."""

    RULE = "rule"
    NORM = "norm"


class Bound(StrEnum):
    """How the text qualifies a rate or an amount, so it is shown with the seed's own word:
    "最高50%", "不超过30%", "最高不超过1200万元", or a fixed "5%" / "5万元"."""

    UP_TO = "up_to"  # 最高
    NOT_OVER = "not_over"  # 不超过
    UP_TO_NOT_OVER = "up_to_not_over"  # 最高不超过
    EXACT = "exact"  # a fixed rate or amount ("按核定合同额的 5%", "一次性给予…5 万元")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Reading(_Data):
    """How ambiguous source wording is read, with the words beside the reading."""

    words: str
    meaning: str
    meaning_en: str = ""


class Inference(_Data):
    """A value the source text does not state, supplied by the tool, with its reasoning."""

    reasoning: str
    reasoning_en: str


class Sector(_Data):
    """One entry of the fixed vocabulary of business lines a company profile names.

    `within` names a broader entry (a digital advertising company is an advertising
    company): a company of the narrower sector meets a condition on the broader one."""

    id: str
    label: str
    label_en: str
    within: str | None = None


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
    rate_bound: Bound | None = None  # the text's qualifier of the rate; required with a rate
    cap_cny: NonNegative | None = None
    cap_bound: Bound | None = None  # the text's qualifier of the amount; required with it
    cap_scope: str = ""  # e.g. "单个主体年度", "每个课程"
    cap_scope_en: str = ""
    max_duration_months: int | None = None
    funded_by: str = ""  # e.g. "市、区两级", "有条件的区"
    #: Qualified direction id whose support level an estimate follows, where the text
    #: states none; always the tool's inference (`inference` says why that one).
    support_ref: str | None = None
    inference: Inference | None = None
    readings: tuple[Reading, ...] = ()
    note: str = ""
    note_en: str = ""

    @model_validator(mode="after")
    def _coherent(self) -> Support:
        if self.form is SupportForm.RATE_OF_BASE and self.base is None and not self.readings:
            raise CatalogRuleError("catalog.rule.rate_base")
        if self.rate_max_pct is not None and self.rate_bound is None:
            raise CatalogRuleError("catalog.rule.rate_bound")
        if self.cap_cny is not None and self.cap_bound is None:
            raise CatalogRuleError("catalog.rule.cap_bound")
        if self.support_ref is not None and self.inference is None:
            raise CatalogRuleError("catalog.rule.support_ref_reasoning")
        if self.rate_min_pct is not None and self.rate_max_pct is None:
            raise CatalogRuleError("catalog.rule.rate_min_alone")
        if (
            self.rate_min_pct is not None
            and self.rate_max_pct is not None
            and self.rate_min_pct > self.rate_max_pct
        ):
            raise CatalogRuleError("catalog.rule.rate_order")
        if self.base is not None and self.rate_max_pct is None:
            raise CatalogRuleError("catalog.rule.base_without_rate")
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
    strength: Strength = Strength.RULE
    reading: Reading | None = None
    region_prefix: str | None = None  # REGISTERED_IN_REGION: "31" Shanghai, "310114" Jiading
    months: int | None = None  # MAX_DURATION_MONTHS
    latest: date | None = None  # LATEST_END
    sectors: tuple[str, ...] = ()  # APPLICANT_SECTOR: vocabulary ids, any of which will do
    text_en: str = ""

    @model_validator(mode="after")
    def _parameters(self) -> Condition:
        needed = {
            ConditionKind.REGISTERED_IN_REGION: ("region_prefix", self.region_prefix),
            ConditionKind.MAX_DURATION_MONTHS: ("months", self.months),
            ConditionKind.LATEST_END: ("latest", self.latest),
            ConditionKind.APPLICANT_SECTOR: ("sectors", self.sectors or None),
        }
        if self.kind in needed and needed[self.kind][1] is None:
            raise CatalogRuleError(
                "catalog.rule.condition_parameter",
                kind=self.kind.value,
                parameter=needed[self.kind][0],
            )
        if self.strength is Strength.NORM and self.reading is None:
            raise CatalogRuleError("catalog.rule.norm_reading")
        if self.strength is Strength.NORM and self.severity is Severity.ERROR:
            raise CatalogRuleError("catalog.rule.norm_severity")
        return self

    @property
    def norm(self) -> bool:
        return self.strength is Strength.NORM


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
    note_en: str = ""

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
        _require_unique((d.id for d in self.directions), "支持方向id", "direction id")
        return self


#: Policy fields an `Inference` may stand for.
INFERABLE = frozenset({"issuer", "issued", "effective_from", "effective_until"})


class Policy(_Data):
    id: str
    title: str
    title_en: str
    issuer: str | None  # None: the source does not name it
    issuer_en: str | None
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
    #: Values of this record that the source does not state (field name → reasoning).
    inferred: dict[str, Inference] = Field(default_factory=dict)
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        _require_unique((m.id for m in self.measures), "措施id", "measure id")
        _require_unique((c.id for c in self.conditions), "条件id", "condition id")
        unknown = set(self.inferred) - INFERABLE
        if unknown:
            raise CatalogRuleError(
                "catalog.rule.inferable",
                allowed=", ".join(sorted(INFERABLE)),
                unknown=", ".join(sorted(unknown)),
            )
        if (
            self.effective_from is not None
            and self.effective_until is not None
            and self.effective_until < self.effective_from
        ):
            raise CatalogRuleError("catalog.rule.effective_order")
        if self.submission is not None and self.submission.closes <= self.submission.opens:
            raise CatalogRuleError("catalog.rule.window_order")
        if (self.superseded_by is None) != (self.superseded_on is None):
            raise CatalogRuleError("catalog.rule.superseded_pair")
        return self

    def status_on(self, when: date | datetime) -> Status:
        """The document's standing on a Shanghai day, or at an instant (a naive one is
        Shanghai time). The in-force interval comes first: before it the document is not
        yet in force, after it expired or superseded; inside it a submission window, when
        there is one, decides whether applications are accepted. On a bare day the
        window's opening and closing days count as open (it opens or closes at an hour
        of that day: give the instant to know)."""
        day = shanghai_day(when)
        if self.superseded_on is not None and day >= self.superseded_on:
            return Status.SUPERSEDED
        if self.effective_until is not None and day > self.effective_until:
            return Status.EXPIRED
        if self.effective_from is not None and day < self.effective_from:
            return Status.NOT_YET_IN_FORCE
        if self.submission is not None:
            opens, closes = self.submission.opens, self.submission.closes
            if isinstance(when, datetime):
                moment = shanghai_instant(when)
                if moment < opens:
                    return Status.NOT_YET_OPEN
                if moment >= closes:
                    return Status.WINDOW_CLOSED
            else:
                if day < shanghai_day(opens):
                    return Status.NOT_YET_OPEN
                if day > shanghai_day(closes):
                    return Status.WINDOW_CLOSED
        return Status.ACTIVE

    @property
    def last_day_in_force(self) -> date | None:
        """The last day the document is in force: its end, or the day before it was
        superseded, whichever is earlier; None when open-ended."""
        ends = [d for d in (self.effective_until,) if d is not None]
        if self.superseded_on is not None:
            ends.append(self.superseded_on - timedelta(days=1))
        return min(ends) if ends else None


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
    sectors: tuple[Sector, ...] = ()
    policies: tuple[Policy, ...]

    _by_key: dict[str, QualifiedDirection] = PrivateAttr(default_factory=dict)
    _sectors: dict[str, Sector] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._by_key = {q.key: q for q in self.directions()}
        self._sectors = {}
        for sector in self.sectors:
            for name in (sector.id, sector.label, sector.label_en):
                self._sectors.setdefault(name.strip().lower(), sector)

    @model_validator(mode="after")
    def _cross_references(self) -> Catalog:
        _require_unique((p.id for p in self.policies), "政策id", "policy id")
        _require_unique((m.id for m in self.metrics), "指标id", "metric id")
        _require_unique((c.id for c in self.checklist), "材料项id", "checklist item id")
        _require_unique((s.id for s in self.sectors), "行业id", "sector id")
        sector_ids = {s.id for s in self.sectors}
        for sector in self.sectors:
            if sector.within is not None and sector.within not in sector_ids:
                raise CatalogRuleError(
                    "catalog.rule.sector_within", sector=sector.id, within=sector.within
                )
        for policy in self.policies:
            for m in policy.measures:
                for d in m.directions:
                    for c in (*policy.conditions, *d.conditions):
                        for s in c.sectors:
                            if s not in sector_ids:
                                raise CatalogRuleError(
                                    "catalog.rule.unknown_sector",
                                    key=f"{policy.id}/{m.id}/{d.id}",
                                    condition=c.id,
                                    sector=s,
                                )
        metric_ids = {m.id for m in self.metrics}
        item_ids = {c.id for c in self.checklist}
        policy_ids = {p.id for p in self.policies}
        keys = {q.key for q in self.directions()}
        for q in self.directions():
            for t in q.direction.thresholds:
                if t.metric not in metric_ids:
                    raise CatalogRuleError(
                        "catalog.rule.unknown_metric", key=q.key, metric=t.metric
                    )
            for ref in q.direction.checklist:
                if ref.item not in item_ids:
                    raise CatalogRuleError("catalog.rule.unknown_item", key=q.key, item=ref.item)
            target = q.direction.support.support_ref
            if target is not None and target not in keys:
                raise CatalogRuleError("catalog.rule.unknown_ref", key=q.key, target=target)
        default = next((p for p in self.policies if p.id == self.upload_default.policy), None)
        if default is None or default.submission is None:
            raise CatalogRuleError("catalog.rule.upload_default", policy=self.upload_default.policy)
        for p in self.policies:
            for other in (*p.supersedes, *([p.superseded_by] if p.superseded_by else [])):
                if other not in policy_ids:
                    raise CatalogRuleError("catalog.rule.unknown_policy", policy=p.id, other=other)
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

    def sector(self, entry: str) -> Sector | None:
        """The vocabulary entry a profile's sector names (by id or label, any case); None
        for free text the vocabulary does not hold."""
        return self._sectors.get(entry.strip().lower())

    def broader(self, sector: Sector) -> list[Sector]:
        """The sector and every sector it lies within, narrowest first."""
        chain = [sector]
        while chain[-1].within is not None and len(chain) <= len(self.sectors):
            parent = self._sectors.get(chain[-1].within.lower())
            if parent is None or parent in chain:
                break
            chain.append(parent)
        return chain

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


def _require_unique(values: Iterator[str] | tuple[str, ...], what: str, what_en: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise CatalogRuleError(
                "catalog.rule.duplicate", what=what, what_en=what_en, value=value
            )
        seen.add(value)
