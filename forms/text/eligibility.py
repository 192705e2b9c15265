"""When a direction can be applied for, and what a company's verdict says.

Two questions are kept apart everywhere: does the company *meet the conditions*, and can
it *apply now* (the document in force, its window open). A verdict names both; the
reasons say what is met (in met words, not the failure text), what is missing and by how
much ("还差20,001人"), and what the profile does not say yet.
"""

from __future__ import annotations

ELIGIBILITY: dict[str, tuple[str, str]] = {
    # labels of the new domain values (forms.text.label)
    "status.not_yet_in_force": ("尚未施行", "not yet in force"),
    "verdict.meets_conditions": ("符合条件，暂不能申报", "meets the conditions, cannot apply now"),
    "strength.rule": ("硬性要求", "rule"),
    "strength.norm": ("原则性要求", "norm"),
    # --- when: in-force interval and submission window --------------------------------
    "timing.in_force_between": ("施行期{start}至{end}", "in force {start} to {end}"),
    "timing.in_force_from": ("{start}起施行", "in force from {start}"),
    "timing.in_force_until": ("施行至{end}", "in force until {end}"),
    "timing.in_force_unstated": ("施行日期未写明", "in-force dates not stated"),
    "timing.superseded": ("{date}起被《{by}》废止", "superseded on {date} by '{by}'"),
    "timing.window": ("受理{opens}至{closes}", "submissions {opens} to {closes}"),
    "timing.inferred": ("（本工具推断：{reasoning}）", " (the tool's inference: {reasoning})"),
    "timing.inferred_mark": ("（本工具推断）", " (the tool's inference)"),
    "timing.join": ("{first}；{second}", "{first}; {second}"),
    # --- the verdict, in one sentence ---------------------------------------------------
    "verdict_text.eligible": (
        "符合申报条件，现在可以申报。",
        "Meets the conditions and can apply now.",
    ),
    "verdict_text.eligible_until": (
        "符合申报条件，现在可以申报（受理至{closes}）。",
        "Meets the conditions and can apply now (submissions until {closes}).",
    ),
    "verdict_text.window_closed": (
        "符合申报条件，但本次受理已于{closes}截止：现在不能提交；可为下一次申报准备草稿。",
        "Meets the conditions, but the window closed at {closes}: nothing can be submitted "
        "now; the draft can be prepared for the next call.",
    ),
    "verdict_text.not_yet_open": (
        "符合申报条件；受理将于{opens}开始，届时方可提交。",
        "Meets the conditions; submissions open at {opens}.",
    ),
    "verdict_text.not_yet_in_force": (
        "符合申报条件，但该文件{date}起施行：今日不能申报，可提前准备。",
        "Meets the conditions, but the document is in force only from {date}: no "
        "application today; you can prepare one.",
    ),
    "verdict_text.unknown": ("待确认：{what}", "To confirm: {what}"),
    "verdict_text.also": ("{first} 另：{second}", "{first} Also: {second}"),
    "verdict_text.not_eligible": ("不符合：{why}", "Not eligible: {why}"),
    # --- reasons that are met (the failure templates describe failures) ---------------
    "met.condition": ("满足：{words}", "Met: {words}"),
    "met.threshold": ("{label} {actual}，满足“{words}”", "{label} {actual} meets {words}"),
    "met.region": (
        "满足：在{region_name}依法设立（信用代码登记地区划码{region}）",
        "Met: registered in {region_name} (credit-code region {region})",
    ),
    "met.sector": (
        "单位属于{required}，满足“{words}”",
        "Met: the applicant is a {required} ({words})",
    ),
    # --- the gap to a threshold --------------------------------------------------------
    "gap.short": ("还差{amount}", "short by {amount}"),
    "gap.short_over": ("须再增加超过{amount}", "needs more than {amount} more"),
    "gap.over": ("超出{amount}", "over by {amount}"),
    # --- the command line's match and catalog listings ---------------------------------
    "match.heading": ("资格匹配：{company}（日期 {on}）", "Eligibility for {company} on {on}"),
    "match.no_company": ("(未填写单位名称)", "(no company name)"),
    "match.group": ("== {verdict}（{count}）==", "== {verdict} ({count}) =="),
    "match.support": (
        "支持：{summary}；估算上限 {estimate}",
        "Support: {summary}; estimated maximum {estimate}",
    ),
    "match.when": ("何时：{when}", "When: {when}"),
    "match.verdict": ("结论：{text}", "Verdict: {text}"),
    "match.conditions_met": ("满足{count}项申报条件", "{count} conditions met"),
    "match.missing": ("还缺：{items}", "Missing: {items}"),
    "match.nearest": ("最接近的未达门槛：{text}", "Nearest unmet threshold: {text}"),
    "match.note": ("注：{note}", "Note: {note}"),
    "match.hidden": (
        "另有{count}项（政府工作任务、已过期或已废止政策）未显示，加 --all 查看。",
        "{count} more (government tasks, expired or superseded policies) hidden; use --all.",
    ),
    "catalog.heading": (
        "政策目录 版本 {version}（状态日期 {on}）",
        "Policy catalog version {version} (status on {on})",
    ),
    "catalog.no_number": ("无文号", "no number"),
    # --- check: can this draft be submitted now ----------------------------------------
    "check.can_apply_now": ("现在可以提交（{when}）。", "Can be submitted now ({when})."),
    "check.cannot_apply_now": (
        "现在不能提交：{status}（{when}）。",
        "Cannot be submitted now: {status} ({when}).",
    ),
}
