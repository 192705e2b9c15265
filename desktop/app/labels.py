"""Display names of domain values (statuses, verdicts, categories, steps), translated.

The domain keeps stable codes; the interface turns them into words here, at display
time, through Qt's translation context "Labels" (literal `QCoreApplication.translate`
calls, so pyside6-lupdate finds them).
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from forms.catalog.model import ApplicantType, Severity, Status
from forms.draft.flow import StepId
from forms.draft.model import (
    BudgetCategory,
    CreditStanding,
    DraftStatus,
    OperatingStatus,
    Ownership,
)
from validators.eligibility import Verdict

_cache: dict[tuple[type, str], str] | None = None


def _table() -> dict[tuple[type, str], str]:
    """Names in the current language; rebuilt after a language switch (see reset)."""
    global _cache
    if _cache is None:
        pairs: tuple[tuple[StrEnum, str], ...] = (
            (Status.ACTIVE, QCoreApplication.translate("Labels", "有效")),
            (Status.NOT_YET_OPEN, QCoreApplication.translate("Labels", "未开始受理")),
            (Status.WINDOW_CLOSED, QCoreApplication.translate("Labels", "受理已截止")),
            (Status.EXPIRED, QCoreApplication.translate("Labels", "已过期")),
            (Status.SUPERSEDED, QCoreApplication.translate("Labels", "已废止")),
            (Verdict.ELIGIBLE, QCoreApplication.translate("Labels", "符合")),
            (Verdict.NOT_ELIGIBLE, QCoreApplication.translate("Labels", "不符合")),
            (Verdict.UNKNOWN, QCoreApplication.translate("Labels", "待确认")),
            (Severity.ERROR, QCoreApplication.translate("Labels", "错误")),
            (Severity.WARNING, QCoreApplication.translate("Labels", "警告")),
            (Severity.INFO, QCoreApplication.translate("Labels", "提示")),
            (DraftStatus.DRAFT, QCoreApplication.translate("Labels", "草稿")),
            (DraftStatus.READY, QCoreApplication.translate("Labels", "可导出")),
            (DraftStatus.EXPORTED, QCoreApplication.translate("Labels", "已导出")),
            (BudgetCategory.EQUIPMENT, QCoreApplication.translate("Labels", "设备购置")),
            (BudgetCategory.SOFTWARE, QCoreApplication.translate("Labels", "软件购置")),
            (BudgetCategory.RD_LABOUR, QCoreApplication.translate("Labels", "研发人员费用")),
            (BudgetCategory.COMPUTE, QCoreApplication.translate("Labels", "算力租用")),
            (BudgetCategory.DATA, QCoreApplication.translate("Labels", "语料、数据采购")),
            (BudgetCategory.TESTING, QCoreApplication.translate("Labels", "测试、中试验证")),
            (BudgetCategory.SERVICES, QCoreApplication.translate("Labels", "外包与技术服务")),
            (BudgetCategory.PREMISES, QCoreApplication.translate("Labels", "场地")),
            (BudgetCategory.OTHER, QCoreApplication.translate("Labels", "其他")),
            (Ownership.PRIVATE, QCoreApplication.translate("Labels", "民营")),
            (Ownership.STATE_OWNED, QCoreApplication.translate("Labels", "国有")),
            (Ownership.FOREIGN, QCoreApplication.translate("Labels", "外资")),
            (Ownership.HONG_KONG_MACAO_TAIWAN, QCoreApplication.translate("Labels", "港澳台资")),
            (Ownership.MIXED, QCoreApplication.translate("Labels", "混合所有制")),
            (Ownership.COLLECTIVE, QCoreApplication.translate("Labels", "集体")),
            (Ownership.OTHER, QCoreApplication.translate("Labels", "其他类型")),
            (OperatingStatus.NORMAL, QCoreApplication.translate("Labels", "正常经营")),
            (OperatingStatus.ABNORMAL, QCoreApplication.translate("Labels", "列入经营异常名录")),
            (OperatingStatus.DEREGISTERED, QCoreApplication.translate("Labels", "已注销")),
            (CreditStanding.GOOD, QCoreApplication.translate("Labels", "良好")),
            (CreditStanding.ORDINARY, QCoreApplication.translate("Labels", "一般")),
            (CreditStanding.DISHONEST, QCoreApplication.translate("Labels", "列入失信名单")),
            (ApplicantType.ENTERPRISE, QCoreApplication.translate("Labels", "企业")),
            (
                ApplicantType.INSTITUTION,
                QCoreApplication.translate("Labels", "科研院所、高校、事业单位"),
            ),
            (
                ApplicantType.SOCIAL_ORGANISATION,
                QCoreApplication.translate("Labels", "协会、联盟、社会组织"),
            ),
            (ApplicantType.INDIVIDUAL_BUSINESS, QCoreApplication.translate("Labels", "个体工商户")),
            (ApplicantType.INDIVIDUAL, QCoreApplication.translate("Labels", "个人")),
            (ApplicantType.TEAM, QCoreApplication.translate("Labels", "创业团队")),
            (ApplicantType.GOVERNMENT, QCoreApplication.translate("Labels", "政府部门")),
            (StepId.COMPANY, QCoreApplication.translate("Labels", "单位信息")),
            (StepId.DIRECTION, QCoreApplication.translate("Labels", "支持方向")),
            (StepId.DIRECTION_DATA, QCoreApplication.translate("Labels", "方向指标与声明")),
            (StepId.PROJECT, QCoreApplication.translate("Labels", "项目与预算")),
            (StepId.ATTACHMENTS, QCoreApplication.translate("Labels", "附件材料")),
            (StepId.REVIEW, QCoreApplication.translate("Labels", "检查")),
            (StepId.EXPORT, QCoreApplication.translate("Labels", "导出申报包")),
        )
        # StrEnums compare as strings (two "other"s): key by type as well.
        _cache = {(type(member), member.value): text for member, text in pairs}
    return _cache


def reset() -> None:
    global _cache
    _cache = None


def name(value: StrEnum) -> str:
    """The translated display name of a domain value (its code when none is known)."""
    return _table().get((type(value), value.value), str(value))


def unanswered() -> str:
    return QCoreApplication.translate("Labels", "未填写")


def yes() -> str:
    return QCoreApplication.translate("Labels", "是")


def no() -> str:
    return QCoreApplication.translate("Labels", "否")
