"""Names of domain values, one pair per value, for every place that shows them.

Keyed `<enum in snake case>.<value>` (`forms.text.label_code`), so `label(Status.ACTIVE)`
finds "status.active" without this module importing the enums (some, such as `Verdict`
and `StepId`, live above `forms.catalog`). The wizard, the command line, the JSON output
and the 申报书 all name a verdict or a category with these words.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # forms.catalog.model.Status: a policy's standing on a day
    "status.active": ("有效", "in force"),
    "status.not_yet_open": ("未开始受理", "not yet open"),
    "status.window_closed": ("受理已截止", "window closed"),
    "status.expired": ("已过期", "expired"),
    "status.superseded": ("已废止", "superseded"),
    # validators.eligibility.Verdict
    "verdict.eligible": ("符合", "eligible"),
    "verdict.not_eligible": ("不符合", "not eligible"),
    "verdict.unknown": ("待确认", "to confirm"),
    # forms.catalog.model.Severity
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "severity.info": ("提示", "note"),
    # forms.draft.model.DraftStatus
    "draft_status.draft": ("草稿", "draft"),
    "draft_status.ready": ("可导出", "ready"),
    "draft_status.exported": ("已导出", "exported"),
    # forms.draft.model.BudgetCategory
    "budget_category.equipment": ("设备购置", "Equipment"),
    "budget_category.software": ("软件购置", "Software"),
    "budget_category.rd_labour": ("研发人员费用", "R&D labour"),
    "budget_category.compute": ("算力租用", "Compute rental"),
    "budget_category.data": ("语料、数据采购", "Data and corpora"),
    "budget_category.testing": ("测试、中试验证", "Testing and pilots"),
    "budget_category.services": ("外包与技术服务", "Outsourced services"),
    "budget_category.premises": ("场地", "Premises"),
    "budget_category.other": ("其他", "Other"),
    # forms.draft.model.Ownership
    "ownership.private": ("民营", "Private"),
    "ownership.state_owned": ("国有", "State-owned"),
    "ownership.foreign": ("外资", "Foreign"),
    "ownership.hk_macao_taiwan": ("港澳台资", "Hong Kong, Macao, Taiwan"),
    "ownership.mixed": ("混合所有制", "Mixed"),
    "ownership.collective": ("集体", "Collective"),
    "ownership.other": ("其他", "Other"),
    # forms.draft.model.OperatingStatus
    "operating_status.normal": ("正常经营", "Operating normally"),
    "operating_status.abnormal": ("列入经营异常名录", "On the abnormal-operation list"),
    "operating_status.deregistered": ("已注销", "Deregistered"),
    # forms.draft.model.CreditStanding
    "credit_standing.good": ("良好", "Good"),
    "credit_standing.ordinary": ("一般", "Ordinary"),
    "credit_standing.dishonest": ("列入失信名单", "On a dishonesty list"),
    # forms.catalog.model.ApplicantType
    "applicant_type.enterprise": ("企业", "Enterprise"),
    "applicant_type.institution": (
        "科研院所、高校、事业单位",
        "Research institute, university, public institution",
    ),
    "applicant_type.social_organisation": (
        "协会、联盟、社会组织",
        "Association or social organisation",
    ),
    "applicant_type.individual_business": ("个体工商户", "Individual business"),
    "applicant_type.individual": ("个人", "Individual"),
    "applicant_type.team": ("创业团队", "Start-up team"),
    "applicant_type.government": ("政府部门", "Public body"),
    # forms.catalog.model.SupportBase: what a support rate is a share of
    "support_base.approved_contract_amount": ("核定合同额", "approved contract amount"),
    "support_base.approved_total_investment": ("核定总投资", "approved total investment"),
    "support_base.actual_rd_spend": ("实际研发投入", "actual R&D spend"),
    "support_base.actual_investment": ("实际投入", "actual investment"),
    "support_base.rent": ("租金", "rent"),
    "support_base.lpr": ("同期贷款市场报价利率（LPR）利息", "interest at the loan prime rate"),
    "support_base.construction_investment": ("建设投入", "construction investment"),
    # forms.draft.flow.StepId: the wizard's pages
    "step_id.company": ("单位信息", "Applicant"),
    "step_id.direction": ("支持方向", "Support direction"),
    "step_id.direction_data": ("方向指标与声明", "Direction data"),
    "step_id.project": ("项目与预算", "Project and budget"),
    "step_id.attachments": ("附件材料", "Attachments"),
    "step_id.review": ("检查", "Review"),
    "step_id.export": ("导出申报包", "Export"),
    # answers
    "answer.unanswered": ("未填写", "not filled in"),
    "answer.yes": ("是", "yes"),
    "answer.no": ("否", "no"),
    "answer.not_answered": ("未作答", "not answered"),
}
