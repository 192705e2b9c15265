"""The rules' messages: one template pair per finding code.

Each message says what is wrong and what to do. Placeholders are filled from the
finding's parameters; a test renders every template so a missing key fails in CI,
not in front of a user.
"""

from __future__ import annotations

FINDINGS: dict[str, tuple[str, str]] = {
    # --- company -------------------------------------------------------------------
    "company.name_missing": (
        "请填写单位名称（与营业执照一致）。",
        "Enter the company name exactly as on the business licence.",
    ),
    "company.legal_rep_missing": (
        "请填写法定代表人姓名。",
        "Enter the legal representative's name.",
    ),
    "company.address_missing": (
        "请填写注册地址及所在区，便于核对属地。",
        "Enter the registered address and district so the registration place can be checked.",
    ),
    "company.contact_missing": (
        "请填写项目联系人姓名和电话，评审方需要能联系到申报单位。",
        "Enter a contact person's name and phone number so reviewers can reach you.",
    ),
    "company.phone_format": (
        "联系电话“{phone}”格式不正确：请填写11位手机号或带区号的固定电话（如021-12345678）。",
        "Phone number '{phone}' looks wrong: use an 11-digit mobile or a landline with its "
        "area code (e.g. 021-12345678).",
    ),
    "company.email_format": (
        "电子邮箱“{email}”格式不正确，请检查。",
        "E-mail address '{email}' is not valid; please check it.",
    ),
    "company.registration_future": (
        "成立日期{date}晚于检查日期，请按营业执照填写。",
        "Registration date {date} is after the check date; copy it from the business licence.",
    ),
    "company.rd_staff_exceeds": (
        "研发人员数（{rd}）多于职工总数（{staff}），请核对。",
        "R&D staff ({rd}) exceed total staff ({staff}); please correct one of them.",
    ),
    # --- credit code -----------------------------------------------------------------
    "credit_code.empty": (
        "请填写18位统一社会信用代码（见营业执照）。",
        "Enter the 18-character unified social credit code from the business licence.",
    ),
    "credit_code.length": (
        "统一社会信用代码应为18位，当前为{length}位，请对照营业执照重新输入。",
        "The credit code must have 18 characters, not {length}; re-type it from the licence.",
    ),
    "credit_code.characters": (
        "统一社会信用代码含有不允许的字符（不使用I、O、S、V、Z），请核对：{code}",
        "The credit code contains characters it cannot have (I, O, S, V, Z are never used): {code}",
    ),
    "credit_code.authority": (
        "统一社会信用代码首位“{char}”不是有效的登记管理部门代码，请核对。",
        "The first character '{char}' is not a valid registration authority code; check it.",
    ),
    "credit_code.region": (
        "统一社会信用代码第3—8位应为行政区划数字代码，请核对。",
        "Characters 3-8 of the credit code must be the numeric region code; check them.",
    ),
    "credit_code.org_check": (
        "统一社会信用代码中组织机构代码（第9—17位）校验位不符（按第9—16位应为“{expected}”），"
        "多为录入错误，请对照营业执照逐位核对。",
        "The organisation code inside the credit code (characters 9-17) fails its check digit "
        "(characters 9-16 give '{expected}'); usually a typo: compare it with the licence.",
    ),
    "credit_code.check_char": (
        "统一社会信用代码校验位不符（按前17位应为“{expected}”），多为录入错误，请对照营业执照逐位核对。",
        "The credit code's check character is wrong (the first 17 characters give "
        "'{expected}'); usually a typo: compare it with the licence character by character.",
    ),
    "credit_code.outside_shanghai": (
        "代码有效，但登记地不在上海市（区划码{region}）：本市政策要求申报单位在本市依法设立。",
        "The code is valid, but the company is not registered in Shanghai (region {region}): "
        "the city's programmes require a company set up in Shanghai.",
    ),
    # --- financials --------------------------------------------------------------------
    "financials.missing": (
        "请至少填写最近一个完整年度的财务数据（营业收入、利润、研发投入等）。",
        "Enter the financial figures of at least the latest full year (revenue, profit, R&D).",
    ),
    "financials.latest_old": (
        "最近的财务数据为{year}年，请补充{expected}年度（上年度）数据。",
        "The latest financial year given is {year}; add {expected} (last year).",
    ),
    "financials.duplicate_year": (
        "{year}年度的财务数据填写了两次，请删除重复的一行。",
        "Financial year {year} is entered twice; delete one of the rows.",
    ),
    "financials.negative": (
        "{year}年度“{label}”不能为负数，请核对。",
        "{label} of {year} cannot be negative; please correct it.",
    ),
    "financials.insolvent": (
        "{year}年末负债（{liabilities}）超过资产（{assets}），评审可能关注偿债能力，请在申报书中说明。",
        "At the end of {year} liabilities ({liabilities}) exceed assets ({assets}); reviewers "
        "may question solvency, so explain it in the application.",
    ),
    # --- direction and policy status -----------------------------------------------------
    "direction.missing": (
        "请选择一个支持方向。",
        "Choose a support direction.",
    ),
    "direction.unknown": (
        "支持方向“{key}”不在当前政策目录中（目录版本{version}），请重新选择。",
        "Support direction '{key}' is not in the current catalog (version {version}); "
        "choose again.",
    ),
    "direction.not_applyable": (
        "“{title}”是政府部门的工作任务，企业无需也无法申报，请选择其他支持方向。",
        "'{title}' is a task for public bodies, not something a company applies for; "
        "choose another direction.",
    ),
    "policy.expired": (
        "《{policy}》已于{date}到期，不再受理，请选择仍在有效期内的政策。",
        "'{policy}' expired on {date} and accepts no applications; choose a policy in force.",
    ),
    "policy.superseded": (
        "《{policy}》已于{date}被新文件废止，请改按新文件申报。",
        "'{policy}' was superseded on {date}; apply under the document that replaced it.",
    ),
    "policy.not_yet_in_force": (
        "《{policy}》{date}起施行，尚未施行：现在不能申报；可提前准备，施行后再提交。",
        "'{policy}' is in force only from {date}: no application can be made yet; you can "
        "prepare one and submit it once it is in force.",
    ),
    "policy.window_closed": (
        "本次申报受理已于{closes}截止：现在不能提交；可为下一次申报准备草稿，新一年度申报通知发布后按新通知核对。",
        "The submission window closed at {closes}: nothing can be submitted now; the draft "
        "can be prepared for the next call and re-checked against it when it is published.",
    ),
    "policy.not_yet_open": (
        "申报受理将于{opens}开始，届时方可在平台提交。",
        "The submission window opens at {opens}; the portal accepts submissions from then.",
    ),
    "applicant.type_not_allowed": (
        "该方向的申报主体为：{allowed}；当前单位类型为“{actual}”，不符合申报主体要求。",
        "This direction is open to: {allowed}; the applicant is of type '{actual}', which "
        "is not among them.",
    ),
    # --- conditions ------------------------------------------------------------------
    "condition.region": (
        "申报单位须在{region_name}依法设立：信用代码显示登记地区划码为{region}，不符合。",
        "The applicant must be registered in {region_name}; the credit code shows region {region}.",
    ),
    "condition.region_unknown": (
        "无法判断是否在{region_name}设立：请先更正统一社会信用代码。",
        "Cannot tell whether the applicant is registered in {region_name}: correct the "
        "credit code first.",
    ),
    "condition.legal_entity": (
        "申报单位须具有独立承担民事责任能力（分公司、个体工商户不可作为申报主体），请由具备法人资格的单位申报。",
        "The applicant must be able to bear civil liability on its own (not a branch or an "
        "individual business); apply as the legal entity.",
    ),
    "condition.legal_entity_unknown": (
        "请确认申报单位具有独立承担民事责任能力（独立法人）。",
        "Confirm that the applicant is an independent legal entity.",
    ),
    "condition.operating": (
        "申报单位经营状态为“{status}”，须经营状态正常方可申报；请先办理移出经营异常名录等手续。",
        "The applicant's operating status is '{status}'; it must be normal to apply (e.g. get "
        "removed from the abnormal-operation list first).",
    ),
    "condition.operating_unknown": (
        "请确认申报单位经营状态正常。",
        "Confirm that the applicant is operating normally.",
    ),
    "condition.credit": (
        "申报单位信用记录不良（列入失信名单），不符合申报条件；完成信用修复后再申报。",
        "The applicant is on a dishonesty list and cannot apply; complete credit repair first.",
    ),
    "condition.credit_unknown": (
        "请确认申报单位信用记录良好（可在“信用中国（上海）”查询）。",
        "Confirm the applicant's credit record is good (check Credit China (Shanghai)).",
    ),
    "condition.builder_owner": (
        "申报单位须为项目的建设者及产权拥有者；当前声明为“否”，不能申报。",
        "The applicant must build and own the project; the declaration says it does not.",
    ),
    "condition.builder_owner_unknown": (
        "请声明申报单位是否为项目的建设者及产权拥有者。",
        "Declare whether the applicant builds and owns the project.",
    ),
    "condition.one_project": (
        "同一单位原则上只能申报一个项目：工作区中已有同一信用代码的申报“{other}”。"
        "这是原则性要求，不阻止导出，但须书面说明理由（或只保留其一）。",
        "As a rule one project per applicant in this call: the workspace already holds "
        "'{other}' for the same credit code. A norm: it blocks nothing, but give a written "
        "reason (or keep only one).",
    ),
    "condition.duration": (
        "项目执行期{start}至{end}超过{months}个月：通知规定执行期“一般在两年内”（即{latest}或之前结束）。"
        "这是原则性要求，不阻止导出，但须书面说明理由；硬性上限是最迟结束日期。",
        "The execution period {start} to {end} is longer than {months} months: the call "
        "says it is generally within two years (ending on {latest} or earlier). A norm: it "
        "blocks nothing, but give a written reason; the hard limit is the latest end date.",
    ),
    "condition.latest_end": (
        "项目结束日期{end}晚于本次申报允许的最迟日期{latest}，请提前结束日期。",
        "The project ends on {end}, after the latest end this call allows ({latest}); move "
        "the end date earlier.",
    ),
    "condition.completed": (
        "项目已于{end}结束（早于检查日期{on}）：原则上不支持已完成建设的项目。"
        "这是原则性要求，不阻止导出，但须书面说明理由。",
        "The project ended on {end}, before {on}: as a rule completed projects are not "
        "supported. A norm: it blocks nothing, but give a written reason.",
    ),
    "condition.other_funding": (
        "该项目已获得其他市级财政性资金支持：原则上本专项资金不再给予支持。"
        "这是原则性要求，不阻止导出，但须书面说明理由（如支持内容不重叠）。",
        "The project already has other municipal funding: as a rule this fund does not "
        "support it again. A norm: it blocks nothing, but give a written reason (e.g. the "
        "funded parts do not overlap).",
    ),
    "condition.other_funding_unknown": (
        "请声明该项目是否已获得其他市级财政性资金支持。",
        "Declare whether the project already has other municipal funding.",
    ),
    "condition.declaration": (
        "请确认：{words}",
        "Please confirm: {words}",
    ),
    "condition.sector": (
        "该项支持面向{required}（原文：{words}）；单位所填行业/业务为“{declared}”，不符合。"
        "若单位也从事该业务，请在单位信息的“所属行业/业务”中补充。",
        "This support is for a {required} ({words}); the applicant's business lines are "
        "'{declared}', which do not qualify. If it also works in that line, add it under "
        "business lines in the company details.",
    ),
    "condition.sector_unknown": (
        "请确认单位属于{required}（原文：{words}），并在单位信息的“所属行业/业务”中勾选。",
        "Confirm that the applicant is a {required} ({words}) and tick it under business "
        "lines in the company details.",
    ),
    "condition.sector_confirm": (
        "请确认单位属于{required}（原文：{words}）：所填“{declared}”不足以判断；如属实，请在“所属行业/业务”中勾选。",
        "Confirm that the applicant is a {required} ({words}): '{declared}' does not tell; "
        "if it is, tick it under business lines.",
    ),
    "norm.justification_missing": (
        "请书面说明理由：“{words}”是原则性要求，本草稿与之不符；说明将写入申报书“需要说明的事项”，导出前必须填写。",
        "Give a written reason: '{words}' is a norm this draft departs from; the reason goes "
        "into the form's 'matters to explain' and is required before export.",
    ),
    "norm.justified": (
        "已书面说明理由（{words}）：{text}",
        "Written reason given ({words}): {text}",
    ),
    # --- thresholds ------------------------------------------------------------------
    "threshold.missing": (
        "请填写“{label}”：该方向要求{words}。",
        "Enter '{label}': this direction requires {words}.",
    ),
    "threshold.not_met": (
        "“{label}”为{actual}，未达到要求（{words}，即{op}{limit}），{gap}。{reading}",
        "'{label}' is {actual}, short of the requirement ({words}, that is {op} {limit}): "
        "{gap}. {reading}",
    ),
    "metric.unknown": (
        "指标“{metric}”不是当前目录中的指标，将被忽略；请检查拼写。",
        "Metric '{metric}' is not in the current catalog and is ignored; check its spelling.",
    ),
    "metric.negative": (
        "“{label}”不能为负数。",
        "'{label}' cannot be negative.",
    ),
    # --- project ---------------------------------------------------------------------
    "project.name_missing": (
        "请填写项目名称。",
        "Enter the project name.",
    ),
    "project.summary_missing": (
        "请填写项目简介（建设内容、技术路线与应用成效），评审主要据此判断。",
        "Write the project summary (what is built, how, and its effect); reviewers rely on it.",
    ),
    "project.dates_missing": (
        "请填写项目执行期的开始和结束日期。",
        "Enter the start and end dates of the execution period.",
    ),
    "project.end_before_start": (
        "项目结束日期{end}早于开始日期{start}，请更正。",
        "The end date {end} is before the start date {start}; correct one of them.",
    ),
    "project.goal_empty": (
        "第{row}项项目目标为空，请填写内容或删除该项。",
        "Goal {row} is empty; write it or remove it.",
    ),
    "project.milestone_before_start": (
        "里程碑“{text}”的日期{due}早于项目开始日期{start}，请调整到执行期内。",
        "Milestone '{text}' is due on {due}, before the project starts ({start}); move it "
        "into the execution period.",
    ),
    "project.milestone_after_end": (
        "里程碑“{text}”的日期{due}晚于项目结束日期{end}，请调整到执行期内。",
        "Milestone '{text}' is due on {due}, after the project ends ({end}); move it into "
        "the execution period.",
    ),
    "project.milestone_after_latest": (
        "里程碑“{text}”的日期{due}晚于本次申报要求的项目最迟完成日期{latest}，请提前。",
        "Milestone '{text}' is due on {due}, after the latest date this call allows the "
        "project to finish ({latest}); move it earlier.",
    ),
    "project.milestone_text_missing": (
        "第{row}个里程碑（{due}）没有内容，请写明到该日期要完成的工作。",
        "Milestone {row} ({due}) has no text; say what is done by that date.",
    ),
    "project.kpis_missing": (
        "请填写项目绩效目标（可量化的指标及目标值）。",
        "Add the project's goals as measurable KPIs with target values.",
    ),
    "budget.empty": (
        "请按类别填写项目投资预算明细。",
        "Enter the investment budget by category.",
    ),
    "budget.nonpositive_line": (
        "投资预算第{row}行金额须大于0。",
        "Budget row {row} must be greater than zero.",
    ),
    "budget.total_mismatch": (
        "投资预算各项合计{sum}与项目总投资{total}不一致（相差{diff}），请调整明细或总投资。",
        "Budget lines add up to {sum}, not the total investment {total} (difference {diff}); "
        "adjust the lines or the total.",
    ),
    "funding.sources_mismatch": (
        "资金来源合计（自筹{own} + 其他{other} + 申请支持{requested} = {sum}）与项目总投资{total}不一致，请调整。",
        "Funding sources (own {own} + other {other} + requested {requested} = {sum}) do not "
        "equal the total investment {total}; adjust them.",
    ),
    "funding.own_missing": (
        "请填写自筹资金金额。",
        "Enter the amount of own funds.",
    ),
    "support.requested_missing": (
        "请填写申请支持金额。",
        "Enter the support you request.",
    ),
    "support.nonpositive": (
        "申请支持金额须大于0。",
        "The requested support must be greater than zero.",
    ),
    "support.over_rate": (
        "申请支持{requested}超过{base_label}{base}的{rate}%（即{limit}），请调低至{limit}以内。",
        "Requested support {requested} exceeds {rate}% of the {base_label} {base} "
        "({limit}); lower it to {limit} or less.",
    ),
    "support.over_cap": (
        "申请支持{requested}超过该方向上限{cap}（{words}），请调低至{cap}以内。",
        "Requested support {requested} exceeds this direction's cap of {cap} ({words}); lower "
        "it to {cap} or less.",
    ),
    "support.exceeds_investment": (
        "申请支持{requested}超过项目总投资{total}，请调低。",
        "Requested support {requested} exceeds the total investment {total}; lower it.",
    ),
    "support.base_missing": (
        "无法核算支持上限：请填写{base_label}。",
        "The support limit cannot be computed: enter the {base_label}.",
    ),
    "support.unspecified": (
        "本方向通知未规定支持比例和上限，实际金额以评审核定为准；请按项目实际需求合理申请。",
        "The call states no rate or cap for this direction; the amount is set at review, so "
        "request what the project actually needs.",
    ),
    "support.estimated": (
        "支持上限是本工具的推断估算：通知未列支持比例，也未指明对应条款，本工具参照{ref}（{terms}）。"
        "理由：{reasoning}",
        "The limit is the tool's estimate by inference: the call states no rate and names no "
        "clause; the tool follows {ref} ({terms}). Reasoning: {reasoning}",
    ),
    # --- declarations and attachments --------------------------------------------------
    "declaration.materials_true": (
        "请确认信用承诺：所填内容和所附材料真实、准确、完整。",
        "Confirm the credit commitment: everything entered and attached is true and complete.",
    ),
    "attachment.required_missing": (
        "缺少必需附件“{title}”：{description}",
        "Required attachment missing: {title}. {description}",
    ),
    "attachment.not_in_checklist": (
        "附件“{file}”对应的材料项“{item}”不在该方向的材料清单中，请改选材料项。",
        "Attachment '{file}' is bound to '{item}', which this direction does not list; "
        "bind it to another checklist item.",
    ),
    "attachment.unknown_item": (
        "附件“{file}”对应的材料项“{item}”不存在，请重新选择材料项。",
        "Attachment '{file}' is bound to an unknown checklist item '{item}'; choose another.",
    ),
    "attachment.file_missing": (
        "找不到附件文件“{file}”：文件可能已被移动或删除，请重新选择。",
        "Attachment file '{file}' cannot be found (moved or deleted?); choose it again.",
    ),
    "attachment.repaired_unconfirmed": (
        "附件“{file}”是损坏后修复的PDF（读出{pages}页）：请与原件核对页数和内容，在附件页确认无误"
        "（命令行：shenbao draft confirm-repair）后才能导出。",
        "Attachment '{file}' is a PDF that needed repair ({pages} pages recovered): compare "
        "it with the original and confirm it on the attachments page (command line: shenbao "
        "draft confirm-repair) before export.",
    ),
    "attachment.repaired_unconfirmed_of": (
        "附件“{file}”是损坏后修复的PDF，只读出{pages}页，文件声明共{declared}页（可能下载不完整）："
        "请与原件核对，最好重新获取完整文件；在附件页确认无误（命令行：shenbao draft "
        "confirm-repair）后才能导出。",
        "Attachment '{file}' is a PDF that needed repair: {pages} pages recovered of the "
        "{declared} it declares (an incomplete download?): compare it with the original, "
        "better get the complete file, and confirm it on the attachments page (command line: "
        "shenbao draft confirm-repair) before export.",
    ),
    "attachment.generated": (
        "“{title}”由本工具根据所填内容生成，无需另行上传文件“{file}”。",
        "'{title}' is generated by shenbao from the draft; the file '{file}' is not needed.",
    ),
}
