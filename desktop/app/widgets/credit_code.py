"""What a credit code says as it is typed, shown under its field.

One reading for the new-client dialog and the company page: the rules' errors (length,
characters, check digits), a valid code registered outside Shanghai as a warning (the
city's programmes require a company set up here), or a green "checked" with where it is
registered. Full-width characters, spaces and hyphens do not count against the code: the
model removes them (`forms.draft.model.normalise_credit_code`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.app.widgets.field_message import FieldMessage
from forms.catalog.model import Severity
from forms.system.settings import Language
from validators.check import credit_code_notes, credit_code_rules
from validators.credit_code import read_credit_code


def show_code(message: FieldMessage, raw: str, lang: Language) -> Severity | None:
    """Fill `message` for the code `raw`; returns the worst severity (None: fine or empty)."""
    if not raw.strip():
        message.clear_message()
        return None
    problems = list(credit_code_rules(raw)) or list(credit_code_notes(raw))
    if problems:
        message.show_findings(problems, lang)
        return message.severity
    code = read_credit_code(raw)
    message.show_text(
        None,
        QCoreApplication.translate("CreditCode", "校验通过 · 上海市（区划码 {region}）").format(
            region=code.region or "—"
        ),
    )
    return None
