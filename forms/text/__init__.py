"""Domain text: stable codes with a Chinese and an English template, rendered at display.

The rules, the package, the catalog and the form say *what* happened as a code and its
parameters (`Text`); the command line, the wizard, the JSON output and the documents turn
it into words in the reader's language with `render`, so a verdict or a problem reads the
same wherever it is shown. Domain values (a policy status, a verdict, a budget category)
are named by `label`. Widgets' own texts are Qt's business (`self.tr`, the .ts files).

Both templates of a code use the same placeholders (a test checks every one). In English,
a parameter `x_en`, when given, stands for `x`: the caller passes both renderings of a
value (an amount in 万元 and in CNY, a metric's label) and each template names it once.

The tables are modules named for what they hold: `findings` (the rules' messages),
`labels` (domain values), `package` (the package's and the attachments' problems),
`form` (the application form's own words), `errors` (files and options that cannot be
used), `catalog` (the catalog's loader problems, support summaries and version changes),
`eligibility` (when a direction can be applied for, the verdicts and their reasons),
`workspace` (the encrypted workspace: damage, locks, conflicts, full disks), `clients`
(deleting and importing clients), `handoff` (the portal view, previews, the overview and
the deadline calendar). An exception that carries a `Text` (`TextError`) is shown the
same way.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Literal, Self

Language = Literal["zh", "en"]


@cache
def templates() -> dict[str, tuple[str, str]]:
    """Every code's (Chinese, English) templates; the tables load on first use."""
    # start-up: the tables load when a text is first rendered
    from forms.text import (
        catalog,
        clients,
        eligibility,
        errors,
        findings,
        form,
        handoff,
        labels,
        package,
        workspace,
    )

    merged: dict[str, tuple[str, str]] = {}
    tables = (
        findings.FINDINGS,
        labels.LABELS,
        package.PROBLEMS,
        form.FORM,
        errors.ERRORS,
        catalog.CATALOG,
        eligibility.ELIGIBILITY,
        workspace.WORKSPACE,
        clients.CLIENTS,
        handoff.HANDOFF,
    )
    for table in tables:
        clash = merged.keys() & table.keys()
        if clash:
            raise KeyError(f"text codes defined twice: {sorted(clash)}")
        merged.update(table)
    return merged


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(code: str, params: Mapping[str, object] | None = None, lang: str = "zh") -> str:
    """The text of `code` in `lang` ("zh" or "en"), its placeholders filled from `params`."""
    zh, en = templates()[code]
    values = {k: str(v) for k, v in (params or {}).items()}
    if lang == "en":
        return en.format_map({k: values.get(f"{k}_en", v) for k, v in values.items()})
    return zh.format_map(values)


def has(code: str) -> bool:
    return code in templates()


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def label_code(value: Enum) -> str:
    """`Status.ACTIVE` -> "status.active", `BudgetCategory.RD_LABOUR` -> "budget_category.rd_labour"."""
    return f"{_CAMEL.sub('_', type(value).__name__).lower()}.{value.value}"


def label(value: Enum, lang: str = "zh") -> str:
    """The display name of a domain value (its code when none is known)."""
    code = label_code(value)
    return render(code, None, lang) if code in templates() else str(value.value)


@dataclass(frozen=True)
class Text:
    """Something to tell the user, kept as a code until it is shown."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in templates():
            raise KeyError(f"no template for text code {self.code!r}")

    @classmethod
    def of(cls, code: str, /, **params: object) -> Text:
        return cls(code, {k: str(v) for k, v in params.items()})

    def render(self, lang: str = "zh") -> str:
        return render(self.code, self.params, lang)

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "params": dict(self.params),
            "message_zh": self.render("zh"),
            "message_en": self.render("en"),
        }


class TextError(Exception):
    """An error a user acts on, told as domain text: `message(lang)` in the reader's
    language; `str()` (logs, tracebacks) gives both."""

    def __init__(self, message: Text | str) -> None:
        self.text = message if isinstance(message, Text) else None
        plain = (
            message
            if isinstance(message, str)
            else f"{message.render('zh')} / {message.render('en')}"
        )
        super().__init__(plain)

    @classmethod
    def of(cls, code: str, /, **params: object) -> Self:
        return cls(Text.of(code, **params))

    def message(self, lang: str = "zh") -> str:
        return self.text.render(lang) if self.text is not None else str(self)
