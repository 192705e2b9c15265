"""What a rule reports: a stable code, a field path, parameters and the clause.

Messages are templates looked up by code at display time (Chinese or English), so the
wizard, the command line and the JSON output say the same thing in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from forms.catalog.model import Severity
from forms.text import Language, has, render

__all__ = ["Finding", "Language", "Severity", "blocking", "finding", "sort_findings"]


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    field: str  # dotted path into the draft, e.g. "project.requested_support"
    clause: str  # the rule's source: policy clause, standard, or "shenbao" for form hygiene
    params: Mapping[str, str] = {}

    def message(self, language: Language = "zh") -> str:
        return render(self.code, self.params, language)

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "field": self.field,
            "clause": self.clause,
            "message_zh": self.message("zh"),
            "message_en": self.message("en"),
            "params": dict(self.params),
        }


def finding(code: str, severity: Severity, field: str, clause: str, /, **params: object) -> Finding:
    if not has(code):
        raise KeyError(f"no message template for finding code {code!r}")
    return Finding(
        code=code,
        severity=severity,
        field=field,
        clause=clause,
        params={k: str(v) for k, v in params.items()},
    )


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """Findings that stop an export (errors)."""
    return [f for f in findings if f.severity is Severity.ERROR]


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (_ORDER[f.severity], f.field, f.code))
