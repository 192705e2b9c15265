"""The catalog's own words: its loader's and update folders' problems (read by policy staff
and IT), how a support measure is summed up, and what changed between two versions.

A loader problem keeps the file and the path inside its data beside the message; the
message says what is wrong in the words of the data, so the person who keeps the YAML can
fix it without reading code.
"""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    # --- loading a catalog folder -------------------------------------------------------
    "catalog.file_not_found": ("找不到文件", "file not found"),
    "catalog.cannot_read": ("无法读取：{error}", "cannot read: {error}"),
    "catalog.yaml_syntax": (
        "YAML格式有误：{problem}（请检查缩进、冒号和引号）",
        "YAML syntax error: {problem} (check indentation, colons and quotes)",
    ),
    "catalog.duplicate_key": (
        "字段“{key}”在同一处出现了两次（第{line}行），请删除其一",
        "duplicate key '{key}' (line {line}): delete one of them",
    ),
    "catalog.policy_not_mapping": (
        "政策文件应为“字段: 值”的映射，不能是列表或单个值",
        "a policy file must be a mapping of 'field: value' lines, not a list or a single value",
    ),
    "catalog.manifest_not_mapping": (
        "目录清单（catalog.yaml）应为“字段: 值”的映射",
        "the manifest (catalog.yaml) must be a mapping of 'field: value' lines",
    ),
    "catalog.schema_unsupported": (
        "目录格式版本{found}不受支持（本版本的shenbao读取格式{supported}）：请升级shenbao，或使用相应格式的目录",
        "schema version {found} is not supported (this build reads {supported}); update "
        "shenbao or use a matching catalog",
    ),
    "catalog.no_policy_files": (
        "没有政策文件（policies/下的*.yaml）",
        "no policy files (*.yaml under policies/)",
    ),
    "catalog.invalid": ("数据有误：{message}", "invalid: {message}"),
    "catalog.migrated_reasoning": (
        "旧版目录（格式1）未写明此估算参照的理由；通知未列比例，参照仅为估算。",
        "The older catalog (schema 1) gives no reasoning for this reference; the call "
        "states no rate, so it is only an estimate.",
    ),
    # pydantic's error types, in the words of the data (the English is pydantic's own)
    "catalog.error.missing": ("缺少必填字段", "Field required"),
    "catalog.error.extra_forbidden": (
        "不认识的字段（是否拼写有误？）",
        "Extra inputs are not permitted",
    ),
    "catalog.error.number": ("应为数字", "not a number"),
    "catalog.error.choice": ("取值应为：{expected}", "Input should be {expected}"),
    "catalog.error.too_large": ("不能大于{limit}", "Input should be less than or equal to {limit}"),
    "catalog.error.too_small": (
        "不能小于{limit}",
        "Input should be greater than or equal to {limit}",
    ),
    "catalog.error.date": ("应为日期（YYYY-MM-DD）", "not a date (YYYY-MM-DD)"),
    # the model's own cross-checks
    "catalog.rule.duplicate": ("{what}“{value}”重复", "duplicate {what} '{value}'"),
    "catalog.rule.rate_base": (
        "按比例支持（rate_of_base）须写明基数（base），或以readings说明原文未写基数",
        "a rate_of_base support needs a base, or a reading saying the text names none",
    ),
    "catalog.rule.rate_bound": (
        "写了比例（rate_max_pct）须同时写明原文的限定词（rate_bound：up_to最高、not_over不超过、"
        "up_to_not_over最高不超过、exact固定比例）",
        "a rate needs the text's qualifier of it (rate_bound: up_to, not_over, up_to_not_over "
        "or exact)",
    ),
    "catalog.rule.cap_bound": (
        "写了金额（cap_cny）须同时写明原文的限定词（cap_bound：up_to最高、not_over不超过、"
        "up_to_not_over最高不超过、exact固定金额）",
        "an amount needs the text's qualifier of it (cap_bound: up_to, not_over, "
        "up_to_not_over or exact)",
    ),
    "catalog.rule.support_ref_reasoning": (
        "support_ref是本工具的推断，须在inference中写明理由",
        "a support_ref is the tool's inference: give its reasoning under inference",
    ),
    "catalog.rule.rate_min_alone": (
        "写了rate_min_pct，却没有rate_max_pct",
        "rate_min_pct given without rate_max_pct",
    ),
    "catalog.rule.rate_order": (
        "rate_min_pct大于rate_max_pct",
        "rate_min_pct is larger than rate_max_pct",
    ),
    "catalog.rule.base_without_rate": (
        "写了基数（base），却没有可适用的比例（rate_max_pct）",
        "a base is given but no rate_max_pct to apply to it",
    ),
    "catalog.rule.condition_parameter": (
        "条件类型{kind}须写明其参数（{parameter}）",
        "condition kind {kind} needs its parameter ({parameter})",
    ),
    "catalog.rule.norm_reading": (
        "原则性条件（strength: norm，如“一般”“原则上”）须以reading说明其读法",
        "a norm (strength: norm, e.g. 一般, 原则上) needs a reading of its wording",
    ),
    "catalog.rule.norm_severity": (
        "原则性条件（strength: norm）不满足时只是警告：请写severity: warning",
        "a norm (strength: norm) warns when departed from: write severity: warning",
    ),
    "catalog.rule.inferable": (
        "inferred只能说明这些字段：{allowed}；不认识：{unknown}",
        "inferred can only stand for {allowed}; unknown: {unknown}",
    ),
    "catalog.rule.effective_order": (
        "effective_until早于effective_from",
        "effective_until is before effective_from",
    ),
    "catalog.rule.window_order": (
        "申报受理截止时间早于开始时间",
        "the submission window closes before it opens",
    ),
    "catalog.rule.superseded_pair": (
        "superseded_by与superseded_on须同时填写",
        "superseded_by and superseded_on go together",
    ),
    "catalog.rule.unknown_metric": (
        "{key}：门槛指标“{metric}”不在目录的指标（metrics）中",
        "{key}: threshold metric '{metric}' is not a known metric",
    ),
    "catalog.rule.unknown_item": (
        "{key}：材料项“{item}”未在目录的材料清单（checklist）中定义",
        "{key}: checklist item '{item}' is not defined",
    ),
    "catalog.rule.unknown_ref": (
        "{key}：support_ref“{target}”不是目录中的支持方向",
        "{key}: support_ref '{target}' names no direction",
    ),
    "catalog.rule.upload_default": (
        "upload_default.policy“{policy}”不是带申报受理规则（submission）的政策",
        "upload_default.policy '{policy}' names no policy with submission rules",
    ),
    "catalog.rule.unknown_policy": (
        "{policy}：引用了不存在的政策“{other}”",
        "{policy}: refers to unknown policy '{other}'",
    ),
    "catalog.rule.unknown_sector": (
        "{key}：条件“{condition}”引用的行业“{sector}”不在行业表（sectors）中",
        "{key}: condition '{condition}' names sector '{sector}', which the vocabulary "
        "does not hold",
    ),
    "catalog.rule.sector_within": (
        "行业“{sector}”的within“{within}”不在行业表中",
        "sector '{sector}': within '{within}' is not a sector",
    ),
    # --- where the catalog came from, and updates not used ------------------------------
    "catalog.source.bundled": ("{version}（内置：{location}）", "{version} (bundled: {location})"),
    "catalog.source.update": ("{version}（更新：{location}）", "{version} (update: {location})"),
    "catalog.source.override": (
        "{version}（SHENBAO_CATALOG：{location}）",
        "{version} (SHENBAO_CATALOG: {location})",
    ),
    "catalog.update.superseded": (
        "版本{version}已被更新的{newer}取代",
        "version {version} is superseded by {newer}",
    ),
    "catalog.update.bundled_broken": (
        "内置政策目录无法加载",
        "the bundled catalog does not load",
    ),
    "catalog.update.bad_version": (
        "版本号“{version}”无法比较（应为以点分隔的数字，如2027.1.0）",
        "version '{version}' cannot be compared (use dotted numbers such as 2027.1.0)",
    ),
    "catalog.update.not_newer": (
        "版本{version}不比内置版本新，未使用",
        "version {version} is not newer than the bundled catalog; not used",
    ),
    "catalog.update.not_newest": (
        "版本{version}不是最新的更新",
        "version {version} is not the newest update",
    ),
    "catalog.update.invalid": (
        "政策目录更新有误，未使用，继续使用内置目录",
        "the catalog update is invalid and was not used; the bundled catalog stays in use",
    ),
    "catalog.update.folder_missing": (
        "政策目录更新文件夹不存在或无法访问",
        "the update folder is missing or not reachable",
    ),
    "catalog.update.cannot_read": ("无法读取：{error}", "cannot read: {error}"),
    "catalog.update.lone_file": (
        "单个政策文件不能作为更新：请放入完整的政策目录文件夹（catalog.yaml + policies/）或其.zip",
        "a lone policy file is not an update: drop a whole catalog folder (catalog.yaml + "
        "policies/) or a .zip of one",
    ),
    "catalog.zip.too_many": (
        "压缩包文件过多（{count} > {limit}）",
        "too many files ({count} > {limit})",
    ),
    "catalog.zip.unsafe_path": ("压缩包中有不安全的路径：{name}", "unsafe path in archive: {name}"),
    "catalog.zip.too_big": (
        "解压后超过{limit}字节",
        "more than {limit} bytes when decompressed",
    ),
    "catalog.zip.unreadable": ("不是可读取的zip文件：{error}", "not a readable zip file: {error}"),
    "catalog.zip.no_manifest": (
        "压缩包顶层（或其唯一的顶层文件夹）中没有catalog.yaml",
        "no catalog.yaml at the top of the archive or in its one top folder",
    ),
    # --- a support measure in one line (the seed's own qualifier of each number) -------
    "support.bound.up_to": ("最高{value}", "up to {value}"),
    "support.bound.not_over": ("不超过{value}", "not over {value}"),
    "support.bound.up_to_not_over": ("最高不超过{value}", "at most {value}"),
    "support.rate_of": ("{base}的{rate}", "{rate} of the {base}"),
    "support.rate_no_base": ("{rate}（原文未写明基数）", "{rate} (the text names no base)"),
    "support.cap_scope": ("{scope}{cap}", "{cap} {scope}"),
    "support.non_monetary": ("非资金支持", "non-monetary"),
    "support.not_stated": ("未列金额", "amount not stated"),
    "support.funded_by": ("（{funded_by}）", " ({funded_by})"),
    "support.inferred_ref": (
        "（本工具推断：参照{ref}估算）",
        " (the tool's inference: estimated from {ref})",
    ),
    "support.duration": ("最多{months}个月", "for at most {months} months"),
    # --- what changed between two catalog versions ------------------------------------
    "diff.heading": (
        "政策目录 {old} → {new}：{count}项变更",
        "Policy catalog {old} → {new}: {count} changes",
    ),
    "diff.none": (
        "政策目录 {old} → {new}：支持方向、门槛、比例、上限、期限均无变化",
        "Policy catalog {old} → {new}: no change to directions, thresholds, rates, caps or dates",
    ),
    "diff.policy_added": ("新增政策：{title}", "policy added: {title}"),
    "diff.policy_removed": ("删除政策：{title}", "policy removed: {title}"),
    "diff.direction_added": ("新增支持方向：{title}", "direction added: {title}"),
    "diff.direction_removed": ("删除支持方向：{title}", "direction removed: {title}"),
    "diff.changed": ("{title}：{what} {old} → {new}", "{title}: {what} {old} → {new}"),
    "diff.what.threshold": ("门槛", "threshold"),
    "diff.what.rate": ("支持比例", "rate"),
    "diff.what.cap": ("上限", "cap"),
    "diff.what.base": ("支持基数", "base"),
    "diff.what.form": ("支持方式", "form of support"),
    "diff.what.estimate_from": ("估算参照", "estimate follows"),
    "diff.what.window_opens": ("受理开始", "window opens"),
    "diff.what.window_closes": ("受理截止", "window closes"),
    "diff.what.in_force_from": ("施行起", "in force from"),
    "diff.what.in_force_until": ("施行至", "in force until"),
    "diff.what.superseded_on": ("废止日", "superseded on"),
    "diff.what.condition": ("申报条件", "condition"),
    "diff.what.applicants": ("申报主体", "applicants"),
    "diff.what.file_limit": ("单个文件上限", "per-file limit"),
    "diff.absent": ("（无）", "(none)"),
    "diff.affected_heading": (
        "受影响的草稿（{count}份）：",
        "Drafts affected ({count}):",
    ),
    "diff.affected_none": ("工作区中没有受影响的草稿。", "No draft of the workspace is affected."),
    "diff.affected_draft": (
        "{draft}（{direction}）：{changes}",
        "{draft} ({direction}): {changes}",
    ),
    "diff.no_workspace": (
        "未指定工作区（--workspace），未列出受影响的草稿。",
        "No workspace given (--workspace): affected drafts are not listed.",
    ),
    "diff.announce": (
        "正在使用政策目录更新{new}（内置{old}）：{count}项变更，影响{drafts}份草稿（详见“帮助 → 关于”）",
        "Using catalog update {new} (bundled {old}): {count} changes, {drafts} drafts "
        "affected (see Help → About)",
    ),
}
