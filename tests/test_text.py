"""Domain text: every template pair keeps its placeholders, every domain value has a name,
and the same value is named the same way in the command line, the app and the form."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import pytest

from forms.catalog.model import ApplicantType, Severity, Status, SupportBase
from forms.draft.flow import StepId
from forms.draft.model import (
    BudgetCategory,
    CreditStanding,
    DraftStatus,
    OperatingStatus,
    Ownership,
)
from forms.text import Text, label, label_code, placeholders, render, templates
from tests.test_cli import run
from validators.eligibility import Verdict

NAMED: tuple[type[Enum], ...] = (
    Status,
    Verdict,
    Severity,
    DraftStatus,
    BudgetCategory,
    Ownership,
    OperatingStatus,
    CreditStanding,
    ApplicantType,
    SupportBase,
    StepId,
)


@pytest.mark.parametrize("code", sorted(templates()))
def test_both_languages_use_the_same_placeholders(code: str) -> None:
    zh, en = templates()[code]
    assert placeholders(zh) == placeholders(en), code
    values = {name: f"<{name}>" for name in placeholders(zh)}
    chinese, english = render(code, values, "zh"), render(code, values, "en")
    assert chinese and english and chinese != english, code
    assert all(f"<{name}>" in chinese and f"<{name}>" in english for name in values), code


@pytest.mark.parametrize("kind", NAMED, ids=lambda k: k.__name__)
def test_every_domain_value_has_a_name_in_both_languages(kind: type[Enum]) -> None:
    for value in kind:
        assert label_code(value) in templates(), value
        assert label(value, "zh") != label(value, "en"), value


def test_english_takes_the_english_rendering_of_a_parameter() -> None:
    text = Text.of(
        "support.over_cap",
        requested="300万元",
        requested_en="CNY 3,000,000",
        cap="200万元",
        cap_en="CNY 2,000,000",
        words="最高200万元",
    )
    assert "300万元" in text.render("zh") and "CNY 3,000,000" in text.render("en")
    with pytest.raises(KeyError):
        Text.of("no.such.code")


def test_the_unknown_verdict_reads_the_same_in_the_cli_and_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was 待补充 in the command line and 待确认 in the wizard."""
    profile = tmp_path / "empty.json"
    profile.write_text('{"format": "shenbao.profile"}', encoding="utf-8")
    code, out, _ = run(capsys, "match", str(profile), "--date", "2025-09-10")
    assert code == 0 and f"== {label(Verdict.UNKNOWN, 'zh')}（" in out and "待补充" not in out
    code, out, _ = run(capsys, "match", str(profile), "--date", "2025-09-10", "--lang", "en")
    assert f"== {label(Verdict.UNKNOWN, 'en')} (" in out
