"""Text and JSON renderings of catalog, match and check results for the command line.

Readable by default (Chinese or English), `--json` for machines; both come from the
same result objects so they never disagree. Whether a company *meets the conditions*
and whether it *can apply now* are shown apart in both (`Match.verdict_text`,
`validators.timing.Timing`); the words come from `forms.text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from forms.catalog.figures import format_money
from forms.catalog.model import Catalog, Policy, QualifiedDirection
from forms.catalog.support import support_summary
from forms.text import Language, Text, label, render
from validators.eligibility import Match, Reason, Verdict
from validators.findings import Finding
from validators.timing import Timing, timing


def _title(q: QualifiedDirection, language: Language) -> str:
    return q.direction.title if language == "zh" else q.direction.title_en


def _money(amount: Decimal | None) -> str:
    return format_money(amount) if amount is not None else "—"


def _note(q: QualifiedDirection, language: Language) -> str:
    d = q.direction
    return d.note_en if language == "en" and d.note_en else d.note


def policy_line(policy: Policy, when: date | datetime, language: Language) -> str:
    status = label(policy.status_on(when), language)
    number = policy.doc_number or render("catalog.no_number", None, language)
    title = policy.title if language == "zh" else policy.title_en
    return f"[{status}] {title} ({number})"


def catalog_text(
    catalog: Catalog, when: date | datetime, language: Language, show_all: bool
) -> str:
    on = _shown(when)
    lines = [render("catalog.heading", {"version": catalog.version, "on": on}, language)]
    for policy in catalog.policies:
        lines.append("")
        lines.append(policy_line(policy, when, language))
        lines.append(f"  {timing(policy, when, catalog).describe(language, reasoning=True)}")
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
                if note := _note(q, language):
                    lines.append(f"      {render('match.note', {'note': note}, language)}")
    return "\n".join(lines)


def _shown(when: date | datetime) -> str:
    return when.isoformat(timespec="minutes") if isinstance(when, datetime) else str(when)


def catalog_json(catalog: Catalog, when: date | datetime) -> dict[str, Any]:
    def direction_json(p: Policy, q: QualifiedDirection) -> dict[str, Any]:
        d = q.direction
        support = catalog.effective_support(q)
        return {
            "key": q.key,
            "measure": q.measure.title,
            "title": d.title,
            "title_en": d.title_en,
            "clause": d.clause,
            "applyable": d.applyable,
            "support": support.model_dump(mode="json"),
            "support_summary_zh": support_summary(catalog, q, "zh"),
            "support_summary_en": support_summary(catalog, q, "en"),
            "support_reference": d.support.support_ref,
            "support_inference": _inference(d.support.inference),
            "thresholds": [t.model_dump(mode="json") for t in d.thresholds],
            "conditions": [c.model_dump(mode="json") for c in q.conditions],
            "note": d.note,
            "note_en": d.note_en,
        }

    return {
        "version": catalog.version,
        "on": _shown(when),
        "sectors": [s.model_dump(mode="json") for s in catalog.sectors],
        "policies": [
            {
                "id": p.id,
                "title": p.title,
                "title_en": p.title_en,
                "doc_number": p.doc_number,
                "issuer": p.issuer,
                "status": p.status_on(when).value,
                "timing": timing(p, when, catalog).as_json(),
                "directions": [
                    direction_json(p, QualifiedDirection(p, m, d))
                    for m in p.measures
                    for d in m.directions
                ],
            }
            for p in catalog.policies
        ],
    }


def _inference(inference: Any) -> dict[str, str] | None:
    if inference is None:
        return None
    return {"reasoning_zh": inference.reasoning, "reasoning_en": inference.reasoning_en}


#: The verdict groups, in the order a company reads them.
GROUPS = (Verdict.ELIGIBLE, Verdict.MEETS_CONDITIONS, Verdict.UNKNOWN, Verdict.NOT_ELIGIBLE)


def match_text(
    catalog: Catalog,
    matches: Sequence[Match],
    company: str,
    when: date | datetime,
    language: Language,
    show_all: bool,
) -> str:
    name = company or render("match.no_company", None, language)
    lines = [render("match.heading", {"company": name, "on": _shown(when)}, language)]
    shown = [m for m in matches if show_all or _worth_showing(m)]
    hidden = len(matches) - len(shown)
    for verdict in GROUPS:
        group = [m for m in shown if m.verdict is verdict]
        if not group:
            continue
        lines.append("")
        heading = {"verdict": label(verdict, language), "count": len(group)}
        lines.append(render("match.group", heading, language))
        for m in group:
            lines.extend(_match_lines(catalog, m, language))
    if hidden:
        lines.append("")
        lines.append(render("match.hidden", {"count": hidden}, language))
    return "\n".join(lines)


def _match_lines(catalog: Catalog, m: Match, language: Language) -> list[str]:
    q = m.direction
    title = q.policy.title if language == "zh" else q.policy.title_en
    policy = q.policy.doc_number or title
    status = label(m.status, language)
    summary = support_summary(catalog, q, language)
    lines = [
        f"* {_title(q, language)} — {policy} [{status}]",
        f"  {q.key}",
        "  " + render("match.verdict", {"text": m.verdict_text().render(language)}, language),
        "  " + render("match.when", {"when": m.timing.describe(language)}, language),
        "  "
        + render(
            "match.support", {"summary": summary, "estimate": _money(m.max_support)}, language
        ),
    ]
    inference = m.estimate.inference
    if inference is not None:
        reasoning = inference.reasoning_en if language == "en" else inference.reasoning
        lines.append("    " + Text.of("timing.inferred", reasoning=reasoning).render(language))
    if note := _note(q, language):
        lines.append("  " + render("match.note", {"note": note}, language))
    met = [r for r in m.reasons if r.met is True and r.kind == "condition"]
    if met:
        lines.append("    [OK] " + render("match.conditions_met", {"count": len(met)}, language))
    for reason in m.reasons:
        if reason.met is True and reason.kind == "condition":
            continue
        lines.append(f"    [{_mark(reason)}] {reason.message(language)}  ({reason.clause})")
    nearest = m.nearest
    if nearest is not None:
        p = nearest.params
        gap = p["gap_en"] if language == "en" else p["gap"]
        label_ = p["label_en"] if language == "en" else p["label"]
        actual = p["actual_en"] if language == "en" else p["actual"]
        text = f"{label_} {actual}，{gap}" if language == "zh" else f"{label_} {actual}, {gap}"
        lines.append("  " + render("match.nearest", {"text": text}, language))
    return lines


def _mark(reason: Reason) -> str:
    if reason.kind == "status":
        return "!!"
    if reason.kind == "norm":
        return "!"
    return {True: "OK", False: "NO", None: "??"}[reason.met]


def _worth_showing(m: Match) -> bool:
    """By default: what a company can apply for now or later (a closed window may reopen
    next year; a document not yet in force will be)."""
    alive = m.status.open_for_applications or m.status.in_force
    return m.direction.direction.applyable and alive


def _reason_json(r: Reason) -> dict[str, Any]:
    return {
        "code": r.code,
        "kind": r.kind,
        "met": r.met,
        "decisive": r.decisive,
        "clause": r.clause,
        "words": r.words,
        "message_zh": r.message("zh"),
        "message_en": r.message("en"),
    }


def match_json(matches: Iterable[Match], when: date | datetime) -> dict[str, Any]:
    def one(m: Match) -> dict[str, Any]:
        support = m.direction.direction.support
        nearest = m.nearest
        return {
            "key": m.key,
            "policy": m.direction.policy.title,
            "doc_number": m.direction.policy.doc_number,
            "title": m.direction.direction.title,
            "title_en": m.direction.direction.title_en,
            "clause": m.direction.direction.clause,
            "status": m.status.value,
            "applyable": m.direction.direction.applyable,
            "verdict": m.verdict.value,
            "verdict_text_zh": m.verdict_text().render("zh"),
            "verdict_text_en": m.verdict_text().render("en"),
            "meets_conditions": m.meets_conditions,
            "can_apply_now": m.can_apply_now,
            "timing": m.timing.as_json(),
            "max_support_cny": None if m.max_support is None else format(m.max_support, "f"),
            "support_reference": support.support_ref,
            "support_inference": _inference(support.inference),
            "reasons": [_reason_json(r) for r in m.reasons],
            "missing": [_reason_json(r) for r in m.missing],
            "nearest_unmet_threshold": None
            if nearest is None
            else {
                "metric": nearest.params["metric"],
                "gap_zh": nearest.params["gap"],
                "gap_en": nearest.params["gap_en"],
                "message_zh": nearest.message("zh"),
                "message_en": nearest.message("en"),
            },
        }

    return {"on": _shown(when), "matches": [one(m) for m in matches]}


def check_timing(catalog: Catalog, direction: str | None, when: date | datetime) -> Timing | None:
    """Whether a draft's direction can be submitted now (None without a known direction)."""
    q = catalog.lookup(direction)
    return timing(q.policy, when, catalog) if q is not None else None


def timing_line(standing: Timing, language: Language) -> str:
    when = standing.describe(language)
    if standing.can_apply_now:
        return render("check.can_apply_now", {"when": when}, language)
    status = label(standing.status, language)
    return render("check.cannot_apply_now", {"status": status, "when": when}, language)


def findings_text(
    name: str,
    direction: str,
    findings: Sequence[Finding],
    language: Language,
    standing: Timing | None = None,
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
    if standing is not None:
        lines.append(timing_line(standing, language))
    return "\n".join(lines)


__all__ = [
    "catalog_json",
    "catalog_text",
    "check_timing",
    "findings_text",
    "match_json",
    "match_text",
    "timing_line",
]
