"""Text and JSON renderings of catalog, match and check results for the command line.

Readable by default (Chinese or English), `--json` for machines; both come from the
same result objects so they never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from forms.catalog.figures import format_money
from forms.catalog.model import Catalog, Policy, QualifiedDirection, Status, SupportForm
from forms.catalog.support import reference_label
from forms.text import Language, label
from validators.eligibility import Match, Reason, Verdict
from validators.findings import Finding


def _pick(pair: tuple[str, str], language: Language) -> str:
    return pair[0] if language == "zh" else pair[1]


def _title(q: QualifiedDirection, language: Language) -> str:
    return q.direction.title if language == "zh" else q.direction.title_en


def _money(amount: Decimal | None) -> str:
    return format_money(amount) if amount is not None else "—"


def support_summary(catalog: Catalog, q: QualifiedDirection, language: Language) -> str:
    """One line: "核定总投资×最高20%，最高1000万元（按…估算）"."""
    own = q.direction.support
    support = catalog.effective_support(q)
    parts: list[str] = []
    if support.rate_max_pct is not None and support.base is not None:
        base = label(support.base, language)
        low = f"{support.rate_min_pct.normalize():f}%—" if support.rate_min_pct is not None else ""
        high = f"{support.rate_max_pct.normalize():f}%"
        parts.append(f"{base} × {low}{high}" if language == "zh" else f"{low}{high} of {base}")
    if support.cap_cny is not None:
        cap = _money(support.cap_cny)
        parts.append(f"最高{cap}" if language == "zh" else f"at most {cap}")
    if not parts:
        if support.form is SupportForm.NON_MONETARY:
            parts.append("非资金支持" if language == "zh" else "non-monetary")
        else:
            parts.append("未列金额" if language == "zh" else "amount not stated")
    text = "，".join(parts) if language == "zh" else ", ".join(parts)
    if support.funded_by and language == "zh":
        text += f"（{support.funded_by}）"
    if own.support_ref:
        ref = reference_label(catalog.direction(own.support_ref))
        text += f"（按{ref}估算）" if language == "zh" else f" (estimated from {ref})"
    return text


def policy_line(policy: Policy, on: date, language: Language) -> str:
    status = label(policy.status_on(on), language)
    number = policy.doc_number or ("无文号" if language == "zh" else "no number")
    title = policy.title if language == "zh" else policy.title_en
    return f"[{status}] {title} ({number})"


def catalog_text(catalog: Catalog, on: date, language: Language, show_all: bool) -> str:
    lines = [
        f"政策目录 版本 {catalog.version}（状态日期 {on}）"
        if language == "zh"
        else f"Policy catalog version {catalog.version} (status on {on})"
    ]
    for policy in catalog.policies:
        lines.append("")
        lines.append(policy_line(policy, on, language))
        for measure in policy.measures:
            directions = [d for d in measure.directions if show_all or d.applyable]
            if not directions:
                continue
            measure_title = measure.title if language == "zh" else measure.title_en
            lines.append(f"  {measure.number} {measure_title}")
            for direction in directions:
                q = QualifiedDirection(policy, measure, direction)
                lines.append(
                    f"    - {_title(q, language)}: {support_summary(catalog, q, language)}"
                )
                lines.append(f"      {q.key}")
    return "\n".join(lines)


def catalog_json(catalog: Catalog, on: date) -> dict[str, Any]:
    return {
        "version": catalog.version,
        "on": on.isoformat(),
        "policies": [
            {
                "id": p.id,
                "title": p.title,
                "title_en": p.title_en,
                "doc_number": p.doc_number,
                "status": p.status_on(on).value,
                "directions": [
                    {
                        "key": f"{p.id}/{m.id}/{d.id}",
                        "measure": m.title,
                        "title": d.title,
                        "title_en": d.title_en,
                        "clause": d.clause,
                        "applyable": d.applyable,
                        "support": catalog.effective_support(
                            QualifiedDirection(p, m, d)
                        ).model_dump(mode="json"),
                        "thresholds": [t.model_dump(mode="json") for t in d.thresholds],
                    }
                    for m in p.measures
                    for d in m.directions
                ],
            }
            for p in catalog.policies
        ],
    }


def match_text(
    catalog: Catalog,
    matches: Sequence[Match],
    company: str,
    on: date,
    language: Language,
    show_all: bool,
) -> str:
    header = (
        f"资格匹配：{company or '(未填写单位名称)'}（日期 {on}）"
        if language == "zh"
        else f"Eligibility for {company or '(no company name)'} on {on}"
    )
    lines = [header]
    shown = [m for m in matches if show_all or _worth_showing(m)]
    hidden = len(matches) - len(shown)
    for verdict in (Verdict.ELIGIBLE, Verdict.UNKNOWN, Verdict.NOT_ELIGIBLE):
        group = [m for m in shown if m.verdict is verdict]
        if not group:
            continue
        lines.append("")
        lines.append(f"== {label(verdict, language)} ({len(group)}) ==")
        for m in group:
            q = m.direction
            title = q.policy.title if language == "zh" else q.policy.title_en
            policy = q.policy.doc_number or title
            status = label(m.status, language)
            lines.append(f"* {_title(q, language)} — {policy} [{status}]")
            lines.append(f"  {q.key}")
            estimate = _money(m.max_support)
            lines.append(
                f"  支持：{support_summary(catalog, q, language)}；估算上限 {estimate}"
                if language == "zh"
                else f"  Support: {support_summary(catalog, q, language)}; estimated maximum {estimate}"
            )
            met = [r for r in m.reasons if r.met is True and r.kind == "condition"]
            if met:
                lines.append(
                    f"    [OK] 满足{len(met)}项申报条件"
                    if language == "zh"
                    else f"    [OK] {len(met)} conditions met"
                )
            for reason in m.reasons:
                if reason.met is True and reason.kind == "condition":
                    continue
                mark = (
                    "!!"
                    if reason.kind == "status"
                    else {True: "OK", False: "NO", None: "??"}[reason.met]
                )
                lines.append(f"    [{mark}] {_reason_text(reason, language)}  ({reason.clause})")
    if hidden:
        lines.append("")
        lines.append(
            f"另有{hidden}项（政府工作任务、已过期或已废止政策）未显示，加 --all 查看。"
            if language == "zh"
            else f"{hidden} more (government tasks, expired or superseded policies) hidden; use --all."
        )
    return "\n".join(lines)


def _worth_showing(m: Match) -> bool:
    """By default: what a company can still apply for (a closed window may reopen next year)."""
    in_force = m.status.open_for_applications or m.status is Status.WINDOW_CLOSED
    return m.direction.direction.applyable and in_force


def _reason_text(reason: Reason, language: Language) -> str:
    if reason.met is True and reason.kind == "threshold":
        p = reason.params
        if language == "zh":
            return f"{p['label']} {p['actual']}，满足“{p['words']}”"
        return f"{p['label_en']} {p['actual_en']} meets {p['requirement_en']}"
    if reason.met is True:
        return ("满足：" if language == "zh" else "met: ") + reason.words
    return reason.message(language)


def match_json(matches: Iterable[Match], on: date) -> dict[str, Any]:
    return {
        "on": on.isoformat(),
        "matches": [
            {
                "key": m.key,
                "policy": m.direction.policy.title,
                "doc_number": m.direction.policy.doc_number,
                "title": m.direction.direction.title,
                "title_en": m.direction.direction.title_en,
                "clause": m.direction.direction.clause,
                "status": m.status.value,
                "applyable": m.direction.direction.applyable,
                "verdict": m.verdict.value,
                "max_support_cny": None if m.max_support is None else format(m.max_support, "f"),
                "support_reference": m.direction.direction.support.support_ref,
                "reasons": [
                    {
                        "code": r.code,
                        "met": r.met,
                        "decisive": r.decisive,
                        "clause": r.clause,
                        "message_zh": r.message("zh"),
                        "message_en": r.message("en"),
                    }
                    for r in m.reasons
                ],
            }
            for m in matches
        ],
    }


def findings_text(
    name: str, direction: str, findings: Sequence[Finding], language: Language
) -> str:
    counts = {
        s: sum(1 for f in findings if f.severity.value == s) for s in ("error", "warning", "info")
    }
    if language == "zh":
        head = f"检查 {name}（支持方向：{direction}）\n错误 {counts['error']} · 警告 {counts['warning']} · 提示 {counts['info']}"
    else:
        head = f"Check {name} (direction: {direction})\n{counts['error']} errors · {counts['warning']} warnings · {counts['info']} infos"
    lines = [head]
    for f in findings:
        lines.append(f"[{label(f.severity, language)}] {f.field}: {f.message(language)}")
        lines.append(f"        {'依据' if language == 'zh' else 'Clause'}: {f.clause}")
    if not counts["error"]:
        lines.append("可以导出（无错误）。" if language == "zh" else "Ready to export (no errors).")
    else:
        lines.append(
            "存在错误，导出被阻止；请按提示修改。"
            if language == "zh"
            else "Errors block export; fix them as described."
        )
    return "\n".join(lines)
